#!/bin/sh
# 0110-ctl-accounts.t: waportalctl dealer, package and user commands: output, validation, passwords, sessions, package history.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

stack_start --workers 1
CTL=$STACK_BIN/waportalctl

# state: a digest of every account table, to prove a failure changed nothing.
state()
{
	sql "SELECT md5(concat_ws('|',
	    (SELECT string_agg(d::text, ',' ORDER BY id) FROM dealers d),
	    (SELECT string_agg(p::text, ',' ORDER BY id) FROM packages p),
	    (SELECT string_agg(u::text, ',' ORDER BY id) FROM users u),
	    (SELECT string_agg(c::text, ',' ORDER BY id) FROM customer_packages c),
	    (SELECT string_agg(s::text, ',' ORDER BY token_hash) FROM sessions s)))"
}

# fails STATUS ERE DESC ARGS...: waportalctl ARGS exits with STATUS, says
# something matching ERE on stderr (one line for status 1, the problem
# and the usage for 2), prints nothing on stdout and changes nothing.
fails()
{
	local status=$1 re=$2 desc=$3 before lines
	shift 3
	before=$(state)
	ctl "$@"
	is "$RC" "$status" "$desc: exit status $status" || diag "$ERR"
	like "$ERR" "^waportalctl: [a-z]+ [a-z]+: .*$re" "$desc: the message"
	lines=$(printf '%s\n' "$ERR" | wc -l)
	if [ "$status" = 1 ]; then
		is "$lines" 1 "$desc: one line" || diag "$ERR"
	else
		like "$ERR" '^usage: waportalctl ' "$desc: the usage follows"
	fi
	is "$OUT$(state)" "$before" "$desc: no output, nothing changed"
}

# is_id VALUE DESC: VALUE is a positive decimal id.
is_id()
{
	like "$1" '^[1-9][0-9]*$' "$2" && [ "$(printf '%s\n' "$1" | wc -l)" = 1 ]
}

# ---------------------------------------------------------------- dealers

ctl dealer add --name "Toko Maju" --contact-person " Budi Santoso " \
    --email "Budi@Example.COM" --phone "0812-3456-7890" \
    --whatsapp "+62 812 3456 7891" --address "Jl. Merdeka 1, Jakarta"
is "$RC" 0 "dealer add succeeds" || diag "$ERR"
is_id "$OUT" "dealer add prints the new id"
D1=$OUT
is "$(sql "SELECT concat_ws('|', name, contact_person, email, phone, whatsapp, address)
    FROM dealers WHERE id = $D1")" \
    "Toko Maju|Budi Santoso|Budi@example.com|+6281234567890|+6281234567891|Jl. Merdeka 1, Jakarta" \
    "the dealer is stored normalised: name trimmed, email domain lower-cased, phones E.164"
ctl dealer add --name=Second
is "$RC" 0 "dealer add --name=VALUE works too"
D2=$OUT
is "$(sql "SELECT concat_ws('|', contact_person, email, phone, whatsapp, address) FROM dealers WHERE id = $D2")" \
    "||||" "the optional fields default to empty"

sqlname="Robert'); DROP TABLE dealers;--"
htmlname='<script>alert("x")</script> & <b>'
ctl dealer add --name "$sqlname"
D3=$OUT
is "$(sql "SELECT name FROM dealers WHERE id = $D3")" "$sqlname" "an SQL payload is stored verbatim"
ctl dealer add --name "$htmlname" --contact-person "O'Brien"
D4=$OUT
is "$(sql "SELECT name FROM dealers WHERE id = $D4")" "$htmlname" "an HTML payload is stored verbatim"
is "$(sql "SELECT to_regclass('dealers') IS NOT NULL")" t "and the table is still there"

fails 1 '--name is required' "dealer add without --name" dealer add --email a@example.com
fails 1 '--name: Enter a name\.' "dealer add with a blank name" dealer add --name "   "
fails 1 '--name: The name is too long\.' "dealer add with a 101-character name" \
    dealer add --name "$(printf 'x%.0s' $(seq 101))"
fails 1 '--name: .*control characters' "dealer add with an escape sequence in the name" \
    dealer add --name $'Evil\e[2J'
fails 1 '--email: An email address needs exactly one @\.' "dealer add with a bad email" \
    dealer add --name X --email not-an-address
fails 1 '--phone: Use only digits' "dealer add with letters in the phone" \
    dealer add --name X --phone 0812abc
fails 1 '--whatsapp: The phone number is too short\.' "dealer add with a short WhatsApp number" \
    dealer add --name X --whatsapp 0812
fails 1 '--address: Line breaks are not allowed here\.' "dealer add with a line break in the address" \
    dealer add --name X --address $'a\nb'
fails 2 'unknown option --nmae$' "dealer add with an unknown option" dealer add --nmae X
fails 2 'unknown option --secret$' "an unknown option's value is not echoed" \
    dealer add --name X --secret=hunter2
unlike "$ERR" 'hunter2' "(the value is not in the message)"
fails 2 'option --name needs a value' "dealer add --name without a value" dealer add --name
fails 2 '--name given twice' "dealer add with --name twice" dealer add --name X --name Y
fails 2 'too many arguments' "dealer add with a stray argument" dealer add --name X extra
fails 2 'too many arguments' "dealer list with an argument" dealer list all

ctl dealer
is "$RC" 2 "dealer without a subcommand: exit status 2"
like "$ERR" '^usage: waportalctl dealer add --name NAME' "and the usage"
ctl dealer frobnicate
is "$RC" 2 "an unknown subcommand: exit status 2"
like "$ERR" 'unknown subcommand' "and says so"
ctl
like "$ERR" '^  dealer add --name NAME' "waportalctl alone lists the dealer commands"
like "$ERR" '^  user passwd ID' "and the user commands"

# A control character stored by other means is shown as '?'.
sql "INSERT INTO dealers (name, contact_person) VALUES (E'Bad\\x1b[31mRed', E'tab\\there')" >/dev/null
ctl dealer list
is "$RC" 0 "dealer list succeeds" || diag "$ERR"
like "$OUT" '^ID +NAME +CONTACT +EMAIL +PHONE +WHATSAPP +CUSTOMERS$' "dealer list has a header"
like "$OUT" "^$D1 +Toko Maju +Budi Santoso +Budi@example.com +\\+6281234567890 +\\+6281234567891 +0$" \
    "dealer list shows the dealer's contact details and customer count"
like "$OUT" "^$D2 +Second +- +- +- +- +0$" "empty fields are shown as -"
is "$(printf '%s\n' "$OUT" | grep -c -F -- "$sqlname")" 1 "the SQL payload is printed as text"
is "$(printf '%s\n' "$OUT" | grep -c -F -- "$htmlname")" 1 "the HTML payload is printed as text"
like "$OUT" 'Bad\?\[31mRed +tab\?here' "stored control characters are printed as ?"
is "$(printf '%s' "$OUT" | tr -d '\n' | LC_ALL=C grep -c '[[:cntrl:]]')" 0 \
    "dealer list writes no control character"

# ---------------------------------------------------------------- packages

ctl package add --name Basic --instances 1 --contacts 1000 --messages-month 5000 \
    --api-keys 2 --api-rpm 60 --price "Rp 100.000 / bulan"
is "$RC" 0 "package add succeeds" || diag "$ERR"
is_id "$OUT" "package add prints the new id"
P1=$OUT
is "$(sql "SELECT concat_ws('|', name, max_instances, max_contacts, max_messages_month,
    max_api_keys, api_rpm, price_text) FROM packages WHERE id = $P1")" \
    "Basic|1|1000|5000|2|60|Rp 100.000 / bulan" "the package is stored with its limits"
ctl package add --name Gold --instances 5 --contacts 0 --messages-month 2147483647 \
    --api-keys 10 --api-rpm 600
is "$RC" 0 "package add with 0 and INT_MAX limits and no price" || diag "$ERR"
P2=$OUT

fails 1 'a package with that name exists' "package add with a taken name" \
    package add --name Gold --instances 1 --contacts 1 --messages-month 1 --api-keys 1 --api-rpm 1
fails 1 '--api-rpm is required' "package add without --api-rpm" \
    package add --name Silver --instances 1 --contacts 1 --messages-month 1 --api-keys 1
for bad in -1 abc 1e3 " 5" 5x 2147483648 99999999999999999999 ""; do
	fails 1 '--instances: must be a whole number from 0 to 2147483647' \
	    "package add --instances '$bad'" \
	    package add --name Silver --instances "$bad" --contacts 1 --messages-month 1 \
	    --api-keys 1 --api-rpm 1
done
fails 1 '--price: The text is too long\.' "package add with a 101-character price" \
    package add --name Silver --instances 1 --contacts 1 --messages-month 1 --api-keys 1 \
    --api-rpm 1 --price "$(printf 'x%.0s' $(seq 101))"

ctl package list
is "$RC" 0 "package list succeeds" || diag "$ERR"
like "$OUT" '^ID +NAME +INSTANCES +CONTACTS +MESSAGES/MONTH +API-KEYS +API-RPM +PRICE +CUSTOMERS$' \
    "package list has a header"
like "$OUT" "^$P1 +Basic +1 +1000 +5000 +2 +60 +Rp 100.000 / bulan +0$" "package list shows Basic"
like "$OUT" "^$P2 +Gold +5 +0 +2147483647 +10 +600 +- +0$" "and Gold"

# ---------------------------------------------------------------- users

ctl user add --role customer --email "Cust.One@Example.COM" --name "Cust One" \
    --dealer "$D1" --mobile "0812 1111 2222" --language id
is "$RC" 0 "user add: a customer" || diag "$ERR"
is_id "$OUT" "user add prints the new id"
C1=$OUT
is "$(sql "SELECT concat_ws('|', role, email, name, dealer_id, mobile, phone, language,
    password_hash IS NULL, disabled_at IS NULL) FROM users WHERE id = $C1")" \
    "customer|Cust.One@example.com|Cust One|$D1|+6281211112222||id|t|t" \
    "the customer is stored normalised, without a password, enabled"
ctl user add --role customer --email c2@example.com --name "$htmlname" --dealer "$D2"
C2=$OUT
is "$(sql "SELECT concat_ws('|', name, language) FROM users WHERE id = $C2")" "$htmlname|en" \
    "a name with HTML is stored verbatim; the language defaults to en"
ctl user add --role admin --email admin@example.com --name Admin
is "$RC" 0 "user add: an admin needs no dealer" || diag "$ERR"
A1=$OUT
ctl user add --role dealer --email staff@example.com --name "Dealer Staff" --dealer "$D1"
is "$RC" 0 "user add: dealer staff" || diag "$ERR"
S1=$OUT

fails 1 '--dealer is required for a customer' "user add: a customer without --dealer" \
    user add --role customer --email c3@example.com --name C3
fails 1 '--dealer is required for a dealer' "user add: dealer staff without --dealer" \
    user add --role dealer --email s2@example.com --name S2
fails 1 '--dealer is not for admins' "user add: an admin with --dealer" \
    user add --role admin --email a2@example.com --name A2 --dealer "$D1"
fails 1 'no dealer with id 999999$' "user add: an unknown dealer" \
    user add --role customer --email c3@example.com --name C3 --dealer 999999
fails 1 '--dealer: must be a positive whole number \(an id\)$' "user add: a dealer id that is no number" \
    user add --role customer --email c3@example.com --name C3 --dealer 1x
fails 1 '--dealer: must be a positive whole number \(an id\)$' "user add: dealer id 0" \
    user add --role customer --email c3@example.com --name C3 --dealer 0
fails 1 '--role: must be customer, dealer or admin' "user add: an unknown role" \
    user add --role boss --email c3@example.com --name C3
fails 1 '--language: must be en or id' "user add: an unknown language" \
    user add --role admin --email c3@example.com --name C3 --language fr
fails 1 'the email address cust.one@example.com is taken|the email address Cust.One@example.com is taken' \
    "user add: a taken email (other case)" \
    user add --role admin --email cust.one@EXAMPLE.com --name Dup
fails 1 '--email is required' "user add without --email" user add --role admin --name C3
fails 1 '--email: An email address needs exactly one @\.' "user add with a bad email" \
    user add --role admin --email "a@b@c.com" --name C3
fails 1 '--mobile: The phone number is too short\.' "user add with a bad mobile" \
    user add --role admin --email c3@example.com --name C3 --mobile 0812

ctl user list
is "$RC" 0 "user list succeeds" || diag "$ERR"
like "$OUT" '^ID +ROLE +EMAIL +NAME +DEALER +STATE +PASSWORD +PACKAGE +EXPIRES$' "user list has a header"
like "$OUT" "^$C1 +customer +Cust.One@example.com +Cust One +$D1 +active +no +- +-$" "user list shows the customer"
like "$OUT" "^$A1 +admin +admin@example.com +Admin +- +active +no +- +-$" "and the admin, without a dealer"
is "$(printf '%s\n' "$OUT" | grep -c -F -- "$htmlname")" 1 "a name with HTML is printed as text"
ctl user list --role customer
is "$(printf '%s\n' "$OUT" | awk 'NR > 1 { print $2 }' | sort -u)" customer "user list --role customer: customers only"
ctl user list --dealer "$D1"
is "$(printf '%s\n' "$OUT" | awk 'NR > 1 { print $1 }' | tr '\n' ' ')" "$C1 $S1 " \
    "user list --dealer: that dealer's customers and staff"
ctl user list --role dealer --dealer "$D1"
is "$(printf '%s\n' "$OUT" | awk 'NR > 1 { print $1 }' | tr '\n' ' ')" "$S1 " "both filters at once"
fails 1 'no dealer with id 999999$' "user list of an unknown dealer" user list --dealer 999999
fails 1 '--role: must be' "user list with a bad role" user list --role root
ctl dealer list
like "$OUT" "^$D1 +Toko Maju .* 1$" "dealer list counts the dealer's customers (not its staff)"

# ---------------------------------------------------------------- passwords

hash_of()
{
	sql "SELECT coalesce(password_hash, 'NULL') FROM users WHERE id = $1"
}

ctl_in "correct horse battery" user passwd "$C1"
is "$RC" 0 "user passwd reads the password from stdin" || diag "$ERR"
is "$OUT" "password set for user $C1, 0 sessions ended" "and says so"
like "$(hash_of "$C1")" '^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$' \
    "the stored hash is argon2id v=19 with m=19456,t=2,p=1, a 16-byte salt and a 32-byte tag"
h1=$(hash_of "$C1")
ctl_in "correct horse battery" user passwd "$S1"
isnt "$(hash_of "$S1" | cut -d'$' -f5)" "$(printf '%s' "$h1" | cut -d'$' -f5)" \
    "the same password gets another salt"
ctl user list
unlike "$OUT$ERR" 'argon2' "user list never prints a password hash"
like "$OUT" "^$C1 +customer .* active +yes " "user list says the customer has a password"

before=$(hash_of "$C1")
pw_fails()
{
	local input=$1 re=$2 desc=$3 b
	b=$(state)
	ctl_in "$input" user passwd "$C1"
	is "$RC" 1 "$desc: exit status 1"
	like "$ERR" "^waportalctl: user passwd: $re" "$desc: the message"
	is "$OUT$(state)" "$b" "$desc: nothing changed"
}
pw_fails "1234567" 'the password must be 8 to 1024 characters' "a 7-character password"
pw_fails "" 'the password must be 8 to 1024 characters' "an empty password"
pw_fails "$(printf 'a%.0s' $(seq 1025))" 'the password must be 8 to 1024 characters' \
    "a 1025-character password"
pw_fails "ééééééé" 'the password must be 8 to 1024 characters' \
    "7 two-byte characters (14 bytes) are 7 characters"
pw_fails "$(printf 'é%.0s' $(seq 1025))" 'the password must be 8 to 1024 characters' \
    "1025 two-byte characters"
pw_fails "$(printf '😀%.0s' $(seq 1025))" 'the password must be 8 to 1024 characters' \
    "1025 four-byte characters (more bytes than the read buffer)"
pw_fails $'abc\xffdefgh' 'the password must be 8 to 1024 characters of UTF-8 text' \
    "a password that is not UTF-8"
b=$(state)
OUT=$(printf 'first line pw\nsecond line\n' | "$CTL" user passwd "$C1" 2>"$STACK_DIR/ctl.err")
RC=$?
is "$RC" 1 "two lines on stdin: exit status 1"
like "$(cat "$STACK_DIR/ctl.err")" 'stdin must hold one line' "two lines on stdin: the message"
is "$(state)" "$b" "two lines on stdin: nothing changed"

pw_ok()
{
	local input=$1 desc=$2 b
	b=$(hash_of "$C1")
	ctl_in "$input" user passwd "$C1"
	is "$RC" 0 "$desc: accepted" || diag "$ERR"
	isnt "$(hash_of "$C1")" "$b" "$desc: a new hash is stored"
}
pw_ok "12345678" "an 8-character password"
pw_ok "ééééééé€" "8 multi-byte characters"
pw_ok "$(printf 'a%.0s' $(seq 1024))" "a 1024-character password"
pw_ok "$(printf '😀%.0s' $(seq 1024))" "1024 four-byte characters (4096 bytes)"
pw_ok " spaces kept " "leading and trailing spaces"
OUT=$(printf 'crlf line ok\r\n' | "$CTL" user passwd "$C1" 2>&1)
is "$?" 0 "a CR LF line end is accepted" || diag "$OUT"

fails 2 'too many arguments .*never taken from the command line' \
    "user passwd with the password as an argument" user passwd "$C1" hunter2hunter2
unlike "$ERR" 'hunter2' "(the password is not echoed)"
fails 2 'the ID is missing' "user passwd without an ID" user passwd
before=$(state)
ctl_in "unused password" user passwd 999999
is "$RC" 1 "user passwd for an unknown user: exit status 1"
like "$ERR" 'no user with id 999999$' "user passwd for an unknown user: the message"
is "$(state)" "$before" "user passwd for an unknown user: nothing changed"
ctl_in "unused password" user passwd abc
like "$ERR" 'ID: must be a positive whole number \(an id\)$' "user passwd abc: the ID must be a number"

# A password must be in no process's argv and in no output or log.
pw="Sekret-$RANDOM-$RANDOM-passphrase"
printf '%s\n' "$pw" >"$STACK_DIR/pw.pattern"
mkfifo "$STACK_DIR/pw.fifo"
"$CTL" user passwd "$C2" <"$STACK_DIR/pw.fifo" >"$STACK_DIR/pw.out" 2>&1 &
ctlpid=$!
exec 7>"$STACK_DIR/pw.fifo"
printf '%s\n' "$pw" >&7
seen=$(grep -l -F -f "$STACK_DIR/pw.pattern" /proc/[0-9]*/cmdline 2>/dev/null)
exec 7>&-
wait "$ctlpid"
is "$?" 0 "user passwd from a pipe that stays open while it runs" || diag "$(cat "$STACK_DIR/pw.out")"
is "$seen" "" "the password is in no process's command line"
seen=$(grep -r -l -F -f "$STACK_DIR/pw.pattern" "$STACK_DIR/pw.out" "$STACK_DIR/log" \
    "$STACK_DIR/pg/log" 2>/dev/null)
is "$seen" "" "the password is in no output and no log"
[ "$(sql "SELECT password_hash IS NOT NULL FROM users WHERE id = $C2")" = t ]
ok $? "and its hash is stored"

# On a terminal: asked twice, never echoed (needs python3 for a pty).
if command -v python3 >/dev/null 2>&1; then
	pty_passwd()
	{
		PW1=$1 PW2=$2 CTL=$CTL python3 -c '
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(os.environ["CTL"], ["waportalctl", "user", "passwd", sys.argv[1]])
out = b""
def upto(s):
    global out
    while s not in out:
        try:
            b = os.read(fd, 1024)
        except OSError:
            return
        if not b:
            return
        out += b
upto(b"New password: ")
os.write(fd, os.environ["PW1"].encode() + b"\n")
upto(b"Repeat it: ")
os.write(fd, os.environ["PW2"].encode() + b"\n")
upto(b"\xff-never")
st = os.waitpid(pid, 0)[1]
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.WEXITSTATUS(st))
' "$C2"
	}
	b=$(hash_of "$C2")
	OUT=$(pty_passwd "tty password 1" "tty password 1")
	is "$?" 0 "user passwd on a terminal asks twice" || diag "$OUT"
	like "$OUT" "password set for user $C2" "and sets it"
	unlike "$OUT" 'tty password' "the typed password is not echoed"
	isnt "$(hash_of "$C2")" "$b" "a new hash is stored"
	b=$(state)
	OUT=$(pty_passwd "tty password 1" "tty password 2")
	is "$?" 1 "two different passwords on a terminal: exit status 1"
	like "$OUT" 'the passwords do not match' "two different passwords: the message"
	is "$(state)" "$b" "two different passwords: nothing changed"
else
	ok 0 "# SKIP python3 is not installed (no pty test)"
fi

# ---------------------------------------------------------------- sessions

add_session()
{
	sql "INSERT INTO sessions (token_hash, user_id, csrf_token)
	    VALUES (sha256('$1'::bytea), $2, 'csrf')" >/dev/null
}
sessions_of()
{
	sql "SELECT count(*) FROM sessions WHERE user_id = $1"
}

add_session a1 "$C1"
add_session a2 "$C1"
add_session b1 "$C2"
ctl_in "another good password" user passwd "$C1"
is "$OUT" "password set for user $C1, 2 sessions ended" "a new password ends the user's sessions"
is "$(sessions_of "$C1")" 0 "they are gone"
is "$(sessions_of "$C2")" 1 "another user's session stays"

add_session a3 "$C1"
add_session a4 "$C1"
ctl user disable "$C1"
is "$RC" 0 "user disable succeeds" || diag "$ERR"
is "$OUT" "user $C1 disabled, 2 sessions ended" "and says how many sessions it ended"
is "$(sessions_of "$C1")" 0 "disable deletes the user's sessions"
is "$(sessions_of "$C2")" 1 "but no one else's"
is "$(sql "SELECT disabled_at IS NOT NULL FROM users WHERE id = $C1")" t "disabled_at is set"
ctl user list
like "$OUT" "^$C1 +customer .* disabled +yes " "user list shows the user disabled"
t1=$(sql "SELECT disabled_at FROM users WHERE id = $C1")
ctl user disable "$C1"
is "$RC$OUT" "0user $C1 disabled, 0 sessions ended" "disabling twice is harmless"
is "$(sql "SELECT disabled_at FROM users WHERE id = $C1")" "$t1" "and keeps the first time"
ctl user enable "$C1"
is "$RC$OUT" "0user $C1 enabled" "user enable succeeds"
is "$(sql "SELECT disabled_at IS NULL FROM users WHERE id = $C1")" t "disabled_at is cleared"
fails 1 'no user with id 999999$' "user disable of an unknown user" user disable 999999
fails 1 'no user with id 999999$' "user enable of an unknown user" user enable 999999
fails 1 'ID: must be a positive whole number \(an id\)$' "user disable abc" user disable abc
fails 2 'the ID is missing' "user disable without an ID" user disable
fails 2 'too many arguments' "user disable with two IDs" user disable "$C1" "$C2"

# ---------------------------------------------------------------- package assign

ctl package assign --customer "$C1" --package "$P1" --starts 2025-01-01 --expires 2099-12-31
is "$RC" 0 "package assign succeeds" || diag "$ERR"
is "$OUT" "customer $C1: package $P1 (Basic) from 2025-01-01 until 2099-12-31" "and says what it did"
ctl package assign --customer "$C1" --package "$P2" --expires 2099-06-30
is "$RC" 0 "package assign again, starting now" || diag "$ERR"
like "$OUT" "^customer $C1: package $P2 \\(Gold\\) from $(date +%Y-)[0-9-]+ until 2099-06-30$" \
    "it starts today"
is "$(sql "SELECT string_agg(package_id || ':' || active, ' ' ORDER BY id)
    FROM customer_packages WHERE customer_id = $C1")" "$P1:false $P2:true" \
    "the history keeps the old row, inactive; one row is active"
ctl package assign --customer "$C1" --package "$P1" --starts 2024-02-29 --expires 2024-03-01
is "$RC" 0 "a package that starts on a leap day and has expired" || diag "$ERR"
is "$(sql "SELECT count(*) || ' ' || count(*) FILTER (WHERE active)
    FROM customer_packages WHERE customer_id = $C1")" "3 1" "three rows, one active"
ctl user list --role customer
like "$OUT" "^$C1 +customer .* Basic +2024-03-01 \\(expired\\)$" "user list shows the active package, expired"
ctl package assign --customer "$C1" --package "$P2" --expires 2099-12-31
ctl user list
like "$OUT" "^$C1 +customer .* Gold +2099-12-31$" "user list shows the active package and its expiry"
ctl package list
like "$OUT" "^$P2 +Gold .* 1$" "package list counts the package's active customers"

fails 1 '--expires must be after --starts' "package assign: expiry before start" \
    package assign --customer "$C1" --package "$P1" --starts 2025-06-01 --expires 2025-05-31
fails 1 '--expires must be after --starts' "package assign: expiry on the start day" \
    package assign --customer "$C1" --package "$P1" --starts 2025-06-01 --expires 2025-06-01
fails 1 '--expires must be after today' "package assign: expiry in the past, no start" \
    package assign --customer "$C1" --package "$P1" --expires 2020-01-01
fails 1 "user $A1 is an admin, not a customer" "package assign to an admin" \
    package assign --customer "$A1" --package "$P1" --expires 2099-01-01
fails 1 "user $S1 is a dealer, not a customer" "package assign to dealer staff" \
    package assign --customer "$S1" --package "$P1" --expires 2099-01-01
fails 1 'no user with id 999999$' "package assign to an unknown user" \
    package assign --customer 999999 --package "$P1" --expires 2099-01-01
fails 1 'no package with id 999999$' "package assign of an unknown package" \
    package assign --customer "$C1" --package 999999 --expires 2099-01-01
fails 1 '--expires is required' "package assign without --expires" \
    package assign --customer "$C1" --package "$P1"
for bad in 2025-02-29 2100-02-29 2025-13-01 2025-00-10 2025-04-31 2025-2-3 25-01-01 \
    2025-01-01x 1969-12-31 "2025-01-01 00:00" tomorrow; do
	fails 1 '--expires: must be a date as YYYY-MM-DD' "package assign --expires '$bad'" \
	    package assign --customer "$C1" --package "$P1" --expires "$bad"
done

# ---------------------------------------------------------------- database down

OUT=$(DATABASE_URL="host=$STACK_DIR/nowhere dbname=x" "$CTL" dealer list 2>&1)
is "$?" 1 "an unreachable database: exit status 1"
like "$OUT" '^waportalctl: dealer list: connect: ' "an unreachable database: the message"

done_testing
