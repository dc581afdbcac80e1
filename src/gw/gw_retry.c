/* gw_retry.c: the retry policy all drivers share: words for a failed answer, Retry-After, the verdict, backoff with jitter. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gw.h"

/* What an HTTP status means for a call, checked in order. */
static const struct {
	long		 lo, hi;	/* status range, inclusive */
	int		 transient;
	const char	*words;		/* said to customers: no detail */
} gw_statuses[] = {
	{ 408, 408, 1, "the gateway timed out" },
	{ 425, 425, 1, "the gateway asked to try later" },
	{ 429, 429, 1, "the gateway asked to slow down" },
	{ 401, 401, 0, "the gateway refused the host's API key" },
	{ 403, 403, 0, "the gateway refused the host's API key" },
	{ 404, 404, 0, "not found on the gateway" },
	{ 400, 499, 0, "the gateway refused the request" },
	{ 500, 599, 1, "gateway error" },
};

/*
 * Fill res for a gateway answer that is not a success: the status,
 * whether a retry may cure it (408, 425, 429, 5xx) and customer-safe
 * words with the status in errmsg.
 */
void
gw_status_fail(long st, struct gw_result *res)
{
	const char	*words = "unexpected answer from the gateway";
	size_t		 i;

	res->http_status = st;
	res->transient = 0;
	for (i = 0; i < sizeof(gw_statuses) / sizeof(gw_statuses[0]); i++)
		if (st >= gw_statuses[i].lo && st <= gw_statuses[i].hi) {
			res->transient = gw_statuses[i].transient;
			words = gw_statuses[i].words;
			break;
		}
	snprintf(res->errmsg, sizeof(res->errmsg), "%s: HTTP %ld", words, st);
}

/*
 * Seconds a Retry-After value asks for: delta-seconds or an HTTP-date
 * ("Wed, 21 Oct 2015 07:28:00 GMT") relative to now (Unix seconds).
 * Returns 0 for a bad or past value, at most GW_RETRY_AFTER_MAX.
 */
long
gw_retry_after(const char *v, long long now)
{
	struct tm	 tm;
	const char	*end;
	char		*e;
	long long	 s;

	v += strspn(v, " \t");
	if (*v >= '0' && *v <= '9') {
		errno = 0;
		s = strtoll(v, &e, 10);
		if (errno == ERANGE)
			s = GW_RETRY_AFTER_MAX;
		end = e;
	} else {
		memset(&tm, 0, sizeof(tm));
		if ((end = strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm))
		    == NULL)
			return 0;
		s = (long long)timegm(&tm) - now;
	}
	if (end[strspn(end, " \t\r\n")] != '\0' || s < 0)
		return 0;
	return s > GW_RETRY_AFTER_MAX ? GW_RETRY_AFTER_MAX : (long)s;
}

/*
 * What to do with a message after attempt number attempts (1 for the
 * first) ended with rc and res: sent, try again, or give up.
 */
enum gw_verdict
gw_verdict(int rc, const struct gw_result *res, int attempts, int max_attempts)
{
	if (rc == 0)
		return GW_OK;
	if (!res->transient || attempts >= max_attempts)
		return GW_FAIL;
	return GW_RETRY;
}

/*
 * Milliseconds to wait before the next try after attempt attempts:
 * base doubled for each earlier try, at most max_ms, then a random
 * point between half and the whole of it (r in [0, 1]), and never less
 * than the retry_after seconds the gateway asked for.
 */
long long
gw_backoff_ms(int attempts, long long base_ms, long long max_ms, double r,
    long retry_after)
{
	long long	 full = base_ms, d;
	int		 i;

	for (i = 1; i < attempts && full < max_ms; i++)
		full *= 2;
	if (full > max_ms)
		full = max_ms;
	if (!(r >= 0.0))
		r = 0.0;
	if (r > 1.0)
		r = 1.0;
	d = full / 2 + (long long)(r * (double)(full - full / 2));
	if (d < retry_after * 1000LL)
		d = retry_after * 1000LL;
	return d;
}

/*
 * The reason a customer reads for a message given verdict v after
 * attempts tries: the gateway's words, and how often we tried when
 * transient failures ran out the tries.
 */
void
gw_fail_text(char *buf, size_t len, const struct gw_result *res,
    enum gw_verdict v, int attempts)
{
	const char	*why = res->errmsg[0] != '\0' ? res->errmsg :
			    "the gateway did not take the message";

	if (v == GW_FAIL && res->transient && attempts == 1)
		snprintf(buf, len, "%s (tried once)", why);
	else if (v == GW_FAIL && res->transient)
		snprintf(buf, len, "%s (tried %d times)", why, attempts);
	else
		snprintf(buf, len, "%s", why);
}
