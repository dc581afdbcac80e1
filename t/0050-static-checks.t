#!/bin/sh
# 0050-static-checks: source rules a reviewer would otherwise have to remember.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
top=${top_srcdir:-.}
n=0; failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }

# Every C file and header under src/, in whatever folder.
c_files=$(find "$top/src" -name '*.c' -type f | sort)
h_files=$(find "$top/src" -name '*.h' -type f | sort)
templates=$(find "$top/src" -name '*.mustache' -type f | sort)
[ -n "$c_files" ]; ok $? "C files found under src/"

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
hits=$(grep -n 'PQexec\b\|PQexec(' $c_files | grep -v '^[^:]*/db\.c:')
[ -z "$hits" ]; ok $? "PQexec is called from db.c only"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'
hits=$(sql_format_hits $c_files)
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
for f in $c_files $h_files; do
	head -n 1 "$f" | grep -q '^/\* [a-z0-9_.-]*: .* \*/$' || bad="$bad ${f#"$top"/}"
done
[ -z "$bad" ]; ok $? "every source file starts with a purpose line"
[ -n "$bad" ] && echo "# missing:$bad"

# Allocation goes through the x* wrappers.
hits=$(grep -nE '(^|[^x_a-z])(malloc|calloc|realloc|strdup|strndup|asprintf)\(' $c_files | grep -v '^[^:]*/xmalloc\.c:')
[ -z "$hits" ]; ok $? "no direct malloc/calloc/realloc/strdup outside xmalloc.c"
[ -n "$hits" ] && echo "$hits" | sed 's/^/# /'

# Every migration and template is installed (listed in Makefile.am or
# a fragment it includes).
am_files=$(find "$top" -path "$top/build" -prune -o -name '*.am' -type f -print)
missing=''
for f in "$top"/sql/*.sql $templates; do
	rel=${f#"$top"/}
	cat $am_files | grep -qF "$rel" || missing="$missing $rel"
done
[ -z "$missing" ]; ok $? "every migration and template is listed for make install"
[ -n "$missing" ] && echo "# not listed:$missing"

echo "1..$n"
exit $failed
