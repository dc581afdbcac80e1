/* serve.h: run one FastCGI request through the central checks to its handler. */
#ifndef WA_SERVE_H
#define WA_SERVE_H

#include <fcgiapp.h>

struct app;

void	serve_request(struct app *, FCGX_Request *);

#endif
