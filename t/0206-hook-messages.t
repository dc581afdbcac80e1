#!/bin/sh
# 0206-hook-messages.t: the message and message.ack webhooks: inbound messages stored once per gateway id, acks only moving sent messages forward.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

SIM=${top_builddir:?}/src/waportal-gwsim
[ -x "$SIM" ] || skip_all "simulator not built"
stack_start --workers 2

KEY=hookmsg-test-key
SECRET=0123456789abcdef0123456789abcdef-hookmsg
OTHER_SECRET=fedcba9876543210fedcba9876543210-other
stack_gwsim_start "$KEY" -d 200 || bail_out "simulator did not start"

stack_customers 5 1000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo base_url="$GWSIM_URL" api_key="$KEY" webhook_secret="$SECRET" >/dev/null
stack_host other base_url="$GWSIM_URL" api_key="$KEY" webhook_secret="$OTHER_SECRET" >/dev/null
# The same session name on two hosts: only the host of the URL counts.
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES
     (1, 1, 'wa_1', 'Sales', 'connected'), (2, 2, 'wa_1', 'Theirs', 'connected')" >/dev/null

# post_to HOST SECRET BODY: deliver a webhook signed as that host's gateway would.
post_to() {
	local sig
	sig=$(printf '%s' "$3" | openssl dgst -sha512 -hmac "$2" -r | cut -d' ' -f1)
	http POST "/hooks/waha/$1" -H 'Content-Type: application/json' \
	    -H "X-Webhook-Hmac: $sig" -H 'X-Webhook-Hmac-Algorithm: sha512' \
	    --data-binary "$3"
}
post() { post_to demo "$SECRET" "$1"; }

# inbound EVT MSGID FROM BODY [TS] [SESSION] [FROMME]: a WAHA "message" event.
inbound() {
	jq -cn --arg e "$1" --arg m "$2" --arg f "$3" --arg b "$4" \
	    --argjson ts "${5:-1700000000}" --arg s "${6:-wa_1}" --argjson me "${7:-false}" \
	    '{id: $e, timestamp: ($ts * 1000), event: "message", session: $s,
	      me: {id: "628111111111@c.us", pushName: "Sim"},
	      payload: {id: $m, timestamp: $ts, from: $f, fromMe: $me,
	        to: "628111111111@c.us", body: $b, hasMedia: false, media: null,
	        ack: 2, ackName: "DEVICE"}, engine: "NOWEB"}'
}
# ack EVT MSGID ACK TS_MS [SESSION] [FROMME]: a WAHA "message.ack" event.
ack() {
	jq -cn --arg e "$1" --arg m "$2" --argjson a "$3" --argjson ts "$4" \
	    --arg s "${5:-wa_1}" --argjson me "${6:-true}" \
	    '{id: $e, timestamp: $ts, event: "message.ack", session: $s,
	      payload: {id: $m, from: "628123456789@c.us", participant: null,
	        fromMe: $me, ack: $a,
	        ackName: ({"-1": "ERROR", "0": "PENDING", "1": "SERVER", "2": "DEVICE",
	          "3": "READ", "4": "PLAYED"}[$a | tostring])}}'
}
inrows() { sql "SELECT count(*) FROM messages WHERE direction = 'in'"; }
row() { sql "SELECT $1 FROM messages WHERE gateway_id = '$2'"; }

# ---------------------------------------------------------------- inbound

post "$(inbound evt_in1 false_628123456789@c.us_A1 628123456789@c.us 'Halo, apa kabar? 👋')"
is "$HTTP_STATUS" 200 "an inbound message: 200"
is "$(jq -r .status <<<"$HTTP_BODY")" ok "... applied"
is "$(row "customer_id || ' ' || instance_id || ' ' || direction || ' ' || status || ' ' || source" false_628123456789@c.us_A1)" \
    "1 1 in received gateway" "stored for the instance's customer, inbound, received, from the gateway"
is "$(row "peer || ' ' || peer_phone" false_628123456789@c.us_A1)" "628123456789@c.us +628123456789" \
    "... the JID kept as given, its number in E.164"
is "$(row body false_628123456789@c.us_A1)" 'Halo, apa kabar? 👋' "... the body"
is "$(row "extract(epoch FROM received_at)::bigint || ' ' || extract(epoch FROM send_at)::bigint" false_628123456789@c.us_A1)" \
    "1700000000 1700000000" "... at the gateway's timestamp"

post "$(inbound evt_in1 false_628123456789@c.us_A1 628123456789@c.us 'Halo, apa kabar? 👋')"
is "$(jq -r .status <<<"$HTTP_BODY")" duplicate "the same event again: a duplicate"
post "$(inbound evt_in1b false_628123456789@c.us_A1 628123456789@c.us 'Halo, apa kabar? 👋')"
is "$HTTP_STATUS" 200 "the same message under a new event id: 200"
is "$(inrows)" 1 "... and still one row"

for jid in 123456789012345@lid 120363000000000001@g.us 1234567890123456@c.us 0812345678@c.us; do
	post "$(inbound "evt_$jid" "false_${jid}_B" "$jid" 'x')"
	is "$(row "peer || '|' || peer_phone" "false_${jid}_B")" "$jid|" "from $jid: the JID kept, no phone number"
done
post "$(inbound evt_sw false_628999@s.whatsapp.net_C 6281234567890@s.whatsapp.net 'x')"
is "$(row peer_phone false_628999@s.whatsapp.net_C)" +6281234567890 "an @s.whatsapp.net JID has its number too"

post "$(inbound evt_me true_628123456789@c.us_D 628123456789@c.us 'mine' 1700000000 wa_1 true)"
is "$HTTP_STATUS" 200 "our own message (fromMe): 200"
is "$(row count\(*\) true_628123456789@c.us_D)" 0 "... and nothing stored"
post "$(inbound evt_story false_status@broadcast_E status@broadcast 'story')"
is "$(row count\(*\) false_status@broadcast_E)" 0 "a status story: nothing stored"
post "$(inbound evt_nosess false_628123456789@c.us_F 628123456789@c.us 'lost' 1700000000 wa_gone)"
is "$HTTP_STATUS" 200 "an unknown session: 200"
is "$(row count\(*\) false_628123456789@c.us_F)" 0 "... and nothing stored"

before=$(inrows)
ev=$(inbound evt_badsig false_628123456789@c.us_G 628123456789@c.us 'forged')
http POST /hooks/waha/demo -H 'Content-Type: application/json' -H 'X-Webhook-Hmac: deadbeef' --data-binary "$ev"
is "$HTTP_STATUS" 401 "a message with a wrong signature: 401"
post_to other "$SECRET" "$ev"
is "$HTTP_STATUS" 401 "... signed with another host's secret: 401"
is "$(inrows)" "$before" "... nothing stored"
is "$(sql "SELECT count(*) FROM webhook_events WHERE event_id = 'evt_badsig'")" 0 "... not even the event id"

bad=$(printf '{"id":"evt_utf8","timestamp":1,"event":"message","session":"wa_1","payload":{"id":"false_x_H","timestamp":1700000000,"from":"628123456789@c.us","fromMe":false,"body":"caf\xe9 \xff"}}')
post "$bad"
is "$HTTP_STATUS" 400 "a body with invalid UTF-8: 400"
is "$(inrows)" "$before" "... nothing stored"
is "$(sql "SELECT count(*) FROM webhook_events WHERE event_id = 'evt_utf8'")" 0 "... and the event id is not used up"
post '{"id":"evt_noid","event":"message","session":"wa_1","payload":{"from":"628123456789@c.us","body":"x"}}'
is "$HTTP_STATUS" 400 "a message without an id: 400"
post "$(inbound evt_nofrom false_x_I '' 'x')"
is "$HTTP_STATUS" 400 "a message with an empty sender: 400"
post "$(inbound evt_longfrom false_x_J "$(printf '%0129d' 1)@lid" 'x')"
is "$HTTP_STATUS" 400 "a sender JID over 128 bytes: 400"
post "$(inbound evt_longid "$(printf 'x%.0s' {1..257})" 628123456789@c.us 'x')"
is "$HTTP_STATUS" 400 "a message id over 256 bytes: 400"
post '{"id":"evt_nopayload","event":"message","session":"wa_1"}'
is "$HTTP_STATUS" 400 "a message without a payload: 400"
is "$(inrows)" "$before" "none of these stored anything"

post '{"id":"evt_sur","event":"message","session":"wa_1","payload":{"id":"false_x_S","timestamp":1700000000,"from":"628123456789@c.us","fromMe":false,"body":"a\ud800b"}}'
is "$(row "encode(convert_to(body, 'UTF8'), 'hex')" false_x_S)" 61efbfbd62 "a lone surrogate escape is stored as U+FFFD"

post '{"id":"evt_media","timestamp":1,"event":"message","session":"wa_1","payload":{"id":"false_x_K","timestamp":1700000000,"from":"628123456789@c.us","fromMe":false,"hasMedia":true,"media":{"url":"http://x/y.jpg","mimetype":"image/jpeg"}}}'
is "$(row "'[' || body || ']'" false_x_K)" "[]" "a media message without a caption: stored with an empty body"
post "$(inbound evt_nots false_x_L 628123456789@c.us 'when?' 99999999999)"
cmp_ok "$(row "abs(extract(epoch FROM now() - received_at))::int" false_x_L)" -lt 120 "an absurd timestamp: the time it arrived"
post '{"id":"evt_nots2","event":"message","session":"wa_1","payload":{"id":"false_x_M","from":"628123456789@c.us","body":"no time"}}'
cmp_ok "$(row "abs(extract(epoch FROM now() - received_at))::int" false_x_M)" -lt 120 "no timestamp: the time it arrived"

long=$(head -c 65535 /dev/zero | tr '\0' a)éé
post "$(inbound evt_long false_x_N 628123456789@c.us "$long")"
is "$(row "length(body) || ' ' || octet_length(body) || ' ' || right(body, 2)" false_x_N)" "65536 65537 aé" \
    "a body over 65536 characters: cut to 65536 at a character boundary"

hostile=(
	'<script>alert("x")</script><img src=x onerror=alert(1)>'
	"'); DROP TABLE messages; --"
	"Robert'); DELETE FROM messages WHERE ('1'='1"
	'$1 \\ %s %n {{x}} \u0041'
)
i=0
for b in "${hostile[@]}"; do
	i=$((i + 1))
	post "$(inbound "evt_hostile$i" "false_x_H$i" 628123456789@c.us "$b")"
	is "$(row "md5(body)" "false_x_H$i")" "$(printf '%s' "$b" | md5sum | cut -d' ' -f1)" \
	    "hostile body $i stored byte for byte"
done
is "$(inrows)" "$(sql "SELECT count(*) FROM messages WHERE direction = 'in' AND gateway_id IS NOT NULL")" \
    "... and the table is intact"

# ---------------------------------------------------------------- acks

# record ID GWID: dispatcher 't' records message ID sent under GWID, as
# the dispatcher does (wa_dispatch_record); prints how many it recorded.
record() {
	sql "SELECT wa_dispatch_record('t', json_build_array(json_build_object(
	    'id', id, 'i', instance_id, 'k', 'sent', 'g', '$2')), 0, 0)
	    FROM messages WHERE id = $1"
}

# sent GWID: a message of customer 1 on wa_1 recorded as sent under GWID,
# the way the dispatcher does it; prints its id.
sent() {
	local id
	id=$(sql "SELECT id FROM wa_message_enqueue(1, 1, '+628123456789', 'hello', now(), 'portal')")
	sql "UPDATE messages SET status = 'sending', lease_owner = 't', lease_until = now() + interval '1 min' WHERE id = $id" >/dev/null
	record "$id" "$1" >/dev/null
	# as if the send had been recorded two minutes ago, before the acks' times
	sql "UPDATE messages SET sent_at = sent_at - interval '2 minutes' WHERE id = $id" >/dev/null
	printf '%s\n' "$id"
}
st() { sql "SELECT status FROM messages WHERE id = $1"; }
ms() { sql "SELECT coalesce((extract(epoch FROM $2) * 1000)::bigint::text, '-') FROM messages WHERE id = $1"; }
now=$(date +%s%3N)
t1=$((now - 60000)) t2=$((now - 30000))

m1=$(sent true_628123456789@c.us_M1)
is "$(st "$m1")" sent "an outbound message recorded as sent"
post "$(ack evt_a1 true_628123456789@c.us_M1 2 $t1)"
is "$HTTP_STATUS" 200 "a DEVICE ack: 200"
is "$(st "$m1") $(ms "$m1" delivered_at)" "delivered $t1" "... delivered, at the event's time"
post "$(ack evt_a2 true_628123456789@c.us_M1 3 $t2)"
is "$(st "$m1") $(ms "$m1" read_at) $(ms "$m1" delivered_at)" "read $t2 $t1" "a READ ack: read, delivered time kept"
post "$(ack evt_a2 true_628123456789@c.us_M1 3 $now)"
is "$(jq -r .status <<<"$HTTP_BODY") $(ms "$m1" read_at)" "duplicate $t2" "the READ event again: a duplicate, nothing changed"

m2=$(sent true_628123456789@c.us_M2)
post "$(ack evt_b1 true_628123456789@c.us_M2 3 $t2)"
post "$(ack evt_b2 true_628123456789@c.us_M2 2 $now)"
is "$(st "$m2") $(ms "$m2" read_at)" "read $t2" "READ then a late DEVICE: stays read"

m3=$(sent true_628123456789@c.us_M3)
post "$(ack evt_c1 true_628123456789@c.us_M3 2 $t1)"
post "$(ack evt_c2 true_628123456789@c.us_M3 -1 $t2)"
is "$(st "$m3") $(ms "$m3" failed_at)" "delivered -" "an ERROR ack after delivered: stays delivered"

m4=$(sent true_628123456789@c.us_M4)
post "$(ack evt_d1 true_628123456789@c.us_M4 -1 $t1)"
is "$(st "$m4") $(ms "$m4" failed_at)" "failed $t1" "an ERROR ack on a sent message: failed"
isnt "$(sql "SELECT last_error FROM messages WHERE id = $m4")" "" "... with the reason in last_error"

m5=$(sent true_628123456789@c.us_M5)
for a in 0 1; do post "$(ack "evt_e$a" true_628123456789@c.us_M5 $a $t1)"; done
is "$HTTP_STATUS" 200 "PENDING and SERVER acks: 200"
is "$(st "$m5")" sent "... and ignored"
post "$(ack evt_e2 true_628123456789@c.us_M5 3 $t1 wa_1 false)"
is "$(st "$m5")" sent "an ack of someone else's message (fromMe false): ignored"
post_to other "$OTHER_SECRET" "$(ack evt_e3 true_628123456789@c.us_M5 3 $t1)"
is "$HTTP_STATUS" 200 "another host's ack for the same session name and id: 200"
is "$(st "$m5")" sent "... and this host's message is unchanged"
post "$(ack evt_e4 true_628123456789@c.us_M5 3 $t1 wa_gone)"
is "$HTTP_STATUS $(st "$m5")" "200 sent" "an ack for an unknown session: 200, nothing changed"
post "$(ack evt_e5 true_628123456789@c.us_M5 4 $t2)"
is "$(st "$m5") $(ms "$m5" read_at)" "read $t2" "a PLAYED ack: read"
post '{"id":"evt_e6","event":"message.ack","session":"wa_1","payload":{"ack":3}}'
is "$HTTP_STATUS" 400 "an ack without a message id: 400"

post "$(ack evt_f1 true_628123456789@c.us_EARLY 2 $t1)"
post "$(ack evt_f2 true_628123456789@c.us_EARLY 3 $t2)"
is "$(sql "SELECT count(*) FROM message_acks_early WHERE gateway_id = 'true_628123456789@c.us_EARLY'")" 2 \
    "acks for an id not recorded yet are kept"
m6=$(sent true_628123456789@c.us_EARLY)
is "$(st "$m6") $(sql "SELECT delivered_at = read_at AND (extract(epoch FROM delivered_at) * 1000)::bigint > $t2 FROM messages WHERE id = $m6")" \
    "read t" "... and applied when the send is recorded, never before the record of the send"
is "$(sql "SELECT count(*) FROM message_acks_early WHERE instance_id = 1")" 0 "... then forgotten"

# ---------------------------------------------------------------- the simulator

curl -s -X POST -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' --data-binary \
    "{\"name\":\"wa_sim\",\"start\":true,\"config\":{\"webhooks\":[{\"url\":\"$BASE_URL/hooks/waha/demo\",\"events\":[\"session.status\",\"message\",\"message.ack\"],\"hmac\":{\"key\":\"$SECRET\"}}]}}" \
    "$GWSIM_URL/api/sessions" >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name) VALUES (1, 1, 'wa_sim', 'Sim')" >/dev/null
curl -s -X POST "$GWSIM_URL/_sim/sessions/wa_sim/scan" >/dev/null
wait_for 10 eval '[ "$(sql "SELECT status FROM instances WHERE session = '"'wa_sim'"'")" = connected ]'
ok $? "the simulator's session is linked"
sid=$(curl -s -X POST -H 'Content-Type: application/json' --data-binary '{"from":"628777000111","text":"from the <sim>"}' \
    "$GWSIM_URL/_sim/sessions/wa_sim/inbound" | jq -r .id)
like "$sid" '^false_628777000111@c.us_' "the simulator took an inbound message"
wait_for 10 eval '[ "$(row count\(*\) "$sid")" = 1 ]'
ok $? "... and it arrived through the signed webhook"
is "$(sql "SELECT i.session || ' ' || m.peer || ' ' || m.peer_phone || ' ' || m.body FROM messages m
     JOIN instances i ON i.id = m.instance_id WHERE m.gateway_id = '$sid'")" \
    "wa_sim 628777000111@c.us +628777000111 from the <sim>" "... on its instance, with the sender and body"

# An outbound message sent through the simulator: its real acks take it to read.
m7=$(sql "SELECT id FROM wa_message_enqueue(1, (SELECT id FROM instances WHERE session = 'wa_sim'), '+628777000222', 'hi', now(), 'api')")
sql "UPDATE messages SET status = 'sending', lease_owner = 't', lease_until = now() + interval '1 min' WHERE id = $m7" >/dev/null
gid=$(curl -s -X POST -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' \
    --data-binary '{"session":"wa_sim","chatId":"628777000222@c.us","text":"hi"}' "$GWSIM_URL/api/sendText" | jq -r .id)
is "$(record "$m7" "$gid")" 1 "the simulator accepted a send"
wait_for 10 eval '[ "$(st "$m7")" = read ]'
ok $? "... and its DEVICE and READ acks made it read"
isnt "$(ms "$m7" delivered_at)" - "... with a delivered time"

# The race of an ack and the record of its send, each in an open
# transaction: the ack (nothing to update yet, so kept as early) commits
# only after the record has started; the record must still apply it.
# The first stays open at a gate until the second has started and waits
# for the first one's lock; then the first commits.
for order in ack-first record-first; do
	m=$(sql "SELECT id FROM wa_message_enqueue(1, 1, '+628123456789', 'race', now(), 'portal')")
	sql "UPDATE messages SET status = 'sending', lease_owner = 't', lease_until = now() + interval '1 min' WHERE id = $m" >/dev/null
	g="race_${order}_$m"
	ack="SELECT wa_message_ack(1, '$g', 'delivered', now())"
	rec="SELECT wa_dispatch_record('t', json_build_array(json_build_object('id', $m, 'i', 1, 'k', 'sent', 'g', '$g')), 0, 0)"
	if [ "$order" = ack-first ]; then
		first=$ack second=$rec
	else
		first=$rec second=$ack
	fi
	sql BEGIN "$first" "$(stack_gate "$order")" COMMIT >/dev/null &
	bg=$!
	stack_gate_wait "$order"
	sql "$second" >/dev/null &
	fg=$!
	stack_lock_wait "$g"
	stack_gate_open "$order"
	wait "$bg" "$fg"
	is "$(st "$m") $(sql "SELECT count(*) FROM message_acks_early WHERE gateway_id = '$g'")" \
	    "delivered 0" "$order: the ack racing the record of its send is applied, none left over"
done

done_testing
