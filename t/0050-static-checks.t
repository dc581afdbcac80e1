#!/bin/sh
# 0050-static-checks: source rules a reviewer would otherwise have to remember.
top=${top_srcdir:-.}
n=0; failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }

# SQL lives in the statement table only: no PQexec outside db.c, and no
# format or concatenation call with SQL keywords anywhere in src/.
hits=$(grep -n 'PQexec\b\|PQexec(' "$top"/src/*.c | grep -v '^[^:]*/db\.c:')
[ -z "$hits" ]; ok $? "PQexec is called from db.c only"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'
hits=$(grep -nE '(s?n?printf|asprintf|strcat|buf_(append|puts|printf))\s*\([^;]*"[^"]*\b(SELECT|INSERT|UPDATE|DELETE)\b' "$top"/src/*.c)
[ -z "$hits" ]; ok $? "no SQL is built with a format or concatenation call"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'

# Templates escape by default; a raw tag must be listed here with a reason.
# instance.mustache: {{{qr_svg}}} is made by qr.c (numbers and an
# escaped title only).
raw_allowed='{{{qr_svg}}}'
hits=$(grep -nE '\{\{\{|\{\{&' "$top"/src/templates/*.mustache | grep -v -F "${raw_allowed:-@none@}")
[ -z "$hits" ]; ok $? "templates use no raw (unescaped) tag outside the allowlist"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'

# No inline script or style: the CSP forbids them.
hits=$(grep -niE '<script>|<script [^>]*>[^<]|<style|[[:space:]]style=|[[:space:]]on[a-z]+=' "$top"/src/templates/*.mustache)
[ -z "$hits" ]; ok $? "templates hold no inline script, style or event handler"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'

# Every C file opens with a one-line purpose comment.
bad=''
for f in "$top"/src/*.c "$top"/src/*.h; do
	head -n 1 "$f" | grep -q '^/\* [a-z0-9_.-]*: .* \*/$' || bad="$bad $(basename "$f")"
done
[ -z "$bad" ]; ok $? "every source file starts with a purpose line"
[ -n "$bad" ] && echo "# missing:$bad"

# Allocation goes through the x* wrappers.
hits=$(grep -nE '(^|[^x_a-z])(malloc|calloc|realloc|strdup|strndup|asprintf)\(' "$top"/src/*.c | grep -v '^[^:]*/xmalloc\.c:')
[ -z "$hits" ]; ok $? "no direct malloc/calloc/realloc/strdup outside xmalloc.c"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'

# Every migration and template is installed (listed in Makefile.am).
missing=''
for f in "$top"/sql/*.sql "$top"/src/templates/*.mustache; do
	rel=${f#"$top"/}
	grep -q "$rel" "$top/Makefile.am" || missing="$missing $rel"
done
[ -z "$missing" ]; ok $? "every migration and template is listed for make install"
[ -n "$missing" ] && echo "# not listed:$missing"

echo "1..$n"
exit $failed
