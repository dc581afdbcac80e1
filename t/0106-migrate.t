#!/bin/sh
# 0106-migrate.t: waportalctl migrate: --status, two runs at once apply each file once, an applied file edited since is refused, a failing file changes nothing.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_sql_copy 9998_probe.sql "CREATE TABLE migrate_probe (n int);
INSERT INTO migrate_probe VALUES (1);"
sqlcopy=$STACK_SQL_COPY
stack_start --workers 1

# A second, empty database in the stack's cluster.
stack_psql "$STACK_DIR" -d postgres -c 'CREATE DATABASE waportal_m OWNER waportal'
ok $? "created an empty database"
url=$(stack_conninfo "$STACK_DIR" waportal_m)
nfiles=$(ls "$sqlcopy"/*.sql | wc -l)

# ctl ARGS...: waportalctl on that database and the copy of sql/.
ctl()
{
	DATABASE_URL=$url WAPORTAL_SQL_DIR=$sqlcopy "$STACK_BIN/waportalctl" "$@"
}

out=$(ctl migrate --status 2>&1)
ok $? "migrate --status on an empty database" || diag "$out"
is "$(grep -c '^pending  *[0-9][0-9][0-9][0-9]_.*\.sql$' <<<"$out")" "$nfiles" \
    "--status: all $nfiles files pending" || diag "$out"

# Two at once: the advisory lock makes one wait for the other.
ctl migrate >"$STACK_DIR/m1.out" 2>&1 &
p1=$!
ctl migrate >"$STACK_DIR/m2.out" 2>&1 &
p2=$!
wait "$p1"
is $? 0 "the first of two concurrent migrate runs succeeds" || diag "$(cat "$STACK_DIR/m1.out")"
wait "$p2"
is $? 0 "the second succeeds too" || diag "$(cat "$STACK_DIR/m2.out")"
is "$(stack_psql "$STACK_DIR" -d waportal_m -c 'SELECT count(*) FROM migrate_probe')" 1 \
    "each migration ran once"

out=$(ctl migrate --status 2>&1)
is "$(grep -c '^applied  *[0-9][0-9][0-9][0-9]_.*\.sql  *[0-9]' <<<"$out")" "$nfiles" \
    "--status: all $nfiles files applied, with a time" || diag "$out"
is "$(awk '{ print $2 }' <<<"$out" | sort | uniq -d)" "" "--status: each file listed once"
is "$(awk '{ print $2 }' <<<"$out" | tr '\n' ' ')" "$(cd "$sqlcopy" && ls *.sql | tr '\n' ' ')" \
    "--status: in file order"

out=$(ctl migrate 2>&1)
ok $? "a third run has nothing to do and succeeds" || diag "$out"
is "$(stack_psql "$STACK_DIR" -d waportal_m -c 'SELECT count(*) FROM migrate_probe')" 1 \
    "and applies nothing again"

# Each applied file's SHA-256 is kept; a file edited after it was applied
# is never applied again: --status says so, migrate refuses and names it.
is "$(stack_psql "$STACK_DIR" -d waportal_m -c "SELECT count(*) FROM schema_migrations WHERE sha256 ~ '^[0-9a-f]{64}\$'")" \
    "$nfiles" "every applied file's SHA-256 is recorded"
is "$(stack_psql "$STACK_DIR" -d waportal_m -c "SELECT sha256 FROM schema_migrations WHERE name = '9998_probe.sql'")" \
    "$(sha256sum "$sqlcopy/9998_probe.sql" | cut -d' ' -f1)" "... the file's own"
cp "$sqlcopy/9998_probe.sql" "$STACK_DIR/probe.keep"
echo "INSERT INTO migrate_probe VALUES (2);" >>"$sqlcopy/9998_probe.sql"
out=$(ctl migrate --status 2>&1)
like "$out" '^changed  *9998_probe\.sql  *[0-9]' "--status: an applied file edited since is 'changed'" || diag "$out"
is "$(grep -c '^changed' <<<"$out")" 1 "... and only that one"
out=$(ctl migrate 2>&1)
isnt $? 0 "migrate refuses while an applied file has changed"
like "$out" '9998_probe\.sql changed since it was applied' "... naming the file" || diag "$out"
like "$out" 'new one' "... and saying what to do"
is "$(stack_psql "$STACK_DIR" -d waportal_m -c 'SELECT count(*) FROM migrate_probe')" 1 \
    "... and runs nothing of it again"
cp "$STACK_DIR/probe.keep" "$sqlcopy/9998_probe.sql"
out=$(ctl migrate 2>&1)
ok $? "the file restored: migrate succeeds again" || diag "$out"

# Rows applied before sums were kept get their file's sum at the next run.
stack_psql "$STACK_DIR" -d waportal_m -c "UPDATE schema_migrations SET sha256 = NULL WHERE name = '0001_base.sql'" >/dev/null
is "$(ctl migrate --status 2>&1 | grep -c '^changed')" 0 "a row without a sum is never 'changed'"
ctl migrate >/dev/null 2>&1
is "$(stack_psql "$STACK_DIR" -d waportal_m -c "SELECT sha256 FROM schema_migrations WHERE name = '0001_base.sql'")" \
    "$(sha256sum "$sqlcopy/0001_base.sql" | cut -d' ' -f1)" "... and migrate records it"

# A failing file: non-zero exit, a message naming it, nothing of it kept.
printf '%s\n' "CREATE TABLE broken_probe (n int);" "SELECT no_such_function();" \
    >"$sqlcopy/9999_broken.sql"
chmod 644 "$sqlcopy/9999_broken.sql"
out=$(ctl migrate 2>&1)
isnt $? 0 "a failing migration makes migrate fail"
like "$out" '9999_broken\.sql' "the message names the file" || diag "$out"
is "$(stack_psql "$STACK_DIR" -d waportal_m -c "SELECT to_regclass('broken_probe') IS NULL")" t \
    "the failed file left nothing behind (one transaction)"
like "$(ctl migrate --status 2>&1)" '^pending  *9999_broken\.sql' "--status: it is still pending"

# A missing directory or an unreachable database is an error, with a message.
out=$(DATABASE_URL=$url WAPORTAL_SQL_DIR=$STACK_DIR/no-such-dir "$STACK_BIN/waportalctl" migrate 2>&1)
isnt $? 0 "a missing sql directory is an error"
out=$(DATABASE_URL="host=$STACK_DIR/nowhere dbname=x" "$STACK_BIN/waportalctl" migrate 2>&1)
isnt $? 0 "an unreachable database is an error"
like "$out" '.' "with a message"

done_testing
