#!/bin/sh
# 0120-login.t: sign-in, sessions, expiry, CSRF, throttling, roles and sign-out through nginx.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

# nginx's limit_req on POST /login (10/min) is the outer layer; this test
# drives the application's own throttle behind it, so nginx is relaxed.
STACK_LOGIN_RATE=6000r/m
stack_start --workers 2

PW='correct horse battery'

# Accounts: a dealer, a package, a customer with it, a dealer user, an admin.
sql "INSERT INTO dealers (name, contact_person, email, phone)
     VALUES ('Acme <Reseller>', 'Dee \"Q\" Ler', 'dee@acme.example', '+6281234567890')" >/dev/null
sql "INSERT INTO packages (name, max_instances, max_contacts, max_messages_month,
     max_api_keys, api_rpm, price_text) VALUES ('Pro', 3, 5000, 20000, 5, 60, 'IDR 500k')" >/dev/null
sql "INSERT INTO users (role, dealer_id, email, name) VALUES
     ('customer', 1, 'Cust@Example.com', 'Cus <b>tomer</b>'),
     ('dealer', 1, 'dealer@example.com', 'Dealer User'),
     ('admin', NULL, 'admin@example.com', 'Admin User'),
     ('customer', 1, 'other@example.com', 'Other Customer')" >/dev/null
sql "INSERT INTO customer_packages (customer_id, package_id, expires_at)
     VALUES (1, 1, now() + interval '40 days')" >/dev/null
for id in 1 2 3 4; do
	printf '%s\n' "$PW" | "$STACK_BIN/waportalctl" user passwd "$id" >/dev/null 2>"$STACK_DIR/passwd.err" ||
	    diag_file "$STACK_DIR/passwd.err"
done
hash=$(sql "SELECT password_hash FROM users WHERE id = 1")
like "$hash" '^\$argon2id\$v=19\$m=19456,t=2,p=1\$' "the stored hash is argon2id m=19456 t=2 p=1"

jar=$STACK_DIR/jar
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
login() { http POST /login -c "$jar" -b "$jar" --data-urlencode "email=$1" --data-urlencode "password=$2" ${3:+--data-urlencode "next=$3"}; }
sid() { awk '$6 == "sid" { print $7 }' "$jar"; }

# The form.
http GET /login
is "$HTTP_STATUS" 200 "GET /login: 200"
like "$HTTP_BODY" 'name="password" type="password"' "the form has a password field"
like "$(header Cache-Control)" 'no-store' "the sign-in page is not cached"

# Dashboard without a session: to the sign-in page.
http GET /dashboard
is "$HTTP_STATUS" 303 "GET /dashboard signed out: 303"
is "$(header Location)" /login "... to /login"

# Wrong password and unknown email: the same answer.
login cust@example.com 'wrong password'
is "$HTTP_STATUS" 401 "wrong password: 401"
wrong_body=$(sed 's/value="[^"]*"//g' <<<"$HTTP_BODY")
like "$HTTP_BODY" 'incorrect' "wrong password: says so"
login nobody@example.com 'wrong password'
is "$HTTP_STATUS" 401 "unknown email: 401"
is "$(sed 's/value="[^"]*"//g' <<<"$HTTP_BODY")" "$wrong_body" "unknown email: the same page as a wrong password"
is "$(header_count Set-Cookie)" 0 "no cookie for a failed sign-in"

# A planted session cookie is replaced at sign-in.
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\t%s\n' AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA >"$jar"
login CUST@example.com "$PW"
is "$HTTP_STATUS" 303 "right password (email in another case): 303"
is "$(header Location)" /dashboard "... to the dashboard"
like "$(header Set-Cookie)" '^sid=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Lax' "session cookie: 43 chars, HttpOnly, SameSite=Lax"
s1=$(sid)
isnt "$s1" AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "the planted token is not kept"
is "$(sql "SELECT count(*) FROM sessions WHERE user_id = 1")" 1 "one session row"
is "$(sql "SELECT count(*) FROM sessions WHERE token_hash = sha256(convert_to('$s1', 'UTF8'))")" 1 "the database holds the token's SHA-256"
is "$(sql "SELECT count(*) FROM sessions WHERE encode(token_hash, 'escape') LIKE '%$s1%'")" 0 "... never the token"
is "$(sql "SELECT count(*) FROM login_failures WHERE email = 'cust@example.com'")" 0 "success clears the account's failures"

# The dashboard: package and dealer cards, escaped.
http GET /dashboard -b "$jar" -c "$jar"
is "$HTTP_STATUS" 200 "GET /dashboard signed in: 200"
like "$(header Cache-Control)" 'no-store' "authenticated pages: Cache-Control no-store"
like "$HTTP_BODY" '>Pro' "the package card names the package"
like "$HTTP_BODY" '(39|40) days left' "... and the days left"
like "$HTTP_BODY" 'Acme &lt;Reseller&gt;' "the dealer card, escaped"
like "$HTTP_BODY" 'Dee &quot;Q&quot; Ler' "quotes escaped"
like "$HTTP_BODY" 'Cus &lt;b&gt;tomer&lt;/b&gt;' "the customer's name in the top bar, escaped"
unlike "$HTTP_BODY" '<b>tomer' "never raw"
like "$HTTP_BODY" 'Welcome back' "a flash message after signing in"
http GET /dashboard -b "$jar" -c "$jar"
unlike "$HTTP_BODY" 'Welcome back' "... shown once"
csrf=$(csrf_of)
like "$csrf" '^[A-Za-z0-9_-]{43}$' "the page carries a CSRF token"
like "$HTTP_BODY" 'badge--connected">active' "40 days left: active"
sql "UPDATE customer_packages SET expires_at = now() + interval '5 days' WHERE customer_id = 1" >/dev/null
http GET /dashboard -b "$jar" -c "$jar"
like "$HTTP_BODY" 'expiring soon' "5 days left: expiring soon"
sql "UPDATE customer_packages SET starts_at = now() - interval '60 days',
     expires_at = now() - interval '1 day' WHERE customer_id = 1" >/dev/null
http GET /dashboard -b "$jar" -c "$jar"
like "$HTTP_BODY" 'badge--failed">expired' "past its expiry: expired"
sql "UPDATE customer_packages SET active = false WHERE customer_id = 1" >/dev/null
http GET /dashboard -b "$jar" -c "$jar"
like "$HTTP_BODY" 'No active package' "no active package: an empty state with the next step"
sql "UPDATE customer_packages SET active = true, starts_at = now(),
     expires_at = now() + interval '40 days' WHERE customer_id = 1" >/dev/null
http GET /login -b "$jar"
is "$HTTP_STATUS" 303 "GET /login when signed in: to the dashboard"

# next: only local paths.
rm -f "$jar"
login cust@example.com "$PW" /dashboard?x=1
is "$(header Location)" '/dashboard?x=1' "next is followed"
s2=$(sid)
login cust@example.com "$PW" //evil.example
is "$HTTP_STATUS $(header Location)" "303 /dashboard" "an open redirect in next is dropped: 303 to the dashboard"
is "$(sql "SELECT count(*) FROM sessions WHERE token_hash = sha256(convert_to('$s1', 'UTF8'))")" 1 "other sessions live on"
is "$(sql "SELECT count(*) FROM sessions WHERE token_hash = sha256(convert_to('$s2', 'UTF8'))")" 0 "signing in again retires this browser's old session"

# CSRF: sign-out without, with a wrong, or with a foreign-origin token.
http GET /dashboard -b "$jar" -c "$jar"
csrf=$(csrf_of)
n=$(sql "SELECT count(*) FROM sessions")
http POST /logout -b "$jar" --data-urlencode "_csrf=x"
is "$HTTP_STATUS" 403 "logout with a wrong CSRF token: 403"
http POST /logout -b "$jar" -d ''
is "$HTTP_STATUS" 403 "logout without a CSRF token: 403"
http POST /logout -b "$jar" -H 'Origin: https://evil.example' --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 403 "logout from a foreign Origin: 403"
http POST /logout -b "$jar" -H 'Sec-Fetch-Site: cross-site' --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 403 "logout with Sec-Fetch-Site: cross-site: 403"
is "$(sql "SELECT count(*) FROM sessions")" "$n" "... and nothing changed"
http GET /logout -b "$jar"
is "$HTTP_STATUS" 405 "GET /logout: 405 (GET never changes state)"

# Sign-out.
http POST /logout -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 303 "logout: 303"
like "$(header Set-Cookie)" '^sid=; .*Max-Age=0' "logout clears the cookie"
is "$(sql "SELECT count(*) FROM sessions")" $((n - 1)) "logout deletes the session row"
http GET /login -b "$jar" -c "$jar"
like "$HTTP_BODY" 'You have signed out' "flash: signed out"

# The idle clock moves at most once a minute: page views do not each write.
rm -f "$jar"; login cust@example.com "$PW"; tok=$(sid)
seen() { sql "SELECT last_seen_at FROM sessions WHERE token_hash = sha256(convert_to('$tok', 'UTF8'))"; }
t0=$(seen)
http GET /dashboard -b "$jar"
is "$(seen)" "$t0" "a page view right after sign-in writes nothing"
sql "UPDATE sessions SET last_seen_at = now() - interval '2 minutes' WHERE token_hash = sha256(convert_to('$tok', 'UTF8'))" >/dev/null
t1=$(seen)
http GET /dashboard -b "$jar"
isnt "$(seen)" "$t1" "two minutes later a page view moves the idle clock"

# Expiry: idle and absolute, by moving time in the database.
rm -f "$jar"; login cust@example.com "$PW"; tok=$(sid)
sql "UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE token_hash = sha256(convert_to('$tok', 'UTF8'))" >/dev/null
http GET /dashboard -b "$jar"
is "$HTTP_STATUS" 200 "29 idle minutes: still signed in"
sql "UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE token_hash = sha256(convert_to('$tok', 'UTF8'))" >/dev/null
http GET /dashboard -b "$jar"
is "$HTTP_STATUS" 303 "31 idle minutes: signed out"
rm -f "$jar"; login cust@example.com "$PW"; tok=$(sid)
sql "UPDATE sessions SET created_at = now() - interval '12 hours 1 minute' WHERE token_hash = sha256(convert_to('$tok', 'UTF8'))" >/dev/null
http GET /dashboard -b "$jar"
is "$HTTP_STATUS" 303 "12 hours after sign-in: signed out however active"

# A disabled user is out at once.
rm -f "$jar"; login cust@example.com "$PW"
http GET /dashboard -b "$jar"
is "$HTTP_STATUS" 200 "signed in again"
sql "UPDATE users SET disabled_at = now() WHERE id = 1" >/dev/null
http GET /dashboard -b "$jar"
is "$HTTP_STATUS" 303 "disabled: the session stops working at once"
login cust@example.com "$PW"
is "$HTTP_STATUS" 401 "disabled: cannot sign in, same answer as a wrong password"
sql "UPDATE users SET disabled_at = NULL WHERE id = 1" >/dev/null

# Roles: dealers and admins are not let into the portal.
rm -f "$jar"
login dealer@example.com "$PW"
is "$HTTP_STATUS" 403 "a dealer signing in: 403"
like "$HTTP_BODY" 'for customers' "... with a clear message"
is "$(header_count Set-Cookie)" 0 "... and no session"
rm -f "$jar"
login admin@example.com "$PW"
is "$HTTP_STATUS" 403 "an admin signing in: 403"
sql "INSERT INTO sessions (token_hash, user_id, csrf_token)
     VALUES (sha256(convert_to('dealerdealerdealerdealerdealerdealerdealer1', 'UTF8')), 2, 'x')" >/dev/null
http GET /dashboard -H 'Cookie: sid=dealerdealerdealerdealerdealerdealerdealer1'
is "$HTTP_STATUS" 403 "a dealer's session on a portal page: 403"

# Login CSRF: a cross-site form post is refused before anything else.
http POST /login -H 'Sec-Fetch-Site: cross-site' --data-urlencode "email=cust@example.com" --data-urlencode "password=$PW"
is "$HTTP_STATUS" 403 "cross-site POST /login: 403"

# Throttling: 10 failures per account in 15 minutes, then 429 even with the right password.
for i in 1 2 3 4 5 6 7 8 9 10; do login other@example.com "bad $i"; done
is "$HTTP_STATUS" 401 "the 10th failure is still a 401"
login other@example.com "$PW"
is "$HTTP_STATUS" 429 "the 11th attempt, right password: 429"
ra=$(header Retry-After)
like "$ra" '^[0-9]+$' "Retry-After: $ra seconds"
cmp_ok "$ra" -le 900 "Retry-After within the window"
is "$(sql "SELECT count(*) FROM login_failures WHERE email = 'other@example.com'")" 10 "attempts during the lockout are not counted"
sql "UPDATE login_failures SET failed_at = failed_at - interval '16 minutes' WHERE email = 'other@example.com'" >/dev/null
login other@example.com "$PW"
is "$HTTP_STATUS" 303 "after the window: signed in"

# Rehash on sign-in once the configured cost rises: restart the workers
# with WAPORTAL_ARGON2_T=3.
stack_stop_pidfile "$STACK_DIR/run/workers.pid"
WAPORTAL_ARGON2_T=3 stack_workers_start "$STACK_DIR" "$STACK_BIN/waportal-fcgi" 2 ||
    bail_out "workers did not restart"
STACK_MW_PID=$(cat "$STACK_DIR/run/workers.pid")
before=$(sql "SELECT password_hash FROM users WHERE id = 1")
rm -f "$jar"; login cust@example.com "$PW"
is "$HTTP_STATUS" 303 "sign-in with the t=2 hash under t=3 settings"
after=$(sql "SELECT password_hash FROM users WHERE id = 1")
like "$after" '^\$argon2id\$v=19\$m=19456,t=3,p=1\$' "the hash was upgraded to t=3"
isnt "$after" "$before" "... a new hash"
rm -f "$jar"; login cust@example.com "$PW"
is "$HTTP_STATUS" 303 "the upgraded hash signs in"

# No password, cookie or token in any log line.
logs=$(cat "$STACK_DIR"/log/*.log)
for s in "$PW" "$s1" "$tok" "$csrf"; do
	unlike "$logs" "$s" "no secret in the logs: ${s:0:6}..."
done

done_testing
