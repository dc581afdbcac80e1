/* job_page.c: what the pages of a runner job share: the customer's job by the path's id, the common part of its progress, its page and its live.json. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "web/req.h"
#include "web/resp.h"
#include "job_page.h"
#include "page_import.h"

long long
job_eta(long long done, long long total, long long elapsed)
{
	if (done <= 0 || elapsed <= 0 || total <= done)
		return -1;
	return (long long)((double)elapsed * (double)(total - done) /
	    (double)done + 0.5);
}

int
job_over(const char *st)
{
	return strcmp(st, "done") == 0 || strcmp(st, "failed") == 0 ||
	    strcmp(st, "cancelled") == 0;
}

int
job_live_answer(struct req *r, struct json_object *o)
{
	int	 rc;

	resp_header(r, "Cache-Control", "no-store");
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}

struct json_object *
job_progress_json(struct req *r, const struct job_progress *p)
{
	struct json_object	*o = json_object_new_object();
	long long		 eta = job_eta(p->done, p->total, p->elapsed);

	json_object_object_add(o, "state", json_object_new_string(p->state));
	json_object_object_add(o, "state_word", json_object_new_string(
	    import_state_word(r, p->state)));
	json_object_object_add(o, "rows", json_object_new_int64(p->done));
	json_object_object_add(o, "total", json_object_new_int64(p->total));
	json_object_object_add(o, "percent", json_object_new_int(
	    p->total <= 0 ? 0 : p->done >= p->total ? 100 :
	    (int)(p->done * 100 / p->total)));
	if (strcmp(p->state, "running") == 0 && eta >= 0)
		json_object_object_add(o, "eta_s", json_object_new_int64(eta));
	json_object_object_add(o, "over", json_object_new_boolean(
	    job_over(p->state)));
	if (p->error != NULL && *p->error != '\0')
		json_object_object_add(o, "error", json_object_new_string(
		    req_tr(r, p->error)));
	return o;
}

PGresult *
job_get(struct req *r, const struct stmt *st, int *status)
{
	const char	*params[2] = { r->cid, r->args[0] };
	PGresult	*res;

	if ((res = db_exec(&r->app->db, st, params)) == NULL) {
		*status = 503;
		return NULL;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		*status = 404;
		return NULL;
	}
	return res;
}

int
job_page_html(struct req *r, const struct job_page *jp, const char *tmpl)
{
	struct json_object	*v;
	PGresult		*res;
	int			 status = 0, rc;

	if ((res = job_get(r, jp->get, &status)) == NULL)
		return status;
	v = jp->view(r, res);
	PQclear(res);
	rc = resp_html(r, 200, tmpl, v);
	json_object_put(v);
	return rc;
}

int
job_page_live(struct req *r, const struct job_page *jp)
{
	struct json_object	*o;
	PGresult		*res;
	int			 status = 0;

	if ((res = job_get(r, jp->get, &status)) == NULL)
		return status;
	o = jp->progress(r, res);
	PQclear(res);
	return job_live_answer(r, o);
}
