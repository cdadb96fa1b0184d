#!/usr/bin/env python3
"""A corpus of resume PDFs with ground truth, for bench/ranking.py.

    bench/corpus.py OUTDIR [--n 320] [--seed 7]

Writes OUTDIR/r0001.pdf ... and OUTDIR/truth.json.  Resumes vary the way
real ones do: nine career tracks, three seniorities, names from many
cultures, one or two columns, experience in a table, headings in
capitals, title case or with a colon, skills as a list, with category
labels or as bullets, spelled with aliases ("sklearn", "Postgres", "k8s"),
dates in several formats, base-14 and embedded TrueType fonts, one or two
pages, and a few image-only pages.  Distractors a naive matcher trips on
("A/B testing", "Electronics and Communication", "excel at", "go-to-market")
appear where they would.  Uses reportlab (Debian's python3-reportlab).

Truth per resume: name, email, phone, the Skills section's items
(canonical names; ones the taxonomy lacks as written), every skill the
candidate really has with the years of the roles that used it, roles with
their dates, total years, track, seniority, layout, font, image_only.
"""
import argparse
import io
import json
import os
import random
import sys
import tempfile

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

NOW = (2026, 12)

FIRST = {
    "in": ["Aarav", "Diya", "Kabir", "Meera", "Rohan", "Saanvi", "Vikram", "Ananya",
           "Arjun", "Ishita", "Lakshmi", "Venkatesh", "Priya", "Harpreet"],
    "cn": ["Wei", "Xiaoming", "Li Na", "Jing", "Hao", "Mei", "Zhiwei", "Yan"],
    "ng": ["Chinedu", "Ngozi", "Oluwaseun", "Adaeze", "Emeka", "Funmilayo", "Tunde"],
    "ar": ["Omar", "Fatima", "Youssef", "Layla", "Karim", "Nour", "Hassan"],
    "es": ["José", "María", "Lucía", "Alejandro", "Sofía", "Javier", "Camila"],
    "ru": ["Dmitri", "Olga", "Anastasia", "Sergei", "Katarzyna", "Tomasz"],
    "jp": ["Haruto", "Yui", "Sota", "Aoi", "Minji", "Jisoo", "Thanh", "Linh"],
    "eu": ["Emma", "Lukas", "Søren", "Chloé", "Matteo", "Ingrid", "Niamh", "Jürgen"],
    "us": ["James", "Ashley", "Tyler", "Brianna", "DeShawn", "Megan", "Connor"],
    "tr": ["Elif", "Mehmet", "Zeynep", "Emre", "Ayşe"],
}
LAST = {
    "in": ["Sharma", "Iyer", "Reddy", "Nair", "Gupta", "Menon", "Khan", "Patel", "Das",
           "Venkataraman", "Chatterjee", "Singh"],
    "cn": ["Wang", "Li", "Zhang", "Chen", "Liu", "Huang", "Zhao"],
    "ng": ["Okafor", "Adeyemi", "Eze", "Obi", "Balogun", "Nwosu"],
    "ar": ["Haddad", "Al-Sayed", "Mansour", "Khalil", "Nasser"],
    "es": ["García", "Fernández", "López", "Martínez", "Rodríguez", "Núñez"],
    "ru": ["Ivanov", "Petrova", "Kowalski", "Nowak", "Smirnov", "Volkova"],
    "jp": ["Tanaka", "Suzuki", "Sato", "Kim", "Park", "Nguyen", "Tran"],
    "eu": ["Müller", "Rossi", "Dubois", "Jensen", "O'Brien", "Van der Berg", "Schmidt"],
    "us": ["Smith", "Johnson", "Williams", "Brown", "Jackson", "Miller", "Davis"],
    "tr": ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik"],
}

# Track: titles by seniority, core skills, extra skills, alias spellings.
TRACKS = {
    "data_science": {
        "titles": ["Data Analyst", "Data Scientist", "Senior Data Scientist",
                   "Machine Learning Engineer", "Lead Data Scientist"],
        "core": ["Python", "SQL", "Pandas", "scikit-learn", "Statistics", "NumPy"],
        "extra": ["Tableau", "Spark", "Airflow", "R", "TensorFlow", "PyTorch", "Looker",
                  "Snowflake", "BigQuery", "Natural Language Processing",
                  "Computer Vision", "XGBoost", "Jupyter", "dbt", "A/B Testing",
                  "Power BI", "Matplotlib", "Deep Learning", "Machine Learning"],
        "bullets": ["Built churn and propensity models with {a} and {b}",
                    "Designed A/B testing frameworks for pricing experiments using {a}",
                    "Automated feature pipelines in {a}, cutting training time by 40%",
                    "Presented insights to leadership with {a} dashboards",
                    "Cleaned and joined clickstream data with {a} and {b}"],
    },
    "backend": {
        "titles": ["Software Engineer", "Backend Engineer", "Senior Backend Engineer",
                   "Staff Software Engineer", "Backend Developer"],
        "core": ["Java", "Spring Boot", "PostgreSQL", "REST APIs", "Docker"],
        "extra": ["Kubernetes", "Kafka", "AWS", "Redis", "Go", "Microservices",
                  "JUnit", "Hibernate", "gRPC", "MySQL", "Terraform", "Jenkins",
                  "Python", "Celery", "Linux", "Git", "CI/CD", "Elasticsearch"],
        "bullets": ["Designed {a} services handling 20k requests per second",
                    "Migrated the billing platform to {a} and {b}",
                    "Wrote integration tests with {a}; raised coverage to 85%",
                    "Reduced p99 latency by tuning {a} queries and {b} caching",
                    "Led the move of monoliths to {a} on {b}"],
    },
    "frontend": {
        "titles": ["Frontend Developer", "UI Engineer", "Senior Frontend Engineer",
                   "Web Developer", "Frontend Lead"],
        "core": ["JavaScript", "TypeScript", "React", "HTML", "CSS"],
        "extra": ["Redux", "Next.js", "Jest", "Webpack", "Figma", "Vue.js", "GraphQL",
                  "Cypress", "Tailwind CSS", "Storybook", "Node.js", "Accessibility"],
        "bullets": ["Built the checkout flow in {a} with {b}",
                    "Cut bundle size 30% by reworking {a} configuration",
                    "Introduced {a} component tests across the design system",
                    "Worked with designers in {a} to ship the new dashboard"],
    },
    "devops": {
        "titles": ["DevOps Engineer", "Site Reliability Engineer", "Cloud Engineer",
                   "Senior DevOps Engineer", "Platform Engineer"],
        "core": ["Kubernetes", "Terraform", "AWS", "Docker", "Linux"],
        "extra": ["Ansible", "Jenkins", "Prometheus", "Grafana", "Helm", "Python",
                  "Bash", "GitHub Actions", "Azure", "GCP", "Go", "ArgoCD", "CI/CD"],
        "bullets": ["Ran 40 {a} clusters with {b} for the payments platform",
                    "Codified infrastructure in {a}; provisioning fell from days to minutes",
                    "Built monitoring with {a} and {b}",
                    "Automated releases with {a} pipelines"],
    },
    "sales": {
        "titles": ["Sales Development Representative", "Account Executive",
                   "Senior Account Executive", "Sales Manager", "Regional Sales Director"],
        "core": ["B2B Sales", "Salesforce", "Lead Generation", "Negotiation",
                 "Account Management"],
        "extra": ["HubSpot", "SaaS Sales", "Cold Calling", "Pipeline Management",
                  "Solution Selling", "Go-to-Market Strategy", "Key Account Management",
                  "Sales Forecasting", "LinkedIn Sales Navigator", "Excel",
                  "Communication", "Customer Relationship Management"],
        "bullets": ["Closed $2.1M in new business using {a} and {b}",
                    "Exceeded quota 6 quarters running through {a}",
                    "Built outbound playbooks for {a}",
                    "Managed 45 enterprise accounts; tracked the pipeline in {a}"],
    },
    "finance": {
        "titles": ["Financial Analyst", "Senior Financial Analyst", "FP&A Manager",
                   "Accountant", "Finance Manager"],
        "core": ["Financial Modeling", "Excel", "FP&A", "Variance Analysis", "Budgeting"],
        "extra": ["SAP", "Power BI", "SQL", "Forecasting", "GAAP", "IFRS", "QuickBooks",
                  "Financial Reporting", "Hyperion", "Tableau", "Accounting"],
        "bullets": ["Built the three-statement {a} used for the annual plan",
                    "Ran monthly {a} and explained drivers to the CFO",
                    "Automated reporting in {a}, saving 3 days per close",
                    "Owned {a} for a $40M cost centre"],
    },
    "nursing": {
        "titles": ["Staff Nurse", "Registered Nurse", "Charge Nurse", "ICU Nurse",
                   "Nurse Manager"],
        "core": ["Patient Care", "Medication Administration", "Electronic Health Records",
                 "Triage", "Infection Control"],
        "extra": ["Epic", "BLS", "ACLS", "Wound Care", "IV Therapy", "Critical Care",
                  "Patient Education", "Phlebotomy", "Care Coordination"],
        "bullets": ["Provided {a} for 6 patients per shift",
                    "Charted in {a}; audited documentation monthly",
                    "Led {a} training for new staff",
                    "Coordinated {a} with physicians and families"],
    },
    "marketing": {
        "titles": ["Marketing Associate", "Digital Marketing Manager",
                   "Growth Marketing Manager", "Marketing Director", "Content Strategist"],
        "core": ["Digital Marketing", "SEO", "Google Analytics", "Content Marketing",
                 "Email Marketing"],
        "extra": ["HubSpot", "Google Ads", "Social Media Marketing", "A/B Testing",
                  "Marketing Automation", "Copywriting", "Brand Management",
                  "Go-to-Market Strategy", "Excel", "Canva"],
        "bullets": ["Grew organic traffic 3x through {a}",
                    "Ran A/B testing on landing pages with {a}",
                    "Launched {a} campaigns reaching 500k subscribers",
                    "Owned the go-to-market plan and {a} budget"],
    },
    "design": {
        "titles": ["UX Designer", "Product Designer", "Senior Product Designer",
                   "UI/UX Designer", "Design Lead"],
        "core": ["Figma", "User Research", "Prototyping", "Wireframing", "UX Design"],
        "extra": ["Sketch", "Adobe Illustrator", "Design Systems", "Usability Testing",
                  "Adobe Photoshop", "Interaction Design", "HTML", "CSS", "Miro"],
        "bullets": ["Ran {a} with 30 users to shape the onboarding flow",
                    "Built the {a} used by 12 product teams",
                    "Delivered high-fidelity {a} for the mobile app",
                    "Partnered with engineers to ship {a} improvements"],
    },
}

# Spellings people use, truth in the canonical name.
ALIASES = {
    "scikit-learn": ["sklearn", "Scikit-Learn", "scikit learn"],
    "PostgreSQL": ["Postgres"], "Kubernetes": ["k8s", "K8s"],
    "JavaScript": ["JS", "Javascript"], "TypeScript": ["Typescript"],
    "REST APIs": ["RESTful APIs", "REST"], "Spring Boot": ["SpringBoot"],
    "Go": ["Golang"], "Natural Language Processing": ["NLP"],
    "Machine Learning": ["ML"], "Electronic Health Records": ["EHR", "EMR"],
    "Financial Modeling": ["Financial Modelling"], "Excel": ["MS Excel", "Advanced Excel"],
    "Statistics": ["Statistical Analysis"], "GCP": ["Google Cloud"],
    "AWS": ["Amazon Web Services"], "Node.js": ["NodeJS"], "Vue.js": ["Vue"],
    "Google Analytics": ["GA4"], "Power BI": ["PowerBI"], "CI/CD": ["CI CD"],
    "B2B Sales": ["B2B Selling"], "Go-to-Market Strategy": ["GTM"],
    "UX Design": ["User Experience Design"],
    "Customer Relationship Management": ["CRM"],
}
UNKNOWN = ["Internal tooling", "Stakeholder storytelling", "Vendor demos",
           "Process audits", "Roadmap grooming", "Clinic workflows"]
COMPANIES = ["Acme Corp", "Globex", "Initech", "Umbrella Health", "Stark Industries",
             "Wayne Enterprises", "Tata Consultancy", "Infosys", "Flipkart", "Zomato",
             "Shopify", "Monzo", "Nubank", "Grab", "Jumia", "Rakuten", "Siemens",
             "Apollo Hospitals", "Kaiser Permanente", "Deloitte", "HDFC Bank"]
DEGREES = ["B.Tech in Computer Science, IIT Bombay", "B.E. in Electronics and "
           "Communication, Anna University", "MSc Statistics, University of Lagos",
           "BSc in Nursing, Manipal University", "MBA, IIM Ahmedabad",
           "B.Com, University of Delhi", "BA in Economics, UCLA",
           "Bachelor of Design, NID", "M.S. in Computer Science, Georgia Tech",
           "BBA, Istanbul University", "Licenciatura en Administración, UNAM"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
          "Nov", "Dec"]
FULLMONTHS = ["January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December"]

FONTS = {}


def fonts():
    if FONTS:
        return FONTS
    FONTS["base14"] = [("Helvetica", "Helvetica-Bold"), ("Times-Roman", "Times-Bold"),
                       ("Courier", "Courier-Bold")]
    emb = []
    for name, path, bold in (
            ("DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
             "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
            ("DejaVuSerif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
             "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"),
            ("Lato", "/usr/share/fonts/truetype/lato/Lato-Regular.ttf",
             "/usr/share/fonts/truetype/lato/Lato-Bold.ttf")):
        if os.path.exists(path) and os.path.exists(bold):
            pdfmetrics.registerFont(TTFont(name, path))
            pdfmetrics.registerFont(TTFont(name + "-B", bold))
            emb.append((name, name + "-B"))
    FONTS["embedded"] = emb or FONTS["base14"]
    return FONTS


def fmt_date(rnd, style, y, m, end=False):
    if y is None:
        return rnd.choice(["Present", "Current", "Now"]) if style != 2 else "Present"
    return [lambda: "%s %d" % (MONTHS[m - 1], y),
            lambda: "%02d/%d" % (m, y),
            lambda: "%d" % y,
            lambda: "%s %d" % (FULLMONTHS[m - 1], y),
            lambda: "%d-%02d" % (y, m)][style]()


def months_between(a, b):
    return (b[0] * 12 + b[1]) - (a[0] * 12 + a[1])


def person(rnd, i):
    culture = rnd.choice(sorted(FIRST))
    first, last = rnd.choice(FIRST[culture]), rnd.choice(LAST[culture])
    name = "%s %s" % (first, last)
    ascii_user = "".join(c for c in (first + "." + last).lower()
                         if c.isascii() and (c.isalnum() or c == "."))
    email = "%s%d@%s" % (ascii_user or "candidate", i,
                         rnd.choice(["example.com", "mail.test", "inbox.example.org"]))
    phone = rnd.choice(["+91 9%d%02d %05d" % (rnd.randrange(10), rnd.randrange(100),
                                              rnd.randrange(100000)),
                        "+1 (415) 555-%04d" % rnd.randrange(10000),
                        "+234 803 555 %04d" % rnd.randrange(10000),
                        "+44 7700 900%03d" % rnd.randrange(1000)])
    return name, email, phone, culture


def career(rnd, seniority):
    years = {"junior": rnd.uniform(0.5, 2.5), "mid": rnd.uniform(3, 6.5),
             "senior": rnd.uniform(7, 16)}[seniority]
    total = max(6, int(years * 12))
    nroles = {"junior": rnd.randint(1, 2), "mid": rnd.randint(2, 3),
              "senior": rnd.randint(3, 5)}[seniority]
    cuts = sorted(rnd.sample(range(3, total - 2), nroles - 1)) if nroles > 1 and total > 8 \
        else []
    lens = [b - a for a, b in zip([0] + cuts, cuts + [total])]
    current = rnd.random() < 0.7
    end = NOW[0] * 12 + NOW[1] - 1 - (0 if current else rnd.randint(2, 14))
    roles = []
    for k, ln in enumerate(reversed(lens)):   # newest first
        start = end - ln
        roles.append({"from": start, "to": end, "current": current and k == 0})
        end = start - rnd.choice([0, 0, 0, 1, 2])
    return roles


def spell(rnd, skill, p=0.3):
    if skill in ALIASES and rnd.random() < p:
        return rnd.choice(ALIASES[skill])
    return skill


def candidate(rnd, i):
    name, email, phone, culture = person(rnd, i)
    track = rnd.choice(sorted(TRACKS))
    t = TRACKS[track]
    seniority = rnd.choice(["junior", "mid", "mid", "senior"])
    roles = career(rnd, seniority)
    core = rnd.sample(t["core"], rnd.randint(1, len(t["core"])))
    extra = rnd.sample(t["extra"], rnd.randint(2, min(7, len(t["extra"]))))
    if rnd.random() < 0.25:   # a skill from another track
        other = TRACKS[rnd.choice(sorted(TRACKS))]
        extra.append(rnd.choice(other["core"]))
    have = list(dict.fromkeys(core + extra))
    level = {"junior": 0, "mid": 1, "senior": 2}[seniority]
    for k, ro in enumerate(roles):
        ti = max(0, min(4, level + rnd.choice([0, 1]) - (1 if k > 0 else 0)))
        ro["title"] = t["titles"][ti]
        ro["company"] = rnd.choice(COMPANIES)
        used = rnd.sample(have, min(len(have), rnd.randint(2, 5)))
        bl, placed = [], []
        j = 0
        while j < len(used):
            tpl = rnd.choice(t["bullets"])
            a = used[j]
            b = used[j + 1] if j + 1 < len(used) else None
            if "{b}" in tpl and b is None:
                tpl = [x for x in t["bullets"] if "{b}" not in x][0]
            bl.append(tpl.format(a=spell(rnd, a), b=spell(rnd, b) if b else ""))
            placed.append(a)
            j += 1
            if "{b}" in tpl:
                placed.append(b)
                j += 1
        ro["skills"] = placed   # only what the bullets say
        ro["bullets"] = bl
    listed = [s for s in have if rnd.random() < 0.9] or have[:1]
    unknown = [rnd.choice(UNKNOWN)] if rnd.random() < 0.3 else []
    skill_years = {}
    for s in have:
        spans = sorted((r["from"], r["to"]) for r in roles if s in r["skills"])
        tot, last, cur = 0, 0, None
        for a, b in spans:
            if cur is None or a > cur[1]:
                if cur:
                    tot += cur[1] - cur[0]
                cur = [a, b]
            else:
                cur[1] = max(cur[1], b)
        if cur:
            tot += cur[1] - cur[0]
        skill_years[s] = {"months": tot,
                          "last": max([r["to"] for r in roles if s in r["skills"]] or [0])}
    return {
        "name": name, "email": email, "phone": phone, "culture": culture,
        "track": track, "seniority": seniority, "roles": roles,
        "skills_have": have, "skills_listed": listed, "skills_unknown": unknown,
        "skill_years": skill_years,
        "years": sum(r["to"] - r["from"] for r in roles) / 12.0,
        "degree": rnd.choice(DEGREES), "summary_years": rnd.random() < 0.5,
        "has_skills_section": rnd.random() < 0.96,
    }


class Page:
    """A text cursor over reportlab pages: columns, wrapping, new pages."""

    def __init__(self, c, font, bold, size):
        self.c, self.font, self.bold, self.size = c, font, bold, size
        self.x0, self.width, self.y = 50, 495, 800
        self.top = 800

    def line(self, text, bold=False, size=None, x=None, indent=0):
        size = size or self.size
        f = self.bold if bold else self.font
        words, cur = text.split(" "), ""
        for w in words:
            trial = (cur + " " + w).strip()
            if pdfmetrics.stringWidth(trial, f, size) > self.width - indent and cur:
                self._put(cur, f, size, x, indent)
                cur = w
            else:
                cur = trial
        self._put(cur, f, size, x, indent)

    def _put(self, text, f, size, x, indent):
        if self.y < 50:
            self.c.showPage()
            self.y = self.top
        self.c.setFont(f, size)
        self.c.drawString((x if x is not None else self.x0) + indent, self.y, text)
        self.y -= size * 1.35

    def right(self, text, y):
        self.c.setFont(self.font, self.size)
        self.c.drawRightString(self.x0 + self.width, y, text)

    def gap(self, n=6):
        self.y -= n


HEADS = {
    "summary": ["Summary", "Professional Summary", "Profile", "About Me"],
    "skills": ["Skills", "Technical Skills", "Core Competencies", "Key Skills",
               "Skills & Tools"],
    "experience": ["Experience", "Work Experience", "Professional Experience",
                   "Employment History", "Work History"],
    "education": ["Education", "Academic Background", "Education & Training"],
    "certs": ["Certifications", "Licenses & Certifications"],
}
CERTS = {"data_science": "Google Data Analytics Certificate",
         "backend": "AWS Certified Developer", "devops": "CKA",
         "frontend": "Meta Front-End Developer Certificate",
         "sales": "Salesforce Certified Administrator", "finance": "CFA Level II",
         "nursing": "BLS", "marketing": "HubSpot Inbound Certification",
         "design": "Google UX Design Certificate"}
LABELS = ["Languages", "Tools", "Platforms", "Methods", "Other"]


def ym(m):
    return m // 12, m % 12 + 1


def role_dates(rnd, cand, ro, style):
    a = fmt_date(rnd, style, *ym(ro["from"]))
    b = fmt_date(rnd, style, None, None) if ro["current"] else \
        fmt_date(rnd, style, *ym(ro["to"] - 1))
    sep = rnd.choice([" - ", " \u2013 ", " to ", " \u2014 "])
    return a + sep + b


class Writer:
    def __init__(self, rnd, cand, c, font, bold):
        self.rnd, self.cand, self.c = rnd, cand, c
        self.p = Page(c, font, bold, rnd.choice([9.5, 10, 10.5, 11]))
        self.hstyle = rnd.choice(["caps", "title", "colon", "lower"])
        self.dstyle = rnd.choice([0, 0, 1, 2, 3, 4])
        self.rstyle = rnd.choice(["paren", "below", "right", "lead"])
        self.sstyle = rnd.choice(["comma", "comma", "labels", "bullets", "pipes", "inline"])

    def head(self, kind):
        t = self.rnd.choice(HEADS[kind])
        t = {"caps": t.upper(), "title": t, "colon": t + ":", "lower": t.lower()
             }[self.hstyle]
        self.p.gap(4)
        self.p.line(t, bold=True, size=self.p.size + 1.5)
        return t

    def contact(self, sidebar=False):
        c = self.cand
        size = self.p.size + 7
        while sidebar and pdfmetrics.stringWidth(c["name"], self.p.bold, size) > \
                self.p.width and size > 8:
            size -= 1
        self.p.line(c["name"], bold=True, size=size)
        items = [c["email"], c["phone"], "linkedin.com/in/%s" % c["email"].split("@")[0]]
        if sidebar:
            for it in items:
                size = self.p.size
                while pdfmetrics.stringWidth(it, self.p.font, size) > self.p.width:
                    size -= 0.5
                self.p.line(it, size=size)
        else:
            self.p.line(self.rnd.choice(["  |  ", " \u2022 ", "   "]).join(items))

    def summary(self):
        c = self.cand
        self.head("summary")
        t = TRACKS[c["track"]]["titles"][{"junior": 0, "mid": 1, "senior": 2}[c["seniority"]]]
        yrs = ("%d+ years of experience" % int(c["years"])) if c["summary_years"] and \
            c["years"] >= 1 else "a track record"
        extra = self.rnd.choice(["I excel at turning data into decisions.",
                                 "Known for clear communication and ownership.",
                                 "Comfortable in go-to-market and product teams.",
                                 "Passionate about quality and teamwork."])
        self.p.line("%s with %s in %s. %s" % (t, yrs, c["track"].replace("_", " "),
                                               extra))

    def skills(self):
        c = self.cand
        if not c["has_skills_section"]:
            return
        items = [spell(self.rnd, s) for s in c["skills_listed"]] + c["skills_unknown"]
        st = self.sstyle
        if st == "inline":
            h = self.rnd.choice(HEADS["skills"])
            self.p.gap(4)
            self.p.line("%s: %s" % (h.upper() if self.hstyle == "caps" else h,
                                    ", ".join(items)))
            return
        self.head("skills")
        if st == "comma":
            self.p.line(", ".join(items))
        elif st == "pipes":
            self.p.line(" | ".join(items))
        elif st == "bullets":
            for it in items:
                self.p.line("\u2022 " + it)
        else:
            n = max(1, (len(items) + 2) // 3)
            for k in range(0, len(items), n):
                self.p.line("%s: %s" % (LABELS[k // n % len(LABELS)],
                                        ", ".join(items[k:k + n])))

    def experience(self):
        self.head("experience")
        for ro in self.cand["roles"]:
            d = role_dates(self.rnd, self.cand, ro, self.dstyle)
            st = self.rstyle
            if st == "paren":
                self.p.line("%s, %s (%s)" % (ro["title"], ro["company"], d), bold=True)
            elif st == "below":
                self.p.line("%s | %s" % (ro["title"], ro["company"]), bold=True)
                self.p.line(d)
            elif st == "right":
                y = self.p.y
                self.p.line("%s \u2014 %s" % (ro["company"], ro["title"]), bold=True)
                self.p.right(d, y)
            else:
                self.p.line("%s   %s at %s" % (d, ro["title"], ro["company"]), bold=True)
            for b in ro["bullets"]:
                self.p.line("\u2022 " + b, indent=8)
            self.p.gap(3)

    def education(self):
        self.head("education")
        self.p.line("%s, %d" % (self.cand["degree"], ym(self.cand["roles"][-1]["from"])[0]))

    def certs(self):
        if self.rnd.random() < 0.5:
            self.head("certs")
            self.p.line(CERTS[self.cand["track"]])


def one_column(w):
    w.contact()
    w.summary()
    order = w.rnd.choice([["skills", "experience", "education", "certs"],
                          ["experience", "skills", "education", "certs"],
                          ["experience", "education", "certs", "skills"]])
    for o in order:
        getattr(w, o)()


def two_column(w):
    """A sidebar (contact, skills, education) beside the main column."""
    p = w.p
    p.x0, p.width = 36, 160
    main_size = p.size
    p.size = min(p.size, 9)
    w.contact(sidebar=True)
    w.skills() if w.sstyle != "inline" else None
    if w.sstyle == "inline":
        w.sstyle = "bullets"
        w.skills()
    w.education()
    w.certs()
    p.c.setStrokeGray(0.7)
    p.c.line(205, 60, 205, 810)
    p.x0, p.width, p.y, p.size = 222, 335, p.top, main_size
    w.summary()
    w.experience()


def table_layout(w):
    """Experience and skills in ruled tables."""
    w.contact()
    w.summary()
    w.head("experience")
    p, c = w.p, w.c
    cols = [p.x0, p.x0 + 150, p.x0 + 330]
    for ro in w.cand["roles"]:
        d = role_dates(w.rnd, w.cand, ro, w.dstyle)
        y = p.y
        c.setFont(p.bold, p.size)
        c.drawString(cols[0], y, d)
        c.drawString(cols[1], y, ro["title"])
        c.drawString(cols[2], y, ro["company"])
        c.setStrokeGray(0.6)
        c.line(p.x0, y - 4, p.x0 + p.width, y - 4)
        p.y -= p.size * 1.5
        for b in ro["bullets"]:
            p.line("\u2022 " + b, indent=150)
        p.gap(4)
    cand = w.cand
    if cand["has_skills_section"]:
        w.head("skills")
        items = [spell(w.rnd, s) for s in cand["skills_listed"]] + cand["skills_unknown"]
        for k in range(0, len(items), 3):
            y = p.y
            for j, it in enumerate(items[k:k + 3]):
                c.setFont(p.font, p.size)
                c.drawString(p.x0 + 165 * j, y, it)
            c.rect(p.x0 - 3, y - 4, p.width, p.size * 1.4, stroke=1, fill=0)
            p.y -= p.size * 1.5
    w.education()
    w.certs()


LAYOUTS = {"one_column": one_column, "two_column": two_column, "table": table_layout}


def render(rnd, cand, layout, fontkind):
    buf = io.BytesIO()
    font, bold = rnd.choice(fonts()[fontkind])
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle("Resume")
    w = Writer(rnd, cand, c, font, bold)
    if cand.get("long"):
        w.p.size = 12
    LAYOUTS[layout](w)
    if cand.get("long"):
        w.head("summary")
        for k in range(40):
            w.p.line("Volunteer mentor and speaker at community meetups, %d." % (2010 + k % 15))
    c.showPage()
    c.save()
    return buf.getvalue()


def image_only(pdf, tmpdir):
    """The same resume as a scan: pages rasterised, no text layer."""
    import subprocess
    from reportlab.lib.utils import ImageReader
    src = os.path.join(tmpdir, "scan.pdf")
    with open(src, "wb") as f:
        f.write(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", src,
                    os.path.join(tmpdir, "scan")], check=True)
    pages = sorted(p for p in os.listdir(tmpdir) if p.startswith("scan") and
                   p.endswith(".png"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for p in pages:
        c.drawImage(ImageReader(os.path.join(tmpdir, p)), 0, 0, *A4)
        c.showPage()
        os.unlink(os.path.join(tmpdir, p))
    c.save()
    return buf.getvalue()


def truth_of(cand):
    def mstr(m):
        return "%04d-%02d" % ym(m)
    return {
        "name": cand["name"], "email": cand["email"], "phone": cand["phone"],
        "track": cand["track"], "seniority": cand["seniority"],
        "culture": cand["culture"],
        "skills_section": (cand["skills_listed"] + cand["skills_unknown"])
        if cand["has_skills_section"] else [],
        "skills_have": cand["skills_have"],
        "skill_years": {k: round(v["months"] / 12.0, 2)
                        for k, v in cand["skill_years"].items()},
        "skill_in_roles": {k: v["months"] > 0 for k, v in cand["skill_years"].items()},
        "skill_last": {k: (mstr(v["last"]) if v["last"] else None)
                       for k, v in cand["skill_years"].items()},
        "roles": [{"title": r["title"], "company": r["company"], "from": mstr(r["from"]),
                   "to": "present" if r["current"] else mstr(r["to"] - 1),
                   "skills": r["skills"]} for r in cand["roles"]],
        "years": round(cand["years"], 2),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--n", type=int, default=320)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--images", type=int, default=8, help="image-only resumes")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    rnd = random.Random(a.seed)
    truth = {}
    for i in range(1, a.n + 1):
        cand = candidate(rnd, i)
        layout = rnd.choice(["one_column", "one_column", "two_column", "table"])
        fontkind = rnd.choice(["base14", "embedded"])
        try:
            cand["name"].encode("cp1252")
        except UnicodeEncodeError:
            fontkind = "embedded"   # base-14 fonts have no such letters
        cand["long"] = rnd.random() < 0.15
        pdf = render(rnd, cand, layout, fontkind)
        img = i <= a.images
        if img:
            with tempfile.TemporaryDirectory() as tmp:
                pdf = image_only(pdf, tmp)
        fn = "r%04d.pdf" % i
        with open(os.path.join(a.outdir, fn), "wb") as f:
            f.write(pdf)
        t = truth_of(cand)
        t.update({"layout": layout, "font": fontkind, "image_only": img,
                  "pages": 2 if cand["long"] else 1})
        truth[fn] = t
    with open(os.path.join(a.outdir, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1, ensure_ascii=False)
    print("%d resumes in %s" % (a.n, a.outdir), file=sys.stderr)


if __name__ == "__main__":
    main()
