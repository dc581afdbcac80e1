#!/bin/sh
# 0303-api-contacts.t: /api/v1/contacts on the real stack: create (phone read in the customer's country, 409 on a taken number with its id, the package's limit), get, update (consent logged), delete, the list's filters and pages to the end, scopes, another customer's ids, hostile values round-trip.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

command -v jq >/dev/null || skip_all "jq is missing (./dev test installs it)"
[ -x "${top_builddir:?}/t/apikeygen" ] || skip_all "t/apikeygen not built"
stack_start --workers 1 --clock now
stack_customers 1 1000 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET api_rpm = 1000, max_contacts = 100;
     INSERT INTO tags (customer_id, name, colour) VALUES (1, 'VIP', 'red'), (1, 'Jakarta', 'blue'), (2, 'Theirs', 'grey');
     INSERT INTO contact_fields (customer_id, key, label, kind, choices) VALUES
     (1, 'age', 'Age', 'number', '{}'), (1, 'birthday', 'Birthday', 'date', '{}'),
     (1, 'plan', 'Plan', 'choice', '{gold,silver}'), (1, 'vip', 'VIP', 'boolean', '{}')" >/dev/null ||
    bail_out "seeding failed"

read -r KW _ < <(newkey 1 '{contacts:read,contacts:write}')
read -r KR _ < <(newkey 1 '{contacts:read}')
read -r KM _ < <(newkey 1 '{messages:read}')
read -r K2 _ < <(newkey 2 '{contacts:read,contacts:write}')
[ -n "$KW" ] && [ -n "$K2" ] || bail_out "no key"
post() { api POST /api/v1/contacts "$1" -H 'Content-Type: application/json' --data-binary "$2"; }
patch() { api PATCH "/api/v1/contacts/$2" "$1" -H 'Content-Type: application/json' --data-binary "$3"; }
j() { jq -r "$1" <<<"$HTTP_BODY"; }
js() { jq -cS "$1" <<<"$HTTP_BODY"; }

# --- create ---
post "$KW" '{"phone":"0812-3456-7890","name":"Budi","email":"Budi@Example.COM","language":"EN-us","status":"subscribed","tags":[1,2],"fields":{"age":42,"birthday":"31/01/1990","plan":"gold","vip":true}}'
is "$HTTP_STATUS" 201 "create: 201"
C1=$(j .id)
is "$(header Location)" "/api/v1/contacts/$C1" "... with its Location"
is "$(j '[.phone, .name, .email, .language, .status, .consent_source] | join(" ")')" \
    "+6281234567890 Budi Budi@example.com en-US subscribed api" \
    "... the national number read in the customer's country (Indonesia), the values normalised"
is "$(j '.tags | join(",")')" "1,2" "... its tags"
is "$(js '.fields')" '{"age":42,"birthday":"1990-01-31","plan":"gold","vip":true}' "... its custom fields typed"
is "$(sql "SELECT status || ' ' || source FROM contact_consents WHERE contact_id = $C1")" "subscribed api" \
    "... and the consent logged with source api"

post "$KW" '{"phone":"+62 812 3456 7890","name":"Again"}'
is "$HTTP_STATUS $(j .type) $(j .existing_id)" "409 /docs/api#problem-duplicate-contact $C1" \
    "the same number again: 409 duplicate-contact with the existing id"

post "$KW" '{"name":"No phone","status":"maybe","tags":[3],"fields":{"nope":1,"age":"old"},"extra":1}'
is "$HTTP_STATUS $(j .type)" "422 /docs/api#problem-validation-failed" "bad values: 422"
is "$(j '[.errors[].field] | sort | join(" ")')" "extra fields phone status tags" \
    "... naming each: the unknown member, the fields, the missing phone, the status, another customer's tag"
post "$KW" '{"phone":"0812"}'
is "$(j '.errors[0] | [.field, .code] | join(" ")')" "phone too-short" "a short number: its reason's code"
post "$KW" '{"phone":"(021) 5550 1234"}'
is "$(j '.errors[0].code')" "not-mobile" "a landline: not-mobile"
post "$KW" 'not json'
is "$HTTP_STATUS $(j '.errors[0].field')" "422 body" "a body that is not JSON: 422"

# Hostile values are data: stored and answered exactly.
H='<script>alert(1)</script> '"'"'; DROP TABLE contacts;-- =HYPERLINK("x")'
post "$KW" "$(jq -cn --arg h "$H" '{phone:"+6281211112222", name:$h, notes:($h + "\n{{x}}")}')"
is "$HTTP_STATUS" 201 "hostile values: 201"
C2=$(j .id)
is "$(j .name)" "$H" "... the name round-trips exactly"
is "$(j .notes)" "$H"$'\n''{{x}}' "... the notes too"
is "$(sql "SELECT count(*) FROM contacts")" 2 "... and the table is still there"

# --- get ---
api GET "/api/v1/contacts/$C1" "$KR"
is "$HTTP_STATUS $(j .phone)" "200 +6281234567890" "get with a read key: 200"
api GET "/api/v1/contacts/$C1" "$K2"
is "$HTTP_STATUS $(j .type)" "404 /docs/api#problem-not-found" "another customer's contact: 404"
api GET "/api/v1/contacts/$C1" "$KM"
is "$HTTP_STATUS $(j .type)" "403 /docs/api#problem-scope-missing" "a key without contacts:read: 403"

# --- scopes: a read key cannot write ---
post "$KR" '{"phone":"+6281300000001"}'
is "$HTTP_STATUS $(j .type)" "403 /docs/api#problem-scope-missing" "create with a read key: 403"
patch "$KR" "$C1" '{"name":"x"}'
is "$HTTP_STATUS" 403 "update with a read key: 403"
api DELETE "/api/v1/contacts/$C1" "$KR"
is "$HTTP_STATUS" 403 "delete with a read key: 403"

# --- update ---
patch "$KW" "$C1" '{"name":"Budi Santoso","status":"unsubscribed","tags":[2],"fields":{"age":null,"plan":"silver"}}'
is "$HTTP_STATUS" 200 "update: 200"
is "$(j '[.name, .status, (.tags | join(","))] | join(" ")') $(js .fields)" \
    'Budi Santoso unsubscribed 2 {"birthday":"1990-01-31","plan":"silver","vip":true}' \
    "... the members given replaced, a field removed by null, the others kept"
is "$(sql "SELECT string_agg(status || '/' || source, ' ' ORDER BY id) FROM contact_consents WHERE contact_id = $C1")" \
    "subscribed/api unsubscribed/api" "... the status change logged"
patch "$KW" "$C1" '{"notes":"same status","status":"unsubscribed"}'
is "$(sql "SELECT count(*) FROM contact_consents WHERE contact_id = $C1")" 2 "the same status again logs nothing"
patch "$KW" "$C1" '{"phone":"+6281211112222"}'
is "$HTTP_STATUS $(j .type) $(j .existing_id)" "409 /docs/api#problem-duplicate-contact $C2" \
    "a phone another contact has: 409 with its id"
patch "$K2" "$C1" '{"name":"mine now"}'
is "$HTTP_STATUS" 404 "another customer's contact: 404"
is "$(sql "SELECT name FROM contacts WHERE id = $C1")" "Budi Santoso" "... untouched"

# --- the list: filters and pages to the end ---
sql "INSERT INTO contacts (customer_id, phone, name, tags, status)
     SELECT 1, '+628130000' || lpad(i::text, 4, '0'), 'Row ' || i,
     CASE WHEN i % 2 = 0 THEN '{1}'::bigint[] ELSE '{}' END,
     CASE WHEN i % 3 = 0 THEN 'subscribed' ELSE 'unknown' END
     FROM generate_series(1, 57) i;
     INSERT INTO contacts (customer_id, phone, name) VALUES (2, '+6281234567890', 'Their Budi')" >/dev/null
all=; cursor=; pages=0
while :; do
	api GET "/api/v1/contacts?limit=10${cursor:+&cursor=$cursor}" "$KR"
	[ "$HTTP_STATUS" = 200 ] || break
	pages=$((pages + 1))
	all="$all $(j '[.data[].id] | join(" ")')"
	cursor=$(j '.next_cursor // empty | @uri')
	[ -n "$cursor" ] || break
done
is "$pages" 6 "pages of 10 to the end: 6"
is "$(wc -w <<<"$all")" 59 "... every contact once"
is "$(tr ' ' '\n' <<<"$all" | sed '/^$/d' | sort -u | wc -l)" 59 "... no duplicates"
is "$(sql "SELECT string_agg(id::text, ' ' ORDER BY id DESC) FROM contacts WHERE customer_id = 1")" "${all# }" \
    "... newest first, none of another customer's"
api GET "/api/v1/contacts?q=budi" "$KR"
is "$(j '[.data[].name] | join(",")')" "Budi Santoso" "q: a name's substring, any case"
api GET "/api/v1/contacts?q=%25" "$KR"
is "$(j '.data | length')" 0 "q: % is a character, not a wildcard"
api GET "/api/v1/contacts?q=%2B6281300000" "$KR"
is "$(j '.data | length')" 50 "q: the start of a phone number (a full page)"
api GET "/api/v1/contacts?status=subscribed&limit=100" "$KR"
is "$(j '.data | length')" 19 "status=subscribed"
api GET "/api/v1/contacts?any=1&limit=100" "$KR"
is "$(j '.data | length')" 28 "any=1: the contacts with it"
api GET "/api/v1/contacts?any=1,2&limit=100" "$KR"
is "$(j '.data | length')" 29 "any=1,2: any of them"
api GET "/api/v1/contacts?all=1,2&limit=100" "$KR"
is "$(j '.data | length')" 0 "all=1,2: both"
api GET "/api/v1/contacts?status=maybe&any=x&limit=0" "$KR"
is "$HTTP_STATUS $(j '[.errors[].field] | join(" ")')" "422 any status limit" "bad filters: 422 naming each"
# The portal's other filters, the same code (src/aud/).
sql "UPDATE contacts SET fields = jsonb_build_object('age', 20 + (right(phone, 2))::int),
     last_out_at = CASE WHEN right(phone, 1) = '7' THEN wa_now() END,
     created_at = CASE WHEN right(phone, 2) = '10' THEN wa_now() - interval '40 days' ELSE created_at END
     WHERE customer_id = 1 AND phone LIKE '+628130000%'" >/dev/null
api GET "/api/v1/contacts?field=age&min=70&max=75&limit=100" "$KR"
is "$(j '[.data[].name] | join(",")')" "Row 55,Row 54,Row 53,Row 52,Row 51,Row 50" "field=age&min&max: a number range"
api GET "/api/v1/contacts?field=age&eq=42&limit=100" "$KR"
is "$(j '[.data[].name] | join(",")')" "Row 22" "field=age&eq: equal"
api GET "/api/v1/contacts?never=1&q=row&limit=100" "$KR"
is "$(j '.data | length')" 51 "never=1: never messaged"
day=$(sql "SELECT to_char(wa_now() AT TIME ZONE 'Asia/Jakarta' - interval '40 days', 'YYYY-MM-DD')")
api GET "/api/v1/contacts?to=$day" "$KR"
is "$(j '[.data[].name] | join(",")')" "Row 10" "to: created on or before a day (the customer's zone)"
api GET "/api/v1/contacts?sort=name_asc&q=row%205&limit=3" "$KR"
is "$(j '[.data[].name] | join(",")')" "Row 5,Row 50,Row 51" "sort=name_asc"
api GET "/api/v1/contacts?sort=name_asc&q=row%205&limit=3&cursor=$(j '.next_cursor | @uri')" "$KR"
is "$(j '[.data[].name] | join(",")')" "Row 52,Row 53,Row 54" "... and its next page"
api GET "/api/v1/contacts?field=nope&eq=1" "$KR"
is "$HTTP_STATUS $(j '.errors[0].field')" "422 field" "a field the customer has not: 422"
api GET "/api/v1/contacts?cursor=garbage" "$KR"
is "$HTTP_STATUS $(j '.errors[0].field')" "422 cursor" "a broken cursor: 422"

# --- the package's limit ---
sql "UPDATE packages SET max_contacts = 59" >/dev/null
post "$KW" '{"phone":"+6281399988877"}'
is "$HTTP_STATUS $(j .type)" "403 /docs/api#problem-contact-limit" "past max_contacts: 403 contact-limit"
like "$(j .detail)" 'at most 59 contacts' "... naming the limit"
is "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1")" 59 "... nothing added"

# --- delete ---
api DELETE "/api/v1/contacts/$C1" "$K2"
is "$HTTP_STATUS" 404 "delete another customer's contact: 404"
api DELETE "/api/v1/contacts/$C1" "$KW"
is "$HTTP_STATUS $(j .deleted)" "200 true" "delete: 200"
api GET "/api/v1/contacts/$C1" "$KW"
is "$HTTP_STATUS" 404 "... gone"
is "$(sql "SELECT count(*) FROM contact_consents WHERE phone = '+6281234567890' AND customer_id = 1")" 2 \
    "... its consent log stays"
post "$KW" '{"phone":"+6281399988877"}'
is "$HTTP_STATUS" 201 "one below the limit again: 201"

# --- tags ---
tpost() { api POST "$1" "$KW" -H 'Content-Type: application/json' --data-binary "$2"; }
tpatch() { api PATCH "$1" "$KW" -H 'Content-Type: application/json' --data-binary "$2"; }
tpost /api/v1/tags '{"name":"  Pelanggan <b>baru</b> ","colour":"green"}'
is "$HTTP_STATUS $(j '[.name, .colour, .contacts] | join("|")')" "201 Pelanggan <b>baru</b>|green|0" \
    "a new tag: 201, its name trimmed and kept as written"
T3=$(j .id)
is "$(header Location)" "/api/v1/tags/$T3" "... with its Location"
tpost /api/v1/tags '{"name":"vip"}'
is "$HTTP_STATUS $(j .type) $(j .existing_id)" "409 /docs/api#problem-duplicate-tag 1" "a taken name, in another case: 409 with its id"
tpost /api/v1/tags '{"name":"","colour":"mauve","x":1}'
is "$HTTP_STATUS $(j '[.errors[].field] | sort | join(" ")')" "422 colour name x" "bad tag values: 422 naming each"
api GET /api/v1/tags "$KR"
is "$HTTP_STATUS $(j '[.data[].name] | join(",")')" "200 Jakarta,Pelanggan <b>baru</b>,VIP" \
    "the list: the customer's tags by name, not another customer's"
is "$(j '[.data[] | select(.name == "VIP") | .contacts][0]')" 28 "... each with its contacts"
tpatch /api/v1/tags/2 '{"name":"Jabodetabek","colour":"teal"}'
is "$HTTP_STATUS $(j '[.name, .colour] | join(" ")')" "200 Jabodetabek teal" "rename and recolour: 200"
api PATCH /api/v1/tags/3 "$KW" -H 'Content-Type: application/json' --data-binary '{"name":"x"}'
is "$HTTP_STATUS" 404 "... another customer's tag: 404"
api GET /api/v1/tags/1 "$K2"
is "$HTTP_STATUS" 404 "get another customer's tag: 404"
sql "UPDATE contacts SET tags = '{1,$T3}' WHERE phone = '+6281300000002'" >/dev/null
tpost /api/v1/tags/1/merge "{\"into\":$T3}"
is "$HTTP_STATUS $(j .merged_into) $(j .contacts_moved)" "200 $T3 28" "merge VIP into the new tag: 200, 28 contacts moved"
is "$(sql "SELECT count(*) FROM contacts WHERE tags @> '{$T3}'")" 28 "... they carry it"
is "$(sql "SELECT count(*) FROM contacts WHERE tags @> '{1}'") $(sql "SELECT count(*) FROM tags WHERE id = 1")" "0 0" \
    "... and the merged tag is gone"
is "$(sql "SELECT contacts FROM tags WHERE id = $T3")" 28 "... the counter follows"
is "$(sql "SELECT tags FROM contacts WHERE phone = '+6281300000002'")" "{$T3}" "... a contact with both keeps it once"
tpost /api/v1/tags/2/merge '{"into":3}'
is "$HTTP_STATUS $(j '.errors[0].field')" "422 into" "merge into another customer's tag: 422"
tpost /api/v1/tags/3/merge "{\"into\":2}"
is "$HTTP_STATUS" 404 "merge another customer's tag: 404"
api DELETE /api/v1/tags/2 "$KW"
is "$HTTP_STATUS $(j .deleted)" "200 true" "delete a tag: 200"
is "$(sql "SELECT count(*) FROM contacts WHERE tags @> '{2}'")" 0 "... its contacts lose it"
sql "INSERT INTO tags (customer_id, name) SELECT 1, 'bulk ' || i FROM generate_series(1, 999) i" >/dev/null
tpost /api/v1/tags '{"name":"one too many"}'
is "$HTTP_STATUS $(j .type)" "409 /docs/api#problem-tag-limit" "the 1001st tag: 409 tag-limit"
api POST /api/v1/tags "$KR" -H 'Content-Type: application/json' --data-binary '{"name":"r"}'
is "$HTTP_STATUS" 403 "a read key cannot make tags"

# --- custom fields ---
tpost /api/v1/contact-fields '{"key":"city","label":"City <i>","kind":"choice","choices":["Jakarta","Bandung \"Kota\""]}'
is "$HTTP_STATUS $(j '[.key, .label, .kind, (.choices | join("|"))] | join(" ")')" \
    '201 city City <i> choice Jakarta|Bandung "Kota"' "a new field: 201"
F5=$(j .id)
tpost /api/v1/contact-fields '{"key":"age","label":"Again","kind":"text"}'
is "$HTTP_STATUS $(j .type) $(j .existing_id)" "409 /docs/api#problem-duplicate-field 1" "a taken key: 409 with its id"
tpost /api/v1/contact-fields '{"key":"Bad Key","label":"","kind":"colour","choices":[]}'
is "$HTTP_STATUS $(j '[.errors[].field] | sort | join(" ")')" "422 choices key kind label" "bad field values: 422 naming each"
tpost /api/v1/contact-fields '{"key":"note2","label":"Note","kind":"text","choices":["a"]}'
is "$HTTP_STATUS $(j '.errors[0].field')" "422 choices" "choices for a text field: 422"
tpatch "/api/v1/contact-fields/$F5" '{"label":"Kota","choices":["Jakarta","Surabaya"]}'
is "$HTTP_STATUS $(j '[.label, (.choices | join("|"))] | join(" ")')" "200 Kota Jakarta|Surabaya" "relabel, new choices: 200"
tpatch "/api/v1/contact-fields/$F5" '{"kind":"text"}'
is "$HTTP_STATUS $(j '.errors[0].detail')" "422 Cannot be changed." "the kind stays"
tpatch /api/v1/contact-fields/1 '{"choices":["a"]}'
is "$HTTP_STATUS $(j '.errors[0].field')" "422 choices" "choices for a number field: 422"
api GET /api/v1/contact-fields "$KR"
is "$HTTP_STATUS $(j '[.data[].key] | join(",")')" "200 age,birthday,plan,vip,city" "the list, oldest first"
api GET /api/v1/contact-fields/1 "$K2"
is "$HTTP_STATUS" 404 "another customer's field: 404"
patch "$KW" "$C2" '{"fields":{"city":"Surabaya","plan":"platinum"}}'
is "$HTTP_STATUS $(j '.errors[0].field')" "422 fields" "a value outside the choices: 422"
patch "$KW" "$C2" '{"fields":{"city":"Surabaya","age":"12.50"}}'
is "$HTTP_STATUS $(js .fields)" '200 {"age":12.5,"city":"Surabaya"}' "values checked by their field's kind"
api DELETE "/api/v1/contact-fields/$F5" "$KW"
is "$HTTP_STATUS" 200 "delete a field: 200"
api GET "/api/v1/contacts/$C2" "$KR"
is "$(js .fields)" '{"age":12.5}' "... its values go with it"
sql "INSERT INTO contact_fields (customer_id, key, label, kind) SELECT 1, 'f' || i, 'F', 'text' FROM generate_series(1, 96) i" >/dev/null
tpost /api/v1/contact-fields '{"key":"one_more","label":"One more","kind":"text"}'
is "$HTTP_STATUS $(j .type)" "409 /docs/api#problem-field-limit" "the 101st field: 409 field-limit"

# --- bulk upsert ---
sql "UPDATE packages SET max_contacts = 61" >/dev/null
# 59 contacts now: room for 2 more.
body=$(jq -cn '{contacts: [
  {phone: "+6281300000001", name: "Row 1"},
  {phone: "+6281300000005", name: "Row five", status: "subscribed", fields: {plan: null, age: 7}},
  {phone: "0812-7777-0001", name: "New one", tags: ['"$T3"']},
  {phone: "0812-7777-0001", name: "Again in this call"},
  {phone: "0812"},
  {name: "no phone"},
  {phone: "+6281277770002", name: "New two", status: "subscribed"},
  {phone: "+6281277770003", name: "Past the limit"},
  "not an object",
  {phone: "+6281277770004", email: "bad@", tags: [3]}]}')
api POST /api/v1/contacts/bulk "$KW" -H 'Content-Type: application/json' --data-binary "$body"
is "$HTTP_STATUS" 200 "bulk: 200"
is "$(j '[.results[].result] | join(" ")')" \
    "unchanged updated created error error error created error error error" "... a result per item, in order"
is "$(j '[.created, .updated, .unchanged, .failed] | join(" ")')" "2 1 1 6" "... and the counts"
is "$(j '.results[3].errors[0].detail')" "The same number is in an earlier item of this call." "... a number twice in the call"
is "$(j '.results[4].errors[0].code') $(j '.results[5].errors[0].field')" "too-short phone" "... a short number, a missing one"
is "$(j '.results[7].errors[0].code')" "contact-limit" "... the new one past the package's limit"
like "$(j '.results[7].errors[0].detail')" 'at most 61 contacts' "... naming it"
is "$(j '[.results[9].errors[].field] | sort | join(" ")')" "email tags" "... each wrong member named"
is "$(sql "SELECT name || ' ' || status || ' ' || (fields->>'age') FROM contacts WHERE phone = '+6281300000005'")" "Row five subscribed 7" \
    "the updated contact: only the members given changed"
is "$(sql "SELECT count(*) FROM contact_consents WHERE phone IN ('+6281300000005', '+6281277770002') AND source = 'api'")" 2 \
    "... the status changes logged"
is "$(sql "SELECT tags FROM contacts WHERE phone = '+6281277770001'")" "{$T3}" "the created one, with its tag"
api POST /api/v1/contacts/bulk "$KW" -H 'Content-Type: application/json' --data-binary "$body"
is "$(j '[.created, .updated, .unchanged] | join(" ")')" "0 0 4" "the same call again changes nothing"
api POST /api/v1/contacts/bulk "$KW" -H 'Content-Type: application/json' \
    --data-binary "$(jq -cn '{contacts: [range(1001) | {phone: "+6281300000001"}]}')"
is "$HTTP_STATUS $(j '.errors[0].field')" "422 contacts" "1001 contacts in a call: 422"
api POST /api/v1/contacts/bulk "$KR" -H 'Content-Type: application/json' --data-binary "$body"
is "$HTTP_STATUS" 403 "bulk with a read key: 403"

stack_stop
done_testing
