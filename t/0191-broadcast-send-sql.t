#!/bin/sh
# 0191-broadcast-send-sql.t: sending a broadcast in SQL (sql/0028), on a pinned clock: the quota reserved at once or the broadcast failed with the numbers; the claim sends a broadcast's messages only while it is sending, after the number's other messages; pause, resume, cancel (messages, recipients, quota given back); a STOP's cancel gives the place back to the reservation; a broadcast deleted takes its recipients and leaves its messages (sql/0035); another customer's id changes nothing.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2030-03-01 10:00:00+00'
stack_customers 5 1000 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 1000000" >/dev/null
stack_host demo >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES
     (1, 1, 'wa_1', 'Sales', 'connected'), (2, 1, 'wa_2', 'Theirs', 'connected')" >/dev/null
sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Hello', 'Hi {{first_name}}')" >/dev/null || bail_out "template"
used() { sql "SELECT coalesce(sum(messages), 0) FROM message_counts WHERE customer_id = ${1:-1}"; }
bc() { sql "SELECT $2 FROM broadcasts WHERE id = $1"; }
claim() { sql "SELECT coalesce(string_agg(id::text, ' ' ORDER BY id), '') FROM wa_dispatch_claim('t', ${1:-50}, 30, ${2:-0}, 0, 0, 0)"; }
# bcast N: a broadcast of customer 1 resolved ('ready') with N pending
# recipients (contacts made for it); its id.
bcast() {
	local id
	id=$(sql "INSERT INTO broadcasts (customer_id, name, template_id, instance_ids)
	    VALUES (1, 'B', (SELECT id FROM templates WHERE customer_id = 1), ARRAY[1]::bigint[]) RETURNING id")
	sql "INSERT INTO contacts (customer_id, phone, status)
	    SELECT 1, '+62815' || $id || lpad(g::text, 5, '0'), 'subscribed' FROM generate_series(1, $1) g ON CONFLICT DO NOTHING;
	    INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, instance_id)
	    SELECT $id, c.id, c.phone, 1 FROM contacts c WHERE c.phone LIKE '+62815' || $id || '_____';
	    UPDATE broadcasts SET state = 'ready', template_version = 1, template_body = 'Hi', recipients = $1 WHERE id = $id" >/dev/null
	echo "$id"
}
# queue ID: its recipients' messages, as the runner inserts them.
queue() {
	sql "WITH m AS (INSERT INTO messages (customer_id, instance_id, direction, status, source, peer, peer_phone, body, broadcast_id)
	    SELECT 1, 1, 'out', 'queued', 'broadcast', phone, phone, 'Hi', $1 FROM broadcast_recipients WHERE broadcast_id = $1
	    RETURNING id, peer_phone)
	    UPDATE broadcast_recipients r SET status = 'queued', message_id = m.id FROM m
	    WHERE r.broadcast_id = $1 AND r.phone = m.peer_phone" >/dev/null
}

# ---------------------------------------------------------------- quota
big=$(bcast 1001)
is "$(sql "SELECT ok || ' ' || needed || ' ' || remaining FROM wa_broadcast_reserve($big)")" "false 1001 1000" \
    "a broadcast larger than the month's remainder is refused"
is "$(bc "$big" "state || ' / ' || fail_reason || ' / ' || reserved")" "failed / needs 1001 messages, 1000 left this month / 0" \
    "... failed, saying how many it needs and how many are left"
is "$(bc "$big" "fail_code || ' ' || fail_args::text")" "quota {1001,1000}" "... its code and figures (sql/0036)"
is "$(used)" 0 "... nothing reserved"
is "$(sql "SELECT coalesce(ok::text, 'none') FROM wa_broadcast_reserve($big)")" none "... and it cannot be reserved again"

b=$(bcast 3)
is "$(sql "SELECT ok || ' ' || needed || ' ' || remaining FROM wa_broadcast_reserve($b)")" "true 3 1000" "three recipients: reserved"
is "$(bc "$b" "state || ' ' || reserved || ' ' || reserved_month")" "sending 3 2030-03-01" "... sending, three places held this month"
is "$(used)" 3 "... taken from the month's quota at once"
queue "$b"
is "$(used)" 3 "its messages take no place each"

# ---------------------------------------------------------------- pause, resume, another customer's
for f in "pause(2, $b, 'x')" "resume(2, $b)" "cancel(2, $b)" "pause(1, 999999, 'x')"; do
	is "$(sql "SELECT wa_broadcast_$f")" f "wa_broadcast_$f: another customer's or no broadcast: false"
done
is "$(bc "$b" state)" sending "... it still sends"
is "$(sql "SELECT wa_broadcast_resume(1, $b)")" f "resume while sending: false"
is "$(sql "SELECT wa_broadcast_pause(1, $b, 'too many failures')")" t "pause: true"
is "$(bc "$b" "state || ' / ' || pause_reason || ' / ' || paused_at")" "paused / too many failures / 2030-03-01 10:00:00+00" \
    "... paused with its reason and time"
is "$(bc "$b" "'[' || pause_code || '] ' || pause_args::text")" "[] {}" "... a reason given by hand has no code"
is "$(sql "SELECT wa_broadcast_pause(1, $b, 'again')")" f "... pausing again: false"
is "$(claim)" "" "the dispatcher claims none of a paused broadcast's messages"
is "$(sql "SELECT coalesce(wa_dispatch_next_due(0)::text, 'none')")" none "... and is not woken for them"
p1=$(sql "SELECT id FROM wa_message_enqueue(1, 1, '+628111000001', 'plain', wa_now(), 'portal')")
is "$(sql "SELECT wa_broadcast_resume(1, $b)")" t "resume: true"
is "$(bc "$b" "state || '/' || pause_reason || '/'")" "sending//" "... sending, the reason cleared"
first=$(sql "SELECT min(id) FROM messages WHERE broadcast_id = $b")
is "$(claim 50 1000)" "$p1" "paced, one per turn: the number's own message goes before the broadcast's queue"
sql "UPDATE instances SET next_send_at = '-infinity'" >/dev/null
is "$(claim 50 1000)" "$first" "... the broadcast's first message next"
sql "UPDATE messages SET status = 'sent', sent_at = wa_now(), lease_owner = NULL, lease_until = NULL WHERE id = $first;
     UPDATE instances SET next_send_at = '-infinity'" >/dev/null

# ---------------------------------------------------------------- a STOP
last=$(sql "SELECT max(id) FROM messages WHERE broadcast_id = $b")
lphone=$(sql "SELECT peer_phone FROM messages WHERE id = $last")
sql "SELECT wa_message_in(1, 'wa_1', '${lphone#+}@c.us', '$lphone', 'STOP', 'g1', NULL)" >/dev/null
is "$(sql "SELECT status || ' ' || last_error FROM messages WHERE id = $last")" "cancelled unsubscribed" \
    "a STOP cancels the contact's queued broadcast message"
is "$(bc "$b" reserved) $(used)" "2 3" "... its place given back to the reservation and the month (plain message: 1, broadcast: 2)"

# ---------------------------------------------------------------- cancel
is "$(sql "SELECT wa_broadcast_cancel(1, $b)")" t "cancel: true"
is "$(bc "$b" "state || ' ' || reserved || ' ' || (cancelled_at = wa_now())")" "cancelled 1 true" "... cancelled, one place kept (the sent message)"
is "$(sql "SELECT string_agg(status || ':' || last_error, ' ' ORDER BY id) FROM messages WHERE broadcast_id = $b")" \
    "sent: cancelled:broadcast cancelled cancelled:unsubscribed" "... its unsent messages cancelled, saying why"
is "$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b AND status = 'cancelled' AND reason = 'broadcast cancelled'")" 1 \
    "... the recipient not sent to cancelled with the reason"
is "$(used)" 2 "... the month's quota: the plain message and the one sent"
is "$(sql "SELECT wa_broadcast_cancel(1, $b)")" f "cancel again: false"
is "$(sql "SELECT wa_broadcast_resume(1, $b)")" f "... a cancelled broadcast does not resume"
is "$(sql "SELECT count(*) FROM wa_dispatch_claim('t', 50, 30, 0, 0, 0, 0) c JOIN messages m ON m.id = c.id WHERE m.broadcast_id = $b")" 0 \
    "nothing of it is claimed"

# A cancel before the reservation: pending recipients cancelled, nothing given.
r=$(bcast 2)
is "$(sql "SELECT wa_broadcast_cancel(1, $r)") $(bc "$r" state) $(used)" "t cancelled 2" "a ready broadcast cancelled: no quota change"
is "$(sql "SELECT string_agg(status || ':' || reason, ' ') FROM broadcast_recipients WHERE broadcast_id = $r")" \
    "cancelled:broadcast cancelled cancelled:broadcast cancelled" "... its pending recipients cancelled"
is "$(sql "SELECT coalesce(ok::text, 'none') FROM wa_broadcast_reserve($r)")" none "... and never reserved"

# Another customer's broadcast: customer 2 cannot touch customer 1's.
s=$(bcast 2)
sql "SELECT wa_broadcast_reserve($s)" >/dev/null
queue "$s"
before=$(sql "SELECT md5(string_agg(m.id || m.status || m.last_error, ',' ORDER BY m.id)) FROM messages m WHERE broadcast_id = $s")
for f in "pause(2, $s, 'x')" "cancel(2, $s)"; do
	is "$(sql "SELECT wa_broadcast_$f")" f "customer 2: wa_broadcast_$f on customer 1's: false"
done
is "$(bc "$s" "state || ' ' || reserved") $(used)" "sending 2 4" "... the state, the reservation and the quota unchanged"
is "$(sql "SELECT md5(string_agg(m.id || m.status || m.last_error, ',' ORDER BY m.id)) FROM messages m WHERE broadcast_id = $s")" "$before" \
    "... and its messages"
is "$(sql "SELECT wa_broadcast_pause(1, $s, repeat('x', 400))") $(bc "$s" "length(pause_reason)")" "t 300" "an oversized reason is cut to 300"
sql "SELECT wa_broadcast_resume(1, $s)" >/dev/null
is "$(sql "SELECT wa_broadcast_pause(1, $s, '''); DROP TABLE broadcasts; --<b>')") $(bc "$s" pause_reason)" \
    "t '); DROP TABLE broadcasts; --<b>" "a hostile reason is stored as text"
# A broadcast deleted (sql/0035: a trigger instead of the two foreign keys):
# its recipients with it, its messages kept without it; another's untouched.
d=$(bcast 2)
queue "$d"
others=$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id <> $d")
theirs=$(sql "SELECT count(*) FROM messages WHERE broadcast_id <> $d")
kept=$(sql "SELECT string_agg(id::text, ',' ORDER BY id) FROM messages WHERE broadcast_id = $d")
is "$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $d") $(echo "$kept" | tr ',' '\n' | wc -l)" "2 2" \
    "delete: a broadcast with 2 recipients and 2 messages"
sql "DELETE FROM broadcasts WHERE id = $d" >/dev/null
is "$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $d")" 0 "... deleted: its recipients with it"
is "$(sql "SELECT count(*) || ' ' || count(broadcast_id) FROM messages WHERE id IN ($kept)")" "2 0" \
    "... its messages kept, without the broadcast"
is "$(sql "SELECT count(*) FROM broadcast_recipients")" "$others" "... the other broadcasts' recipients untouched"
is "$(sql "SELECT count(*) FROM messages WHERE broadcast_id IS NOT NULL")" "$theirs" "... and their messages"
done_testing
