/* api.h: REST API v1: typed problems, rate-limit headers, key authentication, handlers. */
#ifndef WA_API_H
#define WA_API_H

#include <stddef.h>

#include <libpq-fe.h>

struct req;
struct json_object;

/* Problem type URIs are relative references to the docs page. */
#define API_PROBLEM_BASE	"/docs/api#problem-"

/* api.c */
int	api_route(const struct req *);
const char *api_slug(const char *);
const char *api_type_at(size_t, int *, const char **);
int	api_fail(struct req *, int status, const char *slug, const char *);
void	api_rate_headers(struct req *);
int	api_problem(struct req *, int status, const char *slug,
	    const char *detail, struct json_object *errors);
int	api_error(struct req *, int status);
int	api_invalid_inputs(struct req *);
int	api_json_text(struct req *, int, const char *);
void	api_error_add(struct json_object *, const char *field,
	    const char *detail);

/* api.c: the API's part of the central checks (serve.h) */
extern const struct serve_plug api_plug;

/* api_auth.c */
int	api_auth(struct req *);
int	api_key_header(struct req *);
void	api_finish(struct req *);
void	api_auth_figures(struct req *, PGresult *, int);
const char *api_addr(const struct req *);

/* api_messages.c */
int	api_rfc3339(const char *);

#endif
