#!/bin/sh
# 0176-broadcast-precheck.t: a broadcast's pre-check end to end (runner, dispatcher's check loop, simulator; pinned clock): the numbers ending in 000 skipped 'not on WhatsApp' and the rest sent once, one check-exists per number; the cache answers a second broadcast within 30 days and not after; one customer's cache is never another's; a failed check is tried again; a cancel while checking stops the checks; another customer's cancel changes nothing.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=1 WAPORTAL_PROBE_INTERVAL=3600 WAPORTAL_CHECK_INTERVAL=1
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0 WAPORTAL_SEND_HOURLY_CAP=0
    WAPORTAL_SEND_TIMEOUT_MS=2000 WAPORTAL_SEND_LEASE=10 WAPORTAL_RECEIPT_BATCH=0"
stack_start --workers 1 --dispatch --runner --clock '2030-03-04 10:00:00+00'
CTL=$STACK_BIN/waportalctl
KEY=precheck-test-key
stack_gwsim_start "$KEY" -d 50 || bail_out "simulator did not start"
simlog() { curl -s "$GWSIM_URL/_sim/log"; }
simctl() { curl -s -X POST -H 'Content-Type: application/json' --data-binary "$2" "$GWSIM_URL/_sim/$1"; }

stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 1000; UPDATE customer_packages SET expires_at = wa_now() + interval '1 year'" >/dev/null
ctl_in "$KEY" host add --name sim --url "$GWSIM_URL" --capacity 10 --api-key-stdin
is "$RC" 0 "a host on the simulator" || bail_out "$ERR"
HOST=$(head -n 1 <<<"$OUT")
sql "INSERT INTO instances (customer_id, host_id, session, name, status) VALUES
    (1, $HOST, 'wa1', 'wa1', 'connected'), (2, $HOST, 'wa2', 'wa2', 'connected')" >/dev/null
I1=$(sql "SELECT id FROM instances WHERE session = 'wa1'")
I2=$(sql "SELECT id FROM instances WHERE session = 'wa2'")
is "$(simctl sessions '{"prefix":"wa","count":2}' | jq .created)" 2 "the simulator's sessions wa1 and wa2"

# A number: +62812 KIND N, where KIND 000 ends it in 000 (not on WhatsApp).
# phone N: contact N's number; N in 3, 7, 13 is not on WhatsApp.
phone() { case $1 in 3|7|13) printf '+62812%04d000' "$1" ;; *) printf '+62812%04d111' "$1" ;; esac; }
# contacts CUSTOMER LIST FROM TO: contacts N of FROM..TO, subscribed, in a new list LIST.
contacts() {
	local g
	for g in $(seq "$3" "$4"); do
		sql "INSERT INTO contacts (customer_id, phone, name, status) VALUES ($1, '$(phone "$g")', 'P$g', 'subscribed')" >/dev/null
	done
	sql "INSERT INTO contact_groups (customer_id, name, kind) VALUES ($1, '$2', 'list')" >/dev/null
	sql "SELECT wa_group_add($1, g.id, ARRAY(SELECT id FROM contacts WHERE customer_id = $1
	    AND substr(name, 2)::int BETWEEN $3 AND $4)) FROM contact_groups g WHERE g.customer_id = $1 AND g.name = '$2'" >/dev/null
}
grp() { sql "SELECT id FROM contact_groups WHERE customer_id = $1 AND name = '$2'"; }
contacts 1 L1 1 10
contacts 1 L2 11 14
contacts 1 L3 15 18
contacts 2 M1 1 4
L1=$(grp 1 L1) L2=$(grp 1 L2) L3=$(grp 1 L3) M1=$(grp 2 M1)
T1=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Hello', 'Hi {{first_name}}')")
T2=$(sql "SELECT tpl_id FROM wa_template_save(2, NULL, 'Hello', 'Hey {{first_name}}')")
bc() { sql "SELECT $2 FROM broadcasts WHERE id = $1"; }
# create CUSTOMER TEMPLATE INSTANCE LIST: a draft with precheck; its id.
create() {
	local id
	id=$(sql "INSERT INTO broadcasts (customer_id, name, template_id, instance_ids, precheck)
	    VALUES ($1, 'B', $2, ARRAY[$3]::bigint[], true) RETURNING id") || return 1
	sql "INSERT INTO broadcast_sources (broadcast_id, pos, kind, ref_id) VALUES ($id, 0, 'list', $4)" >/dev/null || return 1
	echo "$id"
}
state_is() { [ "$(bc "$1" state)" = "$2" ]; }
unsent() { sql "SELECT count(*) FROM messages WHERE broadcast_id = $1 AND status IN ('queued', 'scheduled', 'sending')"; }
# sent ID: the broadcast queued and every message of it sent.
sent_all() { [ "$(bc "$1" "state IN ('sending', 'done')")" = t ] && [ "$(unsent "$1")" = 0 ]; }
# checks [STATUS]: the simulator's check-exists calls (answered STATUS, 200 by default), as phone lines.
checks() { simlog | jq -r --argjson s "${1:-200}" '.[] | select(.path == "/api/contacts/check-exists" and .status == $s) | .phone' | sort; }
# texts REGEX: the simulator's sends whose text matches, as "chatId" lines.
texts() { simlog | jq -r --arg t "$1" '.[] | select(.path == "/api/sendText" and .status == 201 and (.text | test($t))) | .chatId' | sort; }
digits() { local g; for g in "$@"; do phone "$g" | tr -d +; echo; done | sort; }
chats() { local g; for g in "$@"; do printf '%s@c.us\n' "$(phone "$g" | tr -d +)"; done | sort; }
skipped() { sql "SELECT string_agg(substr(c.name, 2), ' ' ORDER BY c.id) FROM broadcast_recipients r JOIN contacts c ON c.id = r.contact_id
    WHERE r.broadcast_id = $1 AND r.status = 'skipped' AND r.reason = 'not on WhatsApp'"; }

# ---------------------------------------------------------------- the pre-check
b1=$(create 1 "$T1" "$I1" "$L1") || bail_out "create"
sql "SELECT wa_broadcast_start(1, $b1)" >/dev/null
wait_for 60 sent_all "$b1"
ok $? "a broadcast with the pre-check: resolved, checked, then reserved, queued and sent"
is "$(checks)" "$(digits $(seq 1 10))" "the simulator was asked about each of its 10 numbers once"
is "$(skipped "$b1")" "3 7" "... the two ending in 000 skipped: not on WhatsApp"
is "$(bc "$b1" "recipients || ' ' || skipped || ' ' || reserved || ' ' || queued")" "8 2 8 8" \
    "... 8 recipients, 2 skipped, 8 places reserved, 8 messages"
is "$(texts '^Hi P')" "$(chats 1 2 4 5 6 8 9 10)" "... each of the other 8 sent once"
is "$(sql "SELECT count(*) || ' ' || count(*) FILTER (WHERE NOT on_whatsapp) FROM number_checks WHERE customer_id = 1")" "10 2" \
    "the answers kept in the customer's cache"
is "$(sql "SELECT string_agg(substr(name, 2), ' ' ORDER BY id) FROM contacts WHERE customer_id = 1 AND on_whatsapp = false")" "3 7" \
    "... and on the contacts: 3 and 7 not on WhatsApp"
is "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND on_whatsapp") $(sql "SELECT count(*) FROM contacts WHERE on_whatsapp IS NULL")" \
    "8 12" "... the 8 others on it, the contacts never asked unknown"
is "$(sql "SELECT count(*) || ' ' || string_agg(DISTINCT state, ',') FROM jobs WHERE kind = 'broadcast'")" "2 done" \
    "two runner jobs: the resolution (ending at the check) and the reservation after it"
is "$(bc "$b1" "checked_at IS NOT NULL AND job_id = (SELECT max(id) FROM jobs)")" t "... the broadcast's job the second"

# ---------------------------------------------------------------- the cache
stack_clock_add '10 days' || bail_out "clock"
b2=$(create 1 "$T1" "$I1" "$L1") || bail_out "create"
sql "SELECT wa_broadcast_start(1, $b2)" >/dev/null
wait_for 60 sent_all "$b2"
ok $? "ten days later a second broadcast to the same list is sent"
is "$(checks | wc -l)" 10 "... without asking the simulator (the cache answered)"
is "$(skipped "$b2") $(bc "$b2" "recipients || ' ' || queued")" "3 7 8 8" "... the same two skipped, the same 8 sent"
is "$(sql "SELECT count(*) FROM jobs WHERE kind = 'broadcast'")" 3 "... in one job (no check)"

stack_clock_add '21 days' || bail_out "clock"
b3=$(create 1 "$T1" "$I1" "$L1") || bail_out "create"
sql "SELECT wa_broadcast_start(1, $b3)" >/dev/null
wait_for 60 sent_all "$b3"
ok $? "31 days after the first check a third broadcast is sent"
is "$(checks)" "$(digits $(seq 1 10) $(seq 1 10))" "... after asking again about each number once"
is "$(skipped "$b3")" "3 7" "... the two not on WhatsApp skipped"
is "$(sql "SELECT count(*) FROM number_checks WHERE customer_id = 1 AND checked_at = wa_now()")" 10 "... the cache renewed"

# ---------------------------------------------------------------- another customer's cache
b4=$(create 2 "$T2" "$I2" "$M1") || bail_out "create"
sql "SELECT wa_broadcast_start(2, $b4)" >/dev/null
wait_for 60 sent_all "$b4"
ok $? "another customer's broadcast to 4 of the same numbers is sent"
is "$(checks | uniq -c | awk '$1 == 3 {print $2}')" "$(digits 1 2 3 4)" \
    "... after asking about its numbers itself: customer 1's answers are not its own"
is "$(skipped "$b4") $(texts '^Hey P' | wc -l)" "3 3" "... 3 skipped, the 3 others sent"
is "$(sql "SELECT count(*) FROM number_checks WHERE customer_id = 2")" 4 "... its own cache of 4 numbers"

# ---------------------------------------------------------------- a failed check
simctl faults '{"lookup":"5xx","lookup_count":2}' >/dev/null
b5=$(create 1 "$T1" "$I1" "$L2") || bail_out "create"
sql "SELECT wa_broadcast_start(1, $b5)" >/dev/null
failed2() { [ "$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b5 AND check_tries = 1")" = 2 ]; }
wait_for 60 failed2
ok $? "the gateway fails two checks (500): each recipient waits to be tried again"
wait_for 60 eval '[ "$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = '"$b5"' AND check_due IS NULL")" = 2 ]'
is "$(bc "$b5" state)" checking "... the broadcast stays checking while they wait"
stack_clock_add '1 minute' || bail_out "clock"
wait_for 60 sent_all "$b5"
ok $? "a minute later they are asked again and the broadcast is sent"
is "$(checks | grep -c -E "^62812001[1-4]")" 4 "... each of its 4 numbers answered once"
is "$(skipped "$b5") $(bc "$b5" queued)" "13 3" "... 13 skipped, 3 sent"

# ---------------------------------------------------------------- cancel while checking
simctl faults '{"lookup":"5xx","lookup_count":1000}' >/dev/null
b6=$(create 1 "$T1" "$I1" "$L3") || bail_out "create"
sql "SELECT wa_broadcast_start(1, $b6)" >/dev/null
wait_for 60 eval '[ "$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = '"$b6"' AND check_tries > 0")" = 4 ]'
ok $? "a broadcast whose checks fail waits in checking"
is "$(sql "SELECT wa_broadcast_cancel(2, $b6)") $(bc "$b6" state)" "f checking" "another customer cannot cancel it"
is "$(sql "SELECT wa_broadcast_cancel(1, $b6)") $(bc "$b6" state)" "t cancelled" "its customer cancels it"
is "$(sql "SELECT string_agg(DISTINCT status || ':' || reason, ',') || ' ' || count(*) || ' ' || count(check_due)
    FROM broadcast_recipients WHERE broadcast_id = $b6")" "cancelled:broadcast cancelled 4 0" \
    "... its recipients cancelled, none left to check"
simctl faults '{"lookup":"ok","lookup_count":0}' >/dev/null
n500=$(checks 500 | wc -l)
stack_clock_add '1 hour' || bail_out "clock"
# A witness: a broadcast checked after the cancel, its retries long due.
b7=$(create 1 "$T1" "$I1" "$L2") || bail_out "create"
sql "UPDATE number_checks SET checked_at = wa_now() - interval '31 days' WHERE customer_id = 1" >/dev/null
sql "SELECT wa_broadcast_start(1, $b7)" >/dev/null
wait_for 60 sent_all "$b7"
ok $? "an hour later another broadcast is checked and sent"
is "$(checks | grep -c -E "^62812001(5|6|7|8)")" 0 "... the cancelled one's numbers were never asked again"
is "$(checks 500 | wc -l)" "$n500" "... not even as failures"
is "$(sql "SELECT count(*) FROM messages WHERE broadcast_id = $b6")" 0 "... and nothing of it was queued"

# ---------------------------------------------------------------- hostile values
sql "INSERT INTO number_checks (customer_id, phone, on_whatsapp) VALUES (1, '0812; DROP TABLE contacts', true)" >/dev/null 2>&1
isnt "$?" 0 "a cache row with a number not in E.164 is refused"
sql "UPDATE broadcasts SET state = 'checkin' WHERE id = $b1" >/dev/null 2>&1
isnt "$?" 0 "a state not among the broadcast states is refused"
k=$(sql "SELECT count(*) FROM number_checks")
sql "SELECT wa_number_check_record($b1, 999999, false, '', 0, 0, 30)" >/dev/null
is "$(bc "$b1" "skipped") $(sql "SELECT count(*) FROM number_checks")" "2 $k" \
    "an answer about a contact not in the broadcast changes nothing"
done_testing
