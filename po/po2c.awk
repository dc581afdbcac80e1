# po2c.awk: turn one PO catalog into a C table of {context, msgid, translation}: awk -v lang=id -f po2c.awk id.po.
#
# Fuzzy, obsolete and untranslated entries and the header are left out
# (the interface then shows the English). PO strings use C's escapes,
# so each fragment is copied into the C literal as it is.

function flush() {
	if (have && id != "" && str != "" && !fuzzy)
		printf "\t{ %s, \"%s\", \"%s\" },\n", \
		    (hasctx ? "\"" ctx "\"" : "NULL"), id, str
	have = 0; hasctx = 0; fuzzy = 0; ctx = ""; id = ""; str = ""; cur = ""
}

# The text between the first and the last double quote of the line.
function frag(line) {
	sub(/^[^"]*"/, "", line)
	sub(/"[ \t]*$/, "", line)
	return line
}

BEGIN {
	print "/* i18n_" lang ".c: made from po/" lang ".po by po/po2c.awk; edit the .po file, not this one. */"
	print "#include <stddef.h>"
	print ""
	print "#include \"web/i18n.h\""
	print ""
	print "const struct i18n_entry i18n_catalog_" lang "[] = {"
}

/^#~/ { next }
/^#,.*fuzzy/ { flush(); fuzzy = 1; next }
/^#/ { next }
/^[ \t]*$/ { flush(); next }
/^msgctxt / { if (have && cur != "ctx") flush(); have = 1; hasctx = 1; cur = "ctx"; ctx = frag($0); next }
/^msgid / { if (have && cur == "str") flush(); have = 1; cur = "id"; id = frag($0); next }
/^msgstr / { cur = "str"; str = frag($0); next }
/^"/ {
	if (cur == "ctx") ctx = ctx frag($0)
	else if (cur == "id") id = id frag($0)
	else if (cur == "str") str = str frag($0)
	next
}

END {
	flush()
	print "\t{ NULL, NULL, NULL }"
	print "};"
}
