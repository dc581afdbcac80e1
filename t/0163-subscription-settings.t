#!/bin/sh
# 0163-subscription-settings.t: the keywords and replies page: defaults shown, own words saved upper-cased and used by the webhook path, the preview saves nothing, wrong and hostile input refused with nothing changed, each customer sees only their own.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1
stack_customers 5 1000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES (1, 1, 'wa_1', 'Sales', 'connected')" >/dev/null

jar=$STACK_DIR/jar jar2=$STACK_DIR/jar2
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$STACK_PW"
settings() { sql "SELECT coalesce((SELECT array_to_string(out_words, ' ') || '|' || array_to_string(in_words, ' ') || '|' || contains || '|' || out_reply_en || '|' || help_id FROM subscription_settings WHERE customer_id = ${1:-1}), '-')"; }

http GET /contacts/subscriptions -b "$jar"
is "$HTTP_STATUS" 200 "GET /contacts/subscriptions: 200"
like "$HTTP_BODY" '<code>STOP</code>, <code>UNSUBSCRIBE</code>, <code>END</code>' "the built-in words are listed"
like "$HTTP_BODY" "<samp>You are unsubscribed and will get no more messages from us" "the default texts are shown"
csrf=$(csrf_of)
http GET /contacts -b "$jar"
like "$HTTP_BODY" 'href="/contacts/subscriptions"' "the Contacts page links to it"

save() { http POST /contacts/subscriptions -b "$jar" --data-urlencode "_csrf=$csrf" "$@"; }
save --data-urlencode 'out_words=cukup, Stop2  henti' --data-urlencode 'in_words=lanjut' -d contains=1 \
    --data-urlencode $'out_reply_en=Bye <b>now</b>\r\nsecond line' --data-urlencode 'help_id=Hubungi 021-555' -d action=save
is "$HTTP_STATUS $(header Location)" "303 /contacts/subscriptions" "saving: 303 back to the page"
is "$(settings)" $'CUKUP STOP2 HENTI|LANJUT|true|Bye <b>now</b>\nsecond line|Hubungi 021-555' "... stored: words upper-cased, the texts as typed"
http GET /contacts/subscriptions -b "$jar"
like "$HTTP_BODY" 'value="CUKUP STOP2 HENTI"' "... shown again"
like "$HTTP_BODY" 'Bye &lt;b&gt;now&lt;/b&gt;' "... the text escaped"
like "$HTTP_BODY" 'name="contains" value="1"[^>]*checked' "... contains mode ticked"
is "$(sql "SELECT kind FROM wa_message_in(1, 'wa_1', '628111@c.us', '+628111000001', ' henti ', 'g1', NULL)")" out \
    "the webhook path uses the saved word"

# The preview: what a message would do with the settings as typed; nothing saved.
save --data-urlencode 'out_words=selesai' --data-urlencode 'in_words=' --data-urlencode 'try=  Selesai ' -d action=preview
is "$HTTP_STATUS" 200 "a preview: 200"
like "$HTTP_BODY" 'It unsubscribes the sender\.' "... the typed word would unsubscribe"
like "$HTTP_BODY" 'You are unsubscribed and will get no more messages' "... with the default English reply"
like "$HTTP_BODY" 'Anda telah berhenti berlangganan' "... and the Indonesian one"
like "$HTTP_BODY" 'value="SELESAI"|value="selesai"' "... the form kept as typed"
is "$(settings)" $'CUKUP STOP2 HENTI|LANJUT|true|Bye <b>now</b>\nsecond line|Hubungi 021-555' "... and nothing saved"
save --data-urlencode 'try=STOP please' -d action=preview
like "$HTTP_BODY" 'It is no keyword: nothing happens\.' "'STOP please' without contains mode: no keyword"
save --data-urlencode 'try=STOP please' -d contains=1 -d action=preview
like "$HTTP_BODY" 'It unsubscribes the sender\.' "... with contains mode: an opt-out"
save --data-urlencode 'try=bantuan' --data-urlencode 'help_en=Call 021' -d action=preview
like "$HTTP_BODY" 'It asks for help' "help: a help word"
like "$HTTP_BODY" '<samp>Call 021</samp>' "... with the typed help text"

# Wrong and hostile input: 422 at the field, nothing saved.
bad() {
	save "$@" -d action=save
	is "$HTTP_STATUS" 422 "$label: 422"
	is "$(settings)" $'CUKUP STOP2 HENTI|LANJUT|true|Bye <b>now</b>\nsecond line|Hubungi 021-555' "... nothing saved"
}
label="a word with a dash" bad --data-urlencode 'out_words=ST-OP'
like "$HTTP_BODY" 'id="sb-out_words-error">Up to 20 words' "... the error at the field"
label="an SQL injection as a word" bad --data-urlencode "out_words='); DROP TABLE contacts; --"
label="HTML as a word" bad --data-urlencode 'in_words=<script>alert(1)</script>'
like "$HTTP_BODY" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "... shown back escaped"
label="21 words" bad --data-urlencode "out_words=$(printf 'W%d ' {1..21})"
label="a word of 31 letters" bad --data-urlencode "out_words=$(printf 'A%.0s' {1..31})"
label="a non-ASCII word" bad --data-urlencode 'out_words=BERHÉNTI'
label="a reply of 1001 characters" bad --data-urlencode "out_reply_en=$(printf 'x%.0s' {1..1001})"
label="a control character in a reply" bad --data-urlencode $'help_en=a\x01b'
label="a try of two lines" bad --data-urlencode $'try=a\nb'
http POST /contacts/subscriptions -b "$jar" --data-urlencode 'out_words=X' -d action=save
is "$HTTP_STATUS" 403 "without the CSRF token: 403"
is "$(settings)" $'CUKUP STOP2 HENTI|LANJUT|true|Bye <b>now</b>\nsecond line|Hubungi 021-555' "... nothing saved"

# Another customer: their own (default) settings, never customer 1's.
http GET /contacts/subscriptions -b "$jar2"
unlike "$HTTP_BODY" 'CUKUP|Bye &lt;b&gt;' "another customer does not see them"
csrf2=$(csrf_of)
http POST /contacts/subscriptions -b "$jar2" --data-urlencode "_csrf=$csrf2" --data-urlencode 'out_words=mine' -d action=save
is "$(settings 2)" "MINE||false||" "... and saves their own"
is "$(settings 1)" $'CUKUP STOP2 HENTI|LANJUT|true|Bye <b>now</b>\nsecond line|Hubungi 021-555' "... leaving customer 1's alone"
http POST /contacts/subscriptions -b "$jar" --data-urlencode "_csrf=$csrf2" --data-urlencode 'out_words=X' -d action=save
is "$HTTP_STATUS" 403 "customer 2's token in customer 1's session: 403"
http GET /contacts/subscriptions
is "$HTTP_STATUS" 303 "signed out: sent to sign in"

done_testing
