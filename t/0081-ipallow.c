/* 0081-ipallow.c: an API key's address allowlist: entries, prefix lengths, line numbers, the limit. */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "portal/ipallow.h"
#include "tap.h"

static const struct {
	const char	*entry;
	int		 want;
} entries[] = {
	{ "192.0.2.1", IPALLOW_OK },
	{ "192.0.2.0/24", IPALLOW_OK },
	{ "0.0.0.0/0", IPALLOW_OK },
	{ "192.0.2.1/32", IPALLOW_OK },
	{ "2001:db8::1", IPALLOW_OK },
	{ "2001:db8::/32", IPALLOW_OK },
	{ "::/0", IPALLOW_OK },
	{ "::ffff:192.0.2.1", IPALLOW_OK },
	{ "192.0.2.1/24", IPALLOW_ERR_HOSTBITS },
	{ "2001:db8::1/64", IPALLOW_ERR_HOSTBITS },
	{ "192.0.2.0/33", IPALLOW_ERR_PREFIX },
	{ "2001:db8::/129", IPALLOW_ERR_PREFIX },
	{ "192.0.2.0/", IPALLOW_ERR_PREFIX },
	{ "192.0.2.0/2x", IPALLOW_ERR_PREFIX },
	{ "192.0.2.0/-1", IPALLOW_ERR_PREFIX },
	{ "192.0.2.0/0024", IPALLOW_ERR_PREFIX },
	{ "256.0.0.1", IPALLOW_ERR_ADDRESS },
	{ "192.0.2", IPALLOW_ERR_ADDRESS },
	{ "example.com", IPALLOW_ERR_ADDRESS },
	{ "2001:db8:::1", IPALLOW_ERR_ADDRESS },
	{ "192.0.2.1 10.0.0.1", IPALLOW_ERR_ADDRESS },
	{ "<script>", IPALLOW_ERR_ADDRESS },
};

static const struct {
	const char	*text;
	int		 rc;
	const char	*array;		/* on success */
	size_t		 line;		/* on failure */
	const char	*bad;
} texts[] = {
	{ "", 0, "{}", 0, NULL },
	{ "\n \r\n", 0, "{}", 0, NULL },
	{ "192.0.2.1\r\n 10.0.0.0/8 \n\n2001:db8::/48", 0,
	    "{192.0.2.1,10.0.0.0/8,2001:db8::/48}", 0, NULL },
	{ "192.0.2.1\n\nnope\n10.0.0.1", -1, NULL, 3, "nope" },
	{ "10.0.0.1/8", -1, NULL, 1, "10.0.0.1/8" },
};

int
main(void)
{
	struct ipallow	 ia;
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		is_int(ipallow_entry(entries[i].entry,
		    strlen(entries[i].entry)), entries[i].want, "entry %s",
		    entries[i].entry);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		is_int(ipallow_parse(&ia, texts[i].text, strlen(texts[i].text)),
		    texts[i].rc, "text %zu: result", i);
		if (texts[i].rc == 0)
			is_str(ia.array, texts[i].array, "text %zu: array", i);
		else {
			is_int((int)ia.line, (int)texts[i].line,
			    "text %zu: line", i);
			is_str(ia.bad, texts[i].bad, "text %zu: bad", i);
		}
		ipallow_free(&ia);
	}
	for (i = 0; i < IPALLOW_MAX; i++)
		buf_printf(&b, "10.0.%zu.0/24\n", i);
	is_int(ipallow_parse(&ia, buf_str(&b), strlen(buf_str(&b))), 0,
	    "%d entries fit", IPALLOW_MAX);
	is_int((int)ia.count, IPALLOW_MAX, "all counted");
	ipallow_free(&ia);
	buf_puts(&b, "10.1.0.0/16\n");
	is_int(ipallow_parse(&ia, buf_str(&b), strlen(buf_str(&b))), -1,
	    "one more does not");
	is_int(ia.error, IPALLOW_ERR_TOO_MANY, "too many");
	is_int((int)ia.line, IPALLOW_MAX + 1, "on its line");
	ipallow_free(&ia);
	buf_free(&b);
	return done_testing();
}
