#!/bin/sh
# 0196-broadcast-stats.t: a broadcast's statistics and brakes end to end (runner, dispatcher, simulator, webhooks): a gateway failing every 10th send pauses it with the reason under the customer's threshold; the counters equal the count(*) of its messages after the receipts; resumed with the brake off it ends 'done'; replies and opt-outs through the webhooks count once, another customer's never; a number disconnecting pauses the broadcast sending from it.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=1 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0 WAPORTAL_SEND_HOURLY_CAP=0
    WAPORTAL_SEND_TIMEOUT_MS=2000 WAPORTAL_SEND_LEASE=10 WAPORTAL_SEND_PARALLEL=2"
stack_start --workers 1 --dispatch --runner
CTL=$STACK_BIN/waportalctl
KEY=bstats-test-key
stack_gwsim_start "$KEY" -d 20 || bail_out "simulator did not start"
simctl() { curl -s -X POST -H 'Content-Type: application/json' --data-binary "$2" "$GWSIM_URL/_sim/$1"; }

stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 1000" >/dev/null
ctl_in "$KEY" host add --name sim --url "$GWSIM_URL" --capacity 10 --api-key-stdin
is "$RC" 0 "a host on the simulator" || bail_out "$ERR"
HOST=$(head -n 1 <<<"$OUT")
SECRET=$(sed -n 's/^webhook secret: //p' <<<"$OUT")
sql "INSERT INTO instances (customer_id, host_id, session, name) VALUES (1, $HOST, 'wa1', 'wa1'), (2, $HOST, 'wa2', 'wa2')" >/dev/null
I1=$(sql "SELECT id FROM instances WHERE session = 'wa1'")
hook=$(jq -nc --arg u "$BASE_URL/hooks/waha/sim" --arg k "$SECRET" \
    '{webhooks: [{url: $u, events: ["session.status", "message", "message.ack"], hmac: {key: $k}}]}')
is "$(simctl sessions "{\"prefix\":\"wa\",\"count\":2,\"config\":$hook}" | jq .created)" 2 "two linked sessions"
connected() { [ "$(sql "SELECT count(*) FROM instances WHERE status = 'connected' AND phone <> ''")" = 2 ]; }
wait_for 10 connected
ok $? "their webhooks connect both numbers" || bail_out "not connected"

# Customer 1: 60 subscribed contacts in list L.
sql "INSERT INTO contacts (customer_id, phone, name, status)
     SELECT 1, '+628120000' || lpad(g::text, 4, '0'), 'P' || g, 'subscribed' FROM generate_series(1, 60) g;
     INSERT INTO contact_groups (customer_id, name, kind) VALUES (1, 'L', 'list')" >/dev/null || bail_out "contacts"
L=$(sql "SELECT id FROM contact_groups WHERE customer_id = 1")
sql "SELECT wa_group_add(1, $L, ARRAY(SELECT id FROM contacts WHERE customer_id = 1))" >/dev/null
T=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Hello', 'Hi {{first_name}}')")
bc() { sql "SELECT $2 FROM broadcasts WHERE id = $1"; }
# create [COLUMNS VALUES]: a draft to list L from wa1; its id.
create() {
	local id
	id=$(sql "INSERT INTO broadcasts (customer_id, name, template_id, instance_ids${1:+, $1})
	    VALUES (1, 'B', $T, ARRAY[$I1]::bigint[]${2:+, $2}) RETURNING id") || return 1
	sql "INSERT INTO broadcast_sources (broadcast_id, pos, kind, ref_id) VALUES ($id, 0, 'list', $L)" >/dev/null || return 1
	echo "$id"
}
state_is() { [ "$(bc "$1" state)" = "$2" ]; }
# settled ID: nothing of it in flight, and no sent message waiting for its acks.
settled() { [ "$(sql "SELECT count(*) FROM messages WHERE broadcast_id = $1 AND status IN ('sending', 'sent')")" = 0 ]; }
counters() { bc "$1" "sent || ' ' || delivered || ' ' || read || ' ' || failed || ' ' || cancelled"; }
counted() {
	sql "SELECT count(*) FILTER (WHERE sent_at IS NOT NULL) || ' ' || count(*) FILTER (WHERE delivered_at IS NOT NULL)
	    || ' ' || count(*) FILTER (WHERE read_at IS NOT NULL) || ' ' || count(*) FILTER (WHERE status = 'failed')
	    || ' ' || count(*) FILTER (WHERE status = 'cancelled') FROM messages WHERE broadcast_id = $1"
}

# ---------------------------------------------------------------- failures pause it
sql "INSERT INTO broadcast_brakes (customer_id, fail_pct) VALUES (1, 5)" >/dev/null
simctl faults '{"send":"4xx","every":10,"session":"wa1"}' >/dev/null
b=$(create) || bail_out "create"
sql "SELECT wa_broadcast_start(1, $b)" >/dev/null
wait_for 60 state_is "$b" paused
ok $? "a gateway failing every 10th send: the broadcast pauses itself"
like "$(bc "$b" pause_reason)" '^Paused: [0-9]+ of the last [0-9]+ sends failed \([0-9.]+ %, limit 5 %\)$' \
    "... saying how many of the last sends failed, the rate and the customer's limit"
wait_for 30 settled "$b"
ok $? "... the sends in flight end, the acks arrive"
n=$(sql "SELECT count(*) FROM messages WHERE broadcast_id = $b AND status IN ('queued', 'scheduled')")
cmp_ok "$n" -gt 0 "... messages still wait ($n of 60)"
is "$(counters "$b")" "$(counted "$b")" "the counters equal the count(*) of its messages"
is "$(sql "SELECT sum(sent) || ' ' || sum(delivered) || ' ' || sum(read) || ' ' || sum(failed) FROM broadcast_hours WHERE broadcast_id = $b")" \
    "$(bc "$b" "sent || ' ' || delivered || ' ' || read || ' ' || failed")" "... and the hours sum to them"
cmp_ok "$(bc "$b" read)" -gt 0 "... read receipts counted"

# Resumed with the brake off: the rest goes, the broadcast ends 'done'.
sql "UPDATE broadcast_brakes SET fail_pct = 0" >/dev/null
sql "SELECT wa_broadcast_resume(1, $b)" >/dev/null
wait_for 60 state_is "$b" done
ok $? "resumed with the failure brake off (0): sent to the end, done"
is "$(bc "$b" "finished_at IS NOT NULL AND outcomes = queued")" t "... finished_at set, every queued message final"
wait_for 30 settled "$b"
is "$(counters "$b")" "$(counted "$b")" "... the counters equal the count(*)"
is "$(bc "$b" "sent + failed")" 60 "... 60 outcomes"
cmp_ok "$(bc "$b" failed)" -ge 6 "... every 10th failed"

# ---------------------------------------------------------------- replies and opt-outs (webhooks)
simctl faults '{"send":"ok"}' >/dev/null
replied() { [ "$(bc "$b" "replied || ' ' || opted_out")" = "$1" ]; }
inbound() { simctl "sessions/$3/inbound" "{\"from\":\"$1@c.us\",\"text\":\"$2\"}" >/dev/null; }
sentto() { sql "SELECT ltrim(peer_phone, '+') FROM messages WHERE broadcast_id = $b AND sent_at IS NOT NULL ORDER BY id LIMIT 1 OFFSET $1"; }
P1=$(sentto 0) P2=$(sentto 1) P3=$(sentto 2)
inbound $P1 'Thank you!' wa1
wait_for 10 replied "1 0"
ok $? "a recipient's reply is counted" ||
    diag "$(sql "SELECT peer_phone || ' ' || received_at || ' ' || body FROM messages WHERE direction = 'in'")"
inbound $P1 'One more thing' wa1
inbound $P2 STOP wa1
wait_for 10 replied "1 1"
ok $? "a STOP: an opt-out, not a reply"
inbound $P2 STOP wa1
inbound $P3 'Halo' wa2
witness() { [ "$(sql "SELECT count(*) FROM messages WHERE direction = 'in' AND body = 'witness'")" = 1 ]; }
inbound 628129999999 witness wa1
wait_for 10 witness
is "$(bc "$b" "replied || ' ' || opted_out")" "1 1" "a second reply, a second STOP, the same number to another customer's number: counted nowhere"
is "$(sql "SELECT count(*) FILTER (WHERE replied_at IS NOT NULL) || ' ' || count(*) FILTER (WHERE opted_out_at IS NOT NULL) FROM broadcast_recipients WHERE broadcast_id = $b")" \
    "1 1" "... replied and opted_out equal the count(*) of the recipients"

# ---------------------------------------------------------------- a number disconnects
b2=$(create start_at "wa_now() + interval '1 day'") || bail_out "create"
sql "SELECT wa_broadcast_start(1, $b2)" >/dev/null
queued() { [ "$(bc "$b2" "state || ' ' || (queued > 0)")" = "sending true" ]; }
wait_for 60 queued
ok $? "a broadcast for tomorrow: sending, its messages scheduled"
PH=$(sql "SELECT phone FROM instances WHERE id = $I1")
simctl sessions/wa1/disconnect '{"status":"FAILED"}' >/dev/null
wait_for 10 state_is "$b2" paused
ok $? "its number disconnects: paused"
is "$(bc "$b2" pause_reason)" "Paused: number +${PH#+} disconnected" "... saying which number"
is "$(bc "$b" state)" done "a broadcast already done stays done"
done_testing
