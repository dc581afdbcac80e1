#!/bin/sh
# 0126-live.t: the live JSON of the QR and Hosts pages and of the message lists (shape, scoping, no secrets), the QR it carries, a message watched from queued to read, the noscript refresh, the hosts map.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
command -v jq >/dev/null || skip_all "jq is not installed (./dev test installs it)"
# The dispatcher starts later, to send a message the lists watch.
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=1 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0"
stack_start --workers 2
KEY=live-test-key
SECRET=0123456789abcdef0123456789abcdef-live
stack_gwsim_start "$KEY" -q 0 || bail_out "simulator did not start"
PW=$STACK_PW

stack_customers 2 10 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE users SET language = 'id' WHERE id = 2" >/dev/null
stack_host demo base_url="$GWSIM_URL" api_key="$KEY" webhook_secret="$SECRET" city=Jakarta country=ID \
    latitude=-6.2088 longitude=106.8456 status=up latency_ms=7 checked_at=now >/dev/null
stack_host sby-1 base_url=http://127.0.0.1:1 api_key=api-key-sby webhook_secret="$SECRET" \
    'city=Surabaya <script>x</script>' country=ID latitude=-7.2575 longitude=112.7521 capacity=3 \
    status=degraded latency_ms=80 checked_at=now >/dev/null
stack_host nowhere base_url=http://127.0.0.1:1 api_key=api-key-nowhere webhook_secret="$SECRET" \
    city=Atlantis country= capacity=4 status=unknown >/dev/null
stack_host off-1 base_url=http://127.0.0.1:1 api_key=api-key-off webhook_secret="$SECRET" city=Medan country=ID \
    latitude=3.5952 longitude=98.6722 capacity=4 status=down checked_at=now >/dev/null
sql "UPDATE hosts SET enabled = false WHERE name = 'off-1'" >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES (2, 2, 'wa_other', 'Other', 'qr_required')" >/dev/null
other=$(sql "SELECT id FROM instances WHERE session = 'wa_other'")

jar=$STACK_DIR/jar
jar2=$STACK_DIR/jar2
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$PW"
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$PW"
http GET /whatsapp -b "$jar"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//')
http POST /whatsapp/instances -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode 'name=Sales' --data-urlencode host=1
loc=$(header Location)
iid=${loc##*/}
session=$(sql "SELECT session FROM instances WHERE id = $iid")
like "$iid" '^[0-9]+$' "a number to link was created on the simulator"
live=/whatsapp/instances/$iid/live.json

# ---------------------------------------------------------------- signed out, scoping, methods
for p in "$live" /hosts/live.json; do
	http GET "$p"
	is "$HTTP_STATUS" 401 "signed out: $p answers 401"
	like "$(header Content-Type)" '^application/problem\+json' "... as problem+json, not a sign-in page"
	is "$(header Location)" "" "... and not a redirect"
done
http GET "/whatsapp/instances/$other/live.json" -b "$jar"
is "$HTTP_STATUS" 404 "another customer's instance: 404"
like "$(header Content-Type)" '^application/problem\+json' "... as problem+json"
unlike "$HTTP_BODY" 'wa_other|Other|qr_required' "... telling nothing about it"
http GET /whatsapp/instances/999999/live.json -b "$jar"
is "$HTTP_STATUS" 404 "an unknown instance: 404"
http POST "$live" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 405 "POST to live.json: 405"
is "$(header Allow)" "GET, HEAD" "... Allow: GET, HEAD"
like "$(header Content-Type)" '^application/problem\+json' "... as problem+json"

# ---------------------------------------------------------------- the instance while linking
http GET "$live" -b "$jar"
is "$HTTP_STATUS" 200 "GET live.json: 200"
like "$(header Content-Type)" '^application/json' "... JSON"
is "$(header Cache-Control)" no-store "... exactly one Cache-Control: no-store"
is "$(jq -r '[.id, .status, .status_word, .linking, .refresh] | @tsv' <<<"$HTTP_BODY")" \
    "$iid	qr_required	QR required	true	3" "... id, status and its words, linking, poll every 3 s"
like "$(jq -r .status_changed_at <<<"$HTTP_BODY")" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "... when the status changed (ISO 8601, UTC)"
is "$(jq -r 'keys | join(",")' <<<"$HTTP_BODY")" \
    "id,linking,phone,push_name,qr_svg,refresh,status,status_changed_at,status_word" "... and nothing else"
like "$(jq -r .qr_svg <<<"$HTTP_BODY")" '^<svg class="qr" [^<]*><title>Scan this code with WhatsApp</title><rect [^<]*/><path fill="#000" d="[0-9Mhvz -]+"/></svg>$' \
    "... the QR as qr.c's SVG: a title and numbers only"
unlike "$HTTP_BODY" "$KEY|$SECRET|$session|127\.0\.0\.1|$GWSIM_URL|base_url" "... no key, secret, session name or gateway URL"

value=$(curl -s -X POST "$GWSIM_URL/_sim/sessions/$session/rotate-qr" | jq -r .value)
like "$value" '^2@' "the gateway's QR rotated"
http GET "$live" -b "$jar"
if command -v rsvg-convert >/dev/null && command -v zbarimg >/dev/null; then
	jq -r .qr_svg <<<"$HTTP_BODY" >"$STACK_DIR/qr.svg"
	rsvg-convert -w 600 -b white "$STACK_DIR/qr.svg" >"$STACK_DIR/qr.png" 2>/dev/null
	is "$(zbarimg -q --raw "$STACK_DIR/qr.png" 2>/dev/null)" "$value" "the QR in live.json scans to the gateway's current value"
else
	ok 0 "# SKIP rsvg-convert or zbarimg missing"
fi
unlike "$HTTP_BODY" "$(sed 's/[+.*?^$()|[\\]/\\&/g' <<<"$value")" "... which is never in the JSON as text"

http GET "$loc" -b "$jar"
page_linking=$HTTP_BODY
like "$HTTP_BODY" '<noscript><meta http-equiv="refresh" content="5"></noscript>' "the QR page while linking: a meta refresh inside <noscript>"
is "$(grep -c 'http-equiv="refresh"' <<<"$HTTP_BODY")" 1 "... only there"
like "$HTTP_BODY" "data-live-instance=\"/whatsapp/instances/$iid/live.json\" data-live-every=\"3\"" "... the script's hook: live.json every 3 s"
like "$HTTP_BODY" "<a class=\"button button--secondary\" href=\"/whatsapp/instances/$iid\" data-live-show=\"linking\">Refresh</a>" "... a visible Refresh link"
like "$HTTP_BODY" '<section class="card" aria-labelledby="linked-title" data-live-show="connected" hidden>' "... the linked card waiting, hidden"

# The pairing-code answer keeps the script polling but drops the reload.
http POST "$loc/pairing-code" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode 'phone=0812-3456-7890'
like "$HTTP_BODY" 'class="pairing-code"' "a pairing code shown"
unlike "$HTTP_BODY" 'http-equiv="refresh"' "... with no reload that would lose it"
like "$HTTP_BODY" 'data-live-instance=' "... while the script still watches for the link"

# ---------------------------------------------------------------- the scan: connected
curl -s -X POST "$GWSIM_URL/_sim/sessions/$session/scan" >/dev/null
wait_for 10 eval '[ "$(sql "SELECT status FROM instances WHERE id = $iid")" = connected ]'
http GET "$live" -b "$jar"
json_connected=$HTTP_BODY
is "$(jq -r '[.status, .status_word, .linking] | @tsv' <<<"$HTTP_BODY")" "connected	connected	false" "after the scan: live.json says connected, no longer linking"
like "$(jq -r .phone <<<"$HTTP_BODY")" '^\+[0-9]{8,15}$' "... with the linked number"
like "$(jq -r .push_name <<<"$HTTP_BODY")" '^Sim ' "... and the push name"
is "$(jq -r '[has("qr_svg"), has("refresh"), has("qr_error")] | @tsv' <<<"$HTTP_BODY")" "false	false	false" "... no QR, no polling asked"
http GET "$loc" -b "$jar"
unlike "$HTTP_BODY" 'http-equiv="refresh"|data-live-instance' "the page once connected: no noscript refresh, no polling hook"

sql "UPDATE instances SET status = 'qr_required' WHERE id = $iid" >/dev/null
http GET "$live" -b "$jar2"
is "$HTTP_STATUS" 404 "the other customer asking for this one: 404"
http GET "/whatsapp/instances/$other/live.json" -b "$jar2"
is "$(jq -r '[.status, .status_word] | @tsv' <<<"$HTTP_BODY")" "qr_required	Perlu QR" "its owner gets it, in the owner's language"
is "$(jq -r '[has("qr_svg"), .qr_error] | @tsv' <<<"$HTTP_BODY")" "false	true" "... a host that does not answer: qr_error, no QR"
sql "UPDATE instances SET status = 'connected' WHERE id = $iid" >/dev/null

# ---------------------------------------------------------------- hosts JSON
http GET /hosts/live.json -b "$jar"
is "$HTTP_STATUS" 200 "GET /hosts/live.json: 200"
is "$(header Cache-Control)" no-store "... exactly one Cache-Control: no-store"
hosts_json=$HTTP_BODY
is "$(jq -r '.refresh' <<<"$HTTP_BODY")" 15 "... poll every 15 s"
is "$(jq -r '[.hosts[].id] | sort | map(tostring) | join(",")' <<<"$HTTP_BODY")" "1,2,3" "... the enabled hosts only"
is "$(jq -r '[.hosts[] | keys | join(",")] | unique | join(" ")' <<<"$HTTP_BODY")" \
    "badge,capacity,checked_at,checked_at_text,free,full,id,latency_ms,latency_text,status,status_word,used" "... each with its figures only"
is "$(jq -r '.hosts[] | select(.id == 1) | [.used, .capacity, .free, .full, .status, .status_word, .latency_ms, .latency_text] | @tsv' <<<"$HTTP_BODY")" \
    "1	10	9	false	up	up	7	7 ms" "... demo: 1 of 10 used, up, 7 ms"
is "$(jq -r '.hosts[] | select(.id == 3) | [.status, .latency_ms, .checked_at, .latency_text] | @tsv' <<<"$HTTP_BODY")" \
    "unknown			—" "... nowhere: not checked, no latency"
like "$(jq -r '.hosts[] | select(.id == 1) | .checked_at' <<<"$HTTP_BODY")" '^20[0-9-]{8}T[0-9:]{8}Z$' "... checked_at in ISO 8601"
unlike "$HTTP_BODY" "$KEY|$SECRET|api-key|127\.0\.0\.1|https?:|base_url|webhook|Atlantis|demo|sby-1" "... no URL, key, secret, nor even names"
http GET /hosts/live.json -b "$jar2"
is "$(jq -r '.hosts[] | select(.id == 1) | .status_word' <<<"$HTTP_BODY")" aktif "... in the customer's language"

# ---------------------------------------------------------------- the hosts page and its map
http GET /hosts -b "$jar"
page_hosts=$HTTP_BODY
body=$(tr -d '\n' <<<"$HTTP_BODY")
like "$body" '<svg class="host-map__svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 [0-9]+" role="img" aria-labelledby="host-map-title host-map-desc">' "the hosts page has a map, an image with a title and description"
is "$(grep -o '<g class="host-map__host [^>]*>' <<<"$body" | wc -l)" 2 "... one marker per enabled host with a location"
is "$(grep -o '<g class="host-map__host [^>]*data-host-id="[0-9]*"' <<<"$body" | grep -o 'data-host-id="[0-9]*"' | tr -d 'a-z="-' | sort | tr '\n' ,)" "1,2," "... demo and sby-1, not nowhere (no location) nor off-1 (disabled)"
like "$body" '<g class="host-map__host host-map__host--up" data-host-id="1" data-label="demo · Jakarta, Indonesia" transform="translate\([0-9.]+ [0-9.]+\)"><title>demo · Jakarta, Indonesia: up</title><use href="#map-mk-up"/></g>' "... demo: its shape and words by health, where and what it is"
like "$body" 'host-map__host--degraded" data-host-id="2"[^>]*><title>sby-1 · Surabaya &lt;script&gt;x&lt;/script&gt;, Indonesia: degraded</title>' "... sby-1: degraded, the city escaped in its title"
like "$body" '<text x="[0-9.]+" y="[0-9.]+"( text-anchor="end")?>Surabaya &lt;script&gt;x&lt;/script&gt;</text>' "... and in its label"
unlike "$body" '<script>x' "... never raw"
like "$body" '<desc id="host-map-desc">2 of 3 hosts are on the map' "... the description says how many are on it"
like "$body" '<ul class="host-map__legend" aria-label="Legend">.*#map-mk-up.*>up</li>.*#map-mk-degraded.*>degraded</li>.*#map-mk-down.*>down</li>.*#map-mk-unknown.*>not checked yet</li>' "... a legend: each shape with its word"
like "$body" '<g class="host-map__land" clip-path="url\(#host-map-clip\)" aria-hidden="true">\s*(<path d="(M[-0-9. L]+Z)+"/>)+\s*</g>' "... land under the hosts, its paths numbers and M, L, Z only"
cmp_ok "$(grep -o '<path d="M' <<<"$body" | wc -l)" -ge 2 "... several paths (Java, Sumatra...)"
like "$body" '<line class="host-map__line" x1="[0-9.]+" y1="[0-9.]+" x2="[0-9.]+" y2="[0-9.]+"/>\s*<text [^>]*>[0-9]+°S</text>' "... a graticule, labelled in degrees"
like "$body" 'data-live-hosts="/hosts/live.json" data-live-every="15"' "the page's hook for the script: every 15 s"
like "$body" '<a class="button button--secondary" href="/hosts">Refresh</a>' "... and a Refresh link without it"
like "$body" '<li class="card host" data-host-id="3">' "the list still has the host without a location"
like "$body" 'demo <span class="badge badge--connected">up</span>.*1 / 10' "... with its figures"
x1=$(grep -o 'data-host-id="1" [^>]*transform="translate([0-9.]*' <<<"$body" | sed 's/.*(//')
x2=$(grep -o 'data-host-id="2" [^>]*transform="translate([0-9.]*' <<<"$body" | sed 's/.*(//')
cmp_ok "${x1%.*}" -lt "${x2%.*}" "... Jakarta is drawn west of Surabaya"

sql "UPDATE hosts SET latitude = NULL, longitude = NULL" >/dev/null
http GET /hosts -b "$jar"
unlike "$HTTP_BODY" 'host-map' "no host with a location: no map"
like "$HTTP_BODY" 'data-host-id="1"' "... the list stays"

# ---------------------------------------------------------------- the message lists, live
# A message is queued on the linked number; the other customer has one
# waiting too, which customer 1 must never see.
sql "UPDATE instances SET status = 'connected' WHERE id = $iid" >/dev/null
http POST /whatsapp/queue -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "instance=$iid" \
    --data-urlencode 'recipient=0812-3456-7890' --data-urlencode 'text=Watch me <b>go</b>'
is "$HTTP_STATUS" 303 "a message queued from the Queue tab"
mid=$(sql "SELECT id FROM messages WHERE customer_id = 1")
sql "INSERT INTO messages (customer_id, instance_id, direction, status, peer, peer_phone, body)
     VALUES (2, $other, 'out', 'queued', '+6289990000', '+6289990000', 'SECRET-OTHER')" >/dev/null
oid=$(sql "SELECT id FROM messages WHERE customer_id = 2")
hook() { grep -o "data-live-msgs=\"[^\"]*\"" <<<"$HTTP_BODY" | sed 's/^data-live-msgs="//; s/"$//; s/&amp;/\&/g'; }

http GET /whatsapp/queue -b "$jar"
page_queue=$HTTP_BODY
like "$HTTP_BODY" "data-live-msgs=\"/whatsapp/queue/live.json\?ids=$mid&amp;since=$mid\" data-live-every=\"5\"" \
    "the Queue tab: the script's hook names the rows shown and the newest of them, every 5 s"
like "$HTTP_BODY" "<tr data-msg-id=\"$mid\">" "... each row carries its id"
like "$HTTP_BODY" '<span data-f="status" class="badge badge--queued">queued</span>' "... its badge is where the script writes"
like "$HTTP_BODY" '<p class="live-note" data-live-show="newer" hidden>Newer messages since this page was loaded: <span class="num" data-f="newer"></span> · <a href="/whatsapp/queue">show them</a></p>' \
    "... a note for newer rows waits, hidden, linking to the first page"
unlike "$HTTP_BODY" 'http-equiv="refresh"' "... no reload without the script, which would wipe out a message being typed in the form"
like "$HTTP_BODY" '<a class="button button--secondary" href="/whatsapp/queue">Refresh</a>' "... a Refresh link instead"
qlive=$(hook)

for p in "$qlive" /whatsapp/sent/live.json; do
	http GET "$p"
	is "$HTTP_STATUS" 401 "signed out: ${p%%\?*} answers 401"
	like "$(header Content-Type)" '^application/problem\+json' "... as problem+json, not a sign-in page"
done
http POST /whatsapp/sent/live.json -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 405 "POST to the Sent tab's live.json: 405"
is "$(header Allow)" "GET, HEAD" "... Allow: GET, HEAD"
for q in 'ids=abc' 'ids=0' 'ids=1,,2' 'ids=1,' "ids=$(seq -s, 1 51)" 'since=-1' 'since=01' 'status=sent'; do
	http GET "/whatsapp/queue/live.json?$q" -b "$jar"
	is "$HTTP_STATUS" 400 "the Queue's live.json with $q: 400"
done
http GET "/whatsapp/queue/live.json?ids=$(seq -s, 1 50)" -b "$jar"
is "$HTTP_STATUS" 200 "... a page's worth of ids (50): 200"

http GET "$qlive" -b "$jar"
is "$HTTP_STATUS" 200 "GET the Queue's live.json: 200"
like "$(header Content-Type)" '^application/json' "... JSON"
is "$(header Cache-Control)" no-store "... exactly one Cache-Control: no-store"
is "$(jq -r '[(keys | join(",")), .refresh, .moving, .newer, (.rows | length)] | @tsv' <<<"$HTTP_BODY")" \
    "moving,newer,refresh,rows	5	true	0	1" "... poll every 5 s, a row moves, no newer rows, one row"
is "$(jq -r '.rows[0] | keys | join(",")' <<<"$HTTP_BODY")" \
    "attempts,cancellable,cancelled_at,cancelled_text,created_at,created_text,delivered_at,delivered_text,error,failed_at,failed_text,id,moving,read_at,read_text,sent_at,sent_text,status,status_word" \
    "... each row: status, tries, reason, whether it can be cancelled or still moves, each step's time"
is "$(jq -r '.rows[0] | [.id, .status, .status_word, .cancellable, .moving, .sent_at, .sent_text] | @tsv' <<<"$HTTP_BODY")" \
    "$mid	queued	queued	true	true		" "... queued, cancellable, not sent yet (null)"
is "$(jq -r '.rows[0] | [.created_at, .created_text] | @tsv' <<<"$HTTP_BODY")" \
    "$(sql "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || E'\t' || to_char(created_at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD HH24:MI:SS') FROM messages WHERE id = $mid")" \
    "... when it was added: UTC, and to the second in the customer's zone"
unlike "$HTTP_BODY" 'Watch me|6281234567890|Sales|SECRET|instance' "... no text, no number, no instance: the page has them"
http GET "/whatsapp/queue/live.json?ids=$mid,$oid&since=0" -b "$jar"
is "$(jq -r '[.rows[].id] | map(tostring) | join(",")' <<<"$HTTP_BODY")" "$mid" "another customer's message id asked for: never in the rows"
is "$(jq -r .newer <<<"$HTTP_BODY")" 1 "... nor counted as newer (since=0: only customer 1's one)"
unlike "$HTTP_BODY" 'SECRET' "... nothing of it"
http GET "/whatsapp/queue/live.json?instance=$other&since=0" -b "$jar"
is "$(jq -r '[.newer, (.rows | length)] | @tsv' <<<"$HTTP_BODY")" "0	0" "... nor through its number as a filter"
http GET "/whatsapp/queue/live.json?ids=$oid,$mid&since=0" -b "$jar2"
is "$(jq -r '[([.rows[].id] | map(tostring) | join(",")), .newer, .moving] | @tsv' <<<"$HTTP_BODY")" "$oid	1	true" "its owner gets their own only"
http GET "/whatsapp/queue/live.json?status=queued&since=$mid" -b "$jar"
is "$(jq -r '[.newer, has("rows")] | @tsv' <<<"$HTTP_BODY")" "0	true" "nothing newer than the newest shown: newer 0"
http GET "/whatsapp/messages/$mid" -b "$jar"
like "$HTTP_BODY" "data-live-msgs=\"/whatsapp/queue/live.json\?ids=$mid\" data-live-every=\"5\"" "the message's page while queued: the script watches it through its tab's live.json"
like "$HTTP_BODY" '<noscript><meta http-equiv="refresh" content="10"></noscript>' "... and without the script the page reloads every 10 s"
like "$HTTP_BODY" "<section class=\"card msg-card\" aria-labelledby=\"msg-title\" data-msg-id=\"$mid\">" "... its card carries the id"

# The dispatcher sends it; the simulator's signed acks (webhooks) make it delivered, then read.
stack_dispatch_start || bail_out "waportal-dispatch did not start"
wait_for 15 eval '[ "$(sql "SELECT status FROM messages WHERE id = $mid")" = read ]'
ok $? "the message was sent, and the gateway's acks made it read"
http GET "$qlive" -b "$jar"
json_read=$HTTP_BODY
is "$(jq -r '.rows[0] | [.id, .status, .status_word, .cancellable, .moving] | @tsv' <<<"$HTTP_BODY")" \
    "$mid	read	read	false	false" "the Queue's live.json: the row it showed is read now, no longer cancellable or moving"
is "$(jq -r '[.moving, .newer] | @tsv' <<<"$HTTP_BODY")" "false	0" "... nothing moves, nothing newer on the Queue"
is "$(jq -r '.rows[0] | [.sent_text, .delivered_text, .read_text] | map(test("^20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")) | all' <<<"$HTTP_BODY")" true \
    "... sent, delivered and read, each to the second"
is "$(jq -r '.rows[0] | (.sent_at <= .delivered_at and .delivered_at <= .read_at and .failed_at == null)' <<<"$HTTP_BODY")" true "... in order"
is "$(jq -r '.rows[0].read_at' <<<"$HTTP_BODY")" \
    "$(sql "SELECT to_char(read_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM messages WHERE id = $mid")" "... as the ack recorded it"
http GET "$qlive" -b "$jar2"
is "$(jq -r '(.rows | length)' <<<"$HTTP_BODY")" 0 "the other customer asking for it: no row"

http GET /whatsapp/sent -b "$jar"
page_sent=$HTTP_BODY
like "$HTTP_BODY" "data-live-msgs=\"/whatsapp/sent/live.json\?ids=$mid&amp;since=$mid\"" "the Sent tab lists it, live too"
like "$(tr -d '\n' <<<"$HTTP_BODY")" "<tr data-msg-id=\"$mid\">.*data-f=\"read\" data-live-show=\"read\"><time datetime=\"[^\"]*\">20[0-9-]{8} [0-9:]{8}</time>" "... with the time it was read, to the second"
unlike "$HTTP_BODY" 'http-equiv="refresh"' "... read is final: no reload without the script"
slive=$(hook)
http GET "$slive" -b "$jar"
json_sent=$HTTP_BODY
is "$(jq -r '[.moving, .newer, .rows[0].status] | @tsv' <<<"$HTTP_BODY")" "false	0	read" "the Sent's live.json: read, nothing moves"
sql "UPDATE messages SET status = 'delivered', read_at = NULL, delivered_at = wa_now() WHERE id = $mid" >/dev/null
http GET /whatsapp/sent -b "$jar"
like "$HTTP_BODY" '<noscript><meta http-equiv="refresh" content="10"></noscript>' "delivered a moment ago (a read receipt may follow): the Sent tab reloads every 10 s without the script"
is "$(grep -c 'http-equiv="refresh"' <<<"$HTTP_BODY")" 1 "... only there"
http GET "$slive" -b "$jar"
is "$(jq -r '[.moving, .rows[0].moving] | @tsv' <<<"$HTTP_BODY")" "true	true" "... and its live.json says it moves"
sql "UPDATE messages SET delivered_at = wa_now() - interval '11 minutes' WHERE id = $mid" >/dev/null
http GET /whatsapp/sent -b "$jar"
unlike "$HTTP_BODY" 'http-equiv="refresh"' "delivered over 10 minutes ago: a receipt may never come, no more reloads"
http GET "/whatsapp/messages/$mid" -b "$jar"
unlike "$HTTP_BODY" 'http-equiv="refresh"|data-live-msgs=' "... nor on its page, which is not watched any more"
sql "UPDATE messages SET status = 'read', delivered_at = sent_at, read_at = wa_now() WHERE id = $mid" >/dev/null

# ---------------------------------------------------------------- the real pages with the real script
if command -v node >/dev/null; then
	printf '%s' "$page_linking" >"$STACK_DIR/linking.html"
	printf '%s' "$json_connected" >"$STACK_DIR/connected.json"
	printf '%s' "$page_hosts" >"$STACK_DIR/hosts.html"
	printf '%s' "$hosts_json" >"$STACK_DIR/hosts.json"
	printf '%s' "$page_queue" >"$STACK_DIR/queue.html"
	printf '%s' "$json_read" >"$STACK_DIR/read.json"
	out=$(node - "$top_srcdir" "$STACK_DIR" <<'EOF'
"use strict";
const fs = require("fs");
const [top, dir] = process.argv.slice(2);
const D = require(top + "/t/lib/domstub.js");
const W = require(top + "/src/static/waportal.js");
const read = (f) => fs.readFileSync(dir + "/" + f, "utf8");
const body = (html) => html.slice(html.indexOf("<main"), html.indexOf("</main>") + 7);
const inst = new D.Document(body(read("linking.html")));
const data = JSON.parse(read("connected.json"));
const root = inst.querySelector("[data-live-instance]");
const r = W.applyInstance(root, data, { svg: null });
const vis = (k) => inst.querySelectorAll("[data-live-show=\"" + k + "\"]").every((e) => !e.hidden);
console.log("instance " + r + " " + inst.querySelector("[data-f=\"status\"]").textContent + " " +
    inst.querySelector("[data-f=\"phone\"]").textContent + " " + vis("connected") + " " + vis("qr") + " " + vis("qr_required"));
const hosts = new D.Document(body(read("hosts.html")));
const hroot = hosts.querySelector("[data-live-hosts]");
console.log("hosts " + W.applyHosts(hroot, JSON.parse(read("hosts.json"))) + " " +
    hosts.querySelectorAll(".host").filter((c) => c.getAttribute("data-host-id") === "1")[0]
    .querySelector("[data-f=\"used\"]").textContent);
const q = new D.Document(body(read("queue.html")));
const qroot = q.querySelector("[data-live-msgs]");
const qr = W.applyMessages(qroot, JSON.parse(read("read.json")));
const row = q.querySelector("[data-msg-id]");
console.log("queue " + qr + " " + row.querySelector("[data-f=\"status\"]").className + " " +
    row.querySelectorAll("[data-live-show=\"cancellable\"]").every((e) => e.hidden) + " " +
    q.querySelectorAll("[data-live-show=\"newer\"]").every((e) => e.hidden));
EOF
)
	like "$out" "^instance stop connected \\+[0-9]+ true false false$" "the real QR page with the real live.json: the script shows connected and the number, hides the QR"
	like "$out" "^hosts ok 1 / 10$" "the real Hosts page with the real hosts JSON: every host matched, figures in place"
	like "$out" "^queue ok badge badge--read true true$" "the real Queue page with the real live JSON: the row turns read in place, Cancel goes, nothing newer"
else
	ok 0 "# SKIP node is not installed"
	ok 0 "# SKIP node is not installed"
	ok 0 "# SKIP node is not installed"
fi

done_testing
