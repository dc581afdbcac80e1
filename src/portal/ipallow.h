/* ipallow.h: an API key's address allowlist: one IPv4/IPv6 address or CIDR range a line. */
#ifndef WA_IPALLOW_H
#define WA_IPALLOW_H

#include <stddef.h>

#define IPALLOW_MAX	32	/* entries; the schema's limit too */

enum ipallow_error {
	IPALLOW_OK,
	IPALLOW_ERR_ADDRESS,	/* not an address */
	IPALLOW_ERR_PREFIX,	/* prefix length missing or out of range */
	IPALLOW_ERR_HOSTBITS,	/* bits set right of the prefix */
	IPALLOW_ERR_TOO_MANY,
	IPALLOW_ERR__MAX
};

struct ipallow {
	char		*array;		/* cidr[] literal (owned) */
	size_t		 count;
	int		 error;		/* enum ipallow_error */
	size_t		 line;		/* 1-based, of the error */
	char		*bad;		/* that line (owned) */
};

int	ipallow_parse(struct ipallow *, const char *, size_t);
int	ipallow_entry(const char *, size_t);
void	ipallow_free(struct ipallow *);

#endif
