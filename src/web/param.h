/* param.h: request parameter lists, input limits, form/cookie/multipart. */
#ifndef WA_PARAM_H
#define WA_PARAM_H

#include <stddef.h>

/*
 * One parsed name/value pair.  Every string is owned by the list and
 * freed by params_free().  name is valid UTF-8 without NUL.  value is
 * always NUL-terminated; text values are valid UTF-8 without NUL, but a
 * multipart file part may hold any bytes (NUL included), so use valsz.
 */
struct param {
	char	*name;		/* NUL-terminated, valid UTF-8 */
	char	*value;		/* NUL-terminated copy; raw bytes for files */
	size_t	 valsz;		/* length of value in bytes */
	char	*filename;	/* multipart file parts only, else NULL */
	char	*ctype;		/* multipart part Content-Type, else NULL */
	int	 borrowed;	/* value points into the body (file_ref):
				 * not owned, not NUL-terminated */
};

/*
 * A parameter list.  Start from PARAMS_INIT (or all zero bytes); each
 * parser frees what the list held before.  After a failed parse the
 * list is empty and status/errmsg say why; errmsg never holds input.
 */
struct params {
	struct param	*v;
	size_t		 n;
	int		 status;	/* after a failed parse: 400 or 413 */
	char		 errmsg[128];	/* after a failed parse: the reason */
};

#define PARAMS_INIT { NULL, 0, 0, "" }

/* Hard limits on untrusted input; docs/limits.md explains each default. */
struct parse_limits {
	size_t	max_params;	/* number of pairs/parts */
	size_t	max_name;	/* bytes per name */
	size_t	max_value;	/* bytes per text value (decoded) */
	size_t	max_file;	/* bytes per multipart file part */
	size_t	max_total;	/* bytes of the whole input */
	int	max_depth;	/* JSON nesting depth */
	int	file_ref;	/* multipart file parts point into the
				 * body instead of being copied */
};

/* The documented defaults; a NULL limits pointer means these. */
extern const struct parse_limits parse_limits_default;

/* param.c: the list itself. */
void		 params_free(struct params *);
const struct param *params_get(const struct params *, const char *);

/* form.c: application/x-www-form-urlencoded bodies and query strings. */
int	form_parse(struct params *, const char *, size_t,
	    const struct parse_limits *);
char	*form_unescape(const char *, size_t, size_t *);

/* cookie.c: the Cookie request header (RFC 6265 section 5.4). */
int	cookie_parse(struct params *, const char *,
	    const struct parse_limits *);

/* multipart.c: multipart/form-data bodies (RFC 7578). */
int	multipart_parse(struct params *, const char *, const char *, size_t,
	    const struct parse_limits *);

/*
 * param.c: helpers shared by the parsers above; not for handlers.
 */
const struct parse_limits *params_limits(const struct parse_limits *);
void	params_reset(struct params *);
void	params_push(struct params *, char *, char *, size_t, char *, char *);
int	params_fail(struct params *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
