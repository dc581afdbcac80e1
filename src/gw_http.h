/* gw_http.h: one bounded, timed JSON call to a gateway with libcurl, shared by the drivers. */
#ifndef WA_GW_HTTP_H
#define WA_GW_HTTP_H

#include "buf.h"

#define GW_HTTP_MAX_RESPONSE	(1024 * 1024)	/* bytes; larger answers fail */

struct gw_host;
struct gw_result;
struct json_object;

struct gw_call {
	const char		*method;	/* GET, POST, PUT, DELETE */
	const char		*path;		/* appended to the base URL */
	struct json_object	*body;		/* sent as JSON when not NULL */
	const char		*auth_header;	/* "X-Api-Key: …", built by the driver */
	struct buf		 response;	/* the answer's body */
};

int	gw_http(const struct gw_host *, struct gw_call *, struct gw_result *);
struct json_object *gw_http_json(const struct gw_call *);
void	gw_call_free(struct gw_call *);

#endif
