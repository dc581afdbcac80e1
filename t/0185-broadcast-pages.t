#!/bin/sh
# 0185-broadcast-pages.t: the broadcast pages through nginx: the empty list, the form (a group's "Send to this group" preselected), every bad input refused with its reason and nothing stored, another customer's list, tag, template or number a 404, the check page's dry-run count against the month's quota, the start (the draft, its sources and the acknowledgement stored, the job queued), the broadcast's page and its live.json, pause, resume, cancel after a confirmation, the recipients with their messages' status and their CSV (formula cells neutralised), another customer's broadcast a 404.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 2 --clock '2030-03-04 10:00:00+00'
stack_customers 5 100 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo >/dev/null
sql "UPDATE packages SET max_contacts = 10000;
     UPDATE users SET time_zone = 'Asia/Jakarta', country = 'ID';
     INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
         (1, 1, 'wa_a', 'Sales', 'connected', '+6281111111111'),
         (1, 1, 'wa_b', 'Down', 'disconnected', '+6281111111112'),
         (2, 1, 'wa_c', 'Theirs', 'connected', '+6282222222222');
     INSERT INTO tags (customer_id, name) VALUES (1, 'vip'), (2, 'theirs');
     INSERT INTO contacts (customer_id, phone, name, status)
         SELECT 1, '+62813' || lpad(g::text, 7, '0'), 'Customer ' || g,
             (ARRAY['subscribed', 'unsubscribed', 'unknown'])[g % 3 + 1]
         FROM generate_series(1, 90) g;
     INSERT INTO contacts (customer_id, phone, name, status) VALUES
         (1, '+628120000001', '=HYPERLINK(\"http://x\")', 'subscribed'),
         (2, '+628140000001', 'Other', 'subscribed');
     INSERT INTO contact_groups (customer_id, name, kind) VALUES
         (1, 'VIP <b>list</b>', 'list'), (2, 'Theirs', 'list')" >/dev/null || bail_out "seeding"
sql "SELECT wa_group_add(1, 1, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 AND id <= 30 OR name LIKE '=%'));
     SELECT wa_group_add(2, 2, ARRAY(SELECT id FROM contacts WHERE customer_id = 2));
     SELECT tpl_id FROM wa_template_save(1, NULL, 'Hello', 'Hi {{first_name}}');
     SELECT tpl_id FROM wa_template_save(2, NULL, 'Theirs', 'Yo')" >/dev/null || bail_out "groups, templates"
ia=$(sql "SELECT id FROM instances WHERE session = 'wa_a'")
idown=$(sql "SELECT id FROM instances WHERE session = 'wa_b'")
ic=$(sql "SELECT id FROM instances WHERE session = 'wa_c'")
t1=$(sql "SELECT id FROM templates WHERE customer_id = 1")
t2=$(sql "SELECT id FROM templates WHERE customer_id = 2")
vip=$(sql "SELECT id FROM tags WHERE customer_id = 1")
tag2=$(sql "SELECT id FROM tags WHERE customer_id = 2")
g1=1 g2=2

jar=$STACK_DIR/jar jar2=$STACK_DIR/jar2
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$STACK_PW"
http GET /broadcasts -b "$jar"; csrf=$(csrf_of)
http GET /broadcasts -b "$jar2"; csrf2=$(csrf_of)
count() { sql "SELECT (SELECT count(*) FROM broadcasts) || '/' || (SELECT count(*) FROM broadcast_sources) || '/' || (SELECT count(*) FROM jobs WHERE kind = 'broadcast')"; }

# ---------------------------------------------------------------- the empty list, the form
http GET /broadcasts -b "$jar"
is "$HTTP_STATUS" 200 "GET /broadcasts: 200"
like "$HTTP_BODY" 'No broadcasts yet' "... the empty state"
like "$HTTP_BODY" 'href="/broadcasts/new"' "... with the New broadcast action"
like "$HTTP_BODY" 'href="/broadcasts" aria-current="page"' "... Broadcasts in the menu, current"
http GET /broadcasts
is "$HTTP_STATUS" 303 "signed out: to the sign-in page"

http GET "/contacts/groups/$g1" -b "$jar"
like "$HTTP_BODY" "href=\"/broadcasts/new\?src=list:$g1\"" "the group page: Send to this group"
http GET "/broadcasts/new?src=list:$g1" -b "$jar"
is "$HTTP_STATUS" 200 "the form with the list preselected: 200"
like "$HTTP_BODY" "name=\"s.list.$g1\" value=\"1\" checked" "... the list ticked"
like "$HTTP_BODY" 'VIP &lt;b&gt;list&lt;/b&gt;' "... its name escaped"
like "$HTTP_BODY" "name=\"i.$ia\"" "... the connected number offered"
unlike "$HTTP_BODY" "name=\"i.$idown\"" "... a disconnected one not"
unlike "$HTTP_BODY" 'Theirs' "... nothing of the other customer's"
like "$HTTP_BODY" 'Asia/Jakarta' "... the time zone named"
http GET "/broadcasts/new?src=list:$g2" -b "$jar"
is "$HTTP_STATUS" 404 "another customer's list preselected: 404"
http GET "/broadcasts/new?src=nonsense" -b "$jar"
is "$HTTP_STATUS" 404 "a malformed source: 404"

# ---------------------------------------------------------------- bad input, nothing stored
check() { http POST /broadcasts/new -b "$jar" --data-urlencode "_csrf=$csrf" "$@"; }
good=(--data-urlencode 'name=Spring sale' --data-urlencode "s.list.$g1=1" --data-urlencode "template=$t1"
    --data-urlencode "i.$ia=1")
check --data-urlencode 'name=' --data-urlencode "s.list.$g1=1" --data-urlencode "template=$t1" --data-urlencode "i.$ia=1"
is "$HTTP_STATUS" 422 "an empty name: 422"
like "$HTTP_BODY" "name is one line of 1 to 100 characters" "... saying why"
check --data-urlencode 'name=A' --data-urlencode "template=$t1" --data-urlencode "i.$ia=1"
is "$HTTP_STATUS" 422 "no audience: 422"
like "$HTTP_BODY" 'Choose at least one list, segment, tag or all subscribers' "... saying why"
check --data-urlencode 'name=A' --data-urlencode "s.list.$g1=1" --data-urlencode "i.$ia=1"
is "$HTTP_STATUS" 422 "no template: 422"
check --data-urlencode 'name=A' --data-urlencode "s.list.$g1=1" --data-urlencode "template=$t1"
is "$HTTP_STATUS" 422 "no number: 422"
like "$HTTP_BODY" 'Tick at least one connected number' "... saying why"
check "${good[@]}" --data-urlencode include_unknown=1
is "$HTTP_STATUS" 422 "unknown contacts without the acknowledgement: 422"
like "$HTTP_BODY" 'Tick the confirmation' "... saying why"
check "${good[@]}" --data-urlencode start=at --data-urlencode 'start_at=tomorrow'
is "$HTTP_STATUS" 422 "a start that is no time: 422"
check "${good[@]}" --data-urlencode start=at --data-urlencode 'start_at=2030-03-04 09:00'
is "$HTTP_STATUS" 422 "a start in the past (local time): 422"
like "$HTTP_BODY" 'That time is past' "... saying why"
check "${good[@]}" --data-urlencode start=at --data-urlencode 'start_at=2031-03-04 09:00'
is "$HTTP_STATUS" 422 "a start over 90 days ahead: 422"
check --data-urlencode 'name=A' --data-urlencode "s.list.$g1=1" --data-urlencode "template=$t1" \
    --data-urlencode "i.$ia=1" --data-urlencode 'missing=drop'
is "$HTTP_STATUS" 422 "an unknown missing-variable policy: 422"
sql "INSERT INTO tags (customer_id, name) SELECT 1, 'many' || g FROM generate_series(1, 20) g" >/dev/null
args=(--data-urlencode 'name=A' --data-urlencode "template=$t1" --data-urlencode "i.$ia=1" --data-urlencode "s.list.$g1=1")
for i in $(sql "SELECT id FROM tags WHERE name LIKE 'many%'"); do args+=(--data-urlencode "s.tag.$i=1"); done
check "${args[@]}"
is "$HTTP_STATUS" 422 "21 sources: 422"
like "$HTTP_BODY" 'Choose at most 20' "... saying why"
sql "DELETE FROM tags WHERE name LIKE 'many%'" >/dev/null
check --data-urlencode 'name=A' --data-urlencode "s.list.$g2=1" --data-urlencode "template=$t1" --data-urlencode "i.$ia=1"
is "$HTTP_STATUS" 404 "another customer's list: 404"
check --data-urlencode 'name=A' --data-urlencode "s.tag.$tag2=1" --data-urlencode "template=$t1" --data-urlencode "i.$ia=1"
is "$HTTP_STATUS" 404 "another customer's tag: 404"
check --data-urlencode 'name=A' --data-urlencode "s.segment.$g1=1" --data-urlencode "template=$t1" --data-urlencode "i.$ia=1"
is "$HTTP_STATUS" 404 "a list given as a segment: 404"
check --data-urlencode 'name=A' --data-urlencode "s.list.$g1=1" --data-urlencode "template=$t2" --data-urlencode "i.$ia=1"
is "$HTTP_STATUS" 404 "another customer's template: 404"
check --data-urlencode 'name=A' --data-urlencode "s.list.$g1=1" --data-urlencode "template=$t1" --data-urlencode "i.$ic=1"
is "$HTTP_STATUS" 404 "another customer's number: 404"
check --data-urlencode 'name=A' --data-urlencode "s.list.$g1=1" --data-urlencode "template=$t1" --data-urlencode "i.$idown=1"
is "$HTTP_STATUS" 404 "a disconnected number: 404"
check --data-urlencode "name=A' OR 1=1 --" --data-urlencode "s.list.1 OR 1=1=1" --data-urlencode "template=$t1" --data-urlencode "i.$ia=1"
is "$HTTP_STATUS" 404 "SQL in a source: 404"
http POST /broadcasts/new -b "$jar" "${good[@]}"
is "$HTTP_STATUS" 403 "no CSRF token: 403"
check "${good[@]}" --data-urlencode "notes=$(head -c 17000 /dev/zero | tr '\0' a)"
is "$HTTP_STATUS" 413 "a form over 16 KiB: 413"
check --data-urlencode 'name=<script>alert(1)</script>' --data-urlencode "template=$t1" --data-urlencode "i.$ia=1"
like "$HTTP_BODY" 'value="&lt;script&gt;alert\(1\)&lt;/script&gt;"' "a hostile name shown escaped in the form"
http POST /broadcasts -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode 'name=' --data-urlencode "s.list.$g1=1"
is "$HTTP_STATUS" 422 "a bad start: 422"
is "$(count)" "0/0/0" "... nothing stored by any of them"

# ---------------------------------------------------------------- the check page
# List VIP: contacts 1..30 and the =HYPERLINK one: 10 subscribed + 1,
# 10 unknown, 10 unsubscribed; the tag has nobody.
check "${good[@]}" --data-urlencode "s.tag.$vip=1"
is "$HTTP_STATUS" 200 "the check: 200"
like "$HTTP_BODY" 'id="bn-count">11<' "... the dry run: 11 subscribed contacts"
like "$HTTP_BODY" 'id="bn-quota-left">100<' "... 100 messages left this month"
like "$HTTP_BODY" 'id="bn-fits"' "... it fits"
like "$HTTP_BODY" "name=\"s.list.$g1\" value=\"1\"" "... the values kept to start it"
like "$HTTP_BODY" 'Start the broadcast' "... the start button"
check "${good[@]}" --data-urlencode include_unknown=1 --data-urlencode unknown_ack=1
like "$HTTP_BODY" 'id="bn-count">21<' "with unknown contacts acknowledged: 21"
like "$HTTP_BODY" 'id="bn-precheck">no<' "... no pre-check unless asked"
check "${good[@]}" --data-urlencode precheck=1
like "$HTTP_BODY" 'id="bn-precheck">yes, before sending<' "the pre-check asked: the check page says so"
like "$HTTP_BODY" 'name="precheck" value="1"' "... and keeps it to start"
sql "UPDATE packages SET max_messages_month = 15" >/dev/null
check "${good[@]}" --data-urlencode include_unknown=1 --data-urlencode unknown_ack=1
like "$HTTP_BODY" 'id="bn-not-fits"' "a quota of 15: it does not fit"
unlike "$HTTP_BODY" 'Start the broadcast' "... no start button"
sql "UPDATE packages SET max_messages_month = 100" >/dev/null
http POST /broadcasts/new/edit -b "$jar" --data-urlencode "_csrf=$csrf" "${good[@]}"
is "$HTTP_STATUS" 200 "Change: the form again"
like "$HTTP_BODY" 'value="Spring sale"' "... with its values"
is "$(count)" "0/0/0" "the check stored nothing"

# ---------------------------------------------------------------- start
http POST /broadcasts -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" "${good[@]/Spring sale/Spring <sale>}" \
    --data-urlencode "s.tag.$vip=1" --data-urlencode include_unknown=1 --data-urlencode unknown_ack=1 \
    --data-urlencode precheck=1 --data-urlencode start=at --data-urlencode 'start_at=2030-03-05 08:00' --data-urlencode missing=skip
is "$HTTP_STATUS" 303 "start: 303"
bid=$(header Location); bid=${bid##*/}
like "$bid" '^[0-9]+$' "... to its page ($bid)"
is "$(count)" "1/2/1" "... the broadcast, its two sources and its job stored"
is "$(sql "SELECT state || ' ' || include_unknown || ' ' || unknown_ack_by || ' ' || (unknown_ack_at IS NOT NULL) || ' ' || missing
    || ' ' || to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' ' || array_to_string(instance_ids, ',') || ' ' || precheck
    FROM broadcasts WHERE id = $bid")" "resolving true 1 true skip 2030-03-05 01:00 $ia true" \
    "... resolving, the acknowledgement recorded, the start in Jakarta time, the policy, the number, the pre-check"
is "$(sql "SELECT string_agg(kind || ':' || coalesce(ref_id::text, ''), ',' ORDER BY pos) FROM broadcast_sources WHERE broadcast_id = $bid")" \
    "list:$g1,tag:$vip" "... the sources in order"
http GET "/broadcasts/$bid" -b "$jar"
is "$HTTP_STATUS" 200 "its page: 200"
like "$HTTP_BODY" 'The broadcast is started' "... the flash"
like "$HTTP_BODY" 'Spring &lt;sale&gt;' "... the name escaped"
like "$HTTP_BODY" 'Preparing the audience' "... the state in words"
like "$HTTP_BODY" "data-live-job=\"/broadcasts/$bid/live.json\"" "... refreshing itself"
like "$HTTP_BODY" '<meta http-equiv="refresh"' "... and without JavaScript"
like "$HTTP_BODY" '2030-03-05 08:00' "... the start in local time"
like "$HTTP_BODY" "href=\"/broadcasts/$bid/cancel\"" "... Cancel offered"
unlike "$HTTP_BODY" 'id="bc-pause"' "... no Pause while resolving"
http GET /broadcasts -b "$jar"
like "$HTTP_BODY" "href=\"/broadcasts/$bid\"" "the list: the broadcast"
like "$HTTP_BODY" 'id="bc-count">1<' "... counted"

# ---------------------------------------------------------------- another customer's
for p in "" /live.json /recipients.csv /cancel; do
	http GET "/broadcasts/$bid$p" -b "$jar2"
	is "$HTTP_STATUS" 404 "another customer's GET /broadcasts/ID$p: 404"
done
for a in pause resume cancel; do
	http POST "/broadcasts/$bid/$a" -b "$jar2" --data-urlencode "_csrf=$csrf2"
	is "$HTTP_STATUS" 404 "another customer's POST $a: 404"
done
is "$(sql "SELECT state FROM broadcasts WHERE id = $bid")" resolving "... changing nothing"

# ---------------------------------------------------------------- checking: pause, resume (sql/0036)
# As the runner would leave it with one number left to ask.
sql "UPDATE broadcasts SET state = 'checking', precheck = true WHERE id = $bid;
     INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, instance_id, status, check_due)
     SELECT $bid, c.id, c.phone, $ia, 'pending', wa_now() FROM contacts c WHERE c.customer_id = 1 ORDER BY c.id LIMIT 1" >/dev/null || bail_out "checking"
http GET "/broadcasts/$bid" -b "$jar"
like "$HTTP_BODY" 'Checking the numbers are on WhatsApp' "checking: the state in words"
like "$HTTP_BODY" 'id="bc-pause"' "... Pause offered while checking"
http POST "/broadcasts/$bid/pause" -b "$jar2" --data-urlencode "_csrf=$csrf2"
is "$HTTP_STATUS $(sql "SELECT state FROM broadcasts WHERE id = $bid")" "404 checking" "another customer's pause: 404, still checking"
http POST "/broadcasts/$bid/pause" -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS $(sql "SELECT state FROM broadcasts WHERE id = $bid")" "303 paused" "pause while checking: paused"
http GET "/broadcasts/$bid" -b "$jar"
like "$HTTP_BODY" 'id="bc-resume"' "... Resume offered"
http POST "/broadcasts/$bid/resume" -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf"
is "$(sql "SELECT state FROM broadcasts WHERE id = $bid")" checking "resume: checking again (a number left to ask)"
http GET "/broadcasts/$bid" -b "$jar"
like "$HTTP_BODY" 'The broadcast goes on again' "... the flash"
sql "DELETE FROM broadcast_recipients WHERE broadcast_id = $bid;
     UPDATE broadcasts SET state = 'resolving', precheck = false WHERE id = $bid" >/dev/null

# ---------------------------------------------------------------- sending: pause, resume
# As the runner would: recipients frozen and queued (one message each).
sql "INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, instance_id, status, reason)
     SELECT $bid, c.id, c.phone, $ia, CASE WHEN c.status = 'unsubscribed' THEN 'skipped' ELSE 'pending' END,
         CASE WHEN c.status = 'unsubscribed' THEN 'unsubscribed' ELSE '' END
     FROM contacts c WHERE c.customer_id = 1 AND (c.id <= 30 OR c.name LIKE '=%');
     WITH m AS (INSERT INTO messages (customer_id, instance_id, direction, status, source, peer, peer_phone, body, broadcast_id)
         SELECT 1, $ia, 'out', 'queued', 'broadcast', phone, phone, 'Hi', $bid FROM broadcast_recipients
         WHERE broadcast_id = $bid AND status = 'pending' RETURNING id, peer_phone)
     UPDATE broadcast_recipients r SET status = 'queued', message_id = m.id FROM m
         WHERE r.broadcast_id = $bid AND r.phone = m.peer_phone;
     UPDATE broadcasts SET state = 'sending', recipients = 21, skipped = 10, queued = 21, reserved = 21,
         template_version = 1, template_body = 'Hi' WHERE id = $bid" >/dev/null || bail_out "queueing"
# Two sent (one of them delivered) and one failed, as the dispatcher
# and the receipts would leave them: the counters of sql/0029 follow.
sql "UPDATE messages SET status = CASE WHEN id = m.lo THEN 'delivered' WHEN id = m.lo + 1 THEN 'sent' ELSE 'failed' END,
         sent_at = CASE WHEN id < m.lo + 2 THEN wa_now() END, delivered_at = CASE WHEN id = m.lo THEN wa_now() END,
         failed_at = CASE WHEN id = m.lo + 2 THEN wa_now() END
     FROM (SELECT min(id) AS lo FROM messages WHERE broadcast_id = $bid) m
     WHERE broadcast_id = $bid AND id <= m.lo + 2" >/dev/null || bail_out "outcomes"
stack_clock '2030-03-04 10:01:00+00'
http GET "/broadcasts/$bid" -b "$jar"
like "$HTTP_BODY" 'id="bc-recipients">21<' "sending: 21 recipients"
like "$HTTP_BODY" 'id="bc-skipped">10<' "... 10 left out"
like "$HTTP_BODY" 'id="bc-pause"' "... Pause offered"
like "$HTTP_BODY" 'badge--delivered">delivered<' "... a recipient with its message's status"
like "$HTTP_BODY" 'badge--failed">failed<' "... a failed one"
like "$HTTP_BODY" 'id="bc-sent" data-job-rows>2<' "... 2 sent (the counter)"
like "$HTTP_BODY" 'id="bc-delivered">1 \(50.0 %' "... 1 delivered: 50.0 % of the sent"
like "$HTTP_BODY" 'id="bc-failed">1 \(33.3 %' "... 1 failed: 33.3 % of the outcomes"
like "$HTTP_BODY" 'id="bc-rate">2 ' "... 2 a minute"
like "$HTTP_BODY" '<th scope="row">2030-03-04 17:00</th><td class="num">2</td>' "... the timeline by hour (Jakarta time), with its table"
like "$HTTP_BODY" '<th scope="row">Sales</th><td class="num">2</td><td class="num">1</td><td class="num">0</td><td class="num">1</td>' \
    "... the per-number table"
like "$HTTP_BODY" 'badge--queued">queued<' "... the others queued"
like "$HTTP_BODY" 'unsubscribed</td>' "... a left-out one with its reason"
http GET "/broadcasts/$bid/live.json" -b "$jar"
is "$HTTP_STATUS" 200 "live.json: 200"
like "$HTTP_BODY" '"state": *"sending"' "... its state"
like "$HTTP_BODY" '"total": *21' "... the recipients"
like "$HTTP_BODY" '"over": *false' "... not over"
http POST "/broadcasts/$bid/pause" -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 303 "pause: 303"
is "$(sql "SELECT state FROM broadcasts WHERE id = $bid")" paused "... paused"
http GET "/broadcasts/$bid" -b "$jar"
like "$HTTP_BODY" 'The broadcast is paused' "... the flash"
like "$HTTP_BODY" 'id="bc-resume"' "... Resume offered"
http POST "/broadcasts/$bid/pause" -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf"
http GET "/broadcasts/$bid" -b "$jar"
like "$HTTP_BODY" 'Nothing changed' "pausing a paused one: nothing changed, said so"
http POST "/broadcasts/$bid/resume" -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf"
is "$(sql "SELECT state FROM broadcasts WHERE id = $bid")" sending "resume: sending again"
http POST "/broadcasts/$bid/resume" -b "$jar" --data-urlencode "_csrf=wrong"
is "$HTTP_STATUS" 403 "a wrong CSRF token: 403"

# ---------------------------------------------------------------- the reasons in the reader's language (sql/0036)
lang=$(sql "SELECT language FROM users WHERE id = 1")
sql "UPDATE broadcasts SET state = 'paused', pause_code = 'failures', pause_args = '{23,200,11.5,10}',
     pause_reason = 'Paused: 23 of the last 200 sends failed (11.5 %, limit 10 %)' WHERE id = $bid" >/dev/null
http GET "/broadcasts/$bid" -b "$jar"
like "$HTTP_BODY" 'id="bc-pause-reason">Paused: 23 of the last 200 sends failed \(11.5 %, limit 10 %\)<' \
    "a brake's pause: its reason made from the code and figures"
sql "UPDATE users SET language = 'id' WHERE id = 1" >/dev/null
http GET "/broadcasts/$bid" -b "$jar"
like "$HTTP_BODY" 'id="bc-pause-reason">Dijeda: 23 dari 200 pengiriman terakhir gagal \(11.5 %, batas 10 %\)<' \
    "... in Indonesian on an Indonesian page"
unlike "$HTTP_BODY" 'sends failed' "... no English of it"
sql "UPDATE broadcasts SET pause_code = 'number_down', pause_args = '{+6281234567}', pause_reason = 'x' WHERE id = $bid" >/dev/null
http GET "/broadcasts/$bid" -b "$jar"
like "$HTTP_BODY" 'id="bc-pause-reason">Dijeda: nomor \+6281234567 terputus<' "... a number disconnected, the number named"
sql "UPDATE broadcasts SET pause_code = '', pause_args = '{}', pause_reason = 'Paused: number +62899 disconnected' WHERE id = $bid" >/dev/null
http GET "/broadcasts/$bid" -b "$jar"
like "$HTTP_BODY" 'id="bc-pause-reason">Dijeda: Paused: number \+62899 disconnected<' "an older row without a code: its text as stored"
sql "UPDATE broadcasts SET state = 'failed', fail_code = 'quota', fail_args = '{18,5}',
     fail_reason = 'needs 18 messages, 5 left this month' WHERE id = $bid" >/dev/null
http GET "/broadcasts/$bid" -b "$jar"
like "$HTTP_BODY" 'id="bc-fail-reason">Gagal: membutuhkan 18 pesan, tersisa 5 bulan ini<' "a failure's reason in Indonesian too"
sql "UPDATE broadcasts SET fail_code = 'missing_variable', fail_args = '{<b>7}' WHERE id = $bid" >/dev/null
http GET "/broadcasts/$bid" -b "$jar"
like "$HTTP_BODY" 'id="bc-fail-reason">Gagal: &lt;b&gt;7 penerima' "... its figures escaped"
sql "UPDATE users SET language = '$lang' WHERE id = 1;
     UPDATE broadcasts SET state = 'sending', pause_code = '', pause_args = '{}', pause_reason = '',
         fail_code = '', fail_args = '{}', fail_reason = '' WHERE id = $bid" >/dev/null

# ---------------------------------------------------------------- the CSV
http GET "/broadcasts/$bid/recipients.csv" -b "$jar"
is "$HTTP_STATUS" 200 "the CSV: 200"
like "$(header Content-Disposition)" "broadcast-$bid-recipients.csv" "... an attachment"
is "$(tail -n +2 <<<"$HTTP_BODY" | grep -c .)" 31 "... a row per recipient (31)"
like "$HTTP_BODY" "'=HYPERLINK" "... a formula cell neutralised"
unlike "$HTTP_BODY" ',=HYPERLINK' "... never as a formula"
like "$HTTP_BODY" ',skipped,unsubscribed,' "... the left-out ones with their reason"

# ---------------------------------------------------------------- cancel after a confirmation
http GET "/broadcasts/$bid/cancel" -b "$jar"
is "$HTTP_STATUS" 200 "the cancel's confirmation: 200"
like "$HTTP_BODY" 'Cancel this broadcast\?' "... asking"
is "$(sql "SELECT state FROM broadcasts WHERE id = $bid")" sending "... changing nothing yet"
http POST "/broadcasts/$bid/cancel" -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 303 "cancel: 303"
is "$(sql "SELECT state FROM broadcasts WHERE id = $bid")" cancelled "... cancelled"
is "$(sql "SELECT count(*) FROM messages WHERE broadcast_id = $bid AND status = 'cancelled'")" 18 "... its 18 unsent messages cancelled"
http GET "/broadcasts/$bid" -b "$jar"
like "$HTTP_BODY" 'The broadcast is cancelled' "... the flash"
unlike "$HTTP_BODY" 'data-live-job' "... no longer refreshing"
unlike "$HTTP_BODY" 'id="bc-cancel"' "... no Cancel"
unlike "$HTTP_BODY" '<meta http-equiv="refresh"' "... nor reloading"

done_testing
