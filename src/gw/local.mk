# src/gw/local.mk: libwagw.a, the gateway drivers (libcurl), linked by the worker and the dispatcher.
noinst_LIBRARIES += src/gw/libwagw.a
src_gw_libwagw_a_SOURCES = \
	src/gw/gw.c src/gw/gw.h \
	src/gw/gw_http.c src/gw/gw_http.h \
	src/gw/gw_retry.c \
	src/gw/gw_waha.c
