-- 0034_quiet_hours.sql: quiet hours of a broadcast in the recipient's
-- time zone (issue 14): a local window (quiet_from to quiet_to, minutes
-- of the day; it may wrap midnight) in which none of its messages is
-- sent. The recipient's zone is frozen on broadcast_recipients.tz when
-- it is queued (the runner finds it from the number's country); the
-- queueing sets send_at past the window, and the dispatcher's claim holds
-- a message whose recipient is in the window (pacing may push a send of
-- a large broadcast into it) until the window's end, without using the
-- number's turn. docs/broadcasts.md explains the rules.

-- quiet_from, quiet_to: both NULL (none) or both set, different.
ALTER TABLE broadcasts
	ADD COLUMN quiet_from smallint CHECK (quiet_from BETWEEN 0 AND 1439),
	ADD COLUMN quiet_to smallint CHECK (quiet_to BETWEEN 0 AND 1439),
	ADD CONSTRAINT broadcasts_quiet_check CHECK ((quiet_from IS NULL
	    AND quiet_to IS NULL) OR (quiet_from IS NOT NULL
	    AND quiet_to IS NOT NULL AND quiet_from <> quiet_to));

-- tz: the recipient's zone (an IANA name), set when it is queued for a
-- broadcast with quiet hours; NULL otherwise. The claim finds it by the
-- message (the index holds only those recipients).
ALTER TABLE broadcast_recipients
	ADD COLUMN tz text CHECK (length(tz) BETWEEN 1 AND 64);
CREATE INDEX broadcast_recipients_quiet ON broadcast_recipients
	(message_id) INCLUDE (tz) WHERE tz IS NOT NULL;

-- The minute of the day (0 to 1439) of p_at in zone p_tz.
CREATE FUNCTION wa_local_minute(p_tz text, p_at timestamptz)
RETURNS integer LANGUAGE sql STABLE AS $$
	SELECT floor(extract(epoch FROM (p_at AT TIME ZONE p_tz)::time)
	    / 60)::integer
$$;

-- A minute of the day as 'HH:MM' (the window's ends on pages and in the
-- API).
CREATE FUNCTION wa_hhmm(p_minute integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT to_char(make_time(p_minute / 60, p_minute % 60, 0), 'HH24:MI')
$$;

-- When p_at is inside the local window p_from to p_to (minutes of the day,
-- wrapping midnight when p_from > p_to) of zone p_tz: the window's end
-- (the next p_to, local); else p_at. NULL zone or window: p_at. Inside
-- is one test for both kinds of window: the minutes since p_from, around
-- the clock, fewer than the window's length. The end is tomorrow's p_to
-- when the local minute is past p_to (a window wrapping midnight, before
-- it), today's otherwise. One SQL expression, so that the planner inlines
-- it into the queueing's statement (no call per row).
CREATE FUNCTION wa_quiet_end(p_tz text, p_from integer, p_to integer,
    p_at timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_tz IS NULL OR p_from IS NULL OR p_to IS NULL
	    OR p_at IS NULL THEN p_at
	WHEN (wa_local_minute(p_tz, p_at) - p_from + 1440) % 1440 <
	    (p_to - p_from + 1440) % 1440
	THEN (date_trunc('day', p_at AT TIME ZONE p_tz) + p_to *
	    interval '1 minute' + CASE WHEN wa_local_minute(p_tz, p_at) >= p_to
	    THEN interval '1 day' ELSE interval '0' END) AT TIME ZONE p_tz
	ELSE p_at END
$$;

-- Of the broadcast messages p_ids (locked by the claim), those whose
-- recipient is inside its broadcast's quiet hours now are held:
-- 'scheduled', send_at and due_at the window's end. The others are
-- returned in their order (NULL when none is left).
CREATE FUNCTION wa_quiet_hold(p_ids bigint[]) RETURNS bigint[]
LANGUAGE plpgsql AS $$
DECLARE
	v_held	bigint[];
BEGIN
	IF p_ids IS NULL THEN
		RETURN NULL;
	END IF;
	WITH q AS (SELECT m.id, wa_quiet_end(r.tz, b.quiet_from, b.quiet_to,
		wa_now()) AS until
	    FROM messages m JOIN broadcasts b ON b.id = m.broadcast_id
	    JOIN broadcast_recipients r ON r.message_id = m.id
	    AND r.tz IS NOT NULL
	    WHERE m.id = ANY (p_ids) AND b.quiet_from IS NOT NULL),
	h AS (UPDATE messages m SET status = 'scheduled', send_at = q.until,
	    due_at = q.until FROM q WHERE m.id = q.id AND q.until > wa_now()
	    RETURNING m.id)
	SELECT array_agg(h.id) INTO v_held FROM h;
	IF v_held IS NULL THEN
		RETURN p_ids;
	END IF;
	RETURN nullif(ARRAY(SELECT u.x FROM unnest(p_ids) WITH ORDINALITY
	    AS u (x, o) WHERE u.x <> ALL (v_held) ORDER BY u.o), '{}');
END;
$$;

-- 0033_daily_cap.sql's wa_dispatch_claim, the broadcasts' messages
-- passed through wa_quiet_hold before they are leased.
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
			v_bids := wa_quiet_hold(v_bids);
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
		v_bids := wa_quiet_hold(v_bids);
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
