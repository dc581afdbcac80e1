/* page_apikeys.c: the API keys page: the customer's keys with 30 days of use, and the create form that shows a new key once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/apikey.h"
#include "core/db_stmt.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"
#include "ipallow.h"

#define AK_DAYS		30
#define AK_CHART_H	40	/* the bars' area in the SVG's units */

enum ak_col {
	AKC_ID, AKC_NAME, AKC_VISIBLE, AKC_SCOPES, AKC_CREATED, AKC_EXPIRES,
	AKC_LAST, AKC_ADDR, AKC_STATUS, AKC_RETIRES, AKC_USAGE, AKC__MAX
};

/* The form's fields; the scopes are one error together. */
enum ak_field {
	AKF_NAME, AKF_SEND, AKF_READ, AKF_INST, AKF_EXPIRES, AKF_ALLOW,
	AKF_RPM, AKF__MAX
};

static const struct ak_def {
	const char	*name;
	enum key	 key;
	const char	*scope;		/* the checkbox's scope */
} ak_defs[AKF__MAX] = {
	[AKF_NAME] = { "name", KEY_AK_NAME, NULL },
	[AKF_SEND] = { "scope_messages_send", KEY_AK_SEND, "messages:send" },
	[AKF_READ] = { "scope_messages_read", KEY_AK_READ, "messages:read" },
	[AKF_INST] = { "scope_instances_read", KEY_AK_INST, "instances:read" },
	[AKF_EXPIRES] = { "expires", KEY_AK_EXPIRES, NULL },
	[AKF_ALLOW] = { "allow_ips", KEY_AK_ALLOW, NULL },
	[AKF_RPM] = { "rpm", KEY_AK_RPM, NULL },
};

static const struct {
	const char	*word;
	enum msg	 msg;
} ak_states[] = {
	{ "active", MSG_AK_ST_ACTIVE }, { "off", MSG_AK_ST_OFF },
	{ "expired", MSG_AK_ST_EXPIRED }, { "retiring", MSG_AK_ST_RETIRING },
	{ "retired", MSG_AK_ST_RETIRED },
};

/* One submission: the values as typed and what the checks made of them. */
struct ak_input {
	const char	*raw[AKF__MAX];		/* "" when absent */
	char		*errs[AKF__MAX];	/* owned; NULL: fine */
	char		*scope_err;		/* owned */
	char		*form_error;		/* owned */
	char		 scopes[64];		/* "{a,b}" */
	struct ipallow	 allow;
};

/* The customer's id as text for a statement. */
static void
ak_cid(struct req *r, char cid[24])
{
	snprintf(cid, 24, "%lld", (long long)r->customer_id);
}

/*
 * The 30 days' bars of a key from the comma-separated counts: bars[]
 * {x, y, h, n}, max and total for the chart and its text alternative.
 */
static struct json_object *
ak_chart(const char *series)
{
	struct json_object	*c = json_object_new_object();
	struct json_object	*bars = json_object_new_array();
	long			 n[AK_DAYS] = { 0 }, max = 0, total = 0;
	const char		*p = series;
	char			*end;
	int			 i, h;

	for (i = 0; i < AK_DAYS && *p != '\0'; i++) {
		n[i] = strtol(p, &end, 10);
		max = n[i] > max ? n[i] : max;
		total += n[i];
		p = *end == ',' ? end + 1 : end;
	}
	for (i = 0; i < AK_DAYS; i++) {
		struct json_object *b = json_object_new_object();

		h = max > 0 ? (int)(n[i] * AK_CHART_H / max) : 0;
		if (n[i] > 0 && h == 0)
			h = 1;
		json_object_object_add(b, "x", json_object_new_int(i * 4));
		json_object_object_add(b, "y",
		    json_object_new_int(AK_CHART_H - h));
		json_object_object_add(b, "h", json_object_new_int(h));
		json_object_object_add(b, "n", json_object_new_int64(n[i]));
		json_object_array_add(bars, b);
	}
	json_object_object_add(c, "bars", bars);
	json_object_object_add(c, "max", json_object_new_int64(max));
	json_object_object_add(c, "total", json_object_new_int64(total));
	return c;
}

/* The status word of a list row in the reader's language. */
static const char *
ak_status_word(enum lang l, const char *w)
{
	size_t	 i;

	for (i = 0; i < sizeof(ak_states) / sizeof(ak_states[0]); i++)
		if (strcmp(w, ak_states[i].word) == 0)
			return i18n_text(l, ak_states[i].msg);
	return w;
}

/* One key of the list as the template's object. */
static struct json_object *
ak_row(struct req *r, PGresult *res, int row)
{
	struct json_object	*k = json_object_new_object();
	static const char *const names[AKC__MAX] = {
		"id", "name", "visible", "scopes", "created", "expires",
		"last_used", "last_addr", "status", "retires", "usage"
	};
	const char		*st = PQgetvalue(res, row, AKC_STATUS);
	int			 c;

	for (c = 0; c < AKC_USAGE; c++)
		json_object_object_add(k, names[c],
		    json_object_new_string(PQgetvalue(res, row, c)));
	json_object_object_add(k, "status_word",
	    json_object_new_string(ak_status_word(req_lang(r), st)));
	json_object_object_add(k, strcmp(st, "retiring") == 0 ? "is_retiring" :
	    strcmp(st, "retired") == 0 ? "is_retired" : "is_current",
	    json_object_new_boolean(1));
	json_object_object_add(k, "is_on",
	    json_object_new_boolean(strcmp(st, "off") != 0));
	json_object_object_add(k, "chart",
	    ak_chart(PQgetvalue(res, row, AKC_USAGE)));
	return k;
}

/*
 * Render the page with status and the form's view (owned; NULL: an
 * empty form). Returns 0, or 503.
 */
static int
ak_render(struct req *r, int status, struct json_object *form)
{
	struct json_object	*v, *keys;
	char			 cid[24];
	const char		*params[1] = { cid };
	PGresult		*res, *ctx;
	int			 row, rc;

	ak_cid(r, cid);
	if ((res = db_exec(&r->app->db, LEGACY(STMT_AK_LIST), params)) == NULL ||
	    (ctx = db_exec(&r->app->db, LEGACY(STMT_AK_CONTEXT), params)) == NULL) {
		PQclear(res);
		json_object_put(form);
		return 503;
	}
	v = json_object_new_object();
	keys = json_object_new_array();
	for (row = 0; row < PQntuples(res); row++)
		json_object_array_add(keys, ak_row(r, res, row));
	json_object_object_add(v, "title", json_object_new_string(
	    i18n_text(req_lang(r), MSG_AK_TITLE)));
	json_object_object_add(v, "nav_api_keys", json_object_new_boolean(1));
	json_object_object_add(v, "keys", keys);
	json_object_object_add(v, "has_keys",
	    json_object_new_boolean(PQntuples(res) > 0));
	json_object_object_add(v, "count",
	    json_object_new_string(PQgetvalue(ctx, 0, 0)));
	json_object_object_add(v, "max", json_object_new_string(
	    *PQgetvalue(ctx, 0, 1) != '\0' ? PQgetvalue(ctx, 0, 1) : "0"));
	json_object_object_add(v, "form", form != NULL ? form :
	    json_object_new_object());
	PQclear(res);
	PQclear(ctx);
	rc = resp_html(r, status, "apikeys", v);
	json_object_put(v);
	return rc;
}

/* GET /api-keys */
int
page_apikeys(struct req *r)
{
	return ak_render(r, 200, NULL);
}

/* Read the fields as typed. */
static void
ak_read(struct req *r, struct ak_input *in)
{
	const struct field	*f;
	enum ak_field		 i;

	memset(in, 0, sizeof(*in));
	for (i = 0; i < AKF__MAX; i++) {
		f = r->fields[ak_defs[i].key];
		in->raw[i] = f != NULL ? f->s : "";
	}
}

/* The name: 1 to 100 characters of valid UTF-8, no controls, not blank. */
static int
ak_name_ok(const char *s)
{
	size_t	 n = strlen(s), chars = 0, i;

	if (!utf8_valid(s, n) || strspn(s, " ") == n)
		return 0;
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars++;
	}
	return chars <= 100;
}

/* A calendar day YYYY-MM-DD that exists. */
static int
ak_day_ok(const char *s)
{
	struct tm	 tm;
	char		*end;
	char		 back[11];
	time_t		 t;

	memset(&tm, 0, sizeof(tm));
	if (strlen(s) != 10 || (end = strptime(s, "%Y-%m-%d", &tm)) == NULL ||
	    *end != '\0' || tm.tm_year < 100 || tm.tm_year > 8000)
		return 0;
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(back, sizeof(back), "%Y-%m-%d", &tm);
	return strcmp(back, s) == 0;
}

/* The scopes ticked as a text[] literal; 0 when none is. */
static int
ak_scopes(struct ak_input *in)
{
	enum ak_field	 i;
	size_t		 len = 1;
	int		 n = 0;

	in->scopes[0] = '{';
	for (i = AKF_SEND; i <= AKF_INST; i++)
		if (strcmp(in->raw[i], "1") == 0)
			len += snprintf(in->scopes + len,
			    sizeof(in->scopes) - len, "%s%s",
			    n++ > 0 ? "," : "", ak_defs[i].scope);
	snprintf(in->scopes + len, sizeof(in->scopes) - len, "}");
	return n;
}

/* The allowlist's error naming the bad line, or NULL. */
static char *
ak_check_allow(struct req *r, struct ak_input *in)
{
	const char	*s = in->raw[AKF_ALLOW];
	enum lang	 l = req_lang(r);

	if (ipallow_parse(&in->allow, s, strlen(s)) == 0)
		return NULL;
	if (in->allow.error == IPALLOW_ERR_TOO_MANY)
		return xasprintf("%s %zu.", i18n_text(l, MSG_AK_ERR_IP_MANY),
		    in->allow.line);
	return xasprintf("%s %zu: %s", i18n_text(l, MSG_AK_ERR_IP),
	    in->allow.line, in->allow.bad);
}

/* Requests a minute: empty, or 1 to the package's. */
static char *
ak_check_rpm(struct req *r, struct ak_input *in, long pkg_rpm)
{
	const char	*s = in->raw[AKF_RPM];
	char		*end;
	long		 v;

	if (*s == '\0')
		return NULL;
	v = strtol(s, &end, 10);
	if (strspn(s, "0123456789") == strlen(s) && strlen(s) <= 9 &&
	    *end == '\0' && v >= 1 && v <= pkg_rpm)
		return NULL;
	return xasprintf("%s %ld.", i18n_text(req_lang(r), MSG_AK_ERR_RPM),
	    pkg_rpm);
}

/*
 * Check every field against the context (count, limit, rpm, today).
 * Returns 0 when all are good, else -1 with the errors in in.
 */
static int
ak_check(struct req *r, struct ak_input *in, PGresult *ctx)
{
	enum lang	 l = req_lang(r);
	const char	*e = in->raw[AKF_EXPIRES];
	const char	*max = PQgetvalue(ctx, 0, 1);
	long		 rpm = atol(PQgetvalue(ctx, 0, 2));
	enum ak_field	 i;

	if (!ak_name_ok(in->raw[AKF_NAME]))
		in->errs[AKF_NAME] = xstrdup(i18n_text(l, MSG_AK_ERR_NAME));
	if (ak_scopes(in) == 0)
		in->scope_err = xstrdup(i18n_text(l, MSG_AK_ERR_SCOPE));
	if (*e != '\0' && (!ak_day_ok(e) ||
	    strcmp(e, PQgetvalue(ctx, 0, 3)) <= 0))
		in->errs[AKF_EXPIRES] = xstrdup(i18n_text(l,
		    MSG_AK_ERR_EXPIRY));
	in->errs[AKF_ALLOW] = ak_check_allow(r, in);
	in->errs[AKF_RPM] = ak_check_rpm(r, in, rpm);
	if (*max == '\0')
		in->form_error = xstrdup(i18n_text(l, MSG_AK_ERR_PACKAGE));
	else if (atol(PQgetvalue(ctx, 0, 0)) >= atol(max))
		in->form_error = xasprintf("%s %s / %s.",
		    i18n_text(l, MSG_AK_ERR_LIMIT), PQgetvalue(ctx, 0, 0), max);
	for (i = 0; i < AKF__MAX; i++)
		if (in->errs[i] != NULL)
			return -1;
	return in->scope_err != NULL || in->form_error != NULL ? -1 : 0;
}

/* The form as typed with its errors. */
static struct json_object *
ak_form_view(struct ak_input *in)
{
	struct json_object	*form = json_object_new_object();
	struct json_object	*vals, *errs;
	enum ak_field		 i;

	vals = json_object_new_object();
	errs = json_object_new_object();
	for (i = 0; i < AKF__MAX; i++) {
		json_object_object_add(vals, ak_defs[i].name,
		    i >= AKF_SEND && i <= AKF_INST ?
		    json_object_new_boolean(strcmp(in->raw[i], "1") == 0) :
		    json_object_new_string(in->raw[i]));
		if (in->errs[i] != NULL)
			json_object_object_add(errs, ak_defs[i].name,
			    json_object_new_string(in->errs[i]));
	}
	if (in->scope_err != NULL)
		json_object_object_add(errs, "scopes",
		    json_object_new_string(in->scope_err));
	if (in->form_error != NULL)
		json_object_object_add(form, "error",
		    json_object_new_string(in->form_error));
	json_object_object_add(form, "values", vals);
	json_object_object_add(form, "errors", errs);
	return form;
}

/*
 * The page that shows key once (200; authenticated pages are never
 * stored: Cache-Control no-store). Returns its view; the caller puts it.
 */
struct json_object *
apikey_shown_view(struct req *r, const char *key)
{
	struct json_object	*v = json_object_new_object();

	json_object_object_add(v, "title", json_object_new_string(
	    i18n_text(req_lang(r), MSG_AK_SHOWN_TITLE)));
	json_object_object_add(v, "nav_api_keys", json_object_new_boolean(1));
	json_object_object_add(v, "key", json_object_new_string(key));
	return v;
}

/* Store the checked key; 0 with the plaintext in key, -1 (limit), 503. */
static int
ak_insert(struct req *r, struct ak_input *in, char key[APIKEY_LEN + 1])
{
	char		 cid[24], hash[APIKEY_HASH_HEX + 1];
	char		 vis[APIKEY_VISIBLE_LEN + 1];
	const char	*params[8];
	PGresult	*res;
	int		 rc;

	if (apikey_generate(key) == -1 ||
	    apikey_hash_hex(key, APIKEY_LEN, hash) == -1)
		return 503;
	apikey_visible(key, vis);
	ak_cid(r, cid);
	params[0] = cid, params[1] = in->raw[AKF_NAME], params[2] = hash;
	params[3] = vis, params[4] = in->scopes, params[5] = in->allow.array;
	params[6] = *in->raw[AKF_RPM] != '\0' ? in->raw[AKF_RPM] : NULL;
	params[7] = *in->raw[AKF_EXPIRES] != '\0' ? in->raw[AKF_EXPIRES] : NULL;
	if ((res = db_exec(&r->app->db, LEGACY(STMT_AK_INSERT), params)) == NULL) {
		log_warnx("request %s: api key: %s", r->id, r->app->db.errmsg);
		return 503;
	}
	rc = PQntuples(res) == 1 ? 0 : -1;
	PQclear(res);
	if (rc == -1)
		in->form_error = xstrdup(i18n_text(req_lang(r),
		    MSG_AK_ERR_LIMIT));
	return rc;
}

/* Check, then store: 0, -1 (errors in in) or 503. */
static int
ak_run(struct req *r, struct ak_input *in, char key[APIKEY_LEN + 1])
{
	char		 cid[24];
	const char	*params[1] = { cid };
	PGresult	*ctx;
	int		 rc;

	ak_cid(r, cid);
	if ((ctx = db_exec(&r->app->db, LEGACY(STMT_AK_CONTEXT), params)) == NULL)
		return 503;
	rc = PQntuples(ctx) == 1 ? ak_check(r, in, ctx) : 503;
	PQclear(ctx);
	return rc == 0 ? ak_insert(r, in, key) : rc;
}

/*
 * POST /api-keys: a new key, shown once on the page answering this
 * POST (no redirect). Bad input shows the list again (422) with the
 * input as typed and a message at each field; nothing is stored.
 */
int
page_apikey_create(struct req *r)
{
	struct json_object	*v;
	struct ak_input		 in;
	char			 key[APIKEY_LEN + 1];
	enum ak_field		 i;
	int			 rc;

	ak_read(r, &in);
	rc = ak_run(r, &in, key);
	if (rc == 0) {
		v = apikey_shown_view(r, key);
		rc = resp_html(r, 200, "apikey_shown", v);
		json_object_put(v);
		explicit_bzero(key, sizeof(key));
	} else if (rc < 0)
		rc = ak_render(r, 422, ak_form_view(&in));
	for (i = 0; i < AKF__MAX; i++)
		free(in.errs[i]);
	free(in.scope_err);
	free(in.form_error);
	ipallow_free(&in.allow);
	return rc;
}
