# src/gwsim/local.mk: waportal-gwsim, the WAHA gateway simulator of the tests and the demo (libmicrohttpd); never the web layer.
bin_PROGRAMS += src/waportal-gwsim
src_waportal_gwsim_SOURCES = \
	src/gwsim/gwsim.h \
	src/gwsim/gwsim_main.c \
	src/gwsim/gwsim_http.c \
	src/gwsim/gwsim_session.c src/gwsim/gwsim_sessapi.c \
	src/gwsim/gwsim_chat.c \
	src/gwsim/gwsim_msgs.c \
	src/gwsim/gwsim_hook.c \
	src/gwsim/gwsim_ctl.c
src_waportal_gwsim_LDADD = $(CORE_LIBS) $(MHD_LIBS) $(CURL_LIBS)
