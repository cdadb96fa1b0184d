"""Hiring decisions one can defend: every owner of an event hears its
interview day, a tamper-evident audit log, rubrics and panel scorecards,
blind screening, duplicates with reasons and the adverse-impact report."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TestCase, main  # noqa: E402
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


if __name__ == "__main__":
    main()
