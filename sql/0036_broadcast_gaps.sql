-- 0036_broadcast_gaps.sql: issue 14's known gaps (docs/broadcasts.md): a
-- broadcast whose job is given up after the resolution (the queueing
-- after a pre-check, or mid-queueing) ends 'failed'; a broadcast in its
-- pre-check can be paused and resumed, and a sending number that leaves
-- 'connected' pauses it as it pauses a sending one; the API key scope
-- instances:write (a number's daily cap and warm-up).

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
	    cancelled_at = NULL, fail_reason = left(coalesce(NEW.error, ''), 300)
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

-- 0028's pause, also while checking.
CREATE OR REPLACE FUNCTION wa_broadcast_pause(p_customer bigint,
    p_id bigint, p_reason text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE broadcasts SET state = 'paused', paused_at = wa_now(),
	    pause_reason = left(coalesce(p_reason, ''), 300)
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
		UPDATE broadcasts SET state = 'sending', pause_reason = ''
		    WHERE id = p_id;
	ELSIF EXISTS (SELECT 1 FROM broadcast_recipients
	    WHERE broadcast_id = p_id AND check_due IS NOT NULL) THEN
		UPDATE broadcasts SET state = 'checking', pause_reason = ''
		    WHERE id = p_id;
	ELSE
		UPDATE broadcasts SET pause_reason = '' WHERE id = p_id;
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
-- forever), with the same reason.
CREATE OR REPLACE FUNCTION wa_broadcast_number_down() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wa_broadcast_pause(b.customer_id, b.id, 'Paused: number ' ||
	    CASE WHEN NEW.phone <> '' THEN '+' || ltrim(NEW.phone, '+')
	    ELSE NEW.name END || ' disconnected')
	FROM broadcasts b WHERE b.customer_id = NEW.customer_id
	AND b.state IN ('sending', 'checking') AND NEW.id = ANY (b.instance_ids);
	RETURN NULL;
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
