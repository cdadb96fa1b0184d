#!/usr/bin/python3
"""A local stand-in for Twilio's REST API, speaking its wire format.

  POST /2010-04-01/Accounts/{sid}/Messages.json   (To, Body, From | MessagingServiceSid)
  POST /2010-04-01/Accounts/{sid}/Tokens.json     (Ttl)
  POST /_control  {"fail": 401|429|500, "count": n}  next n requests fail so

HTTP Basic auth is checked against --sid/--token (or --key/--secret).
Every request is appended as one JSON line to --log: method, path, auth
user, content type, parsed form.  Prints "PORT <n>" once listening.
"""
import argparse
import base64
import json
import secrets
import sys
import threading
import urllib.parse
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {"fail": None, "count": 0}
LOCK = threading.Lock()


def twilio_error(code, status, message):
    return {"code": code, "message": message,
            "more_info": "https://www.twilio.com/docs/errors/%d" % code, "status": status}


class Handler(BaseHTTPRequestHandler):
    server_version = "FakeTwilio/1.0"

    def log_message(self, fmt, *args):
        sys.stderr.write("twilio: " + fmt % args + "\n")

    def reply(self, status, body, headers=None):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n).decode("utf-8", "replace")
        if self.path == "/_control":
            with LOCK:
                c = json.loads(raw or "{}")
                STATE["fail"], STATE["count"] = c.get("fail"), int(c.get("count", 1))
            return self.reply(200, {"ok": True})
        form = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
        user = None
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                user, _, pw = base64.b64decode(auth[6:]).decode().partition(":")
            except ValueError:
                user, pw = None, None
        else:
            pw = None
        with open(self.server.args.log, "a") as f:
            f.write(json.dumps({"method": "POST", "path": self.path, "auth_user": user,
                                "content_type": self.headers.get("Content-Type"),
                                "form": form}) + "\n")
        with LOCK:
            fail = STATE["fail"] if STATE["count"] > 0 else None
            if fail:
                STATE["count"] -= 1
        a = self.server.args
        creds = {(a.sid, a.token)}
        if a.key:
            creds.add((a.key, a.secret))
        if (user, pw) not in creds or fail == 401:
            return self.reply(401, twilio_error(20003, 401, "Authenticate"))
        if fail == 429:
            return self.reply(429, twilio_error(20429, 429, "Too Many Requests"),
                              {"Retry-After": "7"})
        if fail:
            return self.reply(int(fail), twilio_error(20500, int(fail), "Internal Server Error"))
        parts = self.path.split("/")
        if len(parts) != 5 or parts[1] != "2010-04-01" or parts[2] != "Accounts" \
                or parts[3] != a.sid:
            return self.reply(404, twilio_error(20404, 404, "The requested resource was not found"))
        now = formatdate(usegmt=False)
        if parts[4] == "Messages.json":
            to = form.get("To", "")
            digits = to[1:] if to.startswith("+") else to
            if not digits.isdigit() or not 8 <= len(digits) <= 15:
                return self.reply(400, twilio_error(
                    21211, 400, "The 'To' number %s is not a valid phone number." % to))
            if not form.get("Body"):
                return self.reply(400, twilio_error(21602, 400, "Message body is required."))
            if not form.get("From") and not form.get("MessagingServiceSid"):
                return self.reply(400, twilio_error(21603, 400, "A 'From' phone number is required."))
            sid = "SM" + secrets.token_hex(16)
            return self.reply(201, {
                "sid": sid, "account_sid": a.sid,
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "from": form.get("From"), "to": to, "body": form["Body"],
                "status": "accepted" if form.get("MessagingServiceSid") else "queued",
                "num_segments": "1", "direction": "outbound-api", "price": None,
                "error_code": None, "error_message": None, "date_created": now,
                "date_sent": None,
                "uri": "/2010-04-01/Accounts/%s/Messages/%s.json" % (a.sid, sid)})
        if parts[4] == "Tokens.json":
            ttl = form.get("Ttl", "86400")
            if not ttl.isdigit() or not 0 < int(ttl) <= 86400:
                return self.reply(400, twilio_error(21618, 400, "Invalid Ttl"))
            user_ = secrets.token_hex(32)
            cred = base64.b64encode(secrets.token_bytes(32)).decode()
            servers = [{"url": "stun:global.stun.twilio.com:3478",
                        "urls": "stun:global.stun.twilio.com:3478"}]
            for u in ("turn:global.turn.twilio.com:3478?transport=udp",
                      "turn:global.turn.twilio.com:3478?transport=tcp",
                      "turn:global.turn.twilio.com:443?transport=tcp"):
                servers.append({"url": u, "urls": u, "username": user_, "credential": cred})
            return self.reply(201, {"account_sid": a.sid, "date_created": now,
                                    "date_updated": now, "ice_servers": servers,
                                    "password": cred, "ttl": ttl, "username": user_})
        return self.reply(404, twilio_error(20404, 404, "The requested resource was not found"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--sid", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--key")
    ap.add_argument("--secret")
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.args = args
    print("PORT %d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
