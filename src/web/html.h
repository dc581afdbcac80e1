/* html.h: escapers for HTML text, quoted attributes and URL query arguments. */
#ifndef WA_HTML_H
#define WA_HTML_H

#include <stddef.h>

struct buf;

void	html_escape(struct buf *, const char *, size_t);
void	html_url_arg(struct buf *, const char *, size_t);

#endif
