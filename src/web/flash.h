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

/* Legacy: until each module owns its messages. */
enum flash_legacy {
	FLASH_PROFILE_SAVED,
	FLASH_PASSWORD_CHANGED,
	FLASH_AVATAR_SAVED,
	FLASH_AVATAR_REMOVED,
	FLASH_INST_RESTARTED,
	FLASH_INST_LOGGED_OUT,
	FLASH_INST_DELETED,
	FLASH_GATEWAY_ERROR,
	FLASH__MAX
};

extern const struct flash flash_legacy[FLASH__MAX];

struct req;
struct json_object;

void	flash_set(struct req *, const struct flash *);
void	flash_view(struct req *, struct json_object *);

#endif
