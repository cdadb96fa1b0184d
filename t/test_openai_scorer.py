"""The OpenAI-compatible scorer against a local fake that speaks the real
wire format: the request's shape, retries on 429/500 honouring
Retry-After, the fallback to the built-in scorer when the answer is
unusable, and leases that outlive a scorer slower than the lease."""
import base64
import email.utils
import json
import os
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TestCase, main, wait_for  # noqa: E402
import pdfgen  # noqa: E402

EV = "/bulk_hiring/event/v1"


def start_openai(stack):
    log = os.path.join(stack.log, "openai-requests.jsonl")
    port = stack.start_fake("openai", ["/usr/bin/python3", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "fakes", "openai.py"),
        "--key", "sk-test-not-a-real-key", "--log", log])
    stack.openai_log = log
    stack.openai_url = "http://127.0.0.1:%d" % port
    stack.env.update({"ATS_PROVIDER": "openai", "OPENAI_API_KEY": "sk-test-not-a-real-key",
                      "OPENAI_BASE_URL": stack.openai_url + "/v1", "OPENAI_MODEL": "gpt-4.1-mini"})


class OpenAIScorer(TestCase):
    stack_args = {"before": start_openai, "worker": True,
                  "env": {"JOB_POLL_MS": "200", "MAIL_BACKEND": "file"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr = cls.stack.make_user("Hr")
        cls.iv = cls.stack.make_user("Interviewer")
        cls.n = 0

    def control(self, mode, count=1, **kw):
        kw.update({"mode": mode, "count": count})
        req = urllib.request.Request(self.stack.openai_url + "/_control", method="POST",
                                     data=json.dumps(kw).encode())
        urllib.request.urlopen(req).read()

    def job_of(self, ev, cols):
        return self.stack.sql("SELECT " + cols + " FROM jobs WHERE kind = 'resume' AND "
                              "(args->>'track_id')::bigint = (SELECT id FROM resume_tracks "
                              "WHERE event_id = :'v1')", ev)

    def upload(self, wait=True):
        OpenAIScorer.n += 1
        pdf, exp = pdfgen.resume(6000 + self.n)
        r = self.stack.http("POST", EV + "/event/", {
            "title": "Backend", "department": "Eng", "status": "Active",
            "description": "C services", "skills": {"required": ["C"], "preferred": ["Go"]},
            "rounds": [{"name": "R", "interviewers": [self.iv["user"]["id"]]}],
            "resumes": [{"file_name": "a.pdf", "content_base64": base64.b64encode(pdf).decode()}]},
            token=self.hr["access_token"])
        self.assertStatus(r, 201)
        ev = r.json["event_id"]
        if not wait:
            return exp, None, ev
        wait_for(lambda: self.stack.sql("SELECT status FROM resume_tracks WHERE event_id = :'v1'",
                                        ev) == [["scored"]], 60, "scored")
        row = self.stack.sql("SELECT g.ats_score, g.scorer, g.scorer_version, g.ats_result::text, "
                             "u.email FROM registrations g JOIN users u ON u.id = g.user_id "
                             "WHERE g.event_id = :'v1'", ev)[0]
        return exp, row, ev

    def test_scores_with_the_model(self):
        exp, (score, scorer, version, result, email), _ = self.upload()
        self.assertEqual((scorer, version), ("openai", "gpt-4.1-mini"))
        self.assertEqual(float(score), 77)
        self.assertEqual(email, exp["email"])
        with open(self.stack.openai_log) as f:
            req = json.loads(f.readlines()[-1])
        self.assertEqual(req["model"], "gpt-4.1-mini")
        fmt = req["response_format"]
        self.assertEqual(fmt["type"], "json_schema")
        self.assertTrue(fmt["json_schema"]["strict"])
        schema = fmt["json_schema"]["schema"]
        self.assertFalse(schema["additionalProperties"])
        self.assertEqual(set(schema["required"]), set(schema["properties"]))
        prompt = req["messages"][0]["content"]
        self.assertIn("Job title: Backend", prompt)
        self.assertIn(exp["email"], prompt)
        # The parser's facts go with the text: roles with dates, skills with
        # where they are evidenced.
        facts = json.loads(prompt.split("Parser facts (JSON):\n", 1)[1].split("\n\nResume:", 1)[0])
        self.assertTrue(facts["roles"][0]["title"].startswith("Senior Engineer, Acme Systems"))
        self.assertIn("experience", facts["sections"])
        self.assertEqual(sorted(facts["skills"]), sorted(exp["skills"]))
        if "C" in exp["skills"]:     # a required skill of the event
            self.assertIn("C", facts["skill_evidence"])
        res = json.loads(result)
        self.assertEqual(res["parser"]["roles"], facts["roles"])
        self.assertIsInstance(res["builtin_score"], float)

    def test_retries_on_429_and_500(self):
        self.control("429", 1)
        exp, (score, scorer, _, _, _), ev = self.upload()
        self.assertEqual(scorer, "openai")
        self.assertEqual(self.job_of(ev, "attempt"), [["2"]])
        # A 500 is retried too, after the backoff (cut short here).
        self.control("500", 1)
        exp, _, ev = self.upload(wait=False)
        wait_for(lambda: self.job_of(ev, "state, attempt") == [["available", "1"]], 30,
                 "the 500 to be recorded")
        row = self.job_of(ev, "last_error, extract(epoch FROM run_at - now()) > 5")
        self.assertEqual(row, [["scorer busy (HTTP 500)", "t"]])
        self.stack.sql("UPDATE jobs SET run_at = now() WHERE kind = 'resume' AND state = "
                       "'available'")
        wait_for(lambda: self.job_of(ev, "state, attempt") == [["completed", "2"]], 30,
                 "the retry")
        self.assertEqual(self.stack.sql("SELECT scorer, ats_score FROM registrations WHERE "
                                        "event_id = :'v1'", ev), [["openai", "77.00"]])

    def test_retry_after_is_honoured(self):
        # The server asks for 3 s, far less than the backoff (7.5-15 s):
        # the retry is due exactly then, and does not start before.
        self.control("429", 1, retry_after=3)
        exp, (score, scorer, _, _, _), ev = self.upload()
        self.assertEqual(scorer, "openai")
        row = self.job_of(ev, "attempt, errors->0->>'error', "
                              "extract(epoch FROM run_at - (errors->0->>'at')::timestamptz), "
                              "locked_at >= run_at")
        self.assertEqual(row[0][:2], ["2", "scorer busy (HTTP 429)"])
        self.assertAlmostEqual(float(row[0][2]), 3.0, delta=0.05)
        self.assertEqual(row[0][3], "t")
        # The same as an HTTP date.
        self.control("429", 1, retry_after=email.utils.formatdate(time.time() + 4, usegmt=True))
        exp, (score, scorer, _, _, _), ev = self.upload()
        row = self.job_of(ev, "attempt, extract(epoch FROM run_at - "
                              "(errors->0->>'at')::timestamptz)")
        self.assertEqual(row[0][0], "2")
        self.assertTrue(2 <= float(row[0][1]) <= 4.05, row)

    def test_unusable_answers_fall_back(self):
        for mode in ("garbage", "wrong_schema", "refusal", "length"):
            self.control(mode, 1)
            exp, (score, scorer, version, result, email), _ = self.upload()
            res = json.loads(result)
            self.assertEqual(scorer, "builtin", mode)
            self.assertTrue(res["fallback_reason"], mode)
            self.assertEqual(email, exp["email"])
            self.assertEqual(float(score), res["score"])


class SlowScorer(TestCase):
    """A scorer slower than the job lease: the worker renews the leases of
    its batch during the call, so no job is rescued and run twice."""
    stack_args = {"before": start_openai, "worker": True,
                  "env": {"JOB_POLL_MS": "200", "MAIL_BACKEND": "file", "WORKER_CONCURRENCY": "2",
                          "JOB_LEASE_S": "3", "PDF_WALL_MS": "1000", "JOB_BATCH": "10"}}

    def test_each_job_runs_once(self):
        hr = self.stack.make_user("Hr")
        iv = self.stack.make_user("Interviewer")
        req = urllib.request.Request(self.stack.openai_url + "/_control", method="POST",
                                     data=json.dumps({"mode": "slow", "count": 100,
                                                      "delay": 4}).encode())
        urllib.request.urlopen(req).read()
        emails, resumes = [], []
        for i in range(2):
            pdf, exp = pdfgen.resume(6500 + i)
            emails.append(exp["email"])
            resumes.append({"file_name": "s%d.pdf" % i,
                            "content_base64": base64.b64encode(pdf).decode()})
        r = self.stack.http("POST", EV + "/event/", {
            "title": "Slow", "department": "Eng", "status": "Active",
            "description": "C services", "skills": {"required": ["C"], "preferred": []},
            "rounds": [{"name": "R", "interviewers": [iv["user"]["id"]]}],
            "resumes": resumes}, token=hr["access_token"])
        self.assertStatus(r, 201)
        ev = r.json["event_id"]
        wait_for(lambda: self.stack.sql("SELECT count(*) FROM resume_tracks WHERE event_id = "
                                        ":'v1' AND status = 'scored'", ev) == [["2"]], 60,
                 "scored")
        rows = self.stack.sql("SELECT j.state, j.attempt, j.errors::text FROM jobs j "
                              "JOIN resume_tracks t ON t.id = (j.args->>'track_id')::bigint "
                              "WHERE j.kind = 'resume' AND t.event_id = :'v1'", ev)
        self.assertEqual(sorted(rows), [["completed", "1", "[]"]] * 2)
        with open(self.stack.openai_log) as f:
            prompts = [json.loads(line)["messages"][0]["content"] for line in f]
        self.assertEqual([sum(1 for p in prompts if e in p) for e in emails], [1, 1])
        with open(os.path.join(self.stack.log, "worker.log")) as f:
            log = f.read()
        self.assertIn("lease 3 s", log)
        self.assertNotIn("lease lost", log)


if __name__ == "__main__":
    main()
