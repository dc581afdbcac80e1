#!/bin/sh
# 0132-indonesian.t: a customer who reads Indonesian sees no English: every GET page of the route table, the forms' errors and the error pages (in the portal's frame) hold no English of the catalog and no English word outside it, but for names and code.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
command -v perl >/dev/null || skip_all "perl is not installed"

STACK_ENV="WAPORTAL_DISPATCH_INTERVAL=1 WAPORTAL_PROBE_INTERVAL=3600
    WAPORTAL_SEND_GAP_MS=0 WAPORTAL_SEND_JITTER_MS=0"
stack_start --dispatch
KEY=id-test-key
SECRET=0123456789abcdef0123456789abcdef-id
stack_gwsim_start "$KEY" -q 0 -d 100 || bail_out "simulator did not start"

# english.pl CATALOG PAGE: what of PAGE's visible text is English, one a
# line: a run of words that is the English of an entry of CATALOG whose
# translation differs (an entry's whole text, or a sentence of two words
# or more of it), or an English word no Indonesian sentence has. Visible
# text: the text outside script, style and code (pre, code, kbd, samp,
# svg), and the attributes a reader sees or hears (title, aria-label,
# placeholder, alt, label, a button's value, the words waportal.js shows
# from data-text-*, data-label, data-copied). A word with / _ @ = + < >
# { } or a dot or hyphen inside (a path, a slug, E.164) is code; words of
# the allowlist (names, code words) never make an entry English alone.
cat >"$STACK_DIR/english.pl" <<'EOF'
use strict; use warnings;
binmode STDOUT, ':utf8';
my ($po, $page) = @ARGV;
my %allow = map { lc($_) => 1 } qw(waportal WhatsApp API REST JSON curl
    CSV QR PNG JPEG WebP MiB UTC IANA ID HTTP HTTPS URL URI Python
    JavaScript PHP requests fetch English Bearer Authorization OpenAPI GET
    POST DELETE ASCII CIDR IP);
my @stop = qw(the and of your you is are with this that not to for from
    has have will can was were it its or be by an please);
sub unq { my $s = shift; $s =~ s/^"//; $s =~ s/"\s*$//;
    $s =~ s/\\n/\n/g; $s =~ s/\\t/\t/g; $s =~ s/\\(.)/$1/g; $s }
# The words of a text; a word that is code is undef.
sub words {
	my @w;
	for my $w (split /\s+/, shift) {
		$w =~ s/^[(\["'\x{201c}\x{2018}]+//;
		$w =~ s/[)\]"'\x{201d}\x{2019},.;:!?\x{2026}]+$//;
		next if $w eq '' || $w !~ /\p{L}/;
		push @w, $w =~ m{[/_@=+<>{}\\]|\w[.-]\w} ? undef : $w;
	}
	return @w;
}
open my $fh, '<:encoding(UTF-8)', $po or die "$po: $!";
my (@entries, %e, $k);
while (<$fh>) {
	chomp;
	if (/^\s*$/) { push @entries, {%e} if exists $e{msgid}; %e = (); next }
	next if /^#/;
	if (/^(msgctxt|msgid|msgstr) (".*")$/) { $k = $1; $e{$k} = unq($2); next }
	$e{$k} .= unq($_) if /^"/;
}
push @entries, {%e} if exists $e{msgid};
my %needle;
for my $x (@entries) {
	my ($en, $tr) = ($x->{msgid}, $x->{msgstr} // '');
	next if $en eq '' || $tr eq '' || $tr eq $en;
	my @parts = split /(?<=[.:;!?])\s+/, $en;
	for my $part ($en, @parts > 1 ? @parts : ()) {
		my @w = words($part);
		next if !@w || grep { !defined } @w;
		next if $part ne $en && @w < 2;
		next unless grep { !$allow{lc $_} } @w;
		$needle{join ' ', @w} = 1;
	}
}
open my $ph, '<:encoding(UTF-8)', $page or die "$page: $!";
my $h = do { local $/; <$ph> };
$h =~ s/<!--.*?-->//gs;
$h =~ s{<(script|style|pre|code|kbd|samp|svg)\b[^>]*>.*?</\1>}{ }gsi;
$h =~ s{<([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>}{
	my ($tag, $a) = (lc $1, $2);
	my $seen = '';
	while ($a =~ /([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g) {
		my ($n, $v) = (lc $1, defined $2 ? $2 : $3);
		$seen .= " \n$v \n" if $n =~ /^(title|aria-label|placeholder|alt|label|data-label|data-copied|data-text-[\w-]+)$/ ||
		    ($n eq 'value' && $tag eq 'input' && $a =~ /type\s*=\s*["']?(submit|button|reset)\b/i);
	}
	" $seen ";
}gse;
$h =~ s/<[^>]*>/ /g;
$h =~ s/&lt;/</g; $h =~ s/&gt;/>/g; $h =~ s/&quot;/"/g; $h =~ s/&#0*39;|&#x0*27;/'/gi;
$h =~ s/&#(\d+);/chr($1)/ge; $h =~ s/&#x([0-9a-f]+);/chr(hex $1)/gie; $h =~ s/&amp;/&/g;
my $text = ' ' . join(' ', map { defined $_ ? $_ : "\x{1}" } words($h)) . ' ';
my %found;
for my $n (sort { length($b) <=> length($a) } keys %needle) {
	next if index($text, " $n ") < 0 || grep { index($_, $n) >= 0 } keys %found;
	$found{$n} = 1;
	print "catalog English: \"$n\"\n";
}
for my $s (@stop) {
	next unless $text =~ /(.{0,40}(?<=\s)\Q$s\E(?=\s).{0,40})/i;
	print "an English word: \"$s\" in \"$1\"\n";
}
EOF

# ---------------------------------------------------------------- seed
# A customer who reads Indonesian, with something on every page: a
# number linked on the simulator and one waiting for its QR, messages
# sent, read, received and scheduled, an API key. Their words are
# Indonesian too, so only the portal's own words are checked.
stack_customers 2 100 c@example.com || bail_out "seeding failed"
sql "UPDATE packages SET max_api_keys = 5, price_text = 'IDR 99.000';
     UPDATE users SET name = 'Citra Wulandari', language = 'id' WHERE id = 1;
     INSERT INTO hosts (name, base_url, api_key, webhook_secret, city, country,
         capacity, latitude, longitude)
     VALUES ('demo', '$GWSIM_URL', '$KEY', '$SECRET', 'Jakarta', 'ID', 10, -6.2088, 106.8456),
            ('sgp-1', 'http://127.0.0.1:9', 'x', '${SECRET}2', 'Singapura', 'SG', 40, 1.3521, 103.8198)" \
    >/dev/null || bail_out "seeding the hosts failed"

jar=$STACK_DIR/jar
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
is "$HTTP_STATUS" 303 "seed: signed in"
http GET /whatsapp -b "$jar" -c "$jar"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//')
post() { http POST "$1" -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" "${@:2}"; }

post /whatsapp/instances --data-urlencode 'name=Toko Sinar' --data-urlencode host=1
iid=$(header Location); iid=${iid##*/}
post /whatsapp/instances --data-urlencode 'name=Gudang' --data-urlencode host=1
qid=$(header Location); qid=${qid##*/}
session=$(sql "SELECT session FROM instances WHERE id = $iid")
curl -s -X POST "$GWSIM_URL/_sim/sessions/$session/scan" >/dev/null
wait_for 10 eval '[ "$(sql "SELECT status FROM instances WHERE id = $iid")" = connected ]'
ok $? "seed: a number linked, one waiting for its QR"
post /whatsapp/queue --data-urlencode "instance=$iid" --data-urlencode 'recipient=0812-3456-7890' \
    --data-urlencode 'text=Pesanan Anda sudah kami kirim.'
post /whatsapp/queue --data-urlencode "instance=$iid" --data-urlencode 'recipient=081277766655' \
    --data-urlencode 'text=Pengingat: janji temu Anda besok pukul 10.00.' \
    --data-urlencode "send_at=$(date -d '+2 days' +%Y-%m-%dT10:00)"
curl -s -X POST -H 'Content-Type: application/json' \
    --data-binary '{"from":"628777000111","text":"Terima kasih, sudah diterima"}' \
    "$GWSIM_URL/_sim/sessions/$session/inbound" >/dev/null
wait_for 15 eval '[ "$(sql "SELECT count(*) FROM messages WHERE status = '"'read'"' OR direction = '"'in'"'")" = 2 ]'
ok $? "seed: a message sent and read, one received, one scheduled"
mid=$(sql "SELECT id FROM messages WHERE direction = 'out' AND status = 'read'")
rid=$(sql "SELECT id FROM messages WHERE direction = 'in'")
sched=$(sql "SELECT id FROM messages WHERE status = 'scheduled'")
post /api-keys --data-urlencode 'name=Toko daring' --data-urlencode scope_messages_send=1
is "$HTTP_STATUS" 200 "seed: an API key"
kid=$(sql "SELECT id FROM api_keys WHERE customer_id = 1")
# Contacts: tags, custom fields of every kind, a contact with all of
# them and a consent change, one more tag to merge into.
sql "UPDATE packages SET max_contacts = 100;
     INSERT INTO tags (customer_id, name, colour) VALUES (1, 'pelanggan setia', 'green'), (1, 'grosir', 'blue');
     INSERT INTO contact_fields (customer_id, key, label, kind, choices) VALUES
         (1, 'kota', 'Kota', 'text', '{}'), (1, 'umur', 'Umur', 'number', '{}'),
         (1, 'tanggal_lahir', 'Tanggal lahir', 'date', '{}'), (1, 'anggota', 'Anggota', 'boolean', '{}'),
         (1, 'tingkat', 'Tingkat', 'choice', '{emas,perak}')" >/dev/null
post /contacts/new --data-urlencode 'phone=0812-3456-7890' --data-urlencode 'name=Budi Santoso' \
    --data-urlencode 'email=budi@contoh.co.id' --data-urlencode language=id --data-urlencode 'notes=Pelanggan lama' \
    --data-urlencode status=subscribed --data-urlencode 'f.kota=Medan' --data-urlencode f.umur=41 \
    --data-urlencode f.tanggal_lahir=1985-04-01 --data-urlencode f.anggota=yes --data-urlencode f.tingkat=emas \
    -d tag.1=1
is "$HTTP_STATUS" 303 "seed: a contact"
cid=$(sql "SELECT id FROM contacts WHERE customer_id = 1")
tid=$(sql "SELECT id FROM tags WHERE name = 'grosir'")
# Contact groups: a list with members (its growth) and a segment.
glist=$(sql "INSERT INTO contact_groups (customer_id, name, kind) VALUES (1, 'Pelanggan setia', 'list') RETURNING id")
gseg=$(sql "INSERT INTO contact_groups (customer_id, name, kind, filter) VALUES (1, 'Berlangganan', 'segment', 'status=subscribed') RETURNING id")
sql "SELECT wa_group_add(1, $glist, ARRAY(SELECT id FROM contacts WHERE customer_id = 1))" >/dev/null
# A double opt-in list with a pending member (sql/0025).
gopt=$(sql "INSERT INTO contact_groups (customer_id, name, kind, confirm) VALUES (1, 'Konfirmasi', 'list', true) RETURNING id")
# a resend job of that list running, and one done
ojobs=$(sql "SELECT wa_optin_resend_start(1, $gopt)")
ojobs="$ojobs $(sql "INSERT INTO jobs (customer_id, kind, state, done, total) VALUES (1, 'optin', 'done', 3, 3) RETURNING id")"
sql "INSERT INTO optin_resends (job_id, customer_id, group_id, walked, sent) VALUES (${ojobs##* }, 1, $gopt, 3, 2)" >/dev/null
sql "SELECT wa_group_add(1, $gopt, ARRAY(SELECT id FROM contacts WHERE customer_id = 1))" >/dev/null
tid1=$(sql "SELECT id FROM tags WHERE name = 'pelanggan setia'")
fid=$(sql "SELECT id FROM contact_fields WHERE key = 'kota'")
# A message template of two versions (the older read-only) with an
# unknown variable, and one without either.
tpl=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Sambutan', 'Halo {{first_name}}')")
sql "SELECT wa_template_save(1, $tpl, 'Sambutan', '{Halo|Hai} {{first_name|\"Pelanggan\"}} dari {{custom.kota}} {{panggilan}}')" >/dev/null
tpl1=$(sql "SELECT tpl_id FROM wa_template_save(1, NULL, 'Promo', 'Diskon untuk {{name}}')")
# A broadcast sending to the list (a recipient queued and sent, the rest
# left out), and one paused.
bcs=$(sql "INSERT INTO broadcasts (customer_id, name, state, template_id, template_version, template_body,
         instance_ids, started_at) VALUES (1, 'Promo Lebaran', 'sending', $tpl1, 1, 'Diskon',
         ARRAY[$iid]::bigint[], wa_now() - interval '1 hour') RETURNING id")
sql "INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, instance_id, status, reason)
     SELECT $bcs, c.id, c.phone, $iid, CASE WHEN c.status = 'subscribed' THEN 'pending' ELSE 'skipped' END,
         CASE WHEN c.status = 'subscribed' THEN '' ELSE c.status END FROM contacts c WHERE c.customer_id = 1;
     WITH m AS (INSERT INTO messages (customer_id, instance_id, direction, status, source, peer, peer_phone, body, broadcast_id)
         SELECT 1, $iid, 'out', 'queued', 'broadcast', phone, phone, 'Diskon', $bcs FROM broadcast_recipients
         WHERE broadcast_id = $bcs AND status = 'pending' RETURNING id, peer_phone)
     UPDATE broadcast_recipients r SET status = 'queued', message_id = m.id FROM m
         WHERE r.broadcast_id = $bcs AND r.phone = m.peer_phone;
     UPDATE messages SET status = 'sent', sent_at = wa_now() WHERE broadcast_id = $bcs;
     INSERT INTO broadcasts (customer_id, name, state, template_id, template_version, template_body, instance_ids)
         VALUES (1, 'Promo Juli', 'paused', $tpl1, 1, 'Diskon', ARRAY[$iid]::bigint[])" >/dev/null
bcp=$(sql "SELECT max(id) FROM broadcasts")

# ---------------------------------------------------------------- the check
n=0
# page WHAT WANT [frame]: the last answer is WANT, in Indonesian, with no
# English in it; with frame "app", in the portal's frame (sidebar, no
# sign-in link), with "public" in the public one.
page()
{
	local what=$1 want=$2 frame=${3:-} f out
	n=$((n + 1))
	f=$STACK_DIR/page-$n.html
	cp "$STACK_DIR/http.body" "$f"
	out=$(perl "$STACK_DIR/english.pl" "$top_srcdir/po/id.po" "$f" 2>&1)
	[ "$HTTP_STATUS" = "$want" ] && grep -q '<html lang="id"' "$f" && [ -z "$out" ]
	ok $? "$what: $want, in Indonesian, no English" ||
	    diag "status $HTTP_STATUS" "$(grep -o '<html lang="[a-z]*"' "$f")" "$(head -n 12 <<<"$out")"
	case $frame in
	app)
		grep -q 'class="app__sidebar"' "$f" && ! grep -q 'href="/login"' "$f"
		ok $? "$what: in the portal's frame (sidebar, no sign-in link)" ;;
	public)
		grep -q 'href="/login"' "$f" && ! grep -q 'class="app__sidebar"' "$f"
		ok $? "$what: in the public frame" ;;
	esac
}

# The check itself finds English (it would pass on a page of nothing).
printf '<p title="Sign in">Simpan</p><p>Tidak ada. The two new passwords differ.</p>' \
    >"$STACK_DIR/http.body"
out=$(perl "$STACK_DIR/english.pl" "$top_srcdir/po/id.po" "$STACK_DIR/http.body" 2>&1)
like "$out" '"Sign in"' "the check finds a catalog's English in an attribute"
like "$out" '"The two new passwords differ"' "... and in the text"
like "$out" 'an English word: "the"' "... and an English word"
printf '<p>Kirim lewat <code>curl -X POST "the/messages"</code> ke WhatsApp API.</p>' \
    >"$STACK_DIR/http.body"
is "$(perl "$STACK_DIR/english.pl" "$top_srcdir/po/id.po" "$STACK_DIR/http.body" 2>&1)" "" \
    "... but not in code and names"

# Every GET page of the route table, signed in; the ids are those of
# the rows made above. A route with an id the test does not know fails,
# so a new page is checked from the day it is added.
# Imports: a draft (uploaded), and one the runner finished (its rows
# written here as the runner writes them).
printf 'Nama;No HP;Email\nBudi;0812-3456-7890;budi@example.com\nSiti;123;siti@\n' >"$STACK_DIR/kontak.csv"
http POST /contacts/import -b "$jar" -F "_csrf=$csrf" -F country=ID -F "file=@$STACK_DIR/kontak.csv;type=text/csv"
impd=$(header Location); impd=${impd##*/}
http POST /contacts/import -b "$jar" -F "_csrf=$csrf" -F country=ID -F "file=@$STACK_DIR/kontak.csv;type=text/csv"
impf=$(header Location); impf=${impf##*/}
sql "UPDATE jobs SET state = 'done', started_at = wa_now(), finished_at = wa_now() WHERE id = $impf;
     UPDATE imports SET total = 2, inserted = 1, rejected = 1 WHERE job_id = $impf;
     INSERT INTO import_rejects (job_id, line, col, value, reason) VALUES ($impf, 3, 'No HP', '123', 'too-short')" >/dev/null
# Exports: one running, one done, one expired; bulk changes: one
# running, one done (written as the runner writes them).
sql "INSERT INTO jobs (customer_id, kind, state, lease_owner, lease_until, done, total, started_at)
         VALUES (1, 'export', 'running', 'test', wa_now() + interval '1 hour', 4, 10, wa_now()),
         (1, 'export', 'done', NULL, NULL, 10, 10, wa_now()),
         (1, 'export', 'done', NULL, NULL, 10, 10, wa_now()),
         (1, 'bulk', 'running', 'test', wa_now() + interval '1 hour', 4, 10, wa_now()),
         (1, 'bulk', 'done', NULL, NULL, 10, 10, wa_now());
     INSERT INTO exports (job_id, customer_id, filter, file_name, rows, bytes, expires_at)
         SELECT id, 1, 'status=subscribed', 'contacts.csv', 10, 900,
             CASE WHEN state = 'running' THEN NULL WHEN id = (SELECT max(id) FROM jobs WHERE kind = 'export')
             THEN wa_now() - interval '1 hour' ELSE wa_now() + interval '1 day' END
         FROM jobs WHERE kind = 'export';
     INSERT INTO bulks (job_id, customer_id, action, filter, walked, changed)
         SELECT id, 1, 'subscribed', 'q=budi', done, done FROM jobs WHERE kind = 'bulk'" >/dev/null
exps=$(sql "SELECT string_agg(id::text, ' ' ORDER BY id) FROM jobs WHERE kind = 'export'")
read -r expr expd expx <<<"$exps"
bulks=$(sql "SELECT string_agg(id::text, ' ' ORDER BY id) FROM jobs WHERE kind = 'bulk'")
# Consent changes of every source over ninety days: the analytics' chart and sources.
sql "INSERT INTO contact_consents (customer_id, phone, status, source, at)
     SELECT 1, '+62817' || (1000000 + i), CASE WHEN i % 5 < 3 THEN 'subscribed' ELSE 'unsubscribed' END,
         (ARRAY['keyword', 'import', 'api', 'portal', 'double_opt_in', 'complaint'])[1 + i % 6],
         wa_now() - (i % 90) * interval '1 day' FROM generate_series(1, 300) i" >/dev/null
"$top_builddir/t/modcheck" routes >"$STACK_DIR/routes" || bail_out "t/modcheck routes failed"
while read -r method pattern kind auth scope name; do
	[ "$method $kind" = "GET html" ] || continue
	case $name in
	lang|avatar) continue ;;	# a redirect; a picture
	login_form) paths=; http GET "$pattern" -b "$jar"
		is "$HTTP_STATUS" 303 "GET $pattern signed in: to the dashboard"; continue ;;
	instance) paths="/whatsapp/instances/$iid /whatsapp/instances/$qid" ;;
	instance_limits) paths="/whatsapp/instances/$iid/limits" ;;
	instance_confirm) paths="/whatsapp/instances/$iid/restart /whatsapp/instances/$iid/unlink /whatsapp/instances/$qid/delete" ;;
	msg_detail) paths="/whatsapp/messages/$mid /whatsapp/messages/$rid" ;;
	msg_cancel_confirm) paths="/whatsapp/messages/$sched/cancel" ;;
	apikey_confirm) paths="/api-keys/$kid/toggle /api-keys/$kid/rotate /api-keys/$kid/delete" ;;
	import_job) paths="/contacts/import/$impd /contacts/import/$impf" ;;
	import_cancel_confirm) paths="/contacts/import/$impd/cancel /contacts/import/$impf/cancel" ;;
	import_rejects|contact_consents_csv) continue ;;	# a CSV file
	export) paths="/contacts/exports/$expr /contacts/exports/$expd /contacts/exports/$expx" ;;
	export_cancel_confirm) paths="/contacts/exports/$expr/cancel /contacts/exports/$expd/cancel" ;;
	export_file) continue ;;	# a CSV file; the expired one's page below
	bulk_job) paths=$(printf '/contacts/bulk/%s ' $bulks) ;;
	bulk_job_cancel_confirm) paths=$(printf '/contacts/bulk/%s/cancel ' $bulks) ;;
	optin_job) paths=$(printf '/contacts/optin/%s ' $ojobs) ;;
	optin_job_cancel_confirm) paths=$(printf '/contacts/optin/%s/cancel ' $ojobs) ;;
	contact|contact_edit|contact_delete_ask) paths=${pattern/\{int\}/$cid} ;;
	contact_tag|contact_tag_delete_ask) paths=${pattern/\{int\}/$tid} ;;
	contact_tag_merge_ask) paths="/contacts/tags/$tid/merge?into=$tid1" ;;
	contact_field|contact_field_delete_ask) paths=${pattern/\{int\}/$fid} ;;
	group|group_delete_ask) paths="${pattern/\{int\}/$glist} ${pattern/\{int\}/$gseg}" ;;
	template) paths="/templates/$tpl /templates/$tpl1?contact=$cid&sample=all /templates/$tpl?contact=99999999&sample=$glist /templates/$tpl?sample=$gseg" ;;
	template_delete_ask) paths=${pattern/\{int\}/$tpl} ;;
	group|group_delete_ask) paths="${pattern/\{int\}/$glist} ${pattern/\{int\}/$gseg} ${pattern/\{int\}/$gopt}" ;;
	group_pending|group_pending_resend_ask) paths=${pattern/\{int\}/$gopt} ;;
	broadcast|broadcast_cancel_ask) paths="${pattern/\{int\}/$bcs} ${pattern/\{int\}/$bcp}" ;;
	broadcast_csv) continue ;;	# a CSV file
	*) case $pattern in
	   *'{'*) ok 1 "GET $pattern ($name): the test knows no id for it"; continue ;;
	   esac
	   paths=$pattern ;;
	esac
	for p in $paths; do
		http GET "$p" -b "$jar"
		page "GET $p" 200
	done
done <"$STACK_DIR/routes"
http GET "/contacts/exports/$expx/file" -b "$jar"
page "GET an expired export's file" 410
http GET "/contacts/exports/$expr/file" -b "$jar"
page "GET a running export's file" 409
http GET "/contacts/subscriptions/analytics?days=5" -b "$jar"
page "GET the subscription analytics, a bad period" 400
like "$HTTP_BODY" 'role="alert">[^<]*90[^<]*<' "... saying why"
http GET /dashboard -b "$jar"
like "$HTTP_BODY" 'IDR 99\.000 / bulan' "the price of a month: the period from the catalog"

# Each form again with its errors.
post /profile --data-urlencode 'name=' --data-urlencode 'email=bukan email' --data-urlencode language=id \
    --data-urlencode 'mobile=+0812' --data-urlencode 'notes=Catatan'
page "POST /profile, wrong" 422
post /profile --data-urlencode 'name=Citra' --data-urlencode 'email=baru@example.com' --data-urlencode language=id
page "POST /profile, an email change without the password" 422
post /profile/password --data-urlencode current_password=salah --data-urlencode new_password=pendek \
    --data-urlencode confirm_password=lain
page "POST /profile/password, all wrong" 422
post /profile/time-zone --data-urlencode time_zone=Mars/Olympus
page "POST /profile/time-zone, unknown" 422
printf 'bukan gambar' >"$STACK_DIR/x.png"
http POST /profile/avatar -b "$jar" -F "_csrf=$csrf" -F "avatar=@$STACK_DIR/x.png;type=image/png"
page "POST /profile/avatar, not a picture" 415
post /whatsapp/instances --data-urlencode 'name=' --data-urlencode host=2
page "POST /whatsapp/instances, wrong" 422
post "/whatsapp/instances/$qid/pairing-code" --data-urlencode 'phone=12'
page "POST /whatsapp/instances/$qid/pairing-code, wrong" 422
post /whatsapp/queue --data-urlencode "instance=$iid" --data-urlencode 'recipient=' --data-urlencode 'text=' \
    --data-urlencode 'send_at=kemarin'
page "POST /whatsapp/queue, wrong" 422
post /api-keys --data-urlencode 'name=' --data-urlencode 'allow_ips=bukan alamat' --data-urlencode rpm=0
page "POST /api-keys, wrong" 422
post /contacts/new --data-urlencode 'phone=12' --data-urlencode 'email=bukan email' --data-urlencode language=x \
    --data-urlencode status=entah --data-urlencode f.umur=tua --data-urlencode f.tanggal_lahir=1985-02-30 \
    --data-urlencode f.anggota=mungkin --data-urlencode f.tingkat=perunggu --data-urlencode 'name=dua
baris'
page "POST /contacts/new, wrong" 422
post /contacts/tags --data-urlencode 'name=' --data-urlencode colour=kotak
page "POST /contacts/tags, wrong" 422
post /contacts/fields --data-urlencode 'key=Kunci Salah' --data-urlencode 'label=' --data-urlencode kind=choice
page "POST /contacts/fields, wrong" 422
post /templates --data-urlencode 'name=' --data-urlencode $'body=Halo\n{{nama'
page "POST /templates, wrong" 422
post "/templates/$tpl" --data-urlencode 'name=Promo' --data-urlencode 'body={Halo}'
page "POST /templates/{id}, wrong" 422
post /broadcasts/new --data-urlencode 'name=' -d unknown=1 -d include_unknown=1 --data-urlencode start=at --data-urlencode start_at=kemarin
page "POST /broadcasts/new, wrong" 422
post /broadcasts/new --data-urlencode 'name=Promo Agustus' -d "s.list.$glist=1" -d "template=$tpl1" -d "i.$iid=1"
page "POST /broadcasts/new, the check" 200
http GET '/contacts?q=ab&status=entah&from=2026-02-30&field=umur&min=9&max=1&any=x' -b "$jar"
page "GET /contacts with bad filters" 400
http GET '/contacts?q=budi&any=1&status=subscribed&field=kota&eq=Medan&never=1&sort=name_asc' -b "$jar"
page "GET /contacts with filters" 200
http GET '/contacts?q=tidakada' -b "$jar"
page "GET /contacts matching nothing" 200
post /contacts/bulk --data-urlencode 'filter=q=budi' -d all=1 -d action=delete
page "POST /contacts/bulk, the delete confirmation" 200

# The error pages: in the portal's frame and the customer's language,
# also where no route loads the session (an unknown address, a method a
# page does not take, a broken path, a refused form).
http GET /whatsapp/no-such-page -b "$jar"
page "GET /whatsapp/no-such-page" 404 app
http GET /whatsapp/messages/999999 -b "$jar"
page "GET /whatsapp/messages/999999" 404 app
http DELETE /dashboard -b "$jar"
page "DELETE /dashboard" 405 app
http GET '/whatsapp/%ff' -b "$jar"
page "GET /whatsapp/%ff" 400 app
post /profile --data-urlencode "notes=$(head -c 70000 /dev/zero | tr '\0' a)"
page "POST /profile over its limit" 413 app
http POST /profile -b "$jar" --data-urlencode 'name=Citra'
page "POST /profile without the form's token" 403 app

# Signed out, with the language chosen on the landing page: the public
# pages, and the 404 in the public frame.
while read -r method pattern kind auth scope name; do
	[ "$method $kind $auth" = "GET html none" ] && [ "$name" != lang ] || continue
	http GET "$pattern" -b lang=id
	page "GET $pattern, signed out" 200
done <"$STACK_DIR/routes"
http GET /no-such-page -b lang=id
page "GET /no-such-page, signed out" 404 public

# Prices stored before "/ month" came from the catalog lose their period.
sql "INSERT INTO packages (name, max_instances, max_contacts, max_messages_month,
         max_api_keys, api_rpm, price_text)
     VALUES ('a', 1, 1, 1, 1, 1, 'Rp 100.000 / bulan'), ('b', 1, 1, 1, 1, 1, 'IDR 99.000 per month'),
            ('c', 1, 1, 1, 1, 1, 'IDR 5 /Month.'), ('d', 1, 1, 1, 1, 1, 'Rp 1 juta')" >/dev/null
stack_psql "$STACK_DIR" -d waportal -q -f "$top_srcdir/sql/0010_price_month.sql" >/dev/null
is "$(sql "SELECT string_agg(price_text, '|' ORDER BY name) FROM packages WHERE name IN ('a', 'b', 'c', 'd')")" \
    'Rp 100.000|IDR 99.000|IDR 5|Rp 1 juta' "sql/0010: a period at the end of a stored price is taken off"

done_testing
