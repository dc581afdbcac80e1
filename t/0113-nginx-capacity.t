#!/bin/sh
# 0113-nginx-capacity.t: the stack's nginx, configured as ./dev up's, is sized for 10,000 concurrent clients and holds 3,000 idle connections while it answers (issue 11, item 7).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:?}/t/lib/stack.sh"

command -v perl >/dev/null || skip_all "perl is not installed"
IDLE=3000

stack_start --workers 1
n=$STACK_DIR/nginx

# What nginx itself read, includes and all: nginx -T on the running
# stack's configuration (the one stack_nginx_conf writes for ./dev up too).
dump=$(nginx -T -p "$n/" -c "$n/nginx.conf" -e "$STACK_DIR/log/nginx-T.log" 2>&1 |
    sed 's/#.*//')
like "$dump" 'test is successful' "nginx -T accepts the stack's configuration"
procs=$(sed -n 's/^[[:space:]]*worker_processes[[:space:]]\{1,\}\([^;]*\);.*/\1/p' <<<"$dump")
conns=$(sed -n 's/.*worker_connections[[:space:]]\{1,\}\([0-9]*\);.*/\1/p' <<<"$dump")
nofile=$(sed -n 's/^[[:space:]]*worker_rlimit_nofile[[:space:]]\{1,\}\([0-9]*\);.*/\1/p' <<<"$dump")
is "$procs" auto "worker_processes auto: one nginx worker per CPU"
# 10,000 clients whose requests are at the workers hold 20,000
# connections; below 10,000 only where the hard open-files limit forbids
# more and cannot be raised, which stack_nginx_capacity then follows.
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt 20000 ] && ! (ulimit -Hn 20000) 2>/dev/null; then
	is "$conns" $((hard / 2)) "worker_connections is half the hard open-files limit ($hard), which cannot be raised"
	ok 0 "# SKIP 10,000 connections per worker need an open-files limit of 20,000 (hard limit: $hard)"
else
	ok 0 "the hard open-files limit ($hard) allows 10,000 connections per worker"
	cmp_ok "${conns:-0}" -ge 10000 "worker_connections $conns >= 10000"
fi
cmp_ok "${nofile:-0}" -ge $((2 * ${conns:-1})) "worker_rlimit_nofile $nofile >= twice worker_connections"
# ... and nginx's workers run with it.
master=$(cat "$n/nginx.pid")
got=0
for p in $(stack_children "$master"); do
	[ "$(awk '/^Max open files/ { print $4 }' "/proc/$p/limits")" -ge "${nofile:-1}" ] 2>/dev/null &&
	    got=$((got + 1))
done
cmp_ok "$got" -ge 1 "the nginx workers' open-files limit is worker_rlimit_nofile ($got workers)"

# IDLE connections that send nothing, held open while another asks for
# /healthz: nginx must answer it without dropping any of them (before,
# one worker of 1,024 connections closed the oldest to make room).
if [ "$hard" != unlimited ] && [ "$hard" -lt $((IDLE + 100)) ]; then
	ok 0 "# SKIP $IDLE connections need an open-files limit over $((IDLE + 100)) (hard: $hard)"
	ok 0 "# SKIP"
	ok 0 "# SKIP"
	ok 0 "# SKIP"
else
	out=$( (ulimit -n $((IDLE + 100)) 2>/dev/null || ulimit -n "$hard"
	    exec perl -MIO::Socket::INET -MErrno -e '
	    my ($port, $want) = @ARGV;
	    my @held;
	    for (1 .. $want) {
		my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		    PeerPort => $port, Timeout => 10) or last;
		push @held, $c;
	    }
	    print "opened ", scalar(@held), "\n";
	    my $status = "none";
	    if (my $r = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		PeerPort => $port, Timeout => 10)) {
		print $r "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n",
		    "Connection: close\r\n\r\n";
		local $SIG{ALRM} = sub { die "no answer\n" };
		alarm 10;
		my $line = <$r>;
		alarm 0;
		$status = $1 if defined $line && $line =~ m{^HTTP/1\.[01] (\d{3}) };
	    }
	    print "status $status\n";
	    # nginx closes a connection it drops before it answers the
	    # request that needed the room; a moment for the FIN to land.
	    select(undef, undef, undef, 0.2);
	    my $closed = 0;
	    for my $c (@held) {
		$c->blocking(0);
		my $got = sysread($c, my $b, 1);
		$closed++ if defined $got || !$!{EAGAIN};
	    }
	    print "closed $closed\n";
	    ' "$STACK_PORT" "$IDLE") 2>&1)
	like "$out" "^opened $IDLE\$" "$IDLE idle connections open" || diag "$out"
	like "$out" '^status 200$' "... and nginx still answers GET /healthz on another: 200"
	like "$out" '^closed 0$' "... without closing any of them"
	unlike "$(cat "$STACK_DIR/log/nginx-error.log")" 'worker_connections are not enough|exceed open file resource limit|setrlimit' \
	    "nginx's error log: no 'worker_connections are not enough', no open-files warning"
fi
http GET /healthz
is "$HTTP_STATUS" 200 "nginx answers once they are gone"

done_testing
