#!/bin/sh
# 0054-catalog.t: the translations: po/id.po is a valid catalog; every template key is declared by one module and translated; every string of the code and of the OpenAPI document's prose has its Indonesian, and the catalog holds nothing they no longer use.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
[ -z "${WAPORTAL_TEST_SANITIZERS:-}" ] || { echo "1..0 # SKIP runs in the normal tree: no C code of ours to check under the sanitizers"; exit 0; }
. "${top_srcdir:?}/t/lib/stack.sh"

for t in msgfmt xgettext msgmerge msgattrib jq; do
	command -v "$t" >/dev/null || skip_all "$t is not installed (./dev test installs gettext)"
done
tmp=$(mktemp -d) || bail_out "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
po=$top_srcdir/po/id.po

out=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1)
ok $? "msgfmt --check po/id.po" || diag "$out"

# Template keys: declared once, by a module, and used.
"$top_builddir/t/modcheck" keys >"$tmp/keys" 2>&1
ok $? "modcheck lists the modules' template keys" || diag_file "$tmp/keys"
cut -f2 "$tmp/keys" | sort >"$tmp/declared"
dups=$(uniq -d "$tmp/declared" | tr '\n' ' ')
is "$dups" "" "no key is declared by two modules"
grep -ohE '\{\{[#^/]?t\.[a-z0-9_]+' "$top_srcdir"/src/templates/*.mustache |
    sed 's/.*t\.//' | sort -u >"$tmp/used"
missing=$(comm -13 <(sort -u "$tmp/declared") "$tmp/used" | tr '\n' ' ')
is "$missing" "" "every key a template uses is declared by a module"
unused=$(comm -23 <(sort -u "$tmp/declared") "$tmp/used" | tr '\n' ' ')
is "$unused" "" "every declared key is used by a template"

# The code's English, and the OpenAPI document's prose the API docs
# pages translate, against the catalog.
(cd "$top_srcdir" && jq -r -f po/openapi-pot.jq docs/openapi.json \
    >"$tmp/code.pot" && find src -name '*.c' -o -name '*.cc' | LC_ALL=C sort |
    xgettext --from-code=UTF-8 --language=C --keyword --keyword=N_ \
    --keyword=T_:1c,2 --keyword=req_tr:2 --keyword=i18n_tr:2 \
    --join-existing --files-from=- -o "$tmp/code.pot") 2>"$tmp/xgettext.err"
ok $? "xgettext reads the code's strings" || diag_file "$tmp/xgettext.err"
msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$po" \
    "$tmp/code.pot" 2>"$tmp/msgmerge.err"
ok $? "msgmerge of po/id.po with the code's strings" ||
    diag_file "$tmp/msgmerge.err"
lacks=$(msgattrib --untranslated --no-obsolete "$tmp/merged.po" |
    grep -c '^msgid ')
is "$lacks" 0 "every string of the code has its Indonesian" || {
	msgattrib --untranslated --no-obsolete "$tmp/merged.po" |
	    grep -A1 '^msgctxt\|^msgid' | head -40 | sed 's/^/# /'
}
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" |
    grep -c '^msgid ')
is "$fuzzy" 0 "no translation is marked fuzzy"
stale=$(msgattrib --only-obsolete "$tmp/merged.po" | grep -c '^#~ msgid ')
is "$stale" 0 "the catalog holds no string the code does not use" || {
	msgattrib --only-obsolete "$tmp/merged.po" | grep '^#~ msgid' |
	    head -20 | sed 's/^/# /'
}
done_testing
