/* import_batch.c: the rows of one chunk checked by two threads (the number parser is most of the runner's CPU): the records kept as read, every other one checked by a second thread into its own rows, then joined. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "import.h"

/* Fewer records than this are checked by the caller alone. */
#define IBATCH_THREAD_MIN	512

void
ibatch_init(struct ibatch *b, size_t ncols, const char *job)
{
	memset(b, 0, sizeof(*b));
	b->ncols = ncols;
	b->second.job = job;
}

/* Keep a copy of a record (its kept columns) for ibatch_check. */
void
ibatch_add(struct ibatch *b, const struct csvr_record *rec)
{
	struct csvr_record	*r;
	size_t			 i;

	if (b->n == b->cap) {
		b->v = xreallocarray(b->v, b->cap + 1024, sizeof(*b->v));
		memset(b->v + b->cap, 0, 1024 * sizeof(*b->v));
		b->cap += 1024;
	}
	r = &b->v[b->n++];
	if (r->cols == NULL)
		r->cols = xcalloc(b->ncols > 0 ? b->ncols : 1,
		    sizeof(*r->cols));
	r->ncols = b->ncols;
	r->line = rec->line;
	r->nfields = rec->nfields;
	for (i = 0; i < b->ncols; i++) {
		buf_reset(&r->cols[i]);
		if (rec->cols[i].len > 0)
			buf_append(&r->cols[i], rec->cols[i].data,
			    rec->cols[i].len);
	}
}

/* What the second thread checks: every other record from the second. */
struct ibatch_job {
	struct ibatch		*b;
	const struct imap	*m;
};

static void *
ibatch_second(void *arg)
{
	struct ibatch_job	*w = arg;
	size_t			 i;

	for (i = 1; i < w->b->n; i += 2)
		irow_check(w->m, &w->b->second, &w->b->v[i]);
	return NULL;
}

/* The second thread's rows and rejects appended to out. */
static void
ibatch_join(struct ibatch *b, struct irows *out)
{
	struct irows	*s = &b->second;

	if (s->rows.len > 0)
		buf_append(&out->rows, s->rows.data, s->rows.len);
	if (s->rejects.len > 0)
		buf_append(&out->rejects, s->rejects.data, s->rejects.len);
	out->nrows += s->nrows;
	out->nrejects += s->nrejects;
	out->staged += s->staged;
	out->rejected += s->rejected;
	s->staged = s->rejected = 0;
	irows_clear(s);
}

/*
 * Check the kept records into out (COPY rows and rejects; their order
 * does not matter, each carries its line), half of them in a second
 * thread when there are enough; pump(arg) is called now and then from
 * this thread. The batch is empty afterwards.
 */
void
ibatch_check(struct ibatch *b, const struct imap *m, struct irows *out,
    void (*pump)(void *), void *arg)
{
	struct ibatch_job	 w = { b, m };
	pthread_t		 t;
	size_t			 i, step = 1;
	int			 two;

	two = b->n >= IBATCH_THREAD_MIN &&
	    pthread_create(&t, NULL, ibatch_second, &w) == 0;
	if (two)
		step = 2;
	for (i = 0; i < b->n; i += step) {
		irow_check(m, out, &b->v[i]);
		if (i % 256 == 0)
			pump(arg);
	}
	if (two) {
		pthread_join(t, NULL);
		ibatch_join(b, out);
	}
	b->n = 0;
}

void
ibatch_free(struct ibatch *b)
{
	size_t	 i, k;

	for (i = 0; i < b->cap; i++) {
		for (k = 0; b->v[i].cols != NULL && k < b->ncols; k++)
			buf_free(&b->v[i].cols[k]);
		free(b->v[i].cols);
	}
	free(b->v);
	irows_free(&b->second);
	memset(b, 0, sizeof(*b));
}
