/* gwsim_main.c: waportal-gwsim, a WAHA gateway simulator for tests and the demo: options, signals, start and stop. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/log.h"
#include "core/xmalloc.h"
#include "gwsim.h"

static void
gwsim_usage(void)
{
	fprintf(stderr, "usage: waportal-gwsim [-v] [-l addr:port] "
	    "[-k api-key] [-a autoscan-s] [-d ack-delay-ms] [-q qr-ttl-s] "
	    "[-R webhook-tries]\n");
	exit(2);
}

/* A decimal option in [lo, hi] or exit with the usage. */
static int
gwsim_num(const char *s, int lo, int hi)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		log_warnx("bad number: %s", s);
		gwsim_usage();
	}
	return (int)v;
}

/* Split "addr:port" (or ":port" / "port") into addr (static) and *port. */
static const char *
gwsim_listen(const char *arg, int *port)
{
	static char	 addr[64];
	const char	*colon = strrchr(arg, ':');
	size_t		 n;

	if (colon == NULL) {
		*port = gwsim_num(arg, 1, 65535);
		return "127.0.0.1";
	}
	*port = gwsim_num(colon + 1, 1, 65535);
	n = (size_t)(colon - arg);
	if (n == 0)
		return "127.0.0.1";
	if (n >= sizeof(addr))
		gwsim_usage();
	memcpy(addr, arg, n);
	addr[n] = '\0';
	return addr;
}

static void
gwsim_init(struct gwsim *sim)
{
	memset(sim, 0, sizeof(*sim));
	pthread_mutex_init(&sim->lock, NULL);
	pthread_cond_init(&sim->stopcv, NULL);
	sim->ack_delay_ms = 200;
	sim->qr_ttl = 20;
	sim->log = json_object_new_array();
	sim->sink = json_object_new_array();
}

static void
gwsim_free(struct gwsim *sim)
{
	gwsim_sess_free_all(sim);
	gwsim_msgs_free(sim);
	json_object_put(sim->log);
	json_object_put(sim->sink);
	pthread_cond_destroy(&sim->stopcv);
	pthread_mutex_destroy(&sim->lock);
}

/* Block until SIGTERM or SIGINT (blocked in every thread); returns the signal. */
static int
gwsim_wait(const sigset_t *set)
{
	int	 sig = 0;

	while (sigwait(set, &sig) != 0)
		;
	return sig;
}

static void
gwsim_shutdown(struct gwsim *sim)
{
	pthread_mutex_lock(&sim->lock);
	sim->stopping = 1;
	pthread_cond_broadcast(&sim->stopcv);
	pthread_mutex_unlock(&sim->lock);
	gwsim_http_stop();
	gwsim_hook_stop(sim);
}

/* The API key from -k, $WAHA_API_KEY or a random one (printed, like WAHA does). */
static const char *
gwsim_key(const char *opt, char *gen, size_t len)
{
	const char	*env = getenv("WAHA_API_KEY");

	if (opt != NULL)
		return opt;
	if (env != NULL && *env != '\0')
		return env;
	gwsim_rand_hex(gen, len);
	log_info("generated API key: %s", gen);
	return gen;
}

int
main(int argc, char *argv[])
{
	struct gwsim	 sim;
	sigset_t	 set;
	const char	*addr = "127.0.0.1", *key = NULL;
	char		 gen[33];
	int		 ch, port = 3000, sig;

	log_init("waportal-gwsim");
	gwsim_init(&sim);
	while ((ch = getopt(argc, argv, "a:d:k:l:q:R:v")) != -1) {
		switch (ch) {
		case 'a':
			sim.autoscan = gwsim_num(optarg, 0, 86400);
			break;
		case 'd':
			sim.ack_delay_ms = gwsim_num(optarg, -1, 600000);
			break;
		case 'k':
			key = optarg;
			break;
		case 'l':
			addr = gwsim_listen(optarg, &port);
			break;
		case 'q':
			sim.qr_ttl = gwsim_num(optarg, 0, 86400);
			break;
		case 'R':
			sim.hook_attempts = gwsim_num(optarg, 0, 15);
			break;
		case 'v':
			sim.verbose = 1;
			break;
		default:
			gwsim_usage();
		}
	}
	if (optind != argc)
		gwsim_usage();
	sim.api_key = gwsim_key(key, gen, sizeof(gen));
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (gwsim_hook_init(&sim) == -1 ||
	    gwsim_http_start(&sim, addr, port) == -1) {
		gwsim_shutdown(&sim);
		gwsim_free(&sim);
		curl_global_cleanup();
		return 1;
	}
	log_info("listening on %s:%d", addr, port);
	sig = gwsim_wait(&set);
	log_info("signal %d: stopping", sig);
	gwsim_shutdown(&sim);
	gwsim_free(&sim);
	curl_global_cleanup();
	return 0;
}
