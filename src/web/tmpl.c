/* tmpl.c: template sets: add and load templates, check partials, free. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "tmpl.h"
#include "tmpl_priv.h"

#define TMPL_EXT	".mustache"

/* Write "file:line: message" into err (if any); line 0 omits the line. */
void
tmpl_errf(char *err, size_t errsz, const char *file, int line,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (err == NULL || errsz == 0)
		return;
	if (line > 0)
		n = snprintf(err, errsz, "%s:%d: ", file, line);
	else
		n = snprintf(err, errsz, "%s: ", file);
	if (n < 0 || (size_t)n >= errsz)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, errsz - (size_t)n, fmt, ap);
	va_end(ap);
}

struct tmpl_set *
tmpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_set));
}

/* Free n's children and strings (not n itself). */
void
tmpl_node_free(struct tmpl_node *n)
{
	size_t	 i;

	for (i = 0; i < n->nkids; i++)
		tmpl_node_free(&n->kids[i]);
	free(n->kids);
	free(n->str);
	free(n->name);
	free(n->path);
}

static void
tmpl_free(struct tmpl *t)
{
	tmpl_node_free(&t->root);
	free(t->name);
	free(t->file);
	free(t);
}

void
tmpl_set_free(struct tmpl_set *set)
{
	size_t	 i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		tmpl_free(set->v[i]);
	free(set->v);
	free(set);
}

/* The template called name, or NULL. Sets are small: a linear search. */
const struct tmpl *
tmpl_set_find(const struct tmpl_set *set, const char *name)
{
	size_t	 i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i]->name, name) == 0)
			return set->v[i];
	return NULL;
}

int
tmpl_set_has(const struct tmpl_set *set, const char *name)
{
	return tmpl_set_find(set, name) != NULL;
}

/* Line (1-based) of the first line of text that is not valid UTF-8, or 0. */
static int
tmpl_bad_line(const char *text, size_t len)
{
	const char	*nl;
	size_t		 k;
	int		 line;

	for (line = 1; len > 0; line++) {
		nl = memchr(text, '\n', len);
		k = nl != NULL ? (size_t)(nl - text) : len;
		if (!utf8_valid(text, k))
			return line;
		if (nl == NULL)
			break;
		text += k + 1;
		len -= k + 1;
	}
	return 0;
}

/*
 * Parse text and add it to set under name. filename (or the name when
 * NULL) prefixes error messages. Returns 0, or -1 with "FILE:LINE: message"
 * in err and the set unchanged.
 */
int
tmpl_set_add(struct tmpl_set *set, const char *name, const char *text,
    size_t len, const char *filename, char *err, size_t errsz)
{
	struct tmpl	*t;
	int		 line;

	if (filename == NULL)
		filename = name;
	if (tmpl_set_has(set, name)) {
		tmpl_errf(err, errsz, filename, 0,
		    "template '%s' is already defined", name);
		return -1;
	}
	if (text == NULL)
		text = "";
	if ((line = tmpl_bad_line(text, len)) > 0) {
		tmpl_errf(err, errsz, filename, line,
		    "not valid UTF-8 (or contains NUL)");
		return -1;
	}
	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->file = xstrdup(filename);
	if (tmpl_parse(t, text, len, err, errsz) == -1) {
		tmpl_free(t);
		return -1;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->v = xreallocarray(set->v, set->cap, sizeof(*set->v));
	}
	set->v[set->n++] = t;
	return 0;
}

/* Read the whole file path into b. Returns 0, or -1 with err set. */
static int
tmpl_read_file(const char *path, struct buf *b, char *err, size_t errsz)
{
	char	 chunk[8192];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		tmpl_errf(err, errsz, path, 0, "%s", strerror(errno));
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 || b->len + (size_t)n > TMPL_MAX_FILE) {
			tmpl_errf(err, errsz, path, 0, "%s", n == -1 ?
			    strerror(errno) : "file too large");
			close(fd);
			return -1;
		}
		buf_append(b, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

/* Load dir/file as the template named after file without its extension. */
static int
tmpl_load_file(struct tmpl_set *set, const char *dir, const char *file,
    char *err, size_t errsz)
{
	struct buf	 b = BUF_INIT;
	char		*path, *name;
	int		 rc = -1;

	path = xasprintf("%s/%s", dir, file);
	name = xstrndup(file, strlen(file) - strlen(TMPL_EXT));
	if (tmpl_read_file(path, &b, err, errsz) == 0)
		rc = tmpl_set_add(set, name, buf_str(&b), b.len, path,
		    err, errsz);
	buf_free(&b);
	free(name);
	free(path);
	return rc;
}

/* Does file name a template ("x.mustache", not hidden)? */
static int
tmpl_is_template(const char *file)
{
	size_t	 n = strlen(file), e = strlen(TMPL_EXT);

	return file[0] != '.' && n > e && strcmp(file + n - e, TMPL_EXT) == 0;
}

static int
tmpl_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The sorted names of the template files in dir in *names (caller frees
 * each and the array). Returns the count, or -1 with err set.
 */
static int
tmpl_list_dir(const char *dir, char ***names, char *err, size_t errsz)
{
	DIR		*d;
	struct dirent	*de;
	size_t		 n = 0, cap = 0;

	*names = NULL;
	if ((d = opendir(dir)) == NULL) {
		tmpl_errf(err, errsz, dir, 0, "%s", strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!tmpl_is_template(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			*names = xreallocarray(*names, cap, sizeof(**names));
		}
		(*names)[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(*names, n, sizeof(**names), tmpl_cmp);
	return (int)n;
}

/* Check every partial under n names a template of set; -1 with err if not. */
static int
tmpl_check_partials(const struct tmpl_set *set, const struct tmpl *t,
    const struct tmpl_node *n, char *err, size_t errsz)
{
	size_t	 i;

	if (n->kind == TMPL_PARTIAL && !tmpl_set_has(set, n->name)) {
		tmpl_errf(err, errsz, t->file, n->line,
		    "partial '%s' not found", n->name);
		return -1;
	}
	for (i = 0; i < n->nkids; i++)
		if (tmpl_check_partials(set, t, &n->kids[i], err, errsz) == -1)
			return -1;
	return 0;
}

/*
 * Load every *.mustache file of dir (in name order), then require each
 * partial reference to resolve. Returns 0, or -1 with err set; on error
 * the set may hold some of the templates and is only fit for freeing.
 */
int
tmpl_set_load_dir(struct tmpl_set *set, const char *dir, char *err,
    size_t errsz)
{
	char	**names;
	int	 i, n, rc = 0;

	if ((n = tmpl_list_dir(dir, &names, err, errsz)) == -1)
		return -1;
	if (n == 0) {
		tmpl_errf(err, errsz, dir, 0, "no *%s templates", TMPL_EXT);
		rc = -1;
	}
	for (i = 0; i < n; i++)
		if (rc == 0 && tmpl_load_file(set, dir, names[i], err,
		    errsz) == -1)
			rc = -1;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	for (i = 0; rc == 0 && (size_t)i < set->n; i++)
		rc = tmpl_check_partials(set, set->v[i], &set->v[i]->root,
		    err, errsz);
	return rc;
}
