#!/bin/sh
# The README's first command for real: script/server starts the platform
# on embedded defaults, the curl walk-through signs in, a second
# script/server restarts it with the data kept, `status` and `stop` do what
# they say.  Runs in a private state directory on free ports, so a
# developer's own var/ is left alone.  script/test runs it after make check.
set -eu
cd "$(dirname "$0")/.."
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
tmp=$(mktemp -d /tmp/connectify-smoke-XXXXXX)
chmod 755 "$tmp"
CONNECTIFY_VAR=$tmp/var PORT=$(free_port) PGPORT=$(free_port) SMTP_PORT=$(free_port)
export CONNECTIFY_VAR PORT PGPORT SMTP_PORT
unset DATABASE_URL || true
fail() {
  echo "server_smoke: $*" >&2
  tail -n 20 "$CONNECTIFY_VAR"/log/*.log >&2 2>/dev/null || true
  script/server stop >/dev/null 2>&1 || true
  exit 1
}
cleanup() { script/server stop >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT

out=$(script/server) || fail "script/server failed: $out"
echo "$out" | grep -q "http://localhost:$PORT/" || fail "no URL printed: $out"

B=http://127.0.0.1:$PORT/bulk_hiring/user_data/v1
post() { curl -sS -H 'Content-Type: application/json' -d "$2" "$B/$1"; }
json() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || fail "healthz"
page=$(curl -fsS "http://127.0.0.1:$PORT/") || fail "no page at /"
echo "$page" | grep -qi "<html" || fail "no browser client at /"
post signup/ '{"name":"Meera Iyer","phone_number":"+919800000001","email":"meera@example.com","user_type":"Hr"}' |
  grep -q '"user_type":"Hr"' || fail "signup"

login() {
  post login/send-otp/ '{"phone_number":"+919800000001"}' | grep -q expires_in || fail "send-otp"
  code=$(tail -n1 "$CONNECTIFY_VAR/log/sms.log" | sed -n 's/.*code is \([0-9]\{6\}\).*/\1/p')
  [ -n "$code" ] || fail "no code in sms.log"
  post login/verify-otp/ "{\"phone_number\":\"+919800000001\",\"otp\":\"$code\"}" |
    json '["access_token"]' || fail "verify-otp"
}
access=$(login)
curl -fsS "$B/me/" -H "Authorization: Bearer $access" | grep -q meera@example.com || fail "me"

# Twice is safe: the application restarts, the database keeps its data.
out=$(script/server) || fail "second script/server failed: $out"
access=$(login)
curl -fsS "$B/user-data/?user_type=Hr" -H "Authorization: Bearer $access" |
  grep -q '"count":1' || fail "the account did not survive the restart"

script/server status | grep -q "fcgi: running" || fail "status"
pids=$(cat "$CONNECTIFY_VAR"/run/*.pid 2>/dev/null || true)
for p in $pids; do pids="$pids $(pgrep -P "$p" || true)"; done
script/server stop | grep -q stopped || fail "stop"
for p in $pids; do
  kill -0 "$p" 2>/dev/null && fail "process $p still runs after stop"
done
if curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz"; then fail "nginx still answers"; fi
echo "server_smoke: script/server twice, walk-through, status and stop: ok"
