-- 0018_subscriptions.sql: opt-out and opt-in keywords on inbound messages,
-- their confirmation replies, and account-wide suppression of unsubscribed
-- recipients on every send path (the queue form, the API, the dispatcher's
-- claim). docs/subscriptions.md explains the rules; docs/design.md lists
-- the tables.

-- An outbound message sent to an unsubscribed recipient on purpose (an API
-- key with the scope messages:transactional), or a keyword's reply: the
-- suppression lets it through and this records that it did.
ALTER TABLE messages ADD COLUMN transactional boolean NOT NULL DEFAULT false;
-- 'keyword': the confirmation reply to an opt-out, opt-in or help word.
ALTER TABLE messages DROP CONSTRAINT messages_source_check;
ALTER TABLE messages ADD CONSTRAINT messages_source_check CHECK (source IN
	('portal', 'api', 'broadcast', 'gateway', 'keyword'));
-- The replies the dispatcher claims outside the instance's pacing.
CREATE INDEX messages_keyword_due ON messages (due_at)
	WHERE source = 'keyword' AND status IN ('queued', 'scheduled');

ALTER TABLE api_keys DROP CONSTRAINT api_keys_scopes_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scopes_check CHECK (scopes <@
	ARRAY['messages:send', 'messages:read', 'instances:read',
	'contacts:read', 'contacts:write', 'messages:transactional']::text[]);

-- A customer's keyword settings; no row: the defaults. Words are kept
-- upper-cased, letters and digits only; an empty text: the default one.
CREATE TABLE subscription_settings (
	customer_id	bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	-- the customer's own words, besides the built-in ones
	out_words	text[] NOT NULL DEFAULT '{}'
			    CHECK (cardinality(out_words) <= 20),
	in_words	text[] NOT NULL DEFAULT '{}'
			    CHECK (cardinality(in_words) <= 20),
	-- a word anywhere in the text counts, not only the whole text
	contains	boolean NOT NULL DEFAULT false,
	out_reply_en	text NOT NULL DEFAULT '' CHECK (length(out_reply_en) <= 1000),
	out_reply_id	text NOT NULL DEFAULT '' CHECK (length(out_reply_id) <= 1000),
	in_reply_en	text NOT NULL DEFAULT '' CHECK (length(in_reply_en) <= 1000),
	in_reply_id	text NOT NULL DEFAULT '' CHECK (length(in_reply_id) <= 1000),
	help_en		text NOT NULL DEFAULT '' CHECK (length(help_en) <= 1000),
	help_id		text NOT NULL DEFAULT '' CHECK (length(help_id) <= 1000),
	updated_at	timestamptz NOT NULL DEFAULT wa_now(),
	CHECK (array_to_string(out_words || in_words, ' ') ~
	    '^([[:upper:][:digit:]]{1,30}( |$))*$')
);
CREATE TRIGGER subscription_settings_touch BEFORE UPDATE ON subscription_settings
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- The last keyword reply of each kind to a number: at most one a day.
CREATE TABLE keyword_replies (
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	phone		text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{5,14}$'),
	kind		text NOT NULL CHECK (kind IN ('out', 'in', 'help')),
	at		timestamptz NOT NULL,
	PRIMARY KEY (customer_id, phone, kind)
);

-- The built-in words of each kind, upper-cased.
CREATE FUNCTION wa_keywords_builtin(p_kind text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_kind
	    WHEN 'out' THEN ARRAY['STOP', 'UNSUBSCRIBE', 'END', 'QUIT',
		'STOPALL', 'CANCEL', 'OPTOUT', 'REVOKE', 'BERHENTI']
	    WHEN 'in' THEN ARRAY['START', 'YES', 'UNSTOP', 'MULAI']
	    WHEN 'help' THEN ARRAY['HELP', 'INFO', 'BANTUAN'] END
$$;

-- The default reply of a kind in a language ('en' or 'id').
CREATE FUNCTION wa_keyword_default(p_kind text, p_lang text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_kind || '/' || p_lang
	    WHEN 'out/en' THEN 'You are unsubscribed and will get no more '
		|| 'messages from us. Reply START to subscribe again.'
	    WHEN 'out/id' THEN 'Anda telah berhenti berlangganan dan tidak '
		|| 'akan menerima pesan lagi dari kami. Balas MULAI untuk '
		|| 'berlangganan kembali.'
	    WHEN 'in/en' THEN 'You are subscribed again. Reply STOP to '
		|| 'unsubscribe.'
	    WHEN 'in/id' THEN 'Anda kembali berlangganan. Balas BERHENTI '
		|| 'untuk berhenti berlangganan.'
	    WHEN 'help/en' THEN 'Reply STOP to unsubscribe, START to '
		|| 'subscribe again.'
	    ELSE 'Balas BERHENTI untuk berhenti berlangganan, MULAI untuk '
		|| 'berlangganan kembali.' END
$$;

-- Which kind of keyword p_body is with the own words p_out and p_in and
-- contains mode p_contains: 'out', 'in', 'help' or NULL. The trimmed,
-- upper-cased whole text must equal a word; in contains mode a word
-- standing alone anywhere in it counts too (opt-out first, then opt-in,
-- then help). The settings page's preview calls it with the words typed.
CREATE FUNCTION wa_keyword_match(p_out text[], p_in text[],
    p_contains boolean, p_body text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	v_text	text := upper(btrim(p_body, E' \t\r\n\u00a0'));
	v_words	text;
	k	text;
BEGIN
	IF length(v_text) = 0 OR length(v_text) > 4096 THEN
		RETURN NULL;
	END IF;
	FOREACH k IN ARRAY ARRAY['out', 'in', 'help'] LOOP
		IF v_text = ANY (wa_keywords_builtin(k) || CASE k
		    WHEN 'out' THEN coalesce(p_out, '{}')
		    WHEN 'in' THEN coalesce(p_in, '{}')
		    ELSE '{}'::text[] END) THEN
			RETURN k;
		END IF;
	END LOOP;
	IF NOT coalesce(p_contains, false) THEN
		RETURN NULL;
	END IF;
	v_words := ' ' || regexp_replace(v_text, '[^[:alnum:]]+', ' ', 'g')
	    || ' ';
	FOREACH k IN ARRAY ARRAY['out', 'in', 'help'] LOOP
		IF EXISTS (SELECT 1 FROM unnest(wa_keywords_builtin(k) || CASE k
		    WHEN 'out' THEN coalesce(p_out, '{}')
		    WHEN 'in' THEN coalesce(p_in, '{}')
		    ELSE '{}'::text[] END) w
		    WHERE strpos(v_words, ' ' || w || ' ') > 0) THEN
			RETURN k;
		END IF;
	END LOOP;
	RETURN NULL;
END;
$$;

-- wa_keyword_match with customer p_customer's settings.
CREATE FUNCTION wa_keyword_kind(p_customer bigint, p_body text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT wa_keyword_match(s.out_words, s.in_words, s.contains, p_body)
	FROM (SELECT 1) one LEFT JOIN subscription_settings s
	    ON s.customer_id = p_customer
$$;

-- The reply text of kind p_kind for p_phone of p_customer: the contact's
-- language when it is English or Indonesian, else the customer's; the
-- customer's own text, else the default.
CREATE FUNCTION wa_keyword_reply_text(p_customer bigint, p_phone text,
    p_kind text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_lang	text;
	s	subscription_settings;
	v_text	text;
BEGIN
	SELECT CASE WHEN c.language ~ '^(en|id)(-|$)' THEN left(c.language, 2)
	    END INTO v_lang FROM contacts c
	    WHERE c.customer_id = p_customer AND c.phone = p_phone;
	IF v_lang IS NULL THEN
		SELECT u.language INTO v_lang FROM users u WHERE u.id = p_customer;
	END IF;
	SELECT * INTO s FROM subscription_settings
	    WHERE customer_id = p_customer;
	v_text := CASE p_kind || '/' || v_lang
	    WHEN 'out/en' THEN s.out_reply_en WHEN 'out/id' THEN s.out_reply_id
	    WHEN 'in/en' THEN s.in_reply_en WHEN 'in/id' THEN s.in_reply_id
	    WHEN 'help/en' THEN s.help_en ELSE s.help_id END;
	RETURN coalesce(nullif(v_text, ''), wa_keyword_default(p_kind,
	    coalesce(v_lang, 'id')));
END;
$$;

-- Cancel the outbound messages p_ids that still wait (queued or
-- scheduled) and are not transactional: their recipient unsubscribed.
-- Each gives its place in its month's quota back. Returns how many.
CREATE FUNCTION wa_message_suppress(p_ids bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_n	integer;
BEGIN
	WITH c AS (
		UPDATE messages m SET status = 'cancelled',
		    cancelled_at = wa_now(), last_error = 'unsubscribed'
		WHERE m.id = ANY (p_ids) AND m.direction = 'out'
		AND m.status IN ('queued', 'scheduled') AND NOT m.transactional
		RETURNING m.customer_id, m.created_at),
	back AS (
		SELECT c.customer_id, date_trunc('month', c.created_at
		    AT TIME ZONE u.time_zone)::date AS month, count(*) AS n
		FROM c JOIN users u ON u.id = c.customer_id GROUP BY 1, 2),
	upd AS (
		UPDATE message_counts mc SET messages = greatest(mc.messages -
		    back.n, 0)
		FROM back WHERE mc.customer_id = back.customer_id
		AND mc.month = back.month RETURNING 1)
	SELECT coalesce(sum(back.n), 0) INTO v_n FROM back;
	RETURN v_n;
END;
$$;

-- 1 when p_phone is an unsubscribed contact of p_customer.
CREATE FUNCTION wa_recipient_unsubscribed(p_customer bigint, p_phone text)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM contacts c WHERE c.customer_id = p_customer
	    AND c.phone = p_phone AND c.status = 'unsubscribed')
$$;

-- 0012_contacts.sql, except that a contact made unsubscribed by a keyword
-- (the session setting waportal.keyword is 'out') is never refused for
-- the package's limit: a STOP is always recorded.
CREATE OR REPLACE FUNCTION wa_contacts_after_ins() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	d record;
	c contact_counts;
BEGIN
	FOR d IN SELECT customer_id, count(*) AS total,
		count(*) FILTER (WHERE status = 'subscribed') AS sub,
		count(*) FILTER (WHERE status = 'unsubscribed') AS unsub
	    FROM new_rows GROUP BY customer_id
	LOOP
		c := wa_contact_count_add(d.customer_id, d.total, d.sub,
		    d.unsub, 0, 0);
		IF c.total > wa_contact_limit(d.customer_id) AND
		    coalesce(current_setting('waportal.keyword', true), '')
		    <> 'out' THEN
			RAISE EXCEPTION 'contact-limit %',
			    wa_contact_limit(d.customer_id) USING ERRCODE = 'WA001';
		END IF;
	END LOOP;
	UPDATE tags t SET contacts = t.contacts + x.n
	FROM (SELECT tag, count(*) AS n FROM new_rows, unnest(tags) AS tag
	    GROUP BY tag) x
	WHERE t.id = x.tag;
	RETURN NULL;
END;
$$;

-- Set p_phone of p_customer to p_status ('subscribed', 'unsubscribed') on
-- keyword message p_message of instance p_instance: the contact (made
-- when unknown) and one consent log entry. An opt-in past the package's
-- contact limit changes nothing (returns false); an opt-out always holds.
CREATE FUNCTION wa_keyword_consent(p_customer bigint, p_phone text,
    p_status text, p_instance bigint, p_message bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	v_id	bigint;
BEGIN
	PERFORM set_config('waportal.keyword', CASE WHEN p_status =
	    'unsubscribed' THEN 'out' ELSE 'in' END, true);
	BEGIN
		INSERT INTO contacts AS c (customer_id, phone, status,
		    consent_source, consent_at)
		    VALUES (p_customer, p_phone, p_status, 'keyword', wa_now())
		    ON CONFLICT (customer_id, phone) DO UPDATE
		    SET status = p_status, consent_source = 'keyword',
			consent_at = wa_now()
		    RETURNING c.id INTO v_id;
	EXCEPTION WHEN SQLSTATE 'WA001' THEN
		PERFORM set_config('waportal.keyword', '', true);
		RETURN false;
	END;
	PERFORM set_config('waportal.keyword', '', true);
	INSERT INTO contact_consents (customer_id, contact_id, phone, status,
	    source, instance_id, message_id)
	    VALUES (p_customer, v_id, p_phone, p_status, 'keyword', p_instance,
	    p_message);
	RETURN true;
END;
$$;

-- Queue the reply of kind p_kind to p_phone through instance p_instance,
-- unless that number had a reply of that kind in the last 24 hours.
-- Returns its message id, or NULL.
CREATE FUNCTION wa_keyword_reply(p_customer bigint, p_instance bigint,
    p_peer text, p_phone text, p_kind text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_id	bigint;
BEGIN
	INSERT INTO keyword_replies AS k (customer_id, phone, kind, at)
	    VALUES (p_customer, p_phone, p_kind, wa_now())
	    ON CONFLICT (customer_id, phone, kind) DO UPDATE SET at = wa_now()
	    WHERE k.at <= wa_now() - interval '24 hours';
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	INSERT INTO messages AS m (customer_id, instance_id, direction, status,
	    source, peer, peer_phone, body, transactional)
	    VALUES (p_customer, p_instance, 'out', 'queued', 'keyword',
	    p_phone, p_phone, wa_keyword_reply_text(p_customer, p_phone,
	    p_kind), true)
	    RETURNING m.id INTO v_id;
	PERFORM pg_notify('waportal_dispatch', '');
	RETURN v_id;
END;
$$;

-- An inbound message on the instance of host p_host, session p_session,
-- stored once per gateway id p_gwid (a redelivery stores and does
-- nothing), at p_ts (the gateway's unix time; NULL, before 2009 or over a
-- day ahead: now; ahead of ours: cut to now). When its text is a keyword
-- of the customer and the sender has a phone number: an opt-out
-- unsubscribes the number (a contact is made when unknown), logs the
-- consent and cancels what still waits to go to it; an opt-in
-- resubscribes; each kind gets its reply. Returns the message id (NULL
-- when nothing was stored), the keyword's kind and the reply's id.
CREATE FUNCTION wa_message_in(p_host bigint, p_session text, p_peer text,
    p_phone text, p_body text, p_gwid text, p_ts bigint,
    OUT id bigint, OUT kind text, OUT reply bigint)
LANGUAGE plpgsql AS $$
DECLARE
	v_cust	bigint;
	v_inst	bigint;
	v_at	timestamptz;
BEGIN
	SELECT i.customer_id, i.id INTO v_cust, v_inst FROM instances i
	    WHERE i.host_id = p_host AND i.session = p_session;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	v_at := CASE WHEN p_ts BETWEEN 1230768000 AND
	    extract(epoch FROM wa_now())::bigint + 86400
	    THEN least(to_timestamp(p_ts), wa_now()) ELSE wa_now() END;
	INSERT INTO messages AS m (customer_id, instance_id, direction, status,
	    source, peer, peer_phone, body, gateway_id, send_at, received_at)
	    VALUES (v_cust, v_inst, 'in', 'received', 'gateway', p_peer,
	    p_phone, p_body, p_gwid, v_at, v_at)
	    ON CONFLICT (instance_id, gateway_id) WHERE gateway_id IS NOT NULL
	    DO NOTHING RETURNING m.id INTO id;
	IF id IS NULL OR p_phone = '' THEN
		RETURN;
	END IF;
	kind := wa_keyword_kind(v_cust, p_body);
	IF kind IS NULL THEN
		RETURN;
	END IF;
	IF kind = 'out' THEN
		PERFORM wa_keyword_consent(v_cust, p_phone, 'unsubscribed',
		    v_inst, id);
		PERFORM wa_message_suppress(array_agg(m.id)) FROM messages m
		    WHERE m.customer_id = v_cust AND m.peer_phone = p_phone
		    AND m.direction = 'out'
		    AND m.status IN ('queued', 'scheduled');
	ELSIF kind = 'in' AND NOT wa_keyword_consent(v_cust, p_phone,
	    'subscribed', v_inst, id) THEN
		RETURN;
	END IF;
	reply := wa_keyword_reply(v_cust, v_inst, p_peer, p_phone, kind);
END;
$$;

-- 0009_clock.sql's wa_message_enqueue, refusing an unsubscribed recipient
-- with 'recipient_unsubscribed' before any quota is taken.
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
	IF wa_recipient_unsubscribed(p_customer, p_to) THEN
		error := 'recipient_unsubscribed';
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

-- 0009_clock.sql's wa_dispatch_lease: first the messages among p_ids
-- whose recipient is an unsubscribed contact (and that are not
-- transactional) are cancelled with the reason 'unsubscribed'; the rest
-- are leased. A STOP committed before this claim is always seen: its
-- transaction cancelled what waited, and this check holds for what was
-- queued after it.
CREATE OR REPLACE FUNCTION wa_dispatch_lease(p_owner text, p_ids bigint[],
    p_lease_s integer)
RETURNS TABLE (id bigint, instance_id bigint, attempts integer, peer text,
    body text, session text, driver text, base_url text, api_key text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_gone	bigint[];
BEGIN
	SELECT array_agg(m.id) INTO v_gone FROM messages m JOIN contacts c
	    ON c.customer_id = m.customer_id AND c.phone = m.peer_phone
	    WHERE m.id = ANY (p_ids) AND NOT m.transactional
	    AND c.status = 'unsubscribed';
	IF v_gone IS NOT NULL THEN
		PERFORM wa_message_suppress(v_gone);
	END IF;
	RETURN QUERY
	WITH claimed AS (
		UPDATE messages m SET status = 'sending', sending_at = wa_now(),
		    attempts = m.attempts + 1, lease_owner = p_owner,
		    lease_until = wa_now() + make_interval(secs => p_lease_s)
		WHERE m.id = ANY (p_ids) AND m.status IN ('queued', 'scheduled')
		RETURNING m.id, m.instance_id, m.attempts, m.peer, m.body)
	SELECT c.id, c.instance_id, c.attempts, c.peer, c.body, i.session,
	    h.driver, h.base_url, h.api_key
	FROM claimed c JOIN instances i ON i.id = c.instance_id
	JOIN hosts h ON h.id = i.host_id;
END;
$$;

-- 0009_clock.sql's wa_dispatch_claim, with the keyword replies exempt from
-- pacing: with a gap or an hourly cap, the due replies of connected
-- instances are claimed first, outside the instance's turn and not
-- counted in its hour; the gateway's own refusals (429, Retry-After)
-- still hold them back like any message.
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
	v_rep	bigint[];
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
			WHERE m.instance_id = u.iid
			AND m.status IN ('queued', 'scheduled')
			AND m.due_at <= wa_now() AND m.source <> 'keyword'
			ORDER BY m.due_at, m.id
			LIMIT least(v_per, u.room)
			FOR NO KEY UPDATE SKIP LOCKED) c;
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

-- The API's admission (0009_clock.sql's wa_api_admit) with the recipient
-- p_to: an unsubscribed contact of the customer is refused with 409
-- recipient-unsubscribed before any quota is taken, unless the key has
-- the scope messages:transactional (transactional: true).
DROP FUNCTION wa_api_admit(wa_api_auth_result, text, bigint);
CREATE FUNCTION wa_api_admit(auth wa_api_auth_result, p_invalid text,
    p_instance bigint, p_to text DEFAULT NULL, OUT status integer,
    OUT problem text, OUT response text, OUT instance bigint,
    OUT transactional boolean)
LANGUAGE plpgsql AS $$
BEGIN
	transactional := false;
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
	IF wa_recipient_unsubscribed(auth.customer_id, p_to) THEN
		SELECT 'messages:transactional' = ANY (k.scopes)
		    INTO transactional FROM api_keys k WHERE k.id = auth.key_id;
		IF NOT transactional THEN
			status := 409;
			problem := 'recipient-unsubscribed';
			instance := NULL;
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

-- 0009_clock.sql's wa_api_send (with an Idempotency-Key), admitting with
-- the recipient and recording a transactional send on its message.
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
	a	record;
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
	SELECT * INTO a FROM wa_api_admit(auth, p_invalid, p_instance, p_to);
	status := a.status;
	problem := a.problem;
	response := a.response;
	IF status = 202 THEN
		SELECT * INTO m FROM wa_message_insert(auth.customer_id,
		    a.instance, p_to, p_text, coalesce(p_send_at, wa_now()), 'api');
		IF a.transactional THEN
			UPDATE messages SET transactional = true WHERE id = m.id;
		END IF;
		response := wa_api_sent_json(m.id, m.status, a.instance, p_to,
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

-- 0008_api_keys.sql's wa_api_send_admit with the recipient p_to (the
-- hot path's admission; p_to NULL checks no recipient, as before): the
-- ticket left for wa_api_send_put carries whether the send is
-- transactional.
DROP FUNCTION wa_api_send_admit(bytea, inet, text, bigint, text);
CREATE FUNCTION wa_api_send_admit(p_hash bytea, p_addr inet,
    p_invalid text, p_instance bigint, p_ticket text,
    p_to text DEFAULT NULL, OUT auth wa_api_auth_result,
    OUT status integer, OUT problem text, OUT response text)
LANGUAGE plpgsql AS $$
DECLARE
	c_ep	constant text := 'messages.create';
	a	record;
BEGIN
	PERFORM set_config('synchronous_commit', 'off', true);
	auth := wa_api_auth(p_hash, p_addr, 'messages:send', c_ep);
	IF auth.status <> 0 THEN
		status := auth.status;
		problem := auth.problem;
		RETURN;
	END IF;
	SELECT * INTO a FROM wa_api_admit(auth, p_invalid, p_instance, p_to);
	status := a.status;
	problem := a.problem;
	response := a.response;
	IF status = 202 THEN
		PERFORM set_config('waportal.api_send', p_ticket || ' ' ||
		    auth.customer_id || ' ' || a.instance || ' ' ||
		    CASE WHEN a.transactional THEN 't' ELSE 'f' END, false);
	END IF;
	PERFORM wa_api_count(auth.key_id, c_ep, status);
END;
$$;

-- 0009_clock.sql's wa_api_send_put, reading the ticket's fourth part:
-- 't' records the message as transactional.
CREATE OR REPLACE FUNCTION wa_api_send_put(p_ticket text, p_to text, p_text text,
    p_send_at timestamptz, OUT status integer, OUT response text)
LANGUAGE plpgsql AS $$
DECLARE
	v	text[] := string_to_array(current_setting('waportal.api_send',
		    true), ' ');
	v_at	timestamptz := coalesce(p_send_at, wa_now());
	m	record;
BEGIN
	IF v[1] IS DISTINCT FROM p_ticket OR cardinality(v) <> 4 THEN
		RETURN;
	END IF;
	PERFORM set_config('waportal.api_send', p_ticket || ' sent', false);
	SELECT * INTO m FROM wa_message_insert(v[2]::bigint, v[3]::bigint,
	    p_to, p_text, v_at, 'api');
	IF v[4] = 't' THEN
		UPDATE messages SET transactional = true WHERE id = m.id;
	END IF;
	status := 202;
	response := wa_api_sent_json(m.id, m.status, v[3]::bigint, p_to, v_at);
END;
$$;
