#!/bin/sh
# 0193-broadcast-fair.t: a large broadcast does not hold up anyone else (paced dispatcher, pinned clock, the simulator): with customer A's 20,000-recipient broadcast queued, customer B's single message on its own number leaves within its pacing gap + 1 s of the recorded times, and A's own plain message on the broadcast's number goes before the broadcast's queue.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=1 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=1000 WAPORTAL_SEND_JITTER_MS=0 WAPORTAL_SEND_HOURLY_CAP=0
    WAPORTAL_SEND_TIMEOUT_MS=2000 WAPORTAL_SEND_LEASE=10"
stack_start --workers 1 --dispatch --runner --clock '2030-05-06 07:00:00+00'
CTL=$STACK_BIN/waportalctl
KEY=fair-test-key
stack_gwsim_start "$KEY" -d 50 || bail_out "simulator did not start"
simlog() { curl -s "$GWSIM_URL/_sim/log"; }
simctl() { curl -s -X POST -H 'Content-Type: application/json' --data-binary "$2" "$GWSIM_URL/_sim/$1"; }

stack_customers 2 100000 a@example.com b@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 100000" >/dev/null
ctl_in "$KEY" host add --name sim --url "$GWSIM_URL" --capacity 10 --api-key-stdin
is "$RC" 0 "a host on the simulator" || bail_out "$ERR"
HOST=$(head -n 1 <<<"$OUT")
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES
     (1, $HOST, 'wa1', 'A', 'connected'), (2, $HOST, 'wa2', 'B', 'connected')" >/dev/null
IA=$(sql "SELECT id FROM instances WHERE session = 'wa1'")
IB=$(sql "SELECT id FROM instances WHERE session = 'wa2'")
is "$(simctl sessions '{"prefix":"wa","count":2}' | jq .created)" 2 "the simulator's sessions wa1 (A) and wa2 (B)"

sql "INSERT INTO contacts (customer_id, phone, status) SELECT 1, '+62812' || lpad(g::text, 8, '0'), 'subscribed'
     FROM generate_series(1, 20000) g" >/dev/null || bail_out "contacts"
T=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Promo', 'Big sale today')")
B=$(sql "INSERT INTO broadcasts (customer_id, name, template_id, instance_ids)
    VALUES (1, 'Big', $T, ARRAY[$IA]::bigint[]) RETURNING id")
sql "INSERT INTO broadcast_sources (broadcast_id, pos, kind) VALUES ($B, 0, 'subscribers')" >/dev/null
msg() { sql "SELECT $2 FROM messages WHERE id = $1"; }
is_sent() { [ "$(msg "$1" status)" = sent ]; }
jobend() { [ "$(sql "SELECT j.state FROM jobs j JOIN broadcasts b ON b.job_id = j.id WHERE b.id = $B")" = done ]; }
# bsent: the broadcast's sends the simulator got.
bsent() { simlog | jq '[.[] | select(.path == "/api/sendText" and .text == "Big sale today")] | length'; }

sql "SELECT wa_broadcast_start(1, $B)" >/dev/null
wait_for 120 jobend
ok $? "A's broadcast of 20,000 is queued" || diag_file "$(stack_log runner.log)"
is "$(sql "SELECT count(*) FROM messages WHERE broadcast_id = $B AND status IN ('queued', 'sending', 'sent')")" 20000 \
    "... 20,000 messages on A's number"

# B's one message on its own number, at the pinned time.
mb=$(sql "SELECT id FROM wa_message_enqueue(2, $IB, '+628199999999', 'B alone', wa_now(), 'portal')")
wait_for 30 is_sent "$mb"
ok $? "B's single message is sent while A's broadcast waits"
is "$(msg "$mb" "sent_at - created_at <= interval '2 seconds'")" t \
    "... within its pacing gap (1 s) + 1 s of the recorded times ($(msg "$mb" "sent_at - created_at"))"
is "$(simlog | jq '[.[] | select(.text == "B alone" and .status == 201)] | length')" 1 "... the simulator got it once"

# A's own plain message on the same number goes before the broadcast's
# queue: the number's next turn (the clock moved by the gap) is its.
n0=$(bsent)
ma=$(sql "SELECT id FROM wa_message_enqueue(1, $IA, '+628188888888', 'A plain', wa_now(), 'portal')")
stack_clock_add '1 second' || bail_out "clock"
wait_for 30 is_sent "$ma"
ok $? "A's plain message is sent at the number's next turn"
is "$(bsent)" "$n0" "... before any further message of the broadcast ($n0 sent so far)"
is "$(sql "SELECT count(*) FROM messages WHERE broadcast_id = $B AND sending_at > (SELECT created_at FROM messages WHERE id = $ma)
    AND sending_at < (SELECT sending_at FROM messages WHERE id = $ma)")" 0 "... as the recorded times say"
stack_clock_add '1 second' || bail_out "clock"
wait_for 30 eval '[ "$(bsent)" -gt "$n0" ]'
ok $? "the broadcast goes on at the turn after"
done_testing
