/* tmpl.h: Mustache templates rendered over json-c view models into HTML. */
#ifndef WA_TMPL_H
#define WA_TMPL_H

#include <stddef.h>

struct buf;
struct json_object;
struct tmpl_set;

/* Partials nested deeper than this render nothing (see docs/templates.md). */
#define TMPL_MAX_PARTIAL_DEPTH	32
/* Sections nested deeper than this in one template are a parse error. */
#define TMPL_MAX_NEST		32
/* One render stops (and fails) after this many tag visits or output bytes. */
#define TMPL_MAX_STEPS		(4 * 1024 * 1024)
#define TMPL_MAX_OUTPUT		(32 * 1024 * 1024)
/* Largest template file tmpl_set_load_dir accepts. */
#define TMPL_MAX_FILE		(1024 * 1024)

struct tmpl_set	*tmpl_set_new(void);
int		 tmpl_set_add(struct tmpl_set *, const char *name,
		    const char *text, size_t len, const char *filename,
		    char *err, size_t errsz);
int		 tmpl_set_load_dir(struct tmpl_set *, const char *dir,
		    char *err, size_t errsz);
int		 tmpl_set_has(const struct tmpl_set *, const char *name);
int		 tmpl_render(const struct tmpl_set *, const char *name,
		    struct json_object *view, struct buf *out);
void		 tmpl_set_free(struct tmpl_set *);

#endif
