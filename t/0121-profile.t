#!/bin/sh
# 0121-profile.t: profile view and edit, validation that changes nothing, escaping, password change, avatars.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 2

PW='correct horse battery'
MK=${top_builddir:?}/t/mkimage

sql "INSERT INTO dealers (name) VALUES ('Acme')" >/dev/null
sql "INSERT INTO users (role, dealer_id, email, name) VALUES
     ('customer', 1, 'cust@example.com', 'Customer One'),
     ('customer', 1, 'taken@example.com', 'Customer Two')" >/dev/null
for id in 1 2; do
	printf '%s\n' "$PW" | "$STACK_BIN/waportalctl" user passwd "$id" >/dev/null
done

jar=$STACK_DIR/jar; jar2=$STACK_DIR/jar2
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' <<<"$HTTP_BODY" | head -1 | sed 's/.*value="//; s/"$//'; }
login() { http POST /login -c "$1" -b "$1" --data-urlencode "email=$2" --data-urlencode "password=$PW"; }
snapshot() { sql "SELECT name, email, mobile, phone, language, address, notes, password_hash FROM users WHERE id = 1"; }

login "$jar" cust@example.com
http GET /profile -b "$jar" -c "$jar"
is "$HTTP_STATUS" 200 "GET /profile: 200"
like "$HTTP_BODY" 'value="Customer One"' "the form shows the name"
csrf=$(csrf_of)
save() { http POST /profile -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" "$@"; }

# A good save, with normalisation.
save --data-urlencode 'name= Customer  Uno ' --data-urlencode 'email=cust@example.com' \
    --data-urlencode 'mobile=0812-3456-7890' --data-urlencode 'phone=+62 (21) 555 1234' \
    --data-urlencode 'language=id' --data-urlencode $'address=Jl. Merdeka 1\nJakarta' \
    --data-urlencode 'notes=VIP'
is "$HTTP_STATUS" 303 "POST /profile: 303"
is "$(sql "SELECT mobile || ' ' || phone || ' ' || language FROM users WHERE id = 1")" \
    '+6281234567890 +62215551234 id' "phones in E.164, language stored"
http GET /profile -b "$jar" -c "$jar"
like "$HTTP_BODY" '<html lang="id"' "the page is now in Indonesian"
like "$HTTP_BODY" 'Profil Anda tersimpan' "flash after saving"
like "$HTTP_BODY" '<option value="ID" selected>Indonesia</option>' "the country of phone numbers: Indonesia (the default)"
like "$HTTP_BODY" '<option value="DE">Jerman</option>' "... the others named in the reader's language"

# National numbers are read in the profile's country, saved with it.
save --data-urlencode 'name=Customer Uno' --data-urlencode 'email=cust@example.com' \
    --data-urlencode 'country=DE' --data-urlencode 'mobile=0151 2345 6789' \
    --data-urlencode 'phone=030 12345678' --data-urlencode 'language=id'
is "$HTTP_STATUS" 303 "a German profile: 303"
is "$(sql "SELECT country || ' ' || mobile || ' ' || phone FROM users WHERE id = 1")" \
    'DE +4915123456789 +493012345678' "... its national numbers read as German"
save --data-urlencode 'name=Customer Uno' --data-urlencode 'email=cust@example.com' \
    --data-urlencode 'mobile=0812-3456-7890' --data-urlencode 'phone=+62 (21) 555 1234' \
    --data-urlencode 'language=id'
is "$(sql "SELECT country || ' ' || mobile FROM users WHERE id = 1")" 'DE +4981234567890' \
    "a form without the country keeps the stored one and reads in it (0812-3456-7890: a German number)"
save --data-urlencode 'name=Customer Uno' --data-urlencode 'email=cust@example.com' \
    --data-urlencode 'country=ID' --data-urlencode 'mobile=0812-3456-7890' \
    --data-urlencode 'phone=+62 (21) 555 1234' --data-urlencode 'language=id'
is "$(sql "SELECT country || ' ' || mobile FROM users WHERE id = 1")" 'ID +6281234567890' \
    "back to Indonesia"

# Bad input: the form comes back with the input and a message, nothing changes.
before=$(snapshot)
# bad WHAT FIELD [KEY=VALUE...]: a save of the base form with some fields
# replaced (names may appear once only) must fail at FIELD, changing nothing.
bad() {
	local what=$1 field=$2 kv k args=()
	shift 2
	declare -A form=([name]='Customer One' [email]='cust@example.com' [language]=en)
	for kv in "$@"; do form[${kv%%=*}]=${kv#*=}; done
	for k in "${!form[@]}"; do args+=(--data-urlencode "$k=${form[$k]}"); done
	save "${args[@]}"
	is "$HTTP_STATUS" 422 "$what: 422"
	like "$HTTP_BODY" "id=\"$field-error\"" "$what: a message at the $field field"
	is "$(snapshot)" "$before" "$what: nothing changed"
}
bad "bad email" email 'email=not an email'
is "$(grep -o '<input id="[a-z_]*"[^>]* autofocus' <<<"$HTTP_BODY" | grep -o '^<input id="[a-z_]*"')" '<input id="email"' \
    "bad email: the focus on the email field, only"
like "$(sed -n '/id="details-title"/,/<\/form>/p' <<<"$HTTP_BODY")" 'role="alert"' "bad email: the banner in the details' card"
bad "duplicate email" email 'email=TAKEN@example.com' "current_password=$PW"
bad "email change without the password" cpe 'email=new@example.com'
bad "email change with a wrong password" cpe 'email=new@example.com' 'current_password=nope'
bad "bad phone" phone 'phone=call me maybe'
bad "bad mobile" mobile 'mobile=+0812'
bad "a country libphonenumber does not know" country 'country=XX'
bad "a number too short for the chosen country" mobile 'country=DE' 'mobile=0151 234'
bad "too long a name" name "name=$(printf 'x%.0s' {1..101})"
bad "empty name" name 'name= '
bad "a line break in the name" name $'name=a\nb'
bad "too long notes" notes "notes=$(printf 'é%.0s' {1..2001})"
bad "too long an address" address "address=$(printf 'a%.0s' {1..501})"
# Over 8 KiB: refused by the field's own rule, never stored as empty.
bad "an address over 8 KiB" address "address=$(printf 'a%.0s' {1..9000})"
bad "a phone over 8 KiB" phone "phone=$(printf '1%.0s' {1..9000})"
save --data-urlencode 'name=Customer One' --data-urlencode 'email=cust@example.com' --data-urlencode 'language=fr'
is "$HTTP_STATUS" 422 "a language other than en or id: 422"
like "$HTTP_BODY" 'id="language-error">Pilih English atau Bahasa Indonesia\.' "... with a message at the field"
is "$(snapshot)" "$before" "... nothing changed"
# A field left out counts as empty: a name, an email and a language are needed.
save --data-urlencode 'phone=+62 21 555 1234'
is "$HTTP_STATUS" 422 "a save without name, email and language: 422"
like "$HTTP_BODY" 'id="name-error">Masukkan nama\.' "... the name is needed (in Indonesian)"
like "$HTTP_BODY" 'id="email-error">Masukkan alamat email\.' "... the email too"
like "$HTTP_BODY" 'Pilih English atau Bahasa Indonesia\.' "... and the language"
is "$(snapshot)" "$before" "... nothing changed"
save --data-urlencode 'name=Customer One' --data-urlencode 'email=a@@b.example' --data-urlencode 'language=en' \
    --data-urlencode 'phone=call me maybe'
like "$HTTP_BODY" 'Alamat email harus berisi tepat satu @' "field errors in the reader's language (Indonesian)"
like "$HTTP_BODY" 'Gunakan hanya angka' "... each of them"
save --data-urlencode 'name=Customer One' --data-urlencode 'email=not an email' --data-urlencode 'notes=kept <input>'
like "$HTTP_BODY" 'kept &lt;input&gt;' "the form keeps the input as typed, escaped"

# Spaces around the language are trimmed, as around the other fields.
save --data-urlencode 'name=Customer One' --data-urlencode 'email=cust@example.com' --data-urlencode 'language= id '
is "$HTTP_STATUS" 303 "a language with spaces around it: 303"
is "$(sql "SELECT language FROM users WHERE id = 1")" id "... stored trimmed"

# Hostile text in every field comes back escaped everywhere it is shown.
x='<script>alert(1)</script>"'"'"
save --data-urlencode "name=N$x" --data-urlencode 'email=cust@example.com' --data-urlencode 'language=en' \
    --data-urlencode "address=A$x" --data-urlencode "notes=B$x"
is "$HTTP_STATUS" 303 "hostile text is stored as data"
for page in /profile /dashboard; do
	http GET "$page" -b "$jar" -c "$jar"
	unlike "$HTTP_BODY" '<script>alert' "$page: no raw script"
	like "$HTTP_BODY" '&lt;script&gt;alert\(1\)&lt;/script&gt;&quot;&#39;' "$page: escaped, quotes too"
done

# Email change with the password.
save --data-urlencode 'name=Customer One' --data-urlencode 'email=New@Example.com' \
    --data-urlencode 'language=en' --data-urlencode "current_password=$PW"
is "$HTTP_STATUS" 303 "email change with the current password: 303"
is "$(sql "SELECT email FROM users WHERE id = 1")" 'New@example.com' "stored (domain lower-cased)"

# CSRF on the profile form.
before=$(snapshot)
http POST /profile -b "$jar" --data-urlencode 'name=Evil' --data-urlencode 'email=new@example.com'
is "$HTTP_STATUS" 403 "profile save without the CSRF token: 403"
is "$(snapshot)" "$before" "... nothing changed"

# Password change: wrong current, too short, mismatch, then right; other sessions end.
login "$jar2" new@example.com
http GET /dashboard -b "$jar2"
is "$HTTP_STATUS" 200 "a second session"
pw() { http POST /profile/password -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "current_password=$1" --data-urlencode "new_password=$2" --data-urlencode "confirm_password=$3"; }
before=$(snapshot)
pw 'wrong' 'new password 1' 'new password 1'
is "$HTTP_STATUS" 422 "wrong current password: 422"
like "$HTTP_BODY" 'id="pwc-error">The current password is not right\.' "... with a message at the field"
pw "$PW" 'short' 'short'
is "$HTTP_STATUS" 422 "new password of 5 characters: 422"
like "$HTTP_BODY" 'id="np-error">Use 8 to 1024 characters\.' "... with a message at the field"
pw "$PW" "$(printf 'x%.0s' {1..1025})" "$(printf 'x%.0s' {1..1025})"
is "$HTTP_STATUS" 422 "new password of 1025 characters: 422"
like "$HTTP_BODY" 'id="np-error">Use 8 to 1024 characters\.' "... with a message at the field"
http POST /profile/password -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "current_password=$PW"
is "$HTTP_STATUS" 422 "no new password: 422"
like "$HTTP_BODY" 'id="np-error">Use 8 to 1024 characters\.' "... with a message at the field"
pw "$PW" 'new password 1' 'new password 2'
is "$HTTP_STATUS" 422 "mismatched new passwords: 422"
like "$HTTP_BODY" 'id="pwa-error">The two new passwords differ\.' "... with a message at the field"
# Every problem at once, each at its field, the banner in the password's
# card (not 1,200 px above it), the focus on the first wrong field.
card() { sed -n '/id="password-title"/,/<\/section>/p' <<<"$HTTP_BODY"; }
focused() { grep -o '<[a-z]* id="[a-z_]*"[^>]* autofocus' <<<"$HTTP_BODY" | sed 's/^<[a-z]* id="//; s/".*//' | tr '\n' ' '; }
pw 'wrong' 'short' 'other'
is "$HTTP_STATUS" 422 "wrong current, short and differing new passwords: 422"
like "$(card)" 'id="pwc-error">The current password is not right\.' "... the current password's message at its field"
like "$(card)" 'id="np-error">Use 8 to 1024 characters\.' "... the new password's too"
like "$(card)" 'id="pwa-error">The two new passwords differ\.' "... and the copy's"
is "$(grep -o 'aria-invalid="true" aria-describedby="pw[ac]-error"\|np-error" aria-invalid="true"' <<<"$(card)" | wc -l)" 3 \
    "... each of the three fields is aria-invalid and described by its message"
like "$(card)" 'role="alert">Some fields need your attention' "... the banner is in the password's card"
unlike "$(sed '/id="password-title"/,$d' <<<"$HTTP_BODY")" 'role="alert"' "... and not at the top of the page"
is "$(focused)" "current_password " "... the focus on the first wrong field, the current password"
pw '' 'short' 'short'
like "$(card)" 'id="pwc-error">Enter your current password\.' "an empty current password: asked for"
pw "$PW" 'short' 'other'
is "$(focused)" "new_password " "the right current password: the focus on the new one"
unlike "$(card)" 'pwc-error' "... and no message at the current one"
is "$(snapshot)" "$before" "... nothing changed"
pw "$PW" 'new password 1' 'new password 1'
is "$HTTP_STATUS" 303 "password change: 303"
http GET /dashboard -b "$jar"
is "$HTTP_STATUS" 200 "this session lives on"
http GET /dashboard -b "$jar2"
is "$HTTP_STATUS" 303 "the other session is over"

# The current-password checks are throttled like sign-in, in one count
# per account (login_failures): a stolen session cannot guess the password.
PW2='new password 1'
fails() { sql "SELECT count(*) FROM login_failures WHERE email = 'new@example.com'"; }
emailchg() { save --data-urlencode 'name=Customer One' --data-urlencode 'email=other@example.com' \
    --data-urlencode 'language=en' ${1+--data-urlencode "current_password=$1"}; }
before=$(snapshot)
for i in 1 2 3; do pw "wrong $i" 'new password 2' 'new password 2'; done
is "$HTTP_STATUS" 422 "a wrong current password: still a 422"
is "$(fails)" 3 "... each wrong current password of a password change is a failure of the account"
emailchg 'wrong 4'
is "$HTTP_STATUS" 422 "a wrong password for an email change: 422"
is "$(fails)" 4 "... a failure too"
emailchg
is "$(fails)" 4 "an email change without a password: not a guess, not counted"
pw "$PW2" 'new password 2' 'new password 3'
is "$HTTP_STATUS" 422 "the right current password, new ones that differ: 422"
is "$(fails)" 0 "... the right password forgets the account's failures, as a sign-in does"
for i in 1 2 3 4 5; do pw "wrong $i" 'new password 2' 'new password 2'; done
for i in 6 7 8 9; do emailchg "wrong $i"; done
http POST /login --data-urlencode 'email=NEW@example.com' --data-urlencode 'password=wrong 10'
is "$HTTP_STATUS" 401 "a wrong sign-in of the same account"
is "$(fails)" 10 "... counted with the profile's failures: 10"
# Pinned five minutes back, the oldest leaves the window in 600 seconds.
sql "UPDATE login_failures SET failed_at = now() - interval '5 minutes' WHERE email = 'new@example.com'" >/dev/null
pw "$PW2" 'new password 2' 'new password 2'
is "$HTTP_STATUS" 429 "the 11th check, right password, password change: 429"
ra=$(header Retry-After)
like "$ra" '^[0-9]+$' "... with Retry-After: $ra"
cmp_ok "$ra" -le 600 "... the seconds until the oldest failure leaves the window (<= 600)"
cmp_ok "$ra" -gt 540 "... (> 540)"
mins=$(( (ra + 59) / 60 ))
like "$HTTP_BODY" "id=\"pwc-error\">Too many wrong passwords, so nothing was saved\\. Minutes until you can try again: $mins\\." \
    "... the page says when to try again, at the field"
like "$HTTP_BODY" "role=\"alert\">Too many wrong passwords, so nothing was saved\\. Minutes until you can try again: $mins\\." \
    "... and in the banner"
like "$HTTP_BODY" 'id="current_password_email"' "... on the whole profile page"
is "$(snapshot)" "$before" "... the password is not changed"
is "$(fails)" 10 "... a check during the lockout is not counted"
emailchg "$PW2"
is "$HTTP_STATUS" 429 "an email change with the right password: 429"
like "$(header Retry-After)" '^[0-9]+$' "... with Retry-After"
like "$HTTP_BODY" "id=\"cpe-error\">Too many wrong passwords, so nothing was saved\\. Minutes until you can try again: [0-9]+\\." \
    "... the page says when to try again, at the field"
like "$HTTP_BODY" 'value="other@example.com"' "... the form keeps the input"
is "$(snapshot)" "$before" "... the email is not changed"
http POST /login --data-urlencode 'email=new@example.com' --data-urlencode "password=$PW2"
is "$HTTP_STATUS" 429 "sign-in with the right password during the lockout: 429 too"
save --data-urlencode 'name=Customer One' --data-urlencode 'email=New@example.com' --data-urlencode 'language=id'
is "$HTTP_STATUS" 303 "details that need no password still save during the lockout"
pw "$PW2" 'new password 2' 'new password 2'
is "$HTTP_STATUS" 429 "in Indonesian: 429"
like "$HTTP_BODY" "id=\"pwc-error\">Terlalu banyak kata sandi yang salah, jadi tidak ada yang disimpan\\. Sisa menit sebelum Anda dapat mencoba lagi: [0-9]+\\." \
    "... the sentence in Indonesian"
save --data-urlencode 'name=Customer One' --data-urlencode 'email=New@example.com' --data-urlencode 'language=en'
before=$(snapshot)
sql "UPDATE login_failures SET failed_at = now() - interval '16 minutes' WHERE email = 'new@example.com'" >/dev/null
pw "$PW2" 'new password 2' 'new password 3'
is "$HTTP_STATUS" 422 "once the failures left the window: checked again (422 for the differing new ones)"
is "$(fails)" 0 "... and the right password forgot the failures"
is "$(snapshot)" "$before" "... nothing changed"

# Avatars.
"$MK" png 400 300 >"$STACK_DIR/a.png"
"$MK" jpeg 300 400 >"$STACK_DIR/a.jpg"
"$MK" webp 64 64 >"$STACK_DIR/a.webp"
printf '<html><script>alert(1)</script></html>' >"$STACK_DIR/evil.png"
head -c 2500000 /dev/urandom >"$STACK_DIR/big.png"
up() { http POST /profile/avatar -b "$jar" -c "$jar" -F "_csrf=$csrf" -F "avatar=@$1${2:+;type=$2}"; }
for f in a.png a.jpg a.webp; do
	up "$STACK_DIR/$f"
	is "$HTTP_STATUS" 303 "avatar $f accepted"
done
http POST /profile/avatar -b "$jar" -c "$jar" -F "_csrf=$csrf" -F "other=x"
is "$HTTP_STATUS" 422 "an upload without a file: 422"
like "$HTTP_BODY" 'id="avatar-error">Choose an image file to upload\.' "... with a message at the field"
up "$STACK_DIR/evil.png" image/png
is "$HTTP_STATUS" 415 "an HTML file named .png: 415"
like "$HTTP_BODY" 'id="avatar-error"' "... with a message at the field"
up "$STACK_DIR/big.png"
is "$HTTP_STATUS" 413 "2.5 MB upload: 413"
"$MK" png 9000 10 >"$STACK_DIR/wide.png"
up "$STACK_DIR/wide.png"
is "$HTTP_STATUS" 413 "a 9000-pixel-wide image (pixel limit): 413"
head -c 4000000 /dev/urandom >"$STACK_DIR/huge.png"
up "$STACK_DIR/huge.png"
is "$HTTP_STATUS" 413 "4 MB upload: 413 from nginx"
http GET /profile -b "$jar" -c "$jar"
url=$(grep -o '/avatar/1?v=[0-9]*' <<<"$HTTP_BODY" | head -1)
like "$url" '^/avatar/1\?v=[0-9]+$' "the page links the avatar with its version"
http GET "$url" -b "$jar"
is "$HTTP_STATUS" 200 "GET $url: 200"
like "$(header Content-Type)" '^image/(png|webp)$' "served as an image"
like "$(header X-Content-Type-Options)" nosniff "with nosniff"
like "$(header Cache-Control)" 'private' "cached privately"
magic=$(head -c 12 "$STACK_DIR/http.body" | od -An -c | tr -d ' \n')
like "$magic" '^(211PNG|RIFF.{4,16}WEBP)' "the bytes are a PNG or WebP image"
http GET /avatar/2 -b "$jar"
is "$HTTP_STATUS" 404 "another customer's avatar: 404"
http GET "$url"
is "$HTTP_STATUS" 303 "signed out: no avatar"
http POST /profile/avatar/delete -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf"
is "$HTTP_STATUS" 303 "remove avatar: 303"
http GET "$url" -b "$jar"
is "$HTTP_STATUS" 404 "removed: 404"

# nginx's limit_req is the outer layer on POST /login (10/min, burst 5):
# a quick run of attempts meets a 429 before the application counts them.
n0=$(sql "SELECT count(*) FROM login_failures")
codes=''
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	http POST /login --data-urlencode 'email=x@example.com' --data-urlencode 'password=nope'
	codes="$codes $HTTP_STATUS"
done
like "$codes" ' 429' "nginx answers 429 to a burst of sign-ins:$codes"
cmp_ok "$(sql "SELECT count(*) FROM login_failures")" -lt $((n0 + 12)) "... which never reach the application"

logs=$(cat "$STACK_DIR"/log/*.log)
for s in "$PW" 'new password 1' "$csrf"; do
	unlike "$logs" "$s" "no secret in the logs: ${s:0:6}..."
done

done_testing
