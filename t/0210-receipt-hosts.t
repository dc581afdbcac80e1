#!/bin/sh
# 0210-receipt-hosts.t: the receipts reconciliation across two gateway hosts whose webhooks the portal refuses (a wrong secret): each message is looked up on its own host; an id the gateway does not know (404) is left as it is and not asked again; a host whose lookups fail is asked again at the next pass, one lookup a pass until it answers; a status never goes back (a read message is not looked up, a delivered one keeps its time).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
# The housekeeping round is hourly: the passes keep their own interval.
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=3600 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0 WAPORTAL_SEND_HOURLY_CAP=0
    WAPORTAL_RECEIPT_INTERVAL=1 WAPORTAL_RECEIPT_AFTER=600"
stack_start --workers 1 --dispatch --clock '2031-05-06 07:08:09+00'
KEY=hosts-test-key
stack_gwsim_start "$KEY" -q 0 -d 50 -R 1 || bail_out "simulator A did not start"
SIM_A=$GWSIM_URL
mv "$STACK_DIR/run/gwsim.pid" "$STACK_DIR/run/gwsim-a.pid"
stack_gwsim_start "$KEY" -q 0 -d 50 -R 1 || bail_out "simulator B did not start"
SIM_B=$GWSIM_URL
stack_customers 2 100 c@example.com >/dev/null || bail_out "seeding failed"
stack_host a base_url="$SIM_A" api_key="$KEY" city=Jakarta country=ID >/dev/null
stack_host b base_url="$SIM_B" api_key="$KEY" city=Surabaya country=ID >/dev/null
msg() { sql "SELECT $2 FROM messages WHERE id = $1"; }
status_is() { [ "$(msg "$1" status)" = "$2" ]; }
send() { sql "SELECT id FROM wa_message_enqueue(1, $1, '$2', 'Halo', wa_now(), 'api')"; }
all_sent() { local i; for i; do status_is "$i" sent || return 1; done; }
# lookups SIM GATEWAY_ID: that simulator's answers to lookups of the id.
lookups() {
	curl -s "$1/_sim/log" | jq -r --arg g "$2" \
	    '.[] | select(.method == "GET" and (.path | endswith("/messages/" + $g))) | .status'
}
log=$(stack_log dispatch.log)

# Two numbers through the portal, one on each host.
jar=$STACK_DIR/jar
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
link() {
	local sim=$1 host=$2 csrf iid sess
	http GET /whatsapp -b "$jar"
	csrf=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//')
	http POST /whatsapp/instances -b "$jar" --data-urlencode "_csrf=$csrf" \
	    --data-urlencode "name=On $host" --data-urlencode "host=$host"
	iid=$(sql "SELECT id FROM instances WHERE host_id = $host")
	sess=$(sql "SELECT session FROM instances WHERE id = $iid")
	curl -s -X POST "$sim/_sim/sessions/$sess/scan" >/dev/null
	wait_for 20 eval '[ "$(sql "SELECT status FROM instances WHERE id = $iid")" = connected ]' || return 1
	echo "$iid"
}
ia=$(link "$SIM_A" 1) && ib=$(link "$SIM_B" 2)
ok $? "a number on host a, another on host b"
# From now on the portal refuses both hosts' webhooks (their signatures no
# longer match), and each gateway tries a webhook once: every ack is lost.
sql "UPDATE hosts SET webhook_secret = 'another-secret-0123456789abcdef0123'" >/dev/null

# a3 and a4 are never read (DEVICE only); a3 is marked read by hand, as a
# late webhook would, and a4 delivered.
curl -s -X POST "$SIM_A/_sim/faults" -d '{"unread":2}' >/dev/null
a3=$(send "$ia" +6281234567003)
a4=$(send "$ia" +6281234567004)
wait_for 20 all_sent "$a3" "$a4"
ok $? "two unread messages sent on host a"
sql "SELECT wa_message_ack($ia, gateway_id, 'read', wa_now()) FROM messages WHERE id = $a3" >/dev/null
sql "SELECT wa_message_ack($ia, gateway_id, 'delivered', wa_now()) FROM messages WHERE id = $a4" >/dev/null
a1=$(send "$ia" +6281234567001)
a2=$(send "$ia" +6281234567002)
b1=$(send "$ib" +6281234567011)
b2=$(send "$ib" +6281234567012)
wait_for 20 all_sent "$a1" "$a2" "$b1" "$b2"
ok $? "two more on host a, two on host b"
wait_for 30 eval '[ "$(grep -c "webhook .*/hooks/waha/.* attempt 1: HTTP 401" "$(stack_log gwsim.log)")" -ge 10 ]'
ok $? "their ten ack webhooks were refused once and dropped"
# a2's id is one the gateway never sent (lost, or another engine's store).
sql "UPDATE messages SET gateway_id = 'true_6281234567002@c.us_0000000000000000DEAD' WHERE id = $a2" >/dev/null
ga1=$(msg "$a1" gateway_id) ga3=$(msg "$a3" gateway_id) ga4=$(msg "$a4" gateway_id)
gb1=$(msg "$b1" gateway_id) gb2=$(msg "$b2" gateway_id)
read4=$(msg "$a4" delivered_at) read3=$(msg "$a3" read_at)

# Host b fails every lookup (500) until told otherwise.
curl -s -X POST "$SIM_B/_sim/faults" -d '{"lookup":"5xx","lookup_count":1000}' >/dev/null
stack_clock_add '11 minutes' || bail_out "clock"

# Host a answers.
wait_for 30 eval 'status_is "$a1" read && [ "$(msg "$a2" ack_unknown)" = t ] && [ -n "$(msg "$a4" ack_checked_at)" ]'
ok $? "host a's messages are looked up"
is "$(lookups "$SIM_A" "$ga1")" 200 "a1: looked up on host a, repaired to read"
is "$(lookups "$SIM_B" "$ga1")" "" "... and never on host b"
is "$(lookups "$SIM_A" true_6281234567002@c.us_0000000000000000DEAD)" 404 "a2: host a does not know it (404)"
is "$(msg "$a2" status)" sent "... it is left 'sent'"
like "$(cat "$log")" "message $a2: the gateway does not know it" "... and the dispatcher says so"
is "$(lookups "$SIM_A" "$ga3")" "" "a3, already read: not looked up"
is "$(msg "$a3" "status || ' ' || (read_at = '$read3')")" "read true" "... it stays read, its time kept"
is "$(lookups "$SIM_A" "$ga4")" 200 "a4, delivered: looked up, the gateway says DEVICE"
is "$(msg "$a4" "status || ' ' || (delivered_at = '$read4')")" "delivered true" "... it stays delivered, its time kept"
is "$(lookups "$SIM_B" "$ga4")" "" "... never asked on host b"

# Host b: one lookup a pass fails, the other message waits with it.
wait_for 30 eval 'grep -q "receipts: 2 claimed, 1 looked up, 0 repaired" "$log"'
ok $? "host b fails: one lookup a pass, its other message given back untried"
unlike "$(grep 'receipts: ' "$log")" "receipts: 2 claimed, 2 looked up, 0 repaired" "... never both in one failing pass"
like "$(grep 'receipt lookup failed' "$log")" "HTTP 500" "... the failure is logged"
# Between two passes (the next one may have claimed them already when
# this reads: wait for the moment between).
bfree() { [ "$(sql "SELECT string_agg(status || ' ' || coalesce(ack_checked_at::text, 'none'), ',' ORDER BY id) FROM messages WHERE id IN ($b1, $b2)")" = "sent none,sent none" ]; }
wait_for 30 bfree
ok $? "... both still 'sent', free for the next pass"
is "$(lookups "$SIM_A" "$gb1")$(lookups "$SIM_A" "$gb2")" "" "host b's messages are never asked on host a"
curl -s -X POST "$SIM_B/_sim/faults" -d '{"lookup":"ok","lookup_count":0}' >/dev/null
wait_for 30 eval 'status_is "$b1" read && status_is "$b2" read'
ok $? "host b answers again: the next pass repairs both"
is "$(lookups "$SIM_B" "$gb1" | tail -1)$(lookups "$SIM_B" "$gb2" | tail -1)" 200200 "... their last lookups answered 200"

# Another threshold: a4 (delivered) is asked again; a2 (unknown) is not.
stack_clock_add '11 minutes' || bail_out "clock"
wait_for 30 eval '[ "$(lookups "$SIM_A" "$ga4" | wc -l)" -ge 2 ]'
ok $? "a4, still delivered, is asked again after another threshold"
is "$(lookups "$SIM_A" true_6281234567002@c.us_0000000000000000DEAD)" 404 "... a2 is not: one 404, no loop"
is "$(lookups "$SIM_A" "$ga1" | wc -l)" 1 "... nor a1, read"

# Past WAPORTAL_RECEIPT_GIVE_UP (48 h) nothing is asked any more.
stack_clock_add '49 hours' || bail_out "clock"
n4=$(lookups "$SIM_A" "$ga4" | wc -l)
sql "UPDATE messages SET ack_checked_at = NULL WHERE id = $a4" >/dev/null
a5=$(send "$ia" +6281234567005)
wait_for 20 status_is "$a5" sent
stack_clock_add '11 minutes' || bail_out "clock"
ga5=$(msg "$a5" gateway_id)
wait_for 30 eval '[ -n "$(lookups "$SIM_A" "$ga5")" ]'
ok $? "a newer message is looked up"
is "$(lookups "$SIM_A" "$ga4" | wc -l)" "$n4" "... in that pass a4, sent over 48 hours ago, is not: given up, left delivered"
is "$(msg "$a4" status)" delivered "... its status as it was"

# A number that is not connected on the gateway (422): that message is
# asked again one threshold later, not at every pass.
a6=$(send "$ia" +6281234567006)
wait_for 20 status_is "$a6" sent
sessa=$(sql "SELECT session FROM instances WHERE id = $ia")
curl -s -X POST "$SIM_A/_sim/sessions/$sessa/disconnect" -d '{"status":"STOPPED"}' >/dev/null
stack_clock_add '11 minutes' || bail_out "clock"
ga6=$(msg "$a6" gateway_id)
wait_for 30 eval '[ -n "$(lookups "$SIM_A" "$ga6")" ]'
ok $? "a6 is looked up while its number is not connected"
is "$(lookups "$SIM_A" "$ga6")" 422 "... the gateway answers 422"
is "$(msg "$a6" "status || ' ' || (ack_checked_at = wa_now())")" "sent true" \
    "... it stays sent, its lookup kept: asked again after the threshold, not at the next pass"

done_testing
