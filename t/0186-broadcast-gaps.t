#!/bin/sh
# 0186-broadcast-gaps.t: issue 14's gaps (sql/0036; pinned clock): a broadcast whose queueing job after the pre-check is given up by the runner ends 'failed' with the job's error, nothing reserved; one given up mid-queueing (sending or paused) ends 'failed', its unsent messages cancelled ('broadcast failed'), the places given back, the sent kept; a broadcast can be paused while checking (an answer in flight still kept, its end waits for the resume), resumed to 'checking' or straight to 'ready' with its queueing job, cancelled while paused so; its number leaving 'connected' pauses it with the reason; another customer's pause or resume changes nothing.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2030-01-02 03:04:05+00'
stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo city=Jakarta country=ID >/dev/null
sql "UPDATE packages SET max_contacts = 1000;
     INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
         (1, 1, 'wa_a', 'A', 'connected', '+6281111111111');
     INSERT INTO contacts (customer_id, phone, name, status)
         SELECT 1, '+62813' || lpad(g::text, 8, '0'), 'N' || g, 'subscribed' FROM generate_series(1, 10) g;
     INSERT INTO contact_groups (customer_id, name, kind) VALUES (1, 'All', 'list')" >/dev/null || bail_out "seeding failed"
gid=$(sql "SELECT id FROM contact_groups WHERE customer_id = 1")
sql "SELECT wa_group_add(1, $gid, ARRAY(SELECT id FROM contacts WHERE customer_id = 1))" >/dev/null || bail_out "list"
tpl=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Hello', 'Hi {{first_name}}')")
inst=$(sql "SELECT id FROM instances WHERE session = 'wa_a'")
# started NAME PRECHECK: a broadcast of customer 1 to the list, started; "BROADCAST JOB".
started() {
	local id
	id=$(sql "INSERT INTO broadcasts (customer_id, name, template_id, instance_ids, precheck)
	    VALUES (1, '$1', $tpl, ARRAY[$inst]::bigint[], $2) RETURNING id") || return 1
	sql "INSERT INTO broadcast_sources (broadcast_id, pos, kind, ref_id) VALUES ($id, 0, 'list', $gid)" >/dev/null || return 1
	echo "$id $(sql "SELECT wa_broadcast_start(1, $id)")"
}
bc() { sql "SELECT $2 FROM broadcasts WHERE id = $1"; }
state() { sql "SELECT state || ' ' || coalesce(nullif(fail_reason, ''), '-') FROM broadcasts WHERE id = $1"; }
# killed JOB N: as if N runners had claimed job JOB and died: running, its lease run out.
killed() {
	sql "UPDATE jobs SET state = 'running', attempts = $2, lease_owner = 'gone:1',
	    lease_until = wa_now() - interval '1 minute', started_at = wa_now() WHERE id = $1" >/dev/null
}
jobs_over() { [ "$(sql "SELECT count(*) FROM jobs WHERE id IN ($*) AND state NOT IN ('done', 'failed')")" = 0 ]; }
# answer BROADCAST CONTACT EXISTS: the check loop's answer about one recipient.
answer() { sql "SELECT wa_number_check_record($1, $2, $3, '', 0, 0, 30)"; }
due() { sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $1 AND check_due IS NOT NULL"; }
cids() { sql "SELECT string_agg(contact_id::text, ' ' ORDER BY contact_id) FROM broadcast_recipients WHERE broadcast_id = $1 AND check_due IS NOT NULL"; }
used() { sql "SELECT coalesce(sum(messages), 0) FROM message_counts WHERE customer_id = 1"; }
GAVE_UP='The job stopped several times before it'

# ---------------------------------------------------------------- resolved by the runner, checking
read -r b1 j1 < <(started One true) || bail_out "start"
read -r b2 j2 < <(started Two true) || bail_out "start"
read -r b3 j3 < <(started Three true) || bail_out "start"
read -r b4 j4 < <(started Four false) || bail_out "start"
stack_runner_start || bail_out "no runner"
wait_for 60 jobs_over "$j1, $j2, $j3, $j4" || diag_file "$(stack_log runner.log)"
stack_runner_stop
is "$(bc "$b1" state) $(bc "$b2" state) $(bc "$b3" state) $(due "$b1")" "checking checking checking 10" \
    "three broadcasts with the pre-check resolved and checking, 10 numbers to ask each"
is "$(bc "$b4" "state || ' ' || queued || ' ' || reserved")" "sending 10 10" "one without: reserved and queued"

# ---------------------------------------------------------------- the queueing job after the pre-check given up
for c in $(cids "$b1"); do answer "$b1" "$c" true >/dev/null; done
is "$(bc "$b1" "state || ' ' || (checked_at IS NOT NULL) || ' ' || (job_id <> $j1)")" "ready true true" \
    "the last answer: ready, with its queueing job"
j1b=$(bc "$b1" job_id)
u0=$(used)
killed "$j1b" 3
stack_runner_start || bail_out "no runner"
wait_for 60 jobs_over "$j1b" || diag_file "$(stack_log runner.log)"
stack_runner_stop
is "$(sql "SELECT state || ' ' || attempts FROM jobs WHERE id = $j1b")" "failed 3" "the runner gives up on the queueing job claimed 3 times"
like "$(state "$b1")" "^failed $GAVE_UP" "... the broadcast ends failed (not ready), fail_reason the job's error"
is "$(bc "$b1" "(finished_at IS NOT NULL) || ' ' || reserved || ' ' || queued") $(used)" "true 0 0 $u0" \
    "... finished, nothing reserved nor queued"

# ---------------------------------------------------------------- given up mid-queueing
m1=$(sql "SELECT min(id) FROM messages WHERE broadcast_id = $b4")
sql "UPDATE messages SET status = 'sent', sent_at = wa_now() WHERE id = $m1" >/dev/null
u0=$(used)
killed "$j4" 3
is "$(sql "SELECT count(*) FROM wa_job_claim('t:1', 60, 3, 'gave up', '{broadcast}')")" 0 "a sending broadcast's job given up mid-queueing"
is "$(state "$b4")" "failed gave up" "... the broadcast ends failed with the job's error"
is "$(sql "SELECT string_agg(status || ':' || n, ' ' ORDER BY status) FROM (SELECT status, count(*) AS n FROM messages
    WHERE broadcast_id = $b4 GROUP BY status) x")" "cancelled:9 sent:1" "... its 9 unsent messages cancelled, the sent one kept"
is "$(sql "SELECT string_agg(status || ':' || reason || ':' || n, ' ' ORDER BY status) FROM (SELECT status, reason, count(*) AS n
    FROM broadcast_recipients WHERE broadcast_id = $b4 GROUP BY status, reason) x")" "cancelled:broadcast failed:9 queued::1" \
    "... their recipients cancelled: broadcast failed"
is "$(bc "$b4" "reserved || ' ' || (cancelled_at IS NULL) || ' ' || (finished_at IS NOT NULL)") $(( u0 - $(used) ))" "1 true true 9" \
    "... the 9 places given back to the month, one kept for the sent"

read -r b5 j5 < <(started Five false) || bail_out "start"
stack_runner_start || bail_out "no runner"
wait_for 60 jobs_over "$j5" || diag_file "$(stack_log runner.log)"
stack_runner_stop
is "$(sql "SELECT wa_broadcast_pause(1, $b5, '')")" t "a sending broadcast paused"
killed "$j5" 3
sql "SELECT count(*) FROM wa_job_claim('t:1', 60, 3, 'gave up', '{broadcast}')" >/dev/null
is "$(state "$b5") $(sql "SELECT count(*) FROM messages WHERE broadcast_id = $b5 AND status <> 'cancelled'")" "failed gave up 0" \
    "a paused one whose job is given up ends failed too, nothing left to send"
is "$(sql "SELECT wa_broadcast_resume(1, $b5)") $(state "$b5")" "f failed gave up" "... and is not resumed"

# ---------------------------------------------------------------- pause while checking
is "$(sql "SELECT wa_broadcast_pause(2, $b2, '')") $(bc "$b2" state)" "f checking" "another customer's pause changes nothing"
is "$(sql "SELECT wa_broadcast_pause(1, $b2, '')") $(bc "$b2" state)" "t paused" "a checking broadcast is paused"
set -- $(cids "$b2")
is "$(answer "$b2" "$1" false)" paused "an answer in flight while paused is kept ..."
is "$(sql "SELECT status || ' ' || reason FROM broadcast_recipients WHERE broadcast_id = $b2 AND contact_id = $1")" \
    "skipped not on WhatsApp" "... the recipient not on WhatsApp skipped"
is "$(bc "$b2" "recipients || ' ' || skipped")" "9 1" "... the counters moved"
is "$(sql "SELECT wa_broadcast_resume(2, $b2)") $(bc "$b2" state)" "f paused" "another customer's resume changes nothing"
is "$(sql "SELECT wa_broadcast_resume(1, $b2)") $(bc "$b2" "state || ' ' || job_id")" "t checking $j2" \
    "resumed with numbers left to ask: checking again, no new job"
shift
is "$(sql "SELECT wa_broadcast_pause(1, $b2, '')")" t "paused again"
for c in "$@"; do answer "$b2" "$c" true >/dev/null; done
is "$(bc "$b2" "state || ' ' || (checked_at IS NULL) || ' ' || job_id") $(due "$b2")" "paused true $j2 0" \
    "every answer back while paused: still paused, the pre-check not ended"
is "$(sql "SELECT wa_broadcast_resume(1, $b2)") $(bc "$b2" "state || ' ' || (checked_at IS NOT NULL) || ' ' || (job_id <> $j2)")" \
    "t ready true true" "resumed with nothing left to ask: ready with its queueing job"
j2b=$(bc "$b2" job_id)
stack_runner_start || bail_out "no runner"
wait_for 60 jobs_over "$j2b" || diag_file "$(stack_log runner.log)"
stack_runner_stop
is "$(bc "$b2" "state || ' ' || recipients || ' ' || queued")" "sending 9 9" "... the job reserved and queued the 9 left"

# ---------------------------------------------------------------- a disconnect while checking, cancel while paused so
sql "UPDATE instances SET status = 'disconnected' WHERE id = $inst" >/dev/null
is "$(bc "$b3" "state || ' ' || pause_reason")" "paused Paused: number +6281111111111 disconnected" \
    "the number leaving connected pauses the checking broadcast with the reason"
is "$(bc "$b2" "state || ' ' || pause_reason")" "paused Paused: number +6281111111111 disconnected" "... and the sending one, as before"
sql "UPDATE instances SET status = 'connected' WHERE id = $inst" >/dev/null
is "$(sql "SELECT wa_broadcast_cancel(2, $b3)") $(bc "$b3" state)" "f paused" "another customer's cancel changes nothing"
is "$(sql "SELECT wa_broadcast_cancel(1, $b3)") $(bc "$b3" state) $(due "$b3")" "t cancelled 0" \
    "cancelled while paused in its pre-check: nothing left to ask"
is "$(sql "SELECT string_agg(DISTINCT status || ':' || reason, ' ') FROM broadcast_recipients WHERE broadcast_id = $b3")" \
    "cancelled:broadcast cancelled" "... its recipients cancelled"
is "$(sql "SELECT wa_broadcast_resume(1, $b2)") $(bc "$b2" "state || ' ' || pause_reason")" "t sending " \
    "a broadcast paused while sending resumes to sending"

stack_stop
done_testing
