#!/bin/sh
# 0204-send.t: the dispatcher sends queued messages through the simulator: ids and acks, backoff, down hosts, 429, 4xx, waiting instances, schedules.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
# Small numbers so retries take a second, not minutes. The interval is
# longer than any retry here: a retry goes out because the dispatcher
# sleeps until it is due, not because its timer happened to fire.
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=3 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0 WAPORTAL_SEND_HOURLY_CAP=0
    WAPORTAL_SEND_BACKOFF_MS=500 WAPORTAL_SEND_BACKOFF_MAX_MS=4000
    WAPORTAL_SEND_MAX_ATTEMPTS=3 WAPORTAL_SEND_TIMEOUT_MS=1000
    WAPORTAL_SEND_LEASE=10 WAPORTAL_SEND_PARALLEL=8"
stack_start --workers 1 --dispatch
CTL=$STACK_BIN/waportalctl
KEY=send-test-key
stack_gwsim_start "$KEY" -d 100 || bail_out "simulator did not start"
simlog() { curl -s "$GWSIM_URL/_sim/log"; }
simctl() { curl -s -X POST -H 'Content-Type: application/json' --data-binary "$2" "$GWSIM_URL/_sim/$1"; }
# sends TEXT: the simulator's log entries of sendText calls with TEXT.
sends() { simlog | jq -c --arg t "$1" '[.[] | select(.path == "/api/sendText" and .text == $t)]'; }
# enqueue INSTANCE TO TEXT [SEND_AT]: a message as the portal or API makes it; prints its id.
enqueue() { sql "SELECT id FROM wa_message_enqueue($CUST, $1, '$2', '$3', ${4:-now()}, 'api')"; }
msg() { sql "SELECT $2 FROM messages WHERE id = $1"; }
status_is() { [ "$(msg "$1" status)" = "$2" ]; }
# out ID: sent, or further along through the acks.
out() { [ "$(msg "$1" "status IN ('sent', 'delivered', 'read')")" = t ]; }

# A customer with a package, a host on the simulator, numbers on it.
ctl dealer add --name Acme
ctl package add --name Big --instances 10 --contacts 10 --messages-month 10000 --api-keys 1 --api-rpm 60
PKG=$OUT
ctl user add --role customer --email c@example.com --name C --dealer 1
CUST=$OUT
ctl package assign --customer "$CUST" --package "$PKG" --expires 2099-12-31
is "$RC" 0 "a customer with a package" || diag "$ERR"
ctl_in "$KEY" host add --name sim --url "$GWSIM_URL" --capacity 10 --api-key-stdin
is "$RC" 0 "a host on the simulator" || diag "$ERR"
SECRET=$(sed -n 's/^webhook secret: //p' <<<"$OUT")
HOST=$(head -n 1 <<<"$OUT")
ctl_in x host add --name dead --url "http://127.0.0.1:$(stack_free_port)" --capacity 10 --api-key-stdin
DEAD=$(head -n 1 <<<"$OUT")
for s in wa1 wa2; do
	sql "INSERT INTO instances (customer_id, host_id, session, name) VALUES ($CUST, $HOST, '$s', '$s')" >/dev/null
done
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES ($CUST, $DEAD, 'wa_dead', 'Dead', 'connected')" >/dev/null
I1=$(sql "SELECT id FROM instances WHERE session = 'wa1'")
I2=$(sql "SELECT id FROM instances WHERE session = 'wa2'")
IDEAD=$(sql "SELECT id FROM instances WHERE session = 'wa_dead'")
# Two linked sessions whose webhooks (signed) reach the portal.
hook=$(jq -nc --arg u "$BASE_URL/hooks/waha/sim" --arg k "$SECRET" \
    '{webhooks: [{url: $u, events: ["session.status", "message", "message.ack"], hmac: {key: $k}}]}')
is "$(simctl sessions "{\"prefix\":\"wa\",\"count\":2,\"config\":$hook}" | jq .created)" 2 \
    "the simulator makes two linked sessions"
connected() { [ "$(sql "SELECT count(*) FROM instances WHERE host_id = $HOST AND status = 'connected'")" = 2 ]; }
wait_for 10 connected
ok $? "their session.status webhooks connect both instances"

# 1. queued -> sent, once, with the gateway's id; then the acks.
id=$(enqueue "$I1" +6281234567890 'Halo 1')
wait_for 5 out "$id"
out "$id"
ok $? "1: a queued message is sent"
log=$(sends 'Halo 1')
is "$(jq length <<<"$log")" 1 "... with exactly one sendText"
is "$(jq -r '.[0] | .session + " " + .chatId' <<<"$log")" "wa1 6281234567890@c.us" "... from its session to the right chatId"
like "$(msg "$id" gateway_id)" '^true_6281234567890@c\.us_[0-9A-F]{20}$' "... and the gateway's message id is recorded"
is "$(msg "$id" "attempts || ' ' || (lease_owner IS NULL) || ' ' || (sent_at IS NOT NULL) || ' [' || last_error || ']'")" \
    "1 true true []" "... after one attempt, lease released, sent_at set, no error"
wait_for 5 status_is "$id" read
is "$(msg "$id" status)" read "1: the simulator's DEVICE and READ acks make it delivered, then read"
is "$(msg "$id" "(delivered_at IS NOT NULL) AND (read_at IS NOT NULL)")" t "... with both times"

# 2. Two 5xx, then success: sent once, on the third attempt, after
# backoffs that double (500 ms base: 250-500 ms, then 500-1000 ms).
simctl faults '{"send":"5xx","count":2,"session":"wa1"}' >/dev/null
id=$(enqueue "$I1" +6281234567890 'Halo 2')
wait_for 8 out "$id"
is "$(msg "$id" "sent_at IS NOT NULL AND attempts = 3")" t "2: after two 5xx the third attempt sends it"
log=$(sends 'Halo 2')
is "$(jq -c '[.[].status]' <<<"$log")" "[500,500,201]" "... the gateway saw 500, 500, 201"
g1=$(jq '.[1].time - .[0].time' <<<"$log")
g2=$(jq '.[2].time - .[1].time' <<<"$log")
cmp_ok "$g1" -ge 250 "... the first retry waited at least half the base (${g1} ms)"
cmp_ok "$g2" -ge 500 "... the second at least half of twice the base (${g2} ms)"
dlog=$(grep "message $id " "$(stack_log dispatch.log)")
like "$dlog" 'attempt 1: gateway error: HTTP 500; retry in ([2-4][0-9][0-9]|500) ms' "... the log says why and how long (250-500 ms)"
like "$dlog" 'attempt 2: gateway error: HTTP 500; retry in ([5-9][0-9][0-9]|1000) ms' "... then 500-1000 ms"
like "$dlog" "level=info .*message $id \\(instance $I1\\): sent" "... then one info line: sent, with its id"
is "$(grep -c "message $id .*: sent" <<<"$dlog")" 1 "... once"
unlike "$(cat "$(stack_log dispatch.log)")" 'Halo|6281234567890' "no message text and no number in the dispatcher's log"

# 3. A host that is down: failed after the last attempt, saying why.
id=$(enqueue "$IDEAD" +6281234567890 'Halo 3')
wait_for 10 status_is "$id" failed
is "$(msg "$id" "status || ' ' || attempts")" "failed 3" "3: a host that is down: failed after 3 attempts"
is "$(msg "$id" last_error)" "gateway unreachable: Connection refused (tried 3 times)" "... with the reason in words"
is "$(msg "$id" "failed_at IS NOT NULL AND lease_owner IS NULL")" t "... failed_at set, lease released"

# 4. 429 with Retry-After: 2: the next try is not before 2 s later.
simctl faults '{"send":"429","count":1,"retry_after":2,"session":"wa1"}' >/dev/null
id=$(enqueue "$I1" +6281234567890 'Halo 4')
wait_for 8 out "$id"
log=$(sends 'Halo 4')
is "$(jq -c '[.[].status]' <<<"$log")" "[429,201]" "4: a 429, then sent"
g=$(jq '.[1].time - .[0].time' <<<"$log")
cmp_ok "$g" -ge 2000 "... not before Retry-After: 2 s ($g ms)"

# 5. A permanent refusal fails at once.
simctl faults '{"send":"4xx","status":400,"count":1,"session":"wa1"}' >/dev/null
id=$(enqueue "$I1" +6281234567890 'Halo 5')
wait_for 5 status_is "$id" failed
is "$(msg "$id" "status || ' ' || attempts")" "failed 1" "5: a 400 fails the message after one attempt"
is "$(msg "$id" last_error)" "the gateway refused the request: HTTP 400" "... saying so"
is "$(jq length <<<"$(sends 'Halo 5')")" 1 "... and it was not tried again"
id=$(enqueue "$I1" 'not-a-number' 'Halo 5b')
wait_for 5 status_is "$id" failed
like "$(msg "$id" last_error)" 'not an E.164 number' "a recipient the driver cannot address fails before any call"

# 6. A disconnected instance's messages wait without using attempts.
simctl sessions/wa2/disconnect '{"status":"STOPPED"}' >/dev/null
wait_for 5 eval '[ "$(sql "SELECT status FROM instances WHERE id = $I2")" = disconnected ]'
is "$(sql "SELECT status FROM instances WHERE id = $I2")" disconnected "6: the number drops (webhook)"
a=$(enqueue "$I2" +6281111111111 'Wait 1')
b=$(enqueue "$I2" +6281111111112 'Wait 2')
# A message on the connected number, queued after them: once it is out,
# a claim has run that saw both and left them.
c=$(enqueue "$I1" +6281111111113 'Meanwhile')
wait_for 10 out "$c"
ok $? "... a message of a connected number queued after them is sent"
is "$(sql "SELECT string_agg(status || ' ' || attempts, ',' ORDER BY id) FROM messages WHERE id IN ($a, $b)")" \
    "queued 0,queued 0" "... its messages stay queued with no attempt used"
is "$(simlog | jq '[.[] | select(.path == "/api/sendText" and .session == "wa2")] | length')" 0 "... and nothing went to the gateway"
curl -s -X POST -H "X-Api-Key: $KEY" "$GWSIM_URL/api/sessions/wa2/start" >/dev/null
wait_for 10 eval 'out $a && out $b'
is "$(sql "SELECT string_agg((sent_at IS NOT NULL) || ' ' || attempts, ',' ORDER BY id) FROM messages WHERE id IN ($a, $b)")" \
    "true 1,true 1" "... reconnected: both sent, each on its first attempt"

# 10. A scheduled message: not before send_at, within 2 s after. A due
# message wakes the dispatcher, which then sleeps until the scheduled
# one is due (the 3 s timer alone could be late).
# send_at is taken in the statement that queues it: a slow machine
# cannot make it due before it is queued.
id=$(enqueue "$I1" +6281234567890 'Later' "now() + interval '2.5 seconds'")
is "$(msg "$id" status)" scheduled "10: a message for later is scheduled"
enqueue "$I1" +6281234567890 'Now' >/dev/null
wait_for 8 out "$id"
out "$id"
ok $? "... and sent"
due=$(sql "SELECT floor(extract(epoch FROM send_at) * 1000)::bigint FROM messages WHERE id = $id")
t=$(sends 'Later' | jq '.[0].time')
cmp_ok "$t" -ge "$due" "... not before its time"
cmp_ok "$((t - due))" -le 2000 "... and within 2 s after it ($((t - due)) ms)"

is "$(sql "SELECT count(*) FROM messages WHERE status IN ('sending', 'queued')")" 0 "nothing is left sending or queued"

# Housekeeping: webhook event ids older than a week and early acks
# older than a day go; younger ones stay.
sql "INSERT INTO webhook_events (host_id, event_id, event, received_at) VALUES
     ($HOST, 'evt_old', 'message.ack', now() - interval '8 days'),
     ($HOST, 'evt_new', 'message.ack', now() - interval '6 days')" >/dev/null
sql "INSERT INTO message_acks_early (instance_id, gateway_id, status, at) VALUES
     ($I1, 'gw-old', 'delivered', now() - interval '25 hours'),
     ($I1, 'gw-new', 'delivered', now() - interval '23 hours')" >/dev/null
wait_for 8 eval '[ "$(sql "SELECT count(*) FROM webhook_events WHERE event_id = '"'evt_old'"'")" = 0 ]'
is "$(sql "SELECT string_agg(event_id, ',') FROM webhook_events WHERE event_id IN ('evt_old', 'evt_new')")" evt_new \
    "housekeeping deletes webhook event ids older than 7 days"
wait_for 8 eval '[ "$(sql "SELECT count(*) FROM message_acks_early WHERE gateway_id = '"'gw-old'"'")" = 0 ]'
is "$(sql "SELECT string_agg(gateway_id, ',') FROM message_acks_early")" gw-new \
    "... and early acks older than a day"
sql "DELETE FROM message_acks_early" >/dev/null
unlike "$(cat "$STACK_DIR"/log/*.log)" "$KEY|$SECRET" "no key or secret in any log"
kill -TERM "$(cat "$STACK_DIR/run/dispatch.pid")"
wait_for 5 eval '! stack_pid_alive "$STACK_DIR/run/dispatch.pid"'
like "$(tail -n 1 "$(stack_log dispatch.log)")" 'stopped: [0-9]+ sent, [0-9]+ retried, 3 failed' "SIGTERM: the dispatcher stops and counts what it did"

# The record step itself, with the dispatcher stopped: acks that came
# before the send was recorded, a gateway repeating an id, a lost lease.
step() { sql "SELECT coalesce(id::text, 'recorded=' || recorded) FROM wa_dispatch_step('$1', '$2'::json, $3, 10, 0, 0, 1000, 0)"; }
a=$(enqueue "$I1" +6281234567890 'Early')
b=$(enqueue "$I1" +6281234567890 'Twice')
is "$(step tester '[]' 2 | sort | tr '\n' ' ')" "$a $b recorded=0 " "a step claims both for its owner"
sql "INSERT INTO message_acks_early (instance_id, gateway_id, status) VALUES ($I1, 'gw-early', 'read')" >/dev/null
is "$(step other "[{\"id\":$a,\"i\":$I1,\"k\":\"sent\",\"g\":\"gw-early\"}]" 0)" "recorded=0" \
    "another owner's outcome is not recorded"
is "$(msg "$a" status)" sending "... the message stays with its owner"
is "$(step tester "[{\"id\":$a,\"i\":$I1,\"k\":\"sent\",\"g\":\"gw-early\"},{\"id\":$b,\"i\":$I1,\"k\":\"sent\",\"g\":\"gw-early\"}]" 0)" \
    "recorded=2" "the owner records both"
is "$(msg "$a" "status || ' ' || gateway_id || ' ' || (read_at IS NOT NULL)")" "read gw-early true" \
    "an ack that came first is applied when the send is recorded"
is "$(sql "SELECT count(*) FROM message_acks_early")" 0 "... and forgotten"
is "$(msg "$b" "status || ' ' || coalesce(gateway_id, 'none')")" "sent none" \
    "a gateway id the instance has already is not stored twice (the batch does not fail)"

done_testing
