# nginx/local.mk: the site file, the snippets it includes and nginx's problem documents (docs/deploy.md).
nginxdir = $(pkgdatadir)/nginx
dist_nginx_DATA = nginx/waportal.conf nginx/waportal-fastcgi.conf \
	nginx/waportal-headers.conf nginx/waportal-errors.conf
# One RFC 9457 document per status nginx answers itself on /api/ and
# /hooks/ (waportal-errors.conf).
nginxproblemsdir = $(nginxdir)/problems
dist_nginxproblems_DATA = nginx/problems/400.json nginx/problems/405.json \
	nginx/problems/413.json nginx/problems/414.json nginx/problems/429.json \
	nginx/problems/500.json nginx/problems/502.json nginx/problems/503.json \
	nginx/problems/504.json
