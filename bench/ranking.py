#!/usr/bin/python3
"""Extraction and ranking quality of the built-in scorer, with ground truth.

    bench/ranking.py [--corpus DIR] [--n 320] [--parse PATH]

Makes the corpus with bench/corpus.py (unless DIR has one), runs
connectify-parse over it once per job, and prints:
  - per-field extraction: name, email, phone (exact), Skills section items
    (precision and recall, canonical names), roles (count, dates), years;
  - for each job: NDCG@10 and NDCG@20 of the scorer's ranking against the
    ground-truth relevance, next to a TF-IDF cosine baseline (job text
    against pdftotext's text) computed in the same run, and the share of
    the top 50 whose one-decimal score is shared with another of the top 50.
Relevance, a recruiter's: required skills used in a role count 1, only
listed 0.6; preferred likewise; years against the job's range; graded 0-4.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

JOBS = [
    {"id": "data_scientist", "title": "Data Scientist",
     "description": "We are hiring a data scientist to build predictive models, run "
     "experiments and analyses with Python and SQL, and present insights with "
     "dashboards. You will clean data with Pandas, train models with scikit-learn, "
     "apply statistics and work with Spark and Airflow pipelines.",
     "skills": {"required": ["Python", "SQL", "Pandas", "scikit-learn", "Statistics"],
                "preferred": ["Tableau", "Spark", "Airflow", "NumPy"]},
     "min_experience": 2, "max_experience": 6},
    {"id": "backend", "title": "Senior Backend Engineer",
     "description": "Design and run Java services with Spring Boot on PostgreSQL; "
     "build REST APIs, ship in Docker containers on Kubernetes, stream events with "
     "Kafka and cache with Redis on AWS. Own latency, reliability and tests.",
     "skills": {"required": ["Java", "Spring Boot", "PostgreSQL", "REST APIs", "Docker"],
                "preferred": ["Kubernetes", "Kafka", "AWS", "Redis"]},
     "min_experience": 5, "max_experience": 12},
    {"id": "sales", "title": "Account Executive",
     "description": "Own a B2B sales territory: generate leads, run discovery and "
     "demos, negotiate and close SaaS deals, manage accounts in Salesforce and keep "
     "an accurate pipeline. Cold calling and HubSpot experience help.",
     "skills": {"required": ["B2B Sales", "Salesforce", "Lead Generation", "Negotiation",
                             "Account Management"],
                "preferred": ["HubSpot", "SaaS Sales", "Cold Calling"]},
     "min_experience": 2, "max_experience": 7},
    {"id": "financial_analyst", "title": "Financial Analyst",
     "description": "Build financial models in Excel, run FP&A cycles, budgeting and "
     "variance analysis, and report to finance leadership; SQL and Power BI a plus.",
     "skills": {"required": ["Financial Modeling", "Excel", "FP&A", "Variance Analysis",
                             "Budgeting"],
                "preferred": ["Power BI", "SAP", "SQL"]},
     "min_experience": 1, "max_experience": 5},
]


def norm(s):
    return re.sub(r"[^a-z0-9+#&/]+", " ", s.lower()).strip()


def relevance(t, job):
    def cov(names):
        if not names:
            return 1.0
        v = 0.0
        for s in names:
            if t["skill_in_roles"].get(s):
                v += 1
            elif s in t["skills_have"]:
                v += 0.6
        return v / len(names)
    y, lo, hi = t["years"], job["min_experience"], job["max_experience"]
    fit = 1.0 if lo <= y <= hi else (y / lo if y < lo else max(0.5, 1 - 0.1 * (y - hi)))
    g = 0.6 * cov(job["skills"]["required"]) + 0.15 * cov(job["skills"]["preferred"]) \
        + 0.25 * fit
    return max(0, min(4, round(4 * g * g)))


def ndcg(ranked, rel, k):
    dcg = sum((2 ** rel[f] - 1) / math.log2(i + 2) for i, f in enumerate(ranked[:k]))
    ideal = sorted(rel.values(), reverse=True)
    idcg = sum((2 ** r - 1) / math.log2(i + 2) for i, r in enumerate(ideal[:k]))
    return dcg / idcg if idcg else 0.0


WORD = re.compile(r"[a-z0-9+#]+")


def tfidf_rank(texts, job):
    docs = {f: WORD.findall(t.lower()) for f, t in texts.items()}
    df = {}
    for w in docs.values():
        for x in set(w):
            df[x] = df.get(x, 0) + 1
    n = len(docs)

    def vec(words):
        tf = {}
        for x in words:
            tf[x] = tf.get(x, 0) + 1
        v = {x: c * math.log((n + 1) / (df.get(x, 0) + 1)) for x, c in tf.items()}
        z = math.sqrt(sum(a * a for a in v.values())) or 1
        return {x: a / z for x, a in v.items()}
    q = vec(WORD.findall((job["title"] + " " + job["description"] + " " +
                          " ".join(job["skills"]["required"] + job["skills"]["preferred"])
                          ).lower()))
    score = {f: sum(q.get(x, 0) * a for x, a in vec(w).items()) for f, w in docs.items()}
    return sorted(score, key=lambda f: (-score[f], f))


def parse(parse_bin, corpus, job):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(job, f)
        jf = f.name
    env = dict(os.environ)
    env.setdefault("SKILLS_FILE", os.path.join(HERE, "..", "data", "skills.tsv"))
    p = subprocess.run([parse_bin, corpus, "--job", jf], capture_output=True, text=True,
                       env=env)
    os.unlink(jf)
    out = {}
    for line in p.stdout.splitlines():
        o = json.loads(line)
        out[o["file"]] = o
    return out, p.stderr


def pdftotext_all(corpus, files):
    texts, t0 = {}, time.time()
    for f in files:
        p = subprocess.run(["pdftotext", "-q", os.path.join(corpus, f), "-"],
                           capture_output=True, text=True)
        texts[f] = p.stdout
    return texts, time.time() - t0


def pr(got, want):
    g, w = {norm(x) for x in got}, {norm(x) for x in want}
    return len(g & w), len(g), len(w)


def extraction(truth, res, image_only=False):
    # canonical names of what the resume lists, through the taxonomy's eyes
    stats = {k: [0, 0] for k in ("name", "email", "phone", "years", "roles",
                                 "role_dates", "skill_years", "skill_last")}
    tp = ng = nw = 0
    for f, t in truth.items():
        o = res.get(f)
        if o is None or t["image_only"] != image_only:
            continue
        for k in ("name", "email", "phone"):
            stats[k][0] += (o.get(k) or "") == t[k]
            stats[k][1] += 1
        if t["skills_section"]:
            a, b, c = pr(o.get("skills") or [], t["skills_section"])
            tp, ng, nw = tp + a, ng + b, nw + c
        stats["years"][0] += abs((o.get("years_experience") or 0) - t["years"]) <= 1
        stats["years"][1] += 1
        roles = o.get("roles") or []
        stats["roles"][0] += len(roles) == len(t["roles"])
        stats["roles"][1] += 1
        for ro, tr in zip(roles, t["roles"]):
            stats["role_dates"][0] += ro["from"][:4] == tr["from"][:4] and \
                (ro["to"] == tr["to"] or ro["to"][:4] == tr["to"][:4])
            stats["role_dates"][1] += 1
        det = {norm(d["name"]): d for d in o.get("skill_details") or []}
        for s, yrs in t["skill_years"].items():
            if not t["skill_in_roles"][s]:
                continue
            d = det.get(norm(s))
            stats["skill_years"][0] += d is not None and abs(d["years"] - yrs) <= 1
            stats["skill_years"][1] += 1
            last = t["skill_last"][s]
            cur = any(r["to"] == "present" and s in r["skills"] for r in t["roles"])
            stats["skill_last"][0] += d is not None and d["last_used"] is not None and \
                (d["last_used"] == "present" if cur else d["last_used"][:4] == last[:4])
            stats["skill_last"][1] += 1
    return stats, (tp / ng if ng else 0), (tp / nw if nw else 0)


def ties(keys, n=50):
    top = sorted(keys.values(), reverse=True)[:n]
    return sum(1 for s in top if top.count(s) > 1) / max(1, len(top))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="/tmp/connectify-ranking-corpus")
    ap.add_argument("--n", type=int, default=320)
    ap.add_argument("--parse", default=os.path.join(
        os.environ.get("CONNECTIFY_BUILDDIR", os.path.join(HERE, "..", "build")),
        "worker", "connectify-parse"))
    a = ap.parse_args()
    if not os.path.exists(os.path.join(a.corpus, "truth.json")):
        subprocess.run([sys.executable, os.path.join(HERE, "corpus.py"), a.corpus,
                        "--n", str(a.n)], check=True)
    truth = json.load(open(os.path.join(a.corpus, "truth.json")))
    files = sorted(truth)
    texts, _ = pdftotext_all(a.corpus, files)
    print("corpus: %d resumes (%d image-only), %s" % (
        len(files), sum(t["image_only"] for t in truth.values()), a.corpus))
    first = True
    rows = []
    for job in JOBS:
        res, err = parse(a.parse, a.corpus, job)
        if first:
            first = False
            failed = [l for l in err.splitlines() if l.strip()]
            st, p, r = extraction(truth, res)
            print("\nextraction (text PDFs; %d files not read: %s)" % (
                len(failed), "; ".join(failed[:3])))
            print("  %-22s %6.3f" % ("skills precision", p))
            print("  %-22s %6.3f" % ("skills recall", r))
            for k, (ok, n) in st.items():
                print("  %-22s %6.3f  (%d/%d)" % (k, ok / n if n else 0, ok, n))
            if any(t["image_only"] for t in truth.values()):
                st, p, r = extraction(truth, res, image_only=True)
                print("\nextraction of image-only resumes (OCR)")
                print("  %-22s %6.3f" % ("skills precision", p))
                print("  %-22s %6.3f" % ("skills recall", r))
                for k in ("name", "email", "phone", "roles"):
                    ok, n = st[k]
                    print("  %-22s %6.3f  (%d/%d)" % (k, ok / n if n else 0, ok, n))
        rel = {f: relevance(truth[f], job) for f in files}
        sc = {f: res[f]["score"] for f in res}
        # ties at one decimal broken by the exact score, then evidence
        key = {f: (res[f]["score"], res[f].get("score_exact", 0),
                   res[f].get("tie_break", 0)) for f in res}
        ranked = sorted(sc, key=lambda f: tuple(-x for x in key[f]) + (f,))
        ranked += [f for f in files if f not in sc]
        base = tfidf_rank(texts, job)
        rows.append((job["id"], ndcg(ranked, rel, 10), ndcg(ranked, rel, 20),
                     ndcg(base, rel, 10), ndcg(base, rel, 20), ties(sc), ties(key),
                     sum(1 for v in rel.values() if v >= 3)))
    print("\n%-18s %8s %8s %9s %9s %8s %8s %6s" % (
        "job", "NDCG@10", "NDCG@20", "tfidf@10", "tfidf@20", "ties50", "ties50tb",
        "rel>=3"))
    for r in rows:
        print("%-18s %8.3f %8.3f %9.3f %9.3f %7.1f%% %7.1f%% %6d" % (
            r[0], r[1], r[2], r[3], r[4], 100 * r[5], 100 * r[6], r[7]))
    print("(ties50: top-50 candidates sharing their one-decimal score with "
          "another; ties50tb: still tied after the tie-break by exact score and "
          "evidence strength)")


if __name__ == "__main__":
    main()
