#!/bin/sh
# 0211-gwsim-lookup.t: waportal-gwsim answers WAHA's message lookup (GET /api/{session}/chats/{chatId}/messages/{messageId}) from its record of what it sent, with the ack its webhooks report (SERVER, DEVICE, READ; the "unread" fault stops at DEVICE), WAHA's 404 for an id it does not know, the usual 401/404/422, a "lookup" fault, hostile ids; and -R caps the tries of a webhook.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

SIM=${top_builddir:?}/src/waportal-gwsim
[ -x "$SIM" ] || skip_all "$SIM not built"
for t in jq curl; do
	command -v "$t" >/dev/null || skip_all "$t not installed"
done

STACK_DIR=$(mktemp -d /tmp/gwsim-t.XXXXXX)
mkdir -p "$STACK_DIR/san"
KEY=lookup-test-key
SIM_PIDS=

# sim_start ARGS...: a simulator on a free port (SIM_URL), as t/0200.
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
			SIM_URL=http://127.0.0.1:$port
			BASE_URL=$SIM_URL
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

api() {
	local m=$1 p=$2
	shift 2
	http "$m" "$p" -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' \
	    ${1:+--data-binary "$1"}
}
ctl() {
	local m=$1 p=$2
	shift 2
	http "$m" "$p" -H 'Content-Type: application/json' ${1:+--data-binary "$1"}
}
j() { printf '%s' "$HTTP_BODY" | jq -r "$1"; }
# send SESSION TO: sendText; prints the message id.
send() {
	api POST /api/sendText '{"session":"'"$1"'","chatId":"'"$2"'@c.us","text":"Halo <b>"}'
	j .id
}
get() { api GET "/api/$1/chats/$2/messages/$3${4:-}"; }

# --- acks at once (-d 0): READ, or DEVICE for an unread message
sim_start -d 0 -q 0
ok $? "a simulator with immediate acks"
ctl POST /_sim/sessions '{"prefix":"s","count":2}'
is "$(j .created)" 2 "two linked sessions"
ctl POST /_sim/faults '{"unread":1}'
is "$(j .unread)" 1 "the next send is never read"
u=$(send s1 6281234567001)
r=$(send s1 6281234567002)
other=$(send s2 6281234567003)
get s1 6281234567002@c.us "$r" '?downloadMedia=false'
is "$HTTP_STATUS" 200 "a message the session sent: 200"
is "$(j '[.id, .fromMe, .to, .body, .ack, .ackName, (.timestamp | type)] | map(tostring) | join(" ")')" \
    "$r true 6281234567002@c.us Halo <b> 3 READ number" "... a WAMessage with its ack: READ"
get s1 6281234567001@c.us "$u"
is "$(j '.ack, .ackName' | tr '\n' ' ')" "2 DEVICE " "an unread message: DEVICE"
enc=$(jq -rn --arg s "$r" '$s | @uri')
get s1 6281234567002%40c.us "$enc"
is "$HTTP_STATUS $(j .id)" "200 $r" "'@' sent as %40 in both chat and message id"
get s1 all "$r"
is "$HTTP_STATUS $(j .ack)" "200 3" "chatId 'all' finds it too (NOWEB, GOWS)"
get s1 6281234567009@c.us "$r"
is "$HTTP_STATUS" 404 "the id in another chat: 404"
is "$(j '[.statusCode, .message, .error] | map(tostring) | join("|")')" "404|Message not found|Not Found" \
    "... WAHA's body"
get s1 6281234567003@c.us "$other"
is "$HTTP_STATUS" 404 "another session's message: 404"
get s1 6281234567002@c.us true_6281234567002@c.us_0000000000000000BEEF
is "$HTTP_STATUS" 404 "an id never sent: 404"
get nope 6281234567002@c.us "$r"
is "$HTTP_STATUS" 404 "an unknown session: 404"
http GET "/api/s1/chats/6281234567002@c.us/messages/$r"
is "$HTTP_STATUS" 401 "no X-Api-Key: 401"
for bad in "x'%20OR%201=1--" '%3Cscript%3Ealert(1)%3C%2Fscript%3E' "$(head -c 3000 /dev/zero | tr '\0' A)" '%00' '..%2F..%2Fapi%2Fsessions'; do
	get s1 6281234567002@c.us "$bad"
	like "$HTTP_STATUS" '^(400|404)$' "a hostile id (${bad:0:24}...): $HTTP_STATUS, nothing found"
done
ctl POST /_sim/faults '{"lookup":"5xx","lookup_count":1}'
is "$(j '.lookup + " " + (.lookup_count | tostring)')" "5xx 1" "a lookup fault is armed"
get s1 6281234567002@c.us "$r"
is "$HTTP_STATUS" 500 "... the next lookup gets a 500"
get s1 6281234567002@c.us "$r"
is "$HTTP_STATUS" 200 "... the one after it a 200"
for body in '{"lookup":"timeout"}' '{"lookup":"x"}' '{"unread":-2}' '{}'; do
	ctl POST /_sim/faults "$body"
	is "$HTTP_STATUS" 400 "faults $body: 400"
done
ctl POST /_sim/sessions/s1/disconnect '{"status":"STOPPED"}'
get s1 6281234567002@c.us "$r"
is "$HTTP_STATUS" 422 "a session not WORKING: 422"
ctl POST /_sim/reset
api POST /api/sessions '{"name":"s1"}'
ctl POST /_sim/sessions/s1/scan
get s1 6281234567002@c.us "$r"
is "$HTTP_STATUS" 404 "after a reset the simulator knows none of its messages"

# --- no acks (-d -1): SERVER for good
sim_start -d -1 -q 0
ctl POST /_sim/sessions '{"prefix":"s","count":1}'
m=$(send s1 6281234567001)
get s1 6281234567001@c.us "$m"
is "$(j '.ack, .ackName' | tr '\n' ' ')" "1 SERVER " "without acks a message stays SERVER"

# --- -R 2: a webhook is tried twice, whatever its retries ask
sim_start -R 2 -q 0
SINK=$SIM_URL/_sim/webhook-sink
ctl POST /_sim/sessions '{"prefix":"h","count":1,"config":{"webhooks":[{"url":"'"$SINK"'","events":["message"],"retries":{"policy":"constant","delaySeconds":0,"attempts":15}}]}}'
ctl POST /_sim/faults '{"sink":"5xx","sink_count":3}'
ctl POST /_sim/sessions/h1/inbound '{"from":"6281111111111","text":"one"}'
first=$(j .id)
ctl POST /_sim/sessions/h1/inbound '{"from":"6281111111112","text":"two"}'
second=$(j .id)
sink_count() {
	curl -s "$SINK" | jq --arg id "$1" '[.[] | select(.body | fromjson | .payload.id == $id)] | length'
}
wait_for 20 eval '[ "$(sink_count "$second")" -ge 2 ]'
ok $? "the second message's webhook arrives (its first try failed, the second got through)"
is "$(sink_count "$first")" 2 "the first was tried twice (-R 2), not 15 times, then dropped"

cleanup_sims() {
	local p
	for p in $SIM_PIDS; do
		kill -TERM "$p" 2>/dev/null
		wait "$p" 2>/dev/null
		is "$?" 0 "SIGTERM: exit status 0 (pid $p)"
	done
	SIM_PIDS=
}
cleanup_sims
found=
for f in "$STACK_DIR"/san/*; do
	[ -f "$f" ] || continue
	found=1
	diag_file "$f" 40
done
ok "$([ -z "$found" ]; echo $?)" "no sanitizer report"
done_testing
