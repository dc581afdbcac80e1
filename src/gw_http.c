/* gw_http.c: bounded, timed JSON calls to a gateway: no signals, no redirects, http(s) only, capped answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "gw.h"
#include "gw_http.h"
#include "xmalloc.h"

#define GW_CONNECT_MS	2000

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

/* Keep Retry-After (seconds form) when the gateway sends one. */
static size_t
gw_http_header(char *p, size_t size, size_t n, void *arg)
{
	struct gw_result	*res = arg;
	size_t			 len = size * n;

	if (len > 12 && strncasecmp(p, "Retry-After:", 12) == 0)
		res->retry_after = strtol(p + 12, NULL, 10);
	return len;
}

/* The fixed options every gateway call gets. */
static void
gw_http_setup(CURL *c, const struct gw_host *h, struct gw_call *call,
    struct gw_result *res, char *errbuf)
{
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    h->timeout_ms < GW_CONNECT_MS ? h->timeout_ms : GW_CONNECT_MS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->timeout_ms);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "waportal/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, call->method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, gw_http_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &call->response);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, gw_http_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, res);
}

/*
 * Make the call. Returns 0 for a 2xx answer, else -1 with res->errmsg
 * (never the gateway's body), res->http_status (0 without an answer)
 * and res->transient set for what a retry may cure: no answer, 429,
 * 5xx. The answer's body is in call->response either way.
 */
int
gw_http(const struct gw_host *h, struct gw_call *call, struct gw_result *res)
{
	struct curl_slist	*hdrs = NULL;
	char			 errbuf[CURL_ERROR_SIZE] = "", *url;
	CURL			*c;
	CURLcode		 cc;

	if ((c = curl_easy_init()) == NULL) {
		snprintf(res->errmsg, sizeof(res->errmsg), "out of resources");
		return -1;
	}
	url = xasprintf("%s%s", h->base_url, call->path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	gw_http_setup(c, h, call, res, errbuf);
	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	hdrs = curl_slist_append(hdrs, call->auth_header);
	if (call->body != NULL) {
		hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS,
		    json_object_to_json_string_ext(call->body,
		    JSON_C_TO_STRING_PLAIN));
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->http_status);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	free(url);
	if (cc != CURLE_OK) {
		res->http_status = 0;
		res->transient = 1;
		snprintf(res->errmsg, sizeof(res->errmsg), "gateway unreachable: "
		    "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
		return -1;
	}
	if (res->http_status >= 200 && res->http_status < 300)
		return 0;
	res->transient = res->http_status == 429 || res->http_status >= 500;
	snprintf(res->errmsg, sizeof(res->errmsg), "gateway answered %ld",
	    res->http_status);
	return -1;
}

/* The answer parsed as JSON (caller puts it), or NULL. */
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
