/* flash.h: one-shot messages after a redirect (post/redirect/get), carried by a cookie that holds a key, never text. */
#ifndef WA_FLASH_H
#define WA_FLASH_H

enum flash {
	FLASH_SIGNED_OUT,
	FLASH_SIGNED_IN,
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

struct req;
struct json_object;

void	flash_set(struct req *, enum flash);
void	flash_view(struct req *, struct json_object *);

#endif
