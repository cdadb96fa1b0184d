#!/usr/bin/python3
"""Job queue throughput: no-op jobs per second.

For each process count N and claim batch size B, enqueues JOBS no-op jobs
while no worker runs, starts `connectify-worker -j N` with JOB_BATCH=B and
measures the time until every job is completed (jobs/s = JOBS / time).
B=1 completes each job with its own statement; B=10 claims ten at once and
completes them in one statement.

usage: bench/queue.py [--jobs 100000] [--procs 1,2,4,8] [--batches 1,10]
"""
import argparse
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "t"))
from harness import BUILD, Stack  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=100000)
    ap.add_argument("--procs", default="1,2,4,8")
    ap.add_argument("--batches", default="1,10")
    a = ap.parse_args()
    st = Stack(env={"LOG_LEVEL": "warn", "JOB_POLL_MS": "100"}, nginx=False)
    st.start_pg()
    try:
        print("%d no-op jobs per run; PostgreSQL %s" % (a.jobs, st.sql("SHOW server_version")[0][0]))
        print("%-6s %-6s %10s %10s" % ("procs", "batch", "seconds", "jobs/s"))
        for b in (int(x) for x in a.batches.split(",")):
            for n in (int(x) for x in a.procs.split(",")):
                st.sql("TRUNCATE jobs")
                st.sql("INSERT INTO jobs (kind) SELECT 'noop' FROM generate_series(1, %d)" % a.jobs)
                st.sql("VACUUM ANALYZE jobs")
                env = dict(st.env, JOB_BATCH=str(b))
                t0 = time.time()
                p = subprocess.Popen([os.path.join(BUILD, "worker", "connectify-worker"),
                                      "-j", str(n)], env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
                while True:
                    left = int(st.sql("SELECT count(*) FROM jobs WHERE state <> 'completed'")[0][0])
                    if left == 0:
                        break
                    time.sleep(0.05)
                dt = time.time() - t0
                p.send_signal(signal.SIGTERM)
                p.wait(30)
                bad = st.sql("SELECT count(*) FROM jobs WHERE attempt <> 1")[0][0]
                print("%-6d %-6d %10.2f %10.0f%s" % (n, b, dt, a.jobs / dt,
                                                    "" if bad == "0" else "  (retried: %s)" % bad))
    finally:
        st.pg_stop("immediate")
        st.stop()


if __name__ == "__main__":
    main()
