"""The FastCGI pool: health, metrics, database restarts, crashed
processes, reload and draining."""
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TestCase, main, wait_for  # noqa: E402

UD = "/bulk_hiring/user_data/v1"


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return sorted(int(x) for x in out.stdout.split())


class Pool(TestCase):
    stack_args = {"fcgi_workers": 3}

    def test_healthz_and_request_id(self):
        r = self.stack.http("GET", "/healthz")
        self.assertStatus(r, 200)
        self.assertEqual(r.json, {"status": "ok", "database": "ok"})
        rid = r.headers["X-Request-Id"]
        self.assertRegex(rid, r"^[0-9a-f]{32}$")
        self.assertEqual(len(r.headers.get_all("X-Request-Id")), 1)
        log = open(os.path.join(self.stack.log, "fcgi.log")).read()
        self.assertIn("[%s] GET /healthz 200" % rid, log)
        # Errors carry it too, in the body.
        r = self.stack.http("GET", UD + "/me/")
        self.assertEqual(r.json["error"]["request_id"], r.headers["X-Request-Id"])

    def test_metrics(self):
        for _ in range(3):
            self.stack.http("GET", "/healthz")
        self.stack.http("GET", UD + "/me/")
        r = self.stack.http("GET", "/metrics")
        self.assertStatus(r, 200)
        text = r.raw
        line = [x for x in text.splitlines()
                if x.startswith('connectify_http_requests_total{route="healthz",status="200"}')]
        self.assertTrue(line, text)
        self.assertGreaterEqual(int(line[0].split()[-1]), 3)
        self.assertIn('connectify_http_requests_total{route="me",status="401"}', text)
        self.assertIn('connectify_http_request_duration_seconds_bucket{route="healthz",le="+Inf"}', text)
        self.assertIn('connectify_fcgi_pool_processes{state="configured"} 3', text)
        self.assertIn('connectify_fcgi_pool_processes{state="alive"} 3', text)
        self.stack.sql("INSERT INTO jobs (kind, run_at) SELECT 'metrics_probe', "
                       "now() + interval '1 hour' FROM generate_series(1, 4)")
        text = self.stack.http("GET", "/metrics").raw
        self.assertIn('connectify_jobs{kind="metrics_probe",state="available"} 4', text)

    def test_database_restart(self):
        t = self.stack.make_user("Hr")
        self.assertStatus(self.stack.http("GET", UD + "/me/", token=t["access_token"]), 200)
        self.stack.pg_stop("fast")
        try:
            r = self.stack.http("GET", UD + "/me/", token=t["access_token"])
            self.assertError(r, 503, "database_unavailable")
            r = self.stack.http("GET", "/healthz")
            self.assertEqual(r.status, 503)
        finally:
            self.stack.pg_start()
        # Every process reconnects: more requests than processes, all fine.
        for _ in range(12):
            r = self.stack.http("GET", UD + "/me/", token=t["access_token"])
            self.assertStatus(r, 200)

    def test_database_restart_under_stale_connections(self):
        # Restart while the pool holds open connections.
        t = self.stack.make_user()
        for _ in range(6):
            self.stack.http("GET", UD + "/me/", token=t["access_token"])
        self.stack.pg_stop("immediate")
        self.stack.pg_start()
        codes = [self.stack.http("GET", UD + "/me/", token=t["access_token"]).status
                 for _ in range(10)]
        # Stale connections are noticed before use: no request fails.
        self.assertEqual(codes, [200] * 10)

    def test_killed_child_is_replaced(self):
        parent = self.stack.procs["fcgi"].pid
        before = children(parent)
        self.assertEqual(len(before), 3)
        os.kill(before[0], signal.SIGKILL)
        wait_for(lambda: len(children(parent)) == 3 and before[0] not in children(parent),
                 10, "replacement")
        errors = []

        def hammer():
            for _ in range(40):
                r = self.stack.http("GET", "/healthz")
                if r.status != 200:
                    errors.append(r.status)
        ts = [threading.Thread(target=hammer) for _ in range(4)]
        for x in ts:
            x.start()
        for x in ts:
            x.join()
        self.assertEqual(errors, [])
        log = open(os.path.join(self.stack.log, "fcgi.log")).read()
        self.assertIn("died (signal 9); replacing", log)

    def test_reload_on_hup(self):
        parent = self.stack.procs["fcgi"].pid
        before = children(parent)
        os.kill(parent, signal.SIGHUP)
        wait_for(lambda: not set(before) & set(children(parent)) and len(children(parent)) == 3,
                 10, "new children after reload")
        self.assertStatus(self.stack.http("GET", "/healthz"), 200)


class SocketAccess(TestCase):
    """Only nginx may reach the pool: it alone sets the parameters the
    pool trusts (internal hooks, the client's address)."""

    def test_socket_is_private_to_nginx(self):
        import grp
        import stat
        path = self.stack.env["FCGI_SOCKET"]
        st = os.stat(path)
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o660)
        if os.geteuid() != 0:
            self.skipTest("needs root to try another user")
        self.assertEqual(grp.getgrgid(st.st_gid).gr_name, "nogroup")
        probe = ("import socket,sys\ns=socket.socket(socket.AF_UNIX)\n"
                 "try:\n s.connect(sys.argv[1]); print('connected')\n"
                 "except PermissionError: print('refused')\n")
        out = subprocess.run(["runuser", "-u", "daemon", "--", "/usr/bin/python3", "-c",
                              probe, path], capture_output=True, text=True)
        self.assertEqual(out.stdout.strip(), "refused", out.stderr)
        # nginx's workers (nobody:nogroup) still get through.
        self.assertStatus(self.stack.http("GET", "/healthz"), 200)


class Drain(TestCase):
    stack_args = {"fcgi_workers": 1}

    def test_sigterm_drains(self):
        # A request in flight when SIGTERM arrives still gets its answer.
        # Slow one down: hold the per-phone OTP lock it must take.
        t = self.stack.make_user()
        phone = t["phone"]
        holder = subprocess.Popen(["psql", self.stack.env["DATABASE_URL"], "-Xq"],
                                  stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        holder.stdin.write("BEGIN;\nSELECT pg_advisory_xact_lock(hashtext('otp:' || '%s'));\n"
                           "\\echo locked\n" % phone)
        holder.stdin.flush()
        time.sleep(0.5)
        result = {}

        def slow():
            result["r"] = self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": phone})
        th = threading.Thread(target=slow)
        th.start()
        time.sleep(0.5)
        pool = self.stack.procs["fcgi"]
        pool.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        self.assertIsNone(pool.poll())          # still draining
        holder.stdin.write("COMMIT;\n")
        holder.stdin.close()
        holder.wait(10)
        th.join(20)
        self.assertEqual(result["r"].status, 200, result["r"])
        self.assertEqual(pool.wait(20), 0)
        self.assertFalse(os.path.exists(self.stack.env["FCGI_SOCKET"]))


if __name__ == "__main__":
    main()
