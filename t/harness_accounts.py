"""Accounts on a Stack: signing up users with fresh phone numbers and
e-mail addresses, signing in with the OTP the SMS log holds, and the
organisation's admin."""
import os


def _seq_owner(obj):
    """The class in obj's MRO whose _seq counts the accounts made, so that
    Stack._seq (which suites bump too) stays the one counter."""
    return next(c for c in type(obj).__mro__ if "_seq" in c.__dict__)


class Accounts:
    """Needs self.http(), self.sql() and self.env["SMS_LOG"]."""
    _seq = 0

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

    def make_user(self, user_type="Interviewee", name=None, token=None):
        """Sign up a user with a fresh phone/email and log in; returns tokens."""
        owner = _seq_owner(self)
        owner._seq += 1
        n = owner._seq
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
