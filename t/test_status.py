"""Status links: the invitation mail carries a signed link; its JSON (no
sign-in) gives the event, the round, the state in words, the place in line
and a wait estimated from the round's recent interview durations; a new
link or a revocation kills the old one; the event's closing expires it."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TestCase, main, smtp_messages, start_smtp, wait_for  # noqa: E402
import test_interviews  # noqa: E402

EV = "/bulk_hiring/event/v1"
UD = "/bulk_hiring/user_data/v1"


class Status(TestCase):
    stack_args = {"worker": True, "before": start_smtp,
                  "env": {"JOB_POLL_MS": "200", "OTP_RATE_IP": "10000"}}

    event = test_interviews.Interviews.event
    candidates = test_interviews.Interviews.candidates
    act = test_interviews.Interviews.act
    mapping = test_interviews.Interviews.mapping

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr = cls.stack.make_user("Hr")
        cls.iv = cls.stack.make_user("Interviewer")

    def status(self, token):
        return self.stack.http("GET", EV + "/status/%s/" % token)

    def link(self, who, reg):
        r = self.stack.http("POST", EV + "/status-link/", {"registration_id": reg},
                            token=who["access_token"])
        self.assertStatus(r, 201)
        self.assertTrue(r.json["url"].endswith("/status/%s/" % r.json["token"]))
        return r.json["token"]

    def test_line_wait_and_words(self):
        ev, (r1,) = self.event([("Technical", [self.iv])])
        a, b, c = self.candidates(ev, 3)
        self.assertStatus(self.mapping({"round_id": r1}), 200)
        # The invitation mail carries the link.
        self.assertStatus(self.stack.http("POST", UD + "/send-event-mail/",
                                          {"event_id": ev, "audience": "candidates"},
                                          token=self.hr["access_token"]), 202)
        addr = c["user"]["email"]
        wait_for(lambda: any(addr in e["rcpt_tos"] for e, _, _ in smtp_messages(self.stack)),
                 30, "invitation")
        msg = [m for e, m, _ in smtp_messages(self.stack) if addr in e["rcpt_tos"]][0]
        text = msg.get_body(("plain",)).get_content()
        token = re.search(r"/status/([0-9]+\.[A-Za-z0-9_-]+)/", text).group(1)
        r = self.status(token)
        self.assertStatus(r, 200)
        order = sorted((a, b, c), key=lambda x: self.status(self.link(x, x["reg"]))
                       .json["place_in_line"])
        self.assertError(self.status(token), 404)      # replaced by a new link
        toks = {x["reg"]: self.link(x, x["reg"]) for x in order}
        for place, x in enumerate(order, 1):
            s = self.status(toks[x["reg"]]).json
            self.assertEqual(s["state"], "waiting")
            self.assertEqual(s["state_text"], "You are in line for Technical.")
            self.assertEqual(s["place_in_line"], place)
            self.assertEqual(s["round"]["name"], "Technical")
            self.assertEqual((s["round"]["position"], s["round"]["of"]), (1, 1))
            self.assertEqual(s["event"]["id"], ev)
            self.assertIsNone(s["estimated_wait_minutes"])   # nothing to go by yet
            raw = json.dumps(s)
            for k in ("name", "email", "phone"):
                self.assertNotIn(x["user"][k] if k != "phone" else x["phone"], raw)
        # The first is interviewed; the round's recent duration is 12 min.
        first, second, third = order
        self.assertEqual(self.act(self.iv, "start_next", r1).json["registration_id"],
                         first["reg"])
        s = self.status(toks[first["reg"]]).json
        self.assertEqual((s["state"], s["place_in_line"]), ("called", None))
        self.assertIn("being called", s["state_text"])
        self.assertStatus(self.act(first, "accept_interview", r1), 200)
        self.assertStatus(self.act(self.iv, "complete_interview", r1), 200)
        self.assertEqual(self.status(toks[first["reg"]]).json["state"], "done")
        self.assertEqual(self.stack.sql(
            "SELECT started_at IS NOT NULL, finished_at IS NOT NULL FROM interview_queue "
            "WHERE registration_id = :'v1'", first["reg"]), [["t", "t"]])
        self.stack.sql("UPDATE interview_queue SET started_at = finished_at - interval "
                       "'12 minutes' WHERE registration_id = :'v1'", first["reg"])
        s2, s3 = (self.status(toks[x["reg"]]).json for x in (second, third))
        self.assertEqual((s2["place_in_line"], s2["estimated_wait_minutes"]), (1, 0))
        self.assertEqual((s3["place_in_line"], s3["estimated_wait_minutes"]), (2, 12))
        self.assertEqual(s3["average_interview_minutes"], 12.0)

        # Revoked: dead; the event's HR may make a new one.
        r = self.stack.http("DELETE", EV + "/status-link/", {"registration_id": third["reg"]},
                            token=third["access_token"])
        self.assertStatus(r, 200)
        self.assertError(self.status(toks[third["reg"]]), 404)
        tok = self.link(self.hr, third["reg"])
        self.assertStatus(self.status(tok), 200)
        # Closed: expired.
        self.assertStatus(self.stack.http("PATCH", EV + "/event/",
                                          {"event_id": ev, "status": "Inactive"},
                                          token=self.hr["access_token"]), 200)
        self.assertError(self.status(tok), 410, "link_expired")

    def test_who_and_bad_tokens(self):
        ev, (r1,) = self.event([("Screen", [self.iv])])
        a, b = self.candidates(ev, 2)
        tok = self.link(a, a["reg"])
        self.assertError(self.stack.http("POST", EV + "/status-link/",
                                         {"registration_id": a["reg"]},
                                         token=b["access_token"]), 403)
        self.assertError(self.stack.http("POST", EV + "/status-link/",
                                         {"registration_id": a["reg"]},
                                         token=self.iv["access_token"]), 403)
        self.assertError(self.stack.http("POST", EV + "/status-link/",
                                         {"registration_id": a["reg"]}), 401)
        self.assertError(self.stack.http("POST", EV + "/status-link/",
                                         {"registration_id": 99999999},
                                         token=a["access_token"]), 404)
        self.assertError(self.stack.http("POST", EV + "/status-link/",
                                         {"registration_id": "x"},
                                         token=a["access_token"]), 400)
        reg, mac = tok.split(".")
        for bad in ("%s.%s" % (b["reg"], mac), reg + "." + mac[:-1] + ("A" if mac[-1] != "A"
                                                                        else "B"),
                    reg, "x." + mac, "%s.%s" % (reg, mac + "x")):
            self.assertError(self.status(bad), 404)
        s = self.status(tok).json
        self.assertEqual((s["state"], s["round"]), ("shortlisted", None))
        self.assertIn("shortlisted", s["state_text"])


if __name__ == "__main__":
    main()
