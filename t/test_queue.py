"""The job queue: claiming, retries with backoff, the dead letter state,
unique keys, crashed and stopped workers, exclusive execution, and
pruning of finished jobs."""
import collections
import glob
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BUILD, TestCase, main, wait_for  # noqa: E402


def enqueue(stack, n, args="{}", kind="noop", max_attempts=5):
    stack.sql("INSERT INTO jobs (kind, args, max_attempts) SELECT :'v1', :'v2'::jsonb, "
              ":'v3'::int FROM generate_series(1, %d)" % n, kind, args, max_attempts)


def states(stack):
    return dict((k, int(v)) for k, v in stack.sql(
        "SELECT state, count(*) FROM jobs GROUP BY state"))


def worker_log(stack, name="worker"):
    with open(os.path.join(stack.log, name + ".log")) as f:
        return f.read()


def worker_pids(stack):
    parent = stack.procs["worker"].pid
    out = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True)
    return [int(x) for x in out.stdout.split()]


class Queue(TestCase):
    stack_args = {"worker": True, "nginx": False,
                  "env": {"WORKER_CONCURRENCY": "3", "JOB_LEASE_S": "3", "PDF_WALL_MS": "1000",
                          "JOB_POLL_MS": "200", "JOB_BATCH": "10"}}

    def setUp(self):
        self.stack.sql("DELETE FROM jobs")

    def wait_states(self, want, timeout=30):
        wait_for(lambda: states(self.stack) == want, timeout, "job states %r" % (want,))

    def test_runs_everything_once(self):
        enqueue(self.stack, 500)
        self.wait_states({"completed": 500})
        rows = self.stack.sql("SELECT min(attempt), max(attempt), count(DISTINCT locked_by) "
                              "FROM jobs")
        self.assertEqual(rows[0][:2], ["1", "1"])
        # Executions per job, read from the worker's log lines.
        log = open(os.path.join(self.stack.log, "worker.log")).read()
        runs = collections.Counter(re.findall(r"\[job-(\d+)\] noop done", log))
        ids = set(r[0] for r in self.stack.sql("SELECT id FROM jobs"))
        self.assertEqual([i for i in ids if runs[i] != 1], [])

    def test_notify_wakes_workers(self):
        # The poll interval is long; NOTIFY must make the job start at once.
        time.sleep(0.5)
        t0 = time.time()
        enqueue(self.stack, 1)
        self.wait_states({"completed": 1}, 5)
        self.assertLess(time.time() - t0, 1.5)

    def test_retry_then_discard(self):
        enqueue(self.stack, 1, '{"fail": "retry"}', max_attempts=2)
        wait_for(lambda: self.stack.sql("SELECT attempt, state FROM jobs")[0] ==
                 ["1", "available"], 10, "first failure")
        row = self.stack.sql("SELECT extract(epoch FROM run_at - now()), last_error FROM jobs")[0]
        # equal jitter over 15 s: between 7.5 and 15 s from now
        self.assertGreater(float(row[0]), 5)
        self.assertLess(float(row[0]), 15.1)
        self.assertIn("asked to fail", row[1])
        self.stack.sql("UPDATE jobs SET run_at = now()")
        self.wait_states({"discarded": 1}, 10)
        row = self.stack.sql("SELECT attempt, jsonb_array_length(errors), finalized_at IS NOT NULL "
                             "FROM jobs")[0]
        self.assertEqual(row, ["2", "2", "t"])

    def test_kind_attempt_limit(self):
        # Enqueued without max_attempts: the kind's limit applies (noop: 3).
        self.stack.sql("INSERT INTO jobs (kind, args) VALUES ('noop', '{\"fail\": \"retry\"}')")
        for n in ("1", "2"):
            wait_for(lambda: self.stack.sql("SELECT attempt, state FROM jobs")[0] ==
                     [n, "available"], 10, "attempt " + n)
            self.stack.sql("UPDATE jobs SET run_at = now()")
        self.wait_states({"discarded": 1}, 10)
        self.assertEqual(self.stack.sql("SELECT attempt, max_attempts FROM jobs"), [["3", "3"]])

    def test_permanent_failure_and_unknown_kind(self):
        enqueue(self.stack, 1, '{"fail": "permanent"}')
        enqueue(self.stack, 1, "{}", kind="no_such_kind")
        self.wait_states({"discarded": 2}, 10)
        rows = dict(self.stack.sql("SELECT kind, attempt || ' ' || last_error FROM jobs"))
        self.assertTrue(rows["noop"].startswith("1 asked to fail"))
        self.assertEqual(rows["no_such_kind"], '1 unknown job kind "no_such_kind"')

    def test_sql_enqueue(self):
        # job_enqueue(): the kind's attempt limit from job_kinds, the delay,
        # the unique key; an unknown kind is refused and adds nothing.
        self.stack.sql("UPDATE job_kinds SET max_attempts = 2 WHERE name = 'noop'")
        try:
            jid = self.stack.sql("SELECT job_enqueue('noop', '{}', 'q1', 0, 3600)")[0][0]
            self.assertEqual(self.stack.sql(
                "SELECT kind, max_attempts, run_at > now() + interval '59 minutes' "
                "FROM jobs WHERE id = %s" % jid), [["noop", "2", "t"]])
            self.assertEqual(self.stack.sql(
                "SELECT job_enqueue('noop', '{}', 'q1') IS NULL"), [["t"]])
        finally:
            self.stack.sql("UPDATE job_kinds SET max_attempts = 3 WHERE name = 'noop'")
        with self.assertRaises(subprocess.CalledProcessError) as cm:
            self.stack.sql("SELECT job_enqueue('no_such_kind', '{}')")
        self.assertIn('unknown job kind "no_such_kind"', cm.exception.stderr)
        self.assertEqual(self.stack.sql("SELECT count(*) FROM jobs"), [["1"]])
        # Every function of the schema queues through job_enqueue().
        self.assertEqual(self.stack.sql(
            "SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc "
            "WHERE prosrc ~* 'insert\\s+into\\s+jobs\\M'"), [["job_enqueue"]])

    def test_unique_key(self):
        self.stack.sql("INSERT INTO jobs (kind, args, unique_key, run_at) "
                       "VALUES ('noop', '{}', 'k1', now() + interval '1 hour')")
        self.stack.sql("INSERT INTO jobs (kind, args, unique_key) VALUES ('noop', '{}', 'k1') "
                       "ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL "
                       "AND state IN ('available', 'running') DO NOTHING")
        self.assertEqual(self.stack.sql("SELECT count(*) FROM jobs")[0][0], "1")

    def test_killed_worker_loses_nothing(self):
        enqueue(self.stack, 30, '{"sleep_ms": 100}')
        wait_for(lambda: states(self.stack).get("running", 0) > 0, 10, "running jobs")
        victims = worker_pids(self.stack)
        running_by = self.stack.sql("SELECT DISTINCT locked_by FROM jobs WHERE state = 'running'")
        pid = int(running_by[0][0].split(":")[1])
        self.assertIn(pid, victims)
        os.kill(pid, signal.SIGKILL)
        self.wait_states({"completed": 30}, 40)
        # The killed worker's jobs were rescued, attempted again, done once.
        rows = self.stack.sql("SELECT count(*) FROM jobs WHERE attempt = 2")
        self.assertGreater(int(rows[0][0]), 0)
        log = open(os.path.join(self.stack.log, "worker.log")).read()
        self.assertIn("whose worker stopped answering", log)
        self.assertIn("died (signal 9); replacing", log)

    def test_stats(self):
        enqueue(self.stack, 3, kind="stats_probe", max_attempts=1)
        self.wait_states({"discarded": 3}, 10)
        out = subprocess.run([os.path.join(BUILD, "worker", "connectify-worker"), "--stats"],
                             env=self.stack.env, capture_output=True, text=True, check=True)
        self.assertRegex(out.stdout, r"stats_probe\s+discarded\s+3")


class Shutdown(TestCase):
    stack_args = {"worker": True, "nginx": False,
                  "env": {"WORKER_CONCURRENCY": "1", "JOB_BATCH": "5", "JOB_POLL_MS": "200"}}

    def test_sigterm_finishes_job_in_hand(self):
        enqueue(self.stack, 5, '{"sleep_ms": 1500}')
        wait_for(lambda: states(self.stack).get("running", 0) == 5, 10, "a claimed batch")
        time.sleep(0.3)
        w = self.stack.procs["worker"]
        w.send_signal(signal.SIGTERM)
        self.assertEqual(w.wait(20), 0)
        s = states(self.stack)
        self.assertEqual(s.get("completed"), 1, s)   # the one in hand finished
        self.assertEqual(s.get("available"), 4, s)  # the rest went back
        self.assertEqual(self.stack.sql("SELECT max(attempt) FROM jobs WHERE state = 'available'"),
                         [["0"]])


class Supervision(TestCase):
    """Workers started here with an env file (-c), as a service runs them."""
    stack_args = {"worker": False, "nginx": False,
                  "env": {"JOB_POLL_MS": "200", "PDF_WALL_MS": "1000"}}

    def setUp(self):
        self.stack.sql("DELETE FROM jobs")

    def start(self, name, settings):
        self.envfile = os.path.join(self.stack.tmp, name + ".env")
        self.write_env(settings)
        env = dict(self.stack.env)
        for k in settings:
            env.pop(k, None)
        return self.stack.spawn(name, [os.path.join(BUILD, "worker", "connectify-worker"),
                                       "-c", self.envfile], env)

    def write_env(self, settings):
        with open(self.envfile + ".tmp", "w") as f:
            f.write("".join("%s=%s\n" % kv for kv in settings.items()))
        os.rename(self.envfile + ".tmp", self.envfile)

    def children(self, p):
        out = subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True, text=True)
        return sorted(int(x) for x in out.stdout.split())

    def lease_of_running_job(self):
        enqueue(self.stack, 1, '{"sleep_ms": 1000}')
        wait_for(lambda: states(self.stack).get("running") == 1, 10, "a running job")
        lease = self.stack.sql("SELECT extract(epoch FROM lease_until - locked_at) FROM jobs "
                               "WHERE state = 'running'")[0][0]
        wait_for(lambda: states(self.stack).get("running") is None, 10, "the job to finish")
        self.stack.sql("DELETE FROM jobs")
        return round(float(lease))

    def test_sighup_reloads_the_env_file(self):
        p = self.start("worker-hup", {"WORKER_CONCURRENCY": "1", "JOB_LEASE_S": "7"})
        wait_for(lambda: len(self.children(p)) == 1, 10, "one worker")
        old = self.children(p)
        self.assertEqual(self.lease_of_running_job(), 7)
        self.write_env({"WORKER_CONCURRENCY": "2", "JOB_LEASE_S": "11"})
        p.send_signal(signal.SIGHUP)
        wait_for(lambda: len(self.children(p)) == 2 and not set(old) & set(self.children(p)),
                 15, "two new workers")
        self.assertEqual(self.lease_of_running_job(), 11)
        self.assertIn("reloaded; 2 workers", worker_log(self.stack, "worker-hup"))
        self.stack.stop_proc("worker-hup")


    def test_sighup_reloads_the_skills_taxonomy(self):
        src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data",
                           "skills.tsv")
        tax = os.path.join(self.stack.tmp, "skills-hup.tsv")
        with open(src) as f:
            rows = f.read()
        n = sum(1 for line in rows.splitlines() if line and not line.startswith("#"))
        with open(tax, "w") as f:
            f.write(rows)
        p = self.start("worker-tax", {"WORKER_CONCURRENCY": "1", "SKILLS_FILE": tax})
        wait_for(lambda: "skills taxonomy: %d skills" % n in worker_log(self.stack, "worker-tax"),
                 10, "the taxonomy loaded")
        old = self.children(p)
        # A broken file is refused: the running child keeps its taxonomy.
        with open(tax, "w") as f:
            f.write(rows + "Broken\tdata\t\tsometimes\n")
        p.send_signal(signal.SIGHUP)
        wait_for(lambda: "reload refused: skills taxonomy" in worker_log(self.stack, "worker-tax"),
                 10, "the refusal")
        self.assertEqual(self.children(p), old)
        # An admin's addition is loaded by the new child.
        with open(tax, "w") as f:
            f.write(rows + "Underwater Welding\toperations\tWet Welding\tany\n")
        p.send_signal(signal.SIGHUP)
        wait_for(lambda: "skills taxonomy: %d skills" % (n + 1) in
                 worker_log(self.stack, "worker-tax"), 15, "the new taxonomy")
        self.assertNotEqual(self.children(p), old)
        self.stack.stop_proc("worker-tax")

    def test_parent_killed_children_drain(self):
        p = self.start("worker-orphan", {"WORKER_CONCURRENCY": "1", "JOB_BATCH": "5"})
        wait_for(lambda: len(self.children(p)) == 1, 10, "one worker")
        kid, = self.children(p)
        enqueue(self.stack, 3, '{"sleep_ms": 1500}')
        wait_for(lambda: states(self.stack).get("running") == 3, 10, "a claimed batch")
        time.sleep(0.3)
        p.kill()            # as a stop that ran out of patience does
        p.wait()

        def gone():
            try:
                with open("/proc/%d/stat" % kid) as f:
                    return f.read().split(") ", 1)[1][0] == "Z"
            except FileNotFoundError:
                return True
        # The orphan is told to stop: it finishes the job in hand, hands
        # back the rest and exits.
        wait_for(gone, 10, "the orphaned worker to exit")
        self.assertEqual(states(self.stack), {"completed": 1, "available": 2})
        self.assertIn("worker %s:%d stopped" % (os.uname().nodename[:31], kid),
                      worker_log(self.stack, "worker-orphan"))


class Prune(TestCase):
    stack_args = {"worker": False, "nginx": False,
                  "env": {"WORKER_CONCURRENCY": "1", "JOB_POLL_MS": "200",
                          "JOB_RETENTION_HOURS": "1", "JOB_DISCARDED_RETENTION_HOURS": "3"}}

    def test_prunes_finished_jobs_only(self):
        # name, state, hours since it finished (NULL: not finished), extra
        rows = [("done_old", "completed", 2), ("done_new", "completed", 0.5),
                ("cancelled_old", "cancelled", 2), ("dead_recent", "discarded", 2),
                ("dead_old", "discarded", 4), ("waiting", "available", None),
                ("retrying", "available", None), ("running", "running", None)]
        for name, state, hours in rows:
            self.stack.sql(
                "INSERT INTO jobs (kind, args, state, attempt, run_at, created_at, finalized_at, "
                "last_error, locked_by, lease_until) VALUES ('noop', json_build_object('name', "
                ":'v1'::text), :'v2', CASE WHEN :'v1' = 'retrying' THEN 1 ELSE 0 END, "
                "now() + interval '1 day', now() - interval '30 days', "
                "now() - make_interval(secs => nullif(:'v3', '')::float8 * 3600), "
                "CASE WHEN :'v1' = 'retrying' THEN 'asked to fail' END, "
                "CASE WHEN :'v2' = 'running' THEN 'elsewhere:1' END, "
                "CASE WHEN :'v2' = 'running' THEN now() + interval '1 day' END)",
                name, state, "" if hours is None else hours)
        self.stack.start_worker()
        wait_for(lambda: "pruned 3 finished jobs" in worker_log(self.stack), 10, "pruning")
        left = [r[0] for r in self.stack.sql("SELECT args->>'name' FROM jobs ORDER BY id")]
        self.assertEqual(left, ["done_new", "dead_recent", "waiting", "retrying", "running"])


if __name__ == "__main__":
    main()
