/* send_multi.c: the sends in flight on one libcurl multi handle: start, wait for the network, collect what finished. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/buf.h"
#include "gw/gw.h"
#include "gw/gw_http.h"
#include "send.h"

/* j finished: it waits in s->done for the next step. */
void
send_done(struct sender *s, struct send_job *j)
{
	if (s->ndone == 0)
		s->done_since = send_now_ms();
	s->done[s->ndone++] = j;
}

/* A job that ends before any call (bad number, no driver, no handle). */
static void
send_finish_now(struct sender *s, struct send_job *j)
{
	j->rc = -1;
	send_done(s, j);
}

/*
 * Build j's request with its driver and put it on the multi handle; a
 * request that cannot be built is finished at once as a failure (the
 * driver said why in j->res). The job is the sender's from now on.
 */
void
send_start(struct sender *s, struct send_job *j, const struct gw_host *h,
    const char *session, const char *to, const char *text)
{
	struct gw_req	 req;
	int		 rc;

	memset(&req, 0, sizeof(req));
	rc = j->ops->send_prepare(h, session, to, text, &req, &j->res);
	if (rc == 0)
		rc = gw_xfer_reuse(&j->xfer, s->nidle > 0 ?
		    s->idle[--s->nidle] : NULL, &req, h->timeout_ms, &j->res);
	gw_req_free(&req);
	if (rc == -1) {
		send_finish_now(s, j);
		return;
	}
	curl_easy_setopt(j->xfer.easy, CURLOPT_PRIVATE, (void *)j);
	if (curl_multi_add_handle(s->multi, j->xfer.easy) != CURLM_OK) {
		snprintf(j->res.errmsg, sizeof(j->res.errmsg), "out of "
		    "resources");
		j->res.transient = 1;
		gw_xfer_free(&j->xfer);
		send_finish_now(s, j);
		return;
	}
	s->inflight++;
}

/*
 * Read the answer of a finished transfer into j->rc and j->res; its
 * easy handle is kept for the next send (as many as may be in flight).
 */
static void
send_read_answer(struct sender *s, struct send_job *j, CURLcode cc)
{
	CURL	*easy;

	if (gw_xfer_done(&j->xfer, cc, &j->res) == 0)
		j->rc = j->ops->send_parse(j->res.http_status,
		    buf_str(&j->xfer.response), j->xfer.response.len,
		    &j->res);
	else
		j->rc = -1;
	easy = gw_xfer_release(&j->xfer);
	if (s->nidle < s->conf.parallel)
		s->idle[s->nidle++] = easy;
	else
		curl_easy_cleanup(easy);
}

/* Move the transfers that finished from the multi handle to s->done. */
void
send_collect(struct sender *s)
{
	struct send_job	*j;
	CURLMsg		*m;
	CURL		*easy;
	CURLcode	 cc;
	char		*priv;
	int		 running, left;

	curl_multi_perform(s->multi, &running);
	while ((m = curl_multi_info_read(s->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		easy = m->easy_handle;
		cc = m->data.result;
		priv = NULL;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
		curl_multi_remove_handle(s->multi, easy);
		s->inflight--;
		j = (struct send_job *)(void *)priv;
		send_read_answer(s, j, cc);
		send_done(s, j);
	}
}

/* Empty the signal pipe (non-blocking). */
static void
send_drain(int fd)
{
	char	 b[64];
	ssize_t	 n;

	do
		n = read(fd, b, sizeof(b));
	while (n > 0 || (n == -1 && errno == EINTR));
}

/*
 * Wait up to timeout_ms for the network, the database socket dbfd (-1:
 * none), a signal or curl's own timers, whichever comes first.
 */
void
send_poll(struct sender *s, int dbfd, long long timeout_ms)
{
	struct curl_waitfd	 fds[2];
	unsigned int		 n = 0;

	if (timeout_ms > 1000000)
		timeout_ms = 1000000;
	memset(fds, 0, sizeof(fds));
	if (s->wakefd >= 0) {
		fds[n].fd = s->wakefd;
		fds[n++].events = CURL_WAIT_POLLIN;
	}
	if (dbfd >= 0) {
		fds[n].fd = dbfd;
		fds[n++].events = CURL_WAIT_POLLIN;
	}
	curl_multi_poll(s->multi, fds, n, (int)(timeout_ms < 0 ? 0 :
	    timeout_ms), NULL);
	if (s->wakefd >= 0 && fds[0].revents != 0)
		send_drain(s->wakefd);
}

void
send_job_free(struct send_job *j)
{
	if (j == NULL)
		return;
	gw_xfer_free(&j->xfer);
	gw_result_free(&j->res);
	free(j);
}
