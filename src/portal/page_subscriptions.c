/* page_subscriptions.c: the customer's opt-out and opt-in words, contains mode, the replies, help text and double opt-in confirmation per language, with a preview of what a message would do. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/nls.h"
#include "core/valid.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"

#define SUB_WORDS_MAX	20	/* own words of each kind */
#define SUB_WORD_MAX	30	/* characters of a word */
#define SUB_TEXT_MAX	1000	/* characters of a reply */

static int	sub_in_tick(struct req *, struct field *);

/* The form's inputs: the settings in the order of SUB_SAVE's $2.., then the try-out. */
enum {
	SUB_IN_OUT,
	SUB_IN_IN,
	SUB_IN_CONTAINS,
	SUB_IN_OUT_EN,
	SUB_IN_OUT_ID,
	SUB_IN_IN_EN,
	SUB_IN_IN_ID,
	SUB_IN_HELP_EN,
	SUB_IN_HELP_ID,
	SUB_IN_OPTIN_EN,
	SUB_IN_OPTIN_ID,
	SUB_IN_TRY,
	SUB_IN_ACTION,
	SUB_IN__MAX
};

static const struct input sub_in[SUB_IN__MAX] = {
	[SUB_IN_OUT] = { "out_words", input_trimmed, 0 },
	[SUB_IN_IN] = { "in_words", input_trimmed, 0 },
	[SUB_IN_CONTAINS] = { "contains", sub_in_tick, 0 },
	[SUB_IN_OUT_EN] = { "out_reply_en", input_trimmed, 0 },
	[SUB_IN_OUT_ID] = { "out_reply_id", input_trimmed, 0 },
	[SUB_IN_IN_EN] = { "in_reply_en", input_trimmed, 0 },
	[SUB_IN_IN_ID] = { "in_reply_id", input_trimmed, 0 },
	[SUB_IN_HELP_EN] = { "help_en", input_trimmed, 0 },
	[SUB_IN_HELP_ID] = { "help_id", input_trimmed, 0 },
	[SUB_IN_OPTIN_EN] = { "optin_en", input_trimmed, 0 },
	[SUB_IN_OPTIN_ID] = { "optin_id", input_trimmed, 0 },
	[SUB_IN_TRY] = { "try", input_trimmed, 0 },
	[SUB_IN_ACTION] = { "action", input_trimmed, 0 },
};

static const char sub_err_words[] = N_("Up to 20 words, separated by "
    "spaces or commas, each 1 to 30 letters A to Z or digits.");
static const char sub_err_text[] = N_("At most 1000 characters, without "
    "control characters.");
static const char sub_err_try[] = N_("A message to try is one line of at "
    "most 1000 characters.");

/* The columns of SUB_GET: the settings as the form shows them, then the defaults. */
enum {
	SG_OUT, SG_IN, SG_CONTAINS, SG_OUT_EN, SG_OUT_ID, SG_IN_EN, SG_IN_ID,
	SG_HELP_EN, SG_HELP_ID, SG_OPTIN_EN, SG_OPTIN_ID, SG_DEF_OUT_EN,
	SG_DEF_OUT_ID, SG_DEF_IN_EN, SG_DEF_IN_ID, SG_DEF_HELP_EN,
	SG_DEF_HELP_ID, SG_DEF_OPTIN_EN, SG_DEF_OPTIN_ID, SG__MAX
};
enum { SP_KIND, SP_EN, SP_ID, SP_OPTIN_EN, SP_OPTIN_ID, SP__MAX };

enum { SUB_GET, SUB_SAVE, SUB_PREVIEW, SUB__MAX };

static const struct stmt sub_sql[SUB__MAX] = {
	/* Customer $1's settings ('' and false without a row), and the
	 * default texts. */
	[SUB_GET] = { "subscriptions.get",
	    "SELECT array_to_string(coalesce(s.out_words, '{}'), ' ') "
	    "AS out_words, array_to_string(coalesce(s.in_words, '{}'), ' ') "
	    "AS in_words, coalesce(s.contains, false) AS contains, "
	    "coalesce(s.out_reply_en, '') AS out_reply_en, "
	    "coalesce(s.out_reply_id, '') AS out_reply_id, "
	    "coalesce(s.in_reply_en, '') AS in_reply_en, "
	    "coalesce(s.in_reply_id, '') AS in_reply_id, "
	    "coalesce(s.help_en, '') AS help_en, "
	    "coalesce(s.help_id, '') AS help_id, "
	    "coalesce(s.optin_en, '') AS optin_en, "
	    "coalesce(s.optin_id, '') AS optin_id, "
	    "wa_keyword_default('out', 'en') AS def_out_en, "
	    "wa_keyword_default('out', 'id') AS def_out_id, "
	    "wa_keyword_default('in', 'en') AS def_in_en, "
	    "wa_keyword_default('in', 'id') AS def_in_id, "
	    "wa_keyword_default('help', 'en') AS def_help_en, "
	    "wa_keyword_default('help', 'id') AS def_help_id, "
	    "wa_optin_default('en') AS def_optin_en, "
	    "wa_optin_default('id') AS def_optin_id "
	    "FROM (SELECT 1) one LEFT JOIN subscription_settings s "
	    "ON s.customer_id = $1::bigint", 1, DB_RETRY,
	    DB_COLS(SG__MAX, [SG_OUT] = "out_words", [SG_IN] = "in_words",
	    [SG_CONTAINS] = "contains", [SG_OUT_EN] = "out_reply_en",
	    [SG_OUT_ID] = "out_reply_id", [SG_IN_EN] = "in_reply_en",
	    [SG_IN_ID] = "in_reply_id", [SG_HELP_EN] = "help_en",
	    [SG_HELP_ID] = "help_id", [SG_OPTIN_EN] = "optin_en",
	    [SG_OPTIN_ID] = "optin_id", [SG_DEF_OUT_EN] = "def_out_en",
	    [SG_DEF_OUT_ID] = "def_out_id", [SG_DEF_IN_EN] = "def_in_en",
	    [SG_DEF_IN_ID] = "def_in_id", [SG_DEF_HELP_EN] = "def_help_en",
	    [SG_DEF_HELP_ID] = "def_help_id",
	    [SG_DEF_OPTIN_EN] = "def_optin_en",
	    [SG_DEF_OPTIN_ID] = "def_optin_id") },
	/* Store customer $1's settings: words $2, $3 (text[] of checked
	 * words), contains $4, the six texts $5..$10, the confirmation
	 * texts $11, $12. */
	[SUB_SAVE] = { "subscriptions.save",
	    "INSERT INTO subscription_settings AS s (customer_id, out_words, "
	    "in_words, contains, out_reply_en, out_reply_id, in_reply_en, "
	    "in_reply_id, help_en, help_id, optin_en, optin_id) VALUES "
	    "($1::bigint, $2::text[], $3::text[], $4::boolean, $5, $6, $7, "
	    "$8, $9, $10, $11, $12) "
	    "ON CONFLICT (customer_id) DO UPDATE SET out_words = "
	    "EXCLUDED.out_words, in_words = EXCLUDED.in_words, "
	    "contains = EXCLUDED.contains, out_reply_en = EXCLUDED.out_reply_en, "
	    "out_reply_id = EXCLUDED.out_reply_id, "
	    "in_reply_en = EXCLUDED.in_reply_en, "
	    "in_reply_id = EXCLUDED.in_reply_id, help_en = EXCLUDED.help_en, "
	    "help_id = EXCLUDED.help_id, optin_en = EXCLUDED.optin_en, "
	    "optin_id = EXCLUDED.optin_id", 12, DB_ONCE, NULL },
	/* What message $4 would be with words $1, $2 and contains $3: its
	 * kind ('' none) and the reply in English and Indonesian from the
	 * typed texts $5..$10 ('': the default); the confirmation of a
	 * double opt-in list named $13 from the typed $11, $12. */
	[SUB_PREVIEW] = { "subscriptions.preview",
	    "SELECT coalesce(k.kind, '') AS kind, CASE WHEN k.kind IS NULL "
	    "THEN '' ELSE coalesce(nullif(CASE k.kind WHEN 'out' THEN $5 "
	    "WHEN 'in' THEN $7 ELSE $9 END, ''), wa_keyword_default(k.kind, "
	    "'en')) END AS reply_en, CASE WHEN k.kind IS NULL THEN '' "
	    "ELSE coalesce(nullif(CASE k.kind WHEN 'out' THEN $6 "
	    "WHEN 'in' THEN $8 ELSE $10 END, ''), wa_keyword_default(k.kind, "
	    "'id')) END AS reply_id, replace(coalesce(nullif($11, ''), "
	    "wa_optin_default('en')), '{list}', $13) AS optin_en, "
	    "replace(coalesce(nullif($12, ''), wa_optin_default('id')), "
	    "'{list}', $13) AS optin_id FROM (SELECT wa_keyword_match("
	    "$1::text[], $2::text[], $3::boolean, $4) AS kind) k", 13,
	    DB_RETRY, DB_COLS(SP__MAX, [SP_KIND] = "kind",
	    [SP_EN] = "reply_en", [SP_ID] = "reply_id",
	    [SP_OPTIN_EN] = "optin_en", [SP_OPTIN_ID] = "optin_id") },
};

enum { SUBF_SAVED, SUBF__MAX };

static const struct flash sub_flashes[SUBF__MAX] = {
	[SUBF_SAVED] = { "subscriptions_saved", N_("The keyword settings are "
	    "saved."), "success" },
};

static const struct i18n_key sub_strings[] = {
	T_("sb_title", "Keywords and replies"),
	T_("sb_lead", "When someone writes STOP (or another opt-out word) to "
	    "one of your numbers, they are unsubscribed at once and nothing "
	    "more is sent to them; START subscribes them again; HELP gets your "
	    "help text. Each gets one reply a day."),
	T_("sb_builtin", "Always recognised"),
	T_("sb_out_builtin", "Opt-out:"),
	T_("sb_in_builtin", "Opt-in:"),
	T_("sb_help_builtin", "Help:"),
	T_("sb_default", "When empty:"),
	T_("sb_words", "Your own words"),
	T_("sb_out_words", "Opt-out words"),
	T_("sb_in_words", "Opt-in words"),
	T_("sb_words_hint", "Separated by spaces or commas; capitals do not "
	    "matter."),
	T_("sb_contains", "Also when the word stands anywhere in the message "
	    "(contains mode)"),
	T_("sb_contains_hint", "Off: only a message that is just the word "
	    "counts, so \"STOP please\" does not unsubscribe."),
	T_("sb_replies", "Replies"),
	T_("sb_replies_hint", "Sent in the contact's language when it is "
	    "English or Indonesian, else in yours. An empty text sends the "
	    "default shown under it."),
	T_("sb_out_reply", "After an opt-out"),
	T_("sb_in_reply", "After an opt-in"),
	T_("sb_help", "Help text"),
	T_("sb_en", "English"),
	T_("sb_id", "Indonesian"),
	T_("sb_try", "Try a message"),
	T_("sb_try_hint", "See what this message would do with the settings "
	    "as typed above, without saving them."),
	T_("sb_preview", "Preview"),
	T_("sb_save", "Save"),
	T_("sb_result", "What it would do"),
	T_("sb_kind_out", "It unsubscribes the sender."),
	T_("sb_kind_in", "It subscribes the sender again."),
	T_("sb_kind_help", "It asks for help: nothing changes."),
	T_("sb_kind_none", "It is no keyword: nothing happens."),
	T_("sb_reply_en", "Reply in English"),
	T_("sb_reply_id", "Reply in Indonesian"),
	T_("sb_link", "Keywords and replies"),
	T_("sb_optin", "Double opt-in confirmation"),
	T_("sb_optin_hint", "Sent once to each new member of a list that "
	    "requires confirmation, from your first connected number; a reply "
	    "with an opt-in word (YES) confirms. {list} stands for the list's "
	    "name."),
	T_("sb_optin_text", "Confirmation message"),
	T_("sb_optin_preview", "Confirmation for a list named Newsletter"),
};

/* A checkbox: f->i is 1 when ticked (value "1"). */
static int
sub_in_tick(struct req *r, struct field *f)
{
	(void)r;
	f->i = f->n == 1 && f->s[0] == '1';
	return 0;
}

static const char *
sub_val(struct req *r, int i)
{
	return r->in[i].s != NULL ? r->in[i].s : "";
}

/*
 * The words of s (separated by spaces or commas), upper-cased, as a
 * text[] literal in out: 0, or -1 when one is not 1 to 30 letters A-Z
 * and digits, or there are over 20.
 */
static int
sub_words(const char *s, struct buf *out)
{
	size_t	 n, i, k = 0;

	buf_putc(out, '{');
	for (; *s != '\0'; s += n) {
		s += strspn(s, " ,\t");
		if ((n = strcspn(s, " ,\t")) == 0)
			break;
		if (n > SUB_WORD_MAX || ++k > SUB_WORDS_MAX)
			return -1;
		if (k > 1)
			buf_putc(out, ',');
		for (i = 0; i < n; i++) {
			if ((unsigned char)s[i] >= 0x80 ||
			    !isalnum((unsigned char)s[i]))
				return -1;
			buf_putc(out, toupper((unsigned char)s[i]));
		}
	}
	buf_putc(out, '}');
	return 0;
}

/* A reply's line ends as LF, in place (s is the request's own copy). */
static void
sub_lf(const char *s)
{
	char	*w = (char *)s;

	for (; *s != '\0'; s++)
		if (s[0] != '\r' || s[1] != '\n')
			*w++ = *s;
	*w = '\0';
}

/* Check the form into err and the words' literals; returns how many are wrong. */
static int
sub_check(struct req *r, const char **err, struct buf *out, struct buf *in)
{
	const char	*s;
	int		 i, bad = 0;

	if (sub_words(sub_val(r, SUB_IN_OUT), out) == -1)
		err[SUB_IN_OUT] = sub_err_words, bad++;
	if (sub_words(sub_val(r, SUB_IN_IN), in) == -1)
		err[SUB_IN_IN] = sub_err_words, bad++;
	for (i = SUB_IN_OUT_EN; i <= SUB_IN_OPTIN_ID; i++) {
		if (r->in[i].s != NULL)
			sub_lf(r->in[i].s);
		s = sub_val(r, i);
		if (r->in[i].err != NULL || text_field_ok(s, strlen(s),
		    SUB_TEXT_MAX, 1, NULL) == -1)
			err[i] = sub_err_text, bad++;
	}
	s = sub_val(r, SUB_IN_TRY);
	if (text_field_ok(s, strlen(s), SUB_TEXT_MAX, 0, NULL) == -1)
		err[SUB_IN_TRY] = sub_err_try, bad++;
	return bad;
}

/* The form's values: as stored (res) or, after a post, as typed. */
static struct json_object *
sub_values(struct req *r, PGresult *res, int posted)
{
	struct json_object	*vals = json_object_new_object();
	int			 i;

	for (i = 0; i < SUB_IN_ACTION; i++) {
		if (i == SUB_IN_CONTAINS)
			json_object_object_add(vals, sub_in[i].name,
			    json_object_new_boolean(posted ? r->in[i].i != 0 :
			    db_getb(res, 0, SG_CONTAINS)));
		else
			json_object_object_add(vals, sub_in[i].name,
			    json_object_new_string(posted || i == SUB_IN_TRY ?
			    sub_val(r, i) : db_get(res, 0, i)));
	}
	for (i = SG_DEF_OUT_EN; i < SG__MAX; i++)
		json_object_object_add(vals, sub_sql[SUB_GET].cols[i],
		    json_object_new_string(db_get(res, 0, i)));
	return vals;
}

/* The errors by input name, translated, with the first one's focus. */
static struct json_object *
sub_errors(struct req *r, const char *const *err)
{
	struct json_object	*errs = json_object_new_object();
	int			 i, focus = 0;

	for (i = 0; err != NULL && i < SUB_IN__MAX; i++) {
		if (err[i] == NULL)
			continue;
		json_object_object_add(errs, sub_in[i].name,
		    json_object_new_string(req_tr(r, err[i])));
		if (!focus++)
			json_object_object_add(errs, "focus",
			    json_object_new_string(sub_in[i].name));
	}
	return errs;
}

/* The preview of the typed message with the typed settings, or NULL. */
static struct json_object *
sub_preview(struct req *r, const char *out, const char *in, int *rc)
{
	struct json_object	*p;
	const char		*params[13];
	PGresult		*res;
	int			 i;

	params[0] = out, params[1] = in;
	params[2] = r->in[SUB_IN_CONTAINS].i ? "true" : "false";
	params[3] = sub_val(r, SUB_IN_TRY);
	for (i = SUB_IN_OUT_EN; i <= SUB_IN_OPTIN_ID; i++)
		params[i + 1] = sub_val(r, i);
	params[12] = "Newsletter";
	if ((res = db_exec(&r->app->db, &sub_sql[SUB_PREVIEW], params)) ==
	    NULL) {
		*rc = 503;
		return NULL;
	}
	p = json_object_new_object();
	json_object_object_add(p, *db_get(res, 0, SP_KIND) != '\0' ?
	    db_get(res, 0, SP_KIND) : "none", json_object_new_boolean(1));
	json_object_object_add(p, "reply_en", json_object_new_string(
	    db_get(res, 0, SP_EN)));
	json_object_object_add(p, "reply_id", json_object_new_string(
	    db_get(res, 0, SP_ID)));
	json_object_object_add(p, "optin_en", json_object_new_string(
	    db_get(res, 0, SP_OPTIN_EN)));
	json_object_object_add(p, "optin_id", json_object_new_string(
	    db_get(res, 0, SP_OPTIN_ID)));
	PQclear(res);
	return p;
}

/* The page: settings (stored, or as posted), errors, preview (or NULL). */
static int
sub_render(struct req *r, int status, int posted, const char *const *err,
    struct json_object *preview)
{
	struct json_object	*v;
	char			 cid[24];
	const char		*p[1] = { cid };
	PGresult		*res;
	int			 rc;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, &sub_sql[SUB_GET], p)) == NULL) {
		json_object_put(preview);
		return 503;
	}
	v = json_object_new_object();
	json_object_object_add(v, "values", sub_values(r, res, posted));
	PQclear(res);
	json_object_object_add(v, "errors", sub_errors(r, err));
	if (preview != NULL)
		json_object_object_add(v, "preview", preview);
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Keywords and replies")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	rc = resp_html(r, status, "subscriptions", v);
	json_object_put(v);
	return rc;
}

/* GET /contacts/subscriptions */
static int
sub_show(struct req *r)
{
	return sub_render(r, 200, 0, NULL, NULL);
}

/* Store the checked settings; 0 or 503. */
static int
sub_store(struct req *r, const char *out, const char *in)
{
	char		 cid[24];
	const char	*params[12];
	int		 i;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	params[0] = cid, params[1] = out, params[2] = in;
	params[3] = r->in[SUB_IN_CONTAINS].i ? "true" : "false";
	for (i = SUB_IN_OUT_EN; i <= SUB_IN_OPTIN_ID; i++)
		params[i + 1] = sub_val(r, i);
	return db_exec_cmd(&r->app->db, &sub_sql[SUB_SAVE], params) == -1 ?
	    503 : 0;
}

/*
 * POST /contacts/subscriptions: action "preview" shows what the message
 * to try would do with the settings as typed, saving nothing; otherwise
 * the settings are saved. Every error is shown at its field (422).
 */
static int
sub_post(struct req *r)
{
	const char		*err[SUB_IN__MAX] = { NULL };
	struct buf		 out = BUF_INIT, in = BUF_INIT;
	struct json_object	*pv = NULL;
	int			 rc = 0;

	if (sub_check(r, err, &out, &in) > 0)
		rc = sub_render(r, 422, 1, err, NULL);
	else if (strcmp(sub_val(r, SUB_IN_ACTION), "preview") == 0) {
		if ((pv = sub_preview(r, buf_str(&out), buf_str(&in), &rc)) !=
		    NULL)
			rc = sub_render(r, 200, 1, NULL, pv);
	} else if ((rc = sub_store(r, buf_str(&out), buf_str(&in))) == 0) {
		flash_set(r, &sub_flashes[SUBF_SAVED]);
		rc = resp_redirect(r, 303, "/contacts/subscriptions");
	}
	buf_free(&out);
	buf_free(&in);
	return rc;
}

static const struct route sub_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/subscriptions",
	    .handler = sub_show, .name = "subscriptions",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/subscriptions",
	    .handler = sub_post, .name = "subscriptions_save",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 128 * 1024, .pass_invalid = 1, ROUTE_INPUTS(sub_in) },
};

const struct module subscriptions_module = {
	.name = "subscriptions",
	MODULE_ROUTES(sub_routes),
	MODULE_SQL(sub_sql),
	MODULE_STRINGS(sub_strings),
	MODULE_FLASHES(sub_flashes),
};
