#!/bin/sh
# 0209-receipt-repair.t: a receipt the gateway gave up delivering is repaired: with every worker stopped while acks are due, a gateway that tries each webhook once (gwsim -R 1) drops them; the workers come back, the pinned clock moves past WAPORTAL_RECEIPT_AFTER, and the dispatcher's reconciliation looks each message up on the gateway and brings it to the status the gateway recorded (delivered or read), one log line each.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
# The housekeeping round is hourly: the passes keep their own interval.
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=3600 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0 WAPORTAL_SEND_HOURLY_CAP=0
    WAPORTAL_RECEIPT_INTERVAL=1 WAPORTAL_RECEIPT_AFTER=600"
stack_start --workers 1 --dispatch --clock '2031-05-06 07:08:09+00'
KEY=repair-test-key
SECRET=0123456789abcdef0123456789abcdef-rpr
stack_gwsim_start "$KEY" -q 0 -d 50 -R 1 || bail_out "simulator did not start"
stack_customers 1 100 c@example.com >/dev/null || bail_out "seeding failed"
stack_host demo base_url="$GWSIM_URL" api_key="$KEY" webhook_secret="$SECRET" city=Jakarta country=ID >/dev/null
msg() { sql "SELECT $2 FROM messages WHERE id = $1"; }
status_is() { [ "$(msg "$1" status)" = "$2" ]; }
# dropped: ack webhooks the simulator tried once, got a 502 for, and gave up.
dropped() { grep -c 'webhook .*/hooks/waha/.* attempt 1: HTTP 50[0-9]' "$(stack_log gwsim.log)"; }
# lookups ID: the simulator's answers to lookups of message ID's gateway id.
lookups() {
	local g
	g=$(msg "$1" gateway_id)
	curl -s "$GWSIM_URL/_sim/log" | jq -r --arg g "$g" \
	    '.[] | select(.method == "GET" and (.path | endswith("/messages/" + $g))) | .status'
}

# Link a number through the portal, as a customer does.
jar=$STACK_DIR/jar
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
http GET /whatsapp -b "$jar"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//')
http POST /whatsapp/instances -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode name=Sales --data-urlencode host=1
is "$HTTP_STATUS" 303 "a number is created on the simulator through the portal"
iid=$(sql "SELECT id FROM instances WHERE customer_id = 1")
sess=$(sql "SELECT session FROM instances WHERE id = $iid")
curl -s -X POST "$GWSIM_URL/_sim/sessions/$sess/scan" >/dev/null
wait_for 20 eval '[ "$(sql "SELECT status FROM instances WHERE id = $iid")" = connected ]'
ok $? "scanned: its session.status webhook links it"

# The first message's recipient never reads it: DEVICE only.
curl -s -X POST "$GWSIM_URL/_sim/faults" -d '{"unread":1}' >/dev/null

# Every worker stops; three messages go out meanwhile and their five
# acks (three DEVICE, two READ) find nginx with nobody behind it.
stack_stop_pidfile "$STACK_DIR/run/workers.pid" 10
ids=()
for to in +6281234567001 +6281234567002 +6281234567003; do
	ids+=("$(sql "SELECT id FROM wa_message_enqueue(1, $iid, '$to', 'Halo', wa_now(), 'api')")")
done
wait_for 20 eval 'for i in "${ids[@]}"; do status_is "$i" sent || exit 1; done'
ok $? "three messages sent while the portal is down"
wait_for 30 eval '[ "$(dropped)" -ge 5 ]'
ok $? "their five ack webhooks got a 502 once and were dropped"

# The workers come back: nothing arrives any more.
_stack_san_env
stack_workers_start "$STACK_DIR" "$STACK_BIN/waportal-fcgi" 1 || bail_out "the workers did not start"
_stack_san_env_restore
STACK_MW_PID=$(cat "$STACK_DIR/run/workers.pid")
is "$(sql "SELECT string_agg(status, ',' ORDER BY id) FROM messages WHERE direction = 'out'")" "sent,sent,sent" \
    "the portal is back, the messages are still 'sent'"
is "$(lookups "${ids[0]}")" "" "... and before WAPORTAL_RECEIPT_AFTER nobody asked the gateway"

# Ten minutes pass: the reconciliation asks the gateway.
stack_clock_add '11 minutes' || bail_out "clock"
wait_for 30 eval 'status_is "${ids[0]}" delivered && status_is "${ids[1]}" read && status_is "${ids[2]}" read'
ok $? "every message reaches the status the gateway recorded: delivered, read, read"
is "$(sql "SELECT count(*) FROM messages WHERE id IN (${ids[1]}, ${ids[2]}) AND delivered_at IS NOT NULL AND read_at IS NOT NULL")" 2 \
    "... the read ones with their delivered and read times"
is "$(sql "SELECT (delivered_at IS NOT NULL) AND read_at IS NULL FROM messages WHERE id = ${ids[0]}")" t \
    "... the unread one delivered, not read"
is "$(sql "SELECT count(*) FROM messages WHERE ack_checked_at = wa_now() AND NOT ack_unknown")" 3 \
    "... each looked up once, at the pinned clock"
for i in "${ids[@]}"; do
	is "$(lookups "$i")" 200 "message $i: one lookup, answered 200"
done
log=$(stack_log dispatch.log)
for i in "${ids[@]}"; do
	is "$(grep -c "message $i: receipt repaired" "$log")" 1 "message $i: one info line names it"
done
unlike "$(grep 'receipt repaired' "$log")" 'Halo|\+628|true_' "... with its id only: no text, number or gateway id"

# Another ten minutes: the delivered one, still waiting for its read, is
# asked again (once per threshold, not in a loop); the read ones are done.
stack_clock_add '11 minutes' || bail_out "clock"
wait_for 30 eval '[ "$(lookups "${ids[0]}" | wc -l)" -ge 2 ]'
ok $? "a delivered message is looked up again after another threshold"
is "$(lookups "${ids[1]}")" 200 "... in that pass a read one is not"
is "$(msg "${ids[0]}" status)" delivered "... and the gateway still says DEVICE: it stays delivered"

done_testing
