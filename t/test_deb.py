"""make deb: the Debian package holds the programs, the units, the
migrations, the templates, the browser application, the nginx site and
the manual pages; its maintainer scripts create the user and leave the
services stopped and disabled; lintian finds no error.  Runs only where
dpkg-buildpackage and debhelper are installed (script/bootstrap --test)."""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BUILD, SRC, main  # noqa: E402

HAVE = shutil.which("dpkg-buildpackage") and shutil.which("dh")


@unittest.skipUnless(HAVE, "dpkg-buildpackage and debhelper not installed")
class Deb(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        p = subprocess.run(["make", "-s", "deb"], cwd=BUILD, capture_output=True, text=True)
        if p.returncode != 0:
            sys.stderr.write(p.stdout[-4000:] + p.stderr[-4000:])
            raise AssertionError("make deb failed")
        debs = glob.glob(os.path.join(BUILD, "deb", "connectify_*.deb"))
        assert len(debs) == 1, debs
        cls.deb = debs[0]
        cls.tmp = tempfile.mkdtemp(prefix="connectify-deb-")
        cls.files = subprocess.run(["dpkg-deb", "-c", cls.deb], capture_output=True,
                                   text=True, check=True).stdout
        cls.paths = set(line.split()[-1].lstrip(".") if " -> " not in line
                        else line.split(" -> ")[0].split()[-1].lstrip(".")
                        for line in cls.files.splitlines())
        subprocess.run(["dpkg-deb", "-x", cls.deb, os.path.join(cls.tmp, "root")], check=True)
        subprocess.run(["dpkg-deb", "-e", cls.deb, os.path.join(cls.tmp, "control")], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def control(self, name):
        with open(os.path.join(self.tmp, "control", name)) as f:
            return f.read()

    def test_contents(self):
        want = ["/usr/bin/connectify-fcgi", "/usr/bin/connectify-worker",
                "/usr/bin/connectify-parse", "/usr/bin/connectifyctl",
                "/lib/systemd/system/connectify-fcgi.service",
                "/lib/systemd/system/connectify-worker.service",
                "/usr/lib/tmpfiles.d/connectify.conf",
                "/etc/connectify/connectify.env",
                "/usr/share/connectify/nginx/connectify-site.conf",
                "/usr/share/connectify/openapi.yaml",
                "/usr/share/man/man8/connectify-fcgi.8.gz",
                "/usr/share/man/man8/connectify-worker.8.gz",
                "/usr/share/man/man8/connectifyctl.8.gz",
                "/usr/share/man/man8/connectify-parse.8.gz",
                "/usr/share/man/man5/connectify.env.5.gz"]
        for d, pattern in (("sql", "sql/*.sql"), ("templates", "templates/*"),
                           ("nginx/www", "nginx/www/*"),
                           ("nginx/www/vendor", "nginx/www/vendor/*")):
            for f in filter(os.path.isfile, glob.glob(os.path.join(SRC, pattern))):
                want.append("/usr/share/connectify/%s/%s" % (d, os.path.basename(f)))
        missing = [p for p in want if p not in self.paths]
        self.assertEqual(missing, [], self.files)
        # The shipped configuration is the packaged layout, then the
        # sample (postinst makes it root:connectify 0640 before anyone
        # writes a secret in it).
        with open(os.path.join(SRC, "etc", "connectify.layout")) as f:
            layout = f.read()
        with open(os.path.join(SRC, "etc", "connectify.env")) as f:
            sample = f.read()
        with open(os.path.join(self.tmp, "root", "etc/connectify/connectify.env")) as g:
            self.assertEqual(g.read(), layout + sample)
        # The layout is what the units set, so connectifyctl, reading
        # only the file, finds the pool and the storage of the services.
        with open(os.path.join(self.tmp, "root", "lib/systemd/system/connectify-fcgi.service")) as f:
            unit = dict(re.findall(r"^Environment=(\w+)=(\S+)$", f.read(), re.M))
        self.assertEqual(dict(re.findall(r"^(\w+)=(\S+)$", layout, re.M)), unit)
        self.assertIn("/etc/connectify/connectify.env", self.control("conffiles"))

    def test_programs_run(self):
        root = os.path.join(self.tmp, "root")
        p = subprocess.run([root + "/usr/bin/connectifyctl", "migrate", "--help"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        # Built for /usr: the installed migrations are the default.
        self.assertIn("/usr/share/connectify/sql", subprocess.run(
            ["strings", root + "/usr/bin/connectifyctl"], capture_output=True, text=True).stdout)
        with open(os.path.join(root, "usr/share/connectify/nginx/connectify-site.conf")) as f:
            self.assertIn("root /usr/share/connectify/nginx/www;", f.read())

    def test_maintainer_scripts(self):
        post = self.control("postinst")
        self.assertIn("adduser --quiet --system --group --home /var/lib/connectify", post)
        # Installed stopped and disabled: no start, no enable.
        self.assertNotRegex(post, r"deb-systemd-invoke\s+(start|restart)")
        # dh keeps an admin's enabling across upgrades ("was-enabled"),
        # and enables nothing by itself.
        lines = post.splitlines()
        for i, line in enumerate(lines):
            if re.search(r"deb-systemd-helper\s+enable", line):
                self.assertIn("was-enabled", "\n".join(lines[max(0, i - 3):i]))
        self.assertRegex(post, r"systemd-tmpfiles .*--create connectify\.conf")
        self.assertRegex(post, r"chown root:connectify /etc/connectify/connectify\.env\n"
                               r"\s+chmod 0640 /etc/connectify/connectify\.env")
        p = subprocess.run(["sh", "-n", os.path.join(self.tmp, "control", "postinst")])
        self.assertEqual(p.returncode, 0)
        deps = subprocess.run(["dpkg-deb", "-f", self.deb, "Depends"], capture_output=True,
                              text=True, check=True).stdout
        for dep in ("adduser", "libpq5", "libfcgi"):
            self.assertIn(dep, deps)

    def test_lintian(self):
        if not shutil.which("lintian"):
            self.skipTest("lintian not installed")
        p = subprocess.run(["lintian", "--allow-root", "--tag-display-limit", "0", self.deb],
                           capture_output=True, text=True)
        out = p.stdout + p.stderr
        sys.stderr.write("lintian:\n" + out)
        errors = [ln for ln in out.splitlines() if re.match(r"E: ", ln)]
        self.assertEqual(errors, [], out)


if __name__ == "__main__":
    main()
