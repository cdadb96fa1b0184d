"""The Debian package installed into a clean Debian 12 root: apt resolves
its dependencies from Debian's archive, the maintainer scripts create the
user and the state directories, leave the services disabled and the
configuration root:connectify 0640, the programs run in the root (their
libraries came with the dependencies), and the package purges cleanly.

Slow (debootstrap fetches Debian's packages; the clean root is cached
as a tarball in the build directory and unpacked afresh each run) and
needs root and the network: it runs only with CONNECTIFY_INSTALL_TEST=1
(script/bootstrap --test installs debootstrap)."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BUILD, main  # noqa: E402

WANTED = os.environ.get("CONNECTIFY_INSTALL_TEST") == "1"
MIRROR = os.environ.get("CONNECTIFY_DEBIAN_MIRROR", "http://deb.debian.org/debian")
CACHE = os.path.join(BUILD, "t", "debian12-minbase.tar")


def clean_root():
    """A Debian 12 minbase root in a fresh directory."""
    if not os.path.exists(CACHE):
        tmp = tempfile.mkdtemp(prefix="connectify-debootstrap-")
        try:
            subprocess.run(["debootstrap", "--variant=minbase", "bookworm", tmp, MIRROR],
                           check=True, stdout=subprocess.DEVNULL)
            subprocess.run(["tar", "-C", tmp, "-cf", CACHE + ".tmp", "."], check=True)
            os.rename(CACHE + ".tmp", CACHE)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    root = tempfile.mkdtemp(prefix="connectify-root-")
    subprocess.run(["tar", "-C", root, "-xf", CACHE], check=True)
    return root


@unittest.skipUnless(WANTED, "CONNECTIFY_INSTALL_TEST=1 asks for it (slow, needs the network)")
@unittest.skipUnless(os.geteuid() == 0 and shutil.which("debootstrap"),
                     "needs root and debootstrap")
class Install(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        p = subprocess.run(["make", "-s", "deb"], cwd=BUILD, capture_output=True, text=True)
        if p.returncode != 0:
            sys.stderr.write(p.stdout[-4000:] + p.stderr[-4000:])
            raise AssertionError("make deb failed")
        debs = glob.glob(os.path.join(BUILD, "deb", "connectify_*.deb"))
        assert len(debs) == 1, debs
        cls.root = clean_root()
        cls.mounted = False
        shutil.copy(debs[0], os.path.join(cls.root, "tmp", "connectify.deb"))
        shutil.copy("/etc/resolv.conf", os.path.join(cls.root, "etc", "resolv.conf"))
        # No daemon starts in a chroot (Debian's policy-rc.d convention).
        rc = os.path.join(cls.root, "usr", "sbin", "policy-rc.d")
        with open(rc, "w") as f:
            f.write("#!/bin/sh\nexit 101\n")
        os.chmod(rc, 0o755)
        subprocess.run(["mount", "-t", "proc", "proc", os.path.join(cls.root, "proc")],
                       check=True)
        cls.mounted = True

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "mounted", False):
            subprocess.run(["umount", os.path.join(cls.root, "proc")])
        if getattr(cls, "root", None):
            shutil.rmtree(cls.root, ignore_errors=True)

    def chroot(self, *argv, check=True):
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND": "noninteractive",
               "LC_ALL": "C"}
        p = subprocess.run(["chroot", self.root] + list(argv), env=env, capture_output=True,
                           text=True, timeout=900)
        if check:
            self.assertEqual(p.returncode, 0, "%s:\n%s%s" % (argv, p.stdout[-3000:],
                                                           p.stderr[-3000:]))
        return p

    def path(self, p):
        return os.path.join(self.root, p.lstrip("/"))

    def test_install_run_purge(self):
        self.chroot("apt-get", "update", "-q")
        p = self.chroot("apt-get", "install", "-y", "-q", "--no-install-recommends",
                        "/tmp/connectify.deb")
        self.assertIn("configure /etc/connectify/connectify.env", p.stdout)
        self.assertIn("install ok installed",
                      self.chroot("dpkg-query", "-W", "-f", "${Status}", "connectify").stdout)
        # The user, its group (with nginx's user in it), the directories.
        self.assertEqual(self.chroot("id", "-u", "-n", "connectify").stdout.strip(),
                         "connectify")
        self.assertIn("connectify", self.chroot("id", "-nG", "www-data").stdout.split())
        for d in ("/var/lib/connectify/storage", "/var/lib/connectify/mail",
                  "/var/log/connectify"):
            out = self.chroot("stat", "-c", "%U:%G %a", d).stdout.strip()
            self.assertEqual(out, "connectify:connectify 750", d)
        self.assertEqual(self.chroot("stat", "-c", "%U:%G %a",
                                     "/etc/connectify/connectify.env").stdout.strip(),
                         "root:connectify 640")
        # Installed, not enabled, not started.
        for unit in ("connectify-fcgi.service", "connectify-worker.service"):
            self.assertTrue(os.path.exists(self.path("/lib/systemd/system/" + unit)))
            self.assertFalse(glob.glob(self.path("/etc/systemd/system/*.wants/" + unit)),
                             unit + " enabled")
        # The programs run: their libraries came with the dependencies.
        out = self.chroot("connectify-fcgi", "--sample-env").stdout
        self.assertIn("WORKER_PM", out)
        self.chroot("connectifyctl", "--help")
        self.chroot("connectify-worker", "--help-config")
        p = self.chroot("connectifyctl", "-c", "/etc/connectify/connectify.env", "migrate",
                        "-l", check=False)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)   # no PostgreSQL here
        self.assertTrue(os.path.exists(self.path("/usr/share/connectify/sql/001_accounts.sql")))
        self.assertTrue(os.path.exists(self.path("/usr/share/man/man8/connectifyctl.8.gz")))
        # The README's apt line resolves in Debian 12.
        self.chroot("apt-get", "install", "-s", "-q", "postgresql", "nginx-light",
                    "libnginx-mod-nchan")
        # Purge: the conffile goes, the user's files stay.
        self.chroot("apt-get", "purge", "-y", "-q", "connectify")
        self.assertFalse(os.path.exists(self.path("/usr/bin/connectifyctl")))
        self.assertFalse(os.path.exists(self.path("/etc/connectify/connectify.env")))


if __name__ == "__main__":
    main()
