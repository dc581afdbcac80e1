-- 0008_api_keys.sql: API keys (hash only), per-key and per-customer rate
-- windows, usage per key/day/endpoint/status class, stored idempotent
-- responses, and the one-round-trip functions of the REST API v1.
-- docs/api.md describes the API; docs/security.md the key handling;
-- docs/performance.md why POST /api/v1/messages runs as three short
-- transactions in one pipeline (wa_api_send_admit, wa_api_send_put, a
-- NOTIFY).

CREATE TABLE api_keys (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	-- SHA-256 of the whole key; the key itself is never stored
	key_hash	bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
	-- "wap_" and the first 6 random digits, to recognise a key in lists
	visible		text NOT NULL CHECK (visible ~ '^wap_[0-9A-Za-z]{6}$'),
	scopes		text[] NOT NULL CHECK (scopes <@ ARRAY['messages:send',
			    'messages:read', 'instances:read', 'contacts:read',
			    'contacts:write']::text[]),
	-- addresses and CIDR ranges the key may be used from; empty: any
	allow_ips	cidr[] NOT NULL DEFAULT '{}'
			    CHECK (cardinality(allow_ips) <= 32),
	-- requests per minute for this key, below the package's; NULL: the package's
	rpm		integer CHECK (rpm >= 1),
	expires_at	timestamptz,
	enabled		boolean NOT NULL DEFAULT true,
	-- set by a rotation on the old key: it stops working at this moment
	retires_at	timestamptz,
	replaced_by	bigint REFERENCES api_keys (id) ON DELETE SET NULL,
	last_used_at	timestamptz,
	last_used_addr	inet,
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	updated_at	timestamptz NOT NULL DEFAULT wa_now()
);
CREATE INDEX api_keys_customer ON api_keys (customer_id, id);
CREATE TRIGGER api_keys_touch BEFORE UPDATE ON api_keys
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Fixed one-minute windows, one row per key ('k') and per customer ('c').
-- Unlogged: after a crash every window simply starts again.
CREATE UNLOGGED TABLE api_rate (
	kind		"char" NOT NULL CHECK (kind IN ('k', 'c')),
	subject		bigint NOT NULL,
	window_start	timestamptz NOT NULL,
	n		integer NOT NULL,
	PRIMARY KEY (kind, subject)
);

-- Calls per key, day (UTC), endpoint and status class (2, 3, 4, 5).
CREATE TABLE api_usage (
	key_id		bigint NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
	day		date NOT NULL,
	endpoint	text NOT NULL CHECK (length(endpoint) BETWEEN 1 AND 64),
	class		smallint NOT NULL CHECK (class BETWEEN 1 AND 5),
	n		integer NOT NULL DEFAULT 0,
	PRIMARY KEY (key_id, day, endpoint, class)
);

-- The first answer to a POST with an Idempotency-Key, replayed for 24 h.
CREATE TABLE api_idempotency (
	key_id		bigint NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
	idem_key	text NOT NULL CHECK (length(idem_key) BETWEEN 1 AND 255),
	endpoint	text NOT NULL,
	body_hash	bytea NOT NULL CHECK (length(body_hash) = 32),
	status		smallint NOT NULL,
	problem		text,		-- the problem type of a refusal
	response	text,		-- the JSON body of a success
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	PRIMARY KEY (key_id, idem_key)
);
CREATE INDEX api_idempotency_age ON api_idempotency (created_at);

-- The outcome of authenticating one API call; see wa_api_auth.
CREATE TYPE wa_api_auth_result AS (
	status		integer,	-- 0: go on; else the HTTP status
	problem		text,		-- problem type slug when status <> 0
	detail		text,
	key_id		bigint,
	customer_id	bigint,
	rl_limit	integer,	-- the key's limit per minute
	rl_remaining	integer,
	rl_reset	integer,	-- seconds until the window ends
	time_zone	text,
	quota		integer		-- the package's messages a month
);

-- Take one request from a fixed one-minute window of p_limit for
-- (p_kind, p_subject). Returns the count after it, or NULL when the
-- window is full (then nothing is taken). PL/pgSQL, not SQL, for this and
-- wa_api_count: their plans are then kept for the session instead of
-- being made again in every transaction.
CREATE FUNCTION wa_api_rate_take(p_kind "char", p_subject bigint,
    p_limit integer, p_window timestamptz)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_n	integer;
BEGIN
	INSERT INTO api_rate AS r (kind, subject, window_start, n)
	    SELECT p_kind, p_subject, p_window, 1 WHERE p_limit >= 1
	    ON CONFLICT (kind, subject) DO UPDATE
	    SET n = CASE WHEN r.window_start = p_window THEN r.n + 1 ELSE 1 END,
		window_start = p_window
	    WHERE r.window_start <> p_window OR r.n < p_limit
	    RETURNING r.n INTO v_n;
	RETURN v_n;
END;
$$;

-- Count one call of key p_key to p_endpoint answered with p_status.
CREATE FUNCTION wa_api_count(p_key bigint, p_endpoint text, p_status integer)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO api_usage AS u (key_id, day, endpoint, class, n)
	    VALUES (p_key, (wa_now() AT TIME ZONE 'UTC')::date, p_endpoint,
	    least(greatest(p_status / 100, 1), 5), 1)
	    ON CONFLICT (key_id, day, endpoint, class) DO UPDATE SET n = u.n + 1;
END;
$$;

-- Why a key in this state may not make a call needing p_scope from
-- p_addr: account-disabled, key-disabled, key-retired, key-expired (401),
-- package-expired, scope-missing, ip-not-allowed (403); NULL when it may.
-- SQL and STABLE so that PL/pgSQL's expressions inline it.
CREATE FUNCTION wa_api_key_refusal(p_disabled_at timestamptz,
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

-- Authenticate one call: the key by its SHA-256, then its state, the
-- customer, the package, the scope p_scope, the address p_addr, and the
-- rate windows of the key and of the customer (a call refused before the
-- rate check takes nothing from them). Marks the key used. Returns
-- status 0 with the key, customer and rate figures, or the HTTP status
-- and problem type: invalid-key, key-disabled, key-expired, key-retired,
-- account-disabled (401), package-expired, scope-missing, ip-not-allowed
-- (403), rate-limited (429). With p_lock (an Idempotency-Key's lock), the
-- advisory lock is taken before the rate windows, whose rows serialise a
-- key's calls: held by another transaction, it is a 409
-- idempotency-in-flight at once. Refusals after the key is known are
-- counted in api_usage under p_endpoint.
CREATE FUNCTION wa_api_auth(p_hash bytea, p_addr inet, p_scope text,
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

-- The answer stored for an Idempotency-Key, when there is one; with
-- p_idem NULL nothing is looked up. Returns the stored (status, response)
-- and replayed true, or a 422 when the same key came with another body;
-- all NULL: go on.
CREATE FUNCTION wa_api_idem_replay(p_key bigint, p_idem text,
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

-- Admit one message of the caller authenticated as auth (status 0): the
-- worker's validation verdict p_invalid (a problem detail, or NULL), the
-- instance p_instance (NULL: the customer's first connected one), then a
-- place in the month's quota (wa_message_quota_take). Returns status 202
-- with the instance when the message may be inserted, else the HTTP
-- status, the problem type and, for a validation failure, its detail as
-- response.
CREATE FUNCTION wa_api_admit(auth wa_api_auth_result, p_invalid text,
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

-- The 202 answer's body for message m (id, status) sent to p_to on
-- p_instance at p_send_at.
CREATE FUNCTION wa_api_sent_json(p_id bigint, p_status text,
    p_instance bigint, p_to text, p_send_at timestamptz)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', p_id, 'status', p_status,
	    'instance_id', p_instance, 'to', p_to, 'send_at', p_send_at)::text
$$;

-- POST /api/v1/messages with an Idempotency-Key (and the reference of
-- what the hot path does in three transactions), in one round trip and
-- one commit: authenticate (scope messages:send), Idempotency-Key (409
-- while the same key is in flight), rate windows, usage count, the stored
-- answer (replayed for 24 h, 422 for another body), then wa_api_admit
-- (validation verdict, instance, quota) and the insert with its NOTIFY.
-- Returns the auth figures for the rate-limit headers, the HTTP status,
-- the problem type (NULL on success or when the response is a replay)
-- and the response body as JSON text when there is one; replayed is true
-- for a stored answer.
CREATE FUNCTION wa_api_send(p_hash bytea, p_addr inet, p_idem text,
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

-- The hot path of POST /api/v1/messages (no Idempotency-Key), first of
-- three transactions the worker sends in one pipeline (one round trip;
-- docs/performance.md): what wa_api_send does before the insert, without
-- the Idempotency-Key: wa_api_auth (scope messages:send), wa_api_admit
-- (validation verdict p_invalid, instance p_instance, a place in the
-- month's quota) and the usage count. Its commit does not wait for the
-- WAL flush (synchronous_commit off for this transaction only), so the
-- rows that every call of a key and of a customer update (rate windows,
-- usage, quota) are locked for microseconds, not through a flush. A crash
-- can lose the last of these commits, never one that a stored message
-- depends on: the WAL is flushed in order, so the durable commit of
-- wa_api_send_put flushes the admission before it. An admitted call
-- leaves the ticket p_ticket (unique per call on this connection), the
-- customer and the instance in the session setting waportal.api_send for
-- wa_api_send_put. Returns what wa_api_send returns, with status 202 and
-- no response when admitted.
CREATE FUNCTION wa_api_send_admit(p_hash bytea, p_addr inet,
    p_invalid text, p_instance bigint, p_ticket text,
    OUT auth wa_api_auth_result, OUT status integer, OUT problem text,
    OUT response text)
LANGUAGE plpgsql AS $$
DECLARE
	c_ep	constant text := 'messages.create';
	v_inst	bigint;
BEGIN
	PERFORM set_config('synchronous_commit', 'off', true);
	auth := wa_api_auth(p_hash, p_addr, 'messages:send', c_ep);
	IF auth.status <> 0 THEN
		status := auth.status;
		problem := auth.problem;
		RETURN;
	END IF;
	SELECT a.status, a.problem, a.response, a.instance
	    INTO status, problem, response, v_inst
	    FROM wa_api_admit(auth, p_invalid, p_instance) a;
	IF status = 202 THEN
		PERFORM set_config('waportal.api_send', p_ticket || ' ' ||
		    auth.customer_id || ' ' || v_inst, false);
	END IF;
	PERFORM wa_api_count(auth.key_id, c_ep, status);
END;
$$;

-- The second transaction of the hot path, the durable one: when the
-- session's waportal.api_send holds the ticket p_ticket (left by
-- wa_api_send_admit in this session; anything else, a refusal or a stale
-- ticket, inserts nothing and returns all NULL), insert the message
-- (wa_message_insert) and mark the ticket sent for the NOTIFY of the
-- third transaction. Returns status 202 and the answer's body.
CREATE FUNCTION wa_api_send_put(p_ticket text, p_to text, p_text text,
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
