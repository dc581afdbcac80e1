/* pages.h: the handlers the route table names, one file per page or endpoint group. */
#ifndef WA_PAGES_H
#define WA_PAGES_H

struct req;

/* page_profile.c */
struct json_object;
int	page_profile(struct req *);
int	page_profile_save(struct req *);
struct json_object *profile_values(struct req *);
int	profile_page(struct req *, int, struct json_object *,
	    struct json_object *);

/* page_password.c */
struct field;
int	page_password(struct req *);
int	password_current_ok(struct req *, const struct field *);

/* --- block: message pages --- */
/* page_profile.c */
int	page_profile_tz(struct req *);

/* msglist.c, msglist_valid.c: validators the key table names (1: good). */
int	msglist_valid_status(const char *, size_t);
/* --- end block: message pages --- */

#endif
