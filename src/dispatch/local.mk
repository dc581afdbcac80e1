# src/dispatch/local.mk: waportal-dispatch, the daemon that sends queued messages and probes the hosts; never the web layer.
bin_PROGRAMS += src/waportal-dispatch
src_waportal_dispatch_SOURCES = \
	src/dispatch/dispatch_main.c \
	src/dispatch/house.c src/dispatch/house.h \
	src/dispatch/send.h \
	src/dispatch/send_loop.c \
	src/dispatch/send_claim.c \
	src/dispatch/send_multi.c \
	src/dispatch/probe.c src/dispatch/probe.h \
	src/dispatch/receipt.c src/dispatch/receipt.h \
	src/dispatch/check.c src/dispatch/check.h
src_waportal_dispatch_LDADD = $(GW_LIBS) $(CORE_LIBS)
