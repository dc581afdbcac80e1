/* api.h: REST API v1: typed problems, rate-limit headers, key authentication, handlers. */
#ifndef WA_API_H
#define WA_API_H

#include <stddef.h>

#include <libpq-fe.h>

struct req;
struct stmt;
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
int	api_problem_id(struct req *, int status, const char *slug,
	    const char *detail, const char *name, long long id);
int	api_error(struct req *, int status);
int	api_invalid_inputs(struct req *);
int	api_json_text(struct req *, int, const char *);
int	api_json(struct req *, int, struct json_object *);
int	api_list_text(struct req *, PGresult *, int);
int	api_row_text(struct req *, int, PGresult *, int, int, const char *,
	    const char *);
int	api_deleted(struct req *, PGresult *, const char *);
int	api_invalid(struct req *, struct json_object **errors);
int	api_existing(struct req *, const struct stmt *, const char *key,
	    const char *slug, const char *detail);
int	api_count_reached(struct req *, const struct stmt *, long long max);
void	api_error_add(struct json_object *, const char *field,
	    const char *detail);
void	api_error_code_add(struct json_object *, const char *field,
	    const char *detail, const char *code);

/* api.c: the API's part of the central checks (serve.h) */
extern const struct serve_plug api_plug;

/*
 * api_auth.c. The key and rate figures of a wa_api_auth_result, in the
 * order API_AUTH_COLS selects them: the columns from a statement's own
 * first one (its enum's value for AA_KEY_ID) on.
 */
enum api_auth_col {
	AA_KEY_ID,
	AA_CUSTOMER_ID,
	AA_RL_LIMIT,
	AA_RL_REMAINING,
	AA_RL_RESET,
	AA_RL_NEXT,
	AA_RL_C_LIMIT,
	AA_RL_C_REMAINING,
	AA_RL_C_NEXT,
	AA_RL_K_REMAINING,
	AA_RL_K_NEXT,
	AA__MAX
};

/* The columns of a wa_api_auth_result a, named as API_AUTH_NAMES says. */
#define API_AUTH_COLS(a) \
	"coalesce(" a ".key_id, 0) AS key_id, " \
	"coalesce(" a ".customer_id, 0) AS customer_id, " \
	"coalesce(" a ".rl_limit, 0) AS rl_limit, " \
	"coalesce(" a ".rl_remaining, -1) AS rl_remaining, " \
	"coalesce(" a ".rl_reset, 0) AS rl_reset, " \
	"coalesce(" a ".rl_next, 0) AS rl_next, " \
	"coalesce(" a ".rl_c_limit, 0) AS rl_c_limit, " \
	"coalesce(" a ".rl_c_remaining, -1) AS rl_c_remaining, " \
	"coalesce(" a ".rl_c_next, 0) AS rl_c_next, " \
	"coalesce(" a ".rl_k_remaining, -1) AS rl_k_remaining, " \
	"coalesce(" a ".rl_k_next, 0) AS rl_k_next"

/* DB_COLS entries of API_AUTH_COLS when its first column is c. */
#define API_AUTH_NAMES(c) \
	[(c) + AA_KEY_ID] = "key_id", \
	[(c) + AA_CUSTOMER_ID] = "customer_id", \
	[(c) + AA_RL_LIMIT] = "rl_limit", \
	[(c) + AA_RL_REMAINING] = "rl_remaining", \
	[(c) + AA_RL_RESET] = "rl_reset", \
	[(c) + AA_RL_NEXT] = "rl_next", \
	[(c) + AA_RL_C_LIMIT] = "rl_c_limit", \
	[(c) + AA_RL_C_REMAINING] = "rl_c_remaining", \
	[(c) + AA_RL_C_NEXT] = "rl_c_next", \
	[(c) + AA_RL_K_REMAINING] = "rl_k_remaining", \
	[(c) + AA_RL_K_NEXT] = "rl_k_next"

int	api_auth(struct req *);
int	api_key_header(struct req *);
void	api_finish(struct req *);
void	api_auth_figures(struct req *, const PGresult *, int);
const char *api_addr(const struct req *);

/* api_messages.c */
int	api_rfc3339(const char *);

#endif
