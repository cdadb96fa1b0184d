"""The browser app through a whole interview day, in real headless
Chromium (Debian's chromium, driven by playwright-core from t/browser/):
HR signs in with a code from the SMS log, creates an event with
interviewers chosen by name, uploads resumes (progress, a refused file
named, rows appearing as they are scored), searches and shortlists, reads
a candidate's score explained and resume, chats, assigns, moves and
reorders queues and mails; the interviewer calls the next candidate, who
accepts (confirmed) on their own page; the interviewer completes and
reviews beside the candidate's score; the candidate's and HR's pages show
the outcome.  Every page stays open: what changes on it after sign-in
comes over its live channel, never a reload.  Each view is checked with
axe-core (no serious or critical violation) at desktop and phone sizes,
on a phone nothing scrolls sideways and every control is 44 px, focus
starts on the view's first control, and a screenshot of each is saved in
the build directory (t/browser-shots/)."""
import base64
import json
import os
import re
import select
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BUILD, SRC, TestCase, main, wait_for  # noqa: E402
import pdfgen  # noqa: E402
from test_video import start_coturn  # noqa: E402

EV = "/bulk_hiring/event/v1"
DRIVER = os.path.join(SRC, "t", "browser")


class BrowserError(AssertionError):
    pass


def node_modules():
    """t/browser's node_modules (script/bootstrap installs them there); a
    tree without them, such as make distcheck's read-only copy, gets them
    from the lock file in the build directory."""
    def complete(d):
        return all(os.path.isdir(os.path.join(d, m)) for m in ("playwright-core", "axe-core"))
    here = os.path.join(DRIVER, "node_modules")
    if complete(here):
        return here
    dst = os.path.join(BUILD, "t", "browser")
    if not complete(os.path.join(dst, "node_modules")):
        if shutil.which("npm") is None:
            raise RuntimeError("t/browser has no node_modules and npm is missing: "
                               "run script/bootstrap")
        os.makedirs(dst, exist_ok=True)
        for f in ("package.json", "package-lock.json"):
            shutil.copy(os.path.join(DRIVER, f), dst)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=dst, check=True)
    return os.path.join(dst, "node_modules")


class Browser:
    """The driver process (node t/browser/drive.js) and its chromium."""

    def __init__(self, log_path):
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("node is not installed: run script/bootstrap")
        modules = node_modules()
        if not os.access("/usr/bin/chromium", os.X_OK):
            raise RuntimeError("/usr/bin/chromium is missing: run script/bootstrap")
        self.log = open(log_path, "ab")
        env = dict(os.environ, NODE_PATH=modules)
        self.proc = subprocess.Popen([node, os.path.join(DRIVER, "drive.js")], cwd=DRIVER,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log, text=True, env=env)

    def call(self, op, timeout=10, **kw):
        kw.update(op=op, timeout=int(timeout * 1000))
        self.proc.stdin.write(json.dumps(kw) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout + 20)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            raise BrowserError("the browser driver did not answer %s" % op)
        answer = json.loads(line)
        if not answer["ok"]:
            raise BrowserError("%s %s: %s" % (op, {k: v for k, v in kw.items() if k != "op"},
                                               re.sub("\x1b\\[[0-9;]*m", "", answer["error"])))
        return answer["value"]

    def page(self, name, url):
        self.call("open", page=name, url=url, timeout=20)
        return Page(self, name)

    def close(self):
        try:
            if self.proc.poll() is None:
                self.call("quit")
            self.proc.wait(10)
        except Exception:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdin.close()
        self.proc.stdout.close()
        self.log.close()


class Page:
    """One page in its own browser context (its own sessionStorage)."""

    def __init__(self, browser, name):
        self.b = browser
        self.name = name

    def __getattr__(self, op):
        return lambda **kw: self.b.call(op, page=self.name, **kw)


class BrowserDay(TestCase):
    stack_args = {"fcgi_workers": 3, "worker": True, "before": start_coturn,
                  "env": {"OTP_RATE_IP": "10000", "WEBHOOK_ALLOW_PRIVATE": "1"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.browser = Browser(os.path.join(cls.stack.log, "browser.log"))
        except Exception:
            cls.stack.stop()
            raise
        cls.shots = os.path.join(BUILD, "t", "browser-shots")
        os.makedirs(cls.shots, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        super().tearDownClass()

    def setUp(self):
        self.pages = []
        self.audited = []

    def dump_pages(self):
        for p in self.pages:
            try:
                sys.stderr.write("==> page %s (%s) <==\n%s\n" % (p.name, p.url(timeout=3),
                                                                  p.text(sel="body", timeout=3)))
            except Exception as e:
                sys.stderr.write("==> page %s: %s\n" % (p.name, e))
        try:
            sys.stderr.write("page errors: %r\n" % self.browser.call("errors"))
        except Exception:
            pass
        self.stack.dump_logs()

    def open(self, name, path="/"):
        p = self.browser.page(name, self.stack.base + path)
        self.pages.append(p)
        return p

    def audit(self, p, view, first=None):
        """One view as its users meet it: focus on its first control, no
        raw JSON, no serious or critical axe-core violation at desktop and
        phone sizes, nothing sideways on a phone and 44 px controls, and a
        screenshot of each size."""
        if first is not None:
            self.focus_on(p, first)
        body = p.text(sel="body")
        self.assertNotIn('{"', body, view)
        self.assertNotIn('":', body, view)
        self.assertEqual(p.axe(timeout=30), [], "%s at desktop size" % view)
        p.shot(path=os.path.join(self.shots, "%s.png" % view))
        p.size(width=390, height=844)
        try:
            self.assertEqual(p.axe(timeout=30), [], "%s at phone size" % view)
            got = p.layout()
            self.assertLessEqual(got["overflow"], 0, "%s scrolls sideways on a phone: %s" % (view, got))
            self.assertEqual(got["small"], [], "%s on a phone" % view)
            p.shot(path=os.path.join(self.shots, "%s-phone.png" % view))
        finally:
            p.size(width=1280, height=800)
        self.audited.append(view)

    def focus_on(self, p, name):
        """Keyboard focus lands on the view's first control."""
        try:
            wait_for(lambda: p.focused().strip() == name, 5, "focus on " + name)
        except Exception:
            self.assertEqual(p.focused().strip(), name)

    def sign_in(self, p, phone):
        """The OTP sign-in as a person does it, the code read from the SMS log."""
        before = self.stack.last_otp(phone)
        p.fill(label="Phone number", value=phone, within="#otp-request")
        p.click(role="button", name="Send code")
        self.message(p, "Code sent")
        wait_for(lambda: self.stack.last_otp(phone) not in (None, before), 10, "the OTP")
        p.fill(label="6-digit code", value=self.stack.last_otp(phone))
        p.click(role="button", name="Sign in", exact=True)
        p.wait(sel="#who", text="(")
        p.wait(sel="#live", text="connected")

    def message(self, p, text, error=False, timeout=10):
        """Wait for a message line to say text; it never shows JSON."""
        sel = ".msg.error" if error else ".msg:not(.error)"
        p.wait(sel=sel, text=text, timeout=timeout)
        for shown in p.texts(sel=sel, text=text):
            self.assertNotIn("{", shown)
            self.assertNotIn('"code"', shown)

    def signup(self, user_type, name):
        Stack = type(self.stack)
        Stack._seq += 1
        phone = "+9197%08d" % (os.getpid() % 1000 * 10000 + Stack._seq)
        r = self.stack.http("POST", "/bulk_hiring/user_data/v1/signup/",
                            {"name": name, "phone_number": phone, "user_type": user_type,
                             "email": "%s@example.com" % name.lower().replace(" ", ".")})
        self.assertStatus(r, 201)
        return dict(r.json, phone=phone)

    def test_interview_day(self):
        try:
            self.day()
        except BaseException:
            self.dump_pages()
            raise

    def rows(self, p, sel):
        return [" ".join(r.split()) for r in p.texts(sel=sel)]

    def day(self):
        s = self.stack
        t0 = time.time()
        hr = self.signup("Hr", "Meera Iyer")
        iv1 = s.make_user("Interviewer", name="Ravi Kumar")
        iv2 = s.make_user("Interviewer", name="Lata Shah")
        asha = s.make_user("Interviewee", name="Asha Rao")
        bilal = s.make_user("Interviewee", name="Bilal Khan")

        # HR signs in and lands on the events, with none yet.
        hp = self.open("hr")
        hp.wait(sel="h1", text="Sign in")
        self.audit(hp, "sign-in", first="Phone number")
        self.sign_in(hp, hr["phone"])
        hp.wait(sel="#who", text="Meera Iyer (Hr)")
        hp.wait(sel=".empty", text="No events yet")
        self.audit(hp, "events-empty", first="New event")

        # The event form: interviewers chosen by name, dates, a place; the
        # dates the wrong way round first (the server's 400, next to the form).
        hp.click(role="link", name="New event")
        hp.wait(sel="#event-form")
        for label, value in (("Title", "Platform Engineer"), ("Department", "Engineering"),
                             ("Required skills (comma separated)", "C, PostgreSQL"),
                             ("Questions (one a line)", "Tell us about a hard bug."),
                             ("Start date", "2026-12-10"), ("End date", "2026-12-01"),
                             ("Location", "Bengaluru office")):
            hp.fill(within="#event-form", label=label, value=value, exact=True)
        # The description suggests skills from the taxonomy.
        hp.fill(within="#event-form", label="Job description", exact=True,
                value="Systems work in Go on Linux. Kubernetes is a plus.")
        hp.click(role="button", name="Suggest skills from the description")
        self.message(hp, "Suggested 2 required and 1 preferred skills.")
        hp.fill(label="Find interviewers for round 1", value="ra")
        hp.gone(within="#round-form-1", sel="label.check", text="Lata Shah")
        hp.check(within="#round-form-1", label="Ravi Kumar")
        hp.fill(label="Find interviewers for round 1", value="")
        hp.check(within="#round-form-1", label="Lata Shah")
        self.audit(hp, "event-form")
        hp.click(role="button", name="Create event")
        self.message(hp, "end_date must not be before start_date", error=True)
        hp.fill(within="#event-form", label="End date", value="2026-12-11", exact=True)
        hp.click(role="button", name="Create event")
        self.message(hp, "Event created.")
        hp.wait(sel="h1", text="Platform Engineer")
        (ev,), = s.sql("SELECT id FROM events WHERE title = 'Platform Engineer'")
        r = s.http("GET", EV + "/event-detail/?event_id=%s" % ev, token=iv1["access_token"])
        self.assertEqual(r.json["skills"], {"required": ["C", "Go", "Linux", "PostgreSQL"],
                                            "preferred": ["Kubernetes"]})
        (round_id,), = s.sql("SELECT id FROM rounds WHERE event_id = :'v1'", ev)
        self.assertEqual(s.sql("SELECT count(*) FROM round_interviewers WHERE round_id = :'v1'",
                               round_id), [["2"]])
        self.assertEqual(s.sql("SELECT location, start_date, end_date FROM events WHERE id = :'v1'", ev),
                         [["Bengaluru office", "2026-12-10", "2026-12-11"]])
        # Each click sent its own Idempotency-Key: the refused one and the one
        # that created the event.
        self.assertEqual(s.sql("SELECT status FROM idempotency_keys WHERE route = "
                               "'event_create' ORDER BY created_at"), [["400"], ["201"]])

        # Two candidates apply with their resumes.
        for i, c in enumerate((asha, bilal)):
            pdf, _ = pdfgen.resume(7100 + i)
            r = s.http("POST", EV + "/event-register/",
                       {"event_id": int(ev), "resume": {"file_name": "cv.pdf",
                                                        "content_base64": base64.b64encode(pdf).decode()}},
                       token=c["access_token"])
            self.assertStatus(r, 201)

        # HR uploads two resumes and a file that is no PDF: a progress bar,
        # the refused file named with its reason, and the files scored live.
        hp.click(role="link", name="Uploads")
        hp.wait(sel="#track")
        self.focus_on(hp, "Resumes (PDF)")
        tmp = os.path.join(s.tmp, "upload")
        os.makedirs(tmp, exist_ok=True)
        paths = []
        for i in range(2):
            path = os.path.join(tmp, "resume-%d.pdf" % i)
            with open(path, "wb") as f:
                f.write(pdfgen.resume(7300 + i)[0])
            paths.append(path)
        path = os.path.join(tmp, "notes.pdf")
        with open(path, "wb") as f:
            f.write(b"these are notes, not a PDF\n")
        paths.append(path)
        hp.files(label="Resumes (PDF)", paths=paths)
        hp.click(role="button", name="Upload", exact=True)
        hp.wait(sel="#upload-progress", text="Done: 2 queued for scoring, 1 refused.")
        hp.wait(sel="#upload-progress progress")
        self.assertIn("notes.pdf: ", hp.text(sel=".refused"))
        for n in ("resume-0.pdf", "resume-1.pdf", "cv.pdf"):
            hp.wait(sel="#track tr", text=n)
        wait_for(lambda: self.rows(hp, "#track tbody tr") and
                 all(" scored " in r + " " for r in self.rows(hp, "#track tbody tr")),
                 30, "every file scored on the page")
        self.audit(hp, "event-uploads")

        # The candidates: all four, searched, shortlisted one by one and in bulk.
        hp.click(role="link", name="Candidates")
        hp.wait(sel="#ranking-title", text="4 candidates, 4 shown")
        self.focus_on(hp, "Search candidates")
        hp.fill(label="Search candidates", value="asha")
        hp.wait(sel="#ranking-title", text="4 candidates, 1 shown")
        hp.fill(label="Search candidates", value="")
        hp.wait(sel="#ranking-title", text="4 candidates, 4 shown")
        hp.check(role="checkbox", name="Shortlist Asha Rao")
        self.message(hp, "Asha Rao is shortlisted.")
        hp.check(role="checkbox", name="Select Bilal Khan")
        hp.click(role="button", name="Shortlist selected")
        self.message(hp, "1 shortlisted.")
        hp.wait(sel="#registrations tr", text="Bilal Khan")
        self.assertIn("shortlisted", hp.text(sel="#registrations tr", text="Bilal Khan"))
        # The score explained: sub-scores, matched and missing skills.
        hp.click(within="tr:has-text('Asha Rao')", sel="summary")
        why = hp.text(within="tr:has-text('Asha Rao')", sel=".explain")
        for part in ("Required skills:", "(weight 38%)", "Matched skills:", "Missing skills:"):
            self.assertIn(part, why)
        self.audit(hp, "event-candidates")

        # One candidate: profile, the resume in pdf.js, reviews, a message.
        hp.click(role="link", name="Asha Rao")
        hp.wait(sel="h1", text="Asha Rao")
        hp.wait(sel="canvas.page[aria-label^='Page 1 of']", timeout=20)
        hp.wait(sel=".empty", text="No reviews yet.")
        self.focus_on(hp, "Back to the candidates")
        hp.fill(label="Message", value="Please bring your ID on the day.")
        hp.click(role="button", name="Send", exact=True)
        hp.wait(sel="ol.chat li", text="Please bring your ID on the day.")
        self.audit(hp, "candidate")
        hp.back()
        hp.wait(sel="#ranking-title", text="4 candidates")
        self.assertTrue(hp.url().endswith("#/event/%s/candidates" % ev), hp.url())

        # Edit: the form comes filled in; a new place is saved.
        hp.click(role="link", name="Edit", exact=True)
        hp.wait(sel="#event-form")
        self.focus_on(hp, "Title")
        hp.fill(within="#event-form", label="Location", value="Bengaluru office, room 4", exact=True)
        hp.click(role="button", name="Save changes")
        self.message(hp, "Saved.")
        hp.wait(sel=".event-head", text="Bengaluru office, room 4")

        # The mail, then the day: assign, move and reorder the queues.
        hp.click(role="link", name="Mail")
        self.focus_on(hp, "Who")
        hp.click(role="button", name="Send mail")
        self.message(hp, "Mail queued for")
        self.audit(hp, "event-mail")
        hp.click(role="link", name="Interview day")
        self.focus_on(hp, "Assign queues for Technical")
        hp.click(role="button", name="Assign queues for Technical")
        self.message(hp, "Technical: 2 candidates in 2 queues.")
        rows = "#round-%s tbody tr" % round_id
        hp.wait(sel=rows, text="Bilal Khan")
        hp.wait(sel=rows, text="Asha Rao")
        # One queue each; the one with Lata Shah moves to Ravi Kumar.
        lata = [r for r in self.rows(hp, rows) if r.startswith("Lata Shah")]
        self.assertEqual(len(lata), 1, self.rows(hp, rows))
        mover = "Asha Rao" if "Asha Rao" in lata[0] else "Bilal Khan"
        hp.select(label="Interviewer for " + mover, value="Ravi Kumar")
        hp.click(role="button", name="Move " + mover, exact=True)
        self.message(hp, mover + " moved.")
        hp.wait(sel=rows, text="no one queued")
        got = self.rows(hp, rows)
        self.assertEqual(got[2], "Lata Shah no one queued", got)
        self.assertEqual(sorted(r.split(" waiting")[0] for r in got[:2]),
                         ["Ravi Kumar 1 Asha Rao", "Ravi Kumar 2 Bilal Khan"]
                         if got[0].startswith("Ravi Kumar 1 Asha") else
                         ["Ravi Kumar 1 Bilal Khan", "Ravi Kumar 2 Asha Rao"])
        # Reordered with the buttons: Asha Rao ends first in line.
        if got[0].startswith("Ravi Kumar 1 Asha Rao"):
            hp.click(role="button", name="Move Asha Rao down")
            hp.wait(sel=rows + ":first-child", text="Bilal Khan")
            self.assertTrue(self.rows(hp, rows)[1].startswith("Ravi Kumar 2 Asha Rao waiting"))
        hp.click(role="button", name="Move Asha Rao up")
        hp.wait(sel=rows + ":first-child", text="Asha Rao")
        got = self.rows(hp, rows)
        self.assertTrue(got[0].startswith("Ravi Kumar 1 Asha Rao waiting"), got)
        self.assertTrue(got[1].startswith("Ravi Kumar 2 Bilal Khan waiting"), got)
        hp.wait(sel="#selected", text="No one selected yet.")
        self.audit(hp, "event-day")

        # A second tab of HR's shares the session, opened on a deep link.
        self.browser.call("tab", page="hr2", of="hr", timeout=20,
                          url=s.base + "/#/event/%s/day" % ev)
        h2 = Page(self.browser, "hr2")
        self.pages.append(h2)
        h2.wait(sel=rows, text="Asha Rao")
        h2.wait(sel="#who", text="Meera Iyer (Hr)")
        h2.click(role="link", name="People")
        h2.wait(sel="table", text="Ravi Kumar")
        self.audit(h2, "people", first="Show")
        h2.click(role="link", name="Analytics")
        h2.wait(sel="#chart-funnel canvas")
        self.audit(h2, "analytics", first="Month")

        # The interviewer opens the round's queue.
        ip = self.open("interviewer")
        self.sign_in(ip, iv1["phone"])
        ip.wait(sel="#iv-rounds a", text="Open queue")
        self.audit(ip, "interviewer-rounds", first="Open queue for Platform Engineer, Technical")
        ip.click(role="link", name="Open queue for Platform Engineer, Technical")
        ip.wait(sel="#iv-title", text="Platform Engineer: Technical")
        ip.wait(sel="#live", text="connected")
        ip.wait(sel="#iv-entries tr", text="Bilal Khan")
        self.assertEqual(self.rows(ip, "#iv-entries tr"),
                         ["1 Asha Rao waiting", "2 Bilal Khan waiting"])
        self.assertFalse(ip.enabled(role="button", name="Complete"))
        # The next candidate's score and resume beside the queue.
        ip.wait(sel="#iv-candidate h2", text="Candidate: Asha Rao")
        ip.wait(sel="#iv-candidate", text="Matched skills:")
        self.audit(ip, "interviewer-queue", first="Start next")

        # The first candidate sees their place, an open event list and the chat.
        cp = self.open("candidate")
        self.sign_in(cp, asha["phone"])
        cp.wait(sel="#applications", text="Status: interviewing")
        cp.wait(sel="#applications", text="Interview with Ravi Kumar: you are number 1 in line.")
        self.audit(cp, "candidate-applications")
        # Another HR's open event: the candidate applies with a resume.
        hr2 = s.make_user("Hr", name="Kavya Menon")
        r = s.http("POST", EV + "/event/", {"title": "Data Analyst", "department": "Analytics",
                                            "status": "Active", "location": "Pune",
                                            "skills": {"required": ["SQL"]}, "rounds": [{"name": "HR"}]},
                   token=hr2["access_token"])
        self.assertStatus(r, 201)
        cp.click(role="link", name="Open events", exact=True)
        cp.wait(sel=".card h2", text="Data Analyst")
        self.audit(cp, "candidate-open-events", first="Your resume for Data Analyst")
        cv = os.path.join(tmp, "asha.pdf")
        with open(cv, "wb") as f:
            f.write(pdfgen.resume(7100)[0])
        cp.files(label="Your resume for Data Analyst", paths=[cv])
        cp.click(role="button", name="Apply to Data Analyst")
        self.message(cp, "You applied to Data Analyst.")
        cp.wait(sel="#applications h2", text="Data Analyst")
        self.assertEqual(s.sql("SELECT count(*) FROM registrations WHERE user_id = :'v1'",
                               asha["user"]["id"]), [["2"]])
        cp.click(role="link", name="Chat with HR about Platform Engineer")
        cp.wait(sel="ol.chat li", text="Please bring your ID on the day.")
        self.audit(cp, "candidate-chat", first="Back to my applications")
        cp.back()
        cp.wait(sel="#applications", text="you are number 1 in line.")

        # Start next: the call reaches the candidate's open page.
        ip.gone(sel="#review", timeout=1)   # no form before an interview is done
        ip.click(role="button", name="Start next")
        self.message(ip, "Called Asha Rao; waiting for them to accept.")
        ip.wait(sel="#iv-now", text="Now: Asha Rao, called, not accepted yet.")
        cp.wait(sel="#applications", text="Ravi Kumar is ready for you now.")
        self.message(cp, "You are called for your interview")
        self.message(hp, "Asha Rao was called.")
        self.assertFalse(ip.enabled(role="button", name="Start next"))
        # HR's queue view follows each step live.
        hp.wait(sel=rows, text="called")
        self.assertIn("Asha Rao", hp.text(sel=rows, text="called"))

        # The candidate accepts, confirmed; the interviewer's page hears it.
        cp.click(role="button", name="Accept", exact=True)
        cp.wait(sel=".confirm", text="Join the interview with Ravi Kumar now?")
        cp.click(role="button", name="Yes, accept")
        self.message(cp, "Accepted: your interview starts now.")
        cp.wait(sel="#applications", text="In interview with Ravi Kumar.")
        ip.wait(sel="#iv-now", text="Now: Asha Rao, in interview.")
        self.message(ip, "Asha Rao accepted; the interview is on.")
        hp.wait(sel=rows, text="accepted the call")
        self.assertIn("Asha Rao", hp.text(sel=rows, text="accepted the call"))

        # The video call: the interviewer calls, the candidate joins; media
        # goes through coturn only (relay-only ICE) and arrives both ways.
        for p in (ip, cp):
            p.setlocal(key="connectify.ice", value="relay")
        ip.click(role="button", name="Start video call")
        cp.wait(sel="#call-state", text="Ravi Kumar is calling you.")
        cp.click(role="button", name="Join the video call")
        for p in (ip, cp):
            p.wait(sel="#call-state", text="(relay)", timeout=20)

        def received(p):
            m = re.search(r"received (\d+) kB", p.text(sel="#call-state"))
            return int(m.group(1)) if m else 0
        wait_for(lambda: received(ip) > 20 and received(cp) > 20, 20, "media both ways")
        self.audit(cp, "candidate-call")
        cp.click(role="button", name="Mute", exact=True)
        cp.wait(role="button", name="Unmute")

        # Complete (the call ends for both), then a passing review beside
        # the candidate's score.
        ip.click(role="button", name="Complete", exact=True)
        self.message(ip, "Interview complete. Please review it.")
        ip.wait(sel="#review-title", text="Review of Asha Rao")
        cp.wait(sel="#call-state", text="The call ended.")
        ip.wait(sel="#call-state", text="The interview is complete; the call ended.")
        self.audit(ip, "interviewer-review")
        ip.select(within="#review", label="Overall rating", value="5")
        ip.select(within="#review", label="Tell us about a hard bug.", value="4")
        ip.fill(within="#review", label="Comments", value="Found the race in minutes.")
        ip.check(within="#review", label="Pass", exact=True)
        ip.click(role="button", name="Submit review")
        self.message(ip, "Review saved: Asha Rao passed; now selected.")
        ip.gone(sel="#review")
        ip.wait(sel="#iv-entries tr", text="Asha Rao")
        self.assertEqual(self.rows(ip, "#iv-entries tr"), ["Asha Rao done Review", "1 Bilal Khan waiting"])
        self.assertTrue(ip.enabled(role="button", name="Start next"))

        # The next one does not come: a no-show, then called again.
        ip.click(role="button", name="Start next")
        ip.wait(sel="#iv-now", text="Now: Bilal Khan, called, not accepted yet.")
        ip.click(role="button", name="No-show")
        self.message(ip, "Bilal Khan: no-show.")
        ip.wait(sel="#iv-entries tr", text="no-show")
        hp.wait(sel=rows, text="no-show")
        ip.click(role="button", name="Call Bilal Khan again")
        ip.wait(sel="#iv-now", text="Now: Bilal Khan, called, not accepted yet.")

        # The candidate's and HR's pages show the outcome without a reload.
        cp.wait(sel="#applications", text="Status: selected")
        self.message(cp, "Your interview was reviewed: you are now selected.")
        hp.wait(sel="#selected li", text="Asha Rao <")
        self.assertEqual(hp.texts(sel="#selected li"), ["Asha Rao <%s>" % asha["user"]["email"]])

        # What the API recorded is what the pages said.
        self.assertEqual(s.sql("SELECT r.result, r.rating, r.comments, g.status FROM reviews r "
                               "JOIN registrations g ON g.id = r.registration_id "
                               "WHERE g.user_id = :'v1'", asha["user"]["id"]),
                         [["pass", "5", "Found the race in minutes.", "selected"]])

        # The organisation admin invites an interviewer by name and sets roles.
        adm = s.make_admin()
        ap = self.open("admin")
        self.sign_in(ap, adm["phone"])
        ap.click(role="link", name="People")
        ap.wait(sel="table", text="Ravi Kumar")
        self.audit(ap, "people-admin", first="Show")
        Stack = type(s)
        Stack._seq += 1
        phone = "+9196%08d" % (os.getpid() % 1000 * 10000 + Stack._seq)
        for label, value in (("Name", "Neha Joshi"), ("Phone number", phone),
                             ("Email", "neha.joshi@example.com")):
            ap.fill(within="form", label=label, value=value, exact=True)
        ap.click(role="button", name="Add interviewer")
        self.message(ap, "Neha Joshi can now sign in with")
        ap.wait(sel="table", text="Neha Joshi")
        ap.select(label="Role of Neha Joshi", value="Hr", exact=True)
        ap.click(role="button", name="Save the role of Neha Joshi")
        self.message(ap, "Neha Joshi is now Hr.")
        self.assertEqual(s.sql("SELECT user_type FROM users WHERE name = 'Neha Joshi'"), [["Hr"]])

        # Signing out in one tab signs out the other; the session is gone.
        h2.click(role="button", name="Sign out")
        h2.wait(sel="h1", text="Sign in")
        hp.wait(sel="h1", text="Sign in")
        self.assertEqual(hp.storage(), [])
        self.assertEqual(self.browser.call("errors"), [])
        self.assertEqual(len(self.audited), 18, self.audited)
        sys.stderr.write("interview day in the browser: %.1f s, %d views audited\n"
                         % (time.time() - t0, len(self.audited)))

    def test_zz_data_views(self):
        """The views of hiring decisions and candidates' data (after the
        interview day, whose counts they would change)."""
        try:
            self.data_views()
        except BaseException:
            self.dump_pages()
            raise

    def as_user(self, name, tokens, path):
        """A page signed in with tokens from the API, at path."""
        p = self.open(name)
        p.setlocal(key="connectify", value=json.dumps(tokens))
        p.goto(url=self.stack.base + "/?signed-in" + path)
        p.wait(sel="#live", text="connected")
        return p

    def data_views(self):
        s = self.stack
        t0 = time.time()
        admin = s.make_admin()
        iv = s.make_user("Interviewer", name="Kiran Das")
        c1 = s.make_user("Interviewee", name="Nisha Verma")
        c2 = s.make_user("Interviewee", name="Verma Nisha")
        r = s.http("POST", EV + "/event/", {"title": "Data Analyst", "department": "Analytics",
                                            "status": "Active", "location": "Pune office",
                                            "rounds": [{"name": "Case study",
                                                        "interviewers": [iv["user"]["id"]]}]},
                   token=admin["access_token"])
        self.assertStatus(r, 201)
        ev = r.json["event_id"]
        round_id = r.json["rounds"][0]["round_id"]
        regs = []
        for i, c in enumerate((c1, c2)):
            pdf, _ = pdfgen.resume(7500 + i)
            r = s.http("POST", EV + "/event-register/",
                       {"event_id": ev, "resume": {"file_name": "cv.pdf",
                                                   "content_base64": base64.b64encode(pdf).decode()}},
                       token=c["access_token"])
            self.assertStatus(r, 201)
            regs.append(r.json["registration_id"])
        r = s.http("POST", EV + "/round-rubric/", {"round_id": round_id, "criteria": [
            {"name": "Analysis", "weight": 2, "anchor_1": "guesses", "anchor_5": "tests each idea"},
            {"name": "Communication"}]}, token=admin["access_token"])
        self.assertStatus(r, 201)
        r = s.http("PATCH", EV + "/modified-shortlisted/", {"registration_id": regs[0], "shortlisted": True},
                   token=admin["access_token"])
        self.assertStatus(r, 200)
        r = s.http("POST", EV + "/status-link/", {"registration_id": regs[0]}, token=c1["access_token"])
        self.assertStatus(r, 201)
        token = r.json["token"]
        # Nisha is interviewed in the round (through the API).
        r = s.http("POST", EV + "/zoom-mapping/", {"round_id": round_id, "mode": "auto"},
                   token=admin["access_token"])
        self.assertStatus(r, 200)
        for who, action in ((iv, "start_next"), (c1, "accept_interview"), (iv, "complete_interview")):
            r = s.http("POST", EV + "/interview-action/", {"action": action, "session_id": round_id},
                       token=who["access_token"])
            self.assertStatus(r, 200)

        # The interviewer's review area has the rubric's scorecard; once
        # sent, the panel's cards show.
        ip = self.as_user("data-iv", iv, "#/round/%d" % round_id)
        ip.click(role="button", name="Review Nisha Verma")
        ip.wait(sel="#scorecard legend", text="Analysis")
        self.assertIn("1: guesses · 5: tests each idea", ip.text(sel="#scorecard"))
        ip.select(within="#scorecard fieldset >> nth=0", label="Score", value="4")
        ip.select(label="Recommendation", value="strong yes")
        ip.click(role="button", name="Submit scorecard")
        self.message(ip, "Scorecard saved.")
        ip.wait(sel="#scorecard li", text="Kiran Das: strong yes")
        self.assertIn("Analysis: 4 of 5", ip.text(sel="#scorecard .panel"))
        self.audit(ip, "round-scorecard")
        self.assertEqual(s.sql("SELECT recommendation FROM scorecards WHERE registration_id = :'v1'",
                               regs[0]), [["strong_yes"]])

        # Duplicates: the same name words in another order, with the reason.
        ap = self.as_user("data-admin", admin, "#/event/%d/duplicates" % ev)
        ap.wait(sel="#duplicates tr.dup", text="Verma Nisha", timeout=20)
        rows = self.rows(ap, "#duplicates tr.dup")
        self.assertTrue(all(re.search(r"name.*\d+%", r) for r in rows), rows)
        self.assertTrue(ap.focused().startswith("Merge: "), ap.focused())
        self.audit(ap, "event-duplicates")

        # Export: a CSV downloaded with the sign-in header, and blind screening.
        ap.goto(url=s.base + "/?signed-in#/event/%d/data" % ev)
        ap.wait(sel="h2", text="Blind screening")
        self.audit(ap, "event-data", first="Download CSV")
        got = ap.download(role="button", name="Download CSV")
        self.assertEqual(got["name"], "event-%d.csv" % ev)
        self.assertIn("Nisha Verma", got["text"])
        self.assertIn("\r\n", got["text"])
        self.message(ap, "Downloaded event-%d.csv." % ev)
        got = ap.download(role="button", name="Download NDJSON")
        self.assertEqual(got["name"], "event-%d.ndjson" % ev)
        self.assertEqual(len(got["text"].splitlines()), 2)
        self.assertIsInstance(json.loads(got["text"].splitlines()[0]), dict)
        ap.select(label="Hide who the candidates are", value="until interviewing")
        ap.click(role="button", name="Save blind screening")
        self.message(ap, "Candidates are hidden until interviewing.")
        self.assertEqual(s.sql("SELECT until FROM event_blind WHERE event_id = :'v1'", ev), [["interviewing"]])

        # The candidate's history, in words, and the panel (none yet).
        ap.goto(url=s.base + "/?signed-in#/event/%d/candidate/%d" % (ev, regs[0]))
        ap.wait(sel="#history li", text="changed the application")
        ap.wait(sel="#scorecards li", text="Kiran Das: strong yes")
        self.assertIn("the rule does not hold yet", ap.text(sel="#scorecards"))
        self.assertIn("→", ap.text(sel="#history"))
        self.audit(ap, "candidate-history", first="Back to the candidates")

        # The admin's webhooks (the secret shown once) and adverse impact.
        ap.goto(url=s.base + "/?signed-in#/webhooks")
        ap.wait(sel="#webhooks .empty", text="No endpoints yet.")
        self.focus_on(ap, "Address (https)")
        ap.fill(label="Address (https)", value="https://127.0.0.1:9/hook")
        ap.click(role="button", name="Register")
        self.message(ap, "Copy the secret now")
        self.assertTrue(ap.text(sel="#webhook-secret"))
        ap.wait(sel="#webhooks td", text="active")
        self.audit(ap, "webhooks")
        ap.click(role="button", name="Disable https://127.0.0.1:9/hook")
        ap.wait(sel="#webhooks td", text="disabled")
        ap.goto(url=s.base + "/?signed-in#/impact")
        ap.select(label="Event", value="Data Analyst")
        ap.wait(sel="#impact h3, #impact .empty")
        self.audit(ap, "adverse-impact", first="Event")

        # The public status page: no sign-in.
        sp = self.open("status", "/#/status/%s" % token)
        sp.wait(sel="#status-state")
        self.assertIn("Data Analyst", sp.text(sel="#status"))
        self.assertIn("refreshes every 15 seconds", sp.text(sel="#view"))
        self.audit(sp, "status")
        # The link's own address, as the invitation mail carries it.
        sp.goto(url=s.base + "/status/%s/" % token)
        sp.wait(sel="#status-state")
        self.assertTrue(sp.url().endswith("/#/status/%s" % token), sp.url())

        # The candidate's account: their data downloaded, self-identification.
        cp = self.as_user("data-cand", c1, "#/account")
        cp.wait(sel="button", text="Save answers")
        self.audit(cp, "account", first="Download my data")
        got = cp.download(role="button", name="Download my data")
        self.assertEqual(got["name"], "my-connectify-data.json")
        self.assertIn("Nisha Verma", got["text"])
        cp.click(role="button", name="Save answers")
        self.message(cp, "Tick the agreement first", error=True)

        # HR erases the other candidate, after a confirmation.
        ap.goto(url=s.base + "/?signed-in#/event/%d/candidate/%d" % (ev, regs[1]))
        ap.click(sel="button", text="Erase Candidate")
        ap.click(role="button", name="Yes, erase for good")
        self.message(ap, "The candidate was erased.")
        self.assertEqual(s.sql("SELECT name, erased_at IS NOT NULL FROM users WHERE id = :'v1'",
                               c2["user"]["id"]), [["Erased candidate", "t"]])

        mine = ("data-", "status:")
        self.assertEqual([e for e in self.browser.call("errors") if e.startswith(mine)], [])
        sys.stderr.write("data views in the browser: %.1f s, %d views audited\n"
                         % (time.time() - t0, len(self.audited)))


if __name__ == "__main__":
    main()
