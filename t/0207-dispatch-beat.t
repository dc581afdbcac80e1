#!/bin/sh
# 0207-dispatch-beat.t: the dispatcher's heartbeat in PostgreSQL and what /readyz reports of it: none before it starts and after a clean stop, alive while it runs, late once a killed one has missed three rounds (pinned clock).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1 --clock '2031-03-04 05:06:07+00'
pidf=$STACK_DIR/run/dispatch.pid
# ready: "HTTP-status status dispatcher-state beat-age" of GET /readyz.
ready() { http GET /readyz; printf '%s ' "$HTTP_STATUS"; jq -r '"\(.status) \(.dispatcher.state) \(.dispatcher.beat_age_s)"' <<<"$HTTP_BODY"; }
beats() { sql "SELECT count(*) FROM daemon_beats WHERE prog = 'dispatch'"; }

is "$(ready)" "200 ready none null" "no dispatcher yet: ready (200), dispatcher none"

stack_dispatch_start || bail_out "no dispatcher"
wait_for 20 eval '[ "$(beats)" = 1 ]'
ok $? "the dispatcher writes its heartbeat at its first round"
is "$(sql "SELECT version || ' ' || (beat_at = wa_now()) || ' ' || (owner ~ ':[0-9]+:[0-9a-f]{8}\$') FROM daemon_beats")" \
    "$(sed -n 's/^PACKAGE_VERSION = //p' "$top_builddir/Makefile") true true" \
    "with its version, the time of the round and its lease owner"
is "$(ready)" "200 ready alive 0" "/readyz: dispatcher alive"

# A clean stop takes the row away: nothing is late.
stack_stop_pidfile "$pidf" 10
is "$(beats)" 0 "a clean stop deletes its heartbeat"
is "$(ready)" "200 ready none null" "/readyz: none again"
like "$(cat "$(stack_log dispatch.log)")" 'stopped:' "it logged its stop"

# Killed: the row stays and ages with the clock; three rounds of
# WAPORTAL_DISPATCH_INTERVAL (5 s) make it late. Readiness is unchanged:
# a load balancer must not drop the workers for the dispatcher.
stack_dispatch_start || bail_out "no dispatcher"
wait_for 20 eval '[ "$(beats)" = 1 ]'
kill -KILL "$(cat "$pidf")"
wait_for 10 eval '! stack_pid_alive "$pidf"'
stack_clock_add '15 seconds' || bail_out "clock"
is "$(ready)" "200 ready alive 15" "15 s after the last beat: still alive"
stack_clock_add '1 second' || bail_out "clock"
is "$(ready)" "200 ready late 16" "16 s: late, and the workers stay ready (200)"

# A new dispatcher beats at once: alive again; the dead one's row stays
# until it is a day old, then its next round deletes it.
stack_dispatch_start || bail_out "no dispatcher"
wait_for 20 eval '[ "$(beats)" = 2 ]'
is "$(ready)" "200 ready alive 0" "a new dispatcher: alive"
stack_clock_add '1 day' || bail_out "clock"
wait_for 20 eval '[ "$(beats)" = 1 ]'
ok $? "a row silent for a day is deleted by a live dispatcher's round"

done_testing
