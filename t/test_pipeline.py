"""The resume pipeline end to end: bulk upload -> worker -> scored
candidates with accounts and registrations -> mail through a real SMTP
server; hostile files fail alone; a killed worker loses nothing and sends
nothing twice, also when killed in the middle of an SMTP conversation;
connectify-parse on a folder."""
import base64
import collections
import hashlib
import json
import os
import quopri
import re
import signal
import subprocess
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (BUILD, VALGRIND, TestCase, main, smtp_messages, start_smtp,  # noqa: E402
                     wait_for)
import pdfgen  # noqa: E402

EV = "/bulk_hiring/event/v1"
UD = "/bulk_hiring/user_data/v1"


def b64(d):
    return base64.b64encode(d).decode()


def hostile_files():
    good, _ = pdfgen.resume(999)
    corrupt = good[:len(good) // 3]                      # truncated
    image_only = pdfgen.make_pdf([[]])                    # a page, no text
    payload = zlib.compress(b"0 " * (60 * 1024 * 1024), 9)  # inflates to 120 MB of operands
    bomb = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length " + str(len(payload)).encode() +
            b" /Filter /FlateDecode >>\nstream\n" + payload + b"\nendstream\nendobj\n"
            b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
    return [("corrupt.pdf", corrupt), ("image_only.pdf", image_only), ("bomb.pdf", bomb)]


def event_body(iv, resumes, title="Backend Engineer"):
    return {"title": title, "department": "Engineering",
            "description": "Build backend services in C and PostgreSQL on Linux.",
            "skills": {"required": ["C", "PostgreSQL", "Linux"], "preferred": ["nginx", "JS"]},
            "min_experience": 2, "max_experience": 8, "status": "Active",
            "rounds": [{"name": "Technical", "interviewers": [iv]}],
            "resumes": resumes}


class Pipeline(TestCase):
    stack_args = {"worker": True, "before": start_smtp,
                  "env": {"WORKER_CONCURRENCY": "2", "JOB_POLL_MS": "200",
                          # valgrind slows the parser (OCR above all) tenfold
                          # and more: its limits and the lease grow to match
                          "JOB_LEASE_S": "300" if VALGRIND else "10",
                          "PDF_CPU_SECONDS": "40" if VALGRIND else "2",
                          "PDF_WALL_MS": "120000" if VALGRIND else "8000",
                          "PDF_MEMORY_MB": "384", "OTP_RATE_IP": "1000"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr = cls.stack.make_user("Hr")
        cls.iv = cls.stack.make_user("Interviewer")

    def wait_tracks(self, ev, n, timeout=120):
        def done():
            rows = self.stack.sql("SELECT count(*) FROM resume_tracks WHERE event_id = :'v1' "
                                  "AND status IN ('scored', 'failed')", ev)
            return int(rows[0][0]) == n
        wait_for(done, timeout, "tracks of event %s" % ev)

    def test_scanned_resume_is_read_by_ocr(self):
        lines = ["Farah Haddad", "farah.haddad@example.com | +91 98100 22334",
                 "Summary", "Backend engineer with 4 years of experience.",
                 "Skills", "C, PostgreSQL, Linux, nginx",
                 "Experience", "Engineer, Acme (2021 - Present)",
                 "- Built services in C on PostgreSQL"]
        scan = pdfgen.scan_pdf(lines)
        r = self.stack.http("POST", EV + "/event/", event_body(
            self.iv["user"]["id"], [{"file_name": "scan.pdf", "content_base64": b64(scan)}]),
            token=self.hr["access_token"])
        self.assertStatus(r, 201)
        ev = r.json["event_id"]
        self.wait_tracks(ev, 1)
        r = self.stack.http("GET", EV + "/resume-processing-track/?event_id=%d" % ev,
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        t = r.json["results"][0]
        self.assertEqual((t["status"], t["extraction"]), ("scored", "ocr"), t)
        self.assertGreaterEqual(t["ocr_confidence"], 70)
        self.assertFalse(t["needs_review"])
        res = json.loads(self.stack.sql(
            "SELECT g.ats_result::text FROM registrations g JOIN users u ON u.id = g.user_id "
            "WHERE u.email = 'farah.haddad@example.com' AND g.event_id = :'v1'", ev)[0][0])
        self.assertEqual(res["extraction"]["method"], "ocr")
        self.assertIn("PostgreSQL", res["matched_skills"])

    def test_bulk_upload_scores_everyone(self):
        n = 50
        expected = {}
        resumes = []
        for i in range(n):
            pdf, exp = pdfgen.resume(1000 + i, 1 + i % 3)
            expected[exp["email"]] = exp
            resumes.append({"file_name": "resume_%02d.pdf" % i, "content_base64": b64(pdf)})
        for name, data in hostile_files():
            resumes.append({"file_name": name, "content_base64": b64(data)})
        r = self.stack.http("POST", EV + "/event/", event_body(self.iv["user"]["id"], resumes),
                            token=self.hr["access_token"])
        self.assertStatus(r, 201)
        ev = r.json["event_id"]
        self.wait_tracks(ev, n + 3)
        rows = self.stack.sql("SELECT file_name, status, coalesce(error, '') FROM resume_tracks "
                              "WHERE event_id = :'v1' ORDER BY id", ev)
        status = {f: (s, e) for f, s, e in rows}
        self.assertEqual(sum(1 for s, _ in status.values() if s == "scored"), n)
        self.assertEqual(status["corrupt.pdf"][0], "failed")
        self.assertIn("corrupt PDF", status["corrupt.pdf"][1])
        self.assertEqual(status["image_only.pdf"], ("failed", "no extractable text"))
        self.assertEqual(status["bomb.pdf"][0], "failed")
        self.assertRegex(status["bomb.pdf"][1], "CPU limit|timed out|memory limit")
        # Every candidate: account and registration with the resume's fields.
        regs = self.stack.sql(
            "SELECT u.email, u.name, u.phone_number, g.ats_score, g.ats_result::text "
            "FROM registrations g JOIN users u ON u.id = g.user_id WHERE g.event_id = :'v1'", ev)
        self.assertEqual(len(regs), n)
        for email, name, phone, score, result in regs:
            exp = expected[email]
            self.assertEqual(name, exp["name"])
            self.assertEqual(phone, exp["phone"].replace(" ", ""))
            res = json.loads(result)
            self.assertEqual(sorted(res["skills"]),
                             sorted(s if s != "REST APIs" else "REST APIs" for s in exp["skills"]))
            self.assertEqual(res["years_experience"], exp["years_experience"])
            self.assertEqual(res["education"], exp["education"])
            self.assertTrue(0 <= float(score) <= 100)
            self.assertEqual(float(score), res["score"])
            for sk in res["matched_skills"]:
                self.assertIn(sk, res["evidence"])
        # HR's list is ranked.
        r = self.stack.http("GET", EV + "/register_user/?event_id=%d&page_size=100" % ev,
                            token=self.hr["access_token"])
        scores = [x["ats_score"] for x in r.json["results"]]
        self.assertEqual(scores, sorted(scores, reverse=True))
        # One welcome mail per candidate, through SMTP.
        wait_for(lambda: len([m for m in smtp_messages(self.stack)
                              if m[0]["rcpt_tos"][0] in expected]) == n, 60, "candidate mails")
        msgs = [m for m in smtp_messages(self.stack) if m[0]["rcpt_tos"][0] in expected]
        per = collections.Counter(m[0]["rcpt_tos"][0] for m in msgs)
        self.assertEqual(set(per.values()), {1})
        env, msg, raw = msgs[0]
        self.assertEqual(msg.get_content_type(), "multipart/alternative")
        parts = list(msg.iter_parts())
        self.assertEqual([p.get_content_type() for p in parts], ["text/plain", "text/html"])
        self.assertIn("Backend Engineer", parts[0].get_content())
        self.assertIn("<strong>Backend Engineer</strong>", parts[1].get_content())
        self.assertRegex(msg["Message-ID"], r"^<outbox-\d+@")
        self.assertEqual(msg["Subject"], "Your application for Backend Engineer")
        # The resume failures are jobs discarded with their reasons.
        n_disc = self.stack.sql("SELECT count(*) FROM jobs WHERE kind = 'resume' AND "
                                "state = 'discarded' AND (args->>'track_id')::bigint IN "
                                "(SELECT id FROM resume_tracks WHERE event_id = :'v1')", ev)
        self.assertEqual(n_disc, [["3"]])

    def test_event_mail_escaping_and_once(self):
        title = "R&D <Ops> \u00e9quipe"
        r = self.stack.http("POST", EV + "/event/", event_body(self.iv["user"]["id"], [], title),
                            token=self.hr["access_token"])
        ev = r.json["event_id"]
        for _ in range(2):
            self.stack.http("POST", UD + "/send-event-mail/", {"event_id": ev,
                                                               "audience": "interviewers"},
                            token=self.hr["access_token"])
            wait_for(lambda: self.stack.sql(
                "SELECT count(*) FROM jobs WHERE kind IN ('event_mail', 'mail') AND state "
                "NOT IN ('completed', 'discarded')") == [["0"]], 30, "mail jobs")
        to = self.iv["user"]["email"]
        mine = [m for m in smtp_messages(self.stack)
                if m[0]["rcpt_tos"] == [to] and "R&D" in m[1]["Subject"]]
        self.assertEqual(len(mine), 1)
        env, msg, raw = mine[0]
        self.assertEqual(msg["Subject"], "You are interviewing for " + title)
        self.assertIn(b"=?UTF-8?B?", raw.split(b"\r\n\r\n")[0])
        text, html = [p.get_content() for p in msg.iter_parts()]
        self.assertIn(title, text)
        self.assertIn("R&amp;D &lt;Ops&gt; \u00e9quipe", html)
        self.assertNotIn("<Ops>", html)
        self.assertIn("Technical", text)

    def test_killed_worker_loses_and_duplicates_nothing(self):
        n = 30
        resumes = []
        emails = set()
        for i in range(n):
            pdf, exp = pdfgen.resume(5000 + i, 3)
            emails.add(exp["email"])
            resumes.append({"file_name": "k%02d.pdf" % i, "content_base64": b64(pdf)})
        r = self.stack.http("POST", EV + "/event/", event_body(self.iv["user"]["id"], resumes,
                                                               "Killed"),
                            token=self.hr["access_token"])
        ev = r.json["event_id"]
        wait_for(lambda: int(self.stack.sql(
            "SELECT count(*) FROM resume_tracks WHERE event_id = :'v1' AND status = 'scored'",
            ev)[0][0]) >= 3, 60, "some progress")
        parent = self.stack.procs["worker"].pid
        kids = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True,
                              text=True).stdout.split()
        for k in kids:
            os.kill(int(k), signal.SIGKILL)
        # Leases expire (JOB_LEASE_S) and the rescuers hand the jobs back.
        self.stack.sql("UPDATE jobs SET lease_until = now() WHERE state = 'running'")
        self.wait_tracks(ev, n, 120)
        self.assertEqual(self.stack.sql("SELECT count(*) FROM registrations WHERE event_id = :'v1'",
                                        ev), [[str(n)]])
        wait_for(lambda: len([m for m in smtp_messages(self.stack)
                              if m[0]["rcpt_tos"][0] in emails]) >= n, 60, "mails")
        wait_for(lambda: self.stack.sql(
            "SELECT count(*) FROM jobs WHERE kind = 'mail' AND state IN ('available', 'running')")
            == [["0"]], 60, "mail jobs settle")
        per = collections.Counter(m[0]["rcpt_tos"][0] for m in smtp_messages(self.stack)
                                  if m[0]["rcpt_tos"][0] in emails)
        self.assertEqual(len(per), n)
        self.assertEqual(max(per.values()), 1)

    def outbox_mail(self, to, name, template="candidate_invite", **extra):
        """An outbox row and its job, as the worker's own enqueue makes them."""
        v = {"name": name, "event_title": "Platform Engineer", "department": "Infra",
             "status": "applied", "ats_score": "64", "start_date": "2026-03-02",
             "location": "Pune"}
        v.update(extra)
        oid = self.stack.sql("INSERT INTO mail_outbox (idem_key, template, to_addr, to_name, vars) "
                             "VALUES ('test:' || :'v1', :'v2', :'v1', :'v3', :'v4'::jsonb) "
                             "RETURNING id", to, template, name, json.dumps(v))[0][0]
        self.stack.sql("INSERT INTO jobs (kind, args, unique_key) VALUES ('mail', "
                       "json_build_object('outbox_id', :'v1'::bigint), 'mail:' || :'v1')", oid)
        return oid

    def test_invitation_bytes(self):
        name = "<b>O'Neil & Co</b>"
        to = "oneil.%d@example.com" % os.getpid()
        oid = self.outbox_mail(to, name)
        wait_for(lambda: self.stack.sql("SELECT status FROM mail_outbox WHERE id = :'v1'",
                                        oid) == [["sent"]], 30, "sent")
        (n, (env, msg, raw)), = [(n, m) for n, m in enumerate(smtp_messages(self.stack), 1)
                                 if m[0]["rcpt_tos"] == [to]]
        self.assertEqual(env, {"mail_from": "no-reply@connectify.local", "rcpt_tos": [to]})
        # The server's own answer to the final dot is what the row keeps.
        self.assertEqual(self.stack.sql("SELECT last_response FROM mail_outbox WHERE id = :'v1'",
                                        oid), [["250 2.0.0 Ok: queued as %06d" % n]])
        # Every byte but the Date value, the boundary (random) and the
        # quoted-printable bodies (checked decoded, below).
        date = re.match(rb"Date: ([A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} "
                        rb"\d\d:\d\d:\d\d \+0000)\r\n", raw)
        self.assertIsNotNone(date, raw[:80])
        bnd = re.search(rb'boundary="(=_connectify_[0-9a-f]{24})"', raw).group(1)
        head = (b"Date: " + date.group(1) + b"\r\n"
                b"From: Connectify <no-reply@connectify.local>\r\n"
                b"To: \"<b>O'Neil & Co</b>\" <" + to.encode() + b">\r\n"
                b"Subject: Your application for Platform Engineer\r\n"
                b"Message-ID: <outbox-" + oid.encode() + b"@" +
                os.uname().nodename[:63].encode() + b">\r\n"
                b"MIME-Version: 1.0\r\n"
                b'Content-Type: multipart/alternative; boundary="' + bnd + b'"\r\n'
                b"\r\n"
                b"This is a multi-part message in MIME format.\r\n")
        self.assertEqual(raw[:len(head)], head)
        part_head = (b"--" + bnd + b"\r\nContent-Type: text/%s; charset=utf-8\r\n"
                     b"Content-Transfer-Encoding: quoted-printable\r\n\r\n")
        rest = raw[len(head):]
        self.assertTrue(rest.startswith(part_head % b"plain"), rest[:200])
        self.assertTrue(rest.endswith(b"\r\n--" + bnd + b"--\r\n"), rest[-100:])
        text_qp, html_qp = rest[len(part_head % b"plain"):-len(b"\r\n--" + bnd + b"--\r\n")] \
            .split(b"\r\n" + part_head % b"html")
        # The parts: the templates rendered with the row's values (HTML
        # escaped in the HTML part), CRLF line ends, no final line end.
        values = {"name": name, "event_title": "Platform Engineer", "department": "Infra",
                  "status": "applied", "ats_score": "64", "start_date": "2026-03-02",
                  "location": "Pune", "calendar_note": "", "status_link": "", "consent_note": "", "link": self.stack.env["FRONTEND_URL"],
                  "year": time.strftime("%Y", time.gmtime())}

        def render(ext, esc):
            with open(os.path.join(self.stack.env["TEMPLATE_DIR"], "candidate_invite." + ext),
                      encoding="utf-8") as f:
                src = f.read()
            out = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: esc(values[m.group(1)]), src)
            return out.rstrip("\n").replace("\n", "\r\n").encode()

        def html_esc(v):
            for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
                         ("'", "&#39;")):
                v = v.replace(a, b)
            return v
        text, html = render("txt", lambda v: v), render("html", html_esc)
        self.assertIn(b"Hello <b>O'Neil & Co</b>,\r\n", text)
        self.assertIn(b"<p>Hello &lt;b&gt;O&#39;Neil &amp; Co&lt;/b&gt;,</p>", html)
        for qp, want in ((text_qp, text), (html_qp, html)):
            self.assertEqual(quopri.decodestring(qp), want)
            for line in qp.split(b"\r\n"):
                self.assertLessEqual(len(line), 76, line)
                self.assertRegex(line, rb"^(?:[!-<>-~ ]|=[0-9A-F]{2})*=?$")
                self.assertFalse(line.endswith(b" "), line)

    def kill_mid_send(self, to):
        """Queue a mail to to, let the sink hold it, kill the worker that
        sends it, and hand its job back: the outbox id."""
        d = self.stack.smtp_dir
        hold = os.path.join(d, "hold")
        open(hold, "w").close()
        try:
            oid = self.outbox_mail(to, "Held Candidate")
            wait_for(lambda: os.path.exists(os.path.join(d, "held")), 30, "held")
            who = self.stack.sql("SELECT locked_by FROM jobs WHERE kind = 'mail' AND "
                                 "args->>'outbox_id' = :'v1'", oid)[0][0]
            os.kill(int(who.split(":")[1]), signal.SIGKILL)
            wait_for(lambda: os.path.exists(os.path.join(d, "dropped")), 10, "dropped")
        finally:
            os.unlink(hold)
            for f in ("held", "dropped"):
                if os.path.exists(os.path.join(d, f)):
                    os.unlink(os.path.join(d, f))
        # Its lease runs out (sooner here) and the job comes back.
        self.stack.sql("UPDATE jobs SET lease_until = now() WHERE state = 'running' AND "
                       "kind = 'mail' AND args->>'outbox_id' = :'v1'", oid)
        return oid

    def test_mail_killed_before_handing_over_is_sent_again_once(self):
        to = "cand.earlyhold.%d@example.com" % os.getpid()
        oid = self.kill_mid_send(to)
        wait_for(lambda: self.stack.sql("SELECT status FROM mail_outbox WHERE id = :'v1'",
                                        oid) == [["sent"]], 60, "resent")
        mine = [(n, m) for n, m in enumerate(smtp_messages(self.stack), 1)
                if m[0]["rcpt_tos"] == [to]]
        self.assertEqual(len(mine), 1)
        n, (env, msg, raw) = mine[0]
        self.assertEqual(msg["Message-ID"], "<outbox-%s@%s>" % (oid, os.uname().nodename[:63]))
        row = self.stack.sql("SELECT attempts, interrupted, last_interruption, last_response "
                             "FROM mail_outbox WHERE id = :'v1'", oid)[0]
        self.assertEqual(row[:3], ["2", "1", "attempt 1 stopped before the message was "
                                             "handed over: not accepted; sent again"])
        self.assertEqual(row[3], "250 2.0.0 Ok: queued as %06d" % n)
        job = self.stack.sql("SELECT state, attempt FROM jobs WHERE kind = 'mail' AND "
                             "args->>'outbox_id' = :'v1'", oid)
        self.assertEqual(job, [["completed", "2"]])

    def test_mail_killed_after_handing_over_is_never_sent_twice(self):
        # Cut off after the final dot: the server may well have queued it,
        # so it is not sent again (here the sink did drop it: that is the
        # one case an "unknown" row stands for).
        to = "cand.hold.%d@example.com" % os.getpid()
        oid = self.kill_mid_send(to)
        wait_for(lambda: self.stack.sql("SELECT status FROM mail_outbox WHERE id = :'v1'",
                                        oid) == [["unknown"]], 60, "given up as unknown")
        row = self.stack.sql("SELECT attempts, interrupted, last_response FROM mail_outbox "
                             "WHERE id = :'v1'", oid)[0]
        self.assertEqual(row[:2], ["1", "0"])
        self.assertRegex(row[2], r"^attempt 1 stopped after handing the message over at .*, "
                                 r"before the server's answer: it may have been accepted, so "
                                 r"it is not sent again$")
        wait_for(lambda: self.stack.sql("SELECT state FROM jobs WHERE kind = 'mail' AND "
                                        "args->>'outbox_id' = :'v1'", oid) == [["discarded"]],
                 30, "job given up")
        self.assertEqual([m for m in smtp_messages(self.stack) if m[0]["rcpt_tos"] == [to]], [])

    def test_storage_read_error_retries(self):
        store = os.path.join(self.stack.env["STORAGE_DIR"], "resumes")
        back, _ = pdfgen.resume(7100)
        gone, _ = pdfgen.resume(7101)
        paths = {}
        for name, pdf in (("back.pdf", back), ("gone.pdf", gone)):
            # A directory where the file belongs: it opens, but reading it
            # fails -- a storage error that is not "no such object".
            paths[name] = os.path.join(store, hashlib.sha256(pdf).hexdigest() + ".pdf")
            os.makedirs(paths[name])
        r = self.stack.http("POST", EV + "/event/", event_body(self.iv["user"]["id"], [
            {"file_name": "back.pdf", "content_base64": b64(back)},
            {"file_name": "gone.pdf", "content_base64": b64(gone)}], "Storage"),
            token=self.hr["access_token"])
        self.assertStatus(r, 201)
        ev = r.json["event_id"]
        q = ("SELECT t.file_name, t.status, j.state, j.attempt, coalesce(j.last_error, ''), "
             "extract(epoch FROM j.run_at - now()) > 5 FROM jobs j JOIN resume_tracks t ON "
             "t.id = (j.args->>'track_id')::bigint WHERE j.kind = 'resume' AND "
             "t.event_id = :'v1' ORDER BY t.file_name")
        wait_for(lambda: [x[2:4] for x in self.stack.sql(q, ev)] == [["available", "1"]] * 2,
                 30, "both jobs to fail once")
        for name, status, state, attempt, error, later in self.stack.sql(q, ev):
            self.assertEqual((status, later), ("queued", "t"), name)
            self.assertIn("Is a directory", error)
        # The storage is back: one file readable now, the other really gone.
        os.rmdir(paths["back.pdf"])
        with open(paths["back.pdf"], "wb") as f:
            f.write(back)
        os.rmdir(paths["gone.pdf"])
        self.stack.sql("UPDATE jobs SET run_at = now() WHERE kind = 'resume' AND state = "
                       "'available' AND (args->>'track_id')::bigint IN (SELECT id FROM "
                       "resume_tracks WHERE event_id = :'v1')", ev)
        self.wait_tracks(ev, 2, 30)
        rows = self.stack.sql(q, ev)
        self.assertEqual([x[:4] for x in rows], [["back.pdf", "scored", "completed", "2"],
                                                 ["gone.pdf", "failed", "discarded", "2"]])
        self.assertIn("No such file or directory", rows[1][4])

    def test_rescore_keeps_previous(self):
        files = []
        for i in range(2):
            pdf, exp = pdfgen.resume(7000 + i)
            files.append({"file_name": "x%d.pdf" % i, "content_base64": b64(pdf)})
        r = self.stack.http("POST", EV + "/event/", event_body(self.iv["user"]["id"], files,
                                                               "Rescore"),
                            token=self.hr["access_token"])
        ev = r.json["event_id"]
        self.wait_tracks(ev, 2)
        q = ("SELECT id, previous_ats_score, ats_score, scored_at FROM registrations "
             "WHERE event_id = :'v1' ORDER BY id")
        before = self.stack.sql(q, ev)
        # The job changes: only skills these resumes lack are required now.
        self.stack.sql("DELETE FROM event_skills WHERE event_id = :'v1'", ev)
        job = self.stack.sql("INSERT INTO jobs (kind, args) VALUES ('rescore', "
                             "json_build_object('event_id', :'v1'::bigint)) RETURNING id", ev)[0][0]
        state = "SELECT state, attempt FROM jobs WHERE id = :'v1'"
        wait_for(lambda: self.stack.sql(state, job) == [["completed", "1"]], 30, "rescore")
        after = self.stack.sql(q, ev)
        self.assertEqual([(a[0], a[1]) for a in after], [(b[0], b[2]) for b in before])
        self.assertNotEqual([a[2] for a in after], [b[2] for b in before])
        # The same job again, as after a crash before its completion was
        # recorded: the score from before the rescore stays the previous.
        self.stack.sql("UPDATE jobs SET state = 'available', finalized_at = NULL, run_at = now() "
                       "WHERE id = :'v1'", job)
        wait_for(lambda: self.stack.sql(state, job) == [["completed", "2"]], 30, "retried rescore")
        self.assertEqual(self.stack.sql(q, ev), after)
        # A new rescore takes the rescored score as its previous one.
        self.stack.sql("INSERT INTO jobs (kind, args) VALUES ('rescore', "
                       "json_build_object('event_id', :'v1'::bigint))", ev)
        wait_for(lambda: [x[1] for x in self.stack.sql(q, ev)] == [a[2] for a in after], 30,
                 "second rescore")

    def test_parse_cli(self):
        with tempfile.TemporaryDirectory() as d:
            exp = {}
            for i in range(4):
                pdf, e = pdfgen.resume(8000 + i, 1 + i % 2)
                with open(os.path.join(d, "cv%d.pdf" % i), "wb") as f:
                    f.write(pdf)
                exp["cv%d" % i] = e
            with open(os.path.join(d, "broken.pdf"), "wb") as f:
                f.write(b"%PDF-1.4 garbage")
            out = os.path.join(d, "out")
            job = os.path.join(d, "job.json")
            with open(job, "w") as f:
                json.dump({"title": "x", "description": "C services",
                           "skills": {"required": ["C", "Python"], "preferred": []},
                           "min_experience": 1, "max_experience": 5}, f)
            p = subprocess.run([os.path.join(BUILD, "worker", "connectify-parse"), d,
                                "--job", job, "--out", out], capture_output=True, text=True)
            self.assertEqual(p.returncode, 1)
            self.assertEqual(p.stderr.count("\n"), 1)
            self.assertIn("broken.pdf: corrupt PDF", p.stderr)
            for k, e in exp.items():
                with open(os.path.join(out, k + ".json")) as f:
                    got = json.load(f)
                for field in ("name", "email", "phone", "years_experience", "education"):
                    self.assertEqual(got[field], e[field], (k, field))
                self.assertEqual(sorted(got["skills"]), sorted(e["skills"]))
                self.assertIn("score", got)
                self.assertIn("sub_scores", got)


if __name__ == "__main__":
    main()
