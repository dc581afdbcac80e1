#!/bin/sh
# 0090-statements.t: every statement of every program prepares on the migrated schema, takes the parameters it declares, returns the columns its module names (in order), and has a name of its own.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1
out=$("$top_builddir/t/modcheck" sql 2>&1)
rc=$?
[ -n "$out" ]; ok $? "modcheck lists the statements" || diag "$out"
while IFS=$'\t' read -r owner name verdict; do
	[ -n "$name" ] || continue
	[ "$verdict" = ok ]
	ok $? "$owner: $name ($verdict)"
done <<<"$out"
is "$rc" 0 "modcheck sql finds nothing wrong"
done_testing
