#!/bin/sh
# 0169-optin-sql.t: double opt-in in the database alone: the confirmations stay within the month's quota (the rest pending, unasked), one per membership; 20 parallel adds, removes, confirmations, resends and contact deletes keep the pending and member counters equal to count(*); expiry counts; another customer's list gets nothing.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2030-03-04 10:00:00+00'
stack_customers 2 60 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo >/dev/null
sql "UPDATE packages SET max_contacts = 1000;
     INSERT INTO instances (customer_id, host_id, session, name, status) VALUES
         (1, 1, 'wa_a', 'A', 'connected'), (1, 1, 'wa_b', 'B', 'connected');
     INSERT INTO contacts (customer_id, phone, status)
         SELECT 1, '+62813' || lpad(g::text, 7, '0'),
             CASE WHEN g % 10 = 0 THEN 'unsubscribed' ELSE 'unknown' END
         FROM generate_series(1, 200) g;
     INSERT INTO contacts (customer_id, phone) VALUES (2, '+628140000001')" >/dev/null
gid=$(sql "INSERT INTO contact_groups (customer_id, name, kind, confirm) VALUES (1, 'News', 'list', true) RETURNING id")
oid=$(sql "INSERT INTO contact_groups (customer_id, name, kind, confirm) VALUES (2, 'Other', 'list', true) RETURNING id")

exact() {
	local kept counted
	kept=$(sql "SELECT members || ' ' || pending FROM contact_groups WHERE id = $1")
	counted=$(sql "SELECT (SELECT count(*) FROM contact_group_members WHERE group_id = $1) || ' ' ||
	    (SELECT count(*) FROM contact_group_pending WHERE group_id = $1)")
	[ "$kept" = "$counted" ] && echo "ok $kept" || echo "kept $kept, counted $counted"
}
optins() { sql "SELECT count(*) FROM messages WHERE customer_id = ${1:-1} AND source = 'optin'"; }

# The quota: 60 a month; 100 added, 90 of them may be asked.
is "$(sql "SELECT wa_group_add(1, $gid, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 AND id <= 100))")" 100 \
    "100 contacts added to a confirming list"
is "$(exact "$gid")" "ok 0 100" "... all pending (exact)"
is "$(optins) $(sql "SELECT messages FROM message_counts WHERE customer_id = 1")" "60 60" \
    "... 60 confirmations queued: the month's quota, each taking its place"
is "$(sql "SELECT count(*) FROM contact_group_pending p JOIN contacts c ON c.id = p.contact_id
    WHERE p.group_id = $gid AND p.message_id IS NULL AND c.status <> 'unsubscribed'")" 30 \
    "... the 30 past the quota stay pending, not asked"
is "$(sql "SELECT count(*) FROM messages m JOIN contacts c ON c.phone = m.peer_phone AND c.customer_id = 1
    WHERE m.source = 'optin' AND c.status = 'unsubscribed'")" 0 "... none to an unsubscribed contact"
is "$(sql "SELECT DISTINCT instance_id FROM messages WHERE source = 'optin'")" \
    "$(sql "SELECT min(id) FROM instances WHERE customer_id = 1")" "... all from the first connected instance"
is "$(sql "SELECT count(*) FROM (SELECT peer_phone FROM messages WHERE source = 'optin' GROUP BY 1 HAVING count(*) > 1) x")" 0 \
    "... one per contact"
is "$(sql "SELECT wa_optin_resend(1, $gid, NULL)")" 0 "a resend with the quota spent sends nothing"
sql "UPDATE packages SET max_messages_month = 100000" >/dev/null
is "$(sql "SELECT wa_optin_resend(1, $gid, NULL)")" 30 "... with room again: only the 30 never asked"
is "$(sql "SELECT wa_optin_resend(2, $gid, NULL) + wa_optin_resend(1, $oid, NULL)")" 0 \
    "another customer's list resends nothing (both ways)"
is "$(sql "SELECT wa_group_add(2, $gid, ARRAY(SELECT id FROM contacts))")" 0 "... nor adds"

# 20 parallel changes (a YES is one confirmation a transaction): the
# counters stay exact.
pids=
for i in $(seq 20); do
	case $((i % 5)) in
	0) q="SELECT wa_group_add(1, $gid, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 AND id % 13 = $i % 13))" ;;
	1) q="SELECT wa_group_remove(1, $gid, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 AND id % 17 = $i % 17))" ;;
	2) q="SELECT wa_optin_confirm(1, phone, NULL, NULL) FROM contacts WHERE customer_id = 1 AND id = 9 * $i" ;;
	3) q="SELECT wa_optin_resend(1, $gid, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 AND id % 3 = $i % 3))" ;;
	4) q="DELETE FROM contacts WHERE customer_id = 1 AND id = 150 + $i" ;;
	esac
	sql "$q" >/dev/null &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
like "$(exact "$gid")" '^ok [0-9]+ [0-9]+$' "20 parallel adds, removes, confirmations, resends, deletes: counters equal count(*) ($(exact "$gid"))"
is "$(sql "SELECT count(*) FROM contact_group_pending p JOIN contact_group_members m USING (group_id, contact_id)")" 0 \
    "... nobody both pending and a member"
is "$(sql "SELECT count(*) FROM contact_group_members m JOIN contacts c ON c.id = m.contact_id WHERE m.status <> c.status")" 0 \
    "... the members' copied status is the contact's"
is "$(sql "SELECT count(*) FROM contact_consents WHERE source = 'double_opt_in'")" \
    "$(sql "SELECT count(DISTINCT contact_id) FROM contact_consents WHERE source = 'double_opt_in'")" \
    "... one consent entry per confirmed contact"

# Expiry: 7 days later every pending membership goes, counted.
n=$(sql "SELECT pending FROM contact_groups WHERE id = $gid")
stack_clock_add '8 days'
is "$(sql "SELECT wa_optin_expire()")" "$n" "8 days later the $n pending expire"
is "$(exact "$gid") $(sql "SELECT expired FROM contact_groups WHERE id = $gid")" "ok $(sql "SELECT members FROM contact_groups WHERE id = $gid") 0 $n" \
    "... counted in expired; the members stay"
is "$(sql "SELECT wa_optin_expire()")" 0 "... a second sweep finds nothing"
is "$(optins 2)" 0 "the other customer never got a confirmation sent"

done_testing
