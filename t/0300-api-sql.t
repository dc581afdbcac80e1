#!/bin/sh
# 0300-api-sql.t: the API's one-round-trip functions in PostgreSQL: key states, scopes, IP allowlist, rate buckets (GCRA: 50 parallel calls, the edge of a minute, a key's own limit), idempotency, usage, the hot path's three transactions and its quota.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
[ -z "${WAPORTAL_TEST_SANITIZERS:-}" ] || { echo "1..0 # SKIP runs in the normal tree: no C code of ours to check under the sanitizers"; exit 0; }
. "${top_srcdir:?}/t/lib/stack.sh"

STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=1 WAPORTAL_PROBE_INTERVAL=3600"
# The SQL's clock stands still (stack_clock): rate buckets refilling by the second,
# expiries and a rotation's overlap never depend on when the test runs
# or how fast; the test moves the clock where time must pass.
stack_start --workers 1 --dispatch --clock now
stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES
     (1, 1, 'wa_a', 'A', 'disconnected'), (1, 1, 'wa_b', 'B', 'connected'),
     (2, 1, 'wa_c', 'C', 'connected');
     UPDATE packages SET api_rpm = 1000" >/dev/null

# key NAME CUSTOMER SCOPES [EXTRA_COLUMNS EXTRA_VALUES]: a key whose
# secret is the name itself (the functions only ever see its SHA-256).
key() {
	sql "INSERT INTO api_keys (customer_id, name, key_hash, visible, scopes${4:+, $4})
	     VALUES ($2, '$1', sha256('$1'), 'wap_abcdef', '$3'${5:+, $5}) RETURNING id"
}
# send KEY ADDR [IDEM] [BODYHASH] [INSTANCE] [INVALID]: one POST /api/v1/messages;
# prints status, problem, message id and remaining requests.
send() {
	sql "SELECT r.status || ' ' || coalesce(r.problem, '-') || ' ' ||
	    coalesce((r.response::json->>'id'), '-') || ' ' ||
	    coalesce((r.auth).rl_remaining::text, '-') || ' ' || r.replayed
	    FROM wa_api_send(sha256('$1'), '$2', ${3:-NULL}, sha256('${4:-body}'),
	    ${6:-NULL}, ${5:-NULL}, '+6281234567890', 'hi', NULL) r"
}
count() { sql "SELECT count(*) FROM messages WHERE source = 'api'"; }

k1=$(key k1 1 '{messages:send,messages:read}')
key k_read 1 '{messages:read}' >/dev/null
key k_off 1 '{messages:send}' enabled false >/dev/null
key k_old 1 '{messages:send}' expires_at "wa_now() - interval '1 second'" >/dev/null
key k_retired 1 '{messages:send}' retires_at "wa_now() - interval '1 second'" >/dev/null
key k_rotating 1 '{messages:send}' retires_at "wa_now() + interval '2 seconds'" >/dev/null
key k_net 1 '{messages:send}' allow_ips "'{10.0.0.0/8,2001:db8::/32}'" >/dev/null
key k_d 2 '{messages:send}' >/dev/null

like "$(send nokey 127.0.0.1)" '^401 invalid-key ' "an unknown key: 401 invalid-key"
like "$(send k_off 127.0.0.1)" '^401 key-disabled ' "a disabled key: 401 key-disabled"
like "$(send k_old 127.0.0.1)" '^401 key-expired ' "an expired key: 401 key-expired"
like "$(send k_retired 127.0.0.1)" '^401 key-retired ' "a key rotated out: 401 key-retired"
like "$(send k_rotating 127.0.0.1)" '^202 - [0-9]+ ' "a rotated key inside its overlap still works"
stack_clock_add '1 second' || bail_out "cannot move the clock"
like "$(send k_rotating 127.0.0.1)" '^202 - [0-9]+ ' "... a second before the overlap ends too"
stack_clock_add '1 second' || bail_out "cannot move the clock"
like "$(send k_rotating 127.0.0.1)" '^401 key-retired ' "... and stops when the overlap ends"
like "$(send k_read 127.0.0.1)" '^403 scope-missing ' "a key without messages:send: 403 scope-missing"
like "$(send k_net 192.168.1.5)" '^403 ip-not-allowed ' "an address outside the allowlist: 403"
like "$(send k_net 10.1.2.3)" '^202 ' "an address inside a v4 range: accepted"
like "$(send k_net 2001:db8::7)" '^202 ' "an address inside a v6 range: accepted"
is "$(count)" 4 "only the accepted calls made messages"
is "$(sql "SELECT instance_id FROM messages WHERE source = 'api' ORDER BY id LIMIT 1")" 2 \
    "no instance given: the customer's first connected one"
like "$(send k1 127.0.0.1 NULL body 3)" '^404 instance-not-found ' "another customer's instance: 404"
like "$(send k1 127.0.0.1 NULL body NULL "'{\"field\":\"to\"}'")" '^422 validation-failed ' \
    "the worker's validation verdict: 422 validation-failed"
sql "UPDATE instances SET status = 'disconnected' WHERE customer_id = 2" >/dev/null
like "$(send k_d 127.0.0.1)" '^422 no-connected-instance ' "no connected number to default to: 422"

# Idempotency-Key: replay, mismatch, in flight.
first=$(send k1 127.0.0.1 "'order-1'" body-a)
like "$first" '^202 - [0-9]+ [0-9]+ false$' "a first call with an Idempotency-Key: 202"
id=$(cut -d' ' -f3 <<<"$first")
n=$(count)
again=$(send k1 127.0.0.1 "'order-1'" body-a)
is "$(cut -d' ' -f1-3,5 <<<"$again")" "202 - $id true" "the same key and body: the same answer, replayed"
is "$(count)" "$n" "... and no second message"
like "$(send k1 127.0.0.1 "'order-1'" body-b)" '^422 idempotency-mismatch ' "the same key with another body: 422"
# The first call's transaction stays open at a gate until the second
# has been answered.
sql BEGIN "SELECT wa_api_send(sha256('k1'), '127.0.0.1', 'order-2', sha256('b'), NULL, NULL, '+62812', 'x', NULL)" \
    "$(stack_gate inflight)" COMMIT >/dev/null &
bg=$!
stack_gate_wait inflight
like "$(send k1 127.0.0.1 "'order-2'" b)" '^409 idempotency-in-flight ' "the same key while the first is in flight: 409"
stack_gate_open inflight
wait "$bg"
like "$(send k1 127.0.0.1 "'order-2'" b)" ' true$' "... and a replay once it finished"
sql "UPDATE api_idempotency SET created_at = wa_now() - interval '25 hours' WHERE idem_key = 'order-1'" >/dev/null
wait_for 8 eval '[ "$(sql "SELECT count(*) FROM api_idempotency WHERE idem_key = '"'order-1'"'")" = 0 ]'
is "$(sql "SELECT string_agg(idem_key, ',') FROM api_idempotency")" order-2 \
    "the dispatcher's housekeeping drops stored answers past 24 hours, keeps the others"

# Usage: every call counted by key, endpoint and status class.
is "$(sql "SELECT string_agg(class || ':' || n, ' ' ORDER BY class) FROM api_usage WHERE key_id = $k1")" \
    "2:4 4:4" "usage of k1 by status class (202 x4; 404, 409, 422 x2)"
is "$(sql "SELECT last_used_at IS NOT NULL AND last_used_addr = '127.0.0.1' FROM api_keys WHERE id = $k1")" t \
    "last use recorded with its address"

# 50 parallel calls against a limit of 10 a minute: exactly 10 pass.
# burst NAME FN: FN N run 50 times at once (N = 1..50), all inside one
# instant (the clock stands still); the outputs in
# $STACK_DIR/NAME.N.
burst() {
	local i p pids=
	for i in $(seq 50); do
		"$2" "$i" >"$STACK_DIR/$1.$i" 2>&1 &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p"; done
}
sql "DELETE FROM api_gcra; UPDATE packages SET api_rpm = 10" >/dev/null
key k_burst 1 '{messages:send}' >/dev/null
burst_send() { send k_burst 127.0.0.1; }
burst burst burst_send
is "$(cat "$STACK_DIR"/burst.* | grep -c '^202 ')" 10 "50 parallel calls, limit 10: exactly 10 accepted"
is "$(cat "$STACK_DIR"/burst.* | grep -c '^429 rate-limited - 0 ')" 40 "... the other 40: 429 with 0 remaining" ||
    diag "$(cat "$STACK_DIR"/burst.* | grep -v '^202 \|^429 rate-limited - 0 ' | sort | uniq -c)"
like "$(send k1 127.0.0.1)" '^429 rate-limited ' "the customer's window covers all their keys"
sql "DELETE FROM api_gcra" >/dev/null
key k_burst5 1 '{messages:send}' rpm 5 >/dev/null
burst_send5() { send k_burst5 127.0.0.1; }
burst burst5 burst_send5
is "$(cat "$STACK_DIR"/burst5.* | grep -c '^202 ')" 5 "50 parallel calls of a key limited to 5 (package 10): exactly 5 accepted"
like "$(send k1 127.0.0.1)" '^202 - [0-9]+ 4 ' "... and the refused 45 took nothing from the customer's 10"

# GCRA (sql/0011_gcra.sql): one theoretical arrival time per bucket.
# auth KEY: one wa_api_auth call (scope messages:send): status, problem,
# detail, remaining, next (seconds until one more call is admitted),
# reset (until every bucket is full), then remaining/next of the key's
# own bucket ("-/-": none) and of the customer's.
auth() {
	sql "SELECT concat_ws(' ', a.status, coalesce(a.problem, '-'),
	    coalesce(a.detail, '-'), a.rl_remaining, coalesce(a.rl_next::text, '-'),
	    coalesce(a.rl_reset::text, '-'),
	    coalesce(a.rl_k_remaining::text, '-') || '/' || coalesce(a.rl_k_next::text, '-'),
	    coalesce(a.rl_c_remaining::text, '-') || '/' || coalesce(a.rl_c_next::text, '-'))
	    FROM wa_api_auth(sha256('$1'), '127.0.0.1', 'messages:send', 'messages.create') a"
}
# The edge of a minute: the fixed windows admitted 10 calls at 12:00:59
# and 10 more at 12:01:02. A limit of 10 a minute is a burst of 10, then
# one call every 6 seconds.
sql "DELETE FROM api_gcra" >/dev/null
key k_edge 1 '{messages:send}' >/dev/null
clock0=$STACK_CLOCK
stack_clock "$(sql "SELECT date_trunc('minute', timestamptz '$STACK_CLOCK') + interval '119 seconds'")" ||
    bail_out "cannot move the clock"
is "$(auth k_edge)" "0 - - 9 0 6 -/- 9/6" "limit 10, the first call at hh:mm:59: 9 left, full again in 6 s"
for i in $(seq 2 9); do auth k_edge >/dev/null; done
is "$(auth k_edge)" "0 - - 0 6 60 -/- 0/6" "... the tenth: none left, the next in 6 s, full in 60 s"
stack_clock_add '3 seconds' || bail_out "cannot move the clock"
is "$(auth k_edge)" "429 rate-limited customer 0 3 57 -/- 0/3" \
    "2 s past the minute's edge: refused (the fixed window admitted 10 more), the next in 3 s"
is "$(auth k_edge)" "429 rate-limited customer 0 3 57 -/- 0/3" "... a refused call takes nothing"
stack_clock_add '3 seconds' || bail_out "cannot move the clock"
is "$(auth k_edge)" "0 - - 0 6 60 -/- 0/6" "6 s (60 s / 10) after the burst: one more admitted"
is "$(auth k_edge)" "429 rate-limited customer 0 6 60 -/- 0/6" "... and only one: the next in 6 s"
stack_clock_add '6 seconds' || bail_out "cannot move the clock"
is "$(auth k_edge)" "0 - - 0 6 60 -/- 0/6" "... 6 s later one more"
stack_clock_add '1 minute' || bail_out "cannot move the clock"
is "$(auth k_edge)" "0 - - 9 0 6 -/- 9/6" "a minute later the bucket was full again"

# A key with a limit of its own (5, T = 12 s) below the package's (10):
# both buckets, the key's first; a call the customer's refuses gives the
# key's place back.
sql "DELETE FROM api_gcra" >/dev/null
k_own=$(key k_own 1 '{messages:send}' rpm 5)
auth k_own >/dev/null
is "$(auth k_own)" "0 - - 3 0 24 3/12 8/6" "a key limited to 5: its bucket and the customer's, the lower remaining"
for i in $(seq 8); do r=$(auth k_edge); done
is "$r" "0 - - 0 6 60 -/- 0/6" "another key fills the customer's 10"
is "$(auth k_own)" "429 rate-limited customer 0 6 60 3/12 0/6" "the key's bucket has room, the customer's not: 429"
is "$(auth k_own)" "429 rate-limited customer 0 6 60 3/12 0/6" "... again the same: the key's place was given back"
is "$(sql "SELECT tat - wa_now() FROM api_gcra WHERE kind = 'k' AND subject = $k_own")" 00:00:24 \
    "... its TAT is where the two admitted calls left it"
stack_clock_add '1 minute' || bail_out "cannot move the clock"
for i in $(seq 5); do r=$(auth k_own); done
is "$r" "0 - - 0 12 60 0/12 5/6" "5 calls of the key empty its bucket"
is "$(auth k_own)" "429 rate-limited - 0 12 60 0/12 5/6" "the sixth: refused by the key's bucket, the customer's untouched"
sql "UPDATE packages SET api_rpm = 0" >/dev/null
is "$(auth k_edge)" "429 rate-limited customer 0 - - -/- 0/-" "a package of 0 calls a minute: 429, no time to retry after"
# Back to the time before this section: the quota below counts by month.
stack_clock "$clock0" || bail_out "cannot move the clock"

# The hot path: wa_api_send_admit, wa_api_send_put and the wake-up
# statement, each its own transaction in one session (as the worker's
# pipeline). hot KEY ADDR TICKET [PUT_TICKET]: prints status, problem,
# remaining, then the put's status and message id.
hot() {
	sql "SELECT r.status || ' ' ||
	    coalesce(r.problem, '-') || ' ' || coalesce((r.auth).rl_remaining::text, '-')
	    FROM wa_api_send_admit(sha256('$1'), '$2', NULL, NULL, '$3') r" \
	    "SELECT coalesce(p.status, 0) || ' ' || coalesce(p.response::json->>'id', '-')
	    FROM wa_api_send_put('${4:-$3}', '+6281234567890', 'hot', NULL) p" \
	    "SELECT pg_notify('waportal_dispatch', '')
	    WHERE current_setting('waportal.api_send', true) = '$3' || ' sent'" |
	    sed '/^$/d' | paste -sd' '
}
sql "DELETE FROM api_gcra; UPDATE packages SET api_rpm = 1000" >/dev/null
n=$(count)
like "$(hot k1 127.0.0.1 t1)" '^202 - [0-9]+ 202 [0-9]+$' "hot path: admitted, then inserted in the second transaction"
is "$(count)" $((n + 1)) "... one message"
like "$(hot k1 127.0.0.1 t2 t3)" '^202 - [0-9]+ 0 -$' "a put with another call's ticket inserts nothing"
like "$(hot nokey 127.0.0.1 t4 t1)" '^401 invalid-key - 0 -$' "a refused call leaves no ticket (an old one is never reused)"
is "$(count)" $((n + 1)) "... no message from either"
like "$(sql "SELECT wa_api_send_admit(sha256('k1'), '127.0.0.1', NULL, NULL, 't5')" \
    "SELECT coalesce(p.status, 0) FROM wa_api_send_put('t5', '+62812', 'x', NULL) p" \
    "SELECT coalesce(p.status, 0) FROM wa_api_send_put('t5', '+62812', 'x', NULL) p" | tail -2 | paste -sd' ')" \
    '^202 0$' "a ticket is used once"
like "$(hot k1 127.0.0.1 t6 | cut -d' ' -f1-2)" '^202 -$' "wa_api_send_admit with instance and validation verdict NULL" 
like "$(sql "SELECT status || ' ' || problem FROM wa_api_send_admit(sha256('k1'), '127.0.0.1', '[{}]', NULL, 't7')")" \
    '^422 validation-failed$' "... a validation verdict: 422"
like "$(sql "SELECT status || ' ' || problem FROM wa_api_send_admit(sha256('k1'), '127.0.0.1', NULL, 3, 't8')")" \
    '^404 instance-not-found$' "... another customer's instance: 404"
like "$(sql "SELECT status || ' ' || problem FROM wa_api_send_admit(sha256('k_read'), '127.0.0.1', NULL, NULL, 't9')")" \
    '^403 scope-missing$' "... a key without messages:send: 403"

# The same 50 parallel calls through the hot path: exactly 10 pass.
sql "DELETE FROM api_gcra; UPDATE packages SET api_rpm = 10" >/dev/null
n=$(count)
burst_hot() { hot k_burst 127.0.0.1 "b$1"; }
burst hot burst_hot
is "$(cat "$STACK_DIR"/hot.* | grep -c '^202 - [0-9]* 202 ')" 10 "hot path, 50 parallel calls, limit 10: exactly 10 admitted and inserted"
is "$(cat "$STACK_DIR"/hot.* | grep -c '^429 rate-limited 0 0 -$')" 40 "... the other 40: 429 with 0 remaining, nothing inserted" ||
    diag "$(cat "$STACK_DIR"/hot.* | sort | uniq -c)"
is "$(count)" $((n + 10)) "... 10 messages"

# The admission commits without waiting for the WAL flush, and only it.
sql "DELETE FROM api_gcra; UPDATE packages SET api_rpm = 1000" >/dev/null
like "$(sql "SET synchronous_commit = on" \
    BEGIN "SELECT status FROM wa_api_send_admit(sha256('k1'), '127.0.0.1', NULL, NULL, 's1')" \
    "SHOW synchronous_commit" COMMIT "SHOW synchronous_commit" | sed '/^$/d' | paste -sd' ')" \
    '^202 off on$' "the admission's transaction commits asynchronously; the session's setting stays on"

# Quota: both paths take their place in message_counts.
used() { sql "SELECT messages FROM message_counts WHERE customer_id = 1 AND month = wa_customer_month(1)"; }
sent() { sql "SELECT count(*) FROM messages WHERE customer_id = 1 AND direction = 'out' AND status <> 'cancelled'"; }
is "$(used)" "$(($(sent) + 2))" \
    "the quota counts every accepted message of both paths, and the two calls admitted whose insert never came (t2, s1)"
sql "UPDATE packages SET max_messages_month = $(($(used) + 1))" >/dev/null
like "$(hot k1 127.0.0.1 q1)" '^202 ' "one place left: admitted"
like "$(hot k1 127.0.0.1 q2)" '^403 quota-exhausted [0-9]+ 0 -$' "the month is full: 403 quota-exhausted, nothing inserted"
is "$(sql "SELECT wa_message_cancel(1, max(id)) FROM messages WHERE customer_id = 1")" cancelled "cancelling gives a place back"
like "$(hot k1 127.0.0.1 q4)" '^202 - [0-9]+ 202 ' "... which the next call takes"
is "$(sql "SELECT (e).error FROM (SELECT wa_message_enqueue(1, 2, '+62812', 'p', wa_now(), 'portal') e) s")" quota_exhausted \
    "the portal's wa_message_enqueue shares the quota"

done_testing
