/* session.h: sign-in sessions: random cookie tokens stored hashed, idle and absolute expiry. */
#ifndef WA_SESSION_H
#define WA_SESSION_H

#include <stdint.h>

#define SESSION_TOKEN_LEN	43	/* base64url of 32 random bytes */
#define SESSION_CSRF_LEN	43

struct req;

/* The signed-in user, as the session lookup found them. */
struct user {
	int64_t		 id;
	char		 role[16];	/* customer | dealer | admin */
	char		*name;
	char		*email;
	char		 language[8];
	char		 csrf[SESSION_CSRF_LEN + 1];
	int		 avatar_version;	/* 0: no avatar */
};

const char	*session_cookie_name(const struct req *);
int		 session_load(struct req *);
int		 session_start(struct req *, int64_t user_id);
int		 session_end(struct req *);
int		 session_end_others(struct req *);
void		 user_free(struct user *);
int		 session_random(char *out, size_t outsz);

#endif
