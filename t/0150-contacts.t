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

# Empty: the page says what to do.
http GET /contacts -b "$jar"
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

# The count stops at 10,000.
sql "INSERT INTO contacts (customer_id, phone, name, tags)
     SELECT 1, '+62812' || lpad(g::text, 7, '0'), 'Bulk ' || g, ARRAY[3]::bigint[] FROM generate_series(1, 10001) g" >/dev/null
http GET /contacts -b "$jar"
is "$(count)" "10,131" "the whole list counts exactly (the counters)"
http GET "/contacts?any=3" -b "$jar"
like "$HTTP_BODY" 'More than 10,000 contacts match' "a filter past 10,000: more than 10,000"
http GET "/contacts?q=bulk%20100" -b "$jar"
is "$(count)" 13 "a filter under it: exact (Bulk 100, 1000 to 1009, 10000, 10001)"
sql "DELETE FROM contacts WHERE customer_id = 1 AND name LIKE 'Bulk %'" >/dev/null

# Another customer's contacts are not there; their ids are 404 everywhere.
http GET /contacts -b "$jar2"
like "$HTTP_BODY" 'SECRET-OTHER' "customer 2 sees theirs"
unlike "$HTTP_BODY" 'Person 1' "and not customer 1's"

done_testing
