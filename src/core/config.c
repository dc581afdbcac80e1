/* config.c: the table of environment variables, their defaults and their checks. */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#ifndef WA_DATADIR
#define WA_DATADIR "/usr/local/share/waportal"
#endif

const struct conf_def conf_defs[CONF__MAX] = {
	[CONF_DATABASE_URL] = { "DATABASE_URL", CONF_STR,
	    "dbname=waportal", 0, 0,
	    "libpq connection string or URI of the PostgreSQL database" },
	[CONF_TEMPLATE_DIR] = { "WAPORTAL_TEMPLATE_DIR", CONF_DIR,
	    WA_DATADIR "/templates", 0, 0,
	    "directory of the *.mustache page templates" },
	[CONF_SQL_DIR] = { "WAPORTAL_SQL_DIR", CONF_DIR,
	    WA_DATADIR "/sql", 0, 0,
	    "directory of the numbered NNNN_name.sql migrations" },
	[CONF_OPENAPI] = { "WAPORTAL_OPENAPI", CONF_STR,
	    WA_DATADIR "/api/openapi.json", 0, 0,
	    "the OpenAPI document served at /api/v1/openapi.json and shown "
	    "as the API docs page" },
	[CONF_MAX_REQUESTS] = { "WAPORTAL_MAX_REQUESTS", CONF_INT,
	    "0", 0, 1000000000,
	    "a worker exits after this many requests (0: never)" },
	[CONF_MAX_BODY] = { "WAPORTAL_MAX_BODY", CONF_INT,
	    "4194304", 1024, 64 * 1024 * 1024,
	    "largest request body in bytes any route accepts" },
	[CONF_MAX_UPLOAD] = { "WAPORTAL_MAX_UPLOAD", CONF_INT,
	    "52428800", 1024 * 1024, 50 * 1024 * 1024,
	    "largest uploaded file in bytes (a contact import)" },
	[CONF_DB_CONNECT_TIMEOUT] = { "WAPORTAL_DB_CONNECT_TIMEOUT", CONF_INT,
	    "3", 1, 60,
	    "seconds to wait for a PostgreSQL connection" },
	[CONF_STATEMENT_TIMEOUT] = { "WAPORTAL_STATEMENT_TIMEOUT", CONF_INT,
	    "5000", 0, 3600000,
	    "milliseconds before PostgreSQL cancels a statement (0: never)" },
	[CONF_DISPATCH_INTERVAL] = { "WAPORTAL_DISPATCH_INTERVAL", CONF_INT,
	    "5", 1, 3600,
	    "seconds between dispatcher wake-ups without a notification" },
	[CONF_ARGON2_T] = { "WAPORTAL_ARGON2_T", CONF_INT,
	    "2", 2, 64,
	    "argon2id passes for new password hashes (OWASP minimum 2)" },
	[CONF_ARGON2_M] = { "WAPORTAL_ARGON2_M", CONF_INT,
	    "19456", 19456, 4194304,
	    "argon2id memory in KiB for new password hashes (minimum 19456)" },
	[CONF_SESSION_IDLE] = { "WAPORTAL_SESSION_IDLE", CONF_INT,
	    "1800", 60, 86400,
	    "seconds without a request before a session ends" },
	[CONF_SESSION_MAX] = { "WAPORTAL_SESSION_MAX", CONF_INT,
	    "43200", 300, 2592000,
	    "seconds after sign-in when a session ends regardless" },
	[CONF_SECURE_COOKIES] = { "WAPORTAL_SECURE_COOKIES", CONF_INT,
	    "1", 0, 1,
	    "1: the session cookie is __Host-sid with Secure (HTTPS); "
	    "0: plain sid, for http://127.0.0.1 development only" },
	[CONF_PROBE_INTERVAL] = { "WAPORTAL_PROBE_INTERVAL", CONF_INT,
	    "30", 1, 3600,
	    "seconds between the dispatcher's health probes of a host" },
	[CONF_PUBLIC_URL] = { "WAPORTAL_PUBLIC_URL", CONF_URL,
	    "", 0, 0,
	    "the portal's address as gateways reach it, for webhook URLs "
	    "(empty: nginx's scheme, server name and port, never the "
	    "client's Host header)" },
	[CONF_SEND_GAP_MS] = { "WAPORTAL_SEND_GAP_MS", CONF_INT,
	    "4000", 0, 3600000,
	    "least milliseconds between two sends of one instance (0: no pacing)" },
	[CONF_SEND_JITTER_MS] = { "WAPORTAL_SEND_JITTER_MS", CONF_INT,
	    "3000", 0, 3600000,
	    "random extra milliseconds, up to this, added to each gap" },
	[CONF_SEND_HOURLY_CAP] = { "WAPORTAL_SEND_HOURLY_CAP", CONF_INT,
	    "300", 0, 1000000,
	    "most sends of one instance in an hour (0: no cap)" },
	[CONF_SEND_MAX_ATTEMPTS] = { "WAPORTAL_SEND_MAX_ATTEMPTS", CONF_INT,
	    "6", 1, 100,
	    "tries of one message before it fails on transient errors" },
	[CONF_SEND_BACKOFF_MS] = { "WAPORTAL_SEND_BACKOFF_MS", CONF_INT,
	    "5000", 1, 3600000,
	    "milliseconds before the first retry; doubles each time, jittered" },
	[CONF_SEND_BACKOFF_MAX_MS] = { "WAPORTAL_SEND_BACKOFF_MAX_MS", CONF_INT,
	    "900000", 1, 86400000,
	    "longest wait between two tries of one message, in milliseconds" },
	[CONF_SEND_LEASE] = { "WAPORTAL_SEND_LEASE", CONF_INT,
	    "60", 5, 3600,
	    "seconds a claimed message stays with its dispatcher" },
	[CONF_SEND_PARALLEL] = { "WAPORTAL_SEND_PARALLEL", CONF_INT,
	    "128", 1, 1024,
	    "sends one dispatcher keeps in flight at once" },
	[CONF_SEND_TIMEOUT_MS] = { "WAPORTAL_SEND_TIMEOUT_MS", CONF_INT,
	    "15000", 100, 300000,
	    "milliseconds one send call to a gateway may take" },
	[CONF_RUNNER_INTERVAL] = { "WAPORTAL_RUNNER_INTERVAL", CONF_INT,
	    "5", 1, 3600,
	    "seconds between the job runner's looks for due jobs without a "
	    "notification" },
	[CONF_RUNNER_LEASE_S] = { "WAPORTAL_RUNNER_LEASE_S", CONF_INT,
	    "60", 5, 3600,
	    "seconds a claimed job stays with its runner without a renewal" },
	[CONF_RUNNER_MAX_ATTEMPTS] = { "WAPORTAL_RUNNER_MAX_ATTEMPTS", CONF_INT,
	    "3", 1, 100,
	    "claims of one job before it fails (a runner died with it each "
	    "time)" },
	[CONF_RUNNER_STATEMENT_TIMEOUT] = { "WAPORTAL_RUNNER_STATEMENT_TIMEOUT",
	    CONF_INT, "900000", 0, 86400000,
	    "milliseconds before PostgreSQL cancels a statement of the job "
	    "runner (0: never)" },
	[CONF_EXPORT_SYNC_MAX] = { "WAPORTAL_EXPORT_SYNC_MAX", CONF_INT,
	    "100000", 0, 10000000,
	    "contacts a worker exports itself; a larger selection is a "
	    "background export" },
	[CONF_EXPORT_TTL] = { "WAPORTAL_EXPORT_TTL", CONF_INT,
	    "86400", 60, 2592000,
	    "seconds a background export's file can be downloaded" },
	[CONF_BULK_SYNC_MAX] = { "WAPORTAL_BULK_SYNC_MAX", CONF_INT,
	    "10000", 0, 10000000,
	    "contacts a worker changes itself in a bulk action; a larger "
	    "selection is a background job" },
	[CONF_RECEIPT_INTERVAL] = { "WAPORTAL_RECEIPT_INTERVAL", CONF_INT,
	    "60", 1, 86400,
	    "seconds between the dispatcher's receipts reconciliation passes" },
	[CONF_RECEIPT_AFTER] = { "WAPORTAL_RECEIPT_AFTER", CONF_INT,
	    "600", 1, 604800,
	    "seconds a sent or delivered message waits for its ack before "
	    "the gateway is asked, and between two asks" },
	[CONF_RECEIPT_BATCH] = { "WAPORTAL_RECEIPT_BATCH", CONF_INT,
	    "100", 0, 10000,
	    "most messages looked up in one pass (0: no reconciliation)" },
	[CONF_RECEIPT_HOST_MAX] = { "WAPORTAL_RECEIPT_HOST_MAX", CONF_INT,
	    "20", 1, 10000,
	    "most messages looked up on one host in one pass" },
	[CONF_RECEIPT_GIVE_UP] = { "WAPORTAL_RECEIPT_GIVE_UP", CONF_INT,
	    "172800", 60, 2592000,
	    "seconds after its send when a message is no longer looked up; "
	    "its status stays as it is" },
	[CONF_CHECK_INTERVAL] = { "WAPORTAL_CHECK_INTERVAL", CONF_INT,
	    "2", 1, 3600,
	    "seconds between the dispatcher's pre-check passes while none "
	    "is due (a pass that asked runs again at once)" },
};

/* Parse a whole unsigned decimal integer in [min, max]; 0 on success. */
static int
conf_int(const char *s, long long min, long long max, long long *out)
{
	char		*end;
	long long	 v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if ( *end != '\0' || errno != 0 || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Check one value; on failure write the reason naming the variable. */
static int
conf_check(struct conf *c, enum conf_key k, const char *v)
{
	const struct conf_def	*d = &conf_defs[k];

	switch (d->type) {
	case CONF_STR:
	case CONF_DIR:
		if (*v != '\0')
			return 0;
		snprintf(c->errmsg, sizeof(c->errmsg), "%s: must not be "
		    "empty", d->name);
		return -1;
	case CONF_URL:
		if (*v == '\0' || ((strncmp(v, "http://", 7) == 0 ||
		    strncmp(v, "https://", 8) == 0) && v[strlen(v) - 1] != '/' &&
		    strpbrk(v, " \t\r\n?#") == NULL))
			return 0;
		snprintf(c->errmsg, sizeof(c->errmsg), "%s: expected an http(s) "
		    "URL without a trailing slash", d->name);
		return -1;
	case CONF_INT:
		if (conf_int(v, d->min, d->max, &c->num[k]) == 0)
			return 0;
		snprintf(c->errmsg, sizeof(c->errmsg), "%s: expected an "
		    "integer from %lld to %lld", d->name, d->min, d->max);
		return -1;
	}
	return -1;
}

/*
 * Fill c from the environment, falling back to the defaults.
 * Returns 0, or -1 with c->errmsg naming the first bad variable.
 * The strings point into the environment or the static table.
 */
int
conf_load(struct conf *c)
{
	enum conf_key	 k;
	const char	*v;

	memset(c, 0, sizeof(*c));
	for (k = 0; k < CONF__MAX; k++) {
		v = getenv(conf_defs[k].name);
		if (v == NULL)
			v = conf_defs[k].def;
		c->str[k] = v;
		if (conf_check(c, k, v) == -1)
			return -1;
	}
	return 0;
}

/*
 * A program that reads directory k calls this at startup: returns 0,
 * or -1 with c->errmsg naming the variable when it is no directory.
 */
int
conf_require_dir(struct conf *c, enum conf_key k)
{
	struct stat	 st;

	if (stat(c->str[k], &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	snprintf(c->errmsg, sizeof(c->errmsg), "%s: not a directory: %s",
	    conf_defs[k].name, c->str[k]);
	return -1;
}

/*
 * A variable's value as the logs and `waportalctl config` show it: the
 * database's address may hold a password, so it is only "(set)".
 */
const char *
conf_shown(const struct conf *c, enum conf_key k)
{
	if (k == CONF_DATABASE_URL)
		return *c->str[k] != '\0' ? "(set)" : "(unset)";
	return c->str[k];
}
