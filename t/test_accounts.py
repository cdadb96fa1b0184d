"""Accounts through nginx: signup, OTP login, tokens, roles, validation."""
import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TestCase, main  # noqa: E402

UD = "/bulk_hiring/user_data/v1"
COUNTER = [0]


def b64url(d):
    return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()


class Accounts(TestCase):
    stack_args = {"env": {"OTP_RATE_PHONE": "4", "OTP_RATE_IP": "1000"}}

    def signup(self, **kw):
        COUNTER[0] += 1
        n = COUNTER
        body = {"name": "Asha Rao", "phone_number": "+91 90000 %05d" % n[0],
                "email": "asha%d@example.com" % n[0], "user_type": "Interviewee"}
        body.update(kw)
        return self.stack.http("POST", UD + "/signup/", body), body

    def test_walkthrough(self):
        r, body = self.signup(name="Meera Iyer", user_type="Hr")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["user_type"], "Hr")
        self.assertEqual(r.json["phone_number"], body["phone_number"].replace(" ", ""))
        self.assertTrue(r.headers["X-Request-Id"])
        phone = r.json["phone_number"]
        r = self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": phone})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["expires_in"], 300)
        code = self.stack.last_otp(phone)
        self.assertRegex(code, r"^\d{6}$")
        # The database keeps only a hash of the code.
        rows = self.stack.sql("SELECT code_hash FROM otps WHERE phone_number = :'v1'", phone)
        self.assertNotIn(code, rows[-1][0])
        r = self.stack.http("POST", UD + "/login/verify-otp/", {"phone_number": phone, "otp": code})
        self.assertStatus(r, 200)
        access, refresh = r.json["access_token"], r.json["refresh_token"]
        self.assertEqual(r.json["user"]["name"], "Meera Iyer")
        # The code works once.
        r2 = self.stack.http("POST", UD + "/login/verify-otp/", {"phone_number": phone, "otp": code})
        self.assertError(r2, 400, "otp_invalid")
        # Protected endpoints.
        r = self.stack.http("GET", UD + "/me/", token=access)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["phone_number"], phone)
        r = self.stack.http("GET", UD + "/user-data/?user_type=Hr", token=access)
        self.assertStatus(r, 200)
        self.assertGreaterEqual(r.json["count"], 1)
        # Refresh rotates.
        r = self.stack.http("POST", UD + "/token/refresh/", {"refresh_token": refresh})
        self.assertStatus(r, 200)
        refresh2 = r.json["refresh_token"]
        self.assertNotEqual(refresh2, refresh)
        self.assertStatus(self.stack.http("GET", UD + "/me/", token=r.json["access_token"]), 200)
        # The old refresh token no longer works ...
        r = self.stack.http("POST", UD + "/token/refresh/", {"refresh_token": refresh})
        self.assertError(r, 401, "not_authenticated")
        # ... and its reuse revoked the family, so the new one is gone too.
        r = self.stack.http("POST", UD + "/token/refresh/", {"refresh": refresh2})
        self.assertError(r, 401)
        # Logout revokes.
        t = self.stack.login(phone)
        self.assertStatus(self.stack.http("POST", UD + "/logout/", {"refresh_token": t["refresh_token"]}), 204)
        r = self.stack.http("POST", UD + "/token/refresh/", {"refresh_token": t["refresh_token"]})
        self.assertError(r, 401)

    def test_signup_validation(self):
        cases = [
            ({"name": ""}, "name"),
            ({"phone_number": "12345"}, "phone_number"),
            ({"phone_number": "98765x43210"}, "phone_number"),
            ({"email": "not-an-email"}, "email"),
            ({"user_type": "Admin"}, "user_type"),
            ({"name": "x" * 101}, "name"),
            ({"username": "a/b"}, "username"),
            ({"name": 7}, "name"),
        ]
        for patch, field in cases:
            before = self.stack.sql("SELECT count(*) FROM users")[0][0]
            r, _ = self.signup(**patch)
            self.assertError(r, 400, "validation_failed", field)
            self.assertEqual(self.stack.sql("SELECT count(*) FROM users")[0][0], before)
        r = self.stack.http("POST", UD + "/signup/", {})
        self.assertError(r, 400, "validation_failed")
        for f in ("name", "phone_number", "email", "user_type"):
            self.assertIn(f, r.json["error"]["fields"])
        r = self.stack.http("POST", UD + "/signup/", raw="{not json",
                            headers={"Content-Type": "application/json"})
        self.assertError(r, 400, "invalid_json")
        r = self.stack.http("POST", UD + "/signup/", raw="name=x",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertError(r, 415)
        r = self.stack.http("POST", UD + "/signup/", raw="[1,2]",
                            headers={"Content-Type": "application/json"})
        self.assertError(r, 400, "invalid_json")

    def test_duplicates(self):
        r, body = self.signup()
        self.assertStatus(r, 201)
        before = self.stack.sql("SELECT count(*) FROM users")
        # Each 409 names the fields that really conflict, and only those.
        r2, _ = self.signup(phone_number=body["phone_number"])
        self.assertError(r2, 409, "already_exists", "phone_number")
        self.assertEqual(set(r2.json["error"]["fields"]), {"phone_number"})
        r3, _ = self.signup(email=body["email"].upper())
        self.assertError(r3, 409, "already_exists", "email")
        self.assertEqual(set(r3.json["error"]["fields"]), {"email"})
        r4, _ = self.signup(phone_number=body["phone_number"], email=body["email"])
        self.assertError(r4, 409)
        self.assertEqual(set(r4.json["error"]["fields"]), {"phone_number", "email"})
        r6, _ = self.signup(username=r.json["username"])
        self.assertEqual(set(r6.json["error"]["fields"]), {"username"})
        self.assertEqual(self.stack.sql("SELECT count(*) FROM users"), before)
        # The default username is never the phone's digits: another phone
        # with the same digits signs up with a username of its own.
        digits = body["phone_number"].lstrip("+")
        self.assertNotEqual(r.json["username"], digits)
        r7, _ = self.signup(phone_number=digits)
        self.assertStatus(r7, 201)
        self.assertNotEqual(r7.json["username"], digits)
        self.assertNotEqual(r7.json["username"], r.json["username"])

    def test_bad_tokens(self):
        t = self.stack.make_user("Hr")
        good = t["access_token"]
        h, p, s = good.split(".")
        payload = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
        forged_none = b64url({"alg": "none", "typ": "JWT"}) + "." + p + "."
        forged_sig = h + "." + p + "." + ("A" if s[0] != "A" else "B") + s[1:]
        payload2 = dict(payload, user_type="Hr", user_id=1)
        forged_payload = h + "." + b64url(payload2) + "." + s
        expired_payload = dict(payload, exp=payload["iat"] - 10)
        forged_exp = h + "." + b64url(expired_payload) + "." + s
        for tok in (forged_none, forged_sig, forged_payload, forged_exp, t["refresh_token"],
                    "garbage", ""):
            r = self.stack.http("GET", UD + "/me/", token=tok or None,
                                headers={} if tok else {"Authorization": "Bearer "})
            self.assertError(r, 401, "not_authenticated")
        r = self.stack.http("GET", UD + "/me/", headers={"Authorization": "Basic eDp5"})
        self.assertError(r, 401)
        self.assertStatus(self.stack.http("GET", UD + "/me/", token=good), 200)

    def test_refresh_token_required(self):
        # Without a refresh token the error names the documented member,
        # refresh_token (simplejwt's "refresh" is taken too).
        for path in ("/token/refresh/", "/logout/"):
            for body in ({}, {"refresh_token": None}, {"refresh": ""}):
                r = self.stack.http("POST", UD + path, body)
                self.assertError(r, 400, "validation_failed")
                self.assertEqual(set(r.json["error"]["fields"]),
                                 {"refresh_token"} if body.get("refresh") is None else {"refresh"},
                                 (path, body))
            r = self.stack.http("POST", UD + path, {"refresh_token": 5})
            self.assertError(r, 400, "validation_failed")
            self.assertEqual(set(r.json["error"]["fields"]), {"refresh_token"})

    def test_expired_token_really_expires(self):
        # A token signed with the right key but long expired.
        import jwt  # python3-jwt: an independent implementation
        key = self.stack.env["SECRET_KEY"]
        tok = jwt.encode({"user_id": 1, "username": "x", "user_type": "Hr",
                          "token_type": "access", "jti": "j", "iat": 1000, "exp": 2000},
                         key, algorithm="HS256")
        self.assertError(self.stack.http("GET", UD + "/me/", token=tok), 401)
        tok = jwt.encode({"user_id": 1, "username": "x", "user_type": "Hr",
                          "token_type": "access", "jti": "j", "iat": 1000, "exp": 4000000000},
                         key, algorithm="HS512")
        self.assertError(self.stack.http("GET", UD + "/me/", token=tok), 401)

    def test_roles(self):
        hr = self.stack.make_user("Hr")
        iv = self.stack.make_user("Interviewer")
        cand = self.stack.make_user("Interviewee")
        for t in (iv, cand):
            for method, path, body in (
                    ("GET", UD + "/user-data/?user_type=Interviewee", None),
                    ("GET", UD + "/fetch-user/", None),
                    ("PATCH", UD + "/fetch-user/", {"user_id": cand["user"]["id"], "user_type": "Hr"}),
                    ("POST", UD + "/register-interviewer/",
                     {"name": "X", "phone_number": "+919999988888", "email": "x@example.com"})):
                r = self.stack.http(method, path, body, token=t["access_token"])
                self.assertError(r, 403, "forbidden")
        self.assertEqual(self.stack.sql("SELECT user_type FROM users WHERE id = :'v1'",
                                        cand["user"]["id"])[0][0], "Interviewee")
        # Another HR may not; the organisation admin may.
        r = self.stack.http("PATCH", UD + "/fetch-user/",
                            {"user_id": cand["user"]["id"], "user_type": "Interviewer"},
                            token=hr["access_token"])
        self.assertError(r, 403, "forbidden")
        hr = self.stack.make_admin()
        r = self.stack.http("PATCH", UD + "/fetch-user/",
                            {"user_id": cand["user"]["id"], "user_type": "Interviewer"},
                            token=hr["access_token"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["user_type"], "Interviewer")
        r = self.stack.http("PATCH", UD + "/fetch-user/", {"user_id": 999999, "user_type": "Hr"},
                            token=hr["access_token"])
        self.assertError(r, 404)
        r = self.stack.http("PATCH", UD + "/fetch-user/",
                            {"user_id": hr["user"]["id"], "user_type": "Interviewee"},
                            token=hr["access_token"])
        self.assertError(r, 409)
        r = self.stack.http("PATCH", UD + "/fetch-user/", {"user_id": "x", "user_type": "Boss"},
                            token=hr["access_token"])
        self.assertError(r, 400, "validation_failed")
        self.assertEqual(set(r.json["error"]["fields"]), {"user_id", "user_type"})
        r = self.stack.http("POST", UD + "/register-interviewer/",
                            {"name": "Ravi K", "phone_number": "+919812300000",
                             "email": "ravi.k@example.com"}, token=hr["access_token"])
        self.assertStatus(r, 201)
        self.assertEqual(r.json["user_type"], "Interviewer")
        r = self.stack.http("GET", UD + "/user-data/?user_type=Manager", token=hr["access_token"])
        self.assertError(r, 400, field="user_type")

    def test_pagination(self):
        hr = self.stack.make_user("Hr")
        for _ in range(7):
            self.stack.make_user("Interviewer")
        total = int(self.stack.sql("SELECT count(*) FROM users WHERE user_type = 'Interviewer'")[0][0])
        seen = []
        url = UD + "/user-data/?user_type=Interviewer&page_size=3"
        while url:
            r = self.stack.http("GET", url, token=hr["access_token"])
            self.assertStatus(r, 200)
            self.assertEqual(r.json["count"], total)
            self.assertLessEqual(len(r.json["results"]), 3)
            seen += [u["id"] for u in r.json["results"]]
            nxt = r.json["next"]
            url = nxt[nxt.index("/bulk_hiring"):] if nxt else None
        self.assertEqual(len(seen), total)
        self.assertEqual(seen, sorted(seen))
        r = self.stack.http("GET", UD + "/user-data/?page=2&page_size=3&user_type=Interviewer",
                            token=hr["access_token"])
        self.assertIn("page=1", r.json["previous"])
        for q in ("page=0", "page_size=101", "page=x"):
            r = self.stack.http("GET", UD + "/user-data/?" + q, token=hr["access_token"])
            self.assertError(r, 400, "validation_failed")

    def test_otp_attempts_burn(self):
        t = self.stack.make_user()
        phone = t["phone"]
        self.assertStatus(self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": phone}), 200)
        code = self.stack.last_otp(phone)
        wrong = "%06d" % ((int(code) + 1) % 1000000)
        for i in range(5):
            r = self.stack.http("POST", UD + "/login/verify-otp/", {"phone_number": phone, "otp": wrong})
            self.assertError(r, 400, "otp_invalid")
        r = self.stack.http("POST", UD + "/login/verify-otp/", {"phone_number": phone, "otp": code})
        self.assertError(r, 400, "otp_invalid")
        r = self.stack.http("POST", UD + "/login/verify-otp/", {"phone_number": phone, "otp": "12ab56"})
        self.assertError(r, 400, "validation_failed", "otp")

    def test_otp_expired(self):
        t = self.stack.make_user()
        phone = t["phone"]
        self.assertStatus(self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": phone}), 200)
        code = self.stack.last_otp(phone)
        self.stack.sql("UPDATE otps SET expires_at = now() - interval '1 second' "
                       "WHERE phone_number = :'v1'", phone)
        r = self.stack.http("POST", UD + "/login/verify-otp/", {"phone_number": phone, "otp": code})
        self.assertError(r, 400, "otp_invalid")

    def test_otp_rate_limit_and_unknown(self):
        # An unknown phone is answered like a known one (no enumeration).
        r = self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": "+919111111111"})
        self.assertStatus(r, 200)
        self.assertEqual(set(r.json), {"message", "channel", "expires_in"})
        t = self.stack.make_user()  # one code already sent by login
        phone = t["phone"]
        for _ in range(3):
            self.assertStatus(self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": phone}), 200)
        r = self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": phone})
        self.assertError(r, 429, "rate_limited")
        self.assertGreater(int(r.headers["Retry-After"]), 0)
        # Only the newest code works.
        n = int(self.stack.sql("SELECT count(*) FROM otps WHERE phone_number = :'v1' "
                               "AND consumed_at IS NULL", phone)[0][0])
        self.assertEqual(n, 1)

    def test_staff_signup_needs_hr_when_closed(self):
        # Signup rules are per deployment; check the closed mode end to end.
        from harness import Stack
        st = Stack(env={"STAFF_SIGNUP_OPEN": "off"}, fcgi_workers=1).start()
        try:
            body = {"name": "Boss", "phone_number": "+919000011111", "email": "boss@example.com",
                    "user_type": "Hr"}
            r = st.http("POST", UD + "/signup/", body)
            self.assertEqual(r.status, 403, r)
            body["user_type"] = "Interviewee"
            self.assertEqual(st.http("POST", UD + "/signup/", body).status, 201)
            env = dict(st.env)
            import subprocess
            from harness import BUILD
            out = subprocess.run([os.path.join(BUILD, "fcgi", "connectify-fcgi"), "--create-hr",
                                  "First HR", "+919000022222", "hr1@example.com"],
                                 env=env, capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stderr)
            hr = st.login("+919000022222")
            body2 = {"name": "Second HR", "phone_number": "+919000033333",
                     "email": "hr2@example.com", "user_type": "Hr"}
            self.assertEqual(st.http("POST", UD + "/signup/", body2, token=hr["access_token"]).status, 201)
        finally:
            st.stop()

    def test_not_found_and_method(self):
        r = self.stack.http("GET", UD + "/nope/")
        self.assertError(r, 404, "not_found")
        r = self.stack.http("GET", UD + "/signup/")
        self.assertError(r, 405)
        self.assertIn("POST", r.headers["Allow"])

    def test_body_cap(self):
        from harness import Stack
        st = Stack(env={"MAX_BODY_BYTES": "2048"}, fcgi_workers=1).start()
        try:
            r = st.http("POST", UD + "/signup/", {"name": "x" * 5000})
            self.assertEqual(r.status, 413, r)
            self.assertEqual(st.sql("SELECT count(*) FROM users")[0][0], "0")
        finally:
            st.stop()


class RateByAddress(TestCase):
    """Codes are limited per client address too, whatever the phones."""
    stack_args = {"env": {"OTP_RATE_PHONE": "5", "OTP_RATE_IP": "3"}}

    def test_one_address_many_phones(self):
        phones = []
        for i in range(4):
            phone = "+91955500%04d" % i
            r = self.stack.http("POST", UD + "/signup/", {
                "name": "Dev %d" % i, "phone_number": phone,
                "email": "dev%d@example.com" % i, "user_type": "Interviewee"})
            self.assertStatus(r, 201)
            phones.append(phone)
        for phone in phones[:3]:
            self.assertStatus(self.stack.http("POST", UD + "/login/send-otp/",
                                              {"phone_number": phone}), 200)
        r = self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": phones[3]})
        self.assertError(r, 429, "rate_limited")
        self.assertGreater(int(r.headers["Retry-After"]), 0)
        self.assertIsNone(self.stack.last_otp(phones[3]))


if __name__ == "__main__":
    main()
