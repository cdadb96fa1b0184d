#!/usr/bin/python3
"""Benchmark of the event app's hot lists through nginx.

Seeds 50 events (3 rounds each), 20 interviewers, 2,000 candidates and
2,000 registrations, then measures with wrk, as the events' HR:
  GET /bulk_hiring/event/v1/event/?status=Active
  GET /bulk_hiring/event/v1/register_user/?event_id=<first>
  GET /bulk_hiring/event/v1/application-by-department/?month=6&year=2026

usage: bench/events.py [--duration 10] [--connections 16] [--workers 3] [--no-cache]
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "t"))
from harness import Stack  # noqa: E402
from accounts import wrk  # noqa: E402

SEED = """
INSERT INTO departments (name) SELECT 'Department ' || g FROM generate_series(1, 5) g;
INSERT INTO skills (name) SELECT 'Skill ' || g FROM generate_series(1, 30) g;
INSERT INTO users (name, username, email, phone_number, user_type)
  SELECT 'Interviewer ' || g, 'iv' || g, 'iv' || g || '@example.com',
         '+9171' || lpad(g::text, 8, '0'), 'Interviewer' FROM generate_series(1, 20) g;
INSERT INTO users (name, username, email, phone_number, user_type)
  SELECT 'Candidate ' || g, 'cand' || g, 'cand' || g || '@example.com',
         '+9170' || lpad(g::text, 8, '0'), 'Interviewee' FROM generate_series(1, 2000) g;
INSERT INTO events (title, department_id, description, min_experience, max_experience,
                    location, openings, status, created_by, created_at)
  SELECT 'Event ' || g, 1 + g % 5, 'Hiring drive number ' || g, 1, 8, 'Pune', 5,
         CASE WHEN g % 5 = 0 THEN 'Inactive' ELSE 'Active' END, :'v1'::bigint,
         '2026-06-01'::timestamptz + (g || ' hours')::interval
  FROM generate_series(1, 50) g;
INSERT INTO event_skills SELECT e.id, s.id, s.id % 2 = 0 FROM events e
  JOIN skills s ON s.id % 10 = e.id % 10;
INSERT INTO rounds (event_id, position, name) SELECT e.id, p, 'Round ' || p
  FROM events e, generate_series(1, 3) p;
INSERT INTO round_interviewers SELECT r.id, u.id FROM rounds r
  JOIN users u ON u.user_type = 'Interviewer' AND u.id % 20 = r.id % 20;
INSERT INTO questions (round_id, position, text) SELECT r.id, q, 'Question ' || q
  FROM rounds r, generate_series(1, 3) q;
INSERT INTO registrations (event_id, user_id, status, ats_score, created_at)
  SELECT 1 + (u.n % 50), u.id,
         (ARRAY['applied','shortlisted','interviewing','rejected','selected'])[1 + u.n % 5],
         (u.n * 37) % 100, '2026-06-01'::timestamptz + ((u.n % 28) || ' days')::interval
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users
        WHERE user_type = 'Interviewee') u;
UPDATE registrations SET event_id = (SELECT min(id) FROM events) WHERE id % 4 = 0;
UPDATE events SET doc = event_json(id);
ANALYZE;
"""


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
        st.sql(SEED, hr["user"]["id"])
        ev = st.sql("SELECT min(id) FROM events")[0][0]
        n = st.sql("SELECT count(*) FROM registrations WHERE event_id = :'v1'", ev)[0][0]
        print("seeded 50 events x 3 rounds, 20 interviewers, 2000 candidates and "
              "registrations (%s in event %s); %d FastCGI processes; wrk -t2 -c%d -d%ds"
              % (n, ev, a.workers, a.connections, a.duration))
        for name, path in (
                ("GET event/?status=Active", "/bulk_hiring/event/v1/event/?status=Active"),
                ("GET register_user/?event_id=%s" % ev,
                 "/bulk_hiring/event/v1/register_user/?event_id=%s" % ev),
                ("GET application-by-department/?month=6&year=2026",
                 "/bulk_hiring/event/v1/application-by-department/?month=6&year=2026")):
            rps, lat, errs = wrk(st.base + path, hr["access_token"], a.duration, a.connections)
            print("%-50s %8.0f req/s  p50 %-8s p90 %-8s p99 %-8s non-2xx %d"
                  % (name, rps, lat.get("50"), lat.get("90"), lat.get("99"), errs))
    finally:
        st.stop()


if __name__ == "__main__":
    main()
