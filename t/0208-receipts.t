#!/bin/sh
# 0208-receipts.t: no delivery receipt is lost to a portal down for a while: a number linked through the portal asks the gateway to retry its webhooks for hours, so acks sent while every worker is stopped arrive once they are back and the message reaches "read".
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=3 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0 WAPORTAL_SEND_HOURLY_CAP=0"
stack_start --workers 1 --dispatch
KEY=receipt-test-key
SECRET=0123456789abcdef0123456789abcdef-rcpt
stack_gwsim_start "$KEY" -q 0 -d 50 || bail_out "simulator did not start"
stack_customers 1 100 c@example.com >/dev/null || bail_out "seeding failed"
stack_host demo base_url="$GWSIM_URL" api_key="$KEY" webhook_secret="$SECRET" city=Jakarta country=ID >/dev/null
msg() { sql "SELECT $2 FROM messages WHERE id = $1"; }
status_is() { [ "$(msg "$1" status)" = "$2" ]; }
# failed_third: the simulator's webhooks whose third attempt the portal
# did not take (where the gateway's default policy, 3 tries, gives up).
failed_third() { grep -c 'webhook .* attempt 3: HTTP 50[0-9]' "$(stack_log gwsim.log)"; }

# Link a number through the portal, as a customer does.
jar=$STACK_DIR/jar
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
http GET /whatsapp -b "$jar"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//')
http POST /whatsapp/instances -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode name=Sales --data-urlencode host=1
is "$HTTP_STATUS" 303 "a number is created on the simulator through the portal"
iid=$(sql "SELECT id FROM instances WHERE customer_id = 1")
sess=$(sql "SELECT session FROM instances WHERE id = $iid")
curl -s -X POST "$GWSIM_URL/_sim/sessions/$sess/scan" >/dev/null
wait_for 20 eval '[ "$(sql "SELECT status FROM instances WHERE id = $iid")" = connected ]'
ok $? "scanned: its session.status webhook links it"

# Every worker stops; a message goes out meanwhile (the dispatcher needs
# no worker) and its acks find nginx with nobody behind it.
stack_stop_pidfile "$STACK_DIR/run/workers.pid" 10
id=$(sql "SELECT id FROM wa_message_enqueue(1, $iid, '+6281234567890', 'Halo', now(), 'api')")
wait_for 20 status_is "$id" sent
ok $? "sent while the portal is down"
wait_for 30 eval '[ "$(failed_third)" -ge 2 ]'
ok $? "both ack webhooks (delivered, read) fail (502) three times"
is "$(msg "$id" status)" sent "... the message is still 'sent'"

# The workers come back: the next retries arrive.
_stack_san_env
stack_workers_start "$STACK_DIR" "$STACK_BIN/waportal-fcgi" 1 || bail_out "the workers did not start"
_stack_san_env_restore
STACK_MW_PID=$(cat "$STACK_DIR/run/workers.pid")
wait_for 60 status_is "$id" read
ok $? "once the portal is back, the retried acks make it read"
is "$(msg "$id" "(delivered_at IS NOT NULL) AND (read_at IS NOT NULL)")" t "... delivered and read, both times kept"

done_testing
