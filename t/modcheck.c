/* modcheck.c: what the programs' modules declare, listed or checked: routes, template keys, and every statement against a migrated database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aud/aud_bcast.h"
#include "aud/aud_bulk.h"
#include "aud/aud_export.h"
#include "aud/aud_import.h"
#include "aud/aud_filter.h"
#include "core/beat.h"
#include "core/db.h"
#include "ctl/ctl_account.h"
#include "dispatch/house.h"
#include "fcgi/modules.h"
#include "runner/runner.h"
#include "web/i18n.h"
#include "web/module.h"
#include "web/resp.h"
#include "web/route.h"

/* Every statement set of every program, with the module it is from. */
struct named_set {
	const char		*owner;
	struct stmt_set		 set;
};

static size_t
all_sets(struct named_set *out, size_t max)
{
	size_t	 n = 0, i;

	out[n].owner = "core/db", out[n++].set = db_stmts;
	out[n].owner = "core/beat", out[n++].set = beat_stmts;
	out[n].owner = "aud/aud_import", out[n++].set = aud_import_stmts;
	out[n].owner = "aud", out[n++].set = aud_filter_stmts;
	out[n].owner = "aud/aud_export", out[n++].set = aud_export_stmts;
	out[n].owner = "aud/aud_bulk", out[n++].set = aud_bulk_stmts;
	out[n].owner = "aud/aud_bcast", out[n++].set = aud_bcast_stmts;
	for (i = 0; dispatch_stmts[i] != NULL && n < max; i++) {
		out[n].owner = "waportal-dispatch";
		out[n++].set = *dispatch_stmts[i];
	}
	for (i = 0; runner_stmts[i] != NULL && n < max; i++) {
		out[n].owner = "waportal-runner";
		out[n++].set = *runner_stmts[i];
	}
	for (i = 0; ctl_stmts[i] != NULL && n < max; i++) {
		out[n].owner = "waportalctl";
		out[n++].set = *ctl_stmts[i];
	}
	for (i = 0; fcgi_modules[i] != NULL && n < max; i++)
		if (fcgi_modules[i]->sql.n > 0) {
			out[n].owner = fcgi_modules[i]->name;
			out[n++].set = fcgi_modules[i]->sql;
		}
	return n;
}

/* method pattern kind auth scope name, one route a line. */
static int
list_routes(void)
{
	static const char *const kinds[] = { "html", "api" };
	static const char *const auths[] = { "none", "session", "apikey" };
	struct route	*tab;
	size_t		 n, i;
	char		 err[256];

	if (route_table_build(fcgi_modules, &tab, &n, err, sizeof(err)) == -1) {
		fprintf(stderr, "modcheck: %s\n", err);
		return 1;
	}
	for (i = 0; i < n; i++)
		printf("%s %s %s %s %s %s\n", method_names[tab[i].method],
		    tab[i].pattern, kinds[tab[i].kind], auths[tab[i].auth],
		    tab[i].scope != NULL ? tab[i].scope : "-", tab[i].name);
	free(tab);
	return 0;
}

/*
 * METHOD pattern body limit: the routes that take a body, with its kind
 * and the bytes the worker reads at most (the global limit when the
 * route sets none: "global"; an upload's: "upload").
 */
static int
list_bodies(void)
{
	static const char *const bodies[] = { [BODY_NONE] = "none",
	    [BODY_FORM] = "form", [BODY_MULTIPART] = "multipart",
	    [BODY_UPLOAD] = "upload", [BODY_CSV] = "csv",
	    [BODY_JSON] = "json", [BODY_RAW_JSON] = "raw-json" };
	struct route	*tab;
	size_t		 n, i;
	char		 err[256];

	if (route_table_build(fcgi_modules, &tab, &n, err, sizeof(err)) == -1) {
		fprintf(stderr, "modcheck: %s\n", err);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (tab[i].body == BODY_NONE)
			continue;
		printf("%s %s %s ", method_names[tab[i].method],
		    tab[i].pattern, bodies[tab[i].body]);
		if (tab[i].max_body == 0)
			printf("%s\n", tab[i].body == BODY_UPLOAD ||
			    tab[i].body == BODY_CSV ? "upload" : "global");
		else
			printf("%zu\n", tab[i].max_body);
	}
	free(tab);
	return 0;
}

/* module key English: every template string the modules declare. */
static int
list_keys(void)
{
	const struct i18n_key	*k;
	size_t			 i, j;

	for (i = 0; fcgi_modules[i] != NULL; i++)
		for (j = 0; j < fcgi_modules[i]->nstrings; j++) {
			k = &fcgi_modules[i]->strings[j];
			printf("%s\t%s\t%s\n", fcgi_modules[i]->name, k->key,
			    k->en);
		}
	return 0;
}

/* NULL, or what PostgreSQL says of s that its declaration does not. */
static const char *
check_one(struct db *db, const struct stmt *s, char *why, size_t whysz)
{
	PGresult	*d;
	int		 i, nf;
	size_t		 ncols = 0;

	if (db_ready(db, s) == -1) {
		snprintf(why, whysz, "does not prepare: %s", db->errmsg);
		db_clear_error(db);
		return why;
	}
	d = PQdescribePrepared(db->conn, s->name);
	why[0] = '\0';
	nf = PQnfields(d);
	while (s->cols != NULL && s->cols[ncols] != NULL)
		ncols++;
	if (PQnparams(d) != s->nparams)
		snprintf(why, whysz, "takes %d parameters, declares %d",
		    PQnparams(d), s->nparams);
	else if (s->cols == NULL && nf > 0)
		snprintf(why, whysz, "returns %d columns, declares none", nf);
	else if (s->cols != NULL && (size_t)nf != ncols)
		snprintf(why, whysz, "returns %d columns, declares %zu", nf,
		    ncols);
	for (i = 0; why[0] == '\0' && s->cols != NULL && i < nf; i++)
		if (strcmp(PQfname(d, i), s->cols[i]) != 0)
			snprintf(why, whysz, "column %d is %s, declared %s", i,
			    PQfname(d, i), s->cols[i]);
	PQclear(d);
	return why[0] != '\0' ? why : NULL;
}

/* NULL, or the owner of another statement named like s. */
static const char *
check_name(const struct named_set *sets, size_t nsets, size_t si, size_t i)
{
	const struct stmt	*s = &sets[si].set.v[i];
	size_t			 a, b;

	for (a = 0; a <= si; a++)
		for (b = 0; b < (a == si ? i : sets[a].set.n); b++)
			if (sets[a].set.v[b].name != NULL && strcmp(sets[a].set.v[b].name, s->name) == 0)
				return sets[a].owner;
	(void)nsets;
	return NULL;
}

/* owner name ok|why, one statement a line; 1 when one is wrong. */
static int
check_sql(void)
{
	struct named_set	 sets[128];
	struct db		 db;
	const char		*url = getenv("DATABASE_URL"), *why, *twin;
	char			 buf[512];
	size_t			 n, i, j;
	int			 bad = 0;

	if (url == NULL) {
		fprintf(stderr, "modcheck: DATABASE_URL is not set\n");
		return 2;
	}
	db_init(&db, url, 5, 10000);
	n = all_sets(sets, sizeof(sets) / sizeof(sets[0]));
	for (i = 0; i < n; i++)
		for (j = 0; j < sets[i].set.n; j++) {
			why = check_one(&db, &sets[i].set.v[j], buf,
			    sizeof(buf));
			if (why == NULL && (twin = check_name(sets, n, i, j)) !=
			    NULL) {
				snprintf(buf, sizeof(buf), "its name is also "
				    "used in %s", twin);
				why = buf;
			}
			printf("%s\t%s\t%s\n", sets[i].owner,
			    sets[i].set.v[j].name, why != NULL ? why : "ok");
			bad |= why != NULL;
		}
	db_free(&db);
	return bad;
}

/* STATUS...: "status known|fallback reason" a line. */
static int
list_reasons(int argc, char *argv[])
{
	int	 i, s;

	for (i = 0; i < argc; i++) {
		s = atoi(argv[i]);
		printf("%d %s %s\n", s, resp_known(s) ? "known" : "fallback",
		    resp_reason(s));
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc >= 2 && strcmp(argv[1], "reasons") == 0)
		return list_reasons(argc - 2, argv + 2);
	if (argc == 2 && strcmp(argv[1], "routes") == 0)
		return list_routes();
	if (argc == 2 && strcmp(argv[1], "keys") == 0)
		return list_keys();
	if (argc == 2 && strcmp(argv[1], "bodies") == 0)
		return list_bodies();
	if (argc == 2 && strcmp(argv[1], "sql") == 0)
		return check_sql();
	fprintf(stderr, "usage: modcheck routes | bodies | keys | sql | "
	    "reasons STATUS...\n");
	return 2;
}
