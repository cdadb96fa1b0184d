"""Two application hosts behind a balancer, as script/cluster runs them:
one PostgreSQL, one Redis carrying nchan's channels, a shared storage
directory, and on each host nginx + the FastCGI pool + the worker.

- an interviewer acting on host A calls a candidate whose socket is on
  host B, and the candidate hears it;
- host A's nginx is killed: its sockets reconnect through the balancer to
  host B, resync over REST and hear what follows;
- the workers of both hosts score an event's resumes, no job runs twice
  and no mail is sent twice;
- a host that cannot reach PostgreSQL says so in /healthz (503 + reason);
- several hosts refuse per-host local storage.
"""
import base64
import collections
import hashlib
import hmac
import json
import os
import re
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

from harness import (BUILD, HERE, SRC, Stack, free_port, main, smtp_messages,
                     start_smtp, wait_for)
from test_storm import handshake
import unittest

sys.path.insert(0, HERE)
import pdfgen  # noqa: E402

EV = "/bulk_hiring/event/v1"


class WS:
    """A WebSocket subscriber on raw sockets (server frames only)."""

    def __init__(self, port, path, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n" % path).encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            self.buf += chunk
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        self.status = int(head.split()[1]) if head else 0

    def _need(self, n, end):
        while len(self.buf) < n:
            left = end - time.time()
            if left <= 0:
                raise TimeoutError
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                raise TimeoutError
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk

    def recv(self, timeout=10):
        """The next text message as JSON; ConnectionError when closed."""
        end = time.time() + timeout
        while True:
            self._need(2, end)
            op, n = self.buf[0] & 0x0F, self.buf[1] & 0x7F
            hl = 2
            if n == 126:
                self._need(4, end)
                n, hl = int.from_bytes(self.buf[2:4], "big"), 4
            elif n == 127:
                self._need(10, end)
                n, hl = int.from_bytes(self.buf[2:10], "big"), 10
            self._need(hl + n, end)
            payload, self.buf = self.buf[hl:hl + n], self.buf[hl + n:]
            if op == 8:
                raise ConnectionError("close frame")
            if op == 9:
                self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
            elif op in (1, 2):
                return json.loads(payload)

    def wait_for(self, kind, timeout=10):
        end = time.time() + timeout
        while True:
            m = self.recv(max(0.1, end - time.time()))
            if m.get("type") == kind:
                return m

    def close(self):
        self.sock.close()


def mint_token(secret, user_id, username, user_type="Interviewee"):
    """An access token as the application signs one."""
    def b64(x):
        return base64.urlsafe_b64encode(x).rstrip(b"=").decode()
    now = int(time.time())
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps({"exp": now + 900, "iat": now, "jti": str(uuid.uuid4()),
                           "token_type": "access", "user_id": user_id,
                           "user_type": user_type, "username": username,
                           "tv": 0}).encode())
    sig = hmac.new(secret.encode(), ("%s.%s" % (head, body)).encode(), hashlib.sha256).digest()
    return "%s.%s.%s" % (head, body, b64(sig))


class Host(Stack):
    """A second host: the first host's PostgreSQL, its own everything else."""

    def __init__(self, first, **kw):
        super().__init__(**kw)
        self.first = first
        self.env["DATABASE_URL"] = first.env["DATABASE_URL"]
        self.pgsock = first.pgsock
        self.pgport = first.pgport

    def start_pg(self):
        pass

    def pg_stop(self, mode="fast"):
        pass


def nginx_pids(stack):
    """The master of a stack's nginx and its workers (ours: we started it)."""
    with open(os.path.join(stack.run, "nginx.pid")) as f:
        master = int(f.read())
    kids = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)],
                          capture_output=True, text=True).stdout.split()
    return [master] + [int(k) for k in kids]


class Cluster:
    def __init__(self, extra=None):
        self.extra = extra or {}
        self.tmp = tempfile.mkdtemp(prefix="connectify-hosts-")
        os.chmod(self.tmp, 0o755)
        self.shared = os.path.join(self.tmp, "storage")
        os.makedirs(self.shared)
        os.chmod(self.shared, 0o777)
        self.redis_port = free_port()
        self.redis_pass = secrets.token_hex(16)
        self.port = free_port()
        self.secret = secrets.token_hex(32)
        self.redis = None
        self.hosts = []

    def env(self):
        return {"SECRET_KEY": self.secret, "APP_HOSTS": "2", "STORAGE_SHARED": "1",
                "STORAGE_DIR": self.shared,
                "SMS_LOG": os.path.join(self.tmp, "sms.log"),
                "NCHAN_REDIS_URL": "redis://:%s@127.0.0.1:%d" % (self.redis_pass,
                                                                 self.redis_port),
                "TRUSTED_PROXIES": "127.0.0.1",
                "WORKER_CONCURRENCY": "2", "JOB_POLL_MS": "200", "OTP_RATE_IP": "1000",
                **self.extra}

    def start(self):
        try:
            self.start_redis()
            a = Stack(env=self.env(), worker=True, before=start_smtp)
            self.hosts.append(a)
            a.start()
            env = self.env()
            for k in ("MAIL_BACKEND", "SMTP_HOST", "SMTP_PORT", "SMTP_TLS"):
                env[k] = a.env[k]
            b = Host(a, env=env, worker=True)
            b.smtp_dir = a.smtp_dir
            self.hosts.append(b)
            b.start()
            self.start_balancer()
        except Exception:
            self.stop()
            raise
        return self

    def start_redis(self):
        d = os.path.join(self.tmp, "redis")
        os.makedirs(d)
        conf = os.path.join(d, "redis.conf")
        with open(conf, "w") as f:
            os.fchmod(f.fileno(), 0o600)
            f.write("bind 127.0.0.1\nport %d\nrequirepass %s\nsave \"\"\nappendonly no\n"
                    "dir %s\n" % (self.redis_port, self.redis_pass, d))
        self.redis_log = open(os.path.join(d, "redis.log"), "ab")
        self.redis = subprocess.Popen(["redis-server", conf], stdout=self.redis_log,
                                      stderr=subprocess.STDOUT, start_new_session=True)

        def up():
            with socket.create_connection(("127.0.0.1", self.redis_port), 1) as s:
                s.sendall(b"AUTH %s\r\nPING\r\n" % self.redis_pass.encode())
                time.sleep(0.05)
                return b"PONG" in s.recv(100)
        wait_for(up, 10, "redis")

    def start_balancer(self):
        env = dict(os.environ, VAR_DIR=self.tmp, PORT=str(self.port), BIND="127.0.0.1",
                   NGINX_WORKERS="2")
        conf = os.path.join(self.tmp, "balancer.conf")
        subprocess.run([os.path.join(SRC, "script", "render-balancer"),
                        os.path.join(SRC, "nginx", "balancer.conf.in"), conf] +
                       ["127.0.0.1:%d" % h.port for h in self.hosts], env=env, check=True)
        subprocess.run(["nginx", "-p", os.path.join(self.tmp, "balancer"), "-c", conf,
                        "-e", os.path.join(self.tmp, "log", "balancer-error.log")], check=True)
        wait_for(lambda: os.path.exists(os.path.join(self.tmp, "run", "balancer.pid")),
                 what="balancer")

    def balance(self, drained=None):
        """Configure the balancer again (a reload), host `drained` marked
        down: it gets no new request, its requests in hand finish."""
        env = dict(os.environ, VAR_DIR=self.tmp, PORT=str(self.port), BIND="127.0.0.1",
                   NGINX_WORKERS="2")
        conf = os.path.join(self.tmp, "balancer.conf")
        subprocess.run([os.path.join(SRC, "script", "render-balancer"),
                        os.path.join(SRC, "nginx", "balancer.conf.in"), conf] +
                       ["127.0.0.1:%d%s" % (h.port, "/down" if h is drained else "")
                        for h in self.hosts], env=env, check=True)
        with open(os.path.join(self.tmp, "run", "balancer.pid")) as f:
            os.kill(int(f.read()), signal.SIGHUP)

    def stop(self):
        pidf = os.path.join(self.tmp, "run", "balancer.pid")
        if os.path.exists(pidf):
            with open(pidf) as f:
                os.kill(int(f.read()), signal.SIGTERM)
            wait_for(lambda: not os.path.exists(pidf), 10, "balancer exit")
        for h in reversed(self.hosts):
            h.stop()
        if self.redis is not None:
            self.redis.terminate()
            self.redis.wait(10)
            self.redis_log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


class Hosts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.c = Cluster().start()
        cls.a, cls.b = cls.c.hosts
        cls.lb = Stack.__new__(Stack)     # only its http(): the balancer
        cls.lb.base = "http://127.0.0.1:%d" % cls.c.port
        cls.hr = cls.a.make_user("Hr")

    @classmethod
    def tearDownClass(cls):
        cls.c.stop()

    def crowd(self, n, tag):
        """A new interviewer's round with n candidates waiting (made in
        SQL): (interviewer tokens, round id, [(user id, username)])."""
        iv = self.a.make_user("Interviewer")
        r = self.a.http("POST", EV + "/event/",
                        {"title": "Hosts " + tag, "department": "Ops", "status": "Active",
                         "skills": {"required": ["C"], "preferred": []},
                         "rounds": [{"name": "One", "interviewers": [iv["user"]["id"]],
                                     "questions": ["Why?"]}]}, token=self.hr["access_token"])
        self.assertEqual(r.status, 201, r)
        ev, rnd = r.json["event_id"], r.json["rounds"][0]["round_id"]
        rows = self.a.sql("""
            WITH u AS (
              INSERT INTO users (name, username, email, phone_number, user_type)
              SELECT 'Host ' || i, 'host_candidate_' || :'v4' || '_' || i,
                     'hostc' || :'v4' || i || '@example.com',
                     '+916' || :'v4' || lpad(i::text, 6, '0'), 'Interviewee'
              FROM generate_series(1, :'v5'::int) i RETURNING id, username),
            g AS (
              INSERT INTO registrations (event_id, user_id, status, shortlisted,
                                         current_round_id)
              SELECT :'v1', id, 'shortlisted', true, :'v2' FROM u RETURNING id, user_id),
            q AS (
              INSERT INTO interview_queue (round_id, registration_id, interviewer_id, position)
              SELECT :'v2', g.id, :'v3', row_number() OVER (ORDER BY g.id) FROM g
              RETURNING id)
            SELECT u.id, u.username FROM u ORDER BY u.id""", ev, rnd, iv["user"]["id"], tag, n)
        return iv, rnd, [(int(u), name) for u, name in rows]

    def room_path(self, rnd, uid, name):
        return "/ws/connectify_bulk_hiring/%d/%s/?token=%s" % (
            rnd, name, mint_token(self.c.secret, uid, name))

    def start_next(self, stack, iv, rnd):
        r = stack.http("POST", EV + "/interview-action/",
                       {"action": "start_next", "session_id": rnd}, token=iv["access_token"])
        self.assertEqual(r.status, 200, r)
        return r

    def test_1_call_from_host_a_reaches_socket_on_host_b(self):
        for acts, holds, tag in ((self.a, self.b, "11"), (self.b, self.a, "12")):
            iv, rnd, rows = self.crowd(1, tag)
            uid, name = rows[0]
            ws = WS(holds.port, self.room_path(rnd, uid, name))
            try:
                self.assertEqual(ws.status, 101)
                self.start_next(acts, iv, rnd)
                ws.wait_for("called", 10)
            finally:
                ws.close()
        for h in (self.a, self.b):
            self.assertEqual(h.nginx_crashes(), [])

    def test_2_workers_on_both_hosts_run_each_job_once(self):
        n = 100
        resumes, emails = [], set()
        for i in range(n):
            pdf, exp = pdfgen.resume(9000 + i, 1 + i % 2)
            emails.add(exp["email"])
            resumes.append({"file_name": "h%03d.pdf" % i,
                            "content_base64": base64.b64encode(pdf).decode()})
        iv = self.a.make_user("Interviewer")
        r = self.lb.http("POST", EV + "/event/",
                         {"title": "Both hosts", "department": "Engineering",
                          "description": "C and PostgreSQL on Linux.",
                          "skills": {"required": ["C", "PostgreSQL"], "preferred": []},
                          "status": "Active",
                          "rounds": [{"name": "Technical", "interviewers": [iv["user"]["id"]]}],
                          "resumes": resumes}, token=self.hr["access_token"], timeout=60)
        self.assertEqual(r.status, 201, r)
        ev = r.json["event_id"]
        wait_for(lambda: self.a.sql(
            "SELECT count(*) FROM resume_tracks WHERE event_id = :'v1' AND status = 'scored'",
            ev) == [[str(n)]], 60, "every resume scored")
        wait_for(lambda: self.a.sql(
            "SELECT count(*) FROM jobs WHERE state IN ('available', 'running')") == [["0"]],
            60, "jobs settle")
        wait_for(lambda: len([m for m in smtp_messages(self.a)
                              if m[0]["rcpt_tos"][0] in emails]) >= n, 30, "mail")
        # No job ran twice: each was claimed once.
        twice = self.a.sql("SELECT id, kind, attempt FROM jobs WHERE attempt <> 1 "
                           "AND kind IN ('resume', 'mail')")
        self.assertEqual(twice, [])
        per = collections.Counter(m[0]["rcpt_tos"][0] for m in smtp_messages(self.a)
                                  if m[0]["rcpt_tos"][0] in emails)
        self.assertEqual(len(per), n)
        self.assertEqual(max(per.values()), 1)
        # Both hosts' workers took part, and no resume was scored by
        # both (their logs).
        done = [self.scored_jobs(h) for h in (self.a, self.b)]
        self.assertTrue(all(done), [len(d) for d in done])
        self.assertEqual(done[0] & done[1], set())
        self.assertGreaterEqual(len(done[0] | done[1]), n)

    def scored_jobs(self, stack):
        """Ids of the jobs this host's worker scored a resume in."""
        with open(os.path.join(stack.log, "worker.log"), errors="replace") as f:
            return {int(m.group(1)) for m in
                    (re.search(r"\[job-(\d+)\] track \d+ scored", line) for line in f) if m}

    def test_3_healthz_names_why_a_host_has_no_database(self):
        self.assertEqual(self.b.http("GET", "/healthz").status, 200)
        # Every connection of host B's pool is cut and refused: host B
        # reports it, host A (same database, other connections) too.
        admin = self.a.admin_url()
        subprocess.run(["psql", admin, "-Xqc",
                        "ALTER DATABASE connectify ALLOW_CONNECTIONS false"], check=True)
        try:
            subprocess.run(["psql", admin, "-Xqc",
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = 'connectify'"], check=True,
                           stdout=subprocess.DEVNULL)
            r = self.b.http("GET", "/healthz")
            self.assertEqual(r.status, 503, r)
            self.assertEqual(r.json["database"], "unavailable")
            self.assertEqual(r.json["reason"], "not_accepting", r)
        finally:
            subprocess.run(["psql", self.a.admin_url(), "-Xqc",
                            "ALTER DATABASE connectify ALLOW_CONNECTIONS true"], check=True)
        wait_for(lambda: self.b.http("GET", "/healthz").status == 200, 10, "B healthy")

    def test_4_killed_host_clients_reconnect_to_the_other(self):
        iv, rnd, rows = self.crowd(12, "44")
        socks = []
        try:
            for uid, name in rows:
                ws = WS(self.c.port, self.room_path(rnd, uid, name))
                self.assertEqual(ws.status, 101)
                socks.append(ws)
            # Host A's nginx dies (master and workers, at once).
            for pid in nginx_pids(self.a):
                os.kill(pid, signal.SIGKILL)
            os.unlink(os.path.join(self.a.run, "nginx.pid"))
            cut = []
            for i, ws in enumerate(socks):
                try:
                    ws.recv(0.5)
                except ConnectionError:
                    cut.append(i)
                except TimeoutError:
                    pass
            self.assertTrue(cut, "no socket was on host A")
            self.assertLess(len(cut), len(socks), "no socket was on host B")
            # Their clients reconnect through the balancer (host B now)
            # and resync over REST.
            for i in cut:
                uid, name = rows[i]
                socks[i].close()
                socks[i] = WS(self.c.port, self.room_path(rnd, uid, name))
                self.assertEqual(socks[i].status, 101)
                tok = mint_token(self.c.secret, uid, name)
                r = self.lb.http("GET", EV + "/user-event-data/", token=tok)
                self.assertEqual(r.status, 200, r)
            # What follows reaches every one of them.
            self.start_next(self.lb, iv, rnd)
            for ws in socks:
                ws.wait_for("called", 10)
        finally:
            for ws in socks:
                ws.close()
            # What the killed nginx left: its publisher's socket.
            pub = self.a.env["NCHAN_PUB_SOCKET"]
            if os.path.exists(pub):
                os.unlink(pub)
            self.a.start_nginx()
        self.assertEqual(self.b.nginx_crashes(), [])


    def test_5_rolling_restart_loses_no_request(self):
        """Each host in turn: drained at the balancer, restarted (nginx,
        pool, worker), taken back; meanwhile the balancer answers every
        request (script/cluster restart does the same)."""
        import threading
        tok = self.hr["access_token"]
        stop = threading.Event()
        seen = collections.Counter()

        def load():
            while not stop.is_set():
                seen[self.lb.http("GET", "/healthz", timeout=10).status] += 1
                seen[self.lb.http("POST", EV + "/ws-ticket/", token=tok, timeout=10).status] += 1
                seen[self.lb.http("GET", EV + "/skills/", token=tok, timeout=10).status] += 1
        threads = [threading.Thread(target=load) for _ in range(3)]
        for t in threads:
            t.start()
        try:
            for h in (self.a, self.b):
                self.c.balance(drained=h)
                time.sleep(1)
                with open(os.path.join(h.run, "nginx.pid")) as f:
                    os.kill(int(f.read()), signal.SIGQUIT)
                wait_for(lambda: not os.path.exists(os.path.join(h.run, "nginx.pid")), 10,
                         "nginx stopped")
                h.stop_proc("fcgi")
                h.stop_proc("worker")
                h.start_fcgi()
                h.start_worker()
                h.start_nginx()
                wait_for(lambda: h.http("GET", "/healthz").status == 200, 20, "host back")
                self.c.balance()
                time.sleep(1)
        finally:
            stop.set()
            for t in threads:
                t.join()
        self.assertGreater(sum(seen.values()), 30, seen)
        self.assertEqual(set(seen), {200}, seen)


    def test_6_redis_outage(self):
        """Redis out of reach: nchan answers publishes and handshakes 503
        (with our Retry-After); back, delivery resumes on both hosts."""
        rows = self.a.sql("INSERT INTO users (name, username, email, phone_number, user_type) "
                          "VALUES ('R', 'redis_outage_1', 'ro1@example.com', '+914000000009', "
                          "'Interviewee') RETURNING id, username")
        uid, name = int(rows[0][0]), rows[0][1]
        path = "/ws/user/%s/?token=%s" % (name, mint_token(self.c.secret, uid, name))
        self.c.redis.terminate()
        self.c.redis.wait(10)
        wait_for(lambda: self.a.publish("user_" + name, {"n": 0}) == 503, 10, "publish 503")
        ws = WS(self.b.port, path)
        ws.close()
        self.assertEqual(ws.status, 503)
        st, hdrs, _ = handshake(self.b.port, path)
        self.assertEqual(st, 503)
        self.assertIn(int(hdrs.get("retry-after", "0")), (1, 2, 3, 4), hdrs)
        self.c.redis = subprocess.Popen(["redis-server", os.path.join(self.c.tmp, "redis",
                                                                      "redis.conf")],
                                        stdout=self.c.redis_log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        # Back: nchan 1.3.6 reconnects, but a host's workers may stay
        # deaf to Redis (nchan #371, #442: here the publishing host's own
        # sockets heard nothing for 40 s while the other host's did); a
        # reload of every host's nginx brings them back.
        wait_for(lambda: self.a.publish("user_" + name, {"n": 0}) in (201, 202), 20,
                 "publisher back")
        for h in (self.a, self.b):
            with open(os.path.join(h.run, "nginx.pid")) as f:
                os.kill(int(f.read()), signal.SIGHUP)

        def heard(host):
            ws = WS(host.port, path, timeout=5)
            try:
                if ws.status != 101:
                    return False
                time.sleep(0.3)
                self.a.publish("user_" + name, {"n": 1})
                return ws.recv(2) == {"n": 1}
            except (TimeoutError, ConnectionError):
                return False
            finally:
                ws.close()
        for h in (self.a, self.b):
            # Several sockets: each lands on any of the host's workers.
            for _ in range(4):
                wait_for(lambda: heard(h), 20, "delivery after Redis came back")
        for h in (self.a, self.b):
            self.assertEqual(h.nginx_crashes(), [])


class StorageRefused(unittest.TestCase):
    def test_local_storage_per_host_refused(self):
        env = dict(os.environ, APP_HOSTS="2", STORAGE_BACKEND="local",
                   SECRET_KEY=secrets.token_hex(32))
        env.pop("STORAGE_SHARED", None)
        out = subprocess.run([os.path.join(BUILD, "fcgi", "connectify-fcgi"), "-n", "1",
                              "-s", os.path.join(tempfile.gettempdir(), "never.sock")],
                             env=env, capture_output=True, text=True, timeout=10)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("STORAGE_SHARED", out.stderr)


if __name__ == "__main__":
    main()
