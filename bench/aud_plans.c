/* aud_plans.c: runs the contact list's statements (src/aud) for filters given as query strings against a database, timing them and printing their plans. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "aud/aud_filter.h"
#include "core/buf.h"
#include "core/db.h"

/*
 * usage: aud_plans [-v] [-n RUNS] CONNINFO CUSTOMER QUERY...
 * Each QUERY is a filter as the page's URL has it ("q=budi&status=
 * subscribed"). For each: the first page and the count, RUNS times
 * (default 20) through the same prepared statements and custom plans
 * as the portal, then "query count list_p50 list_p95 count_p50
 * count_p95" in ms; with -v, EXPLAIN ANALYZE of both.
 */

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Decode %XX and + of a query value in place. */
static void
unescape(char *s)
{
	char	*o = s;
	unsigned v;

	for (; *s != '\0'; s++, o++) {
		if (*s == '%' && sscanf(s + 1, "%2x", &v) == 1) {
			*o = (char)v;
			s += 2;
		} else
			*o = *s == '+' ? ' ' : *s;
	}
	*o = '\0';
}

/* The kind of customer cid's field key, or -1. */
static int
field_kind(PGconn *c, const char *cid, const char *key)
{
	const char	*p[2] = { cid, key };
	PGresult	*res;
	int		 k = -1;

	res = PQexecParams(c, "SELECT kind FROM contact_fields WHERE "
	    "customer_id = $1::bigint AND key = $2", 2, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		k = aud_kind_parse(PQgetvalue(res, 0, 0));
	PQclear(res);
	return k;
}

static int
parse(PGconn *c, const char *cid, const char *q, struct aud_filter *f)
{
	char	*dup = strdup(q), *tok, *save = NULL, *eq;
	int	 k;

	aud_filter_init(f);
	for (tok = strtok_r(dup, "&", &save); tok != NULL;
	    tok = strtok_r(NULL, "&", &save)) {
		if ((eq = strchr(tok, '=')) == NULL)
			continue;
		*eq = '\0';
		unescape(eq + 1);
		aud_filter_set(f, tok, eq + 1);
	}
	free(dup);
	aud_filter_check(f);
	if (f->field[0] != '\0') {
		if ((k = field_kind(c, cid, f->field)) < 0) {
			fprintf(stderr, "no field %s\n", f->field);
			return -1;
		}
		aud_filter_kind(f, k);
	}
	if (f->nerr > 0) {
		for (k = 0; k < AUD_P__MAX; k++)
			if (f->err[k] != NULL)
				fprintf(stderr, "%s: %s\n", aud_param_names[k],
				    f->err[k]);
		return -1;
	}
	return 0;
}

/* EXPLAIN ANALYZE of statement s with params v (literals). */
static void
explain(PGconn *c, const struct stmt *s, const char *const *v, int n)
{
	struct buf	 b = BUF_INIT;
	PGresult	*res;
	char		*lit;
	int		 i;

	buf_printf(&b, "EXPLAIN (ANALYZE, COSTS off) EXECUTE \"%s\"(", s->name);
	for (i = 0; i < n; i++) {
		if (v[i] == NULL)
			buf_puts(&b, i > 0 ? ", NULL" : "NULL");
		else {
			lit = PQescapeLiteral(c, v[i], strlen(v[i]));
			buf_printf(&b, "%s%s", i > 0 ? ", " : "", lit);
			PQfreemem(lit);
		}
	}
	buf_puts(&b, ")");
	res = PQexec(c, b.data);
	for (i = 0; i < PQntuples(res); i++)
		printf("    %s\n", PQgetvalue(res, i, 0));
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		printf("    %s", PQerrorMessage(c));
	PQclear(res);
	buf_free(&b);
}

int
main(int argc, char *argv[])
{
	struct db		 db;
	struct aud_filter	 f;
	struct aud_bind		 b;
	double			 tl[1000], tc[1000], t0;
	int			 verbose = 0, runs = 20, a = 1, nlist = 0;
	size_t			 i;
	int64_t			 cust, n = 0;
	struct aud_page		 pg;
	const struct stmt	*ls = NULL, *cs = NULL, *ws = NULL;
	const char		*v[AUD_NPARAMS + 3];
	char			 cid[24];

	for (; a < argc && argv[a][0] == '-'; a++) {
		if (strcmp(argv[a], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[a], "-n") == 0 && a + 1 < argc)
			runs = atoi(argv[++a]);
	}
	if (argc - a < 3 || runs < 1 || runs > 1000) {
		fprintf(stderr, "usage: aud_plans [-v] [-n RUNS] CONNINFO "
		    "CUSTOMER QUERY...\n");
		return 2;
	}
	db_init(&db, argv[a], 5, 0);
	cust = atoll(argv[a + 1]);
	snprintf(cid, sizeof(cid), "%lld", (long long)cust);
	if (db_connect(&db) == -1) {
		fprintf(stderr, "%s\n", db.errmsg);
		return 1;
	}
	printf("%-60s %8s %9s %9s %9s %9s\n", "filter", "count", "list p50",
	    "list p95", "count p50", "count p95");
	for (a += 2; a < argc; a++) {
		if (parse(db.conn, cid, argv[a], &f) == -1)
			continue;
		for (i = 0; i < (size_t)runs; i++) {
			t0 = now_ms();
			n = aud_count(&db, &f, cust);
			tc[i] = now_ms() - t0;
			t0 = now_ms();
			nlist = aud_page(&db, &f, cust, -1, &pg) == 0 ? pg.rows : -1;
			tl[i] = now_ms() - t0;
			if (pg.total != n)
				printf("page total %lld, count %lld\n",
				    (long long)pg.total, (long long)n);
			aud_page_free(&pg);
		}
		qsort(tl, runs, sizeof(double), cmp_double);
		qsort(tc, runs, sizeof(double), cmp_double);
		printf("%-60s %8lld %9.2f %9.2f %9.2f %9.2f%s\n", argv[a],
		    (long long)n, tl[runs / 2], tl[(runs * 95 + 99) / 100 - 1],
		    tc[runs / 2], tc[(runs * 95 + 99) / 100 - 1],
		    nlist < 0 ? " (list failed)" : "");
		if (!verbose)
			continue;
		/* The statements are prepared on this connection by now. */
		for (i = 0; i < aud_filter_stmts.n; i++) {
			if (strncmp(aud_filter_stmts.v[i].name, "aud.gather_",
			    11) == 0 && (strcmp(aud_filter_stmts.v[i].name + 11,
			    aud_sort_names[f.sort]) == 0))
				ls = &aud_filter_stmts.v[i];
			if (strncmp(aud_filter_stmts.v[i].name, "aud.bwalk_",
			    10) == 0 && (strcmp(aud_filter_stmts.v[i].name + 10,
			    aud_sort_names[f.sort]) == 0))
				ws = &aud_filter_stmts.v[i];
			if (strcmp(aud_filter_stmts.v[i].name, "aud.count") == 0)
				cs = &aud_filter_stmts.v[i];
		}
		aud_filter_bind(&f, cust, &b);
		memcpy(v, b.v, sizeof(b.v));
		v[AUD_NPARAMS] = v[AUD_NPARAMS + 1] = NULL;
		v[AUD_NPARAMS + 2] = "10001";
		PQclear(PQexec(db.conn, "SET plan_cache_mode = force_custom_plan"));
		printf("  gather:\n");
		explain(db.conn, ls, v, AUD_NPARAMS + 3);
		printf("  count:\n");
		explain(db.conn, cs, v, AUD_NPARAMS);
		/* The bounded walk, as aud_page runs it past 10,000 matches. */
		if (ws != NULL && n > AUD_COUNT_MAX) {
			v[AUD_NPARAMS + 2] = "10000";
			PQclear(PQexec(db.conn, "SET enable_bitmapscan = off; "
			    "SET enable_sort = off"));
			printf("  bounded walk:\n");
			explain(db.conn, ws, v, AUD_NPARAMS + 3);
		}
		PQclear(PQexec(db.conn, "SET plan_cache_mode = auto; SET "
		    "enable_bitmapscan = on; SET enable_sort = on"));
		aud_bind_free(&b);
	}
	db_free(&db);
	return 0;
}
