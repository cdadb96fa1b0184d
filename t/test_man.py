"""The manual pages: valid mdoc (mandoc -T lint, or groff's warnings),
and complete: every configuration key, every connectifyctl command and
every option of the programs is in its page."""
import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BUILD, SRC, main  # noqa: E402

MAN = os.path.join(SRC, "man")
PAGES = ["connectify-fcgi.8", "connectify-worker.8", "connectifyctl.8", "connectify-parse.8",
         "connectify.env.5"]


def page(name):
    with open(os.path.join(MAN, name)) as f:
        return f.read()


def run(*argv):
    p = subprocess.run(argv, capture_output=True, text=True)
    return p.stdout + p.stderr


class Man(unittest.TestCase):
    def test_lint(self):
        if shutil.which("mandoc"):
            for p in PAGES:
                out = subprocess.run(["mandoc", "-T", "lint", "-W", "warning",
                                      os.path.join(MAN, p)], capture_output=True, text=True)
                self.assertEqual(out.stdout + out.stderr, "", p)
                self.assertEqual(out.returncode, 0, p)
        elif shutil.which("groff"):
            for p in PAGES:
                out = subprocess.run(["groff", "-mandoc", "-ww", "-z", os.path.join(MAN, p)],
                                     capture_output=True, text=True)
                self.assertEqual(out.stderr, "", p)
        else:
            self.skipTest("neither mandoc nor groff")

    def test_every_key_in_env_page(self):
        keys = re.findall(r"^([A-Z][A-Z0-9_]+) ", run(os.path.join(BUILD, "fcgi", "connectify-fcgi"),
                                                      "--help-config"), re.M)
        self.assertGreater(len(keys), 50)
        documented = set(re.findall(r"^\.It Ev (\S+)", page("connectify.env.5"), re.M))
        self.assertEqual(sorted(set(keys) - documented), [])
        self.assertEqual(sorted(documented - set(keys)), [], "documented keys that do not exist")

    def test_every_ctl_command_in_its_page(self):
        top = run(os.path.join(BUILD, "ctl", "connectifyctl"), "--help")
        cmds = re.findall(r"^  ([a-z-]+)", top, re.M)
        self.assertIn("check-config", cmds)
        text = page("connectifyctl.8")
        for c in cmds:
            self.assertRegex(text, r"(?m)^\.It Cm %s\b" % re.escape(c))

    def test_every_option_in_its_page(self):
        for prog, name in (("fcgi/connectify-fcgi", "connectify-fcgi.8"),
                           ("worker/connectify-worker", "connectify-worker.8"),
                           ("worker/connectify-parse", "connectify-parse.8")):
            usage = run(os.path.join(BUILD, prog), "--no-such-option")
            opts = set(re.findall(r"(?<![\w-])(--[a-z-]+|-[a-z])\b", usage)) - {"--no-such-option"}
            self.assertTrue(opts, usage)
            text = page(name)
            for o in opts:
                mdoc = "Fl \\-" + o[2:] if o.startswith("--") else "Fl " + o[1:]
                self.assertIn(mdoc, text, "%s: %s" % (name, o))


if __name__ == "__main__":
    main()
