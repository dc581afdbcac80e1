#!/bin/sh
# 0400-browser.t: every page of the portal in headless Chromium, light and dark, phone and desktop: axe-core finds nothing, nothing overflows or is clipped, the phone menu folds and shows it opens; a failed password change shows every error at its field with the focus on the first; a signed-in 404 keeps the frame; the API docs' try-it panel with a new send-only key sends an operation it may call and gets a 2xx.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
[ -z "${WAPORTAL_TEST_SANITIZERS:-}" ] || { echo "1..0 # SKIP runs in the normal tree: no C code of ours to check under the sanitizers"; exit 0; }
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
command -v node >/dev/null || skip_all "node is not installed (./dev test installs it)"
why=$(TOP=$top_srcdir node --input-type=module -e '
	const B = await import(process.env.TOP + "/t/lib/browser.mjs");
	process.stdout.write(B.missing(process.env.TOP) || "");') ||
    skip_all "t/lib/browser.mjs does not load"
[ -z "$why" ] || skip_all "$why"

STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=2 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0"
stack_start --workers 2 --dispatch
KEY=browser-test-key
SECRET=0123456789abcdef0123456789abcdef-brws
stack_gwsim_start "$KEY" -q 0 -d 100 || bail_out "simulator did not start"

# ---------------------------------------------------------------- seed
# One customer with something on every page: two hosts (one the
# simulator), a number linked on it and one waiting for its QR, messages
# in every tab, two API keys with use, a scheduled message to cancel.
stack_customers 2 100 c@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_api_keys = 10, api_rpm = 60;
     UPDATE users SET name = 'Citra Maharani Wulandari' WHERE id = 1" >/dev/null ||
    bail_out "seeding the package failed"
{ stack_host demo base_url="$GWSIM_URL" api_key="$KEY" webhook_secret="$SECRET" \
    city=Jakarta country=ID latitude=-6.2088 longitude=106.8456 &&
  stack_host sgp-1 api_key=x webhook_secret="${SECRET}2" city=Singapore country=SG \
    capacity=40 latitude=1.3521 longitude=103.8198; } >/dev/null || bail_out "seeding the hosts failed"

jar=$STACK_DIR/jar
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
is "$HTTP_STATUS" 303 "seed: signed in with curl"
http GET /whatsapp -b "$jar"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//')
post() { http POST "$1" -b "$jar" --data-urlencode "_csrf=$csrf" "${@:2}"; }

post /whatsapp/instances --data-urlencode 'name=Sales team Jakarta' --data-urlencode host=1
is "$HTTP_STATUS" 303 "seed: a number on the simulator"
iid=$(header Location); iid=${iid##*/}
post /whatsapp/instances --data-urlencode 'name=Support' --data-urlencode host=1
is "$HTTP_STATUS" 303 "seed: a second number, left waiting for its QR"
qid=$(header Location); qid=${qid##*/}
session=$(sql "SELECT session FROM instances WHERE id = $iid")
http GET "/whatsapp/instances/$iid" -b "$jar"
curl -s -X POST "$GWSIM_URL/_sim/sessions/$session/scan" >/dev/null
wait_for 10 eval '[ "$(sql "SELECT status FROM instances WHERE id = $iid")" = connected ]'
ok $? "seed: the first number is linked (QR scanned on the simulator)"

long=$(printf 'Halo Bapak/Ibu, pesanan Anda #%s sudah kami kirim hari ini. ' 20931 20932 20933 20934 20935)
post /whatsapp/queue --data-urlencode "instance=$iid" --data-urlencode 'recipient=0812-3456-7890' \
    --data-urlencode 'text=Your order has shipped.'
post /whatsapp/queue --data-urlencode "instance=$iid" --data-urlencode 'recipient=+6281399988877' \
    --data-urlencode "text=$long"
is "$HTTP_STATUS" 303 "seed: two messages sent from the Queue tab"
post /whatsapp/queue --data-urlencode "instance=$qid" --data-urlencode 'recipient=081277766655' \
    --data-urlencode 'text=Waiting for the number to be linked'
post /whatsapp/queue --data-urlencode "instance=$iid" --data-urlencode 'recipient=081277766655' \
    --data-urlencode 'text=Reminder: your appointment is tomorrow at 10:00.' \
    --data-urlencode "send_at=$(date -d '+2 days' +%Y-%m-%dT10:00)"
is "$HTTP_STATUS" 303 "seed: one queued on the unlinked number, one scheduled"
wait_for 15 eval '[ "$(sql "SELECT count(*) FROM messages WHERE status = '"'read'"'")" = 2 ]'
ok $? "seed: both sent messages were delivered and read"
for who in 628777000111 628777000222; do
	curl -s -X POST -H 'Content-Type: application/json' \
	    --data-binary "{\"from\":\"$who\",\"text\":\"Thanks, received <3\"}" \
	    "$GWSIM_URL/_sim/sessions/$session/inbound" >/dev/null
done
wait_for 10 eval '[ "$(sql "SELECT count(*) FROM messages WHERE direction = '"'in'"'")" = 2 ]'
ok $? "seed: two replies received"
mid=$(sql "SELECT id FROM messages WHERE body = '$long'")
sched=$(sql "SELECT id FROM messages WHERE status = 'scheduled'")

read -r k1 kid1 < <(newkey 1 '{messages:send,messages:read,instances:read}' \
    'allow_ips, expires_at, rpm' "'{127.0.0.1/32,203.0.113.0/24,198.51.100.7/32}', now() + interval '90 days', 30")
read -r k2 kid2 < <(newkey 1 '{messages:read}')
sql "UPDATE api_keys SET name = 'Shop backend (production)' WHERE id = $kid1;
     UPDATE api_keys SET name = 'Reports', retires_at = now() + interval '1 day',
         replaced_by = $kid1 WHERE id = $kid2;
     INSERT INTO api_usage (key_id, day, endpoint, class, n)
         SELECT $kid1, current_date - d, 'messages.create', 2, 10 + d * 7 % 40
         FROM generate_series(0, 29) d" >/dev/null
api GET /api/v1/usage "$k1"
is "$HTTP_STATUS" 200 "seed: two API keys, one used"
# Imports: a draft with its mapping and preview (one row refused), and
# one finished with its report (written as the runner writes it).
printf 'Nama;No HP;Email;Kota\nBudi Santoso;0812-3456-7890;budi@example.com;Bandung\nSiti;123;siti@;Jakarta\n' >"$STACK_DIR/kontak.csv"
http POST /contacts/import -b "$jar" -F "_csrf=$csrf" -F country=ID -F "file=@$STACK_DIR/kontak.csv;type=text/csv"
impd=$(header Location); impd=${impd##*/}
http POST /contacts/import -b "$jar" -F "_csrf=$csrf" -F country=ID -F "file=@$STACK_DIR/kontak.csv;type=text/csv"
impf=$(header Location); impf=${impf##*/}
sql "UPDATE jobs SET state = 'done', started_at = now(), finished_at = now() WHERE id = $impf;
     UPDATE imports SET total = 2, inserted = 1, rejected = 1 WHERE job_id = $impf;
     INSERT INTO import_rejects (job_id, line, col, value, reason) VALUES ($impf, 3, 'No HP', '123', 'too-short')" >/dev/null
is "$impd $impf" "$((impf - 1)) $impf" "seed: two imports, a draft and a finished one"
# Exports: one running (its progress), one done (its link), one expired.
sql "INSERT INTO jobs (customer_id, kind, state, lease_owner, lease_until, done, total, rows, started_at)
         VALUES (1, 'export', 'running', 'browser-test', now() + interval '1 hour', 400, 1000, 400, now());
     INSERT INTO exports (job_id, customer_id, filter, file_name)
         SELECT max(id), 1, 'status=subscribed', 'contacts-20261205-101500.csv' FROM jobs;
     INSERT INTO jobs (customer_id, kind, state, done, total, started_at, finished_at)
         VALUES (1, 'export', 'done', 60, 60, now(), now()), (1, 'export', 'done', 60, 60, now(), now());
     INSERT INTO exports (job_id, customer_id, file_name, rows, bytes, expires_at)
         SELECT id, 1, 'contacts-20261205-101600.csv', 60, 9000,
             now() + CASE WHEN id = (SELECT max(id) FROM jobs) THEN interval '-1 hour' ELSE interval '1 day' END
         FROM jobs WHERE kind = 'export' AND state = 'done'" >/dev/null
expx=$(sql "SELECT max(id) FROM jobs WHERE kind = 'export'")
# A bulk change running (its progress) and one done.
sql "INSERT INTO jobs (customer_id, kind, state, lease_owner, lease_until, done, total, started_at)
         VALUES (1, 'bulk', 'running', 'browser-test', now() + interval '1 hour', 15000, 40000, now()),
         (1, 'bulk', 'done', NULL, NULL, 40000, 40000, now());
     INSERT INTO bulks (job_id, customer_id, action, filter, walked, changed)
         SELECT id, 1, 'unsubscribed', 'status=subscribed', done, done FROM jobs WHERE kind = 'bulk'" >/dev/null
bulkd=$(sql "SELECT max(id) FROM jobs WHERE kind = 'bulk'"); bulkr=$((bulkd - 1))
# Ninety days of consent changes of every source, for the analytics' chart.
sql "INSERT INTO contact_consents (customer_id, phone, status, source, at)
     SELECT 1, '+62817' || (1000000 + i), CASE WHEN i % 5 < 3 THEN 'subscribed' ELSE 'unsubscribed' END,
         (ARRAY['keyword', 'import', 'api', 'portal', 'double_opt_in', 'complaint'])[1 + i % 6],
         wa_now() - (i % 90) * interval '1 day' - (i % 24) * interval '1 hour'
     FROM generate_series(1, 900) i WHERE i % 7 <> 0" >/dev/null
expr=$((expx - 2)); expd=$((expx - 1))
is "$(sql "SELECT string_agg(state, ' ' ORDER BY id) FROM jobs WHERE kind = 'export'")" "running done done" \
    "seed: three exports, running, done and expired"
# Contacts: tags of each colour, custom fields of each kind, sixty
# contacts (a second page), one of them with every value and a long name.
sql "UPDATE packages SET max_contacts = 1000;
     INSERT INTO tags (customer_id, name, colour)
         SELECT 1, initcap(c) || ' customers', c FROM unnest(ARRAY['grey', 'red', 'orange', 'yellow',
             'green', 'teal', 'blue', 'purple', 'pink']) c;
     INSERT INTO contact_fields (customer_id, key, label, kind, choices) VALUES
         (1, 'city', 'City', 'text', '{}'), (1, 'age', 'Age', 'number', '{}'),
         (1, 'birthday', 'Birthday', 'date', '{}'), (1, 'member', 'Member', 'boolean', '{}'),
         (1, 'tier', 'Tier', 'choice', '{Gold,Silver,Bronze}');
     INSERT INTO contacts (customer_id, phone, name, email, tags, fields, status, last_out_at)
         SELECT 1, '+62813' || lpad(g::text, 7, '0'), 'Customer number ' || g,
             CASE WHEN g % 2 = 0 THEN 'customer' || g || '@example.com' ELSE '' END,
             ARRAY(SELECT id FROM tags WHERE customer_id = 1 AND id % 9 IN (g % 9, (g + 4) % 9)),
             jsonb_build_object('city', 'Jakarta', 'age', 20 + g), CASE g % 3 WHEN 0 THEN 'subscribed'
                 WHEN 1 THEN 'unsubscribed' ELSE 'unknown' END, CASE WHEN g % 2 = 0 THEN now() END
         FROM generate_series(1, 60) g" >/dev/null
post /contacts/new --data-urlencode 'phone=0812-3456-7890' \
    --data-urlencode 'name=Bartholomew Wijayakusuma' \
    --data-urlencode 'email=bartholomew@example.co.id' \
    --data-urlencode language=en --data-urlencode 'notes=Prefers messages in the afternoon.
Second line of notes.' --data-urlencode status=subscribed --data-urlencode 'f.city=Surabaya' \
    --data-urlencode f.age=41 --data-urlencode f.birthday=1985-04-01 --data-urlencode f.member=yes \
    --data-urlencode f.tier=Gold -d tag.1=1 -d tag.2=1 -d tag.3=1
is "$HTTP_STATUS" 303 "seed: contacts, tags and fields"
cid=$(sql "SELECT id FROM contacts WHERE phone = '+6281234567890' AND customer_id = 1")
# Contact groups: a list with members joined over three days (its growth
# chart) and its members' opt-ins and opt-outs (its analytics), a segment.
glist=$(sql "INSERT INTO contact_groups (customer_id, name, description, kind) VALUES (1, 'Loyal customers', 'Bought twice or more', 'list') RETURNING id")
gseg=$(sql "INSERT INTO contact_groups (customer_id, name, kind, filter) VALUES (1, 'Subscribed in Jakarta', 'segment', 'status=subscribed&field=city&eq=Jakarta') RETURNING id")
sql "SELECT wa_group_add(1, $glist, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 ORDER BY id LIMIT 40));
     INSERT INTO contact_group_days (group_id, day, joined, left_, log_ins, out_keyword, out_portal) VALUES
         ($glist, current_date - 2, 10, 0, 3, 1, 0), ($glist, current_date - 1, 5, 2, 1, 2, 1)
     ON CONFLICT (group_id, day) DO NOTHING" >/dev/null
# A double opt-in list with pending members (sql/0025).
gopt=$(sql "INSERT INTO contact_groups (customer_id, name, kind, confirm) VALUES (1, 'Newsletter', 'list', true) RETURNING id")
sql "SELECT wa_group_add(1, $gopt, ARRAY(SELECT id FROM contacts WHERE customer_id = 1 ORDER BY id LIMIT 12))" >/dev/null
tid=$(sql "SELECT min(id) FROM tags WHERE customer_id = 1")
fid=$(sql "SELECT min(id) FROM contact_fields WHERE customer_id = 1")
# A message template of two versions with an unknown variable (its
# warning, the older version, the preview of a contact and of 5).
tpl=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Welcome', 'Hi {{first_name}}')")
sql "SELECT wa_template_save(1, $tpl, 'Welcome', '{Hi|Hello} {{first_name|\"there\"}}, welcome to {{custom.city|\"our store\"}}! {{nick}}')" >/dev/null
# A broadcast sending for three hours: its list's recipients frozen (the
# unsubscribed left out), queued, some sent, delivered, read or failed
# (its counters, timeline and per-number table).
bcs=$(sql "INSERT INTO broadcasts (customer_id, name, state, template_id, template_version, template_body,
         instance_ids, started_at) VALUES (1, 'Spring sale', 'sending', $tpl, 2, 'Hi', ARRAY[$iid]::bigint[],
         wa_now() - interval '3 hours') RETURNING id")
sql "INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, instance_id, status, reason)
     SELECT $bcs, c.id, c.phone, $iid, CASE WHEN c.status = 'unsubscribed' THEN 'skipped' ELSE 'pending' END,
         CASE WHEN c.status = 'unsubscribed' THEN 'unsubscribed' ELSE '' END
     FROM contacts c WHERE c.customer_id = 1 AND c.id IN (SELECT contact_id FROM contact_group_members WHERE group_id = $glist);
     WITH m AS (INSERT INTO messages (customer_id, instance_id, direction, status, source, peer, peer_phone, body, broadcast_id)
         SELECT 1, $iid, 'out', 'queued', 'broadcast', phone, phone, 'Hi', $bcs FROM broadcast_recipients
         WHERE broadcast_id = $bcs AND status = 'pending' RETURNING id, peer_phone)
     UPDATE broadcast_recipients r SET status = 'queued', message_id = m.id FROM m
         WHERE r.broadcast_id = $bcs AND r.phone = m.peer_phone;
     UPDATE broadcasts SET recipients = (SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $bcs AND status = 'queued'),
         skipped = (SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $bcs AND status = 'skipped'),
         queued = (SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $bcs AND status = 'queued')
     WHERE id = $bcs;
     UPDATE messages SET status = (ARRAY['sent', 'delivered', 'read', 'failed'])[1 + id % 4],
         sent_at = CASE WHEN id % 4 < 3 THEN wa_now() - (id % 3) * interval '1 hour' END,
         delivered_at = CASE WHEN id % 4 IN (1, 2) THEN wa_now() - (id % 3) * interval '1 hour' END,
         read_at = CASE WHEN id % 4 = 2 THEN wa_now() - (id % 3) * interval '1 hour' END,
         failed_at = CASE WHEN id % 4 = 3 THEN wa_now() END
     WHERE broadcast_id = $bcs AND id % 2 = 0" >/dev/null || bail_out "seed: a broadcast"

# ---------------------------------------------------------------- browser
# Each page at each width (loaded at that width) in each colour scheme:
# one point for axe-core, one for the layout (t/lib/browser.mjs says
# what it checks); on a phone, one for the menu.  BROWSER_SHOTS=DIR
# saves a full-page screenshot of each (NAME-WIDTH-SCHEME.png).
export BASE_URL STACK_PW IID=$iid QID=$qid MID=$mid SCHED=$sched KID=$kid1 IMPD=$impd IMPF=$impf EXPR=$expr EXPD=$expd EXPX=$expx BULKR=$bulkr BULKD=$bulkd CID=$cid TID=$tid FID=$fid GLIST=$glist GSEG=$gseg TPL=$tpl GOPT=$gopt BCS=$bcs
export TAP_START=$TAP_N TAP_RESULT=$STACK_DIR/browser.tap
node --input-type=module - <<'EOF'
const top = process.env.top_srcdir;
const B = await import(top + "/t/lib/browser.mjs");
const base = process.env.BASE_URL, E = process.env;
const t = new B.Tap(Number(E.TAP_START));

// KNOWN_OPEN: failures that need a template or C change (issue 11).  They
// are kept out of the points above and reported instead as one TAP TODO
// point per entry, failing (visible, without failing the suite) while
// the problem is seen on any page.  Once it is fixed the point passes
// unexpectedly, which fails the suite: then delete the entry.  Fields:
// item (of issue 11); pages (names from the lists below, or "*"); check:
// "axe" with rule and optionally target (a substring of the element's
// selector), or "layout" with match (a regex on the problem's sentence);
// widths and schemes (all when absent); why (and what would fix it).
const KNOWN_OPEN = [
];

// Every page: [name, path, status].
const PUBLIC = [
	["home", "/", 200],
	["login", "/login", 200],
	["docs-api", "/docs/api", 200],
	["404", "/no-such-page", 404],
];
const SIGNED_IN = [
	["dashboard", "/dashboard", 200],
	["whatsapp", "/whatsapp", 200],
	["queue", "/whatsapp/queue", 200],
	["sent", "/whatsapp/sent", 200],
	["received", "/whatsapp/received", 200],
	["scheduled", "/whatsapp/scheduled", 200],
	["message", `/whatsapp/messages/${E.MID}`, 200],
	["message-cancel", `/whatsapp/messages/${E.SCHED}/cancel`, 200],
	["instance", `/whatsapp/instances/${E.IID}`, 200],
	["instance-qr", `/whatsapp/instances/${E.QID}`, 200],
	["instance-limits", `/whatsapp/instances/${E.IID}/limits`, 200],
	["instance-unlink", `/whatsapp/instances/${E.IID}/unlink`, 200],
	["instance-delete", `/whatsapp/instances/${E.QID}/delete`, 200],
	["hosts", "/hosts", 200],
	["profile", "/profile", 200],
	["api-keys", "/api-keys", 200],
	["api-key-toggle", `/api-keys/${E.KID}/toggle`, 200],
	["api-key-rotate", `/api-keys/${E.KID}/rotate`, 200],
	["api-key-delete", `/api-keys/${E.KID}/delete`, 200],
	["imports", "/contacts/import", 200],
	["import-draft", `/contacts/import/${E.IMPD}`, 200],
	["import-discard", `/contacts/import/${E.IMPD}/cancel`, 200],
	["import-report", `/contacts/import/${E.IMPF}`, 200],
	["exports", "/contacts/exports", 200],
	["export-running", `/contacts/exports/${E.EXPR}`, 200],
	["export-cancel", `/contacts/exports/${E.EXPR}/cancel`, 200],
	["export-done", `/contacts/exports/${E.EXPD}`, 200],
	["export-expired", `/contacts/exports/${E.EXPX}/file`, 410],
	["bulk-running", `/contacts/bulk/${E.BULKR}`, 200],
	["bulk-cancel", `/contacts/bulk/${E.BULKR}/cancel`, 200],
	["bulk-done", `/contacts/bulk/${E.BULKD}`, 200],
	["api-docs", "/api-docs", 200],
	["contacts", "/contacts", 200],
	["contacts-filtered", `/contacts?q=customer&any=${E.TID}&status=subscribed&field=age&min=20&max=70&sort=name_asc`, 200],
	["contacts-bad-filter", "/contacts?q=ab&from=2026-02-30", 400],
	["contacts-no-match", "/contacts?q=nobody-at-all", 200],
	["contact", `/contacts/${E.CID}`, 200],
	["contact-new", "/contacts/new", 200],
	["contact-edit", `/contacts/${E.CID}/edit`, 200],
	["contact-delete", `/contacts/${E.CID}/delete`, 200],
	["contact-tags", "/contacts/tags", 200],
	["contact-tag", `/contacts/tags/${E.TID}`, 200],
	["contact-tag-delete", `/contacts/tags/${E.TID}/delete`, 200],
	["contact-fields", "/contacts/fields", 200],
	["contact-field", `/contacts/fields/${E.FID}`, 200],
	["contact-field-delete", `/contacts/fields/${E.FID}/delete`, 200],
	["subscriptions", "/contacts/subscriptions", 200],
	["bcast-brakes", "/broadcasts/brakes", 200],
	["groups", "/contacts/groups", 200],
	["group-list", `/contacts/groups/${E.GLIST}`, 200],
	["group-segment", `/contacts/groups/${E.GSEG}`, 200],
	["group-delete", `/contacts/groups/${E.GLIST}/delete`, 200],
	["contacts-in-list", `/contacts?group=${E.GLIST}`, 200],
	["templates", "/templates", 200],
	["template", `/templates/${E.TPL}?contact=${E.CID}&sample=all`, 200],
	["template-delete", `/templates/${E.TPL}/delete`, 200],
	["group-optin", `/contacts/groups/${E.GOPT}`, 200],
	["group-pending", `/contacts/groups/${E.GOPT}/pending`, 200],
	["group-resend-all", `/contacts/groups/${E.GOPT}/pending/resend-all`, 200],
	["broadcasts", "/broadcasts", 200],
	["broadcast-new", `/broadcasts/new?src=list:${E.GLIST}`, 200],
	["broadcast", `/broadcasts/${E.BCS}`, 200],
	["broadcast-cancel", `/broadcasts/${E.BCS}/cancel`, 200],
	["sub-analytics", "/contacts/subscriptions/analytics?days=7", 200],
	["sub-analytics-90", "/contacts/subscriptions/analytics?days=90", 200],
	["sub-analytics-bad", "/contacts/subscriptions/analytics?days=5", 400],
	["sub-analytics-list", `/contacts/subscriptions/analytics?days=30&group=${E.GLIST}`, 200],
	["sub-analytics-segment", `/contacts/subscriptions/analytics?group=${E.GSEG}`, 400],
	["404-signed-in", "/whatsapp/no-such-page", 404],
];

const applies = (k, page, w, s) => (k.pages.includes("*") || k.pages.includes(page)) &&
    (!k.widths || k.widths.includes(w)) && (!k.schemes || k.schemes.includes(s));
const axeKnown = (k, v) => k.check === "axe" && v.id === k.rule &&
    (!k.target || v.nodes.some((n) => n.target.includes(k.target)));

// check(tab, out, name, w, s): the axe point and the layout point of the
// loaded page at width w in colour scheme s; what KNOWN_OPEN expects is
// kept out of them and noted in its entry.
async function check(br, tab, out, name, w, s) {
	await B.scheme(tab.page, s);
	const what = `${name} ${w.name} ${s}`;
	if (E.BROWSER_SHOTS)
		await tab.page.screenshot({ path: `${E.BROWSER_SHOTS}/${name}-${w.name}-${s}.png`, fullPage: true });
	const ks = KNOWN_OPEN.filter((k) => applies(k, name, w.name, s));
	const first = s === B.SCHEMES[0];
	const v = await B.axe(br, tab.page, first, first ? null : B.SCHEME_RULES);
	const open = v.filter((x) => !ks.some((k) => axeKnown(k, x)));
	out.ok(open.length === 0, `${what}: axe-core finds no violation`, B.describe(open));
	const l = await B.layout(tab.page, { actions: w === B.WIDTHS.desktop });
	const lopen = l.filter((p) => !ks.some((k) => k.check === "layout" && new RegExp(k.match).test(p)));
	out.ok(lopen.length === 0, `${what}: nothing overflows the viewport or is clipped`, lopen);
	for (const k of ks) {
		const hit = k.check === "axe" ? v.filter((x) => axeKnown(k, x)) :
		    l.filter((p) => new RegExp(k.match).test(p));
		if (hit.length)
			(k.seen = k.seen || []).push(what);
	}
}

// one(tab, out, page, w, signedIn): a page loaded at width w, checked in
// both schemes; on a phone, signed in, the menu too.
async function one(br, tab, out, page, w, signedIn) {
	try {
		await oneChecks(br, tab, out, page, w, signedIn);
	} catch (e) {
		const x = new Error(`on ${page[0]} ${w.name}: ${e && e.message}`);
		x.stack = `${x.message}\n${e && e.stack}`;
		throw x;
	}
}
async function oneChecks(br, tab, out, [name, path, status], w, signedIn) {
	tab.errors.length = 0;
	const got = await B.visit(tab.page, base + path, w, "light");
	const errs = tab.errors.filter((e) => !(status >= 400 && e.includes(String(status))));
	out.ok(got === status && errs.length === 0,
	    `${name} ${w.name}: GET ${path} answers ${status}, no script or CSP error`,
	    [`status ${got}`, ...errs]);
	for (const s of B.SCHEMES)
		await check(br, tab, out, name, w, s);
	if (signedIn && w === B.WIDTHS.phone && status === 200) {
		const m = await B.menu(tab.page);
		out.ok(m.length === 0, `${name} phone: the menu is folded, takes no more room than its control, shows it opens`, m);
	}
}

// A new key, shown once: the answer to the create form.
async function created(br, tab, out, w) {
	await B.visit(tab.page, base + "/api-keys", w, "light");
	await tab.page.fill("#ak-name", `Checkout ${w.name}`);
	await tab.page.check("input[name=scope_messages_send]");
	await Promise.all([tab.page.waitForNavigation({ waitUntil: "load" }),
	    tab.page.click("form[action='/api-keys'] button[type=submit]")]);
	const shown = await tab.page.locator(".ak-key code").count();
	out.ok(shown === 1, `api-key-shown ${w.name}: the create form shows the new key once`);
	for (const s of B.SCHEMES)
		await check(br, tab, out, "api-key-shown", w, s);
}

// Item 15: the try-it panel of /api-docs with the send-only key just
// created (still on the page that shows it): it starts at an operation
// that key may call, also once the key is pasted, with the Answer
// heading hidden; Send gets a 2xx (not 403) under the heading, the JSON
// indented; then the page with its answer, checked like every page.
async function tryItSendOnly(br, tab, out, w) {
	const p = tab.page;
	const key = (await p.textContent("#ak-key")).trim();
	await B.visit(p, base + "/api-docs", w, "light");
	const state = () => p.evaluate(() => {
		const op = document.getElementById("ad-try-path"), which = document.getElementById("ad-try-which");
		const o = op.options[op.selectedIndex];
		return { path: op.value, needs: o.getAttribute("data-scope"), text: o.textContent,
		    key: which ? which.value : null, head: document.getElementById("ad-try-result").hidden,
		    status: document.getElementById("ad-try-status").textContent,
		    body: document.getElementById("ad-try-body").textContent };
	});
	const may = (s) => s.needs === "" || s.needs === "messages:send";
	const before = await state();
	await p.fill("#ad-try-key", key);
	const pasted = await state();
	const what = `api-docs-try ${w.name}`;
	out.ok(may(before) && may(pasted) && pasted.key === key.slice(0, 10) && before.head && pasted.head,
	    `${what}: a send-only key starts at an operation it may call (${pasted.text}), no Answer heading yet`,
	    [JSON.stringify({ before, pasted })]);
	await p.click(".ad-try__form button[type=submit]");
	await p.waitForFunction(() => /^\d{3}\b/.test(document.getElementById("ad-try-status").textContent),
	    null, { timeout: 10000 });
	const got = await state();
	out.ok(/^2\d\d\b/.test(got.status) && !got.head && /^\{\n  "/.test(got.body),
	    `${what}: Send gets a 2xx, not 403, under the Answer heading, the JSON indented`,
	    [JSON.stringify(got).slice(0, 400)]);
	for (const s of B.SCHEMES)
		await check(br, tab, out, "api-docs-try", w, s);
}

// Item 13: the password form sent with every field wrong shows every
// error at once, each at its field (aria-invalid), the banner in the
// form's card and in view, and the focus on the first wrong field.
async function passwordErrors(br, tab, out, w) {
	const p = tab.page;
	await B.visit(p, base + "/profile", w, "light");
	await p.fill("#current_password", "not the password");
	await p.fill("#new_password", "short");
	await p.fill("#confirm_password", "different");
	await Promise.all([p.waitForNavigation({ waitUntil: "load" }),
	    p.click("form[action='/profile/password'] button[type=submit]")]);
	// Chromium moves the focus to an autofocus field at a rendering
	// update after "load": wait for that event (on a loaded machine it
	// comes later); if it never comes, the points below say so.
	await p.waitForFunction(() => document.activeElement &&
	    document.activeElement !== document.body, null,
	    { timeout: 15000 }).catch(() => {});
	const s = await p.evaluate(() => {
		const card = document.getElementById("password-title").closest("section");
		const banner = card.querySelector("[role=alert]");
		const r = banner && banner.getBoundingClientRect();
		return {
			focus: document.activeElement && document.activeElement.id,
			errors: [...card.querySelectorAll(".field__error")].map((e) => e.id),
			invalid: [...card.querySelectorAll("[aria-invalid=true]")].map((e) => e.id),
			banner: r ? [Math.round(r.top), Math.round(r.bottom), innerHeight] : null,
			alerts: document.querySelectorAll("[role=alert]").length,
		};
	});
	const what = `password-errors ${w.name}`;
	out.ok(s.errors.length === 3 && s.invalid.length === 3,
	    `${what}: every error at once, each at its field`, [JSON.stringify(s)]);
	out.ok(s.focus === "current_password", `${what}: the focus on the first wrong field`,
	    [`focus on ${s.focus}`]);
	out.ok(s.alerts === 1 && s.banner && s.banner[0] >= 0 && s.banner[1] <= s.banner[2],
	    `${what}: one banner, in the password's card and in view`, [JSON.stringify(s)]);
	for (const sc of B.SCHEMES)
		await check(br, tab, out, "password-errors", w, sc);
}

// Item 14: a signed-in visitor's 404 keeps the portal's frame.
async function notFoundFrame(tab, out, w) {
	await B.visit(tab.page, base + "/whatsapp/no-such-page", w, "light");
	const f = await tab.page.evaluate(() => ({
		sidebar: !!document.querySelector(".app__sidebar"),
		signIn: !!document.querySelector("a[href='/login']"),
	}));
	out.ok(f.sidebar && !f.signIn, `404-signed-in ${w.name}: in the portal's frame (sidebar, no sign-in link)`,
	    [JSON.stringify(f)]);
}

// The phone and the desktop width side by side, each in its own tab;
// the points are printed page by page, phone first.
async function both(br, tabs, pages, signedIn) {
	const outs = [[], []];
	const run = async (w, i) => {
		for (const p of pages) {
			const out = t.buffer();
			outs[i].push(out);
			await one(br, tabs[i], out, p, w, signedIn);
		}
	};
	if (E.BROWSER_SERIAL) {
		await run(B.WIDTHS.phone, 0);
		await run(B.WIDTHS.desktop, 1);
	} else {
		await Promise.all([run(B.WIDTHS.phone, 0), run(B.WIDTHS.desktop, 1)]);
	}
	for (let j = 0; j < pages.length; j++) {
		t.flush(outs[0][j]);
		t.flush(outs[1][j]);
	}
}

const t0 = Date.now();
let br;
try {
	br = await B.launch(top);
	const tabs = [{ page: br.page, errors: br.errors }, await br.tab()];
	t.diag(await B.versions(top, br.page));
	await both(br, tabs, PUBLIC, false);
	const landed = await B.signIn(br.page, base, "c@example.com", E.STACK_PW);
	t.ok(landed === "/dashboard", "signed in through the sign-in form", [`landed on ${landed}`]);
	await both(br, tabs, SIGNED_IN, true);
	const outs = [t.buffer(), t.buffer()];
	await Promise.all([B.WIDTHS.phone, B.WIDTHS.desktop].map(async (w, i) => {
		await created(br, tabs[i], outs[i], w);
		await tryItSendOnly(br, tabs[i], outs[i], w);
		await passwordErrors(br, tabs[i], outs[i], w);
		await notFoundFrame(tabs[i], outs[i], w);
	}));
	outs.forEach((o) => t.flush(o));
	for (const k of KNOWN_OPEN) {
		const seen = k.seen || [];
		t.todo(seen.length === 0, `known open: ${k.check} ${k.rule || k.match}${k.target ? " on " + k.target : ""}`,
		    `issue 11 item ${k.item}`, seen.length === 0 ?
		    ["not seen any more: delete this KNOWN_OPEN entry"] :
		    [k.why, `seen in ${seen.length} page views: ` +
		    seen.slice(0, 5).join(", ") + (seen.length > 5 ? ", ..." : "")]);
	}
} catch (e) {
	t.ok(false, "the browser run ended early", [String(e && e.stack || e)]);
} finally {
	if (br) {
		t.diag(`browser checks took ${((Date.now() - t0) / 1000).toFixed(1)} s, ` +
		    `Chromium used ${br.cpu().toFixed(1)} s of CPU`);
		await br.close();
	}
}
(await import("node:fs")).writeFileSync(E.TAP_RESULT, `${t.n} ${t.failed}\n`);
EOF
read -r TAP_N failed <"$TAP_RESULT" 2>/dev/null || bail_out "the browser run wrote no result"
TAP_FAILED=$((TAP_FAILED + failed))

done_testing
