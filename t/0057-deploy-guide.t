#!/bin/sh
# 0057-deploy-guide.t: docs/deploy.md followed as written on a throwaway deployment: its marked blocks run in order, with the few rewrites listed below, then the result is proved: waportalctl check, a sign-in through the site, the root worker command line started and stopped, an upgrade that keeps the session.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
[ -z "${WAPORTAL_TEST_SANITIZERS:-}" ] || { echo "1..0 # SKIP runs in the normal tree: the guide installs and runs the same programs as the other tests"; exit 0; }
. "${top_srcdir:?}/t/lib/stack.sh"
: "${top_builddir:?}"
#
# The guide's commands are the indented blocks that follow a marker line
# "<!-- deploy:KIND NAME -->" in docs/deploy.md (invisible once rendered):
# "run NAME" runs the block in a new "bash -e" as root, "service NAME"
# runs it in the background (a foreground command line), "file PATH" is
# the content of PATH. The blocks run in the order of the guide, each
# after its hook below (fixtures and checks), and the list of names must
# be the one in STEPS: a block added to the guide or taken out of it
# fails this test until the test says what to do with it.
#
# The rewrites, the only differences from a real machine (docs/
# development.md, "t/0057: the guide followed"):
# - paths: every system path the guide names is under $D (a temp dir):
#   /usr/local/ (the prefix: make install DESTDIR=$D), /etc/waportal,
#   /etc/nginx/, /run/waportal, /run/postgresql, /run/nginx.pid,
#   /var/log/nginx/, /var/log/waportal; in the blocks, in the installed
#   nginx files and units, and in Debian's nginx.conf. PATH starts with
#   $D/usr/local/bin.
# - apt-get install: not run; dpkg -s checks each package of its list is
#   installed. ./configure, make and make check: not run (make check is
#   running this); make install: make install DESTDIR=$D in the build tree.
# - the database: a throwaway cluster (the suite's template, Debian's
#   peer authentication for local connections) on the default port with its
#   socket in $D/run/postgresql; PGHOST and PGPORT name it for createuser
#   and createdb.
# - /etc/waportal/env: as shown, plus WAPORTAL_SQL_DIR, _TEMPLATE_DIR and
#   _OPENAPI (the programs' built-in defaults name /usr/local, not $D)
#   and WAPORTAL_PROBE_INTERVAL=1, WAPORTAL_DISPATCH_INTERVAL=1 (the first
#   probe and heartbeat within seconds).
# - nginx: a copy of Debian's /etc/nginx as the package leaves it
#   (sites-enabled/default on, conf.d empty), started with -c and -e; the
#   site listens on 127.0.0.1:PORT (a free port) instead of port 80 (and
#   [::]:80 is dropped), so curl http://127.0.0.1/ gets that port.
# - systemctl: no systemd here (the CI machine is a container): a stand-in
#   reads the installed units and does what systemd would with them:
#   User=, Group=, EnvironmentFile= (read as root), RuntimeDirectory=,
#   ExecStartPre=, ExecStart= (its output in $T/log/UNIT.log),
#   ExecReload=, SIGTERM to stop; the sandboxing lines (ProtectSystem=
#   ...) are not applied. "systemctl reload nginx" starts nginx when it
#   does not run yet (on Debian the package has started it). journalctl:
#   not run (the units' log files are read instead).
# - waportalctl check gets --socket $D/run/waportal/fcgi.sock: the one
#   path compiled into a program rather than derived from the prefix.
# - the upgrade's "new release" is this build again plus one new
#   migration, 9999_t0057_next.sql, added by its make install.
# - the restore's "new machine" is this one with the services stopped
#   (systemctl stop) and the database dropped and made again by the
#   createdb line of the database step.
#
# Not run here, and why:
# - TLS (section 4): a certificate and port 443; t/0114 runs the site with
#   its "#tls" lines on, as the guide says.
# - nginx.conf's capacity lines (section 4): t/0113.
# - the logrotate file (section 8): t/0053 dry-runs it.
# - the real systemd: t/0053 has systemd-analyze verify the units.

[ "$(id -u)" = 0 ] || skip_all "not root: the guide makes a system user, runs programs as other users and installs under a DESTDIR as root"
for i in spawn-fcgi multiwatch nginx curl setpriv adduser userdel dpkg; do
	command -v "$i" >/dev/null || skip_all "$i is not installed"
done
[ -r /etc/nginx/nginx.conf ] || skip_all "no /etc/nginx/nginx.conf to copy"
PGBIN=$(stack_pg_bindir) || skip_all "no PostgreSQL server binaries"
prefix=$(sed -n 's/^prefix = //p' "$top_builddir/Makefile")
[ "$prefix" = /usr/local ] || skip_all "configured with --prefix=$prefix: the guide's paths are the default prefix's, /usr/local"

STEPS="install users database /etc/waportal/env migrate workers units runner nginx checks upgrade backup restore"

# One run at a time on a machine: the system user "waportal" is shared.
# (Each process started below gets 9>&-: none holds the lock after us.)
exec 9>/tmp/waportal-t0057.lock
flock -w 120 9 || bail_out "another t/0057 holds /tmp/waportal-t0057.lock"

T=$(mktemp -d /tmp/waportal-deploy.XXXXXX) || bail_out "mktemp failed"
chmod 755 "$T"
D=$T/root
made_user=0
STEP_PID=
getent passwd waportal >/dev/null || made_user=1

# deploy_cleanup: every process this test started, the cluster, the user
# it made, the temp dir; also when the test dies half-way.
deploy_cleanup()
{
	local f p
	trap '' INT TERM
	# A step cut short (each runs in a process group of its own).
	if [ -n "$STEP_PID" ]; then
		kill -TERM -- -"$STEP_PID" 2>/dev/null
		wait_for 10 eval '! stack_alive '"$STEP_PID" ||
		    kill -KILL -- -"$STEP_PID" 2>/dev/null
	fi
	for f in "$T"/units/*.pid "$T"/run/*.pid "$D/run/nginx.pid"; do
		[ -s "$f" ] || continue
		p=$(head -n 1 "$f")
		stack_alive "$p" || continue
		kill -TERM -- -"$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
		wait_for 10 eval '! stack_alive '"$p" ||
		    kill -KILL "$p" $(stack_children "$p") 2>/dev/null
	done
	[ -f "$T/pg/postmaster.pid" ] &&
	    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$T/pg" -m immediate -w \
	    stop >/dev/null 2>&1
	if [ "$made_user" = 1 ] && getent passwd waportal >/dev/null; then
		wait_for 10 eval '[ -z "$(ps -o pid= -u waportal)" ]'
		userdel waportal 2>/dev/null
		getent group waportal >/dev/null && groupdel waportal 2>/dev/null
	fi
	if [ -n "${STACK_KEEP:-}" ]; then
		echo "# kept $T"
	else
		rm -rf "$T"
	fi
}
trap deploy_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$T/steps" "$T/log" "$T/units" "$T/run" "$T/src" "$D/run" \
    "$D/var/log/nginx" "$D/var/log/waportal" "$D/etc" || bail_out "mkdir failed"
chmod -R 755 "$D"
# The guide's "./configure" in the unpacked release: this tree is
# configured and built already.
printf '#!/bin/sh\n# configure: a stand-in of t/0057: the build tree is configured.\nexit 0\n' \
    >"$T/src/configure" && chmod 755 "$T/src/configure"
PORT=$(stack_free_port) || bail_out "no free port"
# The cluster's port: the default, as DATABASE_URL names none; its
# socket is in a directory of its own.
PGPORT=5432
GWPORT=$(stack_free_port) || bail_out "no free port"

# rewrite: the path and port rewrites above, on stdin.
rewrite()
{
	sed -e "s#/usr/local/#$D$prefix/#g" -e "s#/etc/waportal#$D/etc/waportal#g" \
	    -e "s#/etc/nginx/#$D/etc/nginx/#g" -e "s#/run/waportal#$D/run/waportal#g" \
	    -e "s#/run/postgresql#$D/run/postgresql#g" \
	    -e "s#/run/nginx.pid#$D/run/nginx.pid#g" \
	    -e "s#/var/log/nginx/#$D/var/log/nginx/#g" \
	    -e "s#/var/log/waportal#$D/var/log/waportal#g" \
	    -e "s#http://127.0.0.1/#http://127.0.0.1:$PORT/#g" \
	    -e "s#waportalctl check#waportalctl check --socket $D/run/waportal/fcgi.sock#g"
}

# The blocks: "@@step KIND NAME" on a line, then the block (indent
# removed), then a line "@@end".
awk '
	/^<!-- deploy:[a-z]+ [^ ]+ -->$/ {
		sub(/^<!-- deploy:/, ""); sub(/ -->$/, "")
		if (want) print "@@end"
		print "@@step " $0; want = 1; inblock = 0; next
	}
	want && /^    / { inblock = 1; print substr($0, 5); next }
	want && /^$/ { if (inblock) print ""; next }
	want { print "@@end"; want = 0; inblock = 0 }
	END { if (want) print "@@end" }
' "$top_srcdir/docs/deploy.md" >"$T/blocks" || bail_out "cannot read docs/deploy.md"
names=$(awk '$1 == "@@step" { print $3 }' "$T/blocks" | tr '\n' ' ')
is "${names% }" "$STEPS" "docs/deploy.md marks the blocks this test runs, in this order"
# The blocks without a marker are files and output, not commands: each
# starts with a comment naming the file, nginx or unit lines, or
# waportalctl check's output. A new block of commands needs a marker.
unmarked=$(awk '
	/^<!-- deploy:/ { marked = 1; next }
	/^    / { if (!inblock && !marked) print NR ": " $0; inblock = 1; next }
	/^$/ { next }
	{ inblock = 0; marked = 0 }
' "$top_srcdir/docs/deploy.md" | grep -Ev '^[0-9]+: +(# |map |log_format |\[Service\]$|ok  )')
is "$unmarked" "" "every other block of docs/deploy.md is a file or an output, not commands"

# block NAME: the block's text, rewritten.
block()
{
	awk -v n="$1" '
		$0 == "@@end" { on = 0; next }
		$1 == "@@step" && $3 == n && !seen { on = 1; seen = 1; next }
		on { print }
	' "$T/blocks" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' | rewrite
}

# ---------------------------------------------------------------- the stand-ins

# The prelude of every step's script: the variables and the stand-ins
# for apt-get, make, systemctl, nginx and journalctl.
cat >"$T/prelude.sh" <<EOF
# prelude.sh: written by t/0057 for each guide step (the rewrites of the test's header).
T=$T
D=$D
PORT=$PORT
export PATH=$D$prefix/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PGHOST=$D/run/postgresql PGPORT=$PGPORT LANG=C.UTF-8
BUILD=$top_builddir
UNITS=$D$prefix/lib/systemd/system
PGBIN=$PGBIN
EOF
declare -f rewrite wait_for stack_alive stack_children >>"$T/prelude.sh"
prefix_q=$(printf '%q' "$prefix")
echo "prefix=$prefix_q" >>"$T/prelude.sh"
cat >>"$T/prelude.sh" <<'EOF'

# apt-get install PKG...: every package is installed (dpkg -s).
apt-get()
{
	local p bad=
	[ "$1" = install ] || { echo "t/0057: apt-get $1 is not run" >&2; return 1; }
	shift
	for p; do
		case $p in -*) continue ;; esac
		dpkg -s "$p" >/dev/null 2>&1 || bad="$bad $p"
	done
	[ -z "$bad" ] || { echo "t/0057: not installed:$bad" >&2; return 1; }
}

# make [install|check]: only install runs, into $D, with the installed
# nginx files rewritten as the guide's reader edits the copy (listen
# port) and the paths; the upgrade's install adds a new migration.
make()
{
	case "$*" in
	'' | check) return 0 ;;
	install) ;;
	*) echo "t/0057: make $* is not run" >&2; return 1 ;;
	esac
	command make -s -C "$BUILD" install DESTDIR="$D" >>"$T/log/install.log" 2>&1 ||
	    { tail -n 20 "$T/log/install.log" >&2; return 1; }
	local f n=$D$prefix/share/waportal/nginx
	for f in "$n"/*.conf "$UNITS"/*.service; do
		rewrite <"$f" | sed -e "s#^\([[:space:]]*\)listen 80;#\1listen 127.0.0.1:$PORT;#" \
		    -e '/^[[:space:]]*listen \[::\]:80;/d' >"$f.new" && mv "$f.new" "$f" || return 1
	done
	if [ -n "${T0057_NEXT:-}" ]; then
		printf '%s\n' "-- 9999_t0057_next.sql: the next release's migration (t/0057)." \
		    "CREATE TABLE t0057_next (id int PRIMARY KEY);" \
		    >"$D$prefix/share/waportal/sql/9999_t0057_next.sql"
	fi
}

# nginx ARGS...: nginx on the copy of /etc/nginx.
nginx()
{
	command nginx -c "$D/etc/nginx/nginx.conf" -e "$D/var/log/nginx/error.log" "$@"
}

journalctl()
{
	echo "t/0057: journalctl is not run (no journal): the logs are in $T/log" >&2
}

# unit_get UNIT KEY: KEY='s value in the installed unit (lines joined).
unit_get()
{
	sed -e :a -e '/\\$/{N;s/\\\n[[:space:]]*/ /;ba' -e '}' "$UNITS/$1.service" |
	    sed -n "s/^$2=//p"
}

# unit_exec UNIT CMD...: CMD as systemd runs a unit's command: the
# environment file read as root, then the unit's user and group.
unit_exec()
{
	local u=$1 user group envf
	shift
	user=$(unit_get "$u" User) group=$(unit_get "$u" Group)
	envf=$(unit_get "$u" EnvironmentFile)
	$UNIT_EXEC env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	    LANG=C.UTF-8 bash -c 'set -a; . "$1"; set +a; shift
	    exec setpriv --reuid="$1" --regid="$2" --init-groups -- "${@:3}"' \
	    sh "$envf" "$user" "$group" "$@"
}

unit_start()
{
	local u=$1 rd mode pre cmd
	rd=$(unit_get "$u" RuntimeDirectory) mode=$(unit_get "$u" RuntimeDirectoryMode)
	[ -z "$rd" ] || install -d -m "${mode:-0755}" -o "$(unit_get "$u" User)" \
	    -g "$(unit_get "$u" Group)" "$D/run/$rd" || return 1
	pre=$(unit_get "$u" ExecStartPre)
	if [ -n "$pre" ]; then
		unit_exec "$u" $pre >>"$T/log/$u.log" 2>&1 ||
		    { echo "t/0057: $u: ExecStartPre failed" >&2; return 1; }
	fi
	cmd=$(unit_get "$u" ExecStart)
	# In a subshell that becomes the unit's process: its PID is MAINPID.
	(UNIT_EXEC=exec; unit_exec "$u" $cmd) </dev/null >>"$T/log/$u.log" 2>&1 &
	echo $! >"$T/units/$u.pid"
}

unit_stop()
{
	local u=$1 p rd
	p=$(cat "$T/units/$u.pid" 2>/dev/null) || return 0
	kill -TERM "$p" 2>/dev/null
	# TimeoutStopSec=, shortened; then what systemd does: SIGKILL.
	wait_for 15 eval '! stack_alive '"$p" ||
	    kill -KILL "$p" $(stack_children "$p") 2>/dev/null
	rm -f "$T/units/$u.pid"
	rd=$(unit_get "$u" RuntimeDirectory)
	[ -z "$rd" ] || rm -rf "$D/run/$rd"
}

systemctl()
{
	local verb=$1 u cmd
	shift
	[ "$verb" = enable ] && [ "$1" = --now ] && { verb=start; shift; }
	case $verb in
	daemon-reload) return 0 ;;
	start) for u; do unit_start "$u" || return 1; done ;;
	stop) for u; do unit_stop "$u"; done ;;
	restart) for u; do unit_stop "$u"; unit_start "$u" || return 1; done ;;
	reload)
		for u; do
			if [ "$u" = nginx ]; then
				if [ -s "$D/run/nginx.pid" ] && kill -0 "$(cat "$D/run/nginx.pid")" 2>/dev/null; then
					nginx -s reload || return 1
				else
					nginx || return 1
				fi
				continue
			fi
			cmd=$(unit_get "$u" ExecReload)
			cmd=${cmd//\$MAINPID/$(cat "$T/units/$u.pid")}
			unit_exec "$u" $cmd || return 1
		done ;;
	*) echo "t/0057: systemctl $verb is not run" >&2; return 1 ;;
	esac
}
EOF

# step NAME: write the block of NAME and run it (run), start it in the
# background (service: its PID in $T/run/NAME.pid, output in
# $T/log/NAME.log) or write the file (file). Output in $T/log/NAME.log.
step()
{
	local name=$1 text f log
	block "$name" >"$T/block"
	text=$(<"$T/block")
	BLOCK_KIND=$(awk -v n="$name" '$1 == "@@step" && $3 == n { print $2; exit }' "$T/blocks")
	log=$T/log/${name//\//_}.log
	case $BLOCK_KIND in
	file)
		f=$(printf '%s' "$name" | rewrite)
		printf '%s\n' "$text" >"$f" && [ -s "$f" ]
		ok $? "the file $name is written as the guide shows it"
		return
		;;
	esac
	f=$T/steps/${name//\//_}.sh
	{ echo ". $T/prelude.sh"; printf '%s\n' "$text"; } >"$f"
	if [ "$BLOCK_KIND" = service ]; then
		(cd "$T/src" && exec setsid env -i T="$T" bash -e "$f") </dev/null >"$log" 2>&1 9>&- &
		echo $! >"$T/run/$name.pid"
		ok 0 "step $name started in the background"
		return
	fi
	# In the background and waited for, so that a signal to the test
	# runs its clean-up at once (bash runs a trap only once the
	# foreground command is done); a process group of its own, which
	# the clean-up stops whole.
	(cd "$T/src" && exec setsid env -i T="$T" T0057_NEXT="${T0057_NEXT:-}" \
	    bash -e "$f") </dev/null >"$log" 2>&1 9>&- &
	STEP_PID=$!
	wait "$STEP_PID"
	ok $? "step $name runs as the guide shows it" || diag_file "$log" 20
	STEP_PID=
}

# as_waportal CMD...: CMD as the guide runs waportalctl (env loaded, runuser).
as_waportal()
{
	env -i PATH="$D$prefix/bin:/usr/sbin:/usr/bin:/sbin:/bin" bash -c '
	    set -a; . "$1"; set +a; shift; exec runuser -u waportal -- "$@"' \
	    sh "$D/etc/waportal/env" "$@"
}

# ---------------------------------------------------------------- the steps

# A fresh Debian's stand-ins: its /etc/nginx as the package leaves it, and
# the throwaway cluster of section 2 (peer authentication, like Debian's).
cp -a /etc/nginx "$D/etc/nginx" && rm -rf "$D/etc/nginx/conf.d"/* \
    "$D/etc/nginx/sites-enabled"/* || bail_out "cannot copy /etc/nginx"
[ -f "$D/etc/nginx/sites-available/default" ] ||
    printf 'server { listen 80 default_server; }\n' >"$D/etc/nginx/sites-available/default"
ln -s ../sites-available/default "$D/etc/nginx/sites-enabled/default"
rewrite <"$D/etc/nginx/nginx.conf" >"$T/nginx.conf" && mv "$T/nginx.conf" "$D/etc/nginx/nginx.conf"
# Debian's default site on port 80 would keep nginx from starting: the
# guide's own "rm .../sites-enabled/default" takes it out (checked).

install -d -m 2775 -o postgres -g postgres "$D/run/postgresql" || bail_out "no socket dir"
install -d -m 0700 -o postgres "$T/pg" || bail_out "no cluster dir"
if tpl=$(stack_pg_template "$PGBIN"); then
	runuser -u postgres -- cp -aT "$tpl/pg" "$T/pg"
else
	runuser -u postgres -- "$PGBIN/initdb" -D "$T/pg" -U postgres -E UTF8 \
	    --no-locale --no-sync >"$T/log/initdb.log" 2>&1
fi || bail_out "no cluster"
printf 'local all all peer\n' | runuser -u postgres -- tee "$T/pg/pg_hba.conf" >/dev/null
printf '%s\n' "listen_addresses = ''" "port = $PGPORT" "fsync = off" \
    "unix_socket_directories = '$D/run/postgresql'" |
    runuser -u postgres -- tee -a "$T/pg/postgresql.conf" >/dev/null
install -m 0644 -o postgres /dev/null "$T/log/postgres.log"
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$T/pg" -l "$T/log/postgres.log" -w start \
    </dev/null >/dev/null 2>&1 9>&- || { diag_file "$T/log/postgres.log"; bail_out "PostgreSQL did not start"; }

# psql_su QUERY: as postgres (peer authentication, as on Debian).
psql_su() { runuser -u postgres -- "$PGBIN/psql" -h "$D/run/postgresql" -p "$PGPORT" -X -A -t -q -d waportal -c "$1"; }

# 1. Build and install.
step install
missing=
for f in bin/waportal-fcgi bin/waportalctl lib/systemd/system/waportal-fcgi.service \
    lib/tmpfiles.d/waportal.conf share/waportal/nginx/waportal.conf; do
	[ -e "$D$prefix/$f" ] || missing="$missing $f"
done
is "$missing" "" "make install put the programs, the units and the site under the prefix"
left=$(cat "$D$prefix"/share/waportal/nginx/*.conf "$D$prefix"/lib/systemd/system/*.service |
    sed 's/#.*//' | grep -E -e '(^|[[:space:]:=])(/usr/local/|/run/waportal|/var/log/|/etc/waportal)' \
    -e '^[[:space:]]*listen [^1]')
is "$left" "" "the installed site and units name no system path once rewritten"

# 2. Users, database, environment file.
step users
is "$(stat -c '%a %U %G' "$D/etc/waportal" 2>&1)" "750 root waportal" "/etc/waportal is 0750 root:waportal"
step database
is "$(psql_su "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'waportal'")" \
    waportal "the database waportal belongs to the role waportal"
step /etc/waportal/env
envf=$D/etc/waportal/env
{
	echo "# Added by t/0057: the DESTDIR's paths and short intervals."
	echo "WAPORTAL_SQL_DIR=$D$prefix/share/waportal/sql"
	echo "WAPORTAL_TEMPLATE_DIR=$D$prefix/share/waportal/templates"
	echo "WAPORTAL_OPENAPI=$D$prefix/share/waportal/api/openapi.json"
	echo "WAPORTAL_PROBE_INTERVAL=1"
	echo "WAPORTAL_DISPATCH_INTERVAL=1"
} >>"$envf"
# The mode and owner the guide gives the file in words.
chown root:waportal "$envf" && chmod 0640 "$envf"
step migrate
out=$(as_waportal waportalctl migrate --status 2>&1)
napplied=$(ls "$top_srcdir"/sql/[0-9]*.sql | wc -l)
is "$(grep -c '^applied ' <<<"$out")" "$napplied" "every migration is applied ($napplied)" || diag "$out"

# Fixtures between sections 2 and 3: the account of admin.md's scripting
# example (its prefix: the env loaded, runuser -u waportal), and a
# gateway host on the bundled simulator, added as hosts.md says.
{
	echo "waportalctl() { runuser -u waportal -- waportalctl \"\$@\"; }"
	echo "set -a; . $envf; set +a"
	echo "INITIAL_PASSWORD='correct horse battery'"
	sed -n '/^## Scripting example/,/^The tests/ { /^    / s/^    //p; }' "$top_srcdir/docs/admin.md"
} >"$T/steps/accounts.sh"
(cd /tmp && env -i PATH="$D$prefix/bin:/usr/sbin:/usr/bin:/sbin:/bin" bash "$T/steps/accounts.sh") \
    >"$T/log/accounts.log" 2>&1
ok $? "admin.md's scripting example makes a customer (as the waportal user)" ||
    diag_file "$T/log/accounts.log"
"$D$prefix/bin/waportal-gwsim" -l "127.0.0.1:$GWPORT" -k t0057-key -d -1 \
    </dev/null >"$T/log/gwsim.log" 2>&1 9>&- &
echo $! >"$T/run/gwsim.pid"
wait_for 10 eval '(exec 3<>/dev/tcp/127.0.0.1/'"$GWPORT"') 2>/dev/null' ||
    bail_out "the simulator did not start"
printf '%s\n' t0057-key >"$T/host.key" && chmod 600 "$T/host.key"
as_waportal waportalctl host add --name sim --url "http://127.0.0.1:$GWPORT" \
    --capacity 5 --api-key-stdin <"$T/host.key" >"$T/log/host.log" 2>&1
ok $? "waportalctl host add --api-key-stdin < a root-only file (hosts.md)" ||
    diag_file "$T/log/host.log"

# 3. The root command line: the workers run as waportal:www-data on a
# 0660 socket, answer, and stop through multiwatch, each logging it.
step workers
sock=$D/run/waportal/fcgi.sock
wpid=$(cat "$T/run/workers.pid")
mw=
wait_for 15 eval 'mw=$(pgrep -x multiwatch -P "$wpid"); [ -n "$mw" ] && [ "$(stack_children "$mw" | wc -l)" = 4 ] && [ -S "$sock" ]'
ok $? "the root command line runs multiwatch with 4 workers on $sock" ||
    diag_file "$T/log/workers.log"
is "$(ps -o user=,group= --ppid "$mw" | sort -u | tr -s ' ')" \
    "waportal www-data" "the workers run as waportal:www-data"
is "$(stat -c '%a %U %G' "$sock" 2>&1)" "660 waportal www-data" "the socket is 0660 waportal:www-data"
wait_for 10 eval '[ "$(grep -c "msg=starting version=" "$T/log/workers.log")" = 4 ]'
ok $? "each worker logged its start with its version"
out=$(as_waportal waportalctl check --socket "$sock" 2>&1)
like "$out" '^ok +socket .*the workers accept \(mode 0660, group www-data\)' "waportalctl check: the workers accept on the socket"
kill -TERM "$mw"
wait_for 15 eval '! stack_alive '"$wpid"
ok $? "SIGTERM to multiwatch ends the command line"
is "$(grep -c 'stopping after' "$T/log/workers.log")" 4 "each worker logged its stop"
rm -f "$T/run/workers.pid"

# The units (as systemd would run them), the runner, nginx.
step units
wait_for 15 eval '[ -S "$sock" ] && [ "$(pgrep -c -P "$(pgrep -x multiwatch -u waportal | head -n 1)")" = 4 ]'
ok $? "the workers' unit runs 4 workers on the socket" || diag_file "$T/log/waportal-fcgi.log"
is "$(stat -c '%a %U %G' "$D/run/waportal" 2>&1)" "750 waportal www-data" \
    "RuntimeDirectory=: /run/waportal is 0750 waportal:www-data"
step runner
[ -f "$D/etc/nginx/sites-enabled/default" ]
ok $? "Debian's default site is on before the nginx step"
step nginx
[ ! -e "$D/etc/nginx/sites-enabled/default" ] && [ -L "$D/etc/nginx/sites-enabled/waportal.conf" ]
ok $? "the nginx step enabled the site and took Debian's default out"

# 5. Checks: everything up once the dispatcher has probed the host.
wait_for 20 eval '[ "$(psql_su "SELECT status FROM hosts WHERE name = '"'sim'"'")" = up ]'
ok $? "the dispatcher of the unit probed the host: up"
step checks
out=$(cat "$T/log/checks.log")
for c in database migrations dispatcher hosts socket; do
	like "$out" "^ok +$c " "waportalctl check: $c ok"
done
like "$out" '"status": ?"ready"' "GET /readyz through nginx: ready"

# A sign-in through the site: the production default of Secure cookies
# (__Host-sid), which a browser also keeps from http://127.0.0.1.
BASE_URL=http://127.0.0.1:$PORT
STACK_DIR=$T
http POST /login --data-urlencode email=ana@example.com \
    --data-urlencode "password=correct horse battery"
is "$HTTP_STATUS" 303 "sign-in through the site: 303"
cookie=$(header Set-Cookie | sed -n 's/^\(__Host-sid=[^;]*\);.*Secure.*/\1/p' | head -n 1)
like "$cookie" '^__Host-sid=.' "the session cookie is __Host-sid, Secure"
http GET /dashboard -H "Cookie: $cookie"
is "$HTTP_STATUS" 200 "the dashboard answers 200 with it"
like "$HTTP_BODY" 'Ana' "... for the customer admin.md made"

# 6. An upgrade: a new release with one more migration; the session and
# the account survive, the workers are replaced, the migration applied.
fcgi_old=$(cat "$T/units/waportal-fcgi.pid")
stops=$(grep -c 'stopping after' "$T/log/waportal-fcgi.log")
users=$(psql_su "SELECT count(*) FROM users")
T0057_NEXT=1 step upgrade
like "$(cat "$T/log/upgrade.log")" '"status": ?"ready"' "the upgrade ends with /readyz ready"
out=$(as_waportal waportalctl migrate --status 2>&1)
like "$out" '^applied +9999_t0057_next\.sql' "the new release's migration is applied"
is "$(cat "$T/units/waportal-fcgi.pid")" "$fcgi_old" "the workers' unit was reloaded, not restarted"
wait_for 15 eval '[ "$(grep -c "stopping after" "$T/log/waportal-fcgi.log")" -ge $((stops + 4)) ]'
ok $? "the four old workers finished and stopped"
is "$(psql_su "SELECT count(*) FROM users")" "$users" "every account is kept"
http GET /dashboard -H "Cookie: $cookie"
is "$HTTP_STATUS" 200 "the session of before the upgrade still signs in"
wait_for 15 eval 'as_waportal waportalctl check --socket "$sock" >"$T/log/check2.log" 2>&1'
ok $? "waportalctl check: all ok after the upgrade (dispatcher and runner restarted)" ||
    diag_file "$T/log/check2.log"

# 8. A backup while everything runs, restored on a "new machine": the
# services stopped, the database dropped, step 2's createdb, the restore
# block, the services started: the account and its session are back.
step backup
is "$(stat -c '%a %U' "$T/src/waportal.dump" 2>&1)" "600 root" "the dump is root's, mode 0600"
stand_in() { (cd "$T/src" && env -i T="$T" bash -e -c ". $T/prelude.sh; $1") 9>&-; }
stand_in 'systemctl stop waportal-fcgi waportal-dispatch waportal-runner'
ok $? "the services stop (systemctl stop)"
runuser -u postgres -- "$PGBIN/psql" -h "$D/run/postgresql" -p "$PGPORT" -X -q -d postgres \
    -c "DROP DATABASE waportal WITH (FORCE)" >"$T/log/dropdb.log" 2>&1
ok $? "the database is dropped" || diag_file "$T/log/dropdb.log"
createdb=$(block database | grep -E '^runuser -u postgres -- createdb ')
stand_in "$createdb" >"$T/log/createdb.log" 2>&1
ok $? "an empty database, as step 2 makes it: $createdb" || diag_file "$T/log/createdb.log"
step restore
out=$(cat "$T/log/restore.log")
is "$(grep -c '^applied ' <<<"$out")" "$((napplied + 1))" "after the restore every migration is applied" ||
    diag "$out"
unlike "$out" '^(pending|changed) ' "none pending or changed"
stand_in 'systemctl start waportal-fcgi waportal-dispatch waportal-runner'
ok $? "the services start again"
wait_for 15 eval '[ -S "$sock" ]'
is "$(psql_su "SELECT count(*) FROM users")" "$users" "every account is back"
http GET /dashboard -H "Cookie: $cookie"
is "$HTTP_STATUS" 200 "the session of before the backup still signs in"
wait_for 15 eval 'as_waportal waportalctl check --socket "$sock" >"$T/log/check3.log" 2>&1'
ok $? "waportalctl check: all ok on the restored database" ||
    diag_file "$T/log/check3.log"

# Clean-up, checked: nothing of the deployment runs any more.
deploy_cleanup
trap - EXIT
left=$(pgrep -f "$T" | tr '\n' ' ')
is "$left" "" "no process of the deployment is left"
if [ "$made_user" = 1 ]; then
	getent passwd waportal >/dev/null
	isnt $? 0 "the user waportal the test made is gone"
fi
[ ! -e "$T" ]
ok $? "the temp dir is gone"
done_testing
