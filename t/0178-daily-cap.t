#!/bin/sh
# 0178-daily-cap.t: a number's daily cap and warm-up (sql/0033) on a pinned clock: the claim stops at the day's limit and goes on in the next day window, the next-due time waits for it, keyword replies are never held, the warm-up's 20 * 2^n a day; the sending limits page (its errors, another customer's number, escaping).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

T0='2030-03-01 10:00:00+00'
stack_start --workers 1 --clock "$T0"
stack_customers 2 100000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name, status, daily_cap) VALUES
     (1, 1, 'wa_1', 'Sales <b>desk</b>', 'connected', 3),
     (1, 1, 'wa_2', 'New', 'connected', 1000),
     (2, 1, 'wa_3', 'Theirs', 'connected', 1000)" >/dev/null || bail_out "seeding failed"

# at SECONDS QUERY: QUERY with the clock SECONDS after T0.
at() { sql "SET waportal.now = '$(sql "SELECT timestamptz '$T0' + interval '$1 seconds'")'" "$2"; }
# queue INSTANCE N [SOURCE]: N due messages on INSTANCE.
queue() {
	sql "INSERT INTO messages (customer_id, instance_id, direction, status, source, peer, peer_phone, body, send_at, due_at)
	    SELECT 1, $1, 'out', 'queued', '${3:-api}', '+6281200000' || g, '+6281200000' || g, 'm' || g,
	    timestamptz '$T0', timestamptz '$T0' FROM generate_series(1, $2) g" >/dev/null
}
# claim SECONDS [GAP_MS]: what a paced claim takes then (ids, or ''), each
# recorded as sent at once.
claim() {
	local ids
	ids=$(at "$1" "SELECT coalesce(string_agg(id::text, ' ' ORDER BY id), '') FROM wa_dispatch_claim('t', 100, 30, ${2:-1000}, 0, 0, 0)" | tail -1)
	[ -z "$ids" ] || sql "UPDATE messages SET status = 'sent', sent_at = timestamptz '$T0', lease_owner = NULL, lease_until = NULL WHERE id IN (${ids// /,})" >/dev/null
	echo "$ids"
}
words() { wc -w <<<"$1" | tr -d ' '; }
inst() { sql "SELECT $2 FROM instances WHERE id = $1"; }

# ---------------------------------------------------------------- the cap
queue 1 5
is "$(inst 1 'daily_cap || $$ $$ || day_sent')" "3 0" "a number with a daily cap of 3, nothing sent yet"
is "$(words "$(claim 2)") $(words "$(claim 4)") $(words "$(claim 6)")" "1 1 1" "three paced claims take one message each"
is "$(inst 1 'day_sent || $$ / $$ || day_started_at')" "3 / 2030-03-01 10:00:02+00" "... counted in a day window opened by the first"
is "$(claim 8)" "" "the fourth is held: the day's limit is reached"
is "$(claim 3600)" "" "... an hour later too (the hourly window is not the day's)"
is "$(at 8 "SELECT wa_dispatch_next_due(0)" | tail -1)" $(((86400 - 6) * 1000)) \
    "... the next due time is the day window's end, so the dispatcher sleeps until then"
is "$(sql "SELECT count(*) FROM messages WHERE instance_id = 1 AND status = 'queued' AND attempts = 0")" 2 \
    "... the two others wait, no attempt used"
queue 1 1 keyword
is "$(words "$(claim 10)")" 1 "a keyword reply is never held by the day's limit"
is "$(inst 1 day_sent)" 3 "... nor counted in it"
is "$(words "$(claim 86403)")" 1 "a day after the window opened: a new window, the next message goes"
is "$(inst 1 'day_sent || $$ / $$ || day_started_at')" "1 / 2030-03-02 10:00:03+00" "... counted in the new window"
sql "UPDATE instances SET daily_cap = 0 WHERE id = 1" >/dev/null
is "$(words "$(claim 86405)")" 1 "a cap of 0: no daily limit"

# ---------------------------------------------------------------- warm-up
lim() { at "$1" "SELECT wa_instance_day_limit($2, timestamptz '$T0')" | tail -1; }
got=""
for d in 0 1 2 3 4 5 6 7; do got="$got $(lim $((d * 86400 + 60)) 1000)"; done
is "$got" " 20 40 80 160 320 640 1000 1000" "warm-up: 20 on day 0, twice as many each day, up to the cap"
is "$(lim 600 30) $(lim 86460 30)" "20 30" "... a cap under the warm-up's figure wins"
is "$(lim $((6 * 86400)) 0) $(lim $((40 * 86400)) 0)" "1280 20971520" "... without a cap, the warm-up's figure alone (bounded)"
is "$(lim -60 1000)" 20 "... before its first day: day 0's"
is "$(sql "SELECT wa_instance_day_limit(1000, NULL) || ' ' || wa_instance_day_limit(0, NULL)")" "1000 0" "no warm-up: the cap (0: none)"
sql "UPDATE instances SET warmup_since = timestamptz '$T0' WHERE id = 2" >/dev/null
queue 2 50
n=$(words "$(at 60 "SELECT coalesce(string_agg(id::text, ' '), '') FROM wa_dispatch_claim('t', 100, 30, 0, 0, 0, 300)" | tail -1)")
is "$n" 20 "a warming number on its first day: one claim of 100 takes 20 (the hourly cap 300 allows more)"
is "$(inst 2 day_sent)" 20 "... counted"

# ---------------------------------------------------------------- the page
jar=$STACK_DIR/jar jar2=$STACK_DIR/jar2
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$STACK_PW"
http GET /whatsapp/instances/1 -b "$jar"
like "$HTTP_BODY" 'href="/whatsapp/instances/1/limits"' "the number's page links to its sending limits"
http GET /whatsapp/instances/1/limits -b "$jar"; csrf=$(csrf_of)
is "$HTTP_STATUS" 200 "the sending limits page"
like "$HTTP_BODY" 'name="daily_cap"[^>]* value="0"' "... the form shows the cap"
like "$HTTP_BODY" 'Sales &lt;b&gt;desk&lt;/b&gt;' "... the number's name escaped"
unlike "$HTTP_BODY" '<b>desk' "... never as markup"
like "$HTTP_BODY" 'id="il-today">no limit<' "... a cap of 0 says: no limit"
save() { http POST /whatsapp/instances/1/limits -b "${3:-$jar}" -c "${3:-$jar}" --data-urlencode "_csrf=${4:-$csrf}" --data-urlencode "daily_cap=$1" ${2:+--data-urlencode "warmup=$2"}; }
for bad in abc -1 100001 1e3 '' "1; DROP TABLE instances"; do
	save "$bad"
	is "$HTTP_STATUS" 422 "a daily cap of '$bad': 422"
done
like "$HTTP_BODY" 'Enter a whole number from 0 \(no daily limit\) to 100000' "... saying what it takes"
like "$HTTP_BODY" 'value="1; DROP TABLE instances"' "... the form keeps what was typed"
is "$(inst 1 'daily_cap || $$ $$ || (warmup_since IS NULL)')" "0 true" "... nothing changed"
save 50 1
is "$HTTP_STATUS $(header Location)" "303 /whatsapp/instances/1/limits" "a cap of 50 with the warm-up: saved"
is "$(inst 1 'daily_cap || $$ / $$ || warmup_since')" "50 / 2030-03-01 10:00:00+00" "... the warm-up starts now"
http GET /whatsapp/instances/1/limits -b "$jar"
like "$HTTP_BODY" 'The sending limits are saved' "... said so"
like "$HTTP_BODY" 'id="il-today">20<' "... today it may send 20"
like "$HTTP_BODY" 'id="il-since">2030-03-01<' "... warming up since today"
sql "UPDATE instances SET warmup_since = timestamptz '$T0' - interval '3 days' WHERE id = 1" >/dev/null
save " 60 " 1
is "$HTTP_STATUS $(inst 1 'daily_cap || $$ / $$ || warmup_since')" "303 60 / 2030-02-26 10:00:00+00" "saved again with the warm-up: its first day kept (the cap trimmed)"
save 60
is "$(inst 1 '(warmup_since IS NULL)')" t "the warm-up off"
http GET /whatsapp/instances/1/limits -b "$jar2"
is "$HTTP_STATUS" 404 "another customer's number: 404"
http GET /whatsapp/instances/2/limits -b "$jar2"; csrf2=$(csrf_of)
http GET /whatsapp/instances/3/limits -b "$jar2"; csrf2=$(csrf_of)
save 7 1 "$jar2" "$csrf2"
is "$HTTP_STATUS $(inst 1 'daily_cap')" "404 60" "... saving it: 404, nothing changed"
save abc 1 "$jar2" "$csrf2"
is "$HTTP_STATUS $(inst 1 'daily_cap')" "404 60" "... saving a bad cap to it: 404 too (not its form with the error)"
save 7 "" "$jar" "wrong"
is "$HTTP_STATUS $(inst 1 'daily_cap')" "403 60" "a wrong CSRF token: 403, nothing changed"
http GET /whatsapp/instances/999/limits -b "$jar"
is "$HTTP_STATUS" 404 "a number that does not exist: 404"

done_testing
