#!/usr/bin/python3
"""A real SMTP server (Debian's python3-aiosmtpd) that keeps every message.

Each message is written as DIR/<n>.eml (the exact DATA bytes) and
DIR/<n>.json (envelope sender and recipients), and answered
"250 2.0.0 Ok: queued as <n>".  Recipients whose address contains
"tempfail" are answered 451 and "permfail" 550, to exercise the sender's
retry rules.

Holding: while the file DIR/hold exists, a message to an address
containing "hold" is held after its final dot, unanswered: the sink
writes DIR/held (the recipient) and answers once DIR/hold is removed.  A
client that goes away meanwhile never got an answer, so its message was
not accepted: it is dropped (DIR/dropped gets the recipient, one line
per drop) and never stored.  An address containing "earlyhold" is held
the same way at RCPT instead, before any of the message was sent.

Mail holds personal data (sign-in codes among it): DIR is made 0700 and
every file in it 0600, whatever the umask.

Prints "PORT <n>" once listening.

usage: smtp_sink.py --dir DIR [--port N] [--user U --password P]
"""
import argparse
import asyncio
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def private_open(path, mode):
    """open() of a new file only its owner may read, never through a
    symlink."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    flags |= os.O_APPEND if mode.startswith("a") else os.O_TRUNC
    fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, mode)


class Sink:
    def __init__(self, d):
        self.dir = d
        self.lock = threading.Lock()
        os.makedirs(d, mode=0o700, exist_ok=True)
        st = os.lstat(d)
        if st.st_uid != os.geteuid():
            sys.exit("smtp_sink: %s is not ours" % d)
        os.chmod(d, 0o700)

    async def hold_while(self, what):
        hold = os.path.join(self.dir, "hold")
        with private_open(os.path.join(self.dir, "held"), "w") as f:
            f.write(what)
        try:
            while os.path.exists(hold):
                await asyncio.sleep(0.05)
        except asyncio.CancelledError:
            with private_open(os.path.join(self.dir, "dropped"), "a") as f:
                f.write(what + "\n")
            raise

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "earlyhold" in address and os.path.exists(os.path.join(self.dir, "hold")):
            await self.hold_while(address)
        if "tempfail" in address:
            return "451 4.3.0 try again later"
        if "permfail" in address:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any("hold" in a and "earlyhold" not in a for a in envelope.rcpt_tos) and \
                os.path.exists(os.path.join(self.dir, "hold")):
            await self.hold_while(" ".join(envelope.rcpt_tos))
        with self.lock:
            n = len([f for f in os.listdir(self.dir) if f.endswith(".eml")]) + 1
            base = os.path.join(self.dir, "%06d" % n)
            with private_open(base + ".eml.tmp", "wb") as f:
                f.write(envelope.original_content or envelope.content)
            with private_open(base + ".json", "w") as f:
                json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
            os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 Ok: queued as %06d" % n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--user")
    ap.add_argument("--password")
    a = ap.parse_args()
    kw = {}
    if a.user:
        def auth(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and data.login.decode() == a.user \
                and data.password.decode() == a.password
            return AuthResult(success=ok)
        kw = {"authenticator": auth, "auth_require_tls": False}
    port = a.port
    if port == 0:
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    ctl = Controller(Sink(a.dir), hostname="127.0.0.1", port=port,
                     decode_data=False, **kw)
    ctl.start()
    print("PORT %d" % port, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *x: stop.set())
    signal.signal(signal.SIGINT, lambda *x: stop.set())
    stop.wait()
    ctl.stop()
    sys.exit(0)


if __name__ == "__main__":
    asyncio.set_event_loop(asyncio.new_event_loop())
    main()
