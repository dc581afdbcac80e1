# stack.sh: start/stop a throwaway waportal stack (PostgreSQL, spawn-fcgi workers, nginx) plus shell TAP helpers.
#
# Sourced by the black-box tests t/01NN-*.t, by ./dev and by bench/run.
# Sourcing only defines functions and a few variables; nothing starts until
# stack_start (tests, bench) or the stack_pg_* / stack_workers_* /
# stack_nginx_* building blocks (./dev) are called.
#
# A test looks like:
#
#	. "$top_srcdir/t/lib/stack.sh"
#	stack_start --workers 2
#	http GET /healthz
#	is "$HTTP_STATUS" 200 "healthz answers 200"
#	done_testing
#
# stack_start needs top_srcdir and top_builddir (absolute; make check sets
# them).  It exports BASE_URL, STACK_DIR, DATABASE_URL, PGHOST, PGDATABASE,
# PGUSER and STACK_MW_PID (multiwatch, the parent of the workers).  The
# stack is stopped and its temp dir removed on exit, also when a test dies;
# stopping adds two test points: no sanitizer report, no leftover process.
# STACK_KEEP=1 keeps the temp dir for a post-mortem.

# ---------------------------------------------------------------- TAP

TAP_N=0
TAP_FAILED=0

# ok RC DESC: one test point, passing when RC is 0 (use: cmd; ok $? "desc").
ok()
{
	local rc=$1
	shift
	TAP_N=$((TAP_N + 1))
	if [ "$rc" = 0 ]; then
		printf 'ok %d - %s\n' "$TAP_N" "$*"
		return 0
	fi
	TAP_FAILED=$((TAP_FAILED + 1))
	printf 'not ok %d - %s\n' "$TAP_N" "$*"
	return 1
}

# diag MSG...: a TAP comment (each line of MSG prefixed with "# ").
diag()
{
	printf '%s\n' "$*" | sed 's/^/# /'
}

# diag_file FILE [LINES]: the last LINES (40) lines of FILE as comments.
diag_file()
{
	[ -s "$1" ] || return 0
	diag "--- $1 (last ${2:-40} lines)"
	tail -n "${2:-40}" "$1" | cut -c1-300 | sed 's/^/#   /'
}

# _tap_show VALUE: VALUE shortened for a diagnostic.
_tap_show()
{
	local v=$1
	[ ${#v} -gt 400 ] && v="${v:0:400}...(${#1} bytes)"
	printf '%s' "$v"
}

# is GOT WANT DESC
is()
{
	[ "$1" = "$2" ]
	ok $? "$3" && return 0
	diag "     got: '$(_tap_show "$1")'" "
expected: '$(_tap_show "$2")'"
	return 1
}

# isnt GOT UNWANTED DESC
isnt()
{
	[ "$1" != "$2" ]
	ok $? "$3" && return 0
	diag "got the unwanted '$(_tap_show "$1")'"
	return 1
}

# like GOT ERE DESC: some line of GOT matches the extended regex ERE.
like()
{
	grep -Eq -- "$2" <<<"$1"
	ok $? "$3" && return 0
	diag "     got: '$(_tap_show "$1")'" "
doesn't match: /$2/"
	return 1
}

# unlike GOT ERE DESC: no line of GOT matches ERE.
unlike()
{
	! grep -Eq -- "$2" <<<"$1"
	ok $? "$3" && return 0
	diag "     got: '$(_tap_show "$(printf '%s\n' "$1" | grep -E -m1 -- "$2")")'" "
 matches: /$2/"
	return 1
}

# cmp_ok A OP B DESC: numeric comparison with test(1)'s -eq -ne -lt -le -gt -ge.
cmp_ok()
{
	[ "$1" "$2" "$3" ] 2>/dev/null
	ok $? "$4" && return 0
	diag "failed: $1 $2 $3"
	return 1
}

# skip_all REASON: the whole file is skipped.
skip_all()
{
	printf '1..0 # SKIP %s\n' "$*"
	exit 0
}

# bail_out REASON: stop everything (the stack is stopped by the exit trap).
bail_out()
{
	printf 'Bail out! %s\n' "$*"
	exit 255
}

# done_testing: stop the stack (adding its own checks), print the plan and
# exit 0: failures are in the TAP stream already (a non-zero exit would
# count once more as an ERROR in automake's tap-driver).
done_testing()
{
	stack_stop
	printf '1..%d\n' "$TAP_N"
	[ "$TAP_FAILED" -eq 0 ] || diag "$TAP_FAILED of $TAP_N failed"
	# read by ./dev test, which lists the slowest tests
	printf '# took %d s\n' "$SECONDS"
	_tap_cpu
	exit 0
}

# _tap_cpu: "# cpu N s (test M s, stack K s); W turns of wait_for": the
# CPU the test used, that of its shell and the commands it ran (psql,
# curl, node and Chromium, the workers it reaped) and that of its stacks'
# processes (PostgreSQL, nginx...; stack_stop counts them); unlike the
# time it took, the same on a loaded machine (./dev test sums it per
# tree).  W: the pauses of 0.1 s wait_for made (each a turn of its CMD).
STACK_CPU_TICKS=0 TAP_WAIT_TURNS=0
_tap_cpu()
{
	local f=${TMPDIR:-/tmp}/waportal-times.$$ hz t
	times >"$f" 2>/dev/null || return 0
	hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
	t=$(awk '{ for (i = 1; i <= 2; i++) { v = $i; sub(/s$/, "", v);
	    split(v, a, "m"); s += a[1] * 60 + a[2] } } END { printf "%.1f", s }' "$f")
	rm -f "$f"
	awk -v t="$t" -v k="$STACK_CPU_TICKS" -v hz="$hz" -v w="$TAP_WAIT_TURNS" 'BEGIN {
	    printf "# cpu %.1f s (test %.1f s, stack %.1f s); %d turns of wait_for\n",
	    t + k / hz, t, k / hz, w }'
}

# _stack_cpu_add: the CPU of the stack's processes (_STACK_PIDS: those that
# run and the children they reaped: PostgreSQL's backends, the workers
# that multiwatch restarted) added to STACK_CPU_TICKS, before they stop.
_stack_cpu_add()
{
	local p s f
	for p in "${_STACK_PIDS[@]}"; do
		s=
		{ read -r s <"/proc/$p/stat"; } 2>/dev/null
		read -ra f <<<"${s##*) }"
		# The test's own children (multiwatch, the dispatcher...)
		# are counted by times once the shell has reaped them.
		[ "${f[1]:-}" = "$$" ] && continue
		STACK_CPU_TICKS=$((STACK_CPU_TICKS + ${f[11]:-0} + ${f[12]:-0} + ${f[13]:-0} + ${f[14]:-0}))
	done
}

# ---------------------------------------------------------------- HTTP

# http METHOD PATH [curl args...]: one request to $BASE_URL$PATH, sent
# as is (no path normalisation).  Sets HTTP_STATUS (000 when the
# connection failed), HTTP_HEAD (all header lines, CR removed) and
# HTTP_BODY; the raw files are $STACK_DIR/http.head and http.body.
http()
{
	local method=$1 path=$2
	shift 2
	local m=(-X "$method")
	if [ "$method" = HEAD ]; then
		http_raw "HEAD $path HTTP/1.1"
		return
	fi
	HTTP_STATUS=$(curl -sS --path-as-is --max-time 15 "${m[@]}" \
	    -o "$STACK_DIR/http.body" -D "$STACK_DIR/http.head" \
	    -w '%{http_code}' "$@" "$BASE_URL$path" 2>"$STACK_DIR/http.err")
	[ -n "$HTTP_STATUS" ] || HTTP_STATUS=000
	_http_read
}

# _http_read: HTTP_HEAD and HTTP_BODY from the answer's files, with no
# process: CRs out of the head; NUL bytes, which a shell variable cannot
# hold, out of the body (bash drops them, and its warning is silenced).
_http_read()
{
	HTTP_HEAD=$(<"$STACK_DIR/http.head")
	HTTP_HEAD=${HTTP_HEAD//$'\r'/}
	{ HTTP_BODY=$(<"$STACK_DIR/http.body"); } 2>/dev/null
}

# http_raw REQUEST_LINE [HEADER...]: send a request by hand (Host and
# Connection: close are added; no body) and read the whole answer, for
# what curl cannot do (HEAD with a check that no body follows).  Sets the
# same variables as http.
http_raw()
{
	local line=$1 h port=${BASE_URL##*:}
	shift
	HTTP_STATUS=000
	{
		exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
		{
			printf '%s\r\n' "$line" "Host: 127.0.0.1" "Connection: close" "$@"
			printf '\r\n'
		} >&3
		timeout 10 cat <&3 >"$STACK_DIR/http.raw"
		exec 3<&-
	} 2>"$STACK_DIR/http.err"
	# Split at the first empty line.
	perl -e 'local $/; $_ = <STDIN>; my ($h, $b) = split /\r?\n\r?\n/, $_, 2;
	    open my $fh, ">", $ARGV[0] or die; print $fh $h, "\n"; close $fh;
	    open $fh, ">", $ARGV[1] or die; print $fh $b // ""; close $fh;' \
	    "$STACK_DIR/http.head" "$STACK_DIR/http.body" <"$STACK_DIR/http.raw"
	_http_read
	h=$(head -n 1 <<<"$HTTP_HEAD")
	h=${h#HTTP/1.? }
	HTTP_STATUS=${h%% *}
}

# header NAME: the value of header NAME in the last response (all of them,
# one a line, when repeated); matching is case-insensitive.
header()
{
	printf '%s\n' "$HTTP_HEAD" | awk -v n="$1" '
	    index($0, ":") > 1 {
		k = substr($0, 1, index($0, ":") - 1)
		if (tolower(k) == tolower(n)) {
			v = substr($0, index($0, ":") + 1)
			sub(/^[ \t]+/, "", v)
			print v
		}
	    }'
}

# header_count NAME: how many times header NAME is in the last response.
header_count()
{
	printf '%s\n' "$HTTP_HEAD" | grep -ci "^$1:"
}

# wait_for SECONDS CMD...: run CMD until it succeeds, every 0.1 s for the
# first 2 s, then every 0.25 s; 1 once SECONDS of pauses have passed. The
# pause is a read that times out on a pipe nobody writes (the test holds
# both ends): no sleep process per turn. A turn is a process or two (often
# a psql and its backend, some 40 ms of CPU): a test waiting for a slow
# job at ten turns a second spent a third of its CPU asking (t/0151 in the
# sanitizer tree: 1,251 turns); after 2 s, a quarter of a second more to
# notice costs nothing a test can see.
wait_for()
{
	local n=$(($1 * 100)) s=$1 nap _ turn=0 t
	shift
	exec {nap}<> <(:)
	while [ "$n" -gt 0 ]; do
		if "$@"; then
			exec {nap}<&-
			return 0
		fi
		t=10
		[ "$turn" -ge 20 ] && t=25
		read -rt "0.$t" -u "$nap" _
		n=$((n - t))
		turn=$((turn + 1))
		TAP_WAIT_TURNS=$((TAP_WAIT_TURNS + 1))
	done
	exec {nap}<&-
	# A wait that runs out costs its whole time: said in the log, so
	# that a wait for what never comes is found (grep 'gave up').
	diag "wait_for: gave up after $s s: $*"
	return 1
}

# ---------------------------------------------------------------- building blocks

STACK_IS_ROOT=0
[ "$(id -u)" = 0 ] && STACK_IS_ROOT=1
# As root the workers and nginx run as this unprivileged user, PostgreSQL
# as "postgres"; as anyone else everything runs as that user.
STACK_RUN_USER=${STACK_RUN_USER:-www-data}
STACK_PG_USER=${STACK_PG_USER:-postgres}

# stack_as_pg CMD...: run CMD as the PostgreSQL server user.
stack_as_pg()
{
	if [ "$STACK_IS_ROOT" = 1 ]; then
		runuser -u "$STACK_PG_USER" -- "$@"
	else
		"$@"
	fi
}

# stack_as_run CMD...: run CMD as the user the workers run as.
stack_as_run()
{
	if [ "$STACK_IS_ROOT" = 1 ]; then
		runuser -u "$STACK_RUN_USER" -- "$@"
	else
		"$@"
	fi
}

# The newest installed PostgreSQL server bin directory, found once: its
# psql is called directly (Debian's /usr/bin/psql is a Perl wrapper that
# costs three times the CPU of psql itself on every call).
STACK_PG_BIN=${STACK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

# stack_pg_bindir: that directory, or an error when it has no initdb.
stack_pg_bindir()
{
	[ -x "$STACK_PG_BIN/initdb" ] || { echo "stack: initdb not found: apt-get install postgresql" >&2; return 1; }
	printf '%s\n' "$STACK_PG_BIN"
}

# stack_layout DIR: the directories of a stack.  DIR/pg is the cluster,
# DIR/run holds the PostgreSQL and FastCGI sockets and the pid files,
# DIR/log the logs, DIR/nginx the generated nginx configuration, DIR/san
# the sanitizer reports.
stack_layout()
{
	local d=$1
	mkdir -p "$d/pg" "$d/run" "$d/log" "$d/nginx/tmp" "$d/san" || return 1
	chmod 755 "$d" "$d/run" "$d/log" "$d/nginx" || return 1
	chmod 700 "$d/pg"
	chmod 1777 "$d/san"
	if [ "$STACK_IS_ROOT" = 1 ]; then
		chown "$STACK_PG_USER" "$d/pg" "$d/run" "$d/log" || return 1
	fi
}

# stack_pg_init [--migrated] DIR [SETTING...]: a new cluster in DIR/pg that
# listens only on a unix socket in DIR/run; each SETTING ("fsync = off") is
# appended to postgresql.conf.  Superuser "postgres", trust authentication
# (local only).  --migrated: a copy of stack_pg_migrated's cluster where
# there is one (STACK_PG_MIGRATED=1: role and database "waportal" exist,
# migrated), else a fresh one as without it (STACK_PG_MIGRATED=0).
stack_pg_init()
{
	local d bin s tpl migrated=0
	STACK_PG_MIGRATED=0
	[ "$1" = --migrated ] && { migrated=1; shift; }
	d=$1
	shift
	bin=$(stack_pg_bindir) || return 1
	if [ "$migrated" = 1 ] && tpl=$(stack_pg_migrated "$bin"); then
		stack_as_pg cp -aT "$tpl/pg" "$d/pg" || return 1
		STACK_PG_MIGRATED=1
	elif tpl=$(stack_pg_template "$bin"); then
		stack_as_pg cp -aT "$tpl/pg" "$d/pg" || return 1
	else
		stack_as_pg "$bin/initdb" -D "$d/pg" -A trust -U postgres -E UTF8 \
		    --no-locale --no-sync >"$d/log/initdb.log" 2>&1 || {
			cat "$d/log/initdb.log" >&2
			return 1
		}
	fi
	{
		echo "# added by t/lib/stack.sh"
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$d/run'"
		echo "max_connections = 100"
		for s in "$@"; do echo "$s"; done
	} >>"$d/pg/postgresql.conf"
}

# stack_pg_template BINDIR: the directory of a fresh cluster (DIR/pg, made
# by BINDIR's initdb once per build tree, in $top_builddir/.pg-template-
# VERSION, outside every folder make dist ships) that stack_pg_init copies instead of running initdb for every
# stack: a copy costs a sixth of initdb's CPU, and a suite starts some
# eighty clusters. Prints nothing and fails where there is no build tree
# to keep it in. Two tests that make it at once each make their own and
# the first rename wins. A tree the cluster's user cannot reach keeps it
# in $TMPDIR (or /tmp).
stack_pg_template()
{
	local bin=$1 v tpl tmp dir
	[ -n "${top_builddir:-}" ] && [ -d "$top_builddir/t" ] &&
	    [ -w "$top_builddir" ] || return 1
	v=$("$bin/initdb" --version 2>/dev/null | awk '{ print $3 }')
	[ -n "$v" ] || return 1
	# In the build tree; for a tree the cluster's user cannot reach (a
	# clone under /root), in the temporary directory, one per user and
	# version (each stack ran initdb there before: six times the CPU).
	dir=$top_builddir tpl=$top_builddir/.pg-template-$v
	if [ ! -f "$tpl/pg/PG_VERSION" ] &&
	    ! stack_as_pg test -x "$top_builddir" -a -r "$top_builddir" \
	    2>/dev/null; then
		dir=${TMPDIR:-/tmp} tpl=$dir/waportal-pg-template-$v-$(id -u)
	fi
	if [ ! -f "$tpl/pg/PG_VERSION" ]; then
		tmp=$(mktemp -d "$dir/.pg-template.XXXXXX") || return 1
		chmod 755 "$tmp"
		[ "$STACK_IS_ROOT" = 1 ] && chown "$STACK_PG_USER" "$tmp"
		if ! stack_as_pg "$bin/initdb" -D "$tmp/pg" -A trust -U postgres \
		    -E UTF8 --no-locale --no-sync >"$tmp/initdb.log" 2>&1; then
			rm -rf "$tmp"
			return 1
		fi
		mv -T "$tmp" "$tpl" 2>/dev/null || rm -rf "$tmp"
	fi
	[ -f "$tpl/pg/PG_VERSION" ] && echo "$tpl"
}

# stack_pg_migrated BINDIR: the directory of a cluster (DIR/pg) copied
# from stack_pg_template's, with role and database "waportal" migrated by
# $STACK_BIN/waportalctl from $STACK_SQL (stack_share sets both): made once
# per build tree, migration files (names and contents) and program, named
# by their digest, so that a stack copies it instead of creating the
# database and applying some forty migrations (in the sanitizer tree by a
# sanitized waportalctl).  Made under a lock (tests start four at once);
# one made for other files more than an hour ago is removed.  Prints
# nothing and fails where stack_pg_template does or the migration fails
# (stack_start then migrates in the stack and shows why).
# STACK_PG_FRESH=1 turns it off (to measure what it saves).
stack_pg_migrated()
{
	local bin=$1 base sum dir tpl
	[ -z "${STACK_PG_FRESH:-}" ] || return 1
	base=$(stack_pg_template "$bin") || return 1
	# "wal1": how the copy is made, in the name too.
	sum=$({ echo wal1 && (cd "${STACK_SQL:?}" && sha256sum -- *.sql) &&
	    stat -L -c '%s %Y' "${STACK_BIN:?}/waportalctl"; } | sha256sum) || return 1
	dir=$(dirname "$base") tpl=$base-m${sum:0:16}
	if [ ! -f "$tpl/pg/PG_VERSION" ]; then
		(
			flock 9
			[ -f "$tpl/pg/PG_VERSION" ] && exit 0
			_stack_pg_migrate_copy "$bin" "$base" "$tpl" || exit 1
			find "$dir" -maxdepth 1 -name "${base##*/}-m*" ! -name "${tpl##*/}" \
			    -mmin +60 -exec rm -rf {} + 2>/dev/null
			exit 0
		) 9>"$dir/.pg-template.lock" || return 1
	fi
	[ -f "$tpl/pg/PG_VERSION" ] && echo "$tpl"
}

# _stack_pg_migrate_copy BINDIR FROM TO: FROM's cluster copied, started
# on a socket of its own, "waportal" created and migrated, stopped, its
# WAL cut to one small segment, its postgresql.conf restored, renamed TO.
_stack_pg_migrate_copy()
{
	local bin=$1 from=$2 to=$3 tmp rc=0
	tmp=$(mktemp -d "$(dirname "$to")/.pg-template.XXXXXX") || return 1
	chmod 755 "$tmp"
	stack_layout "$tmp" && stack_as_pg cp -aT "$from/pg" "$tmp/pg" &&
	    printf "listen_addresses = ''\nunix_socket_directories = '%s'\nfsync = off\n" \
	    "$tmp/run" >>"$tmp/pg/postgresql.conf" &&
	    stack_pg_start "$tmp" 2>/dev/null || { rm -rf "$tmp"; return 1; }
	stack_pg_createdb "$tmp" waportal >/dev/null 2>&1 &&
	    (unset $(compgen -v WAPORTAL_)
	    DATABASE_URL=$(stack_conninfo "$tmp") WAPORTAL_SQL_DIR=$STACK_SQL \
	    "$STACK_BIN/waportalctl" migrate) >"$tmp/log/migrate.log" 2>&1 || rc=1
	stack_pg_stop "$tmp" || rc=1
	# WAL in segments of 1 MB instead of 16: a third less to copy.
	[ "$rc" = 0 ] && stack_as_pg "$bin/pg_resetwal" --wal-segsize=1 \
	    -D "$tmp/pg" >>"$tmp/log/migrate.log" 2>&1 || rc=1
	[ "$rc" = 0 ] && stack_as_pg cp "$from/pg/postgresql.conf" "$tmp/pg/postgresql.conf" &&
	    stack_as_pg rm -f "$tmp/pg/postmaster.opts" &&
	    mv -T "$tmp" "$to" || rc=1
	[ "$rc" = 0 ] || rm -rf "$tmp"
	return "$rc"
}

# stack_pg_running DIR: 0 if the cluster in DIR/pg runs.
stack_pg_running()
{
	local p=
	# What pg_ctl status checks, without its process.
	[ -s "$1/pg/postmaster.pid" ] &&
	    { read -r p <"$1/pg/postmaster.pid"; } 2>/dev/null
	stack_alive "$p"
}

# stack_pg_start DIR: start the cluster, waiting until it accepts connections.
stack_pg_start()
{
	local bin
	bin=$(stack_pg_bindir) || return 1
	stack_as_pg "$bin/pg_ctl" -D "$1/pg" -l "$1/log/postgres.log" -w \
	    -t 30 start </dev/null >/dev/null 2>&1 || {
		echo "stack: PostgreSQL did not start; $1/log/postgres.log:" >&2
		tail -n 20 "$1/log/postgres.log" >&2
		return 1
	}
}

# stack_pg_stop DIR: stop the cluster (fast shutdown: sessions are cut).
stack_pg_stop()
{
	local bin
	bin=$(stack_pg_bindir) || return 1
	stack_pg_running "$1" || return 0
	stack_as_pg "$bin/pg_ctl" -D "$1/pg" -m fast -w -t 30 stop \
	    </dev/null >/dev/null 2>&1
}

# stack_psql DIR [psql args...]: psql as superuser on the cluster in DIR
# (unaligned, tuples only, stop on error).
stack_psql()
{
	local d=$1
	shift
	"$STACK_PG_BIN/psql" -h "$d/run" -U postgres -X -A -t -q \
	    -v ON_ERROR_STOP=1 "$@"
}

# ---------------------------------------------------------------- fixtures

# sql QUERY...: each QUERY in turn, in one session, as superuser on the
# database "waportal" of the stack (the cluster in $STACK_PG_DIR, by
# default $STACK_DIR); rows unaligned, without headers; stops at the
# first error (exit status 3).
sql()
{
	local q a=()
	for q; do
		a+=(-c "$q")
	done
	stack_psql "${STACK_PG_DIR:-$STACK_DIR}" -d waportal "${a[@]}"
}

# _sql_lit VALUE: VALUE as an SQL string literal.
_sql_lit()
{
	local q="'"
	printf "'%s'" "${1//$q/$q$q}"
}

# stack_host NAME [COLUMN=VALUE...]: a row of hosts named NAME; prints
# its id.  Each VALUE is a literal, quoted here ("now" is wa_now(), the
# clock of the SQL); a column left out takes its default.  Defaults of
# the tests: base_url http://127.0.0.1:9 (nothing answers there),
# api_key "k", webhook_secret $STACK_HOST_SECRET, capacity 10; of the
# table: enabled, status unknown, no place, no figures.
STACK_HOST_SECRET=0123456789abcdef0123456789abcdef-test
stack_host()
{
	local name=$1 kv k v cols=name vals
	local -A col=([base_url]=http://127.0.0.1:9 [api_key]=k
	    [webhook_secret]=$STACK_HOST_SECRET [capacity]=10)
	shift
	vals=$(_sql_lit "$name")
	for kv; do
		col[${kv%%=*}]=${kv#*=}
	done
	for k in "${!col[@]}"; do
		v=${col[$k]}
		cols="$cols, $k"
		if [ "$v" = now ]; then
			vals="$vals, wa_now()"
		else
			vals="$vals, $(_sql_lit "$v")"
		fi
	done
	sql "INSERT INTO hosts ($cols) VALUES ($vals) RETURNING id"
}

# stack_customers INSTANCES MESSAGES EMAIL...: dealer 1 "Acme", package 1
# "Test" (INSTANCES instances, MESSAGES messages a month, 10 contacts,
# 1 API key, 10 requests a minute) and one customer per EMAIL (ids 1, 2,
# ... in order, named by the email's first letter upper-cased), each with
# the package for 30 days and the password $STACK_PW.
STACK_PW='correct horse battery'
stack_customers()
{
	local inst=$1 msgs=$2 email id=0
	shift 2
	stack_psql "$STACK_DIR" -d waportal -c "INSERT INTO dealers (name)
	    VALUES ('Acme'); INSERT INTO packages (name, max_instances,
	    max_contacts, max_messages_month, max_api_keys, api_rpm)
	    VALUES ('Test', $inst, 10, $msgs, 1, 10)" >/dev/null || return 1
	for email; do
		id=$((id + 1))
		stack_psql "$STACK_DIR" -d waportal -c "INSERT INTO users
		    (role, dealer_id, email, name) VALUES ('customer', 1,
		    '$email', upper(left('$email', 1)));
		    INSERT INTO customer_packages (customer_id, package_id,
		    expires_at) VALUES ($id, 1, wa_now() + interval '30 days')" \
		    >/dev/null || return 1
		printf '%s\n' "$STACK_PW" |
		    "$STACK_BIN/waportalctl" user passwd "$id" >/dev/null ||
		    return 1
	done
}

# newkey CUSTOMER SCOPES [EXTRA_COLUMNS EXTRA_VALUES]: a real key (made by
# t/apikeygen) stored by its SHA-256; prints "KEY ID".
newkey() {
	local k h id
	read -r k h < <("$top_builddir/t/apikeygen")
	id=$(sql "INSERT INTO api_keys (customer_id, name, key_hash, visible, scopes${3:+, $3})
	     VALUES ($1, 'test', decode('$h', 'hex'), left('$k', 10), '$2'${4:+, $4}) RETURNING id")
	echo "$k $id"
}
# api METHOD PATH KEY [CURL_ARGS...]: one call with the key as Bearer.
api() {
	local m=$1 p=$2 k=$3
	shift 3
	http "$m" "$p" ${k:+-H "Authorization: Bearer $k"} "$@"
}

# ---------------------------------------------------------------- the clock

# The SQL's clock is wa_now() (sql/0001_base.sql): now(), unless the
# session setting waportal.now holds a timestamp.  A test that depends
# on the time pins it, or moves it, instead of waiting for time to pass
# (docs/development.md, "The database clock").  STACK_CLOCK is the
# pinned time ('' when the clock runs).

STACK_CLOCK=

# stack_clock TIMESTAMP: pin the clock of the stack's database at
# TIMESTAMP (timestamptz input, e.g. 'now' or '2030-01-02 03:04:05+07',
# read once: the clock then stands still); '' lets it run again.  Every
# new session takes it (ALTER DATABASE ... SET), so sql and waportalctl
# at once; the workers and the dispatcher, whose sessions last, are
# restarted when they run.
stack_clock()
{
	_stack_clock_set "$1" || return 1
	_stack_reconnect
}

# stack_clock_add INTERVAL: move the pinned clock by INTERVAL ('3
# seconds', '-1 hour'); as stack_clock.
stack_clock_add()
{
	[ -n "$STACK_CLOCK" ] || { echo "stack_clock_add: the clock is not pinned" >&2; return 1; }
	stack_clock "$(sql "SELECT timestamptz '$STACK_CLOCK' + interval '$1'")"
}

# _stack_clock_set TIMESTAMP: ALTER DATABASE waportal SET waportal.now
# (RESET for ''); sets STACK_CLOCK (UTC, whole seconds).
_stack_clock_set()
{
	local t
	if [ -z "$1" ]; then
		sql "ALTER DATABASE waportal RESET waportal.now" >/dev/null || return 1
		STACK_CLOCK=
		return 0
	fi
	t=$(sql "SET TimeZone = 'UTC'" \
	    "SELECT date_trunc('second', timestamptz '$1')") || return 1
	sql "ALTER DATABASE waportal SET waportal.now = '$t'" >/dev/null || return 1
	STACK_CLOCK=$t
}

# _stack_reconnect: restart the workers, the dispatcher and the runner,
# when they run, so that they open new database sessions.
_stack_reconnect()
{
	local f=$STACK_DIR/run/workers.pid
	if stack_pid_alive "$f"; then
		stack_stop_pidfile "$f" 10
		_stack_san_env
		stack_workers_start "$STACK_DIR" "$STACK_BIN/waportal-fcgi" \
		    "${STACK_WORKERS:-2}" || { _stack_san_env_restore; return 1; }
		_stack_san_env_restore
		STACK_MW_PID=$(cat "$f")
	fi
	f=$STACK_DIR/run/dispatch.pid
	if stack_pid_alive "$f"; then
		stack_stop_pidfile "$f" 10
		_stack_san_env
		stack_dispatch_start || { _stack_san_env_restore; return 1; }
		_stack_san_env_restore
	fi
	f=$STACK_DIR/run/runner.pid
	if stack_pid_alive "$f"; then
		stack_stop_pidfile "$f" 10
		_stack_san_env
		stack_runner_start || { _stack_san_env_restore; return 1; }
		_stack_san_env_restore
	fi
	return 0
}

# ---------------------------------------------------------------- gates

# A gate holds a background session in the middle of its work until the
# test opens it: an order of events made sure of instead of hoped for
# with a pg_sleep in one session and a sleep in the test.
#
#	sql BEGIN "SELECT first()" "$(stack_gate g1)" COMMIT &
#	stack_gate_wait g1		# first() ran, its transaction is open
#	...				# what must happen meanwhile
#	stack_gate_open g1; wait $!

# stack_gate NAME: an SQL statement that waits until gate NAME is open
# (polling every 20 ms; it fails after 60 s).
stack_gate()
{
	sql "CREATE SCHEMA IF NOT EXISTS stack;
	    CREATE TABLE IF NOT EXISTS stack.gates (name text PRIMARY KEY)" \
	    >/dev/null 2>&1
	printf '%s' "DO \$gate\$ BEGIN /* gate:$1 */
	    WHILE NOT EXISTS (SELECT FROM stack.gates WHERE name = '$1') LOOP
		IF clock_timestamp() > statement_timestamp() + interval '60 s' THEN
			RAISE EXCEPTION 'gate $1 was never opened';
		END IF;
		PERFORM pg_sleep(0.02);
	    END LOOP; END \$gate\$"
}

# stack_gate_wait NAME: wait (30 s) until a session waits at gate NAME.
stack_gate_wait()
{
	wait_for 30 _stack_at "gate:$1 \*/" ||
	    { echo "stack_gate_wait: nobody came to gate $1" >&2; return 1; }
}

# stack_gate_open NAME: let the sessions waiting at gate NAME go on.
stack_gate_open()
{
	sql "INSERT INTO stack.gates VALUES ('$1') ON CONFLICT DO NOTHING" >/dev/null
}

# stack_lock_wait ERE: wait (30 s) until another session whose query
# matches ERE waits for a lock.
stack_lock_wait()
{
	wait_for 30 _stack_at "$1" "AND wait_event_type = 'Lock'" ||
	    { echo "stack_lock_wait: no session waits for a lock in /$1/" >&2; return 1; }
}

# _stack_at ERE [SQL]: 0 if another session runs a query matching ERE
# (and SQL, more conditions on pg_stat_activity).
_stack_at()
{
	[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE query ~ '$1'
	    AND pid <> pg_backend_pid() ${2:-}")" -gt 0 ]
}

# stack_pg_createdb DIR DB: role "waportal" and database DB owned by it,
# unless they exist.
stack_pg_createdb()
{
	local d=$1 db=$2
	stack_psql "$d" -d postgres -c "DO \$\$ BEGIN
	    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'waportal')
	    THEN CREATE ROLE waportal LOGIN; END IF; END \$\$;" || return 1
	[ "$(stack_psql "$d" -d postgres -c \
	    "SELECT 1 FROM pg_database WHERE datname = '$db'")" = 1 ] && return 0
	stack_psql "$d" -d postgres -c "CREATE DATABASE \"$db\" OWNER waportal"
}

# stack_conninfo DIR [DB]: the libpq conninfo of database DB (waportal).
stack_conninfo()
{
	printf "host='%s' dbname='%s' user=waportal\n" "$1/run" "${2:-waportal}"
}

# stack_alive PID: 0 if PID runs (a zombie waiting to be reaped does not).
stack_alive()
{
	local state=
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
	# Read by bash, with no process: a stack's start and stop ask this
	# some fifty times, and a fork costs some 10 ms of CPU.
	{ read -r state <"/proc/$1/stat"; } 2>/dev/null
	state=${state##*) }
	state=${state%% *}
	[ "$state" != Z ] && [ "$state" != X ]
}

# stack_pid_alive PIDFILE: 0 if PIDFILE names a live process.
stack_pid_alive()
{
	local p=
	[ -s "$1" ] && { read -r p <"$1"; } 2>/dev/null
	stack_alive "$p"
}

# stack_children PID: the PIDs of PID's children, one a line.
stack_children()
{
	pgrep -P "$1" 2>/dev/null || true
}

# stack_cpu_ticks PID...: user + system clock ticks the processes used so
# far (benches: CPU per request or message).
stack_cpu_ticks()
{
	local p t=0
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] &&
		    t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
	done
	echo "$t"
}

# stack_tree_pids PIDFILE: the process in PIDFILE and its children
# (PostgreSQL's postmaster.pid, nginx.pid, a workers pidfile).
stack_tree_pids()
{
	local p
	p=$(head -n 1 "$1" 2>/dev/null) || return 0
	[ -n "$p" ] || return 0
	echo "$p"
	stack_children "$p"
}

# stack_busy_ticks: clock ticks all CPUs spent busy so far (/proc/stat,
# everything but idle and iowait), then the total, on one line.
stack_busy_ticks()
{
	awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i
	    print t - $5 - $6, t; exit }' /proc/stat
}

# stack_workers_start DIR BINARY N [NAME]: spawn-fcgi makes the socket
# DIR/run/fcgi.sock and runs multiwatch, which runs and restarts N copies
# of BINARY; the pid file is DIR/run/workers.pid, the log
# DIR/log/workers.log (with NAME: NAME.sock, NAME.pid, NAME.log).  The
# environment (DATABASE_URL, WAPORTAL_*) passes through.  spawn-fcgi -n
# stays in the foreground (in the background of this shell) because in
# its forking mode it points the workers' stderr, their log, at
# /dev/null.  multiwatch -s TERM: a worker finishes its request on
# SIGTERM (multiwatch's default is SIGUSR1); -t 1000: a worker that lived
# a second is restarted however often it dies.
stack_workers_start()
{
	local d=$1 bin=$2 n=$3 sock=$1/run/${4:-fcgi}.sock
	local pidf=$1/run/${4:-workers}.pid log=$1/log/${4:-workers}.log
	local args=(-n -s "$sock" -M 0660)
	if [ "$STACK_IS_ROOT" = 1 ]; then
		args+=(-U "$STACK_RUN_USER" -G "$STACK_RUN_USER"
		    -u "$STACK_RUN_USER" -g "$STACK_RUN_USER")
	fi
	rm -f "$sock"
	spawn-fcgi "${args[@]}" -- /usr/bin/multiwatch -f "$n" -s TERM \
	    -t 1000 -- "$bin" </dev/null >>"$log" 2>&1 &
	echo $! >"$pidf"
	if ! wait_for 10 _stack_workers_up "$sock" "$pidf" "$n"; then
		echo "stack: workers did not start; $log:" >&2
		tail -n 20 "$log" >&2
		return 1
	fi
}

_stack_workers_up()
{
	local p k
	[ -S "$1" ] && stack_pid_alive "$2" || return 1
	read -r p <"$2"
	k=($(stack_children "$p"))
	[ "${#k[@]}" -ge "$3" ]
}

# stack_stop_pidfile PIDFILE [SECONDS]: SIGTERM the process and its
# children, wait for them (5 s), then SIGKILL what is left.
stack_stop_pidfile()
{
	local pids p n
	stack_pid_alive "$1" || { rm -f "$1"; return 0; }
	read -r p <"$1"
	pids="$p $(stack_children "$p")"
	kill -TERM "$p" 2>/dev/null || true
	n=$((${2:-5} * 10))
	while [ "$n" -gt 0 ] && _stack_any_alive $pids; do
		_stack_nap
		n=$((n - 1))
	done
	for p in $pids; do
		kill -KILL "$p" 2>/dev/null || true
	done
	rm -f "$1"
}

# _stack_nap: a pause of 0.1 s with no process (a read that times out on
# a pipe nobody writes, opened once per shell).
_STACK_NAP=
_stack_nap()
{
	local _
	[ -n "$_STACK_NAP" ] || exec {_STACK_NAP}<> <(:)
	read -rt 0.1 -u "$_STACK_NAP" _
}

_stack_any_alive()
{
	local p
	for p in "$@"; do
		stack_alive "$p" && return 0
	done
	return 1
}

# stack_nginx_conf DIR PORT STATIC_ROOT [EXTRA_FILE]: DIR/nginx/nginx.conf,
# a top-level configuration with every path inside DIR, including the
# repository's nginx/waportal.conf rewritten for this stack: listen on
# 127.0.0.1:PORT, the workers' socket DIR/run/fcgi.sock, static files from
# STATIC_ROOT, the snippets and problem documents from DIR/nginx.  The
# rewrite checks that it left no installed path behind.  EXTRA_FILE, if
# given, is included in http{} too (bench/run adds its own servers).
# STACK_NGINX_WORKERS (auto) and STACK_NGINX_ACCESS_LOG
# (DIR/log/nginx-access.log, or "off").  STACK_LOGIN_RATE replaces nginx's
# sign-in rate (10r/m) for tests that exercise the application's own
# throttling behind it.  Capacity: stack_nginx_capacity.
stack_nginx_conf()
{
	local d=$1 port=$2 static=${3%/} extra=${4:-} f src=${top_srcdir:?}/nginx
	local n=$d/nginx alog=${STACK_NGINX_ACCESS_LOG:-$1/log/nginx-access.log}
	local alog_line="access_log $alog waportal_noquery;" conns nofile
	[ "$alog" = off ] && alog_line="access_log off;"
	mkdir -p "$n/tmp" "$n/problems" || return 1
	cp /etc/nginx/mime.types /etc/nginx/fastcgi_params "$n/" || return 1
	cp "$src"/problems/*.json "$n/problems/" || return 1
	read -r conns nofile < <(stack_nginx_capacity)
	local tls=()
	# STACK_TLS_PORT: the site as docs/deploy.md turns TLS on: the "#tls"
	# lines uncommented, the main server's "listen 80" gone, HTTPS on
	# that port with the stack's certificate, the plain port redirecting.
	[ -n "${STACK_TLS_PORT:-}" ] && tls=(-e 's/^\([[:space:]]*\)#tls /\1/'
	    -e '0,/^[[:space:]]*listen 80;/{/^[[:space:]]*listen 80;/d}'
	    -e "s#^\([[:space:]]*\)listen 443 ssl#\1listen 127.0.0.1:$STACK_TLS_PORT ssl#"
	    -e '/^[[:space:]]*listen \[::\]:443 /d'
	    -e "s#/etc/letsencrypt/live/portal.example.com/#$n/tls/#")
	for f in "$src"/waportal*.conf; do
		f=${f##*/}
		sed "${tls[@]}" -e "s#/usr/local/share/waportal/nginx/#$n/#g" \
		    -e "s#/usr/local/share/waportal/static/#$static/#g" \
		    -e "s#unix:/run/waportal/fcgi.sock#unix:$d/run/fcgi.sock#g" \
		    -e "s#^\([[:space:]]*\)listen 80;#\1listen 127.0.0.1:$port;#" \
		    -e '/^[[:space:]]*listen \[::\]:80;/d' \
		    -e "s#rate=10r/m;#rate=${STACK_LOGIN_RATE:-10r/m};#" \
		    -e "s#access_log /var/log/nginx/waportal.access.log waportal_noquery;#$alog_line#" \
		    "$src/$f" >"$n/$f" || return 1
	done
	for f in "$n"/waportal*.conf; do
		# Paths that start with them: a stack under ./dev's var/
		# holds "/var/log/" further in.
		if sed 's/#.*//' "$f" | grep -n -e '/usr/local/share/waportal' \
		    -e '[[:space:]:]/run/waportal' -e '[[:space:]]/var/log/' \
		    -e '^[[:space:]]*listen [^1]' -e '/etc/letsencrypt' >&2; then
			echo "stack: $f: installed path left; update stack_nginx_conf" >&2
			return 1
		fi
	done
	{
		echo "# nginx.conf: generated by t/lib/stack.sh for one stack; do not edit."
		[ "$STACK_IS_ROOT" = 1 ] &&
		    echo "user $STACK_RUN_USER $STACK_RUN_USER;"
		echo "worker_processes ${STACK_NGINX_WORKERS:-auto};"
		echo "# Open files per nginx worker: twice its connections (a client's"
		echo "# request may also hold a file: a static one, a buffered body)."
		echo "worker_rlimit_nofile $nofile;"
		echo "pid $n/nginx.pid;"
		echo "error_log $d/log/nginx-error.log warn;"
		echo "# Connections per nginx worker; a client whose request is at the"
		echo "# workers takes two, its own and the FastCGI one (docs/deploy.md)."
		echo "events { worker_connections $conns; }"
		echo "http {"
		echo "	include mime.types;"
		echo "	default_type application/octet-stream;"
		echo "	access_log $alog;"
		for f in client_body fastcgi proxy uwsgi scgi; do
			echo "	${f}_temp_path $n/tmp/$f;"
		done
		echo "	sendfile on;"
		[ -n "$extra" ] && echo "	include $extra;"
		echo "	include $n/waportal.conf;"
		echo "}"
	} >"$n/nginx.conf"
}

# stack_nginx_capacity: "CONNECTIONS NOFILE" for nginx.conf:
# STACK_NGINX_CONNECTIONS worker_connections (10,000 clients whose
# requests are at the workers take two connections each) and twice that
# in file descriptors, unless the hard RLIMIT_NOFILE is lower and cannot
# be raised (no CAP_SYS_RESOURCE, as in most containers): then the hard
# limit and half of it, so nginx neither fails to set its limit nor
# promises connections it cannot open.
STACK_NGINX_CONNECTIONS=20480
stack_nginx_capacity()
{
	local conns=$STACK_NGINX_CONNECTIONS nofile hard
	nofile=$((conns * 2))
	if ! (ulimit -Hn "$nofile") 2>/dev/null; then
		hard=$(ulimit -Hn)
		if [ "$hard" != unlimited ] && [ "$hard" -lt "$nofile" ]; then
			nofile=$hard
			conns=$((hard / 2))
		fi
	fi
	echo "$conns $nofile"
}

# stack_nginx_start DIR: start nginx on DIR/nginx/nginx.conf.
stack_nginx_start()
{
	local n=$1/nginx
	nginx -q -e "$1/log/nginx-error.log" -p "$n/" -c "$n/nginx.conf" \
	    </dev/null >>"$1/log/nginx-error.log" 2>&1 || {
		tail -n 5 "$1/log/nginx-error.log" >&2
		return 1
	}
	wait_for 5 stack_pid_alive "$n/nginx.pid"
}

# stack_nginx_test DIR: nginx -t on DIR/nginx/nginx.conf (output on stdout).
stack_nginx_test()
{
	local n=$1/nginx
	nginx -t -e "$1/log/nginx-error.log" -p "$n/" -c "$n/nginx.conf" 2>&1
}

# stack_free_port: a loopback TCP port nobody listens on right now, below
# the kernel's ephemeral range (ip_local_port_range), which outgoing
# connections take their local ports from: a port in that range can be
# held by any connection of a parallel test and refuse a later bind().
stack_free_port()
{
	local i p lo=32768 hi span
	read -r lo hi </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null
	span=$((lo - 10000))
	[ "$span" -ge 1000 ] || span=20000
	for i in $(seq 50); do
		p=$((10000 + RANDOM % span))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# stack_share DIR: make the program, templates, static files and
# migrations reachable for the workers' user.  As root, when that user
# cannot read the source or build tree (a checkout under /root), they are
# copied into DIR/share.  Sets STACK_BIN (directory of the programs),
# STACK_TEMPLATES, STACK_STATIC, STACK_SQL and STACK_OPENAPI.
stack_share()
{
	local d=$1
	STACK_BIN=$top_builddir/src
	STACK_TEMPLATES=$top_srcdir/src/templates
	STACK_STATIC=$top_srcdir/src/static
	STACK_SQL=$top_srcdir/sql
	STACK_OPENAPI=$top_srcdir/docs/openapi.json
	[ "$STACK_IS_ROOT" = 1 ] || return 0
	if stack_as_run test -x "$STACK_BIN/waportal-fcgi" -a \
	    -r "$STACK_TEMPLATES/." -a -x "$STACK_TEMPLATES" -a \
	    -x "$STACK_STATIC" -a -x "$STACK_SQL" -a -r "$STACK_OPENAPI"; then
		return 0
	fi
	mkdir -p "$d/share/bin" "$d/share/api" || return 1
	cp "$top_builddir"/src/waportal-* "$top_builddir/src/waportalctl" \
	    "$d/share/bin/" &&
	    cp -R "$STACK_TEMPLATES" "$d/share/templates" &&
	    cp -R "$STACK_STATIC" "$d/share/static" &&
	    cp -R "$STACK_SQL" "$d/share/sql" &&
	    cp "$STACK_OPENAPI" "$d/share/api/" || return 1
	chmod -R a+rX "$d/share"
	STACK_BIN=$d/share/bin
	STACK_TEMPLATES=$d/share/templates
	STACK_STATIC=$d/share/static
	STACK_SQL=$d/share/sql
	STACK_OPENAPI=$d/share/api/openapi.json
}

# ---------------------------------------------------------------- the test stack

STACK_DIR=
STACK_STARTED=0
STACK_CLEANUP=()

# stack_cleanup PATH...: remove PATH too when the stack stops.
stack_cleanup()
{
	STACK_CLEANUP+=("$@")
}

# stack_sql_copy [NAME SQL]...: a world-readable temp copy of sql/ plus
# extra migration files (name, content, name, content...), removed when
# the stack stops.  Sets STACK_SQL_COPY to its path (so call it in the
# test's own shell, not in $(...)).
stack_sql_copy()
{
	local d
	d=$(mktemp -d /tmp/waportal-sql.XXXXXX) || return 1
	stack_cleanup "$d"
	cp "${top_srcdir:?}"/sql/*.sql "$d/" || return 1
	while [ $# -ge 2 ]; do
		printf '%s\n' "$2" >"$d/$1"
		shift 2
	done
	chmod 755 "$d"
	chmod 644 "$d"/*.sql
	STACK_SQL_COPY=$d
}

# stack_start [--workers N] [--sql-dir DIR] [--no-migrate] [--dispatch]
# [--runner] [--tls]: the whole stack in a new temp dir; bails out of the test on
# failure. --sql-dir is the workers' WAPORTAL_SQL_DIR (the migrations they
# expect; the database is migrated from sql/).  --no-migrate leaves it
# empty. --dispatch also starts waportal-dispatch, --runner
# waportal-runner.  --clock TIMESTAMP pins the
# SQL's clock before anything connects (stack_clock). --tls: the site with
# its "#tls" lines on (docs/deploy.md), BASE_URL https, HTTP_URL the plain
# port that redirects, Secure cookies as in production.
stack_start()
{
	local workers=2 sqldir= migrate=1 dispatch=0 runner=0 clock= port i tls=0
	while [ $# -gt 0 ]; do
		case $1 in
		--workers) workers=$2; shift 2 ;;
		--clock) clock=$2; shift 2 ;;
		--sql-dir) sqldir=$2; shift 2 ;;
		--no-migrate) migrate=0; shift ;;
		--dispatch) dispatch=1; shift ;;
		--runner) runner=1; shift ;;
		--tls) tls=1; shift ;;
		*) bail_out "stack_start: unknown option $1" ;;
		esac
	done
	: "${top_srcdir:?top_srcdir must be set}" "${top_builddir:?top_builddir must be set}"
	# Nothing from the caller's environment (. var/env) leaks in but
	# what a test asks for in STACK_ENV ("WAPORTAL_X=1 WAPORTAL_Y=2").
	unset $(compgen -v WAPORTAL_) DATABASE_URL
	[ -n "${STACK_ENV:-}" ] && export $STACK_ENV
	for i in spawn-fcgi multiwatch nginx curl psql; do
		command -v "$i" >/dev/null || skip_all "$i is not installed (./dev test installs it)"
	done
	STACK_DIR=$(mktemp -d /tmp/waportal-stack.XXXXXX) || bail_out "mktemp failed"
	STACK_STARTED=1
	export STACK_DIR
	trap 'stack_stop' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	stack_layout "$STACK_DIR" || bail_out "cannot lay out $STACK_DIR"
	stack_share "$STACK_DIR" || bail_out "cannot copy the programs to $STACK_DIR"
	: "${sqldir:=$STACK_SQL}"

	# A migrated cluster is copied when the test wants one (a sixth of
	# the CPU of creating and migrating the database in each stack).
	stack_pg_init $([ "$migrate" = 1 ] && echo --migrated) "$STACK_DIR" \
	    "fsync = off" "synchronous_commit = off" \
	    "full_page_writes = off" "shared_buffers = 16MB" ||
	    bail_out "initdb failed"
	stack_pg_start "$STACK_DIR" || bail_out "PostgreSQL did not start"
	if [ "$STACK_PG_MIGRATED" = 0 ]; then
		stack_pg_createdb "$STACK_DIR" waportal || bail_out "createdb failed"
	fi
	export PGHOST=$STACK_DIR/run PGDATABASE=waportal PGUSER=waportal
	DATABASE_URL=$(stack_conninfo "$STACK_DIR")
	export DATABASE_URL
	export WAPORTAL_TEMPLATE_DIR=$STACK_TEMPLATES
	export WAPORTAL_OPENAPI=$STACK_OPENAPI
	# The test stack is plain HTTP: a sid cookie without Secure; with
	# --tls, HTTPS and the production default.
	export WAPORTAL_SECURE_COOKIES=$tls
	if [ "$migrate" = 1 ] && [ "$STACK_PG_MIGRATED" = 0 ]; then
		WAPORTAL_SQL_DIR=$STACK_SQL "$STACK_BIN/waportalctl" migrate \
		    >"$STACK_DIR/log/migrate.log" 2>&1 || {
			diag_file "$STACK_DIR/log/migrate.log"
			bail_out "waportalctl migrate failed"
		}
	fi
	export WAPORTAL_SQL_DIR=$sqldir
	if [ -n "$clock" ]; then
		_stack_clock_set "$clock" || bail_out "cannot pin the clock at $clock"
	fi

	STACK_WORKERS=$workers
	_stack_san_env
	stack_workers_start "$STACK_DIR" "$STACK_BIN/waportal-fcgi" "$workers" ||
	    bail_out "the workers did not start"
	STACK_MW_PID=$(cat "$STACK_DIR/run/workers.pid")
	export STACK_MW_PID
	if [ "$dispatch" = 1 ]; then
		stack_dispatch_start || bail_out "waportal-dispatch did not start"
	fi
	if [ "$runner" = 1 ]; then
		stack_runner_start || bail_out "waportal-runner did not start"
	fi
	_stack_san_env_restore

	[ "$tls" = 1 ] && { _stack_tls_cert || bail_out "no certificate"; }
	for i in 1 2 3 4 5; do
		port=$(stack_free_port) || bail_out "no free port"
		STACK_PORT=$port
		[ "$tls" = 1 ] && { STACK_TLS_PORT=$(stack_free_port) ||
		    bail_out "no free port"; }
		stack_nginx_conf "$STACK_DIR" "$port" "$STACK_STATIC" ||
		    bail_out "cannot generate nginx.conf"
		stack_nginx_start "$STACK_DIR" && break
		port=
	done
	[ -n "$port" ] || bail_out "nginx did not start"
	export BASE_URL=http://127.0.0.1:$port
	if [ "$tls" = 1 ]; then
		export HTTP_URL=$BASE_URL BASE_URL=https://127.0.0.1:$STACK_TLS_PORT
		export CURL_CA_BUNDLE=$STACK_DIR/nginx/tls/fullchain.pem
	fi
	wait_for 10 _stack_healthy || {
		diag_file "$STACK_DIR/log/workers.log"
		diag_file "$STACK_DIR/log/nginx-error.log"
		bail_out "GET /healthz never answered 200"
	}
}

# _stack_tls_cert: a self-signed certificate for 127.0.0.1 where the site's
# ssl_certificate lines point once rewritten (curl trusts it through
# CURL_CA_BUNDLE).
_stack_tls_cert()
{
	local t=$STACK_DIR/nginx/tls
	mkdir -p "$t" && openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
	    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	    -keyout "$t/privkey.pem" -out "$t/fullchain.pem" 2>/dev/null
}

_stack_healthy()
{
	[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
	    "$BASE_URL/healthz")" = 200 ]
}

# The workers (and the dispatcher) write sanitizer reports to files in
# $STACK_DIR/san, which stack_stop turns into a failing test point.
_stack_san_env()
{
	_STACK_ASAN_SAVED=${ASAN_OPTIONS-}
	_STACK_UBSAN_SAVED=${UBSAN_OPTIONS-}
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$STACK_DIR/san/asan"
	export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$STACK_DIR/san/ubsan:print_stacktrace=1"
}

_stack_san_env_restore()
{
	export ASAN_OPTIONS=$_STACK_ASAN_SAVED
	export UBSAN_OPTIONS=$_STACK_UBSAN_SAVED
	[ -n "$ASAN_OPTIONS" ] || unset ASAN_OPTIONS
	[ -n "$UBSAN_OPTIONS" ] || unset UBSAN_OPTIONS
}

# ctl ARGS...: run $CTL (waportalctl) with stdin empty; OUT, ERR and RC
# hold what it did.
ctl()
{
	OUT=$("$CTL" "$@" </dev/null 2>"$STACK_DIR/ctl.err")
	RC=$?
	ERR=$(cat "$STACK_DIR/ctl.err")
}

# ctl_in INPUT ARGS...: the same with INPUT (and a newline) on stdin.
# printf is a shell builtin: INPUT is in no process's argv.
ctl_in()
{
	local input=$1
	shift
	OUT=$(printf '%s\n' "$input" | "$CTL" "$@" 2>"$STACK_DIR/ctl.err")
	RC=$?
	ERR=$(cat "$STACK_DIR/ctl.err")
}

# stack_gwsim_start KEY [ARGS...]: the gateway simulator on a free
# loopback port, recorded as $STACK_DIR/run/gwsim.pid so stack_stop
# stops it; sets GWSIM_URL and GWSIM_PID. Parallel tests may pick the
# same free port: a simulator that could not bind exits, and another
# port is tried.
stack_gwsim_start()
{
	local key=$1 i port pid
	shift
	mkdir -p "$STACK_DIR/run" "$STACK_DIR/log"
	for i in 1 2 3 4 5; do
		port=$(stack_free_port) || return 1
		"${top_builddir:?}/src/waportal-gwsim" -l "127.0.0.1:$port" \
		    -k "$key" "$@" </dev/null 2>>"$STACK_DIR/log/gwsim.log" &
		pid=$!
		if wait_for 5 eval "kill -0 $pid 2>/dev/null && curl -sf -o /dev/null http://127.0.0.1:$port/ping" &&
		    sleep 0.2 && kill -0 "$pid" 2>/dev/null; then
			echo "$pid" >"$STACK_DIR/run/gwsim.pid"
			GWSIM_URL=http://127.0.0.1:$port
			GWSIM_PID=$pid
			return 0
		fi
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	return 1
}

# stack_dispatch_start: waportal-dispatch in the background (as the
# workers' user), logging to $STACK_DIR/log/dispatch.log.
stack_dispatch_start()
{
	local d=$STACK_DIR
	local as=()
	[ "$STACK_IS_ROOT" = 1 ] && as=(setpriv --reuid="$STACK_RUN_USER"
	    --regid="$STACK_RUN_USER" --init-groups --)
	"${as[@]}" "$STACK_BIN/waportal-dispatch" </dev/null \
	    >>"$d/log/dispatch.log" 2>&1 &
	echo $! >"$d/run/dispatch.pid"
	sleep 0.3
	stack_pid_alive "$d/run/dispatch.pid"
}

# stack_runner_start [NAME]: waportal-runner in the background (as the
# workers' user), logging to $STACK_DIR/log/NAME.log, its PID in
# $STACK_DIR/run/NAME.pid (NAME: runner; a test runs a second one under
# another name). It is up once it logged "started".
stack_runner_start()
{
	local d=$STACK_DIR name=${1:-runner} as=()
	[ "$STACK_IS_ROOT" = 1 ] && as=(setpriv --reuid="$STACK_RUN_USER"
	    --regid="$STACK_RUN_USER" --init-groups --)
	: >>"$d/log/$name.log"
	# Sanitizer reports go where stack_stop looks, as the workers' do.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$d/san/asan" \
	UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$d/san/ubsan:print_stacktrace=1" \
	    "${as[@]}" "$STACK_BIN/waportal-runner" </dev/null \
	    >>"$d/log/$name.log" 2>&1 &
	echo $! >"$d/run/$name.pid"
	wait_for 10 _stack_runner_up "$d/run/$name.pid" "$d/log/$name.log"
}

_stack_runner_up()
{
	stack_pid_alive "$1" &&
	    grep -q "started as .*:$(cat "$1")" "$2"
}

# stack_runner_stop [NAME]: SIGTERM the runner and wait for it (as
# stack_stop_pidfile); 0 when it had exited by itself with status 0.
stack_runner_stop()
{
	local f=$STACK_DIR/run/${1:-runner}.pid p rc
	stack_pid_alive "$f" || return 1
	p=$(cat "$f")
	kill -TERM "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	rc=$?
	rm -f "$f"
	return "$rc"
}

# stack_runner_kill: SIGKILL the runner (as a crash would), then wait until
# it and its database sessions are gone, so what it held is free again.
stack_runner_kill()
{
	local f=$STACK_DIR/run/runner.pid p
	p=$(cat "$f")
	kill -KILL "$p"
	wait "$p" 2>/dev/null
	rm -f "$f"
	wait_for 30 _stack_no_app_xact
}

# _stack_no_app_xact: 0 when no session of the programs (application name
# waportal) is in a transaction or a statement: the killed runner's
# backend has rolled back and gone, or was idle and holds nothing. The
# workers' sessions stay connected, idle between requests (waiting for
# every session to go waited out the 30 s whenever a worker had
# connected: 80 s of t/0154 under the sanitizers).
_stack_no_app_xact()
{
	[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'waportal'
	    AND backend_type = 'client backend' AND state <> 'idle'
	    AND pid <> pg_backend_pid()")" = 0 ]
}

# worker_pids: the PIDs of the running workers, sorted, one a line.
worker_pids()
{
	stack_children "$STACK_MW_PID" | sort -n
}

# pg_stop / pg_start: stop and start the test cluster.
pg_stop()
{
	stack_pg_stop "$STACK_DIR"
}

pg_start()
{
	stack_pg_start "$STACK_DIR"
}

# stack_log FILE: the path of a log of the stack (workers.log,
# nginx-error.log, nginx-access.log, postgres.log, dispatch.log).
stack_log()
{
	printf '%s\n' "$STACK_DIR/log/$1"
}

# _stack_pids: _STACK_PIDS, the processes of the stack: those of its pid
# files and PostgreSQL's, their children, and any process with the
# stack's directory in its command line; read from one ps.
_stack_pids()
{
	local f p pid ppid args
	local -A root=()
	_STACK_PIDS=()
	for f in "$STACK_DIR"/run/*.pid "$STACK_DIR/nginx/nginx.pid" \
	    "$STACK_DIR/pg/postmaster.pid"; do
		p=
		[ -s "$f" ] && { read -r p <"$f"; } 2>/dev/null
		stack_alive "$p" && root[$p]=1
	done
	while read -r pid ppid args; do
		if [ -n "${root[$pid]:-}" ] || [ -n "${root[$ppid]:-}" ] ||
		    [[ $args == *"$STACK_DIR/"* ]]; then
			_STACK_PIDS+=("$pid")
		fi
	done < <(ps -e -o pid=,ppid=,args= 2>/dev/null)
}

# _stack_proc_id PID...: "PID:STARTTIME" for each PID that runs, one a
# line: the start time (in clock ticks since boot, /proc/PID/stat) tells
# the process from a later one that reuses its PID.
_stack_proc_id()
{
	local p s f
	for p; do
		s=
		{ read -r s <"/proc/$p/stat"; } 2>/dev/null
		read -ra f <<<"${s##*) }"
		[ -n "${f[19]:-}" ] && echo "$p:${f[19]}"
	done
}

# _stack_proc_alive PID:STARTTIME: 0 if that process still runs (not a
# zombie, and its PID not taken by another since).
_stack_proc_alive()
{
	local p=${1%%:*} s f
	stack_alive "$p" || return 1
	s=
	{ read -r s <"/proc/$p/stat"; } 2>/dev/null
	read -ra f <<<"${s##*) }"
	[ "$p:${f[19]:-}" = "$1" ]
}

# _stack_proc_gone PID:STARTTIME SECONDS: wait until that process has
# ended, polling every 0.1 s for at most SECONDS; 1 if it still runs.
_stack_proc_gone()
{
	local n=$(($2 * 10))
	while _stack_proc_alive "$1"; do
		[ "$n" -gt 0 ] || return 1
		_stack_nap
		n=$((n - 1))
	done
	return 0
}

# stack_stop: stop every process of the stack, check that none is left
# and that no sanitizer report was written (two test points), remove the
# temp dir.  Each process the stack ran is waited for on its own, up to
# STACK_STOP_WAIT (20) seconds, so a loaded machine that takes its time
# to reap one fails nothing.  Safe to call twice; the exit trap calls it.
stack_stop()
{
	local ids id f left=
	[ "$STACK_STARTED" = 1 ] || return 0
	STACK_STARTED=0
	# A second Ctrl-C (or make's SIGTERM) must not cut the clean-up short.
	trap '' INT TERM
	_stack_pids
	ids=$(_stack_proc_id "${_STACK_PIDS[@]}")
	_stack_cpu_add
	[ -s "$STACK_DIR/nginx/nginx.pid" ] &&
	    stack_stop_pidfile "$STACK_DIR/nginx/nginx.pid"
	for f in "$STACK_DIR"/run/*.pid; do
		[ -e "$f" ] && stack_stop_pidfile "$f"
	done
	stack_pg_stop "$STACK_DIR"
	# What ran at the start, then whatever runs now (started meanwhile).
	_stack_pids
	for id in $ids $(_stack_proc_id "${_STACK_PIDS[@]}"); do
		_stack_proc_gone "$id" "${STACK_STOP_WAIT:-20}" ||
		    left="$left ${id%%:*}"
	done
	left=$(tr ' ' '\n' <<<"$left" | sort -un | tr '\n' ' ' | sed 's/^ *//; s/ *$//')
	ok "$([ -z "$left" ]; echo $?)" "stack stopped: no process left behind"
	if [ -n "$left" ]; then
		diag "left: $left"
		ps -o pid,ppid,user,stat,args -p "$left" | sed 's/^/# /'
		kill -KILL $left 2>/dev/null
	fi
	_stack_san_check
	if [ "$TAP_FAILED" -gt 0 ]; then
		diag_file "$STACK_DIR/log/workers.log"
		diag_file "$STACK_DIR/log/nginx-error.log" 10
	fi
	if [ -n "${STACK_KEEP:-}" ]; then
		diag "kept $STACK_DIR ${STACK_CLEANUP[*]}"
	else
		rm -rf "$STACK_DIR" "${STACK_CLEANUP[@]}"
	fi
}

_stack_san_check()
{
	local f found=
	for f in "$STACK_DIR"/san/*; do
		[ -f "$f" ] || continue
		found=1
		diag "sanitizer report $f:"
		sed -n '1,60p' "$f" | sed 's/^/#   /'
	done
	ok "$([ -z "$found" ]; echo $?)" "no sanitizer report from the workers"
}
