"""Who may see and change what: resume matching, personal data, the
organisation admin and event owners, tokens that end with logout,
enumeration and abuse limits, and the edges of JSON input."""
import base64
import json
import os
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SRC, Stack, TestCase, main, start_smtp, wait_for  # noqa: E402
import pdfgen  # noqa: E402

EV = "/bulk_hiring/event/v1"
UD = "/bulk_hiring/user_data/v1"


def b64(data):
    return base64.b64encode(data).decode()


def resume_pdf(name, email, phone, skills):
    return pdfgen.make_pdf([[name, "Email: %s  |  Phone: %s" % (email, phone), "",
                             "SKILLS", ", ".join(skills), "",
                             "EXPERIENCE", "Engineer, Acme Systems (2019 - Present)", "",
                             "EDUCATION", "B.Tech Computer Science"]])


class Access(TestCase):
    stack_args = {"worker": True, "before": start_smtp,
                  "env": {"OTP_RATE_IP": "10000", "OTP_RATE_PHONE": "3",
                          "JOB_POLL_MS": "200"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.stack
        cls.admin = s.make_admin()
        cls.hr = s.make_user("Hr")
        cls.hr2 = s.make_user("Hr")
        cls.iv1 = s.make_user("Interviewer")
        cls.iv2 = s.make_user("Interviewer")

    def event(self, token=None, **kw):
        b = {"title": "Backend Engineer", "department": "Engineering",
             "description": "Build services in C and PostgreSQL.\nOn Linux.",
             "skills": {"required": ["C", "PostgreSQL", "Linux"], "preferred": ["nginx"]},
             "min_experience": 1, "max_experience": 9, "status": "Active",
             "rounds": [{"name": "Technical", "interviewers": [self.iv1["user"]["id"]],
                         "questions": [{"text": "Explain MVCC."}]},
                        {"name": "Design", "interviewers": [self.iv2["user"]["id"]],
                         "questions": [{"text": "Design a queue."}]}]}
        b.update(kw)
        r = self.stack.http("POST", EV + "/event/", b, token=token or self.hr["access_token"])
        self.assertStatus(r, 201)
        return r.json

    def register(self, cand, ev):
        pdf, _ = pdfgen.resume(hash(cand["phone"]) % 100000)
        r = self.stack.http("POST", EV + "/event-register/",
                            {"event_id": ev, "resume": {"file_name": "cv.pdf",
                                                        "content_base64": b64(pdf)}},
                            token=cand["access_token"])
        self.assertStatus(r, 201)
        return r.json["registration_id"]

    def me(self, tok):
        return self.stack.http("GET", UD + "/me/", token=tok["access_token"])

    # --- A: resume matching -----------------------------------------------
    def wait_tracks(self, ev, n):
        def done():
            rows = self.stack.sql("SELECT count(*) FROM resume_tracks WHERE event_id = :'v1' "
                                  "AND status IN ('scored', 'failed', 'flagged')", ev)
            return int(rows[0][0]) == n
        wait_for(done, 120, "tracks of event %s" % ev)

    def test_a_second_resume_never_overwrites_a_registration(self):
        first = resume_pdf("Meera Iyer", "meera.iyer@example.com", "+91 9800011111",
                           ["C", "PostgreSQL", "Linux", "nginx"])
        ev = self.event(resumes=[{"file_name": "meera.pdf", "content_base64": b64(first)}])
        ev = ev["event_id"]
        self.wait_tracks(ev, 1)
        (reg, score, key, result), = self.stack.sql(
            "SELECT g.id, g.ats_score, g.resume_key, g.ats_result::text FROM registrations g "
            "JOIN users u ON u.id = g.user_id WHERE g.event_id = :'v1' "
            "AND u.email = 'meera.iyer@example.com'", ev)
        self.assertEqual(self.stack.sql("SELECT match_reason FROM resume_tracks "
                                        "WHERE event_id = :'v1'", ev), [["new"]])
        # Another candidate's resume that happens to carry Meera's email.
        other = resume_pdf("Someone Else", "meera.iyer@example.com", "+91 9800022222",
                           ["Cobol"])
        r = self.stack.http("POST", EV + "/event-resumes/",
                            {"event_id": ev, "resumes": [{"file_name": "other.pdf",
                                                          "content_base64": b64(other)}]},
                            token=self.hr["access_token"])
        self.assertStatus(r, 201)
        self.wait_tracks(ev, 2)
        self.assertEqual(self.stack.sql(
            "SELECT g.id, g.ats_score, g.resume_key, g.ats_result::text FROM registrations g "
            "WHERE g.event_id = :'v1'", ev), [[reg, score, key, result]])
        rows = self.stack.sql(
            "SELECT t.status, t.match_reason, d.reason, d.registration_id, t.ats_score IS NOT NULL "
            "FROM resume_tracks t JOIN resume_duplicates d ON d.track_id = t.id "
            "WHERE t.event_id = :'v1'", ev)
        self.assertEqual(rows, [["flagged", "email", "email", reg, "t"]])

    def test_a_resume_never_attaches_to_staff(self):
        hr_email = self.stack.sql("SELECT email FROM users WHERE id = :'v1'",
                                  self.hr["user"]["id"])[0][0]
        pdf = resume_pdf("Not HR", hr_email, "+91 9800033333", ["C", "Linux"])
        ev = self.event(resumes=[{"file_name": "hr.pdf", "content_base64": b64(pdf)}])["event_id"]
        self.wait_tracks(ev, 1)
        self.assertEqual(self.stack.sql("SELECT count(*) FROM registrations WHERE event_id = :'v1'",
                                        ev), [["0"]])
        self.assertEqual(self.stack.sql("SELECT user_type FROM users WHERE id = :'v1'",
                                        self.hr["user"]["id"]), [["Hr"]])
        self.assertEqual(self.stack.sql(
            "SELECT t.status, t.match_reason, d.reason FROM resume_tracks t JOIN "
            "resume_duplicates d ON d.track_id = t.id WHERE t.event_id = :'v1'", ev),
            [["flagged", "staff", "staff"]])

    # --- B: personal data ---------------------------------------------------
    def test_b_usernames_are_not_phone_digits(self):
        for t in (self.hr, self.iv1, self.stack.make_user()):
            digits = t["phone"].lstrip("+")
            self.assertNotIn(digits[-8:], t["user"]["username"])

    def test_b_candidates_see_no_questions_or_interviewer_usernames(self):
        ev = self.event()["event_id"]
        cand = self.stack.make_user()
        for path in ("/event-detail/?event_id=%d" % ev, "/event/?page_size=100"):
            r = self.stack.http("GET", EV + path, token=cand["access_token"])
            self.assertStatus(r, 200)
            doc = r.json if "results" not in r.json else \
                [e for e in r.json["results"] if e["event_id"] == ev][0]
            self.assertTrue(doc["rounds"])
            for ro in doc["rounds"]:
                self.assertNotIn("questions", ro)
                for i in ro["interviewers"]:
                    self.assertEqual(set(i), {"id", "name"})
        r = self.stack.http("GET", EV + "/event-detail/?event_id=%d" % ev,
                            token=self.iv1["access_token"])
        self.assertEqual(r.json["rounds"][0]["questions"][0]["text"], "Explain MVCC.")

    def test_b_interviewers_see_their_rounds_candidates_only(self):
        made = self.event()
        ev = made["event_id"]
        r1, r2 = [ro["round_id"] for ro in made["rounds"]]
        a, b = self.stack.make_user(), self.stack.make_user()
        ra, rb = self.register(a, ev), self.register(b, ev)
        self.stack.sql("UPDATE registrations SET current_round_id = :'v1', status = 'selected' "
                       "WHERE id = :'v2'", r1, ra)
        self.stack.sql("UPDATE registrations SET current_round_id = :'v1', status = 'selected' "
                       "WHERE id = :'v2'", r2, rb)
        for path in ("/register_user/?event_id=%d" % ev, "/all-selected-users/?event_id=%d" % ev):
            got = self.stack.http("GET", EV + path, token=self.iv1["access_token"])
            self.assertStatus(got, 200)
            self.assertEqual([x["registration_id"] for x in got.json["results"]], [ra], path)
            got = self.stack.http("GET", EV + path, token=self.hr["access_token"])
            self.assertEqual(sorted(x["registration_id"] for x in got.json["results"]),
                             sorted([ra, rb]), path)

    def test_b_scores_hidden_from_candidates_unless_shown(self):
        ev = self.event()["event_id"]
        cand = self.stack.make_user()
        reg = self.register(cand, ev)
        self.stack.sql("UPDATE registrations SET ats_score = 77, ats_result = "
                       "'{\"evidence\": {\"C\": \"built in C\"}}' WHERE id = :'v1'", reg)

        def mine():
            r = self.stack.http("GET", EV + "/user-event-data/", token=cand["access_token"])
            self.assertStatus(r, 200)
            return [x["registration"] for x in r.json["registrations"]
                    if x["registration"]["registration_id"] == reg][0]
        got = mine()
        self.assertNotIn("ats_score", got)
        self.assertNotIn("ats_result", got)
        r = self.stack.http("PATCH", EV + "/event/", {"event_id": ev, "show_scores": True},
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(float(mine()["ats_score"]), 77.0)

    def test_b_invite_mail_has_no_score(self):
        for ext in ("txt", "html", "subject"):
            with open(os.path.join(SRC, "templates", "candidate_invite." + ext)) as f:
                text = f.read()
            self.assertNotIn("ats_score", text)
            self.assertNotIn("evidence", text)

    # --- C: the admin and event owners --------------------------------------
    def test_c_only_the_admin_manages_staff(self):
        cand = self.stack.make_user()
        for body in ({"user_id": self.hr["user"]["id"], "user_type": "Interviewee"},
                     {"user_id": cand["user"]["id"], "user_type": "Hr"},
                     {"user_id": cand["user"]["id"], "is_active": False}):
            r = self.stack.http("PATCH", UD + "/fetch-user/", body, token=self.hr2["access_token"])
            self.assertError(r, 403, "forbidden")
        r = self.stack.http("POST", UD + "/register-interviewer/",
                            {"name": "Iv X", "phone_number": "+919700000001",
                             "email": "ivx@example.com"}, token=self.hr2["access_token"])
        self.assertError(r, 403, "forbidden")
        self.assertEqual(self.stack.sql("SELECT user_type FROM users WHERE id = :'v1'",
                                        cand["user"]["id"]), [["Interviewee"]])
        r = self.stack.http("PATCH", UD + "/fetch-user/",
                            {"user_id": cand["user"]["id"], "user_type": "Interviewer"},
                            token=self.admin["access_token"])
        self.assertStatus(r, 200)

    def test_c_hr_lists_only_its_events_candidates(self):
        ev = self.event()["event_id"]
        mine = self.stack.make_user()
        self.register(mine, ev)
        loner = self.stack.make_user()

        def ids(tok, q="user_type=Interviewee"):
            out, url = [], UD + "/user-data/?page_size=100&" + q
            while url:
                r = self.stack.http("GET", url, token=tok["access_token"])
                self.assertStatus(r, 200)
                out += [u["id"] for u in r.json["results"]]
                url = r.json["next"] and r.json["next"][r.json["next"].index("/bulk_hiring"):]
            return out
        got = ids(self.hr)
        self.assertIn(mine["user"]["id"], got)
        self.assertNotIn(loner["user"]["id"], got)
        self.assertNotIn(mine["user"]["id"], ids(self.hr2))
        self.assertNotIn(mine["user"]["id"], ids(self.hr2, ""))
        self.assertIn(loner["user"]["id"], ids(self.admin))
        self.assertIn(self.iv1["user"]["id"], ids(self.hr2, "user_type=Interviewer"))

    def test_c_event_owners(self):
        ev = self.event()["event_id"]
        detail = EV + "/register_user/?event_id=%d" % ev
        self.assertError(self.stack.http("GET", detail, token=self.hr2["access_token"]), 403)
        body = {"event_id": ev, "user_id": self.hr2["user"]["id"]}
        r = self.stack.http("POST", EV + "/event-owner/", body, token=self.hr2["access_token"])
        self.assertError(r, 403)
        r = self.stack.http("POST", EV + "/event-owner/", body, token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["owners"], sorted([self.hr["user"]["id"], self.hr2["user"]["id"]]))
        self.assertStatus(self.stack.http("GET", detail, token=self.hr2["access_token"]), 200)
        r = self.stack.http("POST", EV + "/event-owner/",
                            {"event_id": ev, "user_id": self.iv1["user"]["id"]},
                            token=self.hr["access_token"])
        self.assertError(r, 409)
        r = self.stack.http("DELETE", EV + "/event-owner/", body, token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertError(self.stack.http("GET", detail, token=self.hr2["access_token"]), 403)
        r = self.stack.http("DELETE", EV + "/event-owner/",
                            {"event_id": ev, "user_id": self.hr["user"]["id"]},
                            token=self.hr["access_token"])
        self.assertError(r, 409)

    # --- D: tokens end with logout, deactivation, deletion, role change -------
    def test_d_logout_ends_access_tokens(self):
        t = self.stack.make_user()
        self.assertStatus(self.me(t), 200)
        r = self.stack.http("POST", UD + "/logout/", {"refresh_token": t["refresh_token"]})
        self.assertStatus(r, 204)
        self.assertError(self.me(t), 401, "not_authenticated")

    def test_d_deactivation_and_role_change_end_tokens(self):
        a, b = self.stack.make_user(), self.stack.make_user()
        r = self.stack.http("PATCH", UD + "/fetch-user/",
                            {"user_id": a["user"]["id"], "is_active": False},
                            token=self.admin["access_token"])
        self.assertStatus(r, 200)
        self.assertFalse(r.json["is_active"])
        self.assertError(self.me(a), 401)
        r = self.stack.http("POST", UD + "/token/refresh/", {"refresh_token": a["refresh_token"]})
        self.assertError(r, 401)
        r = self.stack.http("PATCH", UD + "/fetch-user/",
                            {"user_id": b["user"]["id"], "user_type": "Interviewer"},
                            token=self.admin["access_token"])
        self.assertStatus(r, 200)
        self.assertError(self.me(b), 401)
        # A change straight in the database is seen too (NOTIFY).
        c = self.stack.make_user()
        self.assertStatus(self.me(c), 200)
        self.stack.sql("UPDATE users SET is_active = false WHERE id = :'v1'", c["user"]["id"])
        self.assertError(self.me(c), 401)

    def test_d_deletion_ends_tokens(self):
        t = self.stack.make_user()
        self.assertStatus(self.me(t), 200)
        self.stack.sql("DELETE FROM users WHERE id = :'v1'", t["user"]["id"])
        self.assertError(self.me(t), 401, "not_authenticated")

    # --- E: enumeration and abuse --------------------------------------------
    def test_e_send_otp_same_for_unknown_phones(self):
        known = self.stack.make_user()["phone"]
        unknown = "+919555500001"
        a = self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": known})
        b = self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": unknown})
        self.assertStatus(a, 200)
        self.assertStatus(b, 200)
        self.assertEqual(a.json, b.json)
        # Limited alike: OTP_RATE_PHONE is 3 (the known one used one at signup).
        for _ in range(2):
            self.assertStatus(self.stack.http("POST", UD + "/login/send-otp/",
                                              {"phone_number": unknown}), 200)
        x = self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": unknown})
        self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": known})
        y = self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": known})
        self.assertError(x, 429)
        self.assertError(y, 429)
        self.assertEqual(set(x.json["error"]), set(y.json["error"]))
        # No code works for an unknown phone.
        r = self.stack.http("POST", UD + "/login/verify-otp/",
                            {"phone_number": unknown, "otp": "123456"})
        self.assertError(r, 400, "otp_invalid")

    # --- F: the edges of JSON input ------------------------------------------
    def test_f_nul_and_control_characters_refused(self):
        before = self.stack.sql("SELECT count(*) FROM users")
        for name in ("ab\u0000cd", "ab\ncd", "ab\rcd", "ab\u0007cd"):
            r = self.stack.http("POST", UD + "/signup/",
                                {"name": name, "phone_number": "+919444400001",
                                 "email": "nul@example.com", "user_type": "Interviewee"})
            self.assertError(r, 400, "validation_failed", "name")
        self.assertEqual(self.stack.sql("SELECT count(*) FROM users"), before)
        r = self.stack.http("POST", EV + "/skills/", {"name": "Go\u0000lang"},
                            token=self.hr["access_token"])
        self.assertError(r, 400, "validation_failed", "name")
        for patch, field in (({"skills": {"required": ["C\u0000x"]}}, "skills.required"),
                             ({"title": "Backend\nEngineer"}, "title")):
            b = {"title": "T", "department": "Engineering", "rounds": []}
            b.update(patch)
            r = self.stack.http("POST", EV + "/event/", b, token=self.hr["access_token"])
            self.assertError(r, 400, "validation_failed")
        # Multi-line text stays allowed where it makes sense.
        ev = self.event()["event_id"]
        r = self.stack.http("GET", EV + "/event-detail/?event_id=%d" % ev,
                            token=self.hr["access_token"])
        self.assertIn("\n", r.json["description"])

    def test_f_strict_integer_types(self):
        ev = self.event()["event_id"]
        r = self.stack.http("POST", EV + "/event-rescore/", {"event_id": str(ev)},
                            token=self.hr["access_token"])
        self.assertError(r, 400, "validation_failed", "event_id")
        r = self.stack.http("POST", EV + "/event-rescore/", {"event_id": ev},
                            token=self.hr["access_token"])
        self.assertStatus(r, 202)

    def test_f_page_links_ignore_request_headers(self):
        for _ in range(2):
            self.stack.make_user("Interviewer")
        r = self.stack.http("GET", UD + "/user-data/?user_type=Interviewer&page_size=1",
                            token=self.hr["access_token"],
                            headers={"Host": "evil.example", "X-Forwarded-Proto": "gopher"})
        self.assertStatus(r, 200)
        self.assertTrue(r.json["next"].startswith(self.stack.env["PUBLIC_URL"] + "/bulk_hiring/"),
                        r.json["next"])


class SignupLimit(TestCase):
    stack_args = {"fcgi_workers": 1, "env": {"SIGNUP_RATE_IP": "3"}}

    def test_e_signup_rate_limited_per_address(self):
        got = []
        for i in range(5):
            r = self.stack.http("POST", UD + "/signup/",
                                {"name": "Burst %d" % i, "phone_number": "+91933330000%d" % i,
                                 "email": "burst%d@example.com" % i,
                                 "user_type": "Interviewee"})
            got.append(r.status)
        self.assertEqual(got, [201, 201, 201, 429, 429])
        self.assertError(r, 429)
        self.assertGreater(int(r.headers["Retry-After"]), 0)


if __name__ == "__main__":
    main()
