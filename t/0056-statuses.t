#!/bin/sh
# 0056-statuses.t: every HTTP status the code can answer goes out with its RFC 9110 reason phrase (429: RFC 6585), in the status line and as a problem's title (issue 11, item 4).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

# RFC 9110 section 15's phrases for what a web application may send.
declare -A rfc=(
	[200]="OK" [201]="Created" [202]="Accepted" [204]="No Content"
	[301]="Moved Permanently" [302]="Found" [303]="See Other"
	[304]="Not Modified" [307]="Temporary Redirect"
	[308]="Permanent Redirect" [400]="Bad Request" [401]="Unauthorized"
	[403]="Forbidden" [404]="Not Found" [405]="Method Not Allowed"
	[406]="Not Acceptable" [408]="Request Timeout" [409]="Conflict"
	[410]="Gone" [411]="Length Required" [412]="Precondition Failed"
	[413]="Content Too Large" [414]="URI Too Long"
	[415]="Unsupported Media Type" [422]="Unprocessable Content"
	[428]="Precondition Required" [429]="Too Many Requests"
	[431]="Request Header Fields Too Large"
	[500]="Internal Server Error" [501]="Not Implemented"
	[502]="Bad Gateway" [503]="Service Unavailable"
	[504]="Gateway Timeout"
)

# The statuses the worker's code answers with: returned by a handler or
# a check, or given to a function of the request ("(r, 422").
code=$(grep -rhoE '(return|[a-z_]+\([a-z]+, *|status = |rc = ) ?[1-5][0-9][0-9]\b' \
    "$top_srcdir/src" --include='*.c' --exclude-dir=gwsim --exclude-dir=gw |
    grep -oE '[1-5][0-9][0-9]$' | sort -un)
[ -n "$code" ]; ok $? "the code's statuses are found ($(echo $code))"
for s in $code ${!rfc[@]}; do
	echo "$s"
done | sort -un >"${TMPDIR:-/tmp}/statuses.$$"
while read -r s; do
	got=$("$top_builddir/t/modcheck" reasons "$s")
	want="${rfc[$s]:-}"
	[ -n "$want" ]; ok $? "$s is one of RFC 9110's statuses" || continue
	is "$got" "$s known $want" "$s goes out as \"$s $want\""
done <"${TMPDIR:-/tmp}/statuses.$$"
rm -f "${TMPDIR:-/tmp}/statuses.$$"

# And on the wire, through nginx: a 422 of the API and its problem title.
stack_start --workers 1
stack_customers 1 100 a@example.com || bail_out "cannot seed a customer"
read -r key _ < <(newkey 1 '{messages:send}')
api POST /api/v1/messages "$key" -H 'Content-Type: application/json' \
    --data-binary '{"to":"+6281234567890","text":""}'
is "$HTTP_STATUS" 422 "a message without text: 422"
like "$(head -1 <<<"$HTTP_HEAD")" '^HTTP/1\.1 422 Unprocessable Content$' \
    "... its status line says Unprocessable Content"
is "$(jq -r .title <<<"$HTTP_BODY")" "Unprocessable Content" "... and so does the problem's title"
http GET "/api/v1/messages?limit=0" -H "Authorization: Bearer nope"
is "$HTTP_STATUS" 401 "an API call with a bad key: 401"
like "$(head -1 <<<"$HTTP_HEAD")" '^HTTP/1\.1 401 Unauthorized$' "... its status line says Unauthorized"
http GET /no-such-page
like "$(head -1 <<<"$HTTP_HEAD")" '^HTTP/1\.1 404 Not Found$' "a 404's status line"
done_testing
