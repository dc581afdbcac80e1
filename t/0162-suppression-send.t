#!/bin/sh
# 0162-suppression-send.t: an unsubscribed recipient over HTTP: the API's 409 recipient-unsubscribed (both paths, no quota, nothing stored), the transactional scope, the queue form's error, the reason shown in Sent and on the message page.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/t/apikeygen" ] || skip_all "t/apikeygen not built"
stack_start --workers 1 --clock now
stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
     (1, 1, 'wa_a', 'A', 'connected', '+6281100001'),
     (2, 1, 'wa_b', 'B', 'connected', '+6281100002');
     UPDATE packages SET api_rpm = 1000;
     INSERT INTO contacts (customer_id, phone, status) VALUES
     (1, '+6281234567890', 'unsubscribed'), (1, '+6281234567891', 'subscribed')" >/dev/null ||
    bail_out "seeding failed"

post() { api POST /api/v1/messages "$1" -H 'Content-Type: application/json' --data-binary "$2" "${@:3}"; }
ptype() { jq -r .type <<<"$HTTP_BODY"; }
used() { sql "SELECT coalesce(sum(messages), 0) FROM message_counts WHERE customer_id = ${1:-1}"; }
count() { sql "SELECT count(*) FROM messages WHERE customer_id = ${1:-1} AND direction = 'out'"; }

read -r K1 _ < <(newkey 1 '{messages:send,messages:read}')
read -r KT _ < <(newkey 1 '{messages:send,messages:transactional}')
read -r KO _ < <(newkey 2 '{messages:send}')
read -r KTO _ < <(newkey 1 '{messages:transactional}')
STOPPED='{"to":"+6281234567890","text":"promo"}'

# ------------------------------------------------ the API
n=$(count) u=$(used)
post "$K1" "$STOPPED"
is "$HTTP_STATUS $(ptype)" "409 /docs/api#problem-recipient-unsubscribed" "the API refuses an unsubscribed recipient: 409 recipient-unsubscribed"
like "$(jq -r .detail <<<"$HTTP_BODY")" 'messages:transactional' "... the detail names the scope that may"
is "$(count) $(used)" "$n $u" "... nothing stored, no quota taken"
post "$K1" '{"to":"0062 812-3456-7890","text":"promo"}'
is "$HTTP_STATUS" 409 "... however the number is written"
post "$K1" "$STOPPED" -H 'Idempotency-Key: abc-1'
is "$HTTP_STATUS $(ptype)" "409 /docs/api#problem-recipient-unsubscribed" "... with an Idempotency-Key too"
post "$K1" "$STOPPED" -H 'Idempotency-Key: abc-1'
is "$HTTP_STATUS $(header Idempotent-Replayed)" "409 true" "... replayed as the same answer"
is "$(count) $(used)" "$n $u" "... still nothing stored, no quota taken"
post "$K1" '{"to":"+6281234567891","text":"hi"}'
is "$HTTP_STATUS" 202 "a subscribed contact: 202"
post "$K1" '{"to":"+6281234567892","text":"hi"}'
is "$HTTP_STATUS" 202 "a number that is no contact: 202"
is "$(sql "SELECT bool_or(transactional) FROM messages WHERE customer_id = 1")" f "... neither is transactional"
post "$KO" "$STOPPED"
is "$HTTP_STATUS" 202 "another customer may send to the number: suppression is per account"
post "$K1" '{"to":"+6281234567890","text":"x","bogus":1}'
is "$HTTP_STATUS $(ptype)" "422 /docs/api#problem-validation-failed" "a malformed call is a validation error first"

# The transactional scope.
u=$(used)
post "$KT" '{"to":"+6281234567890","text":"Your code is 123456"}'
is "$HTTP_STATUS" 202 "a key with messages:transactional sends to the unsubscribed number: 202"
id=$(jq -r .id <<<"$HTTP_BODY")
is "$(sql "SELECT transactional || ' ' || status || ' ' || source FROM messages WHERE id = $id")" "true queued api" \
    "... recorded on the message as transactional"
is "$(used)" $((u + 1)) "... taking its place in the quota"
post "$KT" '{"to":"+6281234567890","text":"Your code is 654321"}' -H 'Idempotency-Key: otp-2'
id=$(jq -r .id <<<"$HTTP_BODY")
is "$HTTP_STATUS $(sql "SELECT transactional FROM messages WHERE id = $id")" "202 t" "... through the Idempotency-Key path too"
post "$KT" '{"to":"+6281234567891","text":"hello"}'
id=$(jq -r .id <<<"$HTTP_BODY")
is "$(sql "SELECT transactional FROM messages WHERE id = $id")" f "... but a message to a subscribed number is not marked"
post "$KTO" "$STOPPED"
is "$HTTP_STATUS $(ptype)" "403 /docs/api#problem-scope-missing" "messages:transactional alone does not send"

# The claim lets the transactional one go and cancels a plain one that
# slipped in before the STOP.
late=$(sql "SELECT id FROM wa_message_insert(1, 1, '+6281234567890', 'raced', wa_now(), 'api')")
sql "SELECT count(*) FROM wa_dispatch_claim('t', 50, 30, 0, 0, 0, 0)" >/dev/null
is "$(sql "SELECT status || ' ' || last_error FROM messages WHERE id = $late")" "cancelled unsubscribed" "the claim cancels the plain message"
is "$(sql "SELECT count(*) FROM messages WHERE transactional AND status = 'sending'")" 2 "... and hands out the transactional ones"

# ------------------------------------------------ the portal
jar=$STACK_DIR/jar
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
http GET /whatsapp/queue -b "$jar"
csrf=$(csrf_of)
n=$(count) u=$(used)
http POST /whatsapp/queue -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode instance=1 \
    --data-urlencode 'recipient=0812-3456-7890' --data-urlencode 'text=promo'
is "$HTTP_STATUS" 422 "the queue form refuses the unsubscribed number: 422"
like "$HTTP_BODY" 'id="recipient-error">This number unsubscribed from your messages' "... with the error on the recipient"
like "$HTTP_BODY" 'value="0812-3456-7890"' "... the form kept as typed"
is "$(count) $(used)" "$n $u" "... nothing queued, no quota taken"
http POST /whatsapp/queue -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode instance=1 \
    --data-urlencode 'recipient=0812-3456-7891' --data-urlencode 'text=hello'
is "$HTTP_STATUS" 303 "a subscribed number: queued"

http GET /whatsapp/sent -b "$jar"
like "$HTTP_BODY" 'Cancelled: the recipient unsubscribed\.' "Sent shows why the message was cancelled"
http GET "/whatsapp/messages/$late" -b "$jar"
like "$HTTP_BODY" 'Cancelled: the recipient unsubscribed\.' "... and so does the message's page"
http GET "/whatsapp/messages/$late" -b "$jar" -H 'Accept-Language: id'
sql "UPDATE users SET language = 'id' WHERE id = 1" >/dev/null
http GET "/whatsapp/messages/$late" -b "$jar"
unlike "$HTTP_BODY" 'Cancelled: the recipient unsubscribed' "... in Indonesian for an Indonesian customer"

http GET /api-keys -b "$jar"
like "$HTTP_BODY" 'name="scope_messages_transactional"' "the API keys page offers the transactional scope"

done_testing
