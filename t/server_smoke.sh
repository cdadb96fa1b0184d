#!/bin/sh
# The README's first command for real: script/server starts the platform
# on embedded defaults, the curl walk-through signs in, a second
# script/server restarts it with the data kept, `status` and `stop` do what
# they say.  Runs in private state directories on free ports, so a
# developer's own var/ (and a script/server running on it) is left alone.
# script/test runs it after make check.
#
# And what the embedded defaults promise on a shared machine:
#  - a second instance (its own PORT and CONNECTIFY_VAR, nothing else)
#    runs beside the first;
#  - no constant signing key: a token signed with the key development
#    used to have is refused;
#  - state is private (modes), PostgreSQL admits no other account;
#  - planted symlinks are not followed, planted pid files not signalled,
#    a directory another user owns is moved aside;
#  - a start after kill -9 of everything recovers; a start that fails
#    stops what it started and leaves no socket behind.
set -eu
cd "$(dirname "$0")/.."
# Three free ports in a row: PORT, and PORT+1, PORT+2 that the stack takes.
free_ports() {
  /usr/bin/python3 - <<'EOF'
import socket
for _ in range(200):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        p = s.getsockname()[1]
    if p > 65000:
        continue
    try:
        held = []
        for q in (p, p + 1, p + 2):
            t = socket.socket()
            held.append(t)
            t.bind(("127.0.0.1", q))
        print(p)
        break
    except OSError:
        pass
    finally:
        for t in held:
            t.close()
EOF
}
tmp=$(mktemp -d /tmp/connectify-smoke-XXXXXX)
chmod 755 "$tmp"
mkdir "$tmp/a" "$tmp/b"
chmod 755 "$tmp/a" "$tmp/b"
VA=$tmp/a/var VB=$tmp/b/var
PA=$(free_ports) PB=$(free_ports)
[ "$PA" != "$PB" ] || PB=$(free_ports)
[ -n "$PA" ] && [ -n "$PB" ] || { echo "server_smoke: no three free ports in a row" >&2; exit 1; }
# The embedded defaults: nothing but PORT and CONNECTIFY_VAR.
for v in DATABASE_URL PGPORT SMTP_PORT SMTP_HOST WS_HOOK_PORT SECRET_KEY \
         SECRET_KEY_FILE FCGI_SOCKET NCHAN_PUB_SOCKET SMS_LOG STORAGE_DIR \
         MAIL_DIR FRONTEND_URL CONNECTIFY_ENV; do
  unset "$v" || true
done
srv_a() { CONNECTIFY_VAR=$VA PORT=$PA script/server "$@"; }
srv_b() { CONNECTIFY_VAR=$VB PORT=$PB script/server "$@"; }
sleeper=""
fail() {
  echo "server_smoke: $*" >&2
  tail -n 20 "$VA"/log/*.log "$VB"/log/*.log >&2 2>/dev/null || true
  exit 1
}
cleanup() {
  srv_b stop >/dev/null 2>&1 || true
  srv_a stop >/dev/null 2>&1 || true
  for p in $sleeper; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
is_root=0
[ "$(id -u)" = 0 ] && is_root=1

post() { curl -sS -H 'Content-Type: application/json' -d "$3" "http://127.0.0.1:$1/bulk_hiring/user_data/v1/$2"; }
json() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
healthy() { curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1; }
# login PORT VAR: an access token for the account of +919800000001.
login() {
  post "$1" login/send-otp/ '{"phone_number":"+919800000001"}' | grep -q expires_in ||
    fail "send-otp on $1"
  code=$(tail -n1 "$2/log/sms.log" | sed -n 's/.*code is \([0-9]\{6\}\).*/\1/p')
  [ -n "$code" ] || fail "no code in sms.log"
  post "$1" login/verify-otp/ "{\"phone_number\":\"+919800000001\",\"otp\":\"$code\"}" |
    json '["access_token"]' || fail "verify-otp"
}
signup() {
  post "$1" signup/ '{"name":"Meera Iyer","phone_number":"+919800000001","email":"meera@example.com","user_type":"Hr"}' |
    grep -q '"user_type":"Hr"' || fail "signup on $1"
}
me() { curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/bulk_hiring/user_data/v1/me/" -H "Authorization: Bearer $2"; }
# ours VAR: the PIDs of an instance: its pid files, PostgreSQL's, children.
ours() {
  ps=$(cat "$1"/run/*.pid 2>/dev/null || true)
  [ -f "$1/pg/postmaster.pid" ] && ps="$ps $(head -n 1 "$1/pg/postmaster.pid")"
  for p in $ps; do ps="$ps $(pgrep -P "$p" || true)"; done
  echo $ps
}
# alive PID: it runs (a zombie has stopped; its parent may reap it late).
alive() {
  st=$( { cat "/proc/$1/stat"; } 2>/dev/null) || return 1
  st=${st##*) }
  [ "${st%% *}" != Z ]
}
any_alive() { for p in "$@"; do alive "$p" && return 0; done; return 1; }

# --- the README's walk-through ------------------------------------------------
out=$(srv_a) || fail "script/server failed: $out"
echo "$out" | grep -q "http://localhost:$PA/" || fail "no URL printed: $out"
healthy "$PA" || fail "healthz"
page=$(curl -fsS "http://127.0.0.1:$PA/") || fail "no page at /"
echo "$page" | grep -qi "<html" || fail "no browser client at /"
signup "$PA"
access=$(login "$PA" "$VA")
curl -fsS "http://127.0.0.1:$PA/bulk_hiring/user_data/v1/me/" -H "Authorization: Bearer $access" |
  grep -q meera@example.com || fail "me"

# --- no constant key: a token signed with the old one is refused --------------
# sign KEY: an access token for this account (the claims of the one the
# server gave), signed with KEY.
sign() {
  /usr/bin/python3 - "$1" "$access" <<'EOF'
import base64, hashlib, hmac, json, sys, time, uuid
key, tok = sys.argv[1].encode(), sys.argv[2]
claims = json.loads(base64.urlsafe_b64decode(tok.split(".")[1] + "=="))
now = int(time.time())
claims.update(jti=str(uuid.uuid4()), iat=now, exp=now + 600)
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
body = b64(json.dumps(claims).encode())
sig = b64(hmac.new(key, (head + "." + body).encode(), hashlib.sha256).digest())
print(head + "." + body + "." + sig)
EOF
}
forged=$(sign development-only-secret-key-do-not-use-in-production)
[ "$(me "$PA" "$forged")" = 401 ] || fail "a token signed with the old constant key was accepted"
# The same token signed with this instance's own key passes: only the key differs.
[ "$(me "$PA" "$(sign "$(cat "$VA/secret_key")")")" = 200 ] ||
  fail "a token signed with the instance's key was refused"

# --- private state ----------------------------------------------------------------
mode() { stat -c %a "$1"; }
[ "$(mode "$VA/secret_key")" = 600 ] || fail "secret_key is $(mode "$VA/secret_key")"
for d in run log mail pg pg-socket; do
  [ "$(mode "$VA/$d")" = 700 ] || fail "$d/ is $(mode "$VA/$d"), not 700"
done
for d in storage sock; do
  case $(mode "$VA/$d") in 700|750|2750) ;; *) fail "$d/ is $(mode "$VA/$d")" ;; esac
done
bad=$(find "$VA/log" "$VA/run" "$VA/mail" "$VA/storage" "$VA/secret_key" \
  -type f -perm /o=rwx,g=w 2>/dev/null)
[ -z "$bad" ] || fail "files others may read or write: $bad"
if [ $is_root = 1 ]; then
  # Another account reaches no database: not the socket, not by peer.
  if runuser -u nobody -- psql "postgresql:///postgres?host=$VA/pg-socket&user=postgres&port=5433" \
       -Xqtc 'SELECT 1' >/dev/null 2>&1; then
    fail "another account connected to the private PostgreSQL"
  fi
  # Even with the socket directory open to it, peer authentication refuses.
  chmod 711 "$VA/pg-socket"
  chmod 777 "$VA/pg-socket/.s.PGSQL.5433"
  err=$(runuser -u nobody -- psql "postgresql:///postgres?host=$VA/pg-socket&user=postgres&port=5433" \
       -Xqtc 'SELECT 1' 2>&1) && fail "another account connected through an open socket"
  chmod 700 "$VA/pg-socket" "$VA/pg-socket/.s.PGSQL.5433"
  echo "$err" | grep -qi "peer authentication failed" || fail "not refused by peer: $err"
else
  echo "server_smoke: skipped the other-account PostgreSQL check: needs root to become another user"
fi

# --- a second instance beside the first ---------------------------------------------
out=$(srv_b) || fail "a second instance (PORT=$PB) did not start beside the first: $out"
healthy "$PB" || fail "the second instance is not healthy"
healthy "$PA" || fail "the first instance stopped answering"
signup "$PB"
[ "$(me "$PB" "$(login "$PB" "$VB")")" = 200 ] || fail "sign-in on the second instance"
[ "$(cat "$VA/secret_key")" != "$(cat "$VB/secret_key")" ] || fail "the two instances share a key"
srv_b stop >/dev/null || fail "stop of the second instance"
healthy "$PA" || fail "stopping the second instance stopped the first"

# --- twice is safe: the application restarts, the database keeps its data -----------
out=$(srv_a) || fail "second script/server failed: $out"
access=$(login "$PA" "$VA")
curl -fsS "http://127.0.0.1:$PA/bulk_hiring/user_data/v1/user-data/?user_type=Hr" -H "Authorization: Bearer $access" |
  grep -q '"count":1' || fail "the account did not survive the restart"
[ "$(me "$PA" "$access")" = 200 ] || fail "the key changed across restarts"

# --- planted symlinks and pid files --------------------------------------------------
srv_a stop >/dev/null
printf 'precious\n' > "$tmp/victim"
chmod 600 "$tmp/victim"
for f in fcgi worker smtp sms initdb nginx-error nginx-access; do
  rm -f "$VA/log/$f.log"; ln -s "$tmp/victim" "$VA/log/$f.log"
done
sleep 300 & sleeper=$!
for f in fcgi worker smtp nginx; do
  rm -f "$VA/run/$f.pid"; echo "$sleeper" > "$VA/run/$f.pid"
done
out=$(srv_a) || fail "script/server failed with planted files: $out"
[ "$(cat "$tmp/victim")" = precious ] || fail "a planted symlink was written through"
alive "$sleeper" || fail "script/server killed a process it had not started"
for f in "$VA"/log/*.log; do
  [ ! -L "$f" ] || fail "$f is still a symlink"
done
if [ $is_root = 1 ]; then
  # A log directory another user owns (the old layout handed it to
  # postgres): moved aside with whatever was planted in it.
  srv_a stop >/dev/null
  chown -R nobody "$VA/log"
  runuser -u nobody -- ln -sf "$tmp/victim" "$VA/log/worker.log"
  runuser -u nobody -- sleep 300 >/dev/null 2>&1 & sleeper="$sleeper $!"
  sleep 0.2
  foreign=$(pgrep -u nobody -P "$!" sleep || echo "$!")
  echo "$foreign" > "$VA/run/worker.pid"
  chown nobody "$VA/run/worker.pid"
  out=$(srv_a 2>&1) || fail "script/server failed with a foreign log directory: $out"
  [ "$(stat -c %U "$VA/log")" = root ] || fail "log/ is still another user's"
  ls -d "$VA"/log.untrusted.* >/dev/null 2>&1 || fail "the foreign log/ was not moved aside"
  [ "$(cat "$tmp/victim")" = precious ] || fail "a planted symlink was written through"
  srv_a stop >/dev/null
  any_alive $foreign || fail "script/server stop killed another user's process"
  out=$(srv_a) || fail "restart: $out"
fi
srv_a status | grep -q "fcgi: running" || fail "status after planted files"
# shellcheck disable=SC2086
kill $sleeper 2>/dev/null || true
sleeper=""

# --- kill -9 everything, leave every file: the next start recovers --------------------
pids=$(ours "$VA")
[ -n "$pids" ] || fail "no processes found"
kill -KILL $pids 2>/dev/null || true
i=0; while any_alive $pids && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$VA/run/nchan-pub.sock" ] || fail "the crash left no socket to recover from"
out=$(srv_a 2>&1) || fail "script/server after kill -9: $out"
[ "$(me "$PA" "$(login "$PA" "$VA")")" = 200 ] || fail "sign-in after the crash"

# --- a start that fails stops what it started -------------------------------------------
srv_a stop >/dev/null
/usr/bin/python3 -c 'import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(120)' "$PA" &
holder=$!
sleeper="$sleeper $holder"
sleep 0.5
if out=$(srv_a 2>&1); then fail "script/server started with its port taken"; fi
pids=$(ours "$VA")
any_alive $pids && fail "a failed start left processes: $pids"
[ -f "$VA/pg/postmaster.pid" ] && fail "a failed start left PostgreSQL running"
[ -S "$VA/run/nchan-pub.sock" ] && fail "a failed start left nchan's socket"
kill "$holder"; wait "$holder" 2>/dev/null || true
out=$(srv_a 2>&1) || fail "script/server after a failed start: $out"

# --- status and stop --------------------------------------------------------------
srv_a status | grep -q "fcgi: running" || fail "status"
pids=$(ours "$VA")
srv_a stop | grep -q stopped || fail "stop"
for p in $pids; do
  alive "$p" && fail "process $p still runs after stop: $(ps -o pid,ppid,stat,args -p "$p" | tail -n 1)"
done
if curl -s -o /dev/null "http://127.0.0.1:$PA/healthz"; then fail "nginx still answers"; fi
echo "server_smoke: walk-through, a second instance beside it, no constant key, private state, planted files, crash and failed-start recovery, status and stop: ok"
