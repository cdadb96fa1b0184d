"""Hiring events over REST through nginx: events with rounds and resumes,
registrations, shortlisting, tracks, downloads and HR's counts."""
import base64
import datetime
import hashlib
import os
import re
import sys
import threading
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TestCase, main, wait_for  # noqa: E402
import pdfgen  # noqa: E402

EV = "/bulk_hiring/event/v1"
UD = "/bulk_hiring/user_data/v1"


def b64(data):
    return base64.b64encode(data).decode()


class Events(TestCase):
    stack_args = {"env": {"RESUME_MAX_BYTES": "200000", "OTP_RATE_IP": "1000"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.stack
        cls.hr = s.make_user("Hr")
        cls.hr2 = s.make_user("Hr")
        cls.iv1 = s.make_user("Interviewer")
        cls.iv2 = s.make_user("Interviewer")
        cls.cand = s.make_user("Interviewee")
        cls.cand2 = s.make_user("Interviewee")

    def body(self, **kw):
        b = {"title": "Backend Engineer", "department": "Engineering",
             "description": "Build the hiring platform in C.",
             "skills": {"required": ["C", "PostgreSQL"], "preferred": ["nginx"]},
             "min_experience": 2, "max_experience": 6, "location": "Pune",
             "employment_type": "Full-time", "openings": 3, "start_date": "2026-12-01",
             "end_date": "2026-12-05", "status": "Active",
             "rounds": [{"name": "Technical", "interviewers": [self.iv1["user"]["id"]],
                         "questions": [{"text": "Explain MVCC."}, "What is a lease?"]},
                        {"name": "HR", "interviewers": [self.iv2["user"]["id"]],
                         "questions": []}]}
        b.update(kw)
        return b

    def create(self, token=None, **kw):
        return self.stack.http("POST", EV + "/event/", self.body(**kw),
                               token=token or self.hr["access_token"])

    def test_create_with_resumes(self):
        good, _ = pdfgen.resume(11)
        good2, _ = pdfgen.resume(12)
        resumes = [{"file_name": "a.pdf", "content_base64": b64(good)},
                   {"file_name": "b.pdf", "content_base64": b64(b"hello, not a pdf")},
                   {"file_name": "c.pdf", "content_base64": "@@not base64@@"},
                   {"file_name": "d.pdf", "content_base64": b64(good2)},
                   {"file_name": "dup.pdf", "content_base64": b64(good)},
                   {"file_name": "big.pdf", "content_base64": b64(b"%PDF-" + b"x" * 300000)}]
        r = self.create(resumes=resumes)
        self.assertStatus(r, 201)
        ev = r.json["event_id"]
        self.assertEqual([x["name"] for x in r.json["rounds"]], ["Technical", "HR"])
        res = r.json["resumes"]
        self.assertEqual(res[1], {"file_name": "b.pdf", "error": "not a PDF"})
        self.assertIn("base64", res[2]["error"])
        self.assertIn("size", res[5]["error"])
        queued = [x for x in res if x.get("status") == "queued"]
        self.assertEqual([x["file_name"] for x in queued], ["a.pdf", "d.pdf", "dup.pdf"])
        # Stored once per content, bytes intact.
        key = "resumes/%s.pdf" % hashlib.sha256(good).hexdigest()
        with open(os.path.join(self.stack.env["STORAGE_DIR"], key), "rb") as f:
            self.assertEqual(f.read(), good)
        rows = self.stack.sql("SELECT storage_key, status FROM resume_tracks WHERE event_id = :'v1' "
                              "ORDER BY id", ev)
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0][0], rows[2][0])
        # One job per queued file, in the same transaction.
        jobs = self.stack.sql("SELECT args->>'track_id' FROM jobs WHERE kind = 'resume' AND "
                              "(args->>'track_id')::bigint IN (SELECT id FROM resume_tracks "
                              "WHERE event_id = :'v1')", ev)
        self.assertEqual(len(jobs), 3)
        # Tracks as HR sees them.
        r = self.stack.http("GET", EV + "/resume-processing-track/?event_id=%d" % ev,
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["count"], 3)
        self.assertEqual({t["status"] for t in r.json["results"]}, {"queued"})
        r = self.stack.http("GET", EV + "/resume-processing-track/?event_id=%d" % ev,
                            token=self.hr2["access_token"])
        self.assertError(r, 403)

    def test_validation_writes_nothing(self):
        before = self.stack.sql("SELECT count(*) FROM events")[0][0]
        cases = [({"title": ""}, "title"), ({"department": None}, "department"),
                 ({"department": "Engi\nneering"}, "department"),
                 ({"min_experience": 5, "max_experience": 2}, "max_experience"),
                 ({"min_experience": -1}, "min_experience"),
                 ({"openings": 0}, "openings"), ({"start_date": "2026-02-30"}, "start_date"),
                 ({"start_date": "2026-12-05", "end_date": "2026-12-01"}, "end_date"),
                 ({"status": "Open"}, "status"),
                 ({"skills": {"required": "C"}}, "skills.required"),
                 ({"rounds": [{"name": ""}]}, "rounds[0].name"),
                 ({"rounds": [{"name": "X", "interviewers": ["a"]}]}, "rounds[0].interviewers"),
                 ({"rounds": [{"name": "X", "interviewers": [self.cand["user"]["id"]]}]}, "rounds"),
                 ({"rounds": [{"name": "X", "interviewers": [999999]}]}, "rounds"),
                 ({"rounds": [{"name": "X", "questions": [{"text": ""}]}]}, "rounds[0].questions"),
                 ({"resumes": "x"}, "resumes")]
        for patch, field in cases:
            r = self.create(**patch)
            self.assertError(r, 400, "validation_failed", field)
        self.assertEqual(self.stack.sql("SELECT count(*) FROM events")[0][0], before)

    def test_every_interviewer_checked(self):
        # The most rounds and interviewers an event takes, with long ids
        # that are nobody's: the one 400 names rounds, nothing written.
        before = self.stack.sql("SELECT count(*) FROM events")[0][0]
        rounds = [{"name": "R%d" % i,
                   "interviewers": [10 ** 17 + 50 * i + j for j in range(50)]}
                  for i in range(20)]
        r = self.create(rounds=rounds)
        self.assertError(r, 400, "validation_failed", "rounds")
        self.assertIn("active Interviewer or Hr", r.json["error"]["fields"]["rounds"])
        self.assertEqual(self.stack.sql("SELECT count(*) FROM events")[0][0], before)

    def test_roles(self):
        for who in (self.iv1, self.cand):
            self.assertError(self.create(token=who["access_token"]), 403)
        ev = self.create().json["event_id"]
        r = self.stack.http("PATCH", EV + "/event/", {"event_id": ev, "status": "Inactive"},
                            token=self.hr2["access_token"])
        self.assertError(r, 403)
        r = self.stack.http("GET", EV + "/register_user/?event_id=%d" % ev,
                            token=self.hr2["access_token"])
        self.assertError(r, 403)
        r = self.stack.http("GET", EV + "/register_user/?event_id=%d" % ev,
                            token=self.cand["access_token"])
        self.assertError(r, 403)
        r = self.stack.http("GET", EV + "/register_user/?event_id=%d" % ev,
                            token=self.iv1["access_token"])
        self.assertStatus(r, 200)
        r = self.stack.http("GET", EV + "/event-detail/?event_id=999999",
                            token=self.hr["access_token"])
        self.assertError(r, 404)

    def test_list_detail_and_status(self):
        ev = self.create(title="Data Engineer", status="Pending").json["event_id"]
        r = self.stack.http("GET", EV + "/event/?status=Pending", token=self.hr["access_token"])
        self.assertStatus(r, 200)
        ids = [e["event_id"] for e in r.json["results"]]
        self.assertIn(ev, ids)
        self.assertEqual(ids, sorted(ids, reverse=True))
        e = [x for x in r.json["results"] if x["event_id"] == ev][0]
        self.assertEqual(e["department"], "Engineering")
        self.assertEqual(e["skills"], {"required": ["C", "PostgreSQL"], "preferred": ["nginx"]})
        self.assertEqual([ro["name"] for ro in e["rounds"]], ["Technical", "HR"])
        self.assertEqual([q["text"] for q in e["rounds"][0]["questions"]],
                         ["Explain MVCC.", "What is a lease?"])
        # Another HR does not see it; a candidate does not see Pending ones.
        r = self.stack.http("GET", EV + "/event/?status=Pending", token=self.hr2["access_token"])
        self.assertNotIn(ev, [x["event_id"] for x in r.json["results"]])
        r = self.stack.http("GET", EV + "/event-detail/?event_id=%d" % ev,
                            token=self.cand["access_token"])
        self.assertError(r, 403)
        # Transitions.
        for to, status in (("Active", 200), ("Pending", 409), ("Inactive", 200), ("Active", 200)):
            r = self.stack.http("PATCH", EV + "/event/", {"event_id": ev, "status": to},
                                token=self.hr["access_token"])
            self.assertStatus(r, status)
        self.assertEqual(self.stack.sql("SELECT status FROM events WHERE id = :'v1'", ev), [["Active"]])
        r = self.stack.http("GET", EV + "/event-detail/?event_id=%d" % ev,
                            token=self.cand["access_token"])
        self.assertStatus(r, 200)
        r = self.stack.http("GET", EV + "/event/?status=Open", token=self.hr["access_token"])
        self.assertError(r, 400, field="status")

    def test_skills_and_departments(self):
        for path in ("/skills/", "/departments/"):
            r = self.stack.http("POST", EV + path, {"name": "Rust " + path.strip("/")},
                                token=self.hr["access_token"])
            self.assertStatus(r, 201)
            r = self.stack.http("POST", EV + path, {"name": "RUST " + path.strip("/")},
                                token=self.hr["access_token"])
            self.assertError(r, 409, field="name")
            r = self.stack.http("POST", EV + path, {"name": "X"}, token=self.cand["access_token"])
            self.assertError(r, 403)
            r = self.stack.http("GET", EV + path + "?page_size=100", token=self.cand["access_token"])
            self.assertStatus(r, 200)
            self.assertIn("Rust " + path.strip("/"), [x["name"] for x in r.json["results"]])

    def test_candidate_path(self):
        ev = self.create(title="SRE").json["event_id"]
        pdf, _ = pdfgen.resume(21)
        reg = {"event_id": ev, "resume": {"file_name": "me.pdf", "content_base64": b64(pdf)}}
        r = self.stack.http("POST", EV + "/event-register/", reg, token=self.cand["access_token"])
        self.assertStatus(r, 201)
        rid = r.json["registration_id"]
        r2 = self.stack.http("POST", EV + "/event-register/", reg, token=self.cand["access_token"])
        self.assertError(r2, 409)
        bad = dict(reg, resume={"file_name": "x.pdf", "content_base64": b64(b"GIF89a")})
        r3 = self.stack.http("POST", EV + "/event-register/", bad, token=self.cand2["access_token"])
        self.assertError(r3, 400, field="resume")
        r3 = self.stack.http("POST", EV + "/event-register/", reg, token=self.hr["access_token"])
        self.assertError(r3, 403)
        self.assertEqual(self.stack.sql("SELECT count(*) FROM registrations WHERE event_id = :'v1'",
                                        ev), [["1"]])
        # HR sees it with a working download link.
        r = self.stack.http("GET", EV + "/register_user/?event_id=%d" % ev,
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        row = r.json["results"][0]
        self.assertEqual(row["registration_id"], rid)
        self.assertIsNone(row["ats_score"])
        url = row["resume_url"]
        with urllib.request.urlopen(self.stack.base + url) as f:
            self.assertEqual(f.read(), pdf)
        tampered = url.replace("sig=", "sig=0")[:-1]
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(self.stack.base + tampered)
        self.assertEqual(cm.exception.code, 403)
        # A link without its expiry is refused alike; a malformed expiry
        # is named in the API's error shape.
        unexpiring = re.sub(r"expires=[^&]*&?", "", url)
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(self.stack.base + unexpiring)
        self.assertEqual(cm.exception.code, 403)
        r = self.stack.http("GET", re.sub(r"expires=[^&]*", "expires=soon", url))
        self.assertError(r, 400, "validation_failed", "expires")
        # Shortlist and unshortlist.
        r = self.stack.http("PATCH", EV + "/modified-shortlisted",
                            {"registration_id": rid, "shortlisted": True},
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual((r.json["status"], r.json["shortlisted"]), ("shortlisted", True))
        r = self.stack.http("PATCH", EV + "/modified-shortlisted/",
                            {"registration_id": rid, "shortlisted": True},
                            token=self.hr2["access_token"])
        self.assertError(r, 403)
        # The candidate's own view.
        r = self.stack.http("GET", EV + "/user-event-data/", token=self.cand["access_token"])
        self.assertStatus(r, 200)
        self.assertIn(rid, [x["registration"]["registration_id"] for x in r.json["registrations"]])
        r = self.stack.http("GET", EV + "/user-event-data/", token=self.iv1["access_token"])
        self.assertIn(ev, [x["event_id"] for x in r.json["interviewing"]])
        # Questions, counts, selection list.
        rounds = self.stack.sql("SELECT id FROM rounds WHERE event_id = :'v1' ORDER BY position", ev)
        r = self.stack.http("GET", EV + "/assessment-questions/?event_id=%d&round_id=%s"
                            % (ev, rounds[0][0]), token=self.iv1["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(len(r.json), 2)
        r = self.stack.http("GET", EV + "/application-count/?event_id=%d" % ev,
                            token=self.hr["access_token"])
        self.assertEqual(r.json["total"], 1)
        self.assertEqual(r.json["by_status"], {"shortlisted": 1})
        r = self.stack.http("GET", EV + "/all-selected-users/?event_id=%d" % ev,
                            token=self.hr["access_token"])
        self.assertEqual(r.json["count"], 0)

    def register(self, ev, user, seed):
        pdf, _ = pdfgen.resume(seed)
        return self.stack.http("POST", EV + "/event-register/",
                               {"event_id": ev, "resume": {"file_name": "r.pdf",
                                                           "content_base64": b64(pdf)}},
                               token=user["access_token"])

    def test_register_only_while_active(self):
        ev = self.create(title="Not Yet Open", status="Pending").json["event_id"]
        u = self.stack.make_user()
        r = self.register(ev, u, 500)
        self.assertError(r, 409, "event_not_open")
        self.assertIn("not take registrations yet", r.json["error"]["message"])
        for table in ("registrations", "resume_tracks"):
            self.assertEqual(self.stack.sql("SELECT count(*) FROM %s WHERE event_id = :'v1'"
                                            % table, ev), [["0"]])
        self.assertStatus(self.stack.http("PATCH", EV + "/event/", {"event_id": ev, "status": "Active"},
                                          token=self.hr["access_token"]), 200)
        self.assertStatus(self.register(ev, u, 500), 201)
        self.assertStatus(self.stack.http("PATCH", EV + "/event/",
                                          {"event_id": ev, "status": "Inactive"},
                                          token=self.hr["access_token"]), 200)
        self.assertError(self.register(ev, self.stack.make_user(), 501), 409, "event_closed")
        self.assertEqual(self.stack.sql("SELECT count(*) FROM registrations WHERE event_id = :'v1'",
                                        ev), [["1"]])

    def test_all_selected_paginated(self):
        ev = self.create(title="Selections").json["event_id"]
        for i in range(5):
            self.assertStatus(self.register(ev, self.stack.make_user(), 510 + i), 201)
        self.assertStatus(self.register(ev, self.stack.make_user(), 520), 201)
        self.stack.sql("UPDATE registrations SET ats_score = 10 + id % 7 * 10, status = 'selected' "
                       "WHERE event_id = :'v1' AND id < (SELECT max(id) FROM registrations "
                       "WHERE event_id = :'v1')", ev)
        want = [int(x[0]) for x in self.stack.sql(
            "SELECT id FROM registrations WHERE event_id = :'v1' AND status = 'selected' "
            "ORDER BY ats_score DESC, id", ev)]
        self.assertEqual(len(want), 5)
        got, url, pages = [], EV + "/all-selected-users/?event_id=%d&page_size=2" % ev, 0
        # The event's HR sees every selection (an interviewer only those of
        # its own rounds: t/test_access.py).
        while url:
            r = self.stack.http("GET", url, token=self.hr["access_token"])
            self.assertStatus(r, 200)
            self.assertEqual(r.json["count"], 5)
            self.assertEqual(set(r.json), {"count", "next", "previous", "results"})
            self.assertLessEqual(len(r.json["results"]), 2)
            self.assertEqual(r.json["previous"] is None, pages == 0)
            got += [x["registration_id"] for x in r.json["results"]]
            pages += 1
            url = r.json["next"]
            if url:
                url = url[url.index("/bulk_hiring/"):]
        self.assertEqual(pages, 3)
        self.assertEqual(got, want)
        r = self.stack.http("GET", EV + "/all-selected-users/?event_id=%d&page=3&page_size=2" % ev,
                            token=self.hr["access_token"])
        self.assertEqual([x["registration_id"] for x in r.json["results"]], want[4:])
        self.assertIsNone(r.json["next"])
        for q in ("page=0", "page=x", "page_size=1000"):
            r = self.stack.http("GET", EV + "/all-selected-users/?event_id=%d&%s" % (ev, q),
                                token=self.hr["access_token"])
            self.assertError(r, 400, "validation_failed")

    def test_rolled_back_uploads_leave_no_files(self):
        """What an upload stored is deleted when its transaction rolls back,
        unless a committed row names the same bytes."""
        shared, _ = pdfgen.resume(530)
        lone = [pdfgen.resume(531 + i)[0] for i in range(3)]
        ev = self.create(resumes=[{"file_name": "s.pdf", "content_base64": b64(shared)}]).json["event_id"]

        def path(pdf):
            return os.path.join(self.stack.env["STORAGE_DIR"],
                                "resumes/%s.pdf" % hashlib.sha256(pdf).hexdigest())
        before = self.stack.sql("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM "
                                "resume_tracks), (SELECT count(*) FROM registrations)")
        self.stack.sql("CREATE FUNCTION t_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                       "IF NEW.file_name = 'boom.pdf' THEN RAISE EXCEPTION 'injected'; END IF; "
                       "RETURN NEW; END $$; CREATE TRIGGER t_boom BEFORE INSERT ON resume_tracks "
                       "FOR EACH ROW EXECUTE FUNCTION t_boom()")
        try:
            r = self.create(title="Rolled Back", resumes=[
                {"file_name": "s.pdf", "content_base64": b64(shared)},
                {"file_name": "boom.pdf", "content_base64": b64(lone[0])}])
            self.assertError(r, 500, "internal_error")
            r = self.stack.http("POST", EV + "/event-resumes/", {"event_id": ev, "resumes": [
                {"file_name": "boom.pdf", "content_base64": b64(lone[1])}]},
                token=self.hr["access_token"])
            self.assertError(r, 500, "internal_error")
            r = self.stack.http("POST", EV + "/event-register/", {"event_id": ev, "resume": {
                "file_name": "boom.pdf", "content_base64": b64(lone[2])}},
                token=self.stack.make_user()["access_token"])
            self.assertError(r, 500, "internal_error")
        finally:
            self.stack.sql("DROP FUNCTION t_boom() CASCADE")
        self.assertEqual(self.stack.sql("SELECT (SELECT count(*) FROM events), (SELECT count(*) "
                                        "FROM resume_tracks), (SELECT count(*) FROM "
                                        "registrations)"), before)
        for pdf in lone:
            self.assertFalse(os.path.exists(path(pdf)))
        with open(path(shared), "rb") as f:
            self.assertEqual(f.read(), shared)

    def test_upload_in_flight_keeps_shared_bytes(self):
        """A rolled back upload does not delete bytes that another upload,
        not yet committed, stored too."""
        pdf, _ = pdfgen.resume(540)
        path = os.path.join(self.stack.env["STORAGE_DIR"],
                            "resumes/%s.pdf" % hashlib.sha256(pdf).hexdigest())
        ev = self.create().json["event_id"]
        self.stack.sql("CREATE FUNCTION t_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                       "IF NEW.file_name = 'slow.pdf' THEN PERFORM pg_sleep(2); END IF; "
                       "IF NEW.file_name = 'boom.pdf' THEN RAISE EXCEPTION 'injected'; END IF; "
                       "RETURN NEW; END $$; CREATE TRIGGER t_slow BEFORE INSERT ON resume_tracks "
                       "FOR EACH ROW EXECUTE FUNCTION t_slow()")
        out = {}

        def slow():
            out["r"] = self.stack.http("POST", EV + "/event-resumes/", {"event_id": ev, "resumes": [
                {"file_name": "slow.pdf", "content_base64": b64(pdf)}]},
                token=self.hr["access_token"])
        t = threading.Thread(target=slow)
        t.start()
        try:
            wait_for(lambda: self.stack.sql("SELECT count(*) FROM pg_stat_activity WHERE "
                                            "wait_event = 'PgSleep'") == [["1"]], 10, "slow upload")
            r = self.stack.http("POST", EV + "/event-resumes/", {"event_id": ev, "resumes": [
                {"file_name": "boom.pdf", "content_base64": b64(pdf)}]},
                token=self.hr["access_token"])
            self.assertError(r, 500, "internal_error")
            self.assertTrue(os.path.exists(path))
        finally:
            t.join(30)
            self.stack.sql("DROP FUNCTION t_slow() CASCADE")
        self.assertStatus(out["r"], 201)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), pdf)

    def test_register_user_filters_and_order(self):
        ev = self.create(title="QA").json["event_id"]
        users = [self.stack.make_user() for _ in range(4)]
        for i, u in enumerate(users):
            pdf, _ = pdfgen.resume(100 + i)
            r = self.stack.http("POST", EV + "/event-register/",
                                {"event_id": ev, "resume": {"file_name": "r.pdf",
                                                            "content_base64": b64(pdf)}},
                                token=u["access_token"])
            self.assertStatus(r, 201)
        self.stack.sql("UPDATE registrations SET ats_score = 10 * id % 97 WHERE event_id = :'v1'", ev)
        want = [int(x[0]) for x in self.stack.sql(
            "SELECT id FROM registrations WHERE event_id = :'v1' ORDER BY ats_score DESC, id", ev)]
        r = self.stack.http("GET", EV + "/register_user/?event_id=%d&page_size=3" % ev,
                            token=self.hr["access_token"])
        got = [x["registration_id"] for x in r.json["results"]]
        self.assertEqual(got, want[:3])
        self.assertEqual(r.json["count"], 4)
        r = self.stack.http("GET", EV + "/register_user/?event_id=%d&ordering=ats_score" % ev,
                            token=self.hr["access_token"])
        self.assertEqual([x["registration_id"] for x in r.json["results"]], want[::-1])
        r = self.stack.http("GET", EV + "/register_user/?event_id=%d&status=selected" % ev,
                            token=self.hr["access_token"])
        self.assertEqual(r.json["count"], 0)
        r = self.stack.http("GET", EV + "/register_user/?event_id=%d&ordering=name" % ev,
                            token=self.hr["access_token"])
        self.assertError(r, 400, field="ordering")
        r = self.stack.http("GET", EV + "/register_user/", token=self.hr["access_token"])
        self.assertError(r, 400, field="event_id")

    def test_equal_scores_rank_by_exact_score_then_evidence(self):
        """Scores shown to one decimal tie often; the list then orders by
        the scorer's exact score, then its evidence strength, never by id."""
        ev = self.create(title="Ties").json["event_id"]
        for i in range(4):
            self.assertStatus(self.register(ev, self.stack.make_user(), 700 + i), 201)
        ids = [int(x[0]) for x in self.stack.sql(
            "SELECT id FROM registrations WHERE event_id = :'v1' ORDER BY id", ev)]
        # All show 72.4; the exact scores and evidence say otherwise.
        exact = {ids[0]: (72.41, 1.0), ids[1]: (72.44, 0.5), ids[2]: (72.41, 3.0),
                 ids[3]: (72.36, 9.0)}
        for rid, (ex, tie) in exact.items():
            self.stack.sql("UPDATE registrations SET ats_score = 72.4, ats_result = "
                           "jsonb_build_object('score', 72.4, 'score_exact', :'v2'::numeric, "
                           "'tie_break', :'v3'::numeric) WHERE id = :'v1'", rid, ex, tie)
        want = [ids[1], ids[2], ids[0], ids[3]]
        r = self.stack.http("GET", EV + "/register_user/?event_id=%d" % ev,
                            token=self.hr["access_token"])
        self.assertEqual([x["registration_id"] for x in r.json["results"]], want)
        r = self.stack.http("GET", EV + "/register_user/?event_id=%d&ordering=-ats_score" % ev,
                            token=self.hr["access_token"])
        self.assertEqual([x["registration_id"] for x in r.json["results"]], want)

    def test_register_user_round_filter_and_score_order(self):
        ev = self.create(title="Rounds Filter").json["event_id"]
        rounds = [int(x[0]) for x in self.stack.sql(
            "SELECT id FROM rounds WHERE event_id = :'v1' ORDER BY position", ev)]
        for i in range(5):
            self.assertStatus(self.register(ev, self.stack.make_user(), 550 + i), 201)
        ids = [int(x[0]) for x in self.stack.sql(
            "SELECT id FROM registrations WHERE event_id = :'v1' ORDER BY id", ev)]
        # Scores 40, 90, null, 40, 70; the first three reached round 2.
        for rid, score in zip(ids, ("40", "90", None, "40", "70")):
            self.stack.sql("UPDATE registrations SET ats_score = :'v2'::numeric WHERE id = :'v1'"
                           if score else "UPDATE registrations SET ats_score = NULL "
                           "WHERE id = :'v1'", rid, *([score] if score else []))
        self.stack.sql("UPDATE registrations SET current_round_id = :'v2' WHERE id IN "
                       "(:'v1', :'v3', :'v4')", ids[0], rounds[1], ids[1], ids[2])

        def get(q):
            r = self.stack.http("GET", EV + "/register_user/?event_id=%d&%s" % (ev, q),
                                token=self.hr["access_token"])
            self.assertStatus(r, 200)
            return r.json["count"], [x["registration_id"] for x in r.json["results"]]
        self.assertEqual(get("round_id=%d" % rounds[1]), (3, [ids[1], ids[0], ids[2]]))
        self.assertEqual(get("round_id=%d" % rounds[0]), (0, []))
        self.assertEqual(get("round_id=%d&ordering=ats_score" % rounds[1]),
                         (3, [ids[0], ids[1], ids[2]]))
        # Best first with unscored last; ascending ties by id, unscored last.
        self.assertEqual(get("ordering=-ats_score")[1], [ids[1], ids[4], ids[0], ids[3], ids[2]])
        self.assertEqual(get("")[1], [ids[1], ids[4], ids[0], ids[3], ids[2]])
        self.assertEqual(get("ordering=ats_score")[1], [ids[0], ids[3], ids[4], ids[1], ids[2]])
        self.assertEqual(get("ordering=ats_score&page_size=2&page=2")[1], [ids[4], ids[1]])
        self.assertEqual(get("ordering=created_at")[1], ids)
        for q, field in (("round_id=x", "round_id"), ("round_id=0", "round_id"),
                         ("ordering=-name", "ordering"), ("page=0", "page")):
            r = self.stack.http("GET", EV + "/register_user/?event_id=%d&%s" % (ev, q),
                                token=self.hr["access_token"])
            self.assertError(r, 400, "validation_failed", field)

    def test_candidate_refused_staff_lists(self):
        ev = self.create(title="Staff Only").json["event_id"]
        self.assertStatus(self.register(ev, self.cand2, 560), 201)
        ro = self.stack.sql("SELECT id FROM rounds WHERE event_id = :'v1' ORDER BY position",
                            ev)[0][0]
        for path in ("/all-selected-users/?event_id=%d" % ev,
                     "/assessment-questions/?event_id=%d&round_id=%s" % (ev, ro),
                     "/application-count/?event_id=%d" % ev, "/application-count/"):
            for who in (self.cand, self.cand2):
                r = self.stack.http("GET", EV + path, token=who["access_token"])
                self.assertError(r, 403, "forbidden")
            # Staff of other events are refused too, by the event check.
            r = self.stack.http("GET", EV + path, token=self.hr2["access_token"])
            if "application-count/" in path and "event_id" not in path:
                self.assertStatus(r, 200)
                self.assertEqual(r.json["total"], 0)
            else:
                self.assertError(r, 403, "forbidden")
        other = self.create(title="Other Rounds", rounds=[
            {"name": "Only", "interviewers": [self.iv2["user"]["id"]]}]).json["event_id"]
        for path in ("/all-selected-users/?event_id=%d" % other,
                     "/assessment-questions/?event_id=%d&round_id=%s" % (other, ro)):
            r = self.stack.http("GET", EV + path, token=self.iv1["access_token"])
            self.assertError(r, 403, "forbidden")
        # The event's staff get through.
        r = self.stack.http("GET", EV + "/assessment-questions/?event_id=%d&round_id=%s"
                            % (ev, ro), token=self.iv1["access_token"])
        self.assertStatus(r, 200)
        r = self.stack.http("GET", EV + "/assessment-questions/?event_id=%d&round_id=%s"
                            % (other, ro), token=self.iv2["access_token"])
        self.assertError(r, 404, "not_found")

    def test_name_lists_validation(self):
        for path in ("/skills/", "/departments/"):
            before = self.stack.sql("SELECT (SELECT count(*) FROM skills), "
                                    "(SELECT count(*) FROM departments)")
            for body in ({"name": ""}, {"name": "x" * 101}, {}, {"name": None}, {"name": 7},
                         {"name": ["Go"]}, {"name": "tab\there"}):
                r = self.stack.http("POST", EV + path, body, token=self.hr["access_token"])
                self.assertError(r, 400, "validation_failed", "name")
            name = "Elixir " + path.strip("/")
            self.assertStatus(self.stack.http("POST", EV + path, {"name": name},
                                              token=self.hr["access_token"]), 201)
            for dup in (name.upper(), name.lower(), name.swapcase()):
                r = self.stack.http("POST", EV + path, {"name": dup},
                                    token=self.hr["access_token"])
                self.assertError(r, 409, "already_exists", "name")
            after = self.stack.sql("SELECT (SELECT count(*) FROM skills), "
                                   "(SELECT count(*) FROM departments)")
            self.assertEqual(sum(map(int, after[0])), sum(map(int, before[0])) + 1)
            self.assertEqual(self.stack.sql("SELECT count(*) FROM %s WHERE lower(name) = "
                                            "lower(:'v1')" % path.strip("/"), name), [["1"]])

    def test_shortlist_validation(self):
        ev = self.create(title="Shortlist Checks").json["event_id"]
        rid = self.register(ev, self.stack.make_user(), 570).json["registration_id"]
        url = EV + "/modified-shortlisted/"
        r = self.stack.http("PATCH", url, {}, token=self.hr["access_token"])
        self.assertError(r, 400, "validation_failed")
        self.assertEqual(set(r.json["error"]["fields"]), {"registration_id", "shortlisted"})
        for body, field in (({"registration_id": "x", "shortlisted": True}, "registration_id"),
                            ({"registration_id": 0, "shortlisted": True}, "registration_id"),
                            ({"registration_id": -4, "shortlisted": True}, "registration_id"),
                            ({"registration_id": 1.5, "shortlisted": True}, "registration_id"),
                            ({"registration_id": rid, "shortlisted": "yes"}, "shortlisted"),
                            ({"registration_id": rid}, "shortlisted"),
                            ({"shortlisted": True}, "registration_id")):
            r = self.stack.http("PATCH", url, body, token=self.hr["access_token"])
            self.assertError(r, 400, "validation_failed", field)
        r = self.stack.http("PATCH", url, {"registration_id": 999999, "shortlisted": True},
                            token=self.hr["access_token"])
        self.assertError(r, 404, "not_found")
        r = self.stack.http("PATCH", url, {"registration_id": rid, "shortlisted": True},
                            token=self.iv1["access_token"])
        self.assertError(r, 403, "forbidden")
        self.assertEqual(self.stack.sql("SELECT status, shortlisted FROM registrations "
                                        "WHERE id = :'v1'", rid), [["applied", "f"]])

    def test_analytics_validation(self):
        for path in ("/application-by-department/", "/job-application-status/"):
            for q, fields in (("month=13&year=2026", {"month"}), ("month=0&year=2026", {"month"}),
                              ("month=6&year=1800", {"year"}), ("month=6&year=2101", {"year"}),
                              ("month=x&year=2026", {"month"}), ("month=6&year=20x6", {"year"}),
                              ("month=six&year=twenty", {"month", "year"}),
                              ("month=6", {"year"}), ("", {"month", "year"}),
                              ("month=6.5&year=2026", {"month"})):
                r = self.stack.http("GET", EV + path + "?" + q, token=self.hr["access_token"])
                self.assertError(r, 400, "validation_failed")
                self.assertEqual(set(r.json["error"]["fields"]), fields, (path, q))
            r = self.stack.http("GET", EV + path + "?month=12&year=2100",
                                token=self.hr["access_token"])
            self.assertStatus(r, 200)
            self.assertEqual((r.json["month"], r.json["year"], r.json["total"]), (12, 2100, 0))

    def test_register_interviewer_validation(self):
        url = UD + "/register-interviewer/"
        admin = self.stack.make_admin()
        before = self.stack.sql("SELECT count(*) FROM users")
        r = self.stack.http("POST", url, {}, token=admin["access_token"])
        self.assertError(r, 400, "validation_failed")
        self.assertEqual(set(r.json["error"]["fields"]), {"name", "phone_number", "email"})
        good = {"name": "Kavya Menon", "phone_number": "+919876500011",
                "email": "kavya.menon@example.com"}
        for patch, field in (({"name": ""}, "name"), ({"name": "x" * 101}, "name"),
                             ({"phone_number": "12345"}, "phone_number"),
                             ({"phone_number": "98765abc43"}, "phone_number"),
                             ({"email": "kavya"}, "email"), ({"email": "a@b"}, "email"),
                             ({"username": "no spaces"}, "username"), ({"username": "ab"}, "username"),
                             ({"name": 12}, "name")):
            r = self.stack.http("POST", url, dict(good, **patch), token=admin["access_token"])
            self.assertError(r, 400, "validation_failed", field)
        self.assertEqual(self.stack.sql("SELECT count(*) FROM users"), before)
        r = self.stack.http("POST", url, good, token=admin["access_token"])
        self.assertStatus(r, 201)
        self.assertEqual(r.json["user_type"], "Interviewer")
        r = self.stack.http("POST", url, dict(good, email="other.kavya@example.com"),
                            token=admin["access_token"])
        self.assertError(r, 409, "already_exists", "phone_number")

    def test_analytics(self):
        ev = self.create(department="Analytics Dept").json["event_id"]
        u = self.stack.make_user()
        pdf, _ = pdfgen.resume(300)
        self.stack.http("POST", EV + "/event-register/",
                        {"event_id": ev, "resume": {"file_name": "r.pdf",
                                                    "content_base64": b64(pdf)}},
                        token=u["access_token"])
        today = datetime.date.today()
        r = self.stack.http("GET", EV + "/application-by-department/?month=%d&year=%d"
                            % (today.month, today.year), token=self.hr["access_token"])
        self.assertStatus(r, 200)
        want = int(self.stack.sql(
            "SELECT count(*) FROM registrations g JOIN events e ON e.id = g.event_id "
            "JOIN departments d ON d.id = e.department_id WHERE d.name = 'Analytics Dept' "
            "AND e.created_by = :'v1'", self.hr["user"]["id"])[0][0])
        got = [x["count"] for x in r.json["departments"] if x["department"] == "Analytics Dept"]
        self.assertEqual(got, [want])
        r = self.stack.http("GET", EV + "/job-application-status/?month=%d&year=%d"
                            % (today.month, today.year), token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(sum(x["count"] for x in r.json["statuses"]), r.json["total"])
        for q in ("month=13&year=2026", "month=6", "month=6&year=1999", "month=x&year=2026"):
            r = self.stack.http("GET", EV + "/job-application-status/?" + q,
                                token=self.hr["access_token"])
            self.assertError(r, 400, "validation_failed")
        r = self.stack.http("GET", EV + "/job-application-status/?month=6&year=2026",
                            token=self.iv1["access_token"])
        self.assertError(r, 403)

    def test_send_event_mail_enqueues_once(self):
        ev = self.create().json["event_id"]
        for status in (202, 409):
            r = self.stack.http("POST", UD + "/send-event-mail/",
                                {"event_id": ev, "audience": "interviewers"},
                                token=self.hr["access_token"])
            self.assertStatus(r, status)
        self.assertEqual(r.json["error"]["code"], "already_sent")
        n = self.stack.sql("SELECT count(*) FROM jobs WHERE kind = 'event_mail' AND "
                           "(args->>'event_id')::bigint = :'v1'", ev)
        self.assertEqual(n, [["1"]])
        r = self.stack.http("POST", UD + "/send-event-mail/", {"event_id": ev, "audience": "x"},
                            token=self.hr["access_token"])
        self.assertError(r, 400, field="audience")
        r = self.stack.http("POST", UD + "/send-event-mail/", {"event_id": ev},
                            token=self.hr2["access_token"])
        self.assertError(r, 403)

    def test_more_resumes(self):
        ev = self.create().json["event_id"]
        pdf, _ = pdfgen.resume(400)
        r = self.stack.http("POST", EV + "/event-resumes/",
                            {"event_id": ev, "resumes": [{"file_name": "x.pdf",
                                                          "content_base64": b64(pdf)}]},
                            token=self.hr["access_token"])
        self.assertStatus(r, 201)
        self.assertEqual(r.json["resumes"][0]["status"], "queued")
        r = self.stack.http("POST", EV + "/event-resumes/",
                            {"event_id": ev, "resumes": []}, token=self.hr2["access_token"])
        self.assertError(r, 403)


class Rescore(TestCase):
    """PATCH event changes job details; a change the scorer reads rescores
    the event's registrations through the worker, keeping each previous
    score; HR may also ask for a rescore."""
    stack_args = {"worker": True, "env": {"JOB_POLL_MS": "200", "OTP_RATE_IP": "1000"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.stack
        cls.hr = s.make_user("Hr")
        cls.hr2 = s.make_user("Hr")
        cls.iv = s.make_user("Interviewer")
        cls.cand = s.make_user("Interviewee")

    def patch(self, body, token=None):
        return self.stack.http("PATCH", EV + "/event/", body,
                               token=token or self.hr["access_token"])

    def scores(self, ev):
        return self.stack.sql("SELECT id, ats_score, previous_ats_score FROM registrations "
                              "WHERE event_id = :'v1' ORDER BY id", ev)

    def state(self, ev):
        """Everything a PATCH may change, and the rescore jobs."""
        return (self.stack.sql("SELECT title, description, min_experience, max_experience, "
                               "location, employment_type, openings, start_date, end_date, "
                               "status, updated_at, doc::text FROM events WHERE id = :'v1'", ev),
                self.stack.sql("SELECT skill_id, required FROM event_skills WHERE "
                               "event_id = :'v1' ORDER BY skill_id", ev),
                self.rescore_jobs(ev))

    def rescore_jobs(self, ev):
        return self.stack.sql("SELECT id, args->>'sig' FROM jobs WHERE kind = 'rescore' AND "
                              "(args->>'event_id')::bigint = :'v1' ORDER BY id", ev)

    def doc_consistent(self, ev):
        return self.stack.sql("SELECT doc::text = event_json(id)::text FROM events "
                              "WHERE id = :'v1'", ev) == [["t"]]

    def scored_event(self, seeds, **kw):
        resumes = [{"file_name": "cv%d.pdf" % n, "content_base64": b64(pdfgen.resume(n)[0])}
                   for n in seeds]
        skills = sorted({sk for n in seeds for sk in pdfgen.resume(n)[1]["skills"]})
        body = {"title": "Platform Engineer", "department": "Engineering",
                "description": "Backend services: " + ", ".join(skills),
                "skills": {"required": skills[:4], "preferred": skills[4:]},
                "min_experience": 1, "max_experience": 12, "status": "Active",
                "start_date": "2026-12-01", "end_date": "2026-12-05",
                "rounds": [{"name": "Technical", "interviewers": [self.iv["user"]["id"]]}],
                "resumes": resumes}
        body.update(kw)
        r = self.stack.http("POST", EV + "/event/", body, token=self.hr["access_token"])
        self.assertStatus(r, 201)
        ev = r.json["event_id"]
        wait_for(lambda: self.stack.sql(
            "SELECT count(*) FILTER (WHERE status = 'scored'), count(*) FROM resume_tracks "
            "WHERE event_id = :'v1'", ev) == [[str(len(seeds))] * 2], 60, "resumes scored")
        return ev

    def test_patch_details_rescores(self):
        ev = self.scored_event([7101, 7102, 7103])
        before = self.scores(ev)
        self.assertEqual(len(before), 3)
        self.assertTrue(all(row[1] and not row[2] for row in before), before)
        change = {"event_id": ev, "description": "Mainframe batch processing in COBOL.",
                  "skills": {"required": ["COBOL", "Fortran"], "preferred": ["cobol", "JCL"]},
                  "min_experience": 15, "max_experience": 30}
        r = self.patch(change)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["rescore_queued"], 3)
        self.assertEqual(r.json["description"], change["description"])
        # A skill in both lists counts as required; names keep their first spelling.
        self.assertEqual(r.json["skills"], {"required": ["COBOL", "Fortran"], "preferred": ["JCL"]})
        self.assertEqual((r.json["min_experience"], r.json["max_experience"]), (15, 30))
        self.assertEqual((r.json["title"], r.json["openings"], r.json["start_date"]),
                         ("Platform Engineer", 1, "2026-12-01"))
        self.assertTrue(self.doc_consistent(ev))
        d = self.stack.http("GET", EV + "/event-detail/?event_id=%d" % ev,
                            token=self.hr["access_token"])
        self.assertEqual(d.json["skills"], r.json["skills"])
        self.assertEqual(len(self.rescore_jobs(ev)), 1)
        # The same change again changes nothing and queues nothing.
        r = self.patch(change)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["rescore_queued"], 0)
        self.assertEqual(len(self.rescore_jobs(ev)), 1)
        wait_for(lambda: all(row[2] for row in self.scores(ev)), 60, "rescored")
        after = self.scores(ev)
        for old, new in zip(before, after):
            self.assertEqual(new[2], old[1], "previous_ats_score keeps the old score")
            self.assertLess(float(new[1]), float(old[1]), (old, new))
        r = self.stack.http("GET", EV + "/register_user/?event_id=%d" % ev,
                            token=self.hr["access_token"])
        got = {x["registration_id"]: (x["ats_score"], x["previous_ats_score"])
               for x in r.json["results"]}
        self.assertEqual(got, {int(x[0]): (float(x[1]), float(x[2])) for x in after})
        # Details the scorer does not read change without a rescore.
        r = self.patch({"event_id": ev, "title": "Mainframe Engineer", "location": "Chennai",
                        "openings": 4, "end_date": None, "employment_type": "Contract"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["rescore_queued"], 0)
        self.assertEqual((r.json["title"], r.json["location"], r.json["openings"],
                          r.json["end_date"], r.json["employment_type"]),
                         ("Mainframe Engineer", "Chennai", 4, None, "Contract"))
        self.assertEqual(len(self.rescore_jobs(ev)), 1)
        self.assertTrue(self.doc_consistent(ev))
        # Status still moves as before, in the same request as details.
        r = self.patch({"event_id": ev, "status": "Inactive", "openings": 5})
        self.assertStatus(r, 200)
        self.assertEqual((r.json["status"], r.json["openings"]), ("Inactive", 5))
        self.assertError(self.patch({"event_id": ev, "status": "Pending"}), 409,
                         "invalid_transition")

    def test_patch_validation_changes_nothing(self):
        ev = self.scored_event([7201])
        before = self.state(ev)
        cases = [({"title": ""}, "title"), ({"title": None}, "title"),
                 ({"title": "x" * 201}, "title"), ({"description": 12}, "description"),
                 ({"description": None}, "description"),
                 ({"skills": "C"}, "skills"), ({"skills": None}, "skills"),
                 ({"skills": {"required": "C"}}, "skills.required"),
                 ({"skills": {"preferred": [""]}}, "skills.preferred"),
                 ({"skills": {"required": ["x" * 101]}}, "skills.required"),
                 ({"min_experience": -1}, "min_experience"),
                 ({"min_experience": "two"}, "min_experience"),
                 ({"max_experience": 61}, "max_experience"),
                 # against the kept values (1 to 12 years, 2026-12-01 to 05)
                 ({"max_experience": 0.5}, "max_experience"),
                 ({"min_experience": 13}, "min_experience"),
                 ({"min_experience": 5, "max_experience": 4}, "max_experience"),
                 ({"location": "x" * 201}, "location"),
                 ({"employment_type": ["Full-time"]}, "employment_type"),
                 ({"openings": 0}, "openings"), ({"openings": None}, "openings"),
                 ({"start_date": "2026-02-30"}, "start_date"),
                 ({"end_date": "2026-11-30"}, "end_date"),
                 ({"start_date": "2026-12-06"}, "start_date"),
                 ({"status": "Open"}, "status"),
                 ({"department": "Sales"}, "department"), ({"rounds": []}, "rounds"),
                 ({"description": "Rescore me", "openings": -3}, "openings"),
                 ({}, "status")]
        for patch, field in cases:
            r = self.patch(dict(patch, event_id=ev))
            self.assertError(r, 400, "validation_failed", field)
        self.assertError(self.patch({"event_id": "x", "title": "T"}), 400, field="event_id")
        self.assertError(self.patch({"title": "T"}), 400, field="event_id")
        self.assertEqual(self.state(ev), before)
        # Not the owner, not HR, no such event: refused, nothing changed.
        r = self.patch({"event_id": ev, "description": "Hijacked"}, token=self.hr2["access_token"])
        self.assertError(r, 403, "forbidden")
        r = self.patch({"event_id": ev, "description": "Hijacked"}, token=self.iv["access_token"])
        self.assertError(r, 403, "forbidden")
        r = self.patch({"event_id": 999999, "description": "Nobody"})
        self.assertError(r, 404, "not_found")
        self.assertEqual(self.state(ev), before)
        # Clearing the upper bound lets min_experience go past the old one.
        r = self.patch({"event_id": ev, "max_experience": None, "min_experience": 20})
        self.assertStatus(r, 200)
        self.assertEqual((r.json["min_experience"], r.json["max_experience"]), (20, None))

    def test_rescore_endpoint_and_stale_jobs(self):
        ev = self.scored_event([7301, 7302])
        first = self.scores(ev)
        url = EV + "/event-rescore/"
        for who in (self.hr2, self.iv, self.cand):
            self.assertError(self.stack.http("POST", url, {"event_id": ev},
                                             token=who["access_token"]), 403)
        self.assertError(self.stack.http("POST", url, {}, token=self.hr["access_token"]), 400,
                         "validation_failed", "event_id")
        self.assertError(self.stack.http("POST", url, {"event_id": 999999},
                                         token=self.hr["access_token"]), 404)
        self.assertEqual(self.rescore_jobs(ev), [])
        # With the worker stopped the jobs wait, so what is queued is exact.
        self.stack.stop_proc("worker")
        try:
            r = self.stack.http("POST", url, {"event_id": ev}, token=self.hr["access_token"])
            self.assertStatus(r, 202)
            self.assertEqual((r.json["event_id"], r.json["queued"]), (ev, 2))
            r = self.stack.http("POST", url, {"event_id": ev}, token=self.hr["access_token"])
            self.assertStatus(r, 202)
            self.assertEqual(r.json["queued"], 0)
            self.assertEqual(len(self.rescore_jobs(ev)), 1)
            # Two changes in a row: the jobs queued before the last change
            # must not store scores over those of the job queued for it.
            r = self.patch({"event_id": ev, "skills": {"required": ["COBOL"]}})
            self.assertEqual(r.json["rescore_queued"], 2)
            r = self.patch({"event_id": ev, "skills": {"required": ["Haskell", "Erlang"]},
                            "description": "Functional programming."})
            self.assertEqual(r.json["rescore_queued"], 2)
            self.assertEqual(len(self.rescore_jobs(ev)), 3)
        finally:
            self.stack.start_worker()
        wait_for(lambda: self.stack.sql(
            "SELECT count(*) FROM jobs WHERE kind = 'rescore' AND state IN "
            "('available', 'running') AND (args->>'event_id')::bigint = :'v1'", ev) == [["0"]],
            60, "rescores finish")
        self.assertEqual(self.stack.sql(
            "SELECT DISTINCT state FROM jobs WHERE kind = 'rescore' "
            "AND (args->>'event_id')::bigint = :'v1'", ev), [["completed"]])
        # Only the last job stored scores: the previous score of each
        # registration is still the one from before both changes.
        for old, new in zip(first, self.scores(ev)):
            self.assertEqual(new[2], old[1], (old, new))
            self.assertNotEqual(new[1], old[1], (old, new))

if __name__ == "__main__":
    main()
