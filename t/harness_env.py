"""Where the tree and the programs are, and how the suites run: shared by
every part of the harness.

CONNECTIFY_SRCDIR / CONNECTIFY_BUILDDIR (set by make check) name the source
and build trees; by default the repository this file lives in and its
build/ directory (or the source tree itself, built in place).
CONNECTIFY_VALGRIND=1 runs the pool and the worker under valgrind;
CONNECTIFY_SANITIZE=1 (script/test --asan) collects the sanitizers' reports.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("CONNECTIFY_SRCDIR") or os.path.dirname(HERE)
BUILD = (os.environ.get("CONNECTIFY_BUILDDIR")
         or (os.path.join(SRC, "build")
             if os.path.isdir(os.path.join(SRC, "build", "fcgi")) else SRC))
IS_ROOT = os.geteuid() == 0
VALGRIND = os.environ.get("CONNECTIFY_VALGRIND") == "1"
# script/test --asan: the programs' sanitizer reports go to files in the
# stack's log directory, and any report fails the suite.
SANITIZE = os.environ.get("CONNECTIFY_SANITIZE") == "1"
