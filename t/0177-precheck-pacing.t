#!/bin/sh
# 0177-precheck-pacing.t: the pre-check is paced like sends (pinned clock, a 60 s gap): one check per number per turn, the number's next turn the gap after the answer, shared with its sends; a number whose hourly send cap is full still checks and the checks are not counted in it; two numbers check side by side.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=1 WAPORTAL_PROBE_INTERVAL=3600 WAPORTAL_CHECK_INTERVAL=1
    WAPORTAL_SEND_GAP_MS=60000 WAPORTAL_SEND_JITTER_MS=0 WAPORTAL_SEND_HOURLY_CAP=1
    WAPORTAL_SEND_TIMEOUT_MS=2000 WAPORTAL_SEND_LEASE=10 WAPORTAL_RECEIPT_BATCH=0"
stack_start --workers 1 --dispatch --runner --clock '2030-05-06 10:00:00+00'
CTL=$STACK_BIN/waportalctl
KEY=pacing-test-key
stack_gwsim_start "$KEY" -d 50 || bail_out "simulator did not start"
simlog() { curl -s "$GWSIM_URL/_sim/log"; }
simctl() { curl -s -X POST -H 'Content-Type: application/json' --data-binary "$2" "$GWSIM_URL/_sim/$1"; }

stack_customers 2 1000 c@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 1000; UPDATE customer_packages SET expires_at = wa_now() + interval '1 year'" >/dev/null
ctl_in "$KEY" host add --name sim --url "$GWSIM_URL" --capacity 10 --api-key-stdin
is "$RC" 0 "a host on the simulator" || bail_out "$ERR"
HOST=$(head -n 1 <<<"$OUT")
# wa1's hourly send cap (1) is full: it sent one message this hour.
sql "INSERT INTO instances (customer_id, host_id, session, name, status, hour_sent, hour_started_at) VALUES
    (1, $HOST, 'wa1', 'wa1', 'connected', 1, wa_now()), (1, $HOST, 'wa2', 'wa2', 'connected', 0, wa_now())" >/dev/null
I1=$(sql "SELECT id FROM instances WHERE session = 'wa1'")
I2=$(sql "SELECT id FROM instances WHERE session = 'wa2'")
is "$(simctl sessions '{"prefix":"wa","count":2}' | jq .created)" 2 "the simulator's sessions wa1 and wa2"

sql "INSERT INTO contacts (customer_id, phone, name, status)
     SELECT 1, '+62813000' || lpad(g::text, 3, '0') || '11', 'P' || g, 'subscribed' FROM generate_series(1, 6) g;
     INSERT INTO contact_groups (customer_id, name, kind) VALUES (1, 'L', 'list')" >/dev/null
L=$(sql "SELECT id FROM contact_groups WHERE name = 'L'")
sql "SELECT wa_group_add(1, $L, ARRAY(SELECT id FROM contacts))" >/dev/null
T=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Hello', 'Hi {{first_name}}')")
B=$(sql "INSERT INTO broadcasts (customer_id, name, template_id, instance_ids, precheck)
    VALUES (1, 'B', $T, ARRAY[$I1, $I2]::bigint[], true) RETURNING id")
sql "INSERT INTO broadcast_sources (broadcast_id, pos, kind, ref_id) VALUES ($B, 0, 'list', $L)" >/dev/null
checks() { simlog | jq '[.[] | select(.path == "/api/contacts/check-exists" and .status == 200)] | length'; }
asked() { sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $B AND check_due IS NULL AND check_tries = 0"; }
asked_is() { [ "$(asked)" = "$1" ] && [ "$(checks)" = "$1" ]; }
# turn I: the seconds from now to instance I's next turn.
turn() { sql "SELECT extract(epoch FROM next_send_at - wa_now())::int FROM instances WHERE id = $1"; }

sql "SELECT wa_broadcast_start(1, $B)" >/dev/null
wait_for 60 asked_is 2
ok $? "the broadcast checks: one number asked on each of its two sending numbers"
is "$(sql "SELECT state FROM broadcasts WHERE id = $B")" checking "... it waits in 'checking'"
is "$(turn "$I1") $(turn "$I2")" "60 60" "... each number's next turn the 60 s gap after its answer"
M=$(sql "SELECT id FROM wa_message_enqueue(1, $I2, '+628139999999', 'plain', wa_now(), 'portal')")
stack_clock_add '30 seconds' || bail_out "clock"
is "$(asked) $(checks) $(sql "SELECT status FROM messages WHERE id = $M")" "2 2 queued" \
    "30 s later: no other check, and wa2's own message waits for the same turn"
is "$(sql "SELECT hour_sent FROM instances WHERE id = $I1")" 1 "... wa1 checked though its hourly cap is full, and its count did not move"
stack_clock_add '30 seconds' || bail_out "clock"
is_sent() { [ "$(sql "SELECT status FROM messages WHERE id = $M")" = sent ]; }
wait_for 60 is_sent
ok $? "at the gap: wa2 sends its own message first (checks are paced with sends)"
wait_for 60 asked_is 3
ok $? "... and wa1 asks its next number"
is "$(turn "$I1") $(turn "$I2")" "60 60" "... each number's turn again 60 s away"
for i in $(seq 1 8); do
	[ "$(sql "SELECT state FROM broadcasts WHERE id = $B")" = checking ] || break
	before=$(checks)
	stack_clock_add '1 minute' || bail_out "clock"
	wait_for 30 eval '[ "$(checks)" -gt '"$before"' ] || [ "$(sql "SELECT state FROM broadcasts WHERE id = '"$B"'")" != checking ]'
done
is "$(checks)" 6 "minute by minute every number is asked once"
wait_for 60 eval '[ "$(sql "SELECT state FROM broadcasts WHERE id = '"$B"'")" = sending ]'
ok $? "... then the broadcast is reserved and queued"
is "$(sql "SELECT hour_sent FROM instances WHERE id = $I1")" 1 "... wa1's hourly count still 1 (no check counted)"
done_testing
