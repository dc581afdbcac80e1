#!/bin/sh
# 0160-stop-keywords.t: the simulator sends STOP and the other keywords through its signed webhooks; the dispatcher sends one reply each; messages waiting for the number are cancelled and never sent; a redelivered STOP counts once.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=3 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0 WAPORTAL_SEND_HOURLY_CAP=0
    WAPORTAL_SEND_TIMEOUT_MS=2000 WAPORTAL_SEND_LEASE=10"
stack_start --workers 1 --dispatch
CTL=$STACK_BIN/waportalctl
KEY=stop-test-key
stack_gwsim_start "$KEY" -d 50 || bail_out "simulator did not start"
simlog() { curl -s "$GWSIM_URL/_sim/log"; }
simctl() { curl -s -X POST -H 'Content-Type: application/json' --data-binary "$2" "$GWSIM_URL/_sim/$1"; }

ctl dealer add --name Acme
ctl package add --name Big --instances 10 --contacts 100 --messages-month 10000 --api-keys 1 --api-rpm 60
PKG=$OUT
ctl user add --role customer --email c@example.com --name C --dealer 1
CUST=$OUT
ctl package assign --customer "$CUST" --package "$PKG" --expires 2099-12-31
ctl_in "$KEY" host add --name sim --url "$GWSIM_URL" --capacity 10 --api-key-stdin
is "$RC" 0 "a host on the simulator" || diag "$ERR"
SECRET=$(sed -n 's/^webhook secret: //p' <<<"$OUT")
HOST=$(head -n 1 <<<"$OUT")
for s in wa1 wa2; do
	sql "INSERT INTO instances (customer_id, host_id, session, name) VALUES ($CUST, $HOST, '$s', '$s')" >/dev/null
done
I1=$(sql "SELECT id FROM instances WHERE session = 'wa1'")
I2=$(sql "SELECT id FROM instances WHERE session = 'wa2'")
hook=$(jq -nc --arg u "$BASE_URL/hooks/waha/sim" --arg k "$SECRET" \
    '{webhooks: [{url: $u, events: ["session.status", "message", "message.ack"], hmac: {key: $k}}]}')
simctl sessions "{\"prefix\":\"wa\",\"count\":1,\"config\":$hook}" >/dev/null
connected() { [ "$(sql "SELECT status FROM instances WHERE id = $I1")" = connected ]; }
wait_for 10 connected
ok $? "the simulator's session connects wa1 (wa2 stays unlinked)"

stored() { [ "$(sql "SELECT count(*) FROM messages WHERE gateway_id = '$1'")" = 1 ]; }
# say PHONE TEXT [DELIVERIES]: the simulator receives TEXT from PHONE
# (digits) and delivers its webhook; waits until the message is stored.
say() {
	local id
	id=$(simctl sessions/wa1/inbound "$(jq -nc --arg f "$1" --arg t "$2" --argjson n "${3:-1}" \
	    '{from: $f, text: $t, deliveries: $n}')" | jq -r .id)
	wait_for 10 stored "$id"
	printf '%s\n' "$id"
}
state() { sql "SELECT coalesce((SELECT status FROM contacts WHERE customer_id = $CUST AND phone = '+$1'), '-')"; }
logged() { sql "SELECT count(*) FROM contact_consents WHERE customer_id = $CUST AND phone = '+$1' AND source = 'keyword' AND instance_id = $I1 AND message_id IS NOT NULL"; }
# sends PHONE: the simulator's sendText calls to PHONE.
sends() { simlog | jq --arg c "$1@c.us" '[.[] | select(.path == "/api/sendText" and .chatId == $c)] | length'; }
replied() { [ "$(sends "$1")" -ge "$2" ]; }
lasttext() { simlog | jq -r --arg c "$1@c.us" '[.[] | select(.path == "/api/sendText" and .chatId == $c)] | last | .text'; }
default() { sql "SELECT wa_keyword_default('$1', 'en')"; }

# One keyword: its state, its log entry, its one reply (sent through the
# simulator by the dispatcher).
check() {
	local phone=$1 text=$2 want=$3 kind=$4 nlog=${5:-1}
	say "$phone" "$text" >/dev/null
	is "$(state "$phone")" "$want" "'$text': $want"
	is "$(logged "$phone")" "$nlog" "... $nlog consent log entr$([ "$nlog" = 1 ] && echo y || echo ies) (keyword, instance, message)"
	wait_for 10 replied "$phone" "$nlog"
	is "$(sends "$phone")" "$nlog" "... and one reply through the simulator"
	is "$(lasttext "$phone")" "$(default "$kind")" "... with the $kind text"
}
check 628110000001 STOP unsubscribed out
check 628110000002 stop unsubscribed out
check 628110000003 ' Stop ' unsubscribed out
check 628110000005 BERHENTI unsubscribed out
sql "INSERT INTO subscription_settings (customer_id, out_words) VALUES ($CUST, '{CUKUP}')" >/dev/null
check 628110000006 Cukup unsubscribed out
check 628110000001 START subscribed in 2

say 628110000004 'STOP please' >/dev/null
is "$(state 628110000004) $(logged 628110000004)" "- 0" "'STOP please': no keyword, no contact, no log"
say 628110000007 HELP >/dev/null
wait_for 10 replied 628110000007 1
is "$(state 628110000007) $(sends 628110000007) $(lasttext 628110000007)" "- 1 $(default help)" \
    "HELP: no contact, one reply with the help text"

# A STOP while messages wait for the number: none goes out after it.
P=628110000010
q1=$(sql "SELECT id FROM wa_message_enqueue($CUST, $I2, '+$P', 'waiting on an unlinked number', wa_now(), 'portal')")
q2=$(sql "SELECT id FROM wa_message_enqueue($CUST, $I1, '+$P', 'scheduled for tomorrow', wa_now() + interval '1 day', 'portal')")
say $P STOP >/dev/null
is "$(sql "SELECT string_agg(status || ': ' || last_error, ', ') FROM messages WHERE id IN ($q1, $q2)")" \
    "cancelled: unsubscribed, cancelled: unsubscribed" "a STOP cancels the queued and the scheduled message: unsubscribed"
# One that raced the STOP (stored behind the queue's check) is cancelled
# by the claim; a message to someone else goes out after it.
late=$(sql "SELECT id FROM wa_message_insert($CUST, $I1, '+$P', 'raced the stop', wa_now(), 'api')")
other=$(sql "SELECT id FROM wa_message_enqueue($CUST, $I1, '+628110000099', 'for someone else', wa_now(), 'portal')")
sql "SELECT pg_notify('waportal_dispatch', '')" >/dev/null
out() { [ "$(sql "SELECT status IN ('sent', 'delivered', 'read') FROM messages WHERE id = $1")" = t ]; }
wait_for 10 out "$other"
ok $? "the message to another number is sent"
is "$(sql "SELECT status || ': ' || last_error FROM messages WHERE id = $late")" "cancelled: unsubscribed" \
    "... the one that raced the STOP was cancelled at the claim"
is "$(sends $P)" 1 "... and the number got nothing but the STOP's reply"

# The same STOP delivered twice by the gateway: one entry, one reply.
D=628110000020
say $D STOP 2 >/dev/null
say 628110000021 'after the redelivery' >/dev/null
wait_for 10 replied $D 1
is "$(logged $D) $(sends $D)" "1 1" "a STOP delivered twice: one log entry, one reply"
is "$(sql "SELECT count(*) FROM messages WHERE peer_phone = '+$D' AND direction = 'in'")" 1 "... one message stored"

done_testing
