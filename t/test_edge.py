"""nginx's edge: its own errors in the API's JSON shape, and the browser
app's security headers."""
import html.parser
import json
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SRC, TestCase, main  # noqa: E402


def raw_request(port, data, timeout=10):
    """Send bytes; (status, headers dict lowercased, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            out += chunk
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    hdrs = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    if hdrs.get("transfer-encoding") == "chunked":
        dec, rest = b"", body
        while rest:
            n, _, rest = rest.partition(b"\r\n")
            n = int(n, 16)
            if n == 0:
                break
            dec, rest = dec + rest[:n], rest[n + 2:]
        body = dec
    return int(lines[0].split()[1]), hdrs, body


class Errors(TestCase):
    def assertJsonError(self, status, hdrs, body, want, code):
        self.assertEqual(status, want, body[:300])
        self.assertIn("application/json", hdrs.get("content-type", ""), hdrs)
        doc = json.loads(body)
        self.assertEqual(doc["error"]["code"], code, doc)
        self.assertTrue(doc["error"]["message"])
        self.assertRegex(hdrs.get("x-request-id", ""), "^[0-9a-f]{32}$")
        self.assertEqual(doc["error"]["request_id"], hdrs["x-request-id"])

    def req(self, data):
        return raw_request(self.stack.port, data)

    def test_400_bad_request(self):
        st, h, b = self.req(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
        self.assertJsonError(st, h, b, 400, "bad_request")

    def test_404_unknown_static_path(self):
        for path in ("/no-such-file.js", "/static/x/y.css", "/ws/", "/_err/404x"):
            r = self.stack.http("GET", path)
            self.assertJsonError(r.status, {k.lower(): v for k, v in r.headers.items()},
                                 r.raw, 404, "not_found")
        # The app itself is still served.
        r = self.stack.http("GET", "/")
        self.assertEqual(r.status, 200)
        self.assertIn("<html", r.raw.lower())

    def test_405_method_not_allowed(self):
        st, h, b = self.req(b"POST /index.html HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n"
                            b"Connection: close\r\n\r\n{}")
        self.assertJsonError(st, h, b, 405, "method_not_allowed")

    def test_413_body_too_large(self):
        st, h, b = self.req(b"POST /bulk_hiring/user_data/v1/signup/ HTTP/1.1\r\nHost: a\r\n"
                            b"Content-Type: application/json\r\nContent-Length: 999999999\r\n"
                            b"Connection: close\r\n\r\n{")
        self.assertJsonError(st, h, b, 413, "payload_too_large")

    def test_414_uri_too_long(self):
        st, h, b = self.req(b"GET /?" + b"a" * 20000 + b" HTTP/1.1\r\nHost: a\r\n"
                            b"Connection: close\r\n\r\n")
        self.assertJsonError(st, h, b, 414, "uri_too_long")

    def test_431_headers_too_large(self):
        st, h, b = self.req(b"GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + b"b" * 20000 +
                            b"\r\nConnection: close\r\n\r\n")
        self.assertJsonError(st, h, b, 431, "headers_too_large")

    def test_401_403_from_the_socket_check(self):
        u = self.stack.make_user()
        other = self.stack.make_user()
        name = u["user"]["username"]
        for path, want, code in (
                ("/ws/user/%s/?ticket=x" % name, 401, "not_authenticated"),
                ("/ws/user/%s/?token=%s" % (other["user"]["username"], u["access_token"]),
                 403, "forbidden")):
            st, h, b = self.req(("GET %s HTTP/1.1\r\nHost: a\r\nAccept: text/event-stream\r\n"
                                 "Connection: close\r\n\r\n" % path).encode())
            self.assertJsonError(st, h, b, want, code)

    def test_pool_down_is_json_503(self):
        s = self.stack
        s.stop_proc("fcgi")
        try:
            for path in ("/healthz", "/bulk_hiring/event/v1/event/"):
                st, h, b = self.req(("GET %s HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                                     % path).encode())
                self.assertJsonError(st, h, b, 503, "service_unavailable")
            # A socket handshake's check fails too: JSON 503 with
            # Retry-After (the client comes back), not auth_request's 500.
            st, h, b = self.req(b"GET /ws/user/abcdef/?ticket=x HTTP/1.1\r\nHost: a\r\n"
                                b"Accept: text/event-stream\r\nConnection: close\r\n\r\n")
            self.assertJsonError(st, h, b, 503, "service_unavailable")
            self.assertTrue(h.get("retry-after", h.get("Retry-After")), h)
        finally:
            s.start_fcgi()
        self.assertEqual(s.nginx_crashes(), [])


class ScriptScan(html.parser.HTMLParser):
    """Inline script or style in a page: script elements with content or
    without src, style elements and attributes, on* handlers, javascript:
    URLs."""

    def __init__(self):
        super().__init__()
        self.bad = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.in_script = True
            if not a.get("src"):
                self.bad.append("script without src")
        if tag == "style":
            self.bad.append("style element")
        for k, v in attrs:
            if k.startswith("on") or k == "style":
                self.bad.append("%s=%r on <%s>" % (k, v, tag))
            if v and v.strip().lower().startswith("javascript:"):
                self.bad.append("javascript: URL on <%s>" % tag)

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.bad.append("inline script: %r" % data[:60])


class Headers(TestCase):
    def headers_of(self, path):
        r = self.stack.http("GET", path)
        self.assertEqual(r.status, 200, path)
        return {k.lower(): v for k, v in r.headers.items()}

    def test_security_headers(self):
        for path in ("/", "/index.html", "/app.js", "/app.css"):
            h = self.headers_of(path)
            csp = h.get("content-security-policy", "")
            directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
            self.assertEqual(directives.get("frame-ancestors"), ["'none'"], csp)
            self.assertEqual(directives.get("script-src"), ["'self'"], csp)
            self.assertIn("default-src", directives)
            self.assertNotIn("'unsafe-inline'", csp)
            self.assertNotIn("'unsafe-eval'", csp)
            self.assertEqual(h.get("x-content-type-options"), "nosniff")
            self.assertIn(h.get("referrer-policy"), ("no-referrer", "same-origin"))
            pp = {p.split("=")[0].strip(): p.split("=")[1].strip()
                  for p in h.get("permissions-policy", "").split(",") if "=" in p}
            self.assertEqual(pp.get("camera"), "(self)")
            self.assertEqual(pp.get("microphone"), "(self)")
        # The API and nginx's errors carry them too.
        r = self.stack.http("GET", "/nope.html")
        self.assertIn("frame-ancestors 'none'", r.headers["Content-Security-Policy"])

    def test_index_has_no_inline_script(self):
        for served in (self.stack.http("GET", "/").raw,
                       open(os.path.join(SRC, "nginx", "www", "index.html")).read()):
            scan = ScriptScan()
            scan.feed(served)
            self.assertEqual(scan.bad, [])
            self.assertIn('src="/app.js"', served)


if __name__ == "__main__":
    main()
