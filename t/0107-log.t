#!/bin/sh
# 0107-log.t: one logfmt line per request in the worker log, with no cookie, query or header secrets.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 2
log=$(stack_log workers.log)
start=$(($(wc -l <"$log") + 1))

http GET '/healthz?password=hunter2pw&token=qtoken55' -H 'Cookie: sid=cookiesecret42; lang=en'
http GET /nope -H 'Authorization: Bearer authsecret77' -H 'X-Api-Key: wa_live_keysecret99'
http POST /csp-report -H 'Content-Type: application/csp-report' \
    --data-binary '{"csp-report":{"document-uri":"http://127.0.0.1/?password=bodysecret33"}}'
http GET '/lang?set=id&next=/' -H 'Cookie: sid=cookiesecret42'
wait_for 2 eval '[ "$(tail -n +$start "$log" | grep -c " method=")" -ge 4 ]'
lines=$(tail -n +"$start" "$log" | grep ' method=')

is "$(grep -c . <<<"$lines")" 4 "4 requests, 4 request lines" || diag "$(tail -n +"$start" "$log")"
# Each worker's first line: its version and every setting, the database's
# address only as "(set)" (it may hold a password).
starts=$(grep ' msg=starting ' "$log")
is "$(grep -c . <<<"$starts")" 2 "each of the 2 workers logged its start"
like "$starts" "level=info .*version=[0-9][^ ]* .*database_url=\(set\) .*max_requests=[0-9]+ " \
    "with its version and its settings"
unlike "$starts" "$(stack_conninfo "$STACK_DIR" | sed 's/[].[\\*^$()+?{}|]/\\&/g')|WAPORTAL_|password=" \
    "never the database's address itself"
# logfmt: key=value pairs, values bare or double-quoted with escapes.
kv='[a-z_][a-z0-9_.]*=("([^"\\]|\\.)*"|[^ "=]*)'
is "$(grep -Evc "^$kv( $kv)*\$" <<<"$lines")" 0 "every line is logfmt"
is "$(grep -Evc "^$kv( $kv)*\$" <<<"$starts")" 0 "the start lines too" || diag "$starts"
for k in time method route status ms; do
	is "$(grep -c "\(^\| \)$k=[^ ]" <<<"$lines")" 4 "every line has $k="
done
like "$lines" 'method=GET .*status=200' "GET /healthz: method=GET status=200"
like "$lines" 'status=404' "GET /nope: status=404"
like "$lines" 'method=POST .*status=204' "POST /csp-report: method=POST status=204"
like "$lines" 'status=303' "GET /lang: status=303"
is "$(grep -Ec ' ms=[0-9]+(\.[0-9]+)?( |$)' <<<"$lines")" 4 "the duration is a number"
is "$(grep -Ec ' req=[0-9a-f]{32} ' <<<"$lines")" 4 "the request id is nginx's \$request_id"
for s in hunter2pw qtoken55 cookiesecret42 authsecret77 keysecret99 bodysecret33; do
	is "$(grep -c "$s" "$log")" 0 "the log never has the secret $s"
done
unlike "$(tail -n +"$start" "$log")" 'password|\?' "no query string in the log"

done_testing
