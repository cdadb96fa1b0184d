"""Consent, retention and erasure on the real stack: registering records
consent; a bulk-uploaded candidate confirms through the invitation's link
or is purged after CONSENT_DAYS; everyone is purged RETENTION_DAYS after
their events closed (the worker's retention job); a candidate downloads
their data, then erases their account after a fresh sign-in; an event's
HR erases a candidate.  Erasure removes personal data, resumes (stored
files too) and mail bodies, and the analytics' totals do not change."""
import base64
import os
import re
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TestCase, main, smtp_messages, start_smtp, wait_for  # noqa: E402
import pdfgen  # noqa: E402

EV = "/bulk_hiring/event/v1"
UD = "/bulk_hiring/user_data/v1"


def b64(data):
    return base64.b64encode(data).decode()


def resume_pdf(name, email, phone):
    return pdfgen.make_pdf([[name, "Email: %s  |  Phone: %s" % (email, phone), "",
                             "SKILLS", "C, PostgreSQL, Linux", "",
                             "EXPERIENCE", "Engineer, Acme Systems (2019 - Present)"]])


class Privacy(TestCase):
    stack_args = {"worker": True, "before": start_smtp,
                  "env": {"JOB_POLL_MS": "200", "OTP_RATE_IP": "10000",
                          "OTP_RATE_PHONE": "100", "CONSENT_DAYS": "7",
                          "RETENTION_DAYS": "30", "RETENTION_INTERVAL_S": "2"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr = cls.stack.make_user("Hr")
        cls.hr2 = cls.stack.make_user("Hr")

    def event(self, title="Privacy drive"):
        r = self.stack.http("POST", EV + "/event/", {
            "title": title, "department": "Engineering", "status": "Active",
            "skills": {"required": ["C"], "preferred": []},
            "rounds": [{"name": "Technical", "interviewers": []}]},
            token=self.hr["access_token"])
        self.assertStatus(r, 201)
        return r.json["event_id"]

    def register(self, ev, cand=None, **extra):
        cand = cand or self.stack.make_user()
        pdf, _ = pdfgen.resume(7000 + ev * 10 + len(cand["phone"]) + int(cand["phone"][-3:]))
        body = dict({"event_id": ev, "resume": {"file_name": "cv.pdf",
                                                "content_base64": b64(pdf)}}, **extra)
        r = self.stack.http("POST", EV + "/event-register/", body, token=cand["access_token"],
                            headers={"Idempotency-Key": os.urandom(8).hex()})
        return cand, r

    def stored(self, key):
        return os.path.exists(os.path.join(self.stack.env["STORAGE_DIR"], key))

    def keys_of(self, user_id):
        return [k for k, in self.stack.sql(
            "SELECT storage_key FROM resume_tracks WHERE user_id = :'v1' AND storage_key <> '' "
            "UNION SELECT resume_key FROM registrations WHERE user_id = :'v1' AND "
            "resume_key IS NOT NULL", user_id)]

    def analytics(self, ev):
        out = []
        for path in ("/application-count/?event_id=%d" % ev,
                     "/job-application-status/?month=%s&year=%s" % (
                         time.strftime("%m").lstrip("0"), time.strftime("%Y")),
                     "/application-by-department/?month=%s&year=%s" % (
                         time.strftime("%m").lstrip("0"), time.strftime("%Y"))):
            r = self.stack.http("GET", EV + path, token=self.hr["access_token"])
            self.assertStatus(r, 200)
            out.append(r.json)
        return out

    def sweep(self):
        """Run the retention job now, as the worker queues it every
        RETENTION_INTERVAL_S, and wait for it and its file deletions."""
        n = self.stack.sql("INSERT INTO jobs (kind, args) VALUES ('retention', '{}') "
                           "RETURNING id")[0][0]
        wait_for(lambda: self.stack.sql("SELECT state FROM jobs WHERE id = :'v1'", n)
                 == [["completed"]], 30, "the retention run")
        wait_for(lambda: self.stack.sql("SELECT count(*) FROM jobs WHERE kind = "
                                        "'erase_files' AND state <> 'completed'") == [["0"]],
                 30, "file deletions")

    def erased(self, uid):
        return self.stack.sql("SELECT name, email, phone_number, erased_at IS NOT NULL, "
                              "is_active FROM users WHERE id = :'v1'", uid)[0]

    def test_0_the_worker_sweeps_on_its_own(self):
        wait_for(lambda: int(self.stack.sql("SELECT count(*) FROM jobs WHERE kind = "
                                            "'retention' AND state = 'completed'")[0][0]) >= 2,
                 30, "two sweeps queued by the worker")
        # At most one waits or runs at a time.
        self.assertLessEqual(int(self.stack.sql(
            "SELECT count(*) FROM jobs WHERE kind = 'retention' AND state IN "
            "('available', 'running')")[0][0]), 1)

    def test_a_registration_records_consent(self):
        ev = self.event("Consent drive")
        cand, r = self.register(ev, consent=False)
        self.assertError(r, 400, field="consent")
        self.assertEqual(self.stack.sql("SELECT count(*) FROM registrations WHERE "
                                        "event_id = :'v1'", ev), [["0"]])
        cand, r = self.register(ev, cand)
        self.assertStatus(r, 201)
        self.assertEqual(self.stack.sql("SELECT consent_at IS NOT NULL, consent_source FROM "
                                        "registrations WHERE id = :'v1'",
                                        r.json["registration_id"]), [["t", "registration"]])
        # Just signed in: erasing needs nothing more.
        fresh = self.stack.make_user()
        self.assertStatus(self.stack.http("DELETE", UD + "/me/", token=fresh["access_token"]),
                          200)
        self.assertEqual(self.erased(fresh["user"]["id"])[3], "t")

    def test_b_bulk_upload_confirms_or_is_purged(self):
        ev = self.event("Bulk drive")
        people = [("Kavya Rao", "kavya.rao.%d@example.com" % os.getpid(), "+91 9811100001"),
                  ("Rohan Das", "rohan.das.%d@example.com" % os.getpid(), "+91 9811100002")]
        r = self.stack.http("POST", EV + "/event-resumes/", {"event_id": ev, "resumes": [
            {"file_name": "%d.pdf" % i, "content_base64": b64(resume_pdf(*p))}
            for i, p in enumerate(people)]}, token=self.hr["access_token"])
        self.assertStatus(r, 201)

        def mail(addr):
            return [m for e, m, _ in smtp_messages(self.stack) if addr in e["rcpt_tos"]]
        for _, addr, _ in people:
            wait_for(lambda: mail(addr), 60, "invitation to " + addr)
        text = mail(people[0][1])[0].get_body(("plain",)).get_content()
        self.assertIn("deleted after 7 days", text)
        token = re.search(r"/consent/([0-9]+\.[A-Za-z0-9_-]+)/", text).group(1)
        self.assertError(self.stack.http("POST", UD + "/consent/", {"token": token + "x"}), 404)
        r = self.stack.http("POST", UD + "/consent/", {"token": token})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["event_title"], "Bulk drive")
        rows = dict(self.stack.sql(
            "SELECT u.email, coalesce(g.consent_source, '-') FROM registrations g JOIN users u "
            "ON u.id = g.user_id WHERE g.event_id = :'v1'", ev))
        self.assertEqual(rows, {people[0][1]: "invitation", people[1][1]: "-"})
        # Not yet due: nothing happens.  Then 8 days later: the one who
        # never confirmed is erased, with their resume.
        self.sweep()
        uid = self.stack.sql("SELECT id FROM users WHERE email = :'v1'", people[1][1])[0][0]
        keys = self.keys_of(uid)
        self.assertTrue(keys and all(self.stored(k) for k in keys))
        self.assertFalse(self.erased(uid)[3] == "t")
        self.stack.sql("UPDATE registrations SET created_at = now() - interval '8 days' "
                       "WHERE event_id = :'v1'", ev)
        before = self.analytics(ev)
        self.sweep()
        name, email, phone, gone, active = self.erased(uid)
        self.assertEqual((name, gone, active), ("Erased candidate", "t", "f"))
        self.assertNotIn("rohan", email.lower())
        self.assertFalse(any(self.stored(k) for k in keys))
        self.assertEqual(self.keys_of(uid), [])
        self.assertEqual(self.stack.sql("SELECT count(*) FROM mail_outbox WHERE to_addr = :'v1' "
                                        "OR vars::text LIKE '%Rohan%'", people[1][1]), [["0"]])
        kept = self.stack.sql("SELECT name FROM users WHERE email = :'v1'", people[0][1])
        self.assertEqual(kept, [["Kavya Rao"]])
        self.assertEqual(self.analytics(ev), before)

    def test_c_retention_after_the_event_closed(self):
        ev = self.event("Old drive")
        cand, r = self.register(ev)
        self.assertStatus(r, 201)
        uid = cand["user"]["id"]
        wait_for(lambda: self.keys_of(uid), 30, "stored resume")
        keys = self.keys_of(uid)
        before = self.analytics(ev)
        self.stack.sql("UPDATE events SET status = 'Inactive' WHERE id = :'v1'", ev)
        self.sweep()
        self.assertEqual(self.erased(uid)[3], "f")        # closed, not for long
        self.stack.sql("UPDATE events SET updated_at = now() - interval '31 days' "
                       "WHERE id = :'v1'", ev)
        self.sweep()
        self.assertEqual(self.erased(uid)[3], "t")
        self.assertFalse(any(self.stored(k) for k in keys))
        self.assertEqual(self.analytics(ev), before)

    def test_d_export_then_erase_myself(self):
        ev = self.event("Erase drive")
        cand, r = self.register(ev)
        self.assertStatus(r, 201)
        reg = r.json["registration_id"]
        uid = cand["user"]["id"]
        wait_for(lambda: self.stack.sql("SELECT ats_score IS NOT NULL FROM registrations "
                                        "WHERE id = :'v1'", reg) == [["t"]], 60, "scored")
        self.assertStatus(self.stack.http("POST", UD + "/send-event-mail/",
                                          {"event_id": ev, "audience": "candidates"},
                                          token=self.hr["access_token"]), 202)
        addr = cand["user"]["email"]
        wait_for(lambda: self.stack.sql("SELECT count(*) FROM mail_outbox WHERE to_addr = :'v1' "
                                        "AND status = 'sent'", addr) == [["1"]], 30, "mail")
        r = self.stack.http("GET", UD + "/me/export/", token=cand["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["user"]["email"], addr)
        self.assertEqual([g["registration_id"] for g in r.json["registrations"]], [reg])
        self.assertEqual(r.json["registrations"][0]["consent_source"], "registration")
        self.assertEqual(len(r.json["resumes"]), 1)
        url = r.json["resumes"][0]
        with urllib.request.urlopen(self.stack.base + url if url.startswith("/") else url) as f:
            self.assertTrue(f.read().startswith(b"%PDF"))
        keys = self.keys_of(uid)
        before = self.analytics(ev)
        # A sign-in older than 5 minutes is not enough.
        self.stack.sql("UPDATE otps SET consumed_at = now() - interval '6 minutes' "
                       "WHERE user_id = :'v1'", uid)
        r = self.stack.http("DELETE", UD + "/me/", token=cand["access_token"])
        self.assertError(r, 403, "fresh_sign_in_required")
        self.assertEqual(self.erased(uid)[3], "f")
        # Or a code in the body: a wrong one is refused and counted.
        self.assertStatus(self.stack.http("POST", UD + "/login/send-otp/",
                                          {"phone_number": cand["phone"]}), 200)
        code = self.stack.last_otp(cand["phone"])
        wrong = "%06d" % ((int(code) + 1) % 1000000)
        r = self.stack.http("DELETE", UD + "/me/", {"otp": wrong}, token=cand["access_token"])
        self.assertError(r, 400, "otp_invalid")
        self.assertError(self.stack.http("DELETE", UD + "/me/", {"otp": "12x"},
                                         token=cand["access_token"]), 400, field="otp")
        self.assertEqual(self.erased(uid)[3], "f")
        fresh = cand
        r = self.stack.http("DELETE", UD + "/me/", {"otp": code}, token=cand["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["files"], len(keys))
        name, email, phone, gone, active = self.erased(uid)
        self.assertEqual((name, gone), ("Erased candidate", "t"))
        self.assertNotIn(cand["phone"], phone)
        self.assertError(self.stack.http("GET", UD + "/me/", token=fresh["access_token"]), 401)
        wait_for(lambda: not any(self.stored(k) for k in keys), 30, "files deleted")
        self.assertEqual(self.stack.sql("SELECT resume_key IS NULL, ats_result IS NULL, "
                                        "ats_score IS NOT NULL, status FROM registrations "
                                        "WHERE id = :'v1'", reg), [["t", "t", "t", "applied"]])
        self.assertEqual(self.stack.sql("SELECT count(*) FROM mail_outbox WHERE to_addr = :'v1' "
                                        "OR (vars::text <> '{}' AND to_addr LIKE 'erased-%')",
                                        addr), [["0"]])
        self.assertEqual(self.stack.sql("SELECT count(*) FROM idempotency_keys WHERE "
                                        "user_id = :'v1'", uid), [["0"]])
        self.assertEqual(self.analytics(ev), before)
        # Staff are not erased this way.
        self.assertError(self.stack.http("DELETE", UD + "/me/", token=self.hr2["access_token"]),
                         403)

    def test_e_the_events_hr_erases_a_candidate(self):
        ev = self.event("HR erase drive")
        cand, r = self.register(ev)
        self.assertStatus(r, 201)
        reg = r.json["registration_id"]
        before = self.analytics(ev)
        for tok, code in ((self.hr2, 403), (cand, 403)):
            self.assertError(self.stack.http("DELETE", EV + "/candidate-data/",
                                             {"registration_id": reg},
                                             token=tok["access_token"]), code)
        self.assertError(self.stack.http("DELETE", EV + "/candidate-data/",
                                         {"registration_id": 99999999},
                                         token=self.hr["access_token"]), 404)
        self.assertError(self.stack.http("DELETE", EV + "/candidate-data/",
                                         {"registration_id": "x"},
                                         token=self.hr["access_token"]), 400)
        self.assertEqual(self.erased(cand["user"]["id"])[3], "f")
        r = self.stack.http("DELETE", EV + "/candidate-data/", {"registration_id": reg},
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(self.erased(cand["user"]["id"])[3], "t")
        self.assertEqual(self.analytics(ev), before)


if __name__ == "__main__":
    main()
