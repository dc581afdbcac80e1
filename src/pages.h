/* pages.h: the handlers the route table names, one file per page or endpoint group. */
#ifndef WA_PAGES_H
#define WA_PAGES_H

struct req;

/* page_health.c */
int	page_healthz(struct req *);
int	page_readyz(struct req *);

/* page_home.c */
int	page_home(struct req *);
int	page_lang(struct req *);

/* page_csp.c */
int	page_csp_report(struct req *);

#endif
