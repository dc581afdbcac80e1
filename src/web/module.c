/* module.c: the worker's one route table, built at start from the modules' own rows and checked before any request. */
#include <stdio.h>
#include <string.h>

#include "core/xmalloc.h"
#include "flash.h"
#include "i18n.h"
#include "input.h"
#include "module.h"
#include "req.h"
#include "route.h"

/*
 * What every route must be: a path from /, a handler, a name, a method
 * served (HEAD comes with GET), API paths answered as the API, a CSRF
 * check on unsafe session routes, inputs that fit and can be checked.
 * Returns NULL, or why rt is not.
 */
static const char *
route_bad(const struct route *rt)
{
	size_t	 i;

	if (rt->pattern == NULL || rt->pattern[0] != '/')
		return "a pattern must start with /";
	if (rt->handler == NULL || rt->name == NULL)
		return "a route needs a handler and a name";
	if (rt->method >= METHOD__MAX || rt->method == METHOD_HEAD)
		return "the method is not one a route can have";
	if (strncmp(rt->pattern, "/api/", 5) == 0 && rt->kind != KIND_API)
		return "a route under /api/ must be KIND_API";
	if (rt->method != METHOD_GET && rt->auth == AUTH_SESSION && !rt->csrf)
		return "an unsafe session route needs the CSRF check";
	if (rt->auth == AUTH_APIKEY && rt->csrf)
		return "an API key route takes no cookies, so no CSRF check";
	if (rt->ninputs > ROUTE_MAXINPUTS)
		return "too many inputs (ROUTE_MAXINPUTS)";
	for (i = 0; i < rt->ninputs; i++)
		if (rt->inputs[i].name == NULL || rt->inputs[i].valid == NULL)
			return "an input needs a name and a validator";
	return NULL;
}

/* NULL, or why rt cannot join the first n routes of tab. */
static const char *
route_clash(const struct route *tab, size_t n, const struct route *rt)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (tab[i].method == rt->method &&
		    strcmp(tab[i].pattern, rt->pattern) == 0)
			return "the same method and pattern twice";
		if (strcmp(tab[i].name, rt->name) == 0)
			return "the same route name twice";
	}
	return NULL;
}

/*
 * The route table of the modules mods (NULL-ended), in their order and
 * each module's own: a route earlier in it wins a path two patterns
 * match. Returns 0 with *tab (the caller frees it) and *n, or -1 with
 * the module, route and reason in err.
 */
int
route_table_build(const struct module *const *mods, struct route **tab,
    size_t *n, char *err, size_t errsz)
{
	const struct route	*rt;
	const char		*why;
	size_t			 i, j, total = 0;

	for (i = 0; mods[i] != NULL; i++)
		total += mods[i]->nroutes;
	*tab = xcalloc(total > 0 ? total : 1, sizeof(**tab));
	*n = 0;
	for (i = 0; mods[i] != NULL; i++)
		for (j = 0; j < mods[i]->nroutes; j++) {
			rt = &mods[i]->routes[j];
			if ((why = route_bad(rt)) == NULL)
				why = route_clash(*tab, *n, rt);
			if (why != NULL) {
				snprintf(err, errsz, "module %s, route %s: %s",
				    mods[i]->name, rt->pattern != NULL ?
				    rt->pattern : "?", why);
				return -1;
			}
			(*tab)[(*n)++] = *rt;
		}
	return 0;
}

/* NULL, or why the modules' flash messages cannot be told apart. */
static const char *
flash_clash(const struct module *const *mods, char *err, size_t errsz)
{
	const struct flash	*f, *g;
	size_t			 i, j, k, l;

	for (i = 0; mods[i] != NULL; i++)
		for (j = 0; j < mods[i]->nflashes; j++) {
			f = &mods[i]->flashes[j];
			for (k = i; mods[k] != NULL; k++)
				for (l = k == i ? j + 1 : 0;
				    l < mods[k]->nflashes; l++) {
					g = &mods[k]->flashes[l];
					if (strcmp(f->key, g->key) == 0)
						goto clash;
				}
		}
	return NULL;
clash:
	snprintf(err, errsz, "module %s: flash key %s twice", mods[i]->name,
	    mods[i]->flashes[j].key);
	return err;
}

/*
 * Serve the modules mods (NULL-ended): build the route table, check
 * that their flash keys differ, and give their strings to the
 * templates. Returns 0, or -1 with why in err.
 */
int
modules_load(struct app *app, const struct module *const *mods, char *err,
    size_t errsz)
{
	if (route_table_build(mods, &app->routes, &app->nroutes, err,
	    errsz) == -1 || flash_clash(mods, err, errsz) != NULL)
		return -1;
	app->modules = mods;
	i18n_init(mods);
	return 0;
}
