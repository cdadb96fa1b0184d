#!/usr/bin/python3
"""An S3-compatible object server for tests (path-style), that checks every
request's Signature Version 4 with AWS's own code (Debian's
python3-botocore), independently of the client under test.

  PUT /bucket/key      store (checks x-amz-content-sha256 against the body)
  GET /bucket/key      fetch, header-signed or presigned (X-Amz-*)
  HEAD, DELETE         as S3 does
  POST /_control       {"secret_key": "..."}: verify with another secret
                       from now on (a rotated key), unsigned; tests only
Errors are S3's XML: SignatureDoesNotMatch, InvalidAccessKeyId,
AccessDenied (expired), XAmzContentSHA256Mismatch, NoSuchKey.
Objects live under --dir/<bucket>/<key>.  Prints "PORT <n>".
"""
import argparse
import datetime
import hashlib
import hmac
import json
import os
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def sign_at(auth, req, amzdate):
    """auth.add_auth(req) at the request's own X-Amz-Date: botocore's
    add_auth signs at its clock's current second, so a request signed in an
    earlier second would not verify.  The same steps, without the clock."""
    req.context["timestamp"] = amzdate
    auth._modify_request_before_signing(req)
    canonical = auth.canonical_request(req)
    auth._inject_signature_to_request(
        req, auth.signature(auth.string_to_sign(req, canonical), req))


def xml_error(code, message):
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code>"
            "<Message>%s</Message><RequestId>0</RequestId><HostId>test</HostId></Error>"
            % (code, message)).encode()


class Handler(BaseHTTPRequestHandler):
    server_version = "TestS3/1.0"

    def log_message(self, fmt, *args):
        sys.stderr.write("s3: " + fmt % args + "\n")

    def send(self, status, body=b"", ctype="application/xml", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def check(self, body):
        """None when the signature is right, else (status, code, message)."""
        a = self.server.args
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query, keep_blank_values=True)
        url = "http://%s%s" % (self.headers["Host"], u.path)
        if "X-Amz-Signature" in q:
            cred = q["X-Amz-Credential"][0].split("/")
            if cred[0] != a.access_key:
                return 403, "InvalidAccessKeyId", "unknown access key"
            amzdate = q["X-Amz-Date"][0]
            expires = int(q["X-Amz-Expires"][0])
            t = datetime.datetime.strptime(amzdate, "%Y%m%dT%H%M%SZ").replace(
                tzinfo=datetime.timezone.utc)
            if datetime.datetime.now(datetime.timezone.utc) > t + datetime.timedelta(seconds=expires):
                return 403, "AccessDenied", "Request has expired"
            req = AWSRequest(method=self.command, url=url, headers={"Host": self.headers["Host"]})
            sign_at(S3SigV4QueryAuth(Credentials(a.access_key, a.secret_key), "s3", cred[2],
                                     expires=expires), req, amzdate)
            want = urllib.parse.parse_qs(urllib.parse.urlsplit(req.url).query)["X-Amz-Signature"][0]
            got = q["X-Amz-Signature"][0]
        else:
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("AWS4-HMAC-SHA256 "):
                return 403, "AccessDenied", "no signature"
            parts = dict(p.strip().split("=", 1) for p in auth[17:].split(","))
            cred = parts["Credential"].split("/")
            if cred[0] != a.access_key:
                return 403, "InvalidAccessKeyId", "unknown access key"
            sha = self.headers.get("x-amz-content-sha256")
            if sha != "UNSIGNED-PAYLOAD" and sha != hashlib.sha256(body).hexdigest():
                return 400, "XAmzContentSHA256Mismatch", "payload hash differs"
            signed = parts["SignedHeaders"].split(";")
            hdrs = {h: self.headers[h] for h in signed}
            req = AWSRequest(method=self.command, url=url, headers=hdrs, data=body)
            req.context["payload_signing_enabled"] = True
            sign_at(S3SigV4Auth(Credentials(a.access_key, a.secret_key), "s3", cred[2]),
                    req, self.headers["x-amz-date"])
            want = req.headers["Authorization"].rsplit("Signature=", 1)[1]
            got = parts["Signature"]
        if not hmac.compare_digest(want, got):
            return 403, "SignatureDoesNotMatch", "The request signature we calculated does not match"
        return None

    def target(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        parts = path.lstrip("/").split("/", 1)
        if len(parts) != 2 or ".." in parts[1]:
            return None
        return os.path.join(self.server.args.dir, parts[0], parts[1])

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if self.command == "POST" and urllib.parse.urlsplit(self.path).path == "/_control":
            self.server.args.secret_key = json.loads(body)["secret_key"]
            return self.send(200, b"{}", "application/json")
        bad = self.check(body)
        if bad:
            return self.send(bad[0], xml_error(bad[1], bad[2]))
        f = self.target()
        if f is None:
            return self.send(400, xml_error("InvalidRequest", "path-style only"))
        if self.command == "PUT":
            os.makedirs(os.path.dirname(f), exist_ok=True)
            with open(f + ".tmp", "wb") as fh:
                fh.write(body)
            os.rename(f + ".tmp", f)
            return self.send(200, extra={"ETag": '"%s"' % hashlib.md5(body).hexdigest()})
        if self.command == "DELETE":
            if os.path.exists(f):
                os.unlink(f)
            return self.send(204)
        if not os.path.exists(f):
            return self.send(404, xml_error("NoSuchKey", "The specified key does not exist."))
        with open(f, "rb") as fh:
            data = fh.read()
        return self.send(200, data, "application/octet-stream")

    do_PUT = do_GET = do_HEAD = do_DELETE = do_POST = handle_any


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--access-key", required=True)
    ap.add_argument("--secret-key", required=True)
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.args = args
    print("PORT %d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
