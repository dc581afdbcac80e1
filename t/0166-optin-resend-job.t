#!/bin/sh
# 0166-optin-resend-job.t: double opt-in's "resend to all pending" runs as a runner job ('optin') in batches of 1,000 with a resume point: the page goes to the job's page (live progress, then how many were asked again), one job per list at a time; a runner killed mid-job resumes without asking anyone twice; cancel after a confirmation; another customer's list and job 404; bad ids refused.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2030-03-04 10:00:00+00' --runner
stack_customers 1 100000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo city=Jakarta country=ID >/dev/null || bail_out "seeding failed"
d=$STACK_DIR
gates=$d/gates
mkdir -p "$gates"
chmod 777 "$gates"
# Customer 1: 2,500 contacts and one unsubscribed, pending in a list that
# asks for confirmation (each asked once when added); customer 2: a list.
sql "UPDATE packages SET max_contacts = 100000;
     INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
         (1, 1, 'wa_b', 'B', 'connected', '+6281100001');
     INSERT INTO contacts (customer_id, phone, name, status)
         SELECT 1, '+62813' || lpad(g::text, 8, '0'), 'N' || g,
             CASE WHEN g = 2501 THEN 'unsubscribed' ELSE 'unknown' END FROM generate_series(1, 2501) g;
     INSERT INTO contact_groups (customer_id, name, kind, confirm) VALUES (1, 'News', 'list', true), (2, 'Theirs', 'list', true)" >/dev/null ||
    bail_out "seeding failed"
gid=$(sql "SELECT id FROM contact_groups WHERE customer_id = 1")
oid=$(sql "SELECT id FROM contact_groups WHERE customer_id = 2")
sql "SELECT wa_group_add(1, $gid, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 ORDER BY id))" >/dev/null
optins() { sql "SELECT count(*) FROM messages WHERE source = 'optin'"; }
is "$(sql "SELECT pending FROM contact_groups WHERE id = $gid") $(optins)" "2501 2500" "2,501 pending, 2,500 asked once"
stack_clock_add '25 hours' || bail_out "clock"

jar=$d/jar jar2=$d/jar2
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
login() {
	http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
	http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$STACK_PW"
	http GET /contacts/groups -b "$jar"; csrf=$(csrf_of)
	http GET /contacts/groups -b "$jar2"; csrf2=$(csrf_of)
}
job_over() { [ "$(sql "SELECT state IN ('done', 'failed', 'cancelled') FROM jobs WHERE id = $1")" = t ]; }
job_wait() { wait_for 120 job_over "$1" || { diag "job $1 did not end"; diag_file "$(stack_log runner.log)"; }; }
resend_all() { http POST "/contacts/groups/$1/pending/resend-all" -b "$2" --data-urlencode "_csrf=$3"; }
login

# ---------------------------------------------------------------- killed mid-job, resumed
stack_runner_stop
WAPORTAL_RUNNER_TEST_PAUSE=optin:$gates/k1 stack_runner_start || bail_out "no runner"
http GET "/contacts/groups/$gid/pending/resend-all" -b "$jar"
is "$HTTP_STATUS $(optins)" "200 2500" "resend to all asks first, sending nothing"
resend_all "$gid" "$jar" "$csrf"
loc=$(header Location)
job=${loc##*/}
like "$HTTP_STATUS $loc" '^303 /contacts/optin/[0-9]+$' "resend to all: 303 to the job's page, at once"
resend_all "$gid" "$jar" "$csrf"
is "$(header Location)" "$loc" "... asked again meanwhile: the same job (one per list at a time)"
wait_for 60 test -e "$gates/k1.waiting"
ok $? "the runner pauses after its first batch"
http GET "$loc" -b "$jar"
is "$HTTP_STATUS" 200 "the job's page: 200"
like "$HTTP_BODY" 'data-live-job="/contacts/optin/[0-9]+/live.json"' "... refreshing itself while it runs"
like "$HTTP_BODY" 'News' "... naming the list"
http GET "$loc/live.json" -b "$jar"
is "$(jq -c '[.state, .rows, .total, .over]' <<<"$HTTP_BODY")" '["running",1000,2501,false]' "its live.json: 1,000 of 2,501 done"
stack_runner_kill
is "$(sql "SELECT walked || ' ' || sent || ' ' || last_id FROM optin_resends WHERE job_id = $job") $(optins)" \
    "1000 1000 $(sql "SELECT id FROM contacts WHERE customer_id = 1 ORDER BY id OFFSET 999 LIMIT 1") 3500" \
    "killed after one batch: 1,000 walked and asked again, the resume point after them"
stack_runner_start || bail_out "no runner"
stack_clock_add '2 minutes' || bail_out "clock"
job_wait "$job"
is "$(sql "SELECT j.state || ' ' || j.attempts || ' ' || o.walked || ' ' || o.sent FROM jobs j JOIN optin_resends o ON o.job_id = j.id WHERE j.id = $job")" \
    "done 2 2501 2500" "... resumed by the next runner: every member walked once, 2,500 asked again"
is "$(optins)" 5000 "... 5,000 confirmations in all"
is "$(sql "SELECT string_agg(DISTINCT sends::text, ',') FROM contact_group_pending p JOIN contacts c ON c.id = p.contact_id WHERE c.status <> 'unsubscribed'") $(sql "SELECT sends FROM contact_group_pending p JOIN contacts c ON c.id = p.contact_id WHERE c.status = 'unsubscribed'")" \
    "2 0" "... each subscribable member asked exactly twice, the unsubscribed one never"
is "$(sql "SELECT count(*) FROM (SELECT peer FROM messages WHERE source = 'optin' GROUP BY peer HAVING count(*) <> 2) x")" 0 \
    "... no number got a third confirmation"
login
http GET "$loc" -b "$jar"
like "$HTTP_BODY" '<dd>2500</dd>' "the job's page: 2,500 sent again"
unlike "$HTTP_BODY" 'data-live-job' "... no longer refreshing"
http GET "$loc/live.json" -b "$jar"
is "$(jq -c '[.state, .rows, .sent, .over]' <<<"$HTTP_BODY")" '["done",2501,2500,true]' "its live.json: done"

# ---------------------------------------------------------------- the 24-hour cap, cancel
resend_all "$gid" "$jar" "$csrf"
job2=$(header Location); job2=${job2##*/}
isnt "$job2" "$job" "a second resend the same day: a new job"
job_wait "$job2"
is "$(sql "SELECT state || ' ' || walked || ' ' || sent FROM jobs j JOIN optin_resends o ON o.job_id = j.id WHERE j.id = $job2") $(optins)" \
    "done 2501 0 5000" "... walks them all and asks nobody (24 hours)"
stack_clock_add '25 hours' || bail_out "clock"
login
stack_runner_stop
WAPORTAL_RUNNER_TEST_PAUSE=optin:$gates/c1 stack_runner_start || bail_out "no runner"
resend_all "$gid" "$jar" "$csrf"
job3=$(header Location); job3=${job3##*/}
wait_for 60 test -e "$gates/c1.waiting"
http GET "/contacts/optin/$job3/cancel" -b "$jar"
like "$HTTP_BODY" 'Stop resending\?' "cancel asks first"
is "$(sql "SELECT cancel_asked FROM jobs WHERE id = $job3")" f "... changing nothing"
http POST "/contacts/optin/$job3/cancel" -b "$jar2" --data-urlencode "_csrf=$csrf2"
is "$HTTP_STATUS $(sql "SELECT cancel_asked FROM jobs WHERE id = $job3")" "404 f" "another customer's cancel: 404, nothing asked"
http POST "/contacts/optin/$job3/cancel" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS $(header Location)" "303 /contacts/optin/$job3" "cancel: 303 to the job's page"
touch "$gates/c1"
job_wait "$job3"
is "$(sql "SELECT state || ' ' || walked FROM jobs j JOIN optin_resends o ON o.job_id = j.id WHERE j.id = $job3") $(optins)" \
    "cancelled 1000 6000" "... cancelled after its first batch: the 1,000 queued stay, nobody else asked"
stack_runner_stop
stack_runner_start || bail_out "no runner"

# ---------------------------------------------------------------- another customer's, bad ids
n=$(sql "SELECT count(*) FROM jobs")
resend_all "$gid" "$jar2" "$csrf2"
is "$HTTP_STATUS $(sql "SELECT count(*) FROM jobs")" "404 $n" "another customer's list: 404, no job"
http GET "/contacts/optin/$job" -b "$jar2"
is "$HTTP_STATUS" 404 "another customer's job page: 404"
http GET "/contacts/optin/$job/live.json" -b "$jar2"
is "$HTTP_STATUS" 404 "... its live.json: 404"
bj=$(sql "INSERT INTO jobs (customer_id, kind, state) VALUES (1, 'export', 'done') RETURNING id")
http GET "/contacts/optin/$bj" -b "$jar"
is "$HTTP_STATUS" 404 "a job of another kind: 404"
for p in 99999999 0 99999999999999999999 "1%27%20OR%201=1" -1; do
	http GET "/contacts/optin/$p" -b "$jar"
	is "$HTTP_STATUS" 404 "job id '$p': 404"
done
resend_all 99999999 "$jar" "$csrf"
is "$HTTP_STATUS $(sql "SELECT count(*) FROM jobs")" "404 $((n + 1))" "a list that does not exist: 404, no job"
resend_all "$gid" "$jar" "bad-token"
is "$HTTP_STATUS $(sql "SELECT count(*) FROM jobs")" "403 $((n + 1))" "a bad CSRF token: 403, no job"
is "$(sql "SELECT wa_optin_resend_start(2, $gid)")" "" "wa_optin_resend_start with another customer's list: NULL"
http GET "/contacts/optin/$job" -b "$d/nojar"
is "$HTTP_STATUS" 303 "signed out: to the sign-in page"

stack_stop
done_testing
