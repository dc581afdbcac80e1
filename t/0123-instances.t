#!/bin/sh
# 0123-instances.t: link a number end to end: create on a host, QR shown, simulated scan, connected; limits and bad input.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
stack_start --workers 2
KEY=inst-test-key
SECRET=0123456789abcdef0123456789abcdef-inst
stack_gwsim_start "$KEY" -q 0 || bail_out "simulator did not start"
PW=$STACK_PW

stack_customers 2 10 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo base_url="$GWSIM_URL" api_key="$KEY" webhook_secret="$SECRET" city=Jakarta country=ID >/dev/null
stack_host dead base_url="http://127.0.0.1:$(stack_free_port)" api_key=x webhook_secret="$SECRET" city=Bandung country=ID >/dev/null
stack_host tiny base_url="$GWSIM_URL" api_key="$KEY" webhook_secret="$SECRET" city=Medan country=ID capacity=1 >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name) VALUES (2, 3, 'wa_other', 'Other')" >/dev/null

jar=$STACK_DIR/jar
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$PW"
http GET /whatsapp -b "$jar"
is "$HTTP_STATUS" 200 "GET /whatsapp: 200"
like "$HTTP_BODY" 'No WhatsApp numbers yet' "empty state with the next step"
like "$HTTP_BODY" '<option value="3" disabled>tiny' "a full host is listed but cannot be chosen"
like "$HTTP_BODY" '<option value="1">demo — Jakarta, Indonesia \(' "... each with its city and its country's name"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//')
create() { http POST /whatsapp/instances -b "$jar" --data-urlencode "_csrf=$csrf" "$@"; }
count() { sql "SELECT count(*) FROM instances WHERE customer_id = 1"; }

create --data-urlencode 'name=Sales' --data-urlencode host=2
is "$HTTP_STATUS" 422 "a host that does not answer: 422"
like "$HTTP_BODY" 'nothing was created' "... says so"
is "$(count)" 0 "... and nothing was created"
# A gateway that takes the create and never answers: the worker gives up
# after its 5 s and keeps nothing.
curl -s -X POST -H 'Content-Type: application/json' --data-binary '{"create_hang_ms":8000}' "$GWSIM_URL/_sim/faults" >/dev/null
create --data-urlencode 'name=Slow' --data-urlencode host=1
is "$HTTP_STATUS" 422 "a gateway timing out on create: 422"
like "$HTTP_BODY" 'nothing was created' "... says so"
is "$(count)" 0 "... and nothing was created"
create --data-urlencode 'name=Sales' --data-urlencode host=3
is "$HTTP_STATUS" 422 "a full host: 422"
like "$HTTP_BODY" 'full' "... says so"
sql "UPDATE users SET language = 'id' WHERE id = 1" >/dev/null
create --data-urlencode 'name=Sales' --data-urlencode host=3
like "$HTTP_BODY" 'Server itu penuh: pilih yang lain' "... in the reader's language"
create --data-urlencode 'name=Sales'
is "$HTTP_STATUS" 422 "no host chosen: 422"
like "$HTTP_BODY" 'Pilih server\.' "... says so, in Indonesian too"
sql "UPDATE users SET language = 'en' WHERE id = 1" >/dev/null
create --data-urlencode 'name=' --data-urlencode host=1
is "$HTTP_STATUS" 422 "an empty name: 422"
create --data-urlencode host=1
is "$HTTP_STATUS" 422 "no name at all: 422"
like "$HTTP_BODY" 'id="link-error">Enter a name\.' "... asks for one"
create --data-urlencode "name=$(printf 'n%.0s' {1..101})" --data-urlencode host=1
like "$HTTP_BODY" 'id="link-error">The name is too long\.' "a name of 101 characters: the validator says why"
create --data-urlencode 'name=Sales' --data-urlencode host=0
is "$HTTP_STATUS" 422 "host 0 (not an id): 422"
like "$HTTP_BODY" 'id="link-error">Choose a host\.' "... asks for a host"
create --data-urlencode 'name=Sales' --data-urlencode host=99
is "$HTTP_STATUS" 422 "an unknown host: 422"
create --data-urlencode 'name=Sales' --data-urlencode 'host=1 OR 1=1'
is "$HTTP_STATUS" 422 "a hostile host id: 422"
http POST /whatsapp/instances -b "$jar" --data-urlencode 'name=Sales' --data-urlencode host=1
is "$HTTP_STATUS" 403 "without the CSRF token: 403"
is "$(count)" 0 "nothing was created by any of these"
# The gateway made the session but the commit fails (a deferred check
# refuses it): the session is deleted again, nothing is left anywhere.
nsessions() { curl -s -H "X-Api-Key: $KEY" "$GWSIM_URL/api/sessions?all=true" | jq length; }
before=$(nsessions)
sql "CREATE FUNCTION t_refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$
     BEGIN RAISE EXCEPTION 'refused at commit'; END \$\$;
     CREATE CONSTRAINT TRIGGER t_refuse AFTER INSERT ON instances
     DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION t_refuse()" >/dev/null
create --data-urlencode 'name=Doomed' --data-urlencode host=1
is "$HTTP_STATUS" 503 "the commit fails after the gateway made the session: 503"
is "$(count)" 0 "... no instance"
is "$(nsessions)" "$before" "... and the gateway's session is deleted again"
sql "DROP TRIGGER t_refuse ON instances; DROP FUNCTION t_refuse()" >/dev/null

create --data-urlencode 'name=Sales <desk>' --data-urlencode host=1
is "$HTTP_STATUS" 303 "create on a host with room: 303"
loc=$(header Location)
like "$loc" '^/whatsapp/instances/[0-9]+$' "... to the new instance's page"
session=$(sql "SELECT session FROM instances WHERE customer_id = 1")
like "$session" '^wa_[0-9a-f]{16}$' "a random session name on the gateway"
like "$(curl -s -H "X-Api-Key: $KEY" "$GWSIM_URL/api/sessions/$session")" 'SCAN_QR_CODE' "the gateway has the session, waiting for a scan"

http GET "$loc" -b "$jar"
is "$HTTP_STATUS" 200 "the instance page: 200"
like "$HTTP_BODY" '<svg class="qr"' "it shows the QR as inline SVG"
like "$HTTP_BODY" 'badge--qr_required">QR required<' "the status in words"
like "$HTTP_BODY" 'http-equiv="refresh"' "... and refreshes itself while linking"
like "$HTTP_BODY" 'Sales &lt;desk&gt;' "the name is escaped"
unlike "$HTTP_BODY" "$KEY|$SECRET" "no key or secret on the page"
iid=${loc##*/}
like "$HTTP_BODY" '<p class="inst-state" data-live-show="qr_required">This number is not linked yet\. Scan the code below' \
    "waiting for a scan: a sentence says what is happening and what to do"
like "$HTTP_BODY" '<p class="inst-state" data-live-show="connecting" hidden>' "... the connecting one waits hidden for the script"
unlike "$HTTP_BODY" "<a [^>]*href=\"/whatsapp/instances/$iid/unlink\">" "a number never linked offers no Unlink"
like "$HTTP_BODY" "<a [^>]*href=\"/whatsapp/instances/$iid/unlink\" data-live-show=\"connected\" hidden>Unlink</a>" \
    "... only a hidden one the script shows once it is linked"
unlike "$HTTP_BODY" 'Log out|/instances/[0-9]+/logout"' "... and nothing called 'Log out' beside the account's 'Sign out'"
like "$HTTP_BODY" "href=\"/whatsapp/queue\?instance=$iid#add\" data-live-show=\"connected\" hidden>Send a message<" \
    "... nor Send a message yet (hidden until linked)"
simlog_logouts() { curl -s "$GWSIM_URL/_sim/log" | jq '[.[] | select(.path | test("logout"))] | length'; }
http GET "$loc/unlink" -b "$jar" -c "$jar"
is "$HTTP_STATUS" 303 "asking to unlink a number never linked: back to it"
http GET "$loc" -b "$jar" -c "$jar"
like "$HTTP_BODY" 'not linked to WhatsApp, so there is nothing to unlink' "... which says there is nothing to unlink"
http POST "$loc/unlink" -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 303 "unlinking it anyway: 303"
is "$(simlog_logouts)" 0 "... the gateway is not asked"
is "$(sql "SELECT status FROM instances WHERE id = $iid")" qr_required "... nothing changes"
http GET "$loc" -b "$jar" -c "$jar"

# Connecting: no QR yet, but a sentence saying why and what to do.
sql "UPDATE instances SET status = 'connecting' WHERE id = $iid" >/dev/null
http GET "$loc" -b "$jar"
like "$HTTP_BODY" '<p class="inst-state" data-live-show="connecting">The host is starting this number&#39;s session\. This takes a few seconds' \
    "connecting: a sentence says the host is starting it"
like "$HTTP_BODY" 'If nothing changes within a minute, restart it\.' "... and what to do if it stays so"
like "$HTTP_BODY" 'http-equiv="refresh"' "... the page still refreshes itself"
unlike "$HTTP_BODY" "<a [^>]*href=\"/whatsapp/instances/$iid/unlink\">" "... no Unlink"
sql "UPDATE users SET language = 'id' WHERE id = 1" >/dev/null
http GET "$loc" -b "$jar"
like "$HTTP_BODY" 'data-live-show="connecting">Server sedang memulai sesi nomor ini' "... in the reader's language"
like "$HTTP_BODY" '>Putuskan tautan</a>' "... where Unlink is 'Putuskan tautan'"
sql "UPDATE users SET language = 'en' WHERE id = 1; UPDATE instances SET status = 'qr_required' WHERE id = $iid" >/dev/null

# The pairing-code alternative.
http POST "$loc/pairing-code" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode 'phone=0812-3456-7890'
is "$HTTP_STATUS" 200 "a pairing code for a national number"
like "$HTTP_BODY" 'class="pairing-code" role="status">[A-Z0-9]{4}-[A-Z0-9]{4}<' "... shown in WAHA's form"
unlike "$HTTP_BODY" 'http-equiv="refresh"' "... on a page that does not reload it away"
like "$(curl -s "$GWSIM_URL/_sim/log" | jq -c '[.[] | select(.path | test("request-code"))]')" 'request-code' "... asked of the gateway"
http POST "$loc/pairing-code" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode 'phone=call me'
is "$HTTP_STATUS" 422 "a pairing code for 'call me': 422"
like "$HTTP_BODY" 'Use only digits, spaces' "... with the reason"
http POST "$loc/pairing-code" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 422 "a pairing code without a number: 422"
like "$HTTP_BODY" 'Enter the number to link' "... asks for one"

curl -s -X POST "$GWSIM_URL/_sim/sessions/$session/scan" >/dev/null
wait_for 10 eval '[ "$(sql "SELECT status FROM instances WHERE session = '"'$session'"'")" = connected ]'
http GET "$loc" -b "$jar"
like "$HTTP_BODY" 'badge--connected">connected<' "after the scan: connected (through the signed webhook)"
like "$HTTP_BODY" '\+[0-9]{8,15}' "... with the linked number"
unlike "$HTTP_BODY" '<svg class="qr"|http-equiv="refresh"' "... no QR, no refresh"
like "$HTTP_BODY" '<p class="inst-state">This number is linked to WhatsApp: messages you queue go out from it\.</p>' "... a sentence says it can send"
like "$HTTP_BODY" "<a class=\"button button--primary\" href=\"/whatsapp/queue\?instance=$iid#add\">Send a message</a>" "... and the next step: Send a message"
like "$HTTP_BODY" "<a class=\"button button--secondary\" href=\"/whatsapp/instances/$iid/unlink\">Unlink</a>" "... Unlink, now that it is linked"
http GET "/whatsapp/queue?instance=$iid" -b "$jar"
like "$HTTP_BODY" "<option value=\"$iid\" selected>Sales &lt;desk&gt; \(\+[0-9]+\) — connected</option>" "Send a message: the Queue form with this number chosen"
http GET /whatsapp -b "$jar"
like "$HTTP_BODY" 'Sales &lt;desk&gt;</a>' "the list shows it"

# A pairing code for a linked number is refused with what to do (409),
# never as a broken gateway (502), whether we or the gateway know it.
codes() { curl -s "$GWSIM_URL/_sim/log" | jq '[.[] | select(.path | test("request-code"))] | length'; }
before=$(codes)
http POST "$loc/pairing-code" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode 'phone=0812-3456-7890'
is "$HTTP_STATUS" 409 "a pairing code for a linked number: 409"
like "$HTTP_BODY" 'not waiting to be linked' "... saying why and what to do"
is "$(codes)" "$before" "... without asking the gateway"
sql "UPDATE instances SET status = 'qr_required' WHERE session = '$session'" >/dev/null
http POST "$loc/pairing-code" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode 'phone=0812-3456-7890'
is "$HTTP_STATUS" 409 "the gateway refuses it (422) while the portal still thought it waited: 409"
like "$HTTP_BODY" 'not waiting to be linked' "... with the same sentence"
is "$(codes)" "$((before + 1))" "... the gateway was asked once"
sql "UPDATE instances SET status = 'connected' WHERE session = '$session'" >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES (1, 2, 'wa_deadcode', 'Dead code', 'qr_required')" >/dev/null
dead=$(sql "SELECT id FROM instances WHERE session = 'wa_deadcode'")
http POST "/whatsapp/instances/$dead/pairing-code" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode 'phone=0812-3456-7890'
is "$HTTP_STATUS" 502 "a host that does not answer: 502, the gateway is broken"
like "$HTTP_BODY" 'did not give a code just now' "... and the page says to try again"
sql "DELETE FROM instances WHERE id = $dead" >/dev/null

other=$(sql "SELECT id FROM instances WHERE session = 'wa_other'")
# Actions: each asks first, calls the gateway, and says what happened.
iid=${loc##*/}
act() { http POST "/whatsapp/instances/$1/$2" -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf"; }
simcalls() { curl -s "$GWSIM_URL/_sim/log" | jq "[.[] | select(.path | test(\"$1\"))] | length"; }
http GET "/whatsapp/instances/$iid/restart" -b "$jar"
is "$HTTP_STATUS" 200 "restart asks first"
like "$HTTP_BODY" 'Restart: Sales &lt;desk&gt;' "... naming the number"
is "$(simcalls restart)" 0 "... and asking calls nothing"
http POST "/whatsapp/instances/$iid/restart" -b "$jar" -d x=1
is "$HTTP_STATUS" 403 "restart without the CSRF token: 403"
act "$iid" restart
is "$HTTP_STATUS" 303 "restart: 303"
is "$(simcalls "$session/restart")" 1 "... the gateway was asked to restart the session"
http GET "$loc" -b "$jar" -c "$jar"
like "$HTTP_BODY" 'restarting' "... and the page says so"
# Dropped and failed links: a sentence each; Unlink while it still has its number.
wait_for 10 eval '[ "$(sql "SELECT status FROM instances WHERE id = $iid")" = connected ]'
sql "UPDATE instances SET status = 'disconnected' WHERE id = $iid" >/dev/null
http GET "$loc" -b "$jar" -c "$jar"
like "$HTTP_BODY" '<p class="inst-state">The link to WhatsApp dropped.*Restart it to reconnect' "disconnected: what happened and what to do"
like "$HTTP_BODY" "href=\"/whatsapp/instances/$iid/unlink\">Unlink<" "... Unlink offered (it is still linked)"
unlike "$HTTP_BODY" 'Send a message' "... no Send a message"
sql "UPDATE instances SET status = 'failed' WHERE id = $iid" >/dev/null
http GET "$loc" -b "$jar" -c "$jar"
like "$HTTP_BODY" '<p class="inst-state">The host could not run this number&#39;s session\. Restart it; if it fails again, delete' "failed: what happened and what to do"
sql "UPDATE instances SET status = 'connected' WHERE id = $iid" >/dev/null
http GET "$loc/unlink" -b "$jar"
is "$HTTP_STATUS" 200 "Unlink asks first"
like "$HTTP_BODY" '<h1 id="confirm-title" class="card__title">Unlink: Sales &lt;desk&gt;</h1>' "... titled Unlink, naming the number"
like "$HTTP_BODY" 'removed from the linked devices of WhatsApp on the phone' "... saying what it does"
like "$HTTP_BODY" '<button class="button button--danger" type="submit">Unlink</button>' "... with an Unlink button"
act "$iid" logout
is "$HTTP_STATUS" 404 "the old 'logout' action is gone: 404"
act "$iid" unlink
is "$HTTP_STATUS" 303 "unlink: 303"
is "$(simlog_logouts)" 1 "... the gateway logged the session out"
is "$(sql "SELECT status, phone, push_name FROM instances WHERE id = $iid")" 'qr_required||' "... the number needs a new QR and is no one's number any more"
http GET "$loc" -b "$jar" -c "$jar"
like "$HTTP_BODY" 'The number is unlinked; scan a new QR code' "... and the page says so"
unlike "$HTTP_BODY" "<a [^>]*href=\"/whatsapp/instances/$iid/unlink\">" "... offering no Unlink any more"
act "$iid" reboot
is "$HTTP_STATUS" 404 "an unknown action: 404"
act "$other" delete
is "$HTTP_STATUS" 404 "another customer's instance: 404"
is "$(sql "SELECT count(*) FROM instances WHERE session = 'wa_other'")" 1 "... and it is still there"
sql "INSERT INTO instances (customer_id, host_id, session, name) VALUES (1, 2, 'wa_deadhost', 'Dead')" >/dev/null
dead=$(sql "SELECT id FROM instances WHERE session = 'wa_deadhost'")
act "$dead" delete
is "$HTTP_STATUS" 303 "delete on a host that does not answer: back to the number"
http GET "/whatsapp/instances/$dead" -b "$jar" -c "$jar"
like "$HTTP_BODY" 'did not carry that out' "... with the gateway's failure said"
is "$(sql "SELECT count(*) FROM instances WHERE id = $dead")" 1 "... and the number kept"
sql "DELETE FROM instances WHERE id = $dead" >/dev/null
act "$iid" delete
is "$HTTP_STATUS" 303 "delete: 303"
is "$(header Location)" /whatsapp "... back to the list"
is "$(sql "SELECT count(*) FROM instances WHERE id = $iid")" 0 "... the number is gone"
is "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Api-Key: $KEY" "$GWSIM_URL/api/sessions/$session")" 404 "... and so is the gateway's session"
create --data-urlencode 'name=Sales again' --data-urlencode host=1
is "$HTTP_STATUS" 303 "room for a number again"

create --data-urlencode 'name=Support' --data-urlencode host=1
is "$HTTP_STATUS" 303 "a second number (package allows 2)"
create --data-urlencode 'name=Third' --data-urlencode host=1
is "$HTTP_STATUS" 422 "a third: 422"
like "$HTTP_BODY" 'limit' "... the package limit is named"
is "$(count)" 2 "two instances"
sql "UPDATE customer_packages SET starts_at = now() - interval '60 days', expires_at = now() - interval '1 day' WHERE customer_id = 1" >/dev/null
sql "DELETE FROM instances WHERE name = 'Support'" >/dev/null
create --data-urlencode 'name=Late' --data-urlencode host=1
is "$HTTP_STATUS" 422 "an expired package: 422"
like "$HTTP_BODY" 'expired' "... says so"

http GET "/whatsapp/instances/$other" -b "$jar"
is "$HTTP_STATUS" 404 "another customer's instance: 404"
http GET /whatsapp/instances/999999 -b "$jar"
is "$HTTP_STATUS" 404 "an unknown instance: 404"

done_testing
