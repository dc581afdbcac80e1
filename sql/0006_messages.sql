-- 0006_messages.sql: outbound and inbound WhatsApp messages, the monthly
-- quota counter, per-instance pacing state, acks that arrive before the send
-- is recorded, and the functions every way into the queue shares.

-- The customer's time zone: times are shown and scheduled in it.
ALTER TABLE users ADD COLUMN time_zone text NOT NULL DEFAULT 'Asia/Jakarta'
	CHECK (length(time_zone) BETWEEN 1 AND 64);

-- Pacing: the dispatcher may send on an instance from next_send_at on, and
-- counts its sends in a fixed window that restarts an hour after it began.
ALTER TABLE instances
	ADD COLUMN next_send_at timestamptz NOT NULL DEFAULT '-infinity',
	ADD COLUMN hour_started_at timestamptz NOT NULL DEFAULT '-infinity',
	ADD COLUMN hour_sent integer NOT NULL DEFAULT 0;

CREATE TABLE messages (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	-- NULL once the instance is deleted; the history stays
	instance_id	bigint REFERENCES instances (id) ON DELETE SET NULL,
	direction	text NOT NULL CHECK (direction IN ('out', 'in')),
	status		text NOT NULL CHECK (status IN ('queued', 'scheduled',
			    'sending', 'sent', 'delivered', 'read', 'failed',
			    'cancelled', 'received')),
	source		text NOT NULL DEFAULT 'portal' CHECK (source IN
			    ('portal', 'api', 'broadcast', 'gateway')),
	-- out: the recipient in E.164; in: the sender's JID, kept opaque
	peer		text NOT NULL CHECK (length(peer) BETWEEN 1 AND 128),
	-- E.164 of the peer where the JID holds a phone number, else ''
	peer_phone	text NOT NULL DEFAULT '' CHECK (length(peer_phone) <= 16),
	-- WhatsApp's limit is 65536 characters
	body		text NOT NULL CHECK (length(body) <= 65536),
	gateway_id	text CHECK (length(gateway_id) BETWEEN 1 AND 256),
	-- out: when the customer wants it sent; in: the gateway's timestamp
	send_at		timestamptz NOT NULL DEFAULT wa_now(),
	-- out: earliest next attempt (send_at, then pushed back by retries)
	due_at		timestamptz NOT NULL DEFAULT wa_now(),
	attempts	integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	last_error	text NOT NULL DEFAULT '' CHECK (length(last_error) <= 300),
	-- a claim by one dispatcher; an expired lease returns the row
	lease_owner	text CHECK (length(lease_owner) <= 100),
	lease_until	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	sending_at	timestamptz,
	sent_at		timestamptz,
	delivered_at	timestamptz,
	read_at		timestamptz,
	failed_at	timestamptz,
	cancelled_at	timestamptz,
	received_at	timestamptz,
	CHECK ((direction = 'in') = (status = 'received')),
	CHECK (status <> 'sending' OR lease_until IS NOT NULL)
);
-- The portal's lists: one customer's messages by state, newest first.
CREATE INDEX messages_list ON messages (customer_id, status, id);
CREATE INDEX messages_instance ON messages (customer_id, instance_id, id);
-- The dispatcher: due rows per instance, and leases that ran out.
CREATE INDEX messages_due ON messages (instance_id, due_at, id)
	WHERE status IN ('queued', 'scheduled');
CREATE INDEX messages_next_due ON messages (due_at)
	WHERE status IN ('queued', 'scheduled');
CREATE INDEX messages_leased ON messages (lease_until)
	WHERE status = 'sending';
-- Acks and inbound dedup find a message by the gateway's id.
CREATE UNIQUE INDEX messages_gateway ON messages (instance_id, gateway_id)
	WHERE gateway_id IS NOT NULL;

-- Outbound messages accepted per customer and calendar month (in the
-- customer's time zone); a cancelled message gives its place back.
CREATE TABLE message_counts (
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	month		date NOT NULL,
	messages	integer NOT NULL DEFAULT 0 CHECK (messages >= 0),
	PRIMARY KEY (customer_id, month)
);

-- An ack for a gateway id no message carries yet: the gateway acked before
-- the dispatcher recorded the send. wa_dispatch_record applies and deletes it.
CREATE TABLE message_acks_early (
	instance_id	bigint NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	gateway_id	text NOT NULL CHECK (length(gateway_id) BETWEEN 1 AND 256),
	status		text NOT NULL CHECK (status IN ('delivered', 'read', 'failed')),
	at		timestamptz NOT NULL DEFAULT wa_now(),
	PRIMARY KEY (instance_id, gateway_id, status)
);
CREATE INDEX message_acks_early_age ON message_acks_early (at);

-- How far along an outbound message is; acks only ever move it up.
CREATE FUNCTION wa_status_rank(s text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE s WHEN 'queued' THEN 0 WHEN 'scheduled' THEN 0
	    WHEN 'sending' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3
	    WHEN 'read' THEN 4 ELSE 5 END
$$;

-- The first day of the customer's current month in their time zone.
CREATE FUNCTION wa_customer_month(p_customer bigint) RETURNS date
LANGUAGE sql STABLE AS $$
	SELECT date_trunc('month', wa_now() AT TIME ZONE u.time_zone)::date
	FROM users u WHERE u.id = p_customer
$$;

-- Take one place in p_customer's quota of p_max messages for the month
-- p_month (its first day in the customer's time zone). Returns the count
-- after it, or NULL when the month is full (nothing is taken).
CREATE FUNCTION wa_message_quota_take(p_customer bigint, p_month date,
    p_max integer)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_n	integer;
BEGIN
	INSERT INTO message_counts AS c (customer_id, month, messages)
	    SELECT p_customer, p_month, 1 WHERE p_max >= 1
	    ON CONFLICT (customer_id, month) DO UPDATE
	    SET messages = c.messages + 1 WHERE c.messages < p_max
	    RETURNING c.messages INTO v_n;
	RETURN v_n;
END;
$$;

-- Insert one outbound message of p_customer on p_instance, already
-- admitted (package, instance, quota): 'scheduled' when p_send_at is
-- later than now, else 'queued'. Returns its id and status. No NOTIFY:
-- the caller wakes the dispatchers (see wa_message_enqueue).
CREATE FUNCTION wa_message_insert(p_customer bigint, p_instance bigint,
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

-- Accept one outbound message for p_customer on p_instance (theirs).
-- Returns one row: the new id and status ('queued' or 'scheduled'), or a
-- NULL id and the error: 'package_expired' (no active, unexpired package),
-- 'instance_not_found', 'quota_exhausted'. The portal and broadcasts come
-- through here (the API's hot path through wa_api_send_admit and
-- wa_api_send_put, which share wa_message_quota_take and
-- wa_message_insert); every new message wakes the dispatchers, which then
-- know when the next one is due.
CREATE FUNCTION wa_message_enqueue(p_customer bigint, p_instance bigint,
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

-- Cancel one of p_customer's messages while it is queued or scheduled and
-- give its place in the month's quota back. Returns 'cancelled',
-- 'not_found' (no such message of theirs) or 'too_late' (already sending
-- or past it).
CREATE FUNCTION wa_message_cancel(p_customer bigint, p_id bigint)
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

-- An ack from the gateway for message p_gateway_id on p_instance: the
-- status ('delivered', 'read', or 'failed' for an error ack) only moves
-- an outbound message forward, and an error ack fails only a message not
-- yet delivered. An ack for an id no message carries yet is kept in
-- message_acks_early. Returns the number of messages changed (0 or 1).
CREATE FUNCTION wa_message_ack(p_instance bigint, p_gateway_id text,
    p_status text, p_at timestamptz)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_n	integer;
BEGIN
	-- Serialise with wa_dispatch_record for this id: otherwise an ack
	-- and the record of the send, each in an open transaction, miss each
	-- other and the ack is stranded in message_acks_early.
	PERFORM pg_advisory_xact_lock(hashtextextended(p_instance::text ||
	    '/' || p_gateway_id, 0));
	-- Never delivered before our record of the send (a few ms after the
	-- gateway's own clock saw it) nor read before delivered.
	UPDATE messages m SET status = p_status,
	    delivered_at = CASE WHEN p_status IN ('delivered', 'read')
		THEN coalesce(m.delivered_at, greatest(p_at, m.sent_at))
		ELSE m.delivered_at END,
	    read_at = CASE WHEN p_status = 'read' THEN greatest(p_at,
		coalesce(m.delivered_at, greatest(p_at, m.sent_at)))
		ELSE m.read_at END,
	    failed_at = CASE WHEN p_status = 'failed' THEN p_at
		ELSE m.failed_at END,
	    last_error = CASE WHEN p_status = 'failed'
		THEN 'the gateway reported a delivery error' ELSE m.last_error END
	    WHERE m.instance_id = p_instance AND m.gateway_id = p_gateway_id
	    AND m.direction = 'out' AND m.status IN ('sent', 'delivered')
	    AND (CASE WHEN p_status = 'failed' THEN m.status = 'sent'
		ELSE wa_status_rank(m.status) < wa_status_rank(p_status) END);
	GET DIAGNOSTICS v_n = ROW_COUNT;
	IF v_n = 0 AND NOT EXISTS (SELECT 1 FROM messages m
	    WHERE m.instance_id = p_instance AND m.gateway_id = p_gateway_id) THEN
		INSERT INTO message_acks_early (instance_id, gateway_id, status, at)
		    VALUES (p_instance, p_gateway_id, p_status, p_at)
		    ON CONFLICT DO NOTHING;
	END IF;
	RETURN v_n;
END;
$$;

-- Deleting an instance fails what it still had to send; the rows stay.
CREATE FUNCTION wa_instance_gone() RETURNS trigger
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
CREATE TRIGGER instances_gone BEFORE DELETE ON instances
	FOR EACH ROW EXECUTE FUNCTION wa_instance_gone();
