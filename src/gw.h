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
	char		 errmsg[256];	/* after -1: fixed words plus the gateway's status */
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
};

extern const struct gw_ops *const gw_drivers[GW__MAX];
extern const char *const inst_status_names[INST__MAX];

enum gw_driver	 gw_driver_find(const char *);
void		 gw_result_free(struct gw_result *);

/* gw_waha.c, exported for the unit tests. */
enum inst_status waha_status(const char *);
int		 waha_chat_id(const char *, char [32]);

#endif
