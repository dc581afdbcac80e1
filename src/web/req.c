/* req.c: create and free the per-request owner struct; read its path, headers and body. */
#include <sys/mman.h>
#include <sys/random.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/log.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "req.h"
#include "session.h"

/*
 * The request id: nginx's $request_id (32 hex digits, passed as the
 * REQUEST_ID parameter) so worker and nginx logs line up, else 16 hex
 * digits from the kernel's random source.
 */
static void
req_make_id(struct req *r)
{
	const char	*nid = req_env(r, "REQUEST_ID");
	unsigned char	 raw[8];
	size_t		 i;

	if (nid != NULL && strlen(nid) == 32 &&
	    strspn(nid, "0123456789abcdef") == 32) {
		memcpy(r->id, nid, 33);
		return;
	}
	if (getrandom(raw, sizeof(raw), 0) != sizeof(raw))
		memset(raw, 0, sizeof(raw));
	for (i = 0; i < sizeof(raw); i++)
		snprintf(r->id + 2 * i, 3, "%02x", raw[i]);
}

/* Allocate the owner of one request; free it with req_free(). */
struct req *
req_new(struct app *app, FCGX_Request *fcgi)
{
	struct req	*r;
	const char	*m;

	r = xcalloc(1, sizeof(*r));
	r->app = app;
	r->fcgi = fcgi;
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	req_make_id(r);
	m = req_env(r, "REQUEST_METHOD");
	r->method = route_method(m != NULL ? m : "");
	return r;
}

/* Free everything the request owns; accepts NULL. */
void
req_free(struct req *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	free(r->path);
	for (i = 0; i < r->nargs; i++)
		free(r->args[i]);
	params_free(&r->query);
	params_free(&r->form);
	params_free(&r->cookies);
	for (i = 0; i < r->nkeep; i++)
		free(r->keep[i]);
	free(r->keep);
	user_free(r->user);
	if (r->json != NULL)
		json_object_put(r->json);
	if (r->body_mapped != 0)
		munmap(r->body, r->body_mapped);
	else
		free(r->body);
	buf_free(&r->resp.headers);
	free(r);
}

/*
 * The customer the request acts for (0: none), also as the text every
 * statement takes as its parameter (r->cid).
 */
void
req_set_customer(struct req *r, int64_t id)
{
	r->customer_id = id;
	snprintf(r->cid, sizeof(r->cid), "%lld", (long long)id);
}

/* Give p (allocated) to the request, which frees it; returns p. */
char *
req_keep(struct req *r, char *p)
{
	r->keep = xreallocarray(r->keep, r->nkeep + 1, sizeof(*r->keep));
	r->keep[r->nkeep++] = p;
	return p;
}

/* A NUL-terminated copy of n bytes at s that the request owns. */
char *
req_strndup(struct req *r, const char *s, size_t n)
{
	return req_keep(r, xstrndup(s, n));
}

/* An English sentence in the request's language (xgettext: -kreq_tr:2). */
const char *
req_tr(const struct req *r, const char *msgid)
{
	return i18n_tr(req_lang(r), msgid);
}

/* A module's template string in the request's language. */
const char *
req_t(const struct req *r, const struct i18n_key *k)
{
	return i18n_key_tr(req_lang(r), k->key, k->en);
}

/* A FastCGI parameter, or NULL. */
const char *
req_env(const struct req *r, const char *name)
{
	return FCGX_GetParam(name, r->fcgi->envp);
}

/*
 * The portal's own address for links that leave the page (webhook URLs,
 * API examples): WAPORTAL_PUBLIC_URL, else nginx's scheme, server name
 * (its address when the name is "_") and port — never the client's Host
 * header, which the client chooses. No trailing slash; the caller frees.
 */
char *
req_base_url(const struct req *r)
{
	const char	*https = req_env(r, "HTTPS");
	const char	*name = req_env(r, "SERVER_NAME");
	const char	*port = req_env(r, "SERVER_PORT");

	if (*r->app->conf.str[CONF_PUBLIC_URL] != '\0')
		return xstrdup(r->app->conf.str[CONF_PUBLIC_URL]);
	if (name == NULL || *name == '\0' || strcmp(name, "_") == 0)
		name = req_env(r, "SERVER_ADDR");
	return xasprintf("%s://%s:%s", https != NULL &&
	    strcmp(https, "on") == 0 ? "https" : "http",
	    name != NULL ? name : "127.0.0.1", port != NULL ? port : "80");
}

/*
 * A request header by its HTTP name ("Idempotency-Key"), read from the
 * HTTP_* parameter, as the client sent it: any bytes but NUL, maybe not
 * UTF-8; NULL only when absent. For a header whose bad value must be
 * refused, not taken for an absent one.
 */
const char *
req_header_raw(const struct req *r, const char *name)
{
	char		 key[96];
	size_t		 i;

	if (strlen(name) + 6 > sizeof(key))
		return NULL;
	memcpy(key, "HTTP_", 5);
	for (i = 0; name[i] != '\0'; i++)
		key[5 + i] = name[i] == '-' ? '_' :
		    (char)toupper((unsigned char)name[i]);
	key[5 + i] = '\0';
	return req_env(r, key);
}

/* A request header as req_header_raw, but NULL too when not valid UTF-8. */
const char *
req_header(const struct req *r, const char *name)
{
	const char	*v;

	if ((v = req_header_raw(r, name)) == NULL || !utf8_valid(v, strlen(v)))
		return NULL;
	return v;
}

/*
 * Take the path from REQUEST_URI (up to '?') and percent-decode it.
 * Returns 0, or 400 for a bad escape, invalid UTF-8, NUL or another
 * control byte, and 414 for a path over 2 KiB.
 */
int
req_parse_path(struct req *r)
{
	const char	*uri = req_env(r, "REQUEST_URI");
	size_t		 n, i, o;

	if (uri == NULL || *uri != '/')
		return 400;
	n = strcspn(uri, "?");
	if (n > 2048)
		return 414;
	if ((r->path = form_unescape(uri, n, &o)) == NULL)
		return 400;
	for (i = 0; i < o; i++)
		if ((unsigned char)r->path[i] < 0x20 || r->path[i] == 0x7f)
			return 400;
	return utf8_valid(r->path, o) ? 0 : 400;
}

/*
 * The length CONTENT_LENGTH announces into *len (0 without one):
 * 0, 413 when it is larger than max, or 400 for a bad length.
 */
static int
req_body_len(const struct req *r, size_t max, unsigned long long *len)
{
	const char	*cl = req_env(r, "CONTENT_LENGTH");
	char		*end;

	*len = 0;
	if (cl == NULL || *cl == '\0')
		return 0;
	errno = 0;
	*len = strtoull(cl, &end, 10);
	if (*end != '\0' || errno != 0 || !isdigit((unsigned char)*cl))
		return 400;
	return *len > max ? 413 : 0;
}

/*
 * Read the body announced by CONTENT_LENGTH, at most max bytes.
 * Returns 0, 413 when it is larger than max (nothing is read), or 400
 * for a bad length or a body shorter than announced.
 */
int
req_read_body(struct req *r, size_t max)
{
	unsigned long long	 len;
	int			 got, rc;

	if ((rc = req_body_len(r, max, &len)) != 0 || len == 0)
		return rc;
	r->body = xmalloc(len + 1);
	got = FCGX_GetStr(r->body, (int)len, r->fcgi->in);
	if (got < 0 || (unsigned long long)got != len)
		return 400;
	r->body[len] = '\0';
	r->bodysz = len;
	return 0;
}

/*
 * Copy len bytes of the request's body into the file fd, a block at a
 * time: 0, or -1 when the body ends early or the file cannot take it.
 */
static int
req_spool_copy(struct req *r, int fd, unsigned long long len)
{
	char		 block[65536];
	int		 got;
	size_t		 want, off;
	ssize_t		 w;

	while (len > 0) {
		want = len < sizeof(block) ? (size_t)len : sizeof(block);
		got = FCGX_GetStr(block, (int)want, r->fcgi->in);
		if (got <= 0)
			return -1;
		for (off = 0; off < (size_t)got; off += (size_t)w)
			if ((w = write(fd, block + off, (size_t)got - off)) < 0) {
				log_warn("request %s: upload spool", r->id);
				return -1;
			}
		len -= (unsigned long long)got;
	}
	return 0;
}

/*
 * Read a large body (an upload) into an unlinked temporary file under
 * $TMPDIR (default /tmp) and map it, so the worker's memory stays flat
 * whatever its size: r->body points into the map, NUL-terminated, until
 * req_free. Returns 0, 413 past max, 400 for a short body, or 503 when
 * the file cannot be written.
 */
int
req_spool_body(struct req *r, size_t max)
{
	unsigned long long	 len;
	const char		*dir = getenv("TMPDIR");
	char			 path[4096];
	void			*map;
	int			 fd, rc;

	if ((rc = req_body_len(r, max, &len)) != 0 || len == 0)
		return rc;
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/waportal-upload.XXXXXX",
	    dir) >= sizeof(path) || (fd = mkstemp(path)) == -1) {
		log_warn("request %s: upload spool in %s", r->id, dir);
		return 503;
	}
	unlink(path);
	rc = req_spool_copy(r, fd, len) == -1 ? 400 : 0;
	/* One byte more, zero: the body is NUL-terminated like the others. */
	if (rc == 0 && ftruncate(fd, (off_t)len + 1) == -1)
		rc = 503;
	if (rc == 0 && (map = mmap(NULL, (size_t)len + 1, PROT_READ |
	    PROT_WRITE, MAP_PRIVATE, fd, 0)) == MAP_FAILED)
		rc = 503;
	close(fd);
	if (rc != 0)
		return rc;
	r->body = map;
	r->body_mapped = (size_t)len + 1;
	r->bodysz = (size_t)len;
	return 0;
}

/*
 * The signed-in user's language, else the "lang" cookie's, else
 * English.
 */
enum lang
req_lang(const struct req *r)
{
	const struct param	*p = params_get(&r->cookies, "lang");
	enum lang		 l;

	if (r->user != NULL && (l = i18n_lang_find(r->user->language,
	    strlen(r->user->language))) != LANG__MAX)
		return l;
	if (p == NULL || (l = i18n_lang_find(p->value, p->valsz)) == LANG__MAX)
		return LANG_EN;
	return l;
}

/*
 * Whether the request's path starts with prefix: the decoded path, or,
 * when it could not be decoded (too long, a bad escape), REQUEST_URI as
 * sent, so that even those refusals are answered in the path's kind.
 */
int
req_path_under(const struct req *r, const char *prefix)
{
	const char	*p = r->path != NULL ? r->path :
			    req_env(r, "REQUEST_URI");

	return p != NULL && strncmp(p, prefix, strlen(prefix)) == 0;
}

/*
 * Errors as problem+json: API routes (also for a 405 on their path),
 * and any path under /api/ or /hooks/ (as nginx's own errors there).
 */
int
req_wants_problem(const struct req *r)
{
	if (r->route != NULL)
		return r->route->kind == KIND_API;
	if (r->near != NULL)
		return r->near->kind == KIND_API;
	return req_path_under(r, "/api/") || req_path_under(r, "/hooks/");
}

/*
 * The one row statement s finds for the path's id ($1) and the signed-in
 * customer ($2): every customer-owned page loads its row this way. The
 * caller PQclear()s it. NULL with *status 404 (none: not theirs, or no
 * such id) or 503 (the database failed).
 */
PGresult *
req_owned(struct req *r, const struct stmt *s, int *status)
{
	char		 cid[24];
	const char	*params[2] = { r->args[0], cid };
	PGresult	*res;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, s, params)) == NULL) {
		*status = 503;
		return NULL;
	}
	if (PQntuples(res) == 1)
		return res;
	PQclear(res);
	*status = 404;
	return NULL;
}
