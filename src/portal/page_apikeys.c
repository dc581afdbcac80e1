/* page_apikeys.c: the API keys page: the customer's keys with 30 days of use, and the create form that shows a new key once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/apikey.h"
#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "ipallow.h"
#include "page_apikeys.h"

#define AK_DAYS		30
#define AK_CHART_H	40	/* the bars' area in the SVG's units */
#define AK_NAME_MAX	100	/* characters of a key's name */
#define AK_RPM_DIGITS	9

/* The inputs of the create form; the scopes are one error together. */
enum {
	AK_IN_NAME,
	AK_IN_SEND,
	AK_IN_READ,
	AK_IN_INST,
	AK_IN_CREAD,
	AK_IN_CWRITE,
	AK_IN_TRANS,
	AK_IN_BREAD,
	AK_IN_BWRITE,
	AK_IN_IWRITE,
	AK_IN_EXPIRES,
	AK_IN_ALLOW,
	AK_IN_RPM,
	AK_IN__MAX
};

static int	ak_in_name(struct req *, struct field *);
static int	ak_in_tick(struct req *, struct field *);
static int	ak_in_day(struct req *, struct field *);
static int	ak_in_allow(struct req *, struct field *);
static int	ak_in_rpm(struct req *, struct field *);

/* Bad values reach the handler (pass_invalid): the form shows them. */
static const struct input ak_in[AK_IN__MAX] = {
	[AK_IN_NAME] = { "name", ak_in_name, 0 },
	[AK_IN_SEND] = { "scope_messages_send", ak_in_tick, 0 },
	[AK_IN_READ] = { "scope_messages_read", ak_in_tick, 0 },
	[AK_IN_INST] = { "scope_instances_read", ak_in_tick, 0 },
	[AK_IN_CREAD] = { "scope_contacts_read", ak_in_tick, 0 },
	[AK_IN_CWRITE] = { "scope_contacts_write", ak_in_tick, 0 },
	[AK_IN_TRANS] = { "scope_messages_transactional", ak_in_tick, 0 },
	[AK_IN_BREAD] = { "scope_broadcasts_read", ak_in_tick, 0 },
	[AK_IN_BWRITE] = { "scope_broadcasts_write", ak_in_tick, 0 },
	[AK_IN_IWRITE] = { "scope_instances_write", ak_in_tick, 0 },
	[AK_IN_EXPIRES] = { "expires", ak_in_day, 0 },
	[AK_IN_ALLOW] = { "allow_ips", ak_in_allow, 0 },
	[AK_IN_RPM] = { "rpm", ak_in_rpm, 0 },
};

/* The scope of each checkbox. */
static const char *const ak_scope_of[AK_IN__MAX] = {
	[AK_IN_SEND] = "messages:send",
	[AK_IN_READ] = "messages:read",
	[AK_IN_INST] = "instances:read",
	[AK_IN_CREAD] = "contacts:read",
	[AK_IN_CWRITE] = "contacts:write",
	[AK_IN_TRANS] = "messages:transactional",
	[AK_IN_BREAD] = "broadcasts:read",
	[AK_IN_BWRITE] = "broadcasts:write",
	[AK_IN_IWRITE] = "instances:write",
};

/* What the form's checks say (C only; apikeys.mustache shows them). */
static const char ak_name_bad[] =
    N_("Give the key a name of 1 to 100 characters.");
static const char ak_day_bad[] =
    N_("Choose a day after today (YYYY-MM-DD), or leave it empty.");
static const char ak_rpm_bad[] =
    N_("Requests a minute must be a whole number from 1 to");

/* The columns of AK_LIST, named as the template's keys[] has them. */
enum {
	AKL_ID, AKL_NAME, AKL_VISIBLE, AKL_SCOPES, AKL_CREATED, AKL_EXPIRES,
	AKL_LAST_USED, AKL_LAST_ADDR, AKL_STATUS, AKL_RETIRES, AKL_USAGE,
	AKL__MAX
};

/* The columns of AK_CONTEXT and AK_INSERT. */
enum { AKC_KEYS, AKC_MAX_KEYS, AKC_RPM, AKC_TODAY, AKC__MAX };
enum { AKI_ID, AKI__MAX };

enum {
	AK_LIST,
	AK_CONTEXT,
	AK_INSERT,
	AK__MAX
};

/* A timestamp column in the customer's zone u.time_zone, '' for NULL. */
#define AK_LOCAL(c) \
	"coalesce(to_char(" c " AT TIME ZONE u.time_zone, " \
	"'YYYY-MM-DD HH24:MI'), '')"
/* The package customer $1 has now (LEFT JOIN LATERAL ... p ON true). */
#define AK_PKG \
	"LEFT JOIN LATERAL (SELECT pk.max_api_keys, pk.api_rpm " \
	"FROM customer_packages cp JOIN packages pk ON pk.id = cp.package_id " \
	"WHERE cp.customer_id = u.id AND cp.active AND cp.starts_at <= wa_now() " \
	"AND cp.expires_at > wa_now() ORDER BY cp.expires_at DESC LIMIT 1) p " \
	"ON true "

static const struct stmt ak_sql[AK__MAX] = {
	/*
	 * Customer $1's keys: id, name, visible, scopes, created, expires,
	 * last used, its address, status word, retires, then the requests
	 * of the 30 UTC days up to today, comma-separated.
	 */
	[AK_LIST] = { "apikeys.list",
	    "SELECT k.id, k.name, k.visible, "
	    "array_to_string(k.scopes, ' ') AS scopes, "
	    AK_LOCAL("k.created_at") " AS created, "
	    AK_LOCAL("k.expires_at") " AS expires, "
	    AK_LOCAL("k.last_used_at") " AS last_used, "
	    "coalesce(host(k.last_used_addr), '') AS last_addr, "
	    "CASE WHEN k.retires_at <= wa_now() THEN 'retired' "
	    "WHEN k.retires_at IS NOT NULL THEN 'retiring' "
	    "WHEN k.expires_at <= wa_now() THEN 'expired' "
	    "WHEN NOT k.enabled THEN 'off' ELSE 'active' END AS status, "
	    AK_LOCAL("k.retires_at") " AS retires, "
	    "(SELECT string_agg(coalesce(s.n, 0)::text, ',' ORDER BY d.d) "
	    "FROM generate_series((wa_now() AT TIME ZONE 'UTC')::date - 29, "
	    "(wa_now() AT TIME ZONE 'UTC')::date, interval '1 day') d(d) "
	    "LEFT JOIN (SELECT a.day, sum(a.n) AS n FROM api_usage a "
	    "WHERE a.key_id = k.id GROUP BY a.day) s ON s.day = d.d::date) "
	    "AS usage "
	    "FROM api_keys k JOIN users u ON u.id = k.customer_id "
	    "WHERE k.customer_id = $1::bigint ORDER BY k.id", 1, DB_RETRY,
	    DB_COLS(AKL__MAX, [AKL_ID] = "id", [AKL_NAME] = "name",
	    [AKL_VISIBLE] = "visible", [AKL_SCOPES] = "scopes",
	    [AKL_CREATED] = "created", [AKL_EXPIRES] = "expires",
	    [AKL_LAST_USED] = "last_used", [AKL_LAST_ADDR] = "last_addr",
	    [AKL_STATUS] = "status", [AKL_RETIRES] = "retires",
	    [AKL_USAGE] = "usage") },
	/*
	 * Keys counting against the limit (not rotated away), the package's
	 * key limit and requests a minute ('' when expired), and today in
	 * the customer's zone.
	 */
	[AK_CONTEXT] = { "apikeys.context",
	    "SELECT (SELECT count(*) FROM api_keys k "
	    "WHERE k.customer_id = u.id AND k.retires_at IS NULL) AS keys, "
	    "coalesce(p.max_api_keys::text, '') AS max_keys, "
	    "coalesce(p.api_rpm::text, '') AS rpm, "
	    "to_char(wa_now() AT TIME ZONE u.time_zone, 'YYYY-MM-DD') AS today "
	    "FROM users u " AK_PKG "WHERE u.id = $1::bigint", 1, DB_RETRY,
	    DB_COLS(AKC__MAX, [AKC_KEYS] = "keys",
	    [AKC_MAX_KEYS] = "max_keys", [AKC_RPM] = "rpm",
	    [AKC_TODAY] = "today") },
	/*
	 * A new key for customer $1 while the package allows it: name $2,
	 * SHA-256 hex $3, visible $4, scopes $5, allowlist $6, rpm $7,
	 * expiry day $8 (local midnight). Returns its id, or no row.
	 */
	[AK_INSERT] = { "apikeys.insert",
	    "INSERT INTO api_keys (customer_id, name, key_hash, visible, "
	    "scopes, allow_ips, rpm, expires_at) SELECT u.id, $2, "
	    "decode($3, 'hex'), $4, $5::text[], $6::cidr[], $7::integer, "
	    "$8::date::timestamp AT TIME ZONE u.time_zone FROM users u " AK_PKG
	    "WHERE u.id = $1::bigint AND p.max_api_keys > (SELECT count(*) "
	    "FROM api_keys k WHERE k.customer_id = u.id "
	    "AND k.retires_at IS NULL) RETURNING id", 8, DB_ONCE,
	    DB_COLS(AKI__MAX, [AKI_ID] = "id") },
};

/* The strings of apikeys.mustache and apikey_shown.mustache. */
enum {
	AKS_TITLE,
	AKS_TURN_OFF,
	AKS_TURN_ON,
	AKS_ROTATE,
	AKS_DELETE,
	AKS_SHOWN_TITLE
};

static const struct i18n_key apikeys_strings[] = {
	[AKS_TITLE] = T_("ak_title", "API keys"),
	[AKS_TURN_OFF] = T_("ak_turn_off", "Turn off"),
	[AKS_TURN_ON] = T_("ak_turn_on", "Turn on"),
	[AKS_ROTATE] = T_("ak_rotate", "Rotate"),
	[AKS_DELETE] = T_("ak_delete", "Delete"),
	[AKS_SHOWN_TITLE] = T_("ak_shown_title", "Your new API key"),
	T_("ak_intro",
	    "Keys let your own software use the REST API. Each key has its "
	    "own permissions."),
	T_("ak_new", "Create a key"),
	T_("ak_name", "Name"),
	T_("ak_scopes", "Permissions"),
	T_("ak_scope_send", "Send messages"),
	T_("ak_scope_read", "Read messages"),
	T_("ak_scope_inst", "Read instances"),
	T_("ak_scope_cread", "Read contacts, tags and fields"),
	T_("ak_scope_cwrite", "Change contacts, tags and fields"),
	T_("ak_scope_trans", "Send to unsubscribed recipients "
	    "(transactional messages only)"),
	T_("ak_scope_bread", "Read broadcasts and their recipients"),
	T_("ak_scope_bwrite", "Start, pause, resume and cancel broadcasts"),
	T_("ak_scope_iwrite", "Set the daily limit and warm-up of numbers"),
	T_("ak_expires",
	    "Expires on (optional; the key stops at the start of that day, "
	    "your time zone)"),
	T_("ak_allow",
	    "Allowed addresses (optional; one IP address or CIDR range a "
	    "line, up to 32)"),
	T_("ak_rpm", "Requests a minute (optional; at most your package's)"),
	T_("ak_create", "Create key"),
	T_("ak_empty", "No API keys yet."),
	T_("ak_count", "Keys in use"),
	T_("ak_col_name", "Name"),
	T_("ak_col_key", "Key"),
	T_("ak_col_created", "Created"),
	T_("ak_col_expires", "Expires"),
	T_("ak_col_last", "Last used"),
	T_("ak_col_status", "Status"),
	T_("ak_col_usage", "Requests, last 30 days"),
	T_("ak_col_actions", "Actions"),
	T_("ak_never", "never"),
	T_("ak_none", "none"),
	T_("ak_shown_warn",
	    "Copy it now and keep it safe: it will not be shown again."),
	T_("ak_copy", "Copy"),
	T_("ak_back", "Back to API keys"),
	T_("ak_chart", "Requests a day"),
	T_("ak_chart_from", "30 days ago"),
	T_("ak_chart_to", "today"),
	T_("ak_chart_alt", "requests in 30 days; most in one day:"),
};

/* The status word of a list row (C only: the template shows it). */
static const struct {
	const char	*status;
	const char	*word;
} ak_states[] = {
	{ "active", N_("active") },
	{ "off", N_("off") },
	{ "expired", N_("expired") },
	{ "retiring", N_("retiring at") },
	{ "retired", N_("retired") },
};

/* One submission's errors, in the reader's language; NULL: fine. */
struct ak_errors {
	const char	*field[AK_IN__MAX];
	const char	*scopes;
	const char	*form;
};

/* ------------------------------------------------------- validators */

/*
 * "name": 1 to AK_NAME_MAX characters of UTF-8, no control character,
 * not only spaces; kept as typed.
 */
static int
ak_in_name(struct req *r, struct field *f)
{
	size_t	 chars = 0, i;

	(void)r;
	if (!utf8_valid(f->s, f->n) || strspn(f->s, " ") == f->n)
		goto bad;
	for (i = 0; i < f->n; i++) {
		if ((unsigned char)f->s[i] < 0x20 || f->s[i] == 0x7f)
			goto bad;
		if (((unsigned char)f->s[i] & 0xc0) != 0x80)
			chars++;
	}
	if (chars <= AK_NAME_MAX)
		return 0;
bad:
	f->err = ak_name_bad;
	return -1;
}

/* A scope's checkbox: f->i is 1 when ticked (value "1"), else 0. */
static int
ak_in_tick(struct req *r, struct field *f)
{
	(void)r;
	f->i = f->n == 1 && f->s[0] == '1';
	return 0;
}

/*
 * "expires": empty (no expiry) or a calendar day YYYY-MM-DD that
 * exists; whether it is after today is the handler's (the customer's
 * zone).
 */
static int
ak_in_day(struct req *r, struct field *f)
{
	struct tm	 tm;
	char		*end;
	char		 back[11];
	time_t		 t;

	(void)r;
	if (f->n == 0)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if (f->n != 10 || (end = strptime(f->s, "%Y-%m-%d", &tm)) == NULL ||
	    *end != '\0' || tm.tm_year < 100 || tm.tm_year > 8000)
		goto bad;
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(back, sizeof(back), "%Y-%m-%d", &tm);
	if (strcmp(back, f->s) == 0)
		return 0;
bad:
	f->err = ak_day_bad;
	return -1;
}

/*
 * "allow_ips": lines of addresses or CIDR ranges (ipallow.c), cleaned
 * into a cidr[] literal ("{}" for none) with f->i entries. The reason
 * names the bad line, so it is written in the reader's language here.
 */
static int
ak_in_allow(struct req *r, struct field *f)
{
	struct ipallow	 ia;
	const char	*why;
	int		 rc = 0;

	if (ipallow_parse(&ia, f->s, f->n) == 0) {
		f->s = req_keep(r, ia.array);
		f->n = strlen(f->s);
		f->i = (int64_t)ia.count;
		ia.array = NULL;
	} else if (ia.error == IPALLOW_ERR_TOO_MANY) {
		why = req_tr(r, N_("At most 32 addresses; too many from line"));
		f->err = req_keep(r, xasprintf("%s %zu.", why, ia.line));
		rc = -1;
	} else {
		why = req_tr(r, N_("Not an IP address or CIDR range (host bits "
		    "must be zero) on line"));
		f->err = req_keep(r, xasprintf("%s %zu: %s", why, ia.line,
		    ia.bad));
		rc = -1;
	}
	ipallow_free(&ia);
	return rc;
}

/*
 * "rpm": empty (the package's rate) or a whole number of at most
 * AK_RPM_DIGITS digits from 1, f->i its value; the package's bound is
 * the handler's.
 */
static int
ak_in_rpm(struct req *r, struct field *f)
{
	(void)r;
	if (f->n == 0)
		return 0;
	if (strspn(f->s, "0123456789") == f->n && f->n <= AK_RPM_DIGITS &&
	    (f->i = strtol(f->s, NULL, 10)) >= 1)
		return 0;
	f->err = ak_rpm_bad;
	return -1;
}

/* ------------------------------------------------------------- list */

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
ak_status_word(const struct req *r, const char *status)
{
	size_t	 i;

	for (i = 0; i < sizeof(ak_states) / sizeof(ak_states[0]); i++)
		if (strcmp(status, ak_states[i].status) == 0)
			return req_tr(r, ak_states[i].word);
	return status;
}

/*
 * One key of the list as the template's object: every column but the
 * usage under its name, then the status word and the chart.
 */
static struct json_object *
ak_row(struct req *r, const PGresult *res, int row)
{
	struct json_object	*k = json_object_new_object();
	const char		*st = db_get(res, row, AKL_STATUS);
	int			 c;

	for (c = 0; c < AKL_USAGE; c++)
		json_object_object_add(k, ak_sql[AK_LIST].cols[c],
		    json_object_new_string(db_get(res, row, c)));
	json_object_object_add(k, "status_word",
	    json_object_new_string(ak_status_word(r, st)));
	json_object_object_add(k, strcmp(st, "retiring") == 0 ? "is_retiring" :
	    strcmp(st, "retired") == 0 ? "is_retired" : "is_current",
	    json_object_new_boolean(1));
	json_object_object_add(k, "is_on",
	    json_object_new_boolean(strcmp(st, "off") != 0));
	json_object_object_add(k, "chart",
	    ak_chart(db_get(res, row, AKL_USAGE)));
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
	const char		*max;
	PGresult		*res, *ctx;
	int			 row, rc;

	ak_cid(r, cid);
	if ((res = db_exec(&r->app->db, &ak_sql[AK_LIST], params)) == NULL ||
	    (ctx = db_exec(&r->app->db, &ak_sql[AK_CONTEXT], params)) ==
	    NULL) {
		PQclear(res);
		json_object_put(form);
		return 503;
	}
	v = json_object_new_object();
	keys = json_object_new_array();
	for (row = 0; row < PQntuples(res); row++)
		json_object_array_add(keys, ak_row(r, res, row));
	json_object_object_add(v, "title", json_object_new_string(
	    req_t(r, &apikeys_strings[AKS_TITLE])));
	json_object_object_add(v, "nav_api_keys", json_object_new_boolean(1));
	json_object_object_add(v, "keys", keys);
	json_object_object_add(v, "has_keys",
	    json_object_new_boolean(PQntuples(res) > 0));
	json_object_object_add(v, "count",
	    json_object_new_string(db_get(ctx, 0, AKC_KEYS)));
	max = db_get(ctx, 0, AKC_MAX_KEYS);
	json_object_object_add(v, "max", json_object_new_string(
	    *max != '\0' ? max : "0"));
	json_object_object_add(v, "form", form != NULL ? form :
	    json_object_new_object());
	PQclear(res);
	PQclear(ctx);
	rc = resp_html(r, status, "apikeys", v);
	json_object_put(v);
	return rc;
}

/* GET /api-keys */
static int
ak_list(struct req *r)
{
	return ak_render(r, 200, NULL);
}

/* ----------------------------------------------------------- create */

/* The scopes ticked as a text[] literal in out; 0 when none is. */
static int
ak_scopes(const struct field *in, char *out, size_t outsz)
{
	size_t	 i, len = 1;
	int	 n = 0;

	snprintf(out, outsz, "{");
	for (i = AK_IN_SEND; i <= AK_IN_IWRITE; i++)
		if (in[i].s != NULL && in[i].i)
			len += snprintf(out + len, outsz - len, "%s%s",
			    n++ > 0 ? "," : "", ak_scope_of[i]);
	snprintf(out + len, outsz - len, "}");
	return n;
}

/* The error of "rpm": its reason with the package's rate, or NULL. */
static const char *
ak_rpm_error(struct req *r, const struct field *f, long pkg_rpm)
{
	if (f->err == NULL && (f->s == NULL || f->n == 0 || f->i <= pkg_rpm))
		return NULL;
	return req_keep(r, xasprintf("%s %ld.", req_tr(r, ak_rpm_bad),
	    pkg_rpm));
}

/*
 * Collect the inputs' errors and check what needs the context: an
 * expiry after today, the package's rate and key limit. Returns 0 when
 * all are good, else -1 with the errors in e.
 */
static int
ak_check(struct req *r, const PGresult *ctx, struct ak_errors *e)
{
	const struct field	*in = r->in;
	const struct field	*exp = &in[AK_IN_EXPIRES];
	const char		*max = db_get(ctx, 0, AKC_MAX_KEYS);
	const char		*keys = db_get(ctx, 0, AKC_KEYS);
	char			 scopes[192];
	size_t			 i;

	for (i = 0; i < AK_IN__MAX; i++)
		if (in[i].err != NULL)
			e->field[i] = req_tr(r, in[i].err);
	if (in[AK_IN_NAME].s == NULL)
		e->field[AK_IN_NAME] = req_tr(r, ak_name_bad);
	if (ak_scopes(in, scopes, sizeof(scopes)) == 0)
		e->scopes = req_tr(r, N_("Choose at least one permission."));
	if (exp->s != NULL && exp->n > 0 &&
	    strcmp(exp->s, db_get(ctx, 0, AKC_TODAY)) <= 0)
		e->field[AK_IN_EXPIRES] = req_tr(r, ak_day_bad);
	e->field[AK_IN_RPM] = ak_rpm_error(r, &in[AK_IN_RPM],
	    atol(db_get(ctx, 0, AKC_RPM)));
	if (*max == '\0')
		e->form = req_tr(r, N_("Your package has expired: no new "
		    "keys."));
	else if (atol(keys) >= atol(max))
		e->form = req_keep(r, xasprintf("%s %s / %s.", req_tr(r,
		    N_("Your package allows no more keys; delete one first. "
		    "Keys:")), keys, max));
	for (i = 0; i < AK_IN__MAX; i++)
		if (e->field[i] != NULL)
			return -1;
	return e->scopes != NULL || e->form != NULL ? -1 : 0;
}

/* The form as typed with its errors. */
static struct json_object *
ak_form_view(struct req *r, const struct ak_errors *e)
{
	struct json_object	*form = json_object_new_object();
	struct json_object	*vals, *errs;
	const struct field	*f;
	size_t			 i;

	vals = json_object_new_object();
	errs = json_object_new_object();
	for (i = 0; i < AK_IN__MAX; i++) {
		f = &r->in[i];
		json_object_object_add(vals, ak_in[i].name,
		    ak_scope_of[i] != NULL ?
		    json_object_new_boolean(f->s != NULL && f->i) :
		    json_object_new_string(f->raw != NULL ? f->raw : ""));
		if (e->field[i] != NULL)
			json_object_object_add(errs, ak_in[i].name,
			    json_object_new_string(e->field[i]));
	}
	if (e->scopes != NULL)
		json_object_object_add(errs, "scopes",
		    json_object_new_string(e->scopes));
	if (e->form != NULL)
		json_object_object_add(form, "error",
		    json_object_new_string(e->form));
	json_object_object_add(form, "values", vals);
	json_object_object_add(form, "errors", errs);
	return form;
}

/*
 * Answer the page that shows key once (200; authenticated pages are
 * never stored: Cache-Control no-store). Returns 0, or a status.
 */
int
apikeys_shown(struct req *r, const char *key)
{
	struct json_object	*v = json_object_new_object();
	int			 rc;

	json_object_object_add(v, "title", json_object_new_string(
	    req_t(r, &apikeys_strings[AKS_SHOWN_TITLE])));
	json_object_object_add(v, "nav_api_keys", json_object_new_boolean(1));
	json_object_object_add(v, "key", json_object_new_string(key));
	rc = resp_html(r, 200, "apikey_shown", v);
	json_object_put(v);
	return rc;
}

/* The word of one of the list's action buttons in the reader's language. */
const char *
apikeys_button(const struct req *r, enum apikeys_button b)
{
	static const int	 key[] = {
		[AKB_TURN_OFF] = AKS_TURN_OFF,
		[AKB_TURN_ON] = AKS_TURN_ON,
		[AKB_ROTATE] = AKS_ROTATE,
		[AKB_DELETE] = AKS_DELETE,
	};

	return req_t(r, &apikeys_strings[key[b]]);
}

/*
 * Store the checked key; 0 with the plaintext in key, -1 (the limit,
 * reached meanwhile: the form's error in e), 503.
 */
static int
ak_insert(struct req *r, struct ak_errors *e, char key[APIKEY_LEN + 1])
{
	const struct field	*in = r->in;
	char			 cid[24], hash[APIKEY_HASH_HEX + 1];
	char			 vis[APIKEY_VISIBLE_LEN + 1], scopes[192];
	const char		*params[8];
	PGresult		*res;
	int			 rc;

	if (apikey_generate(key) == -1 ||
	    apikey_hash_hex(key, APIKEY_LEN, hash) == -1)
		return 503;
	apikey_visible(key, vis);
	ak_cid(r, cid);
	ak_scopes(in, scopes, sizeof(scopes));
	params[0] = cid, params[1] = in[AK_IN_NAME].s, params[2] = hash;
	params[3] = vis, params[4] = scopes;
	params[5] = in[AK_IN_ALLOW].s != NULL ? in[AK_IN_ALLOW].s : "{}";
	params[6] = in[AK_IN_RPM].n > 0 ? in[AK_IN_RPM].s : NULL;
	params[7] = in[AK_IN_EXPIRES].n > 0 ? in[AK_IN_EXPIRES].s : NULL;
	if ((res = db_exec(&r->app->db, &ak_sql[AK_INSERT], params)) == NULL) {
		log_warnx("request %s: api key: %s", r->id, r->app->db.errmsg);
		return 503;
	}
	rc = PQntuples(res) == 1 ? 0 : -1;
	PQclear(res);
	if (rc == -1)
		e->form = req_tr(r, N_("Your package allows no more keys; "
		    "delete one first. Keys:"));
	return rc;
}

/* Check, then store: 0, -1 (errors in e) or 503. */
static int
ak_run(struct req *r, struct ak_errors *e, char key[APIKEY_LEN + 1])
{
	char		 cid[24];
	const char	*params[1] = { cid };
	PGresult	*ctx;
	int		 rc;

	ak_cid(r, cid);
	if ((ctx = db_exec(&r->app->db, &ak_sql[AK_CONTEXT], params)) ==
	    NULL)
		return 503;
	rc = PQntuples(ctx) == 1 ? ak_check(r, ctx, e) : 503;
	PQclear(ctx);
	return rc == 0 ? ak_insert(r, e, key) : rc;
}

/*
 * POST /api-keys: a new key, shown once on the page answering this
 * POST (no redirect). Bad input shows the list again (422) with the
 * input as typed and a message at each field; nothing is stored.
 */
static int
ak_create(struct req *r)
{
	struct ak_errors	 e;
	char			 key[APIKEY_LEN + 1];
	int			 rc;

	memset(&e, 0, sizeof(e));
	rc = ak_run(r, &e, key);
	if (rc == 0) {
		rc = apikeys_shown(r, key);
		explicit_bzero(key, sizeof(key));
	} else if (rc < 0)
		rc = ak_render(r, 422, ak_form_view(r, &e));
	return rc;
}

static const struct route ak_routes[] = {
	{ .method = METHOD_GET, .pattern = "/api-keys", .handler = ak_list,
	    .name = "apikeys", .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/api-keys", .handler = ak_create,
	    .name = "apikey_create", .auth = AUTH_SESSION, .csrf = 1,
	    .body = BODY_FORM, .max_body = 16384, .pass_invalid = 1,
	    ROUTE_INPUTS(ak_in) },
};

const struct module apikeys_module = {
	.name = "apikeys",
	MODULE_ROUTES(ak_routes),
	MODULE_SQL(ak_sql),
	MODULE_STRINGS(apikeys_strings),
};
