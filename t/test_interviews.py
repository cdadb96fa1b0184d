"""Interview day through nginx: queues, the live actions over REST and the
WebSocket room, reviews with the advance rule, attendance and chat; and the
candidate's whole path from upload to selection."""
import asyncio
import base64
import collections
import json
import os
import subprocess
import sys
import threading
import urllib.request

import websockets

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TestCase, main, wait_for  # noqa: E402
import pdfgen  # noqa: E402

EV = "/bulk_hiring/event/v1"


class Inbox:
    """A WebSocket and every frame it received (all), read or not."""

    def __init__(self, ws):
        self.ws = ws
        self.all = []
        self.unread = []

    async def wait(self, pred, timeout=5):
        """The first message (JSON) pred accepts, read or arriving."""
        for i, m in enumerate(self.unread):
            if pred(m):
                return self.unread.pop(i)
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), max(0.05, end - loop.time()))
            self.all.append(raw)
            try:
                m = json.loads(raw)
            except ValueError:
                m = {"raw": raw}
            if pred(m):
                return m
            self.unread.append(m)

    async def drain(self, quiet=0.5):
        """Read until nothing arrived for quiet seconds."""
        try:
            while True:
                self.all.append(await asyncio.wait_for(self.ws.recv(), quiet))
        except asyncio.TimeoutError:
            pass


class Interviews(TestCase):
    stack_args = {"worker": True, "fcgi_workers": 3,
                  "env": {"OTP_RATE_IP": "10000", "JOB_POLL_MS": "200",
                          "MAIL_BACKEND": "file"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.stack
        cls.hr = s.make_user("Hr")
        cls.hr2 = s.make_user("Hr")
        cls.ivs = [s.make_user("Interviewer") for _ in range(4)]

    def event(self, rounds):
        body = {"title": "Platform Engineer", "department": "Engineering",
                "skills": {"required": ["C"], "preferred": []}, "status": "Active",
                "rounds": [{"name": n, "interviewers": [iv["user"]["id"] for iv in ivs],
                            "questions": ["Tell us about a hard bug."]} for n, ivs in rounds]}
        r = self.stack.http("POST", EV + "/event/", body, token=self.hr["access_token"])
        self.assertStatus(r, 201)
        return r.json["event_id"], [x["round_id"] for x in r.json["rounds"]]

    def candidates(self, ev, n, shortlist=True):
        out = []
        for i in range(n):
            c = self.stack.make_user("Interviewee")
            pdf, _ = pdfgen.resume(9000 + len(out) + ev * 100)
            r = self.stack.http("POST", EV + "/event-register/",
                                {"event_id": ev, "resume": {"file_name": "cv.pdf",
                                                            "content_base64": base64.b64encode(pdf).decode()}},
                                token=c["access_token"])
            self.assertStatus(r, 201)
            c["reg"] = r.json["registration_id"]
            if shortlist:
                self.assertStatus(self.stack.http(
                    "PATCH", EV + "/modified-shortlisted",
                    {"registration_id": c["reg"], "shortlisted": True},
                    token=self.hr["access_token"]), 200)
            out.append(c)
        return out

    def act(self, who, action, round_id, **kw):
        body = dict({"action": action, "session_id": round_id}, **kw)
        return self.stack.http("POST", EV + "/interview-action/", body, token=who["access_token"])

    def review(self, who, reg, round_id, result, **kw):
        return self.stack.http("POST", EV + "/candidate-review/",
                               dict({"registration_id": reg, "round_id": round_id, "rating": 4,
                                     "comments": "clear thinking", "result": result}, **kw),
                               token=who["access_token"])

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

    def test_whole_path_to_selection(self):
        iv1, iv2 = self.ivs[0], self.ivs[1]
        ev, (r1, r2) = self.event([("Technical", [iv1]), ("Final", [iv2])])
        cand = self.candidates(ev, 1)[0]
        # Scored by the worker from the uploaded resume.
        wait_for(lambda: self.stack.sql("SELECT ats_score IS NOT NULL FROM registrations "
                                        "WHERE id = :'v1'", cand["reg"]) == [["t"]], 60, "score")
        r = self.stack.http("POST", EV + "/zoom-mapping/", {"round_id": r1, "mode": "auto"},
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["queues"][0]["entries"][0]["registration_id"], cand["reg"])
        # The live interview.
        r = self.act(iv1, "start_next", r1)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["registration_id"], cand["reg"])
        self.assertError(self.act(iv1, "start_next", r1), 409)
        self.assertStatus(self.act(cand, "accept_interview", r1), 200)
        self.assertStatus(self.act(iv1, "complete_interview", r1), 200)
        # Round 1 pass -> queued in round 2.
        r = self.review(iv1, cand["reg"], r1, "pass")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["status"], "interviewing")
        q = self.stack.sql("SELECT interviewer_id, status FROM interview_queue WHERE "
                           "round_id = :'v1' AND registration_id = :'v2'", r2, cand["reg"])
        self.assertEqual(q, [[str(iv2["user"]["id"]), "waiting"]])
        # Reviewing someone not in your round.
        self.assertError(self.review(iv1, cand["reg"], r2, "pass"), 403)
        # Last round pass -> selected.
        self.interview(iv2, cand, r2)
        r = self.review(iv2, cand["reg"], r2, "pass")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["status"], "selected")
        r = self.stack.http("GET", EV + "/all-selected-users/?event_id=%d" % ev,
                            token=self.hr["access_token"])
        self.assertEqual([x["registration_id"] for x in r.json["results"]], [cand["reg"]])
        # Round 1's review can no longer change.
        self.assertError(self.review(iv1, cand["reg"], r1, "fail"), 409)
        r = self.act(cand, "get_result", r2)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "selected")
        self.assertEqual([x["result"] for x in r.json["reviews"]], ["pass", "pass"])

    def test_fail_rejects_and_edits(self):
        iv1, iv2 = self.ivs[0], self.ivs[1]
        ev, (r1, r2) = self.event([("Technical", [iv1]), ("Final", [iv2])])
        a, b = self.candidates(ev, 2)
        self.stack.http("POST", EV + "/zoom-mapping/", {"round_id": r1},
                        token=self.hr["access_token"])
        self.interview(iv1, a, r1)
        r = self.review(iv1, a["reg"], r1, "fail")
        self.assertEqual(r.json["status"], "rejected")
        # Same interviewer amends: pass now moves it on.
        r = self.review(iv1, a["reg"], r1, "pass", amend=True, reason="wrong button")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "interviewing")
        # ... and back to fail removes the waiting place in round 2.
        r = self.review(iv1, a["reg"], r1, "fail", amend=True, reason="on reflection")
        self.assertEqual(r.json["status"], "rejected")
        self.assertEqual(self.stack.sql("SELECT count(*) FROM interview_queue WHERE "
                                        "round_id = :'v1' AND registration_id = :'v2'",
                                        r2, a["reg"]), [["0"]])
        # Another interviewer of the round cannot overwrite it.
        self.stack.sql("INSERT INTO round_interviewers VALUES (:'v1', :'v2')", r1,
                       self.ivs[2]["user"]["id"])
        self.assertError(self.review(self.ivs[2], a["reg"], r1, "pass", amend=True,
                                     reason="mine"), 403)
        # Validation, nothing written.
        n = self.stack.sql("SELECT count(*) FROM reviews")
        r = self.stack.http("POST", EV + "/candidate-review/",
                            {"registration_id": b["reg"], "round_id": r1, "rating": 9,
                             "result": "maybe", "ratings": [{"question_id": 1}]},
                            token=iv1["access_token"])
        self.assertError(r, 400, "validation_failed")
        self.assertEqual(set(r.json["error"]["fields"]), {"rating", "result", "ratings"})
        self.assertEqual(self.stack.sql("SELECT count(*) FROM reviews"), n)
        self.assertError(self.review(self.cand_token(), b["reg"], r1, "pass"), 403)

    def cand_token(self):
        return self.stack.make_user("Interviewee")

    def test_auto_assignment_balances(self):
        ev, (r1,) = self.event([("Screen", self.ivs[:3])])
        self.candidates(ev, 7)
        r = self.stack.http("POST", EV + "/zoom-mapping/", {"round_id": r1, "mode": "auto"},
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        sizes = sorted(len(q["entries"]) for q in r.json["queues"])
        self.assertEqual(sizes, [2, 2, 3])
        # Running it again queues nobody twice.
        r = self.stack.http("POST", EV + "/zoom-mapping/", {"round_id": r1},
                            token=self.hr["access_token"])
        self.assertEqual(sum(len(q["entries"]) for q in r.json["queues"]), 7)
        # An interviewer sees only their queue; another HR nothing.
        r = self.stack.http("GET", EV + "/zoom-mapping/?round_id=%d" % r1,
                            token=self.ivs[0]["access_token"])
        self.assertEqual(len(r.json["queues"]), 1)
        r = self.stack.http("GET", EV + "/zoom-mapping/?round_id=%d" % r1,
                            token=self.hr2["access_token"])
        self.assertError(r, 403)
        # Move one by hand.
        q = r1
        entry = self.stack.sql("SELECT id FROM interview_queue WHERE round_id = :'v1' "
                               "AND interviewer_id = :'v2' LIMIT 1", q, self.ivs[0]["user"]["id"])[0][0]
        r = self.stack.http("PATCH", EV + "/zoom-mapping/",
                            {"queue_id": int(entry), "interviewer_id": self.ivs[1]["user"]["id"]},
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(self.stack.sql("SELECT interviewer_id FROM interview_queue WHERE id = :'v1'",
                                        entry), [[str(self.ivs[1]["user"]["id"])]])
        r = self.stack.http("PATCH", EV + "/zoom-mapping/",
                            {"queue_id": int(entry), "interviewer_id": self.hr2["user"]["id"]},
                            token=self.hr["access_token"])
        self.assertError(r, 400, field="interviewer_id")

    def test_concurrent_start_next_never_shares(self):
        ev, (r1,) = self.event([("Panel", [self.ivs[3]])])
        self.candidates(ev, 4)
        self.stack.http("POST", EV + "/zoom-mapping/", {"round_id": r1},
                        token=self.hr["access_token"])
        results = []

        def go():
            results.append(self.act(self.ivs[3], "start_next", r1))
        ts = [threading.Thread(target=go) for _ in range(6)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        ok = [x for x in results if x.status == 200]
        self.assertEqual(len(ok), 1, [x.status for x in results])
        self.assertEqual(self.stack.sql("SELECT count(*) FROM interview_queue WHERE round_id = :'v1' "
                                        "AND status = 'called'", r1), [["1"]])

    @staticmethod
    async def recv_live(ws):
        """The next message that is not a queue note: nchan 1.3.6 may hand a
        new socket of several channels a message its user channel got just
        before it opened (the mapping's "queue_changed" and "queued")."""
        while True:
            m = json.loads(await asyncio.wait_for(ws.recv(), 5))
            if m.get("type") not in ("queue_changed", "queued"):
                return m

    def test_room_over_websocket(self):
        iv = self.ivs[2]
        ev, (r1,) = self.event([("Live", [iv])])
        cand, other = self.candidates(ev, 2)
        self.stack.http("POST", EV + "/zoom-mapping/", {"round_id": r1},
                        token=self.hr["access_token"])
        first = self.stack.sql("SELECT g.user_id FROM interview_queue q JOIN registrations g ON "
                               "g.id = q.registration_id WHERE q.round_id = :'v1' ORDER BY "
                               "q.position LIMIT 1", r1)[0][0]
        if int(first) != cand["user"]["id"]:
            cand, other = other, cand
        outsider = self.stack.make_user("Interviewee")

        def url(who, session=r1, token=None):
            return "ws://127.0.0.1:%d/ws/connectify_bulk_hiring/%s/%s/?token=%s" % (
                self.stack.port, session, who["user"]["username"], token or who["access_token"])

        async def status(u):
            try:
                async with websockets.connect(u, open_timeout=5):
                    return 101
            except websockets.exceptions.InvalidStatusCode as e:
                return e.status_code

        async def go():
            self.assertEqual(await status(url(outsider)), 403)
            self.assertEqual(await status(url(cand, token="bad")), 401)
            self.assertEqual(await status(url(cand, token=other["access_token"])), 403)
            async with websockets.connect(url(iv)) as wi, websockets.connect(url(cand)) as wc:
                loop = asyncio.get_running_loop()
                r = await loop.run_in_executor(None, self.act, iv, "start_next", r1)
                self.assertEqual(r.status, 200)
                got_i = await self.recv_live(wi)
                got_c = await self.recv_live(wc)
                self.assertEqual(got_i["type"], "called")
                self.assertEqual(got_c["candidate"], cand["user"]["username"])
                r = await loop.run_in_executor(None, self.act, cand, "accept_interview", r1)
                self.assertEqual(r.status, 200)
                got_i = await self.recv_live(wi)
                self.assertEqual((got_i["type"], got_i["status"]),
                                 ("accept_interview", "accepted"))
        asyncio.run(go())

    # --- actions as WebSocket frames ---------------------------------------------
    def room_url(self, who, round_id):
        return "ws://127.0.0.1:%d/ws/connectify_bulk_hiring/%s/%s/?token=%s" % (
            self.stack.port, round_id, who["user"]["username"], who["access_token"])

    def live_round(self, n=2):
        """A new interviewer's round with n mapped candidates, in queue order.
        A new interviewer: nchan may hand a new socket messages its user
        channel got in the same second, so tests do not share one."""
        iv = self.stack.make_user("Interviewer")
        ev, (r1,) = self.event([("Live", [iv])])
        cands = self.candidates(ev, n)
        self.assertStatus(self.stack.http("POST", EV + "/zoom-mapping/", {"round_id": r1},
                                          token=self.hr["access_token"]), 200)
        order = [int(x[0]) for x in self.stack.sql(
            "SELECT g.user_id FROM interview_queue q JOIN registrations g ON g.id = "
            "q.registration_id WHERE q.round_id = :'v1' ORDER BY q.position", r1)]
        cands.sort(key=lambda c: order.index(c["user"]["id"]))
        return iv, r1, cands

    def assertNginxAlive(self):
        self.assertEqual(self.stack.nginx_crashes(), [], "an nginx worker died")

    def action(self, who, body):
        return self.stack.http("POST", EV + "/interview-action/", body,
                               token=who["access_token"])

    def test_actions_over_rest_reach_sockets(self):
        iv, r1, (cand, other) = self.live_round()
        marker = "raw-frame-marker-%d" % r1
        boxes = {}

        async def go():
            loop = asyncio.get_running_loop()
            act = lambda who, body: loop.run_in_executor(None, self.action, who, body)
            async with websockets.connect(self.room_url(iv, r1)) as wi, \
                    websockets.connect(self.room_url(cand, r1)) as wc, \
                    websockets.connect(self.room_url(other, r1)) as wo:
                bi, bc, bo = Inbox(wi), Inbox(wc), Inbox(wo)
                boxes.update(iv=bi, cand=bc, other=bo)
                # The interviewer calls the next candidate.
                res = await act(iv, {"action": "start_next", "session_id": r1, "note": marker})
                self.assertEqual(res.status, 200, res)
                self.assertEqual(res.json["registration_id"], cand["reg"])
                self.assertEqual(res.json["candidate"], cand["user"]["username"])
                self.assertEqual(res.json["session_id"], r1)
                # "called" reaches the room and the candidate.
                called = lambda m: m.get("type") == "called"
                for box in (bc, bo, bi):
                    got = await box.wait(called)
                    self.assertEqual((got["candidate"], got["interviewer"]),
                                     (cand["user"]["username"], iv["user"]["username"]))
                self.assertEqual(got["registration_id"], cand["reg"])
                res = await act(cand, {"action": "accept_interview", "session_id": r1})
                self.assertEqual((res.status, res.json["status"]), (200, "accepted"), res)
                got = await bi.wait(lambda m: m.get("type") == "accept_interview")
                self.assertEqual((got["candidate"], got["status"]),
                                 (cand["user"]["username"], "accepted"))
                res = await act(iv, {"action": "complete_interview", "session_id": r1})
                self.assertEqual((res.status, res.json["status"]), (200, "done"), res)
                await bo.wait(lambda m: m.get("type") == "completed")
                res = await act(iv, {"action": "get_all_queues", "session_id": r1})
                self.assertEqual(res.status, 200)
                self.assertEqual(res.json["round_id"], r1)
                for box in (bi, bc, bo):
                    await box.drain()
        asyncio.run(go())
        self.assertEqual(self.stack.sql("SELECT g.user_id, q.status FROM interview_queue q JOIN "
                                        "registrations g ON g.id = q.registration_id WHERE "
                                        "q.round_id = :'v1' ORDER BY q.position", r1),
                         [[str(cand["user"]["id"]), "done"], [str(other["user"]["id"]), "waiting"]])
        for who, box in boxes.items():
            for raw in box.all:
                self.assertNotIn(marker, raw, who)
                self.assertIn("type", json.loads(raw), (who, raw))
        self.assertNginxAlive()

    def test_socket_frames_close_and_change_nothing(self):
        # Sockets receive only (nchan 1.3.6 crashes on client frames it
        # hands on): a frame closes its socket, 1008, and acts on nothing.
        iv, r1, (cand, other) = self.live_round()

        async def go():
            async with websockets.connect(self.room_url(cand, r1)) as wc, \
                    websockets.connect(self.room_url(other, r1)) as wo:
                for frame in ('{"action": "leave"}', "this is not json"):
                    async with websockets.connect(self.room_url(cand, r1)) as w:
                        await w.send(frame)
                        with self.assertRaises(websockets.exceptions.ConnectionClosed):
                            while True:
                                await asyncio.wait_for(w.recv(), 5)
                        self.assertEqual(w.close_code, 1008)
                        # nchan 1.3.6 cuts "Publishing not allowed." short
                        self.assertTrue(w.close_reason.startswith("Publish"), w.close_reason)
                # The other sockets still hear the room.
                res = await asyncio.get_running_loop().run_in_executor(
                    None, self.action, iv, {"action": "start_next", "session_id": r1})
                self.assertEqual(res.status, 200, res)
                for box in (Inbox(wc), Inbox(wo)):
                    got = await box.wait(lambda m: m.get("type") == "called")
                    self.assertEqual(got["candidate"], cand["user"]["username"])
        asyncio.run(go())
        self.assertEqual(self.stack.sql("SELECT g.user_id, q.status FROM interview_queue q JOIN "
                                        "registrations g ON g.id = q.registration_id WHERE "
                                        "q.round_id = :'v1' ORDER BY q.position", r1),
                         [[str(cand["user"]["id"]), "called"], [str(other["user"]["id"]), "waiting"]])
        self.assertNginxAlive()

    def test_oversized_frame_closes_only_that_socket(self):
        iv, r1, (cand,) = self.live_round(1)

        async def go():
            async with websockets.connect(self.room_url(iv, r1)) as wi, \
                    websockets.connect(self.room_url(cand, r1)) as wc:
                await wc.send(json.dumps({"action": "leave", "pad": "x" * 20000}))
                with self.assertRaises(websockets.exceptions.ConnectionClosed):
                    while True:
                        await asyncio.wait_for(wc.recv(), 5)
                self.assertEqual(wc.close_code, 1008)
                # Another socket on the same nginx still works.
                st = await asyncio.get_running_loop().run_in_executor(
                    None, self.stack.publish, "user_" + iv["user"]["username"],
                    {"type": "ping"})
                self.assertEqual(st, 201)
                await Inbox(wi).wait(lambda m: m.get("type") == "ping")
        asyncio.run(go())
        self.assertEqual(self.stack.sql("SELECT status FROM interview_queue WHERE round_id = :'v1'",
                                        r1), [["waiting"]])
        self.assertNginxAlive()

    def test_interview_url_serves_eventsource(self):
        iv, r1, (cand,) = self.live_round(1)
        url = "http://127.0.0.1:%d/ws/connectify_bulk_hiring/%d/%s/?token=%s" % (
            self.stack.port, r1, cand["user"]["username"], cand["access_token"])
        req = urllib.request.Request(url, headers={"Accept": "text/event-stream"})
        with urllib.request.urlopen(req, timeout=10) as r:
            self.assertIn("text/event-stream", r.headers["Content-Type"])

            res = self.action(iv, {"action": "start_next", "session_id": r1})
            self.assertEqual(res.status, 200, res)
            data = None
            while data is None:
                line = r.readline().decode().strip()
                if line.startswith("data:"):
                    data = json.loads(line[5:].strip())
        self.assertEqual((data["type"], data["candidate"]), ("called", cand["user"]["username"]))
        # A POST to the interview URL publishes nothing.
        r = self.stack.http("POST", "/ws/connectify_bulk_hiring/%d/%s/?token=%s" % (
            r1, cand["user"]["username"], cand["access_token"]), {"action": "leave"})
        self.assertIn(r.status, (403, 405))
        self.assertEqual(self.stack.channel_status("wsin_" + cand["user"]["username"]), 404)
        self.assertEqual(self.stack.sql("SELECT status FROM interview_queue WHERE round_id = :'v1'",
                                        r1), [["called"]])
        self.assertNginxAlive()

    def test_attendance_and_chat(self):
        iv = self.ivs[1]
        ev, (r1,) = self.event([("Chat", [iv])])
        a, b = self.candidates(ev, 2, shortlist=False)
        r = self.stack.http("POST", EV + "/interviewee-join/", {"event_id": ev, "round_id": r1},
                            token=a["access_token"])
        self.assertStatus(r, 201)
        r = self.stack.http("POST", EV + "/zoom-attendance/",
                            {"event_id": ev, "round_id": r1, "action": "join"},
                            token=iv["access_token"])
        self.assertStatus(r, 201)
        r = self.stack.http("GET", EV + "/zoom-joined-user/?event_id=%d&round_id=%d" % (ev, r1),
                            token=self.hr["access_token"])
        self.assertEqual(sorted(x["role"] for x in r.json), ["Interviewee", "Interviewer"])
        self.assertStatus(self.stack.http("POST", EV + "/zoom-attendance/",
                                          {"event_id": ev, "round_id": r1, "action": "leave"},
                                          token=a["access_token"]), 200)
        r = self.stack.http("GET", EV + "/zoom-joined-user/?event_id=%d" % ev,
                            token=self.hr["access_token"])
        self.assertEqual([x["role"] for x in r.json], ["Interviewer"])
        self.assertError(self.stack.http("POST", EV + "/zoom-attendance/",
                                         {"event_id": ev, "action": "wave"},
                                         token=a["access_token"]), 400, field="action")
        # Chat: HR <-> a; b cannot read it; another HR cannot either.
        r = self.stack.http("POST", EV + "/hr-user-chatting/",
                            {"event_id": ev, "candidate_id": a["user"]["id"], "message": "Hi <b>"},
                            token=self.hr["access_token"])
        self.assertStatus(r, 201)
        r = self.stack.http("POST", EV + "/hr-user-chatting/",
                            {"event_id": ev, "message": "Hello!"}, token=a["access_token"])
        self.assertStatus(r, 201)
        r = self.stack.http("GET", EV + "/hr-user-chatting/?event_id=%d" % ev,
                            token=a["access_token"])
        self.assertEqual([m["message"] for m in r.json["results"]], ["Hi <b>", "Hello!"])
        r = self.stack.http("GET", EV + "/hr-user-chatting/?event_id=%d&candidate_id=%d"
                            % (ev, a["user"]["id"]), token=b["access_token"])
        self.assertError(r, 403)
        r = self.stack.http("GET", EV + "/hr-user-chatting/?event_id=%d&candidate_id=%d"
                            % (ev, a["user"]["id"]), token=self.hr2["access_token"])
        self.assertError(r, 403)
        r = self.stack.http("GET", EV + "/hr-user-chatting/?event_id=%d&candidate_id=%d"
                            % (ev, a["user"]["id"]), token=self.hr["access_token"])
        self.assertEqual(r.json["count"], 2)
        r = self.stack.http("POST", EV + "/hr-user-chatting/", {"event_id": ev, "message": ""},
                            token=a["access_token"])
        self.assertError(r, 400, field="message")


    # --- completing, and database failures ----------------------------------------
    def mapping(self, body, token=None):
        return self.stack.http("POST", EV + "/zoom-mapping/", body,
                               token=token or self.hr["access_token"])

    def held_session(self, sql):
        """A psql session that ran sql in a transaction it keeps open:
        close it with release()."""
        p = subprocess.Popen(["psql", self.stack.env["DATABASE_URL"], "-XAtq", "-v",
                              "ON_ERROR_STOP=1"], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, text=True,
                             env=dict(self.stack.env, PGAPPNAME="held_by_test"))
        p.stdin.write("BEGIN;\n%s\n" % sql)
        p.stdin.flush()
        wait_for(lambda: self.stack.sql(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'held_by_test' "
            "AND state = 'idle in transaction'") == [["1"]], 10, "the held session")
        return p

    def release(self, p, end="COMMIT"):
        p.stdin.write(end + ";\n")
        p.stdin.close()
        self.assertEqual(p.wait(10), 0)

    def waiting_on(self, event):
        """Backends (not the held session) waiting for a lock of that kind."""
        return self.stack.sql("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                              "AND wait_event = :'v1' AND application_name <> 'held_by_test'",
                              event)

    def test_complete_twice_and_after_losing_a_race(self):
        iv = self.stack.make_user("Interviewer")
        ev, (r1,) = self.event([("Panel", [iv])])
        cands = {c["reg"]: c for c in self.candidates(ev, 2)}
        self.assertStatus(self.mapping({"round_id": r1}), 200)
        first = self.act(iv, "start_next", r1)
        self.assertStatus(first, 200)
        # Not before the candidate accepted the call.
        self.assertError(self.act(iv, "complete_interview", r1), 409, "not_accepted")
        self.assertStatus(self.act(cands[first.json["registration_id"]], "accept_interview",
                                   r1), 200)
        self.assertStatus(self.act(iv, "complete_interview", r1), 200)
        self.assertError(self.act(iv, "complete_interview", r1), 409, "no_interview")
        # The next one is called; the candidate leaves while the interviewer
        # completes: the leave holds the row until it commits.
        second = self.act(iv, "start_next", r1)
        self.assertStatus(second, 200)
        self.assertStatus(self.act(cands[second.json["registration_id"]], "accept_interview",
                                   r1), 200)
        qid = second.json["queue_id"]
        lock = self.held_session("UPDATE interview_queue SET status = 'left' WHERE id = %d;" % qid)
        out = []
        t = threading.Thread(target=lambda: out.append(self.act(iv, "complete_interview", r1)))
        try:
            t.start()
            wait_for(lambda: self.waiting_on("transactionid"), 10, "complete waiting on the row")
        finally:
            self.release(lock)
            t.join(10)
        self.assertError(out[0], 409, "interview_ended")
        self.assertEqual(self.stack.sql("SELECT status FROM interview_queue WHERE id = :'v1'",
                                        qid), [["left"]])
        self.assertEqual(self.stack.sql("SELECT status FROM interview_queue WHERE id = :'v1'",
                                        first.json["queue_id"]), [["done"]])

    def test_database_failure_is_503_not_403(self):
        # The connection dies while the interviewer check waits on a lock.
        iv = self.stack.make_user("Interviewer")
        ev, (r1,) = self.event([("Solo", [iv])])
        cand = self.candidates(ev, 1)[0]
        self.assertStatus(self.mapping({"round_id": r1}), 200)
        self.interview(iv, cand, r1)
        for call in (lambda: self.review(iv, cand["reg"], r1, "pass"),
                     lambda: self.act(iv, "get_all_queues", r1)):
            # Every pool process has its connection back (the last call ended
            # one; a reconnection prepares statements, which would wait on
            # the lock too, and be ended there instead of the call).
            for _ in range(12):
                self.assertStatus(self.stack.http("GET", "/healthz"), 200)
            lock = self.held_session("LOCK TABLE round_interviewers IN ACCESS EXCLUSIVE MODE;")
            out = []
            t = threading.Thread(target=lambda: out.append(call()))
            try:
                t.start()
                # The FastCGI pool's backends only: a worker job may wait on
                # the same lock meanwhile.
                pool = ("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND wait_event = 'relation' AND application_name <> 'held_by_test' "
                        "AND application_name NOT LIKE 'connectify-worker/%%'")
                wait_for(lambda: self.stack.sql(pool), 10, "a request waiting on the lock")
                self.stack.sql("SELECT pg_terminate_backend(pid) FROM (%s) w" % pool)
            finally:
                self.release(lock, "ROLLBACK")
                t.join(10)
            self.assertError(out[0], 503, "database_unavailable")
        # The pool reconnects by itself.
        self.assertStatus(self.review(iv, cand["reg"], r1, "pass"), 201)

    # --- who hears what: each person's own channel -------------------------------
    def user_ws(self, who):
        return "ws://127.0.0.1:%d/ws/user/%s/?token=%s" % (
            self.stack.port, who["user"]["username"], who["access_token"])

    def overhear(self, people, action):
        """Run action() while each of people listens on their own channel
        (/ws/user/); return its result and, per person, the messages published
        to them meanwhile.  A mark published to each channel after action()
        ends each list: the app publishes before it answers and nchan keeps a
        channel's order.  The worker's "resume" notes to HR are left out."""
        async def go():
            socks = []
            try:
                for p in people:
                    socks.append(await websockets.connect(self.user_ws(p), open_timeout=5))
                loop = asyncio.get_running_loop()
                res = await loop.run_in_executor(None, action)
                heard = []
                for p, ws in zip(people, socks):
                    st = await loop.run_in_executor(None, self.stack.publish,
                                                    "user_" + p["user"]["username"],
                                                    {"type": "test_mark"})
                    self.assertEqual(st, 201)
                    got = []
                    while True:
                        m = json.loads(await asyncio.wait_for(ws.recv(), 5))
                        if m.get("type") == "test_mark":
                            break
                        if m.get("type") != "resume":
                            got.append(m)
                    heard.append(got)
                return res, heard
            finally:
                for ws in socks:
                    await ws.close()
        return asyncio.run(go())

    @staticmethod
    def types(heard):
        return [[m["type"] for m in h] for h in heard]

    def places(self, queues):
        """{registration_id: (interviewer username, queue_id, position)} of a
        queues answer; position counts the waiting from 1."""
        out = {}
        for q in queues["queues"]:
            n = 0
            for e in q["entries"]:
                if e["status"] in ("waiting", "called"):
                    n += 1
                out[e["registration_id"]] = (q["interviewer"]["username"], e["queue_id"], n)
        return out

    def assertPlace(self, msg, round_id, reg, place):
        self.assertEqual((msg["round_id"], msg["registration_id"], msg["interviewer"]["username"],
                          msg["queue_id"], msg["position"]), (round_id, reg) + place, msg)

    def test_auto_assignment_tells_interviewers_and_candidates(self):
        a, b, c = (self.stack.make_user("Interviewer") for _ in range(3))
        ev, (r1, r2) = self.event([("Screen", [a, b]), ("Final", [c])])
        cands = self.candidates(ev, 3)
        unlisted = self.candidates(ev, 1, shortlist=False)[0]
        people = [self.hr, a, b, c, unlisted] + cands
        r, heard = self.overhear(people, lambda: self.mapping({"round_id": r1, "mode": "auto"}))
        self.assertStatus(r, 200)
        places = self.places(r.json)
        self.assertEqual(sorted(places), sorted(x["reg"] for x in cands))
        self.assertEqual(self.types(heard)[:5], [["queues_changed"], ["queue_changed"],
                                                 ["queue_changed"], [], []])
        self.assertEqual(heard[0][0]["round_id"], r1)
        self.assertEqual([h[0]["round_id"] for h in heard[1:3]], [r1, r1])
        for x, h in zip(cands, heard[5:]):
            self.assertEqual([m["type"] for m in h], ["queued"], x["user"]["username"])
            self.assertPlace(h[0], r1, x["reg"], places[x["reg"]])
            self.assertEqual(h[0]["status"], "waiting")
        # The same again queues nobody: only HR hears of it.
        r, heard = self.overhear(people, lambda: self.mapping({"round_id": r1}))
        self.assertStatus(r, 200)
        self.assertEqual(self.types(heard), [["queues_changed"]] + [[]] * 7)

    def test_hr_and_candidate_follow_each_step(self):
        a, b = (self.stack.make_user("Interviewer") for _ in range(2))
        ev, (r1,) = self.event([("Screen", [a, b])])
        x, y = self.candidates(ev, 2)
        places = self.places(self.mapping({"round_id": r1, "mode": "auto"}).json)
        mine, theirs = (x, y) if places[x["reg"]][0] == a["user"]["username"] else (y, x)
        self.assertEqual(places[theirs["reg"]][0], b["user"]["username"])
        people = [self.hr, mine, theirs]
        r, heard = self.overhear(people, lambda: self.act(a, "start_next", r1))
        self.assertStatus(r, 200)
        self.assertEqual(r.json["candidate"], mine["user"]["username"])
        # HR sees every step of its event; so does the candidate in it; one
        # waiting in another interviewer's room hears nothing of it.
        self.assertEqual(self.types(heard), [["called"], ["called"], []])
        steps = (("accept_interview", mine), ("complete_interview", a))
        for action, who in steps:
            r, heard = self.overhear(people, lambda: self.act(who, action, r1))
            self.assertStatus(r, 200)
            kind = "completed" if action == "complete_interview" else action
            self.assertEqual(self.types(heard), [[kind], [kind], []], action)
            self.assertEqual(heard[0][0]["queue_id"], places[mine["reg"]][1])

    def test_moving_a_candidate_tells_both_interviewers(self):
        a, b = (self.stack.make_user("Interviewer") for _ in range(2))
        ev, (r1,) = self.event([("Screen", [a, b])])
        x, y = self.candidates(ev, 2)
        places = self.places(self.mapping({"round_id": r1}).json)
        if places[x["reg"]][0] != a["user"]["username"]:
            x, y = y, x
        self.assertEqual([places[x["reg"]][0], places[y["reg"]][0]],
                         [a["user"]["username"], b["user"]["username"]])
        qid = places[x["reg"]][1]
        r, heard = self.overhear([self.hr, a, b, x, y], lambda: self.stack.http(
            "PATCH", EV + "/zoom-mapping/", {"queue_id": qid, "interviewer_id": b["user"]["id"]},
            token=self.hr["access_token"]))
        self.assertStatus(r, 200)
        # HR; both interviewers; the one moved hears their place, the one
        # already waiting for b that theirs may have changed.
        self.assertEqual(self.types(heard), [["queue_moved"], ["queue_changed"], ["queue_changed"],
                                             ["queue_moved"], ["queue_changed"]])
        self.assertEqual([h[0]["round_id"] for h in heard[1:3] + heard[4:]], [r1, r1, r1])
        self.assertPlace(heard[3][0], r1, x["reg"], (b["user"]["username"], qid, 2))
        # A new place in the same queue: that interviewer hears it once,
        # and x, now behind y, that its place may have moved.
        r, heard = self.overhear([a, b, y, x], lambda: self.stack.http(
            "PATCH", EV + "/zoom-mapping/", {"queue_id": places[y["reg"]][1], "position": 3},
            token=self.hr["access_token"]))
        self.assertStatus(r, 200)
        self.assertEqual(self.types(heard), [[], ["queue_changed"], ["queue_moved"],
                                             ["queue_changed"]])
        self.assertPlace(heard[2][0], r1, y["reg"], (b["user"]["username"], places[y["reg"]][1], 2))

    def test_a_new_place_reorders_the_queue(self):
        a = self.stack.make_user("Interviewer")
        ev, (r1,) = self.event([("Screen", [a])])
        cands = self.candidates(ev, 4)
        self.assertStatus(self.mapping({"round_id": r1}), 200)
        seen = self.act(a, "start_next", r1)      # one called: not waiting any more
        self.assertStatus(seen, 200)

        def order():
            r = self.stack.http("GET", EV + "/zoom-mapping/?round_id=%d" % r1,
                                token=self.hr["access_token"])
            self.assertStatus(r, 200)
            return [e["queue_id"] for q in r.json["queues"] for e in q["entries"]
                    if e["status"] == "waiting"]
        w = order()
        self.assertEqual(len(w), 3)
        last = w[-1]
        r = self.stack.http("PATCH", EV + "/zoom-mapping/", {"queue_id": last, "position": 1},
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(order(), [last, w[0], w[1]])
        r = self.stack.http("PATCH", EV + "/zoom-mapping/", {"queue_id": last, "position": 2},
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(order(), [w[0], last, w[1]])
        # The called one cannot be given a place.
        r = self.stack.http("PATCH", EV + "/zoom-mapping/",
                            {"queue_id": seen.json["queue_id"], "position": 1},
                            token=self.hr["access_token"])
        self.assertError(r, 409, "not_waiting")
        # Place 1 is the one called next (the one called did not come).
        self.assertStatus(self.act(a, "no_show", r1), 200)
        self.assertEqual(self.act(a, "start_next", r1).json["queue_id"], w[0])
        self.assertEqual(len(cands), 4)

    def test_review_tells_the_next_round_and_the_selection(self):
        a, b, c = (self.stack.make_user("Interviewer") for _ in range(3))
        ev, (r1, r2) = self.event([("Technical", [a]), ("Final", [b, c])])
        x, y = self.candidates(ev, 2)
        self.assertStatus(self.mapping({"round_id": r1}), 200)
        people = [self.hr, a, b, c, x, y]
        self.interview(a, x, r1)
        r, heard = self.overhear(people, lambda: self.review(a, x["reg"], r1, "pass"))
        self.assertStatus(r, 201)
        self.assertEqual(r.json["status"], "interviewing")
        q = self.stack.http("GET", EV + "/zoom-mapping/?round_id=%d" % r2,
                            token=self.hr["access_token"])
        place = self.places(q.json)[x["reg"]]
        gained, other = (b, c) if place[0] == b["user"]["username"] else (c, b)
        self.assertEqual(self.types(heard), [
            ["review"], [], ["queue_changed"] if gained is b else [],
            ["queue_changed"] if gained is c else [], ["review", "queued"], []])
        for h in (heard[0], heard[4]):
            self.assertEqual((h[0]["registration_id"], h[0]["result"], h[0]["status"]),
                             (x["reg"], "pass", "interviewing"))
        self.assertEqual(heard[people.index(gained)][0]["round_id"], r2)
        self.assertPlace(heard[4][1], r2, x["reg"], place)
        # The same interviewer amends it to fail: the next round loses them.
        r, heard = self.overhear(people, lambda: self.review(a, x["reg"], r1, "fail",
                                                             amend=True, reason="re-read notes"))
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "rejected")
        self.assertEqual(self.types(heard), [
            ["review"], [], ["queue_changed"] if gained is b else [],
            ["queue_changed"] if gained is c else [], ["review"], []])
        self.assertEqual(heard[4][0]["status"], "rejected")
        self.assertStatus(self.review(a, x["reg"], r1, "pass", amend=True, reason="again"), 200)
        gained = b if self.places(self.stack.http(
            "GET", EV + "/zoom-mapping/?round_id=%d" % r2,
            token=self.hr["access_token"]).json)[x["reg"]][0] == b["user"]["username"] else c
        other = c if gained is b else b
        # Someone still in round 1 cannot be reviewed in round 2.
        self.assertError(self.review(gained, y["reg"], r2, "pass"), 403, "forbidden")
        # The last round's pass selects: HR and the candidate hear it.
        self.interview(gained, x, r2)
        r, heard = self.overhear(people, lambda: self.review(gained, x["reg"], r2, "pass"))
        self.assertStatus(r, 201)
        self.assertEqual(r.json["status"], "selected")
        self.assertEqual(self.types(heard), [["review"], [], [], [], ["review"], []])
        self.assertEqual([h[0]["status"] for h in (heard[0], heard[4])], ["selected", "selected"])
        # A second interviewer's review is refused; the first may amend theirs.
        self.assertError(self.review(other, x["reg"], r2, "fail"), 403, "forbidden")
        r = self.review(gained, x["reg"], r2, "pass", amend=True, reason="typo")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "selected")
        self.assertError(self.review(a, x["reg"], r1, "fail"), 409, "already_advanced")

    def test_chat_reaches_the_other_party(self):
        iv = self.stack.make_user("Interviewer")
        ev, (r1,) = self.event([("Chat", [iv])])
        a, b = self.candidates(ev, 2, shortlist=False)

        def say(who, text, cand=None):
            body = {"event_id": ev, "message": text}
            if cand:
                body["candidate_id"] = cand["user"]["id"]
            return self.stack.http("POST", EV + "/hr-user-chatting/", body,
                                   token=who["access_token"])
        r, heard = self.overhear([self.hr, a, b, iv], lambda: say(self.hr, "Are you free at 3?", a))
        self.assertStatus(r, 201)
        self.assertEqual(self.types(heard), [["chat"], ["chat"], [], []])
        self.assertEqual(heard[1][0]["message"], "Are you free at 3?")
        self.assertEqual(heard[1][0]["sender_id"], self.hr["user"]["id"])
        r, heard = self.overhear([self.hr, a, b, iv], lambda: say(a, "Yes."))
        self.assertStatus(r, 201)
        self.assertEqual(self.types(heard), [["chat"], ["chat"], [], []])
        self.assertEqual((heard[0][0]["message"], heard[0][0]["sender_id"]), ("Yes.", a["user"]["id"]))
        # The event's interviewer is a third party to the thread.
        r = self.stack.http("GET", EV + "/hr-user-chatting/?event_id=%d&candidate_id=%d"
                            % (ev, a["user"]["id"]), token=iv["access_token"])
        self.assertError(r, 403, "forbidden")
        self.assertError(say(iv, "Hello", a), 403, "forbidden")
        self.assertError(say(b, "Hello", a), 403, "forbidden")

    # --- through the API alone -----------------------------------------------------
    def test_manual_assignment(self):
        a, b, off = (self.stack.make_user("Interviewer") for _ in range(3))
        ev, (r1, r2) = self.event([("Screen", [a, b]), ("Final", [off])])
        x, y, z = self.candidates(ev, 3)
        ev2, _ = self.event([("Elsewhere", [a])])
        stranger = self.candidates(ev2, 1)[0]

        def manual(*pairs, token=None):
            return self.mapping({"round_id": r1, "mode": "manual", "assignments": [
                {"registration_id": g["reg"], "interviewer_id": i["user"]["id"]} for g, i in pairs]},
                token=token)
        r, heard = self.overhear([self.hr, a, b, x, y, z], lambda: manual((x, b), (y, b)))
        self.assertStatus(r, 200)
        places = self.places(r.json)
        self.assertEqual(places[x["reg"]][::2], (b["user"]["username"], 1))
        self.assertEqual(places[y["reg"]][::2], (b["user"]["username"], 2))
        self.assertNotIn(z["reg"], places)
        self.assertEqual(self.types(heard), [["queues_changed"], [], ["queue_changed"],
                                             ["queued"], ["queued"], []])
        self.assertPlace(heard[3][0], r1, x["reg"], places[x["reg"]])
        self.assertPlace(heard[4][0], r1, y["reg"], places[y["reg"]])
        # Moving someone by hand: the queue they left and the one they join.
        r, heard = self.overhear([a, b, y], lambda: manual((y, a)))
        self.assertStatus(r, 200)
        self.assertEqual(self.types(heard), [["queue_changed"], ["queue_changed"], ["queued"]])
        self.assertEqual(heard[2][0]["interviewer"]["username"], a["user"]["username"])
        # Refusals write nothing, not even the good assignments before them.
        before = self.stack.sql("SELECT registration_id, interviewer_id, position FROM "
                                "interview_queue WHERE round_id = :'v1' ORDER BY 1", r1)
        self.assertError(manual((z, a), (stranger, a)), 400, field="assignments")
        self.assertError(manual((z, a), (x, off)), 400, field="assignments")
        self.assertError(self.mapping({"round_id": r1, "mode": "manual"}), 400,
                         field="assignments")
        self.assertError(self.mapping({"round_id": r1, "mode": "manual", "assignments": [
            {"registration_id": z["reg"]}]}), 400, field="assignments")
        self.assertError(self.mapping({"round_id": r1, "mode": "random"}), 400, field="mode")
        self.assertError(manual((z, a), token=self.hr2["access_token"]), 403)
        self.assertError(manual((z, a), token=a["access_token"]), 403)
        self.assertEqual(self.stack.sql("SELECT registration_id, interviewer_id, position FROM "
                                        "interview_queue WHERE round_id = :'v1' ORDER BY 1", r1),
                         before)

    def test_attendance_refusals(self):
        iv, stranger_iv = (self.stack.make_user("Interviewer") for _ in range(2))
        ev, (r1,) = self.event([("Door", [iv])])
        a = self.candidates(ev, 1, shortlist=False)[0]
        outsider = self.stack.make_user("Interviewee")

        def join(who):
            return self.stack.http("POST", EV + "/interviewee-join/",
                                   {"event_id": ev, "round_id": r1}, token=who["access_token"])

        def joined(who):
            return self.stack.http("GET", EV + "/zoom-joined-user/?event_id=%d&round_id=%d"
                                   % (ev, r1), token=who["access_token"])
        # Only the event's candidates join as interviewees.
        for who in (iv, self.hr, self.hr2, stranger_iv, outsider):
            self.assertError(join(who), 403, "forbidden")
        self.assertStatus(join(a), 201)
        # Only the event's HR and interviewers see who is in.
        for who in (a, outsider, self.hr2, stranger_iv):
            self.assertError(joined(who), 403, "forbidden")
        for who in (self.hr, iv):
            r = joined(who)
            self.assertStatus(r, 200)
            self.assertEqual([x["user"]["id"] for x in r.json], [a["user"]["id"]])
        # HR runs the event; it does not attend it.
        self.assertError(self.stack.http("POST", EV + "/zoom-attendance/",
                                         {"event_id": ev, "action": "join"},
                                         token=self.hr["access_token"]), 403, "forbidden")
        self.assertEqual(self.stack.sql("SELECT count(*) FROM attendance WHERE event_id = :'v1'",
                                        ev), [["1"]])

    def test_candidate_path_through_the_api(self):
        iv1, iv2 = (self.stack.make_user("Interviewer") for _ in range(2))
        ev, (r1, r2) = self.event([("Technical", [iv1]), ("Final", [iv2])])
        cand = self.candidates(ev, 1, shortlist=False)[0]
        hr = self.hr["access_token"]

        def ranking():
            r = self.stack.http("GET", EV + "/register_user/?event_id=%d" % ev, token=hr)
            return [x for x in r.json["results"] if x["registration_id"] == cand["reg"]][0]
        # Registered, then scored by the worker: HR sees the score.
        wait_for(lambda: ranking()["ats_score"] is not None, 60, "the resume scored")
        self.assertFalse(ranking()["shortlisted"])
        # Shortlisted, then queued by the automatic mapping.
        r = self.stack.http("PATCH", EV + "/modified-shortlisted",
                            {"registration_id": cand["reg"], "shortlisted": True}, token=hr)
        self.assertStatus(r, 200)
        self.assertTrue(ranking()["shortlisted"])
        self.assertStatus(self.mapping({"round_id": r1, "mode": "auto"}), 200)

        def my_place(round_id):
            r = self.stack.http("GET", EV + "/zoom-mapping/?round_id=%d" % round_id,
                                token=cand["access_token"])
            self.assertStatus(r, 200)
            return r.json["interviewer"]["username"], r.json["position"], r.json["status"]

        def interview(iv, round_id):
            r = self.act(iv, "start_next", round_id)
            self.assertStatus(r, 200)
            self.assertEqual(r.json["registration_id"], cand["reg"])
            r = self.act(cand, "accept_interview", round_id)
            self.assertEqual((r.status, r.json["status"]), (200, "accepted"))
            r = self.act(iv, "complete_interview", round_id)
            self.assertEqual((r.status, r.json["status"]), (200, "done"))
        self.assertEqual(my_place(r1), (iv1["user"]["username"], 1, "waiting"))
        interview(iv1, r1)
        # Round 1 passed: waiting in round 2's queue.
        r = self.review(iv1, cand["reg"], r1, "pass")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["status"], "interviewing")
        self.assertEqual(my_place(r2), (iv2["user"]["username"], 1, "waiting"))
        interview(iv2, r2)
        # The last round passed: selected.
        r = self.review(iv2, cand["reg"], r2, "pass")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["status"], "selected")
        r = self.stack.http("GET", EV + "/all-selected-users/?event_id=%d" % ev, token=hr)
        self.assertStatus(r, 200)
        self.assertEqual([x["registration_id"] for x in r.json["results"]], [cand["reg"]])
        r = self.act(cand, "get_result", r2)
        self.assertEqual((r.json["status"], [x["result"] for x in r.json["reviews"]]),
                         ("selected", ["pass", "pass"]))

if __name__ == "__main__":
    main()
