#!/bin/sh
# 0183-templates-queue.t: the Queue form with a message template: its templates offered (names escaped, never another customer's), the text rendered for the recipient (their contact's values when the number is one) and the message recording the template and version; a template and a text together, another customer's template, a bad id and a message rendered empty refused with nothing queued.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1
stack_customers 5 100 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo city=Jakarta country=ID >/dev/null
sql "UPDATE users SET country = 'ID';
     INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
     (1, 1, 'wa_sales', 'Sales', 'connected', '+6281111111111');
     INSERT INTO contacts (customer_id, phone, name, status, fields) VALUES
         (1, '+6281234567890', 'Siti Rahma', 'subscribed', '{\"city\": \"<b>Bandung</b> {{phone}}\"}')" >/dev/null
t1=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Welcome', 'Hi')")
sql "SELECT wa_template_save(1, $t1, 'Welcome <i>new</i>', '{Hi|Hello} {{first_name|\"there\"}} from {{custom.city|\"your city\"}}')" >/dev/null
tblank=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Blank', '{{name}}')")
t2=$(sql "SELECT tpl_id FROM wa_template_save(2, NULL, 'Theirs secret', 'Of customer 2')")

jar=$STACK_DIR/jar
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
http GET /whatsapp/queue -b "$jar"
csrf=$(csrf_of)
is "$HTTP_STATUS" 200 "GET /whatsapp/queue: 200"
like "$HTTP_BODY" "<option value=\"$t1\">Welcome &lt;i&gt;new&lt;/i&gt;</option>" "the form offers the customer's templates, names escaped"
unlike "$HTTP_BODY" 'Theirs secret' "... never another customer's"
like "$HTTP_BODY" 'Text <span class="field__required">\(optional\)</span>' "... the text is then optional"

add() { http POST /whatsapp/queue -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode instance=1 "$@"; }
count() { sql "SELECT count(*) FROM messages WHERE customer_id = 1"; }

add --data-urlencode 'recipient=0812-3456-7890' --data-urlencode "template=$t1" --data-urlencode 'text='
is "$HTTP_STATUS" 303 "a template to a contact: 303"
is "$(sql "SELECT template_id || ' ' || template_version || ' ' || source FROM messages")" "$t1 2 portal" "... the message records the template and its version"
like "$(sql "SELECT body FROM messages")" '^(Hi|Hello) Siti from <b>Bandung</b> \{\{phone\}\}$' "... rendered with the contact's values, verbatim"
add --data-urlencode 'recipient=+6289999999999' --data-urlencode "template=$t1"
is "$HTTP_STATUS" 303 "to a number that is no contact (no text field at all): 303"
like "$(sql "SELECT body FROM messages ORDER BY id DESC LIMIT 1")" '^(Hi|Hello) there from your city$' "... the fallbacks"

before=$(count)
add --data-urlencode 'recipient=0812-3456-7890' --data-urlencode "template=$t1" --data-urlencode 'text=Typed too'
is "$HTTP_STATUS" 422 "a template and a text: 422"
like "$HTTP_BODY" 'Choose a template or write a text, not both\.' "... saying why"
like "$HTTP_BODY" "<option value=\"$t1\" selected>" "... the template kept chosen"
add --data-urlencode 'recipient=0812-3456-7890' --data-urlencode "template=$t2"
is "$HTTP_STATUS" 422 "another customer's template: 422"
like "$HTTP_BODY" 'Choose one of your templates\.' "... saying why"
unlike "$HTTP_BODY" 'Of customer 2' "... nothing of it shown"
add --data-urlencode 'recipient=0812-3456-7890' --data-urlencode "template=1%27--"
is "$HTTP_STATUS" 422 "a hostile template id: 422"
add --data-urlencode 'recipient=+6289999999999' --data-urlencode "template=$tblank"
is "$HTTP_STATUS" 422 "a template rendered empty for the recipient: 422"
like "$HTTP_BODY" 'recipient is empty\.' "... saying why"
add --data-urlencode 'recipient=0812-3456-7890' --data-urlencode 'template=' --data-urlencode 'text='
is "$HTTP_STATUS" 422 "neither a template nor a text: 422"
like "$HTTP_BODY" 'Enter the text of the message\.' "... asking for the text"
is "$(count)" "$before" "... nothing queued by any of them"
add --data-urlencode 'recipient=0812-3456-7890' --data-urlencode 'template=' --data-urlencode 'text=Plain'
is "$HTTP_STATUS $(sql "SELECT coalesce(template_id::text, 'none') FROM messages ORDER BY id DESC LIMIT 1")" "303 none" "a typed text still works, no template recorded"

stack_stop
done_testing
