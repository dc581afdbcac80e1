#!/bin/sh
# 0203-hooks.t: WAHA webhooks through nginx: HMAC before parsing, replays applied once, session.status links an instance.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

SIM=${top_builddir:?}/src/waportal-gwsim
[ -x "$SIM" ] || skip_all "simulator not built"
stack_start --workers 2

KEY=hook-test-key
SECRET=0123456789abcdef0123456789abcdef-hooks
stack_gwsim_start "$KEY" || bail_out "simulator did not start"
SIMURL=$GWSIM_URL

sql "INSERT INTO dealers (name) VALUES ('Acme')" >/dev/null
sql "INSERT INTO users (role, dealer_id, email, name) VALUES ('customer', 1, 'c@example.com', 'C')" >/dev/null
stack_host demo base_url="$SIMURL" api_key="$KEY" webhook_secret="$SECRET" >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name) VALUES (1, 1, 'wa_1', 'Sales')" >/dev/null
events() { sql "SELECT count(*) FROM webhook_events"; }
inst() { sql "SELECT status || ' ' || phone FROM instances WHERE session = 'wa_1'"; }

# post BODY [SIG]: deliver a webhook as the gateway would (SIG defaults to the right one).
post() {
	local sig=${2-$(printf '%s' "$1" | openssl dgst -sha512 -hmac "$SECRET" -r | cut -d' ' -f1)}
	http POST /hooks/waha/demo -H 'Content-Type: application/json' \
	    ${sig:+-H "X-Webhook-Hmac: $sig"} -H 'X-Webhook-Hmac-Algorithm: sha512' \
	    --data-binary "$1"
}
ev='{"id":"evt_01TEST","timestamp":1,"event":"session.status","session":"wa_1","payload":{"status":"SCAN_QR_CODE"}}'

post "$ev" 'deadbeef'
is "$HTTP_STATUS" 401 "a wrong signature: 401"
like "$(header Content-Type)" 'application/problem\+json' "... as problem+json"
post "$ev" ''
is "$HTTP_STATUS" 401 "no signature: 401"
post "$(sed 's/SCAN_QR_CODE/WORKING/' <<<"$ev")" "$(printf '%s' "$ev" | openssl dgst -sha512 -hmac "$SECRET" -r | cut -d' ' -f1)"
is "$HTTP_STATUS" 401 "a signature of another body: 401"
http POST /hooks/waha/nohost -H 'Content-Type: application/json' -H "X-Webhook-Hmac: x" --data-binary "$ev"
is "$HTTP_STATUS" 401 "an unknown host: the same 401"
is "$(events)" 0 "... and nothing was stored"
is "$(inst)" "connecting " "... nor changed"

post "$ev"
is "$HTTP_STATUS" 200 "a signed session.status: 200"
is "$(inst)" "qr_required " "the instance now waits for a QR scan"
t1=$(sql "SELECT status_changed_at FROM instances WHERE session = 'wa_1'")
post "$ev"
is "$HTTP_STATUS" 200 "the same event again: 200"
is "$(jq -r .status <<<"$HTTP_BODY")" duplicate "... reported as a duplicate"
is "$(events)" 1 "... recorded once"
is "$(sql "SELECT status_changed_at FROM instances WHERE session = 'wa_1'")" "$t1" "... and applied once"

post '{"id":"evt_02","event":"presence.update","session":"wa_1","payload":{}}'
is "$HTTP_STATUS" 200 "an event we do not use: acknowledged"
post '{"id":"evt_03","event":"session.status",'
is "$HTTP_STATUS" 400 "signed but malformed JSON: 400"
post '{"event":"session.status","session":"wa_1"}'
is "$HTTP_STATUS" 400 "an event without an id: 400"
printf '{"id":"evt_big","event":"x","pad":"%s"}' "$(head -c 300000 /dev/zero | tr '\0' a)" >"$STACK_DIR/big.json"
http POST /hooks/waha/demo -H 'Content-Type: application/json' -H 'X-Webhook-Hmac: x' \
    --data-binary "@$STACK_DIR/big.json"
is "$HTTP_STATUS" 413 "a 300 KB body: 413 before anything else"
http POST /hooks/waha/demo -H 'Content-Type: text/plain' --data-binary "$ev"
is "$HTTP_STATUS" 415 "not JSON: 415"

# End to end: the gateway itself signs and sends the events.
curl -s -X POST -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' --data-binary \
    "{\"name\":\"wa_1\",\"start\":true,\"config\":{\"webhooks\":[{\"url\":\"$BASE_URL/hooks/waha/demo\",\"events\":[\"session.status\",\"message\",\"message.ack\"],\"hmac\":{\"key\":\"$SECRET\"}}]}}" \
    "$SIMURL/api/sessions" >/dev/null
curl -s -X POST "$SIMURL/_sim/sessions/wa_1/scan" >/dev/null
wait_for 10 eval '[ "$(inst | cut -d" " -f1)" = connected ]'
like "$(inst)" '^connected \+[0-9]{8,15}$' "scanned on the gateway: the instance is connected with its number"
cmp_ok "$(events)" -ge 3 "the gateway's own events were accepted"

done_testing
