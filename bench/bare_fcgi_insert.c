/* bare_fcgi_insert.c: a bare libfcgi responder doing one prepared INSERT per request, bench/api's database baseline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <libpq-fe.h>

#define BODY_MAX	4096

static const char *const ins_sql =
    "INSERT INTO bench_insert (body) VALUES ($1) RETURNING id";

/*
 * The connection of $DATABASE_URL with synchronous_commit on for the
 * session and the INSERT prepared as "ins"; exits on failure.
 */
static PGconn *
bench_connect(void)
{
	PGconn		*db;
	PGresult	*r;
	const char	*url;

	url = getenv("DATABASE_URL");
	db = PQconnectdb(url != NULL ? url : "");
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "bare_fcgi_insert: %s", PQerrorMessage(db));
		exit(1);
	}
	r = PQexec(db, "SET synchronous_commit = on");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "bare_fcgi_insert: %s", PQerrorMessage(db));
		exit(1);
	}
	PQclear(r);
	r = PQprepare(db, "ins", ins_sql, 1, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "bare_fcgi_insert: %s", PQerrorMessage(db));
		exit(1);
	}
	PQclear(r);
	return db;
}

/*
 * Reads up to BODY_MAX bytes of the request body into buf (NUL-ended);
 * returns its length.
 */
static int
bench_body(FCGX_Request *req, char *buf)
{
	const char	*cl;
	long		 want;
	int		 n;

	cl = FCGX_GetParam("CONTENT_LENGTH", req->envp);
	want = cl != NULL ? strtol(cl, NULL, 10) : 0;
	if (want < 0)
		want = 0;
	if (want > BODY_MAX)
		want = BODY_MAX;
	n = want > 0 ? FCGX_GetStr(buf, (int)want, req->in) : 0;
	buf[n] = '\0';
	return n;
}

/* One request: the INSERT, then 202 with the new id or 500. */
static void
bench_answer(PGconn *db, FCGX_Request *req)
{
	char		 body[BODY_MAX + 1];
	const char	*params[1];
	PGresult	*r;

	bench_body(req, body);
	params[0] = body;
	r = PQexecPrepared(db, "ins", 1, params, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		FCGX_FPrintF(req->out, "Status: 202 Accepted\r\n"
		    "Content-Type: application/json\r\n"
		    "Cache-Control: no-store\r\n"
		    "\r\n"
		    "{\"id\":%s,\"status\":\"queued\"}", PQgetvalue(r, 0, 0));
	else
		FCGX_PutS("Status: 500 Internal Server Error\r\n"
		    "Content-Type: application/json\r\n"
		    "\r\n"
		    "{\"status\":\"error\"}", req->out);
	PQclear(r);
}

int
main(void)
{
	FCGX_Request	 req;
	PGconn		*db;

	db = bench_connect();
	if (FCGX_Init() != 0)
		return 1;
	FCGX_InitRequest(&req, 0, 0);
	while (FCGX_Accept_r(&req) >= 0) {
		bench_answer(db, &req);
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 1);
	PQfinish(db);
	return 0;
}
