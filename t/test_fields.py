"""Fields are data: every route declares the query parameters and body
members it reads (connectify-fcgi --routes lists them), the dispatcher
checks them all before the handler runs and answers one 400 naming every
bad field, and types are strict (a string is not an integer).  No handler
reads a parameter or a body member the route did not declare."""
import glob
import json
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BUILD, SRC, TestCase, main  # noqa: E402

R_JSON, R_INTERNAL, R_PREFIX = 0x08, 0x10, 0x80

# A value of the wrong type for each declared type (body), and a value
# the type refuses (query); None: no value is wrong for it.
WRONG_BODY = {"id": "7", "integer": "7", "number": "7", "boolean": "yes",
              "string": 12345, "text": 12345, "date": "2024-02-30",
              "enum": "no-such-value", "array": {"a": 1}, "object": [1],
              "any": None}
WRONG_QUERY = {"id": "seven", "integer": "seven", "number": None,
               "boolean": "maybe", "string": None, "text": None,
               "date": "2024-13-01", "enum": "no-such-value",
               "array": None, "object": None, "any": None}


def route_table():
    out = subprocess.run([os.path.join(BUILD, "fcgi", "connectify-fcgi"),
                          "--routes"], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


class Declared(unittest.TestCase):
    """The table itself, without a stack."""

    def test_routes_print_their_fields(self):
        table = route_table()
        self.assertGreater(len(table), 50)
        names = [r["name"] for r in table]
        self.assertEqual(len(names), len(set(names)), "route names repeat")
        for r in table:
            for f in r["fields"]:
                self.assertIn(f["in"], ("query", "body"), r["name"])
                self.assertIn(f["type"], WRONG_BODY, r["name"])
                if f["type"] == "enum":
                    self.assertTrue(f.get("values"), r["name"])

    def test_every_json_route_declares_its_body(self):
        missing = [r["name"] for r in route_table()
                   if r["flags"] & R_JSON and
                   not any(f["in"] == "body" for f in r["fields"])]
        self.assertEqual(missing, [], "JSON routes without declared members")

    def test_handlers_read_only_declared_values(self):
        """No handler parses the query string or the body itself."""
        raw = re.compile(r"\breq_qs\(|\breq_id_qs\(|"
                         r"\bjv_(?:str|text|long|bool|array|number)\("
                         r"\s*r->json")
        found = []
        for path in sorted(glob.glob(os.path.join(SRC, "fcgi", "*.c"))):
            if os.path.basename(path) in ("fields.c", "req.c"):
                continue
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    if raw.search(line):
                        found.append("%s:%d" % (os.path.basename(path), n))
        self.assertEqual(found, [], "handlers reading undeclared input")


class Checked(TestCase):
    """On the real stack: every declared field refused in one answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.stack.make_admin()
        cls.table = route_table()

    def wrong_request(self, r):
        """(path with query, body, names expected in the 400), or None
        when no declared field has a wrong value."""
        query, body, names = [], {}, set()
        for f in r["fields"]:
            if f["in"] == "query":
                v = WRONG_QUERY[f["type"]]
                if v is not None:
                    query.append("%s=%s" % (f["name"], v))
                    names.add(f["name"])
            else:
                v = WRONG_BODY[f["type"]]
                if v is not None:
                    body[f["name"]] = v
                    names.add(f["name"])
        if not names:
            return None
        path = r["path"] + "/" + ("?" + "&".join(query) if query else "")
        return path, body, names

    def test_all_wrong_fields_are_named_in_one_400(self):
        tried = 0
        for r in self.table:
            if r["flags"] & (R_INTERNAL | R_PREFIX):
                continue
            req = self.wrong_request(r)
            if req is None:
                continue
            path, body, names = req
            send = body if (body or r["flags"] & R_JSON) else None
            with self.subTest(route=r["name"]):
                res = self.stack.http(r["method"], path, send,
                                      token=self.admin["access_token"])
                self.assertEqual(res.status, 400, (r["name"], res))
                err = res.json["error"]
                self.assertEqual(err["code"], "validation_failed")
                self.assertEqual(set(err.get("fields", {})), names,
                                 (r["name"], err))
            tried += 1
        self.assertGreater(tried, 10)

    def test_a_string_is_not_an_integer(self):
        r = self.stack.http("GET", "/bulk_hiring/event/v1/event/?page=2x",
                            token=self.admin["access_token"])
        self.assertError(r, 400, "validation_failed", "page")


if __name__ == "__main__":
    main()
