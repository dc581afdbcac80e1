#!/bin/sh
# 0164-groups.t: contact groups in the portal: lists and segments created (every bad input refused, nothing stored), members added and removed through the Contacts page's selection, the list as a filter of the Contacts page, counters exact under 20 parallel changes and status changes, growth by day, delete after a confirmation (the contacts stay), another customer's groups 404.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 2 --clock '2030-03-04 10:00:00+00'
stack_customers 1 1000 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 10000;
     UPDATE users SET time_zone = 'Asia/Jakarta';
     INSERT INTO contacts (customer_id, phone, name, status)
         SELECT 1, '+62813' || lpad(g::text, 7, '0'), 'Customer ' || g,
             CASE g % 3 WHEN 0 THEN 'subscribed' WHEN 1 THEN 'unsubscribed' ELSE 'unknown' END
         FROM generate_series(1, 300) g;
     INSERT INTO contacts (customer_id, phone, name) VALUES (2, '+628140000001', 'Other')" >/dev/null

jar=$STACK_DIR/jar jar2=$STACK_DIR/jar2
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$STACK_PW"
http GET /contacts/groups -b "$jar"; csrf=$(csrf_of)
http GET /contacts/groups -b "$jar2"; csrf2=$(csrf_of)
groups() { sql "SELECT count(*) FROM contact_groups"; }
# exact GROUP: "members subscribed unsubscribed" counted both ways, "ok" when equal.
exact() {
	local kept counted
	kept=$(sql "SELECT members || ' ' || subscribed || ' ' || unsubscribed FROM contact_groups WHERE id = $1")
	counted=$(sql "SELECT count(*) || ' ' || count(*) FILTER (WHERE c.status = 'subscribed') || ' ' ||
	    count(*) FILTER (WHERE c.status = 'unsubscribed') FROM contact_group_members m
	    JOIN contacts c ON c.id = m.contact_id WHERE m.group_id = $1
	    AND m.status = c.status")
	[ "$kept" = "$counted" ] && echo "ok $kept" || echo "kept $kept, counted $counted"
}

# ---------------------------------------------------------------- the empty page, create
http GET /contacts/groups -b "$jar"
is "$HTTP_STATUS" 200 "GET /contacts/groups: 200"
like "$HTTP_BODY" 'No contact groups yet' "... the empty state says what to do"
http GET /contacts -b "$jar"
like "$HTTP_BODY" 'href="/contacts/groups"' "the Contacts page links to the groups"

add() { http POST /contacts/groups -b "$jar" --data-urlencode "_csrf=$csrf" "$@"; }
add --data-urlencode 'name=' -d kind=list
is "$HTTP_STATUS" 422 "an empty name: 422"
like "$HTTP_BODY" "A group&#39;s name is one line of 1 to 100 characters|A group's name is one line" "... saying why"
add --data-urlencode "name=$(printf 'x%.0s' $(seq 101))" -d kind=list
is "$HTTP_STATUS" 422 "a name of 101 characters: 422"
add --data-urlencode $'name=two\nlines' -d kind=list
is "$HTTP_STATUS" 422 "a name of two lines: 422"
add --data-urlencode 'name=Odd' -d kind=folder
is "$HTTP_STATUS" 422 "a kind that is none: 422"
like "$HTTP_BODY" 'Choose list or segment\.' "... saying why"
add --data-urlencode 'name=Seg' -d kind=segment --data-urlencode 'filter='
is "$HTTP_STATUS" 422 "a segment without filters: 422"
like "$HTTP_BODY" 'A segment needs at least one filter\.' "... saying why"
add --data-urlencode 'name=Seg' -d kind=segment --data-urlencode "filter=status=maybe"
is "$HTTP_STATUS" 422 "a segment with a bad filter: 422"
add --data-urlencode 'name=Seg' -d kind=segment --data-urlencode "filter=field=nosuch&eq=1"
is "$HTTP_STATUS" 422 "a segment on a field the customer has not: 422"
is "$(groups)" 0 "... nothing stored by any of them"

add --data-urlencode 'name=VIP <script>alert(1)</script>' --data-urlencode 'description=Best buyers' -d kind=list
is "$HTTP_STATUS" 303 "a list: 303"
gid=$(header Location); gid=${gid##*/}
like "$gid" '^[0-9]+$' "... to its page ($gid)"
add --data-urlencode 'name=vip <SCRIPT>alert(1)</SCRIPT>' -d kind=list
is "$HTTP_STATUS" 422 "the same name in another case: 422"
like "$HTTP_BODY" 'You have a group of this name already\.' "... saying why"
add --data-urlencode "name=Subscribed'; DROP TABLE contacts; --" -d kind=segment --data-urlencode 'filter=status=subscribed'
is "$HTTP_STATUS" 303 "a segment: 303"
sid=$(header Location); sid=${sid##*/}
is "$(sql "SELECT count(*) FROM contacts")" 301 "... the hostile name is only a name"
http GET /contacts/groups -b "$jar"
like "$HTTP_BODY" 'VIP &lt;script&gt;alert\(1\)&lt;/script&gt;' "the list's name is escaped on the groups page"
unlike "$HTTP_BODY" '<script>alert' "... never raw"
like "$HTTP_BODY" 'id="gr-count">2<' "... two groups counted"

# A filter from the Contacts page prefills the segment form.
http GET '/contacts?status=subscribed' -b "$jar"
like "$HTTP_BODY" 'href="/contacts/groups\?filter=status%3Dsubscribed#new"' "the Contacts page offers to save its filters as a segment"
http GET '/contacts/groups?filter=status%3Dsubscribed' -b "$jar"
like "$HTTP_BODY" 'name="filter" rows="2" maxlength="4096" aria-describedby="gr-filter-hint">status=subscribed</textarea>' "... the form prefilled"

# ---------------------------------------------------------------- members through the selection
bulk() { http POST /contacts/bulk -b "$jar" --data-urlencode "_csrf=$csrf" "$@"; }
ids=$(sql "SELECT string_agg('-d c.' || id || '=1', ' ' ORDER BY id) FROM (SELECT id FROM contacts WHERE customer_id = 1 ORDER BY id LIMIT 10) x")
bulk -d action=group_add -d "list=$gid" --data-urlencode 'filter=' $ids
is "$HTTP_STATUS" 303 "ten ticked contacts added to the list: 303"
is "$(exact "$gid")" "ok 10 3 4" "... 10 members, counted by status"
bulk -d action=group_add -d "list=$gid" --data-urlencode 'filter=' $ids
is "$(exact "$gid")" "ok 10 3 4" "... adding them again adds nobody"
bulk -d action=group_add -d "list=$gid" --data-urlencode 'filter=status=subscribed' -d all=1
is "$HTTP_STATUS" 303 "every subscribed contact added: 303"
is "$(exact "$gid")" "ok 107 100 4" "... 107 members, exact"
http GET "/contacts?group=$gid" -b "$jar"
is "$HTTP_STATUS" 200 "the Contacts page of the list's members: 200"
like "$HTTP_BODY" '<strong class="num">107</strong> contacts' "... counts its 107 members"
like "$HTTP_BODY" 'id="ct-in-list">Members of the list <strong>VIP &lt;script&gt;' "... says which list"
http GET "/contacts?group=$gid&status=unsubscribed" -b "$jar"
like "$HTTP_BODY" '<strong class="num">4</strong> contacts' "... combined with another filter"
bulk -d action=group_remove -d "list=$gid" --data-urlencode "filter=group=$gid&status=unsubscribed" -d all=1
is "$HTTP_STATUS $(header Location)" "303 /contacts?status=unsubscribed&group=$gid" "removing the unsubscribed members: 303 back to the list"
is "$(exact "$gid")" "ok 103 100 0" "... 103 members left, exact"

# Bad and hostile selections change nothing.
bulk -d action=group_add -d list=abc --data-urlencode 'filter=' $ids
is "$HTTP_STATUS" 400 "a list id that is no number: 400"
bulk -d action=group_add -d "list=$sid" --data-urlencode 'filter=' -d all=1
is "$HTTP_STATUS" 400 "adding to a segment: 400"
bulk -d action=group_add --data-urlencode 'filter=' -d all=1
is "$HTTP_STATUS" 400 "no list: 400"
http GET "/contacts?group=999999" -b "$jar"
is "$HTTP_STATUS" 400 "the Contacts page of a list that is none: 400"
like "$HTTP_BODY" 'Choose a list from your contact groups\.' "... saying why"
is "$(exact "$gid")" "ok 103 100 0" "... the list unchanged by all of them"

# ---------------------------------------------------------------- counters
# A status change moves the counters; a deleted contact leaves.
c1=$(sql "SELECT contact_id FROM contact_group_members WHERE group_id = $gid AND status = 'subscribed' ORDER BY contact_id LIMIT 1")
sql "UPDATE contacts SET status = 'unsubscribed' WHERE id = $c1" >/dev/null
is "$(exact "$gid")" "ok 103 99 1" "a member unsubscribing moves the counters"
is "$(sql "SELECT opt_ins || ' ' || opt_outs FROM contact_group_days WHERE group_id = $gid")" "0 1" \
    "... and counts as the list's opt-out of the day"
sql "DELETE FROM contacts WHERE id = $c1" >/dev/null
is "$(exact "$gid")" "ok 102 99 0" "a member deleted leaves the list"

# 20 parallel membership and status changes: the counters stay exact.
sql "INSERT INTO contact_groups (customer_id, name, kind) VALUES (1, 'Race', 'list')" >/dev/null
rid=$(sql "SELECT id FROM contact_groups WHERE name = 'Race'")
pids=
for i in $(seq 20); do
	case $((i % 4)) in
	0) q="SELECT wa_group_add(1, $rid, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 AND id % 20 = $i % 20))" ;;
	1) q="SELECT wa_group_add(1, $rid, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 AND id % 7 = $i % 7))" ;;
	2) q="SELECT wa_group_remove(1, $rid, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 AND id % 5 = $i % 5))" ;;
	3) q="UPDATE contacts SET status = CASE status WHEN 'subscribed' THEN 'unknown' ELSE 'subscribed' END
	      WHERE customer_id = 1 AND id % 11 = $i % 11" ;;
	esac
	sql "$q" >/dev/null &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
like "$(exact "$rid")" '^ok [0-9]+ ' "20 parallel adds, removes and status changes: the counters equal count(*) ($(exact "$rid"))"
like "$(exact "$gid")" '^ok 102 ' "... and those of the other list, whose members' status changed ($(exact "$gid"))"

# Growth: the joins and leaves of today (Jakarta's day), members at its end.
is "$(sql "SELECT day || ' ' || joined || ' ' || left_ FROM contact_group_days WHERE group_id = $gid")" \
    "2030-03-04 107 5" "the day's joins and leaves, in the customer's zone"
http GET "/contacts/groups/$gid" -b "$jar"
is "$HTTP_STATUS" 200 "the list's page: 200"
like "$HTTP_BODY" 'id="gr-members">102<' "... its members (the counter)"
read -r _ _ sub uns <<<"$(exact "$gid")"
like "$HTTP_BODY" "id=\"gr-subscribed\">$sub<" "... subscribed"
like "$HTTP_BODY" "id=\"gr-unsubscribed\">$uns<" "... unsubscribed"
like "$HTTP_BODY" "id=\"gr-unknown\">$((102 - sub - uns))<" "... unknown"
read -r ins outs <<<"$(sql "SELECT count(*) FILTER (WHERE c.status = 'subscribed'), count(*) FILTER (WHERE c.status = 'unsubscribed')
    FROM contact_consents c JOIN contact_group_members m ON m.contact_id = c.contact_id AND m.group_id = $gid AND c.at >= m.added_at" | tr '|' ' ')"
like "$HTTP_BODY" "<th scope=\"row\">2030-03-04</th><td class=\"num\">107</td><td class=\"num\">5</td><td class=\"num\">$ins</td><td class=\"num\">$outs</td><td class=\"num\">102</td>" \
    "... today's row of the growth table"
like "$HTTP_BODY" '<th scope="row">2030-03-03</th><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">0</td>' \
    "... yesterday: none yet"
like "$HTTP_BODY" "href=\"/contacts\\?group=$gid\"" "... its members on the Contacts page"
http GET "/contacts/groups/$sid" -b "$jar"
is "$HTTP_STATUS" 200 "the segment's page: 200"
like "$HTTP_BODY" "id=\"gr-matching\">$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND status = 'subscribed'")<" "... the contacts matching now"
like "$HTTP_BODY" 'href="/contacts\?status=subscribed"' "... its members on the Contacts page"

# ---------------------------------------------------------------- edit
save() { http POST "/contacts/groups/$1" -b "$jar" --data-urlencode "_csrf=$csrf" "${@:2}"; }
save "$gid" --data-urlencode 'name=' --data-urlencode 'description=x'
is "$HTTP_STATUS" 422 "renaming to nothing: 422"
save "$gid" --data-urlencode "name=Subscribed'; DROP TABLE contacts; --"
is "$HTTP_STATUS" 422 "renaming to another group's name: 422"
save "$gid" --data-urlencode 'name=Top buyers' --data-urlencode 'description=Spent most'
is "$HTTP_STATUS $(header Location)" "303 /contacts/groups/$gid" "renaming: 303"
is "$(sql "SELECT name || '|' || description FROM contact_groups WHERE id = $gid")" "Top buyers|Spent most" "... stored"
save "$sid" --data-urlencode 'name=Sub' --data-urlencode 'filter=sort=created_desc&q=&status=unknown&after=x'
is "$(sql "SELECT filter FROM contact_groups WHERE id = $sid")" "status=unknown" \
    "a segment's filters changed, kept in their canonical form (no default sort, empty value or cursor)"

# ---------------------------------------------------------------- another customer's
for p in "" /delete; do
	http GET "/contacts/groups/$gid$p" -b "$jar2"
	is "$HTTP_STATUS" 404 "another customer's GET /contacts/groups/{id}$p: 404"
done
http POST "/contacts/groups/$gid" -b "$jar2" --data-urlencode "_csrf=$csrf2" --data-urlencode 'name=Mine'
is "$HTTP_STATUS" 404 "... POST edit: 404"
http POST "/contacts/groups/$gid/delete" -b "$jar2" --data-urlencode "_csrf=$csrf2"
is "$HTTP_STATUS" 404 "... POST delete: 404"
http GET "/contacts?group=$gid" -b "$jar2"
is "$HTTP_STATUS" 400 "... as a filter of their Contacts page: 400"
http POST /contacts/bulk -b "$jar2" --data-urlencode "_csrf=$csrf2" -d action=group_add -d "list=$gid" --data-urlencode 'filter=' -d all=1
is "$HTTP_STATUS" 400 "... as the list of their selection: 400"
is "$(sql "SELECT name || ' ' || members FROM contact_groups WHERE id = $gid")" "Top buyers 102" "... the list unchanged"
http GET /contacts/groups -b "$jar2"
unlike "$HTTP_BODY" 'Top buyers' "... and not on their groups page"

# ---------------------------------------------------------------- delete
http GET "/contacts/groups/$gid/delete" -b "$jar"
like "$HTTP_BODY" 'Delete this group\?' "delete asks first"
like "$HTTP_BODY" 'id="delete-count">102<' "... stating the members"
is "$(sql "SELECT count(*) FROM contact_groups WHERE id = $gid")" 1 "... and deletes nothing yet"
http POST "/contacts/groups/$gid/delete" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS $(header Location)" "303 /contacts/groups" "the delete: 303"
is "$(sql "SELECT count(*) FROM contact_groups WHERE id = $gid") $(sql "SELECT count(*) FROM contact_group_members WHERE group_id = $gid")" \
    "0 0" "... the group and its membership gone"
is "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1")" 299 "... its contacts stay"

stack_stop
done_testing
