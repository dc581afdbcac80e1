#!/bin/sh
# 0302-api-read.t: REST API v1 reads over HTTP: message list (filters, cursor), one message with its history, cancel, instances, usage; every id scoped to the key's customer.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/t/apikeygen" ] || skip_all "t/apikeygen not built"
stack_start --workers 1
stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo api_key=hostkey city=Jakarta country=ID >/dev/null || bail_out "seeding failed"
sql "INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
     (1, 1, 'wa_a', 'A', 'disconnected', ''), (1, 1, 'wa_b', 'B', 'connected', '+6281100001'),
     (2, 1, 'wa_c', 'C', 'connected', '+6281100002');
     UPDATE packages SET api_rpm = 1000" >/dev/null || bail_out "seeding failed"

post() { api POST /api/v1/messages "$1" -H 'Content-Type: application/json' --data-binary "$2"; }
ptype() { sed -n 's/.*"type":"\([^"]*\)".*/\1/p' <<<"$HTTP_BODY"; }
jfield() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^,\"}]*\\).*/\\1/p" <<<"$HTTP_BODY"; }
nmsg() { grep -o '"direction":' <<<"$HTTP_BODY" | wc -l | tr -d ' '; }

ALL='{messages:send,messages:read,instances:read}'
read -r K1 K1ID < <(newkey 1 "$ALL")
read -r K2 _ < <(newkey 2 "$ALL")
read -r KSEND _ < <(newkey 1 '{messages:send}')

post "$K1" '{"to":"+6281234567001","text":"one"}'; m1=$(jfield id)
post "$K1" '{"to":"+6281234567002","text":"two"}'; m2=$(jfield id)
post "$K1" '{"to":"+6281234567003","text":"later","send_at":"2099-01-01T00:00:00Z"}'; m3=$(jfield id)
post "$K2" '{"to":"+6281234567004","text":"theirs"}'; mb=$(jfield id)
min=$(sql "INSERT INTO messages (customer_id, instance_id, direction, status, source, peer, peer_phone, body)
     VALUES (1, 2, 'in', 'received', 'gateway', '6281234567005@c.us', '+6281234567005', 'hi back') RETURNING id")
[ -n "$m3" ] && [ -n "$mb" ] || bail_out "sending failed"

# --- GET /api/v1/messages ---
api GET /api/v1/messages "$K1"
is "$HTTP_STATUS" 200 "GET /api/v1/messages: 200"
is "$(nmsg)" 4 "... the customer's four messages, not the other customer's"
like "$HTTP_BODY" "^\\{\"data\":\\[\\{\"id\":$min," "... newest first"
like "$HTTP_BODY" '"next_cursor":null' "... no next page"
unlike "$HTTP_BODY" theirs "... nothing of customer 2"
like "$(header X-RateLimit-Remaining)" '^[0-9]+$' "... with rate headers"
api GET '/api/v1/messages?limit=2' "$K1"
is "$(nmsg)" 2 "limit=2: two"
cur=$(jfield next_cursor)
is "$cur" "$m3" "... next_cursor after the second"
api GET "/api/v1/messages?limit=2&cursor=$cur" "$K1"
is "$(nmsg)" 2 "the next page: the other two"
like "$HTTP_BODY" "\"id\":$m2,.*\"id\":$m1," "... older ones, newest first"
api GET '/api/v1/messages?direction=in' "$K1"
is "$(nmsg) $(jfield id)" "1 $min" "direction=in: the received one"
api GET '/api/v1/messages?status=scheduled&instance_id=2' "$K1"
is "$(nmsg) $(jfield id)" "1 $m3" "status=scheduled&instance_id=2: the scheduled one"
api GET '/api/v1/messages?since=2099-01-01T00:00:00Z' "$K1"
is "$(nmsg)" 0 "since in the future: none"
api GET '/api/v1/messages?limit=0&direction=sideways' "$K1"
is "$HTTP_STATUS $(ptype)" "422 /docs/api#problem-validation-failed" "bad filters: 422"
like "$HTTP_BODY" '"field":"direction"' "... names direction"
like "$HTTP_BODY" '"field":"limit"' "... names limit"
api GET /api/v1/messages "$KSEND"
is "$HTTP_STATUS $(ptype)" "403 /docs/api#problem-scope-missing" "a key without messages:read: 403"

# --- GET /api/v1/messages/{id} ---
api GET "/api/v1/messages/$m1" "$K1"
is "$HTTP_STATUS $(jfield id) $(jfield text)" "200 $m1 one" "GET one message: 200"
like "$HTTP_BODY" '"history":\[\{"status":"created","at":"[0-9T:-]+Z"\}' "... with its history"
api GET "/api/v1/messages/$mb" "$K1"
is "$HTTP_STATUS $(ptype)" "404 /docs/api#problem-not-found" "another customer's message: 404"

# --- DELETE /api/v1/messages/{id} ---
api DELETE "/api/v1/messages/$m3" "$K1"
is "$HTTP_STATUS $(jfield status)" "200 cancelled" "cancel a scheduled message: 200 cancelled"
is "$(sql "SELECT status FROM messages WHERE id = $m3")" cancelled "... stored"
api GET "/api/v1/messages/$m3" "$K1"
like "$HTTP_BODY" '"status":"cancelled","at"' "... and in its history"
api DELETE "/api/v1/messages/$m3" "$K1"
is "$HTTP_STATUS $(ptype)" "409 /docs/api#problem-too-late" "cancel again: 409 too-late"
api DELETE "/api/v1/messages/$mb" "$K1"
is "$HTTP_STATUS" 404 "cancel another customer's: 404"
is "$(sql "SELECT status FROM messages WHERE id = $mb")" queued "... untouched"

# --- instances ---
api GET /api/v1/instances "$K1"
is "$HTTP_STATUS" 200 "GET /api/v1/instances: 200"
is "$(grep -o '"id":' <<<"$HTTP_BODY" | wc -l | tr -d ' ')" 2 "... the customer's two"
like "$HTTP_BODY" '"host":\{"name":"demo","city":"Jakarta","country":"ID"\}' "... with host name, city, country"
unlike "$HTTP_BODY" 'hostkey|127\.0\.0\.1:9|wa_[abc]|0123456789abcdef' "... never the host's URL, key, secret or the session"
api GET /api/v1/instances/2 "$K1"
is "$HTTP_STATUS" 200 "GET one instance: 200"
like "$HTTP_BODY" '^\{"id":2,"name":"B","status":"connected","phone":"\+6281100001",' "... id, name, status, phone"
api GET /api/v1/instances/3 "$K1"
is "$HTTP_STATUS $(ptype)" "404 /docs/api#problem-instance-not-found" "another customer's instance: 404"
api GET /api/v1/instances "$KSEND"
is "$HTTP_STATUS" 403 "a key without instances:read: 403"

# --- usage ---
api GET /api/v1/usage "$K1"
is "$HTTP_STATUS" 200 "GET /api/v1/usage: 200"
like "$HTTP_BODY" '"endpoint":"messages.list","class":"2xx","count":6' "... the key's list calls"
like "$HTTP_BODY" '"endpoint":"messages.create","class":"2xx","count":3' "... its sends"
like "$HTTP_BODY" '"customer":\[.*"endpoint":"messages.list","class":"4xx","count":2' "... the customer's totals (all keys)"
is "$(sql "SELECT n FROM api_usage WHERE key_id = $K1ID AND endpoint = 'usage.get'")" 1 "... and the call itself is counted once answered"
is "$(sql "SELECT sum(n) FROM api_usage WHERE endpoint = 'messages.cancel' AND class = 4")" 2 "409 and 404 counted as 4xx"

done_testing
