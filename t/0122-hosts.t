#!/bin/sh
# 0122-hosts.t: the Hosts page: grouped by country (named in the visitor's language) and city, capacity used and free, health, times in the customer's zone, never a secret.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

command -v jq >/dev/null || skip_all "jq is not installed (./dev test installs it)"
stack_start --workers 1

PW='correct horse battery'
sql "INSERT INTO dealers (name) VALUES ('Acme')" >/dev/null
sql "INSERT INTO users (role, dealer_id, email, name) VALUES ('customer', 1, 'c@example.com', 'C')" >/dev/null
# d: another zone and Indonesian.
sql "INSERT INTO users (role, dealer_id, email, name, time_zone, language)
     VALUES ('customer', 1, 'd@example.com', 'D', 'America/New_York', 'id')" >/dev/null
printf '%s\n' "$PW" | "$STACK_BIN/waportalctl" user passwd 1 >/dev/null
printf '%s\n' "$PW" | "$STACK_BIN/waportalctl" user passwd 2 >/dev/null
jar=$STACK_DIR/jar
jar2=$STACK_DIR/jar2
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$PW"
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$PW"

http GET /hosts
is "$HTTP_STATUS" 303 "signed out: to the sign-in page"
http GET /hosts -b "$jar"
is "$HTTP_STATUS" 200 "GET /hosts: 200"
like "$HTTP_BODY" 'No gateway hosts yet' "no hosts: an empty state that says what to do"

SECRET=s3cr3t-webhook-secret-0123456789abcdef
# host NAME COLUMN=VALUE...: a host nobody answers on, its key api-key-NAME.
host() { stack_host "$1" base_url=http://127.0.0.1:1 api_key="api-key-$1" webhook_secret="$SECRET" "${@:2}" >/dev/null; }
host jkt-1 city=Jakarta country=ID capacity=2 status=up latency_ms=12 'checked_at=2024-05-01 12:34:56+00'
host jkt-2 city=Jakarta country=ID capacity=5 status=down checked_at=now
host sby-1 'city=Surabaya <b>' country=ID capacity=3 status=degraded latency_ms=80 checked_at=now
host sgp-1 city=Singapore country=SG capacity=4 status=unknown
host fra-1 city=Frankfurt country=DE capacity=4 status=up latency_ms=30 checked_at=now
host off-1 city=Jakarta country=ID capacity=4 status=up latency_ms=5 checked_at=now
sql "UPDATE hosts SET enabled = false WHERE name = 'off-1'" >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES
     (1, 1, 'wa_1', 'A', 'connected'), (1, 1, 'wa_2', 'B', 'qr_required'), (1, 3, 'wa_3', 'C', 'connected')" >/dev/null

http GET /hosts -b "$jar"
is "$HTTP_STATUS" 200 "with hosts: 200"
body=$(tr -d '\n' <<<"$HTTP_BODY")
like "$body" '>Germany</h2>.*Frankfurt.*fra-1.*>Indonesia</h2>.*>Jakarta</h3>.*jkt-1.*jkt-2.*Surabaya.*sby-1.*>Singapore</h2>.*>Singapore</h3>.*sgp-1' "grouped by country, named and in name order, then city, then name"
unlike "$body" '>(ID|DE|SG)</h2>' "... no bare country code for a heading"
like "$body" '<section class="host-country" aria-labelledby="country-ID">' "... the code stays in the section's id"
like "$body" 'jkt-1 <span class="badge badge--connected">up' "jkt-1: up"
like "$body" 'value="2"' "jkt-1: the meter shows 2 used"
like "$body" 'jkt-1.*2 / 2.*full' "jkt-1: 2 of 2 used, marked full"
like "$body" 'jkt-2 <span class="badge badge--failed">down.*0 / 5' "jkt-2: down, 0 of 5"
like "$body" 'sby-1 <span class="badge badge--qr_required">degraded.*1 / 3.*80 ms' "sby-1: degraded, 1 of 3, its latency"
like "$body" 'sgp-1 <span class="badge badge--cancelled">not checked yet' "sgp-1: not checked yet"
like "$body" 'Surabaya &lt;b&gt;' "a city name is escaped"
unlike "$body" 'off-1' "a disabled host is not offered"
for s in "$SECRET" api-key-jkt-1 api-key-sgp-1 127.0.0.1:1; do
	unlike "$body" "$s" "the page never shows ${s:0:12}..."
done
like "$body" 'href="/hosts" aria-current="page"' "the sidebar marks Hosts as the current page"

# checked_at TEXT ISO JAR: host jkt-1's "Last checked" on the page and in
# its live JSON, for the customer of JAR.
checked() {
	http GET /hosts -b "$3"
	page=$(tr -d '\n' <<<"$HTTP_BODY")
	like "$page" "jkt-1 <span.*<dd data-f=\"checked\"><time datetime=\"$2\">$1</time></dd>" "... the page: $1"
	http GET /hosts/live.json -b "$3"
	is "$(jq -r '.hosts[] | select(.id == 1) | [.checked_at, .checked_at_text] | @tsv' <<<"$HTTP_BODY")" \
	    "$2	$1" "... its live JSON agrees"
}
diag "a host checked at 12:34:56 UTC, in each customer's zone"
checked '2024-05-01 19:34' 2024-05-01T12:34:56Z "$jar"
like "$page" '<p class="tz-note">Times are in <strong>Asia/Jakarta</strong>' "... the page says which zone"
checked '2024-05-01 08:34' 2024-05-01T12:34:56Z "$jar2"
like "$page" '<p class="tz-note">[^<]*<strong>America/New_York</strong>' "... another zone for d"
unlike "$page" 'UTC' "... no UTC left on d's page"

diag "the countries in Indonesian"
http GET /hosts -b "$jar2"
body=$(tr -d '\n' <<<"$HTTP_BODY")
like "$body" '>Indonesia</h2>.*>Jakarta</h3>.*>Jerman</h2>.*Frankfurt.*>Singapura</h2>.*>Singapore</h3>' "d's page: Indonesia, Jerman, Singapura, in that order"

done_testing
