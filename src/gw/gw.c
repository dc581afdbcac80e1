/* gw.c: the table of gateway drivers and what all of them share. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
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

/* Free what a driver's send_prepare built; headers are wiped first. */
void
gw_req_free(struct gw_req *req)
{
	size_t	 i;

	for (i = 0; req->headers[i] != NULL; i++) {
		explicit_bzero(req->headers[i], strlen(req->headers[i]));
		free(req->headers[i]);
		req->headers[i] = NULL;
	}
	free(req->url);
	free(req->body);
	req->url = req->body = NULL;
}

/* Add one "Name: value" header; returns 0, or -1 when the list is full. */
int
gw_req_header(struct gw_req *req, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;
	size_t		 i;

	for (i = 0; req->headers[i] != NULL; i++)
		;
	if (i >= GW_REQ_MAX_HEADERS)
		return -1;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	req->headers[i] = buf_steal(&b);
	req->headers[i + 1] = NULL;
	return 0;
}
