#!/bin/sh
# 0150-contacts.t: the Contacts pages on the real stack: the list, every filter and their combinations, keyset pages to the end, the capped count, the selection's actions, the contact forms, tags and fields, another customer's ids, hostile values.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 2 --clock '2026-03-15 10:00:00+00'
PW=$STACK_PW

stack_customers 1 1000 c@example.com d@example.com e@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 20000" >/dev/null
sql "UPDATE users SET time_zone = 'Asia/Jakarta'" >/dev/null
jar=$STACK_DIR/jar; jar2=$STACK_DIR/jar2; jar3=$STACK_DIR/jar3
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$PW"
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$PW"
http POST /login -c "$jar3" --data-urlencode email=e@example.com --data-urlencode "password=$PW"
# ids: the contact ids the last page lists, in order; link REL: the pager's.
ids() { grep -o 'name="c\.[0-9]*"' <<<"$HTTP_BODY" | grep -o '[0-9]*'; }
link() { grep -o "href=\"[^\"]*\" rel=\"$1\"" <<<"$HTTP_BODY" | sed 's/^href="//; s/" rel=.*//; s/&amp;/\&/g'; }
count() { grep -o 'id="ct-count">[^<]*<strong class="num">[0-9,]*' <<<"$HTTP_BODY" | grep -o '[0-9,]*$'; }
# want QUERY SQL_WHERE: the list with QUERY shows exactly the contacts of
# customer 1 that SQL_WHERE selects, in the order of the default sort.
want() {
	local got exp
	http GET "/contacts?$1" -b "$jar"
	got=$(ids | tr '\n' ' ')
	exp=$(sql "SELECT id FROM contacts c WHERE customer_id = 1 AND ($2) ORDER BY created_at DESC, id DESC LIMIT 50" | tr '\n' ' ')
	is "$HTTP_STATUS $got" "200 $exp" "filter $1: the rows SQL selects ($2)"
}

# Empty: the page says what to do. csrf: the session's token.
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
http GET /contacts -b "$jar"
csrf=$(csrf_of)
is "$HTTP_STATUS" 200 "GET /contacts: 200"
like "$HTTP_BODY" 'No contacts yet' "an empty list says what to do"
like "$HTTP_BODY" 'href="/contacts/import"' "and links to the import"
like "$HTTP_BODY" 'href="/contacts/new"' "and to the form"
like "$HTTP_BODY" 'href="/contacts" aria-current="page"' "the sidebar's Contacts is a link, the current page"

# Seed: tags, fields, and contacts of customer 1 (and 2, which 1 must
# never see), with known values to filter on.
sql "INSERT INTO tags (customer_id, name, colour) VALUES (1, 'vip', 'red'), (1, 'lead', 'green'),
     (1, '<b>x</b>', 'blue'), (2, 'secret-tag', 'pink')" >/dev/null
sql "INSERT INTO contact_fields (customer_id, key, label, kind, choices) VALUES
     (1, 'city', 'City', 'text', '{}'), (1, 'age', 'Age', 'number', '{}'),
     (1, 'joined', 'Joined', 'date', '{}'), (1, 'member', 'Member', 'boolean', '{}')" >/dev/null
sql "INSERT INTO contacts (customer_id, phone, name, email, tags, fields, status, last_out_at, created_at)
     SELECT 1, '+62811' || lpad(g::text, 7, '0'), 'Person ' || g || CASE WHEN g % 10 = 0 THEN ' Budi' ELSE '' END,
         CASE WHEN g % 3 = 0 THEN 'p' || g || '@example.com' ELSE '' END,
         CASE WHEN g % 4 = 0 THEN ARRAY[1, 2]::bigint[] WHEN g % 4 = 1 THEN ARRAY[1]::bigint[]
             WHEN g % 4 = 2 THEN ARRAY[2]::bigint[] ELSE '{}' END,
         jsonb_build_object('city', CASE WHEN g % 2 = 0 THEN 'Jakarta' ELSE 'Medan' END, 'age', 20 + g % 30,
             'joined', to_char(date '2025-01-01' + g, 'YYYY-MM-DD'), 'member', g % 5 = 0),
         CASE g % 3 WHEN 0 THEN 'subscribed' WHEN 1 THEN 'unsubscribed' ELSE 'unknown' END,
         CASE WHEN g % 2 = 0 THEN timestamptz '2026-03-01' END,
         timestamptz '2026-01-01 00:00+07' + g * interval '1 hour'
     FROM generate_series(1, 130) g" >/dev/null
sql "INSERT INTO contacts (customer_id, phone, name, email, tags) VALUES
     (2, '+6289900000001', 'SECRET-OTHER', 'secret@example.com', ARRAY[4]::bigint[])" >/dev/null

http GET /contacts -b "$jar"
is "$(count)" 130 "the count: 130 contacts"
unlike "$HTTP_BODY" 'SECRET-OTHER|secret-tag' "nothing of another customer's"
like "$HTTP_BODY" '<span class="chip chip--blue">&lt;b&gt;x&lt;/b&gt;</span>' "a tag's HTML name is escaped in the filter"
is "$(ids | wc -l)" 50 "a page of 50"

want "" "true"
want "q=budi" "name ILIKE '%budi%'"
want "q=%2B6281100000" "phone LIKE '+6281100000%'"
want "q=p12%40example" "email LIKE 'p12@example%'"
want "q=62811000001" "phone LIKE '+62811000001%'"
want "q=0811-0000-012" "phone = '+628110000012'"
want "q=00012" "phone LIKE '%00012%'"
want "q=100%25" "false"
want "q=_erson" "false"
want "any=1" "tags && '{1}'"
want "any.2=1" "tags && '{2}'"
want "any=1,2" "tags && '{1,2}'"
want "all=1,2" "tags @> '{1,2}'"
want "all.1=1&all.2=1" "tags @> '{1,2}'"
want "any=4" "false"
want "status=subscribed" "status = 'subscribed'"
want "status=unknown" "status = 'unknown'"
want "never=1" "last_out_at IS NULL"
want "field=city&eq=Medan" "fields->>'city' = 'Medan'"
want "field=age&eq=25" "(fields->>'age')::int = 25"
want "field=age&min=40&max=45" "(fields->>'age')::int BETWEEN 40 AND 45"
want "field=age&min=48" "(fields->>'age')::int >= 48"
want "field=joined&min=2025-02-01&max=2025-02-10" "fields->>'joined' BETWEEN '2025-02-01' AND '2025-02-10'"
want "field=joined&max=2025-01-05" "fields->>'joined' <= '2025-01-05'"
want "field=member&eq=yes" "(fields->>'member')::boolean"
want "from=2026-01-03&to=2026-01-04" "created_at >= '2026-01-03 00:00+07' AND created_at < '2026-01-05 00:00+07'"
want "q=budi&status=unsubscribed&any=1" "name ILIKE '%budi%' AND status = 'unsubscribed' AND tags && '{1}'"
want "all=1,2&never=1&field=city&eq=Jakarta" "tags @> '{1,2}' AND last_out_at IS NULL AND fields->>'city' = 'Jakarta'"
want "field=age&min=30&max=39&status=subscribed&from=2026-01-02" "(fields->>'age')::int BETWEEN 30 AND 39 AND status = 'subscribed' AND created_at >= '2026-01-02 00:00+07'"
http GET "/contacts?q=budi&status=unsubscribed&any=1" -b "$jar"
is "$(count)" "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND name ILIKE '%budi%' AND status = 'unsubscribed' AND tags && '{1}'")" "a combination's count"
http GET "/contacts?q=zzzzz" -b "$jar"
like "$HTTP_BODY" 'No contact matches these filters' "no match: says so, with a way back"
like "$HTTP_BODY" '<a href="/contacts">Clear filters</a>' "a Clear link"

# Bad filters: each says why, on the field, with a 400.
for q in "q=ab" "status=gone" "any=x" "from=2026-02-30" "from=2026-03-02&to=2026-03-01" \
    "field=nope&eq=1" "field=age&eq=old" "field=member&min=1" "field=age&min=9&max=1" "sort=phone" "after=garbage"; do
	http GET "/contacts?$q" -b "$jar"
	is "$HTTP_STATUS" 400 "bad filter $q: 400"
	like "$HTTP_BODY" 'class="field__error"|page link is out of date|correct them' "bad filter $q: says why"
done
http GET "/contacts?q=ab" -b "$jar"
like "$HTTP_BODY" 'at least 3 characters' "a short search: its reason"
like "$HTTP_BODY" 'aria-invalid="true" autofocus' "the search field is marked and focused"

# Keyset pages to the end and back, in every order, without duplicates or gaps.
for sort in created_desc created_asc name_asc name_desc; do
	case $sort in
	created_desc) order="created_at DESC, id DESC" ;;
	created_asc) order="created_at, id" ;;
	name_asc) order="lower(name), id" ;;
	name_desc) order="lower(name) DESC, id DESC" ;;
	esac
	all=""; path="/contacts?sort=$sort"; pages=0
	while [ -n "$path" ] && [ $pages -lt 10 ]; do
		http GET "$path" -b "$jar"
		all="$all$(ids | tr '\n' ' ')"
		path=$(link next); pages=$((pages + 1))
	done
	exp=$(sql "SELECT id FROM contacts WHERE customer_id = 1 ORDER BY $order" | tr '\n' ' ')
	is "$all" "$exp" "sort $sort: next pages to the end list each contact once, in order"
	is "$pages" 3 "sort $sort: three pages"
	back=""; path=$(link prev)
	while [ -n "$path" ]; do
		http GET "$path" -b "$jar"
		back="$(ids | tr '\n' ' ')$back"
		path=$(link prev)
	done
	first=$(sql "SELECT id FROM contacts WHERE customer_id = 1 ORDER BY $order LIMIT 100" | tr '\n' ' ')
	is "$back" "$first" "sort $sort: previous pages back to the first"
done
http GET "/contacts?any=1&sort=name_asc" -b "$jar"
next=$(link next)
like "$next" '^/contacts\?any=1&sort=name_asc&after=' "the pager keeps the filter and the sort"
http GET "${next/sort=name_asc/sort=name_desc}" -b "$jar"
is "$HTTP_STATUS" 400 "a cursor of another sort: 400"
like "$HTTP_BODY" 'out of date' "which says the link is out of date"
http GET "/contacts?sort=name_asc" -b "$jar"
like "$HTTP_BODY" 'aria-sort="ascending"><a href="/contacts\?sort=name_desc">' "the Name header says its order and turns it"


# The form: every error at once, the first wrong field focused.
http GET /contacts/new -b "$jar"
is "$HTTP_STATUS" 200 "GET /contacts/new: 200"
like "$HTTP_BODY" 'name="f.age"' "every custom field has its input"
add() { http POST /contacts/new -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" "$@"; }
add --data-urlencode "phone=12" --data-urlencode "email=bad@" --data-urlencode "language=x" \
    --data-urlencode "status=gone" --data-urlencode "f.age=old" --data-urlencode "f.joined=2025-02-30" \
    --data-urlencode "f.member=maybe" --data-urlencode "name=two
lines"
is "$HTTP_STATUS" 422 "a bad form: 422"
for why in 'too short|not a valid|not a phone' 'id, en or pt-BR' 'subscribed, unsubscribed or unknown' \
    'Enter a number' 'YYYY-MM-DD|does not exist in the calendar' 'yes or no' 'one line of at most 200'; do
	like "$HTTP_BODY" "$why" "the form says: $why"
done
like "$HTTP_BODY" 'id="cf-phone" name="phone"[^>]*aria-invalid="true" autofocus' "the phone, first wrong, has the focus"
is "$(grep -c 'class="field__error"' <<<"$HTTP_BODY")" 8 "eight errors, each on its field"

# Hostile values round-trip exactly and are escaped.
hname="<script>alert(1)</script>' OR 1=1 --"
hnotes='=HYPERLINK("http://x")
<b>bold</b> & "quotes"'
hcity='"><img src=x onerror=alert(1)>'
add --data-urlencode "phone=0812-3456-7890" --data-urlencode "name=$hname" \
    --data-urlencode "email=Budi@Example.COM" --data-urlencode "language=pt-BR" --data-urlencode "notes=$hnotes" \
    --data-urlencode "status=subscribed" --data-urlencode "f.city=$hcity" --data-urlencode "f.age=41.5" \
    --data-urlencode "f.joined=2024-12-31" --data-urlencode "f.member=yes" -d tag.1=1 -d tag.3=1 -d tag.4=1
is "$HTTP_STATUS" 303 "a good form: 303"
new=$(header Location); new=${new#/contacts/}
like "$new" '^[0-9]+$' "to the new contact's page"
is "$(sql "SELECT phone || '|' || email || '|' || language || '|' || status || '|' || consent_source || '|' || tags::text FROM contacts WHERE id = $new")" \
    "+6281234567890|Budi@example.com|pt-BR|subscribed|portal|{1,3}" "stored: E.164 in the profile's country, the domain lower-cased, only the customer's tags"
is "$(sql "SELECT name FROM contacts WHERE id = $new")" "$hname" "the name exactly"
is "$(sql "SELECT notes FROM contacts WHERE id = $new")" "$hnotes" "the notes exactly"
is "$(sql "SELECT fields->>'city' || '|' || (fields->'age')::text || '|' || (fields->>'joined') || '|' || (fields->'member')::text FROM contacts WHERE id = $new")" \
    "$hcity|41.5|2024-12-31|true" "the fields, typed"
is "$(sql "SELECT status || ' ' || source FROM contact_consents WHERE contact_id = $new")" "subscribed portal" "the subscription is in the consent log"
http GET "/contacts/$new" -b "$jar"
is "$HTTP_STATUS" 200 "its page: 200"
unlike "$HTTP_BODY" '<script>alert|<img src=x|<b>bold' "nothing of it is markup"
like "$HTTP_BODY" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "the name, escaped"
like "$HTTP_BODY" '&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;' "the field, escaped"
like "$HTTP_BODY" 'The contact is added' "the flash says so"
like "$HTTP_BODY" 'ct-status--subscribed' "its subscription"
http GET "/contacts/$new/edit" -b "$jar"
like "$HTTP_BODY" "value=\"&lt;script&gt;alert\\(1\\)&lt;/script&gt;&#39; OR 1=1 --\"|value=\"&lt;script&gt;alert\\(1\\)&lt;/script&gt;&#x27; OR 1=1 --\"" "the edit form holds it escaped"
add --data-urlencode "phone=+62 812 3456 7890" --data-urlencode status=unknown
is "$HTTP_STATUS" 422 "the same number again: 422"
like "$HTTP_BODY" 'exists already' "which says it exists"

# Edit: a status change is logged; another customer's tag is ignored.
edit() { http POST "/contacts/$1/edit" -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" "${@:2}"; }
edit "$new" --data-urlencode "phone=+6281234567890" --data-urlencode "name=$hname" \
    --data-urlencode "status=unsubscribed" -d tag.2=1
is "$HTTP_STATUS" 303 "edit: 303"
is "$(sql "SELECT status || '|' || tags::text || '|' || email || '|' || fields::text FROM contacts WHERE id = $new")" "unsubscribed|{2}||{}" "every value as sent"
is "$(sql "SELECT string_agg(status, ',' ORDER BY id) FROM contact_consents WHERE contact_id = $new")" "subscribed,unsubscribed" "the change is logged"
edit "$new" --data-urlencode "phone=+6281234567890" --data-urlencode "status=unsubscribed"
is "$(sql "SELECT count(*) FROM contact_consents WHERE contact_id = $new")" 2 "no change, no log"

# The consent history in pages of 20, newest first: 25 changes, two pages.
sql "INSERT INTO contact_consents (customer_id, contact_id, phone, status, source, note)
     SELECT 1, $new, '+6281234567890', 'unknown', 'api', 'hist-' || g FROM generate_series(1, 23) g" >/dev/null
sql "INSERT INTO contact_consents (customer_id, contact_id, phone, status, source, note)
     VALUES (2, $new, '+6281234567890', 'unknown', 'api', 'SECRET-OTHER-CONSENT')" >/dev/null
http GET "/contacts/$new" -b "$jar"
like "$HTTP_BODY" '>hist-23<' "the newest consent change first"
is "$(printf '%s' "$HTTP_BODY" | grep -o '>hist-[0-9]*<' | wc -l)" 20 "a page of 20 changes"
unlike "$HTTP_BODY" '>hist-3<|SECRET-OTHER-CONSENT|Newest changes' "not the older ones, nor another customer's; no link back on the first page"
older=$(printf '%s' "$HTTP_BODY" | grep -o '/contacts/[0-9]*?cbefore=[0-9]*#cp-history' | head -n 1)
like "$older" "^/contacts/$new[?]cbefore=" "a link to the older changes"
http GET "$older" -b "$jar"
is "$(printf '%s' "$HTTP_BODY" | grep -o '>hist-[0-9]*<' | tr -d '<>' | paste -sd ' ')" "hist-3 hist-2 hist-1" "the older page: the rest, newest first"
like "$HTTP_BODY" '>subscribed<|Subscribed' "down to the first change"
unlike "$HTTP_BODY" '>hist-4<|cbefore=' "nothing of the first page, no further link"
like "$HTTP_BODY" 'Newest changes' "and a link back to the newest"
http GET "/contacts/$new?cbefore=abc" -b "$jar"
is "$HTTP_STATUS" 400 "a malformed cursor: 400"

# The whole history as CSV, oldest first, formula cells neutralised.
sql "INSERT INTO contact_consents (customer_id, contact_id, phone, status, source, note)
     VALUES (1, $new, '+6281234567890', 'subscribed', 'api', '=HYPERLINK(\"http://x\")')" >/dev/null
http GET "/contacts/$new/consents.csv" -b "$jar"
is "$HTTP_STATUS" 200 "the consent history as CSV: 200"
like "$HTTP_HEAD" '^Content-Type: text/csv; charset=utf-8' "... as CSV"
like "$HTTP_HEAD" "^Content-Disposition: attachment; filename=\"contact-$new-consents.csv\"" "... a download named for the contact"
is "$(head -n 1 <<<"$HTTP_BODY" | tr -d '\r')" $'\xef\xbb\xbfat,status,source,note,instance_id,message_id' "... a BOM and the header row"
is "$(grep -c $'\r$' <<<"$HTTP_BODY")" "$(( $(sql "SELECT count(*) FROM contact_consents WHERE contact_id = $new AND customer_id = 1") + 1 ))" \
    "... every change of the customer's, one CRLF line each, not another customer's"
like "$(sed -n 2p <<<"$HTTP_BODY")" '^20[0-9-]{8}T[0-9:]{8}Z,subscribed,portal,' "... oldest first, times in UTC"
like "$HTTP_BODY" $'unknown,api,hist-1,,\r' "... notes as written"
like "$HTTP_BODY" $'subscribed,api,"\'=HYPERLINK\\(""http://x""\\)",,\r' "... a formula note neutralised and quoted"
other=$(sql "INSERT INTO contacts (customer_id, phone) VALUES (2, '+6281200000777') RETURNING id")
sql "INSERT INTO contact_consents (customer_id, contact_id, phone, status, source)
     VALUES (2, $other, '+6281200000777', 'subscribed', 'api')" >/dev/null
http GET "/contacts/$other/consents.csv" -b "$jar"
is "$HTTP_STATUS" 404 "another customer's contact: 404"
http GET "/contacts/$new/consents.csv"
isnt "$HTTP_STATUS" 200 "signed out: not served"
sql "DELETE FROM contacts WHERE id = $other" >/dev/null

# Its messages, newest first, in keyset pages.
sql "INSERT INTO messages (customer_id, direction, status, peer, peer_phone, body, sent_at)
     SELECT 1, 'out', 'sent', '+6281234567890', '+6281234567890', 'msg-' || g, now() FROM generate_series(1, 55) g" >/dev/null
sql "INSERT INTO messages (customer_id, direction, status, peer, peer_phone, body, sent_at)
     VALUES (2, 'out', 'sent', '+6281234567890', '+6281234567890', 'SECRET-OTHER-MSG', now())" >/dev/null
http GET "/contacts/$new" -b "$jar"
like "$HTTP_BODY" 'msg-55<' "the newest message first"
unlike "$HTTP_BODY" 'msg-5<|SECRET-OTHER-MSG' "a page of 50, only the customer's"
older=$(grep -o 'href="[^"]*" rel="next"' <<<"$HTTP_BODY" | sed 's/^href="//; s/" rel=.*//; s/&amp;/\&/g')
http GET "$older" -b "$jar"
like "$HTTP_BODY" 'msg-5<' "the older page has the rest"
unlike "$HTTP_BODY" 'msg-6<' "and not the first page's"

# Delete: ask, then delete; its messages stay.
http GET "/contacts/$new/delete" -b "$jar"
is "$HTTP_STATUS" 200 "delete asks first"
like "$HTTP_BODY" '\+6281234567890' "naming the contact"
http POST "/contacts/$new/delete" -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 303 "delete: 303"
is "$(sql "SELECT count(*) FROM contacts WHERE id = $new")" 0 "gone"
is "$(sql "SELECT count(*) FROM messages WHERE customer_id = 1 AND peer_phone = '+6281234567890'")" 55 "its messages stay"
is "$(sql "SELECT count(*) FROM contact_consents WHERE phone = '+6281234567890' AND contact_id IS NULL AND source = 'portal'")" 2 "its consent history keeps the number"

# The package's max_contacts, named.
total=$(sql "SELECT total FROM contact_counts WHERE customer_id = 1")
sql "UPDATE packages SET max_contacts = $total" >/dev/null
add --data-urlencode "phone=+6281299999999" --data-urlencode status=unknown
is "$HTTP_STATUS" 422 "at the package's limit: 422"
like "$HTTP_BODY" "allows this many contacts, and you have them all: $(printf "%'d" "$total" 2>/dev/null || echo "$total")" "the message names the limit"
is "$(sql "SELECT count(*) FROM contacts WHERE phone = '+6281299999999'")" 0 "nothing added"
sql "UPDATE packages SET max_contacts = 20000" >/dev/null

# The count stops at 10,000.
sql "INSERT INTO contacts (customer_id, phone, name, tags)
     SELECT 1, '+62812' || lpad(g::text, 7, '0'), 'Bulk ' || g, ARRAY[3]::bigint[] FROM generate_series(1, 10001) g" >/dev/null
http GET /contacts -b "$jar"
is "$(count)" "10,131" "the whole list counts exactly (the counters)"
http GET "/contacts?any=3" -b "$jar"
like "$HTTP_BODY" 'More than 10,000 contacts match' "a filter past 10,000: more than 10,000"
http GET "/contacts?q=bulk%20100" -b "$jar"
is "$(count)" 13 "a filter under it: exact (Bulk 100, 1000 to 1009, 10000, 10001)"
# A search counts up to 1,000 only (its matches are rechecked one by one).
http GET "/contacts?q=bulk%201" -b "$jar"
like "$HTTP_BODY" 'More than 1,000 contacts match' "a search past 1,000 (1,113 match): more than 1,000"
like "$HTTP_BODY" 'Select all contacts that match \(more than 1,000\)' "its select-all says so"
is "$(ids | wc -l)" 50 "its page is full"
first=$(ids | head -1)
is "$(sql "SELECT name FROM contacts WHERE id = $first")" "Bulk 10001" "newest match first (the walk found the page)"
is "$(sql "SELECT count(*) FROM contacts WHERE id IN ($(ids | paste -sd,)) AND name ILIKE '%bulk 1%'")" 50 "every row matches"
http GET "/contacts?q=bulk%201&sort=name_asc" -b "$jar"
like "$HTTP_BODY" 'More than 1,000 contacts match' "sorted by name: the same count"
is "$(sql "SELECT name FROM contacts WHERE id = $(ids | head -1)")" "Bulk 1" "the first name in order"
http GET "/contacts?q=bulk%201&any=3" -b "$jar"
like "$HTTP_BODY" 'More than 1,000 contacts match' "a search with a filter: counted to 1,000 too"
http GET "/contacts?q=bulk%20100" -b "$jar"
is "$(count)" 13 "under 1,000: exact"
sql "DELETE FROM contacts WHERE customer_id = 1 AND name LIKE 'Bulk %'" >/dev/null

# The selection's actions.
bulk() { http POST /contacts/bulk -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" "$@"; }
c2=$(sql "SELECT id FROM contacts WHERE customer_id = 2")
read -r a b <<<"$(sql "SELECT id FROM contacts WHERE customer_id = 1 AND NOT tags @> '{3}' ORDER BY id LIMIT 2" | tr '\n' ' ')"
before3=$(sql "SELECT contacts FROM tags WHERE id = 3")
bulk --data-urlencode "filter=" -d "c.$a=1" -d "c.$b=1" -d "c.$c2=1" -d action=tag_add -d tag=3
is "$HTTP_STATUS" 303 "add a tag to two ticked contacts: 303"
is "$(header Location)" /contacts "back to the list"
is "$(sql "SELECT count(*) FROM contacts WHERE tags @> '{3}' AND id IN ($a, $b)")" 2 "both carry it"
is "$(sql "SELECT tags FROM contacts WHERE id = $c2")" "{4}" "another customer's ticked id: untouched"
is "$(sql "SELECT contacts FROM tags WHERE id = 3")" "$((before3 + 2))" "the tag's count follows"
bulk --data-urlencode "filter=" -d "c.$a=1" -d action=tag_add -d tag=4
is "$(sql "SELECT count(*) FROM contacts WHERE tags @> '{4}' AND customer_id = 1")" 0 "another customer's tag: not added"
n_match=$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND tags && '{1}' AND status = 'unknown'")
bulk --data-urlencode "filter=any=1&status=unknown" -d all=1 -d action=tag_remove -d tag=1
is "$(header Location)" "/contacts?any=1&status=unknown" "all matching: back to the filtered list"
is "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND tags && '{1}' AND status = 'unknown'")" 0 "the tag is off all $n_match that matched"
is "$(sql "SELECT contacts FROM tags WHERE id = 1")" "$(sql "SELECT count(*) FROM contacts WHERE tags @> '{1}'")" "the tag's count follows"
n_budi=$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND name ILIKE '%budi%' AND status <> 'subscribed'")
bulk --data-urlencode "filter=q=budi" -d all=1 -d action=subscribed
is "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND name ILIKE '%budi%' AND status <> 'subscribed'")" 0 "set the subscription of all that match"
is "$(sql "SELECT count(*) FROM contact_consents k JOIN contacts c ON c.id = k.contact_id WHERE c.customer_id = 1 AND c.name ILIKE '%budi%' AND k.source = 'portal' AND k.status = 'subscribed'")" "$n_budi" "each change is in the consent log, source portal"
is "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND name ILIKE '%budi%' AND consent_source = 'portal'")" "$n_budi" "with the source on each changed contact"
bulk --data-urlencode "filter=" -d action=tag_add -d tag=3
is "$(header Location)" /contacts "nothing ticked: back"
http GET /contacts -b "$jar"
like "$HTTP_BODY" 'No contact was selected' "with a warning"
bulk --data-urlencode "filter=" -d "c.$a=1" -d action=explode
is "$HTTP_STATUS" 400 "an unknown action: 400"

# Export: the filter's contacts as CSV, tags by name, fields, formulas neutralised.
sql "INSERT INTO contacts (customer_id, phone, name, email, notes, tags, fields, status, consent_source, consent_at)
     VALUES (1, '+6281399999999', '=HYPERLINK(\"http://x\",\"y\")', 'eq@example.com', E'-2+3\nline, two', '{1,2}',
         '{\"city\": \"@SUM(A1)\", \"age\": 33}', 'subscribed', 'import', '2026-02-01 10:00+00')" >/dev/null
bulk --data-urlencode "filter=q=eq%40example" -d all=1 -d action=export; cp "$STACK_DIR/http.body" "$STACK_DIR/export.csv"
is "$HTTP_STATUS" 200 "export: 200"
like "$(header Content-Type)" '^text/csv' "as CSV"
like "$(header Content-Disposition)" 'attachment' "to download"
is "$(head -c 3 "$STACK_DIR/export.csv" | od -An -tx1 | tr -d ' ')" efbbbf "a UTF-8 BOM"
exp_csv=$(printf '%s\r\n' "phone,name,email,language,status,consent_source,consent_at,created_at,tags,notes,age,city,joined,member" \
    "'+6281399999999,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",eq@example.com,,subscribed,import,2026-02-01T10:00:00Z,2026-03-15T10:00:00Z,lead; vip,\"'-2+3
line, two\",33,'@SUM(A1),,")
is "$(tail -c +4 "$STACK_DIR/export.csv")" "$exp_csv" "the row: neutralised cells, quoting, tags by name, each field"
n_sel=$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND tags && '{2}'")
bulk --data-urlencode "filter=any=2" -d all=1 -d action=export; cp "$STACK_DIR/http.body" "$STACK_DIR/export2.csv"
is "$(($(tail -c +4 "$STACK_DIR/export2.csv" | grep -c $'\r$') - 1))" "$n_sel" "every contact of the filter, once"

# Delete: the confirmation states the exact number, then they go.
n_del=$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND status = 'unsubscribed' AND tags && '{2}'")
bulk --data-urlencode "filter=status=unsubscribed&any=2" -d all=1 -d action=delete
is "$HTTP_STATUS" 200 "delete: a confirmation first"
like "$HTTP_BODY" "id=\"delete-count\">$n_del<" "stating the exact number ($n_del)"
is "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND status = 'unsubscribed' AND tags && '{2}'")" "$n_del" "nothing deleted yet"
bulk --data-urlencode "filter=status=unsubscribed&any=2" -d all=1 -d action=delete -d confirm=1
is "$HTTP_STATUS" 303 "confirmed: 303"
is "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND status = 'unsubscribed' AND tags && '{2}'")" 0 "they are deleted"
is "$(sql "SELECT total FROM contact_counts WHERE customer_id = 1")" "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1")" "the counters follow"
bulk --data-urlencode "filter=" -d "c.$c2=1" -d action=delete -d confirm=1
is "$(sql "SELECT count(*) FROM contacts WHERE id = $c2")" 1 "another customer's id: not deleted"

# Tags: the list with counts, create, rename and recolour, merge, delete.
post() { local p=$1; shift; http POST "$p" -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" "$@"; }
http GET /contacts/tags -b "$jar"
is "$HTTP_STATUS" 200 "GET /contacts/tags: 200"
like "$HTTP_BODY" "<td class=\"num\">$(sql "SELECT contacts FROM tags WHERE id = 1")</td>" "a tag's count"
unlike "$HTTP_BODY" 'secret-tag' "not another customer's tags"
post /contacts/tags --data-urlencode "name=" -d colour=plaid
is "$HTTP_STATUS" 422 "a tag without a name or with no colour of the palette: 422"
like "$HTTP_BODY" '1 to 50 characters' "the name's reason"
like "$HTTP_BODY" 'colour of the list' "the colour's reason"
post /contacts/tags --data-urlencode "name=VIP" -d colour=red
is "$HTTP_STATUS" 422 "a name the customer has (any case): 422"
like "$HTTP_BODY" 'of this name already' "which says so"
post /contacts/tags --data-urlencode "name=<i>new</i>" -d colour=teal
is "$HTTP_STATUS" 303 "a new tag: 303"
t5=$(sql "SELECT id FROM tags WHERE name = '<i>new</i>'")
is "$(sql "SELECT customer_id || colour FROM tags WHERE id = $t5")" "1teal" "stored as typed"
http GET /contacts/tags -b "$jar"
like "$HTTP_BODY" 'chip--teal">&lt;i&gt;new&lt;/i&gt;<' "escaped in the list"
post "/contacts/tags/$t5" --data-urlencode "name=fresh" -d colour=purple
is "$(sql "SELECT name || colour FROM tags WHERE id = $t5")" "freshpurple" "renamed and recoloured"
sql "UPDATE contacts SET tags = '{2,$t5}' WHERE id IN (SELECT id FROM contacts WHERE customer_id = 1 AND NOT tags && '{2}' ORDER BY id LIMIT 3)" >/dev/null
sql "UPDATE contacts SET tags = tags || $t5 WHERE id IN (SELECT id FROM contacts WHERE customer_id = 1 AND tags @> '{2}' AND NOT tags @> '{$t5}' ORDER BY id LIMIT 2)" >/dev/null
n5=$(sql "SELECT count(*) FROM contacts WHERE tags @> '{$t5}'")
n2=$(sql "SELECT count(*) FROM contacts WHERE tags && '{2,$t5}'")
http GET "/contacts/tags/$t5/merge?into=2" -b "$jar"
is "$HTTP_STATUS" 200 "merge asks first"
like "$HTTP_BODY" "id=\"merge-count\">$n5<" "stating the contacts it carries ($n5)"
post "/contacts/tags/$t5/merge" -d into=2
is "$HTTP_STATUS" 303 "merge: 303"
is "$(sql "SELECT count(*) FROM tags WHERE id = $t5")" 0 "the merged tag is gone"
is "$(sql "SELECT count(*) FROM contacts WHERE tags @> '{2}'")" "$n2" "every contact of either carries the other"
is "$(sql "SELECT count(*) FROM contacts WHERE cardinality(tags) <> cardinality(ARRAY(SELECT DISTINCT unnest(tags)))")" 0 "none carries it twice"
is "$(sql "SELECT contacts FROM tags WHERE id = 2")" "$n2" "its count follows"
post "/contacts/tags/1/merge" -d into=4
is "$HTTP_STATUS" 404 "merge into another customer's tag: 404"
n1=$(sql "SELECT count(*) FROM contacts WHERE tags @> '{1}'")
http GET /contacts/tags/1/delete -b "$jar"
like "$HTTP_BODY" "id=\"delete-count\">$n1<" "delete states the contacts carrying it ($n1)"
post /contacts/tags/1/delete
is "$HTTP_STATUS" 303 "delete: 303"
is "$(sql "SELECT count(*) FROM contacts WHERE tags @> '{1}'")" 0 "it is off every contact"
sql "INSERT INTO tags (customer_id, name) SELECT 1, 'many-' || g FROM generate_series(1, 1000 - (SELECT count(*) FROM tags WHERE customer_id = 1)) g" >/dev/null
post /contacts/tags --data-urlencode "name=one too many" -d colour=grey
is "$HTTP_STATUS" 422 "the 1,001st tag: 422"
like "$HTTP_BODY" '1,000 tags, the most' "which says the limit"
http GET /contacts/tags -b "$jar"
next=$(link next)
like "$next" '^/contacts/tags\?after=' "1,000 tags come in pages"
http GET "$next" -b "$jar"
is "$HTTP_STATUS" 200 "the next page: 200"
sql "DELETE FROM tags WHERE name LIKE 'many-%'" >/dev/null

# Custom fields: create, rename, delete with their values; at most 100.
http GET /contacts/fields -b "$jar"
is "$HTTP_STATUS" 200 "GET /contacts/fields: 200"
like "$HTTP_BODY" '<code>joined</code>' "the list"
post /contacts/fields -d key=Bad-Key --data-urlencode "label=" -d kind=choice --data-urlencode "choices="
is "$HTTP_STATUS" 422 "a bad field: 422"
is "$(grep -c 'class="field__error"' <<<"$HTTP_BODY")" 3 "key, label and choices, each with its reason"
post /contacts/fields -d key=city --data-urlencode "label=Town" -d kind=text
like "$HTTP_BODY" 'with this key already' "a key the customer has: said so"
post /contacts/fields -d key=tier --data-urlencode "label=<b>Tier</b>" -d kind=choice --data-urlencode "choices=gold
silver
\"quoted\", comma"
is "$HTTP_STATUS" 303 "a list field: 303"
is "$(sql "SELECT label || '|' || kind || '|' || array_to_string(choices, '/') FROM contact_fields WHERE key = 'tier'")" '<b>Tier</b>|choice|gold/silver/"quoted", comma' "stored with its choices"
http GET /contacts/new -b "$jar"
like "$HTTP_BODY" '<option value="&quot;quoted&quot;, comma">' "the form offers each choice, escaped"
ftier=$(sql "SELECT id FROM contact_fields WHERE key = 'tier'")
post "/contacts/fields/$ftier" --data-urlencode "label=Level"
is "$(sql "SELECT label FROM contact_fields WHERE id = $ftier")" "Level" "renamed"
fcity=$(sql "SELECT id FROM contact_fields WHERE key = 'city'")
ncity=$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND fields ? 'city'")
http GET "/contacts/fields/$fcity/delete" -b "$jar"
like "$HTTP_BODY" "id=\"delete-count\">$ncity<" "delete states the contacts with a value ($ncity)"
post "/contacts/fields/$fcity/delete"
is "$HTTP_STATUS" 303 "delete: 303"
is "$(sql "SELECT count(*) FROM contacts WHERE fields ? 'city'")" 0 "its values are gone"
sql "INSERT INTO contact_fields (customer_id, key, label, kind) SELECT 1, 'x' || g, 'X' || g, 'text' FROM generate_series(1, 100 - (SELECT count(*) FROM contact_fields WHERE customer_id = 1)) g" >/dev/null
post /contacts/fields -d key=extra --data-urlencode "label=Extra" -d kind=text
is "$HTTP_STATUS" 422 "the 101st field: 422"
like "$HTTP_BODY" '100 custom fields, the most' "which says the limit"
sql "DELETE FROM contact_fields WHERE key ~ '^x[0-9]+$'" >/dev/null

# Another customer's contacts are not there; their ids are 404 everywhere.
http GET /contacts -b "$jar2"
like "$HTTP_BODY" 'SECRET-OTHER' "customer 2 sees theirs"
unlike "$HTTP_BODY" 'Person 1' "and not customer 1's"
mine=$(sql "SELECT min(id) FROM contacts WHERE customer_id = 1")
f2=$(sql "INSERT INTO contact_fields (customer_id, key, label, kind) VALUES (2, 'secret', 'S', 'text') RETURNING id")
for path in "/contacts/$c2" "/contacts/$c2/edit" "/contacts/$c2/delete" "/contacts/999999999" \
    /contacts/tags/4 /contacts/tags/4/delete "/contacts/tags/4/merge?into=2" "/contacts/tags/2/merge?into=4" \
    "/contacts/fields/$f2" "/contacts/fields/$f2/delete"; do
	http GET "$path" -b "$jar"
	is "$HTTP_STATUS" 404 "GET $path of another customer: 404"
done
for path in "/contacts/$c2/edit" "/contacts/$c2/delete" /contacts/tags/4 /contacts/tags/4/delete \
    "/contacts/fields/$f2" "/contacts/fields/$f2/delete"; do
	http POST "$path" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "phone=+6281111111111" -d status=unknown \
	    -d name=x -d colour=red -d label=x
	is "$HTTP_STATUS" 404 "POST $path of another customer: 404"
done
is "$(sql "SELECT phone FROM contacts WHERE id = $c2")" "+6289900000001" "and it is untouched"
is "$(sql "SELECT name || (SELECT label FROM contact_fields WHERE id = $f2) FROM tags WHERE id = 4")" "secret-tagS" "their tag and field too"
http GET "/contacts/$mine" -b "$jar3"
is "$HTTP_STATUS" 404 "customer 3 cannot see customer 1's contact"

done_testing
