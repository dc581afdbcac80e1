#!/bin/sh
# 0172-api-send-atomic.t: an API message is inserted with its template, version and transactional flag in one statement (the row as inserted has them, no UPDATE follows) on the hot path and with an Idempotency-Key, and GET shows them; an insert that fails leaves no message, no quota taken, no stored answer.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock now
stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo city=Jakarta country=ID >/dev/null || bail_out "seeding failed"
sql "INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
     (1, 1, 'wa_b', 'B', 'connected', '+6281100001');
     UPDATE packages SET api_rpm = 1000, max_contacts = 100, max_api_keys = 5;
     INSERT INTO contacts (customer_id, phone, name, status) VALUES
         (1, '+6281234567890', 'Siti', 'subscribed'), (1, '+6281234567899', 'Budi', 'unsubscribed')" >/dev/null ||
    bail_out "seeding failed"
read -r K1 _ < <(newkey 1 '{messages:send}')
read -r KT _ < <(newkey 1 '{messages:send,messages:transactional}')
t1=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Welcome', 'Hi {{name|\"there\"}}')")
sql "SELECT wa_template_save(1, $t1, 'Welcome', 'Hello {{name|\"there\"}}')" >/dev/null
# What each inserted row held when it was inserted, and every UPDATE of messages.
sql "CREATE TABLE t_ins (id bigint, tpl bigint, ver int, tx boolean);
     CREATE TABLE t_upd (n bigint);
     CREATE FUNCTION t_ins() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN
         INSERT INTO t_ins VALUES (NEW.id, NEW.template_id, NEW.template_version, NEW.transactional);
         RETURN NULL; END \$\$;
     CREATE FUNCTION t_upd() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN
         INSERT INTO t_upd SELECT count(*) FROM n; RETURN NULL; END \$\$;
     CREATE TRIGGER t_ins AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION t_ins();
     CREATE TRIGGER t_upd AFTER UPDATE ON messages REFERENCING NEW TABLE AS n
         FOR EACH STATEMENT EXECUTE FUNCTION t_upd();
     GRANT ALL ON t_ins, t_upd TO PUBLIC" >/dev/null || bail_out "triggers"
j() { jq -r "$1" <<<"$HTTP_BODY"; }
post() { api POST /api/v1/messages "$1" -H 'Content-Type: application/json' --data-binary "$2" "${@:3}"; }
ins() { sql "SELECT coalesce(tpl::text, '-') || ' ' || coalesce(ver::text, '-') || ' ' || tx FROM t_ins WHERE id = $1"; }

# ---------------------------------------------------------------- the hot path
post "$K1" "{\"to\": \"+6281234567890\", \"template_id\": $t1}"
is "$HTTP_STATUS $(j .template_id) $(j .template_version)" "202 $t1 2" "a template's send (hot path): 202, naming template and version"
is "$(ins "$(j .id)")" "$t1 2 false" "... the row was inserted with them"
post "$K1" '{"to": "+6281234567890", "text": "plain"}'
is "$HTTP_STATUS $(j .template_id) $(j .template_version)" "202 null null" "a text: no template in the answer"
is "$(ins "$(j .id)")" "- - false" "... nor on the row"
post "$KT" "{\"to\": \"+6281234567899\", \"template_id\": $t1}"
is "$HTTP_STATUS" 202 "a transactional key to an unsubscribed contact with a template: 202"
is "$(ins "$(j .id)")" "$t1 2 true" "... inserted transactional and with its template at once"

# ---------------------------------------------------------------- with an Idempotency-Key
post "$KT" "{\"to\": \"+6281234567899\", \"template_id\": $t1}" -H 'Idempotency-Key: atomic-1'
mid=$(j .id)
is "$HTTP_STATUS $(j .template_id) $(j .template_version)" "202 $t1 2" "with an Idempotency-Key: 202, naming them"
is "$(ins "$mid")" "$t1 2 true" "... inserted with them"
sql "SELECT wa_template_save(1, $t1, 'Welcome', 'Hey {{name|\"there\"}}')" >/dev/null
post "$KT" "{\"to\": \"+6281234567899\", \"template_id\": $t1}" -H 'Idempotency-Key: atomic-1'
is "$HTTP_STATUS $(j .id) $(j .template_version) $(header Idempotent-Replayed)" "202 $mid 2 true" "a replay after a new version: the stored answer, version 2"
is "$(sql "SELECT count(*) FROM t_upd")" 0 "no UPDATE of messages in any of these sends"

# ---------------------------------------------------------------- read back
read -r KR _ < <(newkey 1 '{messages:read}')
api GET "/api/v1/messages/$mid" "$KR"
is "$HTTP_STATUS $(j .template_id) $(j .template_version)" "200 $t1 2" "GET one message: its template and version"
api GET "/api/v1/messages?limit=100" "$KR"
is "$(j "[.data[] | select(.id == $mid)][0] | [.template_id, .template_version] | join(\" \")")" "$t1 2" "GET the list: the same"
is "$(j '[.data[] | select(.text == "plain")][0] | [.template_id, .template_version] | tostring')" "[null,null]" "... a text's: null, null"
read -r K2 _ < <(newkey 2 '{messages:read}')
api GET "/api/v1/messages/$mid" "$K2"
is "$HTTP_STATUS" 404 "another customer's message: 404"

# ---------------------------------------------------------------- a failing insert leaves nothing
used() { sql "SELECT coalesce(sum(messages), 0) FROM message_counts WHERE customer_id = 1"; }
before="$(sql "SELECT count(*) FROM messages") $(used) $(sql "SELECT count(*) FROM api_idempotency")"
# a template without its version breaks messages_template: the insert fails
h=$(printf %s "$K1" | sha256sum | cut -d' ' -f1)
out=$(sql "SELECT status FROM wa_api_send(decode('$h', 'hex'), '127.0.0.1', 'atomic-2', sha256('b'), NULL, NULL, '+6281234567890', 'x', NULL, $t1, NULL)" 2>&1)
like "$out" 'messages_template' "wa_api_send whose insert fails: an error"
is "$(sql "SELECT count(*) FROM messages") $(used) $(sql "SELECT count(*) FROM api_idempotency")" "$before" \
    "... no message, no quota taken, no stored answer: one transaction"
before=$(sql "SELECT count(*) FROM messages")
out=$(sql "SELECT wa_api_send_admit(decode('$h', 'hex'), '127.0.0.1', NULL, NULL, 'tk', '+6281234567890')" \
    "SELECT status FROM wa_api_send_put('tk', '+6281234567890', 'x', NULL, $t1, NULL)" 2>&1)
like "$out" 'messages_template' "wa_api_send_put whose insert fails: an error"
is "$(sql "SELECT count(*) FROM messages")" "$before" "... no message"
is "$(sql "SELECT count(*) FROM messages WHERE template_id IS NULL AND body = 'x'")" 0 "no message without its template"

stack_stop
done_testing
