/* page_msg_add.c: the Queue tab's form: check a message (typed, or one of the customer's templates rendered for the recipient), queue or schedule it through wa_message_enqueue, or show each field's error. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_tpl.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "core/phone.h"
#include "core/valid.h"
#include "core/xmalloc.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "page_msg.h"

/* The form's fields, in the order a first error gets the focus. */
enum add_field {
	ADD_INSTANCE,
	ADD_RECIPIENT,
	ADD_TEMPLATE,
	ADD_TEXT,
	ADD_SEND_AT,
	ADD__MAX
};

static int	add_in_instance(struct req *, struct field *);
static int	add_in_recipient(struct req *, struct field *);
static int	add_in_template(struct req *, struct field *);
static int	add_in_text(struct req *, struct field *);
static int	add_in_send_at(struct req *, struct field *);

static const struct input add_in[ADD__MAX] = {
	[ADD_INSTANCE] = { "instance", add_in_instance, 0 },
	[ADD_RECIPIENT] = { "recipient", add_in_recipient, 0 },
	[ADD_TEMPLATE] = { "template", add_in_template, 0 },
	[ADD_TEXT] = { "text", add_in_text, 0 },
	[ADD_SEND_AT] = { "send_at", add_in_send_at, 0 },
};

/* Why a field is wrong (English): what the validators and checks say. */
static const char add_err_instance[] =
    N_("Choose one of your WhatsApp numbers.");
static const char add_err_recipient[] = N_("Enter the recipient's number.");
static const char add_err_text_empty[] = N_("Enter the text of the message.");
static const char add_err_text_long[] = N_("The text is too long: at most "
    "65,536 characters. Characters entered:");
static const char add_err_text_control[] =
    N_("The text holds control characters that cannot be sent.");
static const char add_err_template[] = N_("Choose one of your templates.");
static const char add_err_both[] =
    N_("Choose a template or write a text, not both.");

static const struct add_def {
	const char	*focus;		/* the view's flag for autofocus */
	const char	*absent;	/* the error of a missing field */
} add_defs[ADD__MAX] = {
	[ADD_INSTANCE] = { "focus_instance", add_err_instance },
	[ADD_RECIPIENT] = { "focus_recipient", add_err_recipient },
	[ADD_TEMPLATE] = { "focus_template", NULL },	/* none: the text */
	[ADD_TEXT] = { "focus_text", add_err_text_empty },
	[ADD_SEND_AT] = { "focus_send_at", NULL },	/* none: send now */
};

/* The columns of ADD_SEND_AT_CHECK, ADD_ENQUEUE, ADD_QUOTA, ADD_COUNTRY. */
enum { AW_VERDICT, AW__MAX };
enum { AE_ID, AE_STATUS, AE_ERROR, AE__MAX };
enum { AQ_USED, AQ_LIMIT, AQ__MAX };
enum { AC_COUNTRY, AC__MAX };
enum { AT_VERSION, AT_BODY, AT_CONTACT, AT_NAME, AT_FIELDS, AT__MAX };
enum { AM_N, AM__MAX };

enum {
	ADD_SEND_AT_CHECK,
	ADD_ENQUEUE,
	ADD_QUOTA,
	ADD_COUNTRY,
	ADD_TEMPLATE_GET,
	ADD_TEMPLATE_MARK,
	ADD_SQL__MAX
};

static const struct stmt add_sql[ADD_SQL__MAX] = {
	/* Local time $2 of customer $1: 'past' (over a minute ago), 'far'
	 * (more than a year ahead) or 'ok'. */
	[ADD_SEND_AT_CHECK] = { "msg_add.send_at_check",
	    "SELECT CASE WHEN s.t < wa_now() - interval '1 minute' THEN 'past' "
	    "WHEN s.t > wa_now() + interval '366 days' THEN 'far' ELSE 'ok' END "
	    "AS verdict "
	    "FROM (SELECT $2::timestamp AT TIME ZONE u.time_zone AS t "
	    "FROM users u WHERE u.id = $1::bigint) s", 2, DB_RETRY,
	    DB_COLS(AW__MAX, [AW_VERDICT] = "verdict") },
	/* Enqueue from the portal; $5 is local time in the customer's zone
	 * (NULL: now). Returns id, status and error as text ('' for NULL). */
	[ADD_ENQUEUE] = { "msg_add.enqueue",
	    "SELECT coalesce(e.id::text, '') AS id, "
	    "coalesce(e.status, '') AS status, "
	    "coalesce(e.error, '') AS error "
	    "FROM wa_message_enqueue($1::bigint, "
	    "$2::bigint, $3::text, $4::text, coalesce((SELECT $5::timestamp "
	    "AT TIME ZONE u.time_zone FROM users u WHERE u.id = $1::bigint), "
	    "wa_now()), 'portal') e", 5, DB_ONCE, DB_COLS(AE__MAX,
	    [AE_ID] = "id", [AE_STATUS] = "status", [AE_ERROR] = "error") },
	/* This month's quota: places taken, and the package's limit ('' when
	 * no active unexpired package). */
	[ADD_QUOTA] = { "msg_add.quota",
	    "SELECT coalesce((SELECT c.messages FROM message_counts c "
	    "WHERE c.customer_id = $1::bigint "
	    "AND c.month = wa_customer_month($1::bigint)), 0) AS used, "
	    "coalesce((SELECT p.max_messages_month::text "
	    "FROM customer_packages cp JOIN packages p ON p.id = cp.package_id "
	    "WHERE cp.customer_id = $1::bigint AND cp.active "
	    "AND cp.starts_at <= wa_now() AND cp.expires_at > wa_now()), '') "
	    "AS quota", 1, DB_RETRY, DB_COLS(AQ__MAX, [AQ_USED] = "used",
	    [AQ_LIMIT] = "quota") },
	/* The country of national numbers (the profile's). */
	[ADD_COUNTRY] = { "msg_add.country",
	    "SELECT country FROM users WHERE id = $1", 1, DB_RETRY,
	    DB_COLS(AC__MAX, [AC_COUNTRY] = "country") },
	/* Customer $1's template $2 (its current version) and the recipient
	 * $3 if they are one of the customer's contacts. */
	[ADD_TEMPLATE_GET] = { "msg_add.template_get",
	    "SELECT t.version, v.body, coalesce(c.id, 0) AS contact, "
	    "coalesce(c.name, '') AS name, coalesce(c.fields::text, '') AS "
	    "fields FROM templates t JOIN template_versions v ON "
	    "v.template_id = t.id AND v.version = t.version LEFT JOIN contacts "
	    "c ON c.customer_id = t.customer_id AND c.phone = $3 "
	    "WHERE t.id = $2::bigint AND t.customer_id = $1::bigint", 3,
	    DB_RETRY, DB_COLS(AT__MAX, [AT_VERSION] = "version",
	    [AT_BODY] = "body", [AT_CONTACT] = "contact", [AT_NAME] = "name",
	    [AT_FIELDS] = "fields") },
	/* Message $1 of customer $4 came from template $2, version $3. */
	[ADD_TEMPLATE_MARK] = { "msg_add.template_mark",
	    "WITH u AS (UPDATE messages SET template_id = $2::bigint, "
	    "template_version = $3::int WHERE id = $1::bigint AND "
	    "customer_id = $4::bigint RETURNING 1) SELECT count(*) AS n "
	    "FROM u", 4, DB_ONCE, DB_COLS(AM__MAX, [AM_N] = "n") },
};

/*
 * One submission: its fields (r->in), whether the chosen instance is
 * connected, and why it failed: each field's error and the whole
 * form's, translated (NULL: fine).
 */
struct add_input {
	const struct field *f;
	int		 connected;
	const char	*text;		/* the template's, rendered; NULL: f's */
	char		 version[24];	/* the template's version */
	const char	*errs[ADD__MAX];
	const char	*form_error;
};

/*
 * The number to send from: an id (input_id); that it is one of the
 * customer's is checked against the context (add_check).
 */
static int
add_in_instance(struct req *r, struct field *f)
{
	if (input_id(r, f) == 0)
		return 0;
	f->err = add_err_instance;
	return -1;
}

/*
 * The recipient, trimmed and not empty; add_recipient turns it into
 * E.164 in the customer's country.
 */
static int
add_in_recipient(struct req *r, struct field *f)
{
	const char	*s = f->s;
	size_t		 n = f->n;

	text_trim(&s, &n);
	if (n == 0) {
		f->err = add_err_recipient;
		return -1;
	}
	f->s = req_strndup(r, s, n);
	f->n = n;
	return 0;
}

/* The template to send: "" none (the text is), else one's id. */
static int
add_in_template(struct req *r, struct field *f)
{
	if (f->n == 0) {
		f->s = NULL;
		return 0;
	}
	if (input_id(r, f) == 0)
		return 0;
	f->err = add_err_template;
	return -1;
}

/*
 * The recipient to E.164 with phone_parse in the customer's country
 * (the profile's), a number that can be a mobile one, as the API and
 * the contacts have it; else its reason. Returns 0, or 503.
 */
static int
add_recipient(struct req *r)
{
	struct field	*f = &r->in[ADD_RECIPIENT];
	char		 cid[24], e164[PHONE_E164_MAX + 1];
	const char	*params[1] = { cid };
	enum phone_why	 why;
	PGresult	*res;
	int		 rc;

	if (f->s == NULL)
		return 0;
	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, &add_sql[ADD_COUNTRY], params)) ==
	    NULL)
		return 503;
	rc = phone_parse(f->s, f->n, PQntuples(res) == 1 ?
	    db_get(res, 0, AC_COUNTRY) : NULL, PHONE_MOBILE, e164, &why);
	PQclear(res);
	if (rc == -1) {
		f->err = phone_why_text(why);
		f->s = NULL;
		f->n = 0;
		return 0;
	}
	f->n = strlen(e164);
	f->s = req_strndup(r, e164, f->n);
	return 0;
}

/*
 * The text by valid_message_text, the rule the API shares: CR LF
 * becomes LF; not blank, at most 65,536 characters (f->i: how many),
 * nothing WhatsApp cannot carry.
 */
static int
add_in_text(struct req *r, struct field *f)
{
	char	*s = req_strndup(r, f->s, f->n);
	size_t	 n = f->n, count;

	switch (valid_message_text(s, &n, &count)) {
	case MSGTEXT_OK:
		f->s = s;
		f->n = n;
		f->i = (int64_t)count;
		return 0;
	case MSGTEXT_EMPTY:
		f->err = add_err_text_empty;
		break;
	case MSGTEXT_LONG:
		f->err = add_err_text_long;
		f->i = (int64_t)count;
		break;
	case MSGTEXT_UTF8:
	case MSGTEXT_CONTROL:
		f->err = add_err_text_control;
		break;
	}
	return -1;
}

/*
 * When to send it: a local time as the form sends it, or "": now (s is
 * then NULL). Its place in time needs the database (add_check_when).
 */
static int
add_in_send_at(struct req *r, struct field *f)
{
	(void)r;
	if (f->n == 0) {
		f->s = NULL;
		return 0;
	}
	if (msglist_local_time_ok(f->s, f->n))
		return 0;
	f->err = N_("Enter a date and time, like 2025-03-31 14:30.");
	return -1;
}

/*
 * Field i's error in the reader's language, or NULL: a too long text's
 * says how long it is; a missing field's is its add_defs one.
 */
static const char *
add_error(struct req *r, const struct field *f, enum add_field i)
{
	if (f->err == add_err_text_long)
		return req_keep(r, xasprintf("%s %lld.", req_tr(r, f->err),
		    (long long)f->i));
	if (f->err != NULL)
		return req_tr(r, f->err);
	if (f->raw == NULL && add_defs[i].absent != NULL)
		return req_tr(r, add_defs[i].absent);
	return NULL;
}

/*
 * Collect the validators' errors and check the instance is one of the
 * customer's (the context). Returns 0 when all are good, else -1 with
 * the errors in in->errs.
 */
static int
add_check(struct req *r, struct add_input *in, PGresult *ctx)
{
	const char	*id = in->f[ADD_INSTANCE].s;
	enum add_field	 i;
	int		 row, rc = 0;

	for (i = 0; i < ADD__MAX; i++)
		in->errs[i] = add_error(r, &in->f[i], i);
	for (row = 0; id != NULL && row < PQntuples(ctx); row++)
		if (strcmp(db_get(ctx, row, CTX_ID), id) == 0) {
			in->connected = strcmp(db_get(ctx, row, CTX_STATUS),
			    "connected") == 0;
			break;
		}
	if (id != NULL && row == PQntuples(ctx))
		in->errs[ADD_INSTANCE] = req_tr(r, add_err_instance);
	if (in->f[ADD_TEMPLATE].s != NULL)
		in->errs[ADD_TEXT] = in->f[ADD_TEXT].raw == NULL ||
		    in->f[ADD_TEXT].err == add_err_text_empty ? NULL :
		    req_tr(r, add_err_both);
	for (i = 0; i < ADD__MAX; i++)
		if (in->errs[i] != NULL)
			rc = -1;
	return rc;
}

/*
 * A send time must not have passed (a minute's grace: the form has no
 * seconds) nor be over a year ahead, in the customer's zone. Returns 0,
 * -1 with the field's error, or 503.
 */
static int
add_check_when(struct req *r, struct add_input *in)
{
	char		 cid[24];
	const char	*params[2] = { cid, in->f[ADD_SEND_AT].s }, *w;
	PGresult	*res;
	int		 rc = 0;

	if (in->f[ADD_SEND_AT].s == NULL)
		return 0;
	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	res = db_exec(&r->app->db, &add_sql[ADD_SEND_AT_CHECK], params);
	if (res == NULL)
		return 503;
	w = PQntuples(res) == 1 ? db_get(res, 0, AW_VERDICT) : "past";
	if (strcmp(w, "ok") != 0) {
		in->errs[ADD_SEND_AT] = req_tr(r, strcmp(w, "far") == 0 ?
		    N_("Schedule at most a year ahead.") :
		    N_("That time has already passed. Leave the field empty "
		    "to send now."));
		rc = -1;
	}
	PQclear(res);
	return rc;
}

/* A seed for a recipient who is no contact: FNV-1a of the number. */
static uint64_t
add_seed(const char *s)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/*
 * Row 0 of ADD_TEMPLATE_GET rendered for the recipient into in->text,
 * checked as any text; else the template's error (English).
 */
static const char *
add_render_row(struct req *r, struct add_input *in, PGresult *res)
{
	struct aud_tpl		 t;
	struct aud_tpl_vals	 v;
	struct aud_tpl_out	 o;
	struct buf		 out = BUF_INIT;
	const char		*err = NULL;
	size_t			 n, count;
	enum msg_text		 e;

	memset(&v, 0, sizeof(v));
	v.name = db_get(res, 0, AT_NAME);
	v.phone = in->f[ADD_RECIPIENT].s;
	v.fields = json_tokener_parse(db_get(res, 0, AT_FIELDS));
	aud_tpl_parse(&t, db_get(res, 0, AT_BODY), strlen(db_get(res, 0,
	    AT_BODY)), NULL, 0);
	aud_tpl_render(&t, &v, db_getll(res, 0, AT_CONTACT) > 0 ?
	    (uint64_t)db_getll(res, 0, AT_CONTACT) : add_seed(v.phone),
	    MSG_TEXT_MAX, &out, &o);
	n = out.len;
	if (o.cut)
		err = N_("The message made from this template for this "
		    "recipient is over 65,536 characters.");
	else if ((e = valid_message_text(out.data, &n, &count)) ==
	    MSGTEXT_EMPTY)
		err = N_("The message made from this template for this "
		    "recipient is empty.");
	else if (e != MSGTEXT_OK)
		err = add_err_text_control;
	else
		in->text = req_strndup(r, out.data, n);
	snprintf(in->version, sizeof(in->version), "%s",
	    db_get(res, 0, AT_VERSION));
	aud_tpl_free(&t);
	json_object_put(v.fields);
	buf_free(&out);
	return err;
}

/*
 * The chosen template (none: nothing to do) rendered for the recipient
 * into in->text: 0, -1 with the template's error, or 503.
 */
static int
add_render(struct req *r, struct add_input *in)
{
	char		 cid[24];
	const char	*params[3] = { cid, in->f[ADD_TEMPLATE].s,
			    in->f[ADD_RECIPIENT].s }, *err;
	PGresult	*res;

	if (params[1] == NULL)
		return 0;
	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, &add_sql[ADD_TEMPLATE_GET],
	    params)) == NULL)
		return 503;
	err = PQntuples(res) == 1 ? add_render_row(r, in, res) :
	    add_err_template;
	PQclear(res);
	if (err == NULL)
		return 0;
	in->errs[ADD_TEMPLATE] = req_tr(r, err);
	return -1;
}

/* The enqueued message id came from in's template: 0, or -1. */
static int
add_mark(struct req *r, const struct add_input *in, const char *id)
{
	char		 cid[24];
	const char	*params[4] = { id, in->f[ADD_TEMPLATE].s, in->version,
			    cid };
	PGresult	*res;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, &add_sql[ADD_TEMPLATE_MARK],
	    params)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* The whole form's error for a used-up quota, with used / limit. */
static int
add_quota_error(struct req *r, struct add_input *in)
{
	char		 cid[24];
	const char	*params[1] = { cid };
	PGresult	*res;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, &add_sql[ADD_QUOTA], params)) == NULL)
		return 503;
	in->form_error = req_keep(r, xasprintf("%s %s / %s.", req_tr(r,
	    N_("This month's message quota is used up; nothing was queued. "
	    "Used / limit:")), db_get(res, 0, AQ_USED),
	    db_get(res, 0, AQ_LIMIT)));
	PQclear(res);
	return -1;
}

/*
 * Enqueue the checked message. Returns 0 with *scheduled set, -1 with
 * an error for the form or a field, or 503.
 */
static int
add_enqueue(struct req *r, struct add_input *in, int *scheduled)
{
	char		 cid[24];
	const char	*params[5], *err;
	PGresult	*res;
	int		 rc = 0;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	params[0] = cid, params[1] = in->f[ADD_INSTANCE].s;
	params[2] = in->f[ADD_RECIPIENT].s;
	params[3] = in->text != NULL ? in->text : in->f[ADD_TEXT].s;
	params[4] = in->f[ADD_SEND_AT].s;
	if ((res = db_exec(&r->app->db, &add_sql[ADD_ENQUEUE], params)) ==
	    NULL) {
		log_warnx("request %s: enqueue: %s", r->id, r->app->db.errmsg);
		return 503;
	}
	err = db_get(res, 0, AE_ERROR);
	*scheduled = strcmp(db_get(res, 0, AE_STATUS), "scheduled") == 0;
	if (strcmp(err, "quota_exhausted") == 0)
		rc = add_quota_error(r, in);
	else if (strcmp(err, "instance_not_found") == 0) {
		in->errs[ADD_INSTANCE] = req_tr(r, add_err_instance);
		rc = -1;
	} else if (strcmp(err, "recipient_unsubscribed") == 0) {
		in->errs[ADD_RECIPIENT] = req_tr(r, N_("This number "
		    "unsubscribed from your messages (it sent STOP or was "
		    "marked unsubscribed): nothing was queued. Only a new "
		    "opt-in of theirs allows sending again."));
		rc = -1;
	} else if (*err != '\0') {
		in->form_error = req_tr(r, N_("Your package has expired or "
		    "none is active: ask your dealer to renew it. Nothing "
		    "was queued."));
		rc = -1;
	}
	if (rc == 0 && in->text != NULL && add_mark(r, in,
	    db_get(res, 0, AE_ID)) == -1)
		rc = 503;
	PQclear(res);
	return rc;
}

/*
 * add_enqueue; a template's message and its mark (which template and
 * version) in one transaction.
 */
static int
add_enqueue_tx(struct req *r, struct add_input *in, int *scheduled)
{
	int	 rc;

	if (in->text == NULL)
		return add_enqueue(r, in, scheduled);
	if (db_begin(&r->app->db) == -1)
		return 503;
	if ((rc = add_enqueue(r, in, scheduled)) != 0)
		db_rollback(&r->app->db);
	else if (db_commit(&r->app->db) == -1)
		rc = 503;
	return rc;
}

/* The form as typed, its errors, and the first wrong field's focus. */
static struct json_object *
add_form_view(const struct add_input *in)
{
	struct json_object	*form = json_object_new_object(), *vals, *errs;
	enum add_field		 i;
	int			 focus = 0;

	vals = json_object_new_object();
	errs = json_object_new_object();
	for (i = 0; i < ADD__MAX; i++) {
		json_object_object_add(vals, add_in[i].name,
		    json_object_new_string(in->f[i].raw != NULL ?
		    in->f[i].raw : ""));
		if (in->errs[i] == NULL)
			continue;
		json_object_object_add(errs, add_in[i].name,
		    json_object_new_string(in->errs[i]));
		if (!focus++)
			json_object_object_add(form, add_defs[i].focus,
			    json_object_new_boolean(1));
	}
	if (in->form_error != NULL)
		json_object_object_add(form, "error",
		    json_object_new_string(in->form_error));
	json_object_object_add(form, "values", vals);
	json_object_object_add(form, "errors", errs);
	return form;
}

/* Check, then enqueue: 0 with *scheduled, -1 (errors in in), or 503. */
static int
add_run(struct req *r, struct add_input *in, int *scheduled)
{
	PGresult	*ctx;
	int		 rc;

	if (add_recipient(r) != 0 || (ctx = msgpage_context(r)) == NULL)
		return 503;
	rc = add_check(r, in, ctx);
	PQclear(ctx);
	if (rc == 0)
		rc = add_check_when(r, in);
	if (rc == 0)
		rc = add_render(r, in);
	if (rc == 0)
		rc = add_enqueue_tx(r, in, scheduled);
	return rc;
}

/*
 * POST /whatsapp/queue: a message from one of the customer's numbers
 * to a recipient, now or at a time in their zone. Bad input shows the
 * Queue tab again (422) with the input as typed and a message at each
 * field; nothing is stored. A queued or scheduled message redirects to
 * its tab with a notice.
 */
static int
add_post(struct req *r)
{
	struct add_input	 in;
	int			 rc, scheduled = 0;

	memset(&in, 0, sizeof(in));
	in.f = r->in;
	rc = add_run(r, &in, &scheduled);
	if (rc == 0)
		return resp_redirect(r, 303, scheduled ?
		    "/whatsapp/scheduled?done=scheduled" : in.connected ?
		    "/whatsapp/queue?done=queued" :
		    "/whatsapp/queue?done=waiting");
	if (rc < 0)
		return msgpage_render(r, MSGTAB_QUEUE, 422, add_form_view(&in));
	return rc;
}

static const struct route add_routes[] = {
	/* 65536 characters of up to 4 bytes, percent-encoded, fit in 1 MiB. */
	{ .method = METHOD_POST, .pattern = "/whatsapp/queue",
	    .handler = add_post, .name = "msg_add", .auth = AUTH_SESSION,
	    .csrf = 1, .body = BODY_FORM, .max_body = 1024 * 1024,
	    .pass_invalid = 1, ROUTE_INPUTS(add_in) },
};

const struct module msg_add_module = {
	.name = "msg_add",
	MODULE_ROUTES(add_routes),
	MODULE_SQL(add_sql),
};
