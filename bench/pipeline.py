#!/usr/bin/python3
"""End to end: N resumes uploaded into one event, until every one is
scored by the built-in scorer (candidate account, registration, score);
and the peak memory of the worker processes.

usage: bench/pipeline.py [--resumes 1000] [--workers 2] [--batch 100]
"""
import argparse
import base64
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "t"))
from harness import Stack  # noqa: E402
import pdfgen  # noqa: E402

EV = "/bulk_hiring/event/v1"


def peak_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--resumes", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=100)
    a = ap.parse_args()
    st = Stack(worker=True, env={"LOG_LEVEL": "warn", "WORKER_CONCURRENCY": str(a.workers),
                                 "MAIL_BACKEND": "file", "OTP_RATE_IP": "1000"})
    st.start()
    try:
        hr = st.make_user("Hr")
        iv = st.make_user("Interviewer")
        files = []
        for i in range(a.resumes):
            pdf, _ = pdfgen.resume(20000 + i, 1 + i % 3)
            files.append({"file_name": "r%04d.pdf" % i,
                          "content_base64": base64.b64encode(pdf).decode()})
        r = st.http("POST", EV + "/event/", {
            "title": "Backend Engineer", "department": "Engineering", "status": "Active",
            "description": "Backend services in C and PostgreSQL on Linux.",
            "skills": {"required": ["C", "PostgreSQL", "Linux"], "preferred": ["nginx"]},
            "min_experience": 2, "max_experience": 8,
            "rounds": [{"name": "Technical", "interviewers": [iv["user"]["id"]]}]},
            token=hr["access_token"])
        ev = r.json["event_id"]
        t0 = time.time()
        for i in range(0, a.resumes, a.batch):
            r = st.http("POST", EV + "/event-resumes/", {"event_id": ev,
                                                         "resumes": files[i:i + a.batch]},
                        token=hr["access_token"], timeout=120)
            assert r.status == 201, r
        t_up = time.time() - t0
        while True:
            done = int(st.sql("SELECT count(*) FROM resume_tracks WHERE event_id = :'v1' AND "
                              "status IN ('scored', 'failed')", ev)[0][0])
            if done == a.resumes:
                break
            time.sleep(0.2)
        t_all = time.time() - t0
        scored = st.sql("SELECT count(*) FROM registrations WHERE event_id = :'v1' AND "
                        "ats_score IS NOT NULL", ev)[0][0]
        kids = subprocess.run(["pgrep", "-P", str(st.procs["worker"].pid)], capture_output=True,
                              text=True).stdout.split()
        rss = max(peak_kib(int(k)) for k in kids)
        print("%d resumes (1-3 pages) uploaded in %.1f s (batches of %d); all scored after "
              "%.1f s with %d worker processes: %.0f resumes/s; %s registrations scored"
              % (a.resumes, t_up, a.batch, t_all, a.workers, a.resumes / t_all, scored))
        print("peak RSS of a worker process: %.1f MiB" % (rss / 1024))
    finally:
        st.stop()


if __name__ == "__main__":
    main()
