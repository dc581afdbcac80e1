#!/bin/sh
# 0109-origin.t: the same-origin check of unsafe requests without Sec-Fetch-Site compares the whole Origin (scheme, host, port) with the portal's own origin, never with the client's Host, on a non-default port (issue 11, item 1).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

STACK_LOGIN_RATE=6000r/m
stack_start --workers 1
stack_customers 1 100 cust@example.com || bail_out "cannot seed a customer"
port=${BASE_URL##*:}
[ "$port" != 80 ]; ok $? "the stack listens on a non-default port ($port)"

# post_login ORIGIN [CURL ARGS]: sign in with a wrong password, the given
# Origin and no Sec-Fetch-Site (an older browser or an HTTP client).
post_login()
{
	local origin=$1
	shift
	http POST /login -H "Origin: $origin" "$@" \
	    --data-urlencode "email=cust@example.com" \
	    --data-urlencode "password=wrong password"
}

post_login "http://127.0.0.1:$port"
is "$HTTP_STATUS" 401 "the portal's own origin with its port: the form is checked (401, not 403)"
post_login "HTTP://127.0.0.1:$port"
is "$HTTP_STATUS" 401 "... the scheme in capitals is the same origin"
http POST /login -H "Origin: http://127.0.0.1:$port" \
    --data-urlencode "email=cust@example.com" --data-urlencode "password=$STACK_PW"
is "$HTTP_STATUS" 303 "... and a right password signs in"

post_login "https://127.0.0.1:$port"
is "$HTTP_STATUS" 403 "another scheme, same host and port: 403"
post_login "http://127.0.0.1:$((port + 1))"
is "$HTTP_STATUS" 403 "another port: 403"
post_login "http://127.0.0.1"
is "$HTTP_STATUS" 403 "no port (80 for http): 403"
post_login "http://evil.example:$port"
is "$HTTP_STATUS" 403 "another host: 403"
post_login "null"
is "$HTTP_STATUS" 403 "an opaque origin (null): 403"
post_login "http://evil.example" -H "Host: evil.example"
is "$HTTP_STATUS" 403 "an Origin that matches a forged Host header: 403"
post_login "http://127.0.0.1:$port.evil.example"
is "$HTTP_STATUS" 403 "the portal's origin as a prefix of another host: 403"

# Sec-Fetch-Site, when sent, decides alone.
post_login "https://evil.example" -H 'Sec-Fetch-Site: same-origin'
is "$HTTP_STATUS" 401 "Sec-Fetch-Site: same-origin is trusted as it was"
post_login "http://127.0.0.1:$port" -H 'Sec-Fetch-Site: cross-site'
is "$HTTP_STATUS" 403 "Sec-Fetch-Site: cross-site is refused whatever the Origin"
done_testing
