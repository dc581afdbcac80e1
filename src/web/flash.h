/* flash.h: one-shot messages after a redirect (post/redirect/get), carried by a cookie that holds a key, never text. */
#ifndef WA_FLASH_H
#define WA_FLASH_H

/*
 * A message the next page shows once. A module defines its own and
 * lists them (struct module); the cookie carries the key only.
 */
struct flash {
	const char	*key;		/* [a-z_]+, unique among the modules */
	const char	*text;		/* English (N_), translated when shown */
	const char	*kind;		/* success | info | warning | error */
};

struct req;
struct json_object;

void	flash_set(struct req *, const struct flash *);
void	flash_view(struct req *, struct json_object *);

#endif
