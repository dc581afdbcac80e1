/* page_avatar.c: upload (decoded, checked and re-encoded), remove, and serve the customer's own avatar. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "web/flash.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "image.h"
#include "profile.h"

/* The columns of AVATAR_GET. */
enum { AG_TYPE, AG_IMAGE, AG_VERSION, AG__MAX };

enum {
	AVATAR_PUT,
	AVATAR_GET,
	AVATAR_DELETE,
	AVATAR__MAX
};

static const struct stmt avatar_sql[AVATAR__MAX] = {
	[AVATAR_PUT] = { "avatar.put",
	    "INSERT INTO avatars (user_id, content_type, image) "
	    "VALUES ($1, $2, decode($3, 'hex')) "
	    "ON CONFLICT (user_id) DO UPDATE "
	    "SET content_type = excluded.content_type, image = excluded.image, "
	    "version = nextval('avatar_versions'), updated_at = wa_now()", 3,
	    DB_ONCE, NULL },
	[AVATAR_GET] = { "avatar.get",
	    "SELECT content_type, encode(image, 'hex') AS image, version "
	    "FROM avatars WHERE user_id = $1", 1, DB_RETRY,
	    DB_COLS(AG__MAX, [AG_TYPE] = "content_type", [AG_IMAGE] = "image",
	    [AG_VERSION] = "version") },
	[AVATAR_DELETE] = { "avatar.delete",
	    "DELETE FROM avatars WHERE user_id = $1", 1, DB_ONCE, NULL },
};

enum { AF_SAVED, AF_REMOVED, AF__MAX };

static const struct flash avatar_flashes[AF__MAX] = {
	[AF_SAVED] = { "avatar_saved", N_("Your picture is updated."),
	    "success" },
	[AF_REMOVED] = { "avatar_removed", N_("Your picture is removed."),
	    "success" },
};

/* The form again with the avatar error, in English (413, 415, 400, 422). */
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
	const char	*params[3];
	size_t		 i;
	int		 rc;

	for (i = 0; i < img->size; i++)
		buf_printf(&hex, "%02x", img->data[i]);
	params[0] = r->cid, params[1] = image_mime[img->type];
	params[2] = buf_str(&hex);
	rc = db_exec_cmd(&r->app->db, &avatar_sql[AVATAR_PUT], params);
	buf_free(&hex);
	return rc;
}

/*
 * POST /profile/avatar (multipart, field "avatar"): the bytes are
 * sniffed and decoded, never trusted by name or declared type, then
 * re-encoded at 256x256 so no metadata or payload survives.
 */
static int
avatar_upload(struct req *r)
{
	const struct param	*p = params_get(&r->form, "avatar");
	struct image		 img;
	int			 rc;

	if (p == NULL || p->filename == NULL || p->valsz == 0)
		return avatar_error(r, 422,
		    N_("Choose an image file to upload."));
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
	flash_set(r, &avatar_flashes[AF_SAVED]);
	return resp_redirect(r, 303, "/profile");
}

/* POST /profile/avatar/delete: back to initials. */
static int
avatar_delete(struct req *r)
{
	const char	*params[1] = { r->cid };

	if (db_exec_cmd(&r->app->db, &avatar_sql[AVATAR_DELETE], params) == -1)
		return 503;
	flash_set(r, &avatar_flashes[AF_REMOVED]);
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
static int
avatar_get(struct req *r)
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
	if ((res = db_exec(&r->app->db, &avatar_sql[AVATAR_GET], params)) ==
	    NULL)
		return 503;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 404;
	}
	hex = db_get(res, 0, AG_IMAGE);
	n = strlen(hex) / 2;
	for (i = 0; i < n; i++) {
		c = (char)(avatar_hex(hex[2 * i]) << 4 | avatar_hex(hex[2 * i + 1]));
		buf_append(&img, &c, 1);
	}
	snprintf(len, sizeof(len), "%zu", img.len);
	resp_status(r, 200);
	resp_header(r, "Content-Type", db_get(res, 0, AG_TYPE));
	resp_header(r, "Content-Length", len);
	resp_header(r, "Content-Disposition", "inline; filename=\"avatar\"");
	resp_header_replace(r, "Cache-Control",
	    "private, max-age=31536000, immutable");
	PQclear(res);
	resp_write(r, img.data, img.len);
	buf_free(&img);
	return 0;
}

static const struct route avatar_routes[] = {
	/* nginx allows this location 3 MiB (nginx/waportal.conf). */
	{ .method = METHOD_POST, .pattern = "/profile/avatar",
	    .handler = avatar_upload, .name = "avatar_upload",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_MULTIPART,
	    .max_body = 3 * 1024 * 1024, .pass_invalid = 1 },
	{ .method = METHOD_POST, .pattern = "/profile/avatar/delete",
	    .handler = avatar_delete, .name = "avatar_delete",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
	{ .method = METHOD_GET, .pattern = "/avatar/{int}",
	    .handler = avatar_get, .name = "avatar", .auth = AUTH_SESSION },
};

const struct module avatar_module = {
	.name = "avatar",
	MODULE_ROUTES(avatar_routes),
	MODULE_SQL(avatar_sql),
	MODULE_FLASHES(avatar_flashes),
};
