# nginx/local.mk: the site file and snippets sysadmins include (docs/deploy.md).
nginxdir = $(pkgdatadir)/nginx
dist_nginx_DATA = nginx/waportal.conf nginx/waportal-fastcgi.conf \
	nginx/waportal-headers.conf
