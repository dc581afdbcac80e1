/* resp.h: the response writer: status, safe headers, cookies, redirects, bodies. */
#ifndef WA_RESP_H
#define WA_RESP_H

#include <stddef.h>

struct req;
struct json_object;

const char *resp_reason(int status);
int	resp_known(int status);
void	resp_status(struct req *, int);
int	resp_header(struct req *, const char *name, const char *value);
int	resp_header_replace(struct req *, const char *, const char *);
int	resp_cookie(struct req *, const char *name, const char *value,
	    long max_age);
int	resp_redirect(struct req *, int status, const char *location);
int	resp_html(struct req *, int status, const char *tmpl,
	    struct json_object *view);
int	resp_json(struct req *, int status, struct json_object *);
int	resp_body(struct req *, int status, const char *ctype, const char *,
	    size_t);
int	resp_problem(struct req *, int status);
int	resp_error(struct req *, int status);
void	resp_write(struct req *, const void *, size_t);
void	resp_finish(struct req *);

#endif
