"""Integration test harness: starts a private PostgreSQL cluster, the
FastCGI pool, the worker, nginx with nchan and any fakes on free ports in a
temporary directory, and stops every process it started.

Suites import it:

    from harness import Stack, TestCase
    class T(TestCase):
        def test_x(self):
            st, hdr, body = self.stack.http("GET", "/healthz")

Paths come from CONNECTIFY_SRCDIR / CONNECTIFY_BUILDDIR (set by make check),
defaulting to the repository this file lives in and its build/ directory.
"""
import glob
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("CONNECTIFY_SRCDIR") or os.path.dirname(HERE)
BUILD = (os.environ.get("CONNECTIFY_BUILDDIR")
         or (os.path.join(SRC, "build") if os.path.isdir(os.path.join(SRC, "build", "fcgi")) else SRC))
IS_ROOT = os.geteuid() == 0
VALGRIND = os.environ.get("CONNECTIFY_VALGRIND") == "1"
# script/test --asan: the programs' sanitizer reports go to files in the
# stack's log directory, and any report fails the suite.
SANITIZE = os.environ.get("CONNECTIFY_SANITIZE") == "1"


# Ports handed out by free_port() are taken below the kernel's ephemeral
# range (so no outgoing connection can hold one) and each is reserved for
# the life of this process by an flock on a file named for it, so suites
# running side by side never pick the same port between our check and the
# server's bind().
_PORT_DIR = os.path.join(tempfile.gettempdir(), "connectify-ports")
_PORT_LOCKS = []


def free_port():
    import fcntl
    import random
    os.makedirs(_PORT_DIR, mode=0o1777, exist_ok=True)
    rnd = random.Random(os.getpid() ^ int(time.time() * 1000))
    for _ in range(2000):
        port = rnd.randrange(20000, 32000)
        try:
            fd = os.open(os.path.join(_PORT_DIR, str(port)),
                         os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                os.close(fd)
                continue
        _PORT_LOCKS.append(fd)
        return port
    raise RuntimeError("no free port")


def pg_bin(name):
    cands = sorted(glob.glob("/usr/lib/postgresql/*/bin/" + name))
    if not cands:
        raise RuntimeError("PostgreSQL server binaries not found")
    return cands[-1]


def wait_for(pred, timeout=20.0, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if pred():
                return
        except Exception:
            pass
        time.sleep(0.05)
    raise RuntimeError("timed out waiting for " + what)


class Response:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        try:
            self.json = json.loads(raw) if raw else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return "<%d %r>" % (self.status, self.raw[:300])


class Stack:
    """One private platform.  env: extra configuration for the app."""

    def __init__(self, env=None, fcgi_workers=2, worker=False, nginx=True, before=None,
                 sql_dir=None):
        self.sql_dir = sql_dir or os.path.join(SRC, "sql")  # the migrations applied
        self.tmp = tempfile.mkdtemp(prefix="connectify-t-")
        os.chmod(self.tmp, 0o755)
        self.procs = {}
        self.files = []
        self.port = free_port()
        self.ws_hook_port = free_port()
        self.pgport = free_port()
        self.run = os.path.join(self.tmp, "run")
        # PostgreSQL's own socket directory: 0700, its user's; the
        # cluster admits only our account (peer), and no TCP.
        self.pgsock = os.path.join(self.tmp, "pg-socket")
        self.log = os.path.join(self.tmp, "log")
        for d in (self.run, self.log, os.path.join(self.tmp, "storage"),
                  os.path.join(self.tmp, "mail")):
            os.makedirs(d)
            os.chmod(d, 0o777)
        self.fcgi_workers = fcgi_workers
        self.want_worker = worker
        self.want_nginx = nginx
        self.before = before    # called with the stack before the app starts
        self.env = dict(os.environ)
        self.env.update({
            "CONNECTIFY_ENV": "development",
            "SECRET_KEY": secrets.token_hex(32),
            "LOG_LEVEL": "debug",
            "DATABASE_URL": "postgresql:///connectify?host=%s&port=%d&user=postgres"
                            % (self.pgsock, self.pgport),
            "FCGI_SOCKET": os.path.join(self.run, "fcgi.sock"),
            # nginx's workers run as nobody:nogroup under a root master.
            "FCGI_SOCKET_GROUP": "nogroup" if IS_ROOT else "",
            "NCHAN_PUB_SOCKET": os.path.join(self.run, "nchan", "pub.sock"),
            "SMS_BACKEND": "log",
            "SMS_LOG": os.path.join(self.log, "sms.log"),
            "STORAGE_DIR": os.path.join(self.tmp, "storage"),
            "MAIL_DIR": os.path.join(self.tmp, "mail"),
            "TEMPLATE_DIR": os.path.join(SRC, "templates"),
            "SKILLS_FILE": os.path.join(SRC, "data", "skills.tsv"),
            "FRONTEND_URL": "http://localhost:%d" % self.port,
            "PUBLIC_URL": "http://127.0.0.1:%d" % self.port,
            # Suites sign up many accounts from one address; the signup
            # limit has its own test (test_access.py).
            "SIGNUP_RATE_IP": "100000",
            "FCGI_WORKERS": str(fcgi_workers),
        })
        if VALGRIND:
            # Under valgrind the PDF parser child (OCR above all) runs tens
            # of times slower: its limits and the lease grow to match.
            self.env.update({"PDF_CPU_SECONDS": "300", "PDF_WALL_MS": "600000",
                             "JOB_LEASE_S": "900"})
        self.env.update(env or {})
        self.base = "http://127.0.0.1:%d" % self.port

    # --- PostgreSQL ---------------------------------------------------------
    def _as_pg(self, argv):
        if IS_ROOT:
            return ["runuser", "-u", "postgres", "--"] + argv
        return argv

    def start_pg(self):
        data = os.path.join(self.tmp, "pg")
        for d in (data, self.pgsock):
            os.makedirs(d, mode=0o700)
            if IS_ROOT:
                shutil.chown(d, "postgres")
        subprocess.run(self._as_pg([pg_bin("initdb"), "-D", data, "-U", "postgres",
                                    "--auth-local=peer", "--auth-host=scram-sha-256",
                                    "-E", "UTF8", "--no-sync", "--no-instructions"]),
                       check=True, stdout=subprocess.DEVNULL)
        # Peer authentication maps our account to the superuser.
        me = pwd.getpwuid(os.geteuid()).pw_name
        for name, text in (("pg_hba.conf", "local all all peer map=connectify\n"),
                           ("pg_ident.conf", "connectify %s postgres\n" % me)):
            subprocess.run(self._as_pg(["sh", "-c", 'cat > "$1"', "sh",
                                        os.path.join(data, name)]),
                           input=text.encode(), check=True)
        self.pg_start()
        subprocess.run(["psql", self.admin_url(), "-Xqc", "CREATE DATABASE connectify"],
                       check=True)
        subprocess.run([os.path.join(SRC, "script", "migrate"), self.sql_dir],
                       env=self.env, check=True, stdout=subprocess.DEVNULL)

    def admin_url(self):
        return "postgresql:///postgres?host=%s&port=%d&user=postgres" % (self.pgsock, self.pgport)

    def pg_start(self):
        data = os.path.join(self.tmp, "pg")
        subprocess.run(self._as_pg([pg_bin("pg_ctl"), "-D", data, "-w", "-l",
                                    os.path.join(self.log, "postgresql.log"), "-o",
                                    "-p %d -k %s -c listen_addresses='' -c fsync=off "
                                    "-c unix_socket_permissions=0700 "
                                    "-c max_connections=200"
                                    % (self.pgport, self.pgsock), "start"]),
                       check=True, stdout=subprocess.DEVNULL)

    def pg_stop(self, mode="fast"):
        data = os.path.join(self.tmp, "pg")
        subprocess.run(self._as_pg([pg_bin("pg_ctl"), "-D", data, "-m", mode, "-w", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def sql(self, query, *args):
        """Run SQL (psql variables :'v1'...) and return rows as lists."""
        cmd = ["psql", self.env["DATABASE_URL"], "-XAtq", "-F", "\t", "-v", "ON_ERROR_STOP=1"]
        for i, a in enumerate(args):
            cmd += ["-v", "v%d=%s" % (i + 1, a)]
        out = subprocess.run(cmd, input=query, capture_output=True, text=True, check=True)
        return [line.split("\t") for line in out.stdout.splitlines() if line]

    # --- processes ------------------------------------------------------------
    def spawn(self, name, argv, env=None):
        logf = open(os.path.join(self.log, name + ".log"), "ab")
        self.files.append(logf)
        if VALGRIND and name in ("fcgi", "worker"):
            argv = ["valgrind", "-q", "--trace-children=yes", "--leak-check=no",
                    "--error-exitcode=99",
                    "--log-file=%s/%s.valgrind.%%p" % (self.log, name)] + argv
        env = dict(env or self.env)
        if SANITIZE and name in ("fcgi", "worker"):
            for var, what in (("ASAN_OPTIONS", "asan"), ("UBSAN_OPTIONS", "ubsan")):
                opts = [o for o in env.get(var, "").split(":") if o]
                opts.append("log_path=%s/%s.%s" % (self.log, name, what))
                env[var] = ":".join(opts)
        p = subprocess.Popen(argv, stdout=logf, stderr=subprocess.STDOUT,
                             env=env, start_new_session=True)
        self.procs[name] = p
        return p

    def start_fake(self, name, argv):
        """Start a fake/server that prints "PORT <n>" and return the port."""
        err = open(os.path.join(self.log, name + ".log"), "ab")
        self.files.append(err)
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, env=self.env,
                             start_new_session=True, text=True)
        self.procs[name] = p
        line = p.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError("%s did not start: %r" % (name, line))
        return int(line.split()[1])

    def start_fcgi(self):
        self.spawn("fcgi", [os.path.join(BUILD, "fcgi", "connectify-fcgi"),
                            "-n", str(self.fcgi_workers)])
        wait_for(lambda: os.path.exists(self.env["FCGI_SOCKET"]), what="fcgi socket")

    def start_worker(self):
        self.spawn("worker", [os.path.join(BUILD, "worker", "connectify-worker")])

    def render_nginx(self, **extra):
        """Write nginx.conf from the template; extra: settings that differ
        from the stack's (FCGI_SOCKET=...). Returns its path."""
        env = dict(self.env)
        env.update({"VAR_DIR": self.tmp, "PORT": str(self.port), "BIND": "127.0.0.1",
                    "WS_HOOK_PORT": str(self.ws_hook_port),
                    "WWW_DIR": os.path.join(SRC, "nginx", "www"), "NGINX_WORKERS": "2"})
        env.update(extra)
        conf = os.path.join(self.tmp, "nginx.conf")
        subprocess.run([os.path.join(SRC, "script", "render-nginx"),
                        os.path.join(SRC, "nginx", "connectify.conf.in"), conf],
                       env=env, check=True)
        return conf

    def reload_nginx(self, **extra):
        """nginx's graceful reload onto a configuration rendered anew."""
        conf = self.render_nginx(**extra)
        subprocess.run(["nginx", "-p", os.path.join(self.tmp, "nginx"), "-c", conf,
                        "-e", os.path.join(self.log, "nginx-error.log"), "-s", "reload"],
                       check=True)

    def start_nginx(self):
        conf = self.render_nginx()
        os.makedirs(os.path.join(self.tmp, "nginx"), exist_ok=True)
        subprocess.run(["nginx", "-p", os.path.join(self.tmp, "nginx"), "-c", conf,
                        "-e", os.path.join(self.log, "nginx-error.log")], check=True)
        wait_for(lambda: os.path.exists(os.path.join(self.run, "nginx.pid")), what="nginx")

    def start(self):
        try:
            self.start_pg()
            if self.before:
                self.before(self)
            self.start_fcgi()
            if self.want_worker:
                self.start_worker()
            if self.want_nginx:
                self.start_nginx()
                wait_for(lambda: self.http("GET", "/healthz").status == 200,
                         what="healthz through nginx")
        except Exception:
            self.dump_logs()
            self.stop()
            raise
        return self

    def stop_proc(self, name, sig=signal.SIGTERM, timeout=35):
        p = self.procs.pop(name, None)
        if p is None or p.poll() is not None:
            return None
        p.send_signal(sig)
        try:
            return p.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            return p.wait()
        finally:
            if p.stdout is not None:
                p.stdout.close()

    def stop(self):
        pidf = os.path.join(self.run, "nginx.pid")
        if os.path.exists(pidf):
            try:
                with open(pidf) as fh:
                    pid = int(fh.read())
                os.kill(pid, signal.SIGTERM)
                wait_for(lambda: not os.path.exists(pidf), 10, "nginx exit")
            except Exception:
                pass
        for name in list(self.procs):
            self.stop_proc(name)
        self.pg_stop("immediate")
        for f in self.files:
            f.close()
        if VALGRIND:
            self.check_valgrind()
        if SANITIZE:
            self.check_sanitizers()
        if os.environ.get("CONNECTIFY_KEEP_TMP") != "1":
            shutil.rmtree(self.tmp, ignore_errors=True)

    # A PDF parser child killed at its CPU or wall-clock limit (by design:
    # the PDF bomb tests) is a notice, not an error of ours.
    LIMIT_KILL = re.compile(r"Process terminating with default action of signal "
                            r"(24 \(SIGXCPU\)|9 \(SIGKILL\))")

    def check_valgrind(self):
        bad = []
        for f in glob.glob(os.path.join(self.log, "*.valgrind.*")):
            with open(f, errors="replace") as fh:
                text = fh.read().strip()
            heads = [ln for ln in text.splitlines()
                     if re.match(r"==\d+== \S", ln) and not re.match(r"==\d+==\s+(at|by) ", ln)]
            if heads and all(self.LIMIT_KILL.search(h) for h in heads):
                continue
            if text:
                bad.append(f + ":\n" + text[:4000])
        if bad:
            sys.stderr.write("\n".join(bad) + "\n")
            raise AssertionError("valgrind reported errors")

    def check_sanitizers(self):
        bad = []
        for f in glob.glob(os.path.join(self.log, "*.asan.*")) + \
                glob.glob(os.path.join(self.log, "*.ubsan.*")):
            with open(f, errors="replace") as fh:
                text = fh.read().strip()
            if text:
                bad.append(f + ":\n" + text[:6000])
        if bad:
            sys.stderr.write("\n".join(bad) + "\n")
            raise AssertionError("the sanitizers reported errors")

    def dump_logs(self):
        for f in sorted(glob.glob(os.path.join(self.log, "*.log"))):
            try:
                with open(f, errors="replace") as fh:
                    text = fh.read()
            except OSError:
                continue
            sys.stderr.write("==> %s (tail) <==\n%s\n" % (os.path.basename(f), text[-3000:]))

    # --- clients ----------------------------------------------------------------
    def http(self, method, path, body=None, token=None, headers=None, raw=None,
             timeout=30):
        data = None
        hdrs = dict(headers or {})
        if body is not None:
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        elif raw is not None:
            data = raw if isinstance(raw, bytes) else raw.encode()
        if token:
            hdrs["Authorization"] = "Bearer " + token
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return Response(r.status, r.headers, r.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read().decode("utf-8", "replace"))

    def publish(self, channel, message):
        """POST to nchan's publisher over its unix socket."""
        out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                              "--unix-socket", self.env["NCHAN_PUB_SOCKET"],
                              "-H", "Content-Type: application/json",
                              "--data-binary", json.dumps(message),
                              "http://nchan/pub/" + channel],
                             capture_output=True, text=True, check=True)
        return int(out.stdout)

    def channel_status(self, channel):
        """The publisher's GET of a channel: 200 when it holds messages, 404
        when nothing was ever published to it."""
        out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                              "--unix-socket", self.env["NCHAN_PUB_SOCKET"],
                              "-H", "Accept: text/json", "http://nchan/pub/" + channel],
                             capture_output=True, text=True, check=True)
        return int(out.stdout)

    def nginx_crashes(self):
        """Lines of nginx's error log telling of a worker that died."""
        path = os.path.join(self.log, "nginx-error.log")
        if not os.path.exists(path):
            return []
        with open(path, errors="replace") as f:
            return [line for line in f if "exited on signal" in line or "signal 11" in line
                    or "signal 6" in line or "Assertion" in line]

    # --- accounts -------------------------------------------------------------------
    def last_otp(self, phone):
        path = self.env["SMS_LOG"]
        code = None
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    parts = line.rstrip("\n").split("\t")
                    if len(parts) >= 3 and parts[1] == phone:
                        for word in parts[2].replace(".", " ").split():
                            if len(word) == 6 and word.isdigit():
                                code = word
        return code

    def login(self, phone):
        r = self.http("POST", "/bulk_hiring/user_data/v1/login/send-otp/",
                      {"phone_number": phone})
        assert r.status == 200, r
        code = self.last_otp(phone)
        assert code, "no OTP in the SMS log"
        r = self.http("POST", "/bulk_hiring/user_data/v1/login/verify-otp/",
                      {"phone_number": phone, "otp": code})
        assert r.status == 200, r
        return r.json

    _seq = 0

    def make_user(self, user_type="Interviewee", name=None, token=None):
        """Sign up a user with a fresh phone/email and log in; returns tokens."""
        Stack._seq += 1
        n = Stack._seq
        phone = "+9198%08d" % (os.getpid() % 1000 * 10000 + n)
        body = {"name": name or "%s %d" % (user_type, n), "phone_number": phone,
                "email": "user%d.%d@example.com" % (os.getpid(), n), "user_type": user_type}
        r = self.http("POST", "/bulk_hiring/user_data/v1/signup/", body, token=token)
        assert r.status == 201, r
        t = self.login(phone)
        t["phone"] = phone
        return t

    def make_admin(self):
        """An HR account that is the organisation admin (as --create-hr
        makes it), signed in after the flag was set."""
        t = self.make_user("Hr", name="Admin")
        self.sql("UPDATE users SET is_admin = true WHERE id = :'v1'", t["user"]["id"])
        phone = t["phone"]
        t = self.login(phone)
        t["phone"] = phone
        return t


def start_twilio(stack):
    """A fake Twilio; configures the stack to use it (SMS and TURN)."""
    log = os.path.join(stack.log, "twilio-requests.jsonl")
    port = stack.start_fake("twilio", ["/usr/bin/python3", os.path.join(HERE, "fakes", "twilio.py"),
                                       "--sid", "AC0123456789abcdef0123456789abcdef",
                                       "--token", "tw-auth-token", "--key", "SKtestkey",
                                       "--secret", "tw-key-secret", "--log", log])
    stack.twilio_log = log
    stack.twilio_url = "http://127.0.0.1:%d" % port
    stack.env.update({"TWILIO_BASE_URL": stack.twilio_url,
                      "TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef",
                      "TWILIO_AUTH_TOKEN": "tw-auth-token", "TWILIO_API_KEY": "SKtestkey",
                      "TWILIO_API_SECRET": "tw-key-secret"})


def start_smtp(stack):
    """A real SMTP server keeping every message; the app sends to it."""
    d = os.path.join(stack.tmp, "smtp")
    port = stack.start_fake("smtp", ["/usr/bin/python3", os.path.join(HERE, "fakes", "smtp_sink.py"),
                                     "--dir", d])
    stack.smtp_dir = d
    stack.env.update({"MAIL_BACKEND": "smtp", "SMTP_HOST": "127.0.0.1",
                      "SMTP_PORT": str(port), "SMTP_TLS": "none"})


def start_s3(stack, secret="s3-test-secret-key-0123456789"):
    """An S3-compatible server checking SigV4; the app stores resumes in it.
    secret is what the app is given (a wrong one must be refused)."""
    d = os.path.join(stack.tmp, "s3")
    port = stack.start_fake("s3", ["/usr/bin/python3", os.path.join(HERE, "fakes", "s3server.py"),
                                   "--dir", d, "--access-key", "CONNECTIFYTESTKEY",
                                   "--secret-key", "s3-test-secret-key-0123456789"])
    stack.s3_dir = d
    stack.env.update({"STORAGE_BACKEND": "s3", "AWS_S3_ENDPOINT": "http://127.0.0.1:%d" % port,
                      "AWS_REGION": "ap-south-1", "AWS_S3_BUCKET_NAME": "resumes-test",
                      "AWS_ACCESS_KEY_ID": "CONNECTIFYTESTKEY",
                      "AWS_SECRET_ACCESS_KEY": secret})


def smtp_messages(stack):
    """[(envelope, email.message.Message, raw bytes)] in arrival order."""
    import email
    import email.policy
    out = []
    if not os.path.isdir(stack.smtp_dir):
        return out
    for f in sorted(x for x in os.listdir(stack.smtp_dir) if x.endswith(".eml")):
        with open(os.path.join(stack.smtp_dir, f), "rb") as fh:
            raw = fh.read()
        with open(os.path.join(stack.smtp_dir, f[:-4] + ".json")) as fh:
            env = json.load(fh)
        out.append((env, email.message_from_bytes(raw, policy=email.policy.default), raw))
    return out


def twilio_requests(stack):
    if not os.path.exists(stack.twilio_log):
        return []
    with open(stack.twilio_log) as f:
        return [json.loads(line) for line in f if line.strip()]


def twilio_control(stack, fail, count=1):
    req = urllib.request.Request(stack.twilio_url + "/_control",
                                 data=json.dumps({"fail": fail, "count": count}).encode(),
                                 method="POST")
    urllib.request.urlopen(req, timeout=5).read()


class TestCase(unittest.TestCase):
    """Starts one Stack for the class.  Subclasses set stack_args."""
    stack_args = {}

    @classmethod
    def setUpClass(cls):
        cls.stack = Stack(**cls.stack_args).start()

    @classmethod
    def tearDownClass(cls):
        cls.stack.stop()

    def run(self, result=None):
        res = super().run(result)
        return res

    def assertStatus(self, r, status):
        if r.status != status:
            self.stack.dump_logs()
        self.assertEqual(r.status, status, r)

    def assertError(self, r, status, code=None, field=None):
        self.assertStatus(r, status)
        self.assertIsNotNone(r.json, r)
        self.assertIn("error", r.json)
        if code:
            self.assertEqual(r.json["error"]["code"], code, r)
        if field:
            self.assertIn(field, r.json["error"].get("fields", {}), r)


def main():
    prog = unittest.main(exit=False, verbosity=2)
    res = prog.result
    failed = len(res.failures) + len(res.errors) + len(res.unexpectedSuccesses)
    skipped = len(res.skipped)
    passed = max(0, res.testsRun - failed - skipped)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    if failed:
        sys.exit(1)
    # Automake's 77: the suite is reported SKIP when nothing ran, and
    # script/test refuses a run with a skipped suite.
    sys.exit(77 if skipped and not passed else 0)
