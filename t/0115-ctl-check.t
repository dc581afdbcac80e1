#!/bin/sh
# 0115-ctl-check.t: waportalctl check says in one command whether a deployment works: database, migrations, the dispatcher's heartbeat, the gateway hosts, the workers' socket; exit 1 while anything fails.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

[ -x "${top_builddir:?}/src/waportal-gwsim" ] || skip_all "simulator not built"
STACK_ENV="WAPORTAL_PROBE_INTERVAL=1"
stack_start --workers 1
CTL=$STACK_BIN/waportalctl
sock=$STACK_DIR/run/fcgi.sock
# check ARGS...: OUT (stdout), RC.
check() { OUT=$("$CTL" check "$@" 2>"$STACK_DIR/check.err"); RC=$?; }
line() { grep "^[a-zA-Z]* *$1 " <<<"$OUT"; }
napplied=$(ls "$top_srcdir"/sql/[0-9]*.sql | wc -l)

# A fresh install: no dispatcher, no host yet.
check --socket "$sock"
is "$RC" 1 "nothing sends yet: exit 1"
like "$(line database)" '^ok +database +reachable$' "the database is reachable"
like "$(line migrations)" "^ok +migrations +$napplied applied, none pending\$" "every migration applied"
like "$(line dispatcher)" '^FAIL +dispatcher +none runs' "no dispatcher: FAIL, and what to start"
like "$(line hosts)" '^FAIL +hosts +0 enabled.*host add' "no host: FAIL, and the command that adds one"
like "$(line socket)" "^ok +socket +$sock: the workers accept \\(mode 0660, group " "the socket accepts, with its mode and group"
is "$(wc -l <<<"$OUT")" 5 "one line per check"

# Everything up: a host on the simulator, probed; a dispatcher beating.
stack_gwsim_start check-key || bail_out "simulator did not start"
stack_host sim base_url="$GWSIM_URL" api_key=check-key >/dev/null
stack_dispatch_start || bail_out "no dispatcher"
wait_for 20 eval '[ "$(sql "SELECT status FROM hosts WHERE name = '"'sim'"'")" = up ]'
check --socket "$sock"
is "$RC" 0 "all up: exit 0" || diag "$OUT"
like "$(line dispatcher)" '^ok +dispatcher +alive: last heartbeat [0-9]+ s ago$' "the dispatcher is alive"
like "$(line hosts)" '^ok +hosts +1 enabled, 1 up, none down$' "the host is up"

# A host that does not answer: probed down, named.
stack_host dead >/dev/null
wait_for 20 eval '[ "$(sql "SELECT status FROM hosts WHERE name = '"'dead'"'")" = down ]'
check --socket "$sock"
is "$RC" 1 "a host down: exit 1"
like "$(line hosts)" '^FAIL +hosts +2 enabled, 1 down: dead$' "... naming it"
sql "UPDATE hosts SET enabled = false WHERE name = 'dead'" >/dev/null

# A pending migration (a newer release's file) and a wrong socket path.
mkdir -p "$STACK_DIR/sql2" && cp "$top_srcdir"/sql/[0-9]*.sql "$STACK_DIR/sql2/"
printf 'SELECT 1;\n' >"$STACK_DIR/sql2/9999_next.sql"
OUT=$(WAPORTAL_SQL_DIR=$STACK_DIR/sql2 "$CTL" check --socket "$STACK_DIR/nope.sock"); RC=$?
is "$RC" 1 "a pending migration and no socket: exit 1"
like "$(line migrations)" '^FAIL +migrations +1 pending, 0 changed since applied: run waportalctl migrate --status$' "the pending migration"
like "$(line socket)" 'nope\.sock: No such file or directory' "the missing socket"
OUT=$("$CTL" check --socket "$STACK_DIR/check.err"); RC=$?
like "$(line socket)" '^FAIL +socket +.*check\.err: not a socket$' "a file that is not a socket: said"
like "$(line hosts)" '^ok +hosts +1 enabled, 1 up' "a disabled host is not counted"

# The database unreachable: said, and the socket still checked.
OUT=$(DATABASE_URL="host=$STACK_DIR/run port=1 dbname=waportal" "$CTL" check --socket "$sock"); RC=$?
is "$RC" 1 "no database: exit 1"
like "$(line database)" '^FAIL +database ' "the database line says why"
like "$(line socket)" '^ok +socket ' "the socket is still checked"
"$CTL" check --bogus >/dev/null 2>&1
is "$?" 2 "an unknown option: exit 2 with the usage"

done_testing
