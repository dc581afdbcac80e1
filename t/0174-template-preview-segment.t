#!/bin/sh
# 0174-template-preview-segment.t: a template's preview offers the customer's segments beside the lists: 5 random subscribed contacts matching the segment's filter (read as the Contacts page reads it), fewer when fewer match, nobody for a segment on another status or whose filter no longer parses; segment names escaped; another customer's segment and hostile values refused.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2030-03-04 10:00:00+00'
stack_customers 1 1000 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 10000;
     INSERT INTO tags (customer_id, name) VALUES (1, 'vip'), (1, 'few'), (2, 'theirs');
     INSERT INTO contact_fields (customer_id, key, label, kind) VALUES (1, 'city', 'City', 'text');
     INSERT INTO contacts (customer_id, phone, name, status, tags, fields)
         SELECT 1, '+62813' || lpad(g::text, 7, '0'), 'Customer ' || g,
             CASE g % 3 WHEN 0 THEN 'subscribed' WHEN 1 THEN 'unsubscribed' ELSE 'unknown' END,
             ARRAY(SELECT id FROM tags WHERE customer_id = 1 AND ((name = 'vip' AND g % 2 = 0) OR (name = 'few' AND g IN (3, 6, 7)))),
             jsonb_build_object('city', CASE WHEN g % 4 = 0 THEN 'Bandung' ELSE 'Jakarta' END)
         FROM generate_series(1, 200) g;
     INSERT INTO contacts (customer_id, phone, name, status) VALUES (2, '+628140000001', 'Other', 'subscribed')" >/dev/null ||
    bail_out "seeding failed"
tag() { sql "SELECT id FROM tags WHERE name = '$1'"; }
seg() { sql "INSERT INTO contact_groups (customer_id, name, kind, filter) VALUES ($1, '$2', 'segment', '$3') RETURNING id"; }
svip=$(seg 1 'VIP <b>buyers</b>' "any=$(tag vip)&field=city&eq=Bandung")
sfew=$(seg 1 'Few' "any=$(tag few)")
sunsub=$(seg 1 'Gone' "status=unsubscribed")
sbad=$(seg 1 'Broken' "field=city&eq=Jakarta")
sql "DELETE FROM contact_fields WHERE key = 'city'" >/dev/null
stheirs=$(seg 2 'Theirs' "any=$(tag theirs)")
tpl=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Hi', 'Hi {{first_name}}')")

jar=$STACK_DIR/jar
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
ids() { grep -o 'id="rendered-[0-9]*"' <<<"$HTTP_BODY" | grep -o '[0-9]*' | paste -sd,; }

http GET "/templates/$tpl" -b "$jar"
is "$HTTP_STATUS" 200 "a template's page: 200"
like "$HTTP_BODY" "<optgroup label=\"Segments\"><option value=\"$sbad\">Broken</option>.*<option value=\"$svip\">VIP &lt;b&gt;buyers&lt;/b&gt;</option></optgroup>" "the sample's choice offers the segments by name, names escaped"
unlike "$HTTP_BODY" "value=\"$stheirs\"" "... not another customer's"

# The field was deleted: a segment naming it no longer parses; recreate it for svip.
sql "INSERT INTO contact_fields (customer_id, key, label, kind) VALUES (1, 'city', 'City', 'text')" >/dev/null
http GET "/templates/$tpl?sample=$svip" -b "$jar"
is "$(grep -c 'class="msg-card te-rendered"' <<<"$HTTP_BODY")" 5 "a segment: 5 contacts rendered"
got=$(ids)
is "$(sql "SELECT count(*) FROM contacts WHERE id IN ($got) AND customer_id = 1 AND status = 'subscribed'
    AND tags @> ARRAY[$(tag vip)::bigint] AND fields ->> 'city' = 'Bandung'")" 5 "... each subscribed and matching its filter"
like "$HTTP_BODY" "<option value=\"$svip\" selected>" "... the segment chosen"
http GET "/templates/$tpl?sample=$sfew" -b "$jar"
is "$(ids)" "$(sql "SELECT string_agg(id::text, ',' ORDER BY id) FROM contacts WHERE customer_id = 1 AND status = 'subscribed' AND tags @> ARRAY[$(tag few)::bigint]")" \
    "a segment with 2 subscribed matches: those 2"
http GET "/templates/$tpl?sample=$sunsub" -b "$jar"
like "$HTTP_BODY" 'id="te-no-sample"' "a segment of unsubscribed contacts: nobody to show"
unlike "$HTTP_BODY" 'rendered-' "... nothing rendered"
sql "DELETE FROM contact_fields WHERE key = 'city'" >/dev/null
http GET "/templates/$tpl?sample=$sbad" -b "$jar"
is "$HTTP_STATUS" 200 "a segment whose filter no longer parses: 200"
like "$HTTP_BODY" 'id="te-no-sample"' "... nobody to show"
http GET "/templates/$tpl?sample=$stheirs" -b "$jar"
like "$HTTP_BODY" 'Choose one of your lists or segments\.' "another customer's segment: refused"
unlike "$HTTP_BODY" 'rendered-' "... nothing rendered"
for s in 99999999 0 -1 "1%20OR%201=1" "$(printf '9%.0s' $(seq 30))"; do
	http GET "/templates/$tpl?sample=$s" -b "$jar"
	is "$HTTP_STATUS" 200 "sample '$s': 200"
	like "$HTTP_BODY" 'Choose one of your lists or segments\.' "... refused"
done

stack_stop
done_testing
