"""Integration test harness: starts a private PostgreSQL cluster, the
FastCGI pool, the worker, nginx with nchan and any fakes on free ports in a
temporary directory, and stops every process it started.

Suites import it:

    from harness import Stack, TestCase
    class T(TestCase):
        def test_x(self):
            st, hdr, body = self.stack.http("GET", "/healthz")

It composes the parts, one module by concern, and re-exports their names:

    harness_env       paths of the trees (SRC, BUILD, HERE) and run modes
    harness_proc      free ports (flock reservations), wait_for, Processes
    harness_pg        the private PostgreSQL cluster (Postgres, pg_bin)
    harness_nginx     nginx with nchan (Nginx)
    harness_http      the HTTP and nchan publisher clients (Clients, Response)
    harness_accounts  sign-up and sign-in (Accounts)
    harness_fakes     Twilio, SMTP and S3 servers and what they received

Paths come from CONNECTIFY_SRCDIR / CONNECTIFY_BUILDDIR (set by make check),
defaulting to the repository this file lives in and its build/ directory.
"""
import os
import secrets
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness_accounts import Accounts  # noqa: E402
from harness_env import (BUILD, HERE, IS_ROOT, SANITIZE, SRC,  # noqa: E402,F401
                         VALGRIND)
from harness_fakes import (smtp_messages, start_s3, start_smtp,  # noqa: E402,F401
                           start_twilio, twilio_control, twilio_requests)
from harness_http import Clients, Response  # noqa: E402,F401
from harness_nginx import Nginx  # noqa: E402
from harness_pg import Postgres, pg_bin  # noqa: E402,F401
from harness_proc import Processes, free_port, wait_for  # noqa: E402,F401


class Stack(Postgres, Processes, Nginx, Clients, Accounts):
    """One private platform.  env: extra configuration for the app."""
    _seq = 0        # accounts made by make_user() in this process

    def __init__(self, env=None, fcgi_workers=2, worker=False, nginx=True, before=None,
                 sql_dir=None):
        self.sql_dir = sql_dir or os.path.join(SRC, "sql")  # the migrations applied
        self.tmp = tempfile.mkdtemp(prefix="connectify-t-")
        os.chmod(self.tmp, 0o755)
        self.procs = {}
        self.files = []
        self.port = free_port()
        self.ws_hook_port = free_port()
        self.pgport = free_port()
        self.run = os.path.join(self.tmp, "run")
        # PostgreSQL's own socket directory: 0700, its user's; the
        # cluster admits only our account (peer), and no TCP.
        self.pgsock = os.path.join(self.tmp, "pg-socket")
        self.log = os.path.join(self.tmp, "log")
        for d in (self.run, self.log, os.path.join(self.tmp, "storage"),
                  os.path.join(self.tmp, "mail")):
            os.makedirs(d)
            os.chmod(d, 0o777)
        self.fcgi_workers = fcgi_workers
        self.want_worker = worker
        self.want_nginx = nginx
        self.before = before    # called with the stack before the app starts
        self.env = self.app_env(env)
        self.base = "http://127.0.0.1:%d" % self.port

    def app_env(self, extra):
        """The application's environment: ours, the stack's settings, then
        extra (the suite's)."""
        env = dict(os.environ)
        env.update({
            "CONNECTIFY_ENV": "development",
            "SECRET_KEY": secrets.token_hex(32),
            "LOG_LEVEL": "debug",
            "DATABASE_URL": "postgresql:///connectify?host=%s&port=%d&user=postgres"
                            % (self.pgsock, self.pgport),
            "FCGI_SOCKET": os.path.join(self.run, "fcgi.sock"),
            # nginx's workers run as nobody:nogroup under a root master.
            "FCGI_SOCKET_GROUP": "nogroup" if IS_ROOT else "",
            "NCHAN_PUB_SOCKET": os.path.join(self.run, "nchan", "pub.sock"),
            "SMS_BACKEND": "log",
            "SMS_LOG": os.path.join(self.log, "sms.log"),
            "STORAGE_DIR": os.path.join(self.tmp, "storage"),
            "MAIL_DIR": os.path.join(self.tmp, "mail"),
            "TEMPLATE_DIR": os.path.join(SRC, "templates"),
            "SKILLS_FILE": os.path.join(SRC, "data", "skills.tsv"),
            "FRONTEND_URL": "http://localhost:%d" % self.port,
            "PUBLIC_URL": "http://127.0.0.1:%d" % self.port,
            # Suites sign up many accounts from one address; the signup
            # limit has its own test (test_access.py).
            "SIGNUP_RATE_IP": "100000",
            "FCGI_WORKERS": str(self.fcgi_workers),
        })
        if VALGRIND:
            # Under valgrind the PDF parser child (OCR above all) runs tens
            # of times slower: its limits and the lease grow to match.
            env.update({"PDF_CPU_SECONDS": "300", "PDF_WALL_MS": "600000",
                        "JOB_LEASE_S": "900"})
        env.update(extra or {})
        return env

    def start(self):
        try:
            self.start_pg()
            if self.before:
                self.before(self)
            self.start_fcgi()
            if self.want_worker:
                self.start_worker()
            if self.want_nginx:
                self.start_nginx()
                wait_for(lambda: self.http("GET", "/healthz").status == 200,
                         what="healthz through nginx")
        except Exception:
            self.dump_logs()
            self.stop()
            raise
        return self

    def stop(self):
        self.stop_nginx()
        self.stop_procs()
        self.pg_stop("immediate")
        self.check_reports()
        if os.environ.get("CONNECTIFY_KEEP_TMP") != "1":
            shutil.rmtree(self.tmp, ignore_errors=True)


class TestCase(unittest.TestCase):
    """Starts one Stack for the class.  Subclasses set stack_args."""
    stack_args = {}

    @classmethod
    def setUpClass(cls):
        cls.stack = Stack(**cls.stack_args).start()

    @classmethod
    def tearDownClass(cls):
        cls.stack.stop()

    def assertStatus(self, r, status):
        if r.status != status:
            self.stack.dump_logs()
        self.assertEqual(r.status, status, r)

    def assertError(self, r, status, code=None, field=None):
        self.assertStatus(r, status)
        self.assertIsNotNone(r.json, r)
        self.assertIn("error", r.json)
        if code:
            self.assertEqual(r.json["error"]["code"], code, r)
        if field:
            self.assertIn(field, r.json["error"].get("fields", {}), r)


def main():
    prog = unittest.main(exit=False, verbosity=2)
    res = prog.result
    failed = len(res.failures) + len(res.errors) + len(res.unexpectedSuccesses)
    skipped = len(res.skipped)
    passed = max(0, res.testsRun - failed - skipped)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    if failed:
        sys.exit(1)
    # Automake's 77: the suite is reported SKIP when nothing ran, and
    # script/test refuses a run with a skipped suite.
    sys.exit(77 if skipped and not passed else 0)
