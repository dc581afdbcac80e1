#!/bin/sh
# 0170-contacts-walk.t: the Contacts list's bounded walk and its fallback (matches behind 10,000 others), the end of the list met inside the walk, and the number range by whole numbers and fractions, each page equal to what SQL selects.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2026-03-15 10:00:00+00'
stack_customers 1 1000 c@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 30000" >/dev/null
sql "UPDATE users SET time_zone = 'UTC'" >/dev/null
jar=$STACK_DIR/jar
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
ids() { grep -o 'name="c\.[0-9]*"' <<<"$HTTP_BODY" | grep -o '[0-9]*' | tr '\n' ' '; }
link() { grep -o "href=\"[^\"]*\" rel=\"$1\"" <<<"$HTTP_BODY" | sed 's/^href="//; s/" rel=.*//; s/&amp;/\&/g'; }
# rows WHERE ORDER [OFFSET]: the ids of a page SQL selects, as ids prints them.
rows() { sql "SELECT id FROM contacts c WHERE customer_id = 1 AND ($1) ORDER BY $2 LIMIT 50 OFFSET ${3:-0}" | tr '\n' ' '; }

# 11,000 old contacts (+62811..., unknown), then 11,000 newer ones
# (+62812..., subscribed): a search of +62811 has 11,000 matches (more
# than the count's 10,000, or a search's 1,000, so the page walks), all behind the 11,000 newer
# ones in the default order: the walk's 10,000 entries find none.
sql "INSERT INTO contacts (customer_id, phone, name, status, created_at)
     SELECT 1, '+6281' || CASE WHEN g <= 11000 THEN '1' ELSE '2' END || lpad(g::text, 7, '0'),
         'P ' || g, CASE WHEN g <= 11000 THEN 'unknown' ELSE 'subscribed' END,
         timestamptz '2026-01-01' + g * interval '1 minute'
     FROM generate_series(1, 22000) g" >/dev/null
sql "ANALYZE contacts" >/dev/null

new="created_at DESC, id DESC"
old="created_at ASC, id ASC"
http GET "/contacts?q=62811" -b "$jar"
like "$HTTP_BODY" 'More than 1,000 contacts match' "a search with 11,000 matches: more than 1,000 (a search counts to 1,000)"
is "$HTTP_STATUS $(ids)" "200 $(rows "phone LIKE '+62811%'" "$new")" \
    "matches behind the walk's 10,000 entries: gathered, the newest first as SQL sorts them"
http GET "$(link next)" -b "$jar"
is "$HTTP_STATUS $(ids)" "200 $(rows "phone LIKE '+62811%'" "$new" 50)" \
    "its next page: walked from the cursor, SQL's second page"
http GET "$(link prev)" -b "$jar"
is "$HTTP_STATUS $(ids)" "200 $(rows "phone LIKE '+62811%'" "$new")" \
    "and back: 50 matches then 11,000 others, the walk falls back, the first page again"
http GET "/contacts?q=62811&sort=created_asc" -b "$jar"
is "$HTTP_STATUS $(ids)" "200 $(rows "phone LIKE '+62811%'" "$old")" \
    "the same matches first in the order: the walk finds them"
http GET "/contacts?q=62812&sort=created_asc" -b "$jar"
is "$HTTP_STATUS $(ids)" "200 $(rows "phone LIKE '+62812%'" "$old")" \
    "the newer matches behind 11,000 older ones: gathered"

# Days added: the walk's index starts at them (its condition), unbounded.
http GET "/contacts?from=2026-01-01&to=2026-01-08" -b "$jar"
is "$HTTP_STATUS $(ids)" "200 $(rows "created_at >= '2026-01-01 00:00+00' AND created_at < '2026-01-09 00:00+00'" "$new")" \
    "11,000 matches of the days added behind newer ones: the walk from the days' start"

# The end of the list inside the walk: page 2 of the subscribed, then
# back; the walk towards the newest meets the end after 50 rows.
http GET "/contacts?status=subscribed" -b "$jar"
is "$HTTP_STATUS $(ids)" "200 $(rows "status = 'subscribed'" "$new")" "a dense filter: walked"
first=$(ids)
http GET "$(link next)" -b "$jar"
is "$(ids)" "$(rows "status = 'subscribed'" "$new" 50)" "its next page"
http GET "$(link prev)" -b "$jar"
is "$HTTP_STATUS $(ids)" "200 $first" "back: the walk met the list's end, the first page exactly"
unlike "$(link prev)" '.' "with no page before it"

# Number ranges: every kind of value a field can hold, compared with
# the range's meaning (a number, both ends included).
sql "INSERT INTO contact_fields (customer_id, key, label, kind) VALUES
     (1, 'score', 'Score', 'number'), (1, 'price', 'Price', 'number')" >/dev/null
sql "UPDATE contacts SET fields = jsonb_build_object('score', v.s) || v.p
     FROM (VALUES (21001, '2'::jsonb, '{}'::jsonb), (21002, '2.0', '{}'), (21003, '2.5', '{}'),
         (21004, '5', '{}'), (21005, '5.0000001', '{}'), (21006, '\"3\"', '{}'),
         (21007, 'true', '{}'), (21008, '[3]', '{}'), (21009, '{\"a\": 3}', '{}'),
         (21010, 'null', '{}'), (21011, '-1', '{}'), (21012, '4.999', '{}'),
         (21013, '1.9999', '{}'), (21014, '3', '{\"price\": 9.5}'), (21015, '400', '{}'),
         (21016, '-2.5', '{}'), (21017, '0', '{}'), (21018, '1e0', '{}'))
         AS v(n, s, p)
     WHERE customer_id = 1 AND phone = '+62812' || lpad(v.n::text, 7, '0')" >/dev/null
num="CASE WHEN jsonb_typeof(fields -> 'score') = 'number' THEN (fields -> 'score')::numeric END"
range() {
	http GET "/contacts?field=score&$1" -b "$jar"
	is "$HTTP_STATUS $(ids)" "200 $(rows "$2" "$new")" "field=score&$1: the contacts whose score is a number with $2"
}
range "min=2&max=5" "$num BETWEEN 2 AND 5"
is "$(ids | wc -w)" 6 "2, 2.0, 2.5, 3, 4.999 and 5; not \"3\", true, [3], {...}, null or 5.0000001"
range "min=2.5&max=4.999" "$num BETWEEN 2.5 AND 4.999"
range "min=2.1&max=2.9" "$num BETWEEN 2.1 AND 2.9"
range "min=-2.5&max=1" "$num BETWEEN -2.5 AND 1"
range "min=-007&max=0001" "$num BETWEEN -7 AND 1"
range "min=1&max=1000" "$num BETWEEN 1 AND 1000"
range "min=3" "$num >= 3"
range "max=2" "$num <= 2"
range "min=2&max=5&status=subscribed" "$num BETWEEN 2 AND 5 AND status = 'subscribed'"
range "min=9&max=10" "$num BETWEEN 9 AND 10"
http GET "/contacts?field=price&min=9&max=10" -b "$jar"
is "$HTTP_STATUS $(ids)" "200 $(rows "(fields -> 'price')::numeric BETWEEN 9 AND 10" "$new")" \
    "a fraction in another field: found through the fractions' index"
http GET "/contacts?field=score&min=1e3&max=2" -b "$jar"
is "$HTTP_STATUS" 400 "an exponent is no bound: 400"
http GET "/contacts?field=score&min=1'%20OR%201=1&max=2" -b "$jar"
is "$HTTP_STATUS" 400 "SQL in a bound: 400"

done_testing
