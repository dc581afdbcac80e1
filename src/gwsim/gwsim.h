/* gwsim.h: shared state and module interfaces of waportal-gwsim, the WAHA gateway simulator. */
#ifndef WA_GWSIM_H
#define WA_GWSIM_H

#include <pthread.h>
#include <signal.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/buf.h"

#define GWSIM_MAX_SESSIONS	1000
#define GWSIM_MAX_LOG		100000
#define GWSIM_MAX_SINK		10000
#define GWSIM_MAX_JOBS		10000
#define GWSIM_MAX_BODY		(1024 * 1024)
#define GWSIM_MAX_MSGS		100000	/* sent messages kept for lookups */

enum gwsim_status {
	GWSIM_STOPPED,
	GWSIM_STARTING,
	GWSIM_SCAN_QR_CODE,
	GWSIM_WORKING,
	GWSIM_FAILED,
	GWSIM_STATUS__MAX
};

enum gwsim_fault {
	GWSIM_FAULT_OK,
	GWSIM_FAULT_5XX,
	GWSIM_FAULT_429,
	GWSIM_FAULT_TIMEOUT,
	GWSIM_FAULT_4XX,
	GWSIM_FAULT__MAX
};

struct gwsim_sess {
	char			*name;
	enum gwsim_status	 status;
	json_object		*config;	/* owned; never NULL */
	int			 authed;	/* "scanned": survives stop */
	char			*me_id;		/* NULL unless authed */
	char			*me_name;
	char			 qr[64];
	int			 qr_count;
	long long		 qr_since;	/* ms */
	unsigned		 gen;		/* bumped on each status change */
	struct gwsim_sess	*next;
};

struct gwsim_faults {
	enum gwsim_fault	 kind;
	int			 count;		/* sends left to affect */
	int			 every;		/* >0: every Nth send instead */
	long long		 seen;		/* sends counted for every */
	int			 retry_after;	/* seconds, for 429 */
	int			 delay_ms;	/* extra latency */
	int			 status;	/* for 4xx */
	char			 session[65];	/* only its sends; "" for all */
	int			 create_hang_ms; /* next session create hangs */
	enum gwsim_fault	 sink_kind;	/* answers of the webhook sink */
	int			 sink_count;
	enum gwsim_fault	 lookup_kind;	/* answers of message lookups */
	int			 lookup_count;
	int			 unread;	/* next sends never read */
};

struct gwsim_hookq;
struct gwsim_msg;

struct gwsim {
	pthread_mutex_t		 lock;		/* guards everything below */
	pthread_cond_t		 stopcv;	/* signalled on shutdown */
	volatile sig_atomic_t	 stopping;
	const char		*api_key;
	int			 autoscan;	/* seconds, 0 = never */
	int			 ack_delay_ms;
	int			 qr_ttl;	/* seconds */
	int			 verbose;
	struct gwsim_sess	*sessions;
	int			 nsessions;
	struct gwsim_faults	 faults;
	json_object		*log;		/* array */
	long long		 nlogged;
	json_object		*sink;		/* array */
	struct gwsim_hookq	*hookq;
	int			 hook_attempts;	/* -R: most tries of a webhook, 0: as configured */
	struct gwsim_msg	*msgs;		/* ring of GWSIM_MAX_MSGS sent messages */
	long long		 nmsgs;		/* ever recorded */
};

/* One HTTP request being answered; filled by the handlers. */
struct gwsim_req {
	struct gwsim		*sim;
	void			*conn;		/* struct MHD_Connection */
	const char		*method;
	const char		*path;
	struct buf		 body;
	json_object		*json;		/* parsed body or NULL */
	char			*arg;		/* :session from the path */
	char			*arg2, *arg3;	/* the second and third "*" */
	int			 status;
	json_object		*reply;		/* owned; NULL = empty object */
	char			*raw;		/* raw reply instead of JSON */
	int			 retry_after;	/* > 0: add Retry-After */
	int			 drop;		/* close without a reply */
	int			 too_big;
};

typedef void (*gwsim_handler)(struct gwsim_req *);

/* gwsim_http.c */
int		 gwsim_http_start(struct gwsim *, const char *addr, int port);
void		 gwsim_http_stop(void);
const char	*gwsim_query(struct gwsim_req *, const char *);
const char	*gwsim_header(struct gwsim_req *, const char *);
int		 gwsim_is_loopback(struct gwsim_req *);
json_object	*gwsim_headers_json(struct gwsim_req *);
void		 gwsim_reply(struct gwsim_req *, int, json_object *);
void		 gwsim_error(struct gwsim_req *, int, const char *);
const char	*gwsim_jstr(json_object *, const char *);

/* gwsim_session.c */
const char	*gwsim_status_name(enum gwsim_status);
struct gwsim_sess *gwsim_sess_find(struct gwsim *, const char *);
void		 gwsim_sess_set(struct gwsim *, struct gwsim_sess *,
		    enum gwsim_status);
void		 gwsim_sess_start(struct gwsim *, struct gwsim_sess *);
int		 gwsim_sess_scan(struct gwsim *, struct gwsim_sess *);
void		 gwsim_sess_unauth(struct gwsim_sess *);
void		 gwsim_sess_rotate(struct gwsim *, struct gwsim_sess *);
void		 gwsim_sess_free(struct gwsim_sess *);
void		 gwsim_sess_free_all(struct gwsim *);
json_object	*gwsim_sess_me(const struct gwsim_sess *);
json_object	*gwsim_sess_json(const struct gwsim_sess *);

/* gwsim_sessapi.c */
void		 gwsim_ctl_sessions(struct gwsim_req *);
void		 gwsim_api_sessions(struct gwsim_req *);
void		 gwsim_api_session_create(struct gwsim_req *);
void		 gwsim_api_session_get(struct gwsim_req *);
void		 gwsim_api_session_put(struct gwsim_req *);
void		 gwsim_api_session_delete(struct gwsim_req *);
void		 gwsim_api_session_start(struct gwsim_req *);
void		 gwsim_api_session_stop(struct gwsim_req *);
void		 gwsim_api_session_restart(struct gwsim_req *);
void		 gwsim_api_session_logout(struct gwsim_req *);
void		 gwsim_api_session_me(struct gwsim_req *);
void		 gwsim_api_auth_qr(struct gwsim_req *);
void		 gwsim_api_auth_code(struct gwsim_req *);

/* gwsim_chat.c */
void		 gwsim_api_send_text(struct gwsim_req *);
void		 gwsim_api_groups(struct gwsim_req *);
void		 gwsim_api_check_exists(struct gwsim_req *);
void		 gwsim_rand_hex(char *, size_t);
struct gwsim_sess *gwsim_need_working(struct gwsim_req *, const char *);
void		 gwsim_inbound(struct gwsim *, struct gwsim_sess *,
		    const char *, const char *, int, char *, size_t);

/* gwsim_msgs.c */
void		 gwsim_msg_add(struct gwsim *, const struct gwsim_sess *,
		    const char *, const char *, const char *, int, int);
void		 gwsim_msgs_free(struct gwsim *);
void		 gwsim_api_message_get(struct gwsim_req *);

/* gwsim_hook.c */
long long	 gwsim_now_ms(void);
int		 gwsim_hook_init(struct gwsim *);
void		 gwsim_hook_stop(struct gwsim *);
void		 gwsim_hook_clear(struct gwsim *);
void		 gwsim_hook_emit(struct gwsim *, struct gwsim_sess *,
		    const char *, json_object *, int);
void		 gwsim_hook_emit_copies(struct gwsim *, struct gwsim_sess *,
		    const char *, json_object *, int, int);
void		 gwsim_hook_autoscan(struct gwsim *, struct gwsim_sess *);

/* gwsim_ctl.c */
void		 gwsim_log_add(struct gwsim_req *);
void		 gwsim_ctl_scan(struct gwsim_req *);
void		 gwsim_ctl_inbound(struct gwsim_req *);
void		 gwsim_ctl_disconnect(struct gwsim_req *);
void		 gwsim_ctl_rotate(struct gwsim_req *);
void		 gwsim_ctl_faults(struct gwsim_req *);
void		 gwsim_ctl_log(struct gwsim_req *);
void		 gwsim_ctl_reset(struct gwsim_req *);
void		 gwsim_ctl_sink_post(struct gwsim_req *);
void		 gwsim_ctl_sink_get(struct gwsim_req *);
int		 gwsim_fault_take(struct gwsim *, const char *, int *, int *,
		    int *);
int		 gwsim_sleep_ms(struct gwsim *, int);

#endif
