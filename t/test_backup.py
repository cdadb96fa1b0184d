"""Backups as the README describes them: pg_dump of the database, then a
copy of the resume storage; restored into a fresh PostgreSQL cluster and
an empty storage directory, the application works against it: sign-in,
the event and its registration, the resume's download link, new rows."""
import base64
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfgen  # noqa: E402
from harness import BUILD, SRC, Stack, main  # noqa: E402

EV = "/bulk_hiring/event/v1"
CTL = os.path.join(BUILD, "ctl", "connectifyctl")


class Backup(unittest.TestCase):
    def test_dump_and_restore_into_a_fresh_cluster(self):
        keep = tempfile.mkdtemp(prefix="connectify-backup-")
        os.chmod(keep, 0o755)
        dump = os.path.join(keep, "connectify.dump")
        files = os.path.join(keep, "storage.tar")
        pdf, _ = pdfgen.resume(31)

        # The source: an event, a candidate's registration with a resume.
        a = Stack().start()
        try:
            hr = a.make_user("Hr")
            iv = a.make_user("Interviewer")
            cand = a.make_user("Interviewee")
            ev = a.http("POST", EV + "/event/", {
                "title": "Backup Engineer", "department": "Ops",
                "description": "Keeps copies.", "skills": {"required": ["PostgreSQL"]},
                "min_experience": 1, "max_experience": 5, "location": "Pune",
                "employment_type": "Full-time", "openings": 1, "start_date": "2026-12-01",
                "end_date": "2026-12-05", "status": "Active",
                "rounds": [{"name": "Tech", "interviewers": [iv["user"]["id"]],
                            "questions": []}]}, token=hr["access_token"])
            self.assertEqual(ev.status, 201, ev)
            ev = ev.json["event_id"]
            r = a.http("POST", EV + "/event-register/", {
                "event_id": ev, "resume": {"file_name": "me.pdf",
                                           "content_base64": base64.b64encode(pdf).decode()}},
                token=cand["access_token"])
            self.assertEqual(r.status, 201, r)
            # The README's procedure: the database first, then the files.
            subprocess.run(["pg_dump", "-Fc", "-f", dump, a.env["DATABASE_URL"]], check=True)
            subprocess.run(["tar", "-C", a.env["STORAGE_DIR"], "-cf", files, "."], check=True)
            counts = a.sql("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM "
                           "registrations), (SELECT count(*) FROM schema_migrations)")
        finally:
            a.stop()

        def restore(b):
            # A fresh cluster: the empty database the README creates.
            subprocess.run(["psql", b.admin_url(), "-Xqc", "DROP DATABASE connectify"], check=True)
            subprocess.run(["psql", b.admin_url(), "-Xqc", "CREATE DATABASE connectify"],
                           check=True)
            subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "-d",
                            b.env["DATABASE_URL"], dump], check=True)
            subprocess.run(["tar", "-C", b.env["STORAGE_DIR"], "-xf", files], check=True)

        b = Stack(before=restore).start()
        try:
            self.assertEqual(b.sql("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM "
                                   "registrations), (SELECT count(*) FROM schema_migrations)"),
                             counts)
            p = subprocess.run([CTL, "migrate", "-d", os.path.join(SRC, "sql")], env=b.env,
                               capture_output=True, text=True, check=True)
            self.assertIn("0 migrations applied", p.stdout)
            # The same people sign in; HR sees the registration and its file.
            hr2 = b.login(hr["phone"])
            r = b.http("GET", EV + "/register_user/?event_id=%d" % ev,
                       token=hr2["access_token"])
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json["count"], 1)
            with urllib.request.urlopen(b.base + r.json["results"][0]["resume_url"]) as f:
                self.assertEqual(f.read(), pdf)
            # New rows continue the restored sequences.
            b.make_user("Interviewee")
            r = b.http("POST", EV + "/event-register/", {
                "event_id": ev, "resume": {"file_name": "me2.pdf", "content_base64":
                                           base64.b64encode(pdfgen.resume(32)[0]).decode()}},
                token=b.make_user("Interviewee")["access_token"])
            self.assertEqual(r.status, 201, r)
        finally:
            b.stop()
            subprocess.run(["rm", "-rf", keep])


if __name__ == "__main__":
    main()
