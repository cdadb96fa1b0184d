"""openapi.yaml and the route table agree: every route is documented with
its method, and every documented operation is routed."""
import os
import re
import sys
import unittest

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SRC, main  # noqa: E402

METHODS = {"get", "post", "put", "patch", "delete"}


def routes():
    with open(os.path.join(SRC, "fcgi", "route.c")) as f:
        text = f.read()
    macros = dict(re.findall(r'#define\s+(\w+)\s+"([^"]*)"', text))
    table = text[text.index("const struct route routes[]"):]
    table = table[:table.index("};")]
    out = set()
    for m in re.finditer(r'\{\s*"([A-Z]+)",\s*((?:\w+\s+)?"[^"]*")', table):
        method, expr = m.group(1), m.group(2)
        parts = expr.split()
        path = (macros[parts[0]] + parts[1].strip('"')) if len(parts) == 2 else expr.strip('"')
        if path.startswith("/internal/"):
            continue
        out.add((method, path))
    return out


def documented():
    with open(os.path.join(SRC, "openapi.yaml")) as f:
        spec = yaml.safe_load(f)
    out = set()
    for path, ops in (spec.get("paths") or {}).items():
        for method, op in ops.items():
            if method in METHODS:
                p = re.sub(r"/\{[^}]+\}$", "", path)
                out.add((method.upper(), p.rstrip("/") or "/"))
    return spec, out


class OpenAPI(unittest.TestCase):
    def test_routes_match_spec(self):
        r = routes()
        _, d = documented()
        self.assertGreater(len(r), 10)
        self.assertEqual(sorted(r - d), [], "routes missing from openapi.yaml")
        self.assertEqual(sorted(d - r), [], "documented but not routed")

    def test_operations_have_responses(self):
        spec, _ = documented()
        self.assertTrue(spec["openapi"].startswith("3."))
        for path, ops in spec["paths"].items():
            for method, op in ops.items():
                if method in METHODS:
                    self.assertTrue(op.get("summary"), "%s %s: no summary" % (method, path))
                    self.assertTrue(op.get("responses"), "%s %s: no responses" % (method, path))

    def test_refs_resolve(self):
        spec, _ = documented()

        def walk(node):
            if isinstance(node, dict):
                for k, v in node.items():
                    if k == "$ref":
                        parts = v.lstrip("#/").split("/")
                        target = spec
                        for p in parts:
                            self.assertIn(p, target, "dangling $ref " + v)
                            target = target[p]
                    else:
                        walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(spec)


if __name__ == "__main__":
    main()
