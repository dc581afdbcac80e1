#!/bin/sh
# 0154-bulk-jobs.t: the Contacts page's bulk actions over more than WAPORTAL_BULK_SYNC_MAX contacts run as runner jobs in id batches: the result equals the same actions done in the request on a copy, the counters exact; a runner killed mid-job resumes without redoing a batch; cancel; another customer's job; a foreign tag changes nothing.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

STACK_ENV="WAPORTAL_BULK_SYNC_MAX=5"
stack_start --workers 1 --clock '2030-01-02 03:04:05+00' --runner
stack_customers 1 100 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 1000000" >/dev/null
PW=$STACK_PW
d=$STACK_DIR
gates=$d/gates
mkdir -p "$gates"
chmod 777 "$gates"
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
login() {	# login JAR EMAIL: signs in, sets CSRF
	http POST /login -c "$1" --data-urlencode "email=$2" --data-urlencode "password=$PW"
	http GET /contacts -b "$1"; CSRF=$(csrf_of)
}
jar=$d/jar; jar2=$d/jar2
login "$jar2" d@example.com; csrf2=$CSRF
login "$jar" c@example.com; csrf=$CSRF

# The same 12,000 contacts and tags for both customers.
for c in 1 2; do
	sql "INSERT INTO tags (customer_id, name) VALUES ($c, 'vip'), ($c, 'new'), ($c, 'old');
	    INSERT INTO contacts (customer_id, phone, name, status, tags)
	    SELECT $c, '+62813' || lpad(g::text, 8, '0'), 'N' || g,
	        (ARRAY['subscribed', 'unsubscribed', 'unknown'])[g % 3 + 1],
	        ARRAY(SELECT id FROM tags WHERE customer_id = $c AND
	            ((name = 'vip' AND g % 4 = 0) OR (name = 'new' AND g % 5 = 0)) ORDER BY id)
	    FROM generate_series(1, 12000) g" >/dev/null || bail_out "seeding failed"
done
tag() { sql "SELECT id FROM tags WHERE customer_id = $1 AND name = '$2'"; }

bulk() {	# bulk JAR CSRF FILTER ACTION [more form fields]
	local jr=$1 cs=$2 f=$3 a=$4
	shift 4
	http POST /contacts/bulk -b "$jr" --data-urlencode "_csrf=$cs" \
	    --data-urlencode "filter=$f" --data-urlencode "action=$a" -d all=1 "$@"
}
job_over() { [ "$(sql "SELECT state IN ('done', 'failed', 'cancelled') FROM jobs WHERE id = $1")" = t ]; }
job_wait() { wait_for 120 job_over "$1" || { diag "job $1 did not end"; diag_file "$(stack_log runner.log)"; }; }
# state CUSTOMER: each contact's phone, status, consent source and tags by name.
state() {
	sql "SELECT c.phone, c.status, c.consent_source, coalesce((SELECT string_agg(t.name, ',' ORDER BY t.name)
	    FROM tags t WHERE t.id = ANY (c.tags)), '') FROM contacts c WHERE c.customer_id = $1 ORDER BY c.phone"
}
# counters CUSTOMER: "ok" when contact_counts and tags.contacts are exact.
counters() {
	sql "SELECT CASE WHEN (SELECT (total, subscribed, unsubscribed) FROM contact_counts WHERE customer_id = $1)
	    = (SELECT (count(*), count(*) FILTER (WHERE status = 'subscribed'),
	        count(*) FILTER (WHERE status = 'unsubscribed')) FROM contacts WHERE customer_id = $1)
	    AND NOT EXISTS (SELECT FROM tags t WHERE t.customer_id = $1 AND t.contacts <>
	        (SELECT count(*) FROM contacts c WHERE c.customer_id = $1 AND c.tags @> ARRAY[t.id]))
	    THEN 'ok' ELSE 'wrong' END"
}
# actions JAR CSRF CUSTOMER: the four changes; prints the jobs' ids (none in the request).
actions() {
	local jr=$1 cs=$2 c=$3 loc ids=
	bulk "$jr" "$cs" "status=unsubscribed" tag_add -d "tag=$(tag "$c" old)"; ids="$ids $(header Location)"
	bulk "$jr" "$cs" "any=$(tag "$c" vip)" tag_remove -d "tag=$(tag "$c" vip)"; ids="$ids $(header Location)"
	bulk "$jr" "$cs" "q=N11" subscribed; ids="$ids $(header Location)"
	bulk "$jr" "$cs" "any=$(tag "$c" new)&status=unknown" delete -d confirm=1; ids="$ids $(header Location)"
	echo $ids
}

# ---------------------------------------------------------------- jobs and the same in the request
bulk "$jar" "$csrf" "any=$(tag 1 new)&status=unknown" delete
is "$HTTP_STATUS" 200 "a delete asks first, however many"
like "$HTTP_BODY" '800' "... stating the number (800)"
locs=$(actions "$jar" "$csrf" 1)
set -- $locs
is "$#" 4 "over WAPORTAL_BULK_SYNC_MAX each change goes to a job's page"
for loc in $locs; do
	like "$loc" '^/contacts/bulk/[0-9]+$' "... $loc"
	job_wait "${loc##*/}"
done
is "$(sql "SELECT string_agg(b.action || ':' || j.state || ':' || b.walked || ':' || b.changed, ' ' ORDER BY j.id)
    FROM jobs j JOIN bulks b ON b.job_id = j.id")" \
    "tag_add:done:4000:4000 tag_remove:done:3000:3000 subscribed:done:1111:742 delete:done:725:725" \
    "each job done, the contacts walked and changed"
http GET "${1}" -b "$jar"
is "$HTTP_STATUS" 200 "a job's page: 200"
like "$HTTP_BODY" 'Add the tag' "... says what it did"
like "$HTTP_BODY" '4000' "... and how many it changed"
http GET "${1}/live.json" -b "$jar"
like "$HTTP_BODY" '"over":true' "its live.json: over"
export WAPORTAL_BULK_SYNC_MAX=1000000
stack_clock "$STACK_CLOCK" || bail_out "restart"
login "$jar2" d@example.com; csrf2=$CSRF
is "$(actions "$jar2" "$csrf2" 2 | tr ' ' '\n' | grep -c '/contacts/bulk/')" 0 \
    "with the limit raised, the same changes run in the request"
state 1 >"$d/s1"; state 2 >"$d/s2"
cmp -s "$d/s1" "$d/s2"
ok $? "the jobs' result equals the changes done in the request on a copy"
is "$(sql "SELECT count(*) FROM contact_consents WHERE customer_id = 1") $(sql "SELECT count(*) FROM contacts WHERE customer_id = 1")" \
    "$(sql "SELECT count(*) FROM contact_consents WHERE customer_id = 2") $(sql "SELECT count(*) FROM contacts WHERE customer_id = 2")" \
    "... the same consent log and number of contacts"
is "$(counters 1) $(counters 2)" "ok ok" "the counters are exact after both"

# ---------------------------------------------------------------- SIGKILL mid-job
export WAPORTAL_BULK_SYNC_MAX=5
stack_clock "$STACK_CLOCK" || bail_out "restart"
login "$jar" c@example.com; csrf=$CSRF
stack_runner_stop
WAPORTAL_RUNNER_TEST_PAUSE=bulk:$gates/k1 stack_runner_start || bail_out "no runner"
vip=$(tag 1 vip)
n=$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1")
bulk "$jar" "$csrf" "" tag_add -d "tag=$vip"
job=$(header Location); job=${job##*/}
wait_for 60 test -e "$gates/k1.waiting"
ok $? "the runner pauses after its first batch"
stack_runner_kill
is "$(sql "SELECT walked FROM bulks WHERE job_id = $job") $(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND tags @> ARRAY[$vip::bigint]")" \
    "5000 5000" "killed after one batch: 5,000 walked, exactly they carry the tag"
is "$(counters 1)" ok "... the counters exact"
stack_runner_start || bail_out "no runner"
stack_clock_add '2 minutes' || bail_out "clock"
job_wait "$job"
is "$(sql "SELECT j.state || ' ' || j.attempts || ' ' || b.walked FROM jobs j JOIN bulks b ON b.job_id = j.id WHERE j.id = $job")" \
    "done 2 $n" "... resumed by the next runner, every contact walked once"
is "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND tags @> ARRAY[$vip::bigint]")" "$n" \
    "... every contact carries the tag"
is "$(counters 1)" ok "... the counters exact"

# ---------------------------------------------------------------- cancel, another customer's, a foreign tag
login "$jar" c@example.com; csrf=$CSRF
stack_runner_stop
WAPORTAL_RUNNER_TEST_PAUSE=bulk:$gates/c1 stack_runner_start || bail_out "no runner"
bulk "$jar" "$csrf" "" unsubscribed
job=$(header Location); job=${job##*/}
wait_for 60 test -e "$gates/c1.waiting"
http GET "/contacts/bulk/$job/cancel" -b "$jar"
like "$HTTP_BODY" 'Cancel this change?' "cancel asks first"
for p in "" /live.json /cancel; do
	http GET "/contacts/bulk/$job$p" -b "$jar2"
	is "$HTTP_STATUS" 404 "another customer's GET /contacts/bulk/{id}$p: 404"
done
http POST "/contacts/bulk/$job/cancel" -b "$jar2" --data-urlencode "_csrf=$csrf2"
is "$HTTP_STATUS" 404 "... POST cancel: 404"
http POST "/contacts/bulk/$job/cancel" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 303 "the cancel: 303"
touch "$gates/c1"
job_wait "$job"
is "$(sql "SELECT j.state || ' ' || b.walked FROM jobs j JOIN bulks b ON b.job_id = j.id WHERE j.id = $job")" \
    "cancelled 5000" "... it stops after the batch under way"
http GET "/contacts/bulk/$job" -b "$jar"
like "$HTTP_BODY" 'data-job-state>Cancelled<' "its page says cancelled"
unlike "$HTTP_BODY" 'data-live-job' "... and has no live progress any more (the page would reload itself)"
is "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND status = 'unsubscribed'
    AND consent_source = 'portal'")" "$(sql "SELECT changed FROM bulks WHERE job_id = $job")" \
    "... that batch stays changed, no other"
is "$(sql "SELECT count(*) FROM contacts c, bulks b WHERE b.job_id = $job AND c.customer_id = 1
    AND c.id > b.last_id AND c.status = 'unsubscribed' AND c.consent_source = 'portal'")" 0 \
    "... nothing after its last id"
is "$(counters 1)" ok "... the counters exact"
before=$(state 1 | md5sum)
bulk "$jar" "$csrf" "" tag_add -d "tag=$(tag 2 old)"
job=$(header Location); job=${job##*/}
job_wait "$job"
is "$(sql "SELECT j.state || ' ' || b.changed FROM jobs j JOIN bulks b ON b.job_id = j.id WHERE j.id = $job")" \
    "done 0" "another customer's tag: the job changes nothing"
is "$(state 1 | md5sum)" "$before" "... the contacts as they were"
bulk "$jar" "$csrf" "" tag_add -d "tag=1;DROP"
is "$HTTP_STATUS" 400 "a tag that is no id: 400"

# ---------------------------------------------------------------- a list's members as jobs
gl=$(sql "INSERT INTO contact_groups (customer_id, name, kind) VALUES (1, 'Job list', 'list') RETURNING id")
gl2=$(sql "INSERT INTO contact_groups (customer_id, name, kind) VALUES (2, 'Theirs', 'list') RETURNING id")
# members GROUP: "members subscribed unsubscribed", the counters, then "=" and the same by count(*).
members() {
	sql "SELECT g.members || ' ' || g.subscribed || ' ' || g.unsubscribed || ' = ' ||
	    (SELECT count(*) || ' ' || count(*) FILTER (WHERE c.status = 'subscribed') || ' ' ||
	    count(*) FILTER (WHERE c.status = 'unsubscribed') FROM contact_group_members m
	    JOIN contacts c ON c.id = m.contact_id AND c.status = m.status WHERE m.group_id = g.id)
	    FROM contact_groups g WHERE g.id = $1"
}
http GET /contacts -b "$jar"; csrf=$(csrf_of)
bulk "$jar" "$csrf" "status=subscribed" group_add -d "list=$gl"
job=$(header Location); job=${job##*/}
like "$job" '^[0-9]+$' "adding every subscribed contact to a list: a job ($job)"
job_wait "$job"
sub=$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND status = 'subscribed'")
is "$(members "$gl")" "$sub $sub 0 = $sub $sub 0" "... done: every subscribed contact a member, the counters exact"
http GET "/contacts/bulk/$job" -b "$jar"
like "$HTTP_BODY" 'Add to the list <span class="tag">Job list</span>' "... its page names the action and the list"
bulk "$jar" "$csrf" "group=$gl&q=N11" group_remove -d "list=$gl"
job=$(header Location); job=${job##*/}
job_wait "$job"
left=$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND status = 'subscribed' AND name NOT LIKE 'N11%'")
is "$(members "$gl")" "$left $left 0 = $left $left 0" "removing the list's members matching a search, as a job: the others stay, exact"
bulk "$jar" "$csrf" "" group_add -d "list=$gl2"
is "$HTTP_STATUS" 400 "another customer's list: 400"
is "$(members "$gl2")" "0 0 0 = 0 0 0" "... it stays empty"

done_testing
