#!/usr/bin/python3
"""Figures for sizing the pools: requests/s per FastCGI process and the
memory of each process, with 1 and 2 processes, for a cheap request
(/healthz) and a list that runs its queries every time (CACHE_TTL=0);
and what /metrics shows under that load (busy, listen queue, max
reached).

usage: bench/pools.py [--duration 5] [--connections 8]
Run from the repository after building.
"""
import argparse
import os
import re
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "t"))
from harness import Stack  # noqa: E402

LIST = "/bulk_hiring/user_data/v1/user-data/?user_type=Interviewee&page_size=50"


def wrk(url, token, duration, conns):
    cmd = ["wrk", "-t2", "-c%d" % conns, "-d%ds" % duration]
    if token:
        cmd += ["-H", "Authorization: Bearer " + token]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def pool_rss(st):
    """RSS (KiB) of each FastCGI child: the supervisor's children."""
    parent = st.procs["fcgi"].pid
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/status" % pid) as f:
                text = f.read()
        except OSError:
            continue
        if re.search(r"^PPid:\s+%d$" % parent, text, re.M):
            out.append(int(re.search(r"^VmRSS:\s+(\d+)", text, re.M).group(1)))
    return out


def metric(st, name):
    m = re.search(r"^%s (\d+)" % re.escape(name), st.http("GET", "/metrics").raw, re.M)
    return int(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--connections", type=int, default=8)
    a = ap.parse_args()
    print("processes | GET /healthz req/s | list (no cache) req/s | per process | RSS per process "
          "| under load: busy, listen queue, max reached")
    for n in (1, 2):
        st = Stack(env={"LOG_LEVEL": "warn", "ACCESS_TOKEN_TTL": "3600", "CACHE_TTL": "0"},
                   fcgi_workers=n).start()
        try:
            hr = st.make_user("Hr")
            st.sql("INSERT INTO users (name, username, email, phone_number, user_type) "
                   "SELECT 'Candidate ' || g, 'cand' || g, 'cand' || g || '@example.com', "
                   "'+9170' || lpad(g::text, 8, '0'), 'Interviewee' "
                   "FROM generate_series(1, 2000) g")
            st.sql("ANALYZE users")
            health = wrk(st.base + "/healthz", None, a.duration, a.connections)
            before = metric(st, "connectify_fcgi_pool_max_reached_total")
            seen = {}

            def sample():
                # The /metrics request waits its turn like any other.
                seen["raw"] = st.http("GET", "/metrics").raw
            t = threading.Timer(a.duration / 2, sample)
            t.start()
            lst = wrk(st.base + LIST, hr["access_token"], a.duration, a.connections)
            t.join()
            raw = seen.get("raw", "")
            busy = re.search(r'pool_workers\{state="busy"\} (\d+)', raw)
            queue = re.search(r"^connectify_fcgi_listen_queue (\d+)", raw, re.M)
            after = metric(st, "connectify_fcgi_pool_max_reached_total")
            rss = pool_rss(st)
            print("%d | %.0f | %.0f | %.0f (list) | %s MiB | %s, %s, %d of %d requests"
                  % (n, health, lst, lst / n,
                     "/".join("%.1f" % (r / 1024) for r in sorted(rss)),
                     busy.group(1) if busy else "?", queue.group(1) if queue else "?",
                     after - before, int(lst * a.duration)))
        finally:
            st.stop()


if __name__ == "__main__":
    main()
