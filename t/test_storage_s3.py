"""Resumes in an S3-compatible server that checks every signature (with
botocore, not our code): stored bytes, presigned downloads, tampering and
wrong secrets refused."""
import base64
import hashlib
import os
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Stack, TestCase, main, start_s3, wait_for  # noqa: E402
import pdfgen  # noqa: E402

EV = "/bulk_hiring/event/v1"


def event(iv, resumes):
    return {"title": "Storage Test", "department": "QA", "status": "Active",
            "skills": {"required": ["Python"]},
            "rounds": [{"name": "R1", "interviewers": [iv]}], "resumes": resumes}


class S3Storage(TestCase):
    stack_args = {"before": start_s3, "worker": True, "env": {"JOB_POLL_MS": "200"}}

    def test_upload_score_download(self):
        hr = self.stack.make_user("Hr")
        iv = self.stack.make_user("Interviewer")
        pdf, exp = pdfgen.resume(4242)
        r = self.stack.http("POST", EV + "/event/", event(iv["user"]["id"], [
            {"file_name": "a.pdf", "content_base64": base64.b64encode(pdf).decode()}]),
            token=hr["access_token"])
        self.assertStatus(r, 201)
        self.assertEqual(r.json["resumes"][0]["status"], "queued")
        key = "resumes/%s.pdf" % hashlib.sha256(pdf).hexdigest()
        with open(os.path.join(self.stack.s3_dir, "resumes-test", key), "rb") as f:
            self.assertEqual(f.read(), pdf)
        ev = r.json["event_id"]
        # The worker reads it back from S3 and scores it.
        wait_for(lambda: self.stack.sql("SELECT status FROM resume_tracks WHERE event_id = :'v1'",
                                        ev) == [["scored"]], 60, "scored from S3")
        r = self.stack.http("GET", EV + "/register_user/?event_id=%d" % ev,
                            token=hr["access_token"])
        row = r.json["results"][0]
        self.assertEqual(row["user"]["email"], exp["email"])
        url = row["resume_url"]
        self.assertTrue(url.startswith(self.stack.env["AWS_S3_ENDPOINT"] + "/resumes-test/"), url)
        self.assertIn("X-Amz-Signature=", url)
        with urllib.request.urlopen(url) as f:
            self.assertEqual(f.read(), pdf)
        tampered = url.replace("X-Amz-Expires=", "X-Amz-Expires=1")
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(tampered)
        self.assertEqual(cm.exception.code, 403)
        self.assertIn(b"SignatureDoesNotMatch", cm.exception.read())

    def test_wrong_secret_refused(self):
        st = Stack(before=lambda s: start_s3(s, secret="not-the-secret"), fcgi_workers=1)
        st.start()
        try:
            hr = st.make_user("Hr")
            iv = st.make_user("Interviewer")
            pdf, _ = pdfgen.resume(4243)
            r = st.http("POST", EV + "/event/", event(iv["user"]["id"], [
                {"file_name": "a.pdf", "content_base64": base64.b64encode(pdf).decode()}]),
                token=hr["access_token"])
            self.assertEqual(r.status, 201, r)
            self.assertIn("stored", r.json["resumes"][0]["error"])
            self.assertFalse(os.path.exists(os.path.join(st.s3_dir, "resumes-test")))
            with open(os.path.join(st.log, "fcgi.log")) as f:
                self.assertIn("SignatureDoesNotMatch", f.read())
        finally:
            st.stop()


if __name__ == "__main__":
    main()
