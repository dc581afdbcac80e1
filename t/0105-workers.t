#!/bin/sh
# 0105-workers.t: spawn-fcgi + multiwatch: unprivileged workers, socket mode, a worker killed under load is replaced.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 2
sock=$STACK_DIR/run/fcgi.sock
before=$(worker_pids)
is "$(wc -l <<<"$before")" 2 "multiwatch runs 2 workers"

if [ "$STACK_IS_ROOT" = 1 ]; then
	users=$(ps -o user= -p "$(tr '\n' ',' <<<"$before" | sed 's/,$//')" | sort -u)
	is "$users" "$STACK_RUN_USER" "the workers run as $STACK_RUN_USER, not root"
	is "$(stat -c '%a %U %G' "$sock")" "660 $STACK_RUN_USER $STACK_RUN_USER" \
	    "the socket is 0660, owned by $STACK_RUN_USER (nginx's user)"
else
	is "$(stat -c '%a' "$sock")" 660 "the socket is 0660"
	ok 0 "# SKIP not root: the workers run as $(id -un)"
fi

# spawn-fcgi refuses a socket that is in use, and the first one survives.
out=$(timeout 5 spawn-fcgi -n -s "$sock" -- /bin/true 2>&1)
isnt $? 0 "a second spawn-fcgi on the same socket fails" || diag "$out"
http GET /healthz
is "$HTTP_STATUS" 200 "the workers still answer after that"

# Four clients, 60 requests each; one worker is killed in the middle.
load()
{
	local i
	for i in $(seq 60); do
		curl -s -o /dev/null --max-time 10 -w '%{http_code}\n' "$BASE_URL/healthz"
	done >"$STACK_DIR/load.$1"
}
# load_all N: the four clients started (their PIDs in loaders), once N
# requests are answered.
load_all()
{
	local c
	rm -f "$STACK_DIR"/load.*
	loaders=()
	for c in 1 2 3 4; do
		load "$c" &
		loaders+=($!)
	done
	wait_for 20 eval '[ "$(cat "$STACK_DIR"/load.* 2>/dev/null | wc -l)" -ge '"$1"' ]'
}
load_all 60
victim=$(head -n 1 <<<"$before")
kill -KILL "$victim"
ok $? "SIGKILL worker $victim after $(cat "$STACK_DIR"/load.* | wc -l) requests"
wait "${loaders[@]}"
total=$(cat "$STACK_DIR"/load.* | wc -l)
failed=$(cat "$STACK_DIR"/load.* | grep -vc '^200$')
is "$total" 240 "all 240 requests were answered"
cmp_ok "$failed" -le 1 "at most one failed request ($failed)" ||
    diag "$(sort "$STACK_DIR"/load.* | uniq -c)"

wait_for 5 eval '[ "$(worker_pids | wc -l)" = 2 ] && ! worker_pids | grep -qx "$victim"'
ok $? "multiwatch replaced the killed worker"
after=$(worker_pids)
new=$(comm -13 <(sort <<<"$before") <(sort <<<"$after"))
like "$new" '^[0-9]+$' "a new worker PID ($new)"
http GET /healthz
is "$HTTP_STATUS" 200 "the new worker answers"

# SIGTERM: the worker stops cleanly (and is replaced).
victim=$(comm -12 <(sort <<<"$before") <(sort <<<"$after"))
kill -TERM "$victim"
wait_for 5 eval '! stack_alive "$victim"'
ok $? "SIGTERM stops worker $victim"
like "$(grep "pid=$victim " "$(stack_log workers.log)")" 'stopping' "it logged that it stopped"
wait_for 5 eval '[ "$(worker_pids | wc -l)" = 2 ]'
ok $? "and it was replaced"

# A reload: SIGUSR2 to multiwatch, which passes it on and starts a new
# worker for each that stopped, on the same socket (the listening socket
# stays open, so a connection waits in its backlog instead of failing).
# Under load from four clients: every request answered 200, two new
# workers, each old one logged its stop.
old=$(worker_pids | sort)
n0=$(grep -c 'stopping' "$(stack_log workers.log)")
load_all 40
kill -USR2 "$STACK_MW_PID"
ok $? "SIGUSR2 to multiwatch after $(cat "$STACK_DIR"/load.* | wc -l) requests"
wait "${loaders[@]}"
is "$(cat "$STACK_DIR"/load.* | grep -c '^200$')" 240 "a reload under load: all 240 requests answered 200" ||
    diag "$(sort "$STACK_DIR"/load.* | uniq -c)"
wait_for 10 eval '[ "$(grep -c stopping "$(stack_log workers.log)")" -ge $((n0 + 2)) ]'
ok $? "both old workers finished and logged their stop"
wait_for 10 eval '[ "$(worker_pids | wc -l)" = 2 ] && [ -z "$(comm -12 <(sort <<<"$old") <(worker_pids | sort))" ]'
ok $? "two new workers serve in their place"
stack_alive "$STACK_MW_PID"
ok $? "multiwatch itself keeps running"

# Stopped through multiwatch itself, as a service manager stops it: the
# stack runs "multiwatch -s TERM", which Debian 12's multiwatch delivers
# as SIGQUIT (its names are shifted by one). A request in hand finishes,
# the idle worker stops at once, each logs its stop, multiwatch exits.
stops() { grep -c 'stopping' "$(stack_log workers.log)"; }
n0=$(stops)
sql BEGIN "LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE" "$(stack_gate mw)" COMMIT >/dev/null &
locker=$!
stack_gate_wait mw || bail_out "no lock"
curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$BASE_URL/readyz" >"$STACK_DIR/mw.code" &
inflight=$!
stack_lock_wait 'schema_migrations'
ok $? "a request is in hand (/readyz waits for a lock)"
kill -TERM "$STACK_MW_PID"
wait_for 10 eval '[ "$(stops)" -ge $((n0 + 1)) ]'
ok $? "multiwatch told the workers to stop: the idle one stopped"
stack_gate_open mw
wait "$locker" "$inflight"
is "$(cat "$STACK_DIR/mw.code")" 200 "the request in hand was answered (not a 502)"
wait_for 10 eval '[ "$(stops)" -ge $((n0 + 2)) ]'
ok $? "then the busy worker stopped and logged it"
wait_for 10 eval '! stack_alive "$STACK_MW_PID"'
ok $? "and multiwatch exited"

done_testing
