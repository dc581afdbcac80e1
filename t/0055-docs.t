#!/bin/sh
# 0055-docs.t: the docs that describe the build cannot drift from it: design.md's folders and modules, limits.md's per-route body limits, and every source path the docs name.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
[ -z "${WAPORTAL_TEST_SANITIZERS:-}" ] || { echo "1..0 # SKIP runs in the normal tree: no C code of ours to check under the sanitizers"; exit 0; }
. "${top_srcdir:?}/t/lib/stack.sh"

design=$top_srcdir/docs/design.md
limits=$top_srcdir/docs/limits.md

# design.md's layout table: | `src/X` | `artifact` | ... |, one row per
# folder with a local.mk, naming what that local.mk builds.
folders=$(cd "$top_srcdir/src" && ls -d */ | tr -d / | while read -r d; do
	[ -f "$d/local.mk" ] && echo "$d"; done)
for d in $folders; do
	row=$(grep -E "^\| \`src/$d\` \|" "$design")
	[ -n "$row" ]; ok $? "design.md has a row for src/$d" || continue
	built=$(sed -E 's/^\| `[^`]*` \| `([^`]*)`.*/\1/' <<<"$row")
	grep -qE "^(noinst_LIBRARIES|bin_PROGRAMS) \+= src/($d/)?$built\$" \
	    "$top_srcdir/src/$d/local.mk"
	ok $? "src/$d builds $built, as design.md says"
done
rows=$(grep -cE '^\| `src/[a-z]+` \| `' "$design")
is "$rows" "$(wc -w <<<"$folders")" "design.md's layout table has no other row"

# design.md's module table: | `name` | `src/.../file.c` | what |, the
# modules of src/fcgi/modules.c in its order, each defined where it says.
listed=$(sed -n 's/^[[:space:]]*X(\([a-z_]*\)).*/\1/p' "$top_srcdir/src/fcgi/modules.c")
documented=$(sed -n 's/^| `\([a-z_]*\)` | `src\/[a-z]*\/[a-z_]*\.c` |.*/\1/p' "$design")
is "$(echo $documented)" "$(echo $listed)" "design.md lists the worker's modules, in modules.c's order"
while read -r name file; do
	grep -q "^const struct module ${name}_module = {" "$top_srcdir/$file"
	ok $? "module $name is defined in $file"
done < <(sed -n 's/^| `\([a-z_]*\)` | `\(src\/[a-z]*\/[a-z_]*\.c\)` |.*/\1 \2/p' "$design")

# limits.md's per-route table: | `METHOD pattern` | kind | bytes |.
want=$("$top_builddir/t/modcheck" bodies | sort)
got=$(sed -n 's/^| `\([A-Z]*\) \([^`]*\)` | \([a-z-]*\) | \([0-9a-z]*\) |.*/\1 \2 \3 \4/p' "$limits" | sort)
is "$got" "$want" "limits.md's per-route body limits are the ones the worker applies"

# Every source path a doc names exists.
missing=''
for f in $(grep -ohE '\bsrc/[a-z]+/[a-z0-9_]+\.[ch]\b' "$top_srcdir"/docs/*.md \
    "$top_srcdir/README.md" | sort -u); do
	[ -f "$top_srcdir/$f" ] || missing="$missing $f"
done
is "$missing" "" "every src/ file the docs name exists"
stale=$(grep -nE '\bsrc/[a-z0-9_]+\.[ch]\b' "$top_srcdir"/docs/*.md "$top_srcdir/README.md" |
    sed "s|$top_srcdir/||" | head -10)
is "$stale" "" "no doc names a file of the old flat src/"
done_testing
