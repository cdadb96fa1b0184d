#!/usr/bin/python3
"""A local stand-in for an OpenAI-compatible Chat Completions API.

POST /v1/chat/completions answers like the real API: a chat.completion
whose message content is a JSON string.  The answer is computed from the
resume in the prompt (email, phone and name by simple rules) so tests can
check that our code used it.  It checks the bearer key, the model and the
strict json_schema response format, and records each request body (one JSON
line) in --log.

POST /_control {"mode": "ok"|"429"|"500"|"slow"|"garbage"|"wrong_schema"|
"refusal"|"length", "count": n, "retry_after": s, "delay": s} makes the
next n answers misbehave that way: 429 carries Retry-After: s (default 1),
slow answers correctly after waiting delay seconds (default 5).
Prints "PORT <n>".
"""
import argparse
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {"mode": "ok", "count": 0, "retry_after": "1", "delay": 5.0}
LOCK = threading.Lock()


def answer_for(prompt):
    email = re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", prompt)
    phone = re.search(r"\+?\d[\d \-]{8,}\d", prompt.split("Resume:", 1)[-1])
    lines = [l.strip() for l in prompt.split("Resume:", 1)[-1].splitlines() if l.strip()]
    return {"name": lines[0] if lines else None,
            "email": email.group(0) if email else None,
            "phone": phone.group(0) if phone else None,
            "skills": ["C", "PostgreSQL"], "years_experience": 4,
            "education": [], "links": [], "score": 77,
            "sub_scores": {"required_skills": 80, "preferred_skills": 60, "experience": 90,
                           "education": 70, "relevance": 75},
            "matched_skills": ["C"], "missing_skills": [],
            "summary": "Solid backend candidate."}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("openai: " + fmt % args + "\n")

    def reply(self, status, obj, headers=None):
        raw = (obj if isinstance(obj, bytes) else json.dumps(obj).encode())
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.send_header("x-request-id", "req_test")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/_control":
            c = json.loads(body)
            with LOCK:
                STATE["mode"], STATE["count"] = c["mode"], int(c.get("count", 1))
                STATE["retry_after"] = str(c.get("retry_after", 1))
                STATE["delay"] = float(c.get("delay", 5))
            return self.reply(200, {"ok": True})
        if self.path != "/v1/chat/completions":
            return self.reply(404, {"error": {"message": "not found", "type": "invalid_request_error",
                                              "param": None, "code": None}})
        with open(self.server.args.log, "a") as f:
            f.write(body.decode() + "\n")
        if self.headers.get("Authorization") != "Bearer " + self.server.args.key:
            return self.reply(401, {"error": {"message": "Incorrect API key provided",
                                              "type": "invalid_request_error", "param": None,
                                              "code": "invalid_api_key"}})
        req = json.loads(body)
        rf = req.get("response_format", {})
        if rf.get("type") != "json_schema" or not rf["json_schema"].get("strict") or \
                not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", rf["json_schema"].get("name", "")):
            return self.reply(400, {"error": {"message": "bad response_format",
                                              "type": "invalid_request_error",
                                              "param": "response_format", "code": None}})
        with LOCK:
            mode = STATE["mode"] if STATE["count"] > 0 else "ok"
            if STATE["count"] > 0:
                STATE["count"] -= 1
            retry_after, delay = STATE["retry_after"], STATE["delay"]
        if mode == "429":
            return self.reply(429, {"error": {"message": "Rate limit reached",
                                              "type": "requests", "param": None,
                                              "code": "rate_limit_exceeded"}},
                              {"retry-after": retry_after})
        if mode == "slow":
            time.sleep(delay)
        if mode == "500":
            return self.reply(500, {"error": {"message": "The server had an error",
                                              "type": "server_error", "param": None, "code": None}})
        content = json.dumps(answer_for(req["messages"][-1]["content"]))
        finish = "stop"
        refusal = None
        if mode == "garbage":
            content = "Sure! Here is the JSON you asked for: {score: high}"
        elif mode == "wrong_schema":
            content = json.dumps({"score": "very good", "name": 3})
        elif mode == "refusal":
            content, refusal = None, "I can't help with that."
        elif mode == "length":
            content, finish = content[:40], "length"
        self.reply(200, {"id": "chatcmpl-test", "object": "chat.completion",
                         "created": 1700000000, "model": req["model"],
                         "choices": [{"index": 0, "finish_reason": finish,
                                      "message": {"role": "assistant", "content": content,
                                                  "refusal": refusal}}],
                         "usage": {"prompt_tokens": 100, "completion_tokens": 50,
                                   "total_tokens": 150}})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--key", required=True)
    ap.add_argument("--log", required=True)
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.args = a
    print("PORT %d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
