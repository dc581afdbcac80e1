/* config.h: configuration from DATABASE_URL and WAPORTAL_* environment variables. */
#ifndef WA_CONFIG_H
#define WA_CONFIG_H

enum conf_key {
	CONF_DATABASE_URL,
	CONF_TEMPLATE_DIR,
	CONF_SQL_DIR,
	CONF_OPENAPI,
	CONF_MAX_REQUESTS,
	CONF_MAX_BODY,
	CONF_MAX_UPLOAD,
	CONF_DB_CONNECT_TIMEOUT,
	CONF_STATEMENT_TIMEOUT,
	CONF_DISPATCH_INTERVAL,
	CONF_ARGON2_T,
	CONF_ARGON2_M,
	CONF_SESSION_IDLE,
	CONF_SESSION_MAX,
	CONF_SECURE_COOKIES,
	CONF_PROBE_INTERVAL,
	CONF_PUBLIC_URL,
	CONF_SEND_GAP_MS,
	CONF_SEND_JITTER_MS,
	CONF_SEND_HOURLY_CAP,
	CONF_SEND_MAX_ATTEMPTS,
	CONF_SEND_BACKOFF_MS,
	CONF_SEND_BACKOFF_MAX_MS,
	CONF_SEND_LEASE,
	CONF_SEND_PARALLEL,
	CONF_SEND_TIMEOUT_MS,
	CONF_RUNNER_INTERVAL,
	CONF_RUNNER_LEASE_S,
	CONF_RUNNER_MAX_ATTEMPTS,
	CONF_RUNNER_STATEMENT_TIMEOUT,
	CONF_EXPORT_SYNC_MAX,
	CONF_EXPORT_TTL,
	CONF_BULK_SYNC_MAX,
	CONF_RECEIPT_INTERVAL,
	CONF_RECEIPT_AFTER,
	CONF_RECEIPT_BATCH,
	CONF_RECEIPT_HOST_MAX,
	CONF_RECEIPT_GIVE_UP,
	CONF_CHECK_INTERVAL,
	CONF__MAX
};

enum conf_type {
	CONF_STR,	/* any non-empty string */
	CONF_DIR,	/* a directory; see conf_require_dir() */
	CONF_INT,	/* a decimal integer within [min, max] */
	CONF_URL	/* "" or an http(s) URL without a trailing slash */
};

struct conf_def {
	const char	*name;		/* environment variable */
	enum conf_type	 type;
	const char	*def;		/* default, as text */
	long long	 min, max;	/* CONF_INT only */
	const char	*doc;		/* one line for `waportalctl config` */
};

struct conf {
	const char	*str[CONF__MAX];	/* value as text (env or default) */
	long long	 num[CONF__MAX];	/* CONF_INT values */
	char		 errmsg[256];
};

extern const struct conf_def conf_defs[CONF__MAX];

int	conf_load(struct conf *);
const char *conf_shown(const struct conf *, enum conf_key);
int	conf_require_dir(struct conf *, enum conf_key);

#endif
