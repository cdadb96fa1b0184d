"""House style, kept by a tool (DESIGN.md section 10).

- Every C file under lib/, fcgi/, worker/, ctl/, t/, t/fuzz/ and bench/ is
  indented with tabs, has no trailing white space and keeps to 80 columns
  (tabs at 8).  A table too wide to read folded may be fenced by
  "style: wide" and "style: end" comments.
- No C source file of lib/, fcgi/, worker/ or ctl/ is over 600 lines.
- No function of fcgi/ or worker/ is over 120 lines (lib/'s largest are
  printed, for the record).
- No call circle between the files of fcgi/: file A calls a non-static
  function defined in file B, B one of C's, ..., back to A.  A call is a
  name followed by "(" outside comments and strings; a function handed on
  by pointer (a route table's handler) is not a call.
- No include circle among the headers of fcgi/ and lib/.
- Shell scripts (#!/bin/sh) parse: `sh -n`.

Each failure names the offending places.  Prints the largest functions and
files as figures."""
import glob
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("CONNECTIFY_SRCDIR") or os.path.dirname(HERE)
C_DIRS = ("lib", "fcgi", "worker", "ctl", "t", "t/fuzz", "bench")
CODE_DIRS = ("lib", "fcgi", "worker", "ctl")     # file length
FUNC_DIRS = ("fcgi", "worker")                   # function length
MAX_FILE = 600
MAX_FUNC = 120
SHOW = 50                                        # lines of a report


def c_files(dirs=C_DIRS, pattern="*.[ch]", root=SRC):
    out = []
    for d in dirs:
        out += glob.glob(os.path.join(root, d, pattern))
    return sorted(out)


def rel(path, root=SRC):
    return os.path.relpath(path, root)


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def report(lines):
    """The failure message: the first SHOW lines and how many more."""
    more = len(lines) - SHOW
    return "\n" + "\n".join(lines[:SHOW]) + \
        ("\n... and %d more" % more if more > 0 else "")


# --- lines ------------------------------------------------------------------
def problems(path):
    bad = []
    wide = False
    for n, line in enumerate(read_lines(path), 1):
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


def line_count(path):
    with open(path, encoding="utf-8") as f:
        return sum(1 for _ in f)


# --- functions --------------------------------------------------------------
def functions(path):
    """(name, lines, first line) of each top-level function: KNF puts the
    name at the start of a line and the body's braces in column 0."""
    out = []
    start = name = None
    for i, line in enumerate(read_lines(path)):
        m = re.match(r"^([a-z_][a-z0-9_]*)\(", line)
        if m:
            name = m.group(1)
        if line == "{" and name:
            start = i
        elif line == "}" and start is not None:
            out.append((name, i - start + 1, start + 1))
            start = name = None
    return out


def long_functions(paths, limit=MAX_FUNC, root=SRC):
    return ["%s:%d: %s() is %d lines (over %d)" % (rel(p, root), at, name, n,
                                                   limit)
            for p in paths for name, n, at in functions(p) if n > limit]


def long_files(paths, limit=MAX_FILE, root=SRC):
    return ["%s: %d lines (over %d)" % (rel(p, root), n, limit)
            for p in paths for n in [line_count(p)] if n > limit]


# --- calls between files ----------------------------------------------------
def strip_code(text):
    """text with comments, string and character literals blanked (line
    breaks kept, so line numbers hold)."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|'
                  r"'(?:\\.|[^'\\\n])*'", blank, text, flags=re.S)


def definitions(path):
    """{name: static?} of the functions path defines: a name at the start
    of a line, then "(", its return type on the line above (KNF), the
    body's "{" in column 0 further down."""
    lines = strip_code("\n".join(read_lines(path))).split("\n")
    out = {}
    for i, line in enumerate(lines):
        m = re.match(r"^([A-Za-z_]\w*)\(", line)
        if not m or i == 0:
            continue
        prev = lines[i - 1]
        if not prev.strip() or prev.startswith(("#", " ", "\t")) or \
                prev.rstrip().endswith((";", "}", ",")):
            continue
        for j in range(i, min(i + 12, len(lines))):
            if lines[j].startswith("{"):
                out.setdefault(m.group(1),
                               bool(re.search(r"\bstatic\b", prev)))
                break
            if lines[j].rstrip().endswith(";"):
                break
    return out


def call_graph(paths):
    """{file: {file it calls: [(name, line of the call)]}} over paths: a
    file calls another when it calls a function the other defines without
    static (and it does not define itself)."""
    defs = {p: definitions(p) for p in paths}
    owner = {}
    for p in paths:
        for name, static in defs[p].items():
            if not static:
                owner.setdefault(name, p)
    graph = {p: {} for p in paths}
    for p in paths:
        mine = defs[p]
        text = strip_code("\n".join(read_lines(p)))
        for n, line in enumerate(text.split("\n"), 1):
            for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)\s*\(", line):
                name = m.group(1)
                callee = owner.get(name)
                if callee is None or callee == p or name in mine:
                    continue
                graph[p].setdefault(callee, []).append((name, n))
    return graph


def cycles(graph):
    """One circle (a list of nodes, the first repeated at the end) in each
    strongly connected component of graph ({node: iterable of nodes}) that
    has one."""
    index, low, stack, on, comps = {}, {}, [], set(), []

    def connect(v):         # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            comps.append(set(comp))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10000))
    try:
        for v in sorted(graph):
            if v not in index:
                connect(v)
    finally:
        sys.setrecursionlimit(limit)
    out = []
    for comp in comps:
        start = min(comp)
        if len(comp) == 1 and start not in graph.get(start, ()):
            continue
        out.append(circle_from(graph, comp, start))
    return sorted(out)


def circle_from(graph, comp, start):
    """The shortest path from start back to start inside comp."""
    prev = {start: None}
    todo = [start]
    while todo:
        nxt = []
        for v in todo:
            for w in sorted(graph.get(v, ())):
                if w == start:
                    path = [v]
                    while prev[path[-1]] is not None:
                        path.append(prev[path[-1]])
                    return path[::-1] + [start]
                if w in comp and w not in prev:
                    prev[w] = v
                    nxt.append(w)
        todo = nxt
    return [start, start]


def call_circles(paths, root=SRC):
    """A line per circle: each step with its first call site."""
    graph = call_graph(paths)
    out = []
    for circle in cycles(graph):
        steps = []
        for a, b in zip(circle, circle[1:]):
            name, n = graph[a][b][0]
            steps.append("%s:%d calls %s() of %s" % (rel(a, root), n, name,
                                                     rel(b, root)))
        out.append("call circle: " + "; ".join(steps))
    return out


# --- includes ---------------------------------------------------------------
def include_graph(paths, search):
    """{header: {header it includes}} among paths; "x.h" is looked for
    beside the includer, then in the search directories."""
    known = set(paths)
    graph = {p: set() for p in paths}
    for p in paths:
        for line in read_lines(p):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m:
                continue
            for d in [os.path.dirname(p)] + list(search):
                cand = os.path.normpath(os.path.join(d, m.group(1)))
                if os.path.exists(cand):
                    if cand in known:
                        graph[p].add(cand)
                    break
    return graph


def include_circles(paths, search, root=SRC):
    return ["include circle: " + " -> ".join(rel(p, root) for p in c)
            for c in cycles(include_graph(paths, search))]


class Style(unittest.TestCase):
    def clean(self, out):
        """Fails naming every place in out (the checker's lines)."""
        if out:
            self.fail("%d found:%s" % (len(out), report(out)))

    def test_c_files(self):
        out = []
        for path in c_files():
            for p in problems(path):
                out.append("%s:%s" % (rel(path), p))
        if out:
            files = {}
            for line in out:
                name = line.split(":")[0]
                files[name] = files.get(name, 0) + 1
            out.insert(0, "in " + ", ".join("%s (%d)" % kv
                                            for kv in sorted(files.items())))
        self.clean(out)

    def test_file_length(self):
        out = long_files(c_files(CODE_DIRS, "*.c"))
        self.clean(out)

    def test_function_length(self):
        out = long_functions(c_files(FUNC_DIRS, "*.c"))
        self.clean(out)

    def test_no_call_circle(self):
        out = call_circles(c_files(("fcgi",), "*.c"))
        self.clean(out)

    def test_columns_by_name(self):
        """Result columns are read by name (db_text(), db_num(), ...):
        a literal index breaks silently when a statement's columns move;
        only lib/db.c, which implements the accessors, uses indices."""
        literal = re.compile(r"\b(?:PQgetvalue|PQgetisnull|PQgetlength|"
                             r"db_long|db_val)\([^,()]+,[^,()]+,\s*\d+\s*\)")
        out = []
        for path in c_files(("fcgi", "worker", "ctl", "lib"), "*.c"):
            if rel(path) == os.path.join("lib", "db.c"):
                continue
            for n, line in enumerate(read_lines(path), 1):
                if literal.search(line):
                    out.append("%s:%d: column by index" % (rel(path), n))
        self.clean(out)

    def test_no_include_circle(self):
        out = include_circles(c_files(("fcgi", "lib"), "*.h"),
                              [os.path.join(SRC, "lib")])
        self.clean(out)

    def test_checker_can_fail(self):
        with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as f:
            f.write("int\nf(void)\n{\n        return 1; \n\t/* %s */\n}\n"
                    % ("x" * 80))
        try:
            got = problems(f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(len(got), 3, got)

    def plant(self, files):
        """A directory holding files ({name: text}); removed at cleanup."""
        d = tempfile.TemporaryDirectory()
        self.addCleanup(d.cleanup)
        for name, text in files.items():
            with open(os.path.join(d.name, name), "w",
                      encoding="utf-8") as f:
                f.write(text)
        return d.name, sorted(os.path.join(d.name, n) for n in files)

    def test_checker_finds_call_circle(self):
        body = "{\n\treturn %s;\n}\n"
        root, paths = self.plant({
            # a.c -> b.c -> c.c -> a.c; d.c only calls in (no circle).
            "a.c": "int\na_one(void)\n" + body % "b_two() + 1",
            "b.c": "int\nb_two(void)\n" + body % "c_three()",
            "c.c": "/* a_one() */\nint\nc_three(void)\n" +
                   body % "a_one()",
            "d.c": "int\nd_four(void)\n" + body % "a_one() + b_two()",
            # a static function of the same name is its file's own.
            "e.c": "static int\nb_two(void)\n" + body % "0" +
                   "int\ne_five(void)\n" + body % "b_two()",
        })
        got = call_circles(paths, root)
        self.assertEqual(got, ["call circle: a.c:4 calls b_two() of b.c; "
                               "b.c:4 calls c_three() of c.c; "
                               "c.c:5 calls a_one() of a.c"], got)
        # Broken by passing a pointer instead of calling: no circle.
        with open(paths[2], "w", encoding="utf-8") as f:
            f.write("int (*c_hook)(void) = a_one;\n")
        self.assertEqual(call_circles(paths, root), [])

    def test_checker_finds_include_circle(self):
        root, paths = self.plant({
            "x.h": '#include "y.h"\n', "y.h": '#include "z.h"\n',
            "z.h": '#include <stdio.h>\n#include "x.h"\n', "w.h": '#include "x.h"\n'})
        got = include_circles(paths, [], root)
        self.assertEqual(got, ["include circle: x.h -> y.h -> z.h -> x.h"])

    def test_checker_finds_long_code(self):
        root, paths = self.plant({
            "f.c": "int\nbig(void)\n{\n" + "\tx();\n" * 119 + "}\n" +
                   "int\nsmall(void)\n{\n}\n" + "\n" * 474})
        self.assertEqual(long_functions(paths, root=root),
                         ["f.c:3: big() is 121 lines (over 120)"])
        self.assertEqual(long_files(paths, root=root),
                         ["f.c: 601 lines (over 600)"])

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
        funcs, files, libs = [], [], []
        for path in c_files(CODE_DIRS, "*.c"):
            name = rel(path)
            files.append((line_count(path), name))
            got = [(n, "%s:%d %s()" % (name, at, f))
                   for f, n, at in functions(path)]
            funcs += got
            if name.startswith("lib/"):
                libs += got
        for what, figures in (("largest functions", funcs),
                              ("largest functions of lib/", libs),
                              ("largest files", files)):
            print(what + ":", sorted(figures, reverse=True)[:3],
                  file=sys.stderr)
        self.assertTrue(funcs and files and libs)


if __name__ == "__main__":
    prog = unittest.main(exit=False, verbosity=2)
    r = prog.result
    failed = len(r.failures) + len(r.errors)
    print("%d passed, %d failed" % (r.testsRun - failed, failed))
    sys.exit(1 if failed else 0)
