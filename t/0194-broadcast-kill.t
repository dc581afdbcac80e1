#!/bin/sh
# 0194-broadcast-kill.t: a broadcast survives crashes (pinned clock, the simulator): the runner SIGKILLed after its first queueing batch resumes after the committed resume point without a duplicate; the dispatcher SIGKILLed mid-sending (its sends in flight hanging at the gateway) leaves them to the next one once the leases run out; every recipient gets exactly one message (the simulator's log counted per chatId).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=1 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0 WAPORTAL_SEND_HOURLY_CAP=0
    WAPORTAL_SEND_TIMEOUT_MS=60000 WAPORTAL_SEND_LEASE=90 WAPORTAL_SEND_PARALLEL=16"
stack_start --workers 1 --clock '2030-07-08 09:00:00+00'
CTL=$STACK_BIN/waportalctl
KEY=kill-test-key
N=10500
d=$STACK_DIR
gates=$d/gates
mkdir -p "$gates"
chmod 777 "$gates"
stack_gwsim_start "$KEY" -d 50 || bail_out "simulator did not start"
simlog() { curl -s "$GWSIM_URL/_sim/log"; }
simctl() { curl -s -X POST -H 'Content-Type: application/json' --data-binary "$2" "$GWSIM_URL/_sim/$1"; }

stack_customers 2 100000 c@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 100000" >/dev/null
ctl_in "$KEY" host add --name sim --url "$GWSIM_URL" --capacity 10 --api-key-stdin
is "$RC" 0 "a host on the simulator" || bail_out "$ERR"
HOST=$(head -n 1 <<<"$OUT")
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES
     (1, $HOST, 'wa1', 'A', 'connected'), (1, $HOST, 'wa2', 'B', 'connected')" >/dev/null
is "$(simctl sessions '{"prefix":"wa","count":2}' | jq .created)" 2 "the simulator's sessions wa1, wa2"
sql "INSERT INTO contacts (customer_id, phone, name, status) SELECT 1, '+62813' || lpad(g::text, 8, '0'), 'N' || g, 'subscribed'
     FROM generate_series(1, $N) g" >/dev/null || bail_out "contacts"
T=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Promo', 'Hello {{name}}')")
B=$(sql "INSERT INTO broadcasts (customer_id, name, template_id, instance_ids)
    VALUES (1, 'Big', $T, ARRAY(SELECT id FROM instances ORDER BY id)) RETURNING id")
sql "INSERT INTO broadcast_sources (broadcast_id, pos, kind) VALUES ($B, 0, 'subscribers')" >/dev/null
bc() { sql "SELECT $1 FROM broadcasts WHERE id = $B"; }
count() { sql "SELECT count(*) FROM messages WHERE broadcast_id = $B${1:+ AND $1}"; }

# ---------------------------------------------------------------- the runner killed mid-queueing
WAPORTAL_RUNNER_TEST_PAUSE=queue:$gates/q1 stack_runner_start || bail_out "no runner"
job=$(sql "SELECT wa_broadcast_start(1, $B)")
wait_for 120 test -e "$gates/q1.waiting"
ok $? "the runner pauses after its first queueing batch" || diag_file "$(stack_log runner.log)"
stack_runner_kill
is "$(bc "state || ' ' || queued || ' ' || reserved") $(count)" "sending 10000 $N 10000" \
    "killed after it: 10,000 messages committed with the counters, all $N places reserved"
is "$(sql "SELECT queue_after = (SELECT max(contact_id) FROM broadcast_recipients WHERE broadcast_id = $B AND status = 'queued')
    AND queue_after = (SELECT contact_id FROM broadcast_recipients WHERE broadcast_id = $B ORDER BY contact_id OFFSET 9999 LIMIT 1)
    FROM broadcasts WHERE id = $B")" t "... the resume point: the batch's last contact"
stack_runner_start || bail_out "no runner"
stack_clock_add '3 minutes' || bail_out "clock"
jobdone() { [ "$(sql "SELECT state FROM jobs WHERE id = $job")" = done ]; }
wait_for 120 jobdone
ok $? "the next runner resumes once the lease ran out" || diag_file "$(stack_log runner.log)"
is "$(sql "SELECT attempts FROM jobs WHERE id = $job") $(bc queued) $(count) $(count "true GROUP BY peer_phone HAVING count(*) > 1" | wc -l)" \
    "2 $N $N 0" "... on its second attempt: $N messages, one per recipient"
is "$(sql "SELECT count(*) FROM broadcast_recipients r JOIN messages m ON m.id = r.message_id AND m.peer_phone = r.phone
    WHERE r.broadcast_id = $B AND r.status = 'queued'")" "$N" "... each recipient queued with its own message"
is "$(sql "SELECT count(*) FROM messages m JOIN contacts c ON c.phone = m.peer_phone WHERE m.broadcast_id = $B
    AND m.body <> 'Hello ' || c.name")" 0 "... each rendered for its contact"

# ---------------------------------------------------------------- the dispatcher killed mid-sending
ok_sends() { simlog | jq '[.[] | select(.path == "/api/sendText" and .status == 201)] | length'; }
stack_dispatch_start || bail_out "no dispatcher"
wait_for 120 eval '[ "$(count "status = '"'sent'"'")" -ge 2000 ]'
ok $? "the dispatcher sends"
# From now on every send hangs at the gateway and is dropped unanswered.
simctl faults '{"send":"timeout","delay_ms":600000,"count":1000000}' >/dev/null
settled() { [ "$(count "status = 'sent'")" = "$(ok_sends)" ] && [ "$(count "status = 'sending'")" -gt 0 ]; }
wait_for 60 settled
ok $? "sends hang at the gateway, every answered one recorded ($(count "status = 'sent'") sent, $(count "status = 'sending'") in flight)"
kill -KILL "$(cat "$d/run/dispatch.pid")"
wait_for 10 eval '! stack_pid_alive "$d/run/dispatch.pid"'
rm -f "$d/run/dispatch.pid"
inflight=$(count "status = 'sending'")
cmp_ok "$inflight" -gt 0 "the dispatcher SIGKILLed with $inflight sends in flight"
simctl faults '{"send":"ok","count":0}' >/dev/null
stack_clock_add '2 minutes' || bail_out "clock"
stack_dispatch_start || bail_out "no dispatcher"
alldone() { [ "$(count "status <> 'sent'")" = 0 ]; }
wait_for 300 alldone
ok $? "the next dispatcher sends the rest once the leases ran out"
per=$(simlog | jq -r '[.[] | select(.path == "/api/sendText" and .status == 201) | .chatId] | group_by(.) | map(length) | "\(length) \(max)"')
is "$per" "$N 1" "every recipient got exactly one message ($N chatIds, at most one each)"
is "$(count "attempts = 2") $(count "status = 'sent' AND gateway_id IS NOT NULL")" "$inflight $N" \
    "... those in flight at the kill on their second attempt; all sent with the gateway's id"
done_testing
