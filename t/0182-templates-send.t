#!/bin/sh
# 0182-templates-send.t: POST /api/v1/messages with template_id and variables: the text rendered for the recipient (their contact's values, the variables over them, the same choice for the same contact), the message recording the template and its version, with and without an Idempotency-Key; every bad template_id or variables refused with nothing queued; another customer's template refused; a bad key refused before anything is said about the template.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock now
stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo city=Jakarta country=ID >/dev/null || bail_out "seeding failed"
sql "INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
     (1, 1, 'wa_b', 'B', 'connected', '+6281100001'), (2, 1, 'wa_c', 'C', 'connected', '+6281100002');
     UPDATE packages SET api_rpm = 1000, max_contacts = 100;
     INSERT INTO contact_fields (customer_id, key, label, kind) VALUES (1, 'city', 'City', 'text');
     INSERT INTO contacts (customer_id, phone, name, status, fields) VALUES
         (1, '+6281234567890', 'Siti Rahma', 'subscribed', '{\"city\": \"Bandung {{phone}} <b>\"}'),
         (2, '+6281234567891', 'Other', 'subscribed', '{}')" >/dev/null || bail_out "seeding failed"
read -r K1 _ < <(newkey 1 '{messages:send}')
read -r K2 _ < <(newkey 2 '{messages:send}')
t1=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Welcome', 'Hi')")
sql "SELECT wa_template_save(1, $t1, 'Welcome', '{Hi|Hello} {{first_name|\"there\"}} from {{custom.city|\"your city\"}}, order {{order|\"none\"}}')" >/dev/null
t2=$(sql "SELECT tpl_id FROM wa_template_save(2, NULL, 'Theirs', 'Secret of customer 2')")
tblank=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Blank', '{{name}}')")
j() { jq -r "$1" <<<"$HTTP_BODY"; }
post() { api POST /api/v1/messages "$1" -H 'Content-Type: application/json' --data-binary "$2" "${@:3}"; }
msgs() { sql "SELECT count(*) FROM messages"; }

# ---------------------------------------------------------------- a contact, rendered
post "$K1" "{\"to\": \"+6281234567890\", \"template_id\": $t1}"
is "$HTTP_STATUS" 202 "a template to a contact: 202"
mid=$(j .id)
is "$(j .template_id) $(j .template_version)" "$t1 2" "... the answer names the template and its current version"
is "$(sql "SELECT template_id || ' ' || template_version FROM messages WHERE id = $mid")" "$t1 2" "... the message records them"
body=$(sql "SELECT body FROM messages WHERE id = $mid")
like "$body" '^(Hi|Hello) Siti from Bandung \{\{phone\}\} <b>, order none$' "... rendered with the contact's values, verbatim ($body)"
post "$K1" "{\"to\": \"+6281234567890\", \"template_id\": $t1}"
is "$(sql "SELECT body FROM messages WHERE id = $(j .id)")" "$body" "the same contact: the same words"
post "$K1" "{\"to\": \"+6281234567890\", \"template_id\": $t1, \"variables\": {\"first_name\": \"Bu Siti\", \"order\": 1042, \"custom.city\": null}}"
is "$HTTP_STATUS" 202 "with variables: 202"
like "$(sql "SELECT body FROM messages WHERE id = $(j .id)")" '^(Hi|Hello) Bu Siti from Bandung \{\{phone\}\} <b>, order 1042$' "... the variables over the contact's values (null ones do not count)"

# ---------------------------------------------------------------- not a contact
post "$K1" "{\"to\": \"+6281299990000\", \"template_id\": $t1, \"variables\": {\"first_name\": \"<script>x</script>\"}, \"instance_id\": 1}"
is "$HTTP_STATUS" 202 "to a number that is no contact: 202"
like "$(sql "SELECT body FROM messages WHERE id = $(j .id)")" '^(Hi|Hello) <script>x</script> from your city, order none$' "... fallbacks and the variables, as sent"

# ---------------------------------------------------------------- with an Idempotency-Key
post "$K1" "{\"to\": \"+6281234567890\", \"template_id\": $t1}" -H 'Idempotency-Key: tpl-1'
is "$HTTP_STATUS" 202 "with an Idempotency-Key: 202"
imid=$(j .id)
is "$(sql "SELECT template_id || ' ' || template_version FROM messages WHERE id = $imid")" "$t1 2" "... recorded too"
post "$K1" "{\"to\": \"+6281234567890\", \"template_id\": $t1}" -H 'Idempotency-Key: tpl-1'
is "$HTTP_STATUS $(j .id) $(header Idempotent-Replayed)" "202 $imid true" "... a retry replays it"

# ---------------------------------------------------------------- refused, nothing queued
before=$(msgs)
bad() {
	post "$K1" "$1"
	is "$HTTP_STATUS $(j '.type | split("problem-") | last') $(j '[.errors[].field] | join(",")')" "422 validation-failed $2" "$3"
}
bad "{\"to\": \"+6281234567890\", \"template_id\": $t2}" template_id "another customer's template: 422"
is "$(j '.errors[0].detail')" "No such template." "... as if it did not exist"
bad '{"to": "+6281234567890", "template_id": 999999}' template_id "no such template: 422"
bad '{"to": "+6281234567890", "template_id": "1"}' template_id "a template_id that is no number: 422"
bad '{"to": "+6281234567890", "template_id": 0}' template_id "template_id 0: 422"
bad "{\"to\": \"+6281234567890\", \"template_id\": $t1, \"text\": \"x\"}" text "text and template_id: 422"
bad '{"to": "+6281234567890", "variables": {"a": "b"}}' variables "variables without template_id: 422"
bad "{\"to\": \"+6281234567890\", \"template_id\": $t1, \"variables\": [1]}" variables "variables that are no object: 422"
bad "{\"to\": \"+6281234567890\", \"template_id\": $t1, \"variables\": {\"a\": {\"b\": 1}}}" variables "a variable that is an object: 422"
bad "{\"to\": \"+6281234567890\", \"template_id\": $t1, \"variables\": {\"$(printf 'k%.0s' $(seq 65))\": 1}}" variables "a variable's name of 65 bytes: 422"
bad "{\"to\": \"+6281234567890\", \"template_id\": $t1, \"variables\": {$(seq -s, -f '"v%g": 1' 1 101)}}" variables "101 variables: 422"
bad "{\"to\": \"+6281299990000\", \"template_id\": $tblank}" template_id "a template rendered blank: 422"
is "$(j '.errors[0].detail')" "The message made from it is blank." "... saying so"
bad "{\"to\": \"+6281299990000\", \"template_id\": $t1, \"variables\": {\"first_name\": \"$(head -c 65536 /dev/zero | tr '\0' a)\"}}" template_id "a message rendered over 65536 characters: 422"
is "$(msgs)" "$before" "... nothing queued by any of them"
post "$K2" "{\"to\": \"+6281234567890\", \"template_id\": $t1}"
is "$HTTP_STATUS $(j '.errors[0].field')" "422 template_id" "customer 2 with customer 1's template: 422"
api POST /api/v1/messages 'wak_notakey' -H 'Content-Type: application/json' --data-binary "{\"to\": \"+6281234567890\", \"template_id\": $t1}"
is "$HTTP_STATUS $(j .type)" "401 /docs/api#problem-invalid-key" "a bad key: 401 before the template is looked at"
sql "UPDATE api_keys SET enabled = false WHERE customer_id = 2" >/dev/null
post "$K2" "{\"to\": \"+6281234567890\", \"template_id\": $t2}"
is "$HTTP_STATUS $(j .type)" "401 /docs/api#problem-key-disabled" "a disabled key with its own template: 401, nothing sent"
is "$(msgs)" "$before" "... nothing queued"

stack_stop
done_testing
