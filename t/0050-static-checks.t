#!/bin/sh
# 0050-static-checks: source rules a reviewer would otherwise have to remember.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
[ -z "${WAPORTAL_TEST_SANITIZERS:-}" ] || { echo "1..0 # SKIP runs in the normal tree: no C code of ours to check under the sanitizers"; exit 0; }
top=${top_srcdir:-.}
n=0; failed=0
# Every C source and header (and the C++ shim), in every folder of src/.
srcs=$(find "$top/src" -name '*.[ch]' -o -name '*.cc' | sort)
csrcs=$(echo "$srcs" | grep '\.cc\?$')
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }
templates=$(find "$top/src" -name '*.mustache' -type f | sort)
[ -n "$csrcs" ]; ok $? "C files found under src/"

# sql_format_hits FILE...: "file:line: call" for each call of a format or
# concatenation function whose arguments hold a string literal with an
# SQL keyword. A call is read whole, from its name to the ";" that ends
# the statement, over as many lines as it takes (comments dropped,
# string literals joined), so a line break cannot hide one.
sql_format_hits()
{
	perl -e '
	my $str = qr/"(?:[^"\\\n]|\\.)*"/;
	my $chr = qr/\x27(?:[^\x27\\\n]|\\.)*\x27/;
	for my $f (@ARGV) {
		open my $fh, "<", $f or die "$f: $!";
		local $/;
		my $src = <$fh>;
		close $fh;
		# Comments out, string and character literals kept as they are;
		# every newline kept so line numbers stay right.
		$src =~ s{($str|$chr)|/\*.*?\*/|//[^\n]*}{
		    defined $1 ? $1 : ($& =~ tr/\n//cdr) }gse;
		while ($src =~ /(s?n?printf|asprintf|strcat|buf_(?:append|puts|printf))\s*\(((?:$str|$chr|[^;"\x27])*);/g) {
			my ($name, $args, $at) = ($1, $2, $-[0]);
			my $lits = join "", map { substr($_, 1, -1) } $args =~ /($str)/g;
			next unless $lits =~ /\b(SELECT|INSERT|UPDATE|DELETE)\b/;
			my $line = 1 + (substr($src, 0, $at) =~ tr/\n//);
			print "$f:$line: $name(...) with \"$1\"\n";
		}
	}' "$@"
}

# SQL lives in the statement table only: no PQexec outside db.c, and no
# format or concatenation call with SQL keywords anywhere in src/.
hits=$(grep -n 'PQexec\b\|PQexec(' $csrcs | grep -v '^[^:]*/db\.c:')
[ -z "$hits" ]; ok $? "PQexec is called from db.c only"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'
hits=$(sql_format_hits $csrcs)
[ -z "$hits" ]; ok $? "no SQL is built with a format or concatenation call"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'
# The check itself: calls split over lines, a keyword in a later literal
# or behind a ";" inside a string are found; SQL in a comment is not a call.
sample=$(mktemp /tmp/waportal-0050.XXXXXX.c) || exit 1
trap 'rm -f "$sample"' EXIT
cat >"$sample" <<'SAMPLE'
/* snprintf(q, sizeof(q), "SELECT 1"); is only a comment */
static void
f(char *q, size_t n, struct buf *b, const char *t)
{
	snprintf(q, n,
	    "SELECT name "
	    "FROM %s", t);
	buf_printf(b, "x; y", t, "'\''", ';',
	    "DELETE FROM x");
	buf_append(b,
	    "UPD"
	    "ATE t SET a = 1", 15);
	snprintf(q, n, "%s", "selected, inserted: no keyword");
}
SAMPLE
is_lines=$(sql_format_hits "$sample" | sed 's/^[^:]*:\([0-9]*\):.*/\1/' | paste -sd' ')
[ "$is_lines" = "5 8 10" ]; ok $? "the SQL format check finds calls split over lines (got lines '$is_lines', want '5 8 10')"

# One clock: SQL in src/ reads wa_now(), never now() (sql/0009_clock.sql;
# the migrator's own table predates it).
hits=$(grep -nP '"[^"]*(?<![a-z_])now\(\)' $csrcs | grep -v '^[^:]*/core/migrate\.c:')
[ -z "$hits" ]; ok $? "SQL in src/ reads the clock from wa_now()"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'

# Templates escape by default; a raw tag must be listed here with a reason.
# instance.mustache: {{{qr_svg}}} is made by qr.c (numbers and an
# escaped title only).
raw_allowed='{{{qr_svg}}}'
hits=$(grep -nE '\{\{\{|\{\{&' $templates | grep -v -F "${raw_allowed:-@none@}")
[ -z "$hits" ]; ok $? "templates use no raw (unescaped) tag outside the allowlist"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'

# No inline script or style: the CSP forbids them.
hits=$(grep -niE '<script>|<script [^>]*>[^<]|<style|[[:space:]]style=|[[:space:]]on[a-z]+=' $templates)
[ -z "$hits" ]; ok $? "templates hold no inline script, style or event handler"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'

# Every C file opens with a one-line purpose comment.
bad=''
for f in $srcs; do
	head -n 1 "$f" | grep -q '^/\* [a-z0-9_.-]*: .* \*/$' || bad="$bad $(basename "$f")"
done
[ -z "$bad" ]; ok $? "every source file starts with a purpose line"
[ -n "$bad" ] && echo "# missing:$bad"

# Allocation goes through the x* wrappers.
hits=$(grep -nE '(^|[^x_a-z])(malloc|calloc|realloc|strdup|strndup|asprintf)\(' $csrcs | grep -v '^[^:]*/xmalloc\.c:')
[ -z "$hits" ]; ok $? "no direct malloc/calloc/realloc/strdup outside xmalloc.c"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'

# Folders are link units: a file includes headers of its own folder and
# of the folders below it only (docs/design.md). core is under all;
# the dispatcher, the runner, waportalctl and the simulator never see the
# web layer.
layer_ok()
{
	case $1 in
	core) echo 'core' ;;
	aud) echo 'core aud' ;;
	gw) echo 'core gw' ;;
	web) echo 'core web' ;;
	portal) echo 'core gw web aud portal' ;;
	hook) echo 'core gw web hook' ;;
	api) echo 'core gw web aud api' ;;
	fcgi) echo 'core gw web aud portal api hook fcgi' ;;
	dispatch) echo 'core gw dispatch' ;;
	runner) echo 'core aud runner' ;;
	ctl) echo 'core ctl' ;;
	gwsim) echo 'core gwsim' ;;
	esac
}
bad=''
for f in $srcs; do
	dir=${f#"$top"/src/}
	dir=${dir%%/*}
	allowed=" $(layer_ok "$dir") "
	for inc in $(sed -n 's|^#include "\([a-z]*\)/.*|\1|p' "$f"); do
		case $allowed in
		*" $inc "*) ;;
		*) bad="$bad ${f#"$top"/}:$inc" ;;
		esac
	done
done
[ -z "$bad" ]; ok $? "each folder includes only the folders it may link"
[ -n "$bad" ] && echo "# crosses a layer:$bad"

# No merge left half done: conflict markers in any file of the tree.
marks=$(cd "$top" && grep -rnE --exclude-dir=build --exclude-dir=.git --exclude-dir=node_modules \
	'^(<<<<<<< |>>>>>>> |=======$)' --include='*.[ch]' --include='*.cc' --include='*.md' \
	--include='*.sql' --include='*.t' --include='*.sh' --include='*.am' --include='*.ac' \
	--include='*.mustache' --include='*.js' --include='*.css' --include='*.json' --include='*.po' \
	--include='README*' . 2>/dev/null | grep -v '^\./t/0050-static-checks\.t:')
[ -z "$marks" ]; ok $? "no merge conflict markers left in the tree"
[ -n "$marks" ] && echo "# conflict markers: $marks"

echo "1..$n"
exit $failed
