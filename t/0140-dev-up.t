#!/bin/sh
# 0140-dev-up.t: the README's first command: ./dev up brings the demo up, its walk-through works (sign in, link on "demo", send, read), up again is harmless, down stops all.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
[ -z "${WAPORTAL_TEST_SANITIZERS:-}" ] || { echo "1..0 # SKIP runs in the normal tree: no C code of ours to check under the sanitizers"; exit 0; }
. "${top_srcdir:?}/t/lib/stack.sh"

for f in waportal-fcgi waportal-dispatch waportal-gwsim waportalctl; do
	[ -x "${top_builddir:?}/src/$f" ] || skip_all "src/$f not built"
done
command -v nginx >/dev/null || skip_all "nginx is not installed"

# The stack in a directory of its own on free ports, the suite's own build
# (WAPORTAL_DEV_TREE): ./dev builds nothing here.
T=$(mktemp -d /tmp/waportal-devup.XXXXXX) || bail_out "mktemp failed"
chmod 755 "$T"
STACK_DIR=$T
export WAPORTAL_DEV_VAR=$T/var WAPORTAL_DEV_TREE=$top_builddir
unset DATABASE_URL
dev() { "$top_srcdir/dev" "$@" >>"$T/dev.out" 2>&1; }
trap 'dev down; rm -rf "$T"' EXIT
STACK_PG_DIR=$WAPORTAL_DEV_VAR	# sql: the cluster of ./dev up

# A port found free can be taken by a parallel test before nginx or the
# simulator binds it: up says so, and is run again on other ports (the
# demo host follows the simulator's new port).
for i in 1 2 3; do
	export WAPORTAL_PORT=$(stack_free_port) WAPORTAL_GWSIM_PORT=$(stack_free_port)
	dev up && { rc=0; break; }
	rc=1
	grep -q 'is port [0-9]* free?' "$T/dev.out" || break
	dev down
done
BASE_URL=http://127.0.0.1:$WAPORTAL_PORT
ok $rc "./dev up succeeds" || diag "$(tail -n 20 "$T/dev.out")"
pw=$(sed -n 's/.*sign in as demo@waportal.test with the password \(.*\)$/\1/p' "$T/dev.out" | tail -n 1)
like "$pw" '^[A-Za-z0-9]{8,}$' "... and prints the demo customer's password"
http GET /healthz
is "$HTTP_STATUS" 200 "the portal answers on WAPORTAL_PORT"

# The walk-through of the README.
jar=$T/jar
http POST /login -c "$jar" --data-urlencode email=demo@waportal.test --data-urlencode "password=$pw"
is "$HTTP_STATUS" 303 "the demo customer signs in with it"
http GET /whatsapp -b "$jar"
like "$HTTP_BODY" '<option value="[0-9]+">demo — Jakarta, Indonesia \(49 ' "the WhatsApp page offers the demo host, with room for 49 (the demo broadcast's number took one)"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//')
host=$(sql "SELECT id FROM hosts WHERE name = 'demo'")
http POST /whatsapp/instances -b "$jar" --data-urlencode "_csrf=$csrf" \
    --data-urlencode 'name=Demo phone' --data-urlencode "host=$host"
is "$HTTP_STATUS" 303 "a number is created on the host demo" || {
	diag "$(grep -o 'id="link-error">[^<]*' <<<"$HTTP_BODY")"
	diag "$(tail -n 15 "$WAPORTAL_DEV_VAR/log/workers.log" "$WAPORTAL_DEV_VAR/log/gwsim.log" 2>&1)"
}
loc=$(header Location)
iid=${loc##*/}
# The session starts first; the page shows the QR once the gateway has one.
qr_shown() { http GET "$loc" -b "$jar"; grep -q '<svg class="qr"' <<<"$HTTP_BODY"; }
wait_for 10 qr_shown
ok $? "its page shows the QR" || diag "$(grep -o 'badge--[a-z_]*' <<<"$HTTP_BODY" | head -n 1)"
wait_for 15 eval '[ "$(sql "SELECT status FROM instances WHERE id = $iid")" = connected ]'
ok $? "the simulator links it a few seconds later, as if a phone had scanned it"
http POST /whatsapp/queue -b "$jar" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "instance=$iid" --data-urlencode 'recipient=081234567890' \
    --data-urlencode 'text=Hello from the demo'
is "$HTTP_STATUS" 303 "a message is queued from the Queue tab"
wait_for 20 eval '[ "$(sql "SELECT status FROM messages WHERE instance_id = $iid AND direction = '"'out'"'")" = read ]'
ok $? "the dispatcher sends it and the simulator's acks make it read"
http GET /whatsapp/sent -b "$jar"
like "$HTTP_BODY" 'badge--read">' "the Sent tab shows it read"
# The demo audience: the runner imports the generated file at the first up.
wait_for 30 eval '[ "$(sql "SELECT state FROM jobs WHERE kind = '"'import'"'")" = done ]'
ok $? "the demo contacts' import is done (the runner applied it)"
is "$(sql "SELECT i.total, i.inserted, i.rejected, (SELECT count(*) FROM contacts) FROM imports i")" "122|120|2|120" \
    "... 120 contacts, the two bad rows refused"
http GET /contacts -b "$jar"
like "$HTTP_BODY" 'Budi|Siti|Agus' "the Contacts page lists them"
http GET /contacts/import -b "$jar"
like "$HTTP_BODY" 'pelanggan\.csv' "the imports page lists the demo import"
http GET /templates -b "$jar"
like "$HTTP_BODY" 'Order ready' "the Templates page lists the demo template"
is "$(sql "SELECT count(*) FROM template_versions v JOIN templates t ON t.id = v.template_id WHERE t.name = 'Order ready'")" 1 \
    "... saved through wa_template_save, one version"
# The demo broadcast: resolved, reserved and queued by the runner, sent by
# the dispatcher at its pace through the simulator.
bdone() { [ "$(sql "SELECT state FROM broadcasts WHERE name = 'Order ready for VIP customers'")" = done ]; }
wait_for 180 bdone
ok $? "the demo broadcast to 'VIP customers' is done" ||
    diag "$(sql "SELECT state, fail_reason, recipients, queued, sent, failed FROM broadcasts")"
is "$(sql "SELECT (recipients > 0 AND sent = recipients AND queued = recipients AND failed = 0)::text
    || ' ' || (SELECT count(*) FROM contact_group_members m JOIN contact_groups g ON g.id = m.group_id
    JOIN contacts c ON c.id = m.contact_id WHERE g.name = 'VIP customers' AND c.status = 'subscribed') - recipients
    FROM broadcasts WHERE name = 'Order ready for VIP customers'")" "true 0" \
    "... every subscribed member of the list sent once"
http GET /broadcasts -b "$jar"
like "$HTTP_BODY" 'Order ready for VIP customers' "the Broadcasts page lists it"

# Running it again changes nothing; down stops everything.
dev status
ok $? "./dev status: everything runs" || {
	diag "$(tail -n 8 "$T/dev.out")"
	diag "$(tail -n 30 "$WAPORTAL_DEV_VAR"/log/gwsim.log "$WAPORTAL_DEV_VAR"/log/dispatch.log 2>&1)"
}
like "$(tail -n 8 "$T/dev.out")" 'runner +running' "... the job runner among them"
dev up
ok $? "./dev up a second time succeeds"
like "$(tail -n 12 "$T/dev.out")" 'workers already run' "... and leaves the running workers alone"
http GET /healthz
is "$HTTP_STATUS" 200 "... the portal still answers"
newp=$(stack_free_port)
WAPORTAL_GWSIM_PORT=$newp dev up
ok $? "./dev up with another WAPORTAL_GWSIM_PORT succeeds"
is "$(sql "SELECT base_url FROM hosts WHERE name = 'demo'")" "http://127.0.0.1:$newp" \
    "... the demo host follows the simulator to its new port"
is "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$newp/ping")" 200 "... where the simulator answers"
dev down
ok $? "./dev down succeeds"
dev status
isnt "$?" 0 "./dev status then says something is stopped"
like "$(tail -n 8 "$T/dev.out")" 'postgresql +stopped' "... PostgreSQL among them"
http GET /healthz
is "$HTTP_STATUS" 000 "nothing answers on the port any more"

done_testing
