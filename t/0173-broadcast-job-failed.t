#!/bin/sh
# 0173-broadcast-job-failed.t: a broadcast whose resolution job the runner gives up on (claimed WAPORTAL_RUNNER_MAX_ATTEMPTS times) ends 'failed' with the job's error as fail_reason (sql/0030's trigger on jobs), in the job's transaction; a broadcast resolved meanwhile, one cancelled, another kind of job failing and a job done change nothing else.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2030-01-02 03:04:05+00'
stack_customers 2 100 c@example.com || bail_out "seeding failed"
stack_host demo city=Jakarta country=ID >/dev/null
sql "UPDATE packages SET max_contacts = 1000;
     INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
         (1, 1, 'wa_a', 'A', 'connected', '+6281111111111');
     INSERT INTO contacts (customer_id, phone, name, status)
         SELECT 1, '+62813' || lpad(g::text, 8, '0'), 'N' || g, 'subscribed' FROM generate_series(1, 20) g;
     INSERT INTO contact_groups (customer_id, name, kind) VALUES (1, 'All', 'list')" >/dev/null || bail_out "seeding failed"
gid=$(sql "SELECT id FROM contact_groups WHERE customer_id = 1")
sql "SELECT wa_group_add(1, $gid, ARRAY(SELECT id FROM contacts WHERE customer_id = 1))" >/dev/null || bail_out "list"
tpl=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Hello', 'Hi {{first_name}}')")
inst=$(sql "SELECT id FROM instances WHERE session = 'wa_a'")
# started NAME: a broadcast of customer 1 to the list, started; "BROADCAST JOB".
started() {
	local id
	id=$(sql "INSERT INTO broadcasts (customer_id, name, template_id, instance_ids)
	    VALUES (1, '$1', $tpl, ARRAY[$inst]::bigint[]) RETURNING id") || return 1
	sql "INSERT INTO broadcast_sources (broadcast_id, pos, kind, ref_id) VALUES ($id, 0, 'list', $gid)" >/dev/null || return 1
	echo "$id $(sql "SELECT wa_broadcast_start(1, $id)")"
}
state() { sql "SELECT state || ' ' || coalesce(nullif(fail_reason, ''), '-') || ' ' || (finished_at IS NOT NULL) FROM broadcasts WHERE id = $1"; }
# killed JOB N: as if N runners had claimed job JOB and died: running, its lease run out.
killed() {
	sql "UPDATE jobs SET state = 'running', attempts = $2, lease_owner = 'gone:1',
	    lease_until = wa_now() - interval '1 minute', started_at = wa_now() WHERE id = $1" >/dev/null
}
GAVE_UP='The job stopped several times before it'

read -r b1 j1 < <(started One) || bail_out "start"
read -r b2 j2 < <(started Two) || bail_out "start"
read -r b3 j3 < <(started Three) || bail_out "start"
is "$(state "$b1") $(state "$b2")" "resolving - false resolving - false" "two broadcasts resolving, their jobs queued"
killed "$j1" 3
killed "$j3" 3
sql "UPDATE broadcasts SET state = 'cancelled', finished_at = wa_now() WHERE id = $b3" >/dev/null

# ---------------------------------------------------------------- the real runner gives up
stack_runner_start || bail_out "no runner"
over() { [ "$(sql "SELECT count(*) FROM jobs WHERE id IN ($j1, $j2, $j3) AND state IN ('done', 'failed')")" = 3 ]; }
wait_for 60 over || diag_file "$(stack_log runner.log)"
is "$(sql "SELECT state || ' ' || attempts FROM jobs WHERE id = $j1")" "failed 3" "the runner gives up on the job claimed 3 times"
like "$(state "$b1")" "^failed $GAVE_UP.* true\$" "... its broadcast ends failed, fail_reason the job's error, finished"
is "$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b1")" 0 "... with no recipient queued"
is "$(state "$b2")" "sending - false" "the other broadcast's job ran: resolved, reserved and queued (sending), untouched"
like "$(state "$b3")" "^cancelled - true\$" "a cancelled broadcast whose job failed stays cancelled"
stack_runner_stop

# ---------------------------------------------------------------- in SQL: the job's transaction, other jobs
read -r b4 j4 < <(started Four) || bail_out "start"
killed "$j4" 3
sql "BEGIN; SELECT count(*) FROM wa_job_claim('t:1', 60, 3, 'gave up', '{broadcast}'); ROLLBACK" >/dev/null
is "$(state "$b4") $(sql "SELECT state FROM jobs WHERE id = $j4")" "resolving - false running" "a give-up rolled back: the broadcast still resolving"
is "$(sql "SELECT count(*) FROM wa_job_claim('t:1', 60, 3, 'gave up', '{broadcast}')")" 0 "wa_job_claim gives up on it"
is "$(state "$b4")" "failed gave up true" "... the broadcast failed in the same statement"
read -r b5 j5 < <(started Five) || bail_out "start"
sql "UPDATE jobs SET state = 'done' WHERE id = $j5" >/dev/null
bj=$(sql "INSERT INTO jobs (customer_id, kind) VALUES (1, 'bulk') RETURNING id")
sql "UPDATE jobs SET state = 'failed', error = 'x' WHERE id = $bj" >/dev/null
is "$(state "$b5")" "resolving - false" "a job ending done, or another kind failing, changes no broadcast"
sql "UPDATE jobs SET error = 'again' WHERE id = $j4; UPDATE jobs SET state = 'failed' WHERE id = $j4" >/dev/null
is "$(state "$b4")" "failed gave up true" "a failed job updated again changes nothing more"

stack_stop
done_testing
