"""An upgrade from the previous release (30fc19a, whose last migration is
013_turn_renewed.sql) with no failed request.

The previous release's pool and worker, built once from git into the
build directory, serve a database at its schema with data in it (staff,
an event, a registration with its resume, scored by the old worker).
While a client loop lists events and asks /healthz through nginx, the new
migrations are applied under the old processes; then the new pool starts
on a second socket, nginx is pointed at it with a graceful reload, and the
old pool gets SIGTERM and drains; the worker is swapped likewise (start
the new, SIGTERM the old).  No request of the loop may fail; the data is
all there afterwards, and features the old release did not have (socket
tickets, migration 017; event owners, 014) work on the old rows."""
import base64
import os
import shutil
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfgen  # noqa: E402
from harness import BUILD, SRC, Stack, main, wait_for  # noqa: E402

OLD = "30fc19a"
OLD_LAST = "013_turn_renewed.sql"
OLD_DIR = os.path.join(BUILD, "t", "upgrade-" + OLD)
FCGI = os.path.join(BUILD, "fcgi", "connectify-fcgi")
WORKER = os.path.join(BUILD, "worker", "connectify-worker")
CTL = os.path.join(BUILD, "ctl", "connectifyctl")
EV = "/bulk_hiring/event/v1"


def old_build():
    """The previous release's programs, built once (about 30 s) and kept
    under the build directory.  None outside a git checkout."""
    progs = [os.path.join(OLD_DIR, p) for p in ("connectify-fcgi", "connectify-worker")]
    if all(os.access(p, os.X_OK) for p in progs):
        return progs
    if subprocess.run(["git", "-C", SRC, "cat-file", "-e", OLD + "^{commit}"],
                      stderr=subprocess.DEVNULL).returncode != 0:
        return None
    tmp = OLD_DIR + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    src = os.path.join(tmp, "src")
    os.makedirs(os.path.join(src, "b"))
    arch = subprocess.Popen(["git", "-C", SRC, "archive", OLD], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", src], stdin=arch.stdout, check=True)
    arch.stdout.close()
    arch.wait()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    subprocess.run(["autoreconf", "-fi"], cwd=src, **quiet)
    subprocess.run(["../configure", "-q", "--disable-werror"], cwd=os.path.join(src, "b"),
                   **quiet)
    subprocess.run(["make", "-j2", "-s", "fcgi/connectify-fcgi", "worker/connectify-worker"],
                   cwd=os.path.join(src, "b"), **quiet)
    for p in ("fcgi/connectify-fcgi", "worker/connectify-worker"):
        shutil.copy2(os.path.join(src, "b", p), tmp)
    shutil.rmtree(src)
    shutil.rmtree(OLD_DIR, ignore_errors=True)
    os.rename(tmp, OLD_DIR)
    return progs


class Loop(threading.Thread):
    """A client hitting /healthz and the event list through nginx until
    told to stop; every answer but 200 is a failure, except one: tokens
    from before migration 014 carry no token version and the new release
    signs them out (401), so the client signs in again."""

    def __init__(self, stack, hr):
        super().__init__(daemon=True)
        self.stack, self.hr = stack, hr
        self.ok, self.failed, self.halt = 0, [], threading.Event()
        self.signed_in_again = 0

    def once(self, path, tok):
        r = self.stack.http("GET", path, token=tok, timeout=10)
        # (A sign-in answered by the old pool in the moment nginx
        # switches gives another old token: a few tries.)
        if (r.status == 401 and tok and self.signed_in_again < 3
                and "sign in again" in r.raw):
            self.signed_in_again += 1
            self.hr = dict(self.stack.login(self.hr["phone"]), phone=self.hr["phone"])
            return
        if r.status == 200:
            self.ok += 1
        else:
            self.failed.append((path, r.status, r.raw[:200]))

    def run(self):
        while not self.halt.is_set():
            for path, tok in (("/healthz", None), (EV + "/event/", self.hr["access_token"])):
                try:
                    self.once(path, tok)
                except Exception as e:  # a reset, a refused connection
                    self.failed.append((path, "error", repr(e)))

    def stop(self):
        self.halt.set()
        self.join(30)


class Upgrade(unittest.TestCase):
    def setUp(self):
        self.progs = old_build()
        if self.progs is None:
            self.skipTest("no git history to build release %s from" % OLD)
        self.sql_old = os.path.join(BUILD, "t", "upgrade-sql-%d" % os.getpid())
        shutil.rmtree(self.sql_old, ignore_errors=True)
        os.makedirs(self.sql_old)
        self.addCleanup(shutil.rmtree, self.sql_old, True)
        for f in sorted(os.listdir(os.path.join(SRC, "sql"))):
            if f.endswith(".sql") and f <= OLD_LAST:
                shutil.copy(os.path.join(SRC, "sql", f), self.sql_old)

    def seed(self, st):
        """Staff, an event and a scored registration, made by the old release."""
        hr = st.make_user("Hr")
        iv = st.make_user("Interviewer")
        cand = st.make_user("Interviewee")
        ev = st.http("POST", EV + "/event/", {
            "title": "Upgrade Engineer", "department": "Ops",
            "description": "Moves releases.", "skills": {"required": ["PostgreSQL"]},
            "min_experience": 1, "max_experience": 5, "location": "Pune",
            "employment_type": "Full-time", "openings": 1, "start_date": "2026-12-01",
            "end_date": "2026-12-05", "status": "Active",
            "rounds": [{"name": "Tech", "interviewers": [iv["user"]["id"]],
                        "questions": []}]}, token=hr["access_token"])
        self.assertEqual(ev.status, 201, ev)
        ev = ev.json["event_id"]
        r = st.http("POST", EV + "/event-register/", {
            "event_id": ev, "resume": {"file_name": "me.pdf", "content_base64":
                                       base64.b64encode(pdfgen.resume(41)[0]).decode()}},
            token=cand["access_token"])
        self.assertEqual(r.status, 201, r)
        wait_for(lambda: st.sql("SELECT count(*) FROM registrations WHERE ats_score IS NOT NULL")
                 == [["1"]], 30, "the old worker scoring")
        return hr, cand, ev

    def test_migrate_under_the_old_release_then_swap(self):
        old_fcgi, old_worker = self.progs
        st = Stack(sql_dir=self.sql_old, nginx=False)
        self.addCleanup(st.stop)
        st.start()
        # start() ran the new pool on the old schema: replace it by the old.
        st.stop_proc("fcgi")
        st.spawn("fcgi", [old_fcgi, "-n", "2"])
        wait_for(lambda: os.path.exists(st.env["FCGI_SOCKET"]), what="old pool")
        st.spawn("worker", [old_worker])
        st.start_nginx()
        wait_for(lambda: st.http("GET", "/healthz").status == 200, what="old pool via nginx")
        self.assertEqual(st.sql("SELECT max(version) FROM schema_migrations")[0][0],
                         OLD_LAST[:-4])

        hr, cand, ev = self.seed(st)
        before = st.sql("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM events), "
                        "(SELECT count(*) FROM registrations), (SELECT string_agg("
                        "coalesce(ats_score::text, '-'), ',' ORDER BY id) FROM registrations)")
        self.assertNotEqual(before[0][3], "-", "the old worker scored the resume")

        loop = Loop(st, hr)
        loop.start()
        try:
            time.sleep(0.5)
            # The new migrations, the old processes serving.
            p = subprocess.run([CTL, "migrate", "-d", os.path.join(SRC, "sql")], env=st.env,
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            pending = len([f for f in os.listdir(os.path.join(SRC, "sql"))
                           if f.endswith(".sql") and f > OLD_LAST])
            self.assertIn("%d migrations applied" % pending, p.stdout)
            n = loop.ok
            wait_for(lambda: loop.ok > n + 20, 20, "the old pool on the new schema")

            # The swap: the new pool on a second socket, nginx onto it
            # (graceful reload), then the old pool drains.
            sock = os.path.join(st.run, "fcgi-next.sock")
            st.spawn("fcgi-new", [FCGI, "-n", "2"], env=dict(st.env, FCGI_SOCKET=sock))
            wait_for(lambda: os.path.exists(sock), what="new pool")
            st.reload_nginx(FCGI_SOCKET=sock)
            time.sleep(1)
            self.assertEqual(st.stop_proc("fcgi"), 0, "the old pool drained")
            st.spawn("worker-new", [WORKER])
            self.assertEqual(st.stop_proc("worker"), 0, "the old worker drained")
            n = loop.ok
            wait_for(lambda: loop.ok > n + 20, 20, "the new pool serving")
        finally:
            loop.stop()
        self.assertEqual(loop.failed[:3], [], "%d requests failed during the upgrade"
                         % len(loop.failed))
        self.assertGreater(loop.ok, 60)

        # The data is intact, and the new release works on it.
        after = st.sql("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM events), "
                       "(SELECT count(*) FROM registrations), (SELECT string_agg("
                       "coalesce(ats_score::text, '-'), ',' ORDER BY id) FROM registrations)")
        self.assertEqual(after, before)
        hr2 = st.login(hr["phone"])
        r = st.http("GET", EV + "/register_user/?event_id=%d" % ev, token=hr2["access_token"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["count"], 1)
        # The old event's creator owns it (014): may add a co-owner.
        hr3 = st.make_user("Hr")
        r = st.http("POST", EV + "/event-owner/", {"event_id": ev, "user_id": hr3["user"]["id"]},
                    token=hr2["access_token"])
        self.assertEqual(r.status, 200, r)
        cand2 = st.login(cand["phone"])
        r = st.http("POST", EV + "/ws-ticket/", {},
                    token=cand2["access_token"])
        self.assertIn(r.status, (200, 201), r)
        # The new worker runs jobs: a second registration is scored.
        r = st.http("POST", EV + "/event-register/", {
            "event_id": ev, "resume": {"file_name": "me2.pdf", "content_base64":
                                       base64.b64encode(pdfgen.resume(42)[0]).decode()}},
            token=st.make_user("Interviewee")["access_token"])
        self.assertEqual(r.status, 201, r)
        wait_for(lambda: st.sql("SELECT count(*) FROM registrations WHERE ats_score IS NOT NULL")
                 == [["2"]], 30, "the new worker scoring")


if __name__ == "__main__":
    main()
