/* gwsim_http.c: the simulator's HTTP server: libmicrohttpd glue, route table, X-Api-Key check and JSON replies. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/log.h"
#include "core/xmalloc.h"
#include "gwsim.h"

enum http_flag {
	HF_API = 1,	/* needs X-Api-Key; logged */
	HF_CTL = 2,	/* loopback only */
	HF_NOLOCK = 4,	/* the handler takes the lock itself */
	HF_RAW = 8	/* the body is not parsed as JSON */
};

enum http_route {
	R_PING,
	R_SESS_LIST, R_SESS_CREATE, R_SESS_GET, R_SESS_PUT, R_SESS_DELETE,
	R_SESS_START, R_SESS_STOP, R_SESS_RESTART, R_SESS_LOGOUT, R_SESS_ME,
	R_AUTH_QR, R_AUTH_CODE, R_SEND_TEXT, R_GROUPS, R_CHECK_EXISTS,
	R_MESSAGE_GET,
	R_CTL_SCAN, R_CTL_INBOUND, R_CTL_DISCONNECT, R_CTL_ROTATE,
	R_CTL_FAULTS, R_CTL_LOG, R_CTL_RESET, R_CTL_SINK_POST, R_CTL_SINK_GET,
	R_CTL_SESSIONS,
	R__MAX
};

struct http_route_def {
	const char	*method;
	const char	*pattern;	/* "*" matches one segment */
	gwsim_handler	 fn;
	int		 flags;
};

static void	http_ping(struct gwsim_req *);

static const struct http_route_def http_routes[R__MAX] = {
	[R_PING] = { "GET", "/ping", http_ping, 0 },
	[R_SESS_LIST] = { "GET", "/api/sessions", gwsim_api_sessions, HF_API },
	[R_SESS_CREATE] = { "POST", "/api/sessions",
	    gwsim_api_session_create, HF_API },
	[R_SESS_GET] = { "GET", "/api/sessions/*", gwsim_api_session_get,
	    HF_API },
	[R_SESS_PUT] = { "PUT", "/api/sessions/*", gwsim_api_session_put,
	    HF_API },
	[R_SESS_DELETE] = { "DELETE", "/api/sessions/*",
	    gwsim_api_session_delete, HF_API },
	[R_SESS_START] = { "POST", "/api/sessions/*/start",
	    gwsim_api_session_start, HF_API },
	[R_SESS_STOP] = { "POST", "/api/sessions/*/stop",
	    gwsim_api_session_stop, HF_API },
	[R_SESS_RESTART] = { "POST", "/api/sessions/*/restart",
	    gwsim_api_session_restart, HF_API },
	[R_SESS_LOGOUT] = { "POST", "/api/sessions/*/logout",
	    gwsim_api_session_logout, HF_API },
	[R_SESS_ME] = { "GET", "/api/sessions/*/me", gwsim_api_session_me,
	    HF_API },
	[R_AUTH_QR] = { "GET", "/api/*/auth/qr", gwsim_api_auth_qr, HF_API },
	[R_AUTH_CODE] = { "POST", "/api/*/auth/request-code",
	    gwsim_api_auth_code, HF_API },
	[R_SEND_TEXT] = { "POST", "/api/sendText", gwsim_api_send_text,
	    HF_API | HF_NOLOCK },
	[R_GROUPS] = { "GET", "/api/*/groups", gwsim_api_groups, HF_API },
	[R_CHECK_EXISTS] = { "GET", "/api/contacts/check-exists",
	    gwsim_api_check_exists, HF_API },
	[R_MESSAGE_GET] = { "GET", "/api/*/chats/*/messages/*",
	    gwsim_api_message_get, HF_API },
	[R_CTL_SCAN] = { "POST", "/_sim/sessions/*/scan", gwsim_ctl_scan,
	    HF_CTL },
	[R_CTL_INBOUND] = { "POST", "/_sim/sessions/*/inbound",
	    gwsim_ctl_inbound, HF_CTL },
	[R_CTL_DISCONNECT] = { "POST", "/_sim/sessions/*/disconnect",
	    gwsim_ctl_disconnect, HF_CTL },
	[R_CTL_ROTATE] = { "POST", "/_sim/sessions/*/rotate-qr",
	    gwsim_ctl_rotate, HF_CTL },
	[R_CTL_FAULTS] = { "POST", "/_sim/faults", gwsim_ctl_faults, HF_CTL },
	[R_CTL_LOG] = { "GET", "/_sim/log", gwsim_ctl_log, HF_CTL },
	[R_CTL_RESET] = { "POST", "/_sim/reset", gwsim_ctl_reset, HF_CTL },
	[R_CTL_SINK_POST] = { "POST", "/_sim/webhook-sink",
	    gwsim_ctl_sink_post, HF_CTL | HF_RAW },
	[R_CTL_SINK_GET] = { "GET", "/_sim/webhook-sink", gwsim_ctl_sink_get,
	    HF_CTL },
	[R_CTL_SESSIONS] = { "POST", "/_sim/sessions", gwsim_ctl_sessions,
	    HF_CTL },
};

static struct MHD_Daemon	*http_daemon;

static void
http_ping(struct gwsim_req *r)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "message", json_object_new_string("pong"));
	gwsim_reply(r, 200, o);
}

#define HTTP_MAX_ARGS	3	/* "*" segments of one pattern */

static void
http_args_free(char *arg[HTTP_MAX_ARGS])
{
	int	 i;

	for (i = 0; i < HTTP_MAX_ARGS; i++) {
		free(arg[i]);
		arg[i] = NULL;
	}
}

/*
 * Match path against pattern segment by segment.  Returns 1 on a match
 * and stores the "*" segments (the session first) in arg (caller frees).
 */
static int
http_match(const char *pattern, const char *path, char *arg[HTTP_MAX_ARGS])
{
	const char	*p = pattern, *q = path;
	size_t		 pl, ql;
	int		 n = 0;

	memset(arg, 0, HTTP_MAX_ARGS * sizeof(*arg));
	while (*p == '/' && *q == '/') {
		p++, q++;
		pl = strcspn(p, "/");
		ql = strcspn(q, "/");
		if (pl == 1 && *p == '*' && ql > 0 && n < HTTP_MAX_ARGS)
			arg[n++] = xstrndup(q, ql);
		else if (pl != ql || strncmp(p, q, pl) != 0)
			break;
		p += pl, q += ql;
	}
	if (*p == '\0' && *q == '\0')
		return 1;
	http_args_free(arg);
	return 0;
}

/* The route for method and path; -1 when none, with *path_ok set if only the method differs. */
static int
http_route(struct gwsim_req *r, int *path_ok)
{
	char	*arg[HTTP_MAX_ARGS];
	int	 i;

	*path_ok = 0;
	for (i = 0; i < R__MAX; i++) {
		if (!http_match(http_routes[i].pattern, r->path, arg))
			continue;
		if (strcmp(http_routes[i].method, r->method) == 0) {
			r->arg = arg[0];
			r->arg2 = arg[1];
			r->arg3 = arg[2];
			return i;
		}
		*path_ok = 1;
		http_args_free(arg);
	}
	return -1;
}

/* Constant-time compare of the X-Api-Key against the key (plain or "sha512:<hex>"). */
static int
http_key_ok(struct gwsim_req *r)
{
	const char	*got = gwsim_header(r, "X-Api-Key"), *want;
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0, i;
	char		 hex[2 * EVP_MAX_MD_SIZE + 1];

	want = r->sim->api_key;
	if (got == NULL)
		return 0;
	if (strncasecmp(want, "sha512:", 7) == 0) {
		want += 7;
		EVP_Digest(got, strlen(got), md, &mdlen, EVP_sha512(), NULL);
		for (i = 0; i < mdlen; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		hex[2 * mdlen] = '\0';
		return strlen(want) == 2 * mdlen &&
		    strncasecmp(hex, want, 2 * mdlen) == 0;
	}
	return strlen(got) == strlen(want) &&
	    CRYPTO_memcmp(got, want, strlen(want)) == 0;
}

/*
 * The create_hang_ms fault: this session create hangs that long, then
 * the connection closes with no answer (a gateway timing out). Returns
 * 1 when it did.
 */
static int
http_create_hangs(struct gwsim_req *r)
{
	int	 ms;

	pthread_mutex_lock(&r->sim->lock);
	ms = r->sim->faults.create_hang_ms;
	r->sim->faults.create_hang_ms = 0;
	pthread_mutex_unlock(&r->sim->lock);
	if (ms == 0)
		return 0;
	gwsim_sleep_ms(r->sim, ms);
	r->drop = 1;
	return 1;
}

/* Run the handler of route i, checking auth, origin and the JSON body first. */
static void
http_run(struct gwsim_req *r, int i)
{
	const struct http_route_def	*d = &http_routes[i];

	if ((d->flags & HF_API) && !http_key_ok(r)) {
		gwsim_error(r, 401, "Unauthorized");
		return;
	}
	if ((d->flags & HF_CTL) && !gwsim_is_loopback(r)) {
		gwsim_error(r, 403, "control API is loopback only");
		return;
	}
	if (r->too_big) {
		gwsim_error(r, 413, "Payload Too Large");
		return;
	}
	if (!(d->flags & HF_RAW) && r->body.len > 0 &&
	    (r->json = json_tokener_parse(buf_str(&r->body))) == NULL) {
		gwsim_error(r, 400, "Unexpected token in JSON body");
		return;
	}
	if (d->flags & HF_NOLOCK) {
		d->fn(r);
		return;
	}
	if (i == R_SESS_CREATE && http_create_hangs(r))
		return;
	pthread_mutex_lock(&r->sim->lock);
	d->fn(r);
	pthread_mutex_unlock(&r->sim->lock);
}

static void
http_dispatch(struct gwsim_req *r)
{
	char	 msg[256];
	int	 i, path_ok;

	if ((i = http_route(r, &path_ok)) == -1) {
		snprintf(msg, sizeof(msg), "Cannot %s %.200s", r->method,
		    r->path);
		gwsim_error(r, 404, msg);
	} else
		http_run(r, i);
	if (strncmp(r->path, "/api/", 5) == 0) {
		pthread_mutex_lock(&r->sim->lock);
		gwsim_log_add(r);
		pthread_mutex_unlock(&r->sim->lock);
	}
	if (r->sim->verbose)
		log_info("%s %s -> %d", r->method, r->path,
		    r->drop ? 0 : r->status);
}

/* Queue the reply of r on its connection. */
static enum MHD_Result
http_send(struct gwsim_req *r)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 rc;
	char			*text, num[16];

	if (r->drop)
		return MHD_NO;
	if (r->raw != NULL)
		text = xstrdup(r->raw);
	else
		text = xstrdup(r->reply == NULL ? "{}" :
		    json_object_to_json_string_ext(r->reply,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	resp = MHD_create_response_from_buffer(strlen(text), text,
	    MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type",
	    "application/json; charset=utf-8");
	if (r->retry_after > 0) {
		snprintf(num, sizeof(num), "%d", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", num);
	}
	rc = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result
http_access(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *up, size_t *uplen,
    void **ctx)
{
	struct gwsim_req	*r = *ctx;

	if (r == NULL) {
		r = xcalloc(1, sizeof(*r));
		r->sim = cls;
		r->conn = c;
		r->method = method;
		r->path = url;
		r->status = 200;
		*ctx = r;
		return MHD_YES;
	}
	if (*uplen > 0) {
		if (r->body.len + *uplen > GWSIM_MAX_BODY)
			r->too_big = 1;
		else
			buf_append(&r->body, up, *uplen);
		*uplen = 0;
		return MHD_YES;
	}
	http_dispatch(r);
	return http_send(r);
}

static void
http_done(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_RequestTerminationCode toe)
{
	struct gwsim_req	*r = *ctx;

	if (r == NULL)
		return;
	buf_free(&r->body);
	json_object_put(r->json);
	json_object_put(r->reply);
	free(r->raw);
	free(r->arg);
	free(r->arg2);
	free(r->arg3);
	free(r);
	*ctx = NULL;
}

/*
 * Listen on addr:port (IPv4) with one thread per connection, so a slow
 * or hanging fault never holds up other clients.  Returns 0 or -1.
 */
int
gwsim_http_start(struct gwsim *sim, const char *addr, int port)
{
	struct sockaddr_in	 sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		log_warnx("bad listen address %s", addr);
		return -1;
	}
	http_daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
	    (unsigned short)port, NULL, NULL, http_access, sim,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_NOTIFY_COMPLETED, http_done, NULL,
	    MHD_OPTION_CONNECTION_LIMIT, 256u,
	    MHD_OPTION_CONNECTION_TIMEOUT, 120u,
	    MHD_OPTION_END);
	if (http_daemon == NULL) {
		log_warnx("cannot listen on %s:%d", addr, port);
		return -1;
	}
	return 0;
}

void
gwsim_http_stop(void)
{
	if (http_daemon != NULL)
		MHD_stop_daemon(http_daemon);
	http_daemon = NULL;
}

const char *
gwsim_query(struct gwsim_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

const char *
gwsim_header(struct gwsim_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

static enum MHD_Result
http_header_add(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	char	*k = xstrdup(key), *p;

	for (p = k; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	json_object_object_add(cls, k, json_object_new_string(value));
	free(k);
	return MHD_YES;
}

/* The request headers as an object with lower-case names; caller puts. */
json_object *
gwsim_headers_json(struct gwsim_req *r)
{
	json_object	*o = json_object_new_object();

	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, http_header_add, o);
	return o;
}

/* 1 when the client connected from 127.0.0.0/8 or ::1. */
int
gwsim_is_loopback(struct gwsim_req *r)
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr		*sa;

	ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return 0;
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr);
	return 0;
}

/* Set the reply; takes ownership of v (NULL: an empty object). */
void
gwsim_reply(struct gwsim_req *r, int status, json_object *v)
{
	json_object_put(r->reply);
	r->status = status;
	r->reply = v;
}

/* A NestJS-shaped error: {"message","statusCode"} (plus "error" for 4xx names). */
void
gwsim_error(struct gwsim_req *r, int status, const char *msg)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "message", json_object_new_string(msg));
	json_object_object_add(o, "statusCode", json_object_new_int(status));
	gwsim_reply(r, status, o);
}

/* The string member key of o, or NULL when absent or not a string. */
const char *
gwsim_jstr(json_object *o, const char *key)
{
	json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}
