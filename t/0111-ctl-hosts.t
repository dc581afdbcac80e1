#!/bin/sh
# 0111-ctl-hosts.t: waportalctl host add|list|update|disable|enable: output, validation, secrets kept out of argv, output and logs.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1
CTL=$STACK_BIN/waportalctl

# state: a digest of the hosts table, to prove a failure changed nothing.
state()
{
	sql "SELECT md5(coalesce(string_agg(h::text, ',' ORDER BY id), ''))
	    FROM hosts h"
}

# fails STATUS ERE DESC ARGS...: waportalctl ARGS (the key on stdin)
# exits with STATUS, says something matching ERE on stderr (one line for
# status 1, the problem and the usage for 2), prints nothing on stdout
# and changes nothing.
fails()
{
	local status=$1 re=$2 desc=$3 before lines
	shift 3
	before=$(state)
	ctl_in "$KEY" "$@"
	is "$RC" "$status" "$desc: exit status $status" || diag "$ERR"
	like "$ERR" "^waportalctl: host [a-z]+: .*$re" "$desc: the message"
	lines=$(printf '%s\n' "$ERR" | wc -l)
	if [ "$status" = 1 ]; then
		is "$lines" 1 "$desc: one line" || diag "$ERR"
	else
		like "$ERR" '^usage: waportalctl ' "$desc: the usage follows"
	fi
	is "$OUT$(state)" "$before" "$desc: no output, nothing changed"
}

# row ID: the stored host, secrets included, '|'-separated.
row()
{
	sql "SELECT concat_ws('|', name, driver, base_url, city, country,
	    coalesce(latitude::text, 'NULL'), coalesce(longitude::text, 'NULL'),
	    capacity, enabled, status) FROM hosts WHERE id = $1"
}

KEY="key-$RANDOM$RANDOM-waha-api"
KEY2="key2-$RANDOM$RANDOM-rotated"
SECRET="whsec-$RANDOM$RANDOM-0123456789abcdefghijklmnop"
umask 077
printf '%s\n' "$KEY2" >"$STACK_DIR/key2"
printf '%s\n' "$SECRET" >"$STACK_DIR/secret"
printf '%s\r\n' "$KEY2" >"$STACK_DIR/key2.crlf"

# ---------------------------------------------------------------- add

ctl_in "$KEY" host add --name jkt-1 --url "HTTPS://WAHA1.Example.COM:3000/" \
    --capacity 50 --api-key-stdin --city " Jakarta " --country id \
    --latitude -6.2088 --longitude 106.8456
is "$RC" 0 "host add succeeds" || diag "$ERR"
H1=$(printf '%s\n' "$OUT" | sed -n 1p)
like "$H1" '^[1-9][0-9]*$' "host add prints the new id first"
like "$(printf '%s\n' "$OUT" | sed -n 2p)" '^webhook secret: [0-9a-f]{64}$' \
    "then the generated webhook secret: 64 hex digits"
is "$(printf '%s\n' "$OUT" | wc -l)" 2 "and nothing else on stdout"
GEN=$(printf '%s\n' "$OUT" | sed -n 2p | cut -d' ' -f3)
like "$ERR" 'shown only this once' "a warning on stderr: the secret is shown once"
is "$(row "$H1")" \
    "jkt-1|waha|https://waha1.example.com:3000|Jakarta|ID|-6.208800|106.845600|50|t|unknown" \
    "stored normalised: scheme and host lower-cased, trailing slash dropped, city trimmed, country upper-cased"
is "$(sql "SELECT api_key FROM hosts WHERE id = $H1")" "$KEY" "the key from stdin is stored"
is "$(sql "SELECT webhook_secret FROM hosts WHERE id = $H1")" "$GEN" \
    "the printed webhook secret is the stored one"
is "$(sql "SELECT latency_ms IS NULL AND sessions_in_use IS NULL AND checked_at IS NULL
    AND failures = 0 FROM hosts WHERE id = $H1")" t "health starts unknown and empty"

ctl host add --name sg-2 --url http://10.0.0.7:3000/waha --capacity 100000 \
    --driver waha --api-key-file "$STACK_DIR/key2" \
    --webhook-secret-file "$STACK_DIR/secret"
is "$RC" 0 "host add with the key and the secret in files" || diag "$ERR"
H2=$OUT
like "$H2" '^[1-9][0-9]*$' "prints only the new id (a given secret is not printed)"
is "$ERR" "" "and no warning"
is "$(sql "SELECT webhook_secret FROM hosts WHERE id = $H2")" "$SECRET" \
    "the secret from the file is stored"
is "$(sql "SELECT api_key FROM hosts WHERE id = $H2")" "$KEY2" "the key from the file is stored"
is "$(row "$H2")" "sg-2|waha|http://10.0.0.7:3000/waha|||NULL|NULL|100000|t|unknown" \
    "no location: empty city and country, NULL coordinates"
ctl host add --name v6 --url "https://[2001:db8::1]:8443" --capacity 1 \
    --api-key-file "$STACK_DIR/key2.crlf"
is "$RC" 0 "host add: an IPv6 URL, capacity 1, a key file with CR LF" || diag "$ERR"
H3=$(printf '%s\n' "$OUT" | sed -n 1p)
is "$(sql "SELECT api_key FROM hosts WHERE id = $H3")" "$KEY2" "the CR LF is not part of the key"
GEN3=$(printf '%s\n' "$OUT" | sed -n 2p | cut -d' ' -f3)
isnt "$GEN3" "$GEN" "each generated secret is new"

# ---------------------------------------------------------------- add: validation

fails 1 '--name: must be 1 to 64 lower-case letters' "a name with upper case" \
    host add --name Jkt --url https://a.example --capacity 1 --api-key-stdin
fails 1 '--name: must be 1 to 64' "a name with a slash" \
    host add --name a/b --url https://a.example --capacity 1 --api-key-stdin
fails 1 '--name: must be 1 to 64' "a name with a space" \
    host add --name "a b" --url https://a.example --capacity 1 --api-key-stdin
fails 1 '--name: must be 1 to 64' "a name that starts with a hyphen" \
    host add --name=-x --url https://a.example --capacity 1 --api-key-stdin
fails 1 '--name: must be 1 to 64' "an empty name" \
    host add --name "" --url https://a.example --capacity 1 --api-key-stdin
fails 1 '--name: must be 1 to 64' "a 65-character name" \
    host add --name "$(printf 'a%.0s' $(seq 65))" --url https://a.example --capacity 1 --api-key-stdin
ctl_in "$KEY" host add --name "$(printf 'a%.0s' $(seq 64))" --url https://a.example \
    --capacity 1 --api-key-stdin
is "$RC" 0 "a 64-character name is accepted" || diag "$ERR"
H4=$(printf '%s\n' "$OUT" | sed -n 1p)
fails 1 'a host named jkt-1 exists$' "a duplicate name" \
    host add --name jkt-1 --url https://b.example --capacity 1 --api-key-stdin
for url in ftp://a.example/x "javascript:alert(1)" file:///etc/passwd //a.example \
    a.example "http:/a.example" "httpx://a.example"; do
	fails 1 '--url: must start with http:// or https://$' "URL $url" \
	    host add --name x1 --url "$url" --capacity 1 --api-key-stdin
done
fails 1 '--url: must not hold a user name or password' "a URL with user:pass@" \
    host add --name x1 --url "https://admin:pw-$KEY@a.example/" --capacity 1 --api-key-stdin
unlike "$ERR" "pw-" "(the password in the URL is not echoed)"
fails 1 '--url: must not hold a user name or password' "a URL with user@" \
    host add --name x1 --url "https://admin@a.example" --capacity 1 --api-key-stdin
fails 1 '--url: must not have a fragment' "a URL with a fragment" \
    host add --name x1 --url "https://a.example/#x" --capacity 1 --api-key-stdin
fails 1 '--url: must not have a fragment \(#\) or a query' "a URL with a query" \
    host add --name x1 --url "https://a.example/?k=v" --capacity 1 --api-key-stdin
fails 1 '--url: has no valid host name or port' "a URL without a host" \
    host add --name x1 --url "https:///x" --capacity 1 --api-key-stdin
fails 1 '--url: has no valid host name or port' "a URL with port 0" \
    host add --name x1 --url "https://a.example:0" --capacity 1 --api-key-stdin
fails 1 '--url: has no valid host name or port' "a URL with port 65536" \
    host add --name x1 --url "https://a.example:65536" --capacity 1 --api-key-stdin
fails 1 '--url: has no valid host name or port' "a host with an underscore" \
    host add --name x1 --url "https://a_b.example" --capacity 1 --api-key-stdin
fails 1 '--url: must be at most 500 printable ASCII' "a URL with a space" \
    host add --name x1 --url "https://a.example/a b" --capacity 1 --api-key-stdin
fails 1 '--url: must be at most 500 printable ASCII' "a URL with non-ASCII" \
    host add --name x1 --url "https://exämple.com" --capacity 1 --api-key-stdin
fails 1 '--url: must be at most 500 printable ASCII' "a 501-character URL" \
    host add --name x1 --url "https://a.example/$(printf 'p%.0s' $(seq 483))" --capacity 1 --api-key-stdin
for c in XX USA 1A i "ID "x; do
	fails 1 '--country: must be an ISO 3166-1 alpha-2 country code' "country '$c'" \
	    host add --name x1 --url https://a.example --capacity 1 --api-key-stdin --country "$c"
done
for lat in 91 -91 90.0000001 abc 1e1 45. .5 nan - 1-2 "+5" 0x10; do
	fails 1 '--latitude: must be a number from -90 to 90' "latitude '$lat'" \
	    host add --name x1 --url https://a.example --capacity 1 --api-key-stdin \
	    --latitude "$lat" --longitude 10
done
fails 1 '--longitude: must be a number from -180 to 180' "longitude 181" \
    host add --name x1 --url https://a.example --capacity 1 --api-key-stdin --latitude 1 --longitude 181
fails 1 '--latitude and --longitude go together' "a latitude without a longitude" \
    host add --name x1 --url https://a.example --capacity 1 --api-key-stdin --latitude 1
for cap in 0 100001 -1 abc 1.5 "" 99999999999999999999; do
	fails 1 '--capacity: must be a whole number from 1 to 100000' "capacity '$cap'" \
	    host add --name x1 --url https://a.example --capacity "$cap" --api-key-stdin
done
fails 1 '--driver: must be waha' "an unknown driver" \
    host add --name x1 --url https://a.example --capacity 1 --api-key-stdin --driver evolution
fails 1 '--name is required' "no --name" host add --url https://a.example --capacity 1 --api-key-stdin
fails 1 '--url is required' "no --url" host add --name x1 --capacity 1 --api-key-stdin
fails 1 '--capacity is required' "no --capacity" host add --name x1 --url https://a.example --api-key-stdin
fails 1 '--api-key-file or --api-key-stdin is required' "no key" \
    host add --name x1 --url https://a.example --capacity 1
fails 2 'unknown option --api-key$' "a key on the command line" \
    host add --name x1 --url https://a.example --capacity 1 --api-key="$KEY"
unlike "$ERR" "$KEY" "(the key is not echoed)"
fails 2 'not both' "both --api-key-file and --api-key-stdin" \
    host add --name x1 --url https://a.example --capacity 1 --api-key-stdin \
    --api-key-file "$STACK_DIR/key2"
fails 2 '--name given twice' "--name twice" \
    host add --name x1 --name x2 --url https://a.example --capacity 1 --api-key-stdin
fails 2 'too many arguments' "a stray argument" \
    host add --name x1 --url https://a.example --capacity 1 --api-key-stdin extra
fails 1 '--api-key-file: cannot open it: No such file' "a missing key file" \
    host add --name x1 --url https://a.example --capacity 1 --api-key-file "$STACK_DIR/nope"
printf 'short-secret\n' >"$STACK_DIR/short"
fails 1 '--webhook-secret-file: must hold one line of 32 to 512 printable ASCII' \
    "a 12-character webhook secret" host add --name x1 --url https://a.example --capacity 1 \
    --api-key-stdin --webhook-secret-file "$STACK_DIR/short"
printf '%s\n%s\n' "$SECRET" "$SECRET" >"$STACK_DIR/two"
fails 1 '--webhook-secret-file: must hold one line' "a secret file of two lines" \
    host add --name x1 --url https://a.example --capacity 1 --api-key-stdin \
    --webhook-secret-file "$STACK_DIR/two"
unlike "$ERR" "$SECRET" "(the secret is not echoed)"
before=$(state)
ctl_in "two words" host add --name x1 --url https://a.example --capacity 1 --api-key-stdin
is "$RC" 1 "a key with a space: exit status 1"
like "$ERR" '--api-key-stdin: must hold one line of 1 to 512 printable ASCII' "a key with a space: the message"
is "$OUT$(state)" "$before" "a key with a space: nothing changed"
ctl_in "" host add --name x1 --url https://a.example --capacity 1 --api-key-stdin
like "$RC:$ERR" '^1:.*--api-key-stdin: must hold one line' "an empty key is refused"

# ---------------------------------------------------------------- list

sql "UPDATE hosts SET city = E'Bad\\x1b[2JCity' WHERE id = $H3" >/dev/null
ctl host list
is "$RC" 0 "host list succeeds" || diag "$ERR"
like "$OUT" '^ID +NAME +DRIVER +URL +CITY +COUNTRY +CAPACITY +ENABLED +STATUS$' "host list has a header"
like "$OUT" "^$H1 +jkt-1 +waha +https://waha1.example.com:3000 +Jakarta +ID +50 +yes +unknown$" \
    "host list shows the host"
like "$OUT" "^$H2 +sg-2 +waha +http://10.0.0.7:3000/waha +- +- +100000 +yes +unknown$" \
    "empty fields as -"
like "$OUT" "^$H3 +v6 .* Bad\\?\\[2JCity " "stored control characters are printed as ?"
is "$(printf '%s\n' "$OUT" | wc -l)" 5 "a header and four hosts"
for s in "$KEY" "$KEY2" "$SECRET" "$GEN" "$GEN3"; do
	unlike "$OUT$ERR" "$s" "host list never shows a key or a secret (${s:0:6}...)"
done
fails 2 'too many arguments' "host list with an argument" host list all

# ---------------------------------------------------------------- update

ctl host update "$H1" --city Surabaya --capacity 75
is "$RC$OUT" "0host $H1 updated" "host update changes some fields" || diag "$ERR"
is "$(row "$H1")" \
    "jkt-1|waha|https://waha1.example.com:3000|Surabaya|ID|-6.208800|106.845600|75|t|unknown" \
    "only those"
is "$(sql "SELECT api_key || webhook_secret FROM hosts WHERE id = $H1")" "$KEY$GEN" \
    "the secrets stay"
is "$(sql "SELECT updated_at > created_at FROM hosts WHERE id = $H1")" t "updated_at moves"
ctl host update "$H1" --api-key-file "$STACK_DIR/key2" --webhook-secret-file "$STACK_DIR/secret"
is "$RC$OUT" "0host $H1 updated" "host update replaces the key and the secret from files"
is "$(sql "SELECT api_key || '|' || webhook_secret FROM hosts WHERE id = $H1")" "$KEY2|$SECRET" \
    "both are stored"
ctl_in "$KEY" host update "$H1" --api-key-stdin --name jkt-one --url https://w.example/api/ \
    --country sg --latitude "" --longitude ""
is "$RC$OUT" "0host $H1 updated" "host update: key from stdin, new name and URL, location cleared"
is "$(row "$H1")" "jkt-one|waha|https://w.example/api|Surabaya|SG|NULL|NULL|75|t|unknown" \
    "stored"
is "$(sql "SELECT api_key FROM hosts WHERE id = $H1")" "$KEY" "the key from stdin is stored"
fails 1 'a host named sg-2 exists$' "host update to a taken name" host update "$H1" --name sg-2
fails 1 'no host with id 999999$' "host update of an unknown host" host update 999999 --capacity 2
fails 1 'ID: must be a positive whole number \(an id\)$' "host update abc" host update abc --capacity 2
fails 2 'nothing to change' "host update without options" host update "$H1"
fails 2 'the ID is missing' "host update without an ID" host update --capacity 2
fails 1 '--url: must start with http:// or https://$' "host update with a javascript: URL" \
    host update "$H1" --url "javascript:alert(1)"
fails 1 '--latitude: must be a number from -90 to 90' "host update with latitude 91" \
    host update "$H1" --latitude 91 --longitude 0
fails 1 '--latitude and --longitude go together' "host update with only a longitude" \
    host update "$H1" --longitude 0
fails 1 '--latitude and --longitude go together' "host update clearing only the latitude" \
    host update "$H1" --latitude "" --longitude 5
fails 1 '--capacity: must be a whole number from 1 to 100000' "host update with capacity 0" \
    host update "$H1" --capacity 0
fails 1 '--country: must be an ISO 3166-1' "host update with a bad country" \
    host update "$H1" --country ZZ

# ---------------------------------------------------------------- disable, enable

ctl host disable "$H2"
is "$RC$OUT" "0host $H2 disabled" "host disable succeeds" || diag "$ERR"
is "$(sql "SELECT enabled FROM hosts WHERE id = $H2")" f "enabled is false"
ctl host list
like "$OUT" "^$H2 +sg-2 .* no +unknown$" "host list shows it disabled"
ctl host disable "$H2"
is "$RC$OUT" "0host $H2 disabled" "disabling twice is harmless"
ctl host enable "$H2"
is "$RC$OUT" "0host $H2 enabled" "host enable succeeds"
is "$(sql "SELECT enabled FROM hosts WHERE id = $H2")" t "enabled is true"
fails 1 'no host with id 999999$' "host disable of an unknown host" host disable 999999
fails 1 'no host with id 999999$' "host enable of an unknown host" host enable 999999
fails 1 'ID: must be a positive whole number \(an id\)$' "host disable 0" host disable 0
fails 2 'the ID is missing' "host disable without an ID" host disable
fails 2 'too many arguments' "host enable with two IDs" host enable "$H1" "$H2"

ctl host
is "$RC" 2 "host without a subcommand: exit status 2"
like "$ERR" '^usage: waportalctl host add --name NAME' "and the usage"
ctl
like "$ERR" '^  host add --name NAME' "waportalctl alone lists the host commands"
like "$ERR" '^  host update ID' "and host update"

# ---------------------------------------------------------------- secrets stay secret

# The key through a pipe that stays open while waportalctl runs: it is
# in no process's command line.
key3="key3-$RANDOM-$RANDOM-never-in-argv"
printf '%s\n' "$key3" >"$STACK_DIR/key.pattern"
mkfifo "$STACK_DIR/key.fifo"
"$CTL" host add --name argv-check --url https://a.example --capacity 3 --api-key-stdin \
    <"$STACK_DIR/key.fifo" >"$STACK_DIR/key.out" 2>&1 &
ctlpid=$!
exec 7>"$STACK_DIR/key.fifo"
sleep 0.2
seen=$(grep -l -F -f "$STACK_DIR/key.pattern" /proc/[0-9]*/cmdline 2>/dev/null)
printf '%s\n' "$key3" >&7
seen=$seen$(grep -l -F -f "$STACK_DIR/key.pattern" /proc/[0-9]*/cmdline 2>/dev/null)
exec 7>&-
wait "$ctlpid"
is "$?" 0 "host add from a pipe that stays open while it runs" || diag "$(cat "$STACK_DIR/key.out")"
is "$seen" "" "the key is in no process's command line"
is "$(sql "SELECT api_key FROM hosts WHERE name = 'argv-check'")" "$key3" "and it is stored"
GEN4=$(sed -n 's/^webhook secret: //p' "$STACK_DIR/key.out")

# A duplicate name makes the database log an error: never with the key.
printf '%s\n' "$key3" | "$CTL" host add --name argv-check --url https://a.example \
    --capacity 3 --api-key-stdin >/dev/null 2>&1
{
	printf '%s\n' "$KEY" "$KEY2" "$SECRET" "$GEN" "$GEN3" "$GEN4"
} >>"$STACK_DIR/key.pattern"
seen=$(grep -r -l -F -f "$STACK_DIR/key.pattern" "$STACK_DIR/log" 2>/dev/null)
is "$seen" "" "no key and no secret in any log"
grep -q -F "duplicate key" "$STACK_DIR/log/postgres.log"
ok $? "(the logs searched do hold the database's errors)"

done_testing
