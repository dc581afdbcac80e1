/* instance_gw.h: the signed-in customer's instance named by the path, and how to reach its gateway. */
#ifndef WA_INSTANCE_GW_H
#define WA_INSTANCE_GW_H

#include <libpq-fe.h>

struct req;
struct gw_host;
struct gw_ops;

/* The columns of LEGACY(STMT_INST_GET). */
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
	INST_COL__MAX
};

const struct gw_ops	*instance_gw(PGresult *, struct gw_host *, long);

#endif
