/* bcast_check.c: the runner's pre-check hook between a broadcast's resolution and its reservation: with precheck and unchecked recipients the broadcast waits in 'checking' for the dispatcher's check loop, else the recipients not on WhatsApp are skipped (sql/0032's wa_broadcast_precheck). */
#include <string.h>

#include "core/db.h"
#include "core/log.h"
#include "runner.h"

enum { PC_STATE, PC__MAX };

enum {
	PRECHECK_RUN,
	PRECHECK__MAX
};

static const struct stmt precheck_sql[PRECHECK__MAX] = {
	/*
	 * Broadcast $1, ready: 'checking' when it has numbers to ask,
	 * else 'ready' with those not on WhatsApp skipped.
	 */
	[PRECHECK_RUN] = { "bcast_check.run",
	    "SELECT wa_broadcast_precheck($1::bigint) AS state", 1, DB_ONCE,
	    DB_COLS(PC__MAX, [PC_STATE] = "state") },
};

const struct stmt_set bcast_check_stmts = STMT_SET(precheck_sql);

int
bcast_precheck(struct runner *r, struct job *j, const char *id)
{
	PGresult	*res;
	int		 checking;

	if ((res = db_exec(&r->db, &precheck_sql[PRECHECK_RUN],
	    (const char *const[]){ id })) == NULL)
		return -1;
	checking = PQntuples(res) == 1 && strcmp(db_get(res, 0, PC_STATE),
	    "checking") == 0;
	PQclear(res);
	if (checking)
		log_info("job %s broadcast %s: its numbers wait for the "
		    "dispatcher's pre-check", j->idstr, id);
	return checking;
}
