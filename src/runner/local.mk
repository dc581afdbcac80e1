# src/runner/local.mk: waportal-runner, the background job runner (contact imports, exports, bulk actions and broadcasts' resolution and queueing); core, aud and libcsv only, never the web layer.
bin_PROGRAMS += src/waportal-runner
src_waportal_runner_SOURCES = \
	src/runner/runner_main.c \
	src/runner/runner.h \
	src/runner/job.c \
	src/runner/import.h \
	src/runner/import.c \
	src/runner/import_csv.c \
	src/runner/import_row.c \
	src/runner/import_batch.c \
	src/runner/export.c \
	src/runner/bulk.c \
	src/runner/broadcast.c \
	src/runner/bcast_queue.c
src_waportal_runner_LDADD = $(AUD_LIBS) $(CORE_LIBS) $(CSV_LIBS) -lpthread
