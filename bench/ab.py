#!/usr/bin/python3
"""Two trees measured in one run: bench/accounts.py and bench/events.py
of each tree, alternately, ROUNDS times, so that both see the same
machine; prints the median req/s of every endpoint per tree and the
ratio new/old.

usage: bench/ab.py OLD_TREE NEW_TREE [--rounds 3] [--duration 5] [--no-cache]
Each tree must be built (its build/ directory, as script/test leaves it).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

LINE = re.compile(r"^(GET .*?)\s+(\d+) req/s\s+p50 (\S+)\s+p90 (\S+)\s+p99 (\S+)",
                  re.M)


def run(tree, bench, a):
    env = dict(os.environ, CONNECTIFY_SRCDIR=tree,
               CONNECTIFY_BUILDDIR=os.path.join(tree, "build"))
    cmd = ["/usr/bin/python3", os.path.join(tree, "bench", bench),
           "--duration", str(a.duration)]
    if a.no_cache:
        cmd.append("--no-cache")
    out = subprocess.run(cmd, env=env, capture_output=True, text=True,
                         check=True).stdout
    return {m.group(1): (int(m.group(2)), m.group(5))
            for m in LINE.finditer(out)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--no-cache", action="store_true")
    a = ap.parse_args()
    seen = {"old": {}, "new": {}}
    for i in range(a.rounds):
        order = ("old", "new") if i % 2 == 0 else ("new", "old")
        for which in order:
            tree = getattr(a, which)
            for bench in ("accounts.py", "events.py"):
                for name, (rps, p99) in run(tree, bench, a).items():
                    seen[which].setdefault(name, []).append(rps)
        print("round %d of %d done" % (i + 1, a.rounds), file=sys.stderr)
    print("%-52s %9s %9s %7s" % ("median req/s over %d rounds" % a.rounds,
                                 "old", "new", "new/old"))
    for name in seen["old"]:
        o = statistics.median(seen["old"][name])
        n = statistics.median(seen["new"].get(name, [0]))
        print("%-52s %9.0f %9.0f %7.3f" % (name, o, n, n / o if o else 0))


if __name__ == "__main__":
    main()
