/* page_msg_add.c: the Queue tab's form: check a message, queue or schedule it through wa_message_enqueue, or show each field's error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db_stmt.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/valid.h"
#include "core/xmalloc.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"
#include "page_msg.h"

/* The form's fields, in the order a first error gets the focus. */
enum add_field {
	ADD_INSTANCE,
	ADD_RECIPIENT,
	ADD_TEXT,
	ADD_SEND_AT,
	ADD__MAX
};

static const struct add_def {
	const char	*name;		/* the field and its error's key */
	const char	*focus;		/* the view's flag for autofocus */
	enum key	 key;
} add_defs[ADD__MAX] = {
	[ADD_INSTANCE] = { "instance", "focus_instance", KEY_MSG_INSTANCE },
	[ADD_RECIPIENT] = { "recipient", "focus_recipient", KEY_MSG_RECIPIENT },
	[ADD_TEXT] = { "text", "focus_text", KEY_MSG_TEXT },
	[ADD_SEND_AT] = { "send_at", "focus_send_at", KEY_MSG_SEND_AT },
};

/* One submission: the values as typed and what the checks made of them. */
struct add_input {
	const char	*raw[ADD__MAX];		/* "" when absent */
	char		*text;			/* normalised copy (owned) */
	char		 to[E164_MAX + 1];
	int		 connected;		/* the chosen instance is */
	const char	*errs[ADD__MAX];	/* NULL: fine */
	char		*text_error;		/* a too long text's (owned) */
	char		*form_error;		/* the whole form's (owned) */
};

/* Read the fields as typed; text gets its own copy to normalise. */
static void
add_read(struct req *r, struct add_input *in)
{
	const struct field	*f;
	enum add_field		 i;

	memset(in, 0, sizeof(*in));
	for (i = 0; i < ADD__MAX; i++) {
		f = r->fields[add_defs[i].key];
		in->raw[i] = f != NULL ? f->s : "";
	}
	f = r->fields[KEY_MSG_TEXT];
	in->text = f != NULL ? xstrndup(f->s, f->n) : xstrdup("");
}

/* The chosen instance must be one of the customer's (the context). */
static const char *
add_check_instance(struct req *r, struct add_input *in, PGresult *ctx)
{
	const char	*id = in->raw[ADD_INSTANCE];
	int		 row;

	for (row = 0; *id != '\0' && row < PQntuples(ctx); row++)
		if (strcmp(PQgetvalue(ctx, row, CTX_ID), id) == 0) {
			in->connected = strcmp(PQgetvalue(ctx, row, CTX_STATUS),
			    "connected") == 0;
			return NULL;
		}
	return i18n_text(req_lang(r), MSG_MP_ERR_INSTANCE);
}

/* The recipient in E.164 (national numbers are Indonesian). */
static const char *
add_check_recipient(struct req *r, struct add_input *in)
{
	const char	*s = in->raw[ADD_RECIPIENT], *err;
	size_t		 n = strlen(s);

	text_trim(&s, &n);
	if (n == 0)
		return i18n_text(req_lang(r), MSG_MP_ERR_RECIPIENT);
	if (phone_e164(s, n, MSG_CC, in->to, &err) == -1)
		return i18n_fixed(req_lang(r), err);
	return NULL;
}

/* The text: not blank, not too long, nothing WhatsApp cannot carry. */
static const char *
add_check_text(struct req *r, struct add_input *in)
{
	enum lang	 l = req_lang(r);
	size_t		 n = strlen(in->text), count;

	switch (valid_message_text(in->text, &n, &count)) {
	case MSGTEXT_OK:
		return NULL;
	case MSGTEXT_UTF8:
		break;
	case MSGTEXT_EMPTY:
		return i18n_text(l, MSG_MP_ERR_TEXT_EMPTY);
	case MSGTEXT_LONG:
		in->text_error = xasprintf("%s %zu.",
		    i18n_text(l, MSG_MP_ERR_TEXT_LONG), count);
		return in->text_error;
	case MSGTEXT_CONTROL:
		break;
	}
	return i18n_text(l, MSG_MP_ERR_TEXT_CONTROL);
}

/*
 * Check every field (the send time's format only; its place in time
 * needs the database). Returns 0 when all are good, else -1 with the
 * errors in in->errs.
 */
static int
add_check(struct req *r, struct add_input *in, PGresult *ctx)
{
	const char	*t = in->raw[ADD_SEND_AT];
	enum add_field	 i;

	in->errs[ADD_INSTANCE] = add_check_instance(r, in, ctx);
	in->errs[ADD_RECIPIENT] = add_check_recipient(r, in);
	in->errs[ADD_TEXT] = add_check_text(r, in);
	if (*t != '\0' && !msglist_local_time_ok(t, strlen(t)))
		in->errs[ADD_SEND_AT] = i18n_text(req_lang(r),
		    MSG_MP_ERR_SEND_AT);
	for (i = 0; i < ADD__MAX; i++)
		if (in->errs[i] != NULL)
			return -1;
	return 0;
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
	const char	*params[2] = { cid, in->raw[ADD_SEND_AT] }, *w;
	PGresult	*res;
	int		 rc = 0;

	if (*in->raw[ADD_SEND_AT] == '\0')
		return 0;
	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	res = db_exec(&r->app->db, LEGACY(STMT_MSG_SEND_AT_CHECK), params);
	if (res == NULL)
		return 503;
	w = PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "past";
	if (strcmp(w, "ok") != 0) {
		in->errs[ADD_SEND_AT] = i18n_text(req_lang(r),
		    strcmp(w, "far") == 0 ? MSG_MP_ERR_FAR : MSG_MP_ERR_PAST);
		rc = -1;
	}
	PQclear(res);
	return rc;
}

/* The whole form's error for a used-up quota, with used / limit. */
static int
add_quota_error(struct req *r, struct add_input *in)
{
	char		 cid[24];
	const char	*params[1] = { cid };
	PGresult	*res;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, LEGACY(STMT_MSG_QUOTA), params)) == NULL)
		return 503;
	in->form_error = xasprintf("%s %s / %s.", i18n_text(req_lang(r),
	    MSG_MP_ERR_QUOTA), PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
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
	params[0] = cid, params[1] = in->raw[ADD_INSTANCE];
	params[2] = in->to, params[3] = in->text;
	params[4] = *in->raw[ADD_SEND_AT] != '\0' ? in->raw[ADD_SEND_AT] : NULL;
	if ((res = db_exec(&r->app->db, LEGACY(STMT_MSG_ENQUEUE), params)) == NULL) {
		log_warnx("request %s: enqueue: %s", r->id, r->app->db.errmsg);
		return 503;
	}
	err = PQgetvalue(res, 0, 2);
	*scheduled = strcmp(PQgetvalue(res, 0, 1), "scheduled") == 0;
	if (strcmp(err, "quota_exhausted") == 0)
		rc = add_quota_error(r, in);
	else if (strcmp(err, "instance_not_found") == 0) {
		in->errs[ADD_INSTANCE] = i18n_text(req_lang(r),
		    MSG_MP_ERR_INSTANCE);
		rc = -1;
	} else if (*err != '\0') {
		in->form_error = xstrdup(i18n_text(req_lang(r),
		    MSG_MP_ERR_PACKAGE));
		rc = -1;
	}
	PQclear(res);
	return rc;
}

/* The form as typed, its errors, and the first wrong field's focus. */
static struct json_object *
add_form_view(struct add_input *in)
{
	struct json_object	*form = json_object_new_object(), *vals, *errs;
	enum add_field		 i;
	int			 focus = 0;

	vals = json_object_new_object();
	errs = json_object_new_object();
	for (i = 0; i < ADD__MAX; i++) {
		json_object_object_add(vals, add_defs[i].name,
		    json_object_new_string(in->raw[i]));
		if (in->errs[i] == NULL)
			continue;
		json_object_object_add(errs, add_defs[i].name,
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

	if ((ctx = msgpage_context(r)) == NULL)
		return 503;
	rc = add_check(r, in, ctx);
	PQclear(ctx);
	if (rc == 0)
		rc = add_check_when(r, in);
	if (rc == 0)
		rc = add_enqueue(r, in, scheduled);
	return rc;
}

/*
 * POST /whatsapp/queue: a message from one of the customer's numbers
 * to a recipient, now or at a time in their zone. Bad input shows the
 * Queue tab again (422) with the input as typed and a message at each
 * field; nothing is stored. A queued or scheduled message redirects to
 * its tab with a notice.
 */
int
page_msg_add(struct req *r)
{
	struct add_input	 in;
	int			 rc, scheduled = 0;

	add_read(r, &in);
	rc = add_run(r, &in, &scheduled);
	if (rc == 0)
		rc = resp_redirect(r, 303, scheduled ?
		    "/whatsapp/scheduled?done=scheduled" : in.connected ?
		    "/whatsapp/queue?done=queued" :
		    "/whatsapp/queue?done=waiting");
	else if (rc < 0)
		rc = msgpage_render(r, MSGTAB_QUEUE, 422, add_form_view(&in));
	free(in.text);
	free(in.text_error);
	free(in.form_error);
	return rc;
}
