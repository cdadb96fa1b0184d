"""The worker pool sized by its queue (WORKER_PM=dynamic): WORKER_MIN
processes at first, more while ready jobs outnumber idle processes and
the oldest has waited, at most WORKER_CONCURRENCY, back to WORKER_MIN
once idle WORKER_IDLE_SECONDS; SIGHUP applies a change of manager;
connectifyctl status shows the manager and the processes alive."""
import os
import re
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BUILD, TestCase, main, wait_for  # noqa: E402

WORKER = os.path.join(BUILD, "worker", "connectify-worker")
CTL = os.path.join(BUILD, "ctl", "connectifyctl")


def children(ppid):
    """Live children of ppid."""
    n = 0
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == ppid and fields[0] != "Z":
            n += 1
    return n


class WorkerPM(TestCase):
    stack_args = {"nginx": False}

    def start_worker(self, conf):
        self.conf = os.path.join(self.stack.tmp, "worker.env")
        self.write_conf(conf)
        env = dict(self.stack.env, LOG_LEVEL="info")
        for k in conf:
            env.pop(k, None)    # from the file, so SIGHUP can change it
        self.env = env
        self.proc = self.stack.spawn("worker-pm", [WORKER, "-c", self.conf], env=env)
        self.addCleanup(self.stack.stop_proc, "worker-pm")

    def write_conf(self, conf):
        with open(self.conf, "w") as f:
            f.write("".join("%s=%s\n" % kv for kv in conf.items()))

    def status(self):
        p = subprocess.run([CTL, "-c", self.conf, "status"], env=self.env,
                           capture_output=True, text=True)
        return p.stdout[p.stdout.index("worker pool"):]

    def field(self, out, label):
        m = re.search(r"^\s+%s\s+(.+)$" % re.escape(label), out, re.M)
        self.assertIsNotNone(m, "%s not in:\n%s" % (label, out))
        return m.group(1)

    def test_grows_with_the_queue_and_shrinks_when_idle(self):
        conf = {"WORKER_PM": "dynamic", "WORKER_MIN": "1", "WORKER_CONCURRENCY": "4",
                "WORKER_IDLE_SECONDS": "2", "JOB_BATCH": "1"}
        self.start_worker(conf)
        wait_for(lambda: children(self.proc.pid) == 1, 10, "WORKER_MIN processes")
        wait_for(lambda: self.field(self.status(), "alive") == "1", 10, "status: 1 alive")
        out = self.status()
        self.assertEqual(self.field(out, "manager"), "dynamic (1 to 4, idle 2 s)")
        # Slow jobs pile up: the pool grows to its maximum, no further.
        self.stack.sql("INSERT INTO jobs (kind, args) SELECT 'noop', "
                       "'{\"sleep_ms\": 2500}' FROM generate_series(1, 12)")
        most = 0

        def grown():
            nonlocal most
            most = max(most, children(self.proc.pid))
            return most >= 4
        wait_for(grown, 15, "the pool grown to WORKER_CONCURRENCY")
        self.assertLessEqual(children(self.proc.pid), 4)
        self.assertEqual(self.field(self.status(), "alive"), "4")
        wait_for(lambda: self.stack.sql("SELECT count(*) FROM jobs WHERE kind = 'noop' "
                                        "AND state <> 'completed'") == [["0"]], 30,
                 "the jobs")
        # Idle: back to WORKER_MIN, one process at a time.
        wait_for(lambda: children(self.proc.pid) == 1, 20, "the pool shrunk to WORKER_MIN")

        # SIGHUP: static, WORKER_CONCURRENCY processes.
        conf.update({"WORKER_PM": "static", "WORKER_CONCURRENCY": "3"})
        self.write_conf(conf)
        self.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: children(self.proc.pid) == 3, 10, "static: 3 processes")
        self.assertEqual(self.field(self.status(), "manager"), "static")

    def test_bad_settings_are_refused(self):
        conf = {"WORKER_PM": "dynamic", "WORKER_MIN": "5", "WORKER_CONCURRENCY": "2"}
        self.conf = os.path.join(self.stack.tmp, "bad.env")
        self.write_conf(conf)
        env = dict(self.stack.env)
        for k in conf:
            env.pop(k, None)
        p = subprocess.run([WORKER, "-c", self.conf], env=env, capture_output=True,
                           text=True, timeout=10)
        self.assertEqual(p.returncode, 1)
        self.assertIn("WORKER_MIN", p.stdout + p.stderr)


if __name__ == "__main__":
    main()
