#!/bin/sh
# 0301-api.t: REST API v1 over HTTP: Bearer keys (offline format check, key states, scope, allowlist), typed problems, rate headers (X-RateLimit-*, RateLimit-Policy, RateLimit), 429 with an exact Retry-After, no burst at a minute's edge, POST /api/v1/messages with idempotency and validation.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/t/apikeygen" ] || skip_all "t/apikeygen not built"
# The SQL's clock stands still (stack_clock): the rate buckets never
# refill between two calls, however slow the machine; the test moves the
# clock where time must pass.
stack_start --workers 1 --clock now
stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo city=Jakarta country=ID >/dev/null || bail_out "seeding failed"
sql "INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
     (1, 1, 'wa_a', 'A', 'disconnected', ''), (1, 1, 'wa_b', 'B', 'connected', '+6281100001'),
     (2, 1, 'wa_c', 'C', 'connected', '+6281100002');
     UPDATE packages SET api_rpm = 1000" >/dev/null || bail_out "seeding failed"

post() { api POST /api/v1/messages "$1" -H 'Content-Type: application/json' --data-binary "$2" "${@:3}"; }
ptype() { sed -n 's/.*"type":"\([^"]*\)".*/\1/p' <<<"$HTTP_BODY"; }
jfield() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^,\"}]*\\).*/\\1/p" <<<"$HTTP_BODY"; }
usage() { sql "SELECT coalesce(sum(n), 0) FROM api_usage WHERE key_id = $1"; }

read -r K1 K1ID < <(newkey 1 '{messages:send,messages:read,instances:read}')
[ -n "$K1ID" ] || bail_out "no key"
MSG='{"to":"+6281234567890","text":"hello"}'

# --- authentication ---
api POST /api/v1/messages ""
is "$HTTP_STATUS" 401 "no Authorization header: 401"
is "$(ptype)" /docs/api#problem-invalid-key "... problem invalid-key"
like "$(header Content-Type)" '^application/problem\+json' "... as application/problem+json"
is "$(header WWW-Authenticate)" Bearer "... with WWW-Authenticate: Bearer"
like "$HTTP_BODY" '"detail":"No Authorization header' "... the detail says what is wrong"
http POST /api/v1/messages -H "Authorization: Basic $K1"
is "$(ptype)" /docs/api#problem-invalid-key "another scheme: 401 invalid-key"

# One changed character: refused by the checksum before any query.
c=${K1:10:1}; [ "$c" = a ] && d=b || d=a
BAD="${K1:0:10}$d${K1:11}"
post "$BAD" "$MSG"
is "$HTTP_STATUS" 401 "one changed character: 401"
like "$HTTP_BODY" 'checksum' "... the checksum says so"
unlike "$HTTP_BODY" "${BAD:4:20}" "... the key is never echoed"
is "$(usage "$K1ID")" 0 "... no usage counted (the database was not asked)"
is "$(sql "SELECT last_used_at IS NULL FROM api_keys WHERE id = $K1ID")" t "... and no last use"
post "${K1:0:31}" "$MSG"
like "$HTTP_BODY" '32 characters' "a truncated key: 401 naming the length"

read -r UNKNOWN _ < <("$top_builddir/t/apikeygen")
post "$UNKNOWN" "$MSG"
is "$HTTP_STATUS $(ptype)" "401 /docs/api#problem-invalid-key" "a well-formed unknown key: 401 invalid-key"
read -r KOFF _ < <(newkey 1 '{messages:send}' enabled false)
post "$KOFF" "$MSG"
is "$HTTP_STATUS $(ptype)" "401 /docs/api#problem-key-disabled" "a disabled key: 401 key-disabled"
read -r KOLD _ < <(newkey 1 '{messages:send}' expires_at "wa_now() - interval '1 second'")
post "$KOLD" "$MSG"
is "$HTTP_STATUS $(ptype)" "401 /docs/api#problem-key-expired" "an expired key: 401 key-expired"
read -r KRET _ < <(newkey 1 '{messages:send}' retires_at "wa_now() - interval '1 second'")
post "$KRET" "$MSG"
is "$HTTP_STATUS $(ptype)" "401 /docs/api#problem-key-retired" "a rotated-out key: 401 key-retired"
read -r KREAD _ < <(newkey 1 '{messages:read}')
post "$KREAD" "$MSG"
is "$HTTP_STATUS $(ptype)" "403 /docs/api#problem-scope-missing" "a key without messages:send: 403 scope-missing"
like "$HTTP_BODY" 'messages:send' "... naming the scope"
read -r KNET _ < <(newkey 1 '{messages:send}' allow_ips "'{10.0.0.0/8}'")
post "$KNET" "$MSG"
is "$HTTP_STATUS $(ptype)" "403 /docs/api#problem-ip-not-allowed" "127.0.0.1 outside the allowlist 10.0.0.0/8: 403"
http POST "/api/v1/messages?api_key=$K1&access_token=$K1" -H 'Content-Type: application/json' --data-binary "$MSG"
is "$HTTP_STATUS" 401 "a key in the query string is ignored: 401"
like "$(cat "$STACK_DIR/log/nginx-access.log")" '"POST /api/v1/messages HTTP/1.1" 401' "nginx logs that call by its path ..."
unlike "$(cat "$STACK_DIR/log/nginx-access.log")" "${K1:4:20}" "... never with the key from its query string"
http POST /api/v1/messages -b "session=whatever; wa_session=x" -H 'Content-Type: application/json' --data-binary "$MSG"
is "$HTTP_STATUS" 401 "cookies do not authenticate /api/v1"
post "$BAD" '{"to":1}'
is "$HTTP_STATUS" 401 "a bad key with a bad body: the key's 401 wins"

# --- POST /api/v1/messages ---
post "$K1" "$MSG" -H 'Origin: https://evil.example' -H 'Sec-Fetch-Site: cross-site'
is "$HTTP_STATUS" 202 "a valid send: 202 (no CSRF check on /api/v1)"
id=$(jfield id)
like "$id" '^[0-9]+$' "... with the message id"
is "$(header Location)" "/api/v1/messages/$id" "... and Location"
is "$(jfield instance_id)" 2 "... on the first connected instance"
is "$(jfield status)" queued "... queued"
is "$(header X-RateLimit-Limit)" 1000 "... X-RateLimit-Limit"
like "$(header X-RateLimit-Remaining)" '^[0-9]+$' "... X-RateLimit-Remaining"
like "$(header X-RateLimit-Reset)" '^1[0-9]{9}$' "... X-RateLimit-Reset (epoch seconds)"
like "$(header X-RateLimit-Used)" '^[0-9]+$' "... X-RateLimit-Used"
is "$(header RateLimit-Policy)" '"customer";q=1000;w=60' "... RateLimit-Policy: the customer's bucket alone (the key has no limit of its own)"
like "$(header RateLimit)" '^"customer";r=[0-9]+;t=1$' "... RateLimit: available calls, seconds until one more"
is "$(sql "SELECT peer_phone || ' ' || body || ' ' || source FROM messages WHERE id = $id")" \
    "+6281234567890 hello api" "... stored as sent, source api"

post "$K1" '{"to":"0062 812-3456-7890","text":"00 form","send_at":"2099-01-01T09:00:00+07:00"}'
is "$HTTP_STATUS $(jfield status)" "202 scheduled" "a 00 number and send_at: 202 scheduled"
is "$(jfield to)" "+6281234567890" "... the number normalised to E.164"

# A national number: the customer's country is not known before the one
# round trip, so the API asks for the country code (docs/validation.md).
post "$K1" '{"to":"081234567890","text":"","extra":1,"send_at":"tomorrow"}'
is "$HTTP_STATUS $(ptype)" "422 /docs/api#problem-validation-failed" "bad fields: 422 validation-failed"
like "$HTTP_BODY" '"field":"to","detail":"Start with \+ and the country code[^"]*","code":"bad-country"' "... names to: a national number, with the reason's code"
like "$HTTP_BODY" '"field":"text"' "... names text"
like "$HTTP_BODY" '"field":"extra"' "... names the unknown field"
like "$HTTP_BODY" '"field":"send_at"' "... names send_at"
like "$(header X-RateLimit-Remaining)" '^[0-9]+$' "... rate headers on a 4xx too"
post "$K1" 'not json'
is "$HTTP_STATUS" 422 "a body that is not JSON: 422"
like "$HTTP_BODY" '"field":"body"' "... names the body"
post "$K1" '{"to":"+6281234567890","text":"x","instance_id":3}'
is "$HTTP_STATUS $(ptype)" "404 /docs/api#problem-instance-not-found" "another customer's instance: 404"

# The text follows the portal's rule (core/valid.c valid_message_text).
read -r KTXT _ < <(newkey 1 '{messages:send}')
n=$(sql "SELECT count(*) FROM messages WHERE source = 'api'")
post "$KTXT" '{"to":"+6281234567890","text":"line one\rline two"}'
is "$HTTP_STATUS $(ptype)" "422 /docs/api#problem-validation-failed" "a text with a lone CR: 422"
like "$HTTP_BODY" '"field":"text"' "... naming text"
like "$HTTP_BODY" '"detail":"Must not hold control characters' "... and the control characters"
post "$KTXT" '{"to":"+6281234567890","text":"ring \u0007 bell"}'
is "$HTTP_STATUS $(ptype)" "422 /docs/api#problem-validation-failed" "a text with a control character: 422"
like "$HTTP_BODY" '"field":"text".*"detail":"Must not hold control|"detail":"Must not hold control.*"field":"text"' "... naming text and why"
post "$KTXT" '{"to":"+6281234567890","text":" \n\t \r\n "}'
is "$HTTP_STATUS $(ptype)" "422 /docs/api#problem-validation-failed" "a blank text: 422"
like "$HTTP_BODY" '"field":"text".*"detail":"Must not be blank|"detail":"Must not be blank.*"field":"text"' "... naming text and why"
post "$KTXT" '{"to":"+6281234567890","text":"x\u0000y"}'
is "$HTTP_STATUS $(ptype)" "422 /docs/api#problem-validation-failed" "a text with NUL: 422 (the JSON body is refused, as before)"
is "$(sql "SELECT count(*) FROM messages WHERE source = 'api'")" "$n" "... none of them stored"
post "$KTXT" '{"to":"+6281234567890","text":"one\r\ntwo\tend"}'
is "$HTTP_STATUS" 202 "a text with CR LF and a tab: 202"
is "$(sql "SELECT body = E'one\ntwo\tend' FROM messages WHERE id = $(jfield id)")" t "... stored with LF for CR LF"
post "$KTXT" '{"to":"+6281234567890","text":"three\r\nfour"}' -H 'Idempotency-Key: crlf-1'
is "$HTTP_STATUS" 202 "with an Idempotency-Key too: 202"
is "$(sql "SELECT body = E'three\nfour' FROM messages WHERE id = $(jfield id)")" t "... stored with LF for CR LF"

n=$(sql "SELECT count(*) FROM messages WHERE source = 'api'")
post "$K1" '{"to":"+6281234567890","text":"once"}' -H 'Idempotency-Key: order-1'
is "$HTTP_STATUS" 202 "with an Idempotency-Key: 202"
first=$(jfield id)
post "$K1" '{"to":"+6281234567890","text":"once"}' -H 'Idempotency-Key: order-1'
is "$HTTP_STATUS $(jfield id)" "202 $first" "the same key and body: the same answer"
is "$(header Idempotent-Replayed)" true "... marked Idempotent-Replayed"
is "$(sql "SELECT count(*) FROM messages WHERE source = 'api'")" $((n + 1)) "... one message only"
post "$K1" '{"to":"+6281234567890","text":"twice"}' -H 'Idempotency-Key: order-1'
is "$HTTP_STATUS $(ptype)" "422 /docs/api#problem-idempotency-mismatch" "the same key, another body: 422"

is "$(usage "$K1ID")" 8 "usage counted for every call of the key (3 x 202, 2 x 422, 404, replay, mismatch)"
is "$(sql "SELECT string_agg(DISTINCT endpoint, ',') FROM api_usage WHERE key_id = $K1ID")" \
    messages.create "... under the endpoint messages.create"
is "$(sql "SELECT last_used_at IS NOT NULL AND last_used_addr = '127.0.0.1' FROM api_keys WHERE id = $K1ID")" t \
    "last use recorded with REMOTE_ADDR"

# A present but unusable Idempotency-Key is a 422 naming the header, and
# stores nothing, so a retry with it never makes a second message: not
# valid UTF-8 (once read as absent), UTF-8 but not ASCII, a tab, DEL,
# empty, 256 characters.
read -r KIDEM KIDEMID < <(newkey 1 '{messages:send}')
n=$(sql "SELECT count(*) FROM messages WHERE source = 'api'")
long=$(printf 'k%.0s' {1..256})
for spec in $'latin1 order-\xe9' $'utf8 order-\xc3\xa9' $'tab a\tb' $'del a\x7fb' 'empty ' "256 $long"; do
	what=${spec%% *} key=${spec#* }
	for try in 1 2; do
		if [ -z "$key" ]; then h='Idempotency-Key;'; else h="Idempotency-Key: $key"; fi
		post "$KIDEM" '{"to":"+6281234567890","text":"idem"}' -H "$h"
		is "$HTTP_STATUS $(ptype)" "422 /docs/api#problem-validation-failed" "an Idempotency-Key $what, call $try: 422"
	done
	like "$HTTP_BODY" '"field":"Idempotency-Key"' "... naming the header"
done
is "$(sql "SELECT count(*) FROM messages WHERE source = 'api'")" "$n" "... no message made by any of them"
is "$(sql "SELECT count(*) FROM api_idempotency WHERE key_id = $KIDEMID")" 0 "... and no stored answer"
post "$KIDEM" '{"to":"+6281234567890","text":"idem"}' -H "Idempotency-Key: $(printf 'k%.0s' {1..255})"
is "$HTTP_STATUS" 202 "255 printable characters are a usable key: 202"

# --- rate limit ---
read -r KSLOW _ < <(newkey 1 '{messages:send}' rpm 2)
post "$KSLOW" "$MSG"; post "$KSLOW" "$MSG"
is "$(header X-RateLimit-Remaining)" 0 "limit 2: the second call leaves 0"
post "$KSLOW" "$MSG"
is "$HTTP_STATUS $(ptype)" "429 /docs/api#problem-rate-limited" "the third: 429 rate-limited"
is "$(header Retry-After)" 30 "... with Retry-After: 30 s until the key's bucket (T = 60 s / 2) admits one more"
is "$(header X-RateLimit-Remaining)" 0 "... and X-RateLimit-Remaining 0"

# The edge of a minute (issue 11, item 8): the fixed windows admitted 10
# calls at hh:mm:59 and 10 more 2 s past the minute. GCRA admits a burst
# of 10, then one call every 6 s.
read -r KEDGE _ < <(newkey 2 '{messages:send}' rpm 10)
stack_clock "$(sql "SELECT date_trunc('minute', timestamptz '$STACK_CLOCK') + interval '119 seconds'")" ||
    bail_out "cannot move the clock"
n=0 t0=$(date +%s)
for i in $(seq 10); do post "$KEDGE" "$MSG"; [ "$HTTP_STATUS" = 202 ] && n=$((n + 1)); done
t1=$(date +%s)
is "$n" 10 "limit 10 a minute, 10 calls at hh:mm:59: all admitted"
is "$(header X-RateLimit-Limit) $(header X-RateLimit-Remaining) $(header X-RateLimit-Used)" "10 0 10" \
    "... X-RateLimit-Limit 10, Remaining 0, Used 10"
is "$(header RateLimit-Policy)" '"key";q=10;w=60, "customer";q=1000;w=60' \
    "... RateLimit-Policy: the key's own bucket, then the customer's"
is "$(header RateLimit)" '"key";r=0;t=6, "customer";r=990;t=1' "... RateLimit: none left, one more in 6 s"
# The header is the worker's wall clock (epoch) plus 60 s: between the
# clock before the calls and the clock after them, however slow they were.
reset=$(header X-RateLimit-Reset)
[ "$reset" -ge $((t0 + 60)) ] && [ "$reset" -le $((t1 + 60)) ]
ok $? "... X-RateLimit-Reset: the bucket is full again in 60 s ($reset, the calls between $t0 and $t1)"
stack_clock_add '3 seconds' || bail_out "cannot move the clock"
n=0
for i in $(seq 10); do post "$KEDGE" "$MSG"; [ "$HTTP_STATUS" = 202 ] && n=$((n + 1)); done
is "$n" 0 "10 more calls 2 s past the minute's edge: none admitted (the fixed window admitted 10)"
is "$HTTP_STATUS $(ptype)" "429 /docs/api#problem-rate-limited" "... 429 rate-limited"
is "$(header Retry-After)" 3 "... Retry-After: 3 s until the next call is admitted"
is "$(header RateLimit)" '"key";r=0;t=3, "customer";r=1000' "... RateLimit says the same; the refused calls took nothing"
stack_clock_add '3 seconds' || bail_out "cannot move the clock"
post "$KEDGE" "$MSG"
is "$HTTP_STATUS" 202 "after Retry-After (60 s / 10 since the burst): one more admitted"
post "$KEDGE" "$MSG"
is "$HTTP_STATUS $(header Retry-After)" "429 6" "... one only: the next in 6 s"
stack_clock_add '6 seconds' || bail_out "cannot move the clock"
post "$KEDGE" "$MSG"
is "$HTTP_STATUS $(header X-RateLimit-Remaining)" "202 0" "... 6 s later one more"

# --- the hot path when its insert fails ---
# A trigger fails the insert (the second of the pipeline's three
# transactions) for one text: the admission has committed, the insert not.
sql "CREATE FUNCTION t_refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$
     BEGIN IF NEW.body = 'refuse me' THEN RAISE EXCEPTION 'refused: %', NEW.peer; END IF;
     RETURN NEW; END \$\$;
     CREATE TRIGGER t_refuse BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION t_refuse()" >/dev/null
n=$(sql "SELECT count(*) FROM messages WHERE source = 'api'")
u=$(usage "$K1ID")
post "$K1" '{"to":"+6281234567891","text":"refuse me"}'
is "$HTTP_STATUS $(ptype)" "503 /docs/api#problem-unavailable" "an insert failing after its admission: 503"
is "$(sql "SELECT count(*) FROM messages WHERE source = 'api'")" "$n" "... nothing stored"
is "$(usage "$K1ID")" $((u + 1)) "... the admitted call is counted (errs on the safe side)"
like "$(grep 'status=503' "$STACK_DIR"/log/workers.log | tail -n 1)" 'route=messages\.create .*db=query sqlstate=P0001' \
    "the log line of the 503 names the failed step and the SQLSTATE"
unlike "$(cat "$STACK_DIR"/log/workers.log)" '6281234567891' "... never the server's message, which may quote the request"
post "$K1" "$MSG"
is "$HTTP_STATUS" 202 "the worker's next call goes through (the pipeline left its connection usable)"
is "$(sql "SELECT count(*) FROM messages WHERE source = 'api'")" $((n + 1)) "... and stores its message"
sql "DROP TRIGGER t_refuse ON messages; DROP FUNCTION t_refuse()" >/dev/null

# The worker's connection killed between two calls: the pipeline finds it
# broken, answers 503 and is never resent (a write may have committed);
# the next call opens a new connection.
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'waportal'" >/dev/null
n=$(sql "SELECT count(*) FROM messages WHERE source = 'api'")
post "$K1" "$MSG"
is "$HTTP_STATUS" 503 "the worker's connection killed: the pipeline's call answers 503"
like "$(grep 'status=503' "$STACK_DIR"/log/workers.log | tail -n 1)" 'db=(pipeline|prepare|query)' "... and the log says which step broke"
post "$K1" "$MSG"
is "$HTTP_STATUS" 202 "the next call reconnects and goes through"
is "$(sql "SELECT count(*) FROM messages WHERE source = 'api'")" $((n + 1)) "... one message stored in all"

# The third transaction wakes the dispatchers, only for a stored message.
# listen_during NAME CMD...: run CMD while a session LISTENs (held at
# gate NAME until CMD is done); print what it heard.
listen_during() {
	local gate=$1 lp
	shift
	sql "LISTEN waportal_dispatch" "$(stack_gate "$gate")" "SELECT 1" >"$STACK_DIR/listen.out" 2>&1 &
	lp=$!
	stack_gate_wait "$gate" >&2
	"$@"
	stack_gate_open "$gate"
	wait "$lp"
	grep -c 'notification "waportal_dispatch"' "$STACK_DIR/listen.out"
}
is "$(listen_during refused post "$K1" '{"to":"+6281234567890","text":""}')" 0 "a refused call (422) wakes no dispatcher"
is "$(listen_during accepted post "$K1" "$MSG")" 1 "an accepted call wakes the dispatchers once"

unlike "$(cat "$STACK_DIR"/log/workers.log)" "${K1:4:20}" "no key ever reaches the workers' log"

done_testing
