#!/bin/sh
# 0201-gw-waha.t: the WAHA driver (src/gw/gw_waha.c) against waportal-gwsim: sessions, QR, pairing, sends, faults.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

SIM=${top_builddir:?}/src/waportal-gwsim
GW=$top_builddir/t/gwcall
[ -x "$SIM" ] && [ -x "$GW" ] || skip_all "simulator or gwcall not built"
STACK_DIR=$(mktemp -d /tmp/gw-waha-t.XXXXXX)
KEY=driver-test-key
trap 'kill -TERM $GWSIM_PID 2>/dev/null; wait $GWSIM_PID 2>/dev/null; rm -rf "$STACK_DIR"' EXIT
stack_gwsim_start "$KEY" -d 50 || bail_out "simulator did not start"
BASE_URL=$GWSIM_URL
port=${GWSIM_URL##*:}

# gw OP SESSION [ARG...]: run the driver; OUT holds what it printed.
gw() { OUT=$("$GW" waha "$BASE_URL" "$KEY" "$@" 2>&1); GW_RC=$?; }
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$OUT" | head -1; }
ctl() { curl -s -X POST -H 'Content-Type: application/json' ${2:+--data-binary "$2"} "$BASE_URL/_sim/$1" >/dev/null; }

export GWCALL_HOOK_URL=http://127.0.0.1:$port/_sim/webhook-sink GWCALL_HOOK_SECRET=0123456789abcdef0123456789abcdef
gw create wa_1
is "$GW_RC" 0 "create a session"
is "$(field status)" qr_required "... it waits for a QR scan"
gw create wa_1
is "$GW_RC" 1 "creating it twice fails"
is "$(field http)" 422 "... with WAHA's 422"
is "$(field transient)" 0 "... as a permanent failure"
gw qr wa_1
is "$GW_RC" 0 "raw QR value"
like "$(field value)" '^.{20,}$' "... a long string to encode"
gw pairing wa_1 +6281234567890
is "$GW_RC" 0 "pairing code"
like "$(field value)" '^[A-Z0-9]{4}-[A-Z0-9]{4}$' "... in WAHA's ABCD-EFGH form"
# The driver asked for signed webhooks: the sink got session.status
# events for wa_1, signed with our secret over the exact body.
wait_for 5 eval '[ "$(curl -s "$BASE_URL/_sim/webhook-sink" | jq length)" -gt 0 ]'
sinkj=$(curl -s "$BASE_URL/_sim/webhook-sink")
is "$(jq -r '.[0].headers["x-webhook-hmac-algorithm"]' <<<"$sinkj")" sha512 "webhooks are signed with HMAC-SHA512"
jq -j '.[0].body' <<<"$sinkj" >"$STACK_DIR/body"
want=$(openssl dgst -sha512 -hmac "$GWCALL_HOOK_SECRET" -r "$STACK_DIR/body" | cut -d' ' -f1)
is "$(jq -r '.[0].headers["x-webhook-hmac"]' <<<"$sinkj")" "$want" "... with the secret the driver configured"
is "$(jq -r '.[0].body | fromjson | .session + " " + .event' <<<"$sinkj")" "wa_1 session.status" "... about wa_1's status"
is "$(curl -s -H "X-Api-Key: $KEY" "$BASE_URL/api/sessions/wa_1" | jq -c '.config.webhooks[0].retries')" \
    '{"policy":"exponential","delaySeconds":2,"attempts":15}' \
    "... and asked the gateway to retry an event for hours (exponential from 2 s, 15 attempts)"
is "$(curl -s -H "X-Api-Key: $KEY" "$BASE_URL/api/sessions/wa_1" | jq -c '.config.noweb')" \
    '{"store":{"enabled":true,"fullSync":false}}' \
    "... and the NOWEB store on, so its sent messages can be looked up"

ctl sessions/wa_1/scan
gw status wa_1
is "$(field status)" connected "after the scan: connected"
like "$(field phone)" '^\+[0-9]{8,15}$' "... with the linked number in E.164"
gw qr wa_1
is "$GW_RC" 1 "no QR once connected"

gw send wa_1 +6281111111111 'Halo dari waportal'
is "$GW_RC" 0 "sendText"
like "$(field value)" '^true_6281111111111@c.us_[0-9A-Za-z]+$' "... returns WAHA's message id"
gw send wa_1 0811 'x'
is "$GW_RC" 1 "a non-E.164 recipient is refused"

gw exists wa_1 +6281234567890
is "$GW_RC $(field exists) $(field value)" "0 1 6281234567890@c.us" "check-exists: a number on WhatsApp, with its chat id"
gw exists wa_1 +6281234567000
is "$GW_RC $(field exists) $(field value)" "0 0 " "... and one that is not (the simulator: numbers ending in 000)"
is "$(curl -s "$BASE_URL/_sim/log" | jq -r '[.[] | select(.path == "/api/contacts/check-exists")][0] | .method + " " + .session')" \
    "GET wa_1" "... asked as WAHA's GET /api/contacts/check-exists?phone=&session="
gw exists wa_1 0811
is "$GW_RC" 1 "... a non-E.164 number is refused before any call"
gw exists nosuch +6281234567890
is "$GW_RC $(field http)" "1 404" "... through a session the gateway does not have: its 404"

ctl faults '{"send":"5xx","count":1}'
gw send wa_1 +6281111111111 'retry me'
is "$(field http)" 500 "a 5xx from the gateway"
is "$(field transient)" 1 "... is transient"
ctl faults '{"send":"429","count":1,"retry_after":7}'
gw send wa_1 +6281111111111 'slow down'
is "$(field http)" 429 "a 429"
is "$(field transient)" 1 "... is transient"
is "$(field retry_after)" 7 "... and Retry-After is kept"
ctl faults '{"send":"timeout","count":1}'
t0=$(date +%s%N)
OUT=$(GWCALL_TIMEOUT_MS=500 "$GW" waha "$BASE_URL" "$KEY" send wa_1 +6281111111111 'hang' 2>&1)
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "$(field http)" 0 "a gateway that hangs: no answer"
is "$(field transient)" 1 "... transient"
cmp_ok "$ms" -lt 3000 "... and the call gave up on its timeout (${ms} ms)"

OUT=$("$GW" waha "$BASE_URL" wrong-key status wa_1 2>&1)
is "$(field http)" 401 "a wrong API key: 401"
is "$(field transient)" 0 "... permanent"
unlike "$OUT" "$KEY" "the key is never printed"

gw logout wa_1
is "$GW_RC" 0 "logout"
gw restart wa_1
is "$GW_RC" 0 "restart"
gw delete wa_1
is "$GW_RC" 0 "delete"
gw status wa_1
is "$(field http)" 404 "a deleted session is gone"

OUT=$(GWCALL_TIMEOUT_MS=1000 "$GW" waha "http://127.0.0.1:$(stack_free_port)" "$KEY" status x 2>&1)
is "$(field http)" 0 "a host that is down: no answer"
like "$OUT" 'gateway unreachable' "... said plainly"

done_testing
