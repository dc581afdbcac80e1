/* ctl_host.c: waportalctl host add|list|update|disable|enable: the gateway servers (WAHA) instances run on. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "ctl_account.h"
#include "ctl_host.h"
#include "xmalloc.h"

#define HOST_SLUG_MAX		64	/* name: bytes */
#define HOST_URL_MAX		500	/* base URL: bytes */
#define HOST_CITY_MAX		100	/* city: code points */
#define HOST_CAPACITY_MAX	100000
#define HOST_KEY_MAX		512	/* API key: bytes */
#define HOST_SECRET_MIN		32	/* webhook secret: bytes */
#define HOST_SECRET_MAX		512
#define HOST_SECRET_RAND	32	/* generated secret: random bytes */
#define HOST_READ_MAX		4096	/* a secret file: bytes read at most */

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

/* The assigned ISO 3166-1 alpha-2 codes, in order, two letters each. */
static const char host_countries[] =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBT"
    "BVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEH"
    "ERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHT"
    "HUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLS"
    "LTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNI"
    "NLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESG"
    "SHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUG"
    "UMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

/* ------------------------------------------------------------ values */

/* Printable ASCII without space: what URLs, keys and secrets are. */
static int
host_graph(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return 0;
	return 1;
}

/* Strip ASCII spaces from both ends of s, in place. */
static char *
host_trim(char *s)
{
	const char	*p = s;
	size_t		 n = strlen(s);

	text_trim(&p, &n);
	memmove(s, p, n);
	s[n] = '\0';
	return s;
}

static int
host_check_name(char *in, char **out, const char **err)
{
	size_t	 n = strlen(host_trim(in));

	*err = "must be 1 to 64 lower-case letters, digits and hyphens, "
	    "not starting with a hyphen";
	if (n == 0 || n > HOST_SLUG_MAX || in[0] == '-' ||
	    strspn(in, "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
		return -1;
	*out = xstrdup(in);
	return 0;
}

static int
host_check_driver(char *in, char **out, const char **err)
{
	*err = "must be waha";
	if (strcmp(host_trim(in), "waha") != 0)
		return -1;
	*out = xstrdup(in);
	return 0;
}

/* [IPv6] or a DNS name / IPv4 address, then an optional :port. */
static int
host_url_authority(const char *a, size_t n)
{
	size_t		 h;
	const char	*port;
	long		 p;

	if (n > 0 && a[0] == '[') {
		h = strspn(a + 1, "0123456789abcdefABCDEF:.");
		if (h == 0 || h + 1 >= n || a[h + 1] != ']')
			return -1;
		h += 2;
	} else
		h = strspn(a, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
	if (h == 0 || h > n || a[0] == '.' || a[0] == '-')
		return -1;
	if (h == n)
		return 0;
	port = a + h + 1;
	if (a[h] != ':' || n - h - 1 < 1 || n - h - 1 > 5 ||
	    strspn(port, "0123456789") != n - h - 1)
		return -1;
	p = strtol(port, NULL, 10);
	return p >= 1 && p <= 65535 ? 0 : -1;
}

/*
 * An http(s) base URL: no user:password@, query or fragment.  The
 * scheme and host are lower-cased and trailing slashes dropped.  No
 * message quotes the value (it could hold a password).
 */
static int
host_check_url(char *in, char **out, const char **err)
{
	size_t	 n = strlen(host_trim(in)), skip, auth, i;

	*err = "must be at most 500 printable ASCII characters, no spaces";
	if (n > HOST_URL_MAX || !host_graph(in, n))
		return -1;
	*err = "must start with http:// or https://";
	if (strncasecmp(in, "http://", 7) == 0)
		skip = 7;
	else if (strncasecmp(in, "https://", 8) == 0)
		skip = 8;
	else
		return -1;
	auth = strcspn(in + skip, "/?#");
	*err = "must not hold a user name or password (user:pass@)";
	if (memchr(in + skip, '@', auth) != NULL)
		return -1;
	*err = "must not have a fragment (#) or a query (?)";
	if (strpbrk(in, "#?") != NULL)
		return -1;
	*err = "has no valid host name or port";
	if (host_url_authority(in + skip, auth) == -1)
		return -1;
	for (i = 0; i < skip + auth; i++)
		in[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] + 32 :
		    in[i]);
	while (n > skip + auth && in[n - 1] == '/')
		in[--n] = '\0';
	*out = xstrdup(in);
	return 0;
}

static int
host_check_city(char *in, char **out, const char **err)
{
	host_trim(in);
	if (text_field_ok(in, strlen(in), HOST_CITY_MAX, 0, err) == -1)
		return -1;
	*out = xstrdup(in);
	return 0;
}

/* An assigned ISO 3166-1 alpha-2 code, stored upper-case; "": none. */
static int
host_check_country(char *in, char **out, const char **err)
{
	size_t	 i;

	*err = "must be an ISO 3166-1 alpha-2 country code such as ID or SG";
	host_trim(in);
	if (in[0] == '\0') {
		*out = xstrdup("");
		return 0;
	}
	if (strlen(in) != 2)
		return -1;
	for (i = 0; i < 2; i++)
		in[i] = (char)(in[i] >= 'a' && in[i] <= 'z' ? in[i] - 32 :
		    in[i]);
	for (i = 0; host_countries[i] != '\0'; i += 2)
		if (strncmp(host_countries + i, in, 2) == 0) {
			*out = xstrdup(in);
			return 0;
		}
	return -1;
}

/* [-]D[.DDDDDD] within -max..max; "" (no location) is kept. */
static int
host_degrees(char *in, char **out, double max)
{
	const char	*p = host_trim(in);
	size_t		 d, f = 0;

	if (*p == '\0') {
		*out = xstrdup("");
		return 0;
	}
	if (*p == '-')
		p++;
	d = strspn(p, "0123456789");
	if (p[d] == '.')
		f = strspn(p + d + 1, "0123456789") + 1;
	if (d < 1 || d > 3 || f == 1 || f > 7 || p[d + f] != '\0' ||
	    strtod(p, NULL) > max)
		return -1;
	*out = xstrdup(in);
	return 0;
}

static int
host_check_lat(char *in, char **out, const char **err)
{
	*err = "must be a number from -90 to 90 with at most 6 decimals";
	return host_degrees(in, out, 90);
}

static int
host_check_lon(char *in, char **out, const char **err)
{
	*err = "must be a number from -180 to 180 with at most 6 decimals";
	return host_degrees(in, out, 180);
}

static int
host_check_capacity(char *in, char **out, const char **err)
{
	size_t	 n = strlen(host_trim(in));

	*err = "must be a whole number from 1 to 100000";
	if (n < 1 || n > 6 || strspn(in, "0123456789") != n ||
	    atol(in) < 1 || atol(in) > HOST_CAPACITY_MAX)
		return -1;
	*out = xstrdup(in);
	return 0;
}

static const struct host_optdef host_opts[HOST__MAX] = {
	[HOST_NAME] = { "name", required_argument, host_check_name },
	[HOST_DRIVER] = { "driver", required_argument, host_check_driver },
	[HOST_URL] = { "url", required_argument, host_check_url },
	[HOST_CITY] = { "city", required_argument, host_check_city },
	[HOST_COUNTRY] = { "country", required_argument, host_check_country },
	[HOST_LAT] = { "latitude", required_argument, host_check_lat },
	[HOST_LON] = { "longitude", required_argument, host_check_lon },
	[HOST_CAPACITY] = { "capacity", required_argument,
	    host_check_capacity },
	[HOST_KEY_FILE] = { "api-key-file", required_argument, NULL },
	[HOST_KEY_STDIN] = { "api-key-stdin", no_argument, NULL },
	[HOST_SECRET_FILE] = { "webhook-secret-file", required_argument,
	    NULL },
};

/* ------------------------------------------------------------ secrets */

/*
 * Read all of fd, at most HOST_READ_MAX + 1 bytes (more is too long
 * anyway).  Returns them NUL-terminated with their number in *n (the
 * caller wipes and frees them), or NULL with *err.
 */
static char *
host_read_fd(int fd, size_t *n, const char **err)
{
	char	*b = xmalloc(HOST_READ_MAX + 2);
	ssize_t	 r;

	*n = 0;
	while (*n <= HOST_READ_MAX &&
	    (r = read(fd, b + *n, HOST_READ_MAX + 1 - *n)) != 0) {
		if (r == -1 && errno != EINTR) {
			*err = strerror(errno);
			explicit_bzero(b, *n);
			free(b);
			return NULL;
		}
		if (r > 0)
			*n += (size_t)r;
	}
	b[*n] = '\0';
	return b;
}

/* One line (LF or CR LF dropped) of min..max printable ASCII bytes? */
static int
host_secret_ok(char *s, size_t n, size_t min, size_t max)
{
	if (n > 0 && s[n - 1] == '\n')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '\r')
		s[--n] = '\0';
	return n == strlen(s) && n >= min && n <= max && host_graph(s, n);
}

/*
 * The secret named by option o: from the file its value names, or
 * stdin.  Returns it (the caller wipes and frees it), or NULL after a
 * message (status 1) that never quotes it.
 */
static char *
host_secret(struct ctl_run *run, const struct host_args *a, enum host_opt o,
    size_t min, size_t max)
{
	const char	*err = NULL;
	char		*s;
	size_t		 n;
	int		 fd = STDIN_FILENO;

	if (o == HOST_KEY_STDIN && isatty(fd)) {
		ctl_fail(run, "--api-key-stdin: stdin is a terminal; pipe the "
		    "key in or use --api-key-file");
		return NULL;
	}
	if (o != HOST_KEY_STDIN && (fd = open(a->raw[o],
	    O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		ctl_fail(run, "--%s: cannot open it: %s", host_opts[o].name,
		    strerror(errno));
		return NULL;
	}
	s = host_read_fd(fd, &n, &err);
	if (fd != STDIN_FILENO)
		close(fd);
	if (s == NULL) {
		ctl_fail(run, "--%s: cannot read it: %s", host_opts[o].name,
		    err);
		return NULL;
	}
	if (host_secret_ok(s, n, min, max))
		return s;
	explicit_bzero(s, n);
	free(s);
	ctl_fail(run, "--%s: must hold one line of %zu to %zu printable "
	    "ASCII characters, no spaces", host_opts[o].name, min, max);
	return NULL;
}

/* A new webhook secret: 32 random bytes in hex; NULL if none came. */
static char *
host_secret_new(void)
{
	unsigned char	 raw[HOST_SECRET_RAND];
	char		*hex = xmalloc(2 * sizeof(raw) + 1);
	size_t		 i;

	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		free(hex);
		return NULL;
	}
	for (i = 0; i < sizeof(raw); i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	explicit_bzero(raw, sizeof(raw));
	return hex;
}

/* Read the key and secret the options name; 0, or 1 after a message. */
static int
host_secrets(struct ctl_run *run, struct host_args *a)
{
	enum host_opt	 k = a->raw[HOST_KEY_STDIN] ? HOST_KEY_STDIN :
			    HOST_KEY_FILE;

	if (a->raw[k] != NULL && (a->api_key = host_secret(run, a, k, 1,
	    HOST_KEY_MAX)) == NULL)
		return 1;
	if (a->raw[HOST_SECRET_FILE] != NULL && (a->secret = host_secret(run,
	    a, HOST_SECRET_FILE, HOST_SECRET_MIN, HOST_SECRET_MAX)) == NULL)
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
	if ((res = db_exec(&run->c->db, STMT_CTL_HOST_ADD, params)) == NULL) {
		if (strcmp(run->c->db.sqlstate, "23505") == 0)
			return ctl_fail(run, "a host named %s exists",
			    a->v[HOST_NAME]);
		return ctl_db_fail(run);
	}
	printf("%s\n", PQgetvalue(res, 0, 0));
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
		if ((a.secret = host_secret_new()) == NULL)
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
	static const char *const head[] = { "ID", "NAME", "DRIVER", "URL",
	    "CITY", "COUNTRY", "CAPACITY", "ENABLED", "STATUS" };
	struct ctl_args	 a;
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_args_parse(run, NULL, 0, 0, argc, argv, &a)) != 0)
		return rc;
	if ((res = ctl_exec(run, STMT_CTL_HOST_LIST, NULL)) == NULL)
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

	if ((res = db_exec(&run->c->db, STMT_CTL_HOST_UPDATE, params)) ==
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
	if ((res = ctl_exec(run, STMT_CTL_HOST_ENABLE, params)) == NULL)
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
