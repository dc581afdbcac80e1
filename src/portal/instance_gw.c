/* instance_gw.c: load the customer's own instance for a request, say its status in words and set up the call to its gateway. */
#include <string.h>

#include "core/db.h"
#include "core/nls.h"
#include "gw/gw.h"
#include "web/module.h"
#include "web/req.h"
#include "instance_gw.h"

/* The columns both statements share, in enum inst_col's order. */
#define INSTGW_COLS \
	[INST_COL_ID] = "id", [INST_COL_NAME] = "name", \
	[INST_COL_STATUS] = "status", [INST_COL_PHONE] = "phone", \
	[INST_COL_PUSH_NAME] = "push_name", [INST_COL_SESSION] = "session", \
	[INST_COL_HOST] = "host", [INST_COL_DRIVER] = "driver", \
	[INST_COL_BASE_URL] = "base_url", [INST_COL_API_KEY] = "api_key"

enum {
	INSTGW_GET,
	INSTGW_LIVE,
	INSTGW__MAX
};

static const struct stmt instgw_sql[INSTGW__MAX] = {
	/* One of the customer's instances, with its host to reach it. */
	[INSTGW_GET] = { "instance_gw.get",
	    "SELECT i.id, i.name, i.status, i.phone, i.push_name, i.session, "
	    "h.name AS host, h.driver, h.base_url, h.api_key "
	    "FROM instances i JOIN hosts h ON h.id = i.host_id "
	    "WHERE i.id = $1 AND i.customer_id = $2", 2, DB_RETRY,
	    DB_COLS(INST_COL_CHANGED, INSTGW_COLS) },
	/*
	 * INSTGW_GET's columns and then when the status last changed: one
	 * instance of customer $2 for its live state.
	 */
	[INSTGW_LIVE] = { "instance_gw.live",
	    "SELECT i.id, i.name, i.status, i.phone, i.push_name, i.session, "
	    "h.name AS host, h.driver, h.base_url, h.api_key, "
	    "to_char(i.status_changed_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS changed "
	    "FROM instances i JOIN hosts h ON h.id = i.host_id "
	    "WHERE i.id = $1 AND i.customer_id = $2", 2, DB_RETRY,
	    DB_COLS(INST_COL__MAX, INSTGW_COLS,
	    [INST_COL_CHANGED] = "changed") },
};

/* The statements for the check; the pages that show an instance call in. */
const struct module instance_gw_module = {
	.name = "instance_gw",
	MODULE_SQL(instgw_sql),
};

/* Every instance status (enum inst_status) in words. */
static const char *const instgw_words[INST__MAX] = {
	[INST_QR_REQUIRED] = N_("QR required"),
	[INST_CONNECTING] = N_("connecting"),
	[INST_CONNECTED] = N_("connected"),
	[INST_DISCONNECTED] = N_("disconnected"),
	[INST_FAILED] = N_("failed"),
};

/*
 * The instance the path's id names, if it is the signed-in customer's
 * (columns INST_COL_ID..INST_COL_API_KEY); the caller PQclear()s it.
 * NULL with *status 404 or 503 (req_owned).
 */
PGresult *
instance_get(struct req *r, int *status)
{
	return req_owned(r, &instgw_sql[INSTGW_GET], status);
}

/* As instance_get, and INST_COL_CHANGED: when its status last changed. */
PGresult *
instance_get_live(struct req *r, int *status)
{
	return req_owned(r, &instgw_sql[INSTGW_LIVE], status);
}

/* The badge word of an instance status, or the status itself if unknown. */
const char *
instance_status_word(const struct req *r, const char *status)
{
	size_t	 i;

	for (i = 0; i < INST__MAX; i++)
		if (strcmp(status, inst_status_names[i]) == 0)
			return req_tr(r, instgw_words[i]);
	return status;
}

/*
 * 1 when the instance in res is linked to a WhatsApp account, so it can
 * be unlinked: it has its number (the webhooks set it when the phone
 * links it; unlinking clears it) and does not wait for a QR scan.
 */
int
instance_linked(PGresult *res)
{
	return *db_get(res, 0, INST_COL_PHONE) != '\0' &&
	    strcmp(db_get(res, 0, INST_COL_STATUS), "qr_required") != 0;
}

/*
 * Fill h to reach the host of the instance in res (its strings point
 * into res) with the given timeout; returns the host's driver, or NULL
 * when no driver has its name.
 */
const struct gw_ops *
instance_gw(PGresult *res, struct gw_host *h, long timeout_ms)
{
	enum gw_driver	 d;

	if ((d = gw_driver_find(db_get(res, 0, INST_COL_DRIVER))) == GW__MAX)
		return NULL;
	memset(h, 0, sizeof(*h));
	h->base_url = db_get(res, 0, INST_COL_BASE_URL);
	h->api_key = db_get(res, 0, INST_COL_API_KEY);
	h->timeout_ms = timeout_ms;
	return gw_drivers[d];
}
