#!/bin/sh
# 0171-group-analytics.t: one list's subscription analytics on the real stack, page and API: its members' opt-ins and opt-outs while members (a non-member's and a departed member's STOP not counted), joins and leaves, opt-outs by source, on the customer's days with the clock pinned; a segment 400, another customer's list 404, bad ids 400, the switches keep the list.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

command -v jq >/dev/null || skip_all "jq is missing (./dev test installs it)"
[ -x "${top_builddir:?}/t/apikeygen" ] || skip_all "t/apikeygen not built"
stack_start --workers 1 --clock '2030-05-01 03:00:00+00'
stack_customers 2 1000 c@example.com d@example.com e@example.com || bail_out "seeding failed"
stack_host demo >/dev/null
sql "UPDATE packages SET api_rpm = 1000, max_contacts = 1000;
     UPDATE users SET time_zone = 'Asia/Jakarta';
     INSERT INTO instances (customer_id, host_id, session, name, status)
         VALUES (1, 1, 'wa_1', 'Sales', 'connected');
     INSERT INTO contacts (customer_id, phone, name, status)
         SELECT 1, '+6281110000' || lpad(g::text, 2, '0'), 'C' || g, 'subscribed'
         FROM generate_series(1, 12) g;
     INSERT INTO contact_groups (customer_id, name, kind) VALUES (3, 'Theirs', 'list')" >/dev/null ||
    bail_out "seeding failed"
read -r KW _ < <(newkey 1 '{contacts:read,contacts:write}')
read -r K3 _ < <(newkey 3 '{contacts:read}')
[ -n "$KW" ] && [ -n "$K3" ] || bail_out "no key"
j() { jq -r "$1" <<<"$HTTP_BODY"; }
post() { api POST "$1" "$KW" -H 'Content-Type: application/json' --data-binary "$2"; }
cid() { sql "SELECT id FROM contacts WHERE phone = '+6281110000$1'"; }
kw() { sql "SELECT kind FROM wa_message_in(1, 'wa_1', '6281110000$1@c.us', '+6281110000$1', '$2', '$3', NULL)"; }
theirs=$(sql "SELECT id FROM contact_groups WHERE customer_id = 3")

post /api/v1/contact-groups '{"name": "Buyers <b>", "kind": "list"}'
gid=$(j .id)
post /api/v1/contact-groups '{"name": "Subscribed", "kind": "segment", "filter": "status=subscribed"}'
sid=$(j .id)
[ -n "$gid" ] && [ -n "$sid" ] || bail_out "no groups"

# --- 1 May (Jakarta): ten join; three of them and a non-member say STOP ---
post "/api/v1/contact-groups/$gid/members" "{\"contact_ids\": [$(for i in 01 02 03 04 05 06 07 08 09 10; do printf '%s,' "$(cid $i)"; done | sed 's/,$//')]}"
is "$HTTP_STATUS $(j .added)" "200 10" "ten members added"
for i in 01 02 03; do kw "$i" STOP "m$i" >/dev/null; done
is "$(kw 11 STOP m11)" out "a non-member's STOP is an opt-out of the account"
# --- 2 May: two members come back, one is unsubscribed through the API,
# two leave and one of them says STOP afterwards ---
stack_clock '2030-05-02 03:00:00+00'
kw 01 START n01 >/dev/null
kw 02 START n02 >/dev/null
kw 03 STOP n03 >/dev/null
api PATCH "/api/v1/contacts/$(cid 04)" "$KW" -H 'Content-Type: application/json' --data-binary '{"status": "unsubscribed"}'
is "$HTTP_STATUS" 200 "a member unsubscribed through the API"
post "/api/v1/contact-groups/$gid/members/remove" "{\"contact_ids\": [$(cid 05), $(cid 06)]}"
is "$HTTP_STATUS $(j .removed)" "200 2" "two members removed"
kw 05 STOP n05 >/dev/null
is "$(sql "SELECT status FROM contacts WHERE id = $(cid 05)")" unsubscribed "... one of them says STOP after leaving"

# --- the API ---
api GET "/api/v1/subscriptions/analytics?group=$gid&days=7" "$KW"
is "$HTTP_STATUS" 200 "the list's analytics: 200"
is "$(j '[.group.id, .group.name, .from, .to] | map(tostring) | join(" ")')" "$gid Buyers <b> 2030-04-26 2030-05-02" \
    "... names the list and the 7 days in the customer's zone"
is "$(j '[.days[] | select(.opt_ins + .opt_outs + .joined + .left > 0) | [.date, .opt_ins, .opt_outs, .net, .joined, .left] | map(tostring) | join(" ")] | join(",")')" \
    "2030-05-01 0 3 -3 10 0,2030-05-02 2 2 0 0 2" \
    "... each day: the members' opt-ins and opt-outs while members, joins and leaves"
is "$(j '.days | length')" 7 "... every day of the period, changes or not"
is "$(j '[.totals.opt_ins, .totals.opt_outs, .totals.net, .totals.joined, .totals.left] | map(tostring) | join(" ")')" "2 5 -3 10 2" \
    "... the totals (a repeated STOP counted again, as for the account; neither the non-member's nor the departed member's)"
is "$(j '[.opt_out_sources[] | "\(.source) \(.count)"] | join(",")')" "keyword 4,api 1" "... the opt-outs by source"
api GET "/api/v1/subscriptions/analytics?group=$gid&days=90" "$KW"
is "$(j '[(.days | length), .totals.opt_outs] | map(tostring) | join(" ")')" "90 5" "... 90 days: the same opt-outs over 90 days"
stack_clock '2030-05-09 03:00:00+00'
api GET "/api/v1/subscriptions/analytics?group=$gid&days=7" "$KW"
is "$(j '[.totals.opt_ins, .totals.opt_outs, .totals.joined] | map(tostring) | join(" ")')" "0 0 0" "a week later, the last 7 days hold none of it"
api GET "/api/v1/subscriptions/analytics?group=$gid&days=30" "$KW"
is "$(j '[.totals.opt_ins, .totals.opt_outs, .totals.joined] | map(tostring) | join(" ")')" "2 5 10" "... the last 30 days all of it"
api GET "/api/v1/subscriptions/analytics?group=$sid" "$KW"
is "$HTTP_STATUS $(j '.errors[0].field')" "400 group" "a segment: 400 naming group"
api GET "/api/v1/subscriptions/analytics?group=$theirs" "$KW"
is "$HTTP_STATUS" 404 "another customer's list: 404"
api GET "/api/v1/subscriptions/analytics?group=$gid" "$K3"
is "$HTTP_STATUS" 404 "... and this list to the other customer's key: 404"
for g in abc 0 -1 '1%20OR%201=1' 99999999999999999999; do
	api GET "/api/v1/subscriptions/analytics?group=$g" "$KW"
	is "$HTTP_STATUS $(j '.errors[0].field')" "400 group" "group=$g: 400 naming group"
done
api GET "/api/v1/subscriptions/analytics?group=$gid&days=5" "$KW"
is "$HTTP_STATUS $(j '.errors[0].field')" "400 days" "days=5 with a list: 400 naming days"

# --- the page ---
jar=$STACK_DIR/jar
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
stack_clock '2030-05-02 12:00:00+00'
http GET "/contacts/subscriptions/analytics?days=7&group=$gid" -b "$jar"
is "$HTTP_STATUS" 200 "the list's page: 200"
like "$HTTP_BODY" '<h1>Subscription analytics: Buyers &lt;b&gt;</h1>' "... titled with the list's name, escaped"
totals=$(for t in in out net joined left; do grep -o "id=\"sa-total-$t\">-\?[0-9]*<" <<<"$HTTP_BODY" | sed 's/.*>\(-\?[0-9]*\)<$/\1/'; done | paste -sd' ')
is "$totals" "2 5 -3 10 2" "... its totals, joins and leaves"
rows=$(grep -o '<tr><th scope="row"><time datetime="[0-9-]*">[0-9-]*</time></th>\(<td class="num">-\?[0-9]*</td>\)\{5\}</tr>' <<<"$HTTP_BODY" |
    sed 's/<tr><th scope="row"><time datetime="\([0-9-]*\)">.*<\/time><\/th>/\1/; s/<td class="num">/ /g; s/<[^>]*>//g' | grep -v ' 0 0 0 0 0$' | paste -sd,)
is "$rows" "2030-05-01 0 3 -3 10 0,2030-05-02 2 2 0 0 2" "... its table, day by day"
is "$(grep -o '<tr id="sa-source-[a-z_]*"><th scope="row">[^<]*</th><td class="num">[0-9]*</td><td class="num">[^<]*</td>' <<<"$HTTP_BODY" |
    sed 's/<tr id="sa-source-\([a-z_]*\)">.*<td class="num">\([0-9]*\)<\/td><td class="num">\([^<]*\)<\/td>/\1 \2 \3/' | paste -sd,)" \
    "keyword 4 80.0 %,api 1 20.0 %" "... the opt-outs by source with their shares"
like "$HTTP_BODY" "href=\"/contacts/subscriptions/analytics\\?days=30&amp;group=$gid\"" "... the period switch keeps the list"
like "$HTTP_BODY" "<option value=\"$gid\" selected>Buyers &lt;b&gt;</option>" "... the list switch marks it"
unlike "$HTTP_BODY" "<option value=\"$sid\"" "... and offers no segment"
like "$HTTP_BODY" "href=\"/contacts/groups/$gid\"" "... a link back to the list"
http GET "/contacts/subscriptions/analytics?days=7&group=" -b "$jar"
is "$HTTP_STATUS" 200 "the switch's 'All contacts' (group empty): 200"
like "$HTTP_BODY" '<h1>Subscription analytics</h1>' "... all contacts"
is "$(grep -o 'id="sa-total-out">[0-9]*<' <<<"$HTTP_BODY")" 'id="sa-total-out">7<' "... whose opt-outs include the non-member's and the departed member's"
http GET "/contacts/groups/$gid" -b "$jar"
day2=$(grep -o '<tr><th scope="row">2030-05-02</th>\(<td class="num">[0-9]*</td>\)\{5\}</tr>' <<<"$HTTP_BODY" | sed 's/<td class="num">/ /g; s/<[^>]*>//g')
is "$day2" "2030-05-02 0 2 2 2 8" "the list's page counts the day as the analytics do: joined, left, opt-ins, opt-outs, members"
like "$HTTP_BODY" "id=\"gr-analytics\" href=\"/contacts/subscriptions/analytics\\?group=$gid\"|href=\"/contacts/subscriptions/analytics\\?group=$gid\" id=\"gr-analytics\"" "the list's page links to its analytics"
http GET "/contacts/subscriptions/analytics?group=$sid" -b "$jar"
is "$HTTP_STATUS" 400 "a segment's page: 400"
like "$HTTP_BODY" "Analytics are kept for lists" "... saying why"
http GET "/contacts/subscriptions/analytics?group=$theirs" -b "$jar"
is "$HTTP_STATUS" 404 "another customer's list: 404"
unlike "$HTTP_BODY" Theirs "... its name not shown"
http GET "/contacts/subscriptions/analytics?group=%3Cscript%3E" -b "$jar"
is "$HTTP_STATUS" 400 "group=<script>: 400"
like "$HTTP_BODY" 'Choose one of your lists' "... saying why"
unlike "$HTTP_BODY" '<script>' "... nothing of it echoed raw"

done_testing
