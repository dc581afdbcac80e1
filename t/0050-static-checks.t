#!/bin/sh
# 0050-static-checks: source rules a reviewer would otherwise have to remember.
top=${top_srcdir:-.}
n=0; failed=0
# Every C source and header, in every folder of src/.
srcs=$(find "$top/src" -name '*.[ch]' | sort)
csrcs=$(echo "$srcs" | grep '\.c$')
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }

# SQL lives in the statement table only: no PQexec outside db.c, and no
# format or concatenation call with SQL keywords anywhere in src/.
hits=$(grep -n 'PQexec\b\|PQexec(' $csrcs | grep -v '^[^:]*/db\.c:')
[ -z "$hits" ]; ok $? "PQexec is called from db.c only"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'
hits=$(grep -nE '(s?n?printf|asprintf|strcat|buf_(append|puts|printf))\s*\([^;]*"[^"]*\b(SELECT|INSERT|UPDATE|DELETE)\b' $csrcs)
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
for f in $srcs; do
	head -n 1 "$f" | grep -q '^/\* [a-z0-9_.-]*: .* \*/$' || bad="$bad $(basename "$f")"
done
[ -z "$bad" ]; ok $? "every source file starts with a purpose line"
[ -n "$bad" ] && echo "# missing:$bad"

# Allocation goes through the x* wrappers.
hits=$(grep -nE '(^|[^x_a-z])(malloc|calloc|realloc|strdup|strndup|asprintf)\(' $csrcs | grep -v '^[^:]*/xmalloc\.c:')
[ -z "$hits" ]; ok $? "no direct malloc/calloc/realloc/strdup outside xmalloc.c"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'

# Folders are link units: a file includes headers of its own folder and
# of the folders below it only (docs/design.md). core is under all;
# the dispatcher, waportalctl and the simulator never see the web layer.
layer_ok()
{
	case $1 in
	core) echo 'core' ;;
	gw) echo 'core gw' ;;
	web) echo 'core web' ;;
	portal|hook) echo "core gw web $1" ;;
	api) echo 'core gw web api' ;;
	fcgi) echo 'core gw web portal api hook fcgi' ;;
	dispatch) echo 'core gw dispatch' ;;
	ctl) echo 'core ctl' ;;
	gwsim) echo 'core gwsim' ;;
	esac
}
bad=''
for f in $srcs; do
	dir=${f#"$top"/src/}
	dir=${dir%%/*}
	allowed=" $(layer_ok "$dir") "
	for inc in $(sed -n 's|^#include "\([a-z]*\)/.*|\1|p' "$f"); do
		case $allowed in
		*" $inc "*) ;;
		*) bad="$bad ${f#"$top"/}:$inc" ;;
		esac
	done
done
[ -z "$bad" ]; ok $? "each folder includes only the folders it may link"
[ -n "$bad" ] && echo "# crosses a layer:$bad"

echo "1..$n"
exit $failed
