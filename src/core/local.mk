# src/core/local.mk: libwacore.a, shared by every program; it includes nothing from another folder.
noinst_LIBRARIES += src/core/libwacore.a
src_core_libwacore_a_SOURCES = \
	src/core/xmalloc.c src/core/xmalloc.h \
	src/core/buf.c src/core/buf.h \
	src/core/log.c src/core/log.h \
	src/core/utf8.c src/core/utf8.h \
	src/core/config.c src/core/config.h \
	src/core/db.c src/core/db.h \
	src/core/migrate.c src/core/migrate.h \
	src/core/beat.c src/core/beat.h \
	src/core/password.c src/core/password.h \
	src/core/valid.c src/core/valid.h \
	src/core/phone.cc src/core/phone.h \
	src/core/tzmap.c src/core/tzmap.h \
	src/core/contact_field.c src/core/contact_field.h \
	src/core/hmac.c src/core/hmac.h \
	src/core/apikey.c src/core/apikey.h
