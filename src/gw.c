/* gw.c: the table of gateway drivers and what all of them share. */
#include <stdlib.h>
#include <string.h>

#include "gw.h"

extern const struct gw_ops gw_waha;

const struct gw_ops *const gw_drivers[GW__MAX] = {
	[GW_WAHA] = &gw_waha,
};

const char *const inst_status_names[INST__MAX] = {
	[INST_QR_REQUIRED] = "qr_required",
	[INST_CONNECTING] = "connecting",
	[INST_CONNECTED] = "connected",
	[INST_DISCONNECTED] = "disconnected",
	[INST_FAILED] = "failed",
};

/* GW__MAX when no driver has that name. */
enum gw_driver
gw_driver_find(const char *name)
{
	enum gw_driver	 d;

	for (d = 0; d < GW__MAX; d++)
		if (strcmp(gw_drivers[d]->name, name) == 0)
			return d;
	return GW__MAX;
}

void
gw_result_free(struct gw_result *res)
{
	free(res->value);
	res->value = NULL;
}
