#!/bin/sh
# 0114-nginx-tls.t: the shipped site with its "#tls" lines turned on as docs/deploy.md says: HTTPS with HSTS, plain HTTP redirected, and the production default of Secure cookies (__Host-sid) signing in over HTTPS.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
[ -z "${WAPORTAL_TEST_SANITIZERS:-}" ] || { echo "1..0 # SKIP runs in the normal tree: nginx's configuration, no C code of ours beyond the other tests'"; exit 0; }
. "${top_srcdir:?}/t/lib/stack.sh"
command -v openssl >/dev/null || skip_all "openssl is not installed"

stack_start --workers 1 --tls
stack_customers 1 100 c@example.com >/dev/null || bail_out "seeding failed"
like "$BASE_URL" '^https://127\.0\.0\.1:[0-9]+$' "the stack answers on HTTPS"

http GET /healthz
is "$HTTP_STATUS" 200 "GET /healthz over HTTPS: 200"
like "$HTTP_HEAD" '^[Ss]trict-[Tt]ransport-[Ss]ecurity: max-age=31536000' "with HSTS (HTTP/2: names in lower case)"

# Plain HTTP: every path goes to HTTPS, query kept, nothing served.
code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$HTTP_URL/login?next=/contacts")
is "$code" "301 https://127.0.0.1/login?next=/contacts" "plain HTTP is redirected to HTTPS, path and query kept"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data 'email=c@example.com' "$HTTP_URL/login")
is "$code" 301 "a POST over plain HTTP is not served either"

# Signing in over HTTPS: the cookie is __Host-sid, Secure, and works.
jar=$STACK_DIR/jar
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
is "$HTTP_STATUS" 303 "sign-in over HTTPS: 303"
like "$HTTP_HEAD" '^[Ss]et-[Cc]ookie: __Host-sid=[^;]+;.*Secure' "the session cookie is __Host-sid with Secure"
http GET /dashboard -b "$jar"
is "$HTTP_STATUS" 200 "the signed-in dashboard answers 200"
like "$HTTP_BODY" 'Sign out|sign out|logout' "... signed in"

done_testing
