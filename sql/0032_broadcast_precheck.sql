-- 0032_broadcast_precheck.sql: a broadcast's pre-check (issue 14, part
-- E): with broadcasts.precheck, the recipients' numbers are asked of the
-- gateway (check-exists) before the quota is reserved, those not on
-- WhatsApp skipped. The answers are kept 30 days per customer
-- (number_checks) and on the contact (contacts.on_whatsapp). The runner
-- puts a broadcast with unchecked recipients in the state 'checking'; the
-- dispatcher's check loop (src/dispatch/check.c) asks, paced like sends,
-- and at the end sets it 'ready' with a new runner job that reserves and
-- queues. docs/broadcasts.md ("The pre-check"), docs/dispatcher.md.

-- precheck: ask before sending; checked_at: when its pre-check ended (the
-- next job only applies the answers, it never checks again).
ALTER TABLE broadcasts
	ADD COLUMN precheck boolean NOT NULL DEFAULT false,
	ADD COLUMN checked_at timestamptz;
ALTER TABLE broadcasts DROP CONSTRAINT broadcasts_state_check;
ALTER TABLE broadcasts ADD CONSTRAINT broadcasts_state_check
	CHECK (state IN ('draft', 'resolving', 'checking', 'ready', 'sending',
	    'paused', 'done', 'cancelled', 'failed'));
CREATE INDEX broadcasts_checking ON broadcasts (id) WHERE state = 'checking';

-- The cache of the answers, per customer (one customer's checks are
-- never another's): fresh for 30 days from checked_at.
CREATE TABLE number_checks (
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	phone		text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{5,14}$'),
	on_whatsapp	boolean NOT NULL,
	chat_id		text NOT NULL DEFAULT '' CHECK (length(chat_id) <= 100),
	checked_at	timestamptz NOT NULL DEFAULT wa_now(),
	PRIMARY KEY (customer_id, phone)
);

-- The last answer about the contact's number; NULL: never asked.
ALTER TABLE contacts ADD COLUMN on_whatsapp boolean;

-- A recipient to check: check_due is when the check loop may take it
-- (NULL: nothing to ask; a claim moves it past its lease, a failure past
-- its backoff); check_tries the failures so far (5: given up, the
-- recipient stays pending and is sent to).
ALTER TABLE broadcast_recipients
	ADD COLUMN check_due timestamptz,
	ADD COLUMN check_tries integer NOT NULL DEFAULT 0
	    CHECK (check_tries BETWEEN 0 AND 5);
CREATE INDEX broadcast_recipients_check ON broadcast_recipients
	(broadcast_id, instance_id, check_due) WHERE check_due IS NOT NULL;

-- The runner's hook after the resolution of broadcast p_id ('ready'):
-- without precheck, 'ready' (go on). With it, before its pre-check has
-- run, pending recipients without a fresh answer of the customer's cache
-- are marked to check and the broadcast becomes 'checking' (the
-- dispatchers woken): returns 'checking'. Otherwise the pending ones a
-- fresh answer says are not on WhatsApp are skipped ('not on WhatsApp',
-- the counters moved) and 'ready' is returned.
CREATE FUNCTION wa_broadcast_precheck(p_id bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	b	broadcasts;
	v_n	bigint;
BEGIN
	SELECT * INTO b FROM broadcasts WHERE id = p_id FOR NO KEY UPDATE;
	IF NOT FOUND OR b.state <> 'ready' OR NOT b.precheck THEN
		RETURN coalesce(b.state, '');
	END IF;
	IF b.checked_at IS NULL THEN
		UPDATE broadcast_recipients r SET check_due = wa_now(),
		    check_tries = 0
		    WHERE r.broadcast_id = p_id AND r.status = 'pending'
		    AND NOT EXISTS (SELECT 1 FROM number_checks k
		    WHERE k.customer_id = b.customer_id AND k.phone = r.phone
		    AND k.checked_at >= wa_now() - interval '30 days');
		IF FOUND THEN
			UPDATE broadcasts SET state = 'checking' WHERE id = p_id;
			PERFORM pg_notify('waportal_dispatch', '');
			RETURN 'checking';
		END IF;
	END IF;
	WITH s AS (
		UPDATE broadcast_recipients r SET status = 'skipped',
		    reason = 'not on WhatsApp', check_due = NULL
		FROM number_checks k
		WHERE r.broadcast_id = p_id AND r.status = 'pending'
		AND k.customer_id = b.customer_id AND k.phone = r.phone
		AND NOT k.on_whatsapp
		AND k.checked_at >= wa_now() - interval '30 days'
		RETURNING 1)
	SELECT count(*) INTO v_n FROM s;
	UPDATE broadcasts SET recipients = greatest(recipients - v_n, 0),
	    skipped = skipped + v_n, checked_at = coalesce(checked_at, wa_now())
	    WHERE id = p_id;
	RETURN 'ready';
END;
$$;

-- The answer about recipient p_cid of broadcast p_bid, from the check
-- loop: p_exists true or false (p_chat: its chat id), or NULL when the
-- call failed (tried again after p_retry_s doubled per failure, at most
-- an hour; the fifth failure gives up: the recipient is sent to). An
-- answer goes to the customer's cache and the contact; a recipient not
-- on WhatsApp of a broadcast still checking is skipped. With p_gap_ms
-- the instance's next turn is the gap (and jitter) from now. The last
-- check of the broadcast makes it 'ready' with a new runner job (it
-- reserves and queues) and wakes the runners. Returns the broadcast's
-- state after ('' when it is gone).
CREATE FUNCTION wa_number_check_record(p_bid bigint, p_cid bigint,
    p_exists boolean, p_chat text, p_gap_ms integer, p_jitter_ms integer,
    p_retry_s integer) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	b	broadcasts;
	r	broadcast_recipients;
	j	bigint;
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
		    AND b.state = 'checking';
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
	INSERT INTO jobs (customer_id, kind) VALUES (b.customer_id, 'broadcast')
	    RETURNING id INTO j;
	UPDATE broadcasts SET state = 'ready', checked_at = wa_now(), job_id = j
	    WHERE id = p_bid;
	PERFORM pg_notify('waportal_jobs', j::text);
	RETURN 'ready';
END;
$$;

-- Cancel, as before (0028's, kept under another name), and a broadcast
-- that is checking: its pending recipients cancelled ('broadcast
-- cancelled'), nothing left to check (no quota is held yet). True when
-- it changed.
ALTER FUNCTION wa_broadcast_cancel(bigint, bigint)
	RENAME TO wa_broadcast_cancel_unchecked;
CREATE FUNCTION wa_broadcast_cancel(p_customer bigint, p_id bigint)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE broadcasts SET state = 'cancelled', cancelled_at = wa_now(),
	    finished_at = wa_now()
	    WHERE id = p_id AND customer_id = p_customer AND state = 'checking';
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
