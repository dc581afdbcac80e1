# src/aud/local.mk: libwaaud.a, the audience code the portal, the API and the runner share: the contact list's filter and the CSV writer.
noinst_LIBRARIES += src/aud/libwaaud.a
src_aud_libwaaud_a_SOURCES = \
	src/aud/aud_filter.c src/aud/aud_filter.h \
	src/aud/aud_csv.c src/aud/aud_csv.h
