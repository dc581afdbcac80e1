/* ipallow.c: parse an API key's address allowlist into a PostgreSQL cidr[] literal. */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "ipallow.h"

#define IPALLOW_LINE_MAX	64	/* longer is never an address */

/*
 * Check one entry: an address, or an address, '/' and a decimal prefix
 * length within its family's size, with no bits set after the prefix
 * (PostgreSQL's cidr refuses those). Returns IPALLOW_OK or the error.
 */
int
ipallow_entry(const char *s, size_t n)
{
	char		 tmp[IPALLOW_LINE_MAX];
	unsigned char	 a[16];
	const char	*slash;
	int		 af, bits, plen = -1;
	size_t		 i, alen;

	if (n == 0 || n >= sizeof(tmp))
		return IPALLOW_ERR_ADDRESS;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if ((slash = strchr(tmp, '/')) != NULL) {
		if (slash[1] == '\0' || strlen(slash + 1) > 3)
			return IPALLOW_ERR_PREFIX;
		for (plen = 0, i = 1; slash[i] != '\0'; i++) {
			if (slash[i] < '0' || slash[i] > '9')
				return IPALLOW_ERR_PREFIX;
			plen = plen * 10 + (slash[i] - '0');
		}
		tmp[slash - tmp] = '\0';
	}
	af = strchr(tmp, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(af, tmp, a) != 1)
		return IPALLOW_ERR_ADDRESS;
	bits = af == AF_INET6 ? 128 : 32;
	if (plen > bits)
		return IPALLOW_ERR_PREFIX;
	if (plen < 0)
		return IPALLOW_OK;
	alen = (size_t)bits / 8;
	for (i = 0; i < alen; i++) {
		int	 keep = plen - (int)i * 8;
		unsigned mask = keep >= 8 ? 0xff : keep <= 0 ? 0 :
		    (0xff << (8 - keep)) & 0xff;

		if (a[i] & ~mask & 0xff)
			return IPALLOW_ERR_HOSTBITS;
	}
	return IPALLOW_OK;
}

/* Trim blanks and a CR off both ends of [*s, *s + *n). */
static void
ipallow_trim(const char **s, size_t *n)
{
	while (*n > 0 && strchr(" \t\r", (*s)[0]) != NULL)
		(*s)++, (*n)--;
	while (*n > 0 && strchr(" \t\r", (*s)[*n - 1]) != NULL)
		(*n)--;
}

/* Record error e at line no, keeping the line's text. */
static int
ipallow_fail(struct ipallow *ia, int e, size_t no, const char *s, size_t n)
{
	ia->error = e;
	ia->line = no;
	ia->bad = xstrndup(s, n > IPALLOW_LINE_MAX ? IPALLOW_LINE_MAX : n);
	return -1;
}

/*
 * Parse text (lines of entries; blank lines skipped) into ia. Returns 0
 * with ia->array ("{a,b}", "{}" for none) and ia->count, or -1 with
 * ia->error, ia->line and ia->bad. The caller calls ipallow_free().
 */
int
ipallow_parse(struct ipallow *ia, const char *text, size_t len)
{
	struct buf	 b = BUF_INIT;
	const char	*p = text, *end = text + len, *nl, *s;
	size_t		 n, no = 0;
	int		 e;

	memset(ia, 0, sizeof(*ia));
	buf_putc(&b, '{');
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		s = p, n = nl - p, no++;
		ipallow_trim(&s, &n);
		if (n == 0)
			continue;
		if ((e = ipallow_entry(s, n)) != IPALLOW_OK ||
		    (ia->count == IPALLOW_MAX && (e = IPALLOW_ERR_TOO_MANY))) {
			buf_free(&b);
			return ipallow_fail(ia, e, no, s, n);
		}
		if (ia->count++ > 0)
			buf_putc(&b, ',');
		buf_append(&b, s, n);
	}
	buf_putc(&b, '}');
	ia->array = buf_steal(&b);
	return 0;
}

void
ipallow_free(struct ipallow *ia)
{
	free(ia->array);
	free(ia->bad);
	ia->array = ia->bad = NULL;
}
