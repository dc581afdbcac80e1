/* gw.h: the gateway driver interface: one table of operations per kind of gateway host. */
#ifndef WA_GW_H
#define WA_GW_H

#include <stddef.h>

enum gw_driver {
	GW_WAHA,
	GW__MAX
};

/* Our instance states; each driver maps its gateway's states onto these. */
enum inst_status {
	INST_QR_REQUIRED,
	INST_CONNECTING,
	INST_CONNECTED,
	INST_DISCONNECTED,
	INST_FAILED,
	INST__MAX
};

/* Where and how to reach one host; the strings belong to the caller. */
struct gw_host {
	const char	*base_url;
	const char	*api_key;
	const char	*webhook_url;		/* our /hooks/<driver>/<host> */
	const char	*webhook_secret;
	long		 timeout_ms;		/* whole call, connect included */
};

/*
 * One send as a driver builds it for the dispatcher (send_prepare), to
 * go out over any HTTP client; the answer goes back to send_parse.
 * Free with gw_req_free (it wipes the headers, which hold the key).
 */
#define GW_REQ_MAX_HEADERS	8

struct gw_req {
	const char	*method;		/* "POST", a literal */
	char		*url;
	char		*headers[GW_REQ_MAX_HEADERS + 1];	/* "Name: value", NULL-ended */
	char		*body;			/* or NULL */
};

/* What one call returned. Free with gw_result_free. */
struct gw_result {
	long		 http_status;	/* 0: no answer (network, timeout) */
	int		 transient;	/* retrying later may succeed */
	long		 retry_after;	/* seconds the gateway asked for, or 0 */
	enum inst_status status;	/* session calls */
	char		*value;		/* QR value, pairing code, message id */
	char		 phone[20];	/* linked number, E.164, or "" */
	char		 push_name[65];
	long		 count;		/* probe: sessions on the host */
	int		 ack;		/* message_ack: GW_ACK_* */
	int		 exists;	/* number_check: 1 on WhatsApp, 0 not */
	char		 errmsg[256];	/* after -1: fixed words plus the gateway's status */
};

/*
 * What a gateway says of a message it sent (WAHA's ack numbers): an
 * error, pending or on the server (our "sent"), on the device
 * ("delivered"), read (or a voice message played: "read"); GW_ACK_NONE
 * when the answer carried no ack.
 */
enum gw_ack {
	GW_ACK_NONE = -2,
	GW_ACK_ERROR = -1,
	GW_ACK_PENDING = 0,
	GW_ACK_SERVER = 1,
	GW_ACK_DEVICE = 2,
	GW_ACK_READ = 3,
	GW_ACK_PLAYED = 4
};

struct gw_ops {
	const char	*name;
	int	(*session_create)(const struct gw_host *, const char *,
		    struct gw_result *);
	int	(*session_status)(const struct gw_host *, const char *,
		    struct gw_result *);
	int	(*session_restart)(const struct gw_host *, const char *,
		    struct gw_result *);
	int	(*session_logout)(const struct gw_host *, const char *,
		    struct gw_result *);
	int	(*session_delete)(const struct gw_host *, const char *,
		    struct gw_result *);
	int	(*qr)(const struct gw_host *, const char *, struct gw_result *);
	int	(*pairing_code)(const struct gw_host *, const char *,
		    const char *phone, struct gw_result *);
	int	(*send_text)(const struct gw_host *, const char *,
		    const char *to, const char *text, struct gw_result *);
	/* A cheap authenticated call: sessions in use go to res->count. */
	int	(*probe)(const struct gw_host *, struct gw_result *);
	/*
	 * The send split in two for callers that run many at once: build
	 * the request (-1: a permanent failure before any call, errmsg
	 * set), then read the gateway's answer (0: res->value holds the
	 * message id, or NULL when the answer had none; -1: errmsg and
	 * transient set). send_text is the two around one blocking call.
	 */
	int	(*send_prepare)(const struct gw_host *, const char *session,
		    const char *to, const char *text, struct gw_req *,
		    struct gw_result *);
	int	(*send_parse)(long http_status, const char *body, size_t len,
		    struct gw_result *);
	/*
	 * The ack now of message id that session sent to the E.164 number
	 * to: 0 with res->ack, or -1 with errmsg, http_status (404: the
	 * gateway does not know the message) and transient set.
	 */
	int	(*message_ack)(const struct gw_host *, const char *session,
		    const char *to, const char *id, struct gw_result *);
	/*
	 * Whether the E.164 number to is on WhatsApp, asked through
	 * session: 0 with res->exists (and res->value its chat id when it
	 * is), or -1 with errmsg, http_status and transient set.
	 */
	int	(*number_check)(const struct gw_host *, const char *session,
		    const char *to, struct gw_result *);
};

extern const struct gw_ops *const gw_drivers[GW__MAX];
extern const char *const inst_status_names[INST__MAX];

enum gw_driver	 gw_driver_find(const char *);
void		 gw_result_free(struct gw_result *);
void		 gw_req_free(struct gw_req *);
int		 gw_req_header(struct gw_req *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* gw_retry.c: what to do after a call, the same for every driver. */
enum gw_verdict {
	GW_OK,			/* sent */
	GW_RETRY,		/* transient: try again later */
	GW_FAIL,		/* permanent, or out of tries */
	GW_VERDICT__MAX
};

#define GW_RETRY_AFTER_MAX	86400	/* seconds; longer asks are cut */

void		 gw_status_fail(long http_status, struct gw_result *);
long		 gw_retry_after(const char *, long long now);
enum gw_verdict	 gw_verdict(int rc, const struct gw_result *, int attempts,
		    int max_attempts);
long long	 gw_backoff_ms(int attempts, long long base_ms,
		    long long max_ms, double r, long retry_after);
void		 gw_fail_text(char *, size_t, const struct gw_result *,
		    enum gw_verdict, int attempts);

/* gw_waha.c, exported for the unit tests. */
enum inst_status waha_status(const char *);
int		 waha_chat_id(const char *, char [32]);
int		 waha_ack(const char *, size_t);
int		 waha_exists(const char *, size_t, struct gw_result *);

#endif
