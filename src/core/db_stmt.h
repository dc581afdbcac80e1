/* db_stmt.h: the one table of SQL statements, prepared once per connection. */
#ifndef WA_DB_STMT_H
#define WA_DB_STMT_H

#include "db.h"

enum legacy_stmt {
	STMT_PING,
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_MIGRATE_LOCK,
	STMT_MIGRATE_UNLOCK,
	STMT_MIGRATE_BOOTSTRAP,
	STMT_MIGRATE_BOOTSTRAP_SUM,
	STMT_MIGRATIONS_APPLIED,
	STMT_MIGRATION_RECORD,
	STMT_MIGRATION_SUM_FILL,
	STMT_DISPATCH_LISTEN,
	/* --- block: waportalctl account statements --- */
	STMT_CTL_DEALER_ADD,
	STMT_CTL_DEALER_LIST,
	STMT_CTL_DEALER_EXISTS,
	STMT_CTL_PACKAGE_ADD,
	STMT_CTL_PACKAGE_LIST,
	STMT_CTL_PACKAGE_NAME,
	STMT_CTL_PACKAGE_DEACTIVATE,
	STMT_CTL_PACKAGE_ASSIGN,
	STMT_CTL_USER_ADD,
	STMT_CTL_USER_LIST,
	STMT_CTL_USER_LOCK,
	STMT_CTL_USER_DISABLE,
	STMT_CTL_USER_ENABLE,
	STMT_CTL_USER_PASSWD,
	STMT_CTL_USER_SESSIONS_END,
	/* --- end block: waportalctl account statements --- */
	/* --- block: hosts --- */
	STMT_CTL_HOST_ADD,
	STMT_CTL_HOST_LIST,
	STMT_CTL_HOST_UPDATE,
	STMT_CTL_HOST_ENABLE,
	/* --- end block: hosts --- */
	/* --- block: sessions and sign-in --- */
	STMT_SESSION_TOUCH,
	STMT_SESSION_CREATE,
	STMT_SESSION_DELETE,
	STMT_SESSIONS_EXPIRE,
	STMT_LOGIN_USER,
	STMT_LOGIN_THROTTLE,
	STMT_LOGIN_FAIL,
	STMT_LOGIN_CLEAR,
	STMT_LOGIN_FAILURES_EXPIRE,
	STMT_PASSWORD_REHASH,
	STMT_DASH_PACKAGE,
	STMT_DASH_DEALER,
	STMT_PROFILE_GET,
	STMT_PROFILE_UPDATE,
	STMT_USER_PASSWORD,
	STMT_PASSWORD_SET,
	STMT_SESSIONS_END_OTHERS,
	STMT_AVATAR_PUT,
	STMT_AVATAR_GET,
	STMT_AVATAR_DELETE,
	STMT_HOSTS_TO_PROBE,
	STMT_HOST_PROBED,
	STMT_HOOK_HOST,
	STMT_HOOK_EVENT_NEW,
	STMT_HOOK_SESSION_STATUS,
	STMT_INST_LIST,
	STMT_INST_HOST_CHOICES,
	STMT_INST_QUOTA,
	STMT_INST_HOST_LOCK,
	STMT_INST_CREATE,
	STMT_INST_GET,
	STMT_INST_SET_STATUS,
	STMT_INST_DELETE,
	/* --- end block: sessions and sign-in --- */
	/* --- block: dispatcher sending --- */
	STMT_SEND_STEP,
	STMT_SEND_EVENTS_EXPIRE,
	STMT_SEND_ACKS_EXPIRE,
	STMT_API_IDEM_EXPIRE,
	/* --- end block: dispatcher sending --- */
	/* --- block: webhook messages --- */
	STMT_HOOK_MSG_IN,
	STMT_HOOK_MSG_ACK,
	/* --- end block: webhook messages --- */
	/* --- block: api docs --- */
	STMT_AD_CONTEXT,
	/* --- end block: api docs --- */
	/* --- block: api keys --- */
	STMT_AK_LIST,
	STMT_AK_CONTEXT,
	STMT_AK_INSERT,
	STMT_AK_GET,
	STMT_AK_TOGGLE,
	STMT_AK_DELETE,
	STMT_AK_ROTATE,
	/* --- end block: api keys --- */
	/* --- block: api v1 --- */
	STMT_API_AUTH,
	STMT_API_COUNT,
	STMT_API_SEND,
	STMT_API_SEND_ADMIT,
	STMT_API_SEND_PUT,
	STMT_API_SEND_WAKE,
	STMT_API_MSG_LIST,
	STMT_API_MSG_GET,
	STMT_API_MSG_CANCEL,
	STMT_API_INST_LIST,
	STMT_API_INST_GET,
	STMT_API_USAGE,
	/* --- end block: api v1 --- */
	/* --- block: message pages --- */
	STMT_MSG_CONTEXT,
	STMT_MSG_LIST_OLDER,
	STMT_MSG_LIST_NEWER,
	STMT_MSG_GET,
	STMT_MSG_SEND_AT_CHECK,
	STMT_MSG_ENQUEUE,
	STMT_MSG_QUOTA,
	STMT_MSG_CANCEL,
	STMT_MSG_DASH,
	STMT_TZ_NAMES,
	STMT_USER_TZ,
	STMT_USER_TZ_SET,
	/* --- end block: message pages --- */
	/* --- block: live refresh --- */
	STMT_LIVE_HOSTS,
	STMT_LIVE_INST,
	/* --- end block: live refresh --- */
	STMT__MAX
};



/* Until each module owns its statements (docs/design.md). */
extern const struct stmt legacy_sql[STMT__MAX];
#define LEGACY(s)	(&legacy_sql[(s)])

#endif
