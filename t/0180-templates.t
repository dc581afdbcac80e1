#!/bin/sh
# 0180-templates.t: message templates in the portal: create (every bad input refused with its reason and position, nothing stored), unknown variables flagged, edit as new versions (the old ones read-only), the preview against a contact and 5 random subscribed contacts of a list or of all, hostile values shown escaped, the limit of 200, delete after a confirmation, another customer's templates, contacts and lists refused.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 2 --clock '2030-03-04 10:00:00+00'
stack_customers 1 1000 c@example.com d@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_contacts = 10000;
     UPDATE users SET time_zone = 'Asia/Jakarta', country = 'ID';
     INSERT INTO contact_fields (customer_id, key, label, kind)
         VALUES (1, 'city', 'City', 'text');
     INSERT INTO contacts (customer_id, phone, name, status, fields)
         SELECT 1, '+62813' || lpad(g::text, 7, '0'), 'Customer ' || g,
             CASE g % 3 WHEN 0 THEN 'subscribed' WHEN 1 THEN 'unsubscribed' ELSE 'unknown' END,
             jsonb_build_object('city', 'City ' || g)
         FROM generate_series(1, 60) g;
     INSERT INTO contacts (customer_id, phone, name, status, fields) VALUES
         (1, '+628120000001', '<img src=x onerror=alert(1)> {{phone}}', 'subscribed',
          '{\"city\": \"<b>Bandung</b> {a|b}\"}'),
         (2, '+628140000001', 'Other', 'subscribed', '{}');
     INSERT INTO contact_groups (customer_id, name, kind) VALUES (1, 'VIP', 'list'), (2, 'Theirs', 'list')" >/dev/null
sql "SELECT wa_group_add(1, 1, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 AND id <= 12));
     SELECT wa_group_add(2, 2, ARRAY(SELECT id FROM contacts WHERE customer_id = 2))" >/dev/null

jar=$STACK_DIR/jar jar2=$STACK_DIR/jar2
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$STACK_PW"
http GET /templates -b "$jar"; csrf=$(csrf_of)
http GET /templates -b "$jar2"; csrf2=$(csrf_of)
count() { sql "SELECT count(*) || '/' || (SELECT count(*) FROM template_versions) FROM templates"; }

# ---------------------------------------------------------------- the empty page
http GET /templates -b "$jar"
is "$HTTP_STATUS" 200 "GET /templates: 200"
like "$HTTP_BODY" 'No templates yet' "... the empty state"
like "$HTTP_BODY" 'href="/templates" aria-current="page"' "... Templates in the menu, current"
http GET /templates
is "$HTTP_STATUS" 303 "signed out: to the sign-in page"

# ---------------------------------------------------------------- bad input, nothing stored
add() { http POST /templates -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" "$@"; }
add --data-urlencode 'name=' --data-urlencode 'body=Hi'
is "$HTTP_STATUS" 422 "an empty name: 422"
like "$HTTP_BODY" "name is one line of 1 to 100 characters" "... saying why"
add --data-urlencode "name=$(printf 'x%.0s' $(seq 101))" --data-urlencode 'body=Hi'
is "$HTTP_STATUS" 422 "a name of 101 characters: 422"
add --data-urlencode $'name=two\nlines' --data-urlencode 'body=Hi'
is "$HTTP_STATUS" 422 "a name of two lines: 422"
add --data-urlencode 'name=T' --data-urlencode 'body=   '
is "$HTTP_STATUS" 422 "a blank text: 422"
like "$HTTP_BODY" "Enter the template&#39;s text\.|Enter the template's text\." "... saying why"
add --data-urlencode 'name=T' --data-urlencode $'body=Hi\x01there'
is "$HTTP_STATUS" 422 "a control character: 422"
add --data-urlencode 'name=T' --data-urlencode "body=$(head -c 65537 /dev/zero | tr '\0' a)"
is "$HTTP_STATUS" 422 "65537 characters: 422"
like "$HTTP_BODY" 'at most 65536 characters' "... saying why"
add --data-urlencode 'name=T' --data-urlencode $'body=Hello\nDear {{name'
is "$HTTP_STATUS" 422 "an open {{: 422"
like "$HTTP_BODY" 'Line 2, column 6: A \{\{ is not closed by \}\}' "... with its line and column"
like "$HTTP_BODY" 'Dear \{\{name</textarea>' "... the text kept in the form"
add --data-urlencode 'name=T' --data-urlencode 'body=Hi {a} there'
is "$HTTP_STATUS" 422 "a choice of one option: 422"
like "$HTTP_BODY" 'Line 1, column 4: A choice needs two or more options' "... with its position"
add --data-urlencode 'name=T' --data-urlencode 'body=a } b'
like "$HTTP_BODY" 'Line 1, column 3: A \} without its \{' "a stray }: its position"
add --data-urlencode 'name=T' --data-urlencode 'body={{name|Customer}}'
like "$HTTP_BODY" 'A fallback is written in double quotes' "a fallback without quotes: refused"
add --data-urlencode 'name=T' --data-urlencode 'body={a|{b|{c|{d|e}}}}'
like "$HTTP_BODY" 'nested too deeply' "choices 4 deep: refused"
http POST /templates -b "$jar" --data-urlencode 'name=T' --data-urlencode 'body=Hi'
is "$HTTP_STATUS" 403 "no CSRF token: 403"
is "$(count)" "0/0" "... nothing stored by any of them"

# ---------------------------------------------------------------- create, unknown variables
body=$'{Hi|Hello} {{first_name|"there"}},\nyour city: {{custom.city}}; {{nick}} {{custom.town}}'
add --data-urlencode 'name=Welcome <script>alert(1)</script>' --data-urlencode "body=$body"
is "$HTTP_STATUS" 303 "a template with unknown variables is saved: 303"
tid=$(header Location); tid=${tid##*/}
like "$tid" '^[0-9]+$' "... to its page ($tid)"
is "$(sql "SELECT version || ' ' || (SELECT body FROM template_versions WHERE template_id = $tid) FROM templates WHERE id = $tid")" "1 $body" "... version 1, the text as typed"
http GET "/templates/$tid" -b "$jar"
is "$HTTP_STATUS" 200 "its page: 200"
like "$HTTP_BODY" 'The template is added\.' "... flashed"
like "$HTTP_BODY" 'Unknown variables' "... unknown variables flagged"
like "$HTTP_BODY" 'Line 2, column 31: <code>nick</code>' "... {{nick}} with its position"
like "$HTTP_BODY" '<code>custom.town</code>' "... and a custom field the customer has not"
unlike "$HTTP_BODY" '<code>custom.city</code>' "... but not one it has"
like "$HTTP_BODY" '<h1>Welcome &lt;script&gt;alert\(1\)&lt;/script&gt;</h1>' "... the hostile name escaped"
unlike "$HTTP_BODY" '<script>alert' "... never raw"
add --data-urlencode 'name=WELCOME <SCRIPT>ALERT(1)</SCRIPT>' --data-urlencode 'body=x'
is "$HTTP_STATUS" 422 "the same name in another case: 422"
like "$HTTP_BODY" 'You have a template of this name already\.' "... saying why"
add --data-urlencode "name=Promo'; DROP TABLE templates; --" --data-urlencode 'body=Hi {{name|"Customer"}}'
is "$HTTP_STATUS" 303 "a second template: 303"
pid=$(header Location); pid=${pid##*/}
http GET /templates -b "$jar"
like "$HTTP_BODY" 'id="tp-count">2<' "the list counts two"
like "$HTTP_BODY" "Promo&#39;; DROP TABLE templates; --" "... the hostile name only a name, escaped"

# ---------------------------------------------------------------- edit: versions
save() { http POST "/templates/$1" -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" "${@:2}"; }
save "$tid" --data-urlencode 'name=Welcome' --data-urlencode 'body=Hello {{name}}!'
is "$HTTP_STATUS" 303 "a new text: 303"
is "$(sql "SELECT version FROM templates WHERE id = $tid")" 2 "... version 2"
save "$tid" --data-urlencode 'name=Welcome back' --data-urlencode 'body=Hello {{name}}!'
is "$(sql "SELECT version || ' ' || name FROM templates WHERE id = $tid")" "2 Welcome back" "the same text, a new name: still version 2"
http GET "/templates/$tid" -b "$jar"
like "$HTTP_BODY" 'its text is unchanged, so its version is too' "... said so"
like "$HTTP_BODY" 'id="version-1"' "version 1 listed read-only"
like "$HTTP_BODY" '\{\{nick\}\} \{\{custom.town\}\}</div>' "... with its text"
unlike "$HTTP_BODY" 'id="version-2"' "... the current one is not among the older"
is "$(sql "SELECT body FROM template_versions WHERE template_id = $tid AND version = 1")" "$body" "version 1 unchanged in the database"
save "$tid" --data-urlencode 'name=Welcome back' --data-urlencode 'body=Hello {{name'
is "$HTTP_STATUS" 422 "a bad text: 422"
is "$(sql "SELECT version FROM templates WHERE id = $tid")" 2 "... nothing saved"
save "$tid" --data-urlencode "name=Promo'; DROP TABLE templates; --" --data-urlencode 'body=x'
is "$HTTP_STATUS" 422 "another template's name: 422"
like "$HTTP_BODY" 'You have a template of this name already\.' "... saying why"
for i in $(seq 3 25); do
	sql "SELECT wa_template_save(1, $tid, 'Welcome back', 'Text $i')" >/dev/null
done
is "$(sql "SELECT version || ' ' || (SELECT count(*) || ' ' || min(version) FROM template_versions WHERE template_id = $tid) FROM templates WHERE id = $tid")" "25 20 6" "25 versions: the newest 20 kept"

# ---------------------------------------------------------------- preview
save "$pid" --data-urlencode "name=Promo" --data-urlencode 'body={Hi|Hello|Hey} {{first_name|"Customer"}} from {{custom.city|"your city"}}'
c3=$(sql "SELECT id FROM contacts WHERE phone = '+628130000003'")
hostile=$(sql "SELECT id FROM contacts WHERE phone = '+628120000001'")
other=$(sql "SELECT id FROM contacts WHERE customer_id = 2")
http GET "/templates/$pid?contact=$c3" -b "$jar"
is "$HTTP_STATUS" 200 "a preview by id: 200"
like "$HTTP_BODY" "(Hi|Hello|Hey) Customer from City 3</div>" "... rendered with the contact's values"
like "$HTTP_BODY" '<span class="num te-chars">[0-9]+</span> characters' "... with its length"
first=$(grep -o '<div class="msg-full msg-full--short">[^<]*' <<<"$HTTP_BODY")
http GET "/templates/$pid?contact=$c3" -b "$jar"
is "$(grep -o '<div class="msg-full msg-full--short">[^<]*' <<<"$HTTP_BODY")" "$first" "... the same choice every time for that contact"
http GET "/templates/$pid?contact=0813-0000-003" -b "$jar"
like "$HTTP_BODY" "id=\"rendered-$c3\"" "a preview by national number"
http GET "/templates/$pid?contact=%2B628130000003" -b "$jar"
like "$HTTP_BODY" "id=\"rendered-$c3\"" "... and by +62"
http GET "/templates/$pid?contact=$hostile" -b "$jar"
like "$HTTP_BODY" '&lt;img src=x onerror=alert\(1\)&gt;' "hostile values shown escaped"
like "$HTTP_BODY" 'from &lt;b&gt;Bandung&lt;/b&gt; \{a\|b\}</div>' "... braces in a value never parsed"
unlike "$HTTP_BODY" '<img src=x' "... never raw"
http GET "/templates/$pid?contact=$other" -b "$jar"
like "$HTTP_BODY" 'No contact of yours has this number or id\.' "another customer's contact: not found"
unlike "$HTTP_BODY" 'rendered-' "... nothing rendered"
http GET "/templates/$pid?contact=%27%3B%20DROP%20TABLE%20contacts%3B--" -b "$jar"
like "$HTTP_BODY" 'No contact of yours has this number or id\.' "an injection as contact: not found"
http GET "/templates/$pid?sample=all" -b "$jar"
is "$(grep -c 'class="msg-card te-rendered"' <<<"$HTTP_BODY")" 5 "5 random contacts of all"
ids=$(grep -o 'id="rendered-[0-9]*"' <<<"$HTTP_BODY" | grep -o '[0-9]*' | paste -sd,)
is "$(sql "SELECT count(*) FROM contacts WHERE id IN ($ids) AND customer_id = 1 AND status = 'subscribed'")" 5 "... each the customer's and subscribed"
http GET "/templates/$pid?sample=1" -b "$jar"
ids=$(grep -o 'id="rendered-[0-9]*"' <<<"$HTTP_BODY" | grep -o '[0-9]*' | paste -sd,)
is "$(sql "SELECT count(*) FROM contact_group_members WHERE group_id = 1 AND contact_id IN ($ids) AND status = 'subscribed'")" \
    "$(sql "SELECT least(5, count(*)) FROM contact_group_members WHERE group_id = 1 AND status = 'subscribed'")" "the list's: its subscribed members"
http GET "/templates/$pid?sample=2" -b "$jar"
like "$HTTP_BODY" 'Choose one of your lists or segments\.' "another customer's list: refused"
unlike "$HTTP_BODY" 'rendered-' "... nothing rendered"
http GET "/templates/$pid?sample=x%27--" -b "$jar"
like "$HTTP_BODY" 'Choose one of your lists or segments\.' "a hostile sample: refused"

# ---------------------------------------------------------------- another customer
http GET "/templates/$tid" -b "$jar2"
is "$HTTP_STATUS" 404 "another customer's template: 404"
http POST "/templates/$tid" -b "$jar2" --data-urlencode "_csrf=$csrf2" --data-urlencode 'name=Mine' --data-urlencode 'body=x'
is "$HTTP_STATUS" 404 "... saving it: 404"
http GET "/templates/$tid/delete" -b "$jar2"
is "$HTTP_STATUS" 404 "... asking to delete it: 404"
http POST "/templates/$tid/delete" -b "$jar2" --data-urlencode "_csrf=$csrf2"
is "$HTTP_STATUS" 404 "... deleting it: 404"
is "$(sql "SELECT name FROM templates WHERE id = $tid")" "Welcome back" "... unchanged"
http GET /templates -b "$jar2"
like "$HTTP_BODY" 'No templates yet' "... and not in their list"

# ---------------------------------------------------------------- the limit
sql "INSERT INTO templates (customer_id, name) SELECT 1, 'Bulk ' || g FROM generate_series(1, 198) g;
     INSERT INTO template_versions (template_id, version, body) SELECT id, 1, 'x' FROM templates WHERE name LIKE 'Bulk %'" >/dev/null
add --data-urlencode 'name=One too many' --data-urlencode 'body=x'
is "$HTTP_STATUS" 422 "the 201st template: 422"
like "$HTTP_BODY" 'You have 200 templates' "... saying why"
http GET /templates -b "$jar"
like "$HTTP_BODY" 'rel="next"' "200 templates: a next page"
http GET "/templates?before=x" -b "$jar"
is "$HTTP_STATUS" 400 "a bad cursor: 400"

# ---------------------------------------------------------------- delete
http GET "/templates/$tid/delete" -b "$jar"
is "$HTTP_STATUS" 200 "delete asks first"
like "$HTTP_BODY" 'Delete this template and its versions\?' "... saying what goes"
is "$(sql "SELECT count(*) FROM templates WHERE id = $tid")" 1 "... nothing deleted yet"
http POST "/templates/$tid/delete" -b "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 303 "delete: 303"
is "$(sql "SELECT count(*) FROM templates WHERE id = $tid") $(sql "SELECT count(*) FROM template_versions WHERE template_id = $tid")" "0 0" "... the template and its versions gone"
http GET "/templates/$tid" -b "$jar"
is "$HTTP_STATUS" 404 "... its page: 404"

stack_stop
done_testing
