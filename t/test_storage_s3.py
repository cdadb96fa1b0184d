"""Resumes in an S3-compatible server that checks every signature (with
botocore, not our code): stored bytes, presigned downloads, tampering and
wrong secrets refused; what a rolled back upload stored is deleted unless
another row names the same bytes."""
import base64
import hashlib
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Stack, TestCase, main, start_s3, wait_for  # noqa: E402
import pdfgen  # noqa: E402

EV = "/bulk_hiring/event/v1"

# Fails the transaction of any upload with a file named *boom.pdf, after
# two seconds for slow-*.
BOOM = """CREATE OR REPLACE FUNCTION t_boom() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.file_name LIKE 'slow-%' THEN PERFORM pg_sleep(2); END IF;
    IF NEW.file_name LIKE '%boom.pdf' THEN RAISE EXCEPTION 'injected failure'; END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER t_boom BEFORE INSERT ON resume_tracks
    FOR EACH ROW EXECUTE FUNCTION t_boom();"""


def upload(name, pdf):
    return {"file_name": name, "content_base64": base64.b64encode(pdf).decode()}


def key_of(pdf):
    return "resumes/%s.pdf" % hashlib.sha256(pdf).hexdigest()


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
        time.sleep(1.1)     # fetched in a later second than signed, as a browser does
        with urllib.request.urlopen(url) as f:
            self.assertEqual(f.read(), pdf)
        tampered = url.replace("X-Amz-Expires=", "X-Amz-Expires=1")
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(tampered)
        self.assertEqual(cm.exception.code, 403)
        self.assertIn(b"SignatureDoesNotMatch", cm.exception.read())

    def obj(self, pdf):
        return os.path.join(self.stack.s3_dir, "resumes-test", key_of(pdf))

    def s3_log(self):
        with open(os.path.join(self.stack.log, "s3.log")) as f:
            return f.read()

    def s3_control(self, secret):
        req = urllib.request.Request(self.stack.env["AWS_S3_ENDPOINT"] + "/_control",
                                     data=json.dumps({"secret_key": secret}).encode(),
                                     method="POST")
        urllib.request.urlopen(req, timeout=5).read()

    def test_rolled_back_upload_deleted(self):
        hr = self.stack.make_user("Hr")
        iv = self.stack.make_user("Interviewer")
        x, _ = pdfgen.resume(4301)
        y, _ = pdfgen.resume(4302)
        r = self.stack.http("POST", EV + "/event/", event(iv["user"]["id"], [upload("x.pdf", x)]),
                            token=hr["access_token"])
        self.assertStatus(r, 201)
        ev = r.json["event_id"]
        self.assertTrue(os.path.exists(self.obj(x)))
        self.stack.sql(BOOM)
        try:
            r = self.stack.http("POST", EV + "/event-resumes/",
                                {"event_id": ev, "resumes": [upload("again.pdf", x),
                                                             upload("boom.pdf", y)]},
                                token=hr["access_token"])
            self.assertError(r, 500, "internal_error")
        finally:
            self.stack.sql("DROP TRIGGER t_boom ON resume_tracks")
        # Y was stored for the failed upload only: deleted, with a DELETE
        # the server checked.  X is named by the committed event: kept.
        self.assertFalse(os.path.exists(self.obj(y)))
        with open(self.obj(x), "rb") as f:
            self.assertEqual(f.read(), x)
        log = self.s3_log()
        self.assertIn('"DELETE /resumes-test/%s HTTP/1.1" 204' % key_of(y), log)
        self.assertNotIn("DELETE /resumes-test/%s" % key_of(x), log)
        self.assertEqual(self.stack.sql("SELECT count(*) FROM resume_tracks WHERE event_id = :'v1'",
                                        ev), [["1"]])
        # The same bytes can come again.
        r = self.stack.http("POST", EV + "/event-resumes/",
                            {"event_id": ev, "resumes": [upload("y.pdf", y)]},
                            token=hr["access_token"])
        self.assertStatus(r, 201)
        with open(self.obj(y), "rb") as f:
            self.assertEqual(f.read(), y)

    def test_delete_with_wrong_secret_refused(self):
        hr = self.stack.make_user("Hr")
        iv = self.stack.make_user("Interviewer")
        r = self.stack.http("POST", EV + "/event/", event(iv["user"]["id"], []),
                            token=hr["access_token"])
        ev = r.json["event_id"]
        z, _ = pdfgen.resume(4303)
        out = {}

        def post():
            out["r"] = self.stack.http("POST", EV + "/event-resumes/",
                                       {"event_id": ev, "resumes": [upload("slow-boom.pdf", z)]},
                                       token=hr["access_token"])
        self.stack.sql(BOOM)
        t = threading.Thread(target=post)
        t.start()
        try:
            # Stored; while the transaction sleeps the server's key changes,
            # so the app's DELETE is signed with a secret it no longer has.
            wait_for(lambda: os.path.exists(self.obj(z)), 10, "stored")
            self.s3_control("rotated-secret-0123456789")
            t.join(30)
        finally:
            t.join(30)
            self.s3_control("s3-test-secret-key-0123456789")
            self.stack.sql("DROP TRIGGER t_boom ON resume_tracks")
        self.assertError(out["r"], 500, "internal_error")
        self.assertTrue(os.path.exists(self.obj(z)))
        self.assertIn('"DELETE /resumes-test/%s HTTP/1.1" 403' % key_of(z), self.s3_log())
        with open(os.path.join(self.stack.log, "fcgi.log")) as f:
            self.assertIn("cannot delete %s: S3 HTTP 403 SignatureDoesNotMatch" % key_of(z),
                          f.read())

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
