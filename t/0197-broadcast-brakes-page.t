#!/bin/sh
# 0197-broadcast-brakes-page.t: the broadcast brakes page: the defaults shown, thresholds saved and used by the brake, wrong and hostile input refused at its field with nothing changed, each customer sees and changes only their own.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1
stack_customers 5 1000 c@example.com d@example.com || bail_out "seeding failed"

jar=$STACK_DIR/jar jar2=$STACK_DIR/jar2
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
http POST /login -c "$jar" --data-urlencode email=c@example.com --data-urlencode "password=$STACK_PW"
http POST /login -c "$jar2" --data-urlencode email=d@example.com --data-urlencode "password=$STACK_PW"
brakes() { sql "SELECT coalesce((SELECT fail_pct || ' ' || fail_window || ' ' || optout_pct || ' ' || complaint_pct || ' ' || rate_limited FROM broadcast_brakes WHERE customer_id = ${1:-1}), '-')"; }

http GET /broadcasts/brakes -b "$jar"
is "$HTTP_STATUS" 200 "GET /broadcasts/brakes: 200"
for v in 'name="fail_pct"[^>]*value="10"' 'name="fail_window"[^>]*value="200"' 'name="optout_pct"[^>]*value="2"' \
    'name="complaint_pct"[^>]*value="0.3"' 'name="rate_limited"[^>]*value="5"'; do
	like "$HTTP_BODY" "$v" "the default shown: ${v%%\"*}${v#*=\"}"
done
csrf=$(csrf_of)
http GET /contacts/subscriptions -b "$jar"
like "$HTTP_BODY" 'href="/broadcasts/brakes"' "the keywords page links to it"

save() { http POST /broadcasts/brakes -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" "$@"; }
all() { save -d "fail_pct=${1}" -d "fail_window=${2}" -d "optout_pct=${3}" -d "complaint_pct=${4}" -d "rate_limited=${5}"; }
all 12,5 100 1.25 0 3
is "$HTTP_STATUS $(header Location)" "303 /broadcasts/brakes" "saving: 303 back to the page"
is "$(brakes)" "12.50 100 1.25 0.00 3" "... stored (a decimal comma taken)"
http GET /broadcasts/brakes -b "$jar"
like "$HTTP_BODY" 'name="fail_pct"[^>]*value="12.5"' "... shown again"
like "$HTTP_BODY" 'The broadcast brakes are saved' "... with the flash"
is "$(sql "SELECT wa_broadcast_brake_reason(wa_broadcast_brakes(1), repeat('0', 87) || repeat('1', 13), 0, 0, 0)")" \
    "Paused: 13 of the last 100 sends failed (13 %, limit 12.5 %)" "the brake uses the saved thresholds"
is "$(brakes 2)" "-" "another customer keeps the defaults"

# Wrong and hostile input: 422 at the field, nothing saved.
bad() {
	local label=$1
	shift
	all "$@"
	is "$HTTP_STATUS" 422 "$label: 422"
	is "$(brakes)" "12.50 100 1.25 0.00 3" "... nothing saved"
}
bad "a rate over 100" 100.01 100 1 0 3
like "$HTTP_BODY" 'id="bk-fail_pct-error">A percentage from 0 to 100' "... the error at the field"
like "$HTTP_BODY" 'name="fail_pct"[^>]*value="100.01"' "... the value kept as typed"
bad "three decimals" 10.125 100 1 0 3
bad "a negative rate" 10 100 -1 0 3
bad "a window under 20" 10 19 1 0 3
like "$HTTP_BODY" 'id="bk-fail_window-error">A whole number of sends from 20' "... the window's error"
bad "a window over 1000" 10 1001 1 0 3
bad "a count over 1000" 10 100 1 0 1001
bad "a huge number" 10 99999999999999999999 1 0 3
bad "an SQL injection" "10'); DROP TABLE broadcast_brakes; --" 100 1 0 3
like "$HTTP_BODY" "value=\"10&#39;); DROP TABLE broadcast_brakes; --\"|value=\"10&#x27;); DROP" "... shown escaped"
bad "HTML" 10 '<script>alert(1)</script>' 1 0 3
unlike "$HTTP_BODY" '<script>alert' "... never echoed raw"
bad "a formula" '=1+1' 100 1 0 3
bad "empty" '' 100 1 0 3
save -d fail_pct=10 -d fail_window=100
is "$HTTP_STATUS" 422 "fields missing: 422"
is "$(brakes)" "12.50 100 1.25 0.00 3" "... nothing saved"
http POST /broadcasts/brakes -b "$jar" -d fail_pct=1 -d fail_window=100 -d optout_pct=1 -d complaint_pct=0 -d rate_limited=1
is "$HTTP_STATUS $(brakes)" "403 12.50 100 1.25 0.00 3" "no CSRF token: 403, nothing saved"
http POST /broadcasts/brakes -d fail_pct=1 -d fail_window=100 -d optout_pct=1 -d complaint_pct=0 -d rate_limited=1
is "$HTTP_STATUS $(header Location)" "303 /login" "signed out: sent to the sign-in"
is "$(brakes)" "12.50 100 1.25 0.00 3" "... nothing saved"

# The other customer: their own form, their own row.
http GET /broadcasts/brakes -b "$jar2"
like "$HTTP_BODY" 'name="fail_pct"[^>]*value="10"' "the other customer sees the defaults"
csrf2=$(csrf_of)
http POST /broadcasts/brakes -b "$jar2" --data-urlencode "_csrf=$csrf2" -d fail_pct=20 -d fail_window=200 -d optout_pct=2 -d complaint_pct=0.3 -d rate_limited=5
is "$(brakes 2) / $(brakes 1)" "20.00 200 2.00 0.30 5 / 12.50 100 1.25 0.00 3" "... and saves their own only"
done_testing
