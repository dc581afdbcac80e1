/* gwsim_hook.c: WAHA webhook envelopes, HMAC-SHA512 signing and a timed job queue served by one worker thread. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/log.h"
#include "core/xmalloc.h"
#include "gwsim.h"

enum hook_kind {
	HOOK_DELIVER,
	HOOK_SCAN,
	HOOK__MAX
};

struct hook_job {
	enum hook_kind	 kind;
	long long	 due;		/* ms */
	char		*url;
	char		*key;		/* HMAC key or NULL */
	char		*body;
	char		*reqid;
	json_object	*headers;	/* customHeaders copy or NULL */
	int		 attempt;
	int		 attempts;
	int		 delay_ms;
	int		 exponential;
	char		*sess;		/* HOOK_SCAN */
	unsigned	 gen;
	struct hook_job	*next;
};

struct gwsim_hookq {
	pthread_mutex_t	 lock;
	pthread_cond_t	 cv;
	pthread_t	 thread;
	struct hook_job	*head;		/* sorted by due */
	int		 njobs;
	int		 stop;
};

long long
gwsim_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A ULID (26 Crockford base32 characters: 48-bit ms time, 80 random bits). */
static void
hook_ulid(char out[27])
{
	static const char	 b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned long long	 t = (unsigned long long)gwsim_now_ms();
	unsigned char		 rnd[16];
	int			 i;

	if (RAND_bytes(rnd, (int)sizeof(rnd)) != 1)
		memset(rnd, 0, sizeof(rnd));
	for (i = 9; i >= 0; i--, t >>= 5)
		out[i] = b32[t & 31];
	for (i = 10; i < 26; i++)
		out[i] = b32[rnd[i - 10] & 31];
	out[26] = '\0';
}

static void
hook_job_free(struct hook_job *j)
{
	free(j->url);
	free(j->key);
	free(j->body);
	free(j->reqid);
	free(j->sess);
	json_object_put(j->headers);
	free(j);
}

/* Insert j by due time and wake the worker; drops j when the queue is full. */
static void
hook_push(struct gwsim_hookq *q, struct hook_job *j)
{
	struct hook_job	**pp;

	pthread_mutex_lock(&q->lock);
	if (q->njobs >= GWSIM_MAX_JOBS || q->stop) {
		pthread_mutex_unlock(&q->lock);
		log_warnx("webhook queue full: job dropped");
		hook_job_free(j);
		return;
	}
	for (pp = &q->head; *pp != NULL && (*pp)->due <= j->due;
	    pp = &(*pp)->next)
		;
	j->next = *pp;
	*pp = j;
	q->njobs++;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->lock);
}

/* Hex HMAC-SHA512 of body keyed with key, into out (129 bytes). */
static void
hook_hmac(const char *key, const char *body, char out[129])
{
	unsigned char	 md[64];
	size_t		 len = 0, i;

	out[0] = '\0';
	if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA512", NULL, key, strlen(key),
	    (const unsigned char *)body, strlen(body), md, sizeof(md),
	    &len) == NULL)
		return;
	for (i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* The header list of one delivery attempt; caller frees with curl_slist_free_all. */
static struct curl_slist *
hook_headers(const struct hook_job *j)
{
	struct curl_slist	*h = NULL;
	json_object		*e;
	char			 line[512], mac[129];
	size_t			 i;

	h = curl_slist_append(h, "Content-Type: application/json");
	snprintf(line, sizeof(line), "X-Webhook-Request-Id: %s", j->reqid);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "X-Webhook-Timestamp: %lld",
	    gwsim_now_ms());
	h = curl_slist_append(h, line);
	if (j->key != NULL) {
		hook_hmac(j->key, j->body, mac);
		snprintf(line, sizeof(line), "X-Webhook-Hmac: %s", mac);
		h = curl_slist_append(h, line);
		h = curl_slist_append(h, "X-Webhook-Hmac-Algorithm: sha512");
	}
	for (i = 0; j->headers != NULL &&
	    i < json_object_array_length(j->headers); i++) {
		e = json_object_array_get_idx(j->headers, i);
		if (gwsim_jstr(e, "name") == NULL ||
		    gwsim_jstr(e, "value") == NULL)
			continue;
		snprintf(line, sizeof(line), "%s: %s", gwsim_jstr(e, "name"),
		    gwsim_jstr(e, "value"));
		h = curl_slist_append(h, line);
	}
	return h;
}

static size_t
hook_discard(char *p, size_t sz, size_t n, void *cls)
{
	return sz * n;
}

/* One POST of j; returns 0 on a 2xx answer, else -1. */
static int
hook_post(struct gwsim *sim, const struct hook_job *j)
{
	CURL			*c;
	struct curl_slist	*h = hook_headers(j);
	char			 err[CURL_ERROR_SIZE] = "";
	long			 code = 0;
	CURLcode		 rc;

	if ((c = curl_easy_init()) == NULL) {
		curl_slist_free_all(h);
		return -1;
	}
	curl_easy_setopt(c, CURLOPT_URL, j->url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, j->body);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "waportal-gwsim");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, hook_discard);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	if (sim->verbose || code / 100 != 2)
		log_info("webhook %s attempt %d: %s%ld", j->url, j->attempt,
		    rc == CURLE_OK ? "HTTP " : err, code);
	return code / 100 == 2 ? 0 : -1;
}

/* Deliver j; a failure re-queues it while attempts are left, else frees it. */
static void
hook_deliver(struct gwsim *sim, struct hook_job *j)
{
	int	 wait;

	if (hook_post(sim, j) == 0 || j->attempt >= j->attempts) {
		hook_job_free(j);
		return;
	}
	wait = j->delay_ms;
	if (j->exponential)
		wait <<= (j->attempt - 1 < 10 ? j->attempt - 1 : 10);
	j->attempt++;
	j->due = gwsim_now_ms() + wait;
	hook_push(sim->hookq, j);
}

static void
hook_scan(struct gwsim *sim, struct hook_job *j)
{
	struct gwsim_sess	*s;

	pthread_mutex_lock(&sim->lock);
	s = gwsim_sess_find(sim, j->sess);
	if (s != NULL && s->gen == j->gen)
		gwsim_sess_scan(sim, s);
	pthread_mutex_unlock(&sim->lock);
	hook_job_free(j);
}

/* Wait (queue locked) until the head job is due; returns it unlinked, or NULL on stop. */
static struct hook_job *
hook_next(struct gwsim_hookq *q)
{
	struct hook_job	*j;
	struct timespec	 ts;
	long long	 now;

	while (!q->stop) {
		now = gwsim_now_ms();
		if ((j = q->head) != NULL && j->due <= now) {
			q->head = j->next;
			q->njobs--;
			return j;
		}
		if (j == NULL) {
			pthread_cond_wait(&q->cv, &q->lock);
			continue;
		}
		ts.tv_sec = (time_t)(j->due / 1000);
		ts.tv_nsec = (long)(j->due % 1000) * 1000000;
		pthread_cond_timedwait(&q->cv, &q->lock, &ts);
	}
	return NULL;
}

static void *
hook_worker(void *cls)
{
	struct gwsim		*sim = cls;
	struct gwsim_hookq	*q = sim->hookq;
	struct hook_job		*j;

	pthread_mutex_lock(&q->lock);
	while ((j = hook_next(q)) != NULL) {
		pthread_mutex_unlock(&q->lock);
		if (j->kind == HOOK_SCAN)
			hook_scan(sim, j);
		else
			hook_deliver(sim, j);
		pthread_mutex_lock(&q->lock);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* Start the worker thread; returns 0 or -1. */
int
gwsim_hook_init(struct gwsim *sim)
{
	struct gwsim_hookq	*q = xcalloc(1, sizeof(*q));

	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cv, NULL);
	sim->hookq = q;
	if ((errno = pthread_create(&q->thread, NULL, hook_worker, sim))
	    != 0) {
		log_warn("pthread_create");
		return -1;
	}
	return 0;
}

/* Drop every queued job (POST /_sim/reset). */
void
gwsim_hook_clear(struct gwsim *sim)
{
	struct gwsim_hookq	*q = sim->hookq;
	struct hook_job		*j;

	pthread_mutex_lock(&q->lock);
	while ((j = q->head) != NULL) {
		q->head = j->next;
		hook_job_free(j);
	}
	q->njobs = 0;
	pthread_mutex_unlock(&q->lock);
}

/* Stop the worker (pending jobs are dropped) and free the queue. */
void
gwsim_hook_stop(struct gwsim *sim)
{
	struct gwsim_hookq	*q = sim->hookq;

	if (q == NULL)
		return;
	pthread_mutex_lock(&q->lock);
	q->stop = 1;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	gwsim_hook_clear(sim);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->cv);
	free(q);
	sim->hookq = NULL;
}

/* 1 when the webhook's events list (absent: all) names event or "*". */
static int
hook_wants(json_object *hook, const char *event)
{
	json_object	*ev, *e;
	size_t		 i;

	if (!json_object_object_get_ex(hook, "events", &ev) ||
	    !json_object_is_type(ev, json_type_array))
		return 1;
	for (i = 0; i < json_object_array_length(ev); i++) {
		e = json_object_array_get_idx(ev, i);
		if (json_object_is_type(e, json_type_string) &&
		    (strcmp(json_object_get_string(e), event) == 0 ||
		    strcmp(json_object_get_string(e), "*") == 0))
			return 1;
	}
	return 0;
}

/* A delivery job of body for one webhook config entry, at most cap tries (0: no cap). */
static struct hook_job *
hook_job_new(json_object *hook, const char *body, int delay_ms, int cap)
{
	struct hook_job	*j = xcalloc(1, sizeof(*j));
	json_object	*o, *v;
	char		 ulid[27];
	const char	*pol;

	j->kind = HOOK_DELIVER;
	j->due = gwsim_now_ms() + delay_ms;
	j->url = xstrdup(gwsim_jstr(hook, "url"));
	if (json_object_object_get_ex(hook, "hmac", &o) &&
	    gwsim_jstr(o, "key") != NULL)
		j->key = xstrdup(gwsim_jstr(o, "key"));
	j->body = xstrdup(body);
	hook_ulid(ulid);
	j->reqid = xstrdup(ulid);
	if (json_object_object_get_ex(hook, "customHeaders", &o) &&
	    json_object_is_type(o, json_type_array))
		json_object_deep_copy(o, &j->headers, NULL);
	j->attempt = 1;
	j->attempts = 3;
	j->delay_ms = 1000;
	if (json_object_object_get_ex(hook, "retries", &o)) {
		if (json_object_object_get_ex(o, "attempts", &v))
			j->attempts = json_object_get_int(v);
		if (json_object_object_get_ex(o, "delaySeconds", &v))
			j->delay_ms = json_object_get_int(v) * 1000;
		pol = gwsim_jstr(o, "policy");
		j->exponential = pol != NULL && strcmp(pol, "exponential") == 0;
	}
	if (j->attempts < 1 || j->attempts > 15)
		j->attempts = j->attempts < 1 ? 1 : 15;
	if (j->delay_ms < 0 || j->delay_ms > 60000)
		j->delay_ms = 1000;
	if (cap > 0 && j->attempts > cap)
		j->attempts = cap;
	return j;
}

/*
 * The WAHA event envelope as a string; caller frees.  Takes payload.
 * Its timestamp is when the event happens: delay_ms from now.
 */
static char *
hook_envelope(struct gwsim_sess *s, const char *event, json_object *payload,
    int delay_ms)
{
	json_object	*e = json_object_new_object(), *md, *copy = NULL;
	json_object	*env;
	char		 ulid[27], *text;

	hook_ulid(ulid);
	text = xasprintf("evt_%s", ulid);
	json_object_object_add(e, "id", json_object_new_string(text));
	free(text);
	json_object_object_add(e, "timestamp",
	    json_object_new_int64(gwsim_now_ms() + delay_ms));
	json_object_object_add(e, "event", json_object_new_string(event));
	json_object_object_add(e, "session", json_object_new_string(s->name));
	if (json_object_object_get_ex(s->config, "metadata", &md))
		json_object_deep_copy(md, &copy, NULL);
	json_object_object_add(e, "metadata",
	    copy != NULL ? copy : json_object_new_object());
	json_object_object_add(e, "me", gwsim_sess_me(s));
	json_object_object_add(e, "payload", payload);
	json_object_object_add(e, "engine", json_object_new_string("NOWEB"));
	env = json_object_new_object();
	json_object_object_add(env, "version",
	    json_object_new_string(PACKAGE_VERSION "-gwsim"));
	json_object_object_add(env, "engine", json_object_new_string("NOWEB"));
	json_object_object_add(env, "tier", json_object_new_string("CORE"));
	json_object_object_add(e, "environment", env);
	text = xstrdup(json_object_to_json_string_ext(e,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(e);
	return text;
}

/*
 * Send event (payload is taken) to every webhook of s that wants it,
 * delay_ms from now, copies times the same envelope (as a gateway
 * retrying a delivery it thinks lost).  Called with sim->lock held.
 */
void
gwsim_hook_emit_copies(struct gwsim *sim, struct gwsim_sess *s,
    const char *event, json_object *payload, int delay_ms, int copies)
{
	json_object	*hooks, *h;
	char		*body;
	size_t		 i;
	int		 c;

	body = hook_envelope(s, event, payload, delay_ms);
	if (json_object_object_get_ex(s->config, "webhooks", &hooks))
		for (i = 0; i < json_object_array_length(hooks); i++) {
			h = json_object_array_get_idx(hooks, i);
			for (c = 0; c < copies && hook_wants(h, event); c++)
				hook_push(sim->hookq,
				    hook_job_new(h, body, delay_ms,
				    sim->hook_attempts));
		}
	free(body);
}

/* gwsim_hook_emit_copies once. */
void
gwsim_hook_emit(struct gwsim *sim, struct gwsim_sess *s, const char *event,
    json_object *payload, int delay_ms)
{
	gwsim_hook_emit_copies(sim, s, event, payload, delay_ms, 1);
}

/* With -a, schedule the simulated scan of s (called on entering SCAN_QR_CODE). */
void
gwsim_hook_autoscan(struct gwsim *sim, struct gwsim_sess *s)
{
	struct hook_job	*j;

	if (sim->autoscan <= 0)
		return;
	j = xcalloc(1, sizeof(*j));
	j->kind = HOOK_SCAN;
	j->due = gwsim_now_ms() + sim->autoscan * 1000LL;
	j->sess = xstrdup(s->name);
	j->gen = s->gen;
	hook_push(sim->hookq, j);
}
