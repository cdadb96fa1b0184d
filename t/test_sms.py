"""OTP codes through Twilio's Messages API (a local fake that checks the
exact request)."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (TestCase, main, smtp_messages, start_smtp,  # noqa: E402
                     start_twilio, twilio_control, twilio_requests)

UD = "/bulk_hiring/user_data/v1"
SID = "AC0123456789abcdef0123456789abcdef"


class TwilioSms(TestCase):
    stack_args = {"before": start_twilio,
                  "env": {"SMS_BACKEND": "twilio", "TWILIO_FROM_NUMBER": "+15005550006"}}

    def signup(self, phone):
        r = self.stack.http("POST", UD + "/signup/", {
            "name": "Kiran", "phone_number": phone, "email": phone[1:] + "@example.com",
            "user_type": "Interviewee"})
        self.assertStatus(r, 201)

    def test_code_goes_through_twilio(self):
        phone = "+919700000001"
        self.signup(phone)
        before = len(twilio_requests(self.stack))
        r = self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": phone})
        self.assertStatus(r, 200)
        reqs = twilio_requests(self.stack)[before:]
        self.assertEqual(len(reqs), 1)
        q = reqs[0]
        self.assertEqual(q["path"], "/2010-04-01/Accounts/%s/Messages.json" % SID)
        self.assertEqual(q["auth_user"], "SKtestkey")   # API key preferred
        self.assertEqual(q["content_type"], "application/x-www-form-urlencoded")
        self.assertEqual(q["form"]["To"], phone)
        self.assertEqual(q["form"]["From"], "+15005550006")
        self.assertEqual(set(q["form"]), {"To", "From", "Body"})
        code = re.search(r"code is (\d{6})", q["form"]["Body"]).group(1)
        # Nothing went to the log backend.
        self.assertFalse(os.path.exists(self.stack.env["SMS_LOG"]))
        r = self.stack.http("POST", UD + "/login/verify-otp/", {"phone_number": phone, "otp": code})
        self.assertStatus(r, 200)

    def test_provider_failures(self):
        phone = "+919700000002"
        self.signup(phone)
        for fail, status in ((429, 503), (500, 503), (401, 502)):
            twilio_control(self.stack, fail)
            r = self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": phone})
            self.assertStatus(r, status)
            self.assertEqual(r.json["error"]["code"],
                             "sms_unavailable" if status == 503 else "sms_refused")
            # A code that was never delivered neither works nor counts.
            n = self.stack.sql("SELECT count(*) FROM otps WHERE phone_number = :'v1'", phone)
            self.assertEqual(n, [["0"]])
        self.assertStatus(self.stack.http("POST", UD + "/login/send-otp/",
                                          {"phone_number": phone}), 200)

    def test_invalid_number_refused(self):
        # Accepted by our validator, refused by Twilio (a 4xx).
        r = self.stack.http("POST", UD + "/signup/", {
            "name": "Odd", "phone_number": "+0000000000", "email": "odd@example.com",
            "user_type": "Interviewee"})
        self.assertStatus(r, 201)
        twilio_control(self.stack, 400)
        r = self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": "+0000000000"})
        self.assertStatus(r, 502)
        self.assertEqual(r.json["error"]["code"], "sms_refused")


class MailCodes(TestCase):
    """SMS_BACKEND=mail: the code goes to the account's email at once,
    through a real SMTP server, and is never stored in clear."""
    stack_args = {"before": start_smtp, "env": {"SMS_BACKEND": "mail"}}

    def test_code_by_mail_signs_in(self):
        phone, email = "+919700000101", "noor.o'neil@example.com"
        r = self.stack.http("POST", UD + "/signup/", {
            "name": "Noor <O'Neil>", "phone_number": phone, "email": email,
            "user_type": "Interviewee"})
        self.assertStatus(r, 201)
        r = self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": phone})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["channel"], "email")
        self.assertFalse(os.path.exists(self.stack.env["SMS_LOG"]))
        # Sent before the answer: no queue in between.
        msgs = [m for m in smtp_messages(self.stack) if m[0]["rcpt_tos"] == [email]]
        self.assertEqual(len(msgs), 1)
        env, msg, raw = msgs[0]
        parts = {p.get_content_type(): p.get_content() for p in msg.iter_parts()}
        code = re.search(r"sign-in code is (\d{6})\.", parts["text/plain"]).group(1)
        # Not in the subject, which mail clients show on locked screens.
        self.assertEqual(msg["Subject"], "Your Connectify sign-in code")
        self.assertNotRegex(msg["Subject"], r"\d{6}")
        # The local sink keeps the mail private to its owner.
        self.assertEqual(os.stat(self.stack.smtp_dir).st_mode & 0o777, 0o700)
        for f in os.listdir(self.stack.smtp_dir):
            self.assertEqual(os.stat(os.path.join(self.stack.smtp_dir, f)).st_mode & 0o777,
                             0o600, f)
        self.assertIn("Hello Noor <O'Neil>,", parts["text/plain"])
        self.assertIn("Hello Noor &lt;O&#39;Neil&gt;,", parts["text/html"])
        self.assertIn(">%s</p>" % code, parts["text/html"])
        # Only the code's HMAC is kept, in the OTP table and nowhere else.
        dump = self.stack.sql("SELECT row_to_json(m)::text FROM mail_outbox m")
        self.assertFalse(any(code in row[0] for row in dump))
        r = self.stack.http("POST", UD + "/login/verify-otp/", {"phone_number": phone, "otp": code})
        self.assertStatus(r, 200)

    def test_mail_server_down_drops_the_code(self):
        phone = "+919700000102"
        r = self.stack.http("POST", UD + "/signup/", {
            "name": "Ira", "phone_number": phone, "email": "ira@example.com",
            "user_type": "Interviewee"})
        self.assertStatus(r, 201)
        self.stack.stop_proc("smtp")
        r = self.stack.http("POST", UD + "/login/send-otp/", {"phone_number": phone})
        self.assertError(r, 503, "mail_unavailable")
        self.assertEqual(self.stack.sql(
            "SELECT count(*) FROM otps WHERE phone_number = :'v1'", phone), [["0"]])


if __name__ == "__main__":
    main()
