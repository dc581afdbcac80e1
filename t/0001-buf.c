/* 0001-buf: the growable buffer and the x* allocators. */
#include <string.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "tap.h"

int
main(void)
{
	struct buf	 b = BUF_INIT;
	char		*s;
	int		 i;

	is_str(buf_str(&b), "", "empty buffer reads as empty string");
	buf_puts(&b, "abc");
	buf_putc(&b, 'd');
	buf_printf(&b, "%d-%s", 42, "x");
	is_str(buf_str(&b), "abcd42-x", "puts, putc and printf append");
	is_int(b.len, 8, "length counts bytes");
	buf_append(&b, "\0z", 2);
	is_int(b.len, 10, "embedded NUL kept in length");
	ok(b.data[10] == '\0', "always NUL-terminated");
	buf_reset(&b);
	is_int(b.len, 0, "reset empties");
	for (i = 0; i < 10000; i++)
		buf_putc(&b, 'a' + i % 26);
	is_int(b.len, 10000, "grows past many doublings");
	ok(b.cap > b.len, "capacity stays ahead of length");
	s = buf_steal(&b);
	ok(b.data == NULL && b.len == 0, "steal empties the buffer");
	is_int(strlen(s), 10000, "stolen string is whole");
	free(s);
	s = buf_steal(&b);
	is_str(s, "", "steal of an empty buffer gives an empty string");
	free(s);
	buf_free(&b);
	buf_free(&b);
	ok(1, "free twice is safe");

	s = xstrndup("hello", 3);
	is_str(s, "hel", "xstrndup copies n bytes");
	free(s);
	s = xstrndup("hi", 200);
	is_str(s, "hi", "xstrndup stops at NUL");
	free(s);
	s = xasprintf("%s=%d", "n", 7);
	is_str(s, "n=7", "xasprintf formats");
	free(s);
	return done_testing();
}
