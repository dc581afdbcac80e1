-- 0033_daily_cap.sql: pacing per number by the day (issue 14): a daily
-- cap per instance (the customer's setting, 1,000 by default) and an
-- optional warm-up for a new number, whose day n (from 0) allows at most
-- 20 * 2^n sends until its cap is reached (20, 40, 80, ..., 640,
-- 1,280). Counted in a window of 24 hours that starts with the first
-- send after the last window ended, as the hourly cap's hour; keyword
-- replies stay outside (they are not counted). Only the paced dispatcher
-- applies them (the unpaced one, the benchmarks', has no turns).
-- docs/dispatcher.md explains the pacing.

-- daily_cap: 0 = none; warmup_since: the warm-up's first day (NULL: off).
ALTER TABLE instances
	ADD COLUMN daily_cap integer NOT NULL DEFAULT 1000
	    CHECK (daily_cap BETWEEN 0 AND 100000),
	ADD COLUMN warmup_since timestamptz,
	ADD COLUMN day_started_at timestamptz NOT NULL DEFAULT '-infinity',
	ADD COLUMN day_sent integer NOT NULL DEFAULT 0 CHECK (day_sent >= 0);

-- The most sends an instance may make in its day now: its cap, or during
-- a warm-up least(cap, 20 * 2^n) on day n (from 0; no cap: the warm-up's
-- figure alone). 0: no limit.
CREATE FUNCTION wa_instance_day_limit(p_cap integer, p_warmup timestamptz)
RETURNS integer
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_warmup IS NULL THEN p_cap
	    ELSE least(CASE WHEN p_cap = 0 THEN 2147483647 ELSE p_cap END,
		(20 * 2 ^ least(greatest(floor(extract(epoch FROM
		wa_now() - p_warmup) / 86400), 0), 20))::integer) END
$$;

-- Count the claimed messages p_ids (those now 'sending') in their
-- instances' hour and day, and hold each instance until its outcome
-- gives it its next turn (p_hold_ms + p_gap_ms + up to p_jitter_ms).
CREATE FUNCTION wa_dispatch_count(p_ids bigint[], p_gap_ms integer,
    p_jitter_ms integer, p_hold_ms integer) RETURNS void
LANGUAGE sql AS $$
	UPDATE instances i SET
	    hour_sent = CASE WHEN i.hour_started_at <=
		wa_now() - interval '1 hour' THEN k.n ELSE i.hour_sent + k.n END,
	    hour_started_at = CASE WHEN i.hour_started_at <=
		wa_now() - interval '1 hour' THEN wa_now()
		ELSE i.hour_started_at END,
	    day_sent = CASE WHEN i.day_started_at <=
		wa_now() - interval '1 day' THEN k.n ELSE i.day_sent + k.n END,
	    day_started_at = CASE WHEN i.day_started_at <=
		wa_now() - interval '1 day' THEN wa_now()
		ELSE i.day_started_at END,
	    next_send_at = CASE WHEN p_gap_ms > 0 THEN wa_now() +
		(p_hold_ms + p_gap_ms + random() * p_jitter_ms) *
		interval '1 millisecond' ELSE i.next_send_at END
	    FROM (SELECT m.instance_id AS iid, count(*)::integer AS n
		FROM messages m WHERE m.id = ANY (p_ids)
		AND m.status = 'sending' GROUP BY m.instance_id) k
	    WHERE i.id = k.iid
$$;

-- 0028_broadcast_send.sql's wa_dispatch_turns, each instance's room the
-- least of its hour's and its day's.
CREATE OR REPLACE FUNCTION wa_dispatch_turns(p_max integer, p_cap integer)
RETURNS TABLE (iid bigint, room integer)
LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY SELECT i.id, least(CASE WHEN p_cap = 0 THEN p_max
		WHEN i.hour_started_at <= wa_now() - interval '1 hour' THEN p_cap
		ELSE p_cap - i.hour_sent END, CASE WHEN l.day = 0 THEN p_max
		WHEN i.day_started_at <= wa_now() - interval '1 day' THEN l.day
		ELSE l.day - i.day_sent END)
	    FROM instances i JOIN hosts h ON h.id = i.host_id
	    CROSS JOIN LATERAL (SELECT wa_instance_day_limit(i.daily_cap,
		i.warmup_since) AS day) l
	    CROSS JOIN LATERAL (SELECT wa_dispatch_due(i.id) AS due_at) d
	    WHERE i.status = 'connected' AND h.enabled
	    AND i.next_send_at <= wa_now() AND d.due_at <= wa_now()
	    AND (p_cap = 0 OR i.hour_sent < p_cap
		OR i.hour_started_at <= wa_now() - interval '1 hour')
	    AND (l.day = 0 OR i.day_sent < l.day
		OR i.day_started_at <= wa_now() - interval '1 day')
	    ORDER BY d.due_at, i.id LIMIT p_max
	    FOR NO KEY UPDATE OF i SKIP LOCKED;
END;
$$;

-- 0028_broadcast_send.sql's wa_dispatch_next_due, an instance at its
-- day's limit waiting for its next day.
CREATE OR REPLACE FUNCTION wa_dispatch_next_due(p_cap integer)
RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN ceil(extract(epoch FROM least(
	    (SELECT min(greatest(x.due, i.next_send_at,
		CASE WHEN p_cap > 0 AND i.hour_sent >= p_cap
		AND i.hour_started_at > wa_now() - interval '1 hour'
		THEN i.hour_started_at + interval '1 hour' END,
		CASE WHEN l.day > 0 AND i.day_sent >= l.day
		AND i.day_started_at > wa_now() - interval '1 day'
		THEN i.day_started_at + interval '1 day' END))
	    FROM instances i JOIN hosts h ON h.id = i.host_id
	    CROSS JOIN LATERAL (SELECT wa_instance_day_limit(i.daily_cap,
		i.warmup_since) AS day) l
	    CROSS JOIN LATERAL (SELECT wa_dispatch_due(i.id) AS due) x
	    WHERE i.status = 'connected' AND h.enabled AND x.due IS NOT NULL),
	    (SELECT min(m.lease_until) FROM messages m
		WHERE m.status = 'sending')) - wa_now()) * 1000)::bigint;
END;
$$;

-- 0028_broadcast_send.sql's wa_dispatch_claim, the counting in
-- wa_dispatch_count.
CREATE OR REPLACE FUNCTION wa_dispatch_claim(p_owner text, p_max integer,
    p_lease_s integer, p_gap_ms integer, p_jitter_ms integer,
    p_hold_ms integer, p_cap integer)
RETURNS TABLE (id bigint, instance_id bigint, attempts integer, peer text,
    body text, session text, driver text, base_url text, api_key text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_paced	boolean := p_gap_ms > 0 OR p_cap > 0;
	v_inst	bigint[];
	v_room	integer[];
	v_ids	bigint[];
	v_bids	bigint[];
	v_rep	bigint[];
	v_per	integer;
BEGIN
	UPDATE messages m SET status = 'queued', lease_owner = NULL,
	    lease_until = NULL
	    WHERE m.id IN (SELECT x.id FROM messages x
	    WHERE x.status = 'sending' AND x.lease_until < wa_now()
	    FOR NO KEY UPDATE SKIP LOCKED);
	IF NOT v_paced THEN
		SELECT array_agg(x.mid) INTO v_ids FROM (SELECT m.id AS mid
		    FROM messages m JOIN instances i ON i.id = m.instance_id
		    JOIN hosts h ON h.id = i.host_id
		    WHERE m.status IN ('queued', 'scheduled')
		    AND m.broadcast_id IS NULL
		    AND m.due_at <= wa_now() AND i.status = 'connected'
		    AND h.enabled
		    ORDER BY m.due_at LIMIT p_max
		    FOR NO KEY UPDATE OF m SKIP LOCKED) x;
		IF coalesce(cardinality(v_ids), 0) < p_max THEN
			SELECT array_agg(x.mid) INTO v_bids FROM (SELECT m.id AS mid
			    FROM messages m WHERE m.id IN (SELECT d.mid FROM
			    wa_dispatch_bcast_due(NULL, p_max -
			    coalesce(cardinality(v_ids), 0)) d)
			    AND m.status IN ('queued', 'scheduled')
			    ORDER BY m.due_at, m.id
			    FOR NO KEY UPDATE SKIP LOCKED) x;
		END IF;
		RETURN QUERY SELECT * FROM wa_dispatch_lease(p_owner,
		    coalesce(v_ids, '{}') || coalesce(v_bids, '{}'), p_lease_s);
		RETURN;
	END IF;
	SELECT array_agg(x.mid) INTO v_rep FROM (SELECT m.id AS mid
	    FROM messages m JOIN instances i ON i.id = m.instance_id
	    JOIN hosts h ON h.id = i.host_id
	    WHERE m.source = 'keyword' AND m.status IN ('queued', 'scheduled')
	    AND m.due_at <= wa_now() AND i.status = 'connected' AND h.enabled
	    ORDER BY m.due_at LIMIT p_max
	    FOR NO KEY UPDATE OF m SKIP LOCKED) x;
	SELECT array_agg(t.iid), array_agg(t.room) INTO v_inst, v_room
	    FROM wa_dispatch_turns(p_max, p_cap) t;
	IF v_inst IS NOT NULL THEN
		v_per := CASE WHEN p_gap_ms > 0 THEN 1
		    ELSE ceil(p_max::numeric / cardinality(v_inst))::integer END;
		SELECT array_agg(c.mid) INTO v_ids
		    FROM unnest(v_inst, v_room) AS u(iid, room)
		    CROSS JOIN LATERAL (SELECT m.id AS mid FROM messages m
			WHERE m.instance_id = u.iid AND m.broadcast_id IS NULL
			AND m.status IN ('queued', 'scheduled')
			AND m.due_at <= wa_now() AND m.source <> 'keyword'
			ORDER BY m.due_at, m.id
			LIMIT least(v_per, u.room)
			FOR NO KEY UPDATE SKIP LOCKED) c;
		-- the room each instance has left: its broadcasts' turn
		SELECT array_agg(c.mid) INTO v_bids
		    FROM unnest(v_inst, v_room) AS u(iid, room)
		    CROSS JOIN LATERAL (SELECT least(v_per, u.room) -
			count(*)::integer AS n FROM messages k
			WHERE k.id = ANY (v_ids) AND k.instance_id = u.iid) r
		    CROSS JOIN LATERAL (SELECT m.id AS mid FROM messages m
			WHERE m.id IN (SELECT d.mid FROM
			wa_dispatch_bcast_due(u.iid, r.n) d)
			AND m.status IN ('queued', 'scheduled')
			ORDER BY m.due_at, m.id
			FOR NO KEY UPDATE SKIP LOCKED) c
		    WHERE r.n > 0;
		v_ids := coalesce(v_ids, '{}') || coalesce(v_bids, '{}');
		IF cardinality(v_ids) = 0 THEN
			v_ids := NULL;
		END IF;
	END IF;
	IF v_ids IS NULL AND v_rep IS NULL THEN
		RETURN;
	END IF;
	RETURN QUERY SELECT * FROM wa_dispatch_lease(p_owner,
	    coalesce(v_ids, '{}') || coalesce(v_rep, '{}'), p_lease_s);
	IF v_ids IS NULL THEN
		RETURN;
	END IF;
	PERFORM wa_dispatch_count(v_ids, p_gap_ms, p_jitter_ms, p_hold_ms);
END;
$$;
