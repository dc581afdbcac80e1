/* imupload.c: store a file as an import's chunks (import_chunks, 1 MiB pieces), as the portal's upload does; for t/0151 and bench/import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#define CHUNK	(1024 * 1024)

/* usage: imupload JOB_ID FILE; DATABASE_URL names the database. */
int
main(int argc, char *argv[])
{
	static char	 data[CHUNK];
	const char	*url = getenv("DATABASE_URL"), *vals[3];
	int		 lens[3] = { 0, 0, 0 }, fmts[3] = { 0, 0, 1 }, seq = 0;
	char		 seqs[16];
	long long	 total = 0;
	PGconn		*c;
	PGresult	*res;
	FILE		*f;
	size_t		 n;

	if (argc != 3 || url == NULL) {
		fprintf(stderr, "usage: DATABASE_URL=... imupload JOB FILE\n");
		return 2;
	}
	if ((f = fopen(argv[2], "rb")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "imupload: %s", PQerrorMessage(c));
		return 1;
	}
	PQclear(PQexec(c, "BEGIN"));
	while ((n = fread(data, 1, sizeof(data), f)) > 0) {
		snprintf(seqs, sizeof(seqs), "%d", seq++);
		vals[0] = argv[1];
		vals[1] = seqs;
		vals[2] = data;
		lens[2] = (int)n;
		res = PQexecParams(c, "INSERT INTO import_chunks (job_id, seq, "
		    "data) VALUES ($1, $2, $3)", 3, NULL, vals, lens, fmts, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			fprintf(stderr, "imupload: %s", PQerrorMessage(c));
			return 1;
		}
		PQclear(res);
		total += (long long)n;
	}
	res = PQexec(c, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "imupload: %s", PQerrorMessage(c));
		return 1;
	}
	PQclear(res);
	PQfinish(c);
	fclose(f);
	printf("%lld\n", total);
	return 0;
}
