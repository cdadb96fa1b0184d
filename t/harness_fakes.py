"""The outside services a Stack may be given before it starts (as its
before= hook): a fake Twilio, a real SMTP server keeping every message and
an S3-compatible server checking SigV4; and what each one received."""
import json
import os
import urllib.request

from harness_env import HERE


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
    with urllib.request.urlopen(req, timeout=5) as r:
        r.read()
