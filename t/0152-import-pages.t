#!/bin/sh
# 0152-import-pages.t: the contact import pages: upload (every bad file refused, nothing stored), the proposed mapping and the preview, the mapping form's errors, start, one import at a time, cancel and discard, the report and the rejected rows' CSV, another customer's imports.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

# Uploads here are at most 1 MiB, so the limit is tested with small files.
STACK_ENV="WAPORTAL_MAX_UPLOAD=1048576"
stack_start --clock now
PW=$STACK_PW
stack_customers 1 100 c@example.com d@example.com || bail_out "seeding failed"
c1=$(sql "SELECT id FROM users WHERE email = 'c@example.com'")
c2=$(sql "SELECT id FROM users WHERE email = 'd@example.com'")

jar=$STACK_DIR/jar; jar2=$STACK_DIR/jar2
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$PW"
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$PW"
http GET /contacts/import -b "$jar2"; csrf2=$(csrf_of)

http GET /contacts/import -b "$jar"
is "$HTTP_STATUS" 200 "GET /contacts/import: 200"
like "$HTTP_BODY" 'No imports yet' "an empty history says what to do"
like "$HTTP_BODY" '<option value="ID" selected>Indonesia</option>' "the country is the customer's (ID)"
like "$HTTP_BODY" 'enctype="multipart/form-data"' "the form uploads a file"
csrf=$(csrf_of)

njobs() { sql "SELECT count(*) FROM jobs"; }
upload() {	# upload FILE [NAME] [country]
	http POST /contacts/import -b "$jar" -F "_csrf=$csrf" -F "country=${3:-ID}" \
	    -F "file=@$1;filename=${2:-$(basename "$1")};type=text/csv"
}
d=$STACK_DIR

# Bad files: 422 with why, nothing stored.
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$d/pic.csv"
upload "$d/pic.csv"
is "$HTTP_STATUS" 422 "a binary file named .csv: 422"
like "$HTTP_BODY" 'not a text file' "... says it is not a text file"
like "$HTTP_BODY" 'autofocus' "... the file field has the focus"
: >"$d/empty.csv"
upload "$d/empty.csv"
is "$HTTP_STATUS" 422 "an empty file: 422"
like "$HTTP_BODY" 'The file is empty' "... says so"
printf 'name,phone\n\xff\xfe bad,0812\n' >"$d/latin1.csv"
upload "$d/latin1.csv"
is "$HTTP_STATUS" 422 "invalid UTF-8: 422"
http POST /contacts/import -b "$jar" -F "_csrf=$csrf" -F country=ID
is "$HTTP_STATUS" 422 "no file: 422"
like "$HTTP_BODY" 'Choose a CSV file' "... asks for one"
printf 'phone\n0812\n' >"$d/ok.csv"
upload "$d/ok.csv" ok.csv ZZ
is "$HTTP_STATUS" 422 "an unknown country: 422"
like "$HTTP_BODY" 'Choose a country' "... says so"
head -c 1048577 /dev/zero | tr '\0' 'a' | sed '1s/^/phone\n/' >"$d/big.csv"
upload "$d/big.csv"
is "$HTTP_STATUS" 422 "a file over WAPORTAL_MAX_UPLOAD: 422"
like "$HTTP_BODY" 'larger than' "... says it is too large"
head -c 1200000 /dev/zero | tr '\0' 'a' | sed '1s/^/phone\n/' >"$d/bigger.csv"
upload "$d/bigger.csv"
is "$HTTP_STATUS" 413 "a body over the limit and its 64 KiB of form: 413 before it is read"
http POST /contacts/import -b "$jar" -F "_csrf=bad" -F country=ID -F "file=@$d/ok.csv"
is "$HTTP_STATUS" 403 "a wrong CSRF token: 403"
is "$(njobs)" 0 "nothing was stored"

# A good file: semicolons, a BOM, Indonesian column names, a custom field.
sql "INSERT INTO contact_fields (customer_id, key, label, kind) VALUES ($c1, 'kota', 'Kota', 'text'),
    ($c1, 'lahir', 'Tanggal lahir', 'date')" >/dev/null
sql "INSERT INTO tags (customer_id, name, colour) VALUES ($c1, 'VIP', 'red'), ($c2, 'theirs', 'blue')" >/dev/null
tag1=$(sql "SELECT id FROM tags WHERE name = 'VIP'"); tag2=$(sql "SELECT id FROM tags WHERE name = 'theirs'")
printf '\xef\xbb\xbfNama;No HP;Email;Kota;Tanggal lahir;<b>x</b>\n"Budi; Jr";0812-3456-7890;Budi@Example.COM;Bandung;31/12/1990;1\n<script>alert(1)</script>;+62 (813) 1111-2222;siti@x;=cmd();1990-13-01;2\nShort;123;;;;3\n' >"$d/a.csv"
upload "$d/a.csv" '<img src=x>.csv'
is "$HTTP_STATUS" 303 "a good file: 303"
loc=$(header Location); id=${loc##*/}
like "$loc" '^/contacts/import/[0-9]+$' "... to its mapping page"
is "$(sql "SELECT j.state, i.delimiter, i.file_size, array_length(i.header, 1)
    FROM jobs j JOIN imports i ON i.job_id = j.id WHERE j.id = $id")" \
    "draft|;|$(stat -c %s "$d/a.csv")|6" "a draft: the delimiter detected, the header read"
is "$(sql "SELECT i.mapping->>'phone', i.mapping->>'name', i.mapping->>'email', i.mapping->>'field:kota', i.mapping->>'field:lahir' FROM imports i WHERE job_id = $id")" \
    "1|0|2|3|4" "the proposed mapping: No HP, Nama, Email, and the fields by their labels"
is "$(sql "SELECT count(*), sum(length(data)) FROM import_chunks WHERE job_id = $id")" "1|$(stat -c %s "$d/a.csv")" \
    "the file is stored whole"
http GET "$loc" -b "$jar"
is "$HTTP_STATUS" 200 "the mapping page: 200"
like "$HTTP_BODY" '&lt;img src=x&gt;.csv' "the file name is escaped"
unlike "$HTTP_BODY" '<img src=x>' "... never raw"
like "$HTTP_BODY" '&lt;b&gt;x&lt;/b&gt;' "a column name is escaped"
like "$HTTP_BODY" '<select id="im-map-1" name="map_1"><option value="">Do not import</option><option value="phone" selected>' \
    "No HP is proposed as the phone"
like "$HTTP_BODY" '<td>2</td><td>Budi; Jr</td><td>\+6281234567890</td><td>Budi@example.com</td><td>Bandung</td><td>1990-12-31</td>' \
    "the preview: the first row as stored (E.164, the domain lower-cased, the date)"
like "$HTTP_BODY" '&lt;script&gt;alert\(1\)&lt;/script&gt;</td><td>\+6281311112222</td><td class="im-bad">siti@x' \
    "the second row: the name escaped, the number normalised, the e-mail refused"
like "$HTTP_BODY" '<td class="im-bad">1990-13-01<br>' "... and the impossible date refused"
like "$HTTP_BODY" '<td>=cmd\(\)</td>' "a formula cell is shown as written"
like "$HTTP_BODY" '<td class="im-bad">123<br><small class="field__error">The phone number is too short.</small>' \
    "the third row's number is too short"
like "$HTTP_BODY" "name=\"tag_$tag1\"" "the customer's tags may be added"
unlike "$HTTP_BODY" "name=\"tag_$tag2\"" "... never another customer's"

# The mapping form: every error at once, nothing saved.
map() { http POST "$loc" -b "$jar" --data-urlencode "_csrf=$csrf" "$@"; }
map -d map_0=phone -d map_1=phone -d map_2=bogus -d country=ID -d existing=skip -d action=preview
is "$HTTP_STATUS" 422 "two columns as the phone and an unknown target: 422"
like "$HTTP_BODY" 'Another column is already imported as this' "... the second phone column says so"
like "$HTTP_BODY" 'Choose from the list' "... the unknown target says so"
map -d map_1=phone -d country=ID -d existing=sometimes -d action=preview
is "$HTTP_STATUS" 422 "an unknown choice for existing contacts: 422"
is "$(sql "SELECT mapping->>'phone', existing FROM imports WHERE job_id = $id")" "1|skip" "nothing was saved"
map -d map_0=name -d country=ID -d existing=fill -d action=start
is "$HTTP_STATUS" 422 "start without a phone column: 422"
like "$HTTP_BODY" 'Choose the column that holds the phone numbers' "... asks for it"
is "$(sql "SELECT state FROM jobs WHERE id = $id")" "draft" "... still a draft"

# A preview with another mapping, country and tags; a foreign tag is dropped.
map -d map_0=name -d map_1=phone -d map_3=notes -d country=DE -d existing=overwrite \
    -d "tag_$tag1=1" -d "tag_$tag2=1" -d action=preview
is "$HTTP_STATUS" 200 "a new preview: 200"
like "$HTTP_BODY" '<td class="im-bad">0812-3456-7890<br>' "with Germany, the Indonesian national number is refused"
is "$(sql "SELECT mapping::text, country, existing, add_tags::text FROM imports WHERE job_id = $id")" \
    "{\"name\": 0, \"notes\": 3, \"phone\": 1}|DE|overwrite|{$tag1}" "the form is saved, without the other customer's tag"
like "$HTTP_BODY" "name=\"tag_$tag1\" value=\"1\" checked" "... and the tag stays checked"

# Another customer sees none of it.
for u in "$loc" "$loc/live.json" "$loc/cancel" "$loc/rejects.csv"; do
	http GET "$u" -b "$jar2"
	is "$HTTP_STATUS" 404 "another customer: GET ${u#$loc} 404"
done
http POST "$loc" -b "$jar2" --data-urlencode "_csrf=$csrf2" -d map_1=phone -d country=ID -d action=start
is "$HTTP_STATUS" 404 "another customer cannot start it"
http POST "$loc/cancel" -b "$jar2" --data-urlencode "_csrf=$csrf2"
is "$HTTP_STATUS" 404 "... nor cancel it"
is "$(sql "SELECT state FROM jobs WHERE id = $id")" "draft" "... still a draft"

# Start: queued, its page shows the progress and refreshes itself.
map -d map_0=name -d map_1=phone -d country=ID -d existing=skip -d action=start
is "$HTTP_STATUS" 303 "start: 303"
is "$(header Location)" "$loc" "... to the import's page"
is "$(sql "SELECT state, total, (SELECT ready FROM imports WHERE job_id = $id) FROM jobs WHERE id = $id")" \
    "queued|$(stat -c %s "$d/a.csv")|t" "the job is queued for the runner"
http GET "$loc" -b "$jar"
like "$HTTP_BODY" 'data-live-job="/contacts/import/'"$id"'/live.json"' "its page polls live.json"
like "$HTTP_BODY" '<progress class="im-progress" max="100" value="0"' "... a progress bar at 0"
like "$HTTP_BODY" 'Waiting' "... waiting"
like "$HTTP_BODY" 'http-equiv="refresh"' "... and reloads itself without JavaScript"
http GET "$loc/live.json" -b "$jar"
is "$HTTP_STATUS" 200 "live.json: 200"
is "$(jq -r '[.state, .percent, .over] | join(",")' <<<"$HTTP_BODY")" "queued,0,false" "... queued, 0 %, not over"
map -d map_1=phone -d country=ID -d action=preview
is "$HTTP_STATUS" 303 "the mapping of a started import cannot change: back to its page"

# One import at a time.
upload "$d/ok.csv"
loc2=$(header Location); id2=${loc2##*/}
http GET /contacts/import -b "$jar"
like "$HTTP_BODY" "An import is running: <a href=\"/contacts/import/$id\">" "the imports page links the running one"
http POST "$loc2" -b "$jar" --data-urlencode "_csrf=$csrf" -d map_0=phone -d country=ID -d action=start
is "$HTTP_STATUS" 422 "a second start while one runs: 422"
like "$HTTP_BODY" 'Another import is running' "... says so"
is "$(sql "SELECT state FROM jobs WHERE id = $id2")" draft "... it stays a draft"

# Cancel the queued one: asked first, then cancelled and its file gone.
http GET "$loc/cancel" -b "$jar"
like "$HTTP_BODY" 'Nothing of it will be saved' "cancelling asks first"
http POST "$loc/cancel" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 303 "cancel: 303"
is "$(sql "SELECT state, (SELECT count(*) FROM import_chunks WHERE job_id = $id) FROM jobs WHERE id = $id")" \
    "cancelled|0" "the job is cancelled and its file deleted"
http GET "$loc" -b "$jar"
like "$HTTP_BODY" 'Cancelled' "its page says so"
unlike "$HTTP_BODY" 'http-equiv="refresh"' "... and stops reloading"
http POST "$loc2" -b "$jar" --data-urlencode "_csrf=$csrf" -d map_0=phone -d country=ID -d action=start
is "$HTTP_STATUS" 303 "now the other one starts"

# Discard a draft: asked first, then gone with its file.
upload "$d/ok.csv"
loc3=$(header Location); id3=${loc3##*/}
http GET "$loc3/cancel" -b "$jar"
like "$HTTP_BODY" 'Discard this file\?' "discarding a draft asks first"
http POST "$loc3/cancel" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$(header Location)" /contacts/import "... then goes back to the imports"
is "$(sql "SELECT count(*) FROM jobs WHERE id = $id3") $(sql "SELECT count(*) FROM import_chunks WHERE job_id = $id3")" "0 0" \
    "the draft and its file are gone"

# A file name sent with a path keeps only its last part.
upload "$d/ok.csv" 'C:\Users\dewi\..\kontak pelanggan.csv'
idp=$(header Location); idp=${idp##*/}
is "$(sql "SELECT file_name FROM imports WHERE job_id = $idp")" 'kontak pelanggan.csv' "a file name's path is dropped"
sql "DELETE FROM jobs WHERE id = $idp" >/dev/null

# Drafts nobody starts go after a day, at the next upload.
upload "$d/ok.csv"; id4=$(header Location); id4=${id4##*/}
sql "UPDATE jobs SET created_at = wa_now() - interval '25 hours' WHERE id = $id4" >/dev/null
upload "$d/ok.csv"
is "$(sql "SELECT count(*) FROM jobs WHERE id = $id4")" 0 "a day-old draft goes at the next upload"

# The report and the rejected rows of a finished import (written here as
# the runner writes them; t/0151 drives the runner itself).
sql "UPDATE jobs SET state = 'done', started_at = wa_now(), finished_at = wa_now() WHERE id = $id2;
    UPDATE imports SET total = 7, inserted = 2, updated = 1, unchanged = 1, duplicates = 1, rejected = 2 WHERE job_id = $id2;
    INSERT INTO import_rejects (job_id, line, col, value, reason) VALUES
    ($id2, 3, 'phone', '=HYPERLINK(\"http://x\",\"a, b\")', 'too-short'),
    ($id2, 5, 'email', 'x@', 'invalid-email')" >/dev/null
http GET "$loc2" -b "$jar"
like "$HTTP_BODY" '<dt>Rows in the file</dt><dd>7</dd>' "the report: the rows"
like "$HTTP_BODY" '<dt>New contacts</dt><dd>2</dd>' "... the new ones"
like "$HTTP_BODY" '<dt>Duplicates in the file</dt><dd>1</dd>' "... the duplicates"
like "$HTTP_BODY" '<dt>Rejected</dt><dd>2</dd>' "... the rejected"
like "$HTTP_BODY" "href=\"/contacts/import/$id2/rejects.csv\"" "... and a link to the rejected rows"
unlike "$HTTP_BODY" 'data-live-job' "... and no live progress any more (the page would reload itself)"
http GET "$loc2/rejects.csv" -b "$jar"
is "$HTTP_STATUS" 200 "the rejected rows: 200"
like "$(header Content-Type)" '^text/csv' "... as CSV"
like "$(header Content-Disposition)" "attachment; filename=\"import-$id2-rejected.csv\"" "... to download"
is "$(printf %s "$HTTP_BODY" | head -c 3 | od -An -tx1 | tr -d ' ')" efbbbf "... with a BOM for spreadsheets"
is "$(printf %s "$HTTP_BODY" | sed '1s/^\xef\xbb\xbf//' | tr -d '\r')" 'line,column,value,reason
3,phone,"'"'"'=HYPERLINK(""http://x"",""a, b"")",too-short
5,email,x@,invalid-email' "... one line per row, quoted where RFC 4180 needs it, the formula neutralised"
http GET /contacts/import -b "$jar"
like "$HTTP_BODY" "<a href=\"/contacts/import/$id2\">ok.csv</a>" "the history lists the imports"
like "$HTTP_BODY" '<td>7</td>' "... with the report's figures"

# The history pages 20 at a time.
sql "INSERT INTO jobs (customer_id, kind, state) SELECT $c1, 'import', 'done' FROM generate_series(1, 25);
    INSERT INTO imports (job_id, customer_id, file_name, file_size, country)
    SELECT id, customer_id, 'old-' || id || '.csv', 1, 'ID' FROM jobs WHERE NOT EXISTS
    (SELECT 1 FROM imports i WHERE i.job_id = jobs.id)" >/dev/null
http GET /contacts/import -b "$jar"
is "$(grep -c 'href="/contacts/import/[0-9]*">' <<<"$HTTP_BODY")" 20 "the first page lists 20 imports"
older=$(grep -o 'href="/contacts/import?before=[0-9]*"' <<<"$HTTP_BODY" | grep -o '[0-9]*')
cmp_ok "$older" '>' 0 "... and links the older ones"
http GET "/contacts/import?before=$older" -b "$jar"
n2=$(grep -c 'href="/contacts/import/[0-9]*">' <<<"$HTTP_BODY")
total=$(sql "SELECT count(*) FROM jobs WHERE customer_id = $c1")
is "$((20 + n2))" "$total" "the second page holds the rest"
http GET "/contacts/import?before=abc" -b "$jar"
is "$HTTP_STATUS" 400 "a bad cursor: 400"

stack_stop
done_testing
