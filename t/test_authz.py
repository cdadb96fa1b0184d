"""The authorization matrix (t/authz.tsv) on the real stack: for every
route of fcgi/route.c, each relationship to one event gets the status the
matrix says.  A route with no rows, or rows for no route, fails."""
import base64
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SRC, TestCase, main  # noqa: E402
import pdfgen  # noqa: E402

UD = "/bulk_hiring/user_data/v1"
EV = "/bulk_hiring/event/v1"
RELS = ["none", "candidate", "other_candidate", "interviewer", "other_interviewer",
        "owner", "other_hr", "admin"]


def routes():
    """(method, path) of every row of fcgi/route.c's table."""
    macros = {"UD": UD, "EV": EV}
    out = []
    with open(os.path.join(SRC, "fcgi", "route.c")) as f:
        for m in re.finditer(r'\{\s*"(GET|POST|PATCH|PUT|DELETE)",\s*(?:(UD|EV)\s+)?"([^"]+)"',
                             f.read()):
            out.append((m.group(1), macros.get(m.group(2), "") + m.group(3)))
    return out


def matrix():
    rows = []
    with open(os.path.join(SRC, "t", "authz.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            method, path, rel, exp = line.rstrip("\n").split("\t")[:4]
            rows.append((method, path, rel, exp))
    return rows


def pdf():
    data, _ = pdfgen.resume(4242)
    return {"file_name": "m.pdf", "content_base64": base64.b64encode(data).decode()}


# (method, path) -> (url with {placeholders}, body or None); bodies are
# formatted recursively.  Requests are harmless when repeated.
REQUESTS = {
    ("GET", "/healthz"): ("/healthz", None),
    ("GET", "/metrics"): ("/metrics", None),
    ("POST", UD + "/signup"): (UD + "/signup/", {
        "name": "Matrix {n}", "phone_number": "+9196{n:08d}", "email": "matrix{n}@example.com",
        "user_type": "Interviewee"}),
    ("POST", UD + "/login/send-otp"): (UD + "/login/send-otp/", {"phone_number": "+919699999999"}),
    ("POST", UD + "/login/verify-otp"): (UD + "/login/verify-otp/",
                                         {"phone_number": "+919699999999", "otp": "000000"}),
    ("POST", UD + "/token/refresh"): (UD + "/token/refresh/", {"refresh_token": "{refresh}"}),
    ("POST", UD + "/logout"): (UD + "/logout/", {"refresh_token": "{refresh}"}),
    ("GET", UD + "/me"): (UD + "/me/", None),
    ("GET", UD + "/user-data"): (UD + "/user-data/?user_type=Interviewee", None),
    ("GET", UD + "/fetch-user"): (UD + "/fetch-user/", None),
    ("PATCH", UD + "/fetch-user"): (UD + "/fetch-user/", {"user_id": "{spare_cand}",
                                                          "user_type": "Interviewee"}),
    ("POST", UD + "/register-interviewer"): (UD + "/register-interviewer/", {
        "name": "Matrix Iv {n}", "phone_number": "+9195{n:08d}", "email": "mativ{n}@example.com"}),
    ("POST", EV + "/event"): (EV + "/event/", {
        "title": "Matrix {n}", "department": "Engineering", "status": "Active",
        "rounds": [{"name": "One", "interviewers": ["{iv_id}"]}]}),
    ("GET", EV + "/event"): (EV + "/event/?page_size=1", None),
    ("PATCH", EV + "/event"): (EV + "/event/", {"event_id": "{event}", "location": "Pune"}),
    ("GET", EV + "/event-detail"): (EV + "/event-detail/?event_id={event}", None),
    ("POST", EV + "/event-resumes"): (EV + "/event-resumes/", {"event_id": "{event}",
                                                               "resumes": ["{pdf}"]}),
    ("POST", EV + "/event-rescore"): (EV + "/event-rescore/", {"event_id": "{event}"}),
    ("GET", EV + "/export"): (EV + "/export/?event_id={event}", None),
    ("POST", EV + "/webhooks"): (EV + "/webhooks/", {"url": "http://192.0.2.1/hook",
                                                     "events": ["candidate.selected"]}),
    ("GET", EV + "/webhooks"): (EV + "/webhooks/", None),
    ("DELETE", EV + "/webhooks"): (EV + "/webhooks/", {"endpoint_id": "{webhook}"}),
    ("GET", EV + "/webhook-deliveries"): (EV + "/webhook-deliveries/?endpoint_id={webhook}",
                                          None),
    ("POST", EV + "/webhook-replay"): (EV + "/webhook-replay/", {"delivery_id": "{delivery}"}),
    ("GET", EV + "/status"): (EV + "/status/{status_token}/", None),
    ("POST", EV + "/status-link"): (EV + "/status-link/", {"registration_id": "{reg}"}),
    ("DELETE", EV + "/status-link"): (EV + "/status-link/", {"registration_id": "{reg}"}),
    ("POST", UD + "/consent"): (UD + "/consent/", {"token": "{reg}.madeUpMac0000000000000"}),
    ("GET", UD + "/me/export"): (UD + "/me/export/", None),
    ("DELETE", EV + "/candidate-data"): (EV + "/candidate-data/",
                                         {"registration_id": "{spare_reg}"}),
    ("DELETE", UD + "/me"): (UD + "/me/", None),
    ("POST", EV + "/event-owner"): (EV + "/event-owner/", {"event_id": "{event}",
                                                           "user_id": "{spare_hr}"}),
    ("DELETE", EV + "/event-owner"): (EV + "/event-owner/", {"event_id": "{event}",
                                                             "user_id": "{spare_hr}"}),
    ("GET", EV + "/skills"): (EV + "/skills/", None),
    ("POST", EV + "/skills"): (EV + "/skills/", {"name": "Skill {n}"}),
    ("GET", EV + "/departments"): (EV + "/departments/", None),
    ("POST", EV + "/departments"): (EV + "/departments/", {"name": "Dept {n}"}),
    ("POST", EV + "/event-register"): (EV + "/event-register/", {"event_id": "{event2}",
                                                                 "resume": "{pdf}"}),
    ("GET", EV + "/register_user"): (EV + "/register_user/?event_id={event}", None),
    ("GET", EV + "/application-count"): (EV + "/application-count/?event_id={event}", None),
    ("GET", EV + "/user-event-data"): (EV + "/user-event-data/", None),
    ("PATCH", EV + "/modified-shortlisted"): (EV + "/modified-shortlisted/", {
        "registration_id": "{reg}", "shortlisted": True}),
    ("GET", EV + "/all-selected-users"): (EV + "/all-selected-users/?event_id={event}", None),
    ("GET", EV + "/assessment-questions"): (
        EV + "/assessment-questions/?event_id={event}&round_id={round}", None),
    ("GET", EV + "/resume-processing-track"): (
        EV + "/resume-processing-track/?event_id={event}", None),
    ("GET", EV + "/application-by-department"): (
        EV + "/application-by-department/?month=1&year=2026", None),
    ("GET", EV + "/job-application-status"): (
        EV + "/job-application-status/?month=1&year=2026", None),
    ("POST", UD + "/send-event-mail"): (UD + "/send-event-mail/", {"event_id": "{event}",
                                                                   "audience": "candidates"}),
    ("GET", "/bulk_hiring/files"): ("/bulk_hiring/files/resumes/unsigned.pdf", None),
    ("POST", EV + "/zoom-mapping"): (EV + "/zoom-mapping/", {
        "round_id": "{round}", "mode": "manual",
        "assignments": [{"registration_id": "{reg}", "interviewer_id": "{iv_id}"}]}),
    ("GET", EV + "/zoom-mapping"): (EV + "/zoom-mapping/?round_id={round}", None),
    ("PATCH", EV + "/zoom-mapping"): (EV + "/zoom-mapping/", {"queue_id": "{queue}",
                                                              "interviewer_id": "{iv_id}"}),
    ("POST", EV + "/interview-action"): (EV + "/interview-action/", {
        "action": "get_all_queues", "session_id": "{round}"}),
    ("POST", EV + "/interviewee-join"): (EV + "/interviewee-join/", {"event_id": "{event}"}),
    ("POST", EV + "/zoom-attendance"): (EV + "/zoom-attendance/", {"event_id": "{event}",
                                                                   "action": "join"}),
    ("GET", EV + "/zoom-joined-user"): (EV + "/zoom-joined-user/?event_id={event}", None),
    ("GET", EV + "/hr-user-chatting"): (
        EV + "/hr-user-chatting/?event_id={event}&candidate_id={cand_id}", None),
    ("POST", EV + "/hr-user-chatting"): (EV + "/hr-user-chatting/", {
        "event_id": "{event}", "candidate_id": "{cand_id}", "message": "hello"}),
    ("POST", EV + "/generate-zoom-signature"): (EV + "/generate-zoom-signature/", {
        "role": 0, "sessionName": "matrix"}),
    ("GET", EV + "/turn-credentials"): (EV + "/turn-credentials/", None),
    ("POST", EV + "/turn-disconnect"): (EV + "/turn-disconnect/", None),
    ("POST", EV + "/call-signal"): (EV + "/call-signal/", {
        "queue_id": "{queue}", "kind": "offer", "data": {"type": "offer", "sdp": "v=0"}}),
    ("POST", EV + "/ws-ticket"): (EV + "/ws-ticket/", None),
    ("POST", EV + "/candidate-review"): (EV + "/candidate-review/", {
        "registration_id": "{reg}", "round_id": "{round}", "result": "pass", "rating": 4,
        "comments": "clear answers"}),
    ("GET", EV + "/candidate-review"): (
        EV + "/candidate-review/?registration_id={reg}", None),
    ("POST", EV + "/suggest-skills"): (EV + "/suggest-skills/", {
        "description": "Python and SQL for analytics.\nSpark is a plus."}),
    ("GET", "/internal/ws-auth"): ("/internal/ws-auth", None),
    ("GET", EV + "/audit"): (EV + "/audit/?registration_id={reg}", None),
    ("POST", EV + "/round-rubric"): (EV + "/round-rubric/", {
        "round_id": "{round}", "criteria": [{"name": "Depth", "weight": 2}]}),
    ("GET", EV + "/round-rubric"): (EV + "/round-rubric/?round_id={round}", None),
    ("PATCH", EV + "/round-rubric"): (EV + "/round-rubric/", {
        "round_id": "{round}", "rule": {"min_raters": 1}}),
    ("POST", EV + "/scorecards"): (EV + "/scorecards/", {
        "registration_id": "{reg}", "round_id": "{round}", "recommendation": "yes",
        "scores": [{"criterion_id": 1, "score": 4}]}),
    ("GET", EV + "/scorecards"): (
        EV + "/scorecards/?registration_id={reg}&round_id={round}", None),
    ("GET", EV + "/blind-screening"): (EV + "/blind-screening/?event_id={event}", None),
    ("POST", EV + "/blind-screening"): (EV + "/blind-screening/", {"event_id": "{event}",
                                                                   "until": None}),
    ("GET", EV + "/duplicates"): (EV + "/duplicates/?event_id={event}", None),
    ("POST", EV + "/duplicates"): (EV + "/duplicates/", {
        "event_id": "{event}", "user_id": "{cand_id}", "other_user_id": "{spare_cand}",
        "action": "distinct", "reason": "matrix"}),
    ("GET", EV + "/self-identification"): (EV + "/self-identification/", None),
    ("POST", EV + "/self-identification"): (EV + "/self-identification/", {"consent": False}),
    ("GET", EV + "/adverse-impact"): (EV + "/adverse-impact/?event_id={event}", None),
    ("POST", EV + "/scorecard-decision"): (EV + "/scorecard-decision/", {
        "registration_id": "{reg}", "round_id": "{round}", "decision": "advance",
        "reason": "matrix"}),
}


def fill(v, ctx):
    if isinstance(v, str):
        m = re.fullmatch(r"\{(\w+)\}", v)
        if m:
            return ctx[m.group(1)]
        return v.format(**ctx)
    if isinstance(v, list):
        return [fill(x, ctx) for x in v]
    if isinstance(v, dict):
        return {k: fill(x, ctx) for k, x in v.items()}
    return v


class Authz(TestCase):
    stack_args = {"env": {"OTP_RATE_IP": "100000", "OTP_RATE_PHONE": "100000",
                          "CACHE_TTL": "0"}}

    def test_every_route_has_rows(self):
        have = {(m, p) for m, p, _, _ in matrix()}
        table = set(routes())
        self.assertEqual(len(table), len(routes()))
        self.assertEqual(sorted(table - have), [], "routes without rows in t/authz.tsv")
        self.assertEqual(sorted(have - table), [], "rows for no route")
        self.assertEqual(sorted(table - set(REQUESTS)), [], "routes without a request")
        for m, p in table:
            rels = {r for mm, pp, r, _ in matrix() if (mm, pp) == (m, p)}
            self.assertEqual(rels, set(RELS), (m, p))

    def setup_world(self):
        s = self.stack
        who = {"admin": s.make_admin(), "owner": s.make_user("Hr"),
               "other_hr": s.make_user("Hr"), "interviewer": s.make_user("Interviewer"),
               "other_interviewer": s.make_user("Interviewer"),
               "candidate": s.make_user(), "other_candidate": s.make_user()}
        spare_hr = s.make_user("Hr")
        spare_cand = s.make_user()
        iv = who["interviewer"]["user"]["id"]
        ev = []
        for title in ("Matrix event", "Second event"):
            r = s.http("POST", EV + "/event/", {
                "title": title, "department": "Engineering", "status": "Active",
                "description": "C and PostgreSQL.",
                "rounds": [{"name": "Technical", "interviewers": [iv],
                            "questions": [{"text": "Explain MVCC."}]}]},
                token=who["owner"]["access_token"])
            self.assertStatus(r, 201)
            ev.append((r.json["event_id"], r.json["rounds"][0]["round_id"]))
        (event, rnd), (event2, _) = ev
        r = s.http("POST", EV + "/event-register/", {"event_id": event, "resume": pdf()},
                   token=who["candidate"]["access_token"])
        self.assertStatus(r, 201)
        reg = r.json["registration_id"]
        r = s.http("POST", EV + "/zoom-mapping/", {
            "round_id": rnd, "mode": "manual",
            "assignments": [{"registration_id": reg, "interviewer_id": iv}]},
            token=who["owner"]["access_token"])
        self.assertStatus(r, 200)
        queue = int(s.sql("SELECT id FROM interview_queue WHERE registration_id = :'v1'",
                          reg)[0][0])
        # The interviewer sees the candidate (so that a review is theirs).
        for tok, action in ((who["interviewer"], "start_next"),
                            (who["candidate"], "accept_interview"),
                            (who["interviewer"], "complete_interview")):
            s.http("POST", EV + "/interview-action/", {"action": action, "session_id": rnd},
                   token=tok["access_token"])
        webhook = int(s.sql("INSERT INTO webhook_endpoints (url, events, secret) VALUES "
                            "('http://192.0.2.1/hook', '{candidate.selected}', 'whsec_m') "
                            "RETURNING id")[0][0])
        delivery = int(s.sql("INSERT INTO webhook_deliveries (endpoint_id, event, data, status) "
                             "VALUES (:'v1', 'candidate.selected', '{}', 'delivered') "
                             "RETURNING id", webhook)[0][0])
        r = s.http("POST", EV + "/event-register/", {"event_id": event, "resume": pdf()},
                   token=spare_cand["access_token"])
        self.assertStatus(r, 201)
        spare_reg = r.json["registration_id"]
        r = s.http("POST", EV + "/status-link/", {"registration_id": reg},
                   token=who["candidate"]["access_token"])
        self.assertStatus(r, 201)
        ctx = {"spare_reg": spare_reg, "status_token": r.json["token"], "webhook": webhook, "delivery": delivery, "event": event, "event2": event2, "round": rnd, "reg": reg, "queue": queue,
               "iv_id": iv, "cand_id": who["candidate"]["user"]["id"],
               "spare_hr": spare_hr["user"]["id"], "spare_cand": spare_cand["user"]["id"],
               "pdf": pdf()}
        return who, ctx

    def test_matrix(self):
        who, ctx = self.setup_world()
        wrong = []
        for n, (method, path, rel, exp) in enumerate(matrix()):
            url, body = REQUESTS[(method, path)]
            c = dict(ctx, n=n)
            if path in (UD + "/token/refresh", UD + "/logout"):
                c["refresh"] = (self.stack.login(who[rel]["phone"])["refresh_token"]
                                if rel != "none" else "not-a-token")
            tok = None if rel == "none" else who[rel]["access_token"]
            r = self.stack.http(method, fill(url, c), fill(body, c), token=tok)
            if path == UD + "/logout" and rel != "none":
                phone = who[rel]["phone"]
                who[rel] = self.stack.login(phone)
                who[rel]["phone"] = phone
            if exp == "ok":
                good = r.status not in (401, 403, 404) and (r.status < 500 or r.status == 503)
            else:
                good = r.status == int(exp)
            if not good:
                wrong.append("%s %s as %s: %d, want %s %s" % (method, path, rel, r.status, exp,
                                                              r.raw[:120]))
        self.assertEqual(wrong, [], "\n" + "\n".join(wrong))


if __name__ == "__main__":
    main()
