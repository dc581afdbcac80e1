#!/bin/sh
# 0091-db-tx.t: core/db.c's transactions on a real database (t/dbtx): commit, rollback, a refused commit, and the net every request ends with, which rolls back what a handler left open so the worker's next request is unharmed.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1
n=0
while IFS= read -r line; do
	case $line in
	"ok "*) ok 0 "${line#ok * - }"; n=$((n + 1)) ;;
	"not ok "*) ok 1 "${line#not ok * - }"; n=$((n + 1)) ;;
	"#"*) diag "${line#\# }" ;;
	esac
done < <("$top_builddir/t/dbtx" 2>&1)
cmp_ok "$n" -ge 18 "dbtx ran all its points"

# The worker's own net: its log says so when a route leaves one open;
# a clean stack says nothing of the kind.
http GET /login
is "$HTTP_STATUS" 200 "a request after all that is served"
unlike "$(cat "$STACK_DIR/log/workers.log")" "left a transaction open" \
    "no route of the worker left a transaction open"
done_testing
