/* req.h: the one owner of everything a request allocates, and the worker context it reads. */
#ifndef WA_REQ_H
#define WA_REQ_H

#include <stdint.h>
#include <time.h>

#include <fcgiapp.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "input.h"
#include "param.h"
#include "route.h"

struct json_object;
struct module;
struct tmpl_set;

/* Per worker, immutable across requests but for the db connection. */
struct app {
	struct conf		 conf;
	struct tmpl_set		*tmpl;
	struct db		 db;
	const char		*asset_version;
	char			 dummy_hash[192];	/* see fcgi_main.c */
	const struct serve_plug	*api;		/* the API's part of the checks */
	const struct module *const *modules;	/* what it serves */
	struct route		*routes;	/* built from the modules */
	size_t			 nroutes;
};

struct req {
	FCGX_Request		*fcgi;
	struct app		*app;
	char			 id[33];	/* request id: 32 or 16 hex chars */
	struct timespec		 start;
	enum http_method	 method;
	char			*path;		/* decoded path, without query */
	const char		*raw_path;	/* REQUEST_URI up to '?' */
	const struct route	*route;
	const struct route	*near;		/* a 405's route of another method */
	char			*args[ROUTE_MAXARGS];	/* typed path parts */
	int64_t			 argi[ROUTE_MAXARGS];
	size_t			 nargs;
	struct params		 query;
	struct params		 form;
	struct params		 cookies;
	struct json_object	*json;		/* JSON body, if the route takes one */
	char			*body;
	size_t			 bodysz;
	size_t			 body_mapped;	/* bytes mmap()ed: a spool */
	struct field		 in[ROUTE_MAXINPUTS];	/* the route's inputs */
	struct user		*user;		/* signed-in user, or NULL */
	int64_t			 customer_id;	/* 0 until signed in */
	char			 cid[24];	/* customer_id as a parameter */
	char			 allow[64];	/* Allow header of a 405 */
	char			**keep;		/* req_keep: freed with the request */
	size_t			 nkeep;
	/* API v1 (src/api_auth.c): the key, its rate figures, a problem */
	struct api_state {
		int64_t	 key_id;		/* 0: no key known */
		int	 rl_limit;	/* the key's limit; 0: no figures */
		int	 rl_remaining;	/* calls admitted at once */
		int	 rl_reset;	/* seconds until all buckets are full */
		int	 rl_next;	/* seconds until one more is admitted */
		int	 rl_c_limit;	/* the customer's bucket (package) */
		int	 rl_c_remaining;
		int	 rl_c_next;
		int	 rl_k_remaining;	/* the key's own; -1: none */
		int	 rl_k_next;
		int	 count;		/* wa_api_count once answered */
		char	 hash[65];	/* SHA-256 of the key, hex */
		const char *problem;	/* problem type slug */
		char	 detail[160];
	}			 api;
	struct resp_state {
		int		 status;
		struct buf	 headers;
		int		 head_sent;
		size_t		 body_bytes;
	}			 resp;
};

#include "i18n.h"

struct req	*req_new(struct app *, FCGX_Request *);
void		 req_free(struct req *);
const char	*req_env(const struct req *, const char *);
char		*req_keep(struct req *, char *);
char		*req_strndup(struct req *, const char *, size_t);
void		 req_set_customer(struct req *, int64_t);
const char	*req_tr(const struct req *, const char *);
const char	*req_t(const struct req *, const struct i18n_key *);
char		*req_base_url(const struct req *);
const char	*req_header(const struct req *, const char *);
const char	*req_header_raw(const struct req *, const char *);
int		 req_parse_path(struct req *);
int		 req_path_under(const struct req *, const char *);
int		 req_read_body(struct req *, size_t max);
int		 req_spool_body(struct req *, size_t max);
enum lang	 req_lang(const struct req *);
int		 req_wants_problem(const struct req *);
PGresult	*req_owned(struct req *, const struct stmt *, int *status);

#endif
