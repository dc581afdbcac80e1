#!/bin/sh
# 0112-nginx-errors.t: the errors nginx answers itself (413, 414, 400, 405, 502) are problem+json under /api/ and /hooks/ and its HTML pages elsewhere (issue 11, item 6).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

command -v jq >/dev/null || skip_all "jq is not installed (./dev test installs it)"

# nginx_problem WHAT STATUS SLUG TITLE: the last response is nginx's
# problem document for STATUS, typed like the API's own problems.
nginx_problem()
{
	is "$HTTP_STATUS" "$2" "$1: $2"
	is "$(header Content-Type)" application/problem+json "... application/problem+json"
	is "$(jq -c '[.type, .title, .status, (.detail | type == "string" and length > 0)]' \
	    <<<"$HTTP_BODY" 2>&1)" "[\"/docs/api#problem-$3\",\"$4\",$2,true]" \
	    "... type $3, title, status $2 and a detail (RFC 9457)"
	is "$(header Cache-Control)" no-store "... not cached"
	is "$(header_count Content-Security-Policy)" 1 "... with the security headers, once"
}

# nginx_html WHAT STATUS: the last response is nginx's own HTML page for STATUS.
nginx_html()
{
	is "$HTTP_STATUS" "$2" "$1: $2"
	is "$(header Content-Type)" text/html "... text/html"
	like "$HTTP_BODY" "<title>$2 .*</title>" "... nginx's page for $2"
}

stack_start --workers 1

# Every document nginx may answer with is typed, and its type is a row of
# the public API reference, with its status: the anchor the type names.
http GET /docs/api
public=$HTTP_BODY
for f in "$top_srcdir"/nginx/problems/*.json; do
	st=${f##*/}
	st=${st%.json}
	t=$(jq -r .type "$f")
	s=${t#/docs/api#problem-}
	like "$t" '^/docs/api#problem-[a-z-]+$' "problems/$st.json is typed like the API's problems"
	grep -qF "<tr id=\"problem-$s\"><td><code>$s</code></td><td>$st</td>" <<<"$public"
	ok $? "... and /docs/api has the row $t with status $st"
done

# 413: over client_max_body_size (1m), refused before the workers see it.
head -c 1572864 /dev/zero | tr '\0' 'a' >"$STACK_DIR/big"
http POST /api/v1/messages -H 'Content-Type: application/json' \
    -H 'Authorization: Bearer wap_x' --data-binary "@$STACK_DIR/big"
nginx_problem "POST /api/v1/messages with 1.5 MiB" 413 body-too-large "Content Too Large"
http POST /api/v1/messages -H 'Content-Type: application/json' \
    -H 'Transfer-Encoding: chunked' --data-binary "@$STACK_DIR/big"
nginx_problem "... sent chunked (no Content-Length)" 413 body-too-large "Content Too Large"
http POST /hooks/waha/1 -H 'Content-Type: application/json' --data-binary "@$STACK_DIR/big"
nginx_problem "POST /hooks/waha/1 with 1.5 MiB" 413 body-too-large "Content Too Large"
http POST /csp-report -H 'Content-Type: application/csp-report' --data-binary "@$STACK_DIR/big"
nginx_html "POST /csp-report with 1.5 MiB (not the API)" 413

# 414: a request line over large_client_header_buffers (8 KiB), refused
# before nginx has a URI or a location.
long=$(head -c 9000 /dev/zero | tr '\0' 'a')
http GET "/api/v1/messages/$long"
nginx_problem "GET /api/v1/messages/<9000 bytes>" 414 uri-too-long "URI Too Long"
http GET "/api/v1/messages?cursor=$long"
nginx_problem "GET /api/v1/messages?cursor=<9000 bytes>" 414 uri-too-long "URI Too Long"
http_raw "GET http://127.0.0.1/api/v1/messages/$long HTTP/1.1"
nginx_problem "... with the target in absolute form (http://host/api/v1/...)" 414 uri-too-long "URI Too Long"
http POST "/hooks/waha/$long" -d x
nginx_problem "POST /hooks/waha/<9000 bytes>" 414 uri-too-long "URI Too Long"
http GET "/whatsapp/$long"
nginx_html "GET /whatsapp/<9000 bytes> (a page)" 414
# Shorter, nginx passes it on: the worker's own limit (2 KiB), same type.
http GET "/api/v1/messages/${long:0:3000}"
nginx_problem "GET /api/v1/messages/<3000 bytes> (the worker's limit)" 414 uri-too-long "URI Too Long"

# 400 and 405: requests nginx refuses while reading the head.
http_raw "GET /api/v1/messages HTTP/1.1" "Bad Header Line"
nginx_problem "a header line without a colon on /api/v1/" 400 bad-request "Bad Request"
http_raw "GET /dashboard HTTP/1.1" "Bad Header Line"
nginx_html "... on a page" 400
http GET /api/v1/messages -H "X-Big: $long"
nginx_problem "a header over the buffers on /api/v1/" 400 bad-request "Bad Request"
http TRACE /api/v1/messages
nginx_problem "TRACE /api/v1/messages" 405 method-not-allowed "Method Not Allowed"
http TRACE /
nginx_html "TRACE /" 405

# The workers' own errors pass through as they answered them.
http GET /api/v1/nope
is "$HTTP_STATUS $(jq -r .type <<<"$HTTP_BODY")" "404 /docs/api#problem-not-found" \
    "an unknown API path: the worker's 404 not-found"
http GET /nope
like "$HTTP_BODY" '<html lang=' "an unknown page: the worker's HTML 404"

# 502: the workers are gone.
stack_stop_pidfile "$STACK_DIR/run/workers.pid"
http GET /api/v1/messages -H 'Authorization: Bearer wap_x'
nginx_problem "GET /api/v1/messages, workers down" 502 bad-gateway "Bad Gateway"
http POST /hooks/waha/1 -H 'Content-Type: application/json' -d '{}'
nginx_problem "POST /hooks/waha/1, workers down" 502 bad-gateway "Bad Gateway"
http GET /login
nginx_html "GET /login, workers down" 502
http GET /
nginx_html "GET /, workers down" 502

done_testing
