/* groups.h: what the contact group pages share: the group form's view, the members' link, the growth chart's bars, the form's reasons. */
#ifndef WA_GROUPS_H
#define WA_GROUPS_H

#include <libpq-fe.h>

struct json_object;
struct req;

#define GR_NAME_MAX	100	/* code points (sql/0021) */
#define GR_DESC_MAX	500

/* The group form's values and their reasons (English, N_; NULL: good). */
struct gr_form {
	const char	*name, *desc, *kind, *filter;
	int		 confirm;	/* a list's double opt-in */
	const char	*name_err, *desc_err, *kind_err, *filter_err;
};

extern const char gr_err_dup[];
extern const char gr_err_max[];
extern const char gr_err_name[];
extern const char gr_err_desc[];
extern const char gr_err_kind[];
extern const char gr_err_filter[];
extern const char gr_err_no_filter[];

/* The form's values and translated reasons into view v. */
void	 gr_form_view(struct req *, const struct gr_form *,
	    struct json_object *);

/* The Contacts page of a group's members: members_url in v. */
void	 gr_members_url(const char *id, const char *kind, const char *filter,
	    struct json_object *);

/* The double opt-in lists where contact id (the customer's) is pending,
 * as optin_pending [{id, name, asked, expires, recent}],
 * has_optin_pending and optin_contact (id) in v (page_group_optin.c): 0, or -1 when the
 * database failed. */
int	 gr_contact_pending(struct req *, const char *id,
	    struct json_object *);

/* Column col of res's rows (numbers, oldest first) as a bar chart's
 * bars [{x, y, w, h}] in a 600 x 120 box. */
struct json_object *gr_chart(PGresult *, int col);

#endif
