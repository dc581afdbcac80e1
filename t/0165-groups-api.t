#!/bin/sh
# 0165-groups-api.t: /api/v1/contact-groups: create, list with a cursor, get, update, delete; a list's members added and removed by id (at most 10,000 per call), listed with a cursor; scopes; every bad body refused with nothing changed; another customer's groups 404.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2030-03-04 10:00:00+00'
stack_customers 1 1000 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 20000, api_rpm = 10000;
     INSERT INTO contacts (customer_id, phone, name, status)
         SELECT 1, '+62813' || lpad(g::text, 7, '0'), 'Customer ' || g,
             CASE WHEN g % 2 = 0 THEN 'subscribed' ELSE 'unknown' END
         FROM generate_series(1, 12000) g;
     INSERT INTO contacts (customer_id, phone, name) VALUES (2, '+628140000001', 'Other')" >/dev/null
read -r kw _ <<<"$(newkey 1 '{contacts:read,contacts:write}')"
read -r kr _ <<<"$(newkey 1 '{contacts:read}')"
read -r k2 _ <<<"$(newkey 2 '{contacts:read,contacts:write}')"
j() { jq -r "$1" <<<"$HTTP_BODY"; }
groups() { sql "SELECT count(*) FROM contact_groups"; }
post() { api POST "$1" "$kw" -H 'Content-Type: application/json' --data-binary "$2"; }

# ---------------------------------------------------------------- create
post /api/v1/contact-groups '{"name": "VIP", "description": "Best buyers", "kind": "list"}'
is "$HTTP_STATUS" 201 "POST a list: 201"
gid=$(j .id)
is "$(header Location)" "/api/v1/contact-groups/$gid" "... Location names it"
is "$(j '[.kind, (.members|tostring), (.filter|tostring)] | join(" ")')" "list 0 null" "... a list with 0 members, no filter"
post /api/v1/contact-groups '{"name": "Subscribed", "kind": "segment", "filter": "status=subscribed"}'
is "$HTTP_STATUS" 201 "POST a segment: 201"
sid=$(j .id)
is "$(j '[.kind, .filter, (.members|tostring)] | join(" ")')" "segment status=subscribed null" "... its filter, no counters of its own"

bad() {
	post /api/v1/contact-groups "$1"
	is "$HTTP_STATUS $(j '.type | split("problem-") | last') $(j '[.errors[].field] | join(",")')" "422 validation-failed $2" "$3"
}
bad '{"kind": "list"}' name "no name: 422 naming it"
bad '{"name": "", "kind": "list"}' name "an empty name: 422"
bad "{\"name\": \"$(printf 'x%.0s' $(seq 101))\", \"kind\": \"list\"}" name "a name of 101 characters: 422"
bad '{"name": "A\nB", "kind": "list"}' name "a name of two lines: 422"
bad '{"name": "A", "kind": "folder"}' kind "a kind that is none: 422"
bad '{"name": "A"}' kind "no kind: 422"
bad '{"name": "A", "kind": "segment"}' filter "a segment without a filter: 422"
bad '{"name": "A", "kind": "segment", "filter": "status=maybe"}' filter "a segment with a bad filter: 422"
bad '{"name": "A", "kind": "segment", "filter": "field=nosuch&eq=1"}' filter "... on a field the customer has not: 422"
bad '{"name": "A", "kind": "segment", "filter": "sort=name_asc"}' filter "... with no filter in it: 422"
bad '{"name": "A", "kind": "segment", "filter": "group=999999"}' filter "... on a list that is none: 422"
bad '{"name": "A", "kind": "list", "filter": "status=subscribed"}' filter "a list with a filter: 422"
bad '{"name": "A", "kind": "list", "colour": "red"}' colour "an unknown field: 422"
bad '[1, 2]' body "a body that is no object: 422"
is "$(groups)" 2 "... nothing stored by any of them"
post /api/v1/contact-groups '{"name": "vip", "kind": "list"}'
is "$HTTP_STATUS $(j '.type | split("problem-") | last') $(j .existing_id)" "409 duplicate-group $gid" "the same name in another case: 409 naming the existing one"
post /api/v1/contact-groups '{"name": "Robert\u0027); DROP TABLE contacts; --", "kind": "list"}'
is "$HTTP_STATUS $(sql "SELECT count(*) FROM contacts")" "201 12001" "a hostile name is only a name"
hid=$(j .id)
api POST /api/v1/contact-groups "$kr" -H 'Content-Type: application/json' --data-binary '{"name": "R", "kind": "list"}'
is "$HTTP_STATUS" 403 "a key without contacts:write: 403"
sql "INSERT INTO contact_groups (customer_id, name, kind) SELECT 1, 'g' || g, 'list' FROM generate_series(1, 497) g" >/dev/null
post /api/v1/contact-groups '{"name": "One too many", "kind": "list"}'
is "$HTTP_STATUS $(j '.type | split("problem-") | last')" "409 group-limit" "the 501st group: 409 group-limit"
sql "DELETE FROM contact_groups WHERE name ~ '^g[0-9]+$'" >/dev/null

# ---------------------------------------------------------------- members
members() { api POST "/api/v1/contact-groups/$1/members${3:+/remove}" "$kw" -H 'Content-Type: application/json' --data-binary "$2"; }
ids=$(sql "SELECT json_agg(id ORDER BY id) FROM (SELECT id FROM contacts WHERE customer_id = 1 ORDER BY id LIMIT 10000) x")
members "$gid" "{\"contact_ids\": $ids}"
is "$HTTP_STATUS $(j .added)" "200 10000" "10,000 ids in one call: 200, all added"
members "$gid" "{\"contact_ids\": $ids}"
is "$HTTP_STATUS $(j .added)" "200 0" "... again: none added"
is "$(sql "SELECT members || ' ' || subscribed FROM contact_groups WHERE id = $gid")" "10000 5000" "... the counters"
many=$(sql "SELECT json_agg(g) FROM generate_series(1, 10001) g")
members "$gid" "{\"contact_ids\": $many}"
is "$HTTP_STATUS $(j '.errors[0].field')" "422 contact_ids" "10,001 ids: 422"
members "$gid" '{"contact_ids": []}'
is "$HTTP_STATUS" 422 "no ids: 422"
members "$gid" '{"contact_ids": [1, "2"]}'
is "$HTTP_STATUS" 422 "an id that is a string: 422"
members "$gid" '{"contact_ids": [0]}'
is "$HTTP_STATUS" 422 "an id of 0: 422"
members "$gid" '{}'
is "$HTTP_STATUS" 422 "no contact_ids: 422"
other=$(sql "SELECT id FROM contacts WHERE customer_id = 2")
members "$gid" "{\"contact_ids\": [$other, 99999999]}"
is "$HTTP_STATUS $(j .added)" "200 0" "another customer's contact and an unknown id: none added"
members "$sid" '{"contact_ids": [1]}'
is "$HTTP_STATUS $(j '.type | split("problem-") | last')" "409 group-is-segment" "adding to a segment: 409"
is "$(sql "SELECT members FROM contact_groups WHERE id = $gid")" 10000 "... the list unchanged by all of them"
members "$gid" "{\"contact_ids\": $(sql "SELECT json_agg(id) FROM (SELECT id FROM contacts WHERE customer_id = 1 ORDER BY id LIMIT 3) x")}" remove
is "$HTTP_STATUS $(j .removed)" "200 3" "three removed"

api GET "/api/v1/contact-groups/$gid/members?limit=2" "$kr"
is "$HTTP_STATUS $(j '.data | length')" "200 2" "the members, two a page"
first=$(sql "SELECT contact_id FROM contact_group_members WHERE group_id = $gid ORDER BY contact_id LIMIT 1")
is "$(j '.data[0].id')" "$first" "... in id order"
cur=$(j .next_cursor)
api GET "/api/v1/contact-groups/$gid/members?limit=2&cursor=$cur" "$kr"
is "$(j '.data[0].id')" "$(sql "SELECT contact_id FROM contact_group_members WHERE group_id = $gid ORDER BY contact_id OFFSET 2 LIMIT 1")" \
    "... the next page after the cursor"
api GET "/api/v1/contact-groups/$gid/members?limit=1001" "$kr"
is "$HTTP_STATUS" 422 "a limit over 1000: 422"
api GET "/api/v1/contact-groups/$gid/members?cursor=abc" "$kr"
is "$HTTP_STATUS" 422 "a cursor that is none: 422"
api GET "/api/v1/contacts?group=$gid&status=subscribed&limit=1" "$kr"
is "$HTTP_STATUS" 200 "the contacts list takes the list as a filter"

# ---------------------------------------------------------------- list, get, update, delete
api GET '/api/v1/contact-groups?limit=2' "$kr"
is "$HTTP_STATUS $(j '[.data[].id] | join(" ")')" "200 $gid $sid" "the groups, two a page, in id order"
api GET "/api/v1/contact-groups?limit=2&cursor=$(j .next_cursor)" "$kr"
is "$(j '(.data | map(.id | tostring) | join(" ")) + " " + (.next_cursor | tostring)')" "$hid null" "... the last page"
api GET '/api/v1/contact-groups?limit=501' "$kr"
is "$HTTP_STATUS $(j '.errors[0].field')" "422 limit" "the groups, a limit over 500: 422"
api GET '/api/v1/contact-groups?cursor=-1' "$kr"
is "$HTTP_STATUS $(j '.errors[0].field')" "422 cursor" "... a cursor that is none: 422"
api GET "/api/v1/contact-groups/$gid" "$kr"
is "$HTTP_STATUS $(j .members)" "200 9997" "GET one: its counters"
api PATCH "/api/v1/contact-groups/$gid" "$kw" -H 'Content-Type: application/json' --data-binary '{"name": "Top", "description": ""}'
is "$HTTP_STATUS $(j .name)" "200 Top" "PATCH renames"
api PATCH "/api/v1/contact-groups/$gid" "$kw" -H 'Content-Type: application/json' --data-binary '{"kind": "segment"}'
is "$HTTP_STATUS" 422 "... never the kind"
api PATCH "/api/v1/contact-groups/$gid" "$kw" -H 'Content-Type: application/json' --data-binary '{"name": "Subscribed"}'
is "$HTTP_STATUS" 409 "... nor to a taken name"
api PATCH "/api/v1/contact-groups/$sid" "$kw" -H 'Content-Type: application/json' --data-binary '{"filter": "q=&status=unknown&sort=created_desc"}'
is "$HTTP_STATUS $(j .filter)" "200 status=unknown" "a segment's filter changes, kept in its canonical form"

api GET "/api/v1/contact-groups/$gid" "$k2"
is "$HTTP_STATUS" 404 "another customer's GET /api/v1/contact-groups/{id}: 404"
api PATCH "/api/v1/contact-groups/$gid" "$k2" -H 'Content-Type: application/json' --data-binary '{"name": "Mine"}'
is "$HTTP_STATUS" 404 "... PATCH: 404"
api DELETE "/api/v1/contact-groups/$gid" "$k2"
is "$HTTP_STATUS" 404 "... DELETE: 404"
api GET "/api/v1/contact-groups/$gid/members" "$k2"
is "$HTTP_STATUS" 404 "... its members: 404"
api POST "/api/v1/contact-groups/$gid/members" "$k2" -H 'Content-Type: application/json' --data-binary "{\"contact_ids\": [$other]}"
is "$HTTP_STATUS" 404 "... adding to it: 404"
api GET /api/v1/contact-groups "$k2"
is "$(j '.data | length')" 0 "... and their list is empty"
is "$(sql "SELECT name || ' ' || members FROM contact_groups WHERE id = $gid")" "Top 9997" "... the list unchanged"

api DELETE "/api/v1/contact-groups/$gid" "$kw"
is "$HTTP_STATUS" 200 "DELETE: 200"
is "$(sql "SELECT count(*) FROM contact_group_members WHERE group_id = $gid") $(sql "SELECT count(*) FROM contacts WHERE customer_id = 1")" \
    "0 12000" "... the membership gone, the contacts stay"
api GET "/api/v1/contact-groups/$gid" "$kr"
is "$HTTP_STATUS" 404 "... then GET: 404"

stack_stop
done_testing
