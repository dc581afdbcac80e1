# src/web/local.mk: libwaweb.a, the request framework: parsers, router, central checks, responses, templates, sessions, strings.
noinst_LIBRARIES += src/web/libwaweb.a
src_web_libwaweb_a_SOURCES = \
	src/web/param.c src/web/param.h \
	src/web/form.c src/web/cookie.c src/web/multipart.c \
	src/web/jsonbody.c src/web/jsonbody.h \
	src/web/html.c src/web/html.h \
	src/web/tmpl.c src/web/tmpl.h src/web/tmpl_priv.h \
	src/web/tmpl_parse.c src/web/tmpl_render.c \
	src/web/req.c src/web/req.h \
	src/web/resp.c src/web/resp.h \
	src/web/route.c src/web/route.h \
	src/web/serve.c src/web/serve.h \
	src/web/session.c src/web/session.h \
	src/web/flash.c src/web/flash.h \
	src/web/i18n.c src/web/i18n.h \
	src/web/i18n_cat.c \
	src/web/input.c src/web/input.h \
	src/web/module.c src/web/module.h

# Static files nginx serves (the pages' CSS and script).
staticdir = $(pkgdatadir)/static
dist_static_DATA = src/static/waportal.css src/static/waportal.js

# The translations of po/, compiled into the worker: po/<lang>.po
# becomes a C table (po/po2c.awk); docs/i18n.md.
nodist_src_web_libwaweb_a_SOURCES = src/web/i18n_id.c
CLEANFILES += src/web/i18n_id.c
EXTRA_DIST += po
src/web/i18n_id.c: $(srcdir)/po/id.po $(srcdir)/po/po2c.awk
	$(AM_V_GEN)$(MKDIR_P) src/web && \
	$(AWK) -v lang=id -f $(srcdir)/po/po2c.awk $(srcdir)/po/id.po >$@.tmp && \
	mv $@.tmp $@
