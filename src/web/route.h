/* route.h: the route table's types and the central matcher. */
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
	BODY_UPLOAD,		/* multipart/form-data up to WAPORTAL_MAX_UPLOAD,
				 * spooled to a file: file parts point into
				 * it (param.borrowed), never copied */
	BODY_CSV,		/* text/csv up to WAPORTAL_MAX_UPLOAD, spooled
				 * like BODY_UPLOAD, not parsed */
	BODY_JSON,		/* application/json and friends */
	BODY_RAW_JSON		/* JSON read but not parsed: the handler
				 * checks a signature over the raw bytes first */
};

/* A typed path part, pointing into the path being matched. */
struct route_arg {
	const char	*p;
	size_t		 n;
};

struct input;
struct req;

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
	int			 self_auth;	/* AUTH_APIKEY: the handler's
						 * one statement checks the key */
	int			 csrf;		/* unsafe method with CSRF check */
	enum route_body		 body;
	size_t			 max_body;	/* 0: the global limit */
	int			 pass_invalid;	/* handler re-renders bad input */
	const struct input	*inputs;	/* declared inputs (input.h) */
	size_t			 ninputs;	/* at most ROUTE_MAXINPUTS */
};

#define ROUTE_MAXINPUTS	16
#define ROUTE_INPUTS(a)	.inputs = (a), .ninputs = sizeof(a) / sizeof((a)[0])

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
