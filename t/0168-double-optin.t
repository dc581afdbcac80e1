#!/bin/sh
# 0168-double-optin.t: double opt-in lists on the real stack with the simulator: a new member is pending (not a member, not in the list's contacts) and gets exactly one confirmation through the first connected number, never an unsubscribed one; "yes" confirms, subscribes and logs one double_opt_in entry, a redelivery changes nothing; resend per contact and in bulk with its 24-hour cap; 7 days later (pinned clock) pending expires; the counters against count(*); the texts and preview of the Settings page; another customer's list and contact 404; bad inputs refused.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
[ -x "${top_builddir:?}/t/apikeygen" ] || skip_all "t/apikeygen not built"
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=1 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0 WAPORTAL_SEND_HOURLY_CAP=0
    WAPORTAL_SEND_TIMEOUT_MS=2000 WAPORTAL_SEND_LEASE=10"
stack_start --workers 1 --dispatch --clock '2030-03-04 10:00:00+00'
CTL=$STACK_BIN/waportalctl
KEY=optin-test-key
stack_gwsim_start "$KEY" -d 50 || bail_out "simulator did not start"
simlog() { curl -s "$GWSIM_URL/_sim/log"; }
simctl() { curl -s -X POST -H 'Content-Type: application/json' --data-binary "$2" "$GWSIM_URL/_sim/$1"; }

stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 1000, api_rpm = 1000" >/dev/null
ctl_in "$KEY" host add --name sim --url "$GWSIM_URL" --capacity 10 --api-key-stdin
is "$RC" 0 "a host on the simulator" || bail_out "$ERR"
SECRET=$(sed -n 's/^webhook secret: //p' <<<"$OUT")
HOST=$(head -n 1 <<<"$OUT")
sql "INSERT INTO instances (customer_id, host_id, session, name) VALUES (1, $HOST, 'wa1', 'wa1')" >/dev/null
I1=$(sql "SELECT id FROM instances WHERE session = 'wa1'")
hook=$(jq -nc --arg u "$BASE_URL/hooks/waha/sim" --arg k "$SECRET" \
    '{webhooks: [{url: $u, events: ["session.status", "message", "message.ack"], hmac: {key: $k}}]}')
simctl sessions "{\"prefix\":\"wa\",\"count\":1,\"config\":$hook}" >/dev/null
connected() { [ "$(sql "SELECT status FROM instances WHERE id = $I1")" = connected ]; }
wait_for 10 connected
ok $? "the simulator's session connects wa1" || bail_out "no session"

# Customer 1: five contacts, the third unsubscribed; customer 2: one.
sql "INSERT INTO contacts (customer_id, phone, name, status) SELECT 1, '+6281100000' || g, 'P' || g,
         CASE g WHEN 3 THEN 'unsubscribed' ELSE 'unknown' END FROM generate_series(1, 5) g;
     INSERT INTO contacts (customer_id, phone, name) VALUES (2, '+6281200000001', 'Other')" >/dev/null
cid() { sql "SELECT id FROM contacts WHERE phone = '+6281100000$1'"; }
C1=$(cid 1) C2=$(cid 2) C3=$(cid 3) C4=$(cid 4) C5=$(cid 5)
CO=$(sql "SELECT id FROM contacts WHERE customer_id = 2")
read -r K1 _ < <(newkey 1 '{contacts:read,contacts:write}')
read -r K2 _ < <(newkey 2 '{contacts:read,contacts:write}')

jar=$STACK_DIR/jar jar2=$STACK_DIR/jar2
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
# login: both customers sign in (again after the clock moved past the
# sessions' idle time).
login() {
	http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
	http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$STACK_PW"
	http GET /contacts/groups -b "$jar"; csrf=$(csrf_of)
	http GET /contacts/groups -b "$jar2"; csrf2=$(csrf_of)
}
login

# exact GROUP: "members pending" kept and counted, "ok" when equal.
exact() {
	local kept counted
	kept=$(sql "SELECT members || ' ' || subscribed || ' ' || pending FROM contact_groups WHERE id = $1")
	counted=$(sql "SELECT (SELECT count(*) FROM contact_group_members WHERE group_id = $1) || ' ' ||
	    (SELECT count(*) FROM contact_group_members WHERE group_id = $1 AND status = 'subscribed') || ' ' ||
	    (SELECT count(*) FROM contact_group_pending WHERE group_id = $1)")
	[ "$kept" = "$counted" ] && echo "ok $kept" || echo "kept $kept, counted $counted"
}
# sends N: the simulator's sendText calls to contact N; asks: confirmations among them.
sends() { simlog | jq --arg c "6281100000$1@c.us" '[.[] | select(.path == "/api/sendText" and .chatId == $c)] | length'; }
asks() { simlog | jq --arg c "6281100000$1@c.us" '[.[] | select(.path == "/api/sendText" and .chatId == $c and (.text | test("Reply YES")))] | length'; }
lasttext() { simlog | jq -r --arg c "6281100000$1@c.us" '[.[] | select(.path == "/api/sendText" and .chatId == $c)] | last | .text'; }
sent_at_least() { [ "$(sends "$1")" -ge "$2" ]; }
optins() { sql "SELECT count(*) FROM messages WHERE customer_id = 1 AND source = 'optin'"; }
idle() { [ "$(sql "SELECT count(*) FROM messages WHERE direction = 'out' AND status IN ('queued', 'sending')")" = 0 ]; }

# ---------------------------------------------------------------- a confirming list
http POST /contacts/groups -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode 'name=News' -d kind=list -d confirm=1
is "$HTTP_STATUS" 303 "a list that requires confirmation: 303"
gid=$(header Location); gid=${gid##*/}
is "$(sql "SELECT confirm FROM contact_groups WHERE id = $gid")" t "... stored with confirm"
http POST /contacts/groups -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode 'name=Seg' -d kind=segment \
    --data-urlencode 'filter=status=subscribed' -d confirm=1
is "$HTTP_STATUS $(sql "SELECT confirm FROM contact_groups WHERE name = 'Seg'")" "303 f" "a segment never requires confirmation"
http GET "/contacts/groups/$gid" -b "$jar"
like "$HTTP_BODY" 'name="confirm" value="1"[^>]* checked' "the group form shows the setting"
like "$HTTP_BODY" 'id="gr-pending">0<' "... and the pending counter"

add() { api POST "/api/v1/contact-groups/$1/members" "$2" -H 'Content-Type: application/json' --data-binary "$3"; }
add "$gid" "$K1" "{\"contact_ids\":[$C1,$C2,$C3]}"
is "$HTTP_STATUS $(jq -c . <<<"$HTTP_BODY")" "200 {\"id\":$gid,\"added\":3}" "three added through the API"
is "$(exact "$gid")" "ok 0 0 3" "... all three pending, none a member (counters exact)"
wait_for 10 sent_at_least 2 1 && wait_for 10 idle
is "$(sends 1) $(sends 2) $(sends 3)" "1 1 0" "... one confirmation each through the simulator, none to the unsubscribed one"
is "$(lasttext 1)" 'You were added to our list "News". Reply YES to confirm that you want our messages.' "... the default text, with the list's name"
is "$(sql "SELECT string_agg(coalesce(message_id::text, '-') || ':' || sends, ' ' ORDER BY contact_id) FROM contact_group_pending WHERE group_id = $gid" | sed 's/[0-9]*:/m:/; s/ [0-9]*:/ m:/')" "m:1 m:1 -:0" \
    "... each recorded on its pending membership, not the unsubscribed one's"
add "$gid" "$K1" "{\"contact_ids\":[$C1,$C2,$C3]}"
is "$(jq -r .added <<<"$HTTP_BODY") $(optins)" "0 2" "added again: nobody added, nothing sent again"
api GET "/api/v1/contacts?group=$gid" "$K1"
is "$(jq '.data | length' <<<"$HTTP_BODY")" 0 "pending members are not among the list's contacts (no send reaches them)"
api GET "/api/v1/contact-groups/$gid" "$K1"
is "$(jq -c '[.confirm, .members, .pending, .expired]' <<<"$HTTP_BODY")" '[true,0,3,0]' "the API's group: confirm, members, pending, expired"
api GET "/api/v1/contact-groups/$gid/members?state=pending&limit=2" "$K1"
is "$(jq -c '[.data[] | [.id, .state, .status, (.asked_at != null)]]' <<<"$HTTP_BODY")" "[[$C1,\"pending\",\"unknown\",true],[$C2,\"pending\",\"unknown\",true]]" \
    "the API lists the pending members apart (state=pending)"
api GET "/api/v1/contact-groups/$gid/members?state=pending&cursor=$(jq -r .next_cursor <<<"$HTTP_BODY")" "$K1"
is "$(jq -c '[.data[] | [.id, .status, .asked_at]]' <<<"$HTTP_BODY")" "[[$C3,\"unsubscribed\",null]]" "... with a cursor: the unsubscribed one, never asked"
api GET "/api/v1/contact-groups/$gid/members?state=all" "$K1"
is "$HTTP_STATUS" 422 "... a state that is none: 422"
http GET "/contacts/groups/$gid/pending" -b "$jar"
is "$HTTP_STATUS" 200 "the pending page: 200"
like "$HTTP_BODY" "id=\"go-$C3\".*unsubscribed: never messaged" "... the unsubscribed contact is never messaged, and says so"
unlike "$HTTP_BODY" 'id="go-no-number"' "... a number is connected"

# ---------------------------------------------------------------- YES confirms
stored() { [ "$(sql "SELECT count(*) FROM messages WHERE gateway_id = '$1'")" = 1 ]; }
say() {
	local id
	id=$(simctl sessions/wa1/inbound "$(jq -nc --arg f "$1" --arg t "$2" --argjson n "${3:-1}" \
	    '{from: $f, text: $t, deliveries: $n}')" | jq -r .id)
	wait_for 10 stored "$id"
}
logged() { sql "SELECT count(*) FROM contact_consents WHERE phone = '+6281100000$1' AND source = 'double_opt_in' AND instance_id = $I1 AND message_id IS NOT NULL"; }
state() { sql "SELECT status FROM contacts WHERE phone = '+6281100000$1'"; }
say 62811000001 yes
is "$(state 1) $(logged 1)" "subscribed 1" "\"yes\" from the first: subscribed, one double_opt_in consent entry"
is "$(exact "$gid")" "ok 1 1 2" "... a subscribed member now, two pending (exact)"
wait_for 10 sent_at_least 1 2
is "$(sends 1) $(lasttext 1)" "2 $(sql "SELECT wa_keyword_default('in', 'en')")" "... and one reply"
is "$(sql "SELECT count(*) FROM contact_consents WHERE phone = '+62811000001'")" 1 "... the only consent entry"
say 62811000002 ' YES ' 2
wait_for 10 sent_at_least 2 2 && wait_for 10 idle
is "$(state 2) $(logged 2) $(sends 2)" "subscribed 1 2" "a YES delivered twice: one entry, one reply"
is "$(exact "$gid")" "ok 2 2 1" "... confirmed once (exact)"
say 62811000001 yes
is "$(exact "$gid") $(logged 1)" "ok 2 2 1 1" "a second yes of a confirmed contact confirms nothing more"

# ---------------------------------------------------------------- resend and its cap
http GET "/contacts/groups/$gid/pending" -b "$jar"
add "$gid" "$K1" "{\"contact_ids\":[$C4]}"
wait_for 10 sent_at_least 4 1
http GET "/contacts/$C4" -b "$jar"
like "$HTTP_BODY" "<a href=\"/contacts/groups/$gid/pending\">News</a></th><td>2030-03-0" "the contact's page lists the list waiting for its confirmation"
like "$HTTP_BODY" '<td>sent in the last 24 hours</td>' "... asked today: no resend offered"
resend() { http POST "/contacts/groups/$gid/pending/resend" -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" "$@"; }
resend -d "contact=$C4"
is "$HTTP_STATUS $(sql "SELECT sends FROM contact_group_pending WHERE contact_id = $C4")" "303 1" "a resend within 24 hours of the first: nothing sent"
http GET "/contacts/groups/$gid/pending" -b "$jar"
like "$HTTP_BODY" 'Nothing was sent: this contact had a confirmation in the last 24 hours' "... and the page says why"
resend -d "contact=$C3"
is "$HTTP_STATUS $(sql "SELECT sends FROM contact_group_pending WHERE contact_id = $C3") $(sends 3)" "303 0 0" "a resend to the unsubscribed contact: nothing sent"
stack_clock_add '25 hours'
login
http GET "/contacts/$C4" -b "$jar"
like "$HTTP_BODY" "<form method=\"post\" action=\"/contacts/groups/$gid/pending/resend\"><input type=\"hidden\" name=\"_csrf\" value=\"[^\"]+\"><input type=\"hidden\" name=\"contact\" value=\"$C4\">" \
    "a day later the contact's page offers the resend"
resend -d "contact=$C4"
is "$HTTP_STATUS $(sql "SELECT sends FROM contact_group_pending WHERE contact_id = $C4")" "303 2" "25 hours later: resent"
wait_for 10 sent_at_least 4 2
is "$(asks 4)" 2 "... a second confirmation through the simulator"
resend -d "contact=$C4"
is "$(sql "SELECT sends FROM contact_group_pending WHERE contact_id = $C4")" 2 "... a second resend the same day: capped"
http GET "/contacts/groups/$gid/pending/resend-all" -b "$jar"
is "$HTTP_STATUS" 200 "resend to all asks first: 200"
like "$HTTP_BODY" 'id="resend-count">2<' "... saying how many are pending"
is "$(optins)" 4 "... and sends nothing yet"
http POST "/contacts/groups/$gid/pending/resend-all" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS $(optins)" "303 4" "resend to all: the one asked today is capped, the unsubscribed one never asked"

# ---------------------------------------------------------------- 7 days later
is "$(sql "SELECT to_char(expires_at - timestamptz '2030-03-04 10:00:00+00', 'DD HH24') FROM contact_group_pending WHERE contact_id = $C4")" "08 01" \
    "a resend gives the pending membership 7 more days"
stack_clock_add '6 days 2 hours'
expired() { [ "$(sql "SELECT expired FROM contact_groups WHERE id = $gid")" = "$1" ]; }
wait_for 10 expired 1
is "$(exact "$gid") $(sql "SELECT expired FROM contact_groups WHERE id = $gid")" "ok 2 2 1 1" "7 days after it was added the unsubscribed one expired (counted)"
stack_clock_add '1 day'
wait_for 10 expired 2
login
is "$(exact "$gid") $(sql "SELECT expired FROM contact_groups WHERE id = $gid")" "ok 2 2 0 2" "... and the resent one 7 days after its resend"
http GET "/contacts/groups/$gid" -b "$jar"
like "$HTTP_BODY" 'id="gr-expired">2<' "the group page shows the expired count"
say 62811000004 yes
is "$(exact "$gid") $(logged 4)" "ok 2 2 0 0" "a yes after expiry confirms nothing (an ordinary opt-in)"

# ---------------------------------------------------------------- the texts
sub() { http POST /contacts/subscriptions -b "$jar" --data-urlencode "_csrf=$csrf" "$@"; }
sub -d action=preview --data-urlencode 'optin_en=Join {list}? Reply YES' --data-urlencode 'try=hi'
like "$HTTP_BODY" '<samp>Join Newsletter\? Reply YES</samp>' "the Settings page previews the confirmation text"
is "$(sql "SELECT count(*) FROM subscription_settings")" 0 "... saving nothing"
sub -d action=save --data-urlencode "optin_en=$(printf 'x%.0s' $(seq 1001))"
is "$HTTP_STATUS" 422 "a text over 1000 characters: 422"
sub -d action=save --data-urlencode 'optin_en=Join <b>{list}</b>? Reply YES' --data-urlencode 'optin_id=Gabung {list}? Balas YES'
is "$HTTP_STATUS" 303 "the texts are saved"
http POST /contacts/bulk -b "$jar" --data-urlencode "_csrf=$csrf" -d action=group_add -d "list=$gid" --data-urlencode 'filter=' -d "c.$C5=1"
is "$HTTP_STATUS $(exact "$gid")" "303 ok 2 2 1" "a contact added by the Contacts page's selection is pending"
wait_for 10 sent_at_least 5 1
is "$(lasttext 5)" 'Join <b>News</b>? Reply YES' "... and gets the customer's text (English: the customer's language)"

# ---------------------------------------------------------------- no connected number
api POST /api/v1/contact-groups "$K2" -H 'Content-Type: application/json' --data-binary '{"name":"D list","kind":"list","confirm":true}'
is "$HTTP_STATUS $(jq -c '[.confirm, .pending]' <<<"$HTTP_BODY")" "201 [true,0]" "another customer's confirming list through the API"
did=$(jq -r .id <<<"$HTTP_BODY")
add "$did" "$K2" "{\"contact_ids\":[$CO]}"
is "$(exact "$did") $(sql "SELECT count(*) FROM messages WHERE customer_id = 2")" "ok 0 0 1 0" "without a connected number: pending, nothing sent"
http GET "/contacts/groups/$did/pending" -b "$jar2"
like "$HTTP_BODY" 'id="go-no-number"' "... and its pending page says so"

# ---------------------------------------------------------------- another customer's, bad inputs
n=$(optins)
http GET "/contacts/groups/$gid/pending" -b "$jar2"
is "$HTTP_STATUS" 404 "another customer's pending page: 404"
http POST "/contacts/groups/$gid/pending/resend" -b "$jar2" --data-urlencode "_csrf=$csrf2" -d "contact=$C5"
is "$HTTP_STATUS" 404 "... its resend: 404"
http POST "/contacts/groups/$gid/pending/resend-all" -b "$jar2" --data-urlencode "_csrf=$csrf2"
is "$HTTP_STATUS" 404 "... its resend to all: 404"
resend -d "contact=$CO"
is "$HTTP_STATUS" 404 "a resend to another customer's contact: 404"
http POST "/contacts/groups/$did/pending/resend" -b "$jar" --data-urlencode "_csrf=$csrf" -d "contact=$CO"
is "$HTTP_STATUS" 404 "... to another customer's list: 404"
resend -d "contact=$C1"
is "$HTTP_STATUS" 404 "a resend to a confirmed member: 404"
for bad in abc -1 0 "1;DROP TABLE contacts" 99999999999999999999; do
	resend --data-urlencode "contact=$bad"
	[ "$HTTP_STATUS" = 400 ] || [ "$HTTP_STATUS" = 422 ] || break
done
ok $? "malformed contact ids are refused (last: $HTTP_STATUS)"
http POST "/contacts/groups/$gid/pending/resend" -b "$jar" -d "contact=$C5" --data-urlencode "_csrf=wrong"
is "$HTTP_STATUS" 403 "a wrong CSRF token: 403"
add "$gid" "$K2" "{\"contact_ids\":[$CO]}"
is "$HTTP_STATUS" 404 "the API: adding to another customer's list: 404"
is "$(optins)" "$n" "... none of them sent anything"
capi() { api POST /api/v1/contact-groups "$K1" -H 'Content-Type: application/json' --data-binary "$1"; }
capi '{"name":"S","kind":"segment","filter":"status=subscribed","confirm":true}'
is "$HTTP_STATUS $(jq -r '.errors[0].field' <<<"$HTTP_BODY")" "422 confirm" "the API: a confirming segment: 422"
capi '{"name":"S","kind":"list","confirm":"yes"}'
is "$HTTP_STATUS $(jq -r '.errors[0].field' <<<"$HTTP_BODY")" "422 confirm" "the API: confirm not a boolean: 422"
sid=$(sql "SELECT id FROM contact_groups WHERE name = 'Seg'")
api PATCH "/api/v1/contact-groups/$sid" "$K1" -H 'Content-Type: application/json' --data-binary '{"confirm":true}'
is "$HTTP_STATUS $(sql "SELECT confirm FROM contact_groups WHERE id = $sid")" "422 f" "the API: a segment patched to confirm: 422, unchanged"
api PATCH "/api/v1/contact-groups/$gid" "$K1" -H 'Content-Type: application/json' --data-binary '{"confirm":false}'
is "$HTTP_STATUS $(jq -c '[.confirm, .pending]' <<<"$HTTP_BODY")" "200 [false,1]" "the API: confirmation turned off; who is pending stays pending"
add "$gid" "$K1" "{\"contact_ids\":[$C3]}"
is "$(exact "$gid")" "ok 3 2 1" "... and a new member is a member at once"

done_testing
