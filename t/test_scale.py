"""connectifyctl scale fcgi|worker N: the setting written into the env
file the services read (the rest of the file kept), SIGHUP to the pool's
parent, and the pool seen at its new size; usage errors change nothing."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BUILD, TestCase, main, wait_for  # noqa: E402
from test_worker_pm import children  # noqa: E402

CTL = os.path.join(BUILD, "ctl", "connectifyctl")
FCGI = os.path.join(BUILD, "fcgi", "connectify-fcgi")
WORKER = os.path.join(BUILD, "worker", "connectify-worker")


class Scale(TestCase):
    stack_args = {"nginx": False}

    def setUp(self):
        self.conf = os.path.join(self.stack.tmp, "scale.env")
        self.sock = os.path.join(self.stack.run, "scale.sock")
        with open(self.conf, "w") as f:
            f.write("# the services' settings\nFCGI_WORKERS=2\n# FCGI_WORKERS=9\n"
                    "LOG_LEVEL=info\n")
        os.chmod(self.conf, 0o640)
        self.env = dict(self.stack.env, FCGI_SOCKET=self.sock)
        for k in ("FCGI_WORKERS", "WORKER_CONCURRENCY", "LOG_LEVEL"):
            self.env.pop(k, None)

    def ctl(self, *args, rc=0):
        p = subprocess.run([CTL] + list(args), env=self.env, capture_output=True,
                           text=True, timeout=60)
        if rc is not None:
            self.assertEqual(p.returncode, rc, p.stdout + p.stderr)
        return p

    def read(self):
        with open(self.conf) as f:
            return f.read()

    def test_fcgi_and_worker(self):
        pool = self.stack.spawn("fcgi-scale", [FCGI, "-c", self.conf], env=self.env)
        self.addCleanup(self.stack.stop_proc, "fcgi-scale")
        wait_for(lambda: children(pool.pid) == 2, 10, "2 processes")
        p = self.ctl("-c", self.conf, "scale", "-p", str(pool.pid), "fcgi", "4")
        self.assertIn("4 processes", p.stdout)
        self.assertEqual(children(pool.pid), 4)
        self.assertEqual(self.read(), "# the services' settings\nFCGI_WORKERS=4\n"
                         "# FCGI_WORKERS=9\nLOG_LEVEL=info\n")
        self.assertEqual(os.stat(self.conf).st_mode & 0o777, 0o640)
        self.ctl("-c", self.conf, "scale", "-p", str(pool.pid), "fcgi", "1")
        self.assertEqual(children(pool.pid), 1)
        out = self.ctl("-c", self.conf, "status", rc=None).stdout
        self.assertRegex(out, r"(?m)^\s+alive\s+1$")

        # The worker: its key appended to the same file.
        w = self.stack.spawn("worker-scale", [WORKER, "-c", self.conf], env=self.env)
        self.addCleanup(self.stack.stop_proc, "worker-scale")
        wait_for(lambda: children(w.pid) == 2, 10, "the worker's default 2")
        self.ctl("-c", self.conf, "scale", "-p", str(w.pid), "worker", "3")
        self.assertEqual(children(w.pid), 3)
        self.assertTrue(self.read().endswith("LOG_LEVEL=info\nWORKER_CONCURRENCY=3\n"))
        wait_for(lambda: "alive            3" in self.ctl("-c", self.conf, "status",
                                                             rc=None).stdout,
                 10, "status: 3 worker processes")

    def test_usage_errors_change_nothing(self):
        before = self.read()
        for args in (["scale", "fcgi"], ["scale", "fcgi", "0"], ["scale", "fcgi", "300"],
                     ["scale", "pool", "2"], ["scale", "fcgi", "2x"],
                     ["scale", "-p", "x", "fcgi", "2"]):
            self.ctl("-c", self.conf, *args, rc=2)
        self.ctl("scale", "-p", "1", "fcgi", "2", rc=2)     # no env file
        # Nothing runs under systemd here: no MainPID, no change.
        p = self.ctl("-c", self.conf, "scale", "fcgi", "3", rc=1)
        self.assertIn("not running", p.stderr)
        self.assertEqual(self.read(), before)
        self.assertIn("scale [-p pid] fcgi|worker N", self.ctl("scale", "--help").stdout)


if __name__ == "__main__":
    main()
