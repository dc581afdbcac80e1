# src/aud/local.mk: libwaaud.a, the audience code the portal, the API and the runner share: the contact list's filter, the CSV writer, the contact export's rows and the bulk actions, and the imports' file start, mapping, cell rules and records; message templates (aud_tpl); broadcasts' audiences (aud_bcast); links core, json-c and libcsv only.
noinst_LIBRARIES += src/aud/libwaaud.a
src_aud_libwaaud_a_SOURCES = \
	src/aud/aud_filter.c src/aud/aud_filter.h \
	src/aud/aud_csv.c src/aud/aud_csv.h \
	src/aud/aud_export.c src/aud/aud_export.h \
	src/aud/aud_bulk.c src/aud/aud_bulk.h \
	src/aud/aud_sniff.c src/aud/aud_sniff.h \
	src/aud/aud_import.c src/aud/aud_import.h \
	src/aud/aud_import_db.c \
	src/aud/aud_tpl.c src/aud/aud_tpl.h \
	src/aud/aud_bcast.c src/aud/aud_bcast.h
