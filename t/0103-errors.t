#!/bin/sh
# 0103-errors.t: 400/404/405/413 as HTML or problem+json, bad query strings, CSP reports, no echo of input.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

# problem WHAT STATUS: the last response is application/problem+json
# with type, title and the status.
problem()
{
	like "$(header Content-Type)" '^application/problem\+json' "$1: application/problem+json"
	jq -e --argjson s "$2" '(.type | type == "string") and (.title | type == "string") and .status == $s' \
	    <<<"$HTTP_BODY" >/dev/null 2>&1
	ok $? "$1: type, title, status $2" || diag "body: $HTTP_BODY"
}

# html_page WHAT: the last response is a whole HTML page.
html_page()
{
	is "$(header Content-Type)" "text/html; charset=utf-8" "$1: text/html; charset=utf-8"
	like "$HTTP_BODY" '<html lang=' "$1: an HTML page"
}

stack_start

http GET /nope
is "$HTTP_STATUS" 404 "GET /nope: 404"
html_page "GET /nope"
like "$(header Content-Security-Policy)" "default-src 'none'" "GET /nope: security headers on errors too"

http GET /api/nope
is "$HTTP_STATUS" 404 "GET /api/nope: 404"
problem "GET /api/nope" 404

http POST / --data 'a=1'
is "$HTTP_STATUS" 405 "POST /: 405"
html_page "POST /"
like "$(header Allow)" 'GET' "POST /: Allow has GET"
like "$(header Allow)" 'HEAD' "POST /: Allow has HEAD"
unlike "$(header Allow)" 'POST' "POST /: Allow has no POST"

http GET /csp-report
is "$HTTP_STATUS" 405 "GET /csp-report: 405"
problem "GET /csp-report" 405
is "$(header Allow)" POST "GET /csp-report: Allow: POST"

http TRACE /
is "$HTTP_STATUS" 405 "TRACE /: 405 (nginx)"

# Error bodies never echo what the client sent.
m=zq9xmark
for path in "/$m%3Cscript%3Ealert(1)%3C/script%3E?q=%3Cimg%20src=x%20onerror=alert($m)%3E" \
    "/api/$m%3Cscript%3E?x=$m" "/$m'%22%3E?$m=1" "/api/v1/$m/../$m"; do
	http GET "$path"
	like "$HTTP_STATUS" '^4' "GET $path: 4xx"
	unlike "$HTTP_BODY" "$m|<script>alert|onerror" "GET $path: the body does not echo the request"
	unlike "$HTTP_HEAD" "$m" "GET $path: no header echoes the request"
done

# Bad query strings stop before any handler.
for q in '/lang?set=en&set=id' '/lang?set=en&next=%00' '/?a=%ff' '/?a=%c0%af' \
    '/?a=%ed%a0%80' '/?a=%e2%82' '/?a=%zz' '/lang?set=en%00&next=/'; do
	http GET "$q"
	is "$HTTP_STATUS" 400 "GET $q: 400"
	is "$(header Set-Cookie)" "" "GET $q: no handler ran (no cookie)"
done
http GET '/lang?set=en%ff&next=/'
is "$HTTP_STATUS" 400 "invalid UTF-8 in a parameter: 400"
unlike "$HTTP_BODY" '%ff' "the 400 page does not echo the bad bytes"
http GET '/api/nope?a=%ff'
is "$HTTP_STATUS" 400 "GET /api/nope?a=%ff: 400"
problem "GET /api/nope?a=%ff" 400

# CSP reports.
report='{"csp-report":{"document-uri":"http://127.0.0.1/","violated-directive":"script-src","blocked-uri":"inline"}}'
http POST /csp-report -H 'Content-Type: application/csp-report' --data-binary "$report"
is "$HTTP_STATUS" 204 "POST /csp-report (application/csp-report): 204"
is "$(wc -c <"$STACK_DIR/http.body")" 0 "POST /csp-report: no body"
http POST /csp-report -H 'Content-Type: application/json' --data-binary "$report"
is "$HTTP_STATUS" 204 "POST /csp-report (application/json): 204"
http POST /csp-report -H 'Content-Type: application/reports+json' \
    --data-binary '[{"type":"csp-violation","age":1,"url":"http://127.0.0.1/","body":{"effectiveDirective":"script-src-elem"}}]'
is "$HTTP_STATUS" 204 "POST /csp-report (application/reports+json): 204"
http POST /csp-report -H 'Content-Type: application/csp-report' --data-binary "{\"csp-report\": {\"$m\": "
is "$HTTP_STATUS" 400 "malformed JSON: 400"
problem "malformed JSON" 400
unlike "$HTTP_BODY" "$m" "malformed JSON: the body is not echoed"
http POST /csp-report -H 'Content-Type: application/csp-report' --data-binary $'{"a":"\xff"}'
is "$HTTP_STATUS" 400 "JSON with invalid UTF-8: 400"
http POST /csp-report -H 'Content-Type: text/plain' --data-binary "$report"
like "$HTTP_STATUS" '^4' "POST /csp-report as text/plain: refused ($HTTP_STATUS)"

# Body limits: nginx's 1m for the server, the route's 64 KiB in the worker.
head -c 1572864 /dev/zero | tr '\0' 'a' >"$STACK_DIR/big"
http POST /csp-report -H 'Content-Type: application/csp-report' --data-binary "@$STACK_DIR/big"
is "$HTTP_STATUS" 413 "1.5 MiB body: 413"
like "$HTTP_BODY" '<center>nginx</center>' "1.5 MiB body: refused by nginx"
like "$(header Content-Security-Policy)" "default-src 'none'" "1.5 MiB body: the 413 has the security headers"
{ printf '{"csp-report":{"blocked-uri":"'; head -c 102400 /dev/zero | tr '\0' 'b'; printf '"}}'; } >"$STACK_DIR/mid"
http POST /csp-report -H 'Content-Type: application/csp-report' --data-binary "@$STACK_DIR/mid"
is "$HTTP_STATUS" 413 "100 KiB body: 413"
problem "100 KiB body (the worker's 64 KiB limit)" 413

# Still serving after all that.
http GET /healthz
is "$HTTP_STATUS" 200 "the workers still answer"

done_testing
