#!/bin/sh
# 0190-broadcast-resolve.t: a broadcast's audience resolved by the runner (sql/0027, src/runner/broadcast.c): two overlapping lists, a tag and a segment give each contact once; unsubscribed never sent to, unknown only with the acknowledged flag; the numbers spread deterministically; another customer's list, segment, tag, number or template refused with nothing stored; the dry-run count equals what the runner froze; a runner SIGKILLed mid-resolution resumes to the same recipients; a broadcast deleted mid-resolution leaves no recipient (sql/0035); the counters equal the rows.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2030-01-02 03:04:05+00' --runner
stack_customers 5 100 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 1000000, max_messages_month = 1000000" >/dev/null
d=$STACK_DIR
gates=$d/gates
mkdir -p "$gates"
chmod 777 "$gates"
stack_host demo city=Jakarta country=ID >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
     (1, 1, 'wa_a', 'A', 'connected', '+6281111111111'),
     (1, 1, 'wa_b', 'B', 'connected', '+6281111111112'),
     (2, 1, 'wa_c', 'C', 'connected', '+6282222222222')" >/dev/null || bail_out "instances"
inst() { sql "SELECT id FROM instances WHERE session = '$1'"; }
ia=$(inst wa_a); ib=$(inst wa_b); ic=$(inst wa_c)

# 12,000 contacts each: statuses in turn, tags vip (every 4th) and new (every 5th).
for c in 1 2; do
	sql "INSERT INTO tags (customer_id, name) VALUES ($c, 'vip'), ($c, 'new');
	    INSERT INTO contacts (customer_id, phone, name, status, tags)
	    SELECT $c, '+62813' || lpad(g::text, 8, '0'), 'N' || g,
	        (ARRAY['subscribed', 'unsubscribed', 'unknown'])[g % 3 + 1],
	        ARRAY(SELECT id FROM tags WHERE customer_id = $c AND
	            ((name = 'vip' AND g % 4 = 0) OR (name = 'new' AND g % 5 = 0)) ORDER BY id)
	    FROM generate_series(1, 12000) g;
	    INSERT INTO contact_groups (customer_id, name, kind) VALUES ($c, 'Evens', 'list'), ($c, 'Thirds', 'list')" \
	    >/dev/null || bail_out "seeding failed"
	tnew=$(sql "SELECT id FROM tags WHERE customer_id = $c AND name = 'new'")
	sql "INSERT INTO contact_groups (customer_id, name, kind, filter) VALUES ($c, 'New ones', 'segment', 'any=$tnew')" >/dev/null
	for g in Evens:2 Thirds:3; do
		sql "SELECT wa_group_add($c, (SELECT id FROM contact_groups WHERE customer_id = $c AND name = '${g%:*}'),
		    ARRAY(SELECT id FROM contacts WHERE customer_id = $c AND name ~ '^N[0-9]+$'
		        AND substr(name, 2)::int % ${g#*:} = 0 AND substr(name, 2)::int <= 9000))" >/dev/null || bail_out "lists"
	done
	sql "SELECT tpl_id FROM wa_template_save($c, NULL, 'Hello', 'Hi {{first_name}}')" >/dev/null || bail_out "template"
done
grp() { sql "SELECT id FROM contact_groups WHERE customer_id = $1 AND name = '$2'"; }
tag() { sql "SELECT id FROM tags WHERE customer_id = $1 AND name = '$2'"; }
tpl() { sql "SELECT id FROM templates WHERE customer_id = $1"; }
evens=$(grp 1 Evens); thirds=$(grp 1 Thirds); seg=$(grp 1 'New ones'); vip=$(tag 1 vip)
evens2=$(grp 2 Evens); seg2=$(grp 2 'New ones'); vip2=$(tag 2 vip)

# create NAME UNKNOWN(true|false): a draft of customer 1 with the four sources; its id.
create() {
	local id ack=NULL
	[ "$2" = true ] && ack="wa_now()"
	id=$(sql "INSERT INTO broadcasts (customer_id, name, include_unknown, unknown_ack_by, unknown_ack_at,
	    template_id, instance_ids) VALUES (1, '$1', $2, 1, $ack, $(tpl 1), ARRAY[$ia, $ib]::bigint[]) RETURNING id") || return 1
	sql "INSERT INTO broadcast_sources (broadcast_id, pos, kind, ref_id) VALUES
	    ($id, 0, 'list', $evens), ($id, 1, 'list', $thirds), ($id, 2, 'tag', $vip), ($id, 3, 'segment', $seg)" >/dev/null || return 1
	echo "$id"
}
# ready ID: resolved (the same job then reserves and queues: sending).
ready() { [ "$(sql "SELECT b.resolved_at IS NOT NULL AND j.state = 'done' FROM broadcasts b JOIN jobs j ON j.id = b.job_id WHERE b.id = $1")" = t ]; }
start() { sql "SELECT wa_broadcast_start(1, $1)"; }
# The audience the four sources select, by SQL alone: the contacts of customer 1.
AUD="SELECT c.id, c.status FROM contacts c WHERE c.customer_id = 1 AND (
    EXISTS (SELECT FROM contact_group_members m WHERE m.group_id IN ($evens, $thirds) AND m.contact_id = c.id)
    OR c.tags && ARRAY[$vip, $(tag 1 new)]::bigint[])"
# rows ID: its recipients, one line each.
rows() { sql "SELECT contact_id || ' ' || status || ' ' || reason || ' ' || instance_id || ' ' || phone
    FROM broadcast_recipients WHERE broadcast_id = $1 ORDER BY contact_id"; }

# ---------------------------------------------------------------- resolution
b1=$(create One false) || bail_out "create"
# The start and its row read in one transaction: the runner, woken at the
# commit, cannot move it on before it is read.
{ read -r job; read -r row; } < <(sql BEGIN "SELECT wa_broadcast_start(1, $b1)" \
    "SELECT state || ' ' || template_version || ' ' || template_body || ' ' || job_id FROM broadcasts WHERE id = $b1" COMMIT)
like "$job" '^[0-9]+$' "wa_broadcast_start queues a job"
is "$row" "resolving 1 Hi {{first_name}} $job" "... resolving, the template's current version and body copied"
is "$(start "$b1")" "" "... started once only"
wait_for 60 ready "$b1" || diag_file "$(stack_log runner.log)"
ok $? "the runner resolves it: ready"
is "$(sql "SELECT state FROM jobs WHERE id = $job")" done "... the job done"
exp=$(sql "SELECT count(*) FROM ($AUD) a")
is "$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b1")" "$exp" \
    "each contact of the overlapping sources once ($exp)"
is "$(sql "SELECT count(*) FROM ($AUD) a FULL JOIN (SELECT contact_id, status, reason FROM broadcast_recipients
    WHERE broadcast_id = $b1) r ON r.contact_id = a.id
    WHERE r.contact_id IS NULL OR a.id IS NULL
    OR (a.status = 'subscribed') <> (r.status IN ('pending', 'queued'))
    OR (r.status = 'skipped' AND r.reason <> a.status)")" 0 \
    "... the subscribed pending, the others skipped with their status as the reason"
is "$(sql "SELECT count(*) FROM broadcast_recipients r JOIN contacts c ON c.id = r.contact_id
    WHERE r.broadcast_id = $b1 AND r.status IN ('pending', 'queued') AND c.status <> 'subscribed'")" 0 \
    "... no unsubscribed or unknown contact pending"
is "$(sql "SELECT recipients = (SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b1 AND status IN ('pending', 'queued'))
    AND skipped = (SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b1 AND status = 'skipped')
    AND recipients > 0 AND skipped > 0 FROM broadcasts WHERE id = $b1")" t "the counters equal the rows"
is "$(sql "SELECT count(*) FROM broadcast_recipients r JOIN contacts c ON c.id = r.contact_id
    WHERE r.broadcast_id = $b1 AND r.phone <> c.phone")" 0 "... each with the contact's number frozen"
is "$(sql "SELECT string_agg(DISTINCT instance_id::text, ' ' ORDER BY instance_id::text) FROM broadcast_recipients WHERE broadcast_id = $b1")" \
    "$(printf '%s\n' "$ia" "$ib" | sort | tr '\n' ' ' | sed 's/ $//')" "the recipients spread over the two chosen numbers"
is "$(sql "SELECT min(n) * 10 > max(n) * 9 FROM (SELECT count(*) AS n FROM broadcast_recipients
    WHERE broadcast_id = $b1 GROUP BY instance_id) x")" t "... evenly (within 10 %)"

# ---------------------------------------------------------------- the dry-run count
cnt() { "$top_builddir/t/bcastcount" "$@"; }
is "$(cnt 1 0 list:$evens list:$thirds tag:$vip segment:$seg)" "$(sql "SELECT recipients FROM broadcasts WHERE id = $b1")" \
    "the dry-run count equals the recipients frozen"
is "$(cnt 1 0 subscribers:0)" "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND status = 'subscribed'")" \
    "... all subscribers"
is "$(cnt 1 1 tag:$vip tag:$vip)" "$(sql "SELECT count(*) FROM contacts WHERE customer_id = 1 AND tags @> ARRAY[$vip::bigint] AND status <> 'unsubscribed'")" \
    "... a source twice counted once; unknown with the flag"
is "$(cnt 1 0 list:$evens2)" refused "... another customer's list refused"
is "$(cnt 1 0 tag:$vip2)" refused "... another customer's tag refused"
is "$(cnt 1 0 segment:$seg2)" refused "... another customer's segment refused"
is "$(cnt 1 0 list:$seg)" refused "... a segment given as a list refused"

# ---------------------------------------------------------------- unknown with the acknowledgement
sql "INSERT INTO broadcasts (customer_id, name, include_unknown, instance_ids) VALUES (1, 'No ack', true, ARRAY[$ia]::bigint[])" >/dev/null 2>&1
isnt "$?" 0 "unknown contacts without a recorded acknowledgement refused"
b2=$(create Two true) || bail_out "create"
start "$b2" >/dev/null
wait_for 60 ready "$b2"
ok $? "with unknown acknowledged: ready"
is "$(sql "SELECT count(*) FROM ($AUD) a FULL JOIN (SELECT contact_id, status FROM broadcast_recipients
    WHERE broadcast_id = $b2) r ON r.contact_id = a.id
    WHERE r.contact_id IS NULL OR a.id IS NULL OR (a.status <> 'unsubscribed') <> (r.status IN ('pending', 'queued'))")" 0 \
    "... the unknown pending too, the unsubscribed still skipped"
is "$(cnt 1 1 list:$evens list:$thirds tag:$vip segment:$seg)" "$(sql "SELECT recipients FROM broadcasts WHERE id = $b2")" \
    "... the dry-run count with the flag equals them"

# ---------------------------------------------------------------- another customer's
before=$(sql "SELECT count(*) FROM broadcast_sources")
for src in "list $evens2" "segment $seg2" "tag $vip2" "segment $evens" "list $seg"; do
	sql "INSERT INTO broadcast_sources (broadcast_id, pos, kind, ref_id) VALUES ($b1, 9, '${src% *}', ${src#* })" >/dev/null 2>"$d/err"
	isnt "$?" 0 "a source '$src' not of the customer's or of another kind is refused"
	like "$(cat "$d/err")" 'broadcast source not found' "... saying so"
done
is "$(sql "SELECT count(*) FROM broadcast_sources")" "$before" "... nothing stored"
sql "INSERT INTO broadcasts (customer_id, name, instance_ids) VALUES (1, 'Theirs', ARRAY[$ic]::bigint[])" >/dev/null 2>&1
isnt "$?" 0 "another customer's number refused"
sql "INSERT INTO broadcasts (customer_id, name, template_id) VALUES (1, 'Theirs', $(tpl 2))" >/dev/null 2>&1
isnt "$?" 0 "another customer's template refused"
is "$(sql "SELECT count(*) FROM broadcasts WHERE name = 'Theirs'")" 0 "... nothing stored"
is "$(sql "SELECT wa_broadcast_start(2, $b1)")" "" "another customer cannot start one"
b0=$(sql "INSERT INTO broadcasts (customer_id, name) VALUES (1, 'Empty') RETURNING id")
is "$(sql "SELECT coalesce(wa_broadcast_start(1, $b0)::text, 'none') || ' ' || state FROM broadcasts WHERE id = $b0")" \
    "none draft" "a draft without template or number does not start"

# ---------------------------------------------------------------- SIGKILL mid-resolution
stack_runner_stop
WAPORTAL_RUNNER_TEST_PAUSE=broadcast:$gates/k1 stack_runner_start || bail_out "no runner"
b3=$(create Three false) || bail_out "create"
job3=$(start "$b3")
wait_for 60 test -e "$gates/k1.waiting"
ok $? "the runner pauses after its first batch"
stack_runner_kill
part=$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b3")
is "$(sql "SELECT resolve_source = 0 AND resolve_after > 0 AND state = 'resolving'
    AND $part = (SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b3
        AND contact_id <= resolve_after) FROM broadcasts WHERE id = $b3")" t \
    "killed after one batch: its rows and its resume point committed together ($part rows)"
stack_runner_start || bail_out "no runner"
stack_clock_add '2 minutes' || bail_out "clock"
wait_for 60 ready "$b3" || diag_file "$(stack_log runner.log)"
ok $? "... resumed by the next runner: ready"
is "$(sql "SELECT state || ' ' || attempts FROM jobs WHERE id = $job3")" "done 2" "... the job done on its second attempt"
is "$(rows "$b3" | md5sum)" "$(rows "$b1" | md5sum)" "... the same recipients, statuses and numbers as the run never killed"
is "$(sql "SELECT recipients || ' ' || skipped FROM broadcasts WHERE id = $b3")" \
    "$(sql "SELECT recipients || ' ' || skipped FROM broadcasts WHERE id = $b1")" "... the same counters"

# ---------------------------------------------------------------- deleted mid-resolution
# sql/0035: no foreign key; the deletion takes the rows frozen so far and
# the next batch writes none.
stack_runner_stop
WAPORTAL_RUNNER_TEST_PAUSE=broadcast:$gates/d1 stack_runner_start || bail_out "no runner"
b4=$(create Four false) || bail_out "create"
job4=$(start "$b4")
wait_for 60 test -e "$gates/d1.waiting"
ok $? "another broadcast: the runner pauses after its first batch"
isnt "$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b4")" 0 "... rows frozen"
kept=$(rows "$b1" | md5sum)
sql "DELETE FROM broadcasts WHERE id = $b4" >/dev/null
touch "$gates/d1"
stack_clock_add '2 minutes' || bail_out "clock"
job_done() { [ "$(sql "SELECT state FROM jobs WHERE id = $1")" = done ]; }
wait_for 60 job_done "$job4" || diag_file "$(stack_log runner.log)"
ok $? "deleted meanwhile: its job ends"
is "$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b4")" 0 "... no recipient of it left"
is "$(rows "$b1" | md5sum)" "$kept" "... another broadcast's untouched"
done_testing
