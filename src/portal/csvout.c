/* csvout.c: a CSV download streamed from one statement read in keyset pages, by the exports' writer (a BOM, RFC 4180, formula cells neutralised). */
#include <stdio.h>

#include <libpq-fe.h>

#include "aud/aud_csv.h"
#include "core/buf.h"
#include "core/db.h"
#include "web/req.h"
#include "web/resp.h"
#include "csvout.h"

/* The page after key after (c's last parameter); NULL when the database failed. */
static PGresult *
csvout_page(struct req *r, const struct csvout *c, const char *after)
{
	c->params[c->nparams - 1] = after;
	return db_exec(&r->app->db, c->stmt, c->params);
}

/* res's rows into b; the last row's key into after; the number of rows. */
static int
csvout_rows(const struct csvout *c, PGresult *res, struct aud_csv *csv,
    char after[64])
{
	int	 i, k, n = PQntuples(res);

	for (i = 0; i < n; i++) {
		for (k = 1; k <= c->ncols; k++)
			aud_csv_cellz(csv, db_get(res, i, k));
		aud_csv_end(csv);
	}
	if (n > 0)
		snprintf(after, 64, "%s", db_get(res, n - 1, 0));
	PQclear(res);
	return n;
}

int
csvout_send(struct req *r, const struct csvout *c)
{
	struct buf	 b = BUF_INIT;
	struct aud_csv	 csv;
	char		 disp[160], after[64] = "0";
	PGresult	*res;
	int		 k, n;

	if ((res = csvout_page(r, c, after)) == NULL)
		return 503;
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
	    c->filename);
	resp_status(r, 200);
	resp_header(r, "Content-Type", "text/csv; charset=utf-8");
	resp_header(r, "Content-Disposition", disp);
	resp_header(r, "Cache-Control", "no-store");
	aud_csv_start(&csv, &b);
	for (k = 0; k < c->ncols; k++)
		aud_csv_cellz(&csv, c->head[k]);
	aud_csv_end(&csv);
	/* A failure after the first page ends the file short. */
	while ((n = csvout_rows(c, res, &csv, after)) == c->page &&
	    (res = csvout_page(r, c, after)) != NULL) {
		resp_write(r, buf_str(&b), b.len);
		buf_reset(&b);
	}
	resp_write(r, buf_str(&b), b.len);
	buf_free(&b);
	resp_finish(r);
	return 0;
}
