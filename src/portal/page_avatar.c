/* page_avatar.c: upload (decoded, checked and re-encoded), remove, and serve the customer's own avatar. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/db_stmt.h"
#include "core/log.h"
#include "web/flash.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"
#include "image.h"

/* The form again with the avatar error (413, 415, 400 or 422). */
static int
avatar_error(struct req *r, int status, const char *msg)
{
	struct json_object	*errs, *vals;

	if ((vals = profile_values(r)) == NULL)
		return 503;
	errs = json_object_new_object();
	json_object_object_add(errs, "avatar", json_object_new_string(msg));
	return profile_page(r, status, vals, errs);
}

/* Store the re-encoded image as hex for bytea. */
static int
avatar_store(struct req *r, const struct image *img)
{
	struct buf	 hex = BUF_INIT;
	char		 id[24];
	const char	*params[3];
	size_t		 i;
	int		 rc;

	for (i = 0; i < img->size; i++)
		buf_printf(&hex, "%02x", img->data[i]);
	snprintf(id, sizeof(id), "%lld", (long long)r->customer_id);
	params[0] = id, params[1] = image_mime[img->type];
	params[2] = buf_str(&hex);
	rc = db_exec_cmd(&r->app->db, LEGACY(STMT_AVATAR_PUT), params);
	buf_free(&hex);
	return rc;
}

/*
 * POST /profile/avatar (multipart, field "avatar"): the bytes are
 * sniffed and decoded, never trusted by name or declared type, then
 * re-encoded at 256x256 so no metadata or payload survives.
 */
int
page_avatar_upload(struct req *r)
{
	const struct param	*p = params_get(&r->form, "avatar");
	struct image		 img;
	int			 rc;

	if (p == NULL || p->filename == NULL || p->valsz == 0)
		return avatar_error(r, 422, "Choose an image file to upload.");
	memset(&img, 0, sizeof(img));
	if (image_avatar(&img, p->value, p->valsz) == -1) {
		rc = avatar_error(r, img.status, img.errmsg);
		image_free(&img);
		return rc;
	}
	rc = avatar_store(r, &img);
	image_free(&img);
	if (rc == -1) {
		log_warnx("request %s: avatar: %s", r->id, r->app->db.errmsg);
		return 503;
	}
	flash_set(r, &flash_legacy[FLASH_AVATAR_SAVED]);
	return resp_redirect(r, 303, "/profile");
}

/* POST /profile/avatar/delete: back to initials. */
int
page_avatar_delete(struct req *r)
{
	char		 id[24];
	const char	*params[1] = { id };

	snprintf(id, sizeof(id), "%lld", (long long)r->customer_id);
	if (db_exec_cmd(&r->app->db, LEGACY(STMT_AVATAR_DELETE), params) == -1)
		return 503;
	flash_set(r, &flash_legacy[FLASH_AVATAR_REMOVED]);
	return resp_redirect(r, 303, "/profile");
}

static int
avatar_hex(int c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

/*
 * GET /avatar/{id}: only the signed-in customer's own (another id is a
 * 404, the same as no avatar). Cached privately for a year: the page
 * links it with ?v=<version>, which changes with every upload.
 */
int
page_avatar(struct req *r)
{
	char		 id[24], len[24];
	const char	*params[1] = { id }, *hex;
	PGresult	*res;
	struct buf	 img = BUF_INIT;
	size_t		 i, n;
	char		 c;

	if (r->argi[0] != r->customer_id)
		return 404;
	snprintf(id, sizeof(id), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, LEGACY(STMT_AVATAR_GET), params)) == NULL)
		return 503;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 404;
	}
	hex = PQgetvalue(res, 0, 1);
	n = strlen(hex) / 2;
	for (i = 0; i < n; i++) {
		c = (char)(avatar_hex(hex[2 * i]) << 4 | avatar_hex(hex[2 * i + 1]));
		buf_append(&img, &c, 1);
	}
	snprintf(len, sizeof(len), "%zu", img.len);
	resp_status(r, 200);
	resp_header(r, "Content-Type", PQgetvalue(res, 0, 0));
	resp_header(r, "Content-Length", len);
	resp_header(r, "Content-Disposition", "inline; filename=\"avatar\"");
	resp_header_replace(r, "Cache-Control",
	    "private, max-age=31536000, immutable");
	PQclear(res);
	resp_write(r, img.data, img.len);
	buf_free(&img);
	return 0;
}
