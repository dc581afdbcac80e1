#!/bin/sh
# 0130-apikeys.t: the API keys page: a key shown once and stored as a hash only, every bad input, the limit, on/off, rotation, deletion, another customer's key, the usage chart.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

# The SQL's clock stands still (stack_clock): the usage chart's "today"
# is the same day for the rows the test writes and the page that draws
# them, whenever the test runs.
stack_start --clock now
PW=$STACK_PW

stack_customers 1 100 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_api_keys = 5" >/dev/null

jar=$STACK_DIR/jar; jar2=$STACK_DIR/jar2
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$PW"
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$PW"

http GET /dashboard -b "$jar"
like "$HTTP_BODY" '<a class="sidebar__link" href="/api-keys">' "the sidebar links to API keys"
http GET /api-keys -b "$jar"
is "$HTTP_STATUS" 200 "GET /api-keys: 200"
like "$HTTP_BODY" 'No API keys yet' "an empty list says so"
like "$HTTP_BODY" '0 / 5' "... and counts against the package's 5"
like "$HTTP_BODY" 'name="scope_messages_send" value="1"' "each scope is its own checkbox"
csrf=$(csrf_of)

nkeys() { sql "SELECT count(*) FROM api_keys WHERE customer_id = 1"; }
add() { http POST /api-keys -b "$jar" --data-urlencode "_csrf=$csrf" "$@"; }

# Created: shown once, stored as a hash.
add --data-urlencode 'name=Shop backend' -d scope_messages_send=1 -d scope_messages_read=1 \
    --data-urlencode $'allow_ips=192.0.2.1\r\n2001:db8::/32' -d rpm=5
is "$HTTP_STATUS" 200 "a good key: 200, no redirect"
like "$(header Cache-Control)" 'no-store' "... never stored by a cache"
key=$(grep -o 'wap_[0-9A-Za-z]*' <<<"$HTTP_BODY" | head -1)
like "$key" '^wap_[0-9A-Za-z]{28}$' "the key is shown: wap_ and 28 base62 digits"
like "$HTTP_BODY" 'will not be shown again' "... with the warning"
like "$HTTP_BODY" 'data-copy="ak-key"' "... and a copy button"
hash=$(printf %s "$key" | sha256sum | cut -d' ' -f1)
is "$(sql "SELECT name, visible, array_to_string(scopes, ','), array_to_string(allow_ips, ','), rpm, enabled FROM api_keys WHERE key_hash = decode('$hash', 'hex')")" \
    "Shop backend|${key:0:10}|messages:send,messages:read|192.0.2.1/32,2001:db8::/32|5|t" "its SHA-256 is stored with the rest"
dump=$(PGHOST=$STACK_DIR/run "$(stack_pg_bindir)/pg_dump" -U postgres -d waportal 2>&1)
cmp_ok "${#dump}" '>' 1000 "pg_dump of the database works"
unlike "$dump" "$key" "the plaintext key is nowhere in the database"
unlike "$(cat "$STACK_DIR"/log/*.log)" "$key" "... nor in any log"
http GET /api-keys -b "$jar"
like "$HTTP_BODY" "<code class=\"ak-visible\">${key:0:10}…</code>" "the list shows the visible part"
unlike "$HTTP_BODY" "$key" "... never the key"
like "$HTTP_BODY" 'messages:send messages:read' "... its scopes"
like "$HTTP_BODY" 'ak-status--active">active' "... active"
like "$HTTP_BODY" 'never' "... never used"
like "$HTTP_BODY" '1 / 5' "... counted"
id=$(sql "SELECT id FROM api_keys WHERE key_hash = decode('$hash', 'hex')")

# Bad input: 422, nothing stored.
bad() {
	local want=$1 what=$2
	shift 2
	add "$@"
	is "$HTTP_STATUS" 422 "$what: 422"
	like "$HTTP_BODY" "$want" "... says: $want"
	is "$(nkeys)" 1 "... nothing stored"
}
bad 'Choose at least one permission' 'no scope' --data-urlencode name=x
bad 'on line 2: nope' 'a bad address line' --data-urlencode name=x -d scope_messages_send=1 --data-urlencode $'allow_ips=10.0.0.1\nnope'
bad 'on line 1: 10.0.0.1/8' 'host bits after the prefix' --data-urlencode name=x -d scope_messages_send=1 --data-urlencode 'allow_ips=10.0.0.1/8'
bad 'Choose a day after today' 'a past expiry' --data-urlencode name=x -d scope_messages_send=1 -d expires=2020-01-01
bad 'Choose a day after today' 'a day that does not exist' --data-urlencode name=x -d scope_messages_send=1 -d expires=2099-02-30
bad 'from 1 to 10' 'rpm above the package' --data-urlencode name=x -d scope_messages_send=1 -d rpm=11
bad 'from 1 to 10' 'rpm zero' --data-urlencode name=x -d scope_messages_send=1 -d rpm=0
bad '1 to 100 characters' 'an empty name' --data-urlencode name= -d scope_messages_send=1
bad '1 to 100 characters' 'a name too long' --data-urlencode "name=$(printf 'a%.0s' {1..101})" -d scope_messages_send=1
add --data-urlencode 'name=<b>x</b>' -d rpm=99
like "$HTTP_BODY" 'value="&lt;b&gt;x&lt;/b&gt;"' "HTML in the name is escaped when shown again"

# Expiry in the customer's zone.
day=$(sql "SELECT to_char(wa_now() AT TIME ZONE 'Asia/Jakarta' + interval '3 days', 'YYYY-MM-DD')")
add --data-urlencode 'name=<i>exp</i>' -d scope_instances_read=1 -d scope_contacts_read=1 \
    -d scope_contacts_write=1 -d "expires=$day"
is "$HTTP_STATUS" 200 "a future expiry day: 200"
is "$(sql "SELECT expires_at = '$day'::timestamp AT TIME ZONE 'Asia/Jakarta' FROM api_keys WHERE name = '<i>exp</i>'")" t "... starting that day in the customer's zone"
is "$(sql "SELECT array_to_string(scopes, ',') FROM api_keys WHERE name = '<i>exp</i>'")" \
    "instances:read,contacts:read,contacts:write" "... with the contacts scopes ticked"
http GET /api-keys -b "$jar"
like "$HTTP_BODY" 'name="scope_contacts_read" value="1"' "the form offers the contacts scopes"
like "$HTTP_BODY" '&lt;i&gt;exp&lt;/i&gt;' "the list escapes names"
unlike "$HTTP_BODY" '<i>exp' "... always"

# The limit.
sql "UPDATE packages SET max_api_keys = 2" >/dev/null
add --data-urlencode name=third -d scope_messages_send=1
is "$HTTP_STATUS" 422 "over the package's limit: 422"
like "$HTTP_BODY" 'allows no more keys; delete one first. Keys: 2 / 2' "... says so"
is "$(nkeys)" 2 "... nothing stored"
sql "UPDATE customer_packages SET starts_at = wa_now() - interval '60 days', expires_at = wa_now() - interval '1 second' WHERE customer_id = 1" >/dev/null
add --data-urlencode name=third -d scope_messages_send=1
like "$HTTP_BODY" 'Your package has expired' "an expired package: no new keys"
sql "UPDATE customer_packages SET expires_at = wa_now() + interval '30 days' WHERE customer_id = 1; UPDATE packages SET max_api_keys = 5" >/dev/null

# On and off.
http GET /api-keys/$id/toggle -b "$jar"
is "$HTTP_STATUS" 200 "toggle asks first"
like "$HTTP_BODY" 'Turn off: Shop backend' "... naming the key"
http POST /api-keys/$id/toggle -b "$jar" -d when=now
is "$HTTP_STATUS" 403 "toggle without the CSRF token: 403"
is "$(sql "SELECT enabled FROM api_keys WHERE id = $id")" t "... nothing changed"
http POST /api-keys/$id/toggle -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 303 "toggle: 303"
is "$(sql "SELECT enabled FROM api_keys WHERE id = $id")" f "... turned off"
sql "UPDATE api_keys SET last_used_at = '2026-01-02 03:04:00+00', last_used_addr = '198.51.100.7' WHERE id = $id" >/dev/null
http GET /api-keys -b "$jar"
like "$HTTP_BODY" 'ak-status--off">off' "the list says off"
like "$HTTP_BODY" '2026-01-02 10:04 \(198\.51\.100\.7\)' "... and when and from where it was last used, in the customer's zone"

# Another customer's key.
http GET /api-keys/$id/delete -b "$jar2"
is "$HTTP_STATUS" 404 "another customer's key: 404 to ask"
http GET /api-keys -b "$jar2"
csrf2=$(csrf_of)
http POST /api-keys/$id/delete -b "$jar2" --data-urlencode "_csrf=$csrf2"
is "$HTTP_STATUS" 404 "... 404 to delete"
unlike "$HTTP_BODY" 'Shop backend' "... not named"
is "$(nkeys)" 2 "... still there"
http GET /api-keys/$id/explode -b "$jar"
is "$HTTP_STATUS" 404 "an unknown action: 404"

# Rotation.
http GET /api-keys/$id/rotate -b "$jar"
like "$HTTP_BODY" 'name="when" value="1h" checked' "rotate asks when the old key stops"
http POST /api-keys/$id/rotate -b "$jar" --data-urlencode "_csrf=$csrf" -d when=soon
is "$HTTP_STATUS" 422 "a bad choice: 422"
http POST /api-keys/$id/rotate -b "$jar" --data-urlencode "_csrf=$csrf" -d when=1h
is "$HTTP_STATUS" 200 "rotate: 200"
key2=$(grep -o 'wap_[0-9A-Za-z]*' <<<"$HTTP_BODY" | head -1)
like "$key2" '^wap_[0-9A-Za-z]{28}$' "the new key is shown"
isnt "$key2" "$key" "... and differs from the old one"
hash2=$(printf %s "$key2" | sha256sum | cut -d' ' -f1)
is "$(sql "SELECT n.name, array_to_string(n.scopes, ','), array_to_string(n.allow_ips, ','), n.rpm, n.enabled, o.replaced_by = n.id, abs(extract(epoch FROM o.retires_at - wa_now() - interval '1 hour')) < 60 FROM api_keys n, api_keys o WHERE n.key_hash = decode('$hash2', 'hex') AND o.id = $id")" \
    'Shop backend|messages:send,messages:read|192.0.2.1/32,2001:db8::/32|5|t|t|t' "the new key copies the old; the old retires in 1 hour and points to it"
http GET /api-keys -b "$jar"
like "$HTTP_BODY" 'ak-status--retiring">retiring at 20' "the old key is retiring at a time"
sql "UPDATE api_keys SET retires_at = wa_now() - interval '1 minute' WHERE id = $id" >/dev/null
http GET /api-keys -b "$jar"
like "$HTTP_BODY" 'ak-status--retired">retired' "... then retired, still listed"
http POST /api-keys/$id/rotate -b "$jar" --data-urlencode "_csrf=$csrf" -d when=now
is "$HTTP_STATUS" 409 "a rotated key cannot be rotated again"

# The usage chart.
id2=$(sql "SELECT id FROM api_keys WHERE key_hash = decode('$hash2', 'hex')")
sql "INSERT INTO api_usage (key_id, day, endpoint, class, n) VALUES
     ($id2, (wa_now() AT TIME ZONE 'UTC')::date, 'messages.create', 2, 7),
     ($id2, (wa_now() AT TIME ZONE 'UTC')::date, 'messages.list', 4, 3),
     ($id2, (wa_now() AT TIME ZONE 'UTC')::date - 5, 'messages.list', 2, 4),
     ($id2, (wa_now() AT TIME ZONE 'UTC')::date - 40, 'messages.list', 2, 100)" >/dev/null
http GET /api-keys -b "$jar"
like "$HTTP_BODY" '<svg role="img" aria-labelledby="ak-chart-'"$id2"'-t ak-chart-'"$id2"'-d"' "the chart is an SVG with a name"
like "$HTTP_BODY" '<title id="ak-chart-'"$id2"'-t">Requests a day</title>' "... a title"
like "$HTTP_BODY" '14 requests in 30 days; most in one day: 10' "... a text alternative (older days left out)"
like "$HTTP_BODY" 'x="116" y="0" width="3" height="40"><title>10</title>' "... today's bar is the highest"
like "$HTTP_BODY" 'x="96" y="24" width="3" height="16"><title>4</title>' "... 5 days ago in proportion"
like "$HTTP_BODY" '30 days ago</text>' "... axis labels"

# Delete.
http GET /api-keys/$id/delete -b "$jar"
like "$HTTP_BODY" 'Delete this key for good' "delete asks first"
http POST /api-keys/$id/delete -b "$jar" -d _csrf=wrong
is "$HTTP_STATUS" 403 "a wrong CSRF token: 403"
http POST /api-keys/$id/delete -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 303 "delete: 303"
is "$(sql "SELECT count(*) FROM api_keys WHERE id = $id")" 0 "... gone"
is "$(sql "SELECT replaced_by FROM api_keys WHERE id = $id2")" '' "... the new one stays"

# Indonesian.
sql "UPDATE users SET language = 'id' WHERE id = 1" >/dev/null
http GET /api-keys -b "$jar"
like "$HTTP_BODY" '<h1 id="ak-title" class="card__title">Kunci API</h1>' "the page speaks Indonesian"
like "$HTTP_BODY" 'Permintaan per hari' "... the chart too"

done_testing
