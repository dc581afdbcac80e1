#!/bin/sh
# 0101-health.t: /healthz, /readyz, waportal-fcgi -n and the dispatcher's start and stop.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 2 --dispatch

http GET /healthz
is "$HTTP_STATUS" 200 "GET /healthz: 200"
like "$(header Content-Type)" '^application/json' "GET /healthz: JSON"
is "$(jq -c . <<<"$HTTP_BODY" 2>&1)" '{"status":"ok"}' 'GET /healthz: {"status":"ok"}'
like "$(header Content-Security-Policy)" "default-src 'none'" "GET /healthz: nginx adds the CSP"

http HEAD /healthz
is "$HTTP_STATUS" 200 "HEAD /healthz: 200"
is "$(wc -c <"$STACK_DIR/http.body")" 0 "HEAD /healthz: no body"

http GET /readyz
is "$HTTP_STATUS" 200 "GET /readyz: 200 (database up, migrated)"
like "$(header Content-Type)" '^application/json' "GET /readyz: JSON"
is "$(jq -r .status <<<"$HTTP_BODY" 2>&1)" ready 'GET /readyz: {"status":"ready"}'

# The configuration check.
out=$("$STACK_BIN/waportal-fcgi" -n 2>&1)
ok $? "waportal-fcgi -n: the configuration and templates are fine" || diag "$out"
out=$(WAPORTAL_TEMPLATE_DIR=$STACK_DIR/no-such-dir "$STACK_BIN/waportal-fcgi" -n 2>&1)
isnt $? 0 "waportal-fcgi -n: a missing template directory is an error"
like "$out" "no-such-dir" "waportal-fcgi -n: the message names the directory"
mkdir "$STACK_DIR/badtmpl"
cp "$STACK_TEMPLATES"/*.mustache "$STACK_DIR/badtmpl/"
printf '{{#unclosed}}\n' >>"$STACK_DIR/badtmpl/home.mustache"
out=$(WAPORTAL_TEMPLATE_DIR=$STACK_DIR/badtmpl "$STACK_BIN/waportal-fcgi" -n 2>&1)
isnt $? 0 "waportal-fcgi -n: a broken template is an error" || diag "$out"
out=$("$STACK_BIN/waportal-fcgi" </dev/null 2>&1)
isnt $? 0 "waportal-fcgi outside spawn-fcgi refuses to run" || diag "$out"

# The dispatcher started with the stack; SIGTERM stops it cleanly.
stack_pid_alive "$STACK_DIR/run/dispatch.pid"
ok $? "waportal-dispatch runs"
pid=$(cat "$STACK_DIR/run/dispatch.pid")
kill -TERM "$pid"
wait_for 10 eval '! stack_alive $pid'
ok $? "waportal-dispatch stops within 10 s of SIGTERM"
wait "$pid"
is $? 0 "waportal-dispatch exits 0 on SIGTERM" || diag_file "$(stack_log dispatch.log)"
rm -f "$STACK_DIR/run/dispatch.pid"

done_testing
