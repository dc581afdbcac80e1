/* page_broadcasts_new.c: a new broadcast: the form (audience of lists, segments, tags or all subscribers; template; sending numbers; unknown contacts with an acknowledgement; start time; missing-variable policy), the check page (the dry-run count against the month's quota left) that confirms, then the draft stored and started in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_bcast.h"
#include "core/db.h"
#include "core/nls.h"
#include "core/valid.h"
#include "core/xmalloc.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "web/session.h"
#include "page_msg.h"

#define BN_NAME_MAX	100	/* code points (sql/0027) */
#define BN_INST_MAX	50	/* sending numbers (sql/0027) */

enum {
	BN_IN_NAME, BN_IN_TEMPLATE, BN_IN_UNKNOWN, BN_IN_ACK, BN_IN_PRECHECK,
	BN_IN_START,
	BN_IN_START_AT, BN_IN_MISSING, BN_IN_QUIET_FROM, BN_IN_QUIET_TO,
	BN_IN__MAX
};

static int	bn_in_tick(struct req *, struct field *);

/* Bad values reach the handler (pass_invalid): the form shows them. The
 * ticked sources and numbers are read from the form itself (bn_read). */
static const struct input bn_in[BN_IN__MAX] = {
	[BN_IN_NAME] = { "name", input_trimmed, 0 },
	[BN_IN_TEMPLATE] = { "template", input_id, 0 },
	[BN_IN_UNKNOWN] = { "include_unknown", bn_in_tick, 0 },
	[BN_IN_ACK] = { "unknown_ack", bn_in_tick, 0 },
	[BN_IN_PRECHECK] = { "precheck", bn_in_tick, 0 },
	[BN_IN_START] = { "start", input_trimmed, 0 },
	[BN_IN_START_AT] = { "start_at", input_trimmed, 0 },
	[BN_IN_MISSING] = { "missing", input_trimmed, 0 },
	[BN_IN_QUIET_FROM] = { "quiet_from", input_trimmed, 0 },
	[BN_IN_QUIET_TO] = { "quiet_to", input_trimmed, 0 },
};

enum { BNC_KIND, BNC_ID, BNC_NAME, BNC_NOTE, BNC__MAX };
enum { BNW_VERDICT, BNW_SHOWN, BNW_TZ, BNW__MAX };
enum { BNQ_USED, BNQ_LIMIT, BNQ__MAX };
enum { BNI_ID, BNI__MAX };
enum { BNS_JOB, BNS__MAX };

enum {
	BN_CHOICES, BN_WHEN, BN_QUOTA, BN_INSERT, BN_SOURCES, BN_START,
	BN__MAX
};

static const struct stmt bn_sql[BN__MAX] = {
	/* What customer $1 can choose: lists and segments (a list's
	 * members as note), tags, templates, connected numbers (the phone
	 * as note), each kind by name; the customer's time zone (zone). */
	[BN_CHOICES] = { "broadcasts_new.choices",
	    "SELECT kind, id, name, note FROM ("
	    "SELECT g.kind, g.id, g.name, CASE WHEN g.kind = 'list' THEN "
	    "g.members::text ELSE '' END AS note FROM contact_groups g "
	    "WHERE g.customer_id = $1::bigint "
	    "UNION ALL SELECT 'tag', t.id, t.name, '' FROM tags t "
	    "WHERE t.customer_id = $1::bigint "
	    "UNION ALL SELECT 'template', p.id, p.name, '' FROM templates p "
	    "WHERE p.customer_id = $1::bigint "
	    "UNION ALL SELECT 'instance', i.id, i.name, i.phone FROM "
	    "instances i WHERE i.customer_id = $1::bigint "
	    "AND i.status = 'connected' UNION ALL SELECT 'zone', 0, "
	    "u.time_zone, '' FROM users u WHERE u.id = $1::bigint) x "
	    "ORDER BY kind, lower(name), id "
	    "LIMIT 5000", 1, DB_RETRY,
	    DB_COLS(BNC__MAX, [BNC_KIND] = "kind", [BNC_ID] = "id",
	    [BNC_NAME] = "name", [BNC_NOTE] = "note") },
	/* Local time $2 of customer $1: 'past' (over a minute ago), 'far'
	 * (more than 90 days ahead) or 'ok', as shown, and the zone. */
	[BN_WHEN] = { "broadcasts_new.when",
	    "SELECT CASE WHEN s.t < wa_now() - interval '1 minute' THEN "
	    "'past' WHEN s.t > wa_now() + interval '90 days' THEN 'far' "
	    "ELSE 'ok' END AS verdict, to_char($2::timestamp, "
	    "'YYYY-MM-DD HH24:MI') AS shown, s.tz FROM (SELECT $2::timestamp "
	    "AT TIME ZONE u.time_zone AS t, u.time_zone AS tz FROM users u "
	    "WHERE u.id = $1::bigint) s", 2, DB_RETRY,
	    DB_COLS(BNW__MAX, [BNW_VERDICT] = "verdict", [BNW_SHOWN] = "shown",
	    [BNW_TZ] = "tz") },
	/* This month's quota: places taken, and the package's limit ('' when
	 * no active unexpired package). */
	[BN_QUOTA] = { "broadcasts_new.quota",
	    "SELECT coalesce((SELECT c.messages FROM message_counts c "
	    "WHERE c.customer_id = $1::bigint "
	    "AND c.month = wa_customer_month($1::bigint)), 0) AS used, "
	    "coalesce((SELECT p.max_messages_month::text "
	    "FROM customer_packages cp JOIN packages p ON p.id = cp.package_id "
	    "WHERE cp.customer_id = $1::bigint AND cp.active "
	    "AND cp.starts_at <= wa_now() AND cp.expires_at > wa_now() "
	    "ORDER BY cp.expires_at DESC LIMIT 1), '') AS quota", 1, DB_RETRY,
	    DB_COLS(BNQ__MAX, [BNQ_USED] = "used", [BNQ_LIMIT] = "quota") },
	/* The draft of customer $1: name $2, unknown contacts $3 ticked by
	 * user $4, template $5, numbers $6, local start $7 (NULL: now),
	 * policy $8, pre-check $9, quiet hours $10 to $11 (minutes; NULL:
	 * none); none past 1,000 broadcasts. */
	[BN_INSERT] = { "broadcasts_new.insert",
	    "INSERT INTO broadcasts (customer_id, name, include_unknown, "
	    "unknown_ack_by, unknown_ack_at, template_id, instance_ids, "
	    "start_at, missing, precheck, quiet_from, quiet_to) SELECT u.id, "
	    "$2, $3::boolean, "
	    "CASE WHEN $3::boolean THEN $4::bigint END, CASE WHEN $3::boolean "
	    "THEN wa_now() END, $5::bigint, $6::bigint[], $7::timestamp AT "
	    "TIME ZONE u.time_zone, $8, $9::boolean, $10::smallint, "
	    "$11::smallint FROM users u WHERE u.id = "
	    "$1::bigint AND (SELECT count(*) FROM broadcasts b WHERE "
	    "b.customer_id = $1::bigint) < 1000 RETURNING id", 11, DB_ONCE,
	    DB_COLS(BNI__MAX, [BNI_ID] = "id") },
	/* Broadcast $1's sources in order: kinds $2, ids $3 (0: none). */
	[BN_SOURCES] = { "broadcasts_new.sources",
	    "INSERT INTO broadcast_sources (broadcast_id, pos, kind, ref_id) "
	    "SELECT $1::bigint, s.o - 1, s.k, nullif(s.r, 0) FROM "
	    "unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS s (k, r, o)",
	    3, DB_ONCE, NULL },
	/* Start draft $2 of customer $1: its job's id, '' when refused. */
	[BN_START] = { "broadcasts_new.start",
	    "SELECT coalesce(wa_broadcast_start($1::bigint, $2::bigint)::text, "
	    "'') AS job", 2, DB_ONCE, DB_COLS(BNS__MAX, [BNS_JOB] = "job") },
};

enum { BNF_STARTED, BNF__MAX };

static const struct flash bn_flashes[BNF__MAX] = {
	[BNF_STARTED] = { "broadcast_started", N_("The broadcast is started: "
	    "its audience is being frozen, then its messages are queued."),
	    "success" },
};

static const struct i18n_key bn_strings[] = {
	T_("bn_title", "New broadcast"),
	T_("bn_lead", "One template sent to the contacts of lists, segments "
	    "or tags, from one or several of your numbers."),
	T_("bn_name", "Name"),
	T_("bn_name_hint", "For you only: the contacts do not see it."),
	T_("bn_audience", "Audience"),
	T_("bn_audience_hint", "Choose up to 20. A contact in several of them "
	    "gets one message."),
	T_("bn_lists", "Lists"),
	T_("bn_segments", "Segments"),
	T_("bn_tags", "Tags"),
	T_("bn_subscribers", "All subscribed contacts"),
	T_("bn_members", "members"),
	T_("bn_template", "Template"),
	T_("bn_choose", "Choose a template"),
	T_("bn_no_templates", "No templates yet: add one first."),
	T_("bn_numbers", "Sending numbers"),
	T_("bn_numbers_hint", "The contacts are spread evenly over the "
	    "numbers you tick."),
	T_("bn_no_numbers", "No connected number: connect one first."),
	T_("bn_unknown", "Include contacts with unknown status"),
	T_("bn_unknown_hint", "Contacts who never said yes or no. Sending to "
	    "people who did not agree can get your numbers blocked."),
	T_("bn_ack", "I confirm that these contacts agreed to receive my "
	    "messages."),
	T_("bn_start", "Start"),
	T_("bn_start_now", "Now"),
	T_("bn_start_at", "At a date and time"),
	T_("bn_start_at_hint", "In your time zone:"),
	T_("bn_missing", "When a contact lacks a value the template uses"),
	T_("bn_precheck", "Check first that each number is on WhatsApp"),
	T_("bn_precheck_hint",
	    "Each number is asked once, from your sending number and paced "
	    "like a message, before the quota is reserved; the answers are "
	    "kept for 30 days. Numbers not on WhatsApp are left out and take "
	    "no message from your quota."),
	T_("bn_precheck_yes", "yes, before sending"),
	T_("bn_precheck_no", "no"),
	T_("bn_quiet", "Quiet hours"),
	T_("bn_quiet_hint", "Optional. Nothing is sent between these times in "
	    "each contact's own time zone, found from the country of the "
	    "number (yours when it is unknown); a message due then waits "
	    "until the end. Leave both empty for none."),
	T_("bn_quiet_from", "From"),
	T_("bn_quiet_to", "to"),
	T_("bn_quiet_none", "none"),
	T_("bn_quiet_where", "in each contact's time zone"),
	T_("bn_missing_fallback", "Write the fallback (or nothing)"),
	T_("bn_missing_skip", "Skip that contact"),
	T_("bn_missing_block", "Stop the broadcast before sending"),
	T_("bn_check", "Check"),
	T_("bn_check_title", "Check the broadcast"),
	T_("bn_check_lead", "Nothing is sent until you start it."),
	T_("bn_count", "Contacts it will send to"),
	T_("bn_quota_left", "Messages left this month"),
	T_("bn_no_package", "no active package"),
	T_("bn_fits", "It fits in this month's quota."),
	T_("bn_not_fits", "It does not fit in this month's quota: send to "
	    "fewer contacts or ask for a bigger package."),
	T_("bn_go", "Start the broadcast"),
	T_("bn_change", "Change"),
	T_("bn_when_now", "as soon as it is ready"),
	T_("bn_unknown_yes", "included (acknowledged)"),
	T_("bn_unknown_no", "left out"),
};

static const char bn_err_name[] =
    N_("A broadcast's name is one line of 1 to 100 characters.");
static const char bn_err_src[] =
    N_("Choose at least one list, segment, tag or all subscribers.");
static const char bn_err_src_max[] = N_("Choose at most 20.");
static const char bn_err_tpl[] = N_("Choose a template.");
static const char bn_err_inst[] = N_("Tick at least one connected number.");
static const char bn_err_ack[] =
    N_("Tick the confirmation to include contacts with unknown status.");
static const char bn_err_when[] =
    N_("Enter a date and time, like 2025-03-31 14:30.");
static const char bn_err_past[] = N_("That time is past.");
static const char bn_err_far[] = N_("At most 90 days ahead.");
static const char bn_err_missing[] = N_("Choose what to do.");
static const char bn_err_quiet_both[] = N_("Enter both times, or neither.");
static const char bn_err_quiet_time[] = N_("Enter a time like 21:00.");
static const char bn_err_quiet_same[] = N_("The two times must differ.");
static const char bn_err_parse[] = N_("A segment's filter no longer "
    "works (a field or tag of it was deleted): edit the segment.");
static const char bn_err_max[] =
    N_("You have 1,000 broadcasts, the most there can be.");

/* An id in text v (input_id's rule) into id: 0, -1. */
static int
bn_id(const char *v, int64_t *id)
{
	struct field	 f;

	memset(&f, 0, sizeof(f));
	f.s = v, f.n = strlen(v);
	if (input_id(NULL, &f) == -1)
		return -1;
	*id = f.i;
	return 0;
}

/* A tick: "1" or absent. */
static int
bn_in_tick(struct req *r, struct field *f)
{
	(void)r;
	if (f->n == 1 && f->s[0] == '1')
		return 0;
	f->err = N_("Not a tick.");
	return -1;
}

/* The form as read and its reasons (English, N_; NULL: good). */
struct bn_form {
	const char		*name, *missing, *start_at, *shown, *tz;
	const char		*quiet_from, *quiet_to;	/* as entered */
	int			 qf, qt;	/* minutes; -1: no quiet hours */
	struct aud_bcast_source	 src[AUD_BCAST_SOURCES];
	int			 nsrc, nsent, ninst, unknown, ack, at,
				 precheck;
	int64_t			 tpl, inst[BN_INST_MAX];
	const char		*name_err, *src_err, *tpl_err, *inst_err,
				*ack_err, *when_err, *missing_err, *quiet_err;
};

/* The choice of kind with id in res, its row or -1. */
static int
bn_choice(PGresult *res, const char *kind, int64_t id)
{
	int	 i;

	for (i = 0; i < PQntuples(res); i++)
		if (db_getll(res, i, BNC_ID) == id &&
		    strcmp(db_get(res, i, BNC_KIND), kind) == 0)
			return i;
	return -1;
}

/* An audience value ("list:ID" or "list.ID", "subscribers") into s:
 * 0, -1. */
static int
bn_src_parse(const char *v, struct aud_bcast_source *s)
{
	size_t	 n = strcspn(v, ":.");
	char	 kind[16];
	int	 k;

	memset(s, 0, sizeof(*s));
	if (strcmp(v, "subscribers") == 0) {
		s->kind = AUD_BCAST_SUBSCRIBERS;
		return 0;
	}
	if (v[n] == '\0' || n >= sizeof(kind))
		return -1;
	snprintf(kind, sizeof(kind), "%.*s", (int)n, v);
	if ((k = aud_bcast_kind(kind)) < 0 || k == AUD_BCAST_SUBSCRIBERS ||
	    bn_id(v + n + 1, &s->ref) != 0)
		return -1;
	s->kind = (enum aud_bcast_kind)k;
	return 0;
}

/* 1 when f has source s already. */
static int
bn_src_has(const struct bn_form *f, const struct aud_bcast_source *s)
{
	int	 i;

	for (i = 0; i < f->nsrc; i++)
		if (f->src[i].kind == s->kind && f->src[i].ref == s->ref)
			return 1;
	return 0;
}

/* One src value: 0, or 404 when it is not one of the choices. */
static int
bn_src_add(struct bn_form *f, PGresult *ch, const char *v)
{
	struct aud_bcast_source	 s;

	if (bn_src_parse(v, &s) == -1)
		return 404;
	if (s.kind != AUD_BCAST_SUBSCRIBERS && bn_choice(ch,
	    aud_bcast_kinds[s.kind], s.ref) < 0)
		return 404;
	f->nsent++;
	if (bn_src_has(f, &s) || f->nsrc >= AUD_BCAST_SOURCES)
		return 0;
	f->src[f->nsrc++] = s;
	return 0;
}

/* One inst value: 0, or 404 when it is not a connected number of theirs. */
static int
bn_inst_add(struct bn_form *f, PGresult *ch, const char *v)
{
	int64_t	 id;
	int	 i;

	if (bn_id(v, &id) != 0 || bn_choice(ch, "instance", id) < 0)
		return 404;
	for (i = 0; i < f->ninst; i++)
		if (f->inst[i] == id)
			return 0;
	if (f->ninst < BN_INST_MAX)
		f->inst[f->ninst++] = id;
	return 0;
}

/* The ticked sources ("s.list.ID=1", "s.subscribers=1") and numbers
 * ("i.ID=1") of params p (a name once each): 0, or 404. */
static int
bn_read_lists(struct bn_form *f, PGresult *ch, const struct params *p)
{
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < p->n && rc == 0; i++) {
		if (strncmp(p->v[i].name, "s.", 2) == 0)
			rc = bn_src_add(f, ch, p->v[i].name + 2);
		else if (strncmp(p->v[i].name, "i.", 2) == 0)
			rc = bn_inst_add(f, ch, p->v[i].name + 2);
	}
	return rc;
}

/* The start time: now, or a local time checked: 0, or 503. */
static int
bn_read_when(struct req *r, struct bn_form *f)
{
	const struct field	*s = &r->in[BN_IN_START_AT];
	const char		*p[2] = { r->cid, NULL };
	PGresult		*res;
	const char		*v;

	f->at = r->in[BN_IN_START].s != NULL &&
	    strcmp(r->in[BN_IN_START].s, "at") == 0;
	f->start_at = s->raw != NULL ? s->raw : "";
	if (!f->at)
		return 0;
	if (s->s == NULL || !msglist_local_time_ok(s->s, s->n)) {
		f->when_err = bn_err_when;
		return 0;
	}
	p[1] = s->s;
	if ((res = db_exec(&r->app->db, &bn_sql[BN_WHEN], p)) == NULL)
		return 503;
	v = db_get(res, 0, BNW_VERDICT);
	f->when_err = strcmp(v, "past") == 0 ? bn_err_past :
	    strcmp(v, "far") == 0 ? bn_err_far : NULL;
	f->start_at = req_strndup(r, s->s, s->n);
	f->shown = req_strndup(r, db_get(res, 0, BNW_SHOWN), 32);
	f->tz = req_strndup(r, db_get(res, 0, BNW_TZ), 64);
	PQclear(res);
	return 0;
}

/* An input's text as entered ("" when none). */
static const char *
bn_entered(const struct field *x)
{
	return x->s != NULL ? x->s : x->raw != NULL ? x->raw : "";
}

/* The quiet hours: none (both empty), or two different times. */
static void
bn_read_quiet(struct req *r, struct bn_form *f)
{
	const struct field	*a = &r->in[BN_IN_QUIET_FROM];
	const struct field	*b = &r->in[BN_IN_QUIET_TO];

	f->quiet_from = bn_entered(a);
	f->quiet_to = bn_entered(b);
	f->qf = f->qt = -1;
	if (*f->quiet_from == '\0' && *f->quiet_to == '\0')
		return;
	if (*f->quiet_from == '\0' || *f->quiet_to == '\0')
		f->quiet_err = bn_err_quiet_both;
	else if (a->s == NULL || b->s == NULL ||
	    (f->qf = aud_bcast_hhmm(a->s, a->n)) < 0 ||
	    (f->qt = aud_bcast_hhmm(b->s, b->n)) < 0)
		f->quiet_err = bn_err_quiet_time;
	else if (f->qf == f->qt)
		f->quiet_err = bn_err_quiet_same;
	if (f->quiet_err != NULL)
		f->qf = f->qt = -1;
}

/* The single-valued inputs into f with their reasons. */
static void
bn_read_fields(struct req *r, struct bn_form *f, PGresult *ch)
{
	const struct field	*in = r->in;
	const char		*m = in[BN_IN_MISSING].s;

	f->name = in[BN_IN_NAME].s != NULL ? in[BN_IN_NAME].s : "";
	if (*f->name == '\0' || text_field_ok(f->name, strlen(f->name),
	    BN_NAME_MAX, 0, NULL) != 0)
		f->name_err = bn_err_name;
	f->tpl = in[BN_IN_TEMPLATE].s != NULL ? in[BN_IN_TEMPLATE].i : 0;
	if (f->tpl == 0 || bn_choice(ch, "template", f->tpl) < 0)
		f->tpl_err = bn_err_tpl;
	f->unknown = in[BN_IN_UNKNOWN].s != NULL;
	f->ack = in[BN_IN_ACK].s != NULL;
	f->precheck = in[BN_IN_PRECHECK].s != NULL;
	if (f->unknown && !f->ack)
		f->ack_err = bn_err_ack;
	f->missing = m != NULL ? m : "fallback";
	if (strcmp(f->missing, "fallback") != 0 &&
	    strcmp(f->missing, "skip") != 0 && strcmp(f->missing, "block") != 0) {
		f->missing_err = bn_err_missing;
		f->missing = "fallback";
	}
}

/*
 * Read the form against the customer's choices ch: 0, -1 with reasons
 * in f, 404 when a value names what is not theirs, or 503.
 */
static int
bn_read(struct req *r, struct bn_form *f, PGresult *ch)
{
	int	 rc;

	memset(f, 0, sizeof(*f));
	if ((rc = bn_read_lists(f, ch, &r->form)) != 0)
		return rc;
	if (r->in[BN_IN_TEMPLATE].raw != NULL && r->in[BN_IN_TEMPLATE].s !=
	    NULL && bn_choice(ch, "template", r->in[BN_IN_TEMPLATE].i) < 0)
		return 404;
	bn_read_fields(r, f, ch);
	bn_read_quiet(r, f);
	if ((rc = bn_read_when(r, f)) != 0)
		return rc;
	if (f->nsrc == 0)
		f->src_err = bn_err_src;
	else if (f->nsent > AUD_BCAST_SOURCES)
		f->src_err = bn_err_src_max;
	if (f->ninst == 0)
		f->inst_err = bn_err_inst;
	return f->name_err || f->src_err || f->tpl_err || f->inst_err ||
	    f->ack_err || f->when_err || f->missing_err || f->quiet_err ?
	    -1 : 0;
}

/* 1 when f has source kind/ref (the form's ticks). */
static int
bn_ticked(const struct bn_form *f, enum aud_bcast_kind k, int64_t ref)
{
	struct aud_bcast_source	 s;

	memset(&s, 0, sizeof(s));
	s.kind = k, s.ref = ref;
	return bn_src_has(f, &s);
}

/* 1 when f ticks number id. */
static int
bn_inst_ticked(const struct bn_form *f, int64_t id)
{
	int	 i;

	for (i = 0; i < f->ninst; i++)
		if (f->inst[i] == id)
			return 1;
	return 0;
}

/* One choice row as {id, name, note, value ("list.ID"), checked}. */
static struct json_object *
bn_choice_obj(PGresult *ch, int i, int checked)
{
	struct json_object	*o = json_object_new_object();
	char			 val[48];

	json_object_object_add(o, "id", json_object_new_string(
	    db_get(ch, i, BNC_ID)));
	json_object_object_add(o, "name", json_object_new_string(
	    db_get(ch, i, BNC_NAME)));
	json_object_object_add(o, "note", json_object_new_string(
	    db_get(ch, i, BNC_NOTE)));
	snprintf(val, sizeof(val), "%s.%s", db_get(ch, i, BNC_KIND),
	    db_get(ch, i, BNC_ID));
	json_object_object_add(o, "value", json_object_new_string(val));
	json_object_object_add(o, "checked", json_object_new_boolean(checked));
	return o;
}

/* Whether row i of the choices is ticked or chosen in f. */
static int
bn_is_chosen(const struct bn_form *f, PGresult *ch, int i)
{
	const char	*k = db_get(ch, i, BNC_KIND);
	int64_t		 id = db_getll(ch, i, BNC_ID);
	int		 kind = aud_bcast_kind(k);

	if (strcmp(k, "template") == 0)
		return f->tpl == id;
	if (strcmp(k, "instance") == 0)
		return bn_inst_ticked(f, id);
	return kind >= 0 && bn_ticked(f, (enum aud_bcast_kind)kind, id);
}

/* The choices into v by kind: lists, segments, tags, templates,
 * instances (arrays; "chosen" ones only when chosen_only). */
static void
bn_choices_view(const struct bn_form *f, PGresult *ch, struct json_object *v,
    int chosen_only)
{
	static const char *const kinds[] = { "list", "segment", "tag",
	    "template", "instance" };
	static const char *const keys[] = { "lists", "segments", "tags",
	    "templates", "instances" };
	struct json_object	*a;
	char			 has[24];
	size_t			 k;
	int			 i, on;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		a = json_object_new_array();
		for (i = 0; i < PQntuples(ch); i++) {
			if (strcmp(db_get(ch, i, BNC_KIND), kinds[k]) != 0)
				continue;
			on = bn_is_chosen(f, ch, i);
			if (on || !chosen_only)
				json_object_array_add(a, bn_choice_obj(ch, i,
				    on));
		}
		if (json_object_array_length(a) > 0) {
			json_object_object_add(v, keys[k], a);
			snprintf(has, sizeof(has), "has_%s", keys[k]);
			json_object_object_add(v, has,
			    json_object_new_boolean(1));
		} else
			json_object_put(a);
	}
}

/* An error's key and translation into v, when there is one. */
static void
bn_err(struct req *r, struct json_object *v, const char *key, const char *e)
{
	if (e != NULL)
		json_object_object_add(v, key, json_object_new_string(
		    req_tr(r, e)));
}

/* The form's values and reasons into v. */
static void
bn_form_view(struct req *r, const struct bn_form *f, struct json_object *v)
{
	json_object_object_add(v, "name", json_object_new_string(f->name));
	json_object_object_add(v, "subscribers", json_object_new_boolean(
	    bn_ticked(f, AUD_BCAST_SUBSCRIBERS, 0)));
	json_object_object_add(v, "include_unknown",
	    json_object_new_boolean(f->unknown));
	json_object_object_add(v, "unknown_ack", json_object_new_boolean(
	    f->ack));
	json_object_object_add(v, "precheck", json_object_new_boolean(
	    f->precheck));
	json_object_object_add(v, f->at ? "start_at_on" : "start_now_on",
	    json_object_new_boolean(1));
	json_object_object_add(v, "start_at", json_object_new_string(
	    f->start_at != NULL ? f->start_at : ""));
	json_object_object_add(v, f->missing, json_object_new_boolean(1));
	json_object_object_add(v, "missing", json_object_new_string(
	    f->missing));
	json_object_object_add(v, "quiet_from", json_object_new_string(
	    f->quiet_from != NULL ? f->quiet_from : ""));
	json_object_object_add(v, "quiet_to", json_object_new_string(
	    f->quiet_to != NULL ? f->quiet_to : ""));
	json_object_object_add(v, "quiet_on", json_object_new_boolean(
	    f->qf >= 0));
	bn_err(r, v, "name_error", f->name_err);
	bn_err(r, v, "src_error", f->src_err);
	bn_err(r, v, "template_error", f->tpl_err);
	bn_err(r, v, "inst_error", f->inst_err);
	bn_err(r, v, "ack_error", f->ack_err);
	bn_err(r, v, "when_error", f->when_err);
	bn_err(r, v, "missing_error", f->missing_err);
	bn_err(r, v, "quiet_error", f->quiet_err);
	json_object_object_add(v, "has_errors", json_object_new_boolean(
	    f->name_err || f->src_err || f->tpl_err || f->inst_err ||
	    f->ack_err || f->when_err || f->missing_err || f->quiet_err));
}

/* The customer's choices, or NULL (503). */
static PGresult *
bn_choices(struct req *r)
{
	const char	*p[1] = { r->cid };

	return db_exec(&r->app->db, &bn_sql[BN_CHOICES], p);
}

/* Answer tmpl with status, the form f and the choices ch (v taken). */
static int
bn_render(struct req *r, int status, const char *tmpl, const struct bn_form *f,
    PGresult *ch, struct json_object *v)
{
	int	 rc, i;

	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "New broadcast")));
	json_object_object_add(v, "nav_broadcasts",
	    json_object_new_boolean(1));
	bn_choices_view(f, ch, v, strcmp(tmpl, "broadcast_check") == 0);
	if ((i = bn_choice(ch, "zone", 0)) >= 0)
		json_object_object_add(v, "tz", json_object_new_string(
		    db_get(ch, i, BNC_NAME)));
	bn_form_view(r, f, v);
	rc = resp_html(r, status, tmpl, v);
	json_object_put(v);
	PQclear(ch);
	return rc;
}

/* GET /broadcasts/new[?src=list:ID]: the form, a list or a segment
 * preselected (the group page's "Send to this group"). */
static int
bn_new(struct req *r)
{
	struct bn_form	 f;
	PGresult	*ch;
	size_t		 i;

	if ((ch = bn_choices(r)) == NULL)
		return 503;
	memset(&f, 0, sizeof(f));
	f.name = "", f.missing = "fallback";
	f.qf = f.qt = -1;
	for (i = 0; i < r->query.n; i++)
		if (strcmp(r->query.v[i].name, "src") == 0 &&
		    bn_src_add(&f, ch, r->query.v[i].value) != 0) {
			PQclear(ch);
			return 404;
		}
	return bn_render(r, 200, "broadcast_new", &f, ch,
	    json_object_new_object());
}

/* The dry run and the month's quota into v: 0, -1 (a segment no longer
 * parses: f->src_err), or 503. */
static int
bn_figures(struct req *r, struct bn_form *f, struct json_object *v)
{
	const char	*p[1] = { r->cid };
	PGresult	*res;
	int64_t		 n, used, limit;

	n = aud_bcast_count(&r->app->db, r->customer_id, f->src, f->nsrc,
	    f->unknown);
	if (n == -1)
		return 503;
	if (n == -2) {
		f->src_err = bn_err_parse;
		return -1;
	}
	if ((res = db_exec(&r->app->db, &bn_sql[BN_QUOTA], p)) == NULL)
		return 503;
	json_object_object_add(v, "count", json_object_new_int64(n));
	if (*db_get(res, 0, BNQ_LIMIT) == '\0')
		json_object_object_add(v, "no_package",
		    json_object_new_boolean(1));
	else {
		used = db_getll(res, 0, BNQ_USED);
		limit = db_getll(res, 0, BNQ_LIMIT);
		json_object_object_add(v, "quota_left", json_object_new_int64(
		    limit > used ? limit - used : 0));
		json_object_object_add(v, n <= limit - used ? "fits" :
		    "not_fits", json_object_new_boolean(1));
	}
	PQclear(res);
	return 0;
}

/* POST /broadcasts/new: the check page that confirms, or the form with
 * its reasons (422); nothing is stored. */
static int
bn_check(struct req *r)
{
	struct json_object	*v;
	struct bn_form		 f;
	PGresult		*ch;
	int			 rc;

	if ((ch = bn_choices(r)) == NULL)
		return 503;
	if ((rc = bn_read(r, &f, ch)) > 0) {
		PQclear(ch);
		return rc;
	}
	v = json_object_new_object();
	if (rc == 0 && (rc = bn_figures(r, &f, v)) == 503) {
		json_object_put(v);
		PQclear(ch);
		return 503;
	}
	if (f.shown != NULL)
		json_object_object_add(v, "when", json_object_new_string(
		    req_keep(r, xasprintf("%s (%s)", f.shown, f.tz))));
	return bn_render(r, rc == 0 ? 200 : 422, rc == 0 ? "broadcast_check" :
	    "broadcast_new", &f, ch, v);
}

/* POST /broadcasts/new/edit: the check page's "Change": the form again
 * with its values. */
static int
bn_edit(struct req *r)
{
	struct bn_form	 f;
	PGresult	*ch;
	int		 rc;

	if ((ch = bn_choices(r)) == NULL)
		return 503;
	if ((rc = bn_read(r, &f, ch)) > 0) {
		PQclear(ch);
		return rc;
	}
	f.name_err = f.src_err = f.tpl_err = f.inst_err = NULL;
	f.ack_err = f.when_err = f.missing_err = f.quiet_err = NULL;
	return bn_render(r, 200, "broadcast_new", &f, ch,
	    json_object_new_object());
}

/* The numbers as an SQL array into b. */
static void
bn_inst_array(const struct bn_form *f, struct buf *b)
{
	int	 i;

	buf_putc(b, '{');
	for (i = 0; i < f->ninst; i++)
		buf_printf(b, "%s%lld", i > 0 ? "," : "",
		    (long long)f->inst[i]);
	buf_putc(b, '}');
}

/* In the caller's transaction: the draft and its sources stored, then
 * started. The id into id: 0, 1 at the 1,000 limit, -1. */
static int
bn_store(struct req *r, const struct bn_form *f, char id[24])
{
	struct buf	 k = BUF_INIT, ids = BUF_INIT, inst = BUF_INIT;
	char		 tpl[24], user[24];
	const char	*p[11];
	char		 qf[8], qt[8];
	PGresult	*res;
	int		 rc = -1;

	snprintf(tpl, sizeof(tpl), "%lld", (long long)f->tpl);
	snprintf(user, sizeof(user), "%lld", (long long)r->user->id);
	bn_inst_array(f, &inst);
	aud_bcast_arrays(f->src, f->nsrc, &k, &ids);
	p[0] = r->cid, p[1] = f->name, p[2] = f->unknown ? "t" : "f";
	p[3] = user, p[4] = tpl, p[5] = buf_str(&inst);
	p[6] = f->at ? f->start_at : NULL, p[7] = f->missing;
	p[8] = f->precheck ? "t" : "f";
	snprintf(qf, sizeof(qf), "%d", f->qf);
	snprintf(qt, sizeof(qt), "%d", f->qt);
	p[9] = f->qf >= 0 ? qf : NULL, p[10] = f->qf >= 0 ? qt : NULL;
	if ((res = db_exec(&r->app->db, &bn_sql[BN_INSERT], p)) != NULL) {
		rc = PQntuples(res) == 1 ? 0 : 1;
		snprintf(id, 24, "%s", rc == 0 ? db_get(res, 0, BNI_ID) : "");
		PQclear(res);
	}
	p[0] = id, p[1] = buf_str(&k), p[2] = buf_str(&ids);
	if (rc == 0 && db_exec_cmd(&r->app->db, &bn_sql[BN_SOURCES], p) == -1)
		rc = -1;
	p[0] = r->cid, p[1] = id;
	if (rc == 0 && (res = db_exec(&r->app->db, &bn_sql[BN_START], p)) !=
	    NULL) {
		rc = *db_get(res, 0, BNS_JOB) != '\0' ? 0 : -1;
		PQclear(res);
	} else if (rc == 0)
		rc = -1;
	buf_free(&k), buf_free(&ids), buf_free(&inst);
	return rc;
}

/* Store and start f in one transaction: 0, 1 at the limit, -1. */
static int
bn_store_tx(struct req *r, const struct bn_form *f, char id[24])
{
	int	 rc;

	if (db_begin(&r->app->db) == -1)
		return -1;
	if ((rc = bn_store(r, f, id)) != 0) {
		db_rollback(&r->app->db);
		return rc;
	}
	return db_commit(&r->app->db) == -1 ? -1 : 0;
}

/* POST /broadcasts: the confirmed form stored and started, then its
 * page; a bad form back with its reasons (422), nothing stored. */
static int
bn_create(struct req *r)
{
	struct bn_form	 f;
	PGresult	*ch;
	char		 id[24], loc[64];
	int		 rc;

	if ((ch = bn_choices(r)) == NULL)
		return 503;
	if ((rc = bn_read(r, &f, ch)) > 0) {
		PQclear(ch);
		return rc;
	}
	if (rc == 0 && (rc = bn_store_tx(r, &f, id)) == -1) {
		PQclear(ch);
		return 503;
	}
	if (rc == 1)
		f.name_err = bn_err_max;
	if (rc != 0)
		return bn_render(r, 422, "broadcast_new", &f, ch,
		    json_object_new_object());
	PQclear(ch);
	flash_set(r, &bn_flashes[BNF_STARTED]);
	snprintf(loc, sizeof(loc), "/broadcasts/%s", id);
	return resp_redirect(r, 303, loc);
}

/* 20 sources and 50 numbers of "src=segment:ID" fit in 16 KiB. */
static const struct route bn_routes[] = {
	{ .method = METHOD_GET, .pattern = "/broadcasts/new",
	    .handler = bn_new, .name = "broadcast_new",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/broadcasts/new",
	    .handler = bn_check, .name = "broadcast_check",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 16384, .pass_invalid = 1, ROUTE_INPUTS(bn_in) },
	{ .method = METHOD_POST, .pattern = "/broadcasts/new/edit",
	    .handler = bn_edit, .name = "broadcast_edit",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 16384, .pass_invalid = 1, ROUTE_INPUTS(bn_in) },
	{ .method = METHOD_POST, .pattern = "/broadcasts",
	    .handler = bn_create, .name = "broadcast_create",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 16384, .pass_invalid = 1, ROUTE_INPUTS(bn_in) },
};

const struct module broadcasts_new_module = {
	.name = "broadcasts_new",
	MODULE_ROUTES(bn_routes),
	MODULE_SQL(bn_sql),
	MODULE_STRINGS(bn_strings),
	MODULE_FLASHES(bn_flashes),
};
