"""Video calls: Zoom Video SDK signatures (verified with an independent
JWT implementation), TURN credentials that a real coturn accepts, Twilio
tokens through a fake that checks the request, and the TURN_LIMIT."""
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

import jwt  # Debian's python3-jwt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (Stack, TestCase, free_port, main, start_twilio,  # noqa: E402
                     twilio_control, twilio_requests, wait_for)

EV = "/bulk_hiring/event/v1"
ZKEY, ZSECRET = "zoom-sdk-key-123", "zoom-sdk-secret-0123456789abcdef"
TURN_SECRET = "coturn-shared-secret-for-tests"


def start_coturn(stack):
    port = free_port()
    log = open(os.path.join(stack.log, "coturn.log"), "ab")
    p = subprocess.Popen(["turnserver", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                          "--listening-port=%d" % port, "--use-auth-secret",
                          "--static-auth-secret=" + TURN_SECRET, "--realm=connectify",
                          "--no-tls", "--no-dtls", "--no-cli", "--log-file=stdout",
                          "--simple-log", "--allow-loopback-peers", "--no-multicast-peers",
                          "--min-port=%d" % (40000 + port % 20000), "--max-port=%d" % (40050 + port % 20000)],
                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    stack.procs["coturn"] = p
    stack.coturn_port = port
    stack.env.update({"TURN_SECRET": TURN_SECRET,
                      "TURN_URLS": "stun:127.0.0.1:%d,turn:127.0.0.1:%d?transport=udp,"
                                   "turn:127.0.0.1:%d?transport=tcp" % (port, port, port)})

    def listening():
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    wait_for(listening, 10, "coturn")


class Zoom(TestCase):
    stack_args = {"env": {"ZOOM_SDK_CLIENT_ID": ZKEY, "ZOOM_SDK_CLIENT_SECRET": ZSECRET}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr = cls.stack.make_user("Hr")
        cls.cand = cls.stack.make_user("Interviewee")

    def sign(self, body, who=None):
        return self.stack.http("POST", EV + "/generate-zoom-signature/", body,
                               token=(who or self.hr)["access_token"])

    def test_signature_verifies_and_carries_every_claim(self):
        body = {"role": 1, "sessionName": "Interview Room A", "expirationSeconds": 7200,
                "userIdentity": "john.doe", "sessionKey": "optional-session-key",
                "geoRegions": ["IN", "US"], "cloudRecordingOption": 1,
                "cloudRecordingElection": 1, "videoWebRtcMode": 1, "audioCompatibleMode": 0,
                "audioWebRtcMode": 1}
        t0 = int(time.time())
        r = self.sign(body)
        self.assertStatus(r, 200)
        tok = r.json["signature"]
        self.assertEqual(jwt.get_unverified_header(tok), {"alg": "HS256", "typ": "JWT"})
        claims = jwt.decode(tok, ZSECRET, algorithms=["HS256"])
        self.assertEqual(claims["app_key"], ZKEY)
        self.assertEqual(claims["tpc"], "Interview Room A")
        self.assertEqual(claims["role_type"], 1)
        self.assertEqual(claims["version"], 1)
        self.assertTrue(t0 - 32 <= claims["iat"] <= t0 - 28, claims)
        self.assertEqual(claims["exp"] - claims["iat"], 7200)
        self.assertEqual(claims["user_identity"], "john.doe")
        self.assertEqual(claims["session_key"], "optional-session-key")
        self.assertEqual(claims["geo_regions"], "IN,US")
        for k, v in (("cloud_recording_option", 1), ("cloud_recording_election", 1),
                     ("video_webrtc_mode", 1), ("audio_compatible_mode", 0),
                     ("audio_webrtc_mode", 1)):
            self.assertEqual(claims[k], v)
            self.assertIsInstance(claims[k], int)
        with self.assertRaises(jwt.InvalidSignatureError):
            jwt.decode(tok, "another-secret", algorithms=["HS256"])

    def test_optional_claims_absent(self):
        r = self.sign({"role": 0, "sessionName": "s1"})
        self.assertStatus(r, 200)
        claims = jwt.decode(r.json["signature"], ZSECRET, algorithms=["HS256"])
        self.assertEqual(set(claims), {"app_key", "tpc", "role_type", "version", "iat", "exp"})
        self.assertEqual(claims["exp"] - claims["iat"], 7200)

    def test_validation(self):
        cases = [({"role": 2, "sessionName": "x"}, "role"),
                 ({"sessionName": "x"}, "role"),
                 ({"role": 0}, "sessionName"),
                 ({"role": 0, "sessionName": "x" * 201}, "sessionName"),
                 ({"role": 0, "sessionName": "x", "expirationSeconds": 1799}, "expirationSeconds"),
                 ({"role": 0, "sessionName": "x", "expirationSeconds": 172801}, "expirationSeconds"),
                 ({"role": 0, "sessionName": "x", "userIdentity": "u" * 36}, "userIdentity"),
                 ({"role": 0, "sessionName": "x", "sessionKey": "k" * 37}, "sessionKey"),
                 ({"role": 0, "sessionName": "x", "geoRegions": ["IN", "XX"]}, "geoRegions"),
                 ({"role": 0, "sessionName": "x", "geoRegions": "IN,"}, "geoRegions"),
                 ({"role": 0, "sessionName": "x", "videoWebRtcMode": 2}, "videoWebRtcMode"),
                 ({"role": 0, "sessionName": "x", "cloudRecordingOption": "yes"},
                  "cloudRecordingOption")]
        for body, field in cases:
            self.assertError(self.sign(body), 400, "validation_failed", field)
        # Boundaries that pass.
        for secs in (1800, 172800):
            self.assertStatus(self.sign({"role": 0, "sessionName": "x",
                                         "expirationSeconds": secs}), 200)

    def test_roles(self):
        self.assertError(self.sign({"role": 1, "sessionName": "x"}, self.cand), 403)
        self.assertStatus(self.sign({"role": 0, "sessionName": "x"}, self.cand), 200)
        r = self.stack.http("POST", EV + "/generate-zoom-signature/", {"role": 0, "sessionName": "x"})
        self.assertError(r, 401)

    def test_not_configured(self):
        st = Stack(fcgi_workers=1).start()
        try:
            hr = st.make_user("Hr")
            r = st.http("POST", EV + "/generate-zoom-signature/", {"role": 0, "sessionName": "x"},
                        token=hr["access_token"])
            self.assertEqual(r.status, 503, r)
            self.assertEqual(r.json["error"]["code"], "zoom_not_configured")
        finally:
            st.stop()


class Coturn(TestCase):
    stack_args = {"before": start_coturn, "fcgi_workers": 4,
                  "env": {"TURN_LIMIT": "5", "TURN_EXPIRY": "600", "OTP_RATE_IP": "1000"}}

    def creds(self, who):
        return self.stack.http("GET", EV + "/turn-credentials/?user_id=%d" % who["user"]["id"],
                               token=who["access_token"])

    def uclient(self, user, password):
        out = subprocess.run(["turnutils_uclient", "-u", user, "-w", password,
                              "-p", str(self.stack.coturn_port), "-n", "1", "-m", "1", "-y", "-c",
                              "-e", "127.0.0.1", "127.0.0.1"],
                             capture_output=True, text=True, timeout=20)
        return out.returncode

    def setUp(self):
        self.stack.sql("DELETE FROM turn_slots")

    def test_credentials_authenticate_with_coturn(self):
        u = self.stack.make_user()
        r = self.creds(u)
        self.assertStatus(r, 200)
        servers = r.json["ice_servers"]
        self.assertEqual(r.json["ttl"], 600)
        stun = [s for s in servers if s["urls"][0].startswith("stun:")]
        turn = [s for s in servers if s["urls"][0].startswith("turn:")][0]
        self.assertEqual(stun, [{"urls": ["stun:127.0.0.1:%d" % self.stack.coturn_port]}])
        self.assertEqual(len(turn["urls"]), 2)
        exp, uid = turn["username"].split(":")
        self.assertEqual(int(uid), u["user"]["id"])
        self.assertAlmostEqual(int(exp), time.time() + 600, delta=5)
        self.assertEqual(turn["credentialType"], "password")
        self.assertEqual(self.uclient(turn["username"], turn["credential"]), 0)
        # Tampered credential, and a username moved forward: refused.
        bad = ("A" if turn["credential"][0] != "A" else "B") + turn["credential"][1:]
        self.assertNotEqual(self.uclient(turn["username"], bad), 0)
        self.assertNotEqual(self.uclient("%d:%s" % (int(exp) + 999, uid), turn["credential"]), 0)

    def test_expired_credential_refused(self):
        import base64
        import hashlib
        import hmac
        user = "%d:77" % (time.time() - 60)
        cred = base64.b64encode(hmac.new(TURN_SECRET.encode(), user.encode(),
                                         hashlib.sha1).digest()).decode()
        self.assertNotEqual(self.uclient(user, cred), 0)
        user = "%d:77" % (time.time() + 60)
        cred = base64.b64encode(hmac.new(TURN_SECRET.encode(), user.encode(),
                                         hashlib.sha1).digest()).decode()
        self.assertEqual(self.uclient(user, cred), 0)

    def test_limit_reuse_release(self):
        users = [self.stack.make_user() for _ in range(6)]
        for u in users[:5]:
            self.assertStatus(self.creds(u), 200)
        r = self.creds(users[5])
        self.assertError(r, 429, "rate_limited")
        self.assertGreater(int(r.headers["Retry-After"]), 500)
        # The same user again reuses their slot.
        self.assertStatus(self.creds(users[0]), 200)
        self.assertEqual(self.stack.sql("SELECT count(*) FROM turn_slots"), [["5"]])
        r = self.stack.http("POST", EV + "/turn-disconnect/", {"user_id": users[0]["user"]["id"]},
                            token=users[0]["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json, {"released": True})
        self.assertStatus(self.creds(users[5]), 200)
        # Slots lapse by themselves.
        self.stack.sql("UPDATE turn_slots SET expires_at = now() - interval '1 second'")
        self.assertStatus(self.creds(users[0]), 200)
        self.assertEqual(self.stack.sql("SELECT count(*) FROM turn_slots"), [["1"]])
        # Someone else's id: refused; bad id: 400.
        r = self.stack.http("GET", EV + "/turn-credentials/?user_id=%d" % users[1]["user"]["id"],
                            token=users[0]["access_token"])
        self.assertError(r, 403)
        r = self.stack.http("GET", EV + "/turn-credentials/?user_id=abc",
                            token=users[0]["access_token"])
        self.assertError(r, 400, "validation_failed", "user_id")
        self.assertError(self.stack.http("GET", EV + "/turn-credentials/"), 401)

    def test_race_never_exceeds_limit(self):
        users = [self.stack.make_user() for _ in range(24)]
        results = []
        lock = threading.Lock()

        def go(u):
            r = self.creds(u)
            with lock:
                results.append(r.status)
        ts = [threading.Thread(target=go, args=(u,)) for u in users]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        self.assertEqual(results.count(200), 5, results)
        self.assertEqual(results.count(429), 19, results)
        self.assertEqual(self.stack.sql("SELECT count(*) FROM turn_slots"), [["5"]])


class TwilioTurn(TestCase):
    stack_args = {"before": start_twilio,
                  "env": {"TURN_PROVIDER": "twilio", "TURN_EXPIRY": "900", "TURN_LIMIT": "10"}}

    def test_tokens_forwarded_and_failures(self):
        u = self.stack.make_user()
        n0 = len(twilio_requests(self.stack))
        r = self.stack.http("GET", EV + "/turn-credentials/", token=u["access_token"])
        self.assertStatus(r, 200)
        q = twilio_requests(self.stack)[n0]
        self.assertEqual(q["path"], "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Tokens.json")
        self.assertEqual(q["auth_user"], "SKtestkey")
        self.assertEqual(q["form"], {"Ttl": "900"})
        self.assertEqual(r.json["ttl"], 900)   # Twilio's "ttl" string, as a number
        for s in r.json["ice_servers"]:
            self.assertLessEqual(set(s), {"urls", "username", "credential"})
            self.assertNotIn("url", s)
        self.assertTrue(any("username" in s for s in r.json["ice_servers"]))
        for fail, status in ((429, 503), (500, 503), (401, 502)):
            self.stack.sql("DELETE FROM turn_slots")
            twilio_control(self.stack, fail)
            r = self.stack.http("GET", EV + "/turn-credentials/", token=u["access_token"])
            self.assertStatus(r, status)
            # Nothing held for a failed request.
            self.assertEqual(self.stack.sql("SELECT count(*) FROM turn_slots"), [["0"]])

    def test_failed_renewal_keeps_the_slot_held_before(self):
        u = self.stack.make_user()
        r = self.stack.http("GET", EV + "/turn-credentials/", token=u["access_token"])
        self.assertStatus(r, 200)
        uid = str(u["user"]["id"])
        held = [["1"]]
        q = "SELECT count(*) FROM turn_slots WHERE user_id = :'v1'"
        self.assertEqual(self.stack.sql(q, uid), held)
        twilio_control(self.stack, 500)
        r = self.stack.http("GET", EV + "/turn-credentials/", token=u["access_token"])
        self.assertStatus(r, 503)
        # Its earlier credentials still work, so its slot still counts.
        self.assertEqual(self.stack.sql(q, uid), held)


if __name__ == "__main__":
    if not shutil.which("turnserver"):
        sys.exit("coturn (turnserver) is not installed; script/bootstrap installs it")
    main()
