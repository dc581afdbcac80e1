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
# The systemd units and the tmpfiles.d file, where docs/deploy.md says,
# each unit exactly as the guide shows it (with this build's prefix),
# accepted by systemd-analyze.
units=$tmp$prefix/lib/systemd/system
for u in waportal-fcgi waportal-dispatch waportal-runner; do
	f=$units/$u.service
	[ -f "$f" ]; ok $? "$u.service is installed in $prefix/lib/systemd/system"
	sed -n "/^    # $u.service: installed by make install/,/^[^ ]/ { /^[^ ]/d; s/^    //; p; }" \
	    "$top/docs/deploy.md" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' \
	    | sed "s|/usr/local/|$prefix/|g" >"$tmp/$u.doc"
	cmp -s "$tmp/$u.doc" "$f"; ok $? "$u.service is the unit docs/deploy.md shows"
	[ -s "$tmp/$u.doc" ] || echo "# no $u.service in docs/deploy.md"
	if command -v systemd-analyze >/dev/null; then
		sed "s|$prefix/bin/|$tmp$prefix/bin/|g" "$f" >"$tmp/$u.service"
		out=$(systemd-analyze verify "$tmp/$u.service" 2>&1)
		[ $? = 0 ] && [ -z "$out" ]; ok $? "systemd-analyze verify accepts $u.service"
		[ -n "$out" ] && echo "$out" | sed 's/^/# /'
	else
		ok 0 "# SKIP systemd-analyze is not installed"
	fi
done
grep -qx 'd /run/waportal 0750 waportal www-data -' "$tmp$prefix/lib/tmpfiles.d/waportal.conf"
ok $? "tmpfiles.d/waportal.conf makes /run/waportal for the workers' socket"
# The logrotate file (machines without systemd), as docs/deploy.md shows
# it, accepted by logrotate's dry run.
lr=$tmp$prefix/etc/logrotate.d/waportal
sed -n '/^    # \/etc\/logrotate.d\/waportal$/,/^    }$/ s/^    //p' "$top/docs/deploy.md" >"$tmp/logrotate.doc"
[ -s "$tmp/logrotate.doc" ] && cmp -s "$tmp/logrotate.doc" "$lr"
ok $? "logrotate.d/waportal is installed in $prefix/etc and is the file docs/deploy.md shows"
if command -v logrotate >/dev/null; then
	sed "s|/var/log/waportal/|$tmp/log/|" "$lr" >"$tmp/logrotate.conf"
	mkdir -p "$tmp/log" && echo x >"$tmp/log/fcgi.log"
	logrotate -d -s "$tmp/logrotate.state" "$tmp/logrotate.conf" >"$tmp/logrotate.out" 2>&1
	ok $? "logrotate's dry run accepts it" || sed 's/^/# /' "$tmp/logrotate.out"
else
	ok 0 "# SKIP logrotate is not installed"
fi
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
