/* param.c: the parameter list shared by the parsers, and default limits. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "param.h"

/*
 * Defaults; docs/limits.md gives the reasoning for each.  max_total is
 * sized for urlencoded and JSON bodies: routes taking uploads pass a
 * larger copy for multipart bodies.
 */
const struct parse_limits parse_limits_default = {
	.max_params = 256,
	.max_name = 128,
	.max_value = 64 * 1024,
	.max_file = 2 * 1024 * 1024,
	.max_total = 1024 * 1024,
	.max_depth = 32,
};

/* Return lim, or the defaults when lim is NULL. */
const struct parse_limits *
params_limits(const struct parse_limits *lim)
{

	return lim != NULL ? lim : &parse_limits_default;
}

/*
 * Free every pair and leave an empty list.  status and errmsg are kept
 * so a caller may free first and log the failure after.  Safe on a
 * zeroed list and when called twice.
 */
void
params_free(struct params *p)
{
	size_t	 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].name);
		if (!p->v[i].borrowed)
			free(p->v[i].value);
		free(p->v[i].filename);
		free(p->v[i].ctype);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

/* Free the list and clear the error: every parser starts here. */
void
params_reset(struct params *p)
{

	params_free(p);
	p->status = 0;
	p->errmsg[0] = '\0';
}

/* Return the pair called name, or NULL; the list still owns it. */
const struct param *
params_get(const struct params *p, const char *name)
{
	size_t	 i;

	if (p == NULL || name == NULL)
		return NULL;
	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return &p->v[i];
	return NULL;
}

/*
 * Append a pair.  The list takes ownership of all four strings
 * (filename and ctype may be NULL).  Callers check max_params and
 * duplicates before calling.  The array starts with room for 4 and
 * doubles whenever n reaches a power of two from 4 up, so its capacity
 * needs no field of its own.
 */
void
params_push(struct params *p, char *name, char *value, size_t valsz,
    char *filename, char *ctype)
{
	struct param	*e;

	if (p->n == 0 || (p->n >= 4 && (p->n & (p->n - 1)) == 0))
		p->v = xreallocarray(p->v, p->n == 0 ? 4 : p->n * 2,
		    sizeof(*p->v));
	e = &p->v[p->n++];
	e->name = name;
	e->value = value;
	e->valsz = valsz;
	e->filename = filename;
	e->ctype = ctype;
	e->borrowed = 0;
}

/*
 * Empty the list, record status and the message, and return -1.
 * The format must be a literal and its arguments numbers or limit
 * names: an error message never carries input bytes.
 */
int
params_fail(struct params *p, int status, const char *fmt, ...)
{
	va_list	 ap;

	params_free(p);
	p->status = status;
	va_start(ap, fmt);
	vsnprintf(p->errmsg, sizeof(p->errmsg), fmt, ap);
	va_end(ap);
	return -1;
}
