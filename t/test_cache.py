"""List answers kept by the FastCGI processes: reused while nothing
changed, never once something did (through the API or straight in
PostgreSQL, as the worker writes), per user, bounded in time, and never
served when the database is away."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TestCase, main  # noqa: E402

UD = "/bulk_hiring/user_data/v1"
EV = "/bulk_hiring/event/v1"
LIST = UD + "/user-data/?user_type=Interviewer&page_size=100"


def lookups(stack):
    r = stack.http("GET", "/metrics")
    found = dict(re.findall(r'connectify_cache_lookups_total\{result="(\w+)"\} (\d+)', r.raw))
    return int(found.get("hit", 0)), int(found.get("miss", 0))


class Cache(TestCase):
    stack_args = {"fcgi_workers": 2, "env": {"CACHE_TTL": "2"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr = cls.stack.make_user("Hr")
        cls.iv = cls.stack.make_user("Interviewer")

    def get(self, path=LIST, token=None):
        r = self.stack.http("GET", path, token=token or self.hr["access_token"])
        self.assertStatus(r, 200)
        return r

    def test_repeat_is_a_hit_with_the_same_bytes(self):
        first = self.get()
        hits0, _ = lookups(self.stack)
        # Two processes: within a few tries each has answered once.
        again = [self.get() for _ in range(6)]
        hits1, _ = lookups(self.stack)
        self.assertGreaterEqual(hits1 - hits0, 4)
        self.assertTrue(any(r.headers.get("X-Cache") == "hit" for r in again))
        for r in again:
            self.assertEqual(r.raw, first.raw)

    def test_api_write_is_seen_at_once(self):
        for _ in range(3):
            self.get()
        before = self.get().json["count"]
        self.stack.make_user("Interviewer")
        r = self.get()
        self.assertIsNone(r.headers.get("X-Cache"))
        self.assertEqual(r.json["count"], before + 1)

    def test_commit_outside_the_pool_is_seen_at_once(self):
        uid = self.iv["user"]["id"]
        for i in range(40):
            self.get()
            self.get()
            name = "Renamed %d" % i
            self.stack.sql("UPDATE users SET name = :'v1' WHERE id = :'v2'", name, uid)
            rows = {u["id"]: u["name"] for u in self.get().json["results"]}
            self.assertEqual(rows[uid], name, "iteration %d served a stale page" % i)

    def test_roles_are_checked_before_the_cache(self):
        for _ in range(3):
            self.get()
        r = self.stack.http("GET", LIST, token=self.iv["access_token"])
        self.assertError(r, 403, "forbidden")
        r = self.stack.http("GET", LIST)
        self.assertError(r, 401, "not_authenticated")

    def test_answers_belong_to_their_user(self):
        a = self.stack.make_user("Interviewee")
        b = self.stack.make_user("Interviewee")
        path = EV + "/user-event-data/"
        self.get(path, a["access_token"])
        mine = self.get(path, a["access_token"])
        theirs = self.get(path, b["access_token"])
        self.assertIsNone(theirs.headers.get("X-Cache"))
        self.assertEqual(mine.raw, self.get(path, a["access_token"]).raw)

    def test_entries_expire(self):
        self.get()
        self.get()
        time.sleep(2.2)
        _, miss0 = lookups(self.stack)
        r = self.get()
        _, miss1 = lookups(self.stack)
        self.assertIsNone(r.headers.get("X-Cache"))
        self.assertEqual(miss1 - miss0, 1)

    def test_no_cached_answer_while_the_database_is_away(self):
        for _ in range(4):
            self.get()
        self.stack.pg_stop()
        try:
            for _ in range(4):
                r = self.stack.http("GET", LIST, token=self.hr["access_token"])
                self.assertError(r, 503)
        finally:
            self.stack.pg_start()
        self.get()


if __name__ == "__main__":
    main()
