/* ctl_host_check.c: waportalctl host option validators and secret readers. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "core/xmalloc.h"
#include "ctl_host_priv.h"

#define HOST_SLUG_MAX		64	/* name: bytes */
#define HOST_URL_MAX		500	/* base URL: bytes */
#define HOST_CITY_MAX		100	/* city: code points */
#define HOST_CAPACITY_MAX	100000
#define HOST_SECRET_RAND	32	/* generated secret: random bytes */
#define HOST_READ_MAX		4096	/* a secret file: bytes read at most */

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

int
ctl_host_check_name(char *in, char **out, const char **err)
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

int
ctl_host_check_driver(char *in, char **out, const char **err)
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
int
ctl_host_check_url(char *in, char **out, const char **err)
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

int
ctl_host_check_city(char *in, char **out, const char **err)
{
	host_trim(in);
	if (text_field_ok(in, strlen(in), HOST_CITY_MAX, 0, err) == -1)
		return -1;
	*out = xstrdup(in);
	return 0;
}

/* An assigned ISO 3166-1 alpha-2 code, stored upper-case; "": none. */
int
ctl_host_check_country(char *in, char **out, const char **err)
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

int
ctl_host_check_lat(char *in, char **out, const char **err)
{
	*err = "must be a number from -90 to 90 with at most 6 decimals";
	return host_degrees(in, out, 90);
}

int
ctl_host_check_lon(char *in, char **out, const char **err)
{
	*err = "must be a number from -180 to 180 with at most 6 decimals";
	return host_degrees(in, out, 180);
}

int
ctl_host_check_capacity(char *in, char **out, const char **err)
{
	size_t	 n = strlen(host_trim(in));

	*err = "must be a whole number from 1 to 100000";
	if (n < 1 || n > 6 || strspn(in, "0123456789") != n ||
	    atol(in) < 1 || atol(in) > HOST_CAPACITY_MAX)
		return -1;
	*out = xstrdup(in);
	return 0;
}

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
 * The secret for option opt: from the file path names, or stdin if
 * path is NULL.  Returns it (the caller wipes and frees it), or NULL
 * after a message (status 1) that never quotes it.
 */
char *
ctl_host_secret_read(struct ctl_run *run, const char *opt, const char *path,
    size_t min, size_t max)
{
	const char	*err = NULL;
	char		*s;
	size_t		 n;
	int		 fd = STDIN_FILENO;

	if (path == NULL && isatty(fd)) {
		ctl_fail(run, "--api-key-stdin: stdin is a terminal; pipe the "
		    "key in or use --api-key-file");
		return NULL;
	}
	if (path != NULL && (fd = open(path,
	    O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		ctl_fail(run, "--%s: cannot open it: %s", opt, strerror(errno));
		return NULL;
	}
	s = host_read_fd(fd, &n, &err);
	if (fd != STDIN_FILENO)
		close(fd);
	if (s == NULL) {
		ctl_fail(run, "--%s: cannot read it: %s", opt, err);
		return NULL;
	}
	if (host_secret_ok(s, n, min, max))
		return s;
	explicit_bzero(s, n);
	free(s);
	ctl_fail(run, "--%s: must hold one line of %zu to %zu printable "
	    "ASCII characters, no spaces", opt, min, max);
	return NULL;
}

/* A new webhook secret: 32 random bytes in hex; NULL if none came. */
char *
ctl_host_secret_new(void)
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
