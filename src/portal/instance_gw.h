/* instance_gw.h: the signed-in customer's instance named by the path, its status in words, and how to reach its gateway. */
#ifndef WA_INSTANCE_GW_H
#define WA_INSTANCE_GW_H

#include <libpq-fe.h>

struct req;
struct gw_host;
struct gw_ops;

/*
 * The columns of instance_get's row; instance_get_live's has one more,
 * INST_COL_CHANGED.
 */
enum inst_col {
	INST_COL_ID,
	INST_COL_NAME,
	INST_COL_STATUS,
	INST_COL_PHONE,
	INST_COL_PUSH_NAME,
	INST_COL_SESSION,
	INST_COL_HOST,
	INST_COL_DRIVER,
	INST_COL_BASE_URL,
	INST_COL_API_KEY,
	INST_COL_CHANGED,	/* instance_get_live only */
	INST_COL__MAX
};

PGresult		*instance_get(struct req *, int *);
PGresult		*instance_get_live(struct req *, int *);
const struct gw_ops	*instance_gw(PGresult *, struct gw_host *, long);
const char		*instance_status_word(const struct req *,
			    const char *);
int			 instance_linked(PGresult *);

#endif
