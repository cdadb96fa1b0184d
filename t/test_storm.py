"""Every socket gets in: a reconnect storm (5,000 sockets connecting at
once, as after an nginx restart) ends with every handshake accepted, or
refused with a JSON 503 and Retry-After that a client honours; never a 500.

The sockets come from bench/wsclient, one epoll loop.
"""
import json
import os
import re
import socket
import subprocess
import sys

from harness import BUILD, Stack, TestCase, main, wait_for

CLIENT = os.path.join(BUILD, "bench", "wsclient")


def storm(stack, paths, retry=True, timeout=150):
    argv = [CLIENT, "-h", "127.0.0.1", "-p", str(stack.port)]
    if retry:
        argv += ["-r", "-R", "5"]
    out = subprocess.run(argv, input="\n".join(paths) + "\n", text=True,
                         capture_output=True, timeout=timeout, check=True)
    for line in out.stdout.splitlines():
        if line.startswith("READY "):
            print("wsclient:", line, file=sys.stderr)
            return json.loads(line[6:])
    raise AssertionError("no READY from wsclient: %r %r" % (out.stdout, out.stderr))


def handshake(port, path):
    """One raw WebSocket handshake: (status, headers dict, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n" % path).encode())
        data = b""
        while True:
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                if head.startswith(b"HTTP/1.1 101"):
                    break
                m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
                if m and len(body) >= int(m.group(1)):
                    break
                if not m and body.rstrip().endswith(b"}"):
                    break
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    hdrs = {k.strip().lower(): v.strip() for k, _, v in
            (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), hdrs, body.decode()


class Storm(TestCase):
    stack_args = {"fcgi_workers": 2}

    def user_paths(self, n):
        u = self.stack.make_user("Interviewee")
        me = self.stack.http("GET", "/bulk_hiring/user_data/v1/me/",
                             token=u["access_token"]).json
        return ["/ws/user/%s/?token=%s" % (me["username"], u["access_token"])] * n

    def test_5000_at_once(self):
        """5,000 handshakes at once: every one gets in (a refusal is a
        JSON 503 with Retry-After, tried again after it); no 500."""
        r = storm(self.stack, self.user_paths(5000))
        self.assertEqual(r["errors"], 0, r)
        self.assertEqual(r["status"], {"101": 5000}, r)
        self.assertEqual(r["open"], 5000, r)
        self.assertEqual(self.stack.nginx_crashes(), [])

    def test_pool_down_is_503_with_retry_after(self):
        """The pool out of reach: the handshake is a JSON 503 with
        Retry-After (auth_request alone answers 500)."""
        path = self.user_paths(1)[0]
        st, _, _ = handshake(self.stack.port, path)
        self.assertEqual(st, 101)
        self.stack.stop_proc("fcgi")
        try:
            st, hdrs, body = handshake(self.stack.port, path)
            self.assertEqual(st, 503, body)
            self.assertIn(int(hdrs.get("retry-after", "0")), (1, 2, 3, 4), hdrs)
            self.assertEqual(json.loads(body)["error"]["code"], "service_unavailable")
            # REST's 503 says when to come back too.
            r = self.stack.http("GET", "/healthz")
            self.assertEqual(r.status, 503)
            self.assertIn(int(r.headers.get("Retry-After", "0")), (1, 2, 3, 4))
        finally:
            self.stack.start_fcgi()
            wait_for(lambda: self.stack.http("GET", "/healthz").status == 200,
                     what="pool back")


class Storage(TestCase):
    stack_args = {"fcgi_workers": 1}

    def test_a_channel_keeps_few_messages(self):
        """A room is told through its members' channels, each keeping its
        own copy: with 50 kept a channel, a room of 5,000 filled nchan's
        shared memory after 26 messages and publishes failed
        (bench/fanout.py).  Five are kept, for at most a minute."""
        for i in range(8):
            self.assertIn(self.stack.publish("user_keep_test", {"n": i}), (201, 202))
        out = subprocess.run(["curl", "-sS", "--unix-socket", self.stack.env["NCHAN_PUB_SOCKET"],
                              "-H", "Accept: text/json", "http://nchan/pub/user_keep_test"],
                             capture_output=True, text=True, check=True)
        self.assertEqual(json.loads(out.stdout)["messages"], 5, out.stdout)


class SmallBacklog(TestCase):
    """A queue far too short for the burst: the overflow is refused with
    503 + Retry-After, and a client that honours it gets in."""
    stack_args = {"fcgi_workers": 2, "env": {"FCGI_BACKLOG": "16"}}

    def test_overflow_is_503_then_in(self):
        u = self.stack.make_user("Interviewee")
        me = self.stack.http("GET", "/bulk_hiring/user_data/v1/me/",
                             token=u["access_token"]).json
        paths = ["/ws/user/%s/?token=%s" % (me["username"], u["access_token"])] * 2000
        once = storm(self.stack, paths, retry=False)
        self.assertEqual(once["errors"], 0, once)
        self.assertEqual(set(once["status"]) - {"101", "503"}, set(), once)
        refused = once["status"].get("503", 0)
        self.assertGreater(refused, 0, "the short queue never overflowed: %r" % once)
        self.assertEqual(once["retry_after"], refused, once)
        self.assertEqual(once["json_errors"], refused, once)
        again = storm(self.stack, paths, retry=True)
        self.assertEqual(again["status"], {"101": 2000}, again)
        self.assertEqual(self.stack.nginx_crashes(), [])


if __name__ == "__main__":
    main()
