#!/bin/sh
# 0124-messages.t: the Queue tab's form (queued, scheduled in two zones, every bad input, quota, expired package), cancelling, escaping, the profile's time zone.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 2
PW=$STACK_PW

stack_customers 5 100 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo city=Jakarta country=ID >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
     (1, 1, 'wa_sales', 'Sales', 'connected', '+6281111111111'),
     (1, 1, 'wa_backup', 'Backup', 'disconnected', ''),
     (2, 1, 'wa_other', 'Other', 'connected', '+6282222222222')" >/dev/null

jar=$STACK_DIR/jar; jar2=$STACK_DIR/jar2
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$PW"
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$PW"
http GET /whatsapp/queue -b "$jar2"
csrf2=$(csrf_of)

http GET /whatsapp/queue -b "$jar"
is "$HTTP_STATUS" 200 "GET /whatsapp/queue: 200"
like "$HTTP_BODY" 'class="tabs__tab" href="/whatsapp/queue" aria-current="page">Queue<' "the tab bar marks the Queue tab"
like "$HTTP_BODY" 'Nothing is waiting to go out' "an empty queue says what to do"
like "$HTTP_BODY" '<option value="1">Sales \(\+6281111111111\) — connected</option>' "the form offers the customer's numbers with their state"
unlike "$HTTP_BODY" 'Other' "... never another customer's"
like "$HTTP_BODY" 'is not connected is accepted and waits' "... and says a message for an unconnected number waits"
like "$HTTP_BODY" '65,536 characters' "the text's limit is shown"
like "$HTTP_BODY" 'in your time zone: <strong>Asia/Jakarta</strong>' "the send time is read in the named zone"
csrf=$(csrf_of)
http GET /whatsapp -b "$jar"
like "$HTTP_BODY" 'href="/whatsapp" aria-current="page">Instances<' "the instances page has the tab bar too"

add() { http POST /whatsapp/queue -b "$jar" --data-urlencode "_csrf=$csrf" "$@"; }
count() { sql "SELECT count(*) FROM messages WHERE customer_id = 1"; }
used() { sql "SELECT coalesce(sum(messages), 0) FROM message_counts WHERE customer_id = 1"; }

# Queued now.
add --data-urlencode instance=1 --data-urlencode 'recipient=0812-3456-7890' --data-urlencode $'text=Hello <b>there</b>\r\nline two'
is "$HTTP_STATUS" 303 "a message now: 303"
is "$(header Location)" '/whatsapp/queue?done=queued' "... back to the queue with a notice"
is "$(sql "SELECT customer_id, instance_id, peer, status, source, body = E'Hello <b>there</b>\nline two' FROM messages")" \
    '1|1|+6281234567890|queued|portal|t' "stored: the customer, the number, E.164, queued, line ends as LF"
is "$(used)" 1 "one place of the month's quota taken"
http GET '/whatsapp/queue?done=queued' -b "$jar"
like "$HTTP_BODY" 'role="status">Message queued' "the notice says so"
like "$HTTP_BODY" 'Hello &lt;b&gt;there&lt;/b&gt;' "the queue lists it, escaped"
like "$HTTP_BODY" 'badge--queued">queued<' "... with its status as a badge word"
add --data-urlencode instance=2 --data-urlencode 'recipient=+62 812 0000 0001' --data-urlencode 'text=waits'
is "$(header Location)" '/whatsapp/queue?done=waiting' "a message for a number that is not connected is accepted"
http GET '/whatsapp/queue?done=waiting' -b "$jar"
like "$HTTP_BODY" 'waits until it is' "... and the notice says it waits"
is "$(sql "SELECT status FROM messages WHERE body = 'waits'")" queued "... queued"

# Scheduled: the time is read in the customer's zone.
day=$(sql "SELECT to_char(now() AT TIME ZONE 'Asia/Jakarta' + interval '2 days', 'YYYY-MM-DD')")
add --data-urlencode instance=1 --data-urlencode 'recipient=+6281234567890' --data-urlencode 'text=at ten thirty' --data-urlencode "send_at=${day}T10:30"
is "$HTTP_STATUS" 303 "a scheduled message: 303"
is "$(header Location)" '/whatsapp/scheduled?done=scheduled' "... to the Scheduled tab"
is "$(sql "SELECT status, to_char(send_at AT TIME ZONE 'UTC', 'HH24:MI'), send_at = '$day 10:30'::timestamp AT TIME ZONE 'Asia/Jakarta' FROM messages WHERE body = 'at ten thirty'")" \
    'scheduled|03:30|t' "... stored for 10:30 in Asia/Jakarta (03:30 UTC)"
http GET '/whatsapp/scheduled?done=scheduled' -b "$jar"
like "$HTTP_BODY" "<time datetime=\"${day}T03:30:00Z\">$day 10:30</time>" "the Scheduled tab shows 10:30 (the minute chosen; no seconds, the order does not matter there), with the UTC time in datetime"
like "$HTTP_BODY" 'Times are in <strong>Asia/Jakarta</strong>' "... and names the zone"

http GET /profile -b "$jar" -c "$jar"
like "$HTTP_BODY" '<option value="Asia/Jakarta" selected>Asia/Jakarta</option>' "the profile shows the time zone"
like "$HTTP_BODY" '<optgroup label="America">' "... grouped by area"
pcsrf=$(csrf_of)
tz() { http POST /profile/time-zone -b "$jar" -c "$jar" --data-urlencode "_csrf=$pcsrf" --data-urlencode "time_zone=$1"; }
for bad in 'Mars/Olympus' 'EST' '../etc/passwd' 'Asia/Jakarta; DROP TABLE users' '' 'posix/Asia/Jakarta'; do
	tz "$bad"
	is "$HTTP_STATUS" 422 "time zone '$bad': 422"
	like "$HTTP_BODY" 'id="tz-error">Choose a time zone from the list' "... with a message at the field"
done
tz 'Mars/<b>'
like "$HTTP_BODY" '<option value="Mars/&lt;b&gt;" selected>' "a bad zone comes back as typed, escaped"
is "$(sql "SELECT time_zone FROM users WHERE id = 1")" Asia/Jakarta "nothing changed"
tz America/New_York
is "$HTTP_STATUS" 303 "time zone America/New_York: 303"
is "$(sql "SELECT time_zone FROM users WHERE id = 1")" America/New_York "... saved"

add --data-urlencode instance=1 --data-urlencode 'recipient=+6281234567890' --data-urlencode 'text=ten thirty in New York' --data-urlencode "send_at=${day} 10:30"
is "$HTTP_STATUS" 303 "scheduled in another zone (a space for the T): 303"
is "$(sql "SELECT send_at = '$day 10:30'::timestamp AT TIME ZONE 'America/New_York', to_char(send_at AT TIME ZONE 'UTC', 'HH24:MI') IN ('14:30', '15:30') FROM messages WHERE body = 'ten thirty in New York'")" \
    't|t' "... stored for 10:30 in America/New_York"
is "$(sql "SELECT extract(epoch FROM b.send_at - a.send_at) / 3600 FROM messages a, messages b WHERE a.body = 'at ten thirty' AND b.body = 'ten thirty in New York'")" \
    "$(sql "SELECT extract(epoch FROM ('$day 10:30'::timestamp AT TIME ZONE 'America/New_York') - ('$day 10:30'::timestamp AT TIME ZONE 'Asia/Jakarta')) / 3600")" \
    "... the two differ by the zones' offset"
http GET /whatsapp/scheduled -b "$jar"
like "$HTTP_BODY" "$day 10:30</time>" "the Scheduled tab shows 10:30 in the new zone"
like "$HTTP_BODY" 'Times are in <strong>America/New_York</strong>' "... naming it"
# The steps of one message often share a minute: the message's page shows
# each to the second, in the customer's zone, in order.
sql "INSERT INTO messages (customer_id, instance_id, direction, status, peer, peer_phone, body, created_at, send_at, sent_at, delivered_at, read_at)
     VALUES (1, 1, 'out', 'read', '+6281234567890', '+6281234567890', 'quick reader', '2025-01-15 14:20:01Z', '2025-01-15 14:20:01Z',
         '2025-01-15 14:20:03Z', '2025-01-15 14:20:04Z', '2025-01-15 14:20:39Z')" >/dev/null
rid=$(sql "SELECT id FROM messages WHERE body = 'quick reader'")
http GET "/whatsapp/messages/$rid" -b "$jar"
like "$(tr -d '\n' <<<"$HTTP_BODY")" \
    '<dt>Added</dt><dd class="msg-time"><time datetime="2025-01-15T14:20:01Z">2025-01-15 09:20:01</time></dd>.*>Sent</dt><dd [^>]*><time datetime="2025-01-15T14:20:03Z">2025-01-15 09:20:03</time></dd>.*>Delivered</dt><dd [^>]*><time datetime="2025-01-15T14:20:04Z">2025-01-15 09:20:04</time></dd>.*>Read</dt><dd [^>]*><time datetime="2025-01-15T14:20:39Z">2025-01-15 09:20:39</time></dd>' \
    "a message's page: added, sent, delivered and read to the second, in New York time, in order"
like "$HTTP_BODY" 'Times are in <strong>America/New_York</strong>' "... naming the zone"
http GET '/whatsapp/sent?status=read' -b "$jar"
like "$(tr -d '\n' <<<"$HTTP_BODY")" '<time datetime="2025-01-15T14:20:03Z">2025-01-15 09:20:03</time>.*<time datetime="2025-01-15T14:20:04Z">2025-01-15 09:20:04</time>.*<time datetime="2025-01-15T14:20:39Z">2025-01-15 09:20:39</time>' \
    "the Sent tab too"
sql "DELETE FROM messages WHERE id = $rid" >/dev/null
tz Asia/Jakarta

# Bad input: 422, the form as typed, a message at the field, nothing stored.
before_n=$(count); before_q=$(used)
# bad WHAT FIELD [KEY=VALUE...]: the good form with some fields replaced.
bad() {
	local what=$1 field=$2 kv k args=()
	shift 2
	declare -A form=([instance]=1 [recipient]='0812-3456-7890' [text]='hi')
	for kv in "$@"; do form[${kv%%=*}]=${kv#*=}; done
	for k in "${!form[@]}"; do args+=(--data-urlencode "$k=${form[$k]}"); done
	add "${args[@]}"
	is "$HTTP_STATUS" 422 "$what: 422"
	like "$HTTP_BODY" "id=\"$field-error\"" "$what: a message at the $field field"
}
bad "empty text" text 'text='
like "$HTTP_BODY" 'Enter the text of the message' "... saying what to do"
bad "blank text" text $'text=  \r\n\t '
bad "a control character" text $'text=bell \a'
bad "no number" recipient 'recipient='
like "$HTTP_BODY" "Enter the recipient&#39;s number|Enter the recipient's number" "... saying so"
bad "a bad number" recipient 'recipient=call me maybe'
bad "a too short number" recipient 'recipient=+62 12'
sql "UPDATE users SET language = 'id' WHERE id = 1" >/dev/null
bad "a too short number, in Indonesian" recipient 'recipient=+62 12'
like "$HTTP_BODY" 'Nomor telepon terlalu pendek' "... says it in the reader's language"
sql "UPDATE users SET language = 'en' WHERE id = 1" >/dev/null
bad "a landline" recipient 'recipient=(021) 5550 1234'
like "$HTTP_BODY" 'This is not a mobile number' "... is not a mobile number"
# National numbers are read in the customer's country (the profile's).
sql "UPDATE users SET country = 'DE' WHERE id = 1" >/dev/null
bad "0812-3456-7890 for a customer in Germany" recipient 'recipient=0812-3456-7890'
like "$HTTP_BODY" 'This is not a mobile number' "... is a German landline there"
sql "UPDATE users SET country = 'ID' WHERE id = 1" >/dev/null
bad "another customer's number (instance)" instance 'instance=3'
like "$HTTP_BODY" 'Choose one of your WhatsApp numbers' "... the same as an unknown one"
bad "an unknown instance" instance 'instance=999'
bad "a hostile instance" instance 'instance=1 OR 1=1'
bad "no instance" instance 'instance='
bad "a time in the past" send_at 'send_at=2020-01-01T10:00'
like "$HTTP_BODY" 'That time has already passed' "... saying so"
bad "a time over a year ahead" send_at "send_at=$(( $(date +%Y) + 3 ))-01-01T10:00"
bad "a malformed time" send_at 'send_at=31/12/2030 10:00'
bad "an impossible day" send_at 'send_at=2031-02-29T10:00'
like "$HTTP_BODY" 'like 2025-03-31 14:30' "... with an example"
bad "several at once" recipient 'recipient=x' 'text=' 'send_at=soon'
like "$HTTP_BODY" 'id="text-error"' "... every wrong field has its message"
like "$HTTP_BODY" 'id="send_at-error"' "... the send time's too"
like "$HTTP_BODY" 'id="recipient"[^>]*autofocus' "... the first wrong field gets the focus"
# The validators explain: a missing field says what to enter, a lone CR
# is a control character, and a query string's list filters are not
# the form's (still a 422, not a 400).
add
is "$HTTP_STATUS" 422 "an empty form: 422"
like "$HTTP_BODY" 'id="instance-error">Choose one of your WhatsApp numbers' "... asks for the number to send from"
like "$HTTP_BODY" "id=\"recipient-error\">Enter the recipient(&#39;|')s number" "... for the recipient"
like "$HTTP_BODY" 'id="text-error">Enter the text of the message' "... and for the text"
unlike "$HTTP_BODY" 'id="send_at-error"' "... but not for a send time (none is now)"
bad "a lone CR" text $'text=one\rtwo'
like "$HTTP_BODY" 'id="text-error">The text holds control characters' "... is a control character"
http POST '/whatsapp/queue?status=bogus&before=x' -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode instance=1 --data-urlencode 'recipient=x' --data-urlencode 'text=hi'
is "$HTTP_STATUS" 422 "list filters in a bad form's query string: still 422"
like "$HTTP_BODY" 'id="recipient-error"' "... with the form's errors"
add --data-urlencode instance=1 --data-urlencode 'recipient=nope' --data-urlencode 'text=kept <script>alert(1)</script> as typed' --data-urlencode 'send_at=2031-01-02T03:04'
like "$HTTP_BODY" 'kept &lt;script&gt;alert\(1\)&lt;/script&gt; as typed</textarea>' "the text comes back as typed, escaped"
like "$HTTP_BODY" 'value="nope"' "... the number too"
like "$HTTP_BODY" 'value="2031-01-02T03:04"' "... and the time"
like "$HTTP_BODY" '<option value="1" selected>' "... and the chosen number"
long=$(head -c 65537 /dev/zero | tr '\0' 'a')
printf 'instance=1&recipient=081234567890&_csrf=%s&text=%s' "$csrf" "$long" >"$STACK_DIR/long.form"
http POST /whatsapp/queue -b "$jar" --data-binary "@$STACK_DIR/long.form"
if [ "$HTTP_STATUS" = 413 ]; then
	# serve.c's form parser caps one value at 64 KiB before the handler
	# can say which field is wrong (docs/messages.md).
	printf 'ok %d - # SKIP 65537 characters: the form parser answers 413 first\n' $((TAP_N += 1))
else
	is "$HTTP_STATUS" 422 "65537 characters: 422"
	like "$HTTP_BODY" 'id="text-error">The text is too long: at most 65,536 characters. Characters entered: 65537' "... with the count"
fi
long=$(printf 'é%.0s' $(seq 40000))
add --data-urlencode instance=1 --data-urlencode 'recipient=081234567890' --data-urlencode "text=${long}x"
if [ "$HTTP_STATUS" = 413 ]; then
	printf 'ok %d - # SKIP 40001 two-byte characters: the form parser answers 413 first\n' $((TAP_N += 1))
else
	is "$HTTP_STATUS" 303 "40001 two-byte characters (80002 bytes, under the limit in characters): 303"
	sql "DELETE FROM messages WHERE length(body) = 40001; UPDATE message_counts SET messages = messages - 1" >/dev/null
fi
http POST /whatsapp/queue -b "$jar" --data-urlencode instance=1 --data-urlencode 'recipient=081234567890' --data-urlencode 'text=no token'
is "$HTTP_STATUS" 403 "without the CSRF token: 403"
http POST /whatsapp/queue -b "$jar" --data-urlencode "_csrf=$csrf2" --data-urlencode instance=1 --data-urlencode 'recipient=081234567890' --data-urlencode 'text=foreign token'
is "$HTTP_STATUS" 403 "with another session's CSRF token: 403"
is "$(count)" "$before_n" "none of these stored a message"
is "$(used)" "$before_q" "... or took a quota place"
exact=$(head -c 65536 /dev/zero | tr '\0' 'b')
printf 'instance=1&recipient=081234567890&_csrf=%s&text=%s' "$csrf" "$exact" >"$STACK_DIR/exact.form"
http POST /whatsapp/queue -b "$jar" --data-binary "@$STACK_DIR/exact.form"
is "$HTTP_STATUS" 303 "exactly 65536 characters: accepted"
is "$(sql "SELECT length(body) FROM messages ORDER BY id DESC LIMIT 1")" 65536 "... stored whole"
add --data-urlencode instance=1 --data-urlencode 'recipient=  +62 812 0000 0009  ' --data-urlencode 'text=trimmed'
is "$HTTP_STATUS" 303 "a number with spaces around it: 303"
is "$(sql "SELECT peer FROM messages WHERE body = 'trimmed'")" '+6281200000009' "... stored trimmed, in E.164"

# Quota used up, package expired.
n=$(used)
sql "UPDATE packages SET max_messages_month = $n" >/dev/null
before_n=$(count)
add --data-urlencode instance=1 --data-urlencode 'recipient=081234567890' --data-urlencode 'text=one too many'
is "$HTTP_STATUS" 422 "the month's quota used up: 422"
like "$HTTP_BODY" "quota is used up; nothing was queued. Used / limit: $n / $n\." "... saying so with used / limit"
is "$(count)" "$before_n" "... nothing stored"
sql "UPDATE packages SET max_messages_month = 100" >/dev/null
sql "UPDATE customer_packages SET starts_at = now() - interval '60 days', expires_at = now() - interval '1 day' WHERE customer_id = 1" >/dev/null
add --data-urlencode instance=1 --data-urlencode 'recipient=081234567890' --data-urlencode 'text=expired'
is "$HTTP_STATUS" 422 "an expired package: 422"
like "$HTTP_BODY" 'package has expired' "... saying so"
is "$(count)" "$before_n" "... nothing stored"
sql "UPDATE customer_packages SET expires_at = now() + interval '30 days' WHERE customer_id = 1" >/dev/null

# Cancel: ask, then do; the quota place comes back.
sid=$(sql "SELECT id FROM messages WHERE body = 'at ten thirty'")
http GET "/whatsapp/messages/$sid/cancel" -b "$jar"
is "$HTTP_STATUS" 200 "cancel asks first"
like "$HTTP_BODY" 'Cancel message: \+6281234567890' "... naming the recipient"
like "$HTTP_BODY" 'at ten thirty' "... and the text"
is "$(sql "SELECT status FROM messages WHERE id = $sid")" scheduled "... asking changes nothing"
http POST "/whatsapp/messages/$sid/cancel" -b "$jar" -d x=1
is "$HTTP_STATUS" 403 "cancel without the CSRF token: 403"
http POST "/whatsapp/messages/$sid/cancel" -b "$jar" --data-urlencode "_csrf=$csrf2"
is "$HTTP_STATUS" 403 "cancel with another session's token: 403"
q=$(used)
http POST "/whatsapp/messages/$sid/cancel" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 303 "cancel: 303"
is "$(header Location)" '/whatsapp/scheduled?done=cancelled' "... back to its tab"
is "$(sql "SELECT status, cancelled_at IS NOT NULL FROM messages WHERE id = $sid")" 'cancelled|t' "... the message is cancelled"
is "$(used)" $((q - 1)) "... and its quota place given back"
http GET '/whatsapp/scheduled?done=cancelled' -b "$jar"
like "$HTTP_BODY" 'Message cancelled' "... the notice says so"
http POST "/whatsapp/messages/$sid/cancel" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$(header Location)" "/whatsapp/messages/$sid?done=too_late" "cancelling it again: too late"
http GET "/whatsapp/messages/$sid?done=too_late" -b "$jar"
like "$HTTP_BODY" 'Too late to cancel' "... the message's page says so"
like "$HTTP_BODY" 'badge--cancelled">cancelled<' "... with its status"
is "$(used)" $((q - 1)) "... and gives nothing back twice"
qid=$(sql "SELECT id FROM messages WHERE body = 'waits'")
sql "UPDATE messages SET status = 'sent', sent_at = now(), gateway_id = 'gw1' WHERE id = $qid" >/dev/null
http GET "/whatsapp/messages/$qid/cancel" -b "$jar"
like "$HTTP_BODY" 'Too late to cancel' "asking to cancel a sent one says it is too late"
unlike "$HTTP_BODY" 'action="/whatsapp/messages/[0-9]+/cancel"' "... with no button"
http POST "/whatsapp/messages/$qid/cancel" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$(header Location)" "/whatsapp/messages/$qid?done=too_late" "cancelling a sent one: too late"
is "$(sql "SELECT status FROM messages WHERE id = $qid")" sent "... it stays sent"
sql "INSERT INTO messages (customer_id, instance_id, direction, status, peer, peer_phone, body, send_at, due_at)
     VALUES (2, 3, 'out', 'scheduled', '+6289999', '+6289999', 'theirs', now() + interval '1 day', now() + interval '1 day')" >/dev/null
oid=$(sql "SELECT id FROM messages WHERE body = 'theirs'")
http GET "/whatsapp/messages/$oid/cancel" -b "$jar"
is "$HTTP_STATUS" 404 "asking to cancel another customer's message: 404"
http POST "/whatsapp/messages/$oid/cancel" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 404 "cancelling another customer's message: 404"
http GET "/whatsapp/messages/$oid" -b "$jar"
is "$HTTP_STATUS" 404 "another customer's message: 404"
is "$(sql "SELECT status FROM messages WHERE id = $oid")" scheduled "... it is untouched"
sql "INSERT INTO messages (customer_id, instance_id, direction, status, source, peer, peer_phone, body, received_at)
     VALUES (1, 1, 'in', 'received', 'gateway', '6285555@c.us', '+6285555', 'inbound <script>alert(4)</script>', now())" >/dev/null
iid=$(sql "SELECT id FROM messages WHERE status = 'received'")
http GET "/whatsapp/messages/$iid/cancel" -b "$jar"
is "$HTTP_STATUS" 404 "a received message cannot be cancelled: 404"
http GET /whatsapp/messages/999999/cancel -b "$jar"
is "$HTTP_STATUS" 404 "an unknown message: 404"

# HTML in a message is text on every page that shows it.
add --data-urlencode instance=1 --data-urlencode 'recipient=081234567890' --data-urlencode 'text=<script>alert(1)</script><img src=x onerror=alert(2)>'
hq=$(sql "SELECT id FROM messages WHERE body LIKE '<script>alert(1)%'")
add --data-urlencode instance=1 --data-urlencode 'recipient=081234567890' --data-urlencode 'text=<script>alert(3)</script>' --data-urlencode "send_at=${day}T11:00"
hs=$(sql "SELECT id FROM messages WHERE body = '<script>alert(3)</script>'")
sql "INSERT INTO messages (customer_id, instance_id, direction, status, peer, peer_phone, body, sent_at, failed_at, last_error)
     VALUES (1, 1, 'out', 'failed', '+6281234567890', '+6281234567890', '<script>alert(5)</script>', now(), now(), 'refused <b>here</b>')" >/dev/null
hf=$(sql "SELECT id FROM messages WHERE body = '<script>alert(5)</script>'")
for page in /whatsapp/queue /whatsapp/scheduled /whatsapp/sent /whatsapp/received /whatsapp/messages/$hq \
    /whatsapp/messages/$hs /whatsapp/messages/$hs/cancel /whatsapp/messages/$hf /whatsapp/messages/$iid /dashboard; do
	http GET "$page" -b "$jar"
	is "$HTTP_STATUS" 200 "$page: 200"
	unlike "$HTTP_BODY" '<script>alert|<img src=x|<b>here' "$page: no message's HTML as markup"
done
http GET /whatsapp/queue -b "$jar"
like "$HTTP_BODY" '&lt;script&gt;alert\(1\)&lt;/script&gt;&lt;img src=x onerror=alert\(2\)&gt;' "the queue shows the text as text"
http GET /whatsapp/sent -b "$jar"
like "$HTTP_BODY" 'refused &lt;b&gt;here&lt;/b&gt;' "the failure's reason is shown, escaped"

done_testing
