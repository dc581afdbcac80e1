-- 0007_dispatch.sql: the dispatcher's claim and record functions: leases,
-- per-instance pacing (gap, jitter, hourly cap) and outcomes in batches.
-- docs/dispatcher.md explains them; docs/messaging.md is the contract.

-- Pacing: the connected instances on enabled hosts with a message due
-- whose turn has come (next_send_at) and whose hourly window has room
-- (p_cap, 0: no cap), oldest due first, at most p_max, locked so that
-- concurrent dispatchers pace them together (rows another dispatcher
-- holds are skipped, never waited for). room: how many each may send.
CREATE FUNCTION wa_dispatch_turns(p_max integer, p_cap integer)
RETURNS TABLE (iid bigint, room integer)
LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY SELECT i.id, CASE WHEN p_cap = 0 THEN p_max
		WHEN i.hour_started_at <= wa_now() - interval '1 hour' THEN p_cap
		ELSE p_cap - i.hour_sent END
	    FROM instances i JOIN hosts h ON h.id = i.host_id
	    CROSS JOIN LATERAL (SELECT m.due_at FROM messages m
		WHERE m.instance_id = i.id
		AND m.status IN ('queued', 'scheduled')
		AND m.due_at <= wa_now() ORDER BY m.due_at LIMIT 1) d
	    WHERE i.status = 'connected' AND h.enabled
	    AND i.next_send_at <= wa_now()
	    AND (p_cap = 0 OR i.hour_sent < p_cap
		OR i.hour_started_at <= wa_now() - interval '1 hour')
	    ORDER BY d.due_at, i.id LIMIT p_max
	    FOR NO KEY UPDATE OF i SKIP LOCKED;
END;
$$;

-- Lease messages p_ids (locked by the caller) to p_owner for p_lease_s
-- seconds, one more attempt each. Returns them with what it takes to
-- send them.
CREATE FUNCTION wa_dispatch_lease(p_owner text, p_ids bigint[],
    p_lease_s integer)
RETURNS TABLE (id bigint, instance_id bigint, attempts integer, peer text,
    body text, session text, driver text, base_url text, api_key text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH claimed AS (
		UPDATE messages m SET status = 'sending', sending_at = wa_now(),
		    attempts = m.attempts + 1, lease_owner = p_owner,
		    lease_until = wa_now() + make_interval(secs => p_lease_s)
		WHERE m.id = ANY (p_ids)
		RETURNING m.id, m.instance_id, m.attempts, m.peer, m.body)
	SELECT c.id, c.instance_id, c.attempts, c.peer, c.body, i.session,
	    h.driver, h.base_url, h.api_key
	FROM claimed c JOIN instances i ON i.id = c.instance_id
	JOIN hosts h ON h.id = i.host_id;
END;
$$;

-- Claim up to p_max due messages for dispatcher p_owner, each for
-- p_lease_s seconds; leases that ran out go back in line first.
-- Without pacing (no gap, no cap) the oldest due go first, whatever
-- their instance, and no instance row is read or locked per claim (the
-- price: due messages of a number that is not connected are stepped
-- over each time). With pacing each instance whose turn has come gets
-- its share (one message when there is a gap); it counts the claims in
-- its hourly window and, with a gap, is held for p_hold_ms (the send's
-- timeout) plus the gap and up to p_jitter_ms, until the outcome gives
-- it its next turn. Returns the claimed messages.
CREATE FUNCTION wa_dispatch_claim(p_owner text, p_max integer,
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
	v_per	integer;
	v_n	bigint;
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
		    AND m.due_at <= wa_now() AND i.status = 'connected'
		    AND h.enabled
		    ORDER BY m.due_at LIMIT p_max
		    FOR NO KEY UPDATE OF m SKIP LOCKED) x;
		RETURN QUERY SELECT * FROM wa_dispatch_lease(p_owner, v_ids,
		    p_lease_s);
		RETURN;
	END IF;
	SELECT array_agg(t.iid), array_agg(t.room) INTO v_inst, v_room
	    FROM wa_dispatch_turns(p_max, p_cap) t;
	IF v_inst IS NULL THEN
		RETURN;
	END IF;
	v_per := CASE WHEN p_gap_ms > 0 THEN 1
	    ELSE ceil(p_max::numeric / cardinality(v_inst))::integer END;
	SELECT array_agg(c.mid) INTO v_ids
	    FROM unnest(v_inst, v_room) AS u(iid, room)
	    CROSS JOIN LATERAL (SELECT m.id AS mid FROM messages m
		WHERE m.instance_id = u.iid
		AND m.status IN ('queued', 'scheduled') AND m.due_at <= wa_now()
		ORDER BY m.due_at, m.id
		LIMIT least(v_per, u.room)
		FOR NO KEY UPDATE SKIP LOCKED) c;
	RETURN QUERY SELECT * FROM wa_dispatch_lease(p_owner, v_ids,
	    p_lease_s);
	GET DIAGNOSTICS v_n = ROW_COUNT;
	-- A paced instance counts its claims in its hourly window and is
	-- held until the outcome gives it its next turn.
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
		GROUP BY m.instance_id) k
	    WHERE v_n > 0 AND i.id = k.iid;
END;
$$;

-- Record the outcomes of dispatcher p_owner's sends, a JSON array of
-- {"id": message, "i": instance, "k": "sent" | "retry" | "failed",
--  "g": gateway id or null, "d": retry delay in ms, "e": last_error,
--  "r": Retry-After seconds}.
-- Each applies only while p_owner still holds the lease of a 'sending'
-- row: a dispatcher whose lease ran out changes nothing. Sends are
-- recorded in one statement for the whole batch: status, sent_at, the gateway id
-- (not stored twice for one instance: a gateway repeating itself must
-- not fail the batch), then the acks that arrived first. An instance
-- gets its next turn: now plus the gap and jitter when pacing, never
-- before a Retry-After; its row is locked in id order, so concurrent
-- dispatchers cannot deadlock. Returns how many outcomes were
-- p_owner's to record.
CREATE FUNCTION wa_dispatch_record(p_owner text, p_outcomes json,
    p_gap_ms integer, p_jitter_ms integer)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_inst	bigint[];
	v_wait	integer[];
	v_gids	text[];
	v_ginst	bigint[];
	v_ack	record;
BEGIN
	WITH o AS (
		SELECT x.*, row_number() OVER (PARTITION BY x.i, x.g
		    ORDER BY x.id) AS nth
		FROM json_to_recordset(p_outcomes) AS x(id bigint, i bigint,
		    k text, g text, d bigint, e text, r integer)),
	done AS (
		UPDATE messages m SET
		    status = CASE o.k WHEN 'sent' THEN 'sent'
			WHEN 'retry' THEN 'queued' ELSE 'failed' END,
		    sent_at = CASE WHEN o.k = 'sent' THEN wa_now()
			ELSE m.sent_at END,
		    gateway_id = CASE WHEN o.k <> 'sent' THEN m.gateway_id
			WHEN o.nth > 1 OR EXISTS (SELECT 1 FROM messages d
			    WHERE d.instance_id = m.instance_id
			    AND d.gateway_id = o.g) THEN NULL
			ELSE o.g END,
		    due_at = CASE WHEN o.k = 'retry' THEN wa_now() +
			greatest(o.d, 0) * interval '1 millisecond'
			ELSE m.due_at END,
		    failed_at = CASE WHEN o.k = 'failed' THEN wa_now()
			ELSE m.failed_at END,
		    last_error = CASE WHEN o.k = 'sent' THEN ''
			ELSE left(coalesce(o.e, ''), 300) END,
		    lease_owner = NULL, lease_until = NULL
		FROM o WHERE m.id = o.id AND m.status = 'sending'
		AND m.lease_owner = p_owner
		RETURNING m.instance_id, m.status, m.gateway_id,
		    greatest(coalesce(o.r, 0), 0) AS r)
	SELECT array_agg(done.instance_id), array_agg(done.r),
	    array_agg(done.instance_id) FILTER (WHERE done.status = 'sent'
		AND done.gateway_id IS NOT NULL),
	    array_agg(done.gateway_id) FILTER (WHERE done.status = 'sent'
		AND done.gateway_id IS NOT NULL)
	    INTO v_inst, v_wait, v_ginst, v_gids FROM done;
	IF v_inst IS NULL THEN
		RETURN 0;
	END IF;
	-- The same lock wa_message_ack takes per (instance, gateway id):
	-- an ack in an open transaction either sees these sends once we
	-- commit, or has committed its early ack before the DELETE below.
	IF v_gids IS NOT NULL THEN
		PERFORM pg_advisory_xact_lock(l.k) FROM (SELECT
		    hashtextextended(s.iid::text || '/' || s.gid, 0) AS k
		    FROM unnest(v_ginst, v_gids) AS s(iid, gid) ORDER BY 1) l;
	END IF;
	IF v_gids IS NOT NULL AND EXISTS (SELECT 1 FROM message_acks_early) THEN
		FOR v_ack IN DELETE FROM message_acks_early a
		    USING unnest(v_ginst, v_gids) AS s(iid, gid)
		    WHERE a.instance_id = s.iid AND a.gateway_id = s.gid
		    RETURNING a.instance_id, a.gateway_id, a.status, a.at LOOP
			PERFORM wa_message_ack(v_ack.instance_id,
			    v_ack.gateway_id, v_ack.status, v_ack.at);
		END LOOP;
	END IF;
	IF p_gap_ms > 0 OR 0 < ANY (v_wait) THEN
		PERFORM 1 FROM instances i WHERE i.id = ANY (v_inst)
		    ORDER BY i.id FOR NO KEY UPDATE;
		UPDATE instances i SET next_send_at = greatest(
		    CASE WHEN p_gap_ms > 0 THEN wa_now() +
			(p_gap_ms + random() * p_jitter_ms) *
			interval '1 millisecond' ELSE i.next_send_at END,
		    wa_now() + w.r * interval '1 second')
		    FROM (SELECT u.iid, max(u.r) AS r
			FROM unnest(v_inst, v_wait) AS u(iid, r)
			GROUP BY u.iid) w
		    WHERE i.id = w.iid AND (p_gap_ms > 0 OR w.r > 0);
	END IF;
	RETURN cardinality(v_inst);
END;
$$;

-- Milliseconds until something may be claimable (negative: now; NULL:
-- nothing waits): the earliest due message of a connected instance on
-- an enabled host, no earlier than the instance's turn or, past the
-- hourly cap p_cap, its next window; or the earliest lease to run out.
CREATE FUNCTION wa_dispatch_next_due(p_cap integer) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN ceil(extract(epoch FROM least(
	    (SELECT min(greatest(x.due, i.next_send_at,
		CASE WHEN p_cap > 0 AND i.hour_sent >= p_cap
		AND i.hour_started_at > wa_now() - interval '1 hour'
		THEN i.hour_started_at + interval '1 hour' END))
	    FROM instances i JOIN hosts h ON h.id = i.host_id
	    CROSS JOIN LATERAL (SELECT min(m.due_at) AS due FROM messages m
		WHERE m.instance_id = i.id
		AND m.status IN ('queued', 'scheduled')) x
	    WHERE i.status = 'connected' AND h.enabled AND x.due IS NOT NULL),
	    (SELECT min(m.lease_until) FROM messages m
		WHERE m.status = 'sending')) - wa_now()) * 1000)::bigint;
END;
$$;

-- One round trip of a dispatcher: record the outcomes (as
-- wa_dispatch_record), then claim up to p_max messages (as
-- wa_dispatch_claim). Returns the claimed messages, then one last row
-- with a NULL id that carries how many outcomes were recorded and, when
-- fewer than p_max (> 0) were claimed, the milliseconds until the next
-- may be due (wa_dispatch_next_due).
CREATE FUNCTION wa_dispatch_step(p_owner text, p_outcomes json,
    p_max integer, p_lease_s integer, p_gap_ms integer, p_jitter_ms integer,
    p_hold_ms integer, p_cap integer)
RETURNS TABLE (id bigint, instance_id bigint, attempts integer, peer text,
    body text, session text, driver text, base_url text, api_key text,
    recorded integer, next_due bigint)
LANGUAGE plpgsql AS $$
DECLARE
	v_rec	integer := 0;
	v_n	bigint := 0;
	v_due	bigint;
BEGIN
	IF json_array_length(p_outcomes) > 0 THEN
		v_rec := wa_dispatch_record(p_owner, p_outcomes, p_gap_ms,
		    p_jitter_ms);
	END IF;
	IF p_max > 0 THEN
		RETURN QUERY SELECT c.id, c.instance_id, c.attempts, c.peer,
		    c.body, c.session, c.driver, c.base_url, c.api_key,
		    NULL::integer, NULL::bigint
		    FROM wa_dispatch_claim(p_owner, p_max, p_lease_s, p_gap_ms,
		    p_jitter_ms, p_hold_ms, p_cap) c;
		GET DIAGNOSTICS v_n = ROW_COUNT;
		IF v_n < p_max THEN
			v_due := wa_dispatch_next_due(p_cap);
		END IF;
	END IF;
	RETURN QUERY SELECT NULL::bigint, NULL::bigint, NULL::integer,
	    NULL::text, NULL::text, NULL::text, NULL::text, NULL::text,
	    NULL::text, v_rec, v_due;
END;
$$;
