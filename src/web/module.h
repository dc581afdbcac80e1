/* module.h: a feature module: the routes, statements and template strings it adds to the worker's central tables. */
#ifndef WA_MODULE_H
#define WA_MODULE_H

#include <stddef.h>

#include "core/db.h"

struct flash;
struct i18n_key;
struct route;

/*
 * What one file of the portal, the API or the webhooks gives the
 * worker. Its handlers, statements and strings are static in that
 * file; src/fcgi/modules.c lists the modules, one line each, and the
 * worker builds its route table and template strings from the list.
 */
struct module {
	const char		*name;
	const struct route	*routes;
	size_t			 nroutes;
	struct stmt_set		 sql;		/* for the statement check */
	const struct i18n_key	*strings;	/* keys its templates use */
	size_t			 nstrings;
	const struct flash	*flashes;	/* messages after a redirect */
	size_t			 nflashes;
};

#define MODULE_ROUTES(a)	.routes = (a), \
				.nroutes = sizeof(a) / sizeof((a)[0])
#define MODULE_SQL(a)		.sql = STMT_SET(a)
#define MODULE_STRINGS(a)	.strings = (a), \
				.nstrings = sizeof(a) / sizeof((a)[0])
#define MODULE_FLASHES(a)	.flashes = (a), \
				.nflashes = sizeof(a) / sizeof((a)[0])

struct app;

int	modules_load(struct app *, const struct module *const *, char *,
	    size_t);

#endif
