-- 0022_consent_analytics.sql: subscription analytics (issue 13): the consent
-- log counted per customer, 15-minute UTC slot, new status and source, kept
-- by a statement trigger on the log's inserts, and the daily opt-ins,
-- opt-outs and top opt-out sources of a period in the customer's time zone.
-- docs/subscriptions.md ("Analytics") says why the slots are 15 minutes.

-- Opt-ins (a log entry to 'subscribed') and opt-outs (to 'unsubscribed')
-- per 15 minutes of UTC: every zone in use is a whole number of quarter
-- hours from UTC, so each slot lies in one local day of any zone, and the
-- days follow the customer's time zone as it is when read, whenever it
-- changed. Entries to 'unknown' are neither and are not counted.
CREATE TABLE consent_slots (
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	slot		timestamptz NOT NULL,
	status		text NOT NULL CHECK (status IN ('subscribed',
			    'unsubscribed')),
	source		text NOT NULL CHECK (source IN ('portal', 'api',
			    'import', 'keyword', 'double_opt_in', 'complaint')),
	n		bigint NOT NULL CHECK (n >= 0),
	PRIMARY KEY (customer_id, slot, status, source)
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
	INSERT INTO consent_slots AS s (customer_id, slot, status, source, n)
	SELECT customer_id, wa_consent_slot(at), status, source, count(*)
	FROM new_rows WHERE status IN ('subscribed', 'unsubscribed')
	GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
	ON CONFLICT (customer_id, slot, status, source)
	    DO UPDATE SET n = s.n + EXCLUDED.n;
	RETURN NULL;
END;
$$;

-- The log is append-only; a deletion (a customer's, which takes the slots
-- too, or a future retention) takes its entries out of the counts.
CREATE FUNCTION wa_consent_slots_del() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE consent_slots s SET n = s.n - d.n
	FROM (SELECT customer_id, wa_consent_slot(at) AS slot, status, source,
		count(*) AS n FROM old_rows
	    WHERE status IN ('subscribed', 'unsubscribed')
	    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4) d
	WHERE (s.customer_id, s.slot, s.status, s.source) =
	    (d.customer_id, d.slot, d.status, d.source);
	DELETE FROM consent_slots s WHERE s.n = 0 AND s.customer_id IN
	    (SELECT DISTINCT customer_id FROM old_rows);
	RETURN NULL;
END;
$$;

-- The trigger before the backfill: CREATE TRIGGER locks the log against
-- inserts until this migration commits, so no entry is counted twice or
-- missed.
LOCK TABLE contact_consents IN SHARE ROW EXCLUSIVE MODE;
CREATE TRIGGER contact_consents_slots_ins AFTER INSERT ON contact_consents
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_consent_slots_ins();
CREATE TRIGGER contact_consents_slots_del AFTER DELETE ON contact_consents
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_consent_slots_del();
INSERT INTO consent_slots (customer_id, slot, status, source, n)
SELECT customer_id, wa_consent_slot(at), status, source, count(*)
FROM contact_consents WHERE status IN ('subscribed', 'unsubscribed')
GROUP BY 1, 2, 3, 4;

-- Customer p_customer's last p_days days (today and the p_days - 1 before,
-- in the customer's time zone) as the page and the API show them:
-- {time_zone, from, to, days: [{date, opt_ins, opt_outs, net}] (every day,
-- oldest first), totals: {opt_ins, opt_outs, net}, opt_out_sources:
-- [{source, count}] (most first)}. Reads at most p_days * 96 slots per
-- status and source, never the log. The slots read reach a day past each
-- end and are kept by their local date, so a zone whose midnight does not
-- exist on some day still gets every slot of its days.
CREATE FUNCTION wa_consent_analytics(p_customer bigint, p_days integer)
RETURNS json LANGUAGE sql STABLE AS $$
	WITH z AS (
		SELECT u.time_zone AS tz, (wa_now() AT TIME ZONE u.time_zone)::date
		    AS today FROM users u WHERE u.id = p_customer
	), r AS (
		SELECT z.tz, z.today - (p_days - 1) AS first, z.today FROM z
	), w AS (
		SELECT x.day, x.status, x.source, x.n FROM r, LATERAL (
		    SELECT (s.slot AT TIME ZONE r.tz)::date AS day, s.status,
			s.source, sum(s.n) AS n
		    FROM consent_slots s WHERE s.customer_id = p_customer
			AND s.slot >= (r.first::timestamp AT TIME ZONE r.tz)
			    - interval '1 day'
			AND s.slot < ((r.today + 1)::timestamp AT TIME ZONE r.tz)
			    + interval '1 day'
		    GROUP BY 1, 2, 3) x
		WHERE x.day BETWEEN r.first AND r.today
	), d AS (
		SELECT r.first + i AS day,
		    coalesce(sum(w.n) FILTER (WHERE w.status = 'subscribed'), 0)
			AS ins,
		    coalesce(sum(w.n) FILTER (WHERE w.status = 'unsubscribed'), 0)
			AS outs
		FROM r CROSS JOIN generate_series(0, p_days - 1) i
		LEFT JOIN w ON w.day = r.first + i
		GROUP BY 1
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
		'[]') FROM (SELECT w.source, sum(w.n) AS n FROM w
		WHERE w.status = 'unsubscribed' GROUP BY 1) o))
	FROM r
$$;
