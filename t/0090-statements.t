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

# One clock (sql/0009_clock.sql): no function or column default of the
# migrated schema reads now() but wa_now() itself (the migrator's own
# schema_migrations is made before any migration, so before wa_now()).
is "$(sql "SELECT string_agg(p.proname, ' ' ORDER BY p.proname) FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND p.proname <> 'wa_now'
    AND p.prosrc ~ '(^|[^a-z_])now\(\)'")" "" "no function reads now() but wa_now()"
is "$(sql "SELECT string_agg(a.adrelid::regclass || '.' || c.attname, ' ') FROM pg_attrdef a
    JOIN pg_attribute c ON c.attrelid = a.adrelid AND c.attnum = a.adnum
    WHERE a.adrelid <> 'schema_migrations'::regclass
    AND pg_get_expr(a.adbin, a.adrelid) ~ '(^|[^a-z_])now\(\)'")" "" "no column default is now()"
done_testing
