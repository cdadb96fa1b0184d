"""Client frames on the interview socket never hurt nginx.

A socket is for receiving: whatever a client sends on it (text, binary,
fragmented, 1-16 MiB, a flood of 10,000 a second) may close that socket,
but no nginx worker may die, and every other subscriber, and the sender
once reconnected, still receives what is published afterwards.
"""
import asyncio
import base64
import json
import os
import socket
import struct
import sys
import time
import zlib

import websockets

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TestCase, main  # noqa: E402

MIB = 1 << 20


def frame(opcode, payload, fin=True, deflate=False):
    """One masked client frame; deflate: permessage-deflate compressed
    (RSV1), as browsers and most libraries send by default."""
    rsv1 = 0
    if deflate:
        z = zlib.compressobj(9, zlib.DEFLATED, -15)
        payload = z.compress(payload) + z.flush(zlib.Z_SYNC_FLUSH)
        payload = payload[:-4]
        rsv1 = 0x40
    head = bytes([(0x80 if fin else 0) | rsv1 | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    key = os.urandom(4)
    if n == 0:
        return head + key
    mask = (key * (n // 4 + 1))[:n]
    masked = (int.from_bytes(payload, "big") ^
              int.from_bytes(mask, "big")).to_bytes(n, "big")
    return head + key + masked


class RawSocket:
    """A WebSocket client that sends frames exactly as built."""

    def __init__(self, port, path):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
                        "Sec-WebSocket-Extensions: permessage-deflate; "
                        "client_max_window_bits\r\n\r\n"
                        % (path, port, key)).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.s.recv(4096)
            if not chunk:
                break
            head += chunk
        self.status = int(head.split(b" ", 2)[1]) if head else 0

    def send(self, data):
        """Send; False once the server has closed the connection."""
        try:
            self.s.sendall(data)
            return True
        except OSError:
            return False

    def drain(self, timeout):
        """Read what the server sends until it closes or timeout passes."""
        end = time.time() + timeout
        try:
            while time.time() < end:
                self.s.settimeout(max(0.05, end - time.time()))
                if not self.s.recv(65536):
                    return
        except OSError:
            pass

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


class Frames(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.stack
        hr = s.make_user("Hr")
        cls.iv = s.make_user("Interviewer")
        r = s.http("POST", "/bulk_hiring/event/v1/event/",
                   {"title": "Frames", "department": "Ops", "status": "Active",
                    "skills": {"required": ["C"], "preferred": []},
                    "rounds": [{"name": "One", "interviewers": [cls.iv["user"]["id"]],
                                "questions": ["Why?"]}]}, token=hr["access_token"])
        assert r.status == 201, r
        cls.round = r.json["rounds"][0]["round_id"]
        cls.users = [s.make_user() for _ in range(7)]

    def interview_path(self):
        return "/ws/connectify_bulk_hiring/%d/%s/?token=%s" % (
            self.round, self.iv["user"]["username"], self.iv["access_token"])

    def user_url(self, t):
        return "ws://127.0.0.1:%d/ws/user/%s/?token=%s" % (
            self.stack.port, t["user"]["username"], t["access_token"])

    def send_frames(self, frames, pace=None):
        """Open an interview socket, send frames; the server may close it."""
        ws = RawSocket(self.stack.port, self.interview_path())
        self.assertEqual(ws.status, 101)
        try:
            t0 = time.time()
            for i, f in enumerate(frames):
                if not ws.send(f):
                    break
                if pace and i % 1000 == 999:
                    # 10,000 frames a second at most
                    time.sleep(max(0, t0 + (i + 1) / pace - time.time()))
            # Stay, as a client waiting for an answer does.
            ws.drain(3)
        finally:
            ws.close()

    def all_receive(self, subs, tag):
        """Publish to every subscriber's channel; each must get its message."""
        async def go():
            loop = asyncio.get_running_loop()
            got = []
            for t, ws in subs:
                ch = "user_" + t["user"]["username"]
                st = await loop.run_in_executor(None, self.stack.publish, ch,
                                                {"tag": tag, "to": ch})
                self.assertEqual(st, 201, "no subscriber on %s" % ch)
            for t, ws in subs:
                while True:
                    m = json.loads(await asyncio.wait_for(ws.recv(), 5))
                    if m.get("tag") == tag:
                        break
                got.append(m["to"])
            return got
        return go()

    def test_frames_never_crash_nginx(self):
        big_text = b"x" * MIB
        kinds = [
            ("1 MiB non-JSON text, compressed", [frame(0x1, big_text, deflate=True)]),
            ("16 MiB text, compressed", [frame(0x1, b"w" * (16 * MIB), deflate=True)]),
            ("1 MiB binary, compressed", [frame(0x2, b"\0" * MIB, deflate=True)]),
            ("1 MiB non-JSON text", [frame(0x1, big_text)]),
            ("1 MiB non-JSON text again", [frame(0x1, big_text)]),
            ("4 MiB text", [frame(0x1, b"y" * (4 * MIB))]),
            ("16 MiB text", [frame(0x1, b"z" * (16 * MIB))]),
            ("1 MiB binary", [frame(0x2, os.urandom(MIB))]),
            ("fragmented 2 MiB text", [frame(0x1, big_text, fin=False),
                                       frame(0x0, big_text, fin=True)]),
            ("fragmented binary, never finished", [frame(0x2, b"a" * 70000, fin=False)] +
             [frame(0x0, b"b" * 70000, fin=False) for _ in range(20)]),
            ("a lone continuation", [frame(0x0, b"c" * 1000)]),
            ("small JSON action", [frame(0x1, b'{"action": "get_all_queues"}')]),
            ("5 KB JSON", [frame(0x1, json.dumps({"action": "get_all_queues",
                                                  "pad": "p" * 5000}).encode())]),
            ("bad UTF-8 text", [frame(0x1, b"\xff\xfe" * 10)]),
            ("oversized ping", [frame(0x9, b"p" * 2000)]),
        ]

        async def scenario():
            loop = asyncio.get_running_loop()
            subs = []
            async with websockets.connect(self.user_url(self.users[0])) as w0, \
                    websockets.connect(self.user_url(self.users[1])) as w1, \
                    websockets.connect(self.user_url(self.users[2])) as w2, \
                    websockets.connect(self.user_url(self.users[3])) as w3, \
                    websockets.connect(self.user_url(self.users[4])) as w4, \
                    websockets.connect(self.user_url(self.users[5])) as w5, \
                    websockets.connect(self.user_url(self.users[6])) as w6:
                subs = list(zip(self.users, (w0, w1, w2, w3, w4, w5, w6)))
                for name, frames in kinds:
                    await loop.run_in_executor(None, self.send_frames, frames)
                # A flood: 10,000 small frames a second for a second, on
                # two sockets at once.
                flood = [frame(0x1, b"not json %d" % i, deflate=i % 2 == 1)
                         for i in range(10000)]
                # Pings keep a socket open: 10,000 a second of them, and
                # of pongs, beside the data frames.
                pings = [frame(0x9 if i % 2 else 0xA, b"%d" % i) for i in range(10000)]
                await asyncio.gather(
                    loop.run_in_executor(None, self.send_frames, flood, 10000),
                    loop.run_in_executor(None, self.send_frames, flood, 10000),
                    loop.run_in_executor(None, self.send_frames, pings, 10000))
                self.assertEqual(self.stack.nginx_crashes(), [])
                got = await self.all_receive(subs, "after")
                self.assertEqual(len(got), 7)
            # The sender, reconnected, hears its channel.
            async with websockets.connect(
                    "ws://127.0.0.1:%d%s" % (self.stack.port, self.interview_path())) as ws:
                got = await self.all_receive([(self.iv, ws)], "sender")
                self.assertEqual(len(got), 1)
        asyncio.run(scenario())
        self.assertEqual(self.stack.nginx_crashes(), [])

    def test_new_sockets_on_every_worker_still_served(self):
        # After the frames, fresh sockets (spread over both workers) all
        # receive: no channel was left dead.
        async def go():
            socks = []
            try:
                for t in self.users:
                    for _ in range(3):
                        socks.append((t, await websockets.connect(self.user_url(t))))
                return await self.all_receive(socks, "fresh")
            finally:
                for _, w in socks:
                    await w.close()
        for _ in range(2):
            self.send_frames([frame(0x1, b"q" * MIB, deflate=True)])
        self.assertEqual(len(asyncio.run(go())), 21)
        self.assertEqual(self.stack.nginx_crashes(), [])


if __name__ == "__main__":
    main()
