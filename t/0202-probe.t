#!/bin/sh
# 0202-probe.t: the dispatcher probes each enabled host: up with latency and sessions, degraded, then down.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

SIM=${top_builddir:?}/src/waportal-gwsim
[ -x "$SIM" ] || skip_all "simulator not built"
STACK_ENV="WAPORTAL_PROBE_INTERVAL=1 WAPORTAL_DISPATCH_INTERVAL=1"
stack_start --workers 1 --dispatch

KEY=probe-key
stack_gwsim_start "$KEY" || bail_out "simulator did not start"
SIM_PID=$GWSIM_PID
port=${GWSIM_URL##*:}
SECRET=0123456789abcdef0123456789abcdef

# The session first, the hosts after: the dispatcher probes a new host
# at once, and a probe made before the session existed would record 0
# sessions on an "up" host. The disabled host is disabled from its first
# moment, so no probe can come between its insert and an update.
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' \
    --data '{"name":"s1","start":true}' "http://127.0.0.1:$port/api/sessions")" 201 \
    "the simulator runs a session"
stack_host good base_url="http://127.0.0.1:$port" api_key="$KEY" webhook_secret="$SECRET" >/dev/null
stack_host badkey base_url="http://127.0.0.1:$port" api_key=wrong webhook_secret="$SECRET" >/dev/null
stack_host off base_url="http://127.0.0.1:$port" api_key="$KEY" webhook_secret="$SECRET" enabled=false >/dev/null

st() { sql "SELECT status FROM hosts WHERE name = '$1'"; }
wait_for 15 eval '[ "$(st good)" = up ]'
is "$(st good)" up "a host that answers is up"
is "$(sql "SELECT sessions_in_use FROM hosts WHERE name = 'good'")" 1 "... with the sessions it runs"
like "$(sql "SELECT latency_ms FROM hosts WHERE name = 'good'")" '^[0-9]+$' "... and its latency"
wait_for 15 eval '[ "$(st badkey)" = down ]'
is "$(st badkey)" down "a host that refuses our key ends up down"
cmp_ok "$(sql "SELECT failures FROM hosts WHERE name = 'badkey'")" -ge 3 "... after three failures in a row"
is "$(st off)" unknown "a disabled host is not probed"
n=$(curl -s "http://127.0.0.1:$port/_sim/log" | jq '[.[] | select(.method == "GET" and .path == "/api/sessions")] | length')
cmp_ok "$n" -ge 2 "the probes are authenticated GET /api/sessions?all=true calls"

# Housekeeping in the same rounds: expired sessions and old sign-in
# failures go, live ones stay.
sql "INSERT INTO dealers (name) VALUES ('Acme')" >/dev/null
sql "INSERT INTO users (role, dealer_id, email, name) VALUES ('customer', 1, 'c@example.com', 'C')" >/dev/null
sql "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) VALUES
     (sha256('idle'), 1, 'x', now(), now() - interval '31 minutes'),
     (sha256('old'), 1, 'x', now() - interval '13 hours', now()),
     (sha256('live'), 1, 'x', now(), now())" >/dev/null
sql "INSERT INTO login_failures (email, remote_addr, failed_at) VALUES
     ('a@example.com', '127.0.0.1', now() - interval '2 days'),
     ('b@example.com', '127.0.0.1', now())" >/dev/null
wait_for 10 eval '[ "$(sql "SELECT count(*) FROM sessions")" = 1 ]'
is "$(sql "SELECT count(*) FROM sessions WHERE token_hash = sha256('live')")" 1 "the dispatcher keeps a live session"
is "$(sql "SELECT count(*) FROM sessions")" 1 "... and deletes the idle and the too old"
wait_for 10 eval '[ "$(sql "SELECT count(*) FROM login_failures")" = 1 ]'
is "$(sql "SELECT email FROM login_failures")" b@example.com "it forgets sign-in failures older than a day"

kill -TERM "$SIM_PID"; wait "$SIM_PID" 2>/dev/null
wait_for 20 eval '[ "$(st good)" = down ]'
is "$(st good)" down "a host that stops answering goes down"
unlike "$(cat "$STACK_DIR"/log/*.log)" "$KEY|$SECRET" "no key or secret in any log"

done_testing
