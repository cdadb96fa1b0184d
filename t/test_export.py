"""Exports of an event's candidates: CSV per RFC 4180 (read back with
python's csv module), formula injection neutralised, the BOM option,
NDJSON, streaming through nginx, and who may export."""
import csv
import io
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TestCase, main  # noqa: E402

EV = "/bulk_hiring/event/v1"

# Names that break naive CSV or run as formulas in a spreadsheet.
NAMES = ["=HYPERLINK(\"http://evil.example/\",\"x\")", "+1+2", "-3+4", "@SUM(A1:A9)",
         "\tTabbed", "\rCarriage", "Comma, Name", "Quote \"Q\" Name",
         "Line\nBreak", "Ağrı Çelik 名前", "Plain Name"]


class Export(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.stack
        cls.hr = s.make_user("Hr")
        cls.hr2 = s.make_user("Hr")
        cls.iv = s.make_user("Interviewer")
        r = s.http("POST", EV + "/event/", {
            "title": "Export drive", "department": "Engineering", "status": "Active",
            "rounds": [{"name": "Technical", "interviewers": [cls.iv["user"]["id"]]}]},
            token=cls.hr["access_token"])
        assert r.status == 201, r
        cls.ev = r.json["event_id"]
        for i, name in enumerate(NAMES):
            s.sql("INSERT INTO users (name, username, email, phone_number, user_type) "
                  "VALUES (:'v1', :'v2', :'v3', :'v4', 'Interviewee')",
                  name, "exp%d" % i, "exp%d@example.com" % i, "+9160%08d" % i)
        s.sql("INSERT INTO registrations (event_id, user_id, status, ats_score, ats_result, "
              "current_round_id, scored_at) "
              "SELECT :'v1', u.id, 'interviewing', 50 + substr(u.username, 4)::int, "
              "jsonb_build_object('sub_scores', jsonb_build_object('required_skills', 90, "
              "'preferred_skills', 10, 'experience', 70, 'education', 100, 'relevance', 33)), "
              "(SELECT id FROM rounds WHERE event_id = :'v1'), now() "
              "FROM users u WHERE u.username LIKE 'exp%' ORDER BY u.id", cls.ev)
        s.sql("INSERT INTO reviews (registration_id, round_id, interviewer_id, rating, result) "
              "SELECT g.id, g.current_round_id, :'v2', 4, 'pass' FROM registrations g "
              "WHERE g.event_id = :'v1' ORDER BY g.id LIMIT 1", cls.ev, cls.iv["user"]["id"])

    def get(self, query, token=None):
        return self.stack.http("GET", EV + "/export/?" + query,
                               token=(token or self.hr)["access_token"])

    def rows(self, text):
        self.assertNotIn("\n", text.replace("\r\n", "").replace("Line\nBreak", "")
                         .replace("\rCarriage", ""))
        return list(csv.DictReader(io.StringIO(text, newline="")))

    def test_csv_reads_back_with_every_value(self):
        r = self.get("event_id=%d&format=csv" % self.ev)
        self.assertStatus(r, 200)
        self.assertTrue(r.headers["Content-Type"].startswith("text/csv"))
        self.assertIn("attachment", r.headers["Content-Disposition"])
        self.assertFalse(r.raw.startswith("\ufeff"))
        self.assertTrue(r.raw.endswith("\r\n"))
        rows = self.rows(r.raw)
        self.assertEqual(len(rows), len(NAMES))
        got = {row["email"]: row for row in rows}
        for i, name in enumerate(NAMES):
            row = got["exp%d@example.com" % i]
            want = ("'" + name) if name[0] in "=+-@\t\r" else name
            self.assertEqual(row["name"], want)
            self.assertEqual(row["phone"], "'+9160%08d" % i)
            self.assertEqual(row["status"], "interviewing")
            self.assertEqual(row["current_round"], "Technical")
            self.assertEqual(float(row["ats_score"]), 50 + i)
            self.assertEqual(row["score_required_skills"], "90")
            self.assertEqual(row["score_relevance"], "33")
            self.assertTrue(row["registered_at"].endswith("Z"))
        first = min(rows, key=lambda x: int(x["registration_id"]))
        self.assertEqual(first["reviews"], "Technical: pass (4/5)")

    def test_no_cell_starts_a_formula(self):
        r = self.get("event_id=%d" % self.ev)
        self.assertStatus(r, 200)
        for row in csv.reader(io.StringIO(r.raw, newline="")):
            for cell in row:
                self.assertFalse(cell[:1] in ("=", "+", "-", "@", "\t", "\r"), cell)

    def test_bom_for_excel(self):
        r = self.stack.http("GET", EV + "/export/?event_id=%d&format=csv&bom=1" % self.ev,
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)
        self.assertTrue(r.raw.startswith("\ufeffregistration_id,"), r.raw[:20])
        self.assertEqual(len(self.rows(r.raw[1:])), len(NAMES))

    def test_ndjson(self):
        r = self.get("event_id=%d&format=ndjson" % self.ev)
        self.assertStatus(r, 200)
        self.assertEqual(r.headers["Content-Type"], "application/x-ndjson")
        lines = r.raw.split("\n")
        self.assertEqual(lines[-1], "")
        objs = [json.loads(line) for line in lines[:-1]]
        self.assertEqual(sorted(o["name"] for o in objs), sorted(NAMES))
        for o in objs:
            self.assertIs(o["shortlisted"], False)
            self.assertEqual(o["score_education"], 100)
            self.assertIsInstance(o["registration_id"], int)

    def test_streamed_without_length(self):
        r = self.get("event_id=%d" % self.ev)
        self.assertStatus(r, 200)
        self.assertIsNone(r.headers.get("Content-Length"))
        self.assertEqual(r.headers.get("Transfer-Encoding"), "chunked")

    def test_bad_input(self):
        self.assertError(self.get("event_id=%d&format=xlsx" % self.ev), 400, field="format")
        self.assertError(self.get("event_id=%d&bom=yes" % self.ev), 400, field="bom")
        self.assertError(self.get("format=csv"), 400, field="event_id")
        self.assertError(self.get("event_id=99999999"), 404)

    def test_only_the_events_hr(self):
        self.assertError(self.get("event_id=%d" % self.ev, token=self.hr2), 403)
        self.assertError(self.get("event_id=%d" % self.ev, token=self.iv), 403)
        r = self.stack.http("GET", EV + "/export/?event_id=%d" % self.ev)
        self.assertError(r, 401)


if __name__ == "__main__":
    main()
