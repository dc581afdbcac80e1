/* tmpl_priv.h: the parsed template tree shared by parser, renderer and set. */
#ifndef WA_TMPL_PRIV_H
#define WA_TMPL_PRIV_H

#include <stdarg.h>
#include <stddef.h>

enum tmpl_kind {
	TMPL_TEXT,		/* literal bytes */
	TMPL_VAR,		/* {{name}}: HTML-escaped */
	TMPL_RAW,		/* {{{name}}} or {{& name}}: copied as is */
	TMPL_SECTION,		/* {{#name}}...{{/name}} */
	TMPL_INVERTED,		/* {{^name}}...{{/name}} */
	TMPL_PARTIAL,		/* {{> name}} */
	TMPL_INDENT,		/* a line starts: standalone partial indent */
	TMPL__MAX
};

struct tmpl_node {
	enum tmpl_kind	 kind;
	int		 line;		/* where the tag starts, 1-based */
	int		 standalone;	/* PARTIAL: alone on its line */
	char		*str;		/* TEXT: bytes; PARTIAL: indentation */
	size_t		 len;		/* length of str */
	char		*name;		/* tag name as written */
	char		*path;		/* name, '.' -> NUL; NULL for "." */
	size_t		 npath;		/* parts in path */
	struct tmpl_node *kids;		/* body of a section or template */
	size_t		 nkids;
	size_t		 capkids;
};

struct tmpl {
	char		*name;
	char		*file;		/* for error messages */
	struct tmpl_node root;		/* kind TMPL_SECTION; only kids used */
};

struct tmpl_set {
	struct tmpl	**v;
	size_t		 n;
	size_t		 cap;
};

int		 tmpl_parse(struct tmpl *, const char *, size_t, char *,
		    size_t);
void		 tmpl_node_free(struct tmpl_node *);
const struct tmpl *tmpl_set_find(const struct tmpl_set *, const char *);
void		 tmpl_errf(char *, size_t, const char *, int,
		    const char *, ...)
		    __attribute__((format(printf, 5, 6)));

#endif
