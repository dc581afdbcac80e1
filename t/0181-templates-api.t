#!/bin/sh
# 0181-templates-api.t: /api/v1/templates: create, list with a cursor, get with the kept versions, update (a new body: a new version), delete; a bad template's line and column, unknown variables listed; scopes; every bad body refused with nothing changed; hostile values stored and answered as sent; the limit of 200; another customer's templates 404.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2030-03-04 10:00:00+00'
stack_customers 1 1000 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET api_rpm = 10000;
     INSERT INTO contact_fields (customer_id, key, label, kind) VALUES (1, 'city', 'City', 'text')" >/dev/null
read -r kw _ <<<"$(newkey 1 '{contacts:read,contacts:write}')"
read -r kr _ <<<"$(newkey 1 '{contacts:read}')"
read -r km _ <<<"$(newkey 1 '{messages:send}')"
read -r k2 _ <<<"$(newkey 2 '{contacts:read,contacts:write}')"
j() { jq -r "$1" <<<"$HTTP_BODY"; }
count() { sql "SELECT count(*) || '/' || (SELECT count(*) FROM template_versions) FROM templates"; }
post() { api POST /api/v1/templates "$kw" -H 'Content-Type: application/json' --data-binary "$1"; }
patch() { api PATCH "/api/v1/templates/$1" "${3:-$kw}" -H 'Content-Type: application/json' --data-binary "$2"; }

# ---------------------------------------------------------------- bad bodies, nothing stored
bad() {
	post "$1"
	is "$HTTP_STATUS $(j '.type | split("problem-") | last') $(j '[.errors[].field] | join(",")')" "422 validation-failed $2" "$3"
}
bad '{"body": "Hi"}' name "no name: 422 naming it"
bad '{"name": "T"}' body "no body: 422 naming it"
bad '{"name": "", "body": "Hi"}' name "an empty name: 422"
bad "{\"name\": \"$(printf 'x%.0s' $(seq 101))\", \"body\": \"Hi\"}" name "a name of 101 characters: 422"
bad '{"name": "A\nB", "body": "Hi"}' name "a name of two lines: 422"
bad '{"name": 7, "body": "Hi"}' name "a name that is no string: 422"
bad '{"name": "T", "body": "   "}' body "a blank body: 422"
bad '{"name": "T", "body": "a\u0001b"}' body "a control character: 422"
bad '{"name": "T", "body": ["Hi"]}' body "a body that is no string: 422"
bad "{\"name\": \"T\", \"body\": \"$(head -c 65537 /dev/zero | tr '\0' a)\"}" body "65537 characters: 422"
bad '{"name": "T", "body": "Hi", "owner": 2}' owner "an unknown field: 422"
bad '[]' body "not an object: 422"
bad '{"name": "T", "body": "Hi\n{{first_name"}' body "an open {{: 422"
is "$(j '.errors[0].code')" template-syntax "... code template-syntax"
is "$(j '.errors[0].detail')" 'Line 2, column 1: A {{ is not closed by }} (a variable is {{name}} or {{name|"fallback"}}).' "... with its line and column"
bad '{"name": "T", "body": "{Hi}"}' body "a choice of one option: 422"
like "$(j '.errors[0].detail')" '^Line 1, column 1: A choice needs two or more options' "... saying where and why"
bad '{"name": "T", "body": "{a|{b|{c|{d|e}}}}"}' body "choices 4 deep: 422"
api POST /api/v1/templates "$kr" -H 'Content-Type: application/json' --data-binary '{"name": "T", "body": "Hi"}'
is "$HTTP_STATUS $(j .type)" "403 /docs/api#problem-scope-missing" "a read-only key may not create"
api GET /api/v1/templates "$km"
is "$HTTP_STATUS" 403 "a key without the contacts scopes may not list"
is "$(count)" "0/0" "... nothing stored by any of them"

# ---------------------------------------------------------------- create, read
post '{"name": "Welcome <script>alert(1)</script>", "body": "{Hi|Hello} {{first_name|\"there\"}} from {{custom.city}}; {{nick}}\n{{custom.town}} \\{x\\}"}'
is "$HTTP_STATUS" 201 "POST: 201"
tid=$(j .id)
is "$(header Location)" "/api/v1/templates/$tid" "... Location names it"
is "$(j .name)" 'Welcome <script>alert(1)</script>' "... the name as sent (data, not markup)"
is "$(j .version)" 1 "... version 1"
is "$(j '[.unknown_variables[] | "\(.name)@\(.line):\(.column)"] | join(" ")')" "nick@1:59 custom.town@2:3" "... its unknown variables with their places"
is "$(sql "SELECT body FROM template_versions WHERE template_id = $tid")" "$(printf '{Hi|Hello} {{first_name|"there"}} from {{custom.city}}; {{nick}}\n{{custom.town}} \\{x\\}')" "... the body stored as sent"
post '{"name": "WELCOME <SCRIPT>ALERT(1)</SCRIPT>", "body": "x"}'
is "$HTTP_STATUS $(j .type) $(j .existing_id)" "409 /docs/api#problem-duplicate-template $tid" "the same name in another case: 409 naming the holder"
post "{\"name\": \"Promo'; DROP TABLE templates; --\", \"body\": \"Hi {{name|\\\"Customer\\\"}}\"}"
is "$HTTP_STATUS" 201 "a second template: 201"
pid=$(j .id)
is "$(j '.unknown_variables | length')" 0 "... no unknown variables"
api GET "/api/v1/templates/$tid" "$kr"
is "$HTTP_STATUS" 200 "GET one with a read-only key: 200"
is "$(j '[.versions[].version] | join(",")')" 1 "... its versions"
api GET "/api/v1/templates?limit=1" "$kr"
is "$HTTP_STATUS $(j '.data | length') $(j '.data[0].id')" "200 1 $tid" "a page of 1: the first"
cur=$(j .next_cursor)
api GET "/api/v1/templates?limit=1&cursor=$cur" "$kr"
is "$(j '.data[0].id') $(j .next_cursor)" "$pid null" "... the cursor: the second, the end"
api GET "/api/v1/templates?limit=201" "$kr"
is "$HTTP_STATUS $(j '.errors[0].field')" "422 limit" "a limit of 201: 422"
api GET "/api/v1/templates?cursor=x" "$kr"
is "$HTTP_STATUS $(j '.errors[0].field')" "422 cursor" "a bad cursor: 422"

# ---------------------------------------------------------------- update: versions
patch "$tid" '{"body": "Hello {{name}}!"}'
is "$HTTP_STATUS $(j .version) $(j .name)" "200 2 Welcome <script>alert(1)</script>" "a new body: version 2, the name kept"
patch "$tid" '{"name": "Welcome back"}'
is "$HTTP_STATUS $(j .version) $(j .body)" "200 2 Hello {{name}}!" "a new name only: still version 2"
patch "$tid" '{"name": "Welcome back", "body": "Hello {{name}}!"}'
is "$(j .version)" 2 "the same body: still version 2"
api GET "/api/v1/templates/$tid" "$kr"
is "$(j '[.versions[].version] | join(",")')" "2,1" "both versions kept, newest first"
like "$(j '.versions[1].body')" '\{\{nick\}\}' "... version 1 unchanged"
patch "$tid" '{"body": "{{name"}'
is "$HTTP_STATUS $(j '.errors[0].code')" "422 template-syntax" "a bad body: 422"
patch "$tid" "{\"name\": \"Promo'; DROP TABLE templates; --\"}"
is "$HTTP_STATUS $(j .existing_id)" "409 $pid" "another template's name: 409"
patch "$tid" '{"body": "x"}' "$kr"
is "$HTTP_STATUS" 403 "a read-only key may not update"
is "$(sql "SELECT name || ' ' || version FROM templates WHERE id = $tid")" "Welcome back 2" "... none of them changed it"

# ---------------------------------------------------------------- another customer
api GET "/api/v1/templates/$tid" "$k2"
is "$HTTP_STATUS $(j .type)" "404 /docs/api#problem-not-found" "another customer's template: 404"
patch "$tid" '{"name": "Mine"}' "$k2"
is "$HTTP_STATUS" 404 "... PATCH: 404"
api DELETE "/api/v1/templates/$tid" "$k2"
is "$HTTP_STATUS" 404 "... DELETE: 404"
api GET /api/v1/templates "$k2"
is "$(j '.data | length')" 0 "... and not in their list"
is "$(sql "SELECT name || ' ' || version FROM templates WHERE id = $tid")" "Welcome back 2" "... unchanged"

# ---------------------------------------------------------------- the limit
sql "INSERT INTO templates (customer_id, name) SELECT 1, 'Bulk ' || g FROM generate_series(1, 198) g;
     INSERT INTO template_versions (template_id, version, body) SELECT id, 1, 'x' FROM templates WHERE name LIKE 'Bulk %'" >/dev/null
post '{"name": "One too many", "body": "x"}'
is "$HTTP_STATUS $(j .type)" "409 /docs/api#problem-template-limit" "the 201st template: 409"
is "$(sql "SELECT count(*) FROM templates WHERE customer_id = 1")" 200 "... not stored"

# ---------------------------------------------------------------- delete
api DELETE "/api/v1/templates/$tid" "$kw"
is "$HTTP_STATUS $(j .deleted)" "200 true" "DELETE: 200"
is "$(sql "SELECT count(*) FROM template_versions WHERE template_id = $tid")" 0 "... its versions gone"
api GET "/api/v1/templates/$tid" "$kw"
is "$HTTP_STATUS" 404 "... then GET: 404"
api DELETE "/api/v1/templates/$tid" "$kw"
is "$HTTP_STATUS" 404 "... DELETE again: 404"

stack_stop
done_testing
