/* ctl_host.c: waportalctl host add|list|update|disable|enable: the gateway servers (WAHA) instances run on. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "ctl_account.h"
#include "ctl_host.h"
#include "ctl_host_priv.h"

#define HOST_KEY_MAX		512	/* API key: bytes */
#define HOST_SECRET_MIN		32	/* webhook secret: bytes */
#define HOST_SECRET_MAX		512

#define HOST_OPTS_USAGE "[--driver waha] [--city CITY] [--country CC] " \
	"[--latitude DEG --longitude DEG] [--webhook-secret-file PATH]"
#define HOST_ADD_USAGE "host add --name NAME --url URL --capacity N " \
	"(--api-key-file PATH | --api-key-stdin) " HOST_OPTS_USAGE
#define HOST_LIST_USAGE "host list"
#define HOST_UPDATE_USAGE "host update ID [--name NAME] [--url URL] " \
	"[--capacity N] [--api-key-file PATH | --api-key-stdin] " \
	HOST_OPTS_USAGE
#define HOST_DISABLE_USAGE "host disable ID"
#define HOST_ENABLE_USAGE "host enable ID"

const char ctl_host_usage[] = HOST_ADD_USAGE "\n  " HOST_LIST_USAGE "\n  "
    HOST_UPDATE_USAGE "\n  " HOST_DISABLE_USAGE "\n  " HOST_ENABLE_USAGE;

/* Every option of host add and host update. */
enum host_opt {
	HOST_NAME,
	HOST_DRIVER,
	HOST_URL,
	HOST_CITY,
	HOST_COUNTRY,
	HOST_LAT,
	HOST_LON,
	HOST_CAPACITY,
	HOST_KEY_FILE,
	HOST_KEY_STDIN,
	HOST_SECRET_FILE,
	HOST__MAX
};

/* Check in (trimmed in place); the value to store in *out, owned. */
typedef int (*host_check_fn)(char *, char **, const char **);

struct host_optdef {
	const char	*name;
	int		 has_arg;
	host_check_fn	 check;		/* NULL: no value to check */
};

/* The parsed command line; secrets are wiped when freed. */
struct host_args {
	char		*raw[HOST__MAX];	/* as given, NULL if absent */
	char		*v[HOST__MAX];		/* checked, owned */
	const char	*id;
	char		 idbuf[24];
	char		*api_key;		/* owned, wiped */
	char		*secret;		/* owned, wiped */
};

static const struct host_optdef host_opts[HOST__MAX] = {
	[HOST_NAME] = { "name", required_argument, ctl_host_check_name },
	[HOST_DRIVER] = { "driver", required_argument, ctl_host_check_driver },
	[HOST_URL] = { "url", required_argument, ctl_host_check_url },
	[HOST_CITY] = { "city", required_argument, ctl_host_check_city },
	[HOST_COUNTRY] = { "country", required_argument,
	    ctl_host_check_country },
	[HOST_LAT] = { "latitude", required_argument, ctl_host_check_lat },
	[HOST_LON] = { "longitude", required_argument, ctl_host_check_lon },
	[HOST_CAPACITY] = { "capacity", required_argument,
	    ctl_host_check_capacity },
	[HOST_KEY_FILE] = { "api-key-file", required_argument, NULL },
	[HOST_KEY_STDIN] = { "api-key-stdin", no_argument, NULL },
	[HOST_SECRET_FILE] = { "webhook-secret-file", required_argument,
	    NULL },
};

/* ------------------------------------------------------------ secrets */

/* Read the key and secret the options name; 0, or 1 after a message. */
static int
host_secrets(struct ctl_run *run, struct host_args *a)
{
	enum host_opt	 k = a->raw[HOST_KEY_STDIN] ? HOST_KEY_STDIN :
			    HOST_KEY_FILE;

	if (a->raw[k] != NULL && (a->api_key = ctl_host_secret_read(run,
	    host_opts[k].name, k == HOST_KEY_STDIN ? NULL : a->raw[k], 1,
	    HOST_KEY_MAX)) == NULL)
		return 1;
	if (a->raw[HOST_SECRET_FILE] != NULL && (a->secret =
	    ctl_host_secret_read(run, host_opts[HOST_SECRET_FILE].name,
	    a->raw[HOST_SECRET_FILE], HOST_SECRET_MIN, HOST_SECRET_MAX)) ==
	    NULL)
		return 1;
	return 0;
}

static void
host_args_free(struct host_args *a)
{
	size_t	 i;

	for (i = 0; i < HOST__MAX; i++)
		free(a->v[i]);
	if (a->api_key != NULL)
		explicit_bzero(a->api_key, strlen(a->api_key));
	if (a->secret != NULL)
		explicit_bzero(a->secret, strlen(a->secret));
	free(a->api_key);
	free(a->secret);
}

/* ------------------------------------------------------------ options */

/* The option getopt refused, up to any '=': its value is never echoed. */
static int
host_bad_option(struct ctl_run *run, char **argv, int missing)
{
	const char	*o = argv[optind - 1];

	if (strncmp(o, "--", 2) != 0)
		return ctl_usage(run, "unknown option -%c", optopt);
	return ctl_usage(run, missing ? "option %.*s needs a value" :
	    "unknown option %.*s", (int)strcspn(o, "="), o);
}

/* getopt_long over host_opts; values are stored unchecked in a->raw. */
static int
host_scan(struct ctl_run *run, int argc, char **argv, struct host_args *a)
{
	struct option	 lo[HOST__MAX + 1];
	size_t		 i;
	int		 ch;

	memset(lo, 0, sizeof(lo));
	for (i = 0; i < HOST__MAX; i++) {
		lo[i].name = host_opts[i].name;
		lo[i].has_arg = host_opts[i].has_arg;
		lo[i].val = 256 + (int)i;
	}
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", lo, NULL)) != -1) {
		if (ch == '?' || ch == ':')
			return host_bad_option(run, argv, ch == ':');
		i = (size_t)(ch - 256);
		if (a->raw[i] != NULL)
			return ctl_usage(run, "--%s given twice",
			    host_opts[i].name);
		a->raw[i] = optarg != NULL ? optarg : (char *)"";
	}
	return 0;
}

/* The positional ID: 1..INT64_MAX, normalised into a->idbuf. */
static int
host_check_id(struct ctl_run *run, const char *s, struct host_args *a)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = *s >= '0' && *s <= '9' && strlen(s) <= 19 ?
	    strtoll(s, &end, 10) : 0;
	if (v <= 0 || errno != 0 || *end != '\0')
		return ctl_fail(run, "ID: must be a positive whole number "
		    "(an id)");
	snprintf(a->idbuf, sizeof(a->idbuf), "%lld", v);
	a->id = a->idbuf;
	return 0;
}

/*
 * Parse argv (argv[0] is the subcommand) with npos (0 or 1) IDs into
 * a, checking every value given; the secrets are not read yet.
 * Returns 0, 1 for a bad value, 2 for a bad command line (printed).
 */
static int
host_parse(struct ctl_run *run, int npos, int argc, char **argv,
    struct host_args *a)
{
	const char	*err;
	size_t		 i;
	int		 rc;

	memset(a, 0, sizeof(*a));
	if ((rc = host_scan(run, argc, argv, a)) != 0)
		return rc;
	if (argc - optind > npos)
		return ctl_usage(run, "too many arguments");
	if (argc - optind < npos)
		return ctl_usage(run, "the ID is missing");
	if (a->raw[HOST_KEY_FILE] != NULL && a->raw[HOST_KEY_STDIN] != NULL)
		return ctl_usage(run, "give --api-key-file or --api-key-stdin, "
		    "not both");
	for (i = 0; i < HOST__MAX; i++)
		if (a->raw[i] != NULL && host_opts[i].check != NULL &&
		    host_opts[i].check(a->raw[i], &a->v[i], &err) == -1)
			return ctl_fail(run, "--%s: %s", host_opts[i].name,
			    err);
	if ((a->v[HOST_LAT] == NULL) != (a->v[HOST_LON] == NULL) ||
	    (a->v[HOST_LAT] != NULL &&
	    (*a->v[HOST_LAT] == '\0') != (*a->v[HOST_LON] == '\0')))
		return ctl_fail(run, "--latitude and --longitude go together");
	return npos == 1 ? host_check_id(run, argv[optind], a) : 0;
}

/* ------------------------------------------------------------ commands */

/* host add's required options; 0, or 1 after a message. */
static int
host_add_check(struct ctl_run *run, const struct host_args *a)
{
	static const enum host_opt	 req[] = { HOST_NAME, HOST_URL,
					    HOST_CAPACITY };
	size_t				 i;

	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		if (a->v[req[i]] == NULL)
			return ctl_fail(run, "--%s is required",
			    host_opts[req[i]].name);
	if (a->raw[HOST_KEY_FILE] == NULL && a->raw[HOST_KEY_STDIN] == NULL)
		return ctl_fail(run, "--api-key-file or --api-key-stdin is "
		    "required (the key is never taken from the command line)");
	return 0;
}

/* Insert the host; prints its id.  0, or 1 after a message. */
/* The columns of HOST_SQL_ADD and those of HOST_SQL_LIST (the table's). */
enum { HA_ID, HA__MAX };
enum {
	HL_ID,
	HL_NAME,
	HL_DRIVER,
	HL_URL,
	HL_CITY,
	HL_COUNTRY,
	HL_CAPACITY,
	HL_ENABLED,
	HL_STATUS,
	HL__MAX
};

enum {
	HOST_SQL_ADD,
	HOST_SQL_LIST,
	HOST_SQL_UPDATE,
	HOST_SQL_ENABLE,
	HOST_SQL__MAX
};

static const struct stmt host_sql[HOST_SQL__MAX] = {
	[HOST_SQL_ADD] = { "ctl.host_add",
	    "INSERT INTO hosts (name, driver, base_url, api_key, webhook_secret,"
	    " city, country, latitude, longitude, capacity) VALUES ($1,"
	    " coalesce($2, 'waha'), $3, $4, $5, coalesce($6, ''),"
	    " coalesce($7, ''), $8::numeric, $9::numeric, $10::integer)"
	    " RETURNING id", 10, DB_ONCE, DB_COLS(HA__MAX, [HA_ID] = "id") },
	/* Never api_key or webhook_secret. */
	[HOST_SQL_LIST] = { "ctl.host_list",
	    "SELECT id, name, driver, base_url, city, country, capacity,"
	    " CASE WHEN enabled THEN 'yes' ELSE 'no' END AS enabled, status"
	    " FROM hosts ORDER BY id", 0, DB_RETRY,
	    DB_COLS(HL__MAX, [HL_ID] = "id", [HL_NAME] = "name",
	    [HL_DRIVER] = "driver", [HL_URL] = "base_url", [HL_CITY] = "city",
	    [HL_COUNTRY] = "country", [HL_CAPACITY] = "capacity",
	    [HL_ENABLED] = "enabled", [HL_STATUS] = "status") },
	/* NULL: keep; '' for latitude/longitude: no location. */
	[HOST_SQL_UPDATE] = { "ctl.host_update",
	    "UPDATE hosts SET name = coalesce($2, name),"
	    " driver = coalesce($3, driver), base_url = coalesce($4, base_url),"
	    " api_key = coalesce($5, api_key),"
	    " webhook_secret = coalesce($6, webhook_secret),"
	    " city = coalesce($7, city), country = coalesce($8, country),"
	    " latitude = CASE WHEN $9::text IS NULL THEN latitude"
	    " ELSE nullif($9, '')::numeric END,"
	    " longitude = CASE WHEN $10::text IS NULL THEN longitude"
	    " ELSE nullif($10, '')::numeric END,"
	    " capacity = coalesce($11::integer, capacity)"
	    " WHERE id = $1 RETURNING id", 11, DB_ONCE, DB_COLS(1, "id") },
	[HOST_SQL_ENABLE] = { "ctl.host_enable",
	    "UPDATE hosts SET enabled = $2::boolean WHERE id = $1 RETURNING id",
	    2, DB_ONCE, DB_COLS(1, "id") },
};

const struct stmt_set ctl_host_stmts = STMT_SET(host_sql);

static int
host_insert(struct ctl_run *run, const struct host_args *a)
{
	const char	*params[] = { a->v[HOST_NAME], a->v[HOST_DRIVER],
			    a->v[HOST_URL], a->api_key, a->secret,
			    a->v[HOST_CITY], a->v[HOST_COUNTRY],
			    a->v[HOST_LAT], a->v[HOST_LON],
			    a->v[HOST_CAPACITY] };
	PGresult	*res;

	if (params[7] != NULL && *params[7] == '\0')
		params[7] = params[8] = NULL;
	if ((res = db_exec(&run->c->db, &host_sql[HOST_SQL_ADD], params)) ==
	    NULL) {
		if (strcmp(run->c->db.sqlstate, "23505") == 0)
			return ctl_fail(run, "a host named %s exists",
			    a->v[HOST_NAME]);
		return ctl_db_fail(run);
	}
	printf("%s\n", db_get(res, 0, HA_ID));
	PQclear(res);
	return 0;
}

/*
 * host add: insert one host, print its id; a generated webhook secret
 * is printed once after it, with a warning on stderr.
 */
static int
host_add(struct ctl_run *run, int argc, char **argv)
{
	struct host_args	 a;
	int			 rc, generated = 0;

	if ((rc = host_parse(run, 0, argc, argv, &a)) == 0 &&
	    (rc = host_add_check(run, &a)) == 0 &&
	    (rc = host_secrets(run, &a)) == 0 && a.secret == NULL) {
		generated = 1;
		if ((a.secret = ctl_host_secret_new()) == NULL)
			rc = ctl_fail(run, "no random bytes for the webhook "
			    "secret");
	}
	if (rc == 0 && (rc = host_insert(run, &a)) == 0 && generated) {
		printf("webhook secret: %s\n", a.secret);
		fflush(stdout);
		fprintf(stderr, "waportalctl: %s: the webhook secret is shown "
		    "only this once: configure the gateway with it now\n",
		    run->name);
	}
	host_args_free(&a);
	return rc;
}

/* host list: every host and its state; never the key or the secret. */
static int
host_list(struct ctl_run *run, int argc, char **argv)
{
	static const char *const head[HL__MAX] = { [HL_ID] = "ID",
	    [HL_NAME] = "NAME", [HL_DRIVER] = "DRIVER", [HL_URL] = "URL",
	    [HL_CITY] = "CITY", [HL_COUNTRY] = "COUNTRY",
	    [HL_CAPACITY] = "CAPACITY", [HL_ENABLED] = "ENABLED",
	    [HL_STATUS] = "STATUS" };
	struct ctl_args	 a;
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_args_parse(run, NULL, 0, 0, argc, argv, &a)) != 0)
		return rc;
	if ((res = ctl_exec(run, &host_sql[HOST_SQL_LIST], NULL)) == NULL)
		return 1;
	ctl_table_print(res, head);
	PQclear(res);
	return 0;
}

/* Run the update; 0, or 1 after a message. */
static int
host_set(struct ctl_run *run, const struct host_args *a)
{
	const char	*params[] = { a->id, a->v[HOST_NAME],
			    a->v[HOST_DRIVER], a->v[HOST_URL], a->api_key,
			    a->secret, a->v[HOST_CITY], a->v[HOST_COUNTRY],
			    a->v[HOST_LAT], a->v[HOST_LON],
			    a->v[HOST_CAPACITY] };
	PGresult	*res;
	int		 found;

	if ((res = db_exec(&run->c->db, &host_sql[HOST_SQL_UPDATE], params)) ==
	    NULL) {
		if (strcmp(run->c->db.sqlstate, "23505") == 0)
			return ctl_fail(run, "a host named %s exists",
			    a->v[HOST_NAME]);
		return ctl_db_fail(run);
	}
	found = PQntuples(res);
	PQclear(res);
	if (!found)
		return ctl_fail(run, "no host with id %s", a->id);
	printf("host %s updated\n", a->id);
	return 0;
}

/* host update ID: change the options given, nothing else. */
static int
host_update(struct ctl_run *run, int argc, char **argv)
{
	struct host_args	 a;
	size_t			 i;
	int			 rc, any = 0;

	if ((rc = host_parse(run, 1, argc, argv, &a)) == 0) {
		for (i = 0; i < HOST__MAX; i++)
			any |= a.raw[i] != NULL;
		if (!any)
			rc = ctl_usage(run, "nothing to change");
	}
	if (rc == 0 && (rc = host_secrets(run, &a)) == 0)
		rc = host_set(run, &a);
	host_args_free(&a);
	return rc;
}

/* host disable ID / host enable ID. */
static int
host_enable_disable(struct ctl_run *run, int argc, char **argv, int on)
{
	struct ctl_args	 a;
	const char	*params[2];
	PGresult	*res;
	int		 rc, found;

	if ((rc = ctl_args_parse(run, NULL, 0, 1, argc, argv, &a)) != 0)
		return rc;
	params[0] = a.id;
	params[1] = on ? "true" : "false";
	if ((res = ctl_exec(run, &host_sql[HOST_SQL_ENABLE], params)) == NULL)
		return 1;
	found = PQntuples(res);
	PQclear(res);
	if (!found)
		return ctl_fail(run, "no host with id %s", a.id);
	printf("host %s %s\n", a.id, on ? "enabled" : "disabled");
	return 0;
}

static int
host_disable(struct ctl_run *run, int argc, char **argv)
{
	return host_enable_disable(run, argc, argv, 0);
}

static int
host_enable(struct ctl_run *run, int argc, char **argv)
{
	return host_enable_disable(run, argc, argv, 1);
}

static const struct ctl_sub host_subs[] = {
	{ "add", host_add, HOST_ADD_USAGE },
	{ "list", host_list, HOST_LIST_USAGE },
	{ "update", host_update, HOST_UPDATE_USAGE },
	{ "disable", host_disable, HOST_DISABLE_USAGE },
	{ "enable", host_enable, HOST_ENABLE_USAGE },
};

int
ctl_host(struct ctl *c, int argc, char **argv)
{
	return ctl_dispatch(c, "host", host_subs,
	    sizeof(host_subs) / sizeof(host_subs[0]), argc, argv);
}
