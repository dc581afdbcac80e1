#!/bin/sh
# 0161-suppression-sql.t: keywords and suppression in SQL, on a pinned clock: one reply per kind a day, waiting messages cancelled, the claim's check, replies outside pacing, the contact limit, custom words refused.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2030-03-01 10:00:00+00'
stack_customers 5 1000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES
     (1, 1, 'wa_1', 'Sales', 'connected'), (2, 1, 'wa_2', 'Theirs', 'connected')" >/dev/null

# say PHONE TEXT [SESSION]: an inbound message as the webhook stores it
# (wa_message_in); prints "id|kind|reply".
say() {
	sql "SELECT coalesce(id::text, '') || '|' || coalesce(kind, '') || '|' ||
	     coalesce(reply::text, '') FROM wa_message_in(1, $(_sql_lit "${3:-wa_1}"),
	     $(_sql_lit "${1#+}@c.us"), $(_sql_lit "$1"), $(_sql_lit "$2"), 'gw_$(date +%s%N)_$RANDOM', NULL)"
}
status() { sql "SELECT coalesce((SELECT status FROM contacts WHERE customer_id = ${2:-1} AND phone = '$1'), '-')"; }
logs() { sql "SELECT count(*) FROM contact_consents WHERE customer_id = ${2:-1} AND phone = '$1'"; }
replies() { sql "SELECT count(*) FROM messages WHERE source = 'keyword' AND peer_phone = '$1' AND customer_id = ${2:-1}"; }
enqueue() { sql "SELECT coalesce(id::text, error) FROM wa_message_enqueue(${4:-1}, ${5:-1}, '$1', '$2', ${3:-wa_now()}, 'portal')"; }
msg() { sql "SELECT $2 FROM messages WHERE id = $1"; }
used() { sql "SELECT coalesce(sum(messages), 0) FROM message_counts WHERE customer_id = ${1:-1}"; }

# ------------------------------------------------ the reply, once a day per kind
A=+628111000001
r=$(say $A STOP)
like "$r" '^[0-9]+\|out\|[0-9]+$' "STOP: stored, an opt-out, a reply queued"
is "$(status $A) $(logs $A)" "unsubscribed 1" "... the unknown number is an unsubscribed contact, one log entry"
mid=${r%%|*}
is "$(sql "SELECT source || ' ' || status || ' ' || instance_id || ' ' || (message_id = $mid) || ' ' || at FROM contact_consents WHERE phone = '$A'")" \
    "keyword unsubscribed 1 true 2030-03-01 10:00:00+00" "... source keyword, the instance, the message, at the pinned time"
rid=${r##*|}
is "$(msg "$rid" "source || ' ' || status || ' ' || transactional || ' ' || peer || ' ' || instance_id")" \
    "keyword queued true $A 1" "... the reply: queued to the number on the same instance, let through the suppression"
is "$(msg "$rid" body)" "$(sql "SELECT wa_keyword_default('out', 'en')")" "... in the customer's language (en), the default text"
is "$(used)" 0 "... and it takes no place in the month's quota"

r=$(say $A STOP)
like "$r" '^[0-9]+\|out\|$' "STOP again within 24 hours: an opt-out, no reply"
is "$(logs $A) $(replies $A)" "2 1" "... logged again, still one reply"
r=$(say $A START)
like "$r" '^[0-9]+\|in\|[0-9]+$' "START after STOP: an opt-in with its own reply"
is "$(status $A) $(logs $A) $(replies $A)" "subscribed 3 2" "... subscribed again, logged, replied"
is "$(sql "SELECT body FROM messages WHERE peer_phone = '$A' AND source = 'keyword' ORDER BY id DESC LIMIT 1")" \
    "$(sql "SELECT wa_keyword_default('in', 'en')")" "... with the opt-in text"
stack_clock_add '23 hours 59 minutes'
say $A STOP >/dev/null
is "$(replies $A)" 2 "STOP 23:59 after the first reply: no reply"
stack_clock_add '1 minute'
r=$(say $A STOP)
like "$r" '^[0-9]+\|out\|[0-9]+$' "STOP 24 hours after it: replied again"
is "$(replies $A)" 3 "... the third reply"

# The contact's language chooses the text; then the customer's own text.
B=+628111000002
sql "INSERT INTO contacts (customer_id, phone, language, status) VALUES (1, '$B', 'id', 'subscribed')" >/dev/null
r=$(say $B '  berhenti  ')
is "$(msg "${r##*|}" body)" "$(sql "SELECT wa_keyword_default('out', 'id')")" "BERHENTI from an Indonesian contact: the Indonesian text"
sql "INSERT INTO subscription_settings (customer_id, help_en, help_id) VALUES (1, 'Call us on 021-555', 'Telepon kami 021-555')" >/dev/null
r=$(say $B Bantuan)
is "$(msg "${r##*|}" body)" "Telepon kami 021-555" "BANTUAN: the customer's own help text"
is "$(status $B) $(logs $B)" "unsubscribed 1" "... help changes no state and logs nothing"
r=$(say +628111000003 HELP)
is "$(msg "${r##*|}" body) $(status +628111000003)" "Call us on 021-555 -" "HELP from an unknown number: the English help text, no contact made"

# ------------------------------------------------ whole text, custom words, contains mode
for t in 'STOP please' 'please stop' 'STOP!' 'S T O P' 'STOPP' ''; do
	r=$(say +628111000004 "$t")
	is "${r#*|}" "|" "'$t' is no keyword"
done
is "$(status +628111000004) $(replies +628111000004)" "- 0" "... no contact, no reply"
sql "UPDATE subscription_settings SET out_words = '{CUKUP,STOP2}', in_words = '{LANJUT}' WHERE customer_id = 1" >/dev/null
r=$(say +628111000005 ' cukup')
is "${r#*|} $(status +628111000005)" "out|${r##*|} unsubscribed" "a custom opt-out word (cukup): unsubscribed"
r=$(say +628111000005 Lanjut)
is "$(status +628111000005)" subscribed "a custom opt-in word (Lanjut): subscribed"
r=$(say +628111000006 'please STOP now')
is "$(status +628111000006)" - "'please STOP now' with contains mode off: nothing"
sql "UPDATE subscription_settings SET contains = true WHERE customer_id = 1" >/dev/null
r=$(say +628111000006 'Please, STOP now.')
is "$(status +628111000006)" unsubscribed "... with contains mode on: unsubscribed"
r=$(say +628111000007 'I will stopp by later')
is "$(status +628111000007)" - "... but a word inside another is not one"
r=$(say +628111000007 "you can't stop me, start over")
is "$(status +628111000007)" unsubscribed "... and an opt-out word wins over an opt-in one"
sql "UPDATE subscription_settings SET contains = false WHERE customer_id = 1" >/dev/null

for w in 'st op' 'stop' "'; DROP TABLE contacts; --" '<b>STOP</b>' "$(printf 'A%.0s' {1..31})"; do
	sql "UPDATE subscription_settings SET out_words = ARRAY[$(_sql_lit "$w")] WHERE customer_id = 1" >/dev/null 2>&1
	isnt "$?" 0 "a custom word '$w' is refused"
done
is "$(sql "SELECT out_words FROM subscription_settings WHERE customer_id = 1")" "{CUKUP,STOP2}" "... the words unchanged"

# ------------------------------------------------ waiting messages, the claim, transactional
C=+628111000010
q1=$(enqueue $C 'queued one')
q2=$(enqueue $C 'scheduled one' "wa_now() + interval '2 days'")
o1=$(enqueue +628111000011 'to someone else')
t1=$(enqueue $C 'an OTP')
sql "UPDATE messages SET transactional = true WHERE id = $t1" >/dev/null
is "$(used)" 4 "four messages queued, four places taken"
say $C STOP >/dev/null
is "$(msg "$q1" "status || ' ' || last_error") / $(msg "$q2" "status || ' ' || last_error")" \
    "cancelled unsubscribed / cancelled unsubscribed" "a STOP cancels what waits for the number, queued and scheduled: unsubscribed"
is "$(msg "$o1" status) $(msg "$t1" status)" "queued queued" "... not another number's, nor a transactional one"
is "$(used)" 2 "... and gives their places back"
is "$(enqueue $C 'again')" recipient_unsubscribed "the queue refuses the unsubscribed number"
is "$(used)" 2 "... taking no place"
like "$(enqueue $C 'theirs' 'wa_now()' 2 2)" '^[0-9]+$' "another customer may still send to the same number"

# A message that slipped in before the STOP was seen (inserted behind the
# queue's back, as a racing API call could): the claim cancels it.
late=$(sql "SELECT id FROM wa_message_insert(1, 1, '$C', 'raced', wa_now(), 'api')")
claimed=$(sql "SELECT string_agg(id::text, ' ' ORDER BY id) FROM wa_dispatch_claim('t', 50, 30, 0, 0, 0, 0)")
is "$(msg "$late" "status || ' ' || last_error")" "cancelled unsubscribed" "the dispatcher's claim cancels a message to an unsubscribed number"
unlike " $claimed " " $late " "... and does not hand it out"
like " $claimed " " $o1 " "... while the others are claimed"
like " $claimed " " $t1 " "... the transactional one included"
sql "UPDATE messages SET status = 'sent', lease_owner = NULL, lease_until = NULL, sent_at = wa_now() WHERE status = 'sending'" >/dev/null

# Paced: a reply goes out of turn, uncounted; a plain message waits its turn.
stack_clock_add '2 days'
sql "UPDATE instances SET next_send_at = wa_now() + interval '1 hour', hour_sent = 5, hour_started_at = wa_now() WHERE id = 1" >/dev/null
wait1=$(enqueue +628111000012 'paced')
r=$(say +628111000013 STOP)
claimed=$(sql "SELECT string_agg(id::text, ' ') FROM wa_dispatch_claim('t', 10, 30, 5000, 0, 1000, 5)")
is "$claimed" "${r##*|}" "with a gap and an hourly cap used up, the reply alone is claimed"
is "$(msg "$wait1" status)" queued "... the plain message waits for its turn"
is "$(sql "SELECT hour_sent FROM instances WHERE id = 1")" 5 "... and the reply is not counted in the hour"

# ------------------------------------------------ the contact limit, other customers
sql "UPDATE packages SET max_contacts = (SELECT total FROM contact_counts WHERE customer_id = 1)" >/dev/null
r=$(say +628111000020 STOP)
is "$(status +628111000020)" unsubscribed "past the package's contact limit a STOP still makes the contact"
r=$(say +628111000021 START)
is "${r##*|} $(status +628111000021) $(logs +628111000021)" " - 0" "... a START does not, and gets no reply"
is "$(sql "SELECT total - subscribed - unsubscribed >= 0 AND total = (SELECT count(*) FROM contacts WHERE customer_id = 1) FROM contact_counts WHERE customer_id = 1")" t \
    "the counters stay exact"
sql "INSERT INTO contacts (customer_id, phone, status) VALUES (2, '+628111000030', 'subscribed')" >/dev/null
say +628111000030 STOP >/dev/null
is "$(status +628111000030 2) $(status +628111000030 1)" "subscribed unsubscribed" \
    "a STOP to customer 1's number leaves customer 2's contact with the same phone alone"
is "$(logs +628111000030 2)" 0 "... and writes nothing in customer 2's log"

# ------------------------------------------------ duplicates, hostile texts
sql "SELECT wa_message_in(1, 'wa_1', '628111000040@c.us', '+628111000040', 'STOP', 'gw_dup', NULL)" >/dev/null
sql "SELECT wa_message_in(1, 'wa_1', '628111000040@c.us', '+628111000040', 'STOP', 'gw_dup', NULL)" >/dev/null
is "$(logs +628111000040) $(replies +628111000040)" "1 1" "the same message twice: one log entry, one reply"
for b in "STOP'; DROP TABLE contacts; --" '<script>STOP</script>' "$(printf 'STOP %.0s' {1..2000})"; do
	r=$(say +628111000041 "$b")
	is "${r#*|}" "|" "a hostile or huge text is no keyword (${#b} bytes)"
done
is "$(status +628111000041)" - "... and changed nothing"
r=$(say +628111000042 STOP wa_nowhere)
is "$r" "||" "an unknown session: nothing stored, nothing done"

done_testing
