/* profile.h: the profile page the password and picture forms show again, and the throttled current-password check the email change shares. */
#ifndef WA_PROFILE_H
#define WA_PROFILE_H

struct field;
struct json_object;
struct req;

/* page_profile.c */
struct json_object *profile_values(struct req *);
int	profile_page(struct req *, int, struct json_object *,
	    struct json_object *);
int	profile_page_alert(struct req *, int, struct json_object *,
	    struct json_object *, const char *);

/* page_password.c */
int	password_current(struct req *, const struct field *, const char **);

#endif
