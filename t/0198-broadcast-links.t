#!/bin/sh
# 0198-broadcast-links.t: a broadcast's messages name it: the Sent tab and the message page link its broadcast, the contact page lists the broadcasts it was sent (name, its message's status, when; the newest 20 with the count), names escaped; another customer's broadcasts and messages never show.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1
stack_customers 5 1000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES
     (1, 1, 'wa_1', 'Sales', 'connected'), (2, 1, 'wa_2', 'Theirs', 'connected')" >/dev/null
sql "INSERT INTO contacts (customer_id, phone, name, status) VALUES
     (1, '+628111000001', 'Ani', 'subscribed'), (1, '+628111000002', 'Budi', 'subscribed'),
     (2, '+628111000001', 'Their Ani', 'subscribed')" >/dev/null
C1=$(sql "SELECT id FROM contacts WHERE customer_id = 1 AND name = 'Ani'")
C2=$(sql "SELECT id FROM contacts WHERE customer_id = 1 AND name = 'Budi'")
CX=$(sql "SELECT id FROM contacts WHERE customer_id = 2")
# bcast CUSTOMER INSTANCE CONTACT NAME [STATUS]: a broadcast sent to the contact; its id.
bcast() {
	local id
	id=$(sql "INSERT INTO broadcasts (customer_id, name, instance_ids, state, template_body, template_version)
	    VALUES ($1, $(_sql_lit "$4"), ARRAY[$2]::bigint[], 'sending', 'Hi', 1) RETURNING id")
	sql "WITH c AS (SELECT id, phone FROM contacts WHERE id = $3),
	    m AS (INSERT INTO messages (customer_id, instance_id, direction, status, source, peer, peer_phone, body, broadcast_id, sent_at)
	        SELECT $1, $2, 'out', '${5:-sent}', 'broadcast', phone, phone, 'Hi from ' || $(_sql_lit "$4"), $id,
	        CASE WHEN '${5:-sent}' = 'sent' THEN wa_now() END FROM c RETURNING id)
	    INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, instance_id, status, message_id)
	    SELECT $id, c.id, c.phone, $2, 'queued', m.id FROM c, m" >/dev/null
	echo "$id"
}
B1=$(bcast 1 1 "$C1" 'Promo <b>May</b>')
B2=$(bcast 1 1 "$C1" 'June news' queued)
BX=$(bcast 2 2 "$CX" 'Theirs secret')
M1=$(sql "SELECT id FROM messages WHERE broadcast_id = $B1")

jar=$STACK_DIR/jar jar2=$STACK_DIR/jar2
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$STACK_PW"

# ---------------------------------------------------------------- the Sent tab, the message page
http GET /whatsapp/sent -b "$jar"
is "$HTTP_STATUS" 200 "the Sent tab: 200"
like "$HTTP_BODY" "Broadcast: <a href=\"/broadcasts/$B1\">Promo &lt;b&gt;May&lt;/b&gt;</a>" "a broadcast's message links its broadcast, the name escaped"
unlike "$HTTP_BODY" 'Theirs secret' "another customer's broadcast never shows"
http GET "/whatsapp/messages/$M1" -b "$jar"
like "$HTTP_BODY" "<dt>Broadcast</dt><dd><a href=\"/broadcasts/$B1\">" "the message page names its broadcast"
http GET /whatsapp/queue -b "$jar"
like "$HTTP_BODY" "href=\"/broadcasts/$B2\">June news</a>" "... on the Queue tab too"
http GET "/whatsapp/messages/$M1" -b "$jar2"
is "$HTTP_STATUS" 404 "another customer's message: 404"

# ---------------------------------------------------------------- the contact page
http GET "/contacts/$C1" -b "$jar"
is "$HTTP_STATUS" 200 "the contact page: 200"
like "$HTTP_BODY" 'Broadcasts <span class="num">\(2\)</span>' "it counts the broadcasts it was sent"
like "$HTTP_BODY" "<a href=\"/broadcasts/$B2\">June news</a></td><td><span class=\"badge badge--queued\">queued</span>" \
    "... each with its message's status: queued"
like "$HTTP_BODY" "<a href=\"/broadcasts/$B1\">Promo &lt;b&gt;May&lt;/b&gt;</a></td><td><span class=\"badge badge--sent\">sent</span>" \
    "... sent, the name escaped"
is "$(grep -o 'href="/broadcasts/[0-9]*"' <<<"$HTTP_BODY" | tr '\n' ' ')" "href=\"/broadcasts/$B2\" href=\"/broadcasts/$B1\" " "... newest first"
unlike "$HTTP_BODY" 'The newest 20 shown' "... all of them shown"
http GET "/contacts/$C2" -b "$jar"
like "$HTTP_BODY" 'No broadcast was sent to this contact yet' "a contact sent none: the empty state"
http GET "/contacts/$CX" -b "$jar"
is "$HTTP_STATUS" 404 "another customer's contact: 404"
http GET "/contacts/$CX" -b "$jar2"
unlike "$HTTP_BODY" 'Promo|June news' "the other customer's contact with the same number lists none of ours"
like "$HTTP_BODY" 'Theirs secret' "... only their own"

# 25 broadcasts: the newest 20, and the count of all.
for i in $(seq 1 23); do bcast 1 1 "$C1" "Weekly $i" >/dev/null; done
http GET "/contacts/$C1" -b "$jar"
like "$HTTP_BODY" 'Broadcasts <span class="num">\(25\)</span>' "25 broadcasts counted"
is "$(grep -o 'href="/broadcasts/[0-9]*"' <<<"$HTTP_BODY" | sort -u | wc -l)" 20 "... 20 listed"
like "$HTTP_BODY" 'The newest 20 shown' "... saying so"
like "$HTTP_BODY" 'Weekly 23' "... the newest among them"
unlike "$HTTP_BODY" "href=\"/broadcasts/$B1\"" "... the oldest left out"
done_testing
