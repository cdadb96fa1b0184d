"""Signed webhooks on the real stack: the admin registers endpoints; the
interview day's real steps (scoring, an interview completed, a candidate
advanced, then selected) reach a test receiver that checks every
signature; failures are retried with backoff and logged with the answer;
redirects are not followed; deliveries replay; private addresses are
refused; a worker killed with SIGKILL mid-run loses and doubles nothing."""
import hashlib
import hmac
import http.server
import json
import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import VALGRIND, TestCase, free_port, main, wait_for  # noqa: E402
import test_interviews  # noqa: E402

EV = "/bulk_hiring/event/v1"
ALL = ["registration.scored", "candidate.advanced", "interview.completed",
       "candidate.selected"]


class Receiver:
    """An HTTP server that records every POST and checks its signature
    with the secret of its path's endpoint.  Paths: /ok/<n>, /flaky/<n>
    (500 twice, then 200), /redirect/<n> (302 to /ok/x), /slow/<n>."""

    def __init__(self):
        self.lock = threading.Lock()
        self.got = []           # (path, headers, body, signature ok)
        self.secrets = {}       # path -> secret
        self.hits = {}
        rec = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(n)
                with rec.lock:
                    ok = rec.check(self.path, self.headers, body)
                    rec.hits[self.path] = rec.hits.get(self.path, 0) + 1
                    hit = rec.hits[self.path]
                kind = self.path.split("/")[1]
                if kind == "slow":
                    time.sleep(0.25)
                if kind == "flaky" and hit <= 2:
                    code, answer = 500, b'{"oops": "try later"}'
                elif kind == "redirect":
                    self.send_response(302)
                    self.send_header("Location", "/ok/redirected")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    rec.add(self.path, self.headers, body, ok)
                    return
                else:
                    code, answer = 200, b"thanks"
                self.send_response(code)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
                rec.add(self.path, self.headers, body, ok)

        self.port = free_port()
        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), H)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def add(self, path, headers, body, ok):
        with self.lock:
            self.got.append((path, dict(headers), body, ok))

    def check(self, path, headers, body):
        secret = self.secrets.get(path)
        sig = headers.get("Connectify-Signature", "")
        parts = dict(p.split("=", 1) for p in sig.split(",") if "=" in p)
        if secret is None or "t" not in parts or "v1" not in parts:
            return False
        want = hmac.new(secret.encode(), parts["t"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
        doc = json.loads(body)
        return (hmac.compare_digest(want, parts["v1"])
                and abs(time.time() - int(parts["t"])) < 300
                and headers.get("Connectify-Delivery") == str(doc["id"])
                and headers.get("Connectify-Event") == doc["event"])

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def at(self, path):
        with self.lock:
            return [g for g in self.got if g[0] == path]


class Webhooks(TestCase):
    stack_args = {"worker": True,
                  "env": {"WEBHOOK_ALLOW_PRIVATE": "1", "JOB_POLL_MS": "200",
                          "JOB_LEASE_S": "3", "WORKER_CONCURRENCY": "3",
                          "OTP_RATE_IP": "10000", "MAIL_BACKEND": "file"}}

    event = test_interviews.Interviews.event
    candidates = test_interviews.Interviews.candidates
    act = test_interviews.Interviews.act
    review = test_interviews.Interviews.review
    mapping = test_interviews.Interviews.mapping

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.stack.make_admin()
        cls.hr = cls.stack.make_user("Hr")
        cls.rx = Receiver()

    @classmethod
    def tearDownClass(cls):
        cls.rx.srv.shutdown()
        super().tearDownClass()

    def register(self, path, events=ALL):
        r = self.stack.http("POST", EV + "/webhooks/", {"url": self.rx.url(path),
                                                       "events": events},
                            token=self.admin["access_token"])
        self.assertStatus(r, 201)
        self.assertTrue(r.json["secret"].startswith("whsec_"))
        self.rx.secrets[path] = r.json["secret"]
        return r.json["id"]

    def deliveries(self, ep):
        r = self.stack.http("GET", EV + "/webhook-deliveries/?endpoint_id=%d&page_size=100" % ep,
                            token=self.admin["access_token"])
        self.assertStatus(r, 200)
        return r.json["results"]

    def fire(self, n, event="candidate.selected"):
        self.stack.sql("SELECT webhook_fire(:'v1', jsonb_build_object('n', g)) "
                       "FROM generate_series(1, :'v2'::int) g", event, n)

    def disable(self, ep):
        self.assertStatus(self.stack.http("DELETE", EV + "/webhooks/", {"endpoint_id": ep},
                                          token=self.admin["access_token"]), 200)

    def test_a_the_interview_day_is_told_signed(self):
        ep = self.register("/ok/day")
        iv1, iv2 = self.stack.make_user("Interviewer"), self.stack.make_user("Interviewer")
        ev, (r1, r2) = self.event([("Screen", [iv1]), ("Final", [iv2])])
        x, = self.candidates(ev, 1)
        self.assertStatus(self.mapping({"round_id": r1}), 200)
        for iv, rnd in ((iv1, r1), (iv2, r2)):
            self.assertEqual(self.act(iv, "start_next", rnd).json["registration_id"], x["reg"])
            self.assertStatus(self.act(x, "accept_interview", rnd), 200)
            self.assertStatus(self.act(iv, "complete_interview", rnd), 200)
            self.assertStatus(self.review(iv, x["reg"], rnd, "pass"), 201)

        def events():
            return sorted(json.loads(b)["event"] for _, _, b, _ in self.rx.at("/ok/day"))
        want = sorted(["registration.scored", "interview.completed", "candidate.advanced",
                       "interview.completed", "candidate.selected"])
        wait_for(lambda: events() == want, 60, "the day's webhooks (%s)" % events())
        for _, headers, body, ok in self.rx.at("/ok/day"):
            self.assertTrue(ok, (headers, body))
            doc = json.loads(body)
            self.assertEqual(doc["data"]["registration_id"], x["reg"])
            self.assertEqual(doc["data"]["event_id"], ev)
            self.assertNotIn("name", json.dumps(doc["data"]))
        adv = [json.loads(b) for _, _, b, _ in self.rx.at("/ok/day")
               if json.loads(b)["event"] == "candidate.advanced"][0]
        self.assertEqual((adv["data"]["from_round_id"], adv["data"]["round_id"]), (r1, r2))
        # The receiver may hear a delivery before the worker has written
        # down its answer.
        wait_for(lambda: {d["status"] for d in self.deliveries(ep)} == {"delivered"},
                 30, "every delivery marked delivered")
        rows = self.deliveries(ep)
        self.assertTrue(all(d["attempt_log"][-1]["response_status"] == 200 for d in rows))
        # The list shows no secret; a disabled endpoint gets nothing more.
        r = self.stack.http("GET", EV + "/webhooks/", token=self.admin["access_token"])
        self.assertNotIn("secret", r.raw)
        self.assertNotIn(self.rx.secrets["/ok/day"], r.raw)
        self.disable(ep)
        self.fire(1)
        self.assertEqual(len(self.deliveries(ep)), len(want))

    def test_b_failures_back_off_and_are_logged(self):
        ep = self.register("/flaky/1", ["candidate.selected"])
        self.fire(1)
        wait_for(lambda: len(self.rx.at("/flaky/1")) == 1, 20, "first attempt")
        wait_for(lambda: self.deliveries(ep)[0]["status"] == "failed", 10, "failure recorded")
        d = self.deliveries(ep)[0]
        self.assertEqual(d["response_status"], 500)
        self.assertIn("try later", d["response_body"])
        # Backed off: the next attempt waits (at least 7 s), then succeeds.
        # (The worker writes the delivery down before it hands the job back.)
        def backed_off():
            return self.stack.sql("SELECT extract(epoch FROM run_at - now()) FROM jobs WHERE "
                                  "kind = 'webhook' AND state = 'available' AND "
                                  "args->>'delivery_id' = :'v1'", d["id"])
        wait_for(backed_off, 20, "the job handed back to wait")
        wait = backed_off()
        self.assertGreater(float(wait[0][0]), 5)
        for n in (2, 3):
            wait_for(backed_off, 20, "attempt %d handed back" % (n - 1))
            self.stack.sql("UPDATE jobs SET run_at = now() WHERE kind = 'webhook' AND "
                           "state = 'available'")
            wait_for(lambda: len(self.rx.at("/flaky/1")) == n, 20, "attempt %d" % n)
        wait_for(lambda: self.deliveries(ep)[0]["status"] == "delivered", 10, "delivered")
        d = self.deliveries(ep)[0]
        self.assertEqual(d["attempts"], 3)
        self.assertEqual([a["response_status"] for a in d["attempt_log"]], [500, 500, 200])
        self.assertTrue(all(ok for _, _, _, ok in self.rx.at("/flaky/1")))
        # The same delivery id and body every time.
        self.assertEqual(len({b for _, _, b, _ in self.rx.at("/flaky/1")}), 1)
        self.disable(ep)

    def test_c_redirects_are_not_followed(self):
        ep = self.register("/redirect/1", ["candidate.selected"])
        self.fire(1)
        wait_for(lambda: self.deliveries(ep)[0]["status"] == "failed", 20, "302 recorded")
        self.assertEqual(self.deliveries(ep)[0]["response_status"], 302)
        time.sleep(0.5)
        self.assertEqual(self.rx.at("/ok/redirected"), [])
        self.disable(ep)

    def test_d_replay(self):
        ep = self.register("/ok/replay", ["candidate.selected"])
        self.fire(1)
        wait_for(lambda: len(self.rx.at("/ok/replay")) == 1, 20, "delivery")
        wait_for(lambda: self.deliveries(ep)[0]["status"] == "delivered", 10, "delivered")
        d = self.deliveries(ep)[0]
        r = self.stack.http("POST", EV + "/webhook-replay/", {"delivery_id": d["id"]},
                            token=self.admin["access_token"])
        self.assertStatus(r, 202)
        wait_for(lambda: len(self.rx.at("/ok/replay")) == 2, 20, "replay")
        (_, h1, b1, ok1), (_, h2, b2, ok2) = self.rx.at("/ok/replay")
        self.assertTrue(ok1 and ok2)
        self.assertEqual(b1, b2)
        self.assertEqual(h1["Connectify-Delivery"], h2["Connectify-Delivery"])
        self.assertError(self.stack.http("POST", EV + "/webhook-replay/",
                                         {"delivery_id": 99999999},
                                         token=self.admin["access_token"]), 404)
        self.assertError(self.stack.http("POST", EV + "/webhook-replay/", {"delivery_id": "1"},
                                         token=self.admin["access_token"]), 400)
        self.disable(ep)

    def test_e_bad_registrations(self):
        for body, field in (({"url": "ftp://example.com/x", "events": ALL}, "url"),
                            ({"url": "not a url", "events": ALL}, "url"),
                            ({"url": self.rx.url("/ok/x"), "events": []}, "events"),
                            ({"url": self.rx.url("/ok/x"), "events": ["user.born"]}, "events"),
                            ({"events": ALL}, "url")):
            r = self.stack.http("POST", EV + "/webhooks/", body,
                                token=self.admin["access_token"])
            self.assertError(r, 400, field=field)
        self.assertError(self.stack.http("POST", EV + "/webhooks/",
                                         {"url": self.rx.url("/ok/x"), "events": ALL},
                                         token=self.hr["access_token"]), 403)

    def test_e2_deliveries_come_in_pages(self):
        ep = self.register("/ok/pages", ["candidate.selected"])
        self.fire(3)
        self.disable(ep)

        def page(q):
            return self.stack.http("GET", EV + "/webhook-deliveries/?endpoint_id=%d&%s"
                                   % (ep, q), token=self.admin["access_token"])
        everything = [d["id"] for d in self.deliveries(ep)]
        self.assertEqual(len(everything), 3)
        self.assertEqual(everything, sorted(everything, reverse=True))
        first, second = page("page_size=2"), page("page_size=2&page=2")
        self.assertStatus(first, 200)
        self.assertStatus(second, 200)
        self.assertEqual((first.json["count"], second.json["count"]), (3, 3))
        self.assertEqual([d["id"] for d in first.json["results"]], everything[:2])
        self.assertEqual([d["id"] for d in second.json["results"]], everything[2:])
        self.assertIsNotNone(first.json["next"])
        self.assertIsNone(second.json["next"])
        # The page's numbers and the endpoint are checked, all in one 400.
        r = page("page_size=0&page=x")
        self.assertError(r, 400, "validation_failed", "page_size")
        self.assertIn("page", r.json["error"]["fields"])
        r = self.stack.http("GET", EV + "/webhook-deliveries/?endpoint_id=abc",
                            token=self.admin["access_token"])
        self.assertError(r, 400, "validation_failed", "endpoint_id")

    def test_f_killed_worker_loses_and_doubles_nothing(self):
        ep = self.register("/slow/kill", ["candidate.selected"])
        self.fire(40)
        wait_for(lambda: len(self.rx.at("/slow/kill")) >= 5, 30, "deliveries under way")
        running = self.stack.sql("SELECT locked_by FROM jobs WHERE kind = 'webhook' AND "
                                 "state = 'running'")
        self.assertTrue(running, "a delivery in flight")
        pid = int(running[0][0].split(":")[1])
        in_flight = len([r for r in running if int(r[0].split(":")[1]) == pid])
        os.kill(pid, signal.SIGKILL)
        if VALGRIND:
            # Under valgrind the lease is made to outlast the PDF parser's
            # wall clock (ten minutes): let the dead worker's leases lapse
            # now, as they would then.
            self.stack.sql("UPDATE jobs SET lease_until = now() WHERE state = 'running' "
                           "AND locked_by LIKE :'v1'", "%%:%d" % pid)
        wait_for(lambda: {d["status"] for d in self.deliveries(ep)} == {"delivered"}
                 and len(self.deliveries(ep)) == 40, 90, "every delivery delivered")
        got = self.rx.at("/slow/kill")
        self.assertTrue(all(ok for _, _, _, ok in got))
        ids = [h["Connectify-Delivery"] for _, h, _, _ in got]
        want = {str(d["id"]) for d in self.deliveries(ep)}
        # None lost; a receiver that drops a second copy of an id (as the
        # header is for) processes each exactly once; a copy can only be a
        # delivery the killed worker had on the wire.
        self.assertEqual(set(ids), want)
        doubles = len(ids) - len(set(ids))
        self.assertLessEqual(doubles, in_flight)
        rows = self.stack.sql("SELECT delivery_id, count(*) FROM webhook_attempts a JOIN "
                              "webhook_deliveries d ON d.id = a.delivery_id WHERE "
                              "d.endpoint_id = :'v1' AND a.response_status = 200 "
                              "GROUP BY 1 HAVING count(*) > 1", ep)
        self.assertEqual(rows, [])
        self.disable(ep)


class Refused(TestCase):
    """Without WEBHOOK_ALLOW_PRIVATE: private, loopback and link-local
    addresses are refused when registered and again when delivered."""
    stack_args = {"worker": True, "env": {"JOB_POLL_MS": "200"}}

    def test_private_addresses(self):
        admin = self.stack.make_admin()
        for url in ("http://127.0.0.1:8080/h", "http://localhost/h", "http://10.1.2.3/h",
                    "http://172.16.0.9/h", "http://192.168.1.1/h", "http://169.254.169.254/latest",
                    "http://[::1]/h", "http://[fe80::1]/h", "http://[::ffff:127.0.0.1]/h",
                    "http://0.0.0.0/h", "http://100.64.0.1/h", "https://[fd00::1]/h"):
            r = self.stack.http("POST", EV + "/webhooks/", {"url": url, "events": ALL},
                                token=admin["access_token"])
            self.assertError(r, 400, field="url")
            self.assertIn("address", r.json["error"]["fields"]["url"])
        self.assertEqual(self.stack.sql("SELECT count(*) FROM webhook_endpoints"), [["0"]])
        # An endpoint that became private (its name now resolves to
        # loopback) is refused at delivery, for good.
        ep = self.stack.sql("INSERT INTO webhook_endpoints (url, events, secret) VALUES "
                            "('http://localhost:9/h', '{candidate.selected}', 's') "
                            "RETURNING id")[0][0]
        self.stack.sql("SELECT webhook_fire('candidate.selected', '{}')")
        wait_for(lambda: self.stack.sql("SELECT state FROM jobs WHERE kind = 'webhook'")
                 == [["discarded"]], 20, "refused delivery")
        row = self.stack.sql("SELECT status, error FROM webhook_deliveries WHERE "
                             "endpoint_id = :'v1'", ep)[0]
        self.assertEqual(row[0], "failed")
        self.assertIn("loopback", row[1])


if __name__ == "__main__":
    main()
