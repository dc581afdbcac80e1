#!/bin/sh
# 0104-readyz.t: /readyz follows pending migrations and the database going away and coming back.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

# readyz_is STATUS: wait up to 5 s for GET /readyz to answer STATUS.
readyz_is()
{
	wait_for 5 eval 'http GET /readyz; [ "$HTTP_STATUS" = '"$1"' ]'
}

# The workers expect one migration more than the database has.
stack_sql_copy 9999_pending_probe.sql "CREATE TABLE pending_probe (id int);"
sqlcopy=$STACK_SQL_COPY
stack_start --workers 2 --sql-dir "$sqlcopy"

http GET /readyz
is "$HTTP_STATUS" 503 "a migration is pending: /readyz 503"
like "$(header Content-Type)" '^application/json' "/readyz 503: JSON"
is "$(jq -r .status <<<"$HTTP_BODY" 2>&1)" unavailable "/readyz 503: status unavailable"
like "$(jq -r .reason <<<"$HTTP_BODY" 2>&1)" '[Mm]igration|pending' "/readyz 503: the reason says so"
unlike "$HTTP_BODY" 'pending_probe|9999' "/readyz 503: no file or table names"
http GET /healthz
is "$HTTP_STATUS" 200 "a migration is pending: /healthz still 200"

out=$(WAPORTAL_SQL_DIR=$sqlcopy "$STACK_BIN/waportalctl" migrate --status 2>&1)
like "$out" '^pending +9999_pending_probe\.sql' "migrate --status: the new file is pending" || diag "$out"
like "$out" '^applied +0001_base\.sql +[0-9]' "migrate --status: 0001_base.sql applied, with its time"
out=$(WAPORTAL_SQL_DIR=$sqlcopy "$STACK_BIN/waportalctl" migrate 2>&1)
ok $? "waportalctl migrate applies it" || diag "$out"
readyz_is 200
ok $? "after the migration: /readyz 200 (no worker restart)"

# An applied file edited since: not ready, and the reason says so.
cp "$sqlcopy/9999_pending_probe.sql" "$STACK_DIR/probe.keep"
echo "-- edited" >>"$sqlcopy/9999_pending_probe.sql"
http GET /readyz
is "$HTTP_STATUS $(jq -r .reason <<<"$HTTP_BODY" 2>&1)" "503 a migration file changed since it was applied" \
    "an applied migration file edited since: /readyz 503 with that reason"
cp "$STACK_DIR/probe.keep" "$sqlcopy/9999_pending_probe.sql"
readyz_is 200
ok $? "the file restored: /readyz 200"

# The database goes away and comes back; the workers stay.
before=$(worker_pids | tr '\n' ' ')
pg_stop
ok $? "PostgreSQL stopped"
http GET /readyz
is "$HTTP_STATUS" 503 "database down: /readyz 503"
is "$(jq -r .status <<<"$HTTP_BODY" 2>&1)" unavailable "database down: status unavailable"
like "$(jq -r .reason <<<"$HTTP_BODY" 2>&1)" '.' "database down: a reason"
unlike "$HTTP_BODY" "$STACK_DIR|PGSQL|socket" "database down: no connection details in the body"
http GET /readyz
is "$HTTP_STATUS" 503 "database down: /readyz 503 on the other worker too"
http GET /healthz
is "$HTTP_STATUS" 200 "database down: /healthz 200"
http GET /
is "$HTTP_STATUS" 200 "database down: the landing page still renders"
cookie='Cookie: sid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
http GET /healthz -H "$cookie"
is "$HTTP_STATUS" 200 "database down: /healthz with a session cookie 200 (never looks it up)"
http GET / -H "$cookie"
is "$HTTP_STATUS" 200 "database down: the landing page with a session cookie still renders"
http GET /dashboard -H "$cookie"
is "$HTTP_STATUS" 503 "database down: a signed-in page is a clean 503"
like "$(header Content-Type)" '^text/html' "... an HTML page"
like "$(grep 'route=dashboard status=503' "$STACK_DIR"/log/workers.log | tail -n 1)" 'db="connect: ' \
    "... whose log line says the database could not be reached, and why"
pg_start
ok $? "PostgreSQL started again"
readyz_is 200
ok $? "database back: /readyz 200 within 5 s"
for i in 1 2 3 4; do
	http GET /readyz
	[ "$HTTP_STATUS" = 200 ] || break
done
is "$HTTP_STATUS" 200 "database back: /readyz 200 on every worker"
is "$(worker_pids | tr '\n' ' ')" "$before" "the same workers throughout (no restart)"

done_testing
