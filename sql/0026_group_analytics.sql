-- 0026_group_analytics.sql: a list's subscription analytics (issue 13): its
-- members' opt-ins and opt-outs per day, opt-outs by source, counted from
-- the consent log's inserts into contact_group_days, and the period's
-- figures of one list as the analytics page, the list's page and the API
-- show them. An opt-in or opt-out of a list is then what it is for the
-- whole account (sql/0022): a consent log entry, here of a member at the
-- time, a repeated STOP counted again. sql/0021's opt_ins and opt_outs
-- (the members' status moves, where a repeated STOP moves nothing) are no
-- longer read. docs/subscriptions.md says how.

-- The list's members' log entries that day: to 'subscribed', and to
-- 'unsubscribed' by contact_consents.source.
ALTER TABLE contact_group_days
	ADD COLUMN log_ins bigint NOT NULL DEFAULT 0 CHECK (log_ins >= 0),
	ADD COLUMN out_keyword bigint NOT NULL DEFAULT 0
	    CHECK (out_keyword >= 0),
	ADD COLUMN out_import bigint NOT NULL DEFAULT 0 CHECK (out_import >= 0),
	ADD COLUMN out_api bigint NOT NULL DEFAULT 0 CHECK (out_api >= 0),
	ADD COLUMN out_portal bigint NOT NULL DEFAULT 0 CHECK (out_portal >= 0),
	ADD COLUMN out_double_opt_in bigint NOT NULL DEFAULT 0
	    CHECK (out_double_opt_in >= 0),
	ADD COLUMN out_complaint bigint NOT NULL DEFAULT 0
	    CHECK (out_complaint >= 0);

-- One upsert per statement of the log: its entries to 'subscribed' and
-- 'unsubscribed' whose contact is a member of lists then, per list and the
-- customer's day, in key order (no two statements wait for each other in
-- a cycle). An import's new contacts are members of nothing yet: one
-- index probe each.
CREATE FUNCTION wa_group_consent_outs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO contact_group_days AS d (group_id, day, log_ins,
	    out_keyword, out_import, out_api, out_portal, out_double_opt_in,
	    out_complaint)
	SELECT m.group_id, (wa_now() AT TIME ZONE us.time_zone)::date,
	    count(*) FILTER (WHERE n.status = 'subscribed'),
	    count(*) FILTER (WHERE n.status = 'unsubscribed'
		AND n.source = 'keyword'),
	    count(*) FILTER (WHERE n.status = 'unsubscribed'
		AND n.source = 'import'),
	    count(*) FILTER (WHERE n.status = 'unsubscribed' AND n.source = 'api'),
	    count(*) FILTER (WHERE n.status = 'unsubscribed'
		AND n.source = 'portal'),
	    count(*) FILTER (WHERE n.status = 'unsubscribed'
		AND n.source = 'double_opt_in'),
	    count(*) FILTER (WHERE n.status = 'unsubscribed'
		AND n.source = 'complaint')
	FROM new_rows n
	JOIN contact_group_members m ON m.contact_id = n.contact_id
	JOIN users us ON us.id = n.customer_id
	WHERE n.status IN ('subscribed', 'unsubscribed')
	GROUP BY 1, 2 ORDER BY 1, 2
	ON CONFLICT (group_id, day) DO UPDATE SET
	    log_ins = d.log_ins + excluded.log_ins,
	    out_keyword = d.out_keyword + excluded.out_keyword,
	    out_import = d.out_import + excluded.out_import,
	    out_api = d.out_api + excluded.out_api,
	    out_portal = d.out_portal + excluded.out_portal,
	    out_double_opt_in = d.out_double_opt_in + excluded.out_double_opt_in,
	    out_complaint = d.out_complaint + excluded.out_complaint;
	RETURN NULL;
END;
$$;

-- The trigger before the backfill: the lock keeps the log from inserts
-- until this migration commits. The backfill counts the entries since
-- each member joined, on the day of the entry in the customer's zone.
LOCK TABLE contact_consents IN SHARE ROW EXCLUSIVE MODE;
CREATE TRIGGER contact_consents_group_outs AFTER INSERT ON contact_consents
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_group_consent_outs();
INSERT INTO contact_group_days AS d (group_id, day, log_ins, out_keyword,
    out_import, out_api, out_portal, out_double_opt_in, out_complaint)
SELECT m.group_id, (c.at AT TIME ZONE us.time_zone)::date,
    count(*) FILTER (WHERE c.status = 'subscribed'),
    count(*) FILTER (WHERE c.status = 'unsubscribed' AND c.source = 'keyword'),
    count(*) FILTER (WHERE c.status = 'unsubscribed' AND c.source = 'import'),
    count(*) FILTER (WHERE c.status = 'unsubscribed' AND c.source = 'api'),
    count(*) FILTER (WHERE c.status = 'unsubscribed' AND c.source = 'portal'),
    count(*) FILTER (WHERE c.status = 'unsubscribed'
	AND c.source = 'double_opt_in'),
    count(*) FILTER (WHERE c.status = 'unsubscribed' AND c.source = 'complaint')
FROM contact_consents c
JOIN contact_group_members m ON m.contact_id = c.contact_id
    AND c.at >= m.added_at
JOIN users us ON us.id = c.customer_id
WHERE c.status IN ('subscribed', 'unsubscribed')
GROUP BY 1, 2
ON CONFLICT (group_id, day) DO UPDATE SET
    log_ins = d.log_ins + excluded.log_ins,
    out_keyword = d.out_keyword + excluded.out_keyword,
    out_import = d.out_import + excluded.out_import,
    out_api = d.out_api + excluded.out_api,
    out_portal = d.out_portal + excluded.out_portal,
    out_double_opt_in = d.out_double_opt_in + excluded.out_double_opt_in,
    out_complaint = d.out_complaint + excluded.out_complaint;

-- List p_group of customer p_customer over its last p_days days (today and
-- the p_days - 1 before in the customer's zone), in the shape of
-- wa_consent_analytics (sql/0022) with the list's joins and leaves beside:
-- {group: {id, name}, time_zone, from, to, days: [{date, opt_ins,
-- opt_outs, net, joined, left}], totals: {opt_ins, opt_outs, net, joined,
-- left}, opt_out_sources: [{source, count}]}: its members' log entries
-- while members, and the members who joined and left. NULL when the
-- customer has no such group; {kind: 'segment'} for a segment, whose
-- members are resolved when used and have no history. Reads p_days rows.
CREATE FUNCTION wa_group_analytics(p_customer bigint, p_group bigint,
    p_days integer) RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_kind	text;
	v_name	text;
BEGIN
	SELECT g.kind, g.name INTO v_kind, v_name FROM contact_groups g
	WHERE g.id = p_group AND g.customer_id = p_customer;
	IF NOT FOUND THEN
		RETURN NULL;
	ELSIF v_kind = 'segment' THEN
		RETURN json_build_object('kind', 'segment', 'group',
		    json_build_object('id', p_group, 'name', v_name));
	END IF;
	RETURN (WITH r AS (
		SELECT u.time_zone AS tz,
		    (wa_now() AT TIME ZONE u.time_zone)::date AS today
		FROM users u WHERE u.id = p_customer
	), d AS (
		SELECT r.today - (p_days - 1) + i AS day,
		    coalesce(x.log_ins, 0) AS ins, coalesce(x.out_keyword +
			x.out_import + x.out_api + x.out_portal +
			x.out_double_opt_in + x.out_complaint, 0) AS outs,
		    coalesce(x.joined, 0) AS joined, coalesce(x.left_, 0) AS left_,
		    x.out_keyword, x.out_import, x.out_api, x.out_portal,
		    x.out_double_opt_in, x.out_complaint
		FROM r CROSS JOIN generate_series(0, p_days - 1) i
		LEFT JOIN contact_group_days x ON x.group_id = p_group
		    AND x.day = r.today - (p_days - 1) + i
	), o AS (
		SELECT v.source, v.n FROM (SELECT sum(out_keyword) AS kw,
		    sum(out_import) AS im, sum(out_api) AS api,
		    sum(out_portal) AS po, sum(out_double_opt_in) AS dou,
		    sum(out_complaint) AS co FROM d) t,
		LATERAL (VALUES ('keyword', t.kw), ('import', t.im), ('api', t.api),
		    ('portal', t.po), ('double_opt_in', t.dou),
		    ('complaint', t.co)) v (source, n)
		WHERE v.n > 0
	)
	SELECT json_build_object('kind', 'list',
	    'group', json_build_object('id', p_group, 'name', v_name),
	    'time_zone', r.tz, 'from', r.today - (p_days - 1), 'to', r.today,
	    'days', (SELECT json_agg(json_build_object('date', d.day,
		'opt_ins', d.ins, 'opt_outs', d.outs, 'net', d.ins - d.outs,
		'joined', d.joined, 'left', d.left_) ORDER BY d.day) FROM d),
	    'totals', (SELECT json_build_object('opt_ins', sum(d.ins),
		'opt_outs', sum(d.outs), 'net', sum(d.ins - d.outs),
		'joined', sum(d.joined), 'left', sum(d.left_)) FROM d),
	    'opt_out_sources', (SELECT coalesce(json_agg(json_build_object(
		'source', o.source, 'count', o.n) ORDER BY o.n DESC, o.source),
		'[]') FROM o))
	FROM r);
END;
$$;
