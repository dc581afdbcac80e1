#!/bin/sh
# 0184-broadcast-quiet-forms.t: quiet hours on the new-broadcast form and the API: bad windows (one time only, not a time, equal times, hostile text; the API's wrong shapes) refused with their reason and nothing stored; a good one kept in the check page's hidden fields, stored, shown on the broadcast's page with a held recipient's wait (its local time and zone), and in the API's GET and recipients; none by default.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

command -v jq >/dev/null || skip_all "jq is missing (./dev test installs it)"
[ -x "${top_builddir:?}/t/apikeygen" ] || skip_all "t/apikeygen not built"
[ -r /usr/share/zoneinfo/zone1970.tab ] || skip_all "no tzdata"
# 15:00 UTC: 22:00 in Jakarta, 15:00 in London.
stack_start --workers 1 --runner --clock '2030-03-04 15:00:00+00'
stack_customers 5 100 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo >/dev/null
sql "UPDATE packages SET api_rpm = 1000, max_contacts = 10000, max_api_keys = 10;
     UPDATE users SET time_zone = 'Asia/Jakarta';
     INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
         (1, 1, 'wa_a', 'Sales', 'connected', '+6281111111111');
     INSERT INTO contacts (customer_id, phone, name, status) VALUES
         (1, '+6281300000001', 'Ida', 'subscribed'), (1, '+447400123456', 'Gus', 'subscribed');
     INSERT INTO contact_groups (customer_id, name, kind) VALUES (1, 'L', 'list')" >/dev/null || bail_out "seeding"
sql "SELECT wa_group_add(1, 1, ARRAY(SELECT id FROM contacts WHERE customer_id = 1));
     SELECT tpl_id FROM wa_template_save(1, NULL, 'Hello', 'Hi {{first_name}}')" >/dev/null || bail_out "groups, templates"
ia=$(sql "SELECT id FROM instances WHERE session = 'wa_a'")
t1=$(sql "SELECT id FROM templates WHERE customer_id = 1")
ida=$(sql "SELECT id FROM contacts WHERE phone = '+6281300000001'")
gus=$(sql "SELECT id FROM contacts WHERE phone = '+447400123456'")

jar=$STACK_DIR/jar
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
http GET /broadcasts/new -b "$jar"; csrf=$(csrf_of)
count() { sql "SELECT (SELECT count(*) FROM broadcasts) || '/' || (SELECT count(*) FROM jobs WHERE kind = 'broadcast')"; }
good=(--data-urlencode 'name=Night' --data-urlencode "s.list.1=1" --data-urlencode "template=$t1" --data-urlencode "i.$ia=1")

# ---------------------------------------------------------------- the form
is "$HTTP_STATUS" 200 "the form: 200"
like "$HTTP_BODY" 'name="quiet_from" type="time" value=""' "... a quiet hours' start, empty"
like "$HTTP_BODY" 'name="quiet_to" type="time" value=""' "... and end, empty (none by default)"
check() { http POST /broadcasts/new -b "$jar" --data-urlencode "_csrf=$csrf" "${good[@]}" "$@"; }
badq() {
	check --data-urlencode "quiet_from=$1" --data-urlencode "quiet_to=$2"
	is "$HTTP_STATUS" 422 "quiet hours '$1'-'$2': 422"
	like "$HTTP_BODY" "$3" "... saying: $3"
	like "$HTTP_BODY" 'id="bn-quiet-error"' "... at the field"
}
badq '21:00' '' 'Enter both times, or neither.'
badq '' '08:00' 'Enter both times, or neither.'
badq '24:00' '08:00' 'Enter a time like 21:00.'
badq '21:60' '08:00' 'Enter a time like 21:00.'
badq '9:00' '08:00' 'Enter a time like 21:00.'
badq '21:00:00' '08:00' 'Enter a time like 21:00.'
badq '21:00' '08:00; DROP TABLE broadcasts' 'Enter a time like 21:00.'
badq '08:00' '08:00' 'The two times must differ.'
check --data-urlencode 'quiet_from=<b>x</b>' --data-urlencode 'quiet_to=08:00'
is "$HTTP_STATUS" 422 "markup as a time: 422"
like "$HTTP_BODY" 'value="&lt;b&gt;x&lt;/b&gt;"' "... shown again escaped"
http POST /broadcasts -b "$jar" --data-urlencode "_csrf=$csrf" "${good[@]}" --data-urlencode 'quiet_from=21:00' --data-urlencode 'quiet_to=21:00'
is "$HTTP_STATUS" 422 "the start with equal times: 422"
is "$(count)" "0/0" "nothing stored by any of them"

check --data-urlencode 'quiet_from=21:00' --data-urlencode 'quiet_to=08:00'
is "$HTTP_STATUS" 200 "21:00-08:00: the check page"
like "$HTTP_BODY" 'id="bn-quiet">21:00–08:00 in each contact' "... shows the window"
like "$HTTP_BODY" 'type="hidden" name="quiet_from" value="21:00"' "... kept in hidden fields"
like "$HTTP_BODY" 'type="hidden" name="quiet_to" value="08:00"' "... both"
check
like "$HTTP_BODY" 'id="bn-quiet">none' "without: the check page says none"
unlike "$HTTP_BODY" 'name="quiet_from"' "... and keeps no hidden time"
http POST /broadcasts/new/edit -b "$jar" --data-urlencode "_csrf=$csrf" "${good[@]}" --data-urlencode 'quiet_from=21:00' --data-urlencode 'quiet_to=08:00'
like "$HTTP_BODY" 'name="quiet_from" type="time" value="21:00"' "Change: the form again with the window"

http POST /broadcasts -b "$jar" --data-urlencode "_csrf=$csrf" "${good[@]}" --data-urlencode 'quiet_from=21:00' --data-urlencode 'quiet_to=08:00'
b1=$(sql "SELECT max(id) FROM broadcasts")
is "$(sql "SELECT quiet_from || ' ' || quiet_to FROM broadcasts WHERE id = $b1")" "1260 480" "started: the window stored in minutes"
queued() { [ "$(sql "SELECT queued FROM broadcasts WHERE id = $b1")" = 2 ]; }
wait_for 60 queued
ok $? "... queued by the runner"
http GET "/broadcasts/$b1" -b "$jar"
like "$HTTP_BODY" 'id="bc-quiet">21:00–08:00 in each contact' "the broadcast's page shows the window"
like "$(grep -A3 "recipient-$ida" <<<"$HTTP_BODY")" 'Quiet hours: waits until 2030-03-05 08:00 Asia/Jakarta' \
    "... Ida (+62, 22:00) waits until 08:00 in Jakarta"
unlike "$(grep -A3 "recipient-$gus" <<<"$HTTP_BODY")" 'Quiet hours' "... Gus (+44, 15:00) does not wait"
http POST /broadcasts -b "$jar" --data-urlencode "_csrf=$csrf" "${good[@]/name=Night/name=Day}"
b0=$(sql "SELECT max(id) FROM broadcasts")
is "$(sql "SELECT coalesce(quiet_from::text, 'none') FROM broadcasts WHERE id = $b0")" none "a broadcast without: none stored"
http GET "/broadcasts/$b0" -b "$jar"
unlike "$HTTP_BODY" 'bc-quiet' "... none shown"

# ---------------------------------------------------------------- the API
read -r KW _ < <(newkey 1 '{broadcasts:read,broadcasts:write}')
[ -n "$KW" ] || bail_out "no key"
j() { jq -r "$1" <<<"$HTTP_BODY"; }
post() { api POST /api/v1/broadcasts "$KW" -H 'Content-Type: application/json' --data-binary "$1"; }
agood="\"name\":\"Api\",\"audience\":[{\"kind\":\"list\",\"id\":1}],\"template_id\":$t1,\"instance_ids\":[$ia]"
before=$(count)
bad() {
	post "{$agood,\"quiet_hours\":$1}"
	is "$HTTP_STATUS $(j .type)" "422 /docs/api#problem-validation-failed" "quiet_hours $1: 422"
	is "$(j '[.errors[].field] | join(",")')" quiet_hours "... naming quiet_hours"
}
bad '"21:00-08:00"'
bad '{"from":"21:00"}'
bad '{"from":"21:00","to":"08:00","tz":"UTC"}'
bad '{"from":"21:00","to":"21:00"}'
bad '{"from":"25:00","to":"08:00"}'
bad '{"from":2100,"to":800}'
bad '{"from":"21:00","to":null}'
bad '[]'
like "$(post "{$agood,\"quiet_hours\":{\"from\":\"x\",\"to\":\"y\"}}"; j '.errors[0].detail')" 'HH:MM' "... the message shows the form"
is "$(count)" "$before" "nothing stored by any of them"
post "{$agood,\"quiet_hours\":{\"from\":\"21:00\",\"to\":\"08:00\"}}"
is "$HTTP_STATUS" 201 "quiet_hours {21:00, 08:00}: 201"
is "$(jq -c .quiet_hours <<<"$HTTP_BODY")" '{"from":"21:00","to":"08:00"}' "... in the answer"
b2=$(j .id)
api GET "/api/v1/broadcasts/$b2" "$KW"
is "$(jq -c .quiet_hours <<<"$HTTP_BODY")" '{"from":"21:00","to":"08:00"}' "... and in GET"
post "{$agood,\"quiet_hours\":null}"
is "$HTTP_STATUS $(j .quiet_hours)" "201 null" "quiet_hours null: 201, none"
post "{$agood}"
is "$HTTP_STATUS $(j .quiet_hours)" "201 null" "without it: none"
api GET "/api/v1/broadcasts/$b1/recipients" "$KW"
is "$(j '[.data[] | .phone + " " + (.time_zone // "none")] | join(", ")')" \
    "+6281300000001 Asia/Jakarta, +447400123456 Europe/London" "the recipients' zones in the API"
done_testing
