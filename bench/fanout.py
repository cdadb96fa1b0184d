#!/usr/bin/python3
"""Live-message fan-out: N subscribers, on one host and then on two hosts
sharing channels through Redis.

Two kinds of message, the same sockets count, in the same run:
- "one channel": N sockets of one user, so all on one channel; a plain
  one-channel publish reaches them all;
- "room": N sockets of N users, each on its own channel (how the
  application's sockets listen); a message is published the way the
  application tells a room, through lib/nchan.c, which packs the N channel
  names into publisher requests of at most 1,024 characters.

Both publishers are bench/roompub (lib/nchan.c, as the pool and the worker
publish); the subscribers are bench/wsclient (one epoll loop).  Printed:
deliveries per second and latency p50/p99 (publish to arrival).

usage: bench/fanout.py [--subscribers 5000] [--messages 100] [--rate 10]
                       [--hosts 1,2]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "t"))
from harness import BUILD, Stack  # noqa: E402
from test_hosts import Cluster, mint_token  # noqa: E402

CLIENT = os.path.join(BUILD, "bench", "wsclient")
PUB = os.path.join(BUILD, "bench", "roompub")


def users(stack, n, tag):
    rows = stack.sql("""
        INSERT INTO users (name, username, email, phone_number, user_type)
        SELECT 'Fan ' || i, 'fan_' || :'v1' || '_' || i, 'fan' || :'v1' || i || '@example.com',
               '+915' || :'v1' || lpad(i::text, 6, '0'), 'Interviewee'
        FROM generate_series(1, :'v2'::int) i RETURNING id, username""", tag, n)
    return [(int(u), name) for u, name in rows]


class Subscribers:
    """One wsclient on a host's port; READY once every socket is open."""

    def __init__(self, port, paths, want):
        self.p = subprocess.Popen([CLIENT, "-p", str(port), "-m", str(want), "-t", "15", "-r"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.p.stdin.write("\n".join(paths) + "\n")
        self.p.stdin.close()
        line = self.p.stdout.readline()
        if not line.startswith("READY "):
            raise RuntimeError("wsclient: %r" % line)
        self.ready = json.loads(line[6:])
        if self.ready["open"] != len(paths):
            raise RuntimeError("not every socket opened: %r" % self.ready)

    def done(self):
        line = self.p.stdout.readline()
        self.p.wait()
        return json.loads(line[5:])


def run(hosts, pub_socket, secret, n, messages, rate, kind, people):
    """Subscribe n sockets spread over hosts, publish, measure."""
    if kind == "one channel":
        uid, name = people[0]
        tok = mint_token(secret, uid, name)
        paths = ["/ws/user/%s/?token=%s" % (name, tok)] * n
        chans = "user_" + name
    else:
        paths = ["/ws/user/%s/?token=%s" % (name, mint_token(secret, uid, name))
                 for uid, name in people[:n]]
        chans = ",".join("user_" + name for _, name in people[:n])
    per = [paths[i::len(hosts)] for i in range(len(hosts))]
    subs = [Subscribers(h.port, p, len(p) * messages) for h, p in zip(hosts, per)]
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write(chans)
    try:
        out = subprocess.run([PUB, pub_socket, f.name, str(messages), str(rate)],
                             capture_output=True, text=True, timeout=600)
    finally:
        os.unlink(f.name)
    res = [s.done() for s in subs]
    deliveries = sum(r["deliveries"] for r in res)
    secs = max(r["seconds"] for r in res)
    return {"kind": kind, "hosts": len(hosts), "subscribers": n, "messages": messages,
            "rate": rate, "deliveries": deliveries, "expected": n * messages,
            "per_second": round(deliveries / secs) if secs else 0,
            # Worst host's percentiles (each wsclient reports its own).
            "p50_ms": max(r["p50_ms"] for r in res), "p99_ms": max(r["p99_ms"] for r in res),
            "publisher": out.stdout.strip()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--subscribers", type=int, default=5000)
    ap.add_argument("--messages", type=int, default=100)
    ap.add_argument("--rate", type=float, default=10)
    ap.add_argument("--hosts", default="1,2")
    a = ap.parse_args()
    subprocess.run(["make", "-s", "-C", BUILD, "bench/roompub", "bench/wsclient"], check=True)
    results = []
    for nh in [int(x) for x in a.hosts.split(",")]:
        if nh == 1:
            st = Stack(env={"LOG_LEVEL": "warn"}, fcgi_workers=2).start()
            hosts, secret, stop = [st], st.env["SECRET_KEY"], st.stop
        else:
            c = Cluster({"LOG_LEVEL": "warn"})
            c.start()
            hosts, secret, stop = c.hosts, c.secret, c.stop
        try:
            people = users(hosts[0], a.subscribers, "%d" % nh)
            for kind in ("one channel", "room"):
                r = run(hosts, hosts[0].env["NCHAN_PUB_SOCKET"], secret, a.subscribers,
                        a.messages, a.rate, kind, people)
                results.append(r)
                print(json.dumps(r), flush=True)
        finally:
            stop()
    print("\n| hosts | message | subscribers | msg/s | deliveries | deliveries/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print("| %d | %s | %d | %g | %d/%d | %d | %.1f | %.1f |" % (
            r["hosts"], r["kind"], r["subscribers"], r["rate"], r["deliveries"],
            r["expected"], r["per_second"], r["p50_ms"], r["p99_ms"]))


if __name__ == "__main__":
    threading.stack_size(1 << 20)
    main()
