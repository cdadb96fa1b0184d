"""The skills taxonomy over HTTP: from a job description to suggested
required and preferred skills (POST /bulk_hiring/event/v1/suggest-skills/),
HR only, bad input refused with the API's error shape."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TestCase, main  # noqa: E402

EV = "/bulk_hiring/event/v1"

JD = """Data Scientist

We build pricing models for a marketplace. You will clean data with Pandas,
train models with scikit-learn and share results in Tableau dashboards.

Requirements:
- 3+ years with Python and SQL
- Statistics and A/B testing
- Degree in Electronics and Communication or similar

Nice to have:
- Spark, Airflow
- Experience with R
"""


class SuggestSkills(TestCase):
    stack_args = {"env": {"OTP_RATE_IP": "1000"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr = cls.stack.make_user("Hr")
        cls.cand = cls.stack.make_user("Interviewee")

    def suggest(self, body, token=None):
        return self.stack.http("POST", EV + "/suggest-skills/", body,
                               token=token or self.hr["access_token"])

    def test_required_and_preferred(self):
        r = self.suggest({"description": JD})
        self.assertStatus(r, 200)
        req, pref = r.json["required"], r.json["preferred"]
        for s in ("Python", "SQL", "Pandas", "scikit-learn", "Statistics", "A/B Testing",
                  "Tableau"):
            self.assertIn(s, req)
        for s in ("Spark", "Airflow", "R"):
            self.assertIn(s, pref)
        # words that are skills only elsewhere
        for s in ("Communication", "Testing"):
            self.assertNotIn(s, req + pref)
        self.assertGreaterEqual(r.json["taxonomy_size"], 2000)
        cats = {x["name"]: x["category"] for x in r.json["skills"]}
        self.assertEqual(cats["Pandas"], "data")

    def test_other_fields(self):
        r = self.suggest({"description": "Registered nurse for the ICU: patient care, "
                          "medication administration and Epic charting. BLS a plus."})
        self.assertStatus(r, 200)
        self.assertIn("Patient Care", r.json["required"])
        self.assertIn("Epic", r.json["required"])
        self.assertIn("BLS", r.json["preferred"])

    def test_bad_input(self):
        for body in ({}, {"description": ""}, {"description": 7},
                     {"description": "x" * 20001}):
            self.assertError(self.suggest(body), 400, field="description")
        self.assertError(self.suggest({"description": JD}, self.cand["access_token"]), 403)
        r = self.stack.http("POST", EV + "/suggest-skills/", {"description": JD})
        self.assertEqual(r.status, 401)


if __name__ == "__main__":
    main()
