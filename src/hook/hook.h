/* hook.h: the WAHA webhook event handlers of POST /hooks/waha/{host} (hook_waha.c, hook_msg.c). */
#ifndef WA_HOOK_H
#define WA_HOOK_H

struct json_object;
struct req;

/* hook_waha.c: reading an event */
const char	*hook_str(struct json_object *, const char *);
struct json_object *hook_payload(struct json_object *);
void		 hook_phone(const char *, char [17]);

/*
 * hook_msg.c. The checks run before anything is stored: 0, or -1 for a
 * malformed payload (400). The handlers run inside the event's
 * transaction with the host id as text: 0, or -1 on a database error.
 */
int	hook_message_check(struct json_object *);
int	hook_message(struct req *, const char *, struct json_object *);
int	hook_ack_check(struct json_object *);
int	hook_message_ack(struct req *, const char *, struct json_object *);

#endif
