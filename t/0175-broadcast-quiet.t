#!/bin/sh
# 0175-broadcast-quiet.t: quiet hours in the recipient's zone, end to end (runner, dispatcher, simulator; pinned clock): the zones frozen from the numbers' countries (the customer's own for its country, the first for another, the customer's for an unknown one); a recipient inside 21:00-08:00 is scheduled at its window's end and sent once the clock passes it while the other is sent at once; a window the clock enters after queueing is held by the dispatcher at the claim; both sides of midnight; no quiet hours: nothing changes; hostile windows refused.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
[ -r /usr/share/zoneinfo/zone1970.tab ] || skip_all "no tzdata"
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=1 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0 WAPORTAL_SEND_HOURLY_CAP=0
    WAPORTAL_SEND_TIMEOUT_MS=2000 WAPORTAL_SEND_LEASE=10"
# 15:00 UTC: 22:00 in Jakarta (inside 21:00-08:00), 15:00 in London
# (outside; no summer time yet), 10:00 in New York.
stack_start --workers 1 --dispatch --runner --clock '2030-03-04 15:00:00+00'
CTL=$STACK_BIN/waportalctl
KEY=quiet-test-key
stack_gwsim_start "$KEY" -d 50 || bail_out "simulator did not start"
simlog() { curl -s "$GWSIM_URL/_sim/log"; }
simctl() { curl -s -X POST -H 'Content-Type: application/json' --data-binary "$2" "$GWSIM_URL/_sim/$1"; }

stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 1000" >/dev/null
sql "UPDATE users SET time_zone = 'Asia/Makassar' WHERE id = 1" >/dev/null
ctl_in "$KEY" host add --name sim --url "$GWSIM_URL" --capacity 10 --api-key-stdin
is "$RC" 0 "a host on the simulator" || bail_out "$ERR"
HOST=$(head -n 1 <<<"$OUT")
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES (1, $HOST, 'wa1', 'wa1', 'connected')" >/dev/null
I1=$(sql "SELECT id FROM instances WHERE session = 'wa1'")
is "$(simctl sessions '{"prefix":"wa","count":1}' | jq .created)" 1 "the simulator's session wa1"

# ID: Indonesia; GB: London; US: New York (the country's first zone);
# XX: +882 (international networks: no country), the customer's zone.
ID=+6281100000001 GB=+447400123456 US=+12125550123 XX=+88234123456
sql "INSERT INTO contacts (customer_id, phone, name, status) VALUES
     (1, '$ID', 'Ida', 'subscribed'), (1, '$GB', 'Gus', 'subscribed'),
     (1, '$US', 'Uma', 'subscribed'), (1, '$XX', 'Xen', 'subscribed');
     INSERT INTO contact_groups (customer_id, name, kind) VALUES (1, 'L', 'list')" >/dev/null ||
    bail_out "contacts"
L=$(sql "SELECT id FROM contact_groups WHERE customer_id = 1 AND name = 'L'")
sql "SELECT wa_group_add(1, $L, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 AND phone IN ('$ID', '$GB')))" >/dev/null
tpl() { sql "SELECT tpl_id FROM wa_template_save(1, NULL, '$1', '$2')"; }
bc() { sql "SELECT $2 FROM broadcasts WHERE id = $1"; }
# create TEXT [COLUMNS VALUES]: a draft to list L with a template of TEXT; its id.
create() {
	local t id
	t=$(tpl "$1" "$1 {{first_name}}") || return 1
	id=$(sql "INSERT INTO broadcasts (customer_id, name, template_id, instance_ids${2:+, $2})
	    VALUES (1, 'B', $t, ARRAY[$I1]::bigint[]${3:+, $3}) RETURNING id") || return 1
	sql "INSERT INTO broadcast_sources (broadcast_id, pos, kind, ref_id) VALUES ($id, 0, 'list', $L)" >/dev/null || return 1
	echo "$id"
}
jobend() { [ "$(sql "SELECT j.state NOT IN ('queued', 'running') FROM jobs j JOIN broadcasts b ON b.job_id = j.id WHERE b.id = $1")" = t ]; }
start() { sql "SELECT wa_broadcast_start(1, $1)" >/dev/null && wait_for 60 jobend "$1"; }
# msg ID PHONE COLUMNS: that recipient's message's columns.
msg() { sql "SELECT $3 FROM messages WHERE broadcast_id = $1 AND peer_phone = '$2'"; }
is_status() { [ "$(msg "$1" "$2" status)" = "$3" ]; }
# sent TEXT: the simulator's sends of that text, as "chatId" lines.
sent() { simlog | jq -r --arg t "$1" '.[] | select(.path == "/api/sendText" and .status == 201 and (.text | startswith($t))) | .chatId' | sort; }
is_sent() { [ "$(sql "SELECT status FROM messages WHERE id = $1")" = sent ]; }
# witness TEXT: a plain message queued now, sent once the dispatcher ran.
witness() {
	local id
	id=$(sql "SELECT id FROM wa_message_enqueue(1, $I1, '+628119999999', '$1', wa_now(), 'portal')")
	wait_for 30 is_sent "$id"
}
utc() { sql "SET TimeZone = 'UTC'" "SELECT to_char($1, 'YYYY-MM-DD HH24:MI')"; }

# ---------------------------------------------------------------- wa_quiet_end
qe() { utc "wa_quiet_end($1, $2, $3, timestamptz '$4')"; }
is "$(qe "'Asia/Jakarta'" 1260 480 '2030-03-04 15:00+00')" "2030-03-05 01:00" "21:00-08:00 at 22:00 in Jakarta: held until 08:00 the next day"
is "$(qe "'Asia/Jakarta'" 1260 480 '2030-03-04 18:30+00')" "2030-03-05 01:00" "... at 01:30, past midnight: until 08:00 the same day"
is "$(qe "'Asia/Jakarta'" 1260 480 '2030-03-05 01:00+00')" "2030-03-05 01:00" "... at 08:00 sharp: sent"
is "$(qe "'Asia/Jakarta'" 1260 480 '2030-03-05 13:59+00')" "2030-03-05 13:59" "... at 20:59: sent"
is "$(qe "'Asia/Jakarta'" 1260 480 '2030-03-05 14:00+00')" "2030-03-06 01:00" "... at 21:00 sharp: held"
is "$(qe "'Europe/London'" 720 780 '2030-03-04 12:30+00')" "2030-03-04 13:00" "a window within a day (12:00-13:00): held to its end"
is "$(qe "'Europe/London'" 720 780 '2030-03-04 13:30+00')" "2030-03-04 13:30" "... after it: sent"
is "$(qe "'Europe/London'" 60 180 '2030-03-31 01:30+00')" "2030-03-31 02:00" "... the night clocks go forward (01:00-03:00 local): until 03:00 BST"
is "$(qe NULL 1260 480 '2030-03-04 15:00+00')" "2030-03-04 15:00" "no zone: unchanged"
is "$(qe "'Asia/Jakarta'" NULL NULL '2030-03-04 15:00+00')" "2030-03-04 15:00" "no window: unchanged"

# ---------------------------------------------------------------- hostile windows
for v in "1260, 1260" "1440, 480" "-1, 480" "1260, NULL" "NULL, 480"; do
	sql "INSERT INTO broadcasts (customer_id, name, quiet_from, quiet_to) VALUES (1, 'x', $v)" >/dev/null 2>&1
	isnt "$?" 0 "quiet hours ($v) refused by the table"
done
is "$(sql "SELECT count(*) FROM broadcasts")" 0 "nothing stored"

# ---------------------------------------------------------------- no quiet hours: unchanged
b0=$(create Plain) || bail_out "create"
start "$b0"
is "$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b0 AND status = 'queued' AND tz IS NULL")" 2 \
    "no quiet hours: both queued, no zone frozen"
is "$(sql "SELECT count(*) FROM messages WHERE broadcast_id = $b0 AND send_at = wa_now()")" 2 "... both due now"
sql "INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, instance_id, tz)
     VALUES ($b0, 0, '+1', $I1, repeat('x', 65))" >/dev/null 2>&1
isnt "$?" 0 "a zone over 64 characters refused"
wait_for 60 is_status "$b0" "$ID" sent && wait_for 60 is_status "$b0" "$GB" sent
ok $? "... both sent at 22:00 in Jakarta"

# ---------------------------------------------------------------- inside and outside at queueing
b1=$(create Quiet "quiet_from, quiet_to" "1260, 480") || bail_out "create"
start "$b1"
is "$(sql "SELECT string_agg(phone || ' ' || status || ' ' || tz, ', ' ORDER BY phone) FROM broadcast_recipients WHERE broadcast_id = $b1")" \
    "$GB queued Europe/London, $ID queued Asia/Makassar" \
    "the zones frozen: London for +44, the customer's own (Makassar) for +62"
is "$(msg "$b1" "$GB" "status <> 'scheduled' AND send_at = wa_now()")" t "London (15:00) is outside 21:00-08:00: due now"
is "$(msg "$b1" "$ID" status) $(utc "(SELECT send_at FROM messages WHERE broadcast_id = $b1 AND peer_phone = '$ID')")" \
    "scheduled 2030-03-05 00:00" "Makassar (23:00) is inside: scheduled at 08:00 there (00:00 UTC)"
wait_for 60 is_status "$b1" "$GB" sent
ok $? "the one outside is sent"
witness one
is "$(sent Quiet)" "447400123456@c.us" "... the simulator got it alone"
stack_clock '2030-03-04 23:59:00+00' || bail_out "clock"
witness two
is "$(sent Quiet | wc -l) $(msg "$b1" "$ID" status)" "1 scheduled" "at 07:59 in Makassar it still waits"
stack_clock '2030-03-05 00:00:00+00' || bail_out "clock"
wait_for 60 is_status "$b1" "$ID" sent
ok $? "at 08:00 it is sent"
is "$(sent Quiet | tr '\n' ' ')" "447400123456@c.us 6281100000001@c.us " "... the simulator got both, once each"
wait_for 60 test "$(bc "$b1" state)" = done
is "$(bc "$b1" "state || ' ' || sent")" "done 2" "the broadcast is done"

# ---------------------------------------------------------------- the first zone, an unknown country
sql "SELECT wa_group_add(1, $L, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 AND phone IN ('$US', '$XX')))" >/dev/null
sql "UPDATE users SET time_zone = 'Asia/Jakarta' WHERE id = 1" >/dev/null
b2=$(create Zones "quiet_from, quiet_to, start_at" "60, 120, wa_now() + interval '1 day'") || bail_out "create"
start "$b2"
is "$(sql "SELECT string_agg(phone || ' ' || tz, ', ' ORDER BY phone) FROM broadcast_recipients WHERE broadcast_id = $b2")" \
    "$US America/New_York, $GB Europe/London, $ID Asia/Jakarta, $XX Asia/Jakarta" \
    "+1 212: New York (the US's first zone); +62: the customer's Jakarta; +882 (no country): the customer's zone"
sql "SELECT wa_broadcast_cancel(1, $b2)" >/dev/null

# ---------------------------------------------------------------- the dispatcher holds
# Sent at 16:00 UTC (outside 16:30-17:30 everywhere); the clock then moves
# to 16:45 before any claim: London is inside, Jakarta (23:45) is not.
sql "SELECT wa_group_remove(1, $L, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 AND phone IN ('$US', '$XX')))" >/dev/null ||
    bail_out "remove"
stack_clock '2030-03-05 15:00:00+00' || bail_out "clock"
b3=$(create Held "quiet_from, quiet_to, start_at" "990, 1050, wa_now() + interval '1 hour'") || bail_out "create"
start "$b3"
is "$(sql "SELECT string_agg(status || ' ' || (send_at = wa_now() + interval '1 hour'), ',') FROM messages WHERE broadcast_id = $b3")" \
    "scheduled true,scheduled true" "both scheduled at the start, 16:00 UTC (outside the window then)"
stack_clock '2030-03-05 16:45:00+00' || bail_out "clock"
wait_for 60 is_status "$b3" "$ID" sent
ok $? "at 16:45 UTC Jakarta (23:45) is sent"
witness three
is "$(msg "$b3" "$GB" status) $(utc "(SELECT send_at FROM messages WHERE broadcast_id = $b3 AND peer_phone = '$GB')")" \
    "scheduled 2030-03-05 17:30" "London (16:45) is held at the claim until the window's end, 17:30"
is "$(sent Held)" "6281100000001@c.us" "... the simulator got Jakarta's alone"
is "$(msg "$b3" "$GB" "attempts || ' ' || coalesce(last_error, '')")" "0 " "... the held message used no attempt"
stack_clock '2030-03-05 17:30:00+00' || bail_out "clock"
wait_for 60 is_status "$b3" "$GB" sent
ok $? "at 17:30 London's is sent"
is "$(sent Held | wc -l)" 2 "... each once"
done_testing
