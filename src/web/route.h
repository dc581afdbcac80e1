/* route.h: the route table's types, declared inputs and the central matcher. */
#ifndef WA_ROUTE_H
#define WA_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#define ROUTE_MAXARGS	4

enum http_method {
	METHOD_GET,
	METHOD_HEAD,
	METHOD_POST,
	METHOD_PUT,
	METHOD_PATCH,
	METHOD_DELETE,
	METHOD_OPTIONS,
	METHOD__MAX
};

/* How errors are answered: an HTML page or RFC 9457 problem+json. */
enum route_kind {
	KIND_HTML,
	KIND_API
};

enum route_auth {
	AUTH_NONE,		/* public */
	AUTH_SESSION,		/* signed-in customer (cookie session) */
	AUTH_APIKEY		/* Authorization header key with scope */
};

enum route_body {
	BODY_NONE,		/* a body is refused with 413 */
	BODY_FORM,		/* application/x-www-form-urlencoded */
	BODY_MULTIPART,		/* multipart/form-data */
	BODY_JSON,		/* application/json and friends */
	BODY_RAW_JSON		/* JSON read but not parsed: the handler
				 * checks a signature over the raw bytes first */
};

/* Every named input any route declares; values land in req->fields. */
enum key {
	KEY_LANG_SET,
	KEY_NEXT,
	KEY_EMAIL,
	KEY_PASSWORD,
	KEY_NAME,
	KEY_PROFILE_EMAIL,
	KEY_MOBILE,
	KEY_PHONE,
	KEY_LANGUAGE,
	KEY_ADDRESS,
	KEY_NOTES,
	KEY_CURRENT_PASSWORD,
	KEY_NEW_PASSWORD,
	KEY_CONFIRM_PASSWORD,
	KEY_HOST,
	/* --- block: api keys --- */
	KEY_AK_NAME,		/* the create form: checked in page_apikeys.c */
	KEY_AK_SEND,
	KEY_AK_READ,
	KEY_AK_INST,
	KEY_AK_EXPIRES,
	KEY_AK_ALLOW,
	KEY_AK_RPM,
	KEY_AK_WHEN,		/* rotate: when the old key stops */
	/* --- end block: api keys --- */
	/* --- block: api v1 --- */
	KEY_API_STATUS,		/* GET /api/v1/messages filters, cursor */
	KEY_API_INSTANCE,
	KEY_API_DIRECTION,
	KEY_API_SINCE,
	KEY_API_CURSOR,
	KEY_API_LIMIT,
	/* --- end block: api v1 --- */
	/* --- block: message pages --- */
	KEY_MSG_INSTANCE,	/* the add form: checked in page_msg_add.c */
	KEY_MSG_RECIPIENT,
	KEY_MSG_TEXT,
	KEY_MSG_SEND_AT,
	KEY_MSG_F_INSTANCE,	/* the lists' filters and cursor */
	KEY_MSG_F_STATUS,
	KEY_MSG_F_FROM,
	KEY_MSG_F_TO,
	KEY_MSG_BEFORE,
	KEY_MSG_AFTER,
	KEY_MSG_DONE,
	KEY_TIME_ZONE,
	/* --- end block: message pages --- */
	KEY__MAX
};

enum key_type {
	KEY_TYPE_TEXT,
	KEY_TYPE_INT
};

/* Legacy: the central key table, until every module declares its own. */
struct key_def {
	const char	*name;
	enum key_type	 type;
	int		(*valid)(const char *, size_t);
};

struct route_input {
	enum key	 key;
	int		 required;
};

/* A typed path part, pointing into the path being matched. */
struct route_arg {
	const char	*p;
	size_t		 n;
};

struct req;

struct input;

/*
 * One route, defined by the module that handles it with designated
 * initializers (a zero field is the common case: KIND_HTML, AUTH_NONE,
 * no CSRF check, BODY_NONE, the global body limit). Checks run
 * centrally in serve.c before the handler.
 */
struct route {
	enum http_method	 method;
	const char		*pattern;	/* "/instances/{int}" */
	/* Returns 0 once it answered, or an HTTP error status (>= 400) for
	 * the central error writer to answer. */
	int			(*handler)(struct req *);
	const char		*name;		/* for the log and API usage */
	enum route_kind		 kind;
	enum route_auth		 auth;
	const char		*scope;		/* AUTH_APIKEY only */
	int			 csrf;		/* unsafe method with CSRF check */
	enum route_body		 body;
	size_t			 max_body;	/* 0: the global limit */
	int			 pass_invalid;	/* handler re-renders bad input */
	const struct input	*inputs;	/* declared inputs (input.h) */
	size_t			 ninputs;	/* at most ROUTE_MAXINPUTS */
	const struct route_input *keys;		/* legacy: ends with KEY__MAX */
};

#define ROUTE_MAXINPUTS	16
#define ROUTE_INPUTS(a)	.inputs = (a), .ninputs = sizeof(a) / sizeof((a)[0])

extern const struct key_def key_defs[KEY__MAX];
extern const char *const method_names[METHOD__MAX];

struct module;

int	route_table_build(const struct module *const *, struct route **,
	    size_t *, char *, size_t);

enum http_method route_method(const char *);
int	route_match(const char *pattern, const char *path,
	    struct route_arg args[ROUTE_MAXARGS], size_t *nargs);
const struct route *route_find(const struct route *, size_t, enum http_method,
	    const char *path, struct route_arg args[ROUTE_MAXARGS],
	    size_t *nargs, unsigned *allowed, const struct route **near);
void	route_allow_header(unsigned allowed, char *out, size_t outsz);

#endif
