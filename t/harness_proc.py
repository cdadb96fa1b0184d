"""Processes, ports and supervision: free ports reserved without races,
waiting for a condition, and the Processes part of a Stack (spawning the
pool, the worker and the fakes, logging each to a file, stopping them, and
checking what valgrind and the sanitizers reported)."""
import fcntl
import glob
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

from harness_env import BUILD, SANITIZE, VALGRIND

# Ports handed out by free_port() are taken below the kernel's ephemeral
# range (so no outgoing connection can hold one) and each is reserved for
# the life of this process by an flock on a file named for it, so suites
# running side by side never pick the same port between our check and the
# server's bind().  The lock's descriptor is not inherited by the programs
# we start (Python opens it close-on-exec), so it dies with this process.
_PORT_DIR = os.path.join(tempfile.gettempdir(), "connectify-ports")
_PORT_LOCKS = {}
_PORT_LOW = 20000


def _port_range():
    """[low, high): below the ephemeral range, 20000 up to 32000 or the
    range's first port, whichever is lower."""
    high = 32000
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            high = min(high, int(f.read().split()[0]))
    except (OSError, ValueError, IndexError):
        pass
    if high - _PORT_LOW < 1000:      # an unusual kernel setting
        return 1024, max(high, 2024)
    return _PORT_LOW, high


def _reserve(port):
    """The port's lock descriptor, or None when another process holds it."""
    try:
        fd = os.open(os.path.join(_PORT_DIR, str(port)),
                     os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                     0o666)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _bindable(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port():
    """A TCP port on 127.0.0.1 nobody listens on, reserved (flock) for
    this process so that no other suite takes it."""
    os.makedirs(_PORT_DIR, mode=0o1777, exist_ok=True)
    low, high = _port_range()
    rnd = random.Random(os.getpid() ^ int(time.time() * 1000))
    for _ in range(2000):
        port = rnd.randrange(low, high)
        if port in _PORT_LOCKS:
            continue
        fd = _reserve(port)
        if fd is None:
            continue
        if not _bindable(port):
            os.close(fd)
            continue
        _PORT_LOCKS[port] = fd
        return port
    raise RuntimeError("no free port")


def wait_for(pred, timeout=20.0, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if pred():
                return
        except Exception:
            pass
        time.sleep(0.05)
    raise RuntimeError("timed out waiting for " + what)


class Processes:
    """The stack's own processes, by name in self.procs; each one's output
    goes to <log>/<name>.log.  Needs self.env, self.log, self.procs,
    self.files."""

    def spawn(self, name, argv, env=None):
        logf = open(os.path.join(self.log, name + ".log"), "ab")
        self.files.append(logf)
        if VALGRIND and name in ("fcgi", "worker"):
            argv = ["valgrind", "-q", "--trace-children=yes", "--leak-check=no",
                    "--error-exitcode=99",
                    "--log-file=%s/%s.valgrind.%%p" % (self.log, name)] + argv
        env = dict(env or self.env)
        if SANITIZE and name in ("fcgi", "worker"):
            for var, what in (("ASAN_OPTIONS", "asan"), ("UBSAN_OPTIONS", "ubsan")):
                opts = [o for o in env.get(var, "").split(":") if o]
                opts.append("log_path=%s/%s.%s" % (self.log, name, what))
                env[var] = ":".join(opts)
        p = subprocess.Popen(argv, stdout=logf, stderr=subprocess.STDOUT,
                             env=env, start_new_session=True)
        self.procs[name] = p
        return p

    def start_fake(self, name, argv):
        """Start a fake/server that prints "PORT <n>" and return the port."""
        err = open(os.path.join(self.log, name + ".log"), "ab")
        self.files.append(err)
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, env=self.env,
                             start_new_session=True, text=True)
        self.procs[name] = p
        line = p.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError("%s did not start: %r" % (name, line))
        return int(line.split()[1])

    def start_fcgi(self):
        self.spawn("fcgi", [os.path.join(BUILD, "fcgi", "connectify-fcgi"),
                            "-n", str(self.fcgi_workers)])
        wait_for(lambda: os.path.exists(self.env["FCGI_SOCKET"]), what="fcgi socket")

    def start_worker(self):
        self.spawn("worker", [os.path.join(BUILD, "worker", "connectify-worker")])

    def stop_proc(self, name, sig=signal.SIGTERM, timeout=35):
        p = self.procs.pop(name, None)
        if p is None or p.poll() is not None:
            if p is not None and p.stdout is not None:
                p.stdout.close()
            return None
        p.send_signal(sig)
        try:
            return p.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            return p.wait()
        finally:
            if p.stdout is not None:
                p.stdout.close()

    def stop_procs(self):
        """Stop every process still running and close their log files."""
        for name in list(self.procs):
            self.stop_proc(name)
        for f in self.files:
            f.close()

    def check_reports(self):
        """Fail when valgrind or the sanitizers (whichever ran) reported."""
        if VALGRIND:
            self.check_valgrind()
        if SANITIZE:
            self.check_sanitizers()

    # A PDF parser child killed at its CPU or wall-clock limit (by design:
    # the PDF bomb tests) is a notice, not an error of ours.
    LIMIT_KILL = re.compile(r"Process terminating with default action of signal "
                            r"(24 \(SIGXCPU\)|9 \(SIGKILL\))")

    def check_valgrind(self):
        bad = []
        for f in glob.glob(os.path.join(self.log, "*.valgrind.*")):
            with open(f, errors="replace") as fh:
                text = fh.read().strip()
            heads = [ln for ln in text.splitlines()
                     if re.match(r"==\d+== \S", ln) and not re.match(r"==\d+==\s+(at|by) ", ln)]
            if heads and all(self.LIMIT_KILL.search(h) for h in heads):
                continue
            if text:
                bad.append(f + ":\n" + text[:4000])
        if bad:
            sys.stderr.write("\n".join(bad) + "\n")
            raise AssertionError("valgrind reported errors")

    def check_sanitizers(self):
        bad = []
        for f in glob.glob(os.path.join(self.log, "*.asan.*")) + \
                glob.glob(os.path.join(self.log, "*.ubsan.*")):
            with open(f, errors="replace") as fh:
                text = fh.read().strip()
            if text:
                bad.append(f + ":\n" + text[:6000])
        if bad:
            sys.stderr.write("\n".join(bad) + "\n")
            raise AssertionError("the sanitizers reported errors")

    def dump_logs(self):
        for f in sorted(glob.glob(os.path.join(self.log, "*.log"))):
            try:
                with open(f, errors="replace") as fh:
                    text = fh.read()
            except OSError:
                continue
            sys.stderr.write("==> %s (tail) <==\n%s\n" % (os.path.basename(f), text[-3000:]))
