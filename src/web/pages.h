/* pages.h: the handlers the route table names, one file per page or endpoint group. */
#ifndef WA_PAGES_H
#define WA_PAGES_H

struct req;

/* --- block: message pages --- */
/* msglist.c, msglist_valid.c: validators the key table names (1: good). */
int	msglist_valid_status(const char *, size_t);
/* --- end block: message pages --- */

#endif
