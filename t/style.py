"""House style, kept by a tool (DESIGN.md section 10): every C file under
lib/, fcgi/, worker/, t/ and bench/ is indented with tabs, has no trailing
white space and keeps to 80 columns (tabs at 8).  A table too wide to read
folded may be fenced by "style: wide" and "style: end" comments.  Shell
scripts are checked with `sh -n`.  Prints the largest function and file as
figures, for the record."""
import glob
import os
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("CONNECTIFY_SRCDIR") or os.path.dirname(HERE)
C_DIRS = ("lib", "fcgi", "worker", "t", "t/fuzz", "bench")


def c_files():
    out = []
    for d in C_DIRS:
        out += glob.glob(os.path.join(SRC, d, "*.[ch]"))
    return sorted(out)


def problems(path):
    bad = []
    wide = False
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if "style: wide" in line:
                wide = True
            elif "style: end" in line:
                wide = False
            if line != line.rstrip():
                bad.append("%d: trailing white space" % n)
            if re.match(r"^ {8}", line):
                bad.append("%d: indented with spaces" % n)
            if not wide and len(line.expandtabs(8)) > 80:
                bad.append("%d: %d columns" % (n, len(line.expandtabs(8))))
    return bad


def functions(path):
    """(name, lines) of each top-level function: KNF puts the name at
    the start of a line and the body's braces in column 0."""
    out = []
    lines = open(path, encoding="utf-8").read().split("\n")
    start = name = None
    for i, line in enumerate(lines):
        m = re.match(r"^([a-z_][a-z0-9_]*)\(", line)
        if m:
            name = m.group(1)
        if line == "{" and name:
            start = i
        elif line == "}" and start is not None:
            out.append((name, i - start + 1))
            start = name = None
    return out


class Style(unittest.TestCase):
    def test_c_files(self):
        report = []
        for path in c_files():
            for p in problems(path):
                report.append("%s:%s" % (os.path.relpath(path, SRC), p))
        self.assertEqual(report, [], "\n" + "\n".join(report[:50]))

    def test_checker_can_fail(self):
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as f:
            f.write("int\nf(void)\n{\n        return 1; \n\t/* %s */\n}\n"
                    % ("x" * 80))
        try:
            got = problems(f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(len(got), 3, got)

    def test_shell_scripts_parse(self):
        for path in glob.glob(os.path.join(SRC, "script", "*")) + \
                [os.path.join(SRC, ".ci", "run")]:
            with open(path, encoding="utf-8") as f:
                if not f.readline().startswith("#!/bin/sh"):
                    continue
            r = subprocess.run(["sh", "-n", path], capture_output=True,
                               text=True)
            self.assertEqual(r.returncode, 0, path + ": " + r.stderr)

    def test_figures(self):
        funcs, files = [], []
        for path in c_files():
            rel = os.path.relpath(path, SRC)
            if rel.startswith(("fcgi/", "worker/", "lib/")):
                with open(path, encoding="utf-8") as f:
                    files.append((sum(1 for _ in f), rel))
                funcs += [(n, rel + ":" + f) for f, n in functions(path)]
        funcs.sort(reverse=True)
        files.sort(reverse=True)
        print("largest functions:", funcs[:3], file=sys.stderr)
        print("largest files:", files[:3], file=sys.stderr)
        self.assertTrue(funcs and files)


if __name__ == "__main__":
    prog = unittest.main(exit=False, verbosity=2)
    r = prog.result
    failed = len(r.failures) + len(r.errors)
    print("%d passed, %d failed" % (r.testsRun - failed, failed))
    sys.exit(1 if failed else 0)
