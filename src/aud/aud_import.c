/* aud_import.c: an import's targets, the mapping proposed from a CSV header (names in English and Indonesian, custom fields by key or label), and cells cleaned with the contact rules the runner applies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/contact_field.h"
#include "core/nls.h"
#include "core/phone.h"
#include "core/valid.h"
#include "core/xmalloc.h"
#include "aud_import.h"
#include "aud_sniff.h"

const struct aud_target aud_targets[] = {
	{ "", N_("Do not import") },
	{ "phone", N_("Phone number") },
	{ "name", N_("Name") },
	{ "email", N_("E-mail") },
	{ "language", N_("Language") },
	{ "notes", N_("Notes") },
	{ "status", N_("Subscription status") },
	{ "consent_note", N_("Consent (where it was given)") },
	{ "tags", N_("Tags (names separated by commas)") },
};
const size_t aud_ntargets = sizeof(aud_targets) / sizeof(aud_targets[0]);

/*
 * Add a field read from contact_fields: kind its name, choices_json
 * its choices as a JSON array of strings (to_json(choices)).
 */
void
aud_fields_add(struct aud_fields *fs, const char *key, const char *label,
    const char *kind, const char *choices_json)
{
	struct json_object	*ch = json_tokener_parse(choices_json);
	struct aud_field	*f;
	size_t			 i, n;

	fs->v = xreallocarray(fs->v, fs->n + 1, sizeof(*fs->v));
	f = &fs->v[fs->n++];
	f->key = xstrdup(key);
	f->label = xstrdup(label);
	f->kind = cfield_kind_parse(kind);
	n = ch != NULL && json_object_is_type(ch, json_type_array) ?
	    json_object_array_length(ch) : 0;
	f->choices = n > 0 ? xreallocarray(NULL, n, sizeof(char *)) : NULL;
	for (i = 0; i < n; i++)
		f->choices[i] = xstrdup(json_object_get_string(
		    json_object_array_get_idx(ch, i)));
	f->nchoices = n;
	json_object_put(ch);
}

void
aud_fields_free(struct aud_fields *fs)
{
	size_t	 i, j;

	for (i = 0; i < fs->n; i++) {
		free(fs->v[i].key);
		free(fs->v[i].label);
		for (j = 0; j < fs->v[i].nchoices; j++)
			free(fs->v[i].choices[j]);
		free(fs->v[i].choices);
	}
	free(fs->v);
	fs->v = NULL;
	fs->n = 0;
}

/* The field with this key, or NULL. */
const struct aud_field *
aud_field_find(const struct aud_fields *fs, const char *key)
{
	size_t	 i;

	for (i = 0; fs != NULL && i < fs->n; i++)
		if (strcmp(fs->v[i].key, key) == 0)
			return &fs->v[i];
	return NULL;
}

/* Whether a column may be imported as t: a fixed target or "field:<key>". */
int
aud_target_ok(const char *t, const struct aud_fields *fs)
{
	size_t	 i;

	for (i = 0; i < aud_ntargets; i++)
		if (strcmp(t, aud_targets[i].target) == 0)
			return 1;
	return strncmp(t, "field:", 6) == 0 && aud_field_find(fs, t + 6) !=
	    NULL;
}

/* The field a column name names by its key or label, or NULL. */
static const struct aud_field *
aud_field_named(const struct aud_fields *fs, const char *col)
{
	size_t	 i;

	for (i = 0; fs != NULL && i < fs->n; i++)
		if (strcasecmp(col, fs->v[i].key) == 0 ||
		    strcasecmp(col, fs->v[i].label) == 0)
			return &fs->v[i];
	return NULL;
}

/*
 * The mapping proposed for a file's header: {"phone": 0, "name": 2,
 * "field:city": 5} (target -> column); the first column that names a
 * target gets it.
 */
struct json_object *
aud_map_propose(const struct aud_sniff *s, const struct aud_fields *fs)
{
	struct json_object	*m = json_object_new_object();
	const struct aud_field	*f;
	const char		*t;
	char			 key[80];
	size_t			 i;

	for (i = 0; i < s->ncols; i++) {
		if ((t = aud_sniff_target(s->header[i])) == NULL &&
		    (f = aud_field_named(fs, s->header[i])) != NULL) {
			snprintf(key, sizeof(key), "field:%s", f->key);
			t = key;
		}
		if (t != NULL && !json_object_object_get_ex(m, t, NULL))
			json_object_object_add(m, t,
			    json_object_new_int((int)i));
	}
	return m;
}

/* A custom field's value as text: the JSON value cfield_value makes. */
static int
aud_field_clean(const struct aud_field *f, const char *s, size_t n,
    struct buf *out, const char **why)
{
	struct json_object	*v;
	struct buf		 j = BUF_INIT;
	int			 rc;

	rc = cfield_value((enum cfield_kind)f->kind,
	    (const char *const *)f->choices, f->nchoices, s, n, &j, why);
	if (rc == 0 && j.len > 0 && (v = json_tokener_parse(buf_str(&j))) !=
	    NULL) {
		buf_puts(out, json_object_get_string(v));
		json_object_put(v);
	}
	buf_free(&j);
	return rc;
}

/*
 * A tags cell: names separated by ',' or ';', each trimmed, of one line
 * and at most CONTACT_TAG_NAME_MAX characters (the runner's rule). 0, or
 * -1 with *why.
 */
static int
aud_tags_check(const char *s, size_t n, const char **why)
{
	const char	*t;
	size_t		 i = 0, len;

	while (i < n) {
		t = s + i;
		for (len = 0; i + len < n && t[len] != ',' && t[len] != ';';
		    len++)
			;
		i += len + 1;
		text_trim(&t, &len);
		if (len > 0 && text_field_ok(t, len, CONTACT_TAG_NAME_MAX, 0,
		    why) == -1)
			return -1;
	}
	return 0;
}

/*
 * Clean cell s[0..n) for target with the import's country: 0 with the
 * value as the import stores it appended to out (a field's value as
 * text), or -1 with *why (English, N_). Spaces around it are trimmed;
 * an empty cell is valid but for the phone.
 */
int
aud_cell_clean(const char *target, const char *s, size_t n,
    const char *country, const struct aud_fields *fs, struct buf *out,
    const char **why)
{
	char			 e164[PHONE_E164_MAX + 1], mail[EMAIL_MAX + 1],
				 lang[CONTACT_LANG_MAX + 1];
	const struct aud_field	*f;
	enum phone_why		 pw;
	int			 st;

	*why = NULL;
	text_trim(&s, &n);
	if (strcmp(target, "phone") == 0) {
		if (phone_parse(s, n, country, PHONE_MOBILE, e164, &pw) == -1) {
			*why = phone_why_text(pw);
			return -1;
		}
		buf_puts(out, e164);
		return 0;
	}
	if (n == 0)
		return 0;
	if (strcmp(target, "email") == 0) {
		if (email_normalize(s, n, mail, why) == -1)
			return -1;
		buf_puts(out, mail);
	} else if (strcmp(target, "language") == 0) {
		if (contact_language(s, n, lang, why) == -1)
			return -1;
		buf_puts(out, lang);
	} else if (strcmp(target, "status") == 0) {
		if ((st = contact_status(s, n, why)) < 0)
			return -1;
		buf_puts(out, contact_status_names[st]);
	} else if (strncmp(target, "field:", 6) == 0) {
		if ((f = aud_field_find(fs, target + 6)) == NULL) {
			*why = N_("No such custom field.");
			return -1;
		}
		return aud_field_clean(f, s, n, out, why);
	} else if ((strcmp(target, "name") == 0 &&
	    contact_name_check(s, n, why) == -1) ||
	    (strcmp(target, "notes") == 0 &&
	    contact_notes_check(s, n, why) == -1) ||
	    (strcmp(target, "consent_note") == 0 && text_field_ok(s, n,
	    CONTACT_CONSENT_NOTE_MAX, 0, why) == -1) ||
	    (strcmp(target, "tags") == 0 && aud_tags_check(s, n, why) == -1))
		return -1;
	else
		buf_append(out, s, n);
	return 0;
}
