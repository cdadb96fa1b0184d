"""The browser client through a whole interview day, in real headless
Chromium (Debian's chromium, driven by playwright-core from t/browser/):
HR signs in with a code from the SMS log, creates an event, shortlists,
assigns and moves queues; the interviewer calls the next candidate, who
accepts on their own page; the interviewer completes and reviews; the
candidate's and HR's pages show the outcome.  Every page stays open: what
changes on it after sign-in comes over its live channel, never a reload."""
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

EV = "/bulk_hiring/event/v1"
DRIVER = os.path.join(SRC, "t", "browser")


class BrowserError(AssertionError):
    pass


def node_modules():
    """t/browser's node_modules (script/bootstrap installs them there); a
    tree without them, such as make distcheck's read-only copy, gets them
    from the lock file in the build directory."""
    here = os.path.join(DRIVER, "node_modules")
    if os.path.isdir(os.path.join(here, "playwright-core")):
        return here
    dst = os.path.join(BUILD, "t", "browser")
    if not os.path.isdir(os.path.join(dst, "node_modules", "playwright-core")):
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
    stack_args = {"fcgi_workers": 3, "env": {"OTP_RATE_IP": "10000"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.browser = Browser(os.path.join(cls.stack.log, "browser.log"))
        except Exception:
            cls.stack.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        super().tearDownClass()

    def setUp(self):
        self.pages = []

    def dump_pages(self):
        for p in self.pages:
            try:
                sys.stderr.write("==> page %s <==\n%s\n" % (p.name, p.text(sel="body", timeout=3)))
            except Exception as e:
                sys.stderr.write("==> page %s: %s\n" % (p.name, e))
        try:
            sys.stderr.write("page errors: %r\n" % self.browser.call("errors"))
        except Exception:
            pass
        self.stack.dump_logs()

    def open(self, name):
        p = self.browser.page(name, self.stack.base + "/")
        self.pages.append(p)
        return p

    def sign_in(self, p, phone):
        """The OTP sign-in as a person does it, the code read from the SMS log."""
        before = self.stack.last_otp(phone)
        p.fill(within="#otp-request", label="Phone number", value=phone)
        p.click(role="button", name="Send code")
        p.wait(sel="#msg", text="Code sent")
        wait_for(lambda: self.stack.last_otp(phone) not in (None, before), 10, "the OTP")
        p.fill(label="6-digit code", value=self.stack.last_otp(phone))
        p.click(role="button", name="Sign in")
        p.wait(sel="#greeting", text="Hello")
        p.wait(sel="#live", text="connected")

    def message(self, p, text, error=False):
        """Wait for the status line to say text; it never shows JSON."""
        p.wait(sel="#msg.error" if error else "#msg:not(.error)", text=text)
        shown = p.text(sel="#msg")
        self.assertNotIn("{", shown)
        self.assertNotIn('"code"', shown)
        return shown

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

    def day(self):
        s = self.stack
        t0 = time.time()
        hr = self.signup("Hr", "Meera Iyer")
        iv1 = s.make_user("Interviewer", name="Ravi Kumar")
        iv2 = s.make_user("Interviewer", name="Lata Shah")
        asha = s.make_user("Interviewee", name="Asha Rao")
        bilal = s.make_user("Interviewee", name="Bilal Khan")

        # HR signs in and creates the event; a bad interviewer id first.
        hp = self.open("hr")
        self.sign_in(hp, hr["phone"])
        hp.wait(sel="#who", text="Meera Iyer (Hr)")
        ev_form = "#new-event"
        for label, value in (("Title", "Platform Engineer"), ("Department", "Engineering"),
                             ("Required skills (comma separated)", "C, PostgreSQL"),
                             ("Rounds (comma separated)", "Technical"),
                             ("Interviewer ids for every round (comma separated)", "999999"),
                             ("Questions for every round (one a line)", "Tell us about a hard bug.")):
            hp.fill(within=ev_form, label=label, value=value, exact=True)
        # The description suggests skills from the taxonomy.
        hp.fill(within=ev_form, label="Job description", exact=True,
                value="Systems work in Go on Linux. Kubernetes is a plus.")
        hp.click(role="button", name="Suggest skills from the description")
        self.message(hp, "Suggested 2 required and 1 preferred skills.")
        hp.click(role="button", name="Create event")
        self.message(hp, "every interviewer must be", error=True)
        hp.fill(within=ev_form, label="Interviewer ids for every round (comma separated)",
                exact=True, value="%d, %d" % (iv1["user"]["id"], iv2["user"]["id"]))
        hp.click(role="button", name="Create event")
        self.message(hp, "Event created.")
        hp.wait(sel="#events tr", text="Platform Engineer (Engineering)")
        (ev,), = s.sql("SELECT id FROM events WHERE title = 'Platform Engineer'")
        r = s.http("GET", EV + "/event-detail/?event_id=%s" % ev, token=iv1["access_token"])
        self.assertEqual(r.json["skills"], {"required": ["C", "Go", "Linux", "PostgreSQL"],
                                            "preferred": ["Kubernetes"]})
        (round_id,), = s.sql("SELECT id FROM rounds WHERE event_id = :'v1'", ev)
        # Each click sent its own Idempotency-Key: the refused one and the one
        # that created the event.
        self.assertEqual(s.sql("SELECT status FROM idempotency_keys WHERE route = "
                               "'event_create' ORDER BY created_at"), [["400"], ["201"]])

        # Two candidates register with their resumes.
        for i, c in enumerate((asha, bilal)):
            pdf, _ = pdfgen.resume(7100 + i)
            r = s.http("POST", EV + "/event-register/",
                       {"event_id": int(ev), "resume": {"file_name": "cv.pdf",
                                                        "content_base64": base64.b64encode(pdf).decode()}},
                       token=c["access_token"])
            self.assertStatus(r, 201)

        # HR opens the event, shortlists both, assigns and moves queues.
        hp.click(role="button", name="Open Platform Engineer")
        hp.wait(sel="#ranking-title", text="2 candidates")
        for name in ("Asha Rao", "Bilal Khan"):
            hp.check(role="checkbox", name="Shortlist " + name)
            self.message(hp, name + " is shortlisted.")
            hp.wait(sel="#registrations tr", text=name + " <")
            self.assertIn("shortlisted", hp.text(sel="#registrations tr", text=name))
        hp.click(role="button", name="Assign queues for Technical")
        self.message(hp, "Technical: 2 candidates in 2 queues.")
        rows = "#round-%s tbody tr" % round_id
        hp.wait(sel=rows, text="Bilal Khan")
        self.assertIn("Lata Shah", hp.text(sel=rows, text="Bilal Khan"))
        hp.select(label="Interviewer for Bilal Khan", value="Ravi Kumar")
        hp.click(role="button", name="Move Bilal Khan")
        self.message(hp, "Bilal Khan moved.")
        hp.wait(sel=rows, text="no one queued")
        got = [" ".join(r.split()) for r in hp.texts(sel=rows)]
        self.assertTrue(got[0].startswith("Ravi Kumar 1 Asha Rao waiting"), got)
        self.assertTrue(got[1].startswith("Ravi Kumar 2 Bilal Khan waiting"), got)
        self.assertEqual(got[2], "Lata Shah no one queued", got)
        hp.wait(sel="#selected", text="No one selected yet.")

        # The interviewer opens the round's queue.
        ip = self.open("interviewer")
        self.sign_in(ip, iv1["phone"])
        ip.click(role="button", name="Open queue for Platform Engineer, Technical")
        ip.wait(sel="#iv-title", text="Platform Engineer: Technical")
        ip.wait(sel="#live", text="connected")
        ip.wait(sel="#iv-entries tr", text="Bilal Khan")
        self.assertEqual([" ".join(r.split()) for r in ip.texts(sel="#iv-entries tr")],
                         ["1 Asha Rao waiting", "2 Bilal Khan waiting"])
        self.assertFalse(ip.enabled(role="button", name="Complete"))

        # The first candidate sees their place.
        cp = self.open("candidate")
        self.sign_in(cp, asha["phone"])
        cp.wait(sel="#applications li", text="Platform Engineer: interviewing")
        cp.wait(sel="#applications", text="Interview with Ravi Kumar: you are number 1 in line.")

        # Start next: the call reaches the candidate's open page.
        ip.gone(sel="#review", timeout=1)   # no form before an interview is done
        ip.click(role="button", name="Start next")
        self.message(ip, "Called Asha Rao; waiting for them to accept.")
        ip.wait(sel="#iv-now", text="Now: Asha Rao, called, not accepted yet.")
        cp.wait(sel="#applications", text="Ravi Kumar is ready for you now.")
        self.message(cp, "You are called for your interview")
        self.assertFalse(ip.enabled(role="button", name="Start next"))
        # HR's queue view follows each step live.
        hp.wait(sel=rows, text="called")
        self.assertIn("Asha Rao", hp.text(sel=rows, text="called"))

        # The candidate accepts; the interviewer's page hears it.
        cp.click(role="button", name="Accept")
        self.message(cp, "Accepted: your interview starts now.")
        cp.wait(sel="#applications", text="In interview with Ravi Kumar.")
        ip.wait(sel="#iv-now", text="Now: Asha Rao, in interview.")
        self.message(ip, "Asha Rao accepted; the interview is on.")
        hp.wait(sel=rows, text="accepted the call")
        self.assertIn("Asha Rao", hp.text(sel=rows, text="accepted the call"))

        # Complete, then a passing review.
        ip.click(role="button", name="Complete")
        self.message(ip, "Interview complete. Please review it.")
        ip.wait(sel="#review-title", text="Review of Asha Rao")
        ip.select(within="#review", label="Overall rating", value="5")
        ip.select(within="#review", label="Tell us about a hard bug.", value="4")
        ip.fill(within="#review", label="Comments", value="Found the race in minutes.")
        ip.check(within="#review", label="Pass", exact=True)
        ip.click(role="button", name="Submit review")
        self.message(ip, "Review saved: Asha Rao passed; now selected.")
        ip.gone(sel="#review")
        ip.wait(sel="#iv-entries tr", text="Asha Rao")
        self.assertEqual([" ".join(r.split()) for r in ip.texts(sel="#iv-entries tr")],
                         ["Asha Rao done Review", "1 Bilal Khan waiting"])
        self.assertTrue(ip.enabled(role="button", name="Start next"))

        # The candidate's and HR's pages show the outcome without a reload.
        cp.wait(sel="#applications li", text="Platform Engineer: selected")
        self.message(cp, "Your interview was reviewed: you are now selected.")
        hp.wait(sel="#selected li", text="Asha Rao <")
        self.assertEqual(hp.texts(sel="#selected li"), ["Asha Rao <%s>" % asha["user"]["email"]])

        # What the API recorded is what the pages said.
        self.assertEqual(s.sql("SELECT r.result, r.rating, r.comments, g.status FROM reviews r "
                               "JOIN registrations g ON g.id = r.registration_id "
                               "WHERE g.user_id = :'v1'", asha["user"]["id"]),
                         [["pass", "5", "Found the race in minutes.", "selected"]])
        # The live feed kept the raw messages; no page threw.
        self.assertIn('"type":"review"', cp.text(sel="#feed"))
        self.assertIn('"type":"called"', ip.text(sel="#feed"))
        self.assertEqual(self.browser.call("errors"), [])
        sys.stderr.write("interview day in the browser: %.1f s\n" % (time.time() - t0))


if __name__ == "__main__":
    main()
