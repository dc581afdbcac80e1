/* api_messages.c: POST /api/v1/messages: validate in C, then one round trip: three transactions in a pipeline, or wa_api_send with an Idempotency-Key. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_tpl.h"
#include "core/apikey.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/phone.h"
#include "core/utf8.h"
#include "core/valid.h"
#include "web/jsonbody.h"
#include "web/module.h"
#include "web/param.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "api.h"

#define API_IDEM_MAX	255
#define API_VARS_MAX	100	/* variables of a template's message */

/*
 * The columns of API_SEND and API_SEND_ADMIT: the verdict, the answer
 * (a validation's errors, or the 202 body), whether it is a replay,
 * then the key's figures.
 */
enum {
	AS_STATUS,
	AS_PROBLEM,
	AS_RESPONSE,
	AS_REPLAYED,
	AS_AUTH,		/* API_AUTH_COLS from here */
	AS__MAX = AS_AUTH + AA__MAX
};

/* The columns of API_SEND_PUT and API_SEND_WAKE (pg_notify: void). */
enum { AP_STATUS, AP_RESPONSE, AP__MAX };
enum { AW_NOTIFY, AW__MAX };

enum { AT_VERSION, AT_BODY, AT_CONTACT, AT_NAME, AT_FIELDS, AT__MAX };

enum {
	API_SEND,
	API_SEND_ADMIT,
	API_SEND_PUT,
	API_SEND_WAKE,
	API_SEND_TPL,
	API_SEND__MAX
};

static const struct stmt api_send_sql[API_SEND__MAX] = {
	/* With an Idempotency-Key, in one statement: status, problem,
	 * response, replayed, then API_AUTH_COLS; $10 and $11 the template
	 * and version the text came from (NULL for a text). */
	[API_SEND] = { "api_messages.send",
	    "SELECT r.status, coalesce(r.problem, '') AS problem, "
	    "coalesce(r.response, '') AS response, r.replayed, "
	    API_AUTH_COLS("(r.auth)") " FROM wa_api_send("
	    "decode($1, 'hex'), $2::inet, $3, decode($4, 'hex'), $5, "
	    "$6::bigint, $7, $8, $9::timestamptz, $10::bigint, $11::int) r",
	    11, DB_ONCE,
	    DB_COLS(AS__MAX, [AS_STATUS] = "status", [AS_PROBLEM] = "problem",
	    [AS_RESPONSE] = "response", [AS_REPLAYED] = "replayed",
	    API_AUTH_NAMES(AS_AUTH)) },
	/* The hot path (no Idempotency-Key): three transactions in one
	 * pipeline. The admission: the columns of API_SEND (status 202
	 * and no response when admitted). */
	[API_SEND_ADMIT] = { "api_messages.send_admit",
	    "SELECT r.status, coalesce(r.problem, '') AS problem, "
	    "coalesce(r.response, '') AS response, false AS replayed, "
	    API_AUTH_COLS("(r.auth)") " FROM wa_api_send_admit("
	    "decode($1, 'hex'), $2::inet, $3, $4::bigint, $5, $6) r", 6,
	    DB_ONCE,
	    DB_COLS(AS__MAX, [AS_STATUS] = "status", [AS_PROBLEM] = "problem",
	    [AS_RESPONSE] = "response", [AS_REPLAYED] = "replayed",
	    API_AUTH_NAMES(AS_AUTH)) },
	/* The durable insert of ticket $1 (with its template $5, version
	 * $6, NULL for a text): status (0: nothing inserted) and the 202
	 * answer's body. */
	[API_SEND_PUT] = { "api_messages.send_put",
	    "SELECT coalesce(p.status, 0) AS status, "
	    "coalesce(p.response, '') AS response FROM "
	    "wa_api_send_put($1, $2, $3, $4::timestamptz, $5::bigint, "
	    "$6::int) p", 6, DB_ONCE,
	    DB_COLS(AP__MAX, [AP_STATUS] = "status",
	    [AP_RESPONSE] = "response") },
	/* Wake the dispatchers when ticket $1's message was inserted: alone
	 * in its transaction, so the NOTIFY's lock is not held through the
	 * insert's WAL flush (docs/performance.md). */
	[API_SEND_WAKE] = { "api_messages.send_wake",
	    "SELECT pg_notify('waportal_dispatch', '') "
	    "WHERE current_setting('waportal.api_send', true) = $1 || ' sent'",
	    1, DB_ONCE, DB_COLS(AW__MAX, [AW_NOTIFY] = "pg_notify") },
	/*
	 * A template's send, before the round trip: template $2 of the
	 * customer of key $1 (its current version and body), and the
	 * recipient $3 if they are that customer's contact. The key is
	 * only a way to the customer here: the send's own admission checks
	 * it (a refused key is refused whatever this found).
	 */
	[API_SEND_TPL] = { "api_messages.send_tpl",
	    "SELECT t.version, v.body, coalesce(c.id, 0) AS contact, "
	    "coalesce(c.name, '') AS name, coalesce(c.fields::text, '') AS "
	    "fields FROM api_keys k JOIN templates t ON t.customer_id = "
	    "k.customer_id AND t.id = $2::bigint JOIN template_versions v ON "
	    "v.template_id = t.id AND v.version = t.version LEFT JOIN contacts "
	    "c ON c.customer_id = k.customer_id AND c.phone = $3 "
	    "WHERE k.key_hash = decode($1, 'hex')", 3, DB_RETRY,
	    DB_COLS(AT__MAX, [AT_VERSION] = "version", [AT_BODY] = "body",
	    [AT_CONTACT] = "contact", [AT_NAME] = "name",
	    [AT_FIELDS] = "fields") },
};

/* Why a message text is refused (valid_message_text): the API's words. */
static const char *const api_text_words[] = {
	[MSGTEXT_OK] = "",
	[MSGTEXT_UTF8] = "Must be UTF-8 without NUL.",
	[MSGTEXT_EMPTY] = "Must not be blank: it holds only spaces, tabs "
	    "and line breaks.",
	[MSGTEXT_CONTROL] = "Must not hold control characters: only tab, "
	    "line feed and CR LF are allowed.",
	[MSGTEXT_LONG] = "At most 65536 characters.",
};

/* A "to" without a known country code: national, or a wrong code. */
static const char api_to_country[] = "Start with + and the country code "
    "(E.164, e.g. +6281234567890): the API reads no national numbers.";

/* The checked fields of a send request, NUL-terminated. */
struct api_send {
	char		 to[PHONE_E164_MAX + 1];
	const char	*text;		/* normalised: CR LF as LF */
	char		 instance[24];	/* "" when none given */
	const char	*send_at;	/* NULL when none given */
	const char	*idem;		/* NULL when none given */
	struct json_object *errors;	/* [{field, detail}] */
	char		 tpl[24];	/* template_id, "" when none given */
	char		 tpl_version[24];	/* its version, once rendered */
	struct json_object *vars;	/* "variables" (the body's) */
};

/* The send request's fields; anything else is refused. */
static const char *const api_send_fields[] = {
	"to", "text", "instance_id", "send_at", "template_id", "variables",
};

/* Days in month m (1..12) of year y. */
static int
api_mdays(int y, int m)
{
	static const int	 d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* n ASCII digits at s as a number, or -1. */
static int
api_digits(const char *s, int n)
{
	int	 v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * An RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM).
 * Returns 1 when s is one.
 */
int
api_rfc3339(const char *s)
{
	size_t	 n = strlen(s), i = 19;
	int	 y, mo, d, h, mi, se;

	if (n < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    s[13] != ':' || s[16] != ':')
		return 0;
	y = api_digits(s, 4), mo = api_digits(s + 5, 2);
	d = api_digits(s + 8, 2), h = api_digits(s + 11, 2);
	mi = api_digits(s + 14, 2), se = api_digits(s + 17, 2);
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > api_mdays(y, mo) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
		return 0;
	if (s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			continue;
		if (i == 20)
			return 0;
	}
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n)
		return 1;
	return (s[i] == '+' || s[i] == '-') && i + 6 == n &&
	    s[i + 3] == ':' && api_digits(s + i + 1, 2) >= 0 &&
	    api_digits(s + i + 1, 2) <= 23 && api_digits(s + i + 4, 2) >= 0 &&
	    api_digits(s + i + 4, 2) <= 59;
}

/*
 * "to": a phone number with its country code ("+62 812…", "0062…"),
 * read by phone_parse as the portal reads it, a number that can be a
 * mobile one. The customer is not known before the one round trip, so
 * neither is their country: a national number is refused ("bad-country",
 * docs/validation.md).
 */
static void
api_send_to(struct api_send *in, struct json_object *v)
{
	enum phone_why	 why;

	if (v == NULL || !json_object_is_type(v, json_type_string)) {
		api_error_add(in->errors, "to", v == NULL ? "Required." :
		    "Must be a string.");
		return;
	}
	if (json_object_get_string_len(v) == 0) {
		api_error_add(in->errors, "to", "Required.");
		return;
	}
	if (phone_parse(json_object_get_string(v),
	    json_object_get_string_len(v), NULL, PHONE_MOBILE, in->to,
	    &why) == -1)
		api_error_code_add(in->errors, "to", why == PHONE_BAD_COUNTRY ?
		    api_to_country : phone_why_text(why), phone_why_code(why));
}

/*
 * "text": the one rule of message texts (valid_message_text), checked
 * on a copy the request owns, which keeps the normalised text.
 */
static void
api_send_text(struct req *r, struct api_send *in, struct json_object *v)
{
	const char	*s;
	char		*copy;
	size_t		 n, count;
	enum msg_text	 e;

	if (v == NULL || !json_object_is_type(v, json_type_string)) {
		api_error_add(in->errors, "text", v == NULL ? "Required." :
		    "Must be a string.");
		return;
	}
	s = json_object_get_string(v);
	n = json_object_get_string_len(v);
	if (n == 0) {
		api_error_add(in->errors, "text", "Required.");
		return;
	}
	/* A NUL would end the copy early: refuse it on the original. */
	if (memchr(s, '\0', n) != NULL) {
		api_error_add(in->errors, "text", api_text_words[MSGTEXT_UTF8]);
		return;
	}
	copy = req_strndup(r, s, n);
	if ((e = valid_message_text(copy, &n, &count)) != MSGTEXT_OK)
		api_error_add(in->errors, "text", api_text_words[e]);
	else
		in->text = copy;
}

/* "instance_id" (a positive integer) and "send_at" (RFC 3339). */
static void
api_send_options(struct api_send *in, struct json_object *inst,
    struct json_object *at)
{
	if (inst != NULL) {
		if (!json_object_is_type(inst, json_type_int) ||
		    json_object_get_int64(inst) < 1)
			api_error_add(in->errors, "instance_id",
			    "Must be a positive integer.");
		else
			snprintf(in->instance, sizeof(in->instance), "%lld",
			    (long long)json_object_get_int64(inst));
	}
	if (at == NULL)
		return;
	if (!json_object_is_type(at, json_type_string) ||
	    !api_rfc3339(json_object_get_string(at)))
		api_error_add(in->errors, "send_at",
		    "Must be an RFC 3339 date-time, e.g. "
		    "2026-01-31T09:00:00+07:00.");
	else
		in->send_at = json_object_get_string(at);
}

/* Refuse fields the endpoint does not know. */
static void
api_send_unknown(struct api_send *in, struct json_object *o)
{
	size_t	 i;

	json_object_object_foreach(o, k, v) {
		(void)v;
		for (i = 0; i < sizeof(api_send_fields) /
		    sizeof(api_send_fields[0]); i++)
			if (strcmp(k, api_send_fields[i]) == 0)
				break;
		if (i == sizeof(api_send_fields) / sizeof(api_send_fields[0]))
			api_error_add(in->errors, utf8_valid(k, strlen(k)) &&
			    strlen(k) <= 64 ? k : "(name)", "Unknown field.");
	}
}

/*
 * The Idempotency-Key header: 1..255 printable ASCII characters. Read
 * raw, so a present key that is not UTF-8 is refused like any other
 * unusable one, never taken for an absent one (a retry would then make
 * a second message).
 */
static void
api_send_idem(struct req *r, struct api_send *in)
{
	const char	*h = req_header_raw(r, "Idempotency-Key");
	size_t		 i, n;

	if (h == NULL)
		return;
	n = strlen(h);
	for (i = 0; i < n; i++)
		if ((unsigned char)h[i] < 0x20 || (unsigned char)h[i] > 0x7e)
			break;
	if (n == 0 || n > API_IDEM_MAX || i != n)
		api_error_add(in->errors, "Idempotency-Key",
		    "Must be 1 to 255 printable ASCII characters.");
	else
		in->idem = h;
}

/*
 * "template_id" (a positive integer, instead of "text") and "variables"
 * (an object of at most API_VARS_MAX strings, numbers, booleans or
 * nulls by a variable's name, only with a template).
 */
static void
api_send_template_in(struct api_send *in, struct json_object *o)
{
	struct json_object	*tpl = json_object_object_get(o, "template_id");
	struct json_object	*vars = json_object_object_get(o, "variables");

	if (json_object_object_get(o, "text") != NULL)
		api_error_add(in->errors, "text", "Give text or template_id, "
		    "not both.");
	if (tpl == NULL)
		api_error_add(in->errors, "variables", "Only with "
		    "template_id.");
	else if (!json_object_is_type(tpl, json_type_int) ||
	    json_object_get_int64(tpl) < 1)
		api_error_add(in->errors, "template_id",
		    "Must be a positive integer.");
	else
		snprintf(in->tpl, sizeof(in->tpl), "%lld",
		    (long long)json_object_get_int64(tpl));
	if (vars == NULL)
		return;
	if (!json_object_is_type(vars, json_type_object) ||
	    json_object_object_length(vars) > API_VARS_MAX) {
		api_error_add(in->errors, "variables", "Must be an object of "
		    "at most 100 values.");
		return;
	}
	json_object_object_foreach(vars, k, v) {
		if (strlen(k) > AUD_TPL_NAME_MAX || (v != NULL &&
		    (json_object_is_type(v, json_type_object) ||
		    json_object_is_type(v, json_type_array)))) {
			api_error_add(in->errors, "variables", "Each must be "
			    "a string, a number, true, false or null, by a "
			    "name of at most 64 bytes.");
			return;
		}
	}
	in->vars = vars;
}

/* Check the body (json, owned by the caller) into in. */
static void
api_send_check(struct req *r, struct api_send *in, struct json_object **json)
{
	struct parse_limits	 lim = parse_limits_default;
	struct json_object	*o;

	in->errors = json_object_new_array();
	api_send_idem(r, in);
	lim.max_total = lim.max_value = r->bodysz + 1;
	if (jsonbody_parse(json, r->body, r->bodysz, &lim, NULL, NULL, 0) ==
	    -1 || !json_object_is_type(*json, json_type_object)) {
		api_error_add(in->errors, "body",
		    "Must be one JSON object.");
		return;
	}
	o = *json;
	api_send_unknown(in, o);
	api_send_to(in, json_object_object_get(o, "to"));
	if (json_object_object_get(o, "template_id") != NULL ||
	    json_object_object_get(o, "variables") != NULL)
		api_send_template_in(in, o);
	else
		api_send_text(r, in, json_object_object_get(o, "text"));
	api_send_options(in, json_object_object_get(o, "instance_id"),
	    json_object_object_get(o, "send_at"));
}

/* The 202 answer: the message as JSON (re-serialised plain), with Location. */
static int
api_send_accepted(struct req *r, const char *body, int replayed)
{
	struct json_object	*o = json_tokener_parse(body);
	struct json_object	*id;
	char			 loc[64];
	int			 rc;

	if (o == NULL)
		return 500;
	if (json_object_object_get_ex(o, "id", &id)) {
		snprintf(loc, sizeof(loc), "/api/v1/messages/%lld",
		    (long long)json_object_get_int64(id));
		resp_header(r, "Location", loc);
	}
	if (replayed)
		resp_header(r, "Idempotent-Replayed", "true");
	api_rate_headers(r);
	rc = resp_json(r, 202, o);
	json_object_put(o);
	return rc;
}

/* The hot path's statements, in the order of the pipeline. */
enum api_pipe {
	API_PIPE_ADMIT,
	API_PIPE_PUT,
	API_PIPE_WAKE,
	API_PIPE__MAX
};

static const struct stmt *const api_pipe_stmts[API_PIPE__MAX] = {
	[API_PIPE_ADMIT] = &api_send_sql[API_SEND_ADMIT],
	[API_PIPE_PUT] = &api_send_sql[API_SEND_PUT],
	[API_PIPE_WAKE] = &api_send_sql[API_SEND_WAKE],
};

/*
 * Answer what wa_api_send (or wa_api_send_admit) returned; put is
 * wa_api_send_put's result on the hot path (NULL otherwise), which holds
 * the 202 answer of an admitted call.
 */
static int
api_send_answer(struct req *r, const PGresult *res, const PGresult *put)
{
	int			 status = db_geti(res, 0, AS_STATUS);
	const char		*problem = db_get(res, 0, AS_PROBLEM);
	const char		*body = db_get(res, 0, AS_RESPONSE);
	int			 replayed = db_getb(res, 0, AS_REPLAYED);
	struct json_object	*errors = NULL;

	api_auth_figures(r, res, AS_AUTH);
	if (put != NULL && *problem == '\0' && status == 202) {
		if (db_geti(put, 0, AP_STATUS) != 202)
			return 500;
		body = db_get(put, 0, AP_RESPONSE);
	}
	if (*problem == '\0' && status >= 200 && status < 300)
		return api_send_accepted(r, body, replayed);
	if (replayed)
		resp_header(r, "Idempotent-Replayed", "true");
	if (strcmp(problem, "validation-failed") == 0 && *body != '\0')
		errors = json_tokener_parse(body);
	if (status == 401)
		r->api.key_id = 0;
	r->resp.status = status;
	return api_problem(r, status, api_slug(*problem != '\0' ? problem :
	    "internal-error"), NULL, errors);
}

/*
 * The hot path (no Idempotency-Key): admission (auth, rate, validation
 * verdict, instance, the recipient's subscription, quota, usage; its commit does not wait for the
 * disk), the durable insert of the admitted message and the NOTIFY,
 * three transactions in one round trip (db_pipeline), tied by a ticket
 * unique per call on this connection (docs/performance.md).
 * params are API_SEND's. Returns the HTTP status or 0 once answered.
 */
static int
api_send_hot(struct req *r, const char *const *params)
{
	static unsigned long long	 seq;
	char				 ticket[24];
	const char			*admit[6], *put[6], *wake[1];
	const char *const		*pp[API_PIPE__MAX] = {
		admit, put, wake
	};
	PGresult			*res[API_PIPE__MAX];
	int				 rc, i;

	snprintf(ticket, sizeof(ticket), "%llu", ++seq);
	admit[0] = params[0];
	admit[1] = params[1];
	admit[2] = params[4];
	admit[3] = params[5];
	admit[4] = ticket;
	admit[5] = params[6];
	put[0] = ticket;
	put[1] = params[6];
	put[2] = params[7];
	put[3] = params[8];
	put[4] = params[9];
	put[5] = params[10];
	wake[0] = ticket;
	if (db_pipeline(&r->app->db, api_pipe_stmts, API_PIPE__MAX, pp,
	    res) == -1)
		return 503;
	if (res[API_PIPE_ADMIT] == NULL || (res[API_PIPE_PUT] == NULL &&
	    db_geti(res[API_PIPE_ADMIT], 0, AS_STATUS) == 202))
		rc = 503;
	else
		rc = api_send_answer(r, res[API_PIPE_ADMIT], res[API_PIPE_PUT]);
	for (i = 0; i < API_PIPE__MAX; i++)
		PQclear(res[i]);
	return rc;
}

/* A seed for a recipient who is no contact: FNV-1a of the number. */
static uint64_t
api_send_seed(const char *s)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/*
 * The text of in's template for its recipient (their contact's values
 * when they are one, the body's variables first), checked as any text;
 * a template of no customer of the key's is a validation error (the
 * admission still checks the key first). 0, or -1 when the database
 * failed.
 */
static int
api_send_render(struct req *r, struct api_send *in)
{
	const char		*params[3] = { r->api.hash, in->tpl, in->to };
	struct aud_tpl		 t;
	struct aud_tpl_vals	 v;
	struct aud_tpl_out	 o;
	struct buf		 out = BUF_INIT;
	PGresult		*res;
	size_t			 n, count;
	enum msg_text		 e;

	if ((res = db_exec(&r->app->db, &api_send_sql[API_SEND_TPL],
	    params)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		api_error_add(in->errors, "template_id", "No such template.");
		return 0;
	}
	memset(&v, 0, sizeof(v));
	v.name = db_get(res, 0, AT_NAME);
	v.phone = in->to;
	v.fields = json_tokener_parse(db_get(res, 0, AT_FIELDS));
	v.vars = in->vars;
	snprintf(in->tpl_version, sizeof(in->tpl_version), "%s",
	    db_get(res, 0, AT_VERSION));
	aud_tpl_parse(&t, db_get(res, 0, AT_BODY), strlen(db_get(res, 0,
	    AT_BODY)), NULL, 0);
	aud_tpl_render(&t, &v, db_getll(res, 0, AT_CONTACT) > 0 ?
	    (uint64_t)db_getll(res, 0, AT_CONTACT) : api_send_seed(in->to),
	    MSG_TEXT_MAX, &out, &o);
	n = out.len;
	if (o.cut)
		api_error_add(in->errors, "template_id", "The message made from "
		    "it is over 65536 characters.");
	else if ((e = valid_message_text(out.data, &n, &count)) != MSGTEXT_OK)
		api_error_add(in->errors, "template_id", e == MSGTEXT_EMPTY ?
		    "The message made from it is blank." : api_text_words[e]);
	else
		in->text = req_strndup(r, out.data, n);
	aud_tpl_free(&t);
	json_object_put(v.fields);
	buf_free(&out);
	PQclear(res);
	return 0;
}

/*
 * POST /api/v1/messages: the key's format was checked centrally; the
 * body is checked here, its verdict passed to PostgreSQL as p_invalid
 * so that authentication, rate and usage still happen in that one
 * round trip and their refusals win over validation errors.
 */
static int
api_messages_create(struct req *r)
{
	struct api_send		 in;
	struct json_object	*json = NULL;
	char			 bodyhash[APIKEY_HASH_HEX + 1];
	const char		*params[11], *invalid = NULL;
	PGresult		*res = NULL;
	int			 rc;

	memset(&in, 0, sizeof(in));
	api_send_check(r, &in, &json);
	if (json_object_array_length(in.errors) == 0 && in.tpl[0] != '\0' &&
	    api_send_render(r, &in) == -1) {
		json_object_put(in.errors);
		json_object_put(json);
		return 503;
	}
	if (json_object_array_length(in.errors) > 0)
		invalid = json_object_to_json_string_ext(in.errors,
		    JSON_C_TO_STRING_PLAIN);
	/* The body's hash only matters to an Idempotency-Key. */
	bodyhash[0] = '\0';
	if (in.idem != NULL && apikey_hash_hex(r->body != NULL ? r->body : "",
	    r->bodysz, bodyhash) == -1)
		bodyhash[0] = '\0';
	params[0] = r->api.hash;
	params[1] = api_addr(r);
	params[2] = in.idem;
	params[3] = bodyhash;
	params[4] = invalid;
	params[5] = invalid == NULL && in.instance[0] != '\0' ?
	    in.instance : NULL;
	params[6] = invalid == NULL ? in.to : "";
	params[7] = invalid == NULL ? in.text : "";
	params[8] = invalid == NULL ? in.send_at : NULL;
	params[9] = invalid == NULL && in.tpl[0] != '\0' ? in.tpl : NULL;
	params[10] = params[9] != NULL ? in.tpl_version : NULL;
	if (in.idem == NULL)
		rc = api_send_hot(r, params);
	else if ((res = db_exec(&r->app->db, &api_send_sql[API_SEND],
	    params)) == NULL)
		rc = 503;
	else
		rc = api_send_answer(r, res, NULL);
	PQclear(res);
	json_object_put(in.errors);
	json_object_put(json);
	return rc;
}

/*
 * REST API v1 (docs/api-http.md): POST messages reads its body raw and
 * authenticates in its one statement (wa_api_send), or the pipeline.
 */
static const struct route api_send_routes[] = {
	{ .method = METHOD_POST, .pattern = "/api/v1/messages",
	    .handler = api_messages_create, .name = "messages.create",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "messages:send",
	    .self_auth = 1, .body = BODY_RAW_JSON, .max_body = 512 * 1024 },
};

const struct module api_messages_module = {
	.name = "api_messages",
	MODULE_ROUTES(api_send_routes),
	MODULE_SQL(api_send_sql),
};
