#!/bin/sh
# 0131-apidocs.t: the API docs pages and GET /api/v1/openapi.json; every example on the page (curl, Python, JavaScript, PHP) and in docs/api-http.md run against the stack; problem types link to their rows; the try-it panel.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

command -v jq >/dev/null || skip_all "jq is missing (./dev test installs it)"
SPEC=$top_srcdir/docs/openapi.json
DOC=$top_srcdir/docs/api-http.md
# The example runners (./dev test installs them: python3-requests, nodejs, php-cli, php-curl).
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

stack_start --workers 1
stack_customers 2 1000 c@example.com d@example.com || bail_out "seeding failed"
stack_host demo city=Jakarta country=ID >/dev/null || bail_out "seeding failed"
sql "INSERT INTO instances (customer_id, host_id, session, name, status, phone) VALUES
     (2, 1, 'wa_x', 'X', 'connected', '+6281100009'),
     (1, 1, 'wa_a', 'A', 'disconnected', ''), (1, 1, 'wa_b', 'B', 'connected', '+6281100001');
     UPDATE packages SET api_rpm = 987, max_messages_month = 4321" >/dev/null || bail_out "seeding failed"
# queue: a new queued message of customer 1 on instance 3; prints its id.
queue() {
	sql "INSERT INTO messages (customer_id, instance_id, direction, status, peer, body)
	     VALUES (1, 3, 'out', 'queued', '+6281234567000', 'seed') RETURNING id"
}

# --- the document itself ---
http GET /api/v1/openapi.json
is "$HTTP_STATUS" 200 "GET /api/v1/openapi.json without a key: 200"
like "$(header Content-Type)" '^application/json' "... JSON"
like "$(header Cache-Control)" 'public, max-age=300' "... cacheable"
is "$(header Access-Control-Allow-Origin)" '*' "... readable by tools on other origins"
is "$(jq -S . <<<"$HTTP_BODY" | md5sum)" "$(jq -S . "$SPEC" | md5sum)" "... docs/openapi.json as it is"
http POST /api/v1/openapi.json -H 'Content-Type: application/json' -d '{}'
is "$HTTP_STATUS" 405 "POST: 405"
is "$(jq -r .type <<<"$HTTP_BODY")" /docs/api#problem-method-not-allowed "... typed"

# --- the public reference: where the problem types of API answers link ---
http GET /docs/api
is "$HTTP_STATUS" 200 "GET /docs/api without a session: 200"
public=$HTTP_BODY
unlike "$public" 'class="sidebar' "... the public layout, no portal sidebar"
like "$public" 'href="/login\?next=/api-docs"' "... with a sign-in link for the customer's own figures"
unlike "$public" 'class="ad-rpm"' "... and no package figures"
like "$public" "curl -sS &quot;$BASE_URL/api/v1/messages/1&quot;" "... its examples use id 1"
slugs=$(find "$top_srcdir/src" -name '*.c' -type f | sort | xargs grep -ohE '\{ "[a-z-]+", [0-9]{3},' | sed -E 's/\{ "([a-z-]+)", ([0-9]+),/\1 \2/')
cmp_ok "$(wc -l <<<"$slugs")" -ge 20 "src/ has the API's problem types"
missing=$(while read -r s st; do
	grep -qF "<tr id=\"problem-$s\"><td><code>$s</code></td><td>$st</td>" <<<"$public" || echo "$s"
done <<<"$slugs")
is "$missing" "" "every problem type has its row, anchor and status on the page"
# Each refusal below names a type whose anchor is on the page with the status it came with.
read -r KEY_R _ < <(newkey 1 '{messages:read}')
types=
for call in "GET /api/v1/messages -" "GET /api/v1/messages wap_x" "POST /api/v1/messages $KEY_R" \
    "GET /api/v1/messages/999999 $KEY_R" "GET /api/v1/nothing $KEY_R" "DELETE /api/v1/usage $KEY_R"; do
	set -- $call
	k=$3; [ "$k" = - ] && k=
	if [ "$1" = POST ]; then
		api "$1" "$2" "$k" -H 'Content-Type: application/json' -d '{}'
	else
		api "$1" "$2" "$k"
	fi
	t=$(jq -r .type <<<"$HTTP_BODY")
	types="$types ${t#/docs/api#problem-}"
	grep -qF "<tr id=\"problem-${t#/docs/api#problem-}\"><td><code>${t#/docs/api#problem-}</code></td><td>$HTTP_STATUS<" <<<"$public" ||
	    unlinked="$unlinked $call:$HTTP_STATUS:$t"
done
is "$types" " invalid-key invalid-key scope-missing not-found not-found method-not-allowed" \
    "refusals of each kind are typed ..."
is "${unlinked:-}" "" "... and link to the row of /docs/api with their status"

# --- the portal page ---
http GET /api-docs
is "$HTTP_STATUS" 303 "/api-docs without a session: redirected"
like "$(header Location)" '^/login' "... to the login page"
jar=$STACK_DIR/jar
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
msg=$(queue)
http GET /api-docs -b "$jar"
is "$HTTP_STATUS" 200 "GET /api-docs: 200"
page=$HTTP_BODY
like "$page" 'href="/api-docs" aria-current="page"' "the sidebar links it as the current page"
n=0; missing=
while read -r m p; do
	n=$((n + 1))
	M=$(tr a-z A-Z <<<"$m")
	grep -qF "<span class=\"ad-method ad-method--$m\">$M</span> <code class=\"ad-path\">$p</code>" <<<"$page" ||
	    missing="$missing $M $p"
done < <(jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[] |
    select(.key | test("^(get|post|put|patch|delete)$")) | "\(.key) \($p)"' "$SPEC")
cmp_ok "$n" -ge 8 "openapi.json has its operations ($n)"
is "$missing" "" "every operation of openapi.json is on the page"
is "$(grep -c 'class="ad-op"' <<<"$page")" "$n" "... once each"
for s in $(jq -r '[.. | objects | .["x-scope"]? // empty] | unique | .[]' "$SPEC"); do
	like "$page" "<code>$s</code>" "the scope $s is shown"
done
like "$page" '<em>any key</em>' "an operation without a scope says any key"
like "$page" '<em>no key needed</em>' "... or no key at all"
like "$page" 'class="ad-rpm">987<' "the package's rate limit is shown"
like "$page" 'class="ad-quota">4321<' "... and its monthly messages"
like "$page" "<code id=\"ad-base\">$BASE_URL</code>" "the base URL is the stack's"
like "$page" "curl -sS -X DELETE &quot;$BASE_URL/api/v1/messages/$msg&quot;" "the examples use the customer's latest message"
like "$page" "curl -sS &quot;$BASE_URL/api/v1/instances/2&quot;" "... and first instance"
like "$page" '&quot;to&quot; =&gt; &quot;' "the code is escaped"
like "$page" '<option value="/api/v1/instances/2" data-scope="instances:read">GET /api/v1/instances/2 · instances:read</option>' \
    "the try-it panel offers the GET operations, each with the permission it needs"
unlike "$page" '<script>' "no inline script"
like "$page" 'class="ad-try__form" hidden' "the try-it form is hidden without JavaScript"
sql "UPDATE customer_packages SET starts_at = now() - interval '60 days', expires_at = now() - interval '1 day' WHERE customer_id = 1" >/dev/null
http GET /api-docs -b "$jar"
like "$HTTP_BODY" 'You have no active package' "without a package: says the API refuses"
unlike "$HTTP_BODY" 'class="ad-rpm"' "... and shows no limits"
sql "UPDATE customer_packages SET expires_at = now() + interval '30 days' WHERE customer_id = 1" >/dev/null
sql "UPDATE users SET language = 'id' WHERE id = 1" >/dev/null
http GET /api-docs -b "$jar"
like "$HTTP_BODY" '<h1 id="ad-title" class="card__title">Dokumentasi API' "in Indonesian too"
like "$HTTP_BODY" '<em>kunci apa saja</em>' "... the scope words too"
like "$HTTP_BODY" '<label for="ad-try-which">Kunci Anda yang mana</label>' "... and the try-it panel's"
sql "UPDATE users SET language = 'en' WHERE id = 1" >/dev/null

# --- every example on the page, run as the customer would ---
read -r WAPORTAL_KEY _ < <(newkey 1 '{messages:send,messages:read,instances:read,contacts:read,contacts:write,broadcasts:read,broadcasts:write,instances:write}')
export WAPORTAL_KEY
# examples LANG: "METHOD PATH" then the example's code up to a line "--",
# for each operation of the page in $HTML, the entities undone.
cat >"$STACK_DIR/examples.py" <<'PY'
import html, re, sys
page = open(sys.argv[2]).read()
for m in re.finditer(r'<article class="ad-op" id="[^"]*">\s*<h3[^>]*><span[^>]*>([A-Z]+)</span> <code class="ad-path">([^<]*)</code>(.*?)</article>', page, re.S):
    code = re.search(r'<code data-lang="%s">(.*?)</code>' % sys.argv[1], m.group(3), re.S)
    print(m.group(1), html.unescape(m.group(2)))
    print(html.unescape(code.group(1)) if code else "MISSING")
    print("--")
PY
examples() {
	printf '%s' "$HTML" >"$STACK_DIR/page.html"
	"$PY" "$STACK_DIR/examples.py" "$1" "$STACK_DIR/page.html"
}
# The Python examples run one after the other in one interpreter, each as
# its own __main__ (runpy), as `python3 FILE` would run it: an interpreter
# importing requests per example cost a second each on a loaded machine.
# run() hands it "FILE<TAB>OUT<TAB>ERR" and waits for its "done".
cat >"$STACK_DIR/pyrun.py" <<'PY'
import contextlib, runpy, sys, traceback
import requests  # what every example imports, once
for line in sys.stdin:
    f, out, err = line.rstrip("\n").split("\t")
    with open(out, "w") as o, open(err, "w") as e, \
            contextlib.redirect_stdout(o), contextlib.redirect_stderr(e):
        try:
            runpy.run_path(f, run_name="__main__")
        except SystemExit:
            pass
        except BaseException:
            traceback.print_exc()
    print("done", flush=True)
PY
# run LANG CODE: the status the example prints (the first word of its
# output; curl is given -w), its output in $STACK_DIR/ex.out.
run() {
	local f=$STACK_DIR/ex.$1
	printf '%s\n' "$2" >"$f"
	if [ "$1" = curl ]; then
		bash -c "$(cat "$f") -o '$STACK_DIR/ex.out' -w '%{http_code}'" 2>"$STACK_DIR/ex.err"
		return
	fi
	if [ "$1" = python ]; then
		printf '%s\t%s\t%s\n' "$f" "$STACK_DIR/ex.out" "$STACK_DIR/ex.err" >&"$PYW"
		read -r _ <&"$PYR"
		cut -d' ' -f1 <"$STACK_DIR/ex.out" | head -1
		return
	fi
	case $1 in
	js) cp "$f" "$f.mjs" && node "$f.mjs" ;;
	php) php "$f" ;;
	esac >"$STACK_DIR/ex.out" 2>"$STACK_DIR/ex.err"
	cut -d' ' -f1 <"$STACK_DIR/ex.out" | head -1
}
# The documented success status of each operation ("METHOD PATH").
declare -A WANT
while read -r m p st; do
	WANT["$m $p"]=$st
done < <(jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[] |
    select(.key | test("^(get|post|put|patch|delete)$")) |
    "\(.key | ascii_upcase) \($p) \(.value.responses | keys | map(select(startswith("2")))[0])"' "$SPEC")
for lang in curl python js php; do
	case $lang in
	python) "$PY" -c 'import requests' 2>/dev/null ;;
	js) command -v node >/dev/null ;;
	php) php -r 'exit(function_exists("curl_init") ? 0 : 1);' 2>/dev/null ;;
	*) true ;;
	esac
	ok $? "$lang examples can run here (./dev test installs what they need)" || continue
	if [ "$lang" = python ]; then
		mkfifo "$STACK_DIR/py.in" "$STACK_DIR/py.out"
		"$PY" "$STACK_DIR/pyrun.py" <"$STACK_DIR/py.in" >"$STACK_DIR/py.out" &
		pypid=$!
		exec {PYW}>"$STACK_DIR/py.in" {PYR}<"$STACK_DIR/py.out"
	fi
	before=$(sql "SELECT count(*) FROM messages WHERE source = 'api'")
	msg=$(queue)
	# The imports' examples: the newest import a draft (read, changed,
	# started, its rejects listed), the one before it a draft to discard,
	# and none other queued or running.
	sql "UPDATE jobs SET state = 'cancelled' WHERE state IN ('queued', 'running');
	     DELETE FROM jobs WHERE state = 'draft'" >/dev/null
	for i in older newest; do
		api POST /api/v1/contacts/imports "$WAPORTAL_KEY" -H 'Content-Type: text/csv' \
		    --data-binary $'Phone,Name,E-mail\n+6281234567890,Budi Santoso,budi@example.com\n'
	done
	imp=$(sql "SELECT max(id) FROM jobs")
	# A contact, two tags (the oldest merged into the newest), a field
	# a contact group (a list), two message templates (the latest
	# deleted, the oldest a broadcast's) and a broadcast (sending: paused,
	# resumed, cancelled) for the examples of one; none with what the
	# create examples add.
	sql "DELETE FROM contacts WHERE customer_id = 1; DELETE FROM tags WHERE customer_id = 1;
	     DELETE FROM contact_fields WHERE customer_id = 1;
	     INSERT INTO contacts (customer_id, phone, name) VALUES (1, '+6281299990001', 'Seed');
	     INSERT INTO tags (customer_id, name) VALUES (1, 'Seed merged'), (1, 'Seed');
	     INSERT INTO contact_fields (customer_id, key, label, kind) VALUES (1, 'seed', 'Seed', 'text');
	     DELETE FROM contact_groups WHERE customer_id = 1;
	     INSERT INTO contact_groups (customer_id, name, kind) VALUES (1, 'Seed list', 'list');
	     DELETE FROM templates WHERE customer_id = 1;
	     SELECT wa_template_save(1, NULL, 'Seed kept', 'Hi {{first_name}}');
	     SELECT wa_template_save(1, NULL, 'Seed template', 'Hi {{first_name}}');
	     DELETE FROM broadcasts WHERE customer_id = 1;
	     INSERT INTO broadcasts (customer_id, name, state, template_id, template_version, template_body, instance_ids)
	     SELECT 1, 'Seed broadcast', 'sending', t.id, 1, 'Hi', ARRAY[(SELECT min(id) FROM instances
	         WHERE customer_id = 1 AND status = 'connected')] FROM templates t WHERE t.customer_id = 1
	     ORDER BY t.id LIMIT 1" >/dev/null
	# The exports' examples: a done one with its file (downloaded), and
	# the newest queued (read, then cancelled by the DELETE).
	sql "WITH j AS (INSERT INTO jobs (customer_id, kind, state, finished_at)
	     VALUES (1, 'export', 'done', wa_now()) RETURNING id),
	     e AS (INSERT INTO exports (job_id, customer_id, file_name, rows, bytes, expires_at)
	     SELECT id, 1, 'contacts.csv', 0, 6, wa_now() + interval '1 day' FROM j)
	     INSERT INTO export_chunks (job_id, seq, data) SELECT id, 0, decode('70686f6e650d0a', 'hex') FROM j;
	     WITH j AS (INSERT INTO jobs (customer_id, kind) VALUES (1, 'export') RETURNING id)
	     INSERT INTO exports (job_id, customer_id, file_name) SELECT id, 1, 'contacts.csv' FROM j" >/dev/null
	exp=$(sql "SELECT max(id) FROM jobs WHERE kind = 'export'")
	http GET /api-docs -b "$jar"
	HTML=$HTTP_BODY
	count=0; bad=
	while read -r m p; do
		code=
		while IFS= read -r line && [ "$line" != -- ]; do code="$code$line"$'\n'; done
		count=$((count + 1))
		want=${WANT["$m $p"]}
		got=$(run "$lang" "${code%$'\n'}")
		[ "$got" = "$want" ] || { bad="$bad $m $p:$got"; diag "$lang $m $p: want $want" "$(cat "$STACK_DIR/ex.out" "$STACK_DIR/ex.err")"; }
	done < <(examples "$lang")
	[ "$lang" != python ] || { exec {PYW}>&- {PYR}<&-; wait "$pypid"; }
	is "$count" "$n" "$lang: an example for each operation"
	is "$bad" "" "$lang: each answers its documented success status"
	is "$(sql "SELECT status FROM messages WHERE id = $msg")" cancelled "$lang: its DELETE cancelled the customer's latest message"
	is "$(sql "SELECT count(*) - $before FROM messages WHERE source = 'api'")" 1 "$lang: its POST queued one message"
	is "$(sql "SELECT state FROM jobs WHERE id = $imp")" queued "$lang: its start queued the newest import"
	is "$(sql "SELECT count(*) FROM jobs WHERE id = $imp - 1")" 0 "$lang: its DELETE discarded the draft before it"
	is "$(sql "SELECT state FROM jobs WHERE id = $exp")" cancelled "$lang: its DELETE cancelled the newest export"
done

# --- the try-it panel: the customer's keys by name (never a key), the
# permission each operation needs, and it starts at an operation the
# chosen key may call (issue 11, item 15) ---
# has TEXT STRING DESC: TEXT holds STRING as it is.
has() { grep -qF -- "$2" <<<"$1"; ok $? "$3" || diag "not found: $2"; }
hasnt() { ! grep -qF -- "$2" <<<"$1"; ok $? "$3" || diag "found: $2"; }
# tryit PAGE: the try-it section of PAGE.
tryit() { sed -n '/<section class="card ad-try"/,/<\/section>/p' <<<"$1"; }
KEY_F=$WAPORTAL_KEY
sql "UPDATE api_keys SET name = 'Reports' WHERE visible = left('$KEY_R', 10);
     UPDATE api_keys SET name = 'Everything' WHERE visible = left('$KEY_F', 10)" >/dev/null
has "$(tryit "$public")" '<option value="/api/v1/usage" data-scope="" selected>GET /api/v1/usage · any key</option>' \
    "try-it, public: no key known, starts at an operation any key may call"
hasnt "$public" 'id="ad-try-which"' "... and lists no keys"
http GET /api-docs -b "$jar"
try=$(tryit "$HTTP_BODY")
has "$try" '<option value="/api/v1/messages" data-scope="messages:read" selected>GET /api/v1/messages · messages:read</option>' \
    "try-it: the newest key may read messages: starts at GET /api/v1/messages"
read -r KEY_S _ < <(newkey 1 '{messages:send}')
read -r KEY_OFF _ < <(newkey 1 '{instances:read}' enabled false)
sql "UPDATE api_keys SET name = 'Checkout <shop>' WHERE visible = left('$KEY_S', 10)" >/dev/null
http GET /api-docs -b "$jar"
try=$(tryit "$HTTP_BODY")
has "$try" '<option value="/api/v1/usage" data-scope="" selected>GET /api/v1/usage · any key</option>' \
    "try-it: a new send-only key: starts at GET /api/v1/usage, which any key may call"
is "$(grep -o ' selected>' <<<"$try" | wc -l)" 1 "... the one operation selected"
has "$try" '<option value="/api/v1/messages" data-scope="messages:read">GET /api/v1/messages · messages:read</option>' \
    "... GET /api/v1/messages says it needs messages:read"
has "$try" 'GET /api/v1/openapi.json · no key needed</option>' "... the document needs no key"
is "$(grep -o 'data-scopes="[^"]*"' <<<"$try" | tr '\n' '|')" \
    'data-scopes="messages:send"|data-scopes="messages:send messages:read instances:read contacts:read contacts:write broadcasts:read broadcasts:write instances:write"|data-scopes="messages:read"|' \
    "try-it: the keys that work, newest first, with their permissions"
has "$try" "<option value=\"${KEY_S:0:10}\" data-scopes=\"messages:send\">Checkout &lt;shop&gt; (${KEY_S:0:10}…): messages:send</option>" \
    "... each by its name (escaped), visible start and permissions"
has "$try" "(${KEY_F:0:10}…): messages:send, messages:read, instances:read, contacts:read, contacts:write, broadcasts:read, broadcasts:write, instances:write</option>" "... all of them"
has "$try" '<option value="">Another key</option>' "... and a choice for another key"
hasnt "$try" "${KEY_OFF:0:10}" "... not a key switched off"
for k in "$KEY_S" "$KEY_F" "$KEY_R"; do
	hasnt "$HTTP_BODY" "${k:10}" "... never the key itself (${k:0:10}…)"
done
has "$try" '<h3 id="ad-try-result" class="ad-try__result" hidden>Answer</h3>' "try-it: the Answer heading is hidden until there is an answer"
api GET /api/v1/usage "$KEY_S"
is "$HTTP_STATUS" 200 "the send-only key may call the operation the panel starts at"
api GET /api/v1/messages "$KEY_S"
is "$HTTP_STATUS" 403 "... not GET /api/v1/messages (the old default)"

# The panel's script (waportal.js under node, t/lib/domstub.js) on the
# section just served: one "PASS DESCRIPTION" line a check, "#" diag.
printf '%s' "$try" >"$STACK_DIR/try.html"
jsn=0
while IFS= read -r line; do
	case $line in
	'#'*) printf '%s\n' "$line" ;;
	*) ok "${line%% *}" "try-it (JS): ${line#* }"; jsn=$((jsn + 1)) ;;
	esac
done < <(KEY_S=$KEY_S KEY_R=$KEY_R KEY_F=$KEY_F node - "$top_srcdir" "$STACK_DIR/try.html" 2>&1 <<'JS'
"use strict";
const [top, file] = process.argv.slice(2);
const D = require(top + "/t/lib/domstub.js");
const W = require(top + "/src/static/waportal.js");
const E = process.env;
const check = (pass, desc, got) => {
	console.log((pass ? 0 : 1) + " " + desc);
	if (!pass)
		console.log("#   got: " + JSON.stringify(got));
};
const settle = async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r)); };
(async () => {
	const doc = new D.Document(require("fs").readFileSync(file, "utf8"));
	const $ = (s) => doc.querySelector(s);
	const form = $(".ad-try__form"), note = $(".ad-try__nojs"), key = $("#ad-try-key");
	const which = $("#ad-try-which"), op = $("#ad-try-path"), head = $("#ad-try-result");
	const calls = [];
	let answer = { status: 200, statusText: "OK",
	    text: '{"data":[{"day":"2030-01-02","endpoint":"messages.create","n":3}],"note":"words stay whole"}' };
	W.tryIt($(".ad-try"), { fetch(u, i) {
		calls.push([u, i]);
		const a = answer;
		return Promise.resolve({ status: a.status, statusText: a.statusText, text: () => Promise.resolve(a.text) });
	} });
	const paste = (k) => { key.value = k; key.dispatch("input"); return [which.value, op.value]; };
	check(!form.hidden && note.hidden, "the form shown with JavaScript, the note for without it hidden");
	check(which.value === E.KEY_S.slice(0, 10) && op.value === "/api/v1/usage",
	    "starts at the newest key (send-only) and GET /api/v1/usage", [which.value, op.value]);
	op.value = "/api/v1/instances";
	let got = paste(" " + E.KEY_F + " ");
	check(got[0] === E.KEY_F.slice(0, 10) && got[1] === "/api/v1/instances",
	    "a pasted key chooses its row; an operation it may call stays", got);
	got = paste(E.KEY_S);
	check(got[0] === E.KEY_S.slice(0, 10) && got[1] === "/api/v1/usage",
	    "pasting the send-only key moves to the first operation it may call", got);
	op.value = "/api/v1/instances/2";
	which.selectedIndex = which.options.findIndex((o) => o.value === E.KEY_R.slice(0, 10));
	which.dispatch("change");
	check(op.value === "/api/v1/messages", "choosing a read-only key moves to GET /api/v1/messages", op.value);
	op.value = "/api/v1/instances";
	got = paste("wap_0000000000000000000000000000");
	check(got[0] === "" && got[1] === "/api/v1/instances",
	    "a key the page does not know: another key, the operation left alone", got);
	paste(E.KEY_F);
	check(head.hidden, "the Answer heading hidden before an answer");
	form.dispatch("submit", { preventDefault() {} });
	check(head.hidden && $("#ad-try-status").textContent === "…", "... and while waiting", $("#ad-try-status").textContent);
	await settle();
	const c = calls[0] || [];
	check(calls.length === 1 && c[0] === "/api/v1/instances" && c[1].method === "GET" &&
	    c[1].credentials === "omit" && c[1].headers.Authorization === "Bearer " + E.KEY_F,
	    "sends the pasted key as Bearer, without cookies, to the chosen operation", c);
	check(!head.hidden && $("#ad-try-status").textContent === "200 OK", "the answer: heading shown, status",
	    [head.hidden, $("#ad-try-status").textContent]);
	const body = $("#ad-try-body").textContent;
	check(body === JSON.stringify(JSON.parse(answer.text), null, 2) && body.indexOf('\n  "data": [\n    {\n') > 0,
	    "a JSON body pretty-printed, two spaces a level", body);
	answer = { status: 502, statusText: "Bad Gateway", text: "<html>not JSON</html>" };
	form.dispatch("submit", { preventDefault() {} });
	await settle();
	check($("#ad-try-body").textContent === "<html>not JSON</html>", "any other body as text, as it came",
	    $("#ad-try-body").textContent);
	op.options[0].setAttribute("value", "https://evil.example/x");
	op.selectedIndex = 0;
	form.dispatch("submit", { preventDefault() {} });
	await settle();
	check(calls.length === 2, "only paths under /api/v1/ of this origin are sent", calls.map((x) => x[0]));
})().catch((e) => console.log("1 the script ran to its end\n# " + String(e.stack).replace(/\n/g, "\n# ")));
JS
)
is "$jsn" 13 "try-it (JS): every check ran"

# --- the curl examples of docs/api-http.md ---
read -r KEY _ < <(newkey 1 '{messages:send,messages:read,instances:read}')
BASE=$BASE_URL
export BASE KEY
# The examples as "NAME STATUS" lines, each followed by its command
# (the indented block after the marker) and a line "--".
mdexamples() {
	awk '
	/^<!-- example: / { name = $3; st = $4; want = 1; next }
	want && /^    / { sub(/^    /, ""); cmd = cmd $0 "\n"; inblk = 1; next }
	want && inblk { print name " " st; printf "%s", cmd; print "--"; want = inblk = 0; cmd = "" }
	' "$DOC"
}
count=0
first=$(sql "SELECT last_value + is_called::int FROM messages_id_seq")
while read -r name st; do
	cmd=
	while IFS= read -r line && [ "$line" != -- ]; do cmd="$cmd$line"$'\n'; done
	cmd=${cmd//\/messages\/42/\/messages\/$first}
	count=$((count + 1))
	got=$(bash -c "${cmd%$'\n'} -o '$STACK_DIR/ex.body' -w '%{http_code}'" 2>"$STACK_DIR/ex.err")
	is "$got" "$st" "docs/api-http.md: $name answers $st" ||
	    diag "$(cat "$STACK_DIR/ex.body" "$STACK_DIR/ex.err")"
done < <(mdexamples)
cmp_ok "$count" -ge 7 "docs/api-http.md has its examples ($count)"
is "$(sql "SELECT status FROM messages WHERE id = $first")" cancelled "... the first queued a message and a later one cancelled it"

done_testing
