# src/fcgi/local.mk: waportal-fcgi, the FastCGI worker: its main loop, its modules and its own endpoints.
bin_PROGRAMS += src/waportal-fcgi
src_waportal_fcgi_SOURCES = \
	src/fcgi/fcgi_main.c \
	src/fcgi/modules.c src/fcgi/modules.h \
	src/fcgi/health.c \
	src/fcgi/csp.c
src_waportal_fcgi_LDADD = $(API_LIBS) $(HOOK_LIBS) $(PORTAL_LIBS) \
	$(AUD_LIBS) $(WEB_LIBS) $(GW_LIBS) $(CORE_LIBS)
