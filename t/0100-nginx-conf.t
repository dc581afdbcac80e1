#!/bin/sh
# 0100-nginx-conf.t: the shipped nginx files pass nginx -t and keep their invariants (no stack needed).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
[ -z "${WAPORTAL_TEST_SANITIZERS:-}" ] || { echo "1..0 # SKIP runs in the normal tree: no C code of ours to check under the sanitizers"; exit 0; }
. "${top_srcdir:?}/t/lib/stack.sh"

command -v nginx >/dev/null || skip_all "nginx is not installed"
conf=$top_srcdir/nginx/waportal.conf
fcgi=$top_srcdir/nginx/waportal-fastcgi.conf
hdrs=$top_srcdir/nginx/waportal-headers.conf
errs=$top_srcdir/nginx/waportal-errors.conf
csp="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; report-uri /csp-report"

T=$(mktemp -d /tmp/waportal-nginx.XXXXXX) || bail_out "mktemp failed"
trap 'rm -rf "$T"' EXIT
stack_layout "$T"

# The production file, rewritten only where a test stack must differ
# (nginx -t binds the ports: free ones, so a running ./dev up is no problem).
p1=$(stack_free_port)
p2=$(stack_free_port)
stack_nginx_conf "$T" "$p1" "$top_srcdir/src/static" 2>"$T/rewrite.err"
ok $? "the rewrite for a test stack finds every installed path" ||
    diag "$(cat "$T/rewrite.err")"
out=$(stack_nginx_test "$T")
like "$out" "test is successful" "nginx -t accepts waportal.conf" || diag "$out"

# ./dev up keeps its stack in the checkout's var/, so its paths hold
# "/var/log/" and "/run/" further in: still the stack's own.
mkdir -p "$T/var" && stack_layout "$T/var"
stack_nginx_conf "$T/var" "$p1" "$top_srcdir/src/static" 2>"$T/rewrite-var.err"
ok $? "... and for a stack in a var/ directory (./dev up)" ||
    diag "$(cat "$T/rewrite-var.err")"
like "$(grep 'access_log' "$T/var/nginx/waportal.conf")" "access_log $T/var/log/nginx-access.log waportal_noquery;" \
    "... whose access log is the stack's, without query strings"

# The TLS example, uncommented as the file says, is valid too.
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
	    -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1
	sed -e "/^[[:space:]]*listen 127.0.0.1:$p1;/d" -e 's/^\([[:space:]]*\)#tls /\1/' \
	    -e "s#/etc/letsencrypt/live/portal.example.com/fullchain.pem#$T/cert.pem#" \
	    -e "s#/etc/letsencrypt/live/portal.example.com/privkey.pem#$T/key.pem#" \
	    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$p2 ssl http2;#" \
	    -e '/listen \[::\]/d' -e "s#^\([[:space:]]*\)listen 80;#\1listen 127.0.0.1:$p1;#" \
	    "$T/nginx/waportal.conf" >"$T/nginx/tls.conf"
	sed -i "s#include $T/nginx/waportal.conf;#include $T/nginx/tls.conf;#" "$T/nginx/nginx.conf"
	out=$(stack_nginx_test "$T")
	like "$out" "test is successful" "nginx -t accepts the TLS variant (#tls lines)" || diag "$out"
	like "$(grep -c 'ssl_certificate' "$T/nginx/tls.conf")" '^[2-9]' "the TLS variant has a certificate"
else
	ok 0 "# SKIP openssl is not installed"
	ok 0 "# SKIP openssl is not installed"
fi

# Dropped into Debian's stock nginx.conf (sites-enabled/ is included inside
# http{}), with only the snippet and static paths moved and, since nginx -t
# binds its ports, port 80 replaced by a free loopback port: the
# http{}-level lines at the top of the file work there.
if [ -f /etc/nginx/nginx.conf ] && grep -q 'include /etc/nginx/sites-enabled/\*;' /etc/nginx/nginx.conf; then
	D=$T/debian
	mkdir -p "$D/sites-enabled" "$D/conf.d"
	cp /etc/nginx/mime.types /etc/nginx/fastcgi_params "$D/"
	sed -e "s#/etc/nginx/#$D/#g" -e '/modules-enabled/d' -e "s#^pid .*#pid $D/nginx.pid;#" \
	    -e "s#/var/log/nginx/#$T/log/#g" /etc/nginx/nginx.conf >"$D/nginx.conf"
	sed -e "s#/usr/local/share/waportal/nginx/#$T/nginx/#g" \
	    -e "s#/usr/local/share/waportal/static/#$top_srcdir/src/static/#g" \
	    -e "s#^\([[:space:]]*\)listen 80;#\1listen 127.0.0.1:$(stack_free_port);#" \
	    -e '/^[[:space:]]*listen \[::\]:80;/d' \
	    "$conf" >"$D/sites-enabled/waportal.conf"
	out=$(nginx -t -p "$D/" -e "$T/log/debian-error.log" -c "$D/nginx.conf" 2>&1)
	like "$out" "test is successful" "nginx -t accepts it in Debian's stock nginx.conf" || diag "$out"
else
	ok 0 "# SKIP no Debian /etc/nginx/nginx.conf"
fi

# Each location of the server block, one line: "name fastcgi=N headers=N
# add_header=N static=N" (comments removed).
locations=$(sed 's/#.*//' "$conf" | awk '
	/^[ \t]*location[ \t]/ && depth == 1 { inloc = 1; name = $0; body = "" }
	inloc { body = body "\n" $0 }
	{ depth += gsub(/\{/, "{") - gsub(/\}/, "}") }
	inloc && depth == 1 {
		gsub(/^[ \t]*location[ \t]+|[ \t]*\{.*/, "", name)
		gsub(/[ \t]+/, "_", name)
		printf "%s fastcgi=%d headers=%d add_header=%d static=%d\n", name,
		    body ~ /include[^;]*waportal-fastcgi\.conf;/,
		    body ~ /include[^;]*waportal-headers\.conf;/,
		    body ~ /add_header/, body ~ /(alias|root|return)[ \t]/
		inloc = 0
	}')
like "$locations" '^/ fastcgi=1' "location / goes to the workers"
while read -r name rest; do
	case $rest in
	*fastcgi=1*|*static=1*) ok 0 "location $name: the fastcgi snippet, or served by nginx" ;;
	*) ok 1 "location $name: the fastcgi snippet, or served by nginx" ;;
	esac
	case $rest in
	*add_header=1*headers=0*|*headers=0*add_header=1*)
		ok 1 "location $name has add_header, so it includes the headers snippet" ;;
	*) ok 0 "location $name keeps the security headers" ;;
	esac
done <<<"$locations"
is "$(grep -v '^[[:space:]]*#' "$conf" | grep -c 'fastcgi_pass\|fastcgi_param')" 0 \
    "waportal.conf has no fastcgi_pass/fastcgi_param of its own (the snippet has them)"
is "$(grep -v '^[[:space:]]*#' "$conf" | grep -c 'add_header')" 1 \
    "waportal.conf adds only Cache-Control itself (the snippet has the rest)"
like "$(sed -n '/^server {/,/^}/p' "$conf" | grep -v '^[[:space:]]*#' | grep '^	include')" \
    'waportal-headers\.conf;' "the server block includes the headers snippet"

# The fastcgi snippet.
like "$(cat "$fcgi")" '^include fastcgi_params;' "the snippet includes fastcgi_params"
like "$(cat "$fcgi")" '^fastcgi_param HTTP_PROXY "";' "the snippet blanks HTTP_PROXY (httpoxy)"
is "$(grep -c '^fastcgi_pass unix:/run/waportal/fcgi.sock;' "$fcgi")" 1 \
    "the snippet passes to /run/waportal/fcgi.sock"

# The headers snippet.
is "$(grep -c '^add_header' "$hdrs")" "$(grep -c '^add_header.* always;$' "$hdrs")" \
    "every security header is sent with 'always' (also on errors)"
is "$(sed -n "s/^add_header Content-Security-Policy \"\(.*\)\" always;/\1/p" "$hdrs")" "$csp" \
    "the CSP is the documented one"
unlike "$(cat "$hdrs")" "unsafe-inline|unsafe-eval" "the CSP allows no inline script or style"
like "$(cat "$hdrs")" '^add_header X-Content-Type-Options "nosniff" always;' "nosniff"
like "$(cat "$hdrs")" '^add_header X-Frame-Options "DENY" always;' "X-Frame-Options DENY"
like "$(cat "$hdrs")" '^add_header Referrer-Policy "(same-origin|strict-origin-when-cross-origin)" always;' \
    "Referrer-Policy"

# The errors snippet: nginx's own errors are problem documents on /api/
# and /hooks/ and its HTML pages elsewhere (t/0112 checks them served).
like "$(sed -n '/^server {/,/^}/p' "$conf" | grep -v '^[[:space:]]*#' | grep '^	include')" \
    'waportal-errors\.conf;' "the server block includes the errors snippet"
like "$(cat "$conf")" '^map \$request \$waportal_error_kind \{' \
    "waportal.conf defines \$waportal_error_kind (http level)"
statuses=$(sed -n 's#^error_page \([0-9 ]*\) /\.waportal-error/\$waportal_error_kind/\$status;$#\1#p' "$errs")
for s in 400 405 413 414 429 500 502 503 504; do
	like " $statuses " " $s " "error_page sends nginx's $s through the snippet"
done
for s in $statuses; do
	f=$top_srcdir/nginx/problems/$s.json
	if command -v jq >/dev/null; then
		jq -e --argjson s "$s" '(keys == ["detail", "status", "title", "type"]) and
		    .status == $s and (.type | test("^/docs/api#problem-[a-z-]+$")) and
		    (.title | length > 0) and (.detail | length > 0)' "$f" >/dev/null 2>&1
		ok $? "problems/$s.json: RFC 9457 type, title, status $s and detail"
	else
		ok 0 "# SKIP jq is not installed"
	fi
	grep -qxF "	location = /.waportal-error/html/$s { internal; return $s; }" "$errs"
	ok $? "... and the HTML side returns $s, for nginx's own page"
done
is "$(cd "$top_srcdir/nginx/problems" && ls *.json | sed 's/\.json$//' | sort | tr '\n' ' ')" \
    "$(printf '%s\n' $statuses | sort | tr '\n' ' ')" "every problem document is one error_page sends to"
is "$(sed 's/#.*//' "$errs" | awk '/location/ { n++; if ($0 ~ /internal;/) i++; else want = 1; next }
    want { if ($1 == "internal;") i++; want = 0 } END { print n - i }')" 0 \
    "every location of the errors snippet is internal"
like "$(sed -n '/location ~/,/^	}$/p' "$errs")" 'include [^;]*waportal-headers\.conf;' \
    "the problem documents' location, which adds Cache-Control, keeps the security headers"

# Limits.
like "$(sed -n '/^server {/,/^}/p' "$conf")" '^	client_max_body_size 1m;' \
    "the server's body limit is 1m"
like "$(sed -n '/location = \/profile\/avatar/,/}/p' "$conf")" 'client_max_body_size 3m;' \
    "the avatar upload allows 3m"
like "$(sed -n '/location = \/login/,/}/p' "$conf")" 'limit_req zone=waportal_login burst=5 nodelay;' \
    "/login is rate limited"
like "$(cat "$conf")" '^limit_req_zone .* zone=waportal_login:10m rate=10r/m;' \
    "the login zone is defined (http level)"
like "$(cat "$conf")" '^	limit_req_status 429;' "rate limiting answers 429, not 503"
like "$(sed -n '/location \/static\//,/}/p' "$conf")" 'Cache-Control "public, max-age=31536000, immutable"' \
    "static files are cached for a year, immutable"

# The paths in the files are the ones make install uses.
like "$(cat "$top_srcdir/nginx/local.mk")" '^nginxdir = \$\(pkgdatadir\)/nginx' \
    "nginx/local.mk installs nginx/ to \$(pkgdatadir)/nginx"
for f in waportal.conf waportal-fastcgi.conf waportal-headers.conf waportal-errors.conf; do
	like "$(sed -n '/^dist_nginx_DATA/,/[^\\]$/p' "$top_srcdir/nginx/local.mk")" "nginx/$f" \
	    "dist_nginx_DATA installs nginx/$f"
done
for f in "$top_srcdir"/nginx/problems/*.json; do
	like "$(sed -n '/^dist_nginxproblems_DATA/,/[^\\]$/p' "$top_srcdir/nginx/local.mk")" \
	    "nginx/problems/${f##*/}" "dist_nginxproblems_DATA installs nginx/problems/${f##*/}"
done

done_testing
