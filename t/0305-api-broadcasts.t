#!/bin/sh
# 0305-api-broadcasts.t: /api/v1/broadcasts on the real stack: the dry run (the audience's size and the month's quota, nothing stored), create and start (the draft, its sources and the acknowledgement stored, the job queued), every bad body refused with its field and nothing stored, another customer's list, tag, template or number refused, the scopes broadcasts:read and broadcasts:write, get with its figures, the list and the recipients by cursor, pause, resume, cancel (409 when the state does not allow it), another customer's broadcast a 404.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

command -v jq >/dev/null || skip_all "jq is missing (./dev test installs it)"
[ -x "${top_builddir:?}/t/apikeygen" ] || skip_all "t/apikeygen not built"
stack_start --workers 1 --clock '2030-03-04 10:00:00+00'
stack_customers 5 100 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo >/dev/null
sql "UPDATE packages SET api_rpm = 1000, max_contacts = 10000, max_api_keys = 10;
     INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
         (1, 1, 'wa_a', 'Sales', 'connected', '+6281111111111'),
         (1, 1, 'wa_b', 'Down', 'disconnected', '+6281111111112'),
         (2, 1, 'wa_c', 'Theirs', 'connected', '+6282222222222');
     INSERT INTO tags (customer_id, name) VALUES (1, 'vip'), (2, 'theirs');
     INSERT INTO contacts (customer_id, phone, name, status, tags)
         SELECT 1, '+62813' || lpad(g::text, 7, '0'), 'N' || g,
             (ARRAY['subscribed', 'unsubscribed', 'unknown'])[g % 3 + 1],
             CASE WHEN g % 2 = 0 THEN ARRAY(SELECT id FROM tags WHERE customer_id = 1) ELSE '{}' END
         FROM generate_series(1, 60) g;
     INSERT INTO contact_groups (customer_id, name, kind) VALUES (1, 'VIP', 'list'), (2, 'Theirs', 'list')" >/dev/null ||
    bail_out "seeding failed"
sql "SELECT wa_group_add(1, 1, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 AND id <= 30));
     SELECT tpl_id FROM wa_template_save(1, NULL, 'Hello', 'Hi {{first_name}}');
     SELECT tpl_id FROM wa_template_save(2, NULL, 'Theirs', 'Yo')" >/dev/null || bail_out "seeding failed"
ia=$(sql "SELECT id FROM instances WHERE session = 'wa_a'")
idown=$(sql "SELECT id FROM instances WHERE session = 'wa_b'")
ic=$(sql "SELECT id FROM instances WHERE session = 'wa_c'")
t1=$(sql "SELECT id FROM templates WHERE customer_id = 1")
t2=$(sql "SELECT id FROM templates WHERE customer_id = 2")
vip=$(sql "SELECT id FROM tags WHERE customer_id = 1")
tag2=$(sql "SELECT id FROM tags WHERE customer_id = 2")

read -r KW _ < <(newkey 1 '{broadcasts:read,broadcasts:write}')
read -r KR _ < <(newkey 1 '{broadcasts:read}')
read -r KC _ < <(newkey 1 '{contacts:read,contacts:write}')
read -r K2 _ < <(newkey 2 '{broadcasts:read,broadcasts:write}')
[ -n "$KW" ] && [ -n "$K2" ] || bail_out "no key"
post() { api POST /api/v1/broadcasts "$1" -H 'Content-Type: application/json' --data-binary "$2"; }
j() { jq -r "$1" <<<"$HTTP_BODY"; }
count() { sql "SELECT (SELECT count(*) FROM broadcasts) || '/' || (SELECT count(*) FROM broadcast_sources) || '/' || (SELECT count(*) FROM jobs WHERE kind = 'broadcast')"; }
aud="[{\"kind\":\"list\",\"id\":1},{\"kind\":\"tag\",\"id\":$vip}]"
good="\"name\":\"Spring\",\"audience\":$aud,\"template_id\":$t1,\"instance_ids\":[$ia]"

# --- the dry run ---
# The list (contacts 1..30) and the tag (the evens): 1..30 and the evens
# to 60: 45 contacts, 15 of each status.
post "$KW" "{$good,\"dry_run\":true}"
is "$HTTP_STATUS" 200 "dry run: 200"
is "$(j '[.dry_run, .audience, .quota.used, .quota.limit, .quota.left, .fits] | map(tostring) | join(" ")')" \
    "true 15 0 100 100 true" "... 15 subscribed contacts, 100 messages left: it fits"
post "$KW" "{$good,\"dry_run\":true,\"include_unknown\":true,\"unknown_acknowledged\":true}"
is "$(j .audience)" 30 "... with unknown contacts acknowledged: 30"
sql "UPDATE packages SET max_messages_month = 20" >/dev/null
post "$KW" "{$good,\"dry_run\":true,\"include_unknown\":true,\"unknown_acknowledged\":true}"
is "$(j '[.quota.left, .fits] | map(tostring) | join(" ")')" "20 false" "a quota of 20: it does not fit"
sql "UPDATE packages SET max_messages_month = 100" >/dev/null
is "$(count)" "0/0/0" "... nothing stored by a dry run"

# --- bad bodies, nothing stored ---
bad() {
	post "$KW" "$1"
	is "$HTTP_STATUS $(j .type)" "422 /docs/api#problem-validation-failed" "$2: 422"
	like "$(j '[.errors[].field] | join(",")')" "$3" "... naming $3"
}
bad 'not json' "not JSON" body
bad '[]' "an array" body
bad "{\"audience\":$aud,\"template_id\":$t1,\"instance_ids\":[$ia]}" "no name" name
bad "{\"name\":\"\",\"audience\":$aud,\"template_id\":$t1,\"instance_ids\":[$ia]}" "an empty name" name
bad "{\"name\":\"$(printf 'x%.0s' $(seq 101))\",\"audience\":$aud,\"template_id\":$t1,\"instance_ids\":[$ia]}" "101 characters" name
bad "{\"name\":\"A\",\"audience\":[],\"template_id\":$t1,\"instance_ids\":[$ia]}" "an empty audience" audience
bad "{\"name\":\"A\",\"audience\":[{\"kind\":\"everyone\"}],\"template_id\":$t1,\"instance_ids\":[$ia]}" "an unknown kind" audience
bad "{\"name\":\"A\",\"audience\":[{\"kind\":\"list\"}],\"template_id\":$t1,\"instance_ids\":[$ia]}" "a list without its id" audience
bad "{\"name\":\"A\",\"audience\":[{\"kind\":\"list\",\"id\":\"1 OR 1=1\"}],\"template_id\":$t1,\"instance_ids\":[$ia]}" "SQL as an id" audience
src21=$(for i in $(seq 1 21); do printf '{"kind":"subscribers"},'; done)
bad "{\"name\":\"A\",\"audience\":[${src21%,}],\"template_id\":$t1,\"instance_ids\":[$ia]}" "21 sources" audience
bad "{\"name\":\"A\",\"audience\":$aud,\"instance_ids\":[$ia]}" "no template" template_id
bad "{\"name\":\"A\",\"audience\":$aud,\"template_id\":$t1,\"instance_ids\":[]}" "no number" instance_ids
bad "{\"name\":\"A\",\"audience\":$aud,\"template_id\":$t1,\"instance_ids\":[$ia],\"include_unknown\":true}" \
    "unknown contacts without the acknowledgement" unknown_acknowledged
bad "{$good,\"start_at\":\"tomorrow\"}" "a start that is no time" start_at
bad "{$good,\"precheck\":\"yes\"}" "a pre-check that is no boolean" precheck
bad "{$good,\"missing\":\"drop\"}" "an unknown policy" missing
bad "{$good,\"colour\":\"red\"}" "an unknown field" colour
bad "{\"name\":\"A\",\"audience\":[{\"kind\":\"list\",\"id\":2}],\"template_id\":$t1,\"instance_ids\":[$ia]}" "another customer's list" audience
bad "{\"name\":\"A\",\"audience\":[{\"kind\":\"tag\",\"id\":$tag2}],\"template_id\":$t1,\"instance_ids\":[$ia]}" "another customer's tag" audience
bad "{\"name\":\"A\",\"audience\":[{\"kind\":\"segment\",\"id\":1}],\"template_id\":$t1,\"instance_ids\":[$ia]}" "a list as a segment" audience
bad "{\"name\":\"A\",\"audience\":$aud,\"template_id\":$t2,\"instance_ids\":[$ia]}" "another customer's template" template_id
bad "{\"name\":\"A\",\"audience\":$aud,\"template_id\":$t1,\"instance_ids\":[$ic]}" "another customer's number" instance_ids
bad "{\"name\":\"A\",\"audience\":$aud,\"template_id\":$t1,\"instance_ids\":[$idown]}" "a disconnected number" instance_ids
post "$KW" "{$good,\"name\":\"$(head -c 17000 /dev/zero | tr '\0' a)\"}"
is "$HTTP_STATUS" 413 "a body over 16 KiB: 413"
post "$KR" "{$good}"
is "$HTTP_STATUS $(j .type)" "403 /docs/api#problem-scope-missing" "broadcasts:read only: 403"
post "$KC" "{$good,\"dry_run\":true}"
is "$HTTP_STATUS $(j .type)" "403 /docs/api#problem-scope-missing" "contacts scopes only: 403"
is "$(count)" "0/0/0" "... nothing stored by any of them"

# --- create and start ---
post "$KW" "{\"name\":\"Spring <b>\",\"audience\":$aud,\"template_id\":$t1,\"instance_ids\":[$ia,$ia],\"include_unknown\":true,\"unknown_acknowledged\":true,\"start_at\":\"2030-03-05T08:00:00+07:00\",\"missing\":\"skip\",\"precheck\":true}"
is "$HTTP_STATUS" 201 "create: 201"
B=$(j .id)
is "$(header Location)" "/api/v1/broadcasts/$B" "... with its Location"
is "$(j '[.name, .state, .missing, .start_at, .include_unknown, (.instance_ids | length), (.audience | length)] | map(tostring) | join(" ")')" \
    "Spring <b> resolving skip 2030-03-05T01:00:00Z true 1 2" "... resolving, as asked (the number once)"
is "$(count)" "1/2/1" "... the broadcast, its sources and its job stored"
is "$(sql "SELECT unknown_ack_by || ' ' || (unknown_ack_at IS NOT NULL) FROM broadcasts WHERE id = $B")" "1 true" \
    "... the acknowledgement recorded"
is "$(sql "SELECT precheck FROM broadcasts WHERE id = $B") $(j .precheck)" "t true" "... the pre-check asked, and answered back"

# --- read ---
api GET "/api/v1/broadcasts/$B" "$KR"
is "$HTTP_STATUS $(j .id)" "200 $B" "get: 200 with broadcasts:read"
is "$(j '.statistics | [.recipients, .skipped, .queued] | map(tostring) | join(" ")')" "0 0 0" "... its figures"
api GET "/api/v1/broadcasts/$B" "$K2"
is "$HTTP_STATUS" 404 "another customer's: 404"
api GET "/api/v1/broadcasts/$B" "$KC"
is "$HTTP_STATUS" 403 "without broadcasts:read: 403"
post "$KW" "{$good}"
post "$KW" "{$good}"
api GET "/api/v1/broadcasts?limit=2" "$KR"
is "$HTTP_STATUS $(j '.data | length')" "200 2" "the list: a page of 2"
next=$(j .next_cursor)
api GET "/api/v1/broadcasts?limit=2&cursor=$next" "$KR"
is "$(j '.data | length') $(j .next_cursor)" "1 null" "... then the last one"
api GET "/api/v1/broadcasts?limit=0" "$KR"
is "$HTTP_STATUS" 422 "limit 0: 422"
api GET "/api/v1/broadcasts" "$K2"
is "$(j '.data | length')" 0 "another customer sees none"

# --- pause and resume while checking (sql/0036) ---
sql "UPDATE broadcasts SET state = 'checking', precheck = true WHERE id = $B;
     INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, instance_id, status, check_due)
     SELECT $B, c.id, c.phone, $ia, 'pending', wa_now() FROM contacts c WHERE c.customer_id = 1 ORDER BY c.id LIMIT 1" >/dev/null || bail_out "checking"
api POST "/api/v1/broadcasts/$B/pause" "$K2"
is "$HTTP_STATUS $(sql "SELECT state FROM broadcasts WHERE id = $B")" "404 checking" "another customer's pause while checking: 404, nothing changed"
api POST "/api/v1/broadcasts/$B/resume" "$KW"
is "$HTTP_STATUS" 409 "resume a checking one: 409"
api POST "/api/v1/broadcasts/$B/pause" "$KW"
is "$HTTP_STATUS $(j .state)" "200 paused" "pause while checking: 200, paused"
api POST "/api/v1/broadcasts/$B/resume" "$KW"
is "$HTTP_STATUS $(j .state)" "200 checking" "resume: 200, checking again (a number left to ask)"
sql "UPDATE broadcasts SET state = 'paused', pause_code = 'number_down', pause_args = '{+6281100001}',
     pause_reason = 'Paused: number +6281100001 disconnected' WHERE id = $B" >/dev/null
api GET "/api/v1/broadcasts/$B" "$KR"
is "$(j '[.pause_reason, .pause_code, (.pause_args | join(",")), .fail_code, (.fail_args | length)] | map(tostring) | join(" / ")')" \
    "Paused: number +6281100001 disconnected / number_down / +6281100001 /  / 0" "a brake's pause: the English, its code and figures (sql/0036)"
sql "DELETE FROM broadcast_recipients WHERE broadcast_id = $B;
     UPDATE broadcasts SET state = 'resolving', precheck = false WHERE id = $B" >/dev/null

# --- recipients, pause, resume, cancel ---
sql "INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, instance_id, status, reason)
     SELECT $B, c.id, c.phone, $ia, CASE WHEN c.status = 'unsubscribed' THEN 'skipped' ELSE 'pending' END,
         CASE WHEN c.status = 'unsubscribed' THEN 'unsubscribed' ELSE '' END
     FROM contacts c WHERE c.customer_id = 1 AND c.id <= 30;
     WITH m AS (INSERT INTO messages (customer_id, instance_id, direction, status, source, peer, peer_phone, body, broadcast_id)
         SELECT 1, $ia, 'out', 'queued', 'broadcast', phone, phone, 'Hi', $B FROM broadcast_recipients
         WHERE broadcast_id = $B AND status = 'pending' RETURNING id, peer_phone)
     UPDATE broadcast_recipients r SET status = 'queued', message_id = m.id FROM m
         WHERE r.broadcast_id = $B AND r.phone = m.peer_phone;
     UPDATE broadcasts SET state = 'sending', recipients = 20, skipped = 10, queued = 20, reserved = 20,
         template_version = 1, template_body = 'Hi' WHERE id = $B" >/dev/null || bail_out "queueing"
api GET "/api/v1/broadcasts/$B/recipients?limit=25" "$KR"
is "$HTTP_STATUS $(j '.data | length')" "200 25" "recipients: a page of 25"
is "$(j '[.data[] | select(.status == "skipped")][0] | [.reason, .message_status] | map(tostring) | join(" ")')" \
    "unsubscribed null" "... a skipped one with its reason"
is "$(j '[.data[] | select(.status == "queued")][0].message_status')" queued "... a queued one with its message's status"
api GET "/api/v1/broadcasts/$B/recipients?limit=25&cursor=$(j .next_cursor)" "$KR"
is "$(j '.data | length') $(j .next_cursor)" "5 null" "... then the last 5"
api GET "/api/v1/broadcasts/$B/recipients" "$K2"
is "$HTTP_STATUS" 404 "another customer's recipients: 404"
for a in pause resume cancel; do
	api POST "/api/v1/broadcasts/$B/$a" "$K2"
	is "$HTTP_STATUS" 404 "another customer's $a: 404"
	api POST "/api/v1/broadcasts/$B/$a" "$KR"
	is "$HTTP_STATUS" 403 "$a with broadcasts:read only: 403"
done
is "$(sql "SELECT state FROM broadcasts WHERE id = $B")" sending "... changing nothing"
api POST "/api/v1/broadcasts/$B/resume" "$KW"
is "$HTTP_STATUS $(j .type)" "409 /docs/api#problem-broadcast-state" "resume a sending one: 409"
api POST "/api/v1/broadcasts/$B/pause" "$KW"
is "$HTTP_STATUS $(j .state)" "200 paused" "pause: 200, paused"
api POST "/api/v1/broadcasts/$B/pause" "$KW"
is "$HTTP_STATUS" 409 "pause a paused one: 409"
api POST "/api/v1/broadcasts/$B/resume" "$KW"
is "$HTTP_STATUS $(j .state)" "200 sending" "resume: 200, sending"
api POST "/api/v1/broadcasts/$B/cancel" "$KW"
is "$HTTP_STATUS $(j .state)" "200 cancelled" "cancel: 200, cancelled"
is "$(j '.statistics | [.queued, .sent, .cancelled] | map(tostring) | join(" ")')" "20 0 20" "... its figures: 20 cancelled (the counters of sql/0029)"
is "$(sql "SELECT count(*) FROM messages WHERE broadcast_id = $B AND status = 'cancelled'")" 20 "... its messages cancelled"
api POST "/api/v1/broadcasts/$B/cancel" "$KW"
is "$HTTP_STATUS" 409 "cancel a cancelled one: 409"
api POST "/api/v1/broadcasts/999999/cancel" "$KW"
is "$HTTP_STATUS" 404 "no such broadcast: 404"

# --- the limit of 1,000 ---
sql "INSERT INTO broadcasts (customer_id, name) SELECT 1, 'B' || g FROM generate_series(1, 997) g" >/dev/null
post "$KW" "{$good}"
is "$HTTP_STATUS $(j .type)" "409 /docs/api#problem-broadcast-limit" "the 1,001st: 409"
is "$(sql "SELECT count(*) FROM broadcasts WHERE customer_id = 1")" 1000 "... nothing stored"

done_testing
