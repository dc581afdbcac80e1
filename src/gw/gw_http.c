/* gw_http.c: bounded, timed calls to a gateway: no signals, no redirects, http(s) only, capped answers; blocking or on a multi handle. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "core/xmalloc.h"
#include "gw.h"
#include "gw_http.h"

/* Append a chunk of the answer; refuse to grow past the cap. */
static size_t
gw_http_write(char *p, size_t size, size_t n, void *arg)
{
	struct buf	*b = arg;

	if (n != 0 && size > GW_HTTP_MAX_RESPONSE / n)
		return 0;
	if (b->len + size * n > GW_HTTP_MAX_RESPONSE)
		return 0;		/* curl stops: CURLE_WRITE_ERROR */
	buf_append(b, p, size * n);
	return size * n;
}

/* Keep Retry-After (seconds or an HTTP-date) when the gateway sends one. */
static size_t
gw_http_header(char *p, size_t size, size_t n, void *arg)
{
	struct gw_xfer	*x = arg;
	size_t		 len = size * n;
	char		 v[80];

	if (len > 12 && len - 12 < sizeof(v) &&
	    strncasecmp(p, "Retry-After:", 12) == 0) {
		memcpy(v, p + 12, len - 12);
		v[len - 12] = '\0';
		x->retry_after = gw_retry_after(v, (long long)time(NULL));
	}
	return len;
}

/* The fixed options every gateway call gets. */
static void
gw_http_setup(struct gw_xfer *x, long timeout_ms)
{
	CURL	*c = x->easy;

	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    timeout_ms < GW_CONNECT_MS ? timeout_ms : (long)GW_CONNECT_MS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)GW_HTTP_MAX_RESPONSE);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "waportal/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, gw_http_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &x->response);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, gw_http_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(c, CURLOPT_PRIVATE, NULL);
}

/*
 * Set x up to send req (which the caller may free right after: curl
 * keeps copies). Returns 0, or -1 with res->errmsg when curl is out of
 * resources.
 */
int
gw_xfer_init(struct gw_xfer *x, const struct gw_req *req, long timeout_ms,
    struct gw_result *res)
{
	return gw_xfer_reuse(x, NULL, req, timeout_ms, res);
}

/*
 * gw_xfer_init on an easy handle from an earlier transfer (reset first,
 * so nothing of that one is left) or, when easy is NULL, a new one.
 * The handle is x's from now on.
 */
int
gw_xfer_reuse(struct gw_xfer *x, CURL *easy, const struct gw_req *req,
    long timeout_ms, struct gw_result *res)
{
	size_t	 i;

	memset(x, 0, sizeof(*x));
	if (easy != NULL)
		curl_easy_reset(easy);
	else if ((easy = curl_easy_init()) == NULL) {
		snprintf(res->errmsg, sizeof(res->errmsg), "out of resources");
		res->transient = 1;
		return -1;
	}
	x->easy = easy;
	gw_http_setup(x, timeout_ms);
	curl_easy_setopt(x->easy, CURLOPT_URL, req->url);
	curl_easy_setopt(x->easy, CURLOPT_CUSTOMREQUEST, req->method);
	for (i = 0; req->headers[i] != NULL; i++)
		x->hdrs = curl_slist_append(x->hdrs, req->headers[i]);
	/* No "Expect: 100-continue" wait before larger bodies. */
	x->hdrs = curl_slist_append(x->hdrs, "Expect:");
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->hdrs);
	if (req->body != NULL)
		curl_easy_setopt(x->easy, CURLOPT_COPYPOSTFIELDS, req->body);
	return 0;
}

/* Words for a transfer that got no answer, without addresses or ports. */
static void
gw_http_noanswer(struct gw_xfer *x, CURLcode cc, struct gw_result *res)
{
	long	 oserr = 0;

	curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &oserr);
	if (cc == CURLE_OPERATION_TIMEDOUT)
		snprintf(res->errmsg, sizeof(res->errmsg), "the gateway did "
		    "not answer in time");
	else if (cc == CURLE_WRITE_ERROR || cc == CURLE_FILESIZE_EXCEEDED)
		snprintf(res->errmsg, sizeof(res->errmsg), "the gateway's "
		    "answer was too large");
	else
		snprintf(res->errmsg, sizeof(res->errmsg), "gateway "
		    "unreachable: %s", oserr != 0 ? strerror((int)oserr) :
		    curl_easy_strerror(cc));
}

/*
 * After the transfer ended with cc: returns 0 when the gateway answered
 * (res->http_status and res->retry_after set, the body in x->response),
 * else -1 with res->http_status 0, res->transient and res->errmsg.
 */
int
gw_xfer_done(struct gw_xfer *x, CURLcode cc, struct gw_result *res)
{
	res->http_status = 0;
	res->retry_after = x->retry_after;
	if (cc == CURLE_OK)
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE,
		    &res->http_status);
	if (cc == CURLE_OK && res->http_status != 0)
		return 0;
	res->http_status = 0;
	res->transient = 1;
	gw_http_noanswer(x, cc, res);
	return -1;
}

/* Free what x holds but its easy handle, which is returned for reuse. */
CURL *
gw_xfer_release(struct gw_xfer *x)
{
	CURL	*easy = x->easy;

	x->easy = NULL;
	gw_xfer_free(x);
	return easy;
}

void
gw_xfer_free(struct gw_xfer *x)
{
	if (x->easy != NULL)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->hdrs);
	buf_free(&x->response);
	x->easy = NULL;
	x->hdrs = NULL;
}

/*
 * Send req and wait: the answer goes to parse (a driver's send_parse),
 * whose result is returned; -1 with res filled when none came.
 */
int
gw_http_exchange(const struct gw_req *req, long timeout_ms,
    int (*parse)(long, const char *, size_t, struct gw_result *),
    struct gw_result *res)
{
	struct gw_xfer	 x;
	int		 rc;

	if (gw_xfer_init(&x, req, timeout_ms, res) == -1)
		return -1;
	rc = gw_xfer_done(&x, curl_easy_perform(x.easy), res);
	if (rc == 0)
		rc = parse(res->http_status, buf_str(&x.response),
		    x.response.len, res);
	gw_xfer_free(&x);
	return rc;
}

/* The request of a JSON call; free with gw_req_free. */
static void
gw_http_req(const struct gw_host *h, const struct gw_call *call,
    struct gw_req *req)
{
	memset(req, 0, sizeof(*req));
	req->method = call->method;
	req->url = xasprintf("%s%s", h->base_url, call->path);
	gw_req_header(req, "Accept: application/json");
	gw_req_header(req, "%s", call->auth_header);
	if (call->body != NULL) {
		gw_req_header(req, "Content-Type: application/json");
		req->body = xstrdup(json_object_to_json_string_ext(call->body,
		    JSON_C_TO_STRING_PLAIN));
	}
}

/*
 * Make the call. Returns 0 for a 2xx answer, else -1 with res->errmsg
 * (never the gateway's body), res->http_status (0 without an answer)
 * and res->transient set for what a retry may cure: no answer, 408,
 * 429, 5xx. The answer's body is in call->response either way.
 */
int
gw_http(const struct gw_host *h, struct gw_call *call, struct gw_result *res)
{
	struct gw_req	 req;
	struct gw_xfer	 x;
	int		 rc;

	gw_http_req(h, call, &req);
	rc = gw_xfer_init(&x, &req, h->timeout_ms, res);
	gw_req_free(&req);
	if (rc == -1)
		return -1;
	rc = gw_xfer_done(&x, curl_easy_perform(x.easy), res);
	buf_free(&call->response);
	call->response = x.response;
	memset(&x.response, 0, sizeof(x.response));
	gw_xfer_free(&x);
	if (rc == -1)
		return -1;
	if (res->http_status >= 200 && res->http_status < 300)
		return 0;
	gw_status_fail(res->http_status, res);
	return -1;
}

/* The answer parsed as JSON (caller puts), or NULL. */
struct json_object *
gw_http_json(const struct gw_call *call)
{
	if (call->response.len == 0)
		return NULL;
	return json_tokener_parse(buf_str(&call->response));
}

void
gw_call_free(struct gw_call *call)
{
	buf_free(&call->response);
}
