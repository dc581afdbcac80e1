-- 0028_broadcast_send.sql: sending a broadcast (issue 14): its messages
-- (messages.broadcast_id), the quota reserved for all its recipients at
-- once, pause, resume and cancel, and the dispatcher's claim that sends a
-- broadcast's messages only while it is 'sending' and, per number, after
-- the customer's other messages. docs/broadcasts.md explains the rules.

-- A broadcast's messages: source 'broadcast', the template's id and
-- version, and no quota place each (the broadcast reserved them).
ALTER TABLE messages ADD COLUMN broadcast_id bigint
	REFERENCES broadcasts (id) ON DELETE SET NULL;
CREATE INDEX messages_broadcast ON messages (broadcast_id, id)
	WHERE broadcast_id IS NOT NULL;
-- The dispatcher's indexes, split: other messages per number and by due
-- time; a broadcast's per number (claimed only while it is sending).
DROP INDEX messages_due;
DROP INDEX messages_next_due;
CREATE INDEX messages_due ON messages (instance_id, due_at, id)
	WHERE status IN ('queued', 'scheduled') AND broadcast_id IS NULL;
CREATE INDEX messages_next_due ON messages (due_at)
	WHERE status IN ('queued', 'scheduled') AND broadcast_id IS NULL;
CREATE INDEX messages_broadcast_due ON messages (broadcast_id, instance_id,
	due_at, id) WHERE status IN ('queued', 'scheduled')
	AND broadcast_id IS NOT NULL;

-- start_at: when to send (NULL: at once); missing: what a recipient
-- lacking a template variable gets (fallback: rendered with the
-- fallback or empty; skip: skipped, reason 'missing variable'; block: the
-- broadcast fails before queueing). reserved: the quota places it holds
-- in reserved_month (the customer's month when it was reserved); queued:
-- messages inserted; queue_after: the queueing's resume point (contact
-- id); fail_reason: why it failed, for the customer.
ALTER TABLE broadcasts
	ADD COLUMN start_at timestamptz,
	ADD COLUMN missing text NOT NULL DEFAULT 'fallback'
	    CHECK (missing IN ('fallback', 'skip', 'block')),
	ADD COLUMN reserved bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
	ADD COLUMN reserved_month date,
	ADD COLUMN queued bigint NOT NULL DEFAULT 0 CHECK (queued >= 0),
	ADD COLUMN queue_after bigint NOT NULL DEFAULT 0
	    CHECK (queue_after >= 0),
	ADD COLUMN fail_reason text NOT NULL DEFAULT ''
	    CHECK (length(fail_reason) <= 300),
	ADD COLUMN paused_at timestamptz,
	ADD COLUMN cancelled_at timestamptz;
-- The dispatcher looks at the broadcasts that send.
CREATE INDEX broadcasts_sending ON broadcasts (id) WHERE state = 'sending';

-- Give the quota places of the cancelled messages p_ids back: another
-- message's to the month it was accepted in, a broadcast's to its
-- broadcast's reservation (and that month). Returns how many.
CREATE FUNCTION wa_message_give_back(p_ids bigint[]) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_n	bigint;
BEGIN
	WITH g AS (
		SELECT m.customer_id, m.broadcast_id, date_trunc('month',
		    m.created_at AT TIME ZONE u.time_zone)::date AS month
		FROM messages m JOIN users u ON u.id = m.customer_id
		WHERE m.id = ANY (p_ids)),
	b AS (
		UPDATE broadcasts x SET reserved = greatest(x.reserved - k.n, 0)
		FROM (SELECT broadcast_id, count(*) AS n FROM g
		    WHERE broadcast_id IS NOT NULL GROUP BY 1) k
		WHERE x.id = k.broadcast_id
		RETURNING x.customer_id, x.reserved_month AS month, k.n),
	back AS (
		SELECT customer_id, month, count(*) AS n FROM g
		WHERE broadcast_id IS NULL GROUP BY 1, 2
		UNION ALL
		SELECT customer_id, month, n FROM b WHERE month IS NOT NULL),
	upd AS (
		UPDATE message_counts mc SET messages = greatest(mc.messages -
		    s.n, 0)
		FROM (SELECT customer_id, month, sum(n) AS n FROM back
		    GROUP BY 1, 2) s
		WHERE mc.customer_id = s.customer_id AND mc.month = s.month
		RETURNING 1)
	SELECT count(*) INTO v_n FROM g;
	RETURN v_n;
END;
$$;

-- 0018_subscriptions.sql's wa_message_suppress, a broadcast's messages
-- giving their places back to its reservation.
CREATE OR REPLACE FUNCTION wa_message_suppress(p_ids bigint[])
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_ids	bigint[];
BEGIN
	WITH c AS (
		UPDATE messages m SET status = 'cancelled',
		    cancelled_at = wa_now(), last_error = 'unsubscribed'
		WHERE m.id = ANY (p_ids) AND m.direction = 'out'
		AND m.status IN ('queued', 'scheduled') AND NOT m.transactional
		RETURNING m.id)
	SELECT array_agg(c.id) INTO v_ids FROM c;
	RETURN wa_message_give_back(v_ids);
END;
$$;

-- 0009_clock.sql's wa_message_cancel, a broadcast's message giving its
-- place back to its reservation.
CREATE OR REPLACE FUNCTION wa_message_cancel(p_customer bigint, p_id bigint)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_status	text;
BEGIN
	UPDATE messages m SET status = 'cancelled', cancelled_at = wa_now()
	    WHERE m.id = p_id AND m.customer_id = p_customer
	    AND m.direction = 'out' AND m.status IN ('queued', 'scheduled');
	IF FOUND THEN
		PERFORM wa_message_give_back(ARRAY[p_id]);
		RETURN 'cancelled';
	END IF;
	SELECT m.status INTO v_status FROM messages m
	    WHERE m.id = p_id AND m.customer_id = p_customer
	    AND m.direction = 'out';
	RETURN CASE WHEN FOUND THEN 'too_late' ELSE 'not_found' END;
END;
$$;

-- Pause broadcast p_id of p_customer while it sends, with p_reason
-- (the brakes' or ''). True when it changed.
CREATE FUNCTION wa_broadcast_pause(p_customer bigint, p_id bigint,
    p_reason text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE broadcasts SET state = 'paused', paused_at = wa_now(),
	    pause_reason = left(coalesce(p_reason, ''), 300)
	    WHERE id = p_id AND customer_id = p_customer AND state = 'sending';
	RETURN FOUND;
END;
$$;

-- Resume paused broadcast p_id of p_customer; the dispatchers woken.
-- True when it changed.
CREATE FUNCTION wa_broadcast_resume(p_customer bigint, p_id bigint)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE broadcasts SET state = 'sending', pause_reason = ''
	    WHERE id = p_id AND customer_id = p_customer AND state = 'paused';
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	PERFORM pg_notify('waportal_dispatch', '');
	RETURN true;
END;
$$;

-- Cancel broadcast p_id of p_customer in any state not final: its
-- unsent messages cancelled ('broadcast cancelled'), its recipients not
-- sent to cancelled with that reason, the quota places it still held
-- for them given back, its job (resolving or queueing) asked to cancel.
-- True when it changed.
CREATE FUNCTION wa_broadcast_cancel(p_customer bigint, p_id bigint)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	b	broadcasts;
	v_ids	bigint[];
	v_keep	bigint;
BEGIN
	SELECT * INTO b FROM broadcasts WHERE id = p_id
	    AND customer_id = p_customer AND state IN ('draft', 'resolving',
	    'ready', 'sending', 'paused') FOR UPDATE;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	WITH c AS (
		UPDATE messages m SET status = 'cancelled',
		    cancelled_at = wa_now(), last_error = 'broadcast cancelled'
		WHERE m.broadcast_id = p_id
		AND m.status IN ('queued', 'scheduled') RETURNING m.id)
	SELECT array_agg(c.id) INTO v_ids FROM c;
	UPDATE broadcast_recipients SET status = 'cancelled',
	    reason = 'broadcast cancelled'
	    WHERE broadcast_id = p_id AND (status = 'pending' OR
	    (status = 'queued' AND message_id = ANY (v_ids)));
	-- What it keeps: one place for each message not cancelled.
	SELECT count(*) INTO v_keep FROM messages m
	    WHERE m.broadcast_id = p_id AND m.status <> 'cancelled';
	UPDATE message_counts mc SET messages = greatest(mc.messages -
	    (b.reserved - v_keep), 0)
	    WHERE mc.customer_id = p_customer AND mc.month = b.reserved_month
	    AND b.reserved > v_keep;
	UPDATE broadcasts SET state = 'cancelled', cancelled_at = wa_now(),
	    finished_at = wa_now(), reserved = least(reserved, v_keep)
	    WHERE id = p_id;
	UPDATE jobs SET cancel_asked = true
	    WHERE id = b.job_id AND state IN ('queued', 'running');
	RETURN true;
END;
$$;

-- Reserve the quota of broadcast p_id, resolved ('ready'): all its
-- recipients' places at once in the customer's month, then 'sending';
-- or, past the package's monthly maximum (or without an active package),
-- 'failed' with fail_reason saying how many it needs and how many are
-- left. ok is NULL when the broadcast was not ready (cancelled).
CREATE FUNCTION wa_broadcast_reserve(p_id bigint, OUT ok boolean,
    OUT needed bigint, OUT remaining bigint)
LANGUAGE plpgsql AS $$
DECLARE
	b	broadcasts;
	v_max	integer := 0;
	v_tz	text;
	v_month	date;
	v_used	integer;
BEGIN
	SELECT * INTO b FROM broadcasts WHERE id = p_id AND state = 'ready'
	    FOR UPDATE;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	SELECT p.max_messages_month INTO v_max
	    FROM customer_packages cp JOIN packages p ON p.id = cp.package_id
	    WHERE cp.customer_id = b.customer_id AND cp.active
	    AND cp.starts_at <= wa_now() AND cp.expires_at > wa_now();
	SELECT u.time_zone INTO v_tz FROM users u WHERE u.id = b.customer_id;
	v_month := date_trunc('month', wa_now() AT TIME ZONE v_tz)::date;
	INSERT INTO message_counts (customer_id, month, messages)
	    VALUES (b.customer_id, v_month, 0) ON CONFLICT DO NOTHING;
	SELECT mc.messages INTO v_used FROM message_counts mc
	    WHERE mc.customer_id = b.customer_id AND mc.month = v_month
	    FOR UPDATE;
	needed := b.recipients;
	remaining := greatest(coalesce(v_max, 0) - v_used, 0);
	ok := needed <= remaining;
	IF NOT ok THEN
		UPDATE broadcasts SET state = 'failed', finished_at = wa_now(),
		    fail_reason = 'needs ' || needed || ' messages, ' ||
		    remaining || ' left this month'
		    WHERE id = p_id;
		RETURN;
	END IF;
	UPDATE message_counts SET messages = messages + needed
	    WHERE customer_id = b.customer_id AND month = v_month;
	UPDATE broadcasts SET state = 'sending', reserved = needed,
	    reserved_month = v_month, queued = 0, queue_after = 0
	    WHERE id = p_id;
END;
$$;

-- When instance p_iid's next message may go: the earliest due of its
-- other messages and of the messages of its broadcasts that send (a
-- paused or cancelled broadcast's wait); NULL: none.
CREATE FUNCTION wa_dispatch_due(p_iid bigint) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT least((SELECT m.due_at FROM messages m
		WHERE m.instance_id = p_iid AND m.broadcast_id IS NULL
		AND m.status IN ('queued', 'scheduled')
		ORDER BY m.due_at LIMIT 1),
	    (SELECT min(x.due_at) FROM broadcasts b CROSS JOIN LATERAL
		(SELECT m.due_at FROM messages m WHERE m.broadcast_id = b.id
		AND m.instance_id = p_iid
		AND m.status IN ('queued', 'scheduled')
		ORDER BY m.due_at LIMIT 1) x
		WHERE b.state = 'sending' AND p_iid = ANY (b.instance_ids)))
$$;

-- 0009_clock.sql's wa_dispatch_turns, an instance's due time from
-- wa_dispatch_due (a paused broadcast's messages give it no turn).
CREATE OR REPLACE FUNCTION wa_dispatch_turns(p_max integer, p_cap integer)
RETURNS TABLE (iid bigint, room integer)
LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY SELECT i.id, CASE WHEN p_cap = 0 THEN p_max
		WHEN i.hour_started_at <= wa_now() - interval '1 hour' THEN p_cap
		ELSE p_cap - i.hour_sent END
	    FROM instances i JOIN hosts h ON h.id = i.host_id
	    CROSS JOIN LATERAL (SELECT wa_dispatch_due(i.id) AS due_at) d
	    WHERE i.status = 'connected' AND h.enabled
	    AND i.next_send_at <= wa_now() AND d.due_at <= wa_now()
	    AND (p_cap = 0 OR i.hour_sent < p_cap
		OR i.hour_started_at <= wa_now() - interval '1 hour')
	    ORDER BY d.due_at, i.id LIMIT p_max
	    FOR NO KEY UPDATE OF i SKIP LOCKED;
END;
$$;

-- 0009_clock.sql's wa_dispatch_next_due, an instance's due time from
-- wa_dispatch_due: a paused broadcast does not wake the dispatcher.
CREATE OR REPLACE FUNCTION wa_dispatch_next_due(p_cap integer)
RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN ceil(extract(epoch FROM least(
	    (SELECT min(greatest(x.due, i.next_send_at,
		CASE WHEN p_cap > 0 AND i.hour_sent >= p_cap
		AND i.hour_started_at > wa_now() - interval '1 hour'
		THEN i.hour_started_at + interval '1 hour' END))
	    FROM instances i JOIN hosts h ON h.id = i.host_id
	    CROSS JOIN LATERAL (SELECT wa_dispatch_due(i.id) AS due) x
	    WHERE i.status = 'connected' AND h.enabled AND x.due IS NOT NULL),
	    (SELECT min(m.lease_until) FROM messages m
		WHERE m.status = 'sending')) - wa_now()) * 1000)::bigint;
END;
$$;

-- Up to p_n due messages of the sending broadcasts on instance p_iid
-- (all connected instances when NULL), oldest due first, not locked.
CREATE FUNCTION wa_dispatch_bcast_due(p_iid bigint, p_n integer)
RETURNS TABLE (mid bigint, due_at timestamptz)
LANGUAGE sql STABLE AS $$
	SELECT x.mid, x.due_at FROM broadcasts b
	CROSS JOIN LATERAL unnest(b.instance_ids) AS u (iid)
	JOIN instances i ON i.id = u.iid JOIN hosts h ON h.id = i.host_id
	CROSS JOIN LATERAL (SELECT m.id AS mid, m.due_at FROM messages m
	    WHERE m.broadcast_id = b.id AND m.instance_id = u.iid
	    AND m.status IN ('queued', 'scheduled') AND m.due_at <= wa_now()
	    ORDER BY m.due_at, m.id LIMIT p_n) x
	WHERE b.state = 'sending' AND (p_iid IS NULL OR u.iid = p_iid)
	AND i.status = 'connected' AND h.enabled
	ORDER BY x.due_at, x.mid LIMIT p_n
$$;

-- 0018_subscriptions.sql's wa_dispatch_claim, where a broadcast's
-- message is claimed only while its broadcast is 'sending' and, per
-- instance, after the instance's other due messages (ORDER BY
-- broadcast_id IS NOT NULL, due_at, id). The keyword replies stay
-- outside the pacing; the unpaced claim takes the other messages first,
-- then the broadcasts' with the room left.
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
	-- A paced instance counts its claims in its hourly window and is
	-- held until the outcome gives it its next turn (replies aside).
	UPDATE instances i SET
	    hour_sent = CASE WHEN i.hour_started_at <=
		wa_now() - interval '1 hour' THEN k.n ELSE i.hour_sent + k.n END,
	    hour_started_at = CASE WHEN i.hour_started_at <=
		wa_now() - interval '1 hour' THEN wa_now()
		ELSE i.hour_started_at END,
	    next_send_at = CASE WHEN p_gap_ms > 0 THEN wa_now() +
		(p_hold_ms + p_gap_ms + random() * p_jitter_ms) *
		interval '1 millisecond' ELSE i.next_send_at END
	    FROM (SELECT m.instance_id AS iid, count(*)::integer AS n
		FROM messages m WHERE m.id = ANY (v_ids)
		AND m.status = 'sending' GROUP BY m.instance_id) k
	    WHERE i.id = k.iid;
END;
$$;
