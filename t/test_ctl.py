"""connectifyctl: the administrator's command against a running stack
(PostgreSQL, the pool, nginx with nchan, an SMTP server)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BUILD, SRC, TestCase, main, start_smtp, wait_for  # noqa: E402

CTL = os.path.join(BUILD, "ctl", "connectifyctl")
SQL = os.path.join(SRC, "sql")


class Ctl(TestCase):
    stack_args = {"before": start_smtp}

    def ctl(self, *args, env=None, rc=0):
        e = dict(self.stack.env)
        e.update(env or {})
        p = subprocess.run([CTL] + list(args), env=e, capture_output=True,
                           text=True, timeout=60)
        if rc is not None and p.returncode != rc:
            self.stack.dump_logs()
            self.fail("connectifyctl %s: exit %d, want %d\n%s%s"
                      % (" ".join(args), p.returncode, rc, p.stdout, p.stderr))
        return p

    # --- help -----------------------------------------------------------
    def test_help(self):
        top = self.ctl("--help").stdout
        for cmd in ("status", "migrate", "check-config", "create-admin",
                    "jobs", "purge"):
            self.assertIn(cmd, top)
            out = self.ctl(cmd, "--help").stdout
            self.assertIn("usage: connectifyctl [-c envfile] " + cmd, out)
            self.assertGreater(len(out.splitlines()), 2, out)
        self.assertIn("unknown command", self.ctl("frobnicate", rc=2).stderr)
        self.ctl(rc=2)
        self.ctl("jobs", "rerun", rc=2)

    # --- migrate --------------------------------------------------------
    def test_migrate_fresh_database_and_list(self):
        self.stack.sql("CREATE DATABASE ctl_fresh")
        url = self.stack.env["DATABASE_URL"].replace("/connectify?", "/ctl_fresh?")
        out = self.ctl("migrate", "-d", SQL, env={"DATABASE_URL": url}).stdout
        files = sorted(f[:-4] for f in os.listdir(SQL) if f.endswith(".sql"))
        self.assertEqual(re.findall(r"^applied (\S+)$", out, re.M), files)
        self.assertIn("%d migrations applied" % len(files), out)
        # Again: nothing to do; script/migrate agrees (same table and lock).
        self.assertIn("0 migrations applied",
                      self.ctl("migrate", "-d", SQL, env={"DATABASE_URL": url}).stdout)
        e = dict(self.stack.env, DATABASE_URL=url)
        p = subprocess.run([os.path.join(SRC, "script", "migrate"), SQL], env=e,
                           capture_output=True, text=True, check=True)
        self.assertNotIn("applied", p.stdout)

        # A new migration is listed as pending, then applied once.
        d = tempfile.mkdtemp(dir=self.stack.tmp)
        for f in os.listdir(SQL):
            shutil.copy(os.path.join(SQL, f), d)
        with open(os.path.join(d, "999_probe.sql"), "w") as f:
            f.write("CREATE TABLE ctl_probe (x int);\nINSERT INTO ctl_probe VALUES (7);\n")
        lst = self.ctl("migrate", "-l", "-d", d, env={"DATABASE_URL": url}).stdout
        self.assertIn("pending  999_probe", lst)
        self.assertIn("applied  001_accounts", lst)
        out = self.ctl("check-config", "-d", d, env={"DATABASE_URL": url}, rc=1).stdout
        self.assertRegex(out, r"FAIL database: .*1 migration pending")
        self.assertEqual(self.ctl("migrate", "-d", d, env={"DATABASE_URL": url}).stdout,
                         "applied 999_probe\n1 migration applied\n")
        self.assertIn("applied  999_probe",
                      self.ctl("migrate", "-l", "-d", d, env={"DATABASE_URL": url}).stdout)

        # A failing migration changes nothing and says why.
        with open(os.path.join(d, "998_bad.sql"), "w") as f:
            f.write("CREATE TABLE ctl_half (x int);\nSELECT no_such_function();\n")
        p = self.ctl("migrate", "-d", d, env={"DATABASE_URL": url}, rc=1)
        self.assertIn("998_bad", p.stderr)
        self.assertIn("no_such_function", p.stderr)
        e["DATABASE_URL"] = url
        rows = subprocess.run(["psql", url, "-XAtc",
                               "SELECT to_regclass('ctl_half') IS NULL, "
                               "count(*) FROM schema_migrations WHERE version = '998_bad'"],
                              capture_output=True, text=True, check=True).stdout.strip()
        self.assertEqual(rows, "t|0")

    # --- status ---------------------------------------------------------
    def field(self, out, label):
        m = re.search(r"^\s+%s\s+(\S+)" % re.escape(label), out, re.M)
        self.assertIsNotNone(m, "%s not in:\n%s" % (label, out))
        return m.group(1)

    def test_status_pools_and_queue(self):
        self.stack.sql("INSERT INTO jobs (kind, run_at) VALUES "
                       "('ctl_ready', now() - interval '90 seconds'), "
                       "('ctl_ready', now()), ('ctl_later', now() + interval '1 hour')")
        try:
            out = self.ctl("status").stdout
            self.assertEqual(self.field(out, "configured"), "2")
            self.assertEqual(self.field(out, "alive"), "2")
            # The status request itself is the one busy process.
            self.assertEqual(self.field(out, "busy"), "1")
            self.assertEqual(self.field(out, "idle"), "1")
            m = re.search(r"^\s+ctl_ready\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", out, re.M)
            self.assertIsNotNone(m, out)
            self.assertEqual(m.group(1, 2, 3), ("2", "0", "0"))
            self.assertGreaterEqual(int(m.group(4)), 89)
            m = re.search(r"^\s+ctl_later\s+(\d+)\s+(\d+)", out, re.M)
            self.assertEqual(m.group(1, 2), ("0", "1"), out)
        finally:
            self.stack.sql("DELETE FROM jobs WHERE kind LIKE 'ctl_%'")
        p = self.ctl("status", env={"FCGI_SOCKET": self.stack.tmp + "/none.sock"}, rc=1)
        self.assertIn("not answering", p.stdout)

    def test_status_max_reached_and_slow(self):
        """A one-process pool: every request finds it the last one free;
        a request held over a second by a lock counts as slow."""
        sock = os.path.join(self.stack.run, "one.sock")
        env = dict(self.stack.env, FCGI_SOCKET=sock)
        self.stack.spawn("fcgi-one", [os.path.join(BUILD, "fcgi", "connectify-fcgi"),
                                      "-n", "1"], env=env)
        try:
            wait_for(lambda: os.path.exists(sock), what="second pool")
            wait_for(lambda: self.ctl("status", env={"FCGI_SOCKET": sock},
                                      rc=None).returncode == 0, what="second pool answers")
            out = self.ctl("status", env={"FCGI_SOCKET": sock}).stdout
            self.assertEqual(self.field(out, "configured"), "1")
            first = int(self.field(out, "max reached"))
            self.assertGreaterEqual(first, 1)
            self.assertEqual(self.field(out, "slow requests"), "0")
            self.assertEqual(self.field(out, "listen queue"), "0")
            # FCGI_BACKLOG (4096), as far as net.core.somaxconn allows.
            with open("/proc/sys/net/core/somaxconn") as f:
                cap = int(f.read())
            self.assertEqual(self.field(out, "listen queue max"), str(min(4096, cap)))
            # /metrics reads the jobs table: hold it locked for 1.5 s.
            locker = threading.Thread(target=self.stack.sql, args=(
                "BEGIN; LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE; "
                "SELECT pg_sleep(1.5); COMMIT;",))
            locker.start()
            time.sleep(0.3)
            # The lone process is held: two more status requests wait in
            # the listen queue, and the first answered sees the second.
            held = subprocess.Popen([CTL, "status"], env=env, stdout=subprocess.PIPE, text=True)
            time.sleep(0.3)
            waiting = [subprocess.Popen([CTL, "status"], env=env, stdout=subprocess.PIPE,
                                        text=True) for _ in range(2)]
            outs = [p.communicate(timeout=30)[0] for p in waiting]
            held.communicate(timeout=30)
            locker.join()
            self.assertGreaterEqual(max(int(self.field(o, "listen queue")) for o in outs), 1,
                                    outs)
            out = self.ctl("status", env={"FCGI_SOCKET": sock}).stdout
            self.assertEqual(self.field(out, "slow requests"), "1")
            self.assertEqual(self.field(out, "listen queue"), "0")
            self.assertGreaterEqual(int(self.field(out, "max reached")), first + 4)
        finally:
            self.stack.stop_proc("fcgi-one")

    def test_metrics_pool_series(self):
        r = self.stack.http("GET", "/metrics")
        self.assertStatus(r, 200)
        busy = int(re.search(r'connectify_fcgi_pool_workers\{state="busy"\} (\d+)', r.raw).group(1))
        idle = int(re.search(r'connectify_fcgi_pool_workers\{state="idle"\} (\d+)', r.raw).group(1))
        self.assertEqual((busy, idle), (1, 1))
        self.assertRegex(r.raw, r"connectify_fcgi_pool_max_reached_total \d+")
        self.assertRegex(r.raw, r"connectify_fcgi_slow_requests_total \d+")

    # --- check-config ---------------------------------------------------
    def test_check_config_all_reached(self):
        out = self.ctl("check-config", "-d", SQL).stdout
        for name in ("settings", "database", "mail", "storage", "scorer", "nchan"):
            self.assertRegex(out, r"(?m)^ok\s+%s: " % name)
        self.assertIn("answered EHLO", out)
        left = [f for _, _, fs in os.walk(self.stack.env["STORAGE_DIR"]) for f in fs]
        self.assertEqual(left, [], "the storage probe was left behind")

    def test_check_config_failures(self):
        # A file where a directory should be: storage cannot be made.
        blocked = os.path.join(self.stack.tmp, "a-file")
        with open(blocked, "w") as f:
            f.write("x")
        out = self.ctl("check-config", "-d", SQL, rc=1, env={
            "SMTP_PORT": "1", "STORAGE_DIR": blocked + "/storage",
            "NCHAN_PUB_SOCKET": blocked + "/pub.sock",
            # nginx answers, but not as an OpenAI-compatible API
            "ATS_PROVIDER": "openai", "OPENAI_BASE_URL": self.stack.base + "/v1",
            "OPENAI_API_KEY": "k"}).stdout
        for name in ("mail", "storage", "scorer", "nchan"):
            self.assertRegex(out, r"(?m)^FAIL %s: " % name)
        self.assertRegex(out, r"(?m)^ok\s+database: ")
        out = self.ctl("check-config", env={"LOG_LEVEL": "loud"}, rc=1).stdout
        self.assertIn("FAIL settings: LOG_LEVEL must be one of", out)
        out = self.ctl("check-config", "-d", SQL, rc=1,
                       env={"DATABASE_URL": "postgresql:///x?host=%s&port=1" % self.stack.run}).stdout
        self.assertRegex(out, r"(?m)^FAIL database: ")

    # --- create-admin ---------------------------------------------------
    def test_create_admin(self):
        out = self.ctl("create-admin", "Asha Admin", "+919000011111", "asha@example.com").stdout
        self.assertIn("created HR user", out)
        rows = self.stack.sql("SELECT user_type, email FROM users WHERE phone_number = '+919000011111'")
        self.assertEqual(rows, [["Hr", "asha@example.com"]])
        self.assertIn("already registered",
                      self.ctl("create-admin", "Again", "+919000011111", "b@example.com", rc=1).stderr)
        self.ctl("create-admin", "Bad", "12", "not-an-email", rc=1)
        self.assertEqual(self.stack.sql("SELECT count(*) FROM users WHERE name = 'Bad'"), [["0"]])
        self.ctl("create-admin", "Too", "few", rc=2)
        # The account signs in like any other.
        self.stack.login("+919000011111")

    # --- jobs -----------------------------------------------------------
    def test_jobs_list_retry_discard(self):
        ids = [r[0] for r in self.stack.sql(
            "INSERT INTO jobs (kind, state, attempt, max_attempts, finalized_at, last_error) "
            "VALUES ('ctl_dead', 'discarded', 5, 5, now(), 'boom: it broke') RETURNING id")]
        ids += [r[0] for r in self.stack.sql(
            "INSERT INTO jobs (kind, run_at) VALUES ('ctl_wait', now() + interval '1 hour') "
            "RETURNING id")]
        ids += [r[0] for r in self.stack.sql(
            "INSERT INTO jobs (kind, state, locked_by, locked_at, lease_until, attempt) "
            "VALUES ('ctl_run', 'running', 'w:1', now(), now() + interval '1 minute', 1) "
            "RETURNING id")]
        ids += [r[0] for r in self.stack.sql(
            "INSERT INTO jobs (kind, state, finalized_at) VALUES ('ctl_done', 'completed', now()) "
            "RETURNING id")]
        dead, wait, run, done = ids
        try:
            out = self.ctl("jobs", "list", "-s", "discarded", "-k", "ctl_dead").stdout
            self.assertRegex(out, r"(?m)^%s\s+ctl_dead\s+discarded\s+5/5 .*boom: it broke" % dead)
            self.assertNotIn("ctl_wait", out)
            self.assertIn("ctl_wait", self.ctl("jobs", "list", "-n", "10").stdout)
            self.ctl("jobs", "list", "-s", "lost", rc=2)

            self.assertIn("will run again", self.ctl("jobs", "retry", dead).stdout)
            self.assertEqual(self.stack.sql(
                "SELECT state, attempt, finalized_at IS NULL, run_at <= now() FROM jobs "
                "WHERE id = %s" % dead), [["available", "0", "t", "t"]])
            self.ctl("jobs", "retry", wait)
            self.assertEqual(self.stack.sql("SELECT run_at <= now() FROM jobs WHERE id = %s"
                                            % wait), [["t"]])
            self.assertIn("no such job", self.ctl("jobs", "retry", done, rc=1).stderr)

            self.assertIn("discarded", self.ctl("jobs", "discard", wait).stdout)
            self.assertEqual(self.stack.sql(
                "SELECT state, last_error, finalized_at IS NOT NULL FROM jobs WHERE id = %s"
                % wait), [["discarded", "discarded by an operator", "t"]])
            self.assertIn("asked to stop", self.ctl("jobs", "discard", run).stdout)
            self.assertEqual(self.stack.sql(
                "SELECT state, cancel_requested_at IS NOT NULL FROM jobs WHERE id = %s" % run),
                [["running", "t"]])
            self.ctl("jobs", "discard", done, rc=1)
            self.ctl("jobs", "retry", "12x", rc=2)
            self.ctl("jobs", "discard", rc=2)
        finally:
            self.stack.sql("DELETE FROM jobs WHERE kind LIKE 'ctl_%'")

    # --- purge ----------------------------------------------------------
    def test_purge(self):
        self.ctl("create-admin", "Purge Owner", "+919000022222", "purge@example.com")
        uid = self.stack.sql("SELECT id FROM users WHERE phone_number = '+919000022222'")[0][0]
        self.stack.sql(
            "INSERT INTO jobs (kind, state, finalized_at) VALUES "
            "('ctl_old', 'completed', now() - interval '48 hours'), "
            "('ctl_new', 'completed', now() - interval '1 hour'), "
            "('ctl_olddead', 'discarded', now() - interval '48 hours'), "
            "('ctl_waiting', 'available', NULL)")
        self.stack.sql(
            "INSERT INTO otps (user_id, phone_number, code_hash, expires_at) VALUES "
            "(%s, '+919000022222', 'x', now() - interval '2 days'), "
            "(%s, '+919000022222', 'y', now() + interval '5 minutes')" % (uid, uid))
        try:
            out = self.ctl("purge").stdout
            self.assertIn("finished jobs deleted: 1", out)
            self.assertIn("expired sign-in codes deleted: 1", out)
            self.assertEqual(self.stack.sql(
                "SELECT kind FROM jobs WHERE kind LIKE 'ctl_%' ORDER BY kind"),
                [["ctl_new"], ["ctl_olddead"], ["ctl_waiting"]])
            self.assertEqual(self.stack.sql(
                "SELECT code_hash FROM otps WHERE user_id = %s" % uid), [["y"]])
        finally:
            self.stack.sql("DELETE FROM jobs WHERE kind LIKE 'ctl_%'")


if __name__ == "__main__":
    main()
