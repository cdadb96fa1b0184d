#!/usr/bin/python3
"""Benchmark of the foundation's hot paths through nginx.

Seeds 2,000 users, then measures with wrk:
  GET /healthz
  GET /bulk_hiring/user_data/v1/user-data/?user_type=Interviewee&page_size=50 (HR JWT)
Prints requests/s and latency percentiles per endpoint.

usage: bench/accounts.py [--duration 10] [--connections 16] [--workers 3] [--no-cache]
Run from the repository after building (script/test builds; or make).
"""
import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "t"))
from harness import Stack  # noqa: E402


def wrk(url, token, duration, conns):
    cmd = ["wrk", "-t2", "-c%d" % conns, "-d%ds" % duration, "--latency"]
    if token:
        cmd += ["-H", "Authorization: Bearer " + token]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, lat, int(errors.group(1)) if errors else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--no-cache", action="store_true",
                    help="CACHE_TTL=0: every request runs its queries")
    a = ap.parse_args()
    st = Stack(env={"LOG_LEVEL": "warn", "ACCESS_TOKEN_TTL": "3600",
                    "CACHE_TTL": "0" if a.no_cache else "10"},
               fcgi_workers=a.workers).start()
    try:
        hr = st.make_user("Hr")
        st.sql("INSERT INTO users (name, username, email, phone_number, user_type) "
               "SELECT 'Candidate ' || g, 'cand' || g, 'cand' || g || '@example.com', "
               "'+9170' || lpad(g::text, 8, '0'), "
               "CASE WHEN g % 10 = 0 THEN 'Interviewer' ELSE 'Interviewee' END "
               "FROM generate_series(1, 2000) g")
        st.sql("ANALYZE users")
        print("seeded %s users; %d FastCGI processes, nginx 2 workers, wrk -t2 -c%d -d%ds"
              % (st.sql("SELECT count(*) FROM users")[0][0], a.workers, a.connections,
                 a.duration))
        for name, path, tok in (
                ("GET /healthz", "/healthz", None),
                ("GET user-data?user_type=Interviewee&page_size=50",
                 "/bulk_hiring/user_data/v1/user-data/?user_type=Interviewee&page_size=50",
                 hr["access_token"])):
            rps, lat, errs = wrk(st.base + path, tok, a.duration, a.connections)
            print("%-52s %8.0f req/s  p50 %-8s p90 %-8s p99 %-8s non-2xx %d"
                  % (name, rps, lat.get("50"), lat.get("90"), lat.get("99"), errs))
    finally:
        st.stop()


if __name__ == "__main__":
    main()
