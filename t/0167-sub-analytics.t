#!/bin/sh
# 0167-sub-analytics.t: subscription analytics on the real stack: a consent history built with the clock pinned across days and time zones (23:45 and 00:15 in India fall on two days within one UTC hour), every figure of the page and the API equal to a count(*) over the consent log for 7, 30 and 90 days, the days following a change of time zone, bad periods 400, another customer's figures never shown, the empty state, scopes.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

command -v jq >/dev/null || skip_all "jq is missing (./dev test installs it)"
[ -x "${top_builddir:?}/t/apikeygen" ] || skip_all "t/apikeygen not built"
stack_start --workers 1 --clock '2026-12-01 06:00:00+00'
stack_customers 2 1000 c@example.com d@example.com e@example.com || bail_out "seeding failed"
stack_host demo >/dev/null
sql "UPDATE packages SET api_rpm = 1000, max_contacts = 100000;
     UPDATE users SET time_zone = 'Asia/Kolkata' WHERE id = 1;
     INSERT INTO instances (customer_id, host_id, session, name, status) VALUES
     (1, 1, 'wa_1', 'Sales', 'connected'), (2, 1, 'wa_2', 'Theirs', 'connected')" >/dev/null ||
    bail_out "seeding failed"
read -r KR _ < <(newkey 1 '{contacts:read}')
read -r KW _ < <(newkey 1 '{contacts:read,contacts:write}')
read -r KM _ < <(newkey 1 '{messages:read}')
read -r K3 _ < <(newkey 3 '{contacts:read}')
[ -n "$KR" ] && [ -n "$K3" ] || bail_out "no key"
j() { jq -r "$1" <<<"$HTTP_BODY"; }
kw() { sql "SELECT kind FROM wa_message_in(1, 'wa_${4:-1}', '$1@c.us', '+$1', '$2', '$3', NULL)"; }

# --- a history over several days, with the clock pinned ---
# Customer 1 (India, UTC+5:30): a STOP at 23:45 on 3 December and a
# START at 00:15 on the 4th, both between 18:00 and 19:00 UTC.
stack_clock '2026-12-03 18:15:00+00'
is "$(kw 628111000001 STOP g1)" out "23:45 in India: STOP by keyword"
kw 628111000002 BERHENTI g2 >/dev/null
stack_clock '2026-12-03 18:45:00+00'
is "$(kw 628111000001 START g3)" in "00:15 the next day in India: START"
# The API on another day: one created subscribed, a bulk of 1,000 in one
# statement (600 subscribed, 400 unsubscribed).
stack_clock '2026-12-04 10:10:00+00'
api POST /api/v1/contacts "$KW" -H 'Content-Type: application/json' \
    --data-binary '{"phone":"+628122000001","status":"subscribed"}'
is "$HTTP_STATUS" 201 "an API opt-in: 201"
items=$(jq -cn '{contacts: [range(1000) | {phone: ("+62813" + (10000000 + .|tostring)), status: (if . < 600 then "subscribed" else "unsubscribed" end)}]}')
api POST /api/v1/contacts/bulk "$KW" -H 'Content-Type: application/json' --data-binary "$items"
is "$HTTP_STATUS" 200 "a bulk of 1,000 by the API: 200"
# Older entries: an import's thousands in one statement 20 to 80 days ago
# (portal, import, complaint; some to 'unknown', which count as neither),
# and customer 2's own, which customer 1 must never see.
stack_clock '2026-12-05 12:00:00+00'
sql "INSERT INTO contact_consents (customer_id, phone, status, source, at)
     SELECT 1, '+62814' || (1000000 + i), (ARRAY['subscribed', 'unsubscribed', 'unsubscribed', 'unknown'])[1 + i % 4],
         (ARRAY['import', 'portal', 'complaint', 'import', 'double_opt_in'])[1 + i % 5],
         wa_now() - interval '20 days' - i * interval '17 minutes'
     FROM generate_series(1, 5000) i" >/dev/null
sql "INSERT INTO contact_consents (customer_id, phone, status, source, at)
     SELECT 2, '+62815' || (1000000 + i), 'unsubscribed', 'keyword', wa_now() - i * interval '1 hour'
     FROM generate_series(1, 300) i" >/dev/null
kw 628111000009 STOP g9 2 >/dev/null

# The expected figures: a count(*) over the log, days in the customer's zone.
expect_days() {
	sql "SELECT string_agg(g.d || ' ' || g.i || ' ' || g.o || ' ' || (g.i - g.o), ',' ORDER BY g.d) FROM (
	     SELECT x::date AS d,
	       (SELECT count(*) FROM contact_consents k WHERE k.customer_id = $1 AND k.status = 'subscribed'
	        AND (k.at AT TIME ZONE u.time_zone)::date = x::date) AS i,
	       (SELECT count(*) FROM contact_consents k WHERE k.customer_id = $1 AND k.status = 'unsubscribed'
	        AND (k.at AT TIME ZONE u.time_zone)::date = x::date) AS o
	     FROM users u, generate_series((wa_now() AT TIME ZONE u.time_zone)::date - ($2 - 1),
	         (wa_now() AT TIME ZONE u.time_zone)::date, interval '1 day') x WHERE u.id = $1) g"
}
expect_sources() {
	sql "SELECT coalesce(string_agg(source || ' ' || n, ',' ORDER BY n DESC, source), '') FROM (
	     SELECT k.source, count(*) AS n FROM contact_consents k JOIN users u ON u.id = k.customer_id
	     WHERE k.customer_id = $1 AND k.status = 'unsubscribed'
	     AND (k.at AT TIME ZONE u.time_zone)::date BETWEEN (wa_now() AT TIME ZONE u.time_zone)::date - ($2 - 1)
	         AND (wa_now() AT TIME ZONE u.time_zone)::date GROUP BY 1) s"
}
expect_totals() {
	sql "SELECT i || ' ' || o || ' ' || (i - o) FROM (SELECT
	     count(*) FILTER (WHERE k.status = 'subscribed') AS i, count(*) FILTER (WHERE k.status = 'unsubscribed') AS o
	     FROM contact_consents k JOIN users u ON u.id = k.customer_id WHERE k.customer_id = $1
	     AND (k.at AT TIME ZONE u.time_zone)::date BETWEEN (wa_now() AT TIME ZONE u.time_zone)::date - ($2 - 1)
	         AND (wa_now() AT TIME ZONE u.time_zone)::date) t"
}
# The page's day rows, totals and sources as the same text.
page_days() {
	grep -o '<tr><th scope="row"><time datetime="[0-9-]*">[0-9-]*</time></th><td class="num">-\?[0-9]*</td><td class="num">-\?[0-9]*</td><td class="num">-\?[0-9]*</td></tr>' <<<"$HTTP_BODY" |
	    sed 's/<tr><th scope="row"><time datetime="\([0-9-]*\)">.*<\/time><\/th>/\1/; s/<td class="num">/ /g; s/<[^>]*>//g' | paste -sd,
}
page_totals() {
	local t
	for t in in out net; do grep -o "id=\"sa-total-$t\">-\?[0-9]*<" <<<"$HTTP_BODY" | sed 's/.*>\(-\?[0-9]*\)<$/\1/'; done | paste -sd' '
}
page_sources() {
	grep -o '<tr id="sa-source-[a-z_]*"><th scope="row">[^<]*</th><td class="num">[0-9]*</td>' <<<"$HTTP_BODY" |
	    sed 's/<tr id="sa-source-\([a-z_]*\)">.*<td class="num">\([0-9]*\)<\/td>/\1 \2/' | paste -sd,
}

jar=$STACK_DIR/jar jar3=$STACK_DIR/jar3
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
http POST /login -c "$jar3" --data-urlencode email=e@example.com --data-urlencode "password=$STACK_PW"

check_all() {	# $1: what the time zone is
	local n
	for n in 7 30 90; do
		api GET "/api/v1/subscriptions/analytics?days=$n" "$KR"
		is "$HTTP_STATUS" 200 "$1, $n days: the API answers 200"
		is "$(j '.days | length')" "$n" "... with $n days"
		is "$(j '.days | map("\(.date) \(.opt_ins) \(.opt_outs) \(.net)") | join(",")')" "$(expect_days 1 $n)" \
		    "... every day's opt-ins, opt-outs and net equal to a count(*) over the log"
		is "$(j '"\(.totals.opt_ins) \(.totals.opt_outs) \(.totals.net)"')" "$(expect_totals 1 $n)" "... the totals too"
		is "$(j '.opt_out_sources | map("\(.source) \(.count)") | join(",")')" "$(expect_sources 1 $n)" \
		    "... and the opt-out sources, most first"
		http GET "/contacts/subscriptions/analytics?days=$n" -b "$jar"
		is "$HTTP_STATUS" 200 "$1, $n days: the page answers 200"
		is "$(page_days)" "$(expect_days 1 $n)" "... its table holds the same figures"
		is "$(page_totals)" "$(expect_totals 1 $n)" "... its totals"
		is "$(page_sources)" "$(expect_sources 1 $n)" "... its opt-out sources"
	done
}
check_all "India"
api GET "/api/v1/subscriptions/analytics?days=7" "$KR"
is "$(j '.days[] | select(.date == "2026-12-03") | "\(.opt_ins) \(.opt_outs)"')" "0 2" \
    "the STOP at 23:45 India time counts on 3 December"
is "$(j '.days[] | select(.date == "2026-12-04") | "\(.opt_ins) \(.opt_outs)"')" "602 400" \
    "... the START at 00:15 on the 4th, with the API's"
is "$(j '.time_zone + " " + .from + " " + .to')" "Asia/Kolkata 2026-11-29 2026-12-05" "... the zone and the period named"
http GET "/contacts/subscriptions/analytics?days=7" -b "$jar"
like "$HTTP_BODY" '<svg role="img" aria-labelledby="sa-chart-t sa-chart-d"' "the page draws the chart as an image with its title"
like "$HTTP_BODY" '<desc id="sa-chart-d">Opt-ins: 602\. Opt-outs: 402\. Net growth: 200\.' "... and a text summary"
like "$HTTP_BODY" '<rect class="sa-chart__in" x="[0-9.]*" y="[0-9.]*" width="[0-9.]*" height="[0-9.]*"><title>2026-12-04: Opt-ins 602</title>' \
    "... a bar per day with its figure"
like "$HTTP_BODY" '<polyline class="sa-chart__net" points="[0-9., ]*"/>' "... the net as a line of numbers"
like "$HTTP_BODY" '<caption>The figures per day, 2026-11-29 to 2026-12-05 \(Asia/Kolkata\)</caption>' "... the table's caption"
like "$HTTP_BODY" '<th scope="row">Keywords \(STOP\)</th><td class="num">2</td><td class="num">0,5 %|<th scope="row">Keywords \(STOP\)</th><td class="num">2</td><td class="num">0.5 %' \
    "... the sources with their share"
unlike "$HTTP_BODY" 'id="sa-empty"' "... no empty state"

# The customer moves to New York (UTC-5): the same log, other days.
sql "UPDATE users SET time_zone = 'America/New_York' WHERE id = 1" >/dev/null
check_all "New York"
api GET "/api/v1/subscriptions/analytics?days=7" "$KR"
is "$(j '.days[] | select(.date == "2026-12-03") | "\(.opt_ins) \(.opt_outs)"')" "1 2" \
    "in New York both keywords fall on 3 December"

# --- bad periods: 400 with the reason, nothing else ---
for d in 0 1 31 365 -7 7.0 abc "7%20OR%201=1" "%3Cscript%3E" ""; do
	api GET "/api/v1/subscriptions/analytics?days=$d" "$KR"
	is "$HTTP_STATUS $(j .type)" "400 /docs/api#problem-bad-request" "API days=$d: 400 bad-request"
	is "$(j '.errors[0].field + ": " + .detail')" "days: days must be 7, 30 or 90." "... naming the parameter"
	http GET "/contacts/subscriptions/analytics?days=$d" -b "$jar"
	is "$HTTP_STATUS" 400 "page days=$d: 400"
	like "$HTTP_BODY" 'role="alert">The period must be 7, 30 or 90 days\.<' "... saying why"
	unlike "$HTTP_BODY" '<svg|sa-total-in|&lt;script|<script>' "... and showing no figures or input"
done
api GET "/api/v1/subscriptions/analytics" "$KR"
is "$HTTP_STATUS $(j '.days | length')" "200 30" "no days: the last 30"
http GET "/contacts/subscriptions/analytics" -b "$jar"
like "$HTTP_BODY" 'href="/contacts/subscriptions/analytics\?days=30" aria-current="page"' "the page too, 30 marked current"

# --- scopes, keys, sessions ---
api GET "/api/v1/subscriptions/analytics?days=7" "$KM"
is "$HTTP_STATUS $(j .type)" "403 /docs/api#problem-scope-missing" "a key without contacts:read: 403"
api GET "/api/v1/subscriptions/analytics?days=7" "wa_live_notakey"
is "$HTTP_STATUS" 401 "a wrong key: 401"
http GET "/contacts/subscriptions/analytics?days=7"
is "$HTTP_STATUS $(header Location)" "303 /login?next=%2Fcontacts%2Fsubscriptions%2Fanalytics" "signed out: to the sign-in"

# --- another customer: their own figures; one without changes: the empty state ---
api GET "/api/v1/subscriptions/analytics?days=90" "$K3"
is "$HTTP_STATUS $(j '"\(.totals.opt_ins) \(.totals.opt_outs) \(.opt_out_sources | length)"')" "200 0 0 0" \
    "customer 3's API: nothing of customer 1's or 2's"
is "$(j '[.days[] | select(.opt_ins + .opt_outs > 0)] | length')" 0 "... on any day"
http GET "/contacts/subscriptions/analytics?days=90" -b "$jar3"
is "$HTTP_STATUS" 200 "customer 3's page: 200"
like "$HTTP_BODY" 'id="sa-empty"' "... the empty state"
like "$HTTP_BODY" 'No subscription changes in this period\.' "... in words"
unlike "$HTTP_BODY" '<svg|<table' "... no chart or table"
is "$(page_totals)" "0 0 0" "... totals of zero"
http GET "/contacts/subscriptions/analytics?days=90" -b "$jar"
is "$(page_totals)" "$(expect_totals 1 90)" "customer 1's page counts only their own log (customer 2 has 301 opt-outs)"

# --- the slots stay exact: parallel bulk statements, and the whole table ---
pids=
for p in 1 2 3 4; do
	sql "INSERT INTO contact_consents (customer_id, phone, status, source, at)
	     SELECT 1 + (i % 2), '+62816' || ($p * 100000 + i), CASE WHEN i % 3 = 0 THEN 'subscribed' ELSE 'unsubscribed' END,
	         'import', wa_now() - (i % 7) * interval '1 hour' FROM generate_series(1, 3000) i" >/dev/null &
	pids="$pids $!"
done
wait $pids
slots_diff() {
	local log="SELECT customer_id, wa_consent_slot(at), count(*) FILTER (WHERE status = 'subscribed'),
	     count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'keyword'),
	     count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'import'),
	     count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'api'),
	     count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'portal'),
	     count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'double_opt_in'),
	     count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'complaint')
	     FROM contact_consents WHERE status <> 'unknown' GROUP BY 1, 2"
	local slots="SELECT customer_id, slot, ins, out_keyword, out_import, out_api, out_portal,
	     out_double_opt_in, out_complaint FROM consent_slots"
	sql "SELECT count(*) FROM (($log) EXCEPT ($slots)) a"
	sql "SELECT count(*) FROM (($slots) EXCEPT ($log)) a"
}
is "$(slots_diff | paste -sd' ')" "0 0" "four parallel statements of 3,000 consents: the slots equal a count(*) over the log"
is "$(sql "SELECT count(*) FROM contact_consents")" 18305 "... which holds every entry"
check_all "After the bulk"
# A deletion takes entries out (a retention; the log refuses updates).
sql "DELETE FROM contact_consents WHERE phone LIKE '+62816%' AND customer_id = 2" >/dev/null
is "$(slots_diff | paste -sd' ')" "0 0" "a deletion of 6,000 entries: still equal"
is "$(sql "SELECT count(*) FROM consent_slots WHERE ins + out_keyword + out_import + out_api + out_portal
     + out_double_opt_in + out_complaint = 0")" 0 "... slots emptied are removed"

# The links to the page.
http GET /contacts/subscriptions -b "$jar"
like "$HTTP_BODY" 'href="/contacts/subscriptions/analytics"' "the keywords page links to the analytics"
http GET /contacts -b "$jar"
like "$HTTP_BODY" 'href="/contacts/subscriptions/analytics"' "... and so does the Contacts page"

done_testing
