#!/bin/sh
# 0125-msg-lists.t: the message tabs list only the customer's own rows; filters, dates in their zone, keyset pages, empty states, bad filters, the dashboard's figures.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 2
PW=$STACK_PW

stack_customers 5 1000 c@example.com d@example.com e@example.com || bail_out "seeding failed"
stack_host demo city=Jakarta country=ID >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES
     (1, 1, 'wa_a', 'Alpha', 'connected'), (1, 1, 'wa_b', 'Beta', 'disconnected'),
     (2, 1, 'wa_x', 'Xeno', 'connected')" >/dev/null

# What the dispatcher and the webhooks would have written.
sql "INSERT INTO messages (customer_id, instance_id, direction, status, peer, peer_phone, body, sent_at, gateway_id)
     SELECT 1, 1, 'out', 'sent', '+62810' || lpad(g::text, 7, '0'), '+62810' || lpad(g::text, 7, '0'),
         'bulk ' || g, now(), 'g' || g FROM generate_series(1, 120) g" >/dev/null
sql "INSERT INTO messages (customer_id, instance_id, direction, status, peer, peer_phone, body, created_at, sent_at, delivered_at)
     SELECT 1, 2, 'out', 'delivered', '+6281200000001', '+6281200000001', d.body,
         d.at AT TIME ZONE 'Asia/Jakarta', d.at AT TIME ZONE 'Asia/Jakarta', d.at AT TIME ZONE 'Asia/Jakarta'
     FROM (VALUES ('d-early', '2024-03-10 23:30'::timestamp), ('d-mid', '2024-03-11 00:30'),
         ('d-late', '2024-03-11 23:59')) d(body, at)" >/dev/null
sql "INSERT INTO messages (customer_id, instance_id, direction, status, peer, peer_phone, body, sent_at, delivered_at, read_at)
     VALUES (1, 1, 'out', 'read', '+6281300000001', '+6281300000001', 'was read', now(), now(), now()),
            (1, 1, 'out', 'read', '+6281300000002', '+6281300000002', 'was read too', now(), now(), now())" >/dev/null
sql "INSERT INTO messages (customer_id, instance_id, direction, status, peer, peer_phone, body, attempts, failed_at, last_error)
     VALUES (1, 1, 'out', 'failed', '+6281400000001', '+6281400000001', 'bounced', 6, now(), 'the number is not on WhatsApp'),
            (1, NULL, 'out', 'failed', '+6281400000002', '+6281400000002', 'orphan', 0, now(), 'the instance was deleted')" >/dev/null
sql "INSERT INTO messages (customer_id, instance_id, direction, status, peer, peer_phone, body, cancelled_at)
     VALUES (1, 1, 'out', 'cancelled', '+6281500000001', '+6281500000001', 'called off', now())" >/dev/null
sql "INSERT INTO messages (customer_id, instance_id, direction, status, peer, peer_phone, body, attempts, last_error, due_at)
     VALUES (1, 2, 'out', 'queued', '+6281600000001', '+6281600000001', 'waiting one', 0, '', now()),
            (1, 2, 'out', 'queued', '+6281600000002', '+6281600000002', 'waiting two', 2, 'the gateway did not answer', now() + interval '1 minute')" >/dev/null
sql "INSERT INTO messages (customer_id, instance_id, direction, status, peer, peer_phone, body, lease_owner, lease_until, sending_at)
     VALUES (1, 1, 'out', 'sending', '+6281700000001', '+6281700000001', 'on its way', 'd1', now() + interval '1 minute', now())" >/dev/null
sql "INSERT INTO messages (customer_id, instance_id, direction, status, peer, peer_phone, body, send_at, due_at)
     SELECT 1, 1, 'out', 'scheduled', '+6281800000001', '+6281800000001', 'later ' || g,
         now() + g * interval '1 day', now() + g * interval '1 day' FROM generate_series(1, 3) g" >/dev/null
sql "INSERT INTO messages (customer_id, instance_id, direction, status, source, peer, peer_phone, body, gateway_id, send_at, received_at)
     VALUES (1, 1, 'in', 'received', 'gateway', '6281900000001@c.us', '+6281900000001', 'hello from a customer', 'r1', now(), now()),
            (1, 1, 'in', 'received', 'gateway', '6281900000002@c.us', '+6281900000002', '<i>styled</i>', 'r2', now(), now()),
            (1, 2, 'in', 'received', 'gateway', '120363041234567890@g.us', '', 'from a group', 'r3', now(), now()),
            (1, 2, 'in', 'received', 'gateway', '<b>odd</b>@lid', '', 'odd sender', 'r4', now(), now()),
            (1, 1, 'in', 'received', 'gateway', '6281900000005@c.us', '+6281900000005', 'yesterday', 'r5',
                now() - interval '1 day', now() - interval '1 day')" >/dev/null
sql "INSERT INTO message_counts (customer_id, month, messages) VALUES (1, wa_customer_month(1), 37)" >/dev/null
# Another customer's rows of every kind, which customer 1 must never see.
sql "INSERT INTO messages (customer_id, instance_id, direction, status, source, peer, peer_phone, body, lease_until, send_at)
     SELECT 2, 3, CASE WHEN s = 'received' THEN 'in' ELSE 'out' END, s,
         CASE WHEN s = 'received' THEN 'gateway' ELSE 'portal' END, '+6289990000', '+6289990000',
         'SECRET-OTHER-' || s, now() + interval '1 minute',
         CASE WHEN s = 'scheduled' THEN now() + interval '1 day' ELSE now() END
     FROM unnest(ARRAY['queued', 'scheduled', 'sending', 'sent', 'delivered', 'read', 'failed',
         'cancelled', 'received']) s" >/dev/null

jar=$STACK_DIR/jar; jar3=$STACK_DIR/jar3
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$PW"
http POST /login -c "$jar3" --data-urlencode email=e@example.com --data-urlencode "password=$PW"
# ids: the message ids listed on the last page, in order.
ids() { grep -o 'href="/whatsapp/messages/[0-9]*">Details' <<<"$HTTP_BODY" | grep -o '[0-9]*'; }
link() { grep -o "href=\"[^\"]*\" rel=\"$1\"" <<<"$HTTP_BODY" | sed 's/^href="//; s/" rel=.*//; s/&amp;/\&/g'; }

# Only the customer's own rows, on every tab and with every filter.
for path in /whatsapp/queue /whatsapp/sent /whatsapp/received /whatsapp/scheduled \
    '/whatsapp/sent?instance=3' '/whatsapp/queue?status=queued' '/whatsapp/received?from=2000-01-01'; do
	http GET "$path" -b "$jar"
	is "$HTTP_STATUS" 200 "GET $path: 200"
	unlike "$HTTP_BODY" 'SECRET-OTHER|Xeno' "$path: nothing of another customer's"
done
http GET '/whatsapp/sent?instance=3' -b "$jar"
like "$HTTP_BODY" 'No messages match these filters' "another customer's number as a filter: nothing"
for id in $(sql "SELECT id FROM messages WHERE customer_id = 2"); do
	http GET "/whatsapp/messages/$id" -b "$jar"
	[ "$HTTP_STATUS" = 404 ] || break
done
is "$HTTP_STATUS" 404 "each of another customer's messages: 404"

# Each tab lists its statuses.
http GET /whatsapp/queue -b "$jar"
is "$(ids | wc -l)" 3 "Queue: queued and sending (3)"
like "$HTTP_BODY" 'badge--sending">sending<' "... a sending one as a badge"
like "$HTTP_BODY" 'Tries: <span class="num" data-f="attempts">2</span>' "... a retried one with its tries"
like "$HTTP_BODY" 'the gateway did not answer' "... and why"
http GET /whatsapp/scheduled -b "$jar"
is "$(ids | wc -l)" 3 "Scheduled: 3"
is "$(grep -c 'href="/whatsapp/messages/[0-9]*/cancel"' <<<"$HTTP_BODY")" 3 "... each with Cancel"
http GET /whatsapp/sent -b "$jar"
like "$HTTP_BODY" 'Older' "Sent: more than a page"
http GET '/whatsapp/sent?status=failed' -b "$jar"
is "$(ids | wc -l)" 2 "Sent, failed: 2"
like "$HTTP_BODY" 'the number is not on WhatsApp' "... with the failure's reason"
like "$HTTP_BODY" 'deleted number' "... and a deleted number said in words"
like "$HTTP_BODY" '<option value="failed" selected>failed</option>' "... the filter shows its choice"
http GET '/whatsapp/sent?status=cancelled' -b "$jar"
like "$HTTP_BODY" 'called off' "cancelled messages are on the Sent tab"
like "$HTTP_BODY" '<dt>Cancelled</dt>' "... with the time they were cancelled"
http GET '/whatsapp/sent?status=read' -b "$jar"
like "$HTTP_BODY" '<dt data-live-show="read">Read</dt>' "read messages show when they were read"
is "$(ids | wc -l)" 2 "... 2 of them"
http GET /whatsapp/received -b "$jar"
is "$(ids | wc -l)" 5 "Received: 5"
like "$HTTP_BODY" '\+6281900000001' "... the sender's number"
like "$HTTP_BODY" '<code>120363041234567890@g.us</code>' "... or the opaque JID when it has none"
like "$HTTP_BODY" '<code>&lt;b&gt;odd&lt;/b&gt;@lid</code>' "... escaped"
like "$HTTP_BODY" '&lt;i&gt;styled&lt;/i&gt;' "... and texts escaped"
unlike "$HTTP_BODY" '<i>styled|<b>odd' "... never as markup"

# Filters: the number, the status, days in the customer's zone.
http GET '/whatsapp/queue?instance=2' -b "$jar"
is "$(ids | wc -l)" 2 "Queue, Beta only: 2"
unlike "$HTTP_BODY" 'on its way' "... not Alpha's"
http GET '/whatsapp/queue?instance=2&status=queued&from=&to=' -b "$jar"
is "$(ids | wc -l)" 2 "empty filters are no filter"
http GET '/whatsapp/sent?from=2024-03-11&to=2024-03-11' -b "$jar"
like "$HTTP_BODY" 'd-mid' "11 March in Asia/Jakarta: 00:30 local (17:30 UTC on the 10th)"
like "$HTTP_BODY" 'd-late' "... and 23:59 local"
unlike "$HTTP_BODY" 'd-early' "... not 23:30 local on the 10th"
is "$(ids | wc -l)" 2 "... 2 rows"
like "$HTTP_BODY" '<time datetime="2024-03-10T17:30:00Z">2024-03-11 00:30:00</time>' "times shown in the zone to the second, UTC in datetime"
http GET '/whatsapp/sent?from=2024-03-10&to=2024-03-10' -b "$jar"
is "$(ids | wc -l)" 1 "10 March: 1 row"
http GET '/whatsapp/sent?from=2024-03-12&to=2024-03-10' -b "$jar"
is "$HTTP_STATUS" 200 "a range that ends before it starts: 200"
like "$HTTP_BODY" 'The start date is after the end date' "... saying so"
is "$(ids | wc -l)" 0 "... and listing nothing"
for q in 'status=bogus' 'status=queued' 'from=2024-02-30' 'to=2024-13-01' 'from=yesterday' \
    'instance=abc' 'instance=-1' 'before=0' 'before=12a' 'before=1&after=2' "instance=$(printf '9%.0s' {1..19})"; do
	http GET "/whatsapp/sent?$q" -b "$jar"
	is "$HTTP_STATUS" 400 "Sent with $q: 400"
done
# The lists' declared inputs: an empty filter or cursor is none, a
# notice is a short [a-z_] word; the detail page takes the notice only.
http GET '/whatsapp/queue?instance=&status=&from=&to=&before=&after=&done=' -b "$jar"
is "$HTTP_STATUS" 200 "every filter, cursor and notice empty: 200"
is "$(ids | wc -l)" 3 "... the whole Queue"
unlike "$HTTP_BODY" 'Clear filters' "... not filtered"
for q in 'done=Queued' 'done=queued!' "done=$(printf 'a%.0s' {1..33})" 'after=007'; do
	http GET "/whatsapp/queue?$q" -b "$jar"
	is "$HTTP_STATUS" 400 "Queue with $q: 400"
done
http GET "/whatsapp/queue?done=$(printf 'a%.0s' {1..32})" -b "$jar"
is "$HTTP_STATUS" 200 "an unknown notice of 32 letters: 200"
unlike "$HTTP_BODY" 'role="status">(Message|Too late)' "... shows none"
mid=$(sql "SELECT id FROM messages WHERE body = 'on its way'")
http GET "/whatsapp/messages/$mid?status=bogus&before=x&instance=abc" -b "$jar"
is "$HTTP_STATUS" 200 "the detail page ignores the lists' filters"
http GET "/whatsapp/messages/$mid?done=too_late" -b "$jar"
like "$HTTP_BODY" 'role="status">Too late to cancel' "... and shows a notice"
http GET "/whatsapp/messages/$mid?done=Too_late" -b "$jar"
is "$HTTP_STATUS" 400 "... a malformed one is a 400"

# Keyset pages: 120 rows in 3 pages, newest first, no duplicate, no gap,
# rows added meanwhile do not shift them.
all=$(sql "SELECT id FROM messages WHERE customer_id = 1 AND status = 'sent' ORDER BY id DESC")
http GET '/whatsapp/sent?status=sent' -b "$jar"
p1=$(ids); older=$(link next)
is "$(wc -l <<<"$p1")" 50 "page 1: 50 rows"
unlike "$HTTP_BODY" 'rel="prev"' "... no Newer on the first page"
like "$older" '^/whatsapp/sent\?status=sent&before=[0-9]+$' "... Older carries the filter and the cursor"
sql "INSERT INTO messages (customer_id, instance_id, direction, status, peer, peer_phone, body, sent_at)
     SELECT 1, 1, 'out', 'sent', '+6281111', '+6281111', 'late ' || g, now() FROM generate_series(1, 5) g" >/dev/null
http GET "$older" -b "$jar"
p2=$(ids); older=$(link next); newer2=$(link prev)
is "$(wc -l <<<"$p2")" 50 "page 2: 50 rows"
http GET "$older" -b "$jar"
p3=$(ids)
is "$(wc -l <<<"$p3")" 20 "page 3: 20 rows"
is "$(link next)" '' "... no Older on the last page"
newer3=$(link prev)
is "$(printf '%s\n' "$p1" "$p2" "$p3")" "$all" "the three pages are every row once, newest first"
http GET "$newer3" -b "$jar"
is "$(ids)" "$p2" "Newer from page 3 is page 2"
http GET "$newer2" -b "$jar"
is "$(ids)" "$p1" "Newer from page 2 is page 1 as it was"
like "$(link prev)" 'after=' "... with a Newer link to the rows added since"
http GET "$(link prev)" -b "$jar"
is "$(ids | wc -l)" 5 "... which lists the 5 new rows"
http GET '/whatsapp/sent?status=sent&before=1' -b "$jar"
like "$HTTP_BODY" 'No messages match' "a cursor past the end: an empty page"
like "$(link prev)" '^/whatsapp/sent\?status=sent$' "... linking back to the first page"

# Empty states, each with a next step.
for t in 'queue:Nothing is waiting to go out' 'sent:No messages have left the queue yet' \
    'received:No messages received yet' 'scheduled:Nothing is scheduled'; do
	http GET "/whatsapp/${t%%:*}" -b "$jar3"
	like "$HTTP_BODY" "class=\"empty-state\">${t#*:}" "an empty ${t%%:*} tab says what to do"
	unlike "$HTTP_BODY" '<table' "... with no table"
done
http GET /whatsapp/queue -b "$jar3"
like "$HTTP_BODY" 'Link a WhatsApp number first' "without a number, the form says to link one first"

# The dashboard's figures match the rows.
http GET /dashboard -b "$jar"
like "$HTTP_BODY" 'id="fig-instances">1 / 2<' "dashboard: 1 of 2 numbers connected"
like "$HTTP_BODY" 'id="fig-month">37 / 1000<' "dashboard: quota places taken this month of the limit"
like "$HTTP_BODY" 'id="fig-sent">127<' "dashboard: sent this month (125 sent, 2 read; March 2024's not)"
like "$HTTP_BODY" 'id="fig-queued">3<' "dashboard: 3 queued or sending"
like "$HTTP_BODY" 'id="fig-scheduled">3<' "dashboard: 3 scheduled"
like "$HTTP_BODY" 'id="fig-received">4<' "dashboard: 4 received today (not yesterday's)"
like "$HTTP_BODY" 'href="/whatsapp/queue#add">Send a message<' "dashboard: a quick action to send a message"
like "$HTTP_BODY" 'Link a number<' "... and one to link a number"
like "$HTTP_BODY" 'package-title' "... the package card stays"
http GET /dashboard -b "$jar3"
like "$HTTP_BODY" 'id="fig-instances">0 / 0<' "a new customer's dashboard: zeros"
like "$HTTP_BODY" 'id="fig-month">0 / 1000<' "... and the whole quota"

done_testing
