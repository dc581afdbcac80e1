/* serve.h: run one FastCGI request through the central checks to its handler. */
#ifndef WA_SERVE_H
#define WA_SERVE_H

#include <fcgiapp.h>

struct app;
struct req;

/*
 * What the REST API (src/api) plugs into the central checks, so the
 * framework never links it: it authenticates AUTH_APIKEY routes,
 * answers the errors of the paths it owns (problem+json with its rate
 * headers), and counts a call once answered. app->api may be NULL.
 */
struct serve_plug {
	int	(*auth)(struct req *);
	int	(*owns)(const struct req *);
	int	(*error)(struct req *, int);
	void	(*finish)(struct req *);
};

void	serve_request(struct app *, FCGX_Request *);

#endif
