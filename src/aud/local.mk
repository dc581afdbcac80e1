# src/aud/local.mk: libwaaud.a, the audience's code the portal, the API and the runner share (contacts' CSV files); links core and libcsv only.
noinst_LIBRARIES += src/aud/libwaaud.a
src_aud_libwaaud_a_SOURCES = \
	src/aud/aud_sniff.c src/aud/aud_sniff.h \
	src/aud/aud_import.c src/aud/aud_import.h \
	src/aud/aud_import_db.c
