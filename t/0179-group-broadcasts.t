#!/bin/sh
# 0179-group-broadcasts.t: a group's page lists the last 5 broadcasts sent to it (one of their sources) with their counters, newest first; drafts and other groups' broadcasts are not listed; names escaped; the empty state; "Send to this group" opens the broadcast form with the group chosen.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2030-03-04 10:00:00+00'
stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo >/dev/null
sql "UPDATE users SET time_zone = 'Asia/Jakarta';
     INSERT INTO instances (customer_id, host_id, session, name, status) VALUES
         (1, 1, 'wa_1', 'Sales', 'connected'), (2, 1, 'wa_2', 'Theirs', 'connected');
     INSERT INTO contact_groups (customer_id, name, kind) VALUES (1, 'VIP', 'list'), (1, 'Other', 'list'), (2, 'Theirs', 'list');
     INSERT INTO contact_groups (customer_id, name, kind, filter) VALUES (1, 'Seg', 'segment', 'status=subscribed')" >/dev/null ||
    bail_out "seeding failed"
# bcast CUSTOMER NAME STATE KIND:GROUP... : the Nth broadcast, with those
# sources and counters N * 100 recipients, N * 90 sent...; its id.
bcast() {
	local id pos=0 s n
	n=$(($(sql "SELECT count(*) FROM broadcasts") + 1))
	id=$(sql "INSERT INTO broadcasts (customer_id, name, state, template_version, template_body, instance_ids,
	    started_at, recipients, sent, delivered, read, failed, replied, opted_out)
	    VALUES ($1, '$2', '$3', 1, 'Hi', ARRAY[$1]::bigint[], timestamptz '2030-03-0$((n % 3 + 1)) 20:00:00+00',
	    $((n * 100)), $((n * 90)), $((n * 80)), $((n * 70)), $n, $((n * 2)), $((n * 3))) RETURNING id") || return 1
	shift 3
	for s; do
		sql "INSERT INTO broadcast_sources (broadcast_id, pos, kind, ref_id) VALUES ($id, $pos, '${s%%:*}', ${s#*:})" >/dev/null || return 1
		pos=$((pos + 1))
	done
	echo "$id"
}
jar=$STACK_DIR/jar
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"

http GET /contacts/groups/1 -b "$jar"
like "$HTTP_BODY" 'id="gr-bcasts-none"' "a group no broadcast was sent to: the empty state"
like "$HTTP_BODY" 'href="/broadcasts/new\?src=list:1"' "... and \"Send to this group\" opens the broadcast form with it chosen"

first=$(bcast 1 'Promo <script>x</script>' done list:1) || bail_out "broadcast"
for i in 2 3 4 5 6; do bcast 1 "Wave $i" sending list:2 list:1 >/dev/null || bail_out "broadcast"; done
bcast 1 'Draft one' draft list:1 >/dev/null
bcast 1 'Elsewhere' done list:2 >/dev/null
seg=$(bcast 1 'To the segment' paused segment:4) || bail_out "broadcast"
bcast 2 'Theirs' done list:3 >/dev/null

http GET /contacts/groups/1 -b "$jar"
rows=$(grep -o '<a href="/broadcasts/[0-9]*">[^<]*</a>' <<<"$HTTP_BODY" | sed 's/<[^>]*>//g' | paste -sd, -)
is "$rows" "Wave 6,Wave 5,Wave 4,Wave 3,Wave 2" "the list's page: its last 5 broadcasts, newest first (not the draft, not another list's)"
like "$HTTP_BODY" '<th scope="row"><a href="/broadcasts/6">Wave 6</a></th><td><span class="badge badge--sending">Sending</span></td><td>2030-03-02</td><td class="num">600</td><td class="num">540</td><td class="num">480</td><td class="num">420</td><td class="num">6</td><td class="num">12</td><td class="num">18</td>' \
    "... each with its state, start day in the customer's zone, and counters"
sql "UPDATE broadcasts SET state = 'cancelled' WHERE name LIKE 'Wave%'" >/dev/null
http GET /contacts/groups/1 -b "$jar"
like "$HTTP_BODY" 'badge--cancelled">Cancelled<' "... the state as it is now"
sql "DELETE FROM broadcasts WHERE name IN ('Wave 5', 'Wave 6')" >/dev/null
http GET /contacts/groups/1 -b "$jar"
like "$HTTP_BODY" "Promo &lt;script&gt;x&lt;/script&gt;" "an older one comes back when newer ones go, its name escaped"
unlike "$HTTP_BODY" '<script>x' "... never as markup"
http GET /contacts/groups/4 -b "$jar"
like "$HTTP_BODY" "<a href=\"/broadcasts/$seg\">To the segment</a></th><td><span class=\"badge badge--paused\">Paused<" "a segment's page lists the broadcasts sent to it"
http GET /contacts/groups/3 -b "$jar"
is "$HTTP_STATUS" 404 "another customer's group: 404 (its broadcasts are never shown)"
sql "UPDATE users SET language = 'id' WHERE id = 1" >/dev/null
http GET /contacts/groups/1 -b "$jar"
like "$HTTP_BODY" 'Siaran terakhir ke grup ini' "in Indonesian"

done_testing
