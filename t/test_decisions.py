"""Hiring decisions one can defend: every owner of an event hears its
interview day, a tamper-evident audit log, rubrics and panel scorecards,
blind screening, duplicates with reasons and the adverse-impact report."""
import base64
import concurrent.futures
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BUILD, TestCase, main, wait_for  # noqa: E402
import pdfgen  # noqa: E402
import test_interviews  # noqa: E402

EV = "/bulk_hiring/event/v1"
UD = "/bulk_hiring/user_data/v1"


class Decisions(TestCase):
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

    def co_own(self, ev, who):
        r = self.stack.http("POST", EV + "/event-owner/",
                            {"event_id": ev, "user_id": who["user"]["id"]},
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)

    def manual(self, round_id, *pairs):
        return self.mapping({"round_id": round_id, "mode": "manual", "assignments": [
            {"registration_id": c["reg"], "interviewer_id": iv["user"]["id"]}
            for c, iv in pairs]})

    def review(self, who, reg, round_id, result, **kw):
        return self.stack.http("POST", EV + "/candidate-review/",
                               dict({"registration_id": reg, "round_id": round_id,
                                     "rating": 4, "comments": "clear thinking",
                                     "result": result}, **kw),
                               token=who["access_token"])

    def test_audit_keeps_no_review_text(self):
        """Comments reach the audit log only as their SHA-256: erasure can
        remove the words, the chain still shows the change."""
        import hashlib
        a, = self.ivs(1)
        ev, (r1, _) = self.event([("Screen", [a]), ("Final", [a])])
        x, = self.candidates(ev, 1)
        self.assertStatus(self.manual(r1, (x, a)), 200)
        self.assertStatus(self.act(a, "start_next", r1), 200)
        self.assertStatus(self.act(x, "accept_interview", r1), 200)
        self.assertStatus(self.act(a, "complete_interview", r1), 200)
        self.assertStatus(self.review(a, x["reg"], r1, "pass"), 201)
        rows = self.stack.sql("SELECT coalesce(before::text, '') || coalesce(after::text, '') "
                              "FROM audit_log WHERE object = 'review' AND registration_id = :'v1'",
                              x["reg"])
        text = " ".join(r[0] for r in rows)
        self.assertTrue(rows)
        self.assertNotIn("clear thinking", text)
        self.assertIn(hashlib.sha256(b"clear thinking").hexdigest(), text)

    # --- 0: every owner hears the interview day --------------------------------
    def test_co_owners_hear_the_day(self):
        a, b = self.ivs(2)
        ev, (r1, r2) = self.event([("Screen", [a]), ("Final", [b])])
        self.co_own(ev, self.hr2)
        x, y = self.candidates(ev, 2)
        self.assertStatus(self.manual(r1, (x, a), (y, a)), 200)
        r, heard = self.overhear([self.hr, self.hr2], lambda: self.act(a, "start_next", r1))
        self.assertStatus(r, 200)
        self.assertEqual(self.types(heard), [["called"], ["called"]])
        self.assertStatus(self.act(x, "accept_interview", r1), 200)
        self.assertStatus(self.act(a, "complete_interview", r1), 200)
        r, heard = self.overhear([self.hr, self.hr2],
                                 lambda: self.review(a, x["reg"], r1, "pass"))
        self.assertStatus(r, 201)
        self.assertEqual([("review" in t) for t in self.types(heard)], [True, True])
        r, heard = self.overhear([self.hr, self.hr2], lambda: self.act(a, "leave", r1))
        self.assertStatus(r, 200)
        self.assertEqual([("interviewer_left" in t) for t in self.types(heard)],
                         [True, True])

    # --- 1: the audit log ----------------------------------------------------
    def verify(self):
        out = subprocess.run([os.path.join(BUILD, "fcgi", "connectify-fcgi"),
                              "--verify-audit"], env=dict(self.stack.env),
                             capture_output=True, text=True, timeout=60)
        return out.returncode, out.stdout + out.stderr

    def audit(self, reg, who=None):
        return self.stack.http("GET", EV + "/audit/?registration_id=%d" % reg,
                               token=(who or self.hr)["access_token"])

    def test_audit_records_who_changed_what(self):
        a, = self.ivs(1)
        ev, (r1,) = self.event([("Screen", [a])])
        self.co_own(ev, self.hr2)
        x, = self.candidates(ev, 1)
        self.assertStatus(self.manual(r1, (x, a)), 200)
        self.assertStatus(self.act(a, "start_next", r1), 200)
        self.assertStatus(self.act(x, "accept_interview", r1), 200)
        self.assertStatus(self.act(a, "complete_interview", r1), 200)
        self.assertStatus(self.review(a, x["reg"], r1, "fail"), 201)
        r = self.audit(x["reg"], self.hr2)
        self.assertStatus(r, 200)
        rows = r.json["entries"]
        who = lambda e: e["actor"]["username"] if e["actor"] else None
        # The shortlist, by HR: before and after.
        sl = [e for e in rows if e["action"] == "registration.update" and
              "shortlisted" in (e["after"] or {})]
        self.assertEqual(sl[0]["before"]["shortlisted"], False)
        self.assertEqual(sl[0]["after"], {"shortlisted": True, "status": "shortlisted"})
        self.assertEqual(who(sl[0]), self.hr["user"]["username"])
        # Placed in the queue by HR, called and completed by the interviewer.
        q = [e for e in rows if e["object"] == "queue"]
        self.assertEqual(q[0]["action"], "queue.insert")
        self.assertEqual(who(q[0]), self.hr["user"]["username"])
        self.assertEqual([e["after"].get("status") for e in q[1:]],
                         ["called", "accepted", "done"])
        self.assertEqual([who(e) for e in q[1:]], [a["user"]["username"],
                                                   x["user"]["username"],
                                                   a["user"]["username"]])
        # The review and the status it set, by the interviewer.
        rv = [e for e in rows if e["action"] == "review.insert"]
        self.assertEqual((rv[0]["after"]["result"], who(rv[0])),
                         ("fail", a["user"]["username"]))
        st = [e for e in rows if (e["after"] or {}).get("status") == "rejected"]
        self.assertEqual(who(st[0]), a["user"]["username"])
        seqs = [e["seq"] for e in rows]
        self.assertEqual(seqs, sorted(seqs))
        # Only the event's owners read it.
        for other in (a, x, self.stack.make_user("Hr")):
            self.assertError(self.audit(x["reg"], other), 403)
        self.assertError(self.audit(10 ** 9), 404)
        self.assertError(self.stack.http("GET", EV + "/audit/?registration_id=x",
                                         token=self.hr["access_token"]), 400)
        rc, out = self.verify()
        self.assertEqual(rc, 0, out)

    def test_audit_role_and_owner_changes(self):
        admin = self.stack.make_admin()
        iv, = self.ivs(1)
        r = self.stack.http("PATCH", UD + "/fetch-user/",
                            {"user_id": iv["user"]["id"], "user_type": "Hr"},
                            token=admin["access_token"])
        self.assertStatus(r, 200)
        rows = self.stack.sql("SELECT actor_id, before->>'user_type', after->>'user_type' "
                              "FROM audit_log WHERE action = 'user.update' AND "
                              "object_id = :'v1'", iv["user"]["id"])
        self.assertEqual(rows, [[str(admin["user"]["id"]), "Interviewer", "Hr"]])
        ev, _ = self.event([("Screen", [self.ivs(1)[0]])])
        self.co_own(ev, self.hr2)
        rows = self.stack.sql("SELECT actor_id, after->>'user_id' FROM audit_log WHERE "
                              "action = 'event_owner.insert' AND event_id = :'v1' "
                              "ORDER BY seq", ev)
        self.assertEqual(rows, [[str(self.hr["user"]["id"]), str(self.hr["user"]["id"])],
                                [str(self.hr["user"]["id"]), str(self.hr2["user"]["id"])]])

    def test_audit_concurrent_appends_keep_one_chain(self):
        iv, = self.ivs(1)
        ev, _ = self.event([("Screen", [iv])])
        cands = self.candidates(ev, 6, shortlist=False)

        def flip(c):
            for v in (True, False, True):
                r = self.stack.http("PATCH", EV + "/modified-shortlisted",
                                    {"registration_id": c["reg"], "shortlisted": v},
                                    token=self.hr["access_token"])
                self.assertStatus(r, 200)
        with concurrent.futures.ThreadPoolExecutor(6) as ex:
            list(ex.map(flip, cands))
        rc, out = self.verify()
        self.assertEqual(rc, 0, out)
        n = self.stack.sql("SELECT count(*) FROM audit_log a JOIN registrations g ON "
                           "g.id = a.registration_id WHERE g.event_id = :'v1' AND "
                           "a.action = 'registration.update' AND a.after ? 'shortlisted'", ev)[0][0]
        self.assertEqual(int(n), 18)

    def test_audit_tampering_is_found(self):
        iv, = self.ivs(1)
        ev, _ = self.event([("Screen", [iv])])
        x, = self.candidates(ev, 1)
        rc, out = self.verify()
        self.assertEqual(rc, 0, out)
        seq, rid, after = self.stack.sql(
            "SELECT seq, id, after FROM audit_log WHERE registration_id = :'v1' AND "
            "action = 'registration.update' ORDER BY seq LIMIT 1", x["reg"])[0]
        # Changed by hand: named.
        self.stack.sql("UPDATE audit_log SET after = '{\"status\": \"selected\"}' "
                       "WHERE id = :'v1'", rid)
        rc, out = self.verify()
        self.assertEqual(rc, 1, out)
        self.assertIn("row %s (id %s) was changed" % (seq, rid), out)
        self.stack.sql("UPDATE audit_log SET after = :'v1' WHERE id = :'v2'", after, rid)
        rc, out = self.verify()
        self.assertEqual(rc, 0, out)
        # Deleted by hand: named.
        keep = self.stack.sql("SELECT row_to_json(a) FROM audit_log a WHERE id = :'v1'",
                              rid)[0][0]
        self.stack.sql("DELETE FROM audit_log WHERE id = :'v1'", rid)
        rc, out = self.verify()
        self.assertEqual(rc, 1, out)
        self.assertIn("row %s is missing" % seq, out)
        self.stack.sql("INSERT INTO audit_log OVERRIDING SYSTEM VALUE SELECT * FROM "
                       "json_populate_record(NULL::audit_log, :'v1')", keep)
        rc, out = self.verify()
        self.assertEqual(rc, 0, out)
        # The last row cut off: the head says so.
        last = self.stack.sql("SELECT row_to_json(a), a.seq FROM audit_log a "
                              "ORDER BY seq DESC LIMIT 1")[0]
        self.stack.sql("DELETE FROM audit_log WHERE seq = :'v1'", last[1])
        rc, out = self.verify()
        self.assertEqual(rc, 1, out)
        self.assertIn("row %s is missing" % last[1], out)
        self.stack.sql("INSERT INTO audit_log OVERRIDING SYSTEM VALUE SELECT * FROM "
                       "json_populate_record(NULL::audit_log, :'v1')", last[0])
        rc, out = self.verify()
        self.assertEqual(rc, 0, out)

    # --- 2: rubrics and panel scorecards ---------------------------------------
    def rubric(self, method, body, who=None):
        return self.stack.http(method, EV + "/round-rubric/", body,
                               token=(who or self.hr)["access_token"])

    def card(self, who, cand, round_id, scores, rec, **kw):
        return self.stack.http("POST", EV + "/scorecards/", dict(
            {"registration_id": cand["reg"], "round_id": round_id, "recommendation": rec,
             "scores": [{"criterion_id": c, "score": s, "note": "seen"} for c, s in scores]},
            **kw), token=who["access_token"])

    def cards(self, who, cand, round_id):
        return self.stack.http("GET", EV + "/scorecards/?registration_id=%d&round_id=%d"
                               % (cand["reg"], round_id), token=who["access_token"])

    def test_bodies_get_one_400_naming_every_field(self):
        """Every field's message, nested ones by path, in one 400 that
        changes nothing; ids are integers, never strings."""
        def fields(r):
            self.assertError(r, 400, "validation_failed")
            return r.json["error"]["fields"]
        before = self.stack.sql("SELECT (SELECT count(*) FROM round_rubrics), "
                                "(SELECT count(*) FROM scorecards)")
        got = fields(self.rubric("POST", {"round_id": "7", "criteria": [
            {"name": "Design", "weight": 500}, "Code", {"anchor_1": "x"}],
            "rule": {"min_raters": 0, "min_mean": 9, "no_strong_no": "yes"}}))
        self.assertEqual(set(got), {"round_id", "criteria[0].weight", "criteria[1]",
                                    "criteria[2].name", "rule.min_raters",
                                    "rule.min_mean", "rule.no_strong_no"})
        self.assertEqual(got["criteria[2].name"], "is required")
        self.assertEqual(set(fields(self.rubric("POST", {"criteria": []}))),
                         {"round_id", "criteria"})
        self.assertEqual(set(fields(self.rubric("PATCH", {"round_id": 1, "rule": 3}))),
                         {"rule"})
        iv, = self.ivs(1)
        got = fields(self.stack.http("POST", EV + "/scorecards/", {
            "registration_id": 1, "round_id": "1", "recommendation": "maybe",
            "scores": [{"criterion_id": 1, "score": 4}, {"criterion_id": "2", "score": 6},
                       {"score": 3, "note": 5}]}, token=iv["access_token"]))
        self.assertEqual(set(got), {"round_id", "recommendation", "scores[1].criterion_id",
                                    "scores[1].score", "scores[2].criterion_id",
                                    "scores[2].note"})
        self.assertEqual(got["scores[1].score"], "must be an integer from 1 to 5")
        got = fields(self.stack.http("POST", EV + "/scorecard-decision/", {
            "registration_id": 1, "round_id": 1, "decision": "hold"},
            token=self.hr["access_token"]))
        self.assertEqual(set(got), {"decision", "reason"})
        got = fields(self.stack.http("GET", EV + "/scorecards/?registration_id=x",
                                     token=self.hr["access_token"]))
        self.assertEqual(set(got), {"registration_id", "round_id"})
        got = fields(self.stack.http("POST", EV + "/duplicates/", {
            "event_id": 1, "user_id": "2", "action": "fold", "reason": 3},
            token=self.hr["access_token"]))
        self.assertEqual(set(got), {"user_id", "other_user_id", "action", "reason"})
        got = fields(self.stack.http("POST", EV + "/blind-screening/", {"event_id": 1},
                                     token=self.hr["access_token"]))
        self.assertEqual(got, {"until": "is required"})
        self.assertEqual(self.stack.sql("SELECT (SELECT count(*) FROM round_rubrics), "
                                        "(SELECT count(*) FROM scorecards)"), before)

    def test_rubric_and_panel(self):
        a, b, c, d, other = self.ivs(5)
        ev, (r1, r2) = self.event([("Panel", [a, b, c]), ("Final", [d])])
        body = {"round_id": r1, "rule": {"min_raters": 2, "min_mean": 3.5, "no_strong_no": True},
                "criteria": [{"name": "Design", "weight": 2, "description": "systems",
                              "anchor_1": "no structure", "anchor_5": "clear trade-offs"},
                             {"name": "Code", "weight": 1}]}
        self.assertError(self.rubric("POST", body, self.stack.make_user("Hr")), 403)
        self.co_own(ev, self.hr2)
        self.assertError(self.rubric("POST", dict(body, criteria=[{"weight": 2}])), 400)
        self.assertError(self.rubric("POST", dict(body, rule={"min_mean": 9})), 400)
        r = self.rubric("POST", body)
        self.assertStatus(r, 201)
        self.assertEqual([x["name"] for x in r.json["criteria"]], ["Design", "Code"])
        self.assertEqual(r.json["criteria"][0]["anchor_5"], "clear trade-offs")
        design, code = [x["criterion_id"] for x in r.json["criteria"]]
        self.assertError(self.rubric("POST", body), 409)
        got = self.stack.http("GET", EV + "/round-rubric/?round_id=%d" % r1,
                              token=a["access_token"])
        self.assertEqual(got.json, r.json)
        x, y, z = self.candidates(ev, 3)
        self.assertStatus(self.manual(r1, (x, a), (y, a), (z, a)), 200)
        # Bad scores change nothing.
        self.assertError(self.card(a, x, r1, [(design, 4)], "yes"), 400)
        self.assertError(self.card(a, x, r1, [(design, 4), (code, 6)], "yes"), 400)
        self.assertError(self.card(a, x, r1, [(design, 4), (code, 3), (code, 3)], "yes"), 400)
        self.assertError(self.card(a, x, r1, [(design, 4), (code, 4)], "maybe"), 400)
        self.assertError(self.card(other, x, r1, [(design, 4), (code, 4)], "yes"), 403)
        self.assertError(self.card(a, x, r2, [(design, 4), (code, 4)], "yes"), 403)
        # One rater: not enough.  The second sees nothing before submitting.
        r = self.card(a, x, r1, [(design, 4), (code, 4)], "yes")
        self.assertStatus(r, 201)
        self.assertEqual((r.json["summary"]["raters"], r.json["outcome"]), (1, None))
        self.assertError(self.card(a, x, r1, [(design, 4), (code, 4)], "yes"), 409)
        r = self.cards(b, x, r1)
        self.assertStatus(r, 200)
        self.assertEqual((r.json["hidden"], r.json["submitted"], r.json["scorecards"]),
                         (True, 1, []))
        self.assertEqual(len(self.cards(a, x, r1).json["scorecards"]), 1)
        self.assertError(self.cards(other, x, r1), 403)
        self.assertError(self.cards(x, x, r1), 403)
        # The second rater: (2*4+4)/3 = 4 and (2*4+3)/3 = 3.67, mean 3.83 >= 3.5.
        r, heard = self.overhear([self.hr, self.hr2], lambda: self.card(
            b, x, r1, [(design, 4), (code, 3)], "yes"))
        self.assertStatus(r, 201)
        self.assertEqual(r.json["summary"]["weighted_mean"], 3.83)
        self.assertEqual((r.json["summary"]["holds"], r.json["outcome"]), (True, "interviewing"))
        self.assertEqual(self.types(heard), [["scorecard"], ["scorecard"]])
        self.assertEqual(self.stack.sql("SELECT status, current_round_id FROM registrations "
                                        "WHERE id = :'v1'", x["reg"]), [["interviewing", str(r2)]])
        self.assertEqual(self.stack.sql("SELECT interviewer_id FROM interview_queue WHERE "
                                        "round_id = :'v1' AND registration_id = :'v2'",
                                        r2, x["reg"]), [[str(d["user"]["id"])]])
        self.assertError(self.card(c, x, r1, [(design, 1), (code, 1)], "no"), 409)
        full = self.cards(b, x, r1).json
        self.assertEqual(len(full["scorecards"]), 2)
        self.assertEqual(full["scorecards"][0]["scores"][0]["note"], "seen")
        # y: a strong no and a spread of 3: HR is told; the rule does not hold.
        self.assertStatus(self.card(a, y, r1, [(design, 5), (code, 5)], "strong_yes"), 201)
        r, heard = self.overhear([self.hr, self.hr2], lambda: self.card(
            b, y, r1, [(design, 2), (code, 4)], "strong_no"))
        self.assertStatus(r, 201)
        self.assertEqual((r.json["summary"]["holds"], r.json["outcome"]), (False, None))
        self.assertEqual([d_["name"] for d_ in r.json["summary"]["disagreements"]], ["Design"])
        self.assertEqual(self.types(heard), [["scorecard_disagreement", "scorecard"]] * 2)
        self.assertEqual(self.stack.sql("SELECT count(*) FROM interview_queue WHERE "
                                        "registration_id = :'v1'", y["reg"]), [["1"]])
        # HR decides against the rule: only with a reason, and it is audited.
        dec = {"registration_id": y["reg"], "round_id": r1, "decision": "advance"}
        self.assertError(self.stack.http("POST", EV + "/scorecard-decision/", dec,
                                         token=self.hr["access_token"]), 400)
        self.assertError(self.stack.http("POST", EV + "/scorecard-decision/",
                                         dict(dec, reason="x"), token=a["access_token"]), 403)
        r = self.stack.http("POST", EV + "/scorecard-decision/",
                            dict(dec, reason="The strong no was about a typo."),
                            token=self.hr2["access_token"])
        self.assertStatus(r, 201)
        self.assertEqual((r.json["against_rule"], r.json["outcome"]), (True, "interviewing"))
        self.assertError(self.stack.http("POST", EV + "/scorecard-decision/",
                                         dict(dec, reason="again"),
                                         token=self.hr["access_token"]), 409)
        rows = self.stack.sql("SELECT actor_id, after->>'reason', after->>'against_rule' FROM "
                              "audit_log WHERE action = 'decision.insert' AND "
                              "registration_id = :'v1'", y["reg"])
        self.assertEqual(rows, [[str(self.hr2["user"]["id"]), "The strong no was about a typo.",
                                 "true"]])
        self.assertEqual(self.cards(self.hr, y, r1).json["decision"]["against_rule"], True)
        # Scored: the rubric stays.
        self.assertError(self.rubric("PATCH", {"round_id": r1, "rule": {"min_raters": 3}}), 409)
        # A round without a rubric is not scored; its rubric is patched until scored.
        self.assertError(self.card(d, x, r2, [(design, 4), (code, 4)], "yes"), 409)
        self.assertStatus(self.rubric("POST", {"round_id": r2, "criteria": [{"name": "Fit"}]}), 201)
        r = self.rubric("PATCH", {"round_id": r2, "rule": {"min_raters": 1},
                                  "criteria": [{"name": "Fit", "weight": 3}]})
        self.assertStatus(r, 200)
        self.assertEqual((r.json["rule"]["min_raters"], r.json["criteria"][0]["weight"]), (1, 3))
        self.assertError(self.card(d, x, r2, [(design, 4)], "yes"), 400)

    # --- 3: blind screening ------------------------------------------------------
    def swap_pdf(self, who, body):
        name, email, school = who
        return pdfgen.make_pdf([[name, "Email: %s  |  Phone: +91 98765 43210" % email,
                                 "github.com/%s" % name.split()[0].lower(), ""] + body +
                                ["", "EDUCATION", "B.Tech in Computer Science, %s" % school]])

    def upload(self, ev, files):
        r = self.stack.http("POST", EV + "/event-resumes/", {"event_id": ev, "resumes": [
            {"file_name": n, "content_base64": base64.b64encode(d).decode()}
            for n, d in files]}, token=self.hr["access_token"])
        self.assertStatus(r, 201)

        def done():
            return self.stack.sql("SELECT count(*) FROM resume_tracks WHERE event_id = :'v1' "
                                  "AND status IN ('scored', 'failed', 'flagged')",
                                  ev)[0][0] == str(len(files))
        wait_for(done, 120, "tracks of event %s" % ev)
        return dict(self.stack.sql("SELECT file_name, ats_score FROM resume_tracks "
                                   "WHERE event_id = :'v1'", ev))

    def test_name_swap_scores_the_same(self):
        body = {"title": "Storage Engineer", "department": "Engineering",
                "description": "Storage technology engineers in Mumbai for our university "
                               "partnerships.",
                "skills": {"required": ["C", "PostgreSQL"], "preferred": ["Go"]},
                "min_experience": 2, "max_experience": 8, "status": "Active",
                "rounds": [{"name": "One", "interviewers": [self.ivs(1)[0]["user"]["id"]]}]}
        evs = []
        for _ in range(2):
            r = self.stack.http("POST", EV + "/event/", body, token=self.hr["access_token"])
            self.assertStatus(r, 201)
            evs.append(r.json["event_id"])
        n = evs[0]
        a = ("Meera Go", "meera.%d@example.org" % n,
             "Institute of Technology Mumbai, 2010 - 2018")
        b = ("Kabir Rao", "kabir.%d@example.com" % n, "Anna University Chennai, 2016 - 2020")
        one = ["EXPERIENCE", "Engineer, Foo Ltd (2020 - 2025)", "She tuned C and PostgreSQL."]
        two = ["EXPERIENCE", "Engineer, Bar Ltd (2019 - 2024)", "He wrote C services.",
               "Storage work in Mumbai."]
        first = self.upload(evs[0], [("a.pdf", self.swap_pdf(a, one)),
                                     ("b.pdf", self.swap_pdf(b, two))])
        second = self.upload(evs[1], [("a.pdf", self.swap_pdf(b, one)),
                                      ("b.pdf", self.swap_pdf(a, two))])
        self.assertEqual(first, second)
        self.assertNotEqual(first["a.pdf"], first["b.pdf"])

    def reg_list(self, ev, who=None):
        r = self.stack.http("GET", EV + "/register_user/?event_id=%d" % ev,
                            token=(who or self.hr)["access_token"])
        self.assertStatus(r, 200)
        return {x["registration_id"]: x for x in r.json["results"]}

    def test_blind_screening_until_a_stage(self):
        iv, = self.ivs(1)
        ev, (r1,) = self.event([("Screen", [iv])])
        x, y = self.candidates(ev, 2, shortlist=False)
        blind = {"event_id": ev, "until": "interviewing"}
        self.assertError(self.stack.http("POST", EV + "/blind-screening/", blind,
                                         token=self.hr2["access_token"]), 403)
        self.assertError(self.stack.http("POST", EV + "/blind-screening/",
                                         dict(blind, until="later"),
                                         token=self.hr["access_token"]), 400)
        seen = self.reg_list(ev)[x["reg"]]
        self.assertEqual(seen["user"]["name"], x["user"]["name"])
        r = self.stack.http("POST", EV + "/blind-screening/", blind,
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual((r.json["blind"], r.json["until"]), (True, "interviewing"))
        wait_for(lambda: self.stack.sql("SELECT count(*) FROM registrations WHERE "
                                        "event_id = :'v1' AND ats_score IS NOT NULL",
                                        ev) == [["2"]], 60, "scores")
        self.assertStatus(self.stack.http(
            "PATCH", EV + "/modified-shortlisted",
            {"registration_id": x["reg"], "shortlisted": True},
            token=self.hr["access_token"]), 200)
        rows = self.reg_list(ev)
        for c in (x, y):
            row = rows[c["reg"]]
            self.assertEqual(row["user"], {"id": c["user"]["id"],
                                           "name": "Candidate %d" % c["reg"],
                                           "username": None, "email": None,
                                           "phone_number": None})
            self.assertTrue(row["blind"])
            self.assertIsNone(row["resume_url"])
            for k in ("name", "email", "phone", "links", "education"):
                self.assertNotIn(k, row["ats_result"])
            self.assertIsNotNone(row["ats_score"])
            self.assertNotIn(c["user"]["name"], str(row))
        # Until selected, the queues interviewers read name no one either.
        self.assertStatus(self.stack.http("POST", EV + "/blind-screening/",
                                          dict(blind, until="selected"),
                                          token=self.hr["access_token"]), 200)
        self.assertStatus(self.manual(r1, (x, iv)), 200)
        q = self.stack.http("GET", EV + "/zoom-mapping/?round_id=%d" % r1,
                            token=iv["access_token"])
        self.assertStatus(q, 200)
        self.assertEqual(q.json["queues"][0]["entries"][0]["candidate"],
                         {"id": x["user"]["id"], "name": "Candidate %d" % x["reg"],
                          "username": None})
        self.assertNotIn(x["user"]["name"], q.raw)
        self.assertStatus(self.stack.http("POST", EV + "/blind-screening/", blind,
                                          token=self.hr["access_token"]), 200)
        # In the interview stage: x is seen; y, not shortlisted, is not.
        rows = self.reg_list(ev)
        self.assertEqual(rows[x["reg"]]["user"]["name"], x["user"]["name"])
        self.assertEqual(rows[y["reg"]]["user"]["name"], "Candidate %d" % y["reg"])
        # Off again: everyone is seen; the changes are audited.
        r = self.stack.http("POST", EV + "/blind-screening/", {"event_id": ev, "until": None},
                            token=self.hr["access_token"])
        self.assertEqual(r.json["blind"], False)
        self.assertEqual(self.reg_list(ev)[y["reg"]]["user"]["name"], y["user"]["name"])
        self.assertEqual(self.stack.sql("SELECT action FROM audit_log WHERE object = 'blind' "
                                        "AND event_id = :'v1' ORDER BY seq", ev),
                         [["blind.insert"], ["blind.update"], ["blind.update"],
                          ["blind.delete"]])

    # --- 4: duplicates with reasons ----------------------------------------------
    def person(self, name, email, phone_tail=None):
        c = self.stack.make_user("Interviewee", name=name)
        self.stack.sql("UPDATE users SET email = :'v1' WHERE id = :'v2'", email, c["user"]["id"])
        if phone_tail:
            self.stack.sql("UPDATE users SET phone_number = :'v1' WHERE id = :'v2'",
                           phone_tail, c["user"]["id"])
        return c

    def register(self, c, ev):
        pdf, _ = pdfgen.resume(7000 + c["user"]["id"])
        r = self.stack.http("POST", EV + "/event-register/", {"event_id": ev, "resume": {
            "file_name": "cv.pdf", "content_base64": base64.b64encode(pdf).decode()}},
            token=c["access_token"])
        self.assertStatus(r, 201)
        return r.json["registration_id"]

    def dups(self, ev, who=None):
        return self.stack.http("GET", EV + "/duplicates/?event_id=%d" % ev,
                               token=(who or self.hr)["access_token"])

    def test_duplicates_with_reasons(self):
        iv, = self.ivs(1)
        ev, _ = self.event([("Screen", [iv])])
        ev2, _ = self.event([("Screen", [iv])])
        n = ev * 1000
        x = self.person("Zubin Mehtaji", "zubin.mehtaji.%d@gmail.com" % n, "+91770%07d" % n)
        y = self.person("Zubin Mehtajee", "zubinmehtaji.%d+jobs@GMail.com" % n)
        z = self.person("Mehtaji Zubin", "zm.%d@example.org" % n, "+1770%07d" % n)
        w = self.person("Rohan Dasgupta", "rohan.%d@example.org" % n)
        self.register(x, ev)
        self.register(w, ev)
        yreg = self.register(y, ev2)
        self.register(z, ev2)
        r = self.dups(ev)
        self.assertStatus(r, 200)
        got = {(d["user"]["id"], d["other"]["id"]): d for d in r.json["duplicates"]}
        xid, yid, zid = x["user"]["id"], y["user"]["id"], z["user"]["id"]
        self.assertEqual(set(got), {(xid, yid), (xid, zid)})
        self.assertEqual([(g["reason"], g["confidence"]) for g in got[(xid, yid)]["reasons"]],
                         [("email", 0.95), ("name", 0.4)])
        self.assertEqual([g["reason"] for g in got[(xid, zid)]["reasons"]], ["phone", "name"])
        self.assertEqual(got[(xid, zid)]["reasons"][1]["confidence"], 0.7)
        self.assertEqual(got[(xid, yid)]["confidence"], 0.95)
        self.assertEqual(got[(xid, yid)]["other"]["events"], [ev2])
        self.assertError(self.dups(ev, self.hr2), 403)
        settle = {"event_id": ev, "user_id": xid, "other_user_id": zid, "action": "distinct",
                  "reason": "different people, shared family phone"}
        self.assertError(self.stack.http("POST", EV + "/duplicates/", dict(settle, action="fold"),
                                         token=self.hr["access_token"]), 400)
        self.assertError(self.stack.http("POST", EV + "/duplicates/", settle,
                                         token=self.hr2["access_token"]), 403)
        self.assertStatus(self.stack.http("POST", EV + "/duplicates/", settle,
                                          token=self.hr["access_token"]), 201)
        self.assertError(self.stack.http("POST", EV + "/duplicates/", settle,
                                         token=self.hr["access_token"]), 409)
        # Merged: y's registration and resume move to x; y is closed; all kept.
        wait_for(lambda: self.stack.sql("SELECT count(*) FROM resume_tracks WHERE "
                                        "registration_id = :'v1' AND status <> 'queued' "
                                        "AND status <> 'parsing'", yreg) == [["1"]],
                 60, "y's resume")
        r = self.stack.http("POST", EV + "/duplicates/", dict(settle, other_user_id=yid,
                                                              action="merge"),
                            token=self.hr["access_token"])
        self.assertStatus(r, 201)
        self.assertEqual((r.json["moved"], r.json["kept"]), ([yreg], []))
        self.assertEqual(self.stack.sql("SELECT user_id FROM registrations WHERE id = :'v1'",
                                        yreg), [[str(xid)]])
        self.assertEqual(self.stack.sql("SELECT is_active FROM users WHERE id = :'v1'", yid),
                         [["f"]])
        self.assertEqual(self.stack.sql("SELECT count(*) FROM resume_tracks WHERE "
                                        "registration_id = :'v1' AND user_id = :'v2'",
                                        yreg, xid), [["1"]])
        self.assertEqual(self.dups(ev).json["duplicates"], [])
        rows = self.stack.sql("SELECT action FROM audit_log WHERE (object = 'duplicate' AND "
                              "after->>'user_hi' = :'v1') OR (registration_id = :'v2' AND "
                              "after ? 'user_id' AND action = 'registration.update') "
                              "ORDER BY seq", str(max(xid, yid)), yreg)
        self.assertEqual(rows, [["duplicate.insert"], ["registration.update"]])

    # --- 5: self-identification and the adverse-impact report --------------------
    def self_id(self, who, body):
        return self.stack.http("POST", EV + "/self-identification/", body,
                               token=who["access_token"])

    def test_adverse_impact(self):
        admin = self.stack.make_admin()
        iv, = self.ivs(1)
        ev, (r1,) = self.event([("Screen", [iv])])
        cands = self.candidates(ev, 14, shortlist=False)
        men, women, nb = cands[:6], cands[6:12], cands[12:]
        r = self.stack.http("GET", EV + "/self-identification/", token=women[0]["access_token"])
        self.assertStatus(r, 200)
        self.assertIn("woman", r.json["categories"]["gender"])
        self.assertEqual((r.json["answers"], r.json["consent"]), ({}, False))
        self.assertError(self.self_id(men[0], {"consent": True, "answers": {"gender": "robot"}}),
                         400)
        self.assertError(self.self_id(men[0], {"consent": True}), 400)
        self.assertError(self.self_id(iv, {"consent": True, "answers": {"gender": "man"}}), 403)
        for group, people in (("man", men), ("woman", women), ("non_binary", nb)):
            for c in people:
                r = self.self_id(c, {"consent": True, "answers": {"gender": group,
                                                                  "disability": "no"}})
                self.assertStatus(r, 200)
                self.assertEqual(r.json["answers"]["gender"], group)
        # One withdraws, then answers again.
        r = self.self_id(men[5], {"consent": False})
        self.assertEqual((r.json["answers"], r.json["consent"]), ({}, False))
        self.assertStatus(self.self_id(men[5], {"consent": True, "answers": {"gender": "man"}}),
                          200)
        for c in men[:5] + women[:2] + nb[:1]:
            self.assertStatus(self.stack.http(
                "PATCH", EV + "/modified-shortlisted",
                {"registration_id": c["reg"], "shortlisted": True},
                token=self.hr["access_token"]), 200)
        url = EV + "/adverse-impact/?event_id=%d" % ev
        for who in (self.hr, iv, women[0]):
            self.assertError(self.stack.http("GET", url, token=who["access_token"]), 403)
        r = self.stack.http("GET", url, token=admin["access_token"])
        self.assertStatus(r, 200)
        st = r.json["stages"][0]
        self.assertEqual(st["stage"], "shortlist")
        cats = {c["category"]: {g["group"]: g for g in c["groups"]} for c in st["categories"]}
        g = cats["gender"]
        self.assertEqual((g["man"]["applicants"], g["man"]["advanced"],
                          g["man"]["selection_rate"]), (6, 5, 0.8333))
        self.assertEqual((g["man"]["impact_ratio"], g["man"]["four_fifths_flag"]), (1, False))
        self.assertEqual((g["woman"]["selection_rate"], g["woman"]["impact_ratio"],
                          g["woman"]["four_fifths_flag"]), (0.3333, 0.4, True))
        self.assertAlmostEqual(g["woman"]["fisher_p"], 0.2773892773892774, places=9)
        self.assertAlmostEqual(g["man"]["fisher_p"], 0.13752913752913754, places=9)
        self.assertEqual((g["non_binary"]["judgement"], g["non_binary"]["impact_ratio"],
                          g["non_binary"]["fisher_p"]), ("too few to judge", None, None))
        self.assertEqual(cats["disability"]["no"]["applicants"], 13)
        # Raters never see it: not in the candidates' list or the audit log.
        rows = self.stack.http("GET", EV + "/register_user/?event_id=%d" % ev,
                               token=self.hr["access_token"]).raw
        self.assertNotIn("non_binary", rows)
        self.assertEqual(self.stack.sql("SELECT count(*) FROM audit_log WHERE "
                                        "after::text LIKE '%non_binary%'"), [["0"]])


if __name__ == "__main__":
    main()
