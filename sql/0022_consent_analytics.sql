-- 0022_consent_analytics.sql: subscription analytics (issue 13): the consent
-- log counted per customer, 15-minute UTC slot, new status and source, kept
-- by a statement trigger on the log's inserts, and the daily opt-ins,
-- opt-outs and top opt-out sources of a period in the customer's time zone.
-- docs/subscriptions.md ("Analytics") says why the slots are 15 minutes.

-- Opt-ins (log entries to 'subscribed') and opt-outs (to 'unsubscribed')
-- by source, one row per customer and 15 minutes of UTC: every zone in use
-- is a whole number of quarter hours from UTC, so each slot lies in one
-- local day of any zone, and the days follow the customer's time zone as
-- it is when read, whenever it changed. 90 days are at most 8,640 rows a
-- customer, whatever the sources. Entries to 'unknown' are neither.
CREATE TABLE consent_slots (
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	slot		timestamptz NOT NULL,
	ins		bigint NOT NULL DEFAULT 0 CHECK (ins >= 0),
	-- opt-outs by contact_consents.source
	out_keyword	bigint NOT NULL DEFAULT 0 CHECK (out_keyword >= 0),
	out_import	bigint NOT NULL DEFAULT 0 CHECK (out_import >= 0),
	out_api		bigint NOT NULL DEFAULT 0 CHECK (out_api >= 0),
	out_portal	bigint NOT NULL DEFAULT 0 CHECK (out_portal >= 0),
	out_double_opt_in bigint NOT NULL DEFAULT 0
			    CHECK (out_double_opt_in >= 0),
	out_complaint	bigint NOT NULL DEFAULT 0 CHECK (out_complaint >= 0),
	PRIMARY KEY (customer_id, slot)
);

-- The slot of a log entry's time: its 15 minutes of UTC.
CREATE FUNCTION wa_consent_slot(p_at timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT date_bin('15 minutes', p_at, timestamptz '2000-01-01 00:00+00')
$$;

-- One upsert per statement of the log, whatever its number of rows (an
-- import's thousands, a keyword's one), in key order so that two bulk
-- statements never wait for each other in a cycle.
CREATE FUNCTION wa_consent_slots_ins() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO consent_slots AS s (customer_id, slot, ins, out_keyword,
	    out_import, out_api, out_portal, out_double_opt_in, out_complaint)
	SELECT customer_id, wa_consent_slot(at),
	    count(*) FILTER (WHERE status = 'subscribed'),
	    count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'keyword'),
	    count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'import'),
	    count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'api'),
	    count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'portal'),
	    count(*) FILTER (WHERE status = 'unsubscribed'
		AND source = 'double_opt_in'),
	    count(*) FILTER (WHERE status = 'unsubscribed'
		AND source = 'complaint')
	FROM new_rows WHERE status IN ('subscribed', 'unsubscribed')
	GROUP BY 1, 2 ORDER BY 1, 2
	ON CONFLICT (customer_id, slot) DO UPDATE SET ins = s.ins + EXCLUDED.ins,
	    out_keyword = s.out_keyword + EXCLUDED.out_keyword,
	    out_import = s.out_import + EXCLUDED.out_import,
	    out_api = s.out_api + EXCLUDED.out_api,
	    out_portal = s.out_portal + EXCLUDED.out_portal,
	    out_double_opt_in = s.out_double_opt_in + EXCLUDED.out_double_opt_in,
	    out_complaint = s.out_complaint + EXCLUDED.out_complaint;
	RETURN NULL;
END;
$$;

-- The log is append-only; a deletion (a customer's, which takes the slots
-- too, or a future retention) takes its entries out of the counts, and a
-- slot left with nothing goes.
CREATE FUNCTION wa_consent_slots_del() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	WITH d AS (
		SELECT customer_id, wa_consent_slot(at) AS slot,
		    count(*) FILTER (WHERE status = 'subscribed') AS ins,
		    count(*) FILTER (WHERE status = 'unsubscribed'
			AND source = 'keyword') AS o_kw,
		    count(*) FILTER (WHERE status = 'unsubscribed'
			AND source = 'import') AS o_im,
		    count(*) FILTER (WHERE status = 'unsubscribed'
			AND source = 'api') AS o_api,
		    count(*) FILTER (WHERE status = 'unsubscribed'
			AND source = 'portal') AS o_po,
		    count(*) FILTER (WHERE status = 'unsubscribed'
			AND source = 'double_opt_in') AS o_do,
		    count(*) FILTER (WHERE status = 'unsubscribed'
			AND source = 'complaint') AS o_co
		FROM old_rows WHERE status IN ('subscribed', 'unsubscribed')
		GROUP BY 1, 2 ORDER BY 1, 2
	), u AS (
		UPDATE consent_slots s SET ins = s.ins - d.ins,
		    out_keyword = s.out_keyword - d.o_kw,
		    out_import = s.out_import - d.o_im,
		    out_api = s.out_api - d.o_api,
		    out_portal = s.out_portal - d.o_po,
		    out_double_opt_in = s.out_double_opt_in - d.o_do,
		    out_complaint = s.out_complaint - d.o_co
		FROM d WHERE (s.customer_id, s.slot) = (d.customer_id, d.slot)
		RETURNING s.customer_id, s.slot, s.ins + s.out_keyword +
		    s.out_import + s.out_api + s.out_portal +
		    s.out_double_opt_in + s.out_complaint AS left_n
	)
	DELETE FROM consent_slots s USING u
	WHERE (s.customer_id, s.slot) = (u.customer_id, u.slot)
	    AND u.left_n = 0;
	RETURN NULL;
END;
$$;

-- The trigger before the backfill: the lock keeps the log from inserts
-- until this migration commits, so no entry is counted twice or missed.
LOCK TABLE contact_consents IN SHARE ROW EXCLUSIVE MODE;
CREATE TRIGGER contact_consents_slots_ins AFTER INSERT ON contact_consents
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_consent_slots_ins();
CREATE TRIGGER contact_consents_slots_del AFTER DELETE ON contact_consents
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_consent_slots_del();
INSERT INTO consent_slots (customer_id, slot, ins, out_keyword, out_import,
    out_api, out_portal, out_double_opt_in, out_complaint)
SELECT customer_id, wa_consent_slot(at),
    count(*) FILTER (WHERE status = 'subscribed'),
    count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'keyword'),
    count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'import'),
    count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'api'),
    count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'portal'),
    count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'double_opt_in'),
    count(*) FILTER (WHERE status = 'unsubscribed' AND source = 'complaint')
FROM contact_consents WHERE status IN ('subscribed', 'unsubscribed')
GROUP BY 1, 2;

-- Customer p_customer's last p_days days (today and the p_days - 1 before,
-- in the customer's time zone) as the page and the API show them:
-- {time_zone, from, to, days: [{date, opt_ins, opt_outs, net}] (every day,
-- oldest first), totals: {opt_ins, opt_outs, net}, opt_out_sources:
-- [{source, count}] (most first)}. Reads at most p_days * 96 + 192 rows
-- of the slots, never the log. The slots read reach a day past each
-- end and are kept by their local date, so a zone whose midnight does not
-- exist on some day still gets every slot of its days.
CREATE FUNCTION wa_consent_analytics(p_customer bigint, p_days integer)
RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (WITH z AS (
		SELECT u.time_zone AS tz, (wa_now() AT TIME ZONE u.time_zone)::date
		    AS today FROM users u WHERE u.id = p_customer
	), r AS (
		SELECT z.tz, z.today - (p_days - 1) AS first, z.today FROM z
	), w AS (
		SELECT x.day, sum(x.ins) AS ins, sum(x.kw) AS kw, sum(x.im) AS im,
		    sum(x.api) AS api, sum(x.po) AS po, sum(x.dou) AS dou,
		    sum(x.co) AS co
		FROM r, LATERAL (
		    SELECT (s.slot AT TIME ZONE r.tz)::date AS day, s.ins,
			s.out_keyword AS kw, s.out_import AS im, s.out_api AS api,
			s.out_portal AS po, s.out_double_opt_in AS dou,
			s.out_complaint AS co
		    FROM consent_slots s WHERE s.customer_id = p_customer
			AND s.slot >= (r.first::timestamp AT TIME ZONE r.tz)
			    - interval '1 day'
			AND s.slot < ((r.today + 1)::timestamp AT TIME ZONE r.tz)
			    + interval '1 day') x
		WHERE x.day BETWEEN r.first AND r.today
		GROUP BY x.day
	), d AS (
		SELECT r.first + i AS day, coalesce(w.ins, 0) AS ins,
		    coalesce(w.kw + w.im + w.api + w.po + w.dou + w.co, 0) AS outs
		FROM r CROSS JOIN generate_series(0, p_days - 1) i
		LEFT JOIN w ON w.day = r.first + i
	), o AS (
		SELECT v.source, v.n FROM (SELECT sum(kw) AS kw, sum(im) AS im,
		    sum(api) AS api, sum(po) AS po, sum(dou) AS dou,
		    sum(co) AS co FROM w) t,
		LATERAL (VALUES ('keyword', t.kw), ('import', t.im), ('api', t.api),
		    ('portal', t.po), ('double_opt_in', t.dou),
		    ('complaint', t.co)) v (source, n)
		WHERE v.n > 0
	)
	SELECT json_build_object('time_zone', r.tz, 'from', r.first,
	    'to', r.today,
	    'days', (SELECT json_agg(json_build_object('date', d.day,
		'opt_ins', d.ins, 'opt_outs', d.outs, 'net', d.ins - d.outs)
		ORDER BY d.day) FROM d),
	    'totals', (SELECT json_build_object('opt_ins', coalesce(sum(d.ins), 0),
		'opt_outs', coalesce(sum(d.outs), 0),
		'net', coalesce(sum(d.ins - d.outs), 0)) FROM d),
	    'opt_out_sources', (SELECT coalesce(json_agg(json_build_object(
		'source', o.source, 'count', o.n) ORDER BY o.n DESC, o.source),
		'[]') FROM o))
	FROM r);
END;
$$;
