#!/bin/sh
# 0102-pages.t: the landing page, static files and security headers through nginx, and /lang redirects.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

csp="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; report-uri /csp-report"

# security_headers WHAT: the headers nginx adds to every response, once.
security_headers()
{
	is "$(header Content-Security-Policy)" "$csp" "$1: the CSP"
	is "$(header X-Content-Type-Options)" nosniff "$1: nosniff"
	is "$(header X-Frame-Options)" DENY "$1: X-Frame-Options DENY"
	like "$(header Referrer-Policy)" '^(same-origin|strict-origin-when-cross-origin)$' "$1: Referrer-Policy"
	is "$(header_count Content-Security-Policy)$(header_count X-Content-Type-Options)" 11 \
	    "$1: each security header once"
}

stack_start

http GET /
is "$HTTP_STATUS" 200 "GET /: 200"
is "$(header Content-Type)" "text/html; charset=utf-8" "GET /: text/html; charset=utf-8"
like "$HTTP_BODY" '<html lang="en"' 'GET /: <html lang="en">'
css=$(grep -o 'href="/static/waportal\.css[^"]*"' <<<"$HTTP_BODY" | head -n 1 | sed 's/^href="//; s/"$//')
like "$css" '^/static/waportal\.css' "GET /: links /static/waportal.css"
js=$(grep -o 'src="/static/[^"]*\.js[^"]*"' <<<"$HTTP_BODY" | head -n 1 | sed 's/^src="//; s/"$//')
security_headers "GET /"
unlike "$(header Content-Security-Policy)" "unsafe-inline|unsafe-eval" "GET /: the CSP allows no inline code"
# A strict CSP blocks inline code, so the page must not have any.
is "$(grep -o '<script[^>]*>' <<<"$HTTP_BODY" | grep -vc ' src=')" 0 "GET /: no inline <script>"
unlike "$HTTP_BODY" '<style|[[:space:]]style=' "GET /: no inline style"
unlike "$HTTP_BODY" '[[:space:]]on[a-z]+=' "GET /: no inline event handler"
like "$HTTP_BODY" '</html>' "GET /: the whole page"

http HEAD /
is "$HTTP_STATUS" 200 "HEAD /: 200"
is "$(wc -c <"$STACK_DIR/http.body")" 0 "HEAD /: no body"

http GET "$css"
is "$HTTP_STATUS" 200 "GET $css: served"
like "$(header Content-Type)" '^text/css(; charset=utf-8)?$' "GET $css: text/css"
like "$(header Cache-Control)" 'max-age=31536000' "GET $css: cached for a year"
like "$(header Cache-Control)" 'immutable' "GET $css: immutable"
security_headers "GET $css"
cmp_ok "$(wc -c <"$STACK_DIR/http.body")" -gt 100 "GET $css: the stylesheet"
like "$(grep -c . <<<"$(header Server)")$(header Server)" '^1nginx$' "GET $css: no nginx version in Server"

like "$js" '^/static/waportal\.js' "GET /: links /static/waportal.js"
http GET "$js"
is "$HTTP_STATUS" 200 "GET $js: served"
like "$(header Content-Type)" 'javascript' "GET $js: JavaScript"

http GET /static/no-such-file.css
is "$HTTP_STATUS" 404 "GET /static/no-such-file.css: 404 from nginx"
unlike "$(header Cache-Control)" immutable "a missing static file is not cached"
security_headers "404 from nginx"

http GET /static/../sql/0001_base.sql
isnt "$HTTP_STATUS" 200 "no way out of /static/ with .."

# The language switch: 303 to a local path, with a cookie.
http GET '/lang?set=id&next=/'
is "$HTTP_STATUS" 303 "GET /lang?set=id: 303"
is "$(header Location)" / "GET /lang?set=id&next=/: back to /"
like "$(header Set-Cookie)" '^lang=id(;|$)' "GET /lang?set=id: sets the lang cookie"
like "$(header Set-Cookie)" '[Pp]ath=/' "the lang cookie is for the whole site"
http GET / -H 'Cookie: lang=id'
like "$HTTP_BODY" '<html lang="id"' 'with lang=id the page is in Indonesian'
like "$HTTP_BODY" 'lang="id" aria-current="true">Bahasa' 'the switch marks Indonesian as current'
unlike "$HTTP_BODY" 'lang="en" aria-current' '... and only Indonesian'
http GET '/lang?set=en&next=/%23features'
is "$HTTP_STATUS" 303 "GET /lang?set=en&next=/#features: 303"

# Open redirects: only local paths. An unsafe next is replaced by /, not
# refused (docs/design.md): the language is still set.
for next in //evil.example https://evil.example http:evil.example \
    '/%5Cevil.example' '%2F%2Fevil.example' 'javascript:alert(1)' ''; do
	http GET "/lang?set=en&next=$next"
	is "$HTTP_STATUS $(header Location)" "303 /" "next=$next: no redirect off the site, / instead"
	like "$(header Set-Cookie)" '^lang=en(;|$)' "next=$next: the language is set all the same"
done

# Header injection through next: one response, no header of ours. Control
# bytes make next unsafe (303 to /); a NUL fails the whole query string
# (400, before any handler: 0103-errors).
for next in '/%0d%0aSet-Cookie:%20evil=1' '/%0aSet-Cookie:%20evil=1' \
    '/%0dSet-Cookie:%20evil=1' '/%0d%0a%0d%0a<html>evil' '/x%00y'; do
	http GET "/lang?set=en&next=$next"
	unlike "$HTTP_HEAD" 'evil' "next=$next: nothing injected into the headers"
	is "$(grep -c '^HTTP/' <<<"$HTTP_HEAD")" 1 "next=$next: a single response"
	if [ "$next" = '/x%00y' ]; then
		is "$HTTP_STATUS" 400 "next=$next: 400, a NUL in the query string"
	else
		is "$HTTP_STATUS $(header Location)" "303 /" "next=$next: 303 to /"
	fi
done
http GET '/lang?set=xx&next=/'
like "$HTTP_STATUS" '^(303|400)$' "an unknown language is refused or ignored"
unlike "$(header Set-Cookie)" 'lang=xx' "an unknown language is never stored"

done_testing
