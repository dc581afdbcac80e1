-- 0036_broadcast_gaps.sql: issue 14's known gaps (docs/broadcasts.md): a
-- broadcast whose job is given up after the resolution (the queueing
-- after a pre-check, or mid-queueing) ends 'failed'; a broadcast in its
-- pre-check can be paused and resumed, and a sending number that leaves
-- 'connected' pauses it as it pauses a sending one; the pause and fail
-- reasons stored as a code and its figures beside the English text, so
-- that the pages say them in the reader's language; the API key scope
-- instances:write (a number's daily cap and warm-up).

-- ------------------------------------------------------------ reason codes

-- Why a broadcast paused or failed, as a stable code and its figures
-- (the English text stays in pause_reason / fail_reason, for the API and
-- for the rows written before: their code is '' and their text is shown
-- as it is). pause_code: failures {failed, window, pct, limit},
-- rate_limit {in a row, limit}, optouts {opted out, sent, pct, limit},
-- number_down {number}; '' for a pause by hand. fail_code: quota
-- {needed, left}, missing_variable {recipients}, job_failed {} (the job's
-- error in fail_reason).
ALTER TABLE broadcasts
	ADD COLUMN pause_code text NOT NULL DEFAULT '' CHECK (pause_code IN
	    ('', 'failures', 'rate_limit', 'optouts', 'number_down')),
	ADD COLUMN pause_args text[] NOT NULL DEFAULT '{}'
	    CHECK (cardinality(pause_args) <= 4),
	ADD COLUMN fail_code text NOT NULL DEFAULT '' CHECK (fail_code IN
	    ('', 'quota', 'missing_variable', 'job_failed')),
	ADD COLUMN fail_args text[] NOT NULL DEFAULT '{}'
	    CHECK (cardinality(fail_args) <= 4);

-- The English of reason p_code with its figures p_args (as sql/0028 and
-- 0029 wrote them); NULL for an unknown code.
CREATE FUNCTION wa_broadcast_reason(p_code text, p_args text[])
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT left(CASE p_code
	    WHEN 'failures' THEN 'Paused: ' || p_args[1] || ' of the last ' ||
		p_args[2] || ' sends failed (' || p_args[3] || ' %, limit ' ||
		p_args[4] || ' %)'
	    WHEN 'rate_limit' THEN 'Paused: the gateway refused ' || p_args[1] ||
		' sends in a row as too many (rate limit, limit ' || p_args[2] ||
		')'
	    WHEN 'optouts' THEN 'Paused: ' || p_args[1] || ' of ' || p_args[2] ||
		' recipients opted out (' || p_args[3] || ' %, limit ' ||
		p_args[4] || ' %)'
	    WHEN 'number_down' THEN 'Paused: number ' || p_args[1] ||
		' disconnected'
	    WHEN 'quota' THEN 'needs ' || p_args[1] || ' messages, ' ||
		p_args[2] || ' left this month'
	    WHEN 'missing_variable' THEN p_args[1] ||
		' recipients miss a template variable'
	    END, 300)
$$;

-- ------------------------------------------------------------ a job given up

-- 0030_fixes.sql's trigger: a broadcast whose job the runner gave up on
-- ends failed with the job's error, whatever step the job was at. While
-- resolving (or ready: the queueing job after a pre-check) nothing is
-- reserved; while sending or paused (the job stopped mid-queueing) its
-- messages not sent yet are cancelled with their recipients ('broadcast
-- failed') and the places it still held given back, as a cancel does:
-- without its job no one would queue the rest nor end it.
CREATE OR REPLACE FUNCTION wa_broadcast_job_failed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	b	broadcasts;
BEGIN
	SELECT * INTO b FROM broadcasts x WHERE x.job_id = NEW.id
	    AND x.state IN ('resolving', 'ready', 'sending', 'paused')
	    FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF b.state IN ('sending', 'paused') THEN
		PERFORM wa_broadcast_cancel_unchecked(b.customer_id, b.id);
		UPDATE broadcast_recipients SET reason = 'broadcast failed'
		    WHERE broadcast_id = b.id AND status = 'cancelled'
		    AND reason = 'broadcast cancelled';
	END IF;
	UPDATE broadcasts SET state = 'failed', finished_at = wa_now(),
	    cancelled_at = NULL, fail_reason = left(coalesce(NEW.error, ''), 300),
	    fail_code = 'job_failed', fail_args = '{}'
	    WHERE id = b.id;
	RETURN NULL;
END;
$$;

-- ------------------------------------------------- pause while checking

-- A broadcast paused during its pre-check: 'paused', its precheck on and
-- its pre-check not ended (checked_at NULL). The dispatcher's check loop
-- takes only 'checking' broadcasts, so its checks stop; a resume goes
-- back to 'checking' (or on to 'ready' when nothing is left to ask).
CREATE FUNCTION wa_broadcast_in_check(b broadcasts) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT b.precheck AND b.checked_at IS NULL
	    AND b.state IN ('checking', 'paused')
$$;

-- The pre-check of broadcast p_id ended (nothing left to ask): 'ready'
-- with a new runner job that reserves and queues, the runners woken.
CREATE FUNCTION wa_broadcast_checked(p_id bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	j	bigint;
BEGIN
	INSERT INTO jobs (customer_id, kind) SELECT b.customer_id, 'broadcast'
	    FROM broadcasts b WHERE b.id = p_id RETURNING id INTO j;
	UPDATE broadcasts SET state = 'ready', checked_at = wa_now(), job_id = j
	    WHERE id = p_id;
	PERFORM pg_notify('waportal_jobs', j::text);
END;
$$;

-- 0028's pause, also while checking; reason p_reason is text alone (no
-- code: a pause by hand).
CREATE OR REPLACE FUNCTION wa_broadcast_pause(p_customer bigint,
    p_id bigint, p_reason text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE broadcasts SET state = 'paused', paused_at = wa_now(),
	    pause_reason = left(coalesce(p_reason, ''), 300), pause_code = '',
	    pause_args = '{}'
	    WHERE id = p_id AND customer_id = p_customer
	    AND state IN ('sending', 'checking');
	RETURN FOUND;
END;
$$;

-- Pause broadcast p_id of p_customer (sending or checking) for reason
-- p_code with its figures p_args (a brake's): the code, the figures and
-- their English. True when it changed.
CREATE FUNCTION wa_broadcast_pause_why(p_customer bigint, p_id bigint,
    p_code text, p_args text[]) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE broadcasts SET state = 'paused', paused_at = wa_now(),
	    pause_reason = coalesce(wa_broadcast_reason(p_code, p_args), ''),
	    pause_code = p_code, pause_args = p_args
	    WHERE id = p_id AND customer_id = p_customer
	    AND state IN ('sending', 'checking');
	RETURN FOUND;
END;
$$;

-- 0028's resume: a broadcast paused during its pre-check goes back to
-- 'checking' (the dispatchers woken) when some recipient is left to ask,
-- else to 'ready' with its queueing job; any other back to 'sending'.
CREATE OR REPLACE FUNCTION wa_broadcast_resume(p_customer bigint,
    p_id bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	b	broadcasts;
BEGIN
	SELECT * INTO b FROM broadcasts WHERE id = p_id
	    AND customer_id = p_customer AND state = 'paused' FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	IF NOT wa_broadcast_in_check(b) THEN
		UPDATE broadcasts SET state = 'sending', pause_reason = '',
		    pause_code = '', pause_args = '{}' WHERE id = p_id;
	ELSIF EXISTS (SELECT 1 FROM broadcast_recipients
	    WHERE broadcast_id = p_id AND check_due IS NOT NULL) THEN
		UPDATE broadcasts SET state = 'checking', pause_reason = '',
		    pause_code = '', pause_args = '{}' WHERE id = p_id;
	ELSE
		UPDATE broadcasts SET pause_reason = '', pause_code = '',
		    pause_args = '{}' WHERE id = p_id;
		PERFORM wa_broadcast_checked(p_id);
		RETURN true;
	END IF;
	PERFORM pg_notify('waportal_dispatch', '');
	RETURN true;
END;
$$;

-- 0032's cancel, also of a broadcast paused during its pre-check: nothing
-- left to ask either way.
CREATE OR REPLACE FUNCTION wa_broadcast_cancel(p_customer bigint,
    p_id bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE broadcasts b SET state = 'cancelled', cancelled_at = wa_now(),
	    finished_at = wa_now()
	    WHERE b.id = p_id AND b.customer_id = p_customer
	    AND wa_broadcast_in_check(b);
	IF NOT FOUND THEN
		RETURN wa_broadcast_cancel_unchecked(p_customer, p_id);
	END IF;
	UPDATE broadcast_recipients SET status = 'cancelled',
	    reason = 'broadcast cancelled', check_due = NULL
	    WHERE broadcast_id = p_id AND status = 'pending';
	UPDATE broadcast_recipients SET check_due = NULL
	    WHERE broadcast_id = p_id AND check_due IS NOT NULL;
	RETURN true;
END;
$$;

-- 0032's answer of the check loop, where a check claimed before a pause
-- comes back while the broadcast is paused: the answer is kept and a
-- recipient not on WhatsApp skipped as while checking; the end of the
-- pre-check waits for the resume (wa_broadcast_resume).
CREATE OR REPLACE FUNCTION wa_number_check_record(p_bid bigint,
    p_cid bigint, p_exists boolean, p_chat text, p_gap_ms integer,
    p_jitter_ms integer, p_retry_s integer) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	b	broadcasts;
	r	broadcast_recipients;
BEGIN
	SELECT * INTO b FROM broadcasts WHERE id = p_bid FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		RETURN '';
	END IF;
	SELECT * INTO r FROM broadcast_recipients
	    WHERE broadcast_id = p_bid AND contact_id = p_cid;
	IF NOT FOUND THEN
		RETURN b.state;
	END IF;
	IF p_gap_ms > 0 THEN
		UPDATE instances SET next_send_at = wa_now() + (p_gap_ms +
		    random() * p_jitter_ms) * interval '1 millisecond'
		    WHERE id = r.instance_id;
	END IF;
	IF p_exists IS NULL THEN
		UPDATE broadcast_recipients SET check_tries = check_tries + 1,
		    check_due = CASE WHEN check_tries + 1 >= 5 THEN NULL
			ELSE wa_now() + least(p_retry_s * 2 ^ check_tries,
			3600) * interval '1 second' END
		    WHERE broadcast_id = p_bid AND contact_id = p_cid
		    AND check_due IS NOT NULL;
	ELSE
		INSERT INTO number_checks AS k (customer_id, phone, on_whatsapp,
		    chat_id) VALUES (b.customer_id, r.phone, p_exists,
		    left(coalesce(p_chat, ''), 100))
		    ON CONFLICT (customer_id, phone) DO UPDATE
		    SET on_whatsapp = EXCLUDED.on_whatsapp,
		    chat_id = EXCLUDED.chat_id, checked_at = wa_now();
		UPDATE contacts SET on_whatsapp = p_exists
		    WHERE id = p_cid AND customer_id = b.customer_id
		    AND phone = r.phone
		    AND on_whatsapp IS DISTINCT FROM p_exists;
		UPDATE broadcast_recipients SET check_due = NULL,
		    status = 'skipped', reason = 'not on WhatsApp'
		    WHERE broadcast_id = p_bid AND contact_id = p_cid
		    AND NOT p_exists AND status = 'pending'
		    AND wa_broadcast_in_check(b);
		IF FOUND THEN
			UPDATE broadcasts SET recipients =
			    greatest(recipients - 1, 0), skipped = skipped + 1
			    WHERE id = p_bid;
		END IF;
		UPDATE broadcast_recipients SET check_due = NULL
		    WHERE broadcast_id = p_bid AND contact_id = p_cid
		    AND check_due IS NOT NULL;
	END IF;
	IF b.state <> 'checking' OR EXISTS (SELECT 1
	    FROM broadcast_recipients WHERE broadcast_id = p_bid
	    AND check_due IS NOT NULL) THEN
		RETURN b.state;
	END IF;
	PERFORM wa_broadcast_checked(p_bid);
	RETURN 'ready';
END;
$$;

-- 0029's brake on a number leaving 'connected': it pauses the broadcasts
-- that check from it too (their checks would wait for the number
-- forever), with the same reason (code number_down).
CREATE OR REPLACE FUNCTION wa_broadcast_number_down() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wa_broadcast_pause_why(b.customer_id, b.id, 'number_down',
	    ARRAY[CASE WHEN NEW.phone <> '' THEN '+' || ltrim(NEW.phone, '+')
	    ELSE NEW.name END])
	FROM broadcasts b WHERE b.customer_id = NEW.customer_id
	AND b.state IN ('sending', 'checking') AND NEW.id = ANY (b.instance_ids);
	RETURN NULL;
END;
$$;

-- Why a broadcast must pause under brakes k (0029's rules): its code
-- and figures as one array (code first), or NULL.
CREATE FUNCTION wa_broadcast_brake_why(k broadcast_brakes,
    p_window text, p_limited integer, p_sent bigint, p_out bigint)
RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	w	text := right(p_window, k.fail_window);
	n	integer := length(w);
	f	integer := n - length(replace(w, '1', ''));
BEGIN
	IF k.fail_pct > 0 AND n >= 20 AND f * 100.0 >= k.fail_pct * n THEN
		RETURN ARRAY['failures', f::text, n::text,
		    wa_pct_text(f * 100.0 / n), wa_pct_text(k.fail_pct)];
	END IF;
	IF k.rate_limited > 0 AND p_limited >= k.rate_limited THEN
		RETURN ARRAY['rate_limit', p_limited::text,
		    k.rate_limited::text];
	END IF;
	IF k.optout_pct > 0 AND p_sent >= 100 AND
	    p_out * 100.0 >= k.optout_pct * p_sent THEN
		RETURN ARRAY['optouts', p_out::text, p_sent::text,
		    wa_pct_text(p_out * 100.0 / p_sent),
		    wa_pct_text(k.optout_pct)];
	END IF;
	RETURN NULL;
END;
$$;

-- 0029's reason, now the English of wa_broadcast_brake_why's.
CREATE OR REPLACE FUNCTION wa_broadcast_brake_reason(k broadcast_brakes,
    p_window text, p_limited integer, p_sent bigint, p_out bigint)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT wa_broadcast_reason(w[1], w[2:]) FROM (SELECT
	    wa_broadcast_brake_why(k, p_window, p_limited, p_sent, p_out)
	    AS w) x
$$;

-- 0029's brakes, pausing with the code and figures.
CREATE OR REPLACE FUNCTION wa_broadcast_brake(p_ids bigint[])
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	b	record;
	v_n	integer := 0;
BEGIN
	FOR b IN SELECT x.id, x.customer_id, wa_broadcast_brake_why(
	    wa_broadcast_brakes(x.customer_id), x.brake_window,
	    x.rate_limited, x.sent, x.opted_out) AS why
	    FROM broadcasts x WHERE x.id = ANY (p_ids) AND x.state = 'sending'
	    ORDER BY x.id LOOP
		IF b.why IS NOT NULL AND wa_broadcast_pause_why(b.customer_id,
		    b.id, b.why[1], b.why[2:]) THEN
			v_n := v_n + 1;
		END IF;
	END LOOP;
	RETURN v_n;
END;
$$;

-- 0028's reservation, a refusal with the code quota and its figures.
CREATE OR REPLACE FUNCTION wa_broadcast_reserve(p_id bigint, OUT ok boolean,
    OUT needed bigint, OUT remaining bigint)
LANGUAGE plpgsql AS $$
DECLARE
	b	broadcasts;
	v_max	integer := 0;
	v_tz	text;
	v_month	date;
	v_used	integer;
	v_args	text[];
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
		v_args := ARRAY[needed::text, remaining::text];
		UPDATE broadcasts SET state = 'failed', finished_at = wa_now(),
		    fail_reason = wa_broadcast_reason('quota', v_args),
		    fail_code = 'quota', fail_args = v_args
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

-- ------------------------------------------------- the API's daily cap

-- instances:write: PATCH /api/v1/instances/{id} sets a number's daily
-- cap and warm-up (sql/0033). Every scope of sql/0031 kept.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_scopes_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scopes_check CHECK (scopes <@
	ARRAY['messages:send', 'messages:read', 'instances:read',
	'contacts:read', 'contacts:write', 'messages:transactional',
	'broadcasts:read', 'broadcasts:write', 'instances:write']::text[]);
