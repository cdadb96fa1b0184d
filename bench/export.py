#!/usr/bin/python3
"""Benchmark of the candidate export through nginx.

Seeds one event with 100,000 registrations (scores, sub-scores, a review
each), then times GET /bulk_hiring/event/v1/export/ as the event's HR in
CSV and NDJSON, reading the whole body, and checks the row count.  Exits
1 when a format takes longer than --limit seconds (5).

usage: bench/export.py [--rows 100000] [--limit 5]
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "t"))
from harness import Stack  # noqa: E402

SEED = """
INSERT INTO users (name, username, email, phone_number, user_type)
  SELECT 'Candidate ' || g, 'xc' || g, 'xc' || g || '@example.com',
         '+9150' || lpad(g::text, 8, '0'), 'Interviewee' FROM generate_series(1, :'v2'::int) g;
INSERT INTO registrations (event_id, user_id, status, ats_score, ats_result,
                           current_round_id, scored_at)
  SELECT :'v1', u.id, 'interviewing', u.id % 100,
         jsonb_build_object('sub_scores', jsonb_build_object('required_skills', u.id % 100,
             'preferred_skills', 10, 'experience', 70, 'education', 100, 'relevance', 33)),
         (SELECT id FROM rounds WHERE event_id = :'v1'), now()
  FROM users u WHERE u.username LIKE 'xc%';
INSERT INTO reviews (registration_id, round_id, interviewer_id, rating, result)
  SELECT g.id, g.current_round_id, :'v3', 1 + g.id % 5, 'pass'
  FROM registrations g WHERE g.event_id = :'v1';
ANALYZE;
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--limit", type=float, default=5.0)
    a = ap.parse_args()
    s = Stack().start()
    bad = 0
    try:
        hr = s.make_user("Hr")
        iv = s.make_user("Interviewer")
        r = s.http("POST", "/bulk_hiring/event/v1/event/", {
            "title": "Export bench", "department": "Engineering", "status": "Active",
            "rounds": [{"name": "Technical", "interviewers": [iv["user"]["id"]]}]},
            token=hr["access_token"])
        ev = r.json["event_id"]
        s.sql(SEED, ev, a.rows, iv["user"]["id"])
        for fmt in ("csv", "ndjson"):
            url = "%s/bulk_hiring/event/v1/export/?event_id=%d&format=%s" % (s.base, ev, fmt)
            t0 = time.monotonic()
            out = subprocess.run(["curl", "-sS", "--fail", "-H",
                                  "Authorization: Bearer " + hr["access_token"], url],
                                 capture_output=True, check=True).stdout
            dt = time.monotonic() - t0
            lines = out.count(b"\n") - (1 if fmt == "csv" else 0)
            ok = lines == a.rows and dt < a.limit
            bad += not ok
            print("%-6s %7d rows %9d bytes %6.2f s %s" % (fmt, lines, len(out), dt,
                                                           "ok" if ok else "FAIL"))
    finally:
        s.stop()
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
