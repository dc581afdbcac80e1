#!/bin/sh
# 0187-api-instance-limits.t: a number's daily cap and warm-up through the API (sql/0033, sql/0036; pinned clock): GET /api/v1/instances(/{id}) shows daily_cap, warmup, warmup_since, the day's limit, sent and room (a warm-up's day, a day window that ended, no cap); PATCH /api/v1/instances/{id} with instances:write sets them (a warm-up on keeps its first day, off clears it, a field left out keeps its value); every bad body is a 422 naming its field and changes nothing; another customer's number a 404 changing nothing; instances:read alone a 403.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2030-05-06 07:00:00+00'
stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo city=Jakarta country=ID >/dev/null || bail_out "seeding failed"
sql "UPDATE packages SET api_rpm = 1000;
    INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
    (1, 1, 'wa_a', 'A', 'connected', '+6281100001'),
    (1, 1, 'wa_b', 'B', 'connected', '+6281100002'),
    (2, 1, 'wa_c', 'C', 'connected', '+6281100003');
    -- B: warming up since 2 days and an hour (day 2: 80), 30 sent in a day begun an hour ago
    UPDATE instances SET warmup_since = wa_now() - interval '2 days 1 hour', day_sent = 30,
        day_started_at = wa_now() - interval '1 hour' WHERE session = 'wa_b';
    -- A: 700 sent in a day that ended (begun 25 hours ago)
    UPDATE instances SET day_sent = 700, day_started_at = wa_now() - interval '25 hours' WHERE session = 'wa_a'" >/dev/null \
    || bail_out "seeding failed"
IA=$(sql "SELECT id FROM instances WHERE session = 'wa_a'")
IB=$(sql "SELECT id FROM instances WHERE session = 'wa_b'")
IC=$(sql "SELECT id FROM instances WHERE session = 'wa_c'")
read -r KR _ < <(newkey 1 '{instances:read}')
read -r KW _ < <(newkey 1 '{instances:read,instances:write}')
read -r K2 _ < <(newkey 2 '{instances:read,instances:write}')
j() { jq -r "$1" <<<"$HTTP_BODY"; }
limits='[.daily_cap, .warmup, .warmup_since, .day_limit, .day_sent, .day_room] | map(tostring) | join(" ")'
row() { sql "SELECT daily_cap || ' ' || coalesce(warmup_since::text, '-') FROM instances WHERE id = $1"; }
patch() { api PATCH "/api/v1/instances/$1" "$2" -H 'Content-Type: application/json' --data-binary "$3"; }

# ---------------------------------------------------------------- reads
api GET /api/v1/instances "$KR"
is "$HTTP_STATUS $(j '.data | length')" "200 2" "GET /api/v1/instances: the customer's two"
is "$(j ".data[] | select(.id == $IA) | $limits")" "1000 false null 1000 0 1000" \
    "A: the default cap, no warm-up, its day ended: 0 sent, room 1000"
is "$(j ".data[] | select(.id == $IB) | $limits")" "1000 true 2030-05-04T06:00:00Z 80 30 50" \
    "B: warming up on day 2 (80), 30 sent, room 50"
api GET "/api/v1/instances/$IB" "$KR"
is "$HTTP_STATUS $(j "$limits")" "200 1000 true 2030-05-04T06:00:00Z 80 30 50" "GET one: the same"
sql "UPDATE instances SET daily_cap = 0 WHERE id = $IA" >/dev/null
api GET "/api/v1/instances/$IA" "$KR"
is "$(j '[.day_limit, .day_room] | map(tostring) | join(" ")')" "0 null" "no cap, no warm-up: limit 0, room null"
sql "UPDATE instances SET daily_cap = 1000 WHERE id = $IA" >/dev/null

# ---------------------------------------------------------------- scopes, another customer's
patch "$IA" "$KR" '{"daily_cap": 500}'
is "$HTTP_STATUS $(row "$IA")" "403 1000 -" "PATCH with instances:read alone: 403, nothing changed"
patch "$IA" "$K2" '{"daily_cap": 500, "warmup": true}'
is "$HTTP_STATUS $(j .type) $(row "$IA")" "404 /docs/api#problem-instance-not-found 1000 -" \
    "another customer's number: 404, nothing changed"
patch 999999 "$KW" '{"daily_cap": 500}'
is "$HTTP_STATUS" 404 "no such number: 404"

# ---------------------------------------------------------------- bad bodies
# bad BODY FIELD: a 422 naming FIELD, nothing changed on A nor B.
bad() {
	patch "$IA" "$KW" "$1"
	is "$HTTP_STATUS $(j '[.errors[].field] | join(",")') $(row "$IA")" "422 $2 1000 -" "422 for $1 (field $2), nothing changed"
}
bad '{"daily_cap": -1}' daily_cap
bad '{"daily_cap": 100001}' daily_cap
bad '{"daily_cap": "500"}' daily_cap
bad '{"daily_cap": 1.5}' daily_cap
bad '{"daily_cap": null}' daily_cap
bad '{"daily_cap": 99999999999999999999}' daily_cap
bad '{"warmup": "yes"}' warmup
bad '{"warmup": 1}' warmup
bad '{"daily_cap": 500, "warmup": "on"}' warmup
bad '{"daily_cap": 500, "paused": true}' paused
bad '[1]' body
bad 'not json' body
patch "$IC" "$K2" '{"daily_cap": 100001}'
is "$HTTP_STATUS $(row "$IC")" "422 1000 -" "another customer's own number with a bad cap: 422 too, nothing changed"

# ---------------------------------------------------------------- writes
patch "$IA" "$KW" '{"daily_cap": 500, "warmup": true}'
is "$HTTP_STATUS $(j "$limits")" "200 500 true 2030-05-06T07:00:00Z 20 0 20" \
    "cap 500 and a warm-up: 200, day 0 of the warm-up (20)"
is "$(row "$IA")" "500 2030-05-06 07:00:00+00" "... stored"
stack_clock_add '1 day'
patch "$IA" "$KW" '{"warmup": true}'
is "$HTTP_STATUS $(j "$limits")" "200 500 true 2030-05-06T07:00:00Z 40 0 40" \
    "warm-up on again: keeps its first day (now day 1: 40), the cap left out kept"
patch "$IA" "$KW" '{}'
is "$HTTP_STATUS $(row "$IA")" "200 500 2030-05-06 07:00:00+00" "an empty body changes nothing"
patch "$IA" "$KW" '{"warmup": false, "daily_cap": 0}'
is "$HTTP_STATUS $(j "$limits")" "200 0 false null 0 0 null" "warm-up off and no cap: 200, no limit"
is "$(row "$IA") / $(row "$IB") / $(row "$IC")" "0 - / 1000 2030-05-04 06:00:00+00 / 1000 -" "... only A changed"
patch "$IC" "$K2" '{"daily_cap": 100000}'
is "$HTTP_STATUS $(j .daily_cap) $(row "$IC")" "200 100000 100000 -" "the other customer sets its own: the largest cap"

stack_stop
done_testing
