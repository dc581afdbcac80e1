/* 0083-i18n-fixed.c: every fixed sentence of valid_contact.c and image.c has its Indonesian; the table's own rules; errors by field translated in place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "web/i18n.h"
#include "tap.h"

/* The whole file at path, NUL-terminated, or NULL. */
static char *
slurp(const char *path)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[4096];
	size_t		 n;
	FILE		*f = fopen(path, "r");

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_steal(&b);
}

/*
 * The string literal at *p ('"'), joined with the literals right after
 * it (C's concatenation), into out; *p moves past them.
 */
static void
literal(const char **p, struct buf *out)
{
	const char	*s = *p;

	buf_reset(out);
	while (*s == '"') {
		for (s++; *s != '\0' && *s != '"'; s++) {
			if (*s == '\\' && s[1] != '\0')
				s++;
			buf_putc(out, *s);
		}
		if (*s == '"')
			s++;
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
	}
	*p = s;
}

/*
 * Every sentence of a source file (a literal starting with a capital
 * letter and ending with '.') is in the table: returns how many were
 * found and reports each missing one.
 */
static int
check_file(const char *top, const char *name)
{
	struct buf	 lit = BUF_INIT;
	char		*path = xasprintf("%s/src/%s", top, name), *src;
	const char	*p, *s;
	int		 found = 0, missing = 0;

	if ((src = slurp(path)) == NULL) {
		ok(0, "%s can be read", path);
		free(path);
		return 0;
	}
	for (p = src; (p = strchr(p, '"')) != NULL; ) {
		literal(&p, &lit);
		s = buf_str(&lit);
		if (s[0] < 'A' || s[0] > 'Z' || lit.len < 2 ||
		    s[lit.len - 1] != '.')
			continue;
		found++;
		if (i18n_fixed(LANG_ID, s) == s) {
			diag("%s: no Indonesian for \"%s\"", name, s);
			missing++;
		}
	}
	ok(found > 0 && missing == 0, "%s: all %d sentences translated",
	    name, found);
	buf_free(&lit);
	free(src);
	free(path);
	return found;
}

static void
check_table(void)
{
	const char	*en, *id;
	size_t		 i, j;
	int		 bad = 0;

	for (i = 0; (en = i18n_fixed_at(i)) != NULL; i++) {
		id = i18n_fixed(LANG_ID, en);
		if (id == en || *id == '\0' || strcmp(id, en) == 0)
			bad++;
		for (j = 0; j < i; j++)
			if (strcmp(i18n_fixed_at(j), en) == 0)
				bad++;
	}
	ok(i >= 40 && bad == 0, "the table: %zu sentences, each once, "
	    "each with its own Indonesian", i);
	is_str(i18n_fixed(LANG_EN, "Enter a name."), "Enter a name.",
	    "English is the source itself");
	is_str(i18n_fixed(LANG_ID, "Enter a name."), "Masukkan nama.",
	    "Indonesian from the table");
	is_str(i18n_fixed(LANG_ID, "Not in the table."), "Not in the table.",
	    "a sentence not in the table stays as it is");
	ok(i18n_fixed(LANG_ID, NULL) == NULL, "NULL stays NULL");
}

static void
check_object(void)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "email", json_object_new_string(
	    "An email address needs exactly one @."));
	json_object_object_add(o, "other", json_object_new_string("as is"));
	json_object_object_add(o, "n", json_object_new_int(3));
	i18n_fixed_object(LANG_ID, o);
	is_str(json_object_get_string(json_object_object_get(o, "email")),
	    "Alamat email harus berisi tepat satu @.",
	    "errors by field: each translated in place");
	is_str(json_object_get_string(json_object_object_get(o, "other")),
	    "as is", "... others kept");
	is_int(json_object_get_int(json_object_object_get(o, "n")), 3,
	    "... and non-strings left alone");
	i18n_fixed_object(LANG_ID, NULL);
	json_object_put(o);
}

int
main(void)
{
	const char	*top = getenv("top_srcdir");

	if (top == NULL)
		top = ".";
	check_file(top, "core/valid.c");
	check_file(top, "portal/image.c");
	check_table();
	check_object();
	return done_testing();
}
