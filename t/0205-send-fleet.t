#!/bin/sh
# 0205-send-fleet.t: several dispatchers at once: each of 2,000 messages sent once, SIGTERM and SIGKILL mid-send, pacing and the hourly cap.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
stack_start --workers 1
CTL=$STACK_BIN/waportalctl
KEY=fleet-test-key
# No acks: this file is about sending; 0204 follows the acks.
stack_gwsim_start "$KEY" -d -1 || bail_out "simulator did not start"
simlog() { curl -s "$GWSIM_URL/_sim/log"; }
simctl() { curl -s -X POST -H 'Content-Type: application/json' --data-binary "$2" "$GWSIM_URL/_sim/$1"; }
count() { sql "SELECT count(*) FROM messages WHERE $1"; }

ctl dealer add --name Acme
ctl package add --name Big --instances 100 --contacts 10 --messages-month 100000 --api-keys 1 --api-rpm 60
PKG=$OUT
ctl user add --role customer --email c@example.com --name C --dealer 1
CUST=$OUT
ctl package assign --customer "$CUST" --package "$PKG" --expires 2099-12-31
[ "$RC" = 0 ] || bail_out "package assign: $ERR"
ctl_in "$KEY" host add --name sim --url "$GWSIM_URL" --capacity 100 --api-key-stdin
HOST=$(head -n 1 <<<"$OUT")
# instances PREFIX N: N linked sessions on the simulator and their connected instances.
instances() {
	simctl sessions "{\"prefix\":\"$1\",\"count\":$2}" >/dev/null
	sql "INSERT INTO instances (customer_id, host_id, session, name, status)
	    SELECT $CUST, $HOST, '$1' || g, '$1' || g, 'connected' FROM generate_series(1, $2) g" >/dev/null
}
# enqueue N TEXT SESSION INSTANCES: N messages 'TEXT k' spread over the
# instances SESSION1 .. SESSION<INSTANCES>; prints how many were queued.
enqueue() {
	sql "SELECT count(m.id) FROM generate_series(1, $1) g
	    JOIN instances i ON i.session = '$3' || (1 + (g - 1) % $4)
	    CROSS JOIN LATERAL wa_message_enqueue($CUST, i.id,
		'+62812' || lpad(g::text, 8, '0'), '$2 ' || g, now(), 'api') m"
}
# sent_texts PREFIX: the simulator's 201 answers to sendText with texts 'PREFIX ...', one text a line.
sent_texts() { simlog | jq -r --arg p "$1 " '.[] | select(.path == "/api/sendText" and .status == 201 and (.text | startswith($p))) | .text'; }

BASE="WAPORTAL_DISPATCH_INTERVAL=1 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0 WAPORTAL_SEND_HOURLY_CAP=0
    WAPORTAL_SEND_LEASE=5 WAPORTAL_SEND_TIMEOUT_MS=4000 WAPORTAL_SEND_PARALLEL=16
    WAPORTAL_SEND_BACKOFF_MS=200 WAPORTAL_SEND_MAX_ATTEMPTS=6"
AS=()
[ "$STACK_IS_ROOT" = 1 ] && AS=(setpriv --reuid="$STACK_RUN_USER" --regid="$STACK_RUN_USER" --init-groups --)
# dispatch NAME [VAR=VALUE...]: one more dispatcher, $BASE with overrides; log/NAME.log, run/NAME.pid.
dispatch() {
	local name=$1
	shift
	_stack_san_env
	env $BASE "$@" "${AS[@]}" "$STACK_BIN/waportal-dispatch" </dev/null \
	    >>"$STACK_DIR/log/$name.log" 2>&1 &
	echo $! >"$STACK_DIR/run/$name.pid"
	_stack_san_env_restore
}
# stop NAME [SIG]: signal the dispatcher (TERM) and wait; its exit status goes to STOPPED.
stop() {
	local pid
	pid=$(cat "$STACK_DIR/run/$1.pid")
	kill "-${2:-TERM}" "$pid"
	wait "$pid"
	STOPPED=$?
	rm -f "$STACK_DIR/run/$1.pid"
}
# stop2 A B: stop both at once; STOPPED is "rcA rcB".
stop2() {
	local a b
	kill -TERM "$(cat "$STACK_DIR/run/$1.pid")" "$(cat "$STACK_DIR/run/$2.pid")"
	stop "$1"
	a=$STOPPED
	stop "$2"
	STOPPED="$a $STOPPED"
}
# stats NAME: "sent retried failed lost" from the dispatcher's last log line.
stats() { sed -n 's/.*stopped: \([0-9]*\) sent, \([0-9]*\) retried, \([0-9]*\) failed, \([0-9]*\) lost.*/\1 \2 \3 \4/p' "$STACK_DIR/log/$1.log"; }

# 8. Two dispatchers, 2,000 queued messages over 20 instances, no
# pacing: every message sent exactly once.
instances f 20
is "$(enqueue 2000 fleet f 20)" 2000 "8: 2,000 messages queued over 20 instances"
dispatch d1
dispatch d2
wait_for 40 eval '[ "$(count "status = '"'sent'"'")" = 2000 ]'
is "$(count "status = 'sent'")" 2000 "... two dispatchers at once: all sent"
texts=$(sent_texts fleet)
is "$(wc -l <<<"$texts")" 2000 "... the gateway got 2,000 sendText calls"
is "$(sort -u <<<"$texts" | wc -l)" 2000 "... each message exactly once"
is "$(count "gateway_id IS NOT NULL AND attempts = 1 AND lease_owner IS NULL")" 2000 "... each with its id, on the first attempt, lease released"
stop2 d1 d2
is "$STOPPED" "0 0" "... SIGTERM: both exit 0"
s1=$(stats d1)
s2=$(stats d2)
is "$(( ${s1%% *} + ${s2%% *} ))" 2000 "... and between them they sent 2,000 (${s1%% *} + ${s2%% *})"
cmp_ok "${s1%% *}" -gt 0 "... both took part (d1)"
cmp_ok "${s2%% *}" -gt 0 "... both took part (d2)"

# Sends held by the gateway must still be in flight when the test has
# seen them and acted (a slow machine takes a while to notice): they
# take 4 s, under a timeout and a lease long enough for that.
SLOW="WAPORTAL_SEND_TIMEOUT_MS=10000 WAPORTAL_SEND_LEASE=15"

# 11. SIGTERM while sends are in flight: they finish and are recorded.
simctl faults '{"send":"ok","delay_ms":4000,"count":8}' >/dev/null
enqueue 8 term f 8 >/dev/null
dispatch t1 $SLOW
wait_for 5 eval '[ "$(count "status = '"'sending'"'")" = 8 ]'
is "$(count "status = 'sending'")" 8 "11: eight sends in flight on a slow gateway"
t0=$(date +%s%N)
stop t1
is "$STOPPED" 0 "... SIGTERM: exit 0"
cmp_ok "$(( ($(date +%s%N) - t0) / 1000000 ))" -ge 1000 "... after waiting for the sends"
is "$(count "body LIKE 'term %' AND status = 'sent'")" 8 "... all eight recorded as sent"
is "$(stats t1)" "8 0 0 0" "... as its last log line says"

# The database goes away while sends are in flight: they finish, and
# their outcomes are recorded once it is back (before the leases run
# out, so nothing is sent twice).
simctl faults '{"send":"ok","delay_ms":4000,"count":4}' >/dev/null
enqueue 4 pgdown f 4 >/dev/null
dispatch g1 $SLOW
wait_for 5 eval '[ "$(count "status = '"'sending'"'")" = 4 ]'
pg_stop
sleep 2
pg_start
wait_for 15 eval '[ "$(count "body LIKE '"'pgdown %'"' AND status = '"'sent'"'")" = 4 ]'
is "$(count "body LIKE 'pgdown %' AND status = 'sent'")" 4 "12: PostgreSQL restarts mid-send: all four recorded as sent after it is back"
is "$(sent_texts pgdown | wc -l)" 4 "... each sent once"
like "$(cat "$STACK_DIR/log/g1.log")" 'database: .*retrying in' "... the dispatcher said it lost the database"
stop g1
is "$STOPPED" 0 "... SIGTERM: exit 0"

# 7. SIGKILL mid-batch with a 5 s lease: nothing is lost.
simctl faults '{"send":"ok","delay_ms":3000,"count":16}' >/dev/null
enqueue 40 kill f 20 >/dev/null
dispatch k1
wait_for 5 eval '[ "$(count "status = '"'sending'"'")" = 16 ]'
is "$(count "status = 'sending'")" 16 "7: sixteen sends in flight"
stop k1 KILL
is "$STOPPED" 137 "... SIGKILL"
dispatch k2
wait_for 30 eval '[ "$(count "body LIKE '"'kill %'"' AND status = '"'sent'"'")" = 40 ]'
is "$(count "body LIKE 'kill %' AND status = 'sent'")" 40 "... another dispatcher sends all 40 once the leases run out"
texts=$(sent_texts kill)
is "$(sort -u <<<"$texts" | wc -l)" 40 "... the gateway got every one of them"
diag "sendText calls for 40 messages: $(wc -l <<<"$texts") (the killed dispatcher's sends went out too: at least once)"
is "$(count "status = 'sending'")" 0 "... nothing is left sending"
stop k2
is "$STOPPED" 0 "... SIGTERM: exit 0"

# 9. Pacing with two dispatchers: at least the gap between two sends of
# one instance, and no more than the hourly cap.
instances p 2
enqueue 8 p p 2 >/dev/null
P="WAPORTAL_SEND_GAP_MS=400 WAPORTAL_SEND_JITTER_MS=200 WAPORTAL_SEND_HOURLY_CAP=3"
dispatch pa $P
dispatch pb $P
wait_for 15 eval '[ "$(count "body LIKE '"'p %'"' AND status = '"'sent'"'")" = 6 ]'
sleep 1.5
is "$(count "body LIKE 'p %' AND status = 'sent'")" 6 "9: the hourly cap of 3 stops each instance at 3"
is "$(count "body LIKE 'p %' AND status = 'queued' AND attempts = 0")" 2 "... the rest wait, no attempt used"
sql "UPDATE instances SET hour_started_at = now() - interval '61 minutes' WHERE session IN ('p1', 'p2')" >/dev/null
wait_for 10 eval '[ "$(count "body LIKE '"'p %'"' AND status = '"'sent'"'")" = 8 ]'
is "$(count "body LIKE 'p %' AND status = 'sent'")" 8 "... a new window: they go"
for s in p1 p2; do
	gaps=$(simlog | jq -c --arg s "$s" '[.[] | select(.path == "/api/sendText" and .session == $s) | .time] | [range(1; length) as $i | .[$i] - .[$i - 1]]')
	is "$(jq 'length' <<<"$gaps")" 3 "... $s: four sends"
	cmp_ok "$(jq 'min' <<<"$gaps")" -ge 400 "... $s: at least 400 ms apart: $gaps"
done
stop2 pa pb
is "$STOPPED" "0 0" "... SIGTERM: both exit 0"

is "$(count "status IN ('sending', 'queued', 'failed')")" 0 "nothing is left sending, queued or failed"
done_testing
