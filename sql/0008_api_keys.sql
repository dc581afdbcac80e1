-- 0008_api_keys.sql: API keys (hash only), per-key and per-customer rate
-- windows, usage per key/day/endpoint/status class, stored idempotent
-- responses, and the one-round-trip functions of the REST API v1.
-- docs/api.md describes the API; docs/security.md the key handling.

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
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
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
	created_at	timestamptz NOT NULL DEFAULT now(),
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
	time_zone	text
);

-- Take one request from a fixed one-minute window of p_limit for
-- (p_kind, p_subject). Returns the count after it, or NULL when the
-- window is full (then nothing is taken).
CREATE FUNCTION wa_api_rate_take(p_kind "char", p_subject bigint,
    p_limit integer, p_window timestamptz)
RETURNS integer
LANGUAGE sql AS $$
	INSERT INTO api_rate AS r (kind, subject, window_start, n)
	    SELECT p_kind, p_subject, p_window, 1 WHERE p_limit >= 1
	    ON CONFLICT (kind, subject) DO UPDATE
	    SET n = CASE WHEN r.window_start = p_window THEN r.n + 1 ELSE 1 END,
		window_start = p_window
	    WHERE r.window_start <> p_window OR r.n < p_limit
	    RETURNING r.n
$$;

-- Count one call of key p_key to p_endpoint answered with p_status.
CREATE FUNCTION wa_api_count(p_key bigint, p_endpoint text, p_status integer)
RETURNS void
LANGUAGE sql AS $$
	INSERT INTO api_usage AS u (key_id, day, endpoint, class, n)
	    VALUES (p_key, (now() AT TIME ZONE 'UTC')::date, p_endpoint,
	    least(greatest(p_status / 100, 1), 5), 1)
	    ON CONFLICT (key_id, day, endpoint, class) DO UPDATE SET n = u.n + 1
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
	v_win	timestamptz := date_trunc('minute', now());
	v_n	integer;
	v_c	integer;
BEGIN
	SELECT a.id, a.customer_id, a.enabled, a.expires_at, a.retires_at,
	    a.scopes, a.allow_ips, a.rpm, u.disabled_at, u.time_zone,
	    (SELECT p.api_rpm FROM customer_packages cp
		JOIN packages p ON p.id = cp.package_id
		WHERE cp.customer_id = a.customer_id AND cp.active
		AND cp.starts_at <= now() AND cp.expires_at > now()) AS pkg_rpm
	    INTO k FROM api_keys a JOIN users u ON u.id = a.customer_id
	    WHERE a.key_hash = p_hash;
	r.status := 401;
	IF NOT FOUND THEN
		r.problem := 'invalid-key';
		RETURN r;
	END IF;
	r.key_id := k.id;
	r.customer_id := k.customer_id;
	r.time_zone := k.time_zone;
	r.rl_limit := least(coalesce(k.rpm, k.pkg_rpm), k.pkg_rpm);
	IF k.disabled_at IS NOT NULL THEN
		r.problem := 'account-disabled';
	ELSIF NOT k.enabled THEN
		r.problem := 'key-disabled';
	ELSIF k.retires_at IS NOT NULL AND k.retires_at <= now() THEN
		r.problem := 'key-retired';
	ELSIF k.expires_at IS NOT NULL AND k.expires_at <= now() THEN
		r.problem := 'key-expired';
	ELSIF k.pkg_rpm IS NULL THEN
		r.status := 403;
		r.problem := 'package-expired';
	ELSIF NOT (p_scope = ANY (k.scopes)) THEN
		r.status := 403;
		r.problem := 'scope-missing';
		r.detail := p_scope;
	ELSIF cardinality(k.allow_ips) > 0 AND
	    NOT (p_addr <<= ANY (k.allow_ips)) THEN
		r.status := 403;
		r.problem := 'ip-not-allowed';
	ELSE
		r.status := 0;
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
	    now()))::integer;
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
	UPDATE api_keys SET last_used_at = now(), last_used_addr = p_addr
	    WHERE id = k.id AND (last_used_at IS NULL OR
	    last_used_at < now() - interval '1 second' OR
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
	    AND i.created_at > now() - interval '24 hours';
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

-- POST /api/v1/messages in one round trip and one commit: authenticate
-- (scope messages:send), Idempotency-Key (409 while the same key is in
-- flight), rate windows, usage count, the stored answer (replayed for
-- 24 h, 422 for another body), then the worker's validation verdict p_invalid (a problem
-- detail, or NULL), the default instance (the customer's first connected
-- one), package, quota and the insert with its NOTIFY
-- (wa_message_enqueue). Returns the auth figures for the rate-limit
-- headers, the HTTP status, the problem type (NULL on success or when
-- the response is a replay) and the response body as JSON text when
-- there is one; replayed is true for a stored answer.
CREATE FUNCTION wa_api_send(p_hash bytea, p_addr inet, p_idem text,
    p_body_hash bytea, p_invalid text, p_instance bigint, p_to text,
    p_text text, p_send_at timestamptz,
    OUT auth wa_api_auth_result, OUT status integer, OUT problem text,
    OUT response text, OUT replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
	c_ep	constant text := 'messages.create';
	v_inst	bigint := p_instance;
	e	record;
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
	IF p_invalid IS NOT NULL THEN
		status := 422;
		problem := 'validation-failed';
		response := p_invalid;
		PERFORM wa_api_count(auth.key_id, c_ep, status);
		RETURN;
	END IF;
	IF v_inst IS NULL THEN
		SELECT i.id INTO v_inst FROM instances i
		    WHERE i.customer_id = auth.customer_id
		    AND i.status = 'connected' ORDER BY i.id LIMIT 1;
	END IF;
	IF v_inst IS NULL THEN
		status := 422;
		problem := 'no-connected-instance';
	ELSE
		SELECT * INTO e FROM wa_message_enqueue(auth.customer_id, v_inst,
		    p_to, p_text, coalesce(p_send_at, now()), 'api');
		IF e.error IS NULL THEN
			status := 202;
			response := json_build_object('id', e.id,
			    'status', e.status, 'instance_id', v_inst,
			    'to', p_to, 'send_at', coalesce(p_send_at, now()))::text;
		ELSE
			status := CASE e.error WHEN 'instance_not_found' THEN 404
			    ELSE 403 END;
			problem := replace(e.error, '_', '-');
		END IF;
	END IF;
	PERFORM wa_api_count(auth.key_id, c_ep, status);
	IF p_idem IS NOT NULL THEN
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
