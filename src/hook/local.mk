# src/hook/local.mk: libwahook.a, the gateways' webhooks (POST /hooks/waha/{host}).
noinst_LIBRARIES += src/hook/libwahook.a
src_hook_libwahook_a_SOURCES = \
	src/hook/hook.h \
	src/hook/hook_waha.c \
	src/hook/hook_msg.c
