#!/bin/sh
# 0129-flow.t: the whole WhatsApp flow from the browser's side: link a number by QR, send from the Queue tab, delivered then read in Sent, a reply in Received.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=2 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0"
stack_start --workers 2 --dispatch
KEY=flow-test-key
SECRET=0123456789abcdef0123456789abcdef-flow
# QR values never rotate on their own; acks 300 ms (DEVICE) and 600 ms (READ) after a send.
stack_gwsim_start "$KEY" -q 0 -d 300 || bail_out "simulator did not start"
simlog() { curl -s "$GWSIM_URL/_sim/log"; }

stack_customers 2 100 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo base_url="$GWSIM_URL" api_key="$KEY" webhook_secret="$SECRET" city=Jakarta country=ID >/dev/null

jar=$STACK_DIR/jar
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
is "$HTTP_STATUS" 303 "signed in"
http GET /whatsapp -b "$jar"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//')

# 1. Link a number: create, QR shown, the phone scans, connected by webhook.
http POST /whatsapp/instances -b "$jar" --data-urlencode "_csrf=$csrf" \
    --data-urlencode 'name=Sales' --data-urlencode host=1
is "$HTTP_STATUS" 303 "a number created on the host"
loc=$(header Location)
iid=${loc##*/}
session=$(sql "SELECT session FROM instances WHERE id = $iid")
http GET "$loc" -b "$jar"
like "$HTTP_BODY" '<svg class="qr"' "its page shows the QR"
curl -s -X POST "$GWSIM_URL/_sim/sessions/$session/scan" >/dev/null
wait_for 10 eval '[ "$(sql "SELECT status FROM instances WHERE id = $iid")" = connected ]'
ok $? "the scan connects it (session.status webhook)"
http GET "$loc/live.json" -b "$jar"
is "$(jq -r .status <<<"$HTTP_BODY")" connected "... and the page's live state says so"
me=$(jq -r .phone <<<"$HTTP_BODY")
like "$me" '^\+[0-9]{8,15}$' "... with the linked number"

# 2. Send from the Queue tab.
http POST /whatsapp/queue -b "$jar" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "instance=$iid" --data-urlencode 'recipient=0812-3456-7890' \
    --data-urlencode 'text=Hello <b>there</b>'
is "$HTTP_STATUS" 303 "the message is accepted"
mid=$(sql "SELECT id FROM messages WHERE customer_id = 1 AND direction = 'out'")
is "$(sql "SELECT peer || ' ' || body FROM messages WHERE id = $mid")" \
    "+6281234567890 Hello <b>there</b>" "... stored with the number in E.164 and the text as typed"

# 3. The dispatcher sends it; the simulator's acks take it to delivered, then read.
wait_for 10 eval '[ "$(sql "SELECT status FROM messages WHERE id = $mid")" = read ]'
ok $? "the dispatcher sent it and the acks made it read"
is "$(simlog | jq -c --arg s "$session" '[.[] | select(.path == "/api/sendText") | [.session, .chatId, .text]]')" \
    "[[\"$session\",\"6281234567890@c.us\",\"Hello <b>there</b>\"]]" \
    "the gateway got exactly one sendText, on the linked session, to the right chat"
is "$(sql "SELECT sent_at <= delivered_at AND delivered_at <= read_at AND gateway_id IS NOT NULL FROM messages WHERE id = $mid")" t \
    "sent, delivered and read times in order, the gateway's id kept"
http GET /whatsapp/sent -b "$jar"
like "$HTTP_BODY" 'badge--read">' "the Sent tab shows it read"
like "$HTTP_BODY" 'Hello &lt;b&gt;there&lt;/b&gt;' "... with its text escaped"
http GET /whatsapp/queue -b "$jar"
unlike "$HTTP_BODY" 'Hello &lt;b&gt;' "... and the Queue tab no longer lists it"

# 4. A reply comes in.
curl -s -X POST -H 'Content-Type: application/json' \
    --data-binary '{"from":"628777000111","text":"Thanks <3"}' \
    "$GWSIM_URL/_sim/sessions/$session/inbound" >/dev/null
wait_for 10 eval '[ "$(sql "SELECT count(*) FROM messages WHERE direction = '"'in'"'")" = 1 ]'
ok $? "the inbound message is stored (message webhook)"
http GET /whatsapp/received -b "$jar"
like "$HTTP_BODY" 'Thanks &lt;3' "the Received tab shows the reply, escaped"
like "$HTTP_BODY" '\+628777000111' "... with the sender's number"

# 5. The other customer sees none of it.
jar2=$STACK_DIR/jar2
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$STACK_PW"
for tab in sent received; do
	http GET "/whatsapp/$tab" -b "$jar2"
	unlike "$HTTP_BODY" 'Hello &lt;b&gt;|Thanks &lt;3' "customer 2's $tab tab shows none of customer 1's messages"
done
http GET "/whatsapp/messages/$mid" -b "$jar2"
is "$HTTP_STATUS" 404 "customer 2 asking for customer 1's message: 404"
http GET "$loc/live.json" -b "$jar2"
is "$HTTP_STATUS" 404 "... or for customer 1's number: 404"

done_testing
