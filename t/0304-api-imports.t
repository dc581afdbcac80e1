#!/bin/sh
# 0304-api-imports.t: REST API v1 contact imports over HTTP: upload a CSV (draft with its proposed mapping and preview, or started at once), bad files, PATCH a draft, start, one at a time, cancel and discard, list, rejected rows, scopes and another customer's imports.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/t/apikeygen" ] || skip_all "t/apikeygen not built"
command -v jq >/dev/null || skip_all "jq is missing (./dev test installs it)"
STACK_ENV="WAPORTAL_MAX_UPLOAD=1048576"
stack_start --workers 1
stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET api_rpm = 1000;
     INSERT INTO contact_fields (customer_id, key, label, kind, choices) VALUES
     (1, 'city', 'City', 'text', '{}'), (1, 'tier', 'Tier', 'choice', '{Gold,Silver}');
     INSERT INTO tags (customer_id, name) VALUES (1, 'vip'), (2, 'theirs')" >/dev/null || bail_out "seeding failed"

read -r KW _ < <(newkey 1 '{contacts:read,contacts:write}')
read -r KR _ < <(newkey 1 '{contacts:read}')
read -r KM _ < <(newkey 1 '{messages:send}')
read -r K2 _ < <(newkey 2 '{contacts:read,contacts:write}')
d=$STACK_DIR
j() { jq -r "$@" <<<"$HTTP_BODY"; }
up() {	# up KEY FILE [QUERY]
	api POST "/api/v1/contacts/imports${3:+?$3}" "$1" -H 'Content-Type: text/csv' --data-binary "@$2"
}
njobs() { sql "SELECT count(*) FROM jobs"; }

printf '\xef\xbb\xbfPhone,Name,E-mail,City,Tier\n0812-3456-7890,"Budi, Jr",Budi@Example.COM,Bandung,gold\n+1 650 253 0000,<b>Ann</b>,ann@x,NYC,Bronze\n' >"$d/a.csv"

# Bad calls change nothing.
up "$KR" "$d/a.csv"
is "$HTTP_STATUS" 403 "a key without contacts:write: 403"
is "$(j .type)" /docs/api#problem-scope-missing "... scope-missing"
up "$KM" "$d/a.csv"
is "$HTTP_STATUS" 403 "a messages key: 403"
api POST /api/v1/contacts/imports "$KW" -H 'Content-Type: application/json' --data-binary '{"a":1}'
is "$HTTP_STATUS" 415 "a JSON body: 415"
printf '\x89PNG\r\n\x1a\n\0\0\0' >"$d/pic.csv"
up "$KW" "$d/pic.csv"
is "$HTTP_STATUS" 422 "a binary file: 422"
is "$(j .type)" /docs/api#problem-invalid-file "... invalid-file"
like "$(j '.errors[0].detail')" 'not a text file' "... says why"
: >"$d/empty.csv"
up "$KW" "$d/empty.csv"
is "$HTTP_STATUS" 422 "an empty body: 422"
up "$KW" "$d/a.csv" 'country=XX&existing=maybe&start=yes'
is "$HTTP_STATUS" 422 "bad query values: 422"
is "$(j '[.errors[].field] | join(",")')" country,existing,start "... each named"
head -c 1048577 /dev/zero | tr '\0' a >"$d/big.csv"
up "$KW" "$d/big.csv"
is "$HTTP_STATUS" 413 "a body over WAPORTAL_MAX_UPLOAD: 413"
is "$(j .type)" /docs/api#problem-body-too-large "... body-too-large"
is "$(njobs)" 0 "nothing was stored"

# A draft: the proposed mapping and the preview.
up "$KW" "$d/a.csv" 'name=%3Cscript%3E.csv'
is "$HTTP_STATUS" 201 "a CSV: 201"
id=$(j .id)
is "$(j '[.state, .file_name, .country, .existing] | join(",")')" 'draft,<script>.csv,ID,skip' \
    "a draft, its name, the customer's country, skip"
is "$(j -c .header)" '["Phone","Name","E-mail","City","Tier"]' "... its header"
is "$(j -c '.mapping | to_entries | sort_by(.value) | map("\(.key)=\(.value)") | join(",")')" \
    'phone=0,name=1,email=2,field:city=3,field:tier=4' "... the proposed mapping, custom fields by label"
is "$(j -cS '.preview[0]')" '{"errors":{},"line":2,"values":{"email":"Budi@example.com","field:city":"Bandung","field:tier":"Gold","name":"Budi, Jr","phone":"+6281234567890"}}' \
    "... the preview's first row as stored"
is "$(j -c '.preview[1].errors | keys')" '["email","field:tier"]' "... the second row's refused cells (+1 650 is a valid US number)"
is "$(j '.preview[1].values.name')" '<b>Ann</b>' "... a hostile name kept exactly (JSON escapes it)"
is "$(j .progress.bytes_total)" "$(stat -c %s "$d/a.csv")" "... its size"
is "$(j .report)" null "... no report yet"

# The preview applies the runner's rules to a consent note and tags too.
printf 'Phone,Consent,Tags\n+6281234567890,%s,"VIP, %s"\n+6281234567891,web form,"VIP; Jakarta"\n' \
    "$(printf 'x%.0s' $(seq 201))" "$(printf 't%.0s' $(seq 51))" >"$d/c.csv"
up "$KW" "$d/c.csv"
is "$(j -c '[(.preview[0].errors | keys), (.preview[1].errors | keys), .preview[1].values.tags]')" \
    '[["consent_note","tags"],[],"VIP; Jakarta"]' "the preview refuses a consent note over 200 and a tag over 50 characters"
api DELETE "/api/v1/contacts/imports/$(j .id)" "$KW"
# Another customer sees nothing of it.
api GET "/api/v1/contacts/imports/$id" "$K2"
is "$HTTP_STATUS" 404 "another customer's GET: 404"
api PATCH "/api/v1/contacts/imports/$id" "$K2" -H 'Content-Type: application/json' --data-binary '{"country":"DE"}'
is "$HTTP_STATUS" 404 "... PATCH: 404"
api POST "/api/v1/contacts/imports/$id/start" "$K2"
is "$HTTP_STATUS" 404 "... start: 404"
api DELETE "/api/v1/contacts/imports/$id" "$K2"
is "$HTTP_STATUS" 404 "... DELETE: 404"
api GET "/api/v1/contacts/imports/$id/rejects" "$K2"
is "$HTTP_STATUS" 404 "... rejects: 404"
api GET /api/v1/contacts/imports "$K2"
is "$(j '.data | length')" 0 "... its list is empty"
is "$(sql "SELECT state, country FROM jobs j JOIN imports i ON i.job_id = j.id WHERE j.id = $id")" "draft|ID" "nothing changed"

# PATCH: every bad member named, nothing saved.
patch() { api PATCH "/api/v1/contacts/imports/$id" "$KW" -H 'Content-Type: application/json' --data-binary "$1"; }
patch '{"mapping":{"phone":"Nope","bogus":1,"name":9},"country":"XX","existing":"x","add_tags":["a"]}'
is "$HTTP_STATUS" 422 "a bad PATCH: 422"
is "$(j '[.errors[].field] | join(",")')" 'mapping.phone,mapping.bogus,mapping.name,country,existing,add_tags' "... each member named"
patch '{"mapping":[]}'
is "$HTTP_STATUS" 422 "a mapping that is not an object: 422"
is "$(sql "SELECT i.mapping->>'phone', i.country FROM imports i WHERE job_id = $id")" "0|ID" "nothing was saved"
vip=$(sql "SELECT id FROM tags WHERE name = 'vip'"); theirs=$(sql "SELECT id FROM tags WHERE name = 'theirs'")
patch "{\"mapping\":{\"phone\":\"Phone\",\"name\":1},\"country\":\"US\",\"existing\":\"fill\",\"add_tags\":[$vip,$theirs]}"
is "$HTTP_STATUS" 200 "a good PATCH: 200"
is "$(j -c '[.mapping, .country, .existing, .add_tags]')" "[{\"name\":1,\"phone\":0},\"US\",\"fill\",[$vip]]" \
    "the mapping (by name or index) replaced, the country, the choice, and only the customer's tag"
is "$(j '.preview[0].errors | has("phone")')" true "... the preview follows the new country: the Indonesian number is refused"
is "$(j '.preview[1].values.phone')" '+16502530000' "... the US number is now valid"

# Start: 422 without a phone column, then 202; one at a time.
patch '{"mapping":{"name":1}}'
api POST "/api/v1/contacts/imports/$id/start" "$KW"
is "$HTTP_STATUS" 422 "start without a phone column: 422"
is "$(j '.errors[0].field')" mapping "... the mapping is named"
patch '{"mapping":{"phone":0,"name":1}}'
api POST "/api/v1/contacts/imports/$id/start" "$KW"
is "$HTTP_STATUS" 202 "start: 202"
is "$(j .state)" queued "... queued"
is "$(j .preview)" null "... no preview once started"
patch '{"country":"DE"}'
is "$HTTP_STATUS" 409 "PATCH after the start: 409"
is "$(j .type)" /docs/api#problem-not-draft "... not-draft"
api POST "/api/v1/contacts/imports/$id/start" "$KW"
is "$HTTP_STATUS" 409 "start again: 409"
up "$KW" "$d/a.csv" 'start=true'
is "$HTTP_STATUS" 409 "a second import started while one is queued: 409"
is "$(j .type)" /docs/api#problem-import-running "... import-running"
is "$(njobs)" 1 "... and the refused draft is not kept"
api GET "/api/v1/contacts/imports/$id" "$KR"
is "$HTTP_STATUS" 200 "a read key follows it: 200"
is "$(j .state)" queued "... queued"

# Cancel the queued one; a draft is discarded.
api DELETE "/api/v1/contacts/imports/$id" "$KW"
is "$HTTP_STATUS" 200 "DELETE a queued import: 200"
is "$(j .state)" cancelled "... cancelled"
api DELETE "/api/v1/contacts/imports/$id" "$KW"
is "$HTTP_STATUS" 409 "DELETE an ended import: 409"
up "$KW" "$d/a.csv"; id2=$(j .id)
api DELETE "/api/v1/contacts/imports/$id2" "$KW"
is "$(j -c .)" "{\"id\":$id2,\"state\":\"discarded\"}" "DELETE a draft discards it"
is "$(sql "SELECT count(*) FROM jobs WHERE id = $id2")" 0 "... gone"

# Started at once; existing=overwrite from the query.
up "$KW" "$d/a.csv" 'start=true&existing=overwrite&country=ID'
is "$HTTP_STATUS" 202 "upload with start=true: 202"
id3=$(j .id)
is "$(j '[.state, .existing] | join(",")')" queued,overwrite "... queued with the choice"

# The rejected rows of a finished import (written as the runner writes
# them; t/0151 drives the runner), a page at a time.
sql "UPDATE jobs SET state = 'done', finished_at = wa_now() WHERE id = $id3;
     UPDATE imports SET total = 1503, inserted = 1, rejected = 1502 WHERE job_id = $id3;
     INSERT INTO import_rejects (job_id, line, col, value, reason)
     SELECT $id3, g, 'phone', '=1+' || g, 'too-short' FROM generate_series(2, 1503) g" >/dev/null
api GET "/api/v1/contacts/imports/$id3" "$KR"
is "$(j -c .report)" '{"total":1503,"inserted":1,"updated":0,"unchanged":0,"duplicates":0,"rejected":1502}' "the report"
api GET "/api/v1/contacts/imports/$id3/rejects" "$KR"
is "$HTTP_STATUS" 200 "rejects: 200"
is "$(j '.data | length')" 1000 "... 1,000 a page"
is "$(j -c '.data[0]')" '{"line":2,"column":"phone","value":"=1+2","reason":"too-short"}' "... as stored, in line order"
cur=$(j .next_cursor)
api GET "/api/v1/contacts/imports/$id3/rejects?cursor=$cur" "$KR"
is "$(j '[(.data | length), .data[0].line, .next_cursor] | join(",")')" 502,1002, "... the rest on the next page"
api GET "/api/v1/contacts/imports/$id3/rejects?limit=0" "$KR"
is "$HTTP_STATUS" 422 "limit=0: 422"

# The list, newest first, cursor paged.
api GET '/api/v1/contacts/imports?limit=1' "$KR"
is "$(j '[(.data | length), .data[0].id] | join(",")')" "1,$id3" "the list: newest first"
api GET "/api/v1/contacts/imports?limit=1&cursor=$(j .next_cursor)" "$KR"
is "$(j '.data[0].id')" "$id" "... the next page"

stack_stop
done_testing
