-- 0009_clock.sql: wa_now(), the one clock of every function, default and statement.
-- It is now() (the start of the transaction) unless the session setting
-- waportal.now holds a timestamp. Production never sets it; the tests do,
-- to pin or move the clock instead of waiting (docs/development.md, "The
-- database clock"). One SQL expression, STABLE: inlined into the plans
-- that call it, it costs one settings lookup. The functions of 0001-0008
-- that read the clock are redefined here with it, unchanged otherwise, so
-- a database migrated before this file gets the same clock as a new one.

CREATE FUNCTION wa_now() RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT coalesce(nullif(current_setting('waportal.now', true), '')::timestamptz,
	    now())
$$;

-- Every column default that was now().
ALTER TABLE dealers ALTER COLUMN created_at SET DEFAULT wa_now();
ALTER TABLE dealers ALTER COLUMN updated_at SET DEFAULT wa_now();
ALTER TABLE packages ALTER COLUMN created_at SET DEFAULT wa_now();
ALTER TABLE users ALTER COLUMN created_at SET DEFAULT wa_now();
ALTER TABLE users ALTER COLUMN updated_at SET DEFAULT wa_now();
ALTER TABLE customer_packages ALTER COLUMN starts_at SET DEFAULT wa_now();
ALTER TABLE customer_packages ALTER COLUMN created_at SET DEFAULT wa_now();
ALTER TABLE sessions ALTER COLUMN created_at SET DEFAULT wa_now();
ALTER TABLE sessions ALTER COLUMN last_seen_at SET DEFAULT wa_now();
ALTER TABLE login_failures ALTER COLUMN failed_at SET DEFAULT wa_now();
ALTER TABLE avatars ALTER COLUMN updated_at SET DEFAULT wa_now();
ALTER TABLE hosts ALTER COLUMN created_at SET DEFAULT wa_now();
ALTER TABLE hosts ALTER COLUMN updated_at SET DEFAULT wa_now();
ALTER TABLE instances ALTER COLUMN status_changed_at SET DEFAULT wa_now();
ALTER TABLE instances ALTER COLUMN created_at SET DEFAULT wa_now();
ALTER TABLE instances ALTER COLUMN updated_at SET DEFAULT wa_now();
ALTER TABLE webhook_events ALTER COLUMN received_at SET DEFAULT wa_now();
ALTER TABLE messages ALTER COLUMN send_at SET DEFAULT wa_now();
ALTER TABLE messages ALTER COLUMN due_at SET DEFAULT wa_now();
ALTER TABLE messages ALTER COLUMN created_at SET DEFAULT wa_now();
ALTER TABLE message_acks_early ALTER COLUMN at SET DEFAULT wa_now();
ALTER TABLE api_keys ALTER COLUMN created_at SET DEFAULT wa_now();
ALTER TABLE api_keys ALTER COLUMN updated_at SET DEFAULT wa_now();
ALTER TABLE api_idempotency ALTER COLUMN created_at SET DEFAULT wa_now();

-- 0001_base.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := wa_now();
	RETURN NEW;
END;
$$;

-- 0006_messages.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_customer_month(p_customer bigint) RETURNS date
LANGUAGE sql STABLE AS $$
	SELECT date_trunc('month', wa_now() AT TIME ZONE u.time_zone)::date
	FROM users u WHERE u.id = p_customer
$$;

-- 0006_messages.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_message_insert(p_customer bigint, p_instance bigint,
    p_to text, p_body text, p_send_at timestamptz, p_source text,
    OUT id bigint, OUT status text)
LANGUAGE plpgsql AS $$
BEGIN
	status := CASE WHEN p_send_at > wa_now() THEN 'scheduled' ELSE 'queued' END;
	INSERT INTO messages AS m (customer_id, instance_id, direction, status,
	    source, peer, peer_phone, body, send_at, due_at)
	    VALUES (p_customer, p_instance, 'out', status, p_source, p_to,
	    p_to, p_body, greatest(p_send_at, wa_now()), greatest(p_send_at, wa_now()))
	    RETURNING m.id INTO id;
END;
$$;

-- 0006_messages.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_message_enqueue(p_customer bigint, p_instance bigint,
    p_to text, p_body text, p_send_at timestamptz, p_source text,
    OUT id bigint, OUT status text, OUT error text)
LANGUAGE plpgsql AS $$
DECLARE
	v_max	integer;
	v_tz	text;
BEGIN
	SELECT p.max_messages_month, u.time_zone INTO v_max, v_tz
	    FROM customer_packages cp JOIN packages p ON p.id = cp.package_id
	    JOIN users u ON u.id = cp.customer_id
	    WHERE cp.customer_id = p_customer AND cp.active
	    AND cp.starts_at <= wa_now() AND cp.expires_at > wa_now();
	IF NOT FOUND THEN
		error := 'package_expired';
		RETURN;
	END IF;
	PERFORM 1 FROM instances i
	    WHERE i.id = p_instance AND i.customer_id = p_customer;
	IF NOT FOUND THEN
		error := 'instance_not_found';
		RETURN;
	END IF;
	IF wa_message_quota_take(p_customer, date_trunc('month', wa_now()
	    AT TIME ZONE v_tz)::date, v_max) IS NULL THEN
		error := 'quota_exhausted';
		RETURN;
	END IF;
	SELECT * INTO id, status FROM wa_message_insert(p_customer,
	    p_instance, p_to, p_body, p_send_at, p_source);
	PERFORM pg_notify('waportal_dispatch', '');
END;
$$;

-- 0006_messages.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_message_cancel(p_customer bigint, p_id bigint)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_created	timestamptz;
	v_status	text;
BEGIN
	UPDATE messages m SET status = 'cancelled', cancelled_at = wa_now()
	    WHERE m.id = p_id AND m.customer_id = p_customer
	    AND m.direction = 'out' AND m.status IN ('queued', 'scheduled')
	    RETURNING m.created_at INTO v_created;
	IF FOUND THEN
		UPDATE message_counts c SET messages = c.messages - 1
		    FROM users u
		    WHERE c.customer_id = p_customer AND u.id = p_customer
		    AND c.month = date_trunc('month', v_created
		    AT TIME ZONE u.time_zone)::date AND c.messages > 0;
		RETURN 'cancelled';
	END IF;
	SELECT m.status INTO v_status FROM messages m
	    WHERE m.id = p_id AND m.customer_id = p_customer
	    AND m.direction = 'out';
	RETURN CASE WHEN FOUND THEN 'too_late' ELSE 'not_found' END;
END;
$$;

-- 0006_messages.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_instance_gone() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE messages SET status = 'failed', failed_at = wa_now(),
	    last_error = 'the instance was deleted', lease_owner = NULL,
	    lease_until = NULL
	    WHERE instance_id = OLD.id
	    AND status IN ('queued', 'scheduled', 'sending');
	RETURN OLD;
END;
$$;

-- 0007_dispatch.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_dispatch_turns(p_max integer, p_cap integer)
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

-- 0007_dispatch.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_dispatch_lease(p_owner text, p_ids bigint[],
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

-- 0007_dispatch.sql, with wa_now() for now().
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

-- 0007_dispatch.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_dispatch_record(p_owner text, p_outcomes json,
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

-- 0007_dispatch.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_dispatch_next_due(p_cap integer) RETURNS bigint
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

-- 0008_api_keys.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_api_count(p_key bigint, p_endpoint text, p_status integer)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO api_usage AS u (key_id, day, endpoint, class, n)
	    VALUES (p_key, (wa_now() AT TIME ZONE 'UTC')::date, p_endpoint,
	    least(greatest(p_status / 100, 1), 5), 1)
	    ON CONFLICT (key_id, day, endpoint, class) DO UPDATE SET n = u.n + 1;
END;
$$;

-- 0008_api_keys.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_api_key_refusal(p_disabled_at timestamptz,
    p_enabled boolean, p_retires_at timestamptz, p_expires_at timestamptz,
    p_pkg_rpm integer, p_scopes text[], p_scope text, p_allow_ips cidr[],
    p_addr inet)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_disabled_at IS NOT NULL THEN 'account-disabled'
	    WHEN NOT p_enabled THEN 'key-disabled'
	    WHEN p_retires_at <= wa_now() THEN 'key-retired'
	    WHEN p_expires_at <= wa_now() THEN 'key-expired'
	    WHEN p_pkg_rpm IS NULL THEN 'package-expired'
	    WHEN NOT (p_scope = ANY (p_scopes)) THEN 'scope-missing'
	    WHEN cardinality(p_allow_ips) > 0 AND
		NOT (p_addr <<= ANY (p_allow_ips)) THEN 'ip-not-allowed'
	END
$$;

-- 0008_api_keys.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_api_auth(p_hash bytea, p_addr inet, p_scope text,
    p_endpoint text, p_lock bigint DEFAULT NULL)
RETURNS wa_api_auth_result
LANGUAGE plpgsql AS $$
DECLARE
	r	wa_api_auth_result;
	k	record;
	v_win	timestamptz := date_trunc('minute', wa_now());
	v_n	integer;
	v_c	integer;
BEGIN
	SELECT a.id, a.customer_id, a.enabled, a.expires_at, a.retires_at,
	    a.scopes, a.allow_ips, a.rpm, u.disabled_at, u.time_zone,
	    pk.api_rpm AS pkg_rpm, pk.max_messages_month AS pkg_max
	    INTO k FROM api_keys a JOIN users u ON u.id = a.customer_id
	    LEFT JOIN LATERAL (SELECT p.api_rpm, p.max_messages_month
		FROM customer_packages cp JOIN packages p ON p.id = cp.package_id
		WHERE cp.customer_id = a.customer_id AND cp.active
		AND cp.starts_at <= wa_now() AND cp.expires_at > wa_now()
		LIMIT 1) pk ON true
	    WHERE a.key_hash = p_hash;
	r.status := 401;
	IF NOT FOUND THEN
		r.problem := 'invalid-key';
		RETURN r;
	END IF;
	r.key_id := k.id;
	r.customer_id := k.customer_id;
	r.time_zone := k.time_zone;
	r.quota := k.pkg_max;
	r.rl_limit := least(coalesce(k.rpm, k.pkg_rpm), k.pkg_rpm);
	r.problem := wa_api_key_refusal(k.disabled_at, k.enabled,
	    k.retires_at, k.expires_at, k.pkg_rpm, k.scopes, p_scope,
	    k.allow_ips, p_addr);
	IF r.problem IS NULL THEN
		r.status := 0;
	ELSIF r.problem IN ('package-expired', 'scope-missing',
	    'ip-not-allowed') THEN
		r.status := 403;
		r.detail := CASE WHEN r.problem = 'scope-missing' THEN p_scope END;
	END IF;
	IF r.status = 0 AND p_lock IS NOT NULL AND
	    NOT pg_try_advisory_xact_lock(p_lock) THEN
		r.status := 409;
		r.problem := 'idempotency-in-flight';
	END IF;
	IF r.status <> 0 THEN
		PERFORM wa_api_count(k.id, p_endpoint, r.status);
		RETURN r;
	END IF;
	r.rl_reset := ceil(extract(epoch FROM v_win + interval '1 minute' -
	    wa_now()))::integer;
	v_n := wa_api_rate_take('k', k.id, r.rl_limit, v_win);
	IF v_n IS NOT NULL THEN
		v_c := wa_api_rate_take('c', k.customer_id, k.pkg_rpm, v_win);
		IF v_c IS NULL THEN
			r.detail := 'customer';
			v_n := NULL;
		END IF;
	END IF;
	IF v_n IS NULL THEN
		r.status := 429;
		r.problem := 'rate-limited';
		r.rl_remaining := 0;
		PERFORM wa_api_count(k.id, p_endpoint, 429);
		RETURN r;
	END IF;
	r.rl_remaining := least(r.rl_limit - v_n, k.pkg_rpm - v_c);
	UPDATE api_keys SET last_used_at = wa_now(), last_used_addr = p_addr
	    WHERE id = k.id AND (last_used_at IS NULL OR
	    last_used_at < wa_now() - interval '1 second' OR
	    last_used_addr IS DISTINCT FROM p_addr);
	RETURN r;
END;
$$;

-- 0008_api_keys.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_api_idem_replay(p_key bigint, p_idem text,
    p_endpoint text, p_body_hash bytea, OUT status integer,
    OUT problem text, OUT response text, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
	v	record;
BEGIN
	SELECT i.status, i.problem, i.response, i.body_hash, i.endpoint INTO v
	    FROM api_idempotency i
	    WHERE i.key_id = p_key AND i.idem_key = p_idem
	    AND i.created_at > wa_now() - interval '24 hours';
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF v.body_hash <> p_body_hash OR v.endpoint <> p_endpoint THEN
		status := 422;
		problem := 'idempotency-mismatch';
		RETURN;
	END IF;
	status := v.status;
	problem := v.problem;
	response := v.response;
	replayed := true;
END;
$$;

-- 0008_api_keys.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_api_admit(auth wa_api_auth_result, p_invalid text,
    p_instance bigint, OUT status integer, OUT problem text,
    OUT response text, OUT instance bigint)
LANGUAGE plpgsql AS $$
BEGIN
	IF p_invalid IS NOT NULL THEN
		status := 422;
		problem := 'validation-failed';
		response := p_invalid;
		RETURN;
	END IF;
	IF p_instance IS NULL THEN
		SELECT i.id INTO instance FROM instances i
		    WHERE i.customer_id = auth.customer_id
		    AND i.status = 'connected' ORDER BY i.id LIMIT 1;
		IF NOT FOUND THEN
			status := 422;
			problem := 'no-connected-instance';
			RETURN;
		END IF;
	ELSE
		SELECT i.id INTO instance FROM instances i
		    WHERE i.id = p_instance AND i.customer_id = auth.customer_id;
		IF NOT FOUND THEN
			status := 404;
			problem := 'instance-not-found';
			RETURN;
		END IF;
	END IF;
	IF wa_message_quota_take(auth.customer_id, date_trunc('month', wa_now()
	    AT TIME ZONE auth.time_zone)::date, auth.quota) IS NULL THEN
		status := 403;
		problem := 'quota-exhausted';
		instance := NULL;
		RETURN;
	END IF;
	status := 202;
END;
$$;

-- 0008_api_keys.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_api_send(p_hash bytea, p_addr inet, p_idem text,
    p_body_hash bytea, p_invalid text, p_instance bigint, p_to text,
    p_text text, p_send_at timestamptz,
    OUT auth wa_api_auth_result, OUT status integer, OUT problem text,
    OUT response text, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
	c_ep	constant text := 'messages.create';
	e	record;
	m	record;
	v_inst	bigint;
BEGIN
	replayed := false;
	auth := wa_api_auth(p_hash, p_addr, 'messages:send', c_ep,
	    hashtextextended(encode(p_hash, 'hex') || ':' || p_idem, 0));
	IF auth.status <> 0 THEN
		status := auth.status;
		problem := auth.problem;
		RETURN;
	END IF;
	IF p_idem IS NOT NULL THEN
		SELECT * INTO e FROM wa_api_idem_replay(auth.key_id,
		    p_idem, c_ep, p_body_hash);
		status := e.status;
		problem := e.problem;
		response := e.response;
		replayed := coalesce(e.replayed, false);
		IF status IS NOT NULL THEN
			PERFORM wa_api_count(auth.key_id, c_ep, status);
			RETURN;
		END IF;
	END IF;
	SELECT a.status, a.problem, a.response, a.instance
	    INTO status, problem, response, v_inst
	    FROM wa_api_admit(auth, p_invalid, p_instance) a;
	IF status = 202 THEN
		SELECT * INTO m FROM wa_message_insert(auth.customer_id,
		    v_inst, p_to, p_text, coalesce(p_send_at, wa_now()), 'api');
		response := wa_api_sent_json(m.id, m.status, v_inst, p_to,
		    coalesce(p_send_at, wa_now()));
		PERFORM pg_notify('waportal_dispatch', '');
	END IF;
	PERFORM wa_api_count(auth.key_id, c_ep, status);
	-- A validation refusal is not stored (nor are auth and rate ones).
	IF p_idem IS NOT NULL AND problem IS DISTINCT FROM
	    'validation-failed' THEN
		INSERT INTO api_idempotency (key_id, idem_key, endpoint,
		    body_hash, status, problem, response)
		    VALUES (auth.key_id, p_idem, c_ep, p_body_hash, status,
		    problem, response)
		    ON CONFLICT (key_id, idem_key) DO UPDATE
		    SET endpoint = EXCLUDED.endpoint,
			body_hash = EXCLUDED.body_hash, status = EXCLUDED.status,
			problem = EXCLUDED.problem, response = EXCLUDED.response,
			created_at = EXCLUDED.created_at;
	END IF;
END;
$$;

-- 0008_api_keys.sql, with wa_now() for now().
CREATE OR REPLACE FUNCTION wa_api_send_put(p_ticket text, p_to text, p_text text,
    p_send_at timestamptz, OUT status integer, OUT response text)
LANGUAGE plpgsql AS $$
DECLARE
	v	text[] := string_to_array(current_setting('waportal.api_send',
		    true), ' ');
	v_at	timestamptz := coalesce(p_send_at, wa_now());
	m	record;
BEGIN
	IF v[1] IS DISTINCT FROM p_ticket OR cardinality(v) <> 3 THEN
		RETURN;
	END IF;
	PERFORM set_config('waportal.api_send', p_ticket || ' sent', false);
	SELECT * INTO m FROM wa_message_insert(v[2]::bigint, v[3]::bigint,
	    p_to, p_text, v_at, 'api');
	status := 202;
	response := wa_api_sent_json(m.id, m.status, v[3]::bigint, p_to, v_at);
END;
$$;
