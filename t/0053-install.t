#!/bin/sh
# 0053-install.t: make install puts every program, template, migration, static file, nginx snippet and problem document where docs/deploy.md says; make uninstall takes them away again.
[ -z "${WAPORTAL_TEST_SANITIZERS:-}" ] || { echo "1..0 # SKIP runs in the normal tree: no C code of ours to check under the sanitizers"; exit 0; }
top=${top_srcdir:-.}
build=${top_builddir:-.}
n=0; failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
prefix=$(sed -n 's/^prefix = //p' "$build/Makefile")
data=$tmp$prefix/share/waportal
make -s -C "$build" install DESTDIR="$tmp" >"$tmp/install.log" 2>&1
ok $? "make install DESTDIR=... succeeds"
for p in waportal-fcgi waportal-dispatch waportal-runner waportalctl waportal-gwsim; do
	[ -x "$tmp$prefix/bin/$p" ]; ok $? "bin/$p is installed"
done
missing=''
for f in "$top"/src/templates/*.mustache "$top"/sql/[0-9]*.sql \
    "$top"/src/static/* "$top"/nginx/*.conf "$top"/nginx/problems/*.json; do
	case $f in
	*/templates/*) d=templates ;;
	*/sql/*) d=sql ;;
	*/static/*) d=static ;;
	*/nginx/problems/*) d=nginx/problems ;;
	*/nginx/*) d=nginx ;;
	esac
	cmp -s "$f" "$data/$d/${f##*/}" || missing="$missing $d/${f##*/}"
done
[ -z "$missing" ]; ok $? "every template, migration, static file, nginx file and problem document is installed as is"
[ -n "$missing" ] && echo "# missing or different:$missing"
cmp -s "$top/docs/openapi.json" "$data/api/openapi.json"
ok $? "the OpenAPI document is installed"
make -s -C "$build" uninstall DESTDIR="$tmp" >>"$tmp/install.log" 2>&1
ok $? "make uninstall succeeds"
left=$(find "$tmp$prefix" -type f | sed "s|^$tmp||")
[ -z "$left" ]; ok $? "make uninstall leaves no file behind"
[ -n "$left" ] && echo "$left" | sed 's/^/# left: /'

# The environment file as docs/deploy.md shows it, loaded the way it says
# a shell loads it: every variable with its whole value.
sed -n '/^    # \/etc\/waportal\/env:/,/^$/ s/^    //p' "$top/docs/deploy.md" >"$tmp/env"
grep -q '^DATABASE_URL=' "$tmp/env"; ok $? "docs/deploy.md shows an environment file"
got=$(env -i /bin/bash -c 'set -a; . "$1"; set +a; printf "%s|%s" "$DATABASE_URL" "$WAPORTAL_MAX_REQUESTS"' sh "$tmp/env" 2>&1)
[ "$got" = "host=/run/postgresql dbname=waportal user=waportal|0" ]
ok $? "a shell loads it whole: set -a; . /etc/waportal/env ($got)"
bad=$(grep -v '^#' "$tmp/env" | grep -v '^$' | grep -Ev '^[A-Z_]+=("[^"$`\\]*"|[^ "$`\\]*)$')
[ -z "$bad" ]; ok $? "each value is one word or double-quoted, as systemd's EnvironmentFile= reads it too"
[ -n "$bad" ] && echo "# not portable: $bad"
echo "1..$n"
exit $failed
