/* page_templates.h: what the message template pages share: the form's values and reasons (a bad template's position), the customer's field keys, the warnings of unknown variables. */
#ifndef WA_PAGE_TEMPLATES_H
#define WA_PAGE_TEMPLATES_H

#include "aud/aud_tpl.h"

struct json_object;
struct req;

#define TP_NAME_MAX	100	/* code points (sql/0024) */
#define TP_MAX		200	/* templates of a customer (sql/0024) */

/* The template form's values and reasons (English, N_; NULL: good). */
struct tp_form {
	const char	*name, *body;
	const char	*name_err, *body_err;
	struct aud_tpl_issue at;	/* where body_err is, when line > 0 */
};

extern const char tp_err_dup[];
extern const char tp_err_max[];

/*
 * The form's name and body into f, checked: the body a message text
 * (valid_message_text) and a template of the customer's field keys.
 * 0, -1 with the reasons in f, or 503 when the database failed.
 */
int	 tp_form_read(struct req *, int name_in, int body_in,
	    struct tp_form *);

/* The form's values and translated reasons into view v. */
void	 tp_form_view(struct req *, const struct tp_form *,
	    struct json_object *);

/*
 * Parse body against the customer's field keys into t (the caller frees
 * it with aud_tpl_free): 0, -1 (t->err), or 503.
 */
int	 tp_parse(struct req *, const char *body, struct aud_tpl *t);

/* t's unknown variables as warnings [{line, col, name}] in v, with
 * "unknown" (their count) when there are some. */
void	 tp_warnings(const char *body, const struct aud_tpl *,
	    struct json_object *v);

#endif
