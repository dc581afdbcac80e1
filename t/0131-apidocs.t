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
like "$page" '<option value="/api/v1/instances/2">GET /api/v1/instances/2</option>' "the try-it panel offers the GET operations"
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
sql "UPDATE users SET language = 'en' WHERE id = 1" >/dev/null

# --- every example on the page, run as the customer would ---
read -r WAPORTAL_KEY _ < <(newkey 1 '{messages:send,messages:read,instances:read}')
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
# run LANG CODE: the status the example prints (the first word of its
# output; curl is given -w), its output in $STACK_DIR/ex.out.
run() {
	local f=$STACK_DIR/ex.$1
	printf '%s\n' "$2" >"$f"
	if [ "$1" = curl ]; then
		bash -c "$(cat "$f") -o '$STACK_DIR/ex.out' -w '%{http_code}'" 2>"$STACK_DIR/ex.err"
		return
	fi
	case $1 in
	python) "$PY" "$f" ;;
	js) cp "$f" "$f.mjs" && node "$f.mjs" ;;
	php) php "$f" ;;
	esac >"$STACK_DIR/ex.out" 2>"$STACK_DIR/ex.err"
	cut -d' ' -f1 <"$STACK_DIR/ex.out" | head -1
}
for lang in curl python js php; do
	case $lang in
	python) "$PY" -c 'import requests' 2>/dev/null ;;
	js) command -v node >/dev/null ;;
	php) php -r 'exit(function_exists("curl_init") ? 0 : 1);' 2>/dev/null ;;
	*) true ;;
	esac
	ok $? "$lang examples can run here (./dev test installs what they need)" || continue
	before=$(sql "SELECT count(*) FROM messages WHERE source = 'api'")
	msg=$(queue)
	http GET /api-docs -b "$jar"
	HTML=$HTTP_BODY
	count=0; bad=
	while read -r m p; do
		code=
		while IFS= read -r line && [ "$line" != -- ]; do code="$code$line"$'\n'; done
		count=$((count + 1))
		want=$(jq -r --arg p "$p" --arg m "$(tr A-Z a-z <<<"$m")" \
		    '.paths[$p][$m].responses | keys | map(select(startswith("2")))[0]' "$SPEC")
		got=$(run "$lang" "${code%$'\n'}")
		[ "$got" = "$want" ] || { bad="$bad $m $p:$got"; diag "$lang $m $p: want $want" "$(cat "$STACK_DIR/ex.out" "$STACK_DIR/ex.err")"; }
	done < <(examples "$lang")
	is "$count" "$n" "$lang: an example for each operation"
	is "$bad" "" "$lang: each answers its documented success status"
	is "$(sql "SELECT status FROM messages WHERE id = $msg")" cancelled "$lang: its DELETE cancelled the customer's latest message"
	is "$(sql "SELECT count(*) - $before FROM messages WHERE source = 'api'")" 1 "$lang: its POST queued one message"
done

# --- the try-it panel (waportal.js under node with stub elements) ---
got=$(node - "$top_srcdir/src/static/waportal.js" 2>&1 <<'JS'
"use strict";
const W = require(process.argv[2]);
function el(extra) { return Object.assign({ hidden: true, textContent: "", value: "",
    listeners: {}, addEventListener(t, f) { this.listeners[t] = f; } }, extra); }
const els = { "#ad-try-key": el({ value: " k1 " }), "#ad-try-path": el({ value: "/api/v1/instances" }),
    "#ad-try-status": el(), "#ad-try-body": el() };
const form = el({ querySelector: (s) => els[s] });
const note = el({ hidden: false });
const root = { querySelector: (s) => s === ".ad-try__form" ? form : s === ".ad-try__nojs" ? note : null };
const calls = [];
W.tryIt(root, { fetch(u, i) { calls.push([u, i]); return Promise.resolve({ status: 200, statusText: "OK",
    text: () => Promise.resolve("<b>{\"data\":[]}</b>") }); } });
form.listeners.submit({ preventDefault() {} });
els["#ad-try-path"].value = "https://evil.example/x";
form.listeners.submit({ preventDefault() {} });
setTimeout(() => console.log([form.hidden, note.hidden, calls.length, calls[0][0], calls[0][1].method,
    calls[0][1].credentials, calls[0][1].headers.Authorization, els["#ad-try-status"].textContent,
    els["#ad-try-body"].textContent].join("|")), 10);
JS
)
is "$got" 'false|true|1|/api/v1/instances|GET|omit|Bearer k1|200 OK|<b>{"data":[]}</b>' \
    "try-it: shown with JS, sends the key as Bearer without cookies, only to /api/v1 here, shows the answer as text"

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
