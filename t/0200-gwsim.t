#!/bin/sh
# 0200-gwsim.t: waportal-gwsim speaks the WAHA subset (auth, sessions, QR, sendText, groups), its control API, faults and signed webhooks.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

SIM=${top_builddir:?}/src/waportal-gwsim
[ -x "$SIM" ] || skip_all "$SIM not built"
for t in jq openssl curl; do
	command -v "$t" >/dev/null || skip_all "$t not installed"
done

STACK_DIR=$(mktemp -d /tmp/gwsim-t.XXXXXX)
mkdir -p "$STACK_DIR/san"
KEY=sim-test-key
HMAC_KEY='hook secret'
SIM_PIDS=

# sim_start ARGS...: run the simulator in the background on a free port
# (SIM_PORT; ASan reports go to $STACK_DIR/san) and wait until it
# answers /ping. A parallel test may take the port first: a simulator
# that cannot bind exits, and another port is tried.
sim_start()
{
	local i port
	for i in 1 2 3 4 5; do
		port=$(stack_free_port) || return 1
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$STACK_DIR/san/asan" \
		UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$STACK_DIR/san/ubsan" \
		    "$SIM" -l "127.0.0.1:$port" -k "$KEY" "$@" \
		    2>>"$STACK_DIR/sim-$port.err" &
		SIM_PID=$!
		if wait_for 10 eval "kill -0 $SIM_PID 2>/dev/null && curl -sf -o /dev/null http://127.0.0.1:$port/ping" &&
		    sleep 0.2 && kill -0 "$SIM_PID" 2>/dev/null; then
			SIM_PORT=$port
			SIM_PIDS="$SIM_PIDS $SIM_PID"
			return 0
		fi
		kill "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
	done
	return 1
}

cleanup()
{
	local p
	for p in $SIM_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	rm -rf "$STACK_DIR"
}
trap cleanup EXIT

# api METHOD PATH [JSON]: a WAHA call with the API key.
api()
{
	local m=$1 p=$2
	shift 2
	http "$m" "$p" -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' \
	    ${1:+--data-binary "$1"}
}

# ctl METHOD PATH [JSON]: a control call (no key).
ctl()
{
	local m=$1 p=$2
	shift 2
	http "$m" "$p" -H 'Content-Type: application/json' \
	    ${1:+--data-binary "$1"}
}

# j FILTER: jq -r FILTER on the last response body.
j()
{
	printf '%s' "$HTTP_BODY" | jq -r "$1"
}

# sink FILTER: jq -r FILTER on what the webhook sink received.
sink()
{
	curl -s "$BASE_URL/_sim/webhook-sink" | jq -r "$1"
}

# sink_has N FILTER: the sink holds at least N deliveries matching FILTER
# (a jq boolean over one entry with .ev, the parsed body).
sink_has()
{
	[ "$(sink "[.[] | (.ev = (.body | fromjson)) | select($2)] | length")" -ge "$1" ]
}

sim_start -d 100 -q 0
ok $? "the simulator starts and answers /ping"
PORT=$SIM_PORT
BASE_URL=http://127.0.0.1:$PORT
MAIN_PID=$SIM_PID
SINK=$BASE_URL/_sim/webhook-sink

# --- auth
http GET /api/sessions
is "$HTTP_STATUS" 401 "no X-Api-Key: 401"
is "$(j '[.message, .statusCode] | join(" ")')" "Unauthorized 401" \
    "the 401 body is WAHA's"
http GET /api/sessions -H 'X-Api-Key: wrong'
is "$HTTP_STATUS" 401 "a wrong X-Api-Key: 401"

# --- sessions
CFG='{"metadata":{"tenant":"t1"},"webhooks":[{"url":"'$SINK'","events":["session.status","message","message.ack"],"hmac":{"key":"'$HMAC_KEY'"},"retries":{"attempts":3,"delaySeconds":1},"customHeaders":[{"name":"X-Custom","value":"c1"}]}]}'
api POST /api/sessions '{"name":"s1","config":'"$CFG"'}'
is "$HTTP_STATUS" 201 "POST /api/sessions: 201"
is "$(j .status)" SCAN_QR_CODE "a started session waits for the QR scan"
is "$(j .config.metadata.tenant)" t1 "the config is echoed"
api POST /api/sessions '{"name":"s1"}'
is "$HTTP_STATUS" 422 "an existing name: 422"
api POST /api/sessions '{"name":"bad name"}'
is "$HTTP_STATUS" 422 "a name outside [a-zA-Z0-9_-]: 422"
api POST /api/sessions '{"name":"s2","start":false}'
is "$(j .status)" STOPPED "start:false leaves the session STOPPED"
api GET /api/sessions
is "$(j '[.[].name] | join(",")')" s1 "the list leaves STOPPED sessions out"
api GET '/api/sessions?all=true'
is "$(j '[.[].name] | join(",")')" s1,s2 "?all=true lists them too"
api GET /api/sessions/nope
is "$HTTP_STATUS" 404 "an unknown session: 404"
api GET /api/sessions/s1/me
is "$HTTP_BODY" null "me is null before the scan"

# --- QR and pairing code
api GET '/api/s1/auth/qr?format=raw'
is "$HTTP_STATUS" 200 "QR raw: 200"
QR1=$(j .value)
like "$QR1" '^2@[0-9A-F]{40},' "QR raw value shape"
ctl POST /_sim/sessions/s1/rotate-qr
QR2=$(j .value)
isnt "$QR2" "$QR1" "a rotation makes a new QR"
api GET '/api/s1/auth/qr?format=raw'
is "$(j .value)" "$QR2" "the API serves the rotated QR"
api POST /api/s1/auth/request-code '{"phoneNumber":"6281234567890"}'
like "$(j .code)" '^[A-Z]{4}-[A-Z]{4}$' "pairing code ABCD-EFGH"
api GET '/api/s2/auth/qr?format=raw'
is "$HTTP_STATUS" 422 "QR of a STOPPED session: 422"
api POST /api/s2/auth/request-code '{"phoneNumber":"6281234567890"}'
is "$HTTP_STATUS" 422 "pairing code of a STOPPED session: 422"
api POST /api/sendText '{"session":"s1","chatId":"6281234567890@c.us","text":"x"}'
is "$HTTP_STATUS" 422 "sendText before the scan: 422"

# --- scan
ctl POST /_sim/sessions/s1/scan
is "$(j .status)" WORKING "the simulated scan makes the session WORKING"
ctl POST /_sim/sessions/s1/scan
is "$HTTP_STATUS" 422 "a second scan: 422"
api GET /api/sessions/s1/me
like "$(j .id)" '^62[0-9]+@c\.us$' "me is a fake +62 number"
ME=$(j .id)

# --- sendText
api POST /api/sendText '{"session":"s1","chatId":"6281234567890@c.us","text":"Halo"}'
is "$HTTP_STATUS" 201 "sendText: 201"
MID=$(j .id)
like "$MID" '^true_6281234567890@c\.us_[0-9A-F]{20}$' "message id true_<chatId>_<hex>"
is "$(j '[.fromMe, .ack, .ackName, .body, .from] | join(" ")')" \
    "true 1 SERVER Halo $ME" "the WAMessage fields"
api POST /api/sendText '{"session":"s1","chatId":"x@c.us"}'
is "$HTTP_STATUS" 400 "sendText without text: 400"

# --- groups, check-exists
api GET /api/s1/groups
is "$(j 'length')" 2 "two groups"
like "$(j '.[0].id')" '@g\.us$' "group ids end in @g.us"
api GET '/api/contacts/check-exists?phone=6281234567890&session=s1'
is "$(j '[.numberExists, .chatId] | join(" ")')" "true 6281234567890@c.us" \
    "check-exists: a number that exists"
api GET '/api/contacts/check-exists?phone=6281234567000&session=s1'
is "$(j .numberExists)" false "check-exists: one ending in 000 does not"

# --- webhooks
wait_for 5 sink_has 1 '.ev.event == "message.ack" and .ev.payload.ack == 3'
ok $? "message.ack READ arrives"
is "$(sink '[.[] | .body | fromjson | select(.event == "message.ack") | .payload | select(.id == "'"$MID"'") | .ackName] | join(",")')" \
    DEVICE,READ "acks DEVICE then READ for the sent id"
is "$(sink '[.[] | .body | fromjson | select(.event == "session.status") | .payload.status] | join(",")')" \
    STARTING,SCAN_QR_CODE,SCAN_QR_CODE,WORKING \
    "session.status on each change and on the QR rotation"
is "$(sink '[.[] | .body | fromjson | select(.event == "message.any")] | length')" 0 \
    "events not subscribed are not sent"
E=$(sink '.[-1].body | fromjson')
like "$(printf '%s' "$E" | jq -r .id)" '^evt_[0-9A-HJKMNP-TV-Z]{26}$' "event id evt_<ulid>"
is "$(printf '%s' "$E" | jq -r '[.session, .metadata.tenant, .me.id, .engine] | join(" ")')" \
    "s1 t1 $ME NOWEB" "envelope: session, metadata, me, engine"
like "$(printf '%s' "$E" | jq -r .timestamp)" '^[0-9]{13}$' "envelope timestamp in ms"
H=$(sink '.[-1].headers')
is "$(printf '%s' "$H" | jq -r '."x-webhook-hmac-algorithm"')" sha512 \
    "X-Webhook-Hmac-Algorithm: sha512"
like "$(printf '%s' "$H" | jq -r '."x-webhook-request-id"')" '^[0-9A-Z]{26}$' \
    "X-Webhook-Request-Id"
like "$(printf '%s' "$H" | jq -r '."x-webhook-timestamp"')" '^[0-9]{13}$' \
    "X-Webhook-Timestamp in ms"
is "$(printf '%s' "$H" | jq -r '."x-custom"')" c1 "customHeaders are sent"
N=$(sink length)
bad=0
for i in $(seq 0 $((N - 1))); do
	sink ".[$i].body" | head -c -1 >"$STACK_DIR/body"
	want=$(openssl dgst -sha512 -hmac "$HMAC_KEY" -r "$STACK_DIR/body" | cut -d' ' -f1)
	got=$(sink ".[$i].headers.\"x-webhook-hmac\"")
	[ "$got" = "$want" ] || bad=$((bad + 1))
done
cmp_ok "$N" -ge 6 "the sink got every delivery ($N)"
is "$bad" 0 "X-Webhook-Hmac = openssl HMAC-SHA512 of the raw body, every time"

# --- inbound
ctl POST /_sim/sessions/s1/inbound '{"from":"628999","text":"Apa kabar"}'
is "$HTTP_STATUS" 200 "inbound: 200"
IID=$(j .id)
like "$IID" '^false_628999@c\.us_' "inbound id false_<from>_<hex>"
wait_for 5 sink_has 1 '.ev.event == "message" and .ev.payload.id == "'"$IID"'"'
ok $? "the inbound message arrives as a message webhook"
is "$(sink '[.[] | .body | fromjson | select(.event == "message")][-1].payload | [.from, .to, .body, .fromMe] | join(" ")')" \
    "628999@c.us $ME Apa kabar false" "message payload fields"

# --- faults
ctl POST /_sim/faults '{"send":"5xx","count":2}'
is "$(j .count)" 2 "faults armed"
SEND='{"session":"s1","chatId":"6281234567890@c.us","text":"f"}'
api POST /api/sendText "$SEND"; s1=$HTTP_STATUS
api POST /api/sendText "$SEND"; s2=$HTTP_STATUS
api POST /api/sendText "$SEND"; s3=$HTTP_STATUS
is "$s1 $s2 $s3" "500 500 201" "5xx for count sends, then success"
ctl POST /_sim/faults '{"send":"429","count":1,"retry_after":7}'
api POST /api/sendText "$SEND"
is "$HTTP_STATUS" 429 "429 fault"
is "$(header Retry-After)" 7 "429 carries Retry-After"
ctl POST /_sim/faults '{"send":"4xx","every":3}'
is "$(j .every)" 3 "a fault on every Nth send armed"
codes=
for i in 1 2 3 4 5 6 7; do
	api POST /api/sendText '{"session":"s1","chatId":"6281234567890@c.us","text":"e"}'
	codes="$codes $HTTP_STATUS"
done
is "$codes" " 201 201 400 201 201 400 201" "every: the 3rd and 6th sends fail, count ignored"
ctl POST /_sim/faults '{"send":"4xx","every":-1}'
is "$HTTP_STATUS" 400 "a negative every: 400"
ctl POST /_sim/faults '{"send":"ok"}'
is "$(j .every)" 0 "ok clears every"
ctl POST /_sim/faults '{"send":"timeout","count":1,"delay_ms":1500}'
t0=$(date +%s%N)
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "X-Api-Key: $KEY" \
    --data-binary "$SEND" "$BASE_URL/api/sendText")
t1=$(date +%s%N)
is "$code" 000 "timeout fault: no answer at all"
cmp_ok $(((t1 - t0) / 1000000)) -ge 1400 "the connection hangs delay_ms before closing"
ctl POST /_sim/faults '{"send":"ok","count":1,"delay_ms":800}'
t0=$(date +%s%N)
api POST /api/sendText "$SEND"
t1=$(date +%s%N)
is "$HTTP_STATUS" 201 "slow send succeeds"
SLOW=$(j .id)
cmp_ok $(((t1 - t0) / 1000000)) -ge 700 "slow send takes delay_ms"
ctl POST /_sim/faults '{"send":"bogus"}'
is "$HTTP_STATUS" 400 "an unknown fault: 400"

# --- webhook retries
# The slow send's acks first, so that the sink fault meets the next event.
wait_for 8 sink_has 1 '.ev.event == "message.ack" and .ev.payload.id == "'"$SLOW"'" and .ev.payload.ack == 3'
ok $? "the slow send's acks arrive"
ctl POST /_sim/faults '{"sink":"5xx","sink_count":1}'
n0=$(sink length)
ctl POST /_sim/sessions/s1/disconnect
is "$(j .status)" FAILED "disconnect: FAILED"
wait_for 8 sink_has 1 '.ev.payload.status == "FAILED" and .status == 200'
ok $? "a webhook answered 500 is retried"
is "$(sink '[.['"$n0"':][] | select((.body | fromjson).payload.status == "FAILED") | .status] | join(",")')" \
    500,200 "first attempt 500, second 200"
is "$(sink '[.['"$n0"':][] | select((.body | fromjson).payload.status == "FAILED") | .headers."x-webhook-request-id"] | unique | length')" \
    1 "a retry keeps its X-Webhook-Request-Id"

# --- state machine
api POST /api/sessions/s1/start
is "$(j .status)" WORKING "start after FAILED: paired, so WORKING"
api POST /api/sessions/s1/start
is "$HTTP_STATUS $(j .status)" "201 WORKING" "start is idempotent"
api POST /api/sessions/s1/logout
is "$(j '[.status, (.me | tostring)] | join(" ")')" "SCAN_QR_CODE null" \
    "logout: a new QR is needed"
api POST /api/sessions/s1/stop
is "$(j .status)" STOPPED "stop"
api POST /api/sessions/s1/stop
is "$HTTP_STATUS $(j .status)" "201 STOPPED" "stop is idempotent"
api POST /api/sessions/s1/restart
is "$(j .status)" SCAN_QR_CODE "restart"
ctl POST /_sim/sessions/s1/disconnect '{"status":"STOPPED"}'
is "$(j .status)" STOPPED "disconnect to STOPPED"
api PUT /api/sessions/s2 '{"config":{"metadata":{"k":"v"}}}'
is "$HTTP_STATUS $(j .config.metadata.k)" "200 v" "PUT replaces the config"
api DELETE /api/sessions/s2
is "$HTTP_STATUS" 200 "DELETE"
api DELETE /api/sessions/s2
is "$HTTP_STATUS" 200 "DELETE is idempotent"
api GET /api/sessions/s2
is "$HTTP_STATUS" 404 "a deleted session is gone"

# --- log
ctl GET /_sim/log
is "$(j '[.[] | select(.path == "/api/sendText" and .text == "f") | .status] | join(",")')" \
    500,500,201,429,0,201 "the log has every send with its answer (0 = none)"
is "$(j '[.[] | select(.status == 401)] | length')" 2 "unauthorized calls are logged"
is "$(j '[.[] | select(.path == "/api/sendText")][1] | [.session, .chatId, .text] | join(" ")')" \
    "s1 6281234567890@c.us Halo" "log entries carry session, chatId and text"

# --- reset
ctl POST /_sim/reset
api GET '/api/sessions?all=true'
is "$(j length)" 0 "reset forgets the sessions"
ctl GET /_sim/log
is "$(j length)" 1 "reset clears the log (only the list call since)"

# --- auto-scan (-a)
sim_start -a 1
ok $? "a second simulator with -a 1 starts"
PORT2=$SIM_PORT
SIM2_PID=$SIM_PID
BASE_URL=http://127.0.0.1:$PORT2
api POST /api/sessions '{"name":"demo"}'
is "$(j .status)" SCAN_QR_CODE "auto-scan: first SCAN_QR_CODE"
auto_working()
{
	api GET /api/sessions/demo
	[ "$(j .status)" = WORKING ]
}
wait_for 5 auto_working
ok $? "auto-scan: WORKING after -a seconds"

# --- clean stop, also with a send hanging in a timeout fault
ctl POST /_sim/faults '{"send":"timeout","count":1,"delay_ms":60000}'
api POST /api/sessions/demo/start
curl -s -o /dev/null --max-time 30 -H "X-Api-Key: $KEY" --data-binary \
    '{"session":"demo","chatId":"1@c.us","text":"t"}' "$BASE_URL/api/sendText" &
CURL_PID=$!
sleep 0.3
for p in "$MAIN_PID" "$SIM2_PID"; do
	t0=$(date +%s)
	kill -TERM "$p"
	wait "$p"
	rc=$?
	t1=$(date +%s)
	is "$rc" 0 "SIGTERM: exit status 0 (pid $p)"
	cmp_ok $((t1 - t0)) -le 5 "SIGTERM: stops within 5 s"
done
wait "$CURL_PID"
SIM_PIDS=
found=
for f in "$STACK_DIR"/san/*; do
	[ -f "$f" ] || continue
	found=1
	diag_file "$f" 40
done
ok "$([ -z "$found" ]; echo $?)" "no sanitizer report"
if [ "$TAP_FAILED" -gt 0 ]; then
	for f in "$STACK_DIR"/sim-*.err; do
		diag_file "$f" 20
	done
fi
done_testing
