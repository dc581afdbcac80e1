#!/bin/sh
# 0108-recycle.t: WAPORTAL_MAX_REQUESTS: a worker exits after N requests and multiwatch starts a fresh one.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

STACK_ENV="WAPORTAL_MAX_REQUESTS=4"
stack_start --workers 1
first=$(worker_pids)
fails=0
for i in $(seq 1 12); do
	http GET /healthz
	[ "$HTTP_STATUS" = 200 ] || fails=$((fails + 1))
	sleep 0.4	# multiwatch restarts a worker that lived over a second
done
is "$fails" 0 "12 requests over 3 recycled workers: none lost"
wait_for 5 eval '[ -n "$(worker_pids)" ]'
isnt "$(worker_pids)" "$first" "the worker was replaced"
cmp_ok "$(grep -c 'stopping after 4 requests' "$STACK_DIR/log/workers.log")" -ge 2 "each worker stopped after 4 requests"
done_testing
