/* gw_http.h: bounded, timed HTTP calls to a gateway with libcurl, one blocking or many at once, shared by the drivers and the dispatcher. */
#ifndef WA_GW_HTTP_H
#define WA_GW_HTTP_H

#include <curl/curl.h>

#include "core/buf.h"

#define GW_HTTP_MAX_RESPONSE	(1024 * 1024)	/* bytes; larger answers fail */
#define GW_CONNECT_MS		2000	/* at most, to open the connection */

struct gw_host;
struct gw_req;
struct gw_result;
struct json_object;

struct gw_call {
	const char		*method;	/* GET, POST, PUT, DELETE */
	const char		*path;		/* appended to the base URL */
	struct json_object	*body;		/* sent as JSON when not NULL */
	const char		*auth_header;	/* "X-Api-Key: …", built by the driver */
	struct buf		 response;	/* the answer's body */
};

/*
 * One transfer: an easy handle with the fixed options every gateway
 * call gets (connect and total timeout, no signals, an error buffer,
 * http(s) only, no redirects, a capped answer) and what came back.
 * gw_xfer_init, then curl_easy_perform or a multi handle, then
 * gw_xfer_done, then gw_xfer_free.
 */
struct gw_xfer {
	CURL			*easy;
	struct curl_slist	*hdrs;
	char			 errbuf[CURL_ERROR_SIZE];
	struct buf		 response;
	long			 retry_after;	/* seconds, from Retry-After */
};

int	gw_xfer_init(struct gw_xfer *, const struct gw_req *, long timeout_ms,
	    struct gw_result *);
int	gw_xfer_reuse(struct gw_xfer *, CURL *, const struct gw_req *,
	    long timeout_ms, struct gw_result *);
int	gw_xfer_done(struct gw_xfer *, CURLcode, struct gw_result *);
CURL	*gw_xfer_release(struct gw_xfer *);
void	gw_xfer_free(struct gw_xfer *);
int	gw_http_exchange(const struct gw_req *, long timeout_ms,
	    int (*)(long, const char *, size_t, struct gw_result *),
	    struct gw_result *);

int	gw_http(const struct gw_host *, struct gw_call *, struct gw_result *);
struct json_object *gw_http_json(const struct gw_call *);
void	gw_call_free(struct gw_call *);

#endif
