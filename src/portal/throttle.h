/* throttle.h: failed password checks counted per account and address, and the wait past the limit, for every form that checks a password. */
#ifndef WA_THROTTLE_H
#define WA_THROTTLE_H

struct req;

long	throttle_wait(struct req *, const char *email);
void	throttle_fail(struct req *, const char *email);
void	throttle_clear(struct req *, const char *email);

#endif
