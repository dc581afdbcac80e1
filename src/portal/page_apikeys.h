/* page_apikeys.h: what the API keys page shares with its actions: the page that shows a new key once, and the words of the list's buttons. */
#ifndef WA_PAGE_APIKEYS_H
#define WA_PAGE_APIKEYS_H

struct req;

/* The list's action buttons (apikeys.mustache), which the actions name. */
enum apikeys_button {
	AKB_TURN_OFF,
	AKB_TURN_ON,
	AKB_ROTATE,
	AKB_DELETE
};

const char	*apikeys_button(const struct req *, enum apikeys_button);
int		 apikeys_shown(struct req *, const char *);

#endif
