/* tpl_render.c: template rendering on one core: a 300-character template with 5 variables rendered for N recipients (aud_tpl_render), beside snprintf of the same text with the same values in the same run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "aud/aud_tpl.h"
#include "core/buf.h"
#include "core/xmalloc.h"

#define NCONTACTS	1000

/* 300 characters once rendered with typical values; 5 variables, one
 * choice of 3 options, all of the same length. */
static const char tpl[] =
    "{Hello|Hi there|Good day} {{first_name}}, thank you for shopping at "
    "Toko Sumber Rejeki. Your order for {{name|\"Customer\"}} is packed "
    "and leaves our Bandung store today by courier to {{custom.city}}. "
    "As a {{custom.plan}} member you get free delivery this month. "
    "Questions? Reply to this message or call us from {{phone}}. "
    "Have a great week ahead!";

/* The same text as a printf format (the choice's first option). */
static const char fmt[] =
    "Hello %s, thank you for shopping at "
    "Toko Sumber Rejeki. Your order for %s is packed "
    "and leaves our Bandung store today by courier to %s. "
    "As a %s member you get free delivery this month. "
    "Questions? Reply to this message or call us from %s. "
    "Have a great week ahead!";

struct contact {
	char	 name[64], first[32], phone[20], city[24], plan[12];
	struct json_object *fields;
};

static const char *const firsts[] = { "Siti", "Budi", "Dewi", "Agus",
    "Putri", "Rizky", "Ayu", "Eko" };
static const char *const lasts[] = { "Rahmawati", "Santoso", "Lestari",
    "Wijaya", "Pratama", "Hidayat" };
static const char *const cities[] = { "Surabaya", "Yogyakarta", "Medan",
    "Makassar", "Denpasar" };
static const char *const plans[] = { "Gold", "Silver", "Platinum" };

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
contacts_make(struct contact *c)
{
	int	 i;

	for (i = 0; i < NCONTACTS; i++) {
		snprintf(c[i].first, sizeof(c[i].first), "%s", firsts[i % 8]);
		snprintf(c[i].name, sizeof(c[i].name), "%s %s", firsts[i % 8],
		    lasts[i % 6]);
		snprintf(c[i].phone, sizeof(c[i].phone), "+62812%07d", i);
		snprintf(c[i].city, sizeof(c[i].city), "%s", cities[i % 5]);
		snprintf(c[i].plan, sizeof(c[i].plan), "%s", plans[i % 3]);
		c[i].fields = json_object_new_object();
		json_object_object_add(c[i].fields, "city",
		    json_object_new_string(c[i].city));
		json_object_object_add(c[i].fields, "plan",
		    json_object_new_string(c[i].plan));
	}
}

/* n messages through the renderer; the bytes written into *bytes. */
static double
run_tpl(const struct aud_tpl *t, struct contact *c, long n, size_t *bytes)
{
	struct buf	 out = BUF_INIT;
	struct aud_tpl_vals v;
	struct aud_tpl_out o;
	double		 t0 = now_s();
	long		 i;

	*bytes = 0;
	for (i = 0; i < n; i++) {
		v.name = c[i % NCONTACTS].name;
		v.phone = c[i % NCONTACTS].phone;
		v.fields = c[i % NCONTACTS].fields;
		v.vars = NULL;
		buf_reset(&out);
		aud_tpl_render(t, &v, (uint64_t)i, 65536, &out, &o);
		*bytes += out.len;
	}
	buf_free(&out);
	return now_s() - t0;
}

/* n messages through snprintf into a buffer of the same size. */
static double
run_printf(struct contact *c, long n, size_t *bytes)
{
	static char	 out[65536];
	double		 t0 = now_s();
	long		 i;
	int		 k;

	*bytes = 0;
	for (i = 0; i < n; i++) {
		k = snprintf(out, sizeof(out), fmt, c[i % NCONTACTS].first,
		    c[i % NCONTACTS].name, c[i % NCONTACTS].city,
		    c[i % NCONTACTS].plan, c[i % NCONTACTS].phone);
		*bytes += (size_t)k;
	}
	return now_s() - t0;
}

int
main(int argc, char *argv[])
{
	static struct contact c[NCONTACTS];
	struct aud_tpl	 t;
	struct buf	 one = BUF_INIT;
	struct aud_tpl_vals v;
	struct aud_tpl_out o;
	long		 n = argc > 1 ? atol(argv[1]) : 2000000, i, np = 200000;
	size_t		 b1, b2;
	double		 tp, tt, ts, t0;

	contacts_make(c);
	t0 = now_s();
	for (i = 0; i < np; i++) {
		aud_tpl_parse(&t, tpl, strlen(tpl), NULL, 0);
		aud_tpl_free(&t);
	}
	tp = now_s() - t0;
	aud_tpl_parse(&t, tpl, strlen(tpl), NULL, 0);
	v.name = c[0].name;
	v.phone = c[0].phone;
	v.fields = c[0].fields;
	v.vars = NULL;
	aud_tpl_render(&t, &v, 0, 65536, &one, &o);
	printf("template: %zu characters, %zu variables, 1 choice; rendered "
	    "for the first contact: %zu characters\n", t.chars, t.nvars,
	    o.chars);
	run_tpl(&t, c, n / 10, &b1);	/* warm-up */
	tt = run_tpl(&t, c, n, &b1);
	ts = run_printf(c, n, &b2);
	printf("parse:    %10.0f templates/s (%.2f us each)\n", np / tp,
	    tp / np * 1e6);
	printf("render:   %10.0f messages/s  (%.3f us, %.0f bytes each)\n",
	    n / tt, tt / n * 1e6, (double)b1 / n);
	printf("snprintf: %10.0f messages/s  (%.3f us, %.0f bytes each)\n",
	    n / ts, ts / n * 1e6, (double)b2 / n);
	printf("render/snprintf: %.2f; target render >= 50000/s: %s\n",
	    (n / tt) / (n / ts), n / tt >= 50000 ? "met" : "NOT met");
	aud_tpl_free(&t);
	buf_free(&one);
	for (i = 0; i < NCONTACTS; i++)
		json_object_put(c[i].fields);
	return 0;
}
