/* resp.c: write FastCGI responses; no byte of data can break out of a header. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/nls.h"
#include "core/xmalloc.h"
#include "flash.h"
#include "i18n.h"
#include "req.h"
#include "resp.h"
#include "session.h"
#include "tmpl.h"

/*
 * Fixed words for each status: the reason phrase of RFC 9110 section
 * 15 (429: RFC 6585) and the sentence an error page shows. Error
 * output never echoes the request. The status line and problem+json
 * keep the English; an error page shows both in the reader's language.
 */
static const struct resp_text {
	int		 status;
	const char	*reason;
	const char	*message;
} resp_texts[] = {
	{ 200, "OK", "" },
	{ 201, "Created", "" },
	{ 202, "Accepted", "" },
	{ 204, "No Content", "" },
	{ 301, "Moved Permanently", "" },
	{ 302, "Found", "" },
	{ 303, "See Other", "" },
	{ 304, "Not Modified", "" },
	{ 307, "Temporary Redirect", "" },
	{ 308, "Permanent Redirect", "" },
	{ 400, N_("Bad Request"), N_("The request could not be understood.") },
	{ 401, N_("Unauthorized"), N_("Please sign in to continue.") },
	{ 403, N_("Forbidden"), N_("You are not allowed to do this.") },
	{ 404, N_("Not Found"), N_("There is nothing at this address.") },
	{ 405, N_("Method Not Allowed"),
	    N_("This address does not accept that kind of request.") },
	{ 406, N_("Not Acceptable"),
	    N_("This address cannot answer in a form the request accepts.") },
	{ 408, N_("Request Timeout"),
	    N_("The request took too long to arrive.") },
	{ 409, N_("Conflict"),
	    N_("The request conflicts with the current state.") },
	{ 410, N_("Gone"), N_("What was at this address is gone.") },
	{ 411, N_("Length Required"),
	    N_("The request needs a Content-Length.") },
	{ 412, N_("Precondition Failed"),
	    N_("A precondition of the request failed.") },
	{ 413, N_("Content Too Large"),
	    N_("The request was larger than allowed.") },
	{ 414, N_("URI Too Long"), N_("The address is longer than allowed.") },
	{ 415, N_("Unsupported Media Type"),
	    N_("The request body is not of a type this address accepts.") },
	{ 422, N_("Unprocessable Content"),
	    N_("The request is well formed but a value in it is not right.") },
	{ 428, N_("Precondition Required"),
	    N_("The request needs a precondition.") },
	{ 429, N_("Too Many Requests"),
	    N_("Too many requests: please slow down.") },
	{ 431, N_("Request Header Fields Too Large"),
	    N_("The request's headers are larger than allowed.") },
	{ 500, N_("Internal Server Error"),
	    N_("Something went wrong on our side. It has been logged.") },
	{ 501, N_("Not Implemented"),
	    N_("This is not something the server does.") },
	{ 502, N_("Bad Gateway"),
	    N_("A server behind this one gave no usable answer. Please try "
	    "again in a minute.") },
	{ 503, N_("Service Unavailable"),
	    N_("The service is temporarily unavailable. Please try again in a "
	    "minute.") },
	{ 504, N_("Gateway Timeout"),
	    N_("A server behind this one did not answer in time. Please try "
	    "again in a minute.") },
};

/* The words of status; an unknown one gets those of its class's x00. */
static const struct resp_text *
resp_text(int status)
{
	size_t	 i;

	for (i = 0; i < sizeof(resp_texts) / sizeof(resp_texts[0]); i++)
		if (resp_texts[i].status == status)
			return &resp_texts[i];
	if (status >= 500 && status != 500)
		return resp_text(500);
	if (status >= 400 && status != 400)
		return resp_text(400);
	return resp_text(200);
}

/* RFC 9110's reason phrase of status ("Unprocessable Content"). */
const char *
resp_reason(int status)
{
	return resp_text(status)->reason;
}

/* Whether status is one of the table's own (not a class's fallback). */
int
resp_known(int status)
{
	return resp_text(status)->status == status;
}

void
resp_status(struct req *r, int status)
{
	r->resp.status = status;
}

/* A header value may hold visible ASCII, space and tab, nothing else. */
static int
resp_header_safe(const char *s)
{
	for (; *s != '\0'; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') ||
		    (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/*
 * Add a header. A name or value holding CR, LF or any other control
 * byte is refused (-1, logged) so data can never split the response.
 */
int
resp_header(struct req *r, const char *name, const char *value)
{
	if (r->resp.head_sent || !resp_header_safe(name) ||
	    !resp_header_safe(value) || strchr(name, ':') != NULL) {
		log_warnx("request %s: refused unsafe or late header", r->id);
		return -1;
	}
	buf_printf(&r->resp.headers, "%s: %s\r\n", name, value);
	return 0;
}

/* Drop every header called name, then add it once with value. */
int
resp_header_replace(struct req *r, const char *name, const char *value)
{
	struct buf	 kept = BUF_INIT;
	const char	*line, *end;
	size_t		 n = strlen(name);

	for (line = buf_str(&r->resp.headers); *line != '\0'; line = end + 2) {
		end = strstr(line, "\r\n");
		if (!(strncasecmp(line, name, n) == 0 && line[n] == ':'))
			buf_append(&kept, line, (size_t)(end - line) + 2);
	}
	buf_reset(&r->resp.headers);
	buf_append(&r->resp.headers, buf_str(&kept), kept.len);
	buf_free(&kept);
	return resp_header(r, name, value);
}

/*
 * Set a cookie (Path=/, HttpOnly, SameSite=Lax, and Secure unless
 * WAPORTAL_SECURE_COOKIES=0); max_age < 0 makes a session cookie, 0
 * deletes it. Name and value must be cookie-octets.
 */
int
resp_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	const char	*sec;
	char		*h;
	int		 rc;

	if (strpbrk(value, " \",;\\") != NULL || strpbrk(name, " =,;") != NULL)
		return -1;
	sec = r->app->conf.num[CONF_SECURE_COOKIES] ? "; Secure" : "";
	if (max_age >= 0)
		h = xasprintf("%s=%s; Path=/; Max-Age=%ld; HttpOnly; "
		    "SameSite=Lax%s", name, value, max_age, sec);
	else
		h = xasprintf("%s=%s; Path=/; HttpOnly; SameSite=Lax%s",
		    name, value, sec);
	rc = resp_header(r, "Set-Cookie", h);
	free(h);
	return rc;
}

/* Send the status line and headers once, before the first body byte. */
static void
resp_head(struct req *r)
{
	if (r->resp.head_sent)
		return;
	if (r->resp.status == 0)
		r->resp.status = 200;
	FCGX_FPrintF(r->fcgi->out, "Status: %d %s\r\n", r->resp.status,
	    resp_reason(r->resp.status));
	FCGX_PutStr(buf_str(&r->resp.headers), (int)r->resp.headers.len,
	    r->fcgi->out);
	FCGX_PutStr("\r\n", 2, r->fcgi->out);
	r->resp.head_sent = 1;
}

/* Stream body bytes (downloads call this repeatedly); HEAD sends none. */
void
resp_write(struct req *r, const void *p, size_t n)
{
	resp_head(r);
	if (r->method == METHOD_HEAD || n == 0)
		return;
	FCGX_PutStr(p, (int)n, r->fcgi->out);
	r->resp.body_bytes += n;
}

/* Make sure a response went out even when the body is empty. */
void
resp_finish(struct req *r)
{
	resp_head(r);
}

/* Answer a whole body of the given type with Content-Length. */
int
resp_body(struct req *r, int status, const char *ctype, const char *p,
    size_t n)
{
	char	 len[32];

	snprintf(len, sizeof(len), "%zu", n);
	resp_status(r, status);
	resp_header(r, "Content-Type", ctype);
	resp_header(r, "Content-Length", len);
	resp_write(r, p, n);
	return 0;
}

int
resp_redirect(struct req *r, int status, const char *location)
{
	if (resp_header(r, "Location", location) == -1)
		return 500;
	return resp_body(r, status, "text/plain; charset=utf-8", "", 0);
}

int
resp_json(struct req *r, int status, struct json_object *o)
{
	const char	*s;
	size_t		 n;

	s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	resp_header_replace(r, "Cache-Control", "no-store");
	return resp_body(r, status, "application/json", s, n);
}

/* Up to two initials: the first character of the first two words. */
static void
resp_initials(struct buf *b, const char *name)
{
	int	 words = 0, start = 1;
	size_t	 n;

	for (; *name != '\0' && words < 2; name++) {
		if (*name == ' ') {
			start = 1;
			continue;
		}
		if (!start)
			continue;
		/* A whole UTF-8 sequence: the lead byte and its followers. */
		n = 1;
		while (((unsigned char)name[n] & 0xc0) == 0x80)
			n++;
		buf_append(b, name, n);
		start = 0;
		words++;
	}
}

/* "user": {name, initials, avatar_url} and the CSRF token for forms. */
static void
resp_view_user(struct req *r, struct json_object *view)
{
	struct json_object	*u = json_object_new_object();
	struct buf		 b = BUF_INIT;

	json_object_object_add(u, "name", json_object_new_string(r->user->name));
	resp_initials(&b, r->user->name);
	json_object_object_add(u, "initials", json_object_new_string(buf_str(&b)));
	if (r->user->avatar_version > 0) {
		buf_reset(&b);
		buf_printf(&b, "/avatar/%lld?v=%d", (long long)r->user->id,
		    r->user->avatar_version);
		json_object_object_add(u, "avatar_url",
		    json_object_new_string(buf_str(&b)));
	}
	buf_free(&b);
	json_object_object_add(view, "user", u);
	json_object_object_add(view, "csrf", json_object_new_string(r->user->csrf));
}

/* Add what every page needs: language, translations, asset version. */
static void
resp_view_common(struct req *r, struct json_object *view)
{
	enum lang	 lang = req_lang(r);
	char		 key[16];

	json_object_object_add(view, "lang",
	    json_object_new_string(i18n_lang_codes[lang]));
	snprintf(key, sizeof(key), "lang_%s", i18n_lang_codes[lang]);
	json_object_object_add(view, key, json_object_new_boolean(1));
	json_object_object_add(view, "t", json_object_get(i18n_strings(lang)));
	json_object_object_add(view, "asset_version",
	    json_object_new_string(r->app->asset_version));
	flash_view(r, view);
	if (r->user != NULL)
		resp_view_user(r, view);
}

/*
 * Render template tmpl with view (borrowed) inside the page layout.
 * Returns 0, or 500 when the template is unknown or failed to render.
 */
int
resp_html(struct req *r, int status, const char *tmpl,
    struct json_object *view)
{
	struct buf	 out = BUF_INIT;
	int		 rc = 0;

	resp_view_common(r, view);
	if (tmpl_render(r->app->tmpl, tmpl, view, &out) == -1) {
		/* Unknown template, or a render over its step/size caps:
		 * the partial output is dropped. */
		log_warnx("request %s: template %s failed to render", r->id,
		    tmpl);
		rc = 500;
	} else
		resp_body(r, status, "text/html; charset=utf-8", out.data,
		    out.len);
	buf_free(&out);
	return rc;
}

/* RFC 9457 problem details with fixed words only. */
int
resp_problem(struct req *r, int status)
{
	struct json_object	*o = json_object_new_object();
	const struct resp_text	*t = resp_text(status);
	const char		*s;
	size_t			 n;

	json_object_object_add(o, "type", json_object_new_string("about:blank"));
	json_object_object_add(o, "title", json_object_new_string(t->reason));
	json_object_object_add(o, "status", json_object_new_int(status));
	json_object_object_add(o, "detail", json_object_new_string(t->message));
	s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &n);
	resp_header_replace(r, "Cache-Control", "no-store");
	resp_body(r, status, "application/problem+json", s, n);
	json_object_put(o);
	return 0;
}

/*
 * The error page for status in the reader's language. A signed-in
 * customer gets it in the portal's frame (sidebar, their language), also
 * where no route loaded the session (404, 405, a refused form): it is
 * loaded here, unless the status is a 5xx (the database may be why).
 */
static int
resp_error_page(struct req *r, int status)
{
	struct json_object	*v = json_object_new_object();
	const struct resp_text	*t = resp_text(status);
	char			 code[8];
	int			 rc;

	if (r->user == NULL && status < 500)
		(void)session_load(r);
	snprintf(code, sizeof(code), "%d", status);
	json_object_object_add(v, "status", json_object_new_string(code));
	json_object_object_add(v, "reason",
	    json_object_new_string(req_tr(r, t->reason)));
	json_object_object_add(v, "message",
	    json_object_new_string(req_tr(r, t->message)));
	json_object_object_add(v, "title",
	    json_object_new_string(req_tr(r, t->reason)));
	json_object_object_add(v, "app", json_object_new_boolean(
	    r->user != NULL && strcmp(r->user->role, "customer") == 0));
	resp_header_replace(r, "Cache-Control", "no-store");
	rc = resp_html(r, status, "error", v);
	json_object_put(v);
	return rc;
}

/*
 * Answer an error status with the headers set so far (Allow, say).
 * Once the head is out nothing can be changed: the error is only
 * logged. API routes (and unknown paths under /api/) get problem+json,
 * everything else an HTML page.
 */
int
resp_error(struct req *r, int status)
{
	r->resp.status = status;
	if (r->resp.head_sent)
		return 0;
	if (req_wants_problem(r))
		return resp_problem(r, status);
	if (resp_error_page(r, status) != 0)
		resp_body(r, status, "text/plain; charset=utf-8",
		    resp_text(status)->message,
		    strlen(resp_text(status)->message));
	return 0;
}
