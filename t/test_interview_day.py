"""The interview day, right: counts, reviews read back and amended only on
purpose by the interviewer who saw the candidate, the queue states people
act on (no-shows, requeues, an interviewer leaving), shortlist changes,
one attendance row per person, resent mail, idempotent creating POSTs and
editing an event before its interviews start."""
import concurrent.futures
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TestCase, main, wait_for  # noqa: E402
import test_interviews  # noqa: E402

EV = "/bulk_hiring/event/v1"
UD = "/bulk_hiring/user_data/v1"



class Day(TestCase):
    stack_args = test_interviews.Interviews.stack_args

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr = cls.stack.make_user("Hr")
        cls.hr2 = cls.stack.make_user("Hr")

    event = test_interviews.Interviews.event
    candidates = test_interviews.Interviews.candidates
    act = test_interviews.Interviews.act
    mapping = test_interviews.Interviews.mapping
    user_ws = test_interviews.Interviews.user_ws
    overhear = test_interviews.Interviews.overhear
    types = staticmethod(test_interviews.Interviews.types)

    def ivs(self, n):
        return [self.stack.make_user("Interviewer") for _ in range(n)]

    def review(self, who, reg, round_id, result, headers=None, **kw):
        body = dict({"registration_id": reg, "round_id": round_id, "rating": 4,
                     "comments": "clear thinking", "result": result}, **kw)
        return self.stack.http("POST", EV + "/candidate-review/", body,
                               token=who["access_token"], headers=headers)

    def interview(self, iv, cand, round_id):
        """HR puts cand first in line; iv calls them, they accept, iv
        completes."""
        qid = self.stack.sql("SELECT id FROM interview_queue WHERE round_id = :'v1' AND "
                             "registration_id = :'v2'", round_id, cand["reg"])[0][0]
        self.assertStatus(self.stack.http("PATCH", EV + "/zoom-mapping/",
                                          {"queue_id": int(qid), "position": 1},
                                          token=self.hr["access_token"]), 200)
        r = self.act(iv, "start_next", round_id)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["registration_id"], cand["reg"])
        self.assertStatus(self.act(cand, "accept_interview", round_id), 200)
        self.assertStatus(self.act(iv, "complete_interview", round_id), 200)

    def placed(self, round_id):
        """{registration_id: (interviewer id, status)} of a round's queues."""
        rows = self.stack.sql("SELECT registration_id, interviewer_id, status FROM "
                              "interview_queue WHERE round_id = :'v1'", round_id)
        return {int(a): (int(b), c) for a, b, c in rows}

    def reg_status(self, reg):
        return self.stack.sql("SELECT status FROM registrations WHERE id = :'v1'", reg)[0][0]

    # --- 1 -------------------------------------------------------------------
    def test_application_count_counts_registrations(self):
        iv, = self.ivs(1)
        ev, _ = self.event([("One", [iv])])
        cands = self.candidates(ev, 7, shortlist=False)
        for c in cands[:3]:
            self.assertStatus(self.stack.http(
                "PATCH", EV + "/modified-shortlisted",
                {"registration_id": c["reg"], "shortlisted": True},
                token=self.hr["access_token"]), 200)
        r = self.stack.http("GET", EV + "/application-count/?event_id=%d" % ev,
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["total"], 7)
        self.assertEqual(r.json["by_status"], {"applied": 4, "shortlisted": 3})

    # --- 12 ------------------------------------------------------------------
    def test_attendance_is_one_row_per_person(self):
        iv, = self.ivs(1)
        ev, (r1,) = self.event([("Door", [iv])])
        a = self.candidates(ev, 1, shortlist=False)[0]
        join = {"event_id": ev, "round_id": r1}
        self.assertStatus(self.stack.http("POST", EV + "/interviewee-join/", join,
                                          token=a["access_token"]), 201)
        r = self.stack.http("POST", EV + "/interviewee-join/", join, token=a["access_token"])
        self.assertIn(r.status, (200, 201))
        self.assertStatus(self.stack.http("POST", EV + "/zoom-attendance/",
                                          dict(join, action="join"),
                                          token=a["access_token"]), r.status)
        # Left and back: the same row, in again.
        self.assertStatus(self.stack.http("POST", EV + "/zoom-attendance/",
                                          dict(join, action="leave"),
                                          token=a["access_token"]), 200)
        self.stack.http("POST", EV + "/interviewee-join/", join, token=a["access_token"])
        with concurrent.futures.ThreadPoolExecutor(4) as ex:
            list(ex.map(lambda _: self.stack.http("POST", EV + "/interviewee-join/", join,
                                                  token=a["access_token"]), range(4)))
        self.assertEqual(self.stack.sql("SELECT count(*), count(*) FILTER (WHERE left_at "
                                        "IS NULL) FROM attendance WHERE event_id = :'v1'",
                                        ev), [["1", "1"]])
        r = self.stack.http("GET", EV + "/zoom-joined-user/?event_id=%d" % ev,
                            token=self.hr["access_token"])
        self.assertEqual([x["user"]["id"] for x in r.json], [a["user"]["id"]])

    # --- 3 -------------------------------------------------------------------
    def test_only_the_interviewer_who_saw_them_reviews(self):
        a, b = self.ivs(2)
        ev, (r1,) = self.event([("Screen", [a, b])])
        x, y = self.candidates(ev, 2)
        self.assertStatus(self.mapping({"round_id": r1, "mode": "manual", "assignments": [
            {"registration_id": x["reg"], "interviewer_id": a["user"]["id"]},
            {"registration_id": y["reg"], "interviewer_id": b["user"]["id"]}]}), 200)
        # y waits for b, never called: a cannot review them, nor can b yet.
        self.assertError(self.review(a, y["reg"], r1, "fail"), 403, "forbidden")
        self.assertError(self.review(b, y["reg"], r1, "fail"), 403, "forbidden")
        self.assertEqual(self.reg_status(y["reg"]), "interviewing")
        self.assertEqual(self.stack.sql("SELECT count(*) FROM reviews WHERE "
                                        "registration_id = :'v1'", y["reg"]), [["0"]])
        self.interview(a, x, r1)
        self.assertError(self.review(b, x["reg"], r1, "pass"), 403, "forbidden")
        self.assertStatus(self.review(a, x["reg"], r1, "pass"), 201)

    # --- 4 -------------------------------------------------------------------
    def test_a_review_changes_only_when_amended(self):
        a, c = self.ivs(2)
        ev, (r1, r2) = self.event([("Screen", [a]), ("Final", [c])])
        x, = self.candidates(ev, 1)
        self.mapping({"round_id": r1})
        self.interview(a, x, r1)
        self.assertStatus(self.review(a, x["reg"], r1, "fail"), 201)
        # A second review does not overturn the first.
        self.assertError(self.review(a, x["reg"], r1, "pass"), 409, "already_reviewed")
        self.assertEqual(self.reg_status(x["reg"]), "rejected")
        # An amendment needs a reason.
        self.assertError(self.review(a, x["reg"], r1, "pass", amend=True), 400, field="reason")
        r = self.review(a, x["reg"], r1, "pass", amend=True, reason="mixed up two people")
        self.assertStatus(r, 200)
        self.assertEqual((r.json["status"], r.json["version"]), ("interviewing", 2))
        self.assertEqual(self.stack.sql("SELECT version, result, reason FROM review_history "
                                        "WHERE review_id = :'v1' ORDER BY version",
                                        r.json["review_id"]),
                         [["1", "fail", ""], ["2", "pass", "mixed up two people"]])
        # Not once a later round called them, nor past its outcome.
        self.assertEqual(self.act(c, "start_next", r2).json["registration_id"], x["reg"])
        self.assertError(self.review(a, x["reg"], r1, "fail", amend=True, reason="hmm"),
                         409, "already_advanced")
        self.assertStatus(self.act(x, "accept_interview", r2), 200)
        self.assertStatus(self.act(c, "complete_interview", r2), 200)
        self.assertStatus(self.review(c, x["reg"], r2, "pass"), 201)
        self.assertError(self.review(a, x["reg"], r1, "fail", amend=True, reason="again"),
                         409, "already_advanced")
        self.assertEqual(self.reg_status(x["reg"]), "selected")

    # --- 2 -------------------------------------------------------------------
    def test_feedback_reads_back(self):
        a, c, other = self.ivs(3)
        ev, (r1, r2) = self.event([("Screen", [a]), ("Final", [c])])
        x, = self.candidates(ev, 1)
        q1 = self.stack.sql("SELECT id FROM questions WHERE round_id = :'v1'", r1)[0][0]
        self.mapping({"round_id": r1})
        self.interview(a, x, r1)
        # Ratings name the round's questions.
        for bad in (999, 2 ** 70, int(q1) + 100000):
            r = self.review(a, x["reg"], r1, "pass", ratings=[{"question_id": bad, "rating": 3}])
            self.assertError(r, 400, "validation_failed", field="ratings")
        self.assertEqual(self.stack.sql("SELECT count(*) FROM reviews WHERE "
                                        "registration_id = :'v1'", x["reg"]), [["0"]])
        self.assertStatus(self.review(a, x["reg"], r1, "pass",
                                      ratings=[{"question_id": int(q1), "rating": 5}]), 201)
        self.assertStatus(self.review(a, x["reg"], r1, "pass", amend=True, reason="typo",
                                      comments="very clear thinking"), 200)
        url = EV + "/candidate-review/?registration_id=%d" % x["reg"]
        for who in (self.hr, c):
            r = self.stack.http("GET", url, token=who["access_token"])
            self.assertStatus(r, 200)
            rv, = r.json["reviews"]
            self.assertEqual((rv["round_id"], rv["reviewer"]["id"], rv["result"], rv["rating"],
                              rv["comments"], rv["version"]),
                             (r1, a["user"]["id"], "pass", 4, "very clear thinking", 2))
            self.assertEqual([v["comments"] for v in rv["versions"]],
                             ["clear thinking", "very clear thinking"])
            self.assertEqual(rv["versions"][0]["ratings"], [{"question_id": int(q1), "rating": 5}])
        for who in (self.hr2, other, x):
            self.assertError(self.stack.http("GET", url, token=who["access_token"]), 403)
        self.assertError(self.stack.http("GET", EV + "/candidate-review/?registration_id=0",
                                         token=self.hr["access_token"]), 400)

    # --- 8 -------------------------------------------------------------------
    def test_unshortlisting_leaves_the_queue(self):
        a, = self.ivs(1)
        ev, (r1,) = self.event([("Screen", [a])])
        x, y = self.candidates(ev, 2)
        self.mapping({"round_id": r1})
        r, heard = self.overhear([x, a], lambda: self.stack.http(
            "PATCH", EV + "/modified-shortlisted",
            {"registration_id": x["reg"], "shortlisted": False}, token=self.hr["access_token"]))
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "applied")
        self.assertNotIn(x["reg"], self.placed(r1))
        self.assertIn("unqueued", self.types(heard)[0])
        self.assertIn("queue_changed", self.types(heard)[1])
        # Once called, it is too late: 409, nothing changes.
        self.assertStatus(self.act(a, "start_next", r1), 200)
        r = self.stack.http("PATCH", EV + "/modified-shortlisted",
                            {"registration_id": y["reg"], "shortlisted": False},
                            token=self.hr["access_token"])
        self.assertError(r, 409, "in_interview")
        self.assertEqual(self.reg_status(y["reg"]), "interviewing")


    # --- 9 -------------------------------------------------------------------
    def event_body(self, title, iv):
        return {"title": title, "department": "Engineering",
                "skills": {"required": ["C"], "preferred": []}, "status": "Active",
                "rounds": [{"name": "One", "interviewers": [iv["user"]["id"]],
                            "questions": ["Why?"]}]}

    def post_event(self, body, key, who=None):
        return self.stack.http("POST", EV + "/event/", body,
                               token=(who or self.hr)["access_token"],
                               headers={"Idempotency-Key": key})

    def events_titled(self, title):
        return int(self.stack.sql("SELECT count(*) FROM events WHERE title = :'v1'",
                                  title)[0][0])

    def test_idempotency_key_answers_once(self):
        iv, = self.ivs(1)
        title = "Idem " + uuid.uuid4().hex[:8]
        body, key = self.event_body(title, iv), uuid.uuid4().hex
        first = self.post_event(body, key)
        self.assertStatus(first, 201)
        again = self.post_event(body, key)
        self.assertEqual((again.status, again.json), (201, first.json))
        self.assertEqual(self.events_titled(title), 1)
        # The same key with another body: 422, nothing made.
        self.assertError(self.post_event(dict(body, title=title + "x"), key), 422,
                         "idempotency_key_reused")
        self.assertEqual(self.events_titled(title + "x"), 0)
        # Another user's key is theirs; a new key is a new request.
        self.assertStatus(self.post_event(body, key, who=self.hr2), 201)
        self.assertStatus(self.post_event(body, uuid.uuid4().hex), 201)
        self.assertEqual(self.events_titled(title), 3)
        # Refusals are kept too; a bad key is refused.
        bad = dict(body, title="")
        k2 = uuid.uuid4().hex
        r1, r2 = self.post_event(bad, k2), self.post_event(bad, k2)
        self.assertEqual((r1.status, r2.status, r1.json["error"]["code"]), (400, 400,
                                                                            r2.json["error"]["code"]))
        self.assertError(self.post_event(body, "x" * 300), 400, "invalid_idempotency_key")
        # Without a key every request runs.
        self.assertStatus(self.stack.http("POST", EV + "/event/", body,
                                          token=self.hr["access_token"]), 201)
        self.assertEqual(self.events_titled(title), 4)

    def test_idempotency_key_concurrent(self):
        iv, = self.ivs(1)
        title = "Race " + uuid.uuid4().hex[:8]
        body, key = self.event_body(title, iv), uuid.uuid4().hex
        with concurrent.futures.ThreadPoolExecutor(3) as ex:
            out = list(ex.map(lambda _: self.post_event(body, key), range(3)))
        self.assertEqual([r.status for r in out], [201] * 3, out)
        self.assertEqual(len({r.json["event_id"] for r in out}), 1)
        self.assertEqual(self.events_titled(title), 1)

    def test_idempotency_key_on_review_and_chat(self):
        a, = self.ivs(1)
        ev, (r1,) = self.event([("Screen", [a])])
        x, = self.candidates(ev, 1)
        self.mapping({"round_id": r1})
        self.interview(a, x, r1)
        key = uuid.uuid4().hex
        h = {"Idempotency-Key": key}
        first = self.review(a, x["reg"], r1, "pass", headers=h)
        self.assertStatus(first, 201)
        again = self.review(a, x["reg"], r1, "pass", headers=h)
        self.assertEqual((again.status, again.json), (201, first.json))
        msg = {"event_id": ev, "candidate_id": x["user"]["id"], "message": "Welcome"}
        for _ in range(2):
            self.assertStatus(self.stack.http("POST", EV + "/hr-user-chatting/", msg,
                                              token=self.hr["access_token"],
                                              headers={"Idempotency-Key": key}), 201)
        self.assertEqual(self.stack.sql("SELECT count(*) FROM chat_messages WHERE "
                                        "event_id = :'v1'", ev), [["1"]])


    # --- 6, 10 ---------------------------------------------------------------
    def entry(self, round_id, cand):
        """(queue_id, interviewer id, position, status) of cand's entry."""
        q, iv, pos, st = self.stack.sql(
            "SELECT id, interviewer_id, position, status FROM interview_queue WHERE "
            "round_id = :'v1' AND registration_id = :'v2'", round_id, cand["reg"])[0]
        return int(q), int(iv), int(pos), st

    def manual(self, round_id, *pairs):
        return self.mapping({"round_id": round_id, "mode": "manual", "assignments": [
            {"registration_id": c["reg"], "interviewer_id": iv["user"]["id"]}
            for c, iv in pairs]})

    def test_queue_states_no_show_and_requeue(self):
        a, = self.ivs(1)
        ev, (r1,) = self.event([("Screen", [a])])
        x, y, z = self.candidates(ev, 3)
        self.assertStatus(self.manual(r1, (x, a), (y, a), (z, a)), 200)
        self.assertEqual(self.act(a, "start_next", r1).json["registration_id"], x["reg"])
        # Never accepted: no completing it.
        self.assertError(self.act(a, "complete_interview", r1), 409, "not_accepted")
        self.assertEqual(self.entry(r1, x)[3], "called")
        # A no-show: HR and the candidate hear it.
        r, heard = self.overhear([self.hr, x], lambda: self.act(a, "no_show", r1))
        self.assertStatus(r, 200)
        self.assertEqual(self.types(heard), [["no_show"], ["no_show"]])
        self.assertEqual(self.entry(r1, x)[3], "no_show")
        # Called again, then skipped: to the end of the line.
        r, heard = self.overhear([self.hr, x], lambda: self.act(
            a, "call_again", r1, queue_id=self.entry(r1, x)[0]))
        self.assertStatus(r, 200)
        self.assertEqual(self.types(heard), [["called"], ["called"]])
        r, heard = self.overhear([self.hr], lambda: self.act(a, "skip", r1))
        self.assertStatus(r, 200)
        self.assertEqual(self.types(heard), [["skipped"]])
        self.assertEqual(self.entry(r1, x)[3], "waiting")
        self.assertGreater(self.entry(r1, x)[2], self.entry(r1, z)[2])
        # y is called and declines; HR hears each step.
        r, heard = self.overhear([self.hr], lambda: self.act(a, "start_next", r1))
        self.assertEqual(r.json["registration_id"], y["reg"])
        self.assertEqual(self.types(heard), [["called"]])
        r, heard = self.overhear([self.hr], lambda: self.act(y, "reject_interview", r1))
        self.assertEqual((r.status, r.json["status"]), (200, "declined"))
        self.assertEqual(self.types(heard), [["reject_interview"]])
        # HR requeues the declined one; placing one already waiting there
        # changes nothing (not even their place).
        before = self.entry(r1, x)
        r = self.manual(r1, (y, a), (x, a))
        self.assertStatus(r, 200)
        self.assertEqual([c["change"] for c in r.json["changes"]], ["requeued", "nothing changed"])
        self.assertEqual(self.entry(r1, y)[3], "waiting")
        self.assertEqual(self.entry(r1, x), before)
        r = self.stack.http("PATCH", EV + "/zoom-mapping/",
                            {"queue_id": before[0], "interviewer_id": a["user"]["id"]},
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["changes"], [{"queue_id": before[0], "change": "nothing changed"}])
        self.assertEqual(self.entry(r1, x), before)
        # z: accepted, begun, completed; HR hears each; done is never requeued.
        self.assertEqual(self.act(a, "start_next", r1).json["registration_id"], z["reg"])
        for who, action, kind in ((z, "accept_interview", "accept_interview"),
                                  (a, "begin_interview", "in_interview"),
                                  (a, "complete_interview", "completed")):
            r, heard = self.overhear([self.hr], lambda: self.act(who, action, r1))
            self.assertStatus(r, 200)
            self.assertEqual(self.types(heard), [[kind]], action)
        self.assertEqual(self.entry(r1, z)[3], "done")
        self.assertError(self.manual(r1, (z, a)), 409, "interviewed")
        self.assertEqual(self.entry(r1, z)[3], "done")
        self.assertError(self.act(a, "skip", r1), 409, "no_interview")
        self.assertError(self.act(x, "no_show", r1), 403)

    # --- 7 -------------------------------------------------------------------
    def signal(self, who, qid, kind, data=None):
        body = {"queue_id": qid, "kind": kind}
        if data is not None:
            body["data"] = data
        return self.stack.http("POST", EV + "/call-signal/", body, token=who["access_token"])

    def test_call_signal_between_the_two(self):
        a, b = self.ivs(2)
        ev, (r1,) = self.event([("Screen", [a, b])])
        x, y = self.candidates(ev, 2)
        self.assertStatus(self.manual(r1, (x, a), (y, b)), 200)
        qid = self.entry(r1, x)[0]
        offer = {"type": "offer", "sdp": "v=0\r\n"}
        # Not before the candidate accepted the call.
        self.assertStatus(self.act(a, "start_next", r1), 200)
        self.assertError(self.signal(a, qid, "offer", offer), 409, "not_in_call")
        self.assertStatus(self.act(x, "accept_interview", r1), 200)
        # The interviewer's offer reaches the candidate only, the answer
        # the interviewer only.
        r, heard = self.overhear([x, a, self.hr], lambda: self.signal(a, qid, "offer", offer))
        self.assertStatus(r, 202)
        self.assertEqual(self.types(heard), [["call_signal"], [], []])
        m = heard[0][0]
        self.assertEqual((m["queue_id"], m["kind"], m["data"], m["from"]),
                         (qid, "offer", offer, a["user"]["username"]))
        r, heard = self.overhear([a, x], lambda: self.signal(
            x, qid, "answer", {"type": "answer", "sdp": "v=0\r\n"}))
        self.assertStatus(r, 202)
        self.assertEqual(self.types(heard), [["call_signal"], []])
        self.assertEqual(heard[0][0]["kind"], "answer")
        # No one else takes part: another interviewer, the other candidate, HR.
        for who in (b, y, self.hr):
            self.assertError(self.signal(who, qid, "ice", {"candidate": ""}), 403, "forbidden")
        # Bad input is refused and tells no one.
        r, heard = self.overhear([x], lambda: self.signal(a, qid, "shout", offer))
        self.assertError(r, 400, field="kind")
        self.assertError(self.signal(a, qid, "offer"), 400, field="data")
        self.assertError(self.signal(a, qid, "offer", ["v=0"]), 400, field="data")
        self.assertError(self.signal(a, qid, "ice", {"candidate": "x" * 17000}), 400, field="data")
        self.assertEqual(self.types(heard), [[]])
        self.assertError(self.signal(a, 999999999, "hangup"), 404)
        # Hanging up needs no data, and works once the interview is over.
        self.assertStatus(self.act(a, "complete_interview", r1), 200)
        r, heard = self.overhear([a], lambda: self.signal(x, qid, "hangup"))
        self.assertStatus(r, 202)
        self.assertEqual([(m["type"], m["kind"]) for m in heard[0]], [("call_signal", "hangup")])

    def test_interviewer_leave_moves_their_line(self):
        a, b = self.ivs(2)
        ev, (r1,) = self.event([("Screen", [a, b])])
        x, y, z = self.candidates(ev, 3)
        self.assertStatus(self.manual(r1, (x, a), (y, a), (z, b)), 200)
        r, heard = self.overhear([self.hr, x, y, b], lambda: self.act(a, "leave", r1))
        self.assertStatus(r, 200)
        self.assertEqual((r.json["moved"], r.json["held"]), (2, 0))
        self.assertEqual({self.entry(r1, c)[1] for c in (x, y)}, {b["user"]["id"]})
        self.assertIn("interviewer_left", self.types(heard)[0])
        self.assertIn("queue_moved", self.types(heard)[1])
        self.assertIn("queue_moved", self.types(heard)[2])
        self.assertIn("queue_changed", self.types(heard)[3])
        # The last one leaves: the line is held, and told so.
        r, heard = self.overhear([x], lambda: self.act(b, "leave", r1))
        self.assertEqual((r.json["moved"], r.json["held"]), (0, 3))
        self.assertEqual({self.entry(r1, c)[3] for c in (x, y, z)}, {"held"})
        moved = [m for m in heard[0] if m["type"] == "queue_moved"]
        self.assertEqual(moved[0]["status"], "held")
        # Back: the held are in line again and called.
        r = self.act(b, "start_next", r1)
        self.assertStatus(r, 200)
        self.assertIn(r.json["registration_id"], (x["reg"], y["reg"], z["reg"]))

    def test_get_all_queues_is_the_rounds(self):
        a, b, other = self.ivs(3)
        ev, (r1,) = self.event([("Screen", [a, b])])
        self.candidates(ev, 2)
        self.mapping({"round_id": r1})
        for who in (a, self.hr):
            r = self.act(who, "get_all_queues", r1)
            self.assertStatus(r, 200)
            self.assertEqual(sorted(q["interviewer"]["id"] for q in r.json["queues"]),
                             sorted([a["user"]["id"], b["user"]["id"]]))
        for who in (other, self.hr2):
            self.assertError(self.act(who, "get_all_queues", r1), 403)


    def test_day_fields_are_strict(self):
        """Every id of the day's routes is a JSON integer (a string or a
        fraction names the field in one 400 and changes nothing), query
        ids are ids, and interview-action refuses by its table: the
        action's name, who may ask, and the state it starts from."""
        a, = self.ivs(1)
        ev, (r1,) = self.event([("Screen", [a])])
        x, y = self.candidates(ev, 2)
        hr = self.hr["access_token"]
        for bad in ("%d" % x["reg"], x["reg"] + 0.5):
            r = self.mapping({"round_id": r1, "mode": "manual", "assignments": [
                {"registration_id": bad, "interviewer_id": a["user"]["id"]}]})
            self.assertError(r, 400, "validation_failed", "assignments")
        self.assertEqual(self.placed(r1), {})
        self.assertError(self.mapping({"round_id": r1, "mode": "manual"}), 400,
                         "validation_failed", "assignments")
        self.assertError(self.mapping({"round_id": "%d" % r1}), 400,
                         "validation_failed", "round_id")
        self.assertEqual(self.placed(r1), {})
        for path in ("/zoom-mapping/?round_id=x", "/candidate-review/?registration_id=0",
                     "/zoom-joined-user/?event_id=%d&round_id=abc" % ev,
                     "/hr-user-chatting/?event_id=%d&candidate_id=1e3" % ev):
            r = self.stack.http("GET", EV + path, token=hr)
            self.assertError(r, 400, "validation_failed")
        r = self.stack.http("GET", EV + "/hr-user-chatting/?event_id=%d" % ev, token=hr)
        self.assertError(r, 400, "validation_failed", "candidate_id")
        r = self.stack.http("POST", EV + "/hr-user-chatting/",
                            {"event_id": ev, "candidate_id": "%d" % x["user"]["id"],
                             "message": "hi"}, token=hr)
        self.assertError(r, 400, "validation_failed", "candidate_id")
        r = self.act(a, "dance", r1)
        self.assertError(r, 400, "validation_failed", "action")
        self.assertIn("start_next", r.json["error"]["fields"]["action"])
        self.assertError(self.act(a, "start_next", "%d" % r1), 400, "validation_failed",
                         "session_id")
        self.assertError(self.act(a, "call_again", r1, queue_id="1"), 400,
                         "validation_failed", "queue_id")
        self.assertStatus(self.manual(r1, (x, a), (y, a)), 200)
        r = self.stack.http("PATCH", EV + "/zoom-mapping/",
                            {"queue_id": self.entry(r1, y)[0], "position": "1"}, token=hr)
        self.assertError(r, 400, "validation_failed", "position")
        # Who may: a candidate does not call; an interviewer is not queued.
        self.assertError(self.act(x, "start_next", r1), 403)
        self.assertError(self.act(a, "accept_interview", r1), 403)
        # From which state.
        self.assertError(self.act(x, "accept_interview", r1), 409, "invalid_state")
        self.assertError(self.act(a, "call_again", r1), 409, "not_called")
        self.assertError(self.act(a, "begin_interview", r1), 409, "no_interview")
        self.assertEqual(self.act(a, "start_next", r1).json["registration_id"], x["reg"])
        self.assertError(self.act(a, "start_next", r1), 409, "busy")
        self.assertError(self.act(a, "call_again", r1, queue_id=self.entry(r1, y)[0]),
                         409, "busy")
        self.assertError(self.act(a, "begin_interview", r1), 409, "not_accepted")
        self.assertError(self.act(y, "accept_interview", r1), 409, "invalid_state")
        r = self.act(a, "call_again", r1)
        self.assertEqual((r.status, r.json["status"], r.json["queue_id"]),
                         (200, "called", self.entry(r1, x)[0]))
        self.assertStatus(self.act(x, "accept_interview", r1), 200)
        self.assertError(self.act(a, "no_show", r1), 409, "accepted")
        self.assertEqual(self.act(a, "begin_interview", r1).json["status"], "in_interview")
        self.assertEqual([self.entry(r1, c)[3] for c in (x, y)], ["in_interview", "waiting"])

    # --- 5 -------------------------------------------------------------------
    def send_mail(self, ev, **kw):
        return self.stack.http("POST", UD + "/send-event-mail/",
                               dict({"event_id": ev, "audience": "interviewers"}, **kw),
                               token=self.hr["access_token"])

    def mails_to(self, who):
        """Outbox rows for who, once no mail job of theirs is left to run."""
        wait_for(lambda: self.stack.sql(
            "SELECT count(*) FROM jobs WHERE kind IN ('event_mail', 'mail') AND state "
            "NOT IN ('completed', 'discarded')") == [["0"]], 30, "mail jobs")
        return int(self.stack.sql("SELECT count(*) FROM mail_outbox WHERE to_addr = :'v1'",
                                  who["user"]["email"])[0][0])

    def test_event_mail_again(self):
        iv, = self.ivs(1)
        ev, _ = self.event([("One", [iv])])
        r = self.send_mail(ev)
        self.assertStatus(r, 202)
        self.assertEqual(self.mails_to(iv), 1)
        # The same mail again: refused, with when it went.
        again = self.send_mail(ev, audience="all")
        self.assertError(again, 409, "already_sent")
        self.assertRegex(again.json["error"]["sent_at"], r"^\d{4}-\d\d-\d\dT")
        self.assertEqual(self.mails_to(iv), 1)
        # A reminder is another mail.
        self.assertStatus(self.send_mail(ev, kind="reminder"), 202)
        self.assertEqual(self.mails_to(iv), 2)
        self.assertError(self.send_mail(ev, kind="reminder"), 409, "already_sent")
        # The event changed: the invitation goes again.
        self.stack.sql("UPDATE events SET location = 'Pune' WHERE id = :'v1'", ev)
        r = self.send_mail(ev)
        self.assertStatus(r, 202)
        self.assertEqual(self.mails_to(iv), 3)
        # The fan-out run again (a retry, a crash) sends no second copy.
        self.stack.sql("UPDATE jobs SET state = 'available', finalized_at = NULL, "
                       "run_at = now() WHERE unique_key = :'v1'",
                       "event_mail:%d" % r.json["mailing_id"])
        self.assertEqual(self.mails_to(iv), 3)
        # After the window the same mail may go again.
        self.stack.sql("UPDATE event_mailings SET created_at = created_at - interval "
                       "'2 hours' WHERE event_id = :'v1'", ev)
        self.assertStatus(self.send_mail(ev), 202)
        self.assertEqual(self.mails_to(iv), 4)
        self.assertError(self.send_mail(ev, kind="nag"), 400, field="kind")


    # --- 11 ------------------------------------------------------------------
    def patch_event(self, body):
        return self.stack.http("PATCH", EV + "/event/", body, token=self.hr["access_token"])

    def rounds_of(self, ev):
        rows = self.stack.sql(
            "SELECT ro.id, ro.name, coalesce((SELECT string_agg(user_id::text, ',' ORDER BY "
            "user_id) FROM round_interviewers WHERE round_id = ro.id), ''), coalesce((SELECT "
            "string_agg(text, '|' ORDER BY position) FROM questions WHERE round_id = ro.id), '') "
            "FROM rounds ro WHERE ro.event_id = :'v1' ORDER BY ro.position", ev)
        return [(int(a), b, c, d) for a, b, c, d in rows]

    def test_rounds_change_until_interviews_start(self):
        a, b, c = self.ivs(3)
        ev, (r1, r2) = self.event([("One", [a]), ("Two", [b])])
        x, y = self.candidates(ev, 2)
        self.mapping({"round_id": r1})
        r = self.patch_event({"event_id": ev, "rounds": [
            {"name": "Screen", "interviewers": [c["user"]["id"]], "questions": ["New?"]},
            {"name": "Final"},
            {"name": "Extra", "interviewers": [a["user"]["id"]], "questions": [{"text": "Q3"}]}]})
        self.assertStatus(r, 200)
        self.assertEqual([ro["name"] for ro in r.json["rounds"]], ["Screen", "Final", "Extra"])
        got = self.rounds_of(ev)
        self.assertEqual(got[:2], [(r1, "Screen", str(c["user"]["id"]), "New?"),
                                   (r2, "Final", str(b["user"]["id"]),
                                    "Tell us about a hard bug.")])
        self.assertEqual(got[2][1:], ("Extra", str(a["user"]["id"]), "Q3"))
        # The queue follows the new interviewer.
        self.assertEqual({iv for iv, _ in self.placed(r1).values()}, {c["user"]["id"]})
        # Bad rounds change nothing.
        for bad in ([], [{"name": ""}], [{"name": "X", "interviewers": [999999]}]):
            self.assertError(self.patch_event({"event_id": ev, "rounds": bad}), 400,
                             field="rounds" if bad != [{"name": ""}] else "rounds[0].name")
        self.assertEqual(self.rounds_of(ev), got)
        # Fewer rounds.
        self.assertStatus(self.patch_event({"event_id": ev, "rounds": [
            {"name": "Screen"}, {"name": "Final"}]}), 200)
        self.assertEqual(len(self.rounds_of(ev)), 2)
        # Once the first interview started: 409, nothing changes.
        self.assertStatus(self.act(c, "start_next", r1), 200)
        before = self.rounds_of(ev)
        r = self.patch_event({"event_id": ev, "title": "Renamed", "rounds": [{"name": "Only"}]})
        self.assertError(r, 409, "interviews_started")
        self.assertEqual(self.rounds_of(ev), before)
        self.assertEqual(self.stack.sql("SELECT title FROM events WHERE id = :'v1'", ev),
                         [["Platform Engineer"]])
        # Job details still change.
        self.assertStatus(self.patch_event({"event_id": ev, "title": "Renamed"}), 200)


if __name__ == "__main__":
    main()
