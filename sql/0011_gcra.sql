-- 0011_gcra.sql: API rate limits by GCRA, one theoretical arrival time per key and per customer, instead of fixed one-minute windows.
-- The fixed windows of 0008 admitted twice a limit around a minute's
-- edge (10 calls at 12:00:59 and 10 more at 12:01:00). GCRA (the
-- generic cell rate algorithm) keeps one timestamp per bucket, the
-- theoretical arrival time (TAT): a limit of L a minute has an emission
-- interval T = 60 s / L, rounded up to the microsecond (so the rate never
-- exceeds L a minute), and a burst of L. A call at time t is admitted
-- when TAT - t <= (L - 1) * T, and then moves TAT to max(TAT, t) + T; a
-- refused call changes nothing. So a full burst of L is followed by one
-- call every T, never by a second burst: no edge. docs/api.md has the
-- rule and docs/api-http.md the headers computed from TAT.
--
-- Where the timestamps live: an unlogged table api_gcra, one row per
-- key ('k') and per customer ('c'), like api_rate before it, not columns
-- of api_keys and users. Every admitted call updates them, so they
-- should be narrow (HOT updates of a 3-column row), write no WAL (a
-- crash empties the table; every bucket then starts full, in the
-- callers' favour, as the windows did) and fire no trigger (api_keys
-- and users have touch_updated_at, whose updated_at means "changed by
-- someone"). A row is made on the first call that needs it. No CHECK on
-- kind: PostgreSQL parses a table's CHECK constraints from text again in
-- every statement that writes it (5 % of wa_api_auth's instructions,
-- measured), and only wa_api_auth writes the table.
--
-- What a call writes: a plain UPDATE of one TAT (no INSERT ... ON
-- CONFLICT, which also locks the row before updating it, and no nested
-- function call), and a second one only for a key with a limit of its
-- own below the package's. A key without one has the package's limit,
-- and the customer's bucket, which every call of every key of the
-- customer moves by the same T, is then never behind the key's own: its
-- check implies the key's, so that bucket is not kept. Calls take the
-- key's row before the customer's, so they never deadlock.
-- docs/performance.md has the measurements.

CREATE UNLOGGED TABLE api_gcra (
	kind		"char" NOT NULL,	-- 'k' a key, 'c' a customer
	subject		bigint NOT NULL,	-- the key's or the customer's id
	-- the theoretical arrival time; at or before now: the bucket is full
	tat		timestamptz NOT NULL,
	PRIMARY KEY (kind, subject)
);

DROP FUNCTION wa_api_rate_take("char", bigint, integer, timestamptz);
DROP TABLE api_rate;

-- The rate figures (docs/api-http.md, "Rate-limit headers"): rl_limit,
-- rl_remaining and rl_reset keep their names, for the key's limit, the
-- calls it may make at once (the lower of the key's and the customer's)
-- and the seconds until both buckets are full again.
ALTER TYPE wa_api_auth_result
	-- seconds until one more call is admitted (0: one is now)
	ADD ATTRIBUTE rl_next integer,
	-- the package's limit a minute, across all the customer's keys
	ADD ATTRIBUTE rl_c_limit integer,
	-- calls the customer's bucket admits at once, and seconds until it
	-- admits one more (0: it is full)
	ADD ATTRIBUTE rl_c_remaining integer,
	ADD ATTRIBUTE rl_c_next integer,
	-- the same of the key's own bucket; NULL when the key has no limit
	-- below the package's
	ADD ATTRIBUTE rl_k_remaining integer,
	ADD ATTRIBUTE rl_k_next integer;

-- wa_api_auth as in 0009_clock.sql, the rate check by GCRA (above).
-- Figures of a bucket of limit L, interval T (microseconds) and TAT, at
-- time t, with d = max(TAT - t, 0) and n = ceil(d / T) places taken:
-- remaining L - n, next call admitted in d - (min(n, L) - 1) * T (when
-- d > 0), full again in d; each rounded up to whole seconds.
CREATE OR REPLACE FUNCTION wa_api_auth(p_hash bytea, p_addr inet, p_scope text,
    p_endpoint text, p_lock bigint DEFAULT NULL)
RETURNS wa_api_auth_result
LANGUAGE plpgsql AS $$
DECLARE
	c_us	constant interval := interval '1 microsecond';
	r	wa_api_auth_result;
	k	record;
	v_now	timestamptz := wa_now();
	v_own	boolean;	-- the key has a bucket of its own
	v_tk	bigint;		-- emission intervals, microseconds
	v_tc	bigint;
	v_atk	timestamptz;	-- TATs after the call
	v_atc	timestamptz;
	v_ok	boolean := false;
	v_try	integer := 0;
	v_d	bigint;
	v_n	bigint;
	v_full	integer := 0;
BEGIN
	SELECT a.id, a.customer_id, a.enabled, a.expires_at, a.retires_at,
	    a.scopes, a.allow_ips, a.rpm, u.disabled_at, u.time_zone,
	    pk.api_rpm AS pkg_rpm, pk.max_messages_month AS pkg_max
	    INTO k FROM api_keys a JOIN users u ON u.id = a.customer_id
	    LEFT JOIN LATERAL (SELECT p.api_rpm, p.max_messages_month
		FROM customer_packages cp JOIN packages p ON p.id = cp.package_id
		WHERE cp.customer_id = a.customer_id AND cp.active
		AND cp.starts_at <= v_now AND cp.expires_at > v_now
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

	r.rl_c_limit := k.pkg_rpm;
	IF k.pkg_rpm < 1 THEN
		-- A package without API calls: no call is ever admitted, so
		-- there is no time to retry after.
		r.status := 429;
		r.problem := 'rate-limited';
		r.detail := 'customer';
		r.rl_remaining := 0;
		r.rl_c_remaining := 0;
		PERFORM wa_api_count(k.id, p_endpoint, 429);
		RETURN r;
	END IF;
	v_own := r.rl_limit < k.pkg_rpm;
	v_tc := (60000000 + k.pkg_rpm - 1) / k.pkg_rpm;
	v_tk := (60000000 + r.rl_limit - 1) / r.rl_limit;
	LOOP
		v_atk := NULL;
		v_atc := NULL;
		IF v_own THEN
			UPDATE api_gcra g SET tat = greatest(g.tat, v_now) + v_tk * c_us
			    WHERE g.kind = 'k' AND g.subject = k.id
			    AND g.tat <= v_now + (r.rl_limit - 1) * v_tk * c_us
			    RETURNING g.tat INTO v_atk;
		END IF;
		IF v_atk IS NOT NULL OR NOT v_own THEN
			UPDATE api_gcra g SET tat = greatest(g.tat, v_now) + v_tc * c_us
			    WHERE g.kind = 'c' AND g.subject = k.customer_id
			    AND g.tat <= v_now + (k.pkg_rpm - 1) * v_tc * c_us
			    RETURNING g.tat INTO v_atc;
			v_ok := v_atc IS NOT NULL;
			IF NOT v_ok AND v_own THEN
				-- Give the key's place back: nothing is taken
				-- from a refused call.
				UPDATE api_gcra g SET tat = g.tat - v_tk * c_us
				    WHERE g.kind = 'k' AND g.subject = k.id;
			END IF;
		END IF;
		EXIT WHEN v_ok;
		-- Refused, or a bucket has no row yet (the first call, or
		-- after a crash): read both; make the missing ones, full.
		SELECT g.tat INTO v_atc FROM api_gcra g
		    WHERE g.kind = 'c' AND g.subject = k.customer_id;
		IF v_own THEN
			SELECT g.tat INTO v_atk FROM api_gcra g
			    WHERE g.kind = 'k' AND g.subject = k.id;
		END IF;
		EXIT WHEN v_atc IS NOT NULL AND (v_atk IS NOT NULL OR NOT v_own);
		v_try := v_try + 1;
		IF v_try > 3 THEN
			RAISE EXCEPTION 'api_gcra: no bucket for key %', k.id;
		END IF;
		INSERT INTO api_gcra (kind, subject, tat)
		    SELECT x.kind, x.subject, v_now FROM (VALUES
			('k'::"char", k.id, v_own),
			('c'::"char", k.customer_id, true)) x(kind, subject, need)
		    WHERE x.need
		    ON CONFLICT (kind, subject) DO NOTHING;
	END LOOP;

	-- The figures of each bucket (the formulas above).
	v_d := greatest((extract(epoch FROM v_atc - v_now) * 1000000)::bigint, 0);
	v_n := (v_d + v_tc - 1) / v_tc;
	r.rl_c_remaining := greatest(k.pkg_rpm - v_n, 0);
	r.rl_c_next := CASE WHEN v_d > 0 THEN (v_d - (least(v_n, k.pkg_rpm) - 1)
	    * v_tc + 999999) / 1000000 ELSE 0 END;
	v_full := (v_d + 999999) / 1000000;
	IF v_own THEN
		v_d := greatest((extract(epoch FROM v_atk - v_now) * 1000000)::bigint, 0);
		v_n := (v_d + v_tk - 1) / v_tk;
		r.rl_k_remaining := greatest(r.rl_limit - v_n, 0);
		r.rl_k_next := CASE WHEN v_d > 0 THEN (v_d - (least(v_n, r.rl_limit) - 1)
		    * v_tk + 999999) / 1000000 ELSE 0 END;
		v_full := greatest(v_full, (v_d + 999999) / 1000000);
	END IF;
	r.rl_remaining := least(r.rl_k_remaining, r.rl_c_remaining);
	r.rl_reset := v_full;
	r.rl_next := CASE WHEN r.rl_remaining > 0 THEN 0 ELSE greatest(
	    CASE WHEN r.rl_k_remaining = 0 THEN r.rl_k_next END,
	    CASE WHEN r.rl_c_remaining = 0 THEN r.rl_c_next END) END;
	IF NOT v_ok THEN
		r.status := 429;
		r.problem := 'rate-limited';
		-- Which bucket refused: the customer's, when the key's
		-- (if any) had room.
		IF NOT v_own OR r.rl_k_remaining > 0 THEN
			r.detail := 'customer';
		END IF;
		PERFORM wa_api_count(k.id, p_endpoint, 429);
		RETURN r;
	END IF;
	UPDATE api_keys SET last_used_at = v_now, last_used_addr = p_addr
	    WHERE id = k.id AND (last_used_at IS NULL OR
	    last_used_at < v_now - interval '1 second' OR
	    last_used_addr IS DISTINCT FROM p_addr);
	RETURN r;
END;
$$;
