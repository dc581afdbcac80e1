#!/bin/sh
# 0192-broadcast-send.t: a broadcast sent end to end (runner, dispatcher, simulator; pinned clock): two overlapping lists send once per contact, an unsubscribed member never, each text rendered for its contact; a STOP before the start time stops that contact's message; pause holds everything while the clock moves, resume sends the rest; cancel sends nothing more and says why on the recipients, the quota given back; a broadcast over the month's remainder fails with the numbers and queues nothing; the missing-variable rules skip and block; another customer's id changes nothing.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=1 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0 WAPORTAL_SEND_HOURLY_CAP=0
    WAPORTAL_SEND_TIMEOUT_MS=2000 WAPORTAL_SEND_LEASE=10"
stack_start --workers 1 --dispatch --runner --clock '2030-03-04 10:00:00+00'
CTL=$STACK_BIN/waportalctl
KEY=bcast-test-key
stack_gwsim_start "$KEY" -d 50 || bail_out "simulator did not start"
simlog() { curl -s "$GWSIM_URL/_sim/log"; }
simctl() { curl -s -X POST -H 'Content-Type: application/json' --data-binary "$2" "$GWSIM_URL/_sim/$1"; }

stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 1000" >/dev/null
ctl_in "$KEY" host add --name sim --url "$GWSIM_URL" --capacity 10 --api-key-stdin
is "$RC" 0 "a host on the simulator" || bail_out "$ERR"
HOST=$(head -n 1 <<<"$OUT")
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES (1, $HOST, 'wa1', 'wa1', 'connected')" >/dev/null
I1=$(sql "SELECT id FROM instances WHERE session = 'wa1'")
is "$(simctl sessions '{"prefix":"wa","count":1}' | jq .created)" 1 "the simulator's session wa1"

# Customer 1: 30 contacts P1..P30, P5 unsubscribed, P1..P10 with a city;
# list L1 = P1..P20, list L2 = P10..P30 (P10..P20 in both).
sql "INSERT INTO contacts (customer_id, phone, name, status, fields)
     SELECT 1, '+628110000' || lpad(g::text, 4, '0'), 'P' || g || ' Q',
         CASE g WHEN 5 THEN 'unsubscribed' ELSE 'subscribed' END,
         CASE WHEN g <= 10 THEN jsonb_build_object('city', 'C' || g) ELSE '{}' END
     FROM generate_series(1, 30) g;
     INSERT INTO contact_fields (customer_id, key, label, kind) VALUES (1, 'city', 'City', 'text');
     INSERT INTO contact_groups (customer_id, name, kind) VALUES (1, 'L1', 'list'), (1, 'L2', 'list')" >/dev/null ||
    bail_out "contacts"
grp() { sql "SELECT id FROM contact_groups WHERE customer_id = 1 AND name = '$1'"; }
L1=$(grp L1) L2=$(grp L2)
members() { sql "SELECT wa_group_add(1, $1, ARRAY(SELECT id FROM contacts WHERE customer_id = 1
    AND substr(name, 2, length(name) - 3)::int BETWEEN $2 AND $3))" >/dev/null; }
members "$L1" 1 20
members "$L2" 10 30
# P30's name holds what an array literal or a template must not choke on.
sql "UPDATE contacts SET name = 'Q\"\\,{x}''<b> Z' WHERE customer_id = 1 AND name = 'P30 Q'" >/dev/null
tpl() { sql "SELECT tpl_id FROM wa_template_save(1, NULL, '$1', '$2')"; }
T1=$(tpl Hello 'Hi {{first_name}}') T2=$(tpl City 'Weather in {{custom.city}}')
phone() { printf '+628110000%04d' "$1"; }
used() { sql "SELECT coalesce(sum(messages), 0) FROM message_counts WHERE customer_id = 1"; }
bc() { sql "SELECT $2 FROM broadcasts WHERE id = $1"; }
# create TEMPLATE 'LIST...' [COLUMNS VALUES]: a draft with the lists as its sources; its id.
create() {
	local id pos=0 l
	id=$(sql "INSERT INTO broadcasts (customer_id, name, template_id, instance_ids${3:+, $3})
	    VALUES (1, 'B', $1, ARRAY[$I1]::bigint[]${4:+, $4}) RETURNING id") || return 1
	for l in $2; do
		sql "INSERT INTO broadcast_sources (broadcast_id, pos, kind, ref_id) VALUES ($id, $pos, 'list', $l)" >/dev/null || return 1
		pos=$((pos + 1))
	done
	echo "$id"
}
# start ID: started; waits until its job has ended.
jobend() { [ "$(sql "SELECT j.state NOT IN ('queued', 'running') FROM jobs j JOIN broadcasts b ON b.job_id = j.id WHERE b.id = $1")" = t ]; }
start() { sql "SELECT wa_broadcast_start(1, $1)" >/dev/null && wait_for 60 jobend "$1"; }
# unsent ID: its messages still waiting or sending.
unsent() { sql "SELECT count(*) FROM messages WHERE broadcast_id = $1 AND status IN ('queued', 'scheduled', 'sending')"; }
alldone() { [ "$(unsent "$1")" = 0 ]; }
# sent TEXT-REGEX: the simulator's sends whose text matches, as "chatId" lines.
sent() { simlog | jq -r --arg t "$1" '.[] | select(.path == "/api/sendText" and .status == 201 and (.text | test($t))) | .chatId' | sort; }
chat() { printf '628110000%04d@c.us' "$1"; }
# witness TEXT: a plain message queued now, sent once the dispatcher ran.
is_sent() { [ "$(sql "SELECT status FROM messages WHERE id = $1")" = sent ]; }
witness() {
	local id
	id=$(sql "SELECT id FROM wa_message_enqueue(1, $I1, '+628119999999', '$1', wa_now(), 'portal')")
	wait_for 30 is_sent "$id"
}

# ---------------------------------------------------------------- two overlapping lists
b1=$(create "$T1" "$L1 $L2") || bail_out "create"
start "$b1"
like "$(bc "$b1" "state || ' ' || recipients || ' ' || skipped || ' ' || reserved || ' ' || queued")" '^(sending|done) 29 1 29 29$' \
    "the runner resolves, reserves and queues: 29 recipients (P5 skipped), 29 places, 29 messages"
is "$(sql "SELECT state FROM jobs WHERE id = $(bc "$b1" job_id)")" done "... in one job, done"
is "$(used)" 29 "... the quota taken at once"
is "$(sql "SELECT count(*) FROM messages WHERE broadcast_id = $b1 AND source = 'broadcast' AND template_id = $T1
    AND template_version = 1 AND send_at = wa_now()")" 29 "... the messages: source broadcast, the template and version, sent now"
is "$(sql "SELECT count(*) FROM broadcast_recipients r JOIN messages m ON m.id = r.message_id
    WHERE r.broadcast_id = $b1 AND r.status = 'queued' AND m.peer_phone = r.phone")" 29 "... each recipient queued with its message"
wait_for 60 alldone "$b1"
ok $? "the dispatcher sends them"
exp=$(for g in $(seq 1 30); do [ "$g" = 5 ] || { chat "$g"; echo; }; done | sort)
is "$(sent '^Hi ')" "$exp" "the simulator got one message per contact of both lists, none for the unsubscribed P5"
is "$(simlog | jq -r --arg c "$(chat 12)" '.[] | select(.chatId == $c) | .text')" "Hi P12" "... rendered for its contact (P12, in both lists)"
is "$(simlog | jq -r --arg c "$(chat 30)" '.[] | select(.chatId == $c) | .text')" "Hi Q\"\\,{x}'<b>" \
    "... quotes, a backslash, braces and markup in a name sent as they are"
is "$(used)" 29 "... no place taken per message"

# ---------------------------------------------------------------- a STOP before the start time
b2=$(create "$T1" "$L1" start_at "wa_now() + interval '1 hour'") || bail_out "create"
start "$b2"
is "$(sql "SELECT string_agg(DISTINCT status, ',') || ' ' || count(*) FROM messages WHERE broadcast_id = $b2")" "scheduled 19" \
    "a broadcast starting in an hour: its 19 messages scheduled"
sql "SELECT wa_message_in($HOST, 'wa1', '$(chat 7)', '$(phone 7)', 'STOP', 'gw-stop-7', NULL)" >/dev/null
is "$(sql "SELECT m.status || ' ' || m.last_error FROM messages m WHERE m.broadcast_id = $b2 AND m.peer_phone = '$(phone 7)'")" \
    "cancelled unsubscribed" "P7 sends STOP: its pending broadcast message is cancelled"
is "$(bc "$b2" reserved) $(used)" "18 47" "... its place given back to the reservation and the month"
stack_clock_add '1 hour' || bail_out "clock"
wait_for 60 alldone "$b2"
ok $? "an hour later the dispatcher sends the rest"
is "$(sent '^Hi P' | grep -c "$(chat 7)")" 1 "... P7 only ever got the first broadcast's message"
is "$(sql "SELECT count(*) FROM messages WHERE broadcast_id = $b2 AND status = 'sent'")" 18 "... the other 18 sent"

# ---------------------------------------------------------------- pause and resume
T3=$(tpl Paused 'Paused one for {{first_name}}')
b3=$(create "$T3" "$L2" start_at "wa_now() + interval '1 minute'") || bail_out "create"
start "$b3"
n3=$(bc "$b3" queued)
is "$(sql "SELECT wa_broadcast_pause(1, $b3, 'checking the text')")" t "paused before its start time"
stack_clock_add '5 minutes' || bail_out "clock"
witness one
ok $? "the dispatcher runs past the start time (a plain message sent)"
is "$(sent '^Paused one' | wc -l)" 0 "... nothing of the paused broadcast sent"
is "$(unsent "$b3")" "$n3" "... all its $n3 messages still wait"
stack_clock_add '5 minutes' || bail_out "clock"
witness two
is "$(sent '^Paused one' | wc -l)" 0 "... nor five minutes later"
is "$(sql "SELECT wa_broadcast_resume(2, $b3)") $(bc "$b3" state)" "f paused" "another customer cannot resume it"
is "$(sql "SELECT wa_broadcast_resume(1, $b3)")" t "resumed"
wait_for 60 alldone "$b3"
ok $? "... the rest is sent"
is "$(sent '^Paused one' | wc -l)" "$n3" "... every message once"

# ---------------------------------------------------------------- cancel
T4=$(tpl Cancelled 'Cancelled one for {{first_name}}')
b4=$(create "$T4" "$L1" start_at "wa_now() + interval '1 minute'") || bail_out "create"
start "$b4"
u=$(used)
is "$(sql "SELECT wa_broadcast_cancel(2, $b4)") $(bc "$b4" state)" "f sending" "another customer cannot cancel it"
is "$(sql "SELECT wa_broadcast_cancel(1, $b4)")" t "cancelled before its start time"
is "$(bc "$b4" "state || ' ' || reserved") $(used)" "cancelled 0 $((u - 18))" "... its 18 places given back"
stack_clock_add '5 minutes' || bail_out "clock"
witness three
is "$(sent '^Cancelled one' | wc -l)" 0 "nothing of it is sent after the cancel"
is "$(sql "SELECT string_agg(DISTINCT status || ':' || reason, ',') || ' ' || count(*) FROM broadcast_recipients
    WHERE broadcast_id = $b4 AND status <> 'skipped'")" "cancelled:broadcast cancelled 18" "... its recipients say why"
is "$(sql "SELECT string_agg(DISTINCT status || ':' || last_error, ',') FROM messages WHERE broadcast_id = $b4")" \
    "cancelled:broadcast cancelled" "... and so do its messages"

# ---------------------------------------------------------------- the quota
u=$(used)
sql "UPDATE packages SET max_messages_month = $((u + 5))" >/dev/null
b5=$(create "$T1" "$L1") || bail_out "create"
start "$b5"
is "$(bc "$b5" "state || ' / ' || fail_reason || ' / ' || reserved || ' ' || queued")" \
    "failed / needs 18 messages, 5 left this month / 0 0" "over the month's remainder: failed, saying how many it needs and how many are left"
is "$(sql "SELECT count(*) FROM messages WHERE broadcast_id = $b5") $(used)" "0 $u" "... nothing queued, nothing reserved"
is "$(sql "SELECT state || ' ' || error FROM jobs WHERE id = $(bc "$b5" job_id)")" "failed needs 18 messages, 5 left this month" \
    "... its job failed with the reason"
sql "UPDATE packages SET max_messages_month = 1000" >/dev/null

# ---------------------------------------------------------------- a variable missing
b6=$(create "$T2" "$L1" missing "'skip'") || bail_out "create"
start "$b6"
like "$(bc "$b6" "state || ' ' || queued || ' ' || reserved")" '^(sending|done) 8 8$' \
    "missing 'skip': the 8 contacts with a city queued (P5 unsubscribed, P7 too), the places of the others given back"
is "$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b6 AND status = 'skipped' AND reason = 'missing variable'")" 10 \
    "... the 10 without a city skipped: missing variable"
wait_for 60 alldone "$b6"
is "$(sent '^Weather in C' | wc -l) $(sent '^Weather in $' | wc -l)" "8 0" "... sent with their city, none without"
b7=$(create "$T2" "$L1" missing "'block'") || bail_out "create"
u=$(used)
start "$b7"
is "$(bc "$b7" "state || ' / ' || fail_reason || ' / ' || queued")" "failed / 10 recipients miss a template variable / 0" \
    "missing 'block': the broadcast fails before queueing, with the count"
is "$(used)" "$u" "... nothing reserved"
b8=$(create "$T2" "$L1") || bail_out "create"
start "$b8"
wait_for 60 alldone "$b8"
is "$(sent '^Weather in $' | wc -l)" 10 "missing 'fallback' (the default): every one sent, the variable empty"

# ---------------------------------------------------------------- hostile values
sql "INSERT INTO broadcasts (customer_id, name, missing) VALUES (1, 'x', 'sometimes')" >/dev/null 2>&1
isnt "$?" 0 "a missing rule not among fallback, skip, block is refused"
done_testing
