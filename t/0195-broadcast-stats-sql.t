#!/bin/sh
# 0195-broadcast-stats-sql.t: a broadcast's counters in SQL (sql/0029), on a pinned clock: after mixed outcomes, receipts, a retry and a cancel they equal the count(*) of its messages, the hours sum to them, replies and opt-outs count once per recipient and never another customer's; the end of sending; the brakes (failures, rate limit, opt-outs, a number disconnected) with the customer's thresholds.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2030-03-01 10:00:00+00'
stack_customers 5 100000 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 1000000" >/dev/null
stack_host demo >/dev/null
sql "INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
     (1, 1, 'wa_1', 'Sales', 'connected', '628100000001'),
     (1, 1, 'wa_3', 'Support', 'connected', '628100000003'),
     (2, 1, 'wa_2', 'Theirs', 'connected', '628100000002')" >/dev/null
sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Hello', 'Hi')" >/dev/null || bail_out "template"
bc() { sql "SELECT $2 FROM broadcasts WHERE id = $1"; }
# bcast N [INSTANCES]: a sending broadcast of customer 1 with N queued
# messages (contacts made for it) and a running job; its id.
bcast() {
	local id
	id=$(sql "INSERT INTO broadcasts (customer_id, name, template_id, instance_ids)
	    VALUES (1, 'B', (SELECT id FROM templates WHERE customer_id = 1), ARRAY[${2:-1}]::bigint[]) RETURNING id")
	sql "INSERT INTO contacts (customer_id, phone, status)
	    SELECT 1, '+62815' || lpad($id::text, 3, '0') || lpad(g::text, 5, '0'), 'subscribed' FROM generate_series(1, $1) g;
	    INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, instance_id)
	    SELECT $id, c.id, c.phone, (ARRAY[${2:-1}]::bigint[])[1 + c.id % cardinality(ARRAY[${2:-1}])] FROM contacts c
	    WHERE c.customer_id = 1 AND c.phone LIKE '+62815' || lpad($id::text, 3, '0') || '_____';
	    WITH j AS (INSERT INTO jobs (customer_id, kind, state, lease_until) VALUES (1, 'broadcast', 'running', wa_now() + interval '1 hour') RETURNING id)
	    UPDATE broadcasts SET state = 'sending', template_version = 1, template_body = 'Hi', recipients = $1, reserved = $1,
	        queued = $1, job_id = (SELECT id FROM j) WHERE id = $id;
	    WITH m AS (INSERT INTO messages (customer_id, instance_id, direction, status, source, peer, peer_phone, body, broadcast_id)
	        SELECT 1, instance_id, 'out', 'queued', 'broadcast', phone, phone, 'Hi', $id FROM broadcast_recipients WHERE broadcast_id = $id
	        RETURNING id, peer_phone)
	    UPDATE broadcast_recipients r SET status = 'queued', message_id = m.id FROM m
	    WHERE r.broadcast_id = $id AND r.phone = m.peer_phone" >/dev/null
	echo "$id"
}
# claim: lease every due message (unpaced); their ids.
claim() { sql "SELECT coalesce(string_agg(id::text, ' ' ORDER BY id), '') FROM wa_dispatch_claim('t', 1000, 30, 0, 0, 0, 0)"; }
# record JSON: the dispatcher's outcomes.
record() { sql "SELECT wa_dispatch_record('t', '$1', 0, 0)"; }
# outcomes B KIND...: one outcome per leased message of B in id order
# (s sent, f failed, q retry, l retry with a 429); the ones past the
# kinds given stay leased.
outcomes() {
	local b=$1 j='' i=0 id k
	shift
	for id in $(sql "SELECT id FROM messages WHERE broadcast_id = $b AND status = 'sending' ORDER BY id"); do
		i=$((i + 1))
		k=${!i:-}
		[ -n "$k" ] || break
		case $k in
		s) j="$j,{\"id\":$id,\"i\":1,\"k\":\"sent\",\"g\":\"g$id\"}" ;;
		f) j="$j,{\"id\":$id,\"i\":1,\"k\":\"failed\",\"e\":\"the recipient is not on WhatsApp: HTTP 400\"}" ;;
		q) j="$j,{\"id\":$id,\"i\":1,\"k\":\"retry\",\"d\":0,\"e\":\"gateway error: HTTP 500\"}" ;;
		l) j="$j,{\"id\":$id,\"i\":1,\"k\":\"retry\",\"d\":1000,\"r\":1,\"e\":\"too many requests: HTTP 429\"}" ;;
		esac
	done
	record "[${j#,}]" >/dev/null
}
ack() { sql "SELECT wa_message_ack(instance_id, gateway_id, '$2', wa_now()) FROM messages WHERE id = $1" >/dev/null; }
# counts B: the counters, then the count(*) of the messages they stand for.
counters() { bc "$1" "sent || ' ' || delivered || ' ' || read || ' ' || failed || ' ' || cancelled || ' ' || outcomes"; }
counted() {
	sql "SELECT count(*) FILTER (WHERE sent_at IS NOT NULL) || ' ' || count(*) FILTER (WHERE delivered_at IS NOT NULL)
	    || ' ' || count(*) FILTER (WHERE read_at IS NOT NULL) || ' ' || count(*) FILTER (WHERE status = 'failed')
	    || ' ' || count(*) FILTER (WHERE status = 'cancelled')
	    || ' ' || count(*) FILTER (WHERE status IN ('sent', 'delivered', 'read', 'failed', 'cancelled'))
	    FROM messages WHERE broadcast_id = $1"
}
hours() { sql "SELECT coalesce(sum(sent), 0) || ' ' || coalesce(sum(delivered), 0) || ' ' || coalesce(sum(read), 0) || ' ' || coalesce(sum(failed), 0) FROM broadcast_hours WHERE broadcast_id = $1"; }

# ---------------------------------------------------------------- counters
sql "INSERT INTO broadcast_brakes (customer_id, fail_pct) VALUES (1, 50)" >/dev/null
b=$(bcast 30 1,2)
is "$(counters "$b")" "0 0 0 0 0 0" "a broadcast starts with every counter at 0"
claim >/dev/null
outcomes "$b" s s s s s s s s s s s s s s s s s s s s s s s s s f f q l s
is "$(counters "$b")" "$(counted "$b")" "after mixed send outcomes the counters equal the count(*) of the messages"
is "$(counters "$b")" "26 0 0 2 0 28" "... 26 sent, 2 failed, 28 final (two retried)"
is "$(bc "$b" "brake_window || ' ' || rate_limited")" "$(printf '0%.0s' $(seq 25))110 0" "... the send window in id order; a send after the 429 ends its run"
ids=($(sql "SELECT id FROM messages WHERE broadcast_id = $b AND status = 'sent' ORDER BY id"))
for i in 0 1 2 3 4 5 6 7 8 9; do ack "${ids[$i]}" delivered; done
for i in 0 1 2 3 4 10 11; do ack "${ids[$i]}" read; done
ack "${ids[12]}" failed
is "$(counters "$b")" "$(counted "$b")" "after receipts (delivered, read without delivered, an error) they still equal the count(*)"
is "$(counters "$b")" "26 12 7 3 0 28" "... read counts as delivered too; the error receipt is a failure of a sent message"
is "$(hours "$b")" "26 12 7 3" "the hours sum to the counters"
is "$(sql "SELECT count(DISTINCT instance_id) || ' ' || count(DISTINCT hour) || ' ' || min(hour) FROM broadcast_hours WHERE broadcast_id = $b")" \
    "2 1 2030-03-01 10:00:00+00" "... one row per number and hour"
is "$(bc "$b" state)" sending "two messages still wait: sending"
sql "UPDATE jobs SET state = 'done' WHERE id = (SELECT job_id FROM broadcasts WHERE id = $b)" >/dev/null
is "$(bc "$b" state)" sending "the job done, two messages waiting: still sending"
stack_clock_add '1 hour'
claim >/dev/null
outcomes "$b" s q
rest=$(sql "SELECT id FROM messages WHERE broadcast_id = $b AND status = 'queued'")
is "$(bc "$b" state)" sending "one left: still sending"
sql "SELECT wa_message_cancel(1, $rest)" >/dev/null
is "$(bc "$b" "state || ' ' || finished_at")" "done 2030-03-01 11:00:00+00" "the last one cancelled: done, finished_at set"
is "$(counters "$b")" "$(counted "$b")" "... the counters equal the count(*)"
is "$(counters "$b")" "27 12 7 3 1 30" "... 30 final of 30 queued"
is "$(sql "SELECT count(DISTINCT hour) FROM broadcast_hours WHERE broadcast_id = $b")" 2 "the second hour has its own rows"
ack "${ids[13]}" failed
is "$(counters "$b") $(bc "$b" state)" "27 12 7 4 1 30 done" "a failure receipt after the end still updates the counters"

# A message of no broadcast changes nothing.
p=$(sql "SELECT id FROM wa_message_enqueue(1, 1, '+628111000001', 'plain', wa_now(), 'portal')")
claim >/dev/null
record "[{\"id\":$p,\"i\":1,\"k\":\"sent\",\"g\":\"gp\"}]" >/dev/null
is "$(counters "$b") $(sql "SELECT count(*) FROM broadcast_hours WHERE broadcast_id <> $b")" "27 12 7 4 1 30 0" "another message's outcome counts nowhere"

# ---------------------------------------------------------------- replies and opt-outs
say() { sql "SELECT id FROM wa_message_in(1, '${3:-wa_1}', '${1#+}@c.us', '$1', '$2', 'in$(date +%s%N)$RANDOM', NULL)" >/dev/null; }
r1=$(sql "SELECT peer_phone FROM messages WHERE id = ${ids[0]}")
r2=$(sql "SELECT peer_phone FROM messages WHERE id = ${ids[1]}")
r3=$(sql "SELECT peer_phone FROM messages WHERE id = ${ids[2]}")
say "$r1" "Thanks!"
say "$r1" "See you"
is "$(bc "$b" replied)" 1 "a recipient's two replies count once"
is "$(sql "SELECT replied_at FROM broadcast_recipients WHERE broadcast_id = $b AND phone = '$r1'")" "2030-03-01 11:00:00+00" "... replied_at set"
say "$r2" "STOP"
say "$r2" "STOP"
is "$(bc "$b" "replied || ' ' || opted_out")" "1 1" "a recipient's two STOPs: one opt-out, no reply"
is "$(sql "SELECT opted_out_at FROM broadcast_recipients WHERE broadcast_id = $b AND phone = '$r2'")" "2030-03-01 11:00:00+00" "... opted_out_at set"
say "$r3" "Halo" wa_2
is "$(bc "$b" replied)" 1 "the same number writing to another customer's number: no reply counted"
say +628999999999 "Hello"
is "$(bc "$b" replied)" 1 "a number that got no broadcast: nothing"
stack_clock_add '7 days'
say "$r3" "Late"
is "$(bc "$b" replied)" 1 "a reply 7 days after the send: not counted"
is "$(bc "$b" "replied || ' ' || opted_out") $(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b AND replied_at IS NOT NULL") $(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b AND opted_out_at IS NOT NULL")" \
    "1 1 1 1" "replied and opted_out equal the count(*) of the recipients"

# ---------------------------------------------------------------- brakes: failures
sql "DELETE FROM broadcast_brakes" >/dev/null
b2=$(bcast 80)
claim >/dev/null
outcomes "$b2" s s s s s s s s s f s s s s s s s s s
is "$(bc "$b2" "state || ' ' || length(brake_window)")" "sending 19" "1 of 19 sends failed: sending (judged from 20 sends on)"
claim >/dev/null
outcomes "$b2" f
is "$(bc "$b2" "state || ' / ' || pause_reason")" "paused / Paused: 2 of the last 20 sends failed (10 %, limit 10 %)" \
    "2 of 20 failed: paused by the default brake, with the reason"
is "$(bc "$b2" "pause_code || ' ' || pause_args::text")" 'failures {2,20,10,10}' "... its code and figures (sql/0036)"
is "$(sql "SELECT wa_broadcast_reason(pause_code, pause_args) = pause_reason FROM broadcasts WHERE id = $b2")" t "... the English made of them"
sql "SELECT wa_broadcast_resume(1, $b2)" >/dev/null
sql "INSERT INTO broadcast_brakes (customer_id, fail_pct, fail_window) VALUES (1, 12.5, 20)" >/dev/null
is "$(bc "$b2" "state || ' [' || brake_window || '] ' || rate_limited")" "sending [] 0" "a resume starts the window afresh"
is "$(bc "$b2" "pause_reason || '/' || pause_code || '/' || pause_args::text")" "//{}" "... and clears the reason, its code and figures"
claim >/dev/null
outcomes "$b2" s s s s s s s s s s s s s s s s f s s f
is "$(bc "$b2" state)" sending "2 of 20 failed (10 %) under the customer's 12.5 %: sending"
outcomes "$b2" f
is "$(bc "$b2" "state || ' / ' || pause_reason")" "paused / Paused: 3 of the last 20 sends failed (15 %, limit 12.5 %)" \
    "the customer's own threshold (12.5 % of 20): 3 of the last 20 failed, paused"
sql "SELECT wa_broadcast_resume(1, $b2)" >/dev/null
sql "UPDATE broadcast_brakes SET fail_pct = 0" >/dev/null
claim >/dev/null
outcomes "$b2" f f f f
is "$(bc "$b2" state)" sending "fail_pct 0: the failure brake is off"

# ---------------------------------------------------------------- brakes: the rate limit
sql "UPDATE broadcast_brakes SET rate_limited = 3" >/dev/null
claim >/dev/null
outcomes "$b2" l l
stack_clock_add '1 minute'
claim >/dev/null
is "$(bc "$b2" "state || ' ' || rate_limited")" "sending 2" "two 429 answers in a row: counted, sending"
outcomes "$b2" l s l
is "$(bc "$b2" "state || ' ' || rate_limited")" "sending 1" "a send ends the run: one since"
stack_clock_add '1 minute'
claim >/dev/null
outcomes "$b2" l l l
is "$(bc "$b2" "state || ' / ' || pause_reason")" "paused / Paused: the gateway refused 4 sends in a row as too many (rate limit, limit 3)" \
    "four in a row (the customer's limit 3): paused"
is "$(bc "$b2" "pause_code || ' ' || pause_args::text")" 'rate_limit {4,3}' "... its code and figures"

# ---------------------------------------------------------------- brakes: a number disconnected
b3=$(bcast 3 1,2)
b4=$(sql "INSERT INTO broadcasts (customer_id, name, instance_ids, state, template_body, template_version) VALUES (2, 'Theirs', '{3}', 'sending', 'x', 1) RETURNING id")
sql "UPDATE instances SET status = 'disconnected' WHERE id = 3" >/dev/null
is "$(bc "$b3" state) $(bc "$b4" "state || ' / ' || pause_reason")" "sending paused / Paused: number +628100000002 disconnected" \
    "another customer's number disconnected pauses its broadcast only"
sql "UPDATE instances SET status = 'connecting' WHERE id = 2" >/dev/null
is "$(bc "$b3" "state || ' / ' || pause_reason")" "paused / Paused: number +628100000003 disconnected" \
    "a number of a broadcast leaving 'connected': paused, the number named"
is "$(bc "$b3" "pause_code || ' ' || pause_args::text")" 'number_down {+628100000003}' "... its code and the number"

# ---------------------------------------------------------------- brakes: opt-outs
sql "DELETE FROM broadcast_brakes" >/dev/null
b5=$(bcast 120)
claim >/dev/null
outcomes "$b5" $(printf 's %.0s' $(seq 120))
is "$(bc "$b5" state)" sending "120 sent, its job still queueing: sending"
for p in $(sql "SELECT peer_phone FROM messages WHERE broadcast_id = $b5 ORDER BY id LIMIT 2"); do say "$p" STOP; done
is "$(bc "$b5" "state || ' ' || opted_out")" "sending 2" "2 of 120 opted out (1.7 %): sending"
say "$(sql "SELECT peer_phone FROM messages WHERE broadcast_id = $b5 ORDER BY id DESC LIMIT 1")" berhenti
is "$(bc "$b5" "state || ' / ' || pause_reason")" "paused / Paused: 3 of 120 recipients opted out (2.5 %, limit 2 %)" \
    "3 of 120 (2.5 %): paused by the opt-out brake"
is "$(bc "$b5" "pause_code || ' ' || pause_args::text")" 'optouts {3,120,2.5,2}' "... its code and figures"
is "$(sql "SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $b5 AND opted_out_at IS NOT NULL")" 3 "... opted_out equals the count(*)"

# ---------------------------------------------------------------- a cancelled broadcast's message back from flight
b6=$(bcast 3)
claim >/dev/null
is "$(sql "SELECT wa_broadcast_cancel(1, $b6)")" t "a broadcast cancelled while its 3 messages are in flight"
outcomes "$b6" q s f
m6=$(sql "SELECT min(id) FROM messages WHERE broadcast_id = $b6")
is "$(sql "SELECT status || ' / ' || last_error FROM messages WHERE id = $m6")" "cancelled / broadcast cancelled" \
    "the one retried comes back queued: cancelled, saying why"
is "$(sql "SELECT status || ' / ' || reason FROM broadcast_recipients WHERE message_id = $m6")" "cancelled / broadcast cancelled" "... its recipient too"
is "$(bc "$b6" "state || ' ' || reserved")" "cancelled 2" "... its place given back (2 kept: one sent, one failed)"
is "$(counters "$b6")" "$(counted "$b6")" "... the counters equal the count(*)"
is "$(counters "$b6")" "1 0 0 1 1 3" "... one sent, one failed, one cancelled"

# ---------------------------------------------------------------- settings refused
for v in "fail_pct = 101" "fail_window = 10" "optout_pct = -1" "rate_limited = 1001"; do
	sql "INSERT INTO broadcast_brakes (customer_id) VALUES (2) ON CONFLICT DO NOTHING; UPDATE broadcast_brakes SET $v WHERE customer_id = 2" >/dev/null 2>&1
	isnt "$?" 0 "a threshold out of range ($v) is refused"
done
is "$(sql "SELECT fail_pct || ' ' || fail_window || ' ' || optout_pct || ' ' || complaint_pct || ' ' || rate_limited FROM wa_broadcast_brakes(1)")" \
    "10.00 200 2.00 0.30 5" "no row: the defaults"
done_testing
