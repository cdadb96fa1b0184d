"""What make dist and make install ship: every migration, template and
browser file of the tree is listed in Makefile.am, so an installed or
packaged Connectify is the one the tests ran."""
import glob
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SRC  # noqa: E402


def listed():
    with open(os.path.join(SRC, "Makefile.am")) as f:
        text = f.read().replace("\\\n", " ")
    return set(re.findall(r"[\w./-]+", text))


class Dist(unittest.TestCase):
    def check(self, pattern, strip=""):
        names = listed()
        files = sorted(os.path.relpath(p, SRC) for p in glob.glob(os.path.join(SRC, pattern)))
        self.assertTrue(files, pattern)
        missing = [f for f in files if f[:len(f) - len(strip)] not in names]
        self.assertEqual(missing, [], "not in Makefile.am: %s" % missing)

    def test_migrations(self):
        self.check("sql/*.sql")

    def test_templates(self):
        self.check("templates/*")

    def test_browser_client(self):
        self.check("nginx/www/*")

    def test_browser_libraries(self):
        self.check("nginx/www/vendor/*")
        self.check("nginx/vendor/*.json")

    def test_suites_run(self):
        self.check("t/test_*.py")
        self.check("t/check_*.c", strip=".c")   # programs: their sources by default
        self.check("t/fakes/*.py")
        self.check("t/*.py")
        self.check("t/*.sh")
        self.check("t/browser/*.js")
        self.check("t/browser/*.json")


if __name__ == "__main__":
    prog = unittest.main(exit=False, verbosity=2)
    sys.exit(0 if prog.result.wasSuccessful() else 1)
