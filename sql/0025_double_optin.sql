-- 0025_double_optin.sql: double opt-in over WhatsApp: a list that requires
-- confirmation keeps a new member pending (not a member: no send reaches
-- it) and asks it once, through the customer's first connected instance,
-- with the customer's text; an opt-in word (YES) confirms every pending
-- membership of the contact at once, subscribes it and logs one consent
-- entry 'double_opt_in'; pending expires after 7 days (the dispatcher's
-- housekeeping). docs/groups.md explains the rules.

-- A list's confirmation rule and its counters of pending memberships and
-- of those that expired unconfirmed (members stays the confirmed ones).
ALTER TABLE contact_groups
	ADD COLUMN confirm boolean NOT NULL DEFAULT false,
	ADD COLUMN pending bigint NOT NULL DEFAULT 0 CHECK (pending >= 0),
	ADD COLUMN expired bigint NOT NULL DEFAULT 0 CHECK (expired >= 0),
	ADD CONSTRAINT contact_groups_confirm_list CHECK
	    (kind = 'list' OR NOT confirm);

-- The confirmation texts per language (empty: the default).
ALTER TABLE subscription_settings
	ADD COLUMN optin_en text NOT NULL DEFAULT ''
	    CHECK (length(optin_en) <= 1000),
	ADD COLUMN optin_id text NOT NULL DEFAULT ''
	    CHECK (length(optin_id) <= 1000);

-- 'optin': a confirmation message; it is paced and counted as any other.
ALTER TABLE messages DROP CONSTRAINT messages_source_check;
ALTER TABLE messages ADD CONSTRAINT messages_source_check CHECK (source IN
	('portal', 'api', 'broadcast', 'gateway', 'keyword', 'optin'));

-- A pending membership of a confirming list. asked_at and message_id:
-- the last confirmation queued for it (NULL: none yet: no connected
-- instance, the month's quota, or an unsubscribed contact, never asked).
-- contact_id has no foreign key, as contact_group_members (sql/0021).
CREATE TABLE contact_group_pending (
	group_id	bigint NOT NULL REFERENCES contact_groups (id)
			    ON DELETE CASCADE,
	contact_id	bigint NOT NULL,
	added_at	timestamptz NOT NULL DEFAULT wa_now(),
	asked_at	timestamptz,
	message_id	bigint,
	sends		integer NOT NULL DEFAULT 0 CHECK (sends >= 0),
	expires_at	timestamptz NOT NULL,
	PRIMARY KEY (group_id, contact_id)
);
CREATE INDEX contact_group_pending_contact ON contact_group_pending
	(contact_id);
CREATE INDEX contact_group_pending_expires ON contact_group_pending
	(expires_at);

-- The pending counter, kept by statement (as sql/0021's members).
CREATE FUNCTION wa_group_pending_count(p_sign integer, p_rows jsonb)
RETURNS void LANGUAGE sql AS $$
	UPDATE contact_groups g SET pending = g.pending + p_sign * x.n
	FROM (SELECT (r->>'group_id')::bigint AS group_id,
		sum((r->>'n')::bigint) AS n
	    FROM jsonb_array_elements(p_rows) r GROUP BY 1) x
	WHERE g.id = x.group_id
$$;
CREATE FUNCTION wa_group_pending_ins() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wa_group_pending_count(1, (SELECT jsonb_agg(jsonb_build_object(
	    'group_id', group_id, 'n', n)) FROM (SELECT group_id, count(*) AS n
	    FROM new_rows GROUP BY 1) x));
	RETURN NULL;
END;
$$;
CREATE FUNCTION wa_group_pending_del() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wa_group_pending_count(-1, (SELECT jsonb_agg(jsonb_build_object(
	    'group_id', group_id, 'n', n)) FROM (SELECT group_id, count(*) AS n
	    FROM old_rows GROUP BY 1) x));
	RETURN NULL;
END;
$$;
CREATE TRIGGER contact_group_pending_ins AFTER INSERT
	ON contact_group_pending REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_group_pending_ins();
CREATE TRIGGER contact_group_pending_del AFTER DELETE
	ON contact_group_pending REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_group_pending_del();

-- Contacts deleted: their pending memberships go too.
CREATE FUNCTION wa_contacts_pending_gone() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM contact_group_pending p USING old_rows o
	WHERE p.contact_id = o.id;
	RETURN NULL;
END;
$$;
CREATE TRIGGER contacts_pending_gone AFTER DELETE ON contacts
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_contacts_pending_gone();

-- The default confirmation text in a language ('en' or 'id').
CREATE FUNCTION wa_optin_default(p_lang text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_lang
	    WHEN 'en' THEN 'You were added to our list "{list}". Reply YES '
		|| 'to confirm that you want our messages.'
	    ELSE 'Anda ditambahkan ke daftar kami "{list}". Balas YES untuk '
		|| 'mengonfirmasi bahwa Anda ingin menerima pesan kami.' END
$$;

-- The confirmation text of customer p_customer in p_lang ('en', 'id') for
-- list p_list: the customer's own text, else the default; {list} is the
-- list's name.
CREATE FUNCTION wa_optin_text(p_customer bigint, p_lang text, p_list text)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT replace(coalesce(nullif(CASE WHEN p_lang = 'en' THEN s.optin_en
	    ELSE s.optin_id END, ''), wa_optin_default(p_lang)), '{list}',
	    p_list)
	FROM (SELECT 1) one LEFT JOIN subscription_settings s
	    ON s.customer_id = p_customer
$$;

-- The instance a customer's confirmations go through: the first
-- connected one (NULL: none).
CREATE FUNCTION wa_optin_instance(p_customer bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT i.id FROM instances i WHERE i.customer_id = p_customer
	    AND i.status = 'connected' ORDER BY i.id LIMIT 1
$$;

-- Queue the confirmation of the pending memberships of contacts p_ids in
-- list p_group of p_customer. A first ask (p_resend false) goes only to
-- those never asked; a resend to those whose contact had no confirmation
-- (of any list) in the last 24 hours, and gives them 7 more days. Never
-- to an unsubscribed contact; only within the month's quota, which each
-- takes; nothing without a connected instance or an active package.
-- A membership locked by another transaction (being confirmed, removed or
-- asked) is skipped, so this never waits on one: a YES or a removal in
-- flight and a resend cannot deadlock. Returns how many were queued.
CREATE FUNCTION wa_optin_ask(p_customer bigint, p_group bigint,
    p_ids bigint[], p_resend boolean) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_inst	bigint := wa_optin_instance(p_customer);
	v_max	integer;
	v_tz	text;
	v_month	date;
	v_room	integer;
	v_n	integer;
	v_en	text;
	v_id	text;
BEGIN
	SELECT p.max_messages_month, u.time_zone INTO v_max, v_tz
	    FROM customer_packages cp JOIN packages p ON p.id = cp.package_id
	    JOIN users u ON u.id = cp.customer_id
	    WHERE cp.customer_id = p_customer AND cp.active
	    AND cp.starts_at <= wa_now() AND cp.expires_at > wa_now();
	IF v_inst IS NULL OR NOT FOUND THEN
		RETURN 0;
	END IF;
	v_month := date_trunc('month', wa_now() AT TIME ZONE v_tz)::date;
	INSERT INTO message_counts (customer_id, month, messages)
	    VALUES (p_customer, v_month, 0) ON CONFLICT DO NOTHING;
	SELECT greatest(v_max - c.messages, 0) INTO v_room FROM message_counts c
	    WHERE c.customer_id = p_customer AND c.month = v_month FOR UPDATE;
	-- the list's two texts, once
	SELECT wa_optin_text(p_customer, 'en', g.name),
	    wa_optin_text(p_customer, 'id', g.name) INTO v_en, v_id
	    FROM contact_groups g WHERE g.id = p_group;
	-- Each candidate takes its message id from the identity's sequence
	-- first, so that the messages and the memberships are written from
	-- the same rows, with no join of the two on the phone (a nested loop
	-- over 100,000 x 100,000 rows).
	WITH cand AS (SELECT p.contact_id, c.phone,
		CASE WHEN c.language ~ '^(en|id)(-|$)' THEN left(c.language, 2)
		ELSE u.language END AS lang
	    FROM contact_group_pending p
	    JOIN contact_groups g ON g.id = p.group_id
	    JOIN contacts c ON c.id = p.contact_id
	    JOIN users u ON u.id = g.customer_id
	    WHERE p.group_id = p_group AND g.customer_id = p_customer
	    AND p.contact_id = ANY (p_ids) AND c.status <> 'unsubscribed'
	    AND CASE WHEN p_resend THEN NOT EXISTS (SELECT 1
		FROM contact_group_pending q WHERE q.contact_id = p.contact_id
		AND q.asked_at > wa_now() - interval '24 hours')
		ELSE p.asked_at IS NULL END
	    ORDER BY p.contact_id LIMIT v_room FOR UPDATE OF p SKIP LOCKED),
	ids AS MATERIALIZED (SELECT cand.*, nextval(pg_get_serial_sequence(
		'messages', 'id')) AS mid FROM cand),
	m AS (INSERT INTO messages (id, customer_id, instance_id, direction,
		status, source, peer, peer_phone, body, send_at, due_at)
	    OVERRIDING SYSTEM VALUE
	    SELECT ids.mid, p_customer, v_inst, 'out', 'queued', 'optin',
		ids.phone, ids.phone, CASE WHEN ids.lang = 'en' THEN v_en
		ELSE v_id END, wa_now(), wa_now()
	    FROM ids ORDER BY ids.contact_id),
	u AS (UPDATE contact_group_pending p SET asked_at = wa_now(),
		message_id = ids.mid, sends = p.sends + 1,
		expires_at = CASE WHEN p_resend THEN wa_now() +
		    interval '7 days' ELSE p.expires_at END
	    FROM ids WHERE p.group_id = p_group
	    AND p.contact_id = ids.contact_id RETURNING 1)
	SELECT count(*) INTO v_n FROM u;
	IF v_n > 0 THEN
		UPDATE message_counts c SET messages = c.messages + v_n
		    WHERE c.customer_id = p_customer AND c.month = v_month;
		PERFORM pg_notify('waportal_dispatch', '');
	END IF;
	RETURN v_n;
END;
$$;

-- sql/0021's wa_group_add: to a list that requires confirmation the
-- contacts (not members yet) are added pending, for 7 days, and asked.
-- Returns the number added (members or pending).
CREATE OR REPLACE FUNCTION wa_group_add(p_customer bigint, p_group bigint,
    p_ids bigint[]) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	v_confirm	boolean;
	v_new		bigint[];
	v_n		bigint;
BEGIN
	SELECT g.confirm INTO v_confirm FROM contact_groups g
	    WHERE g.id = p_group AND g.customer_id = p_customer
	    AND g.kind = 'list';
	IF NOT FOUND THEN
		RETURN 0;
	END IF;
	IF NOT v_confirm THEN
		WITH c AS (SELECT c.id, c.status FROM contacts c
			WHERE c.customer_id = p_customer AND c.id = ANY (p_ids)
			ORDER BY c.id FOR SHARE OF c),
		i AS (INSERT INTO contact_group_members (group_id, contact_id,
			status) SELECT p_group, c.id, c.status FROM c ORDER BY c.id
			ON CONFLICT DO NOTHING RETURNING 1)
		SELECT count(*) INTO v_n FROM i;
		RETURN v_n;
	END IF;
	WITH c AS (SELECT c.id FROM contacts c
		WHERE c.customer_id = p_customer AND c.id = ANY (p_ids)
		AND NOT EXISTS (SELECT 1 FROM contact_group_members m
		    WHERE m.group_id = p_group AND m.contact_id = c.id)
		ORDER BY c.id FOR SHARE OF c),
	i AS (INSERT INTO contact_group_pending (group_id, contact_id,
		expires_at) SELECT p_group, c.id, wa_now() + interval '7 days'
		FROM c ORDER BY c.id ON CONFLICT DO NOTHING
		RETURNING contact_id)
	SELECT array_agg(i.contact_id) INTO v_new FROM i;
	IF v_new IS NULL THEN
		RETURN 0;
	END IF;
	PERFORM wa_optin_ask(p_customer, p_group, v_new, false);
	RETURN cardinality(v_new);
END;
$$;

-- sql/0021's wa_group_remove: pending memberships go too.
CREATE OR REPLACE FUNCTION wa_group_remove(p_customer bigint, p_group bigint,
    p_ids bigint[]) RETURNS bigint LANGUAGE sql AS $$
	WITH d AS (DELETE FROM contact_group_members m
		USING contact_groups g
		WHERE g.id = p_group AND g.customer_id = p_customer
		AND m.group_id = g.id AND m.contact_id = ANY (p_ids)
		RETURNING 1),
	p AS (DELETE FROM contact_group_pending m
		USING contact_groups g
		WHERE g.id = p_group AND g.customer_id = p_customer
		AND m.group_id = g.id AND m.contact_id = ANY (p_ids)
		RETURNING 1)
	SELECT (SELECT count(*) FROM d) + (SELECT count(*) FROM p)
$$;

-- Resend the confirmation to the pending contacts p_ids of list p_group
-- of p_customer (NULL: all its pending): how many were queued (those
-- asked in the last 24 hours, or unsubscribed, are not).
CREATE FUNCTION wa_optin_resend(p_customer bigint, p_group bigint,
    p_ids bigint[]) RETURNS integer LANGUAGE sql AS $$
	SELECT wa_optin_ask(p_customer, p_group, coalesce(p_ids,
	    ARRAY(SELECT p.contact_id FROM contact_group_pending p
	    WHERE p.group_id = p_group)), true)
$$;

-- An opt-in word from p_phone of p_customer (message p_message on
-- instance p_instance): when the contact has pending memberships, they
-- all become members in one step, the contact is subscribed and one
-- consent entry 'double_opt_in' is logged. false: nothing pending.
CREATE FUNCTION wa_optin_confirm(p_customer bigint, p_phone text,
    p_instance bigint, p_message bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	v_id	bigint;
BEGIN
	SELECT c.id INTO v_id FROM contacts c WHERE c.customer_id = p_customer
	    AND c.phone = p_phone FOR UPDATE;
	IF NOT FOUND OR NOT EXISTS (SELECT 1 FROM contact_group_pending p
	    WHERE p.contact_id = v_id) THEN
		RETURN false;
	END IF;
	UPDATE contacts SET status = 'subscribed',
	    consent_source = 'double_opt_in', consent_at = wa_now()
	    WHERE id = v_id;
	INSERT INTO contact_consents (customer_id, contact_id, phone, status,
	    source, instance_id, message_id)
	    VALUES (p_customer, v_id, p_phone, 'subscribed', 'double_opt_in',
	    p_instance, p_message);
	WITH d AS (DELETE FROM contact_group_pending p WHERE p.contact_id = v_id
		RETURNING p.group_id)
	INSERT INTO contact_group_members (group_id, contact_id, status)
	    SELECT d.group_id, v_id, 'subscribed' FROM d ORDER BY d.group_id
	    ON CONFLICT DO NOTHING;
	RETURN true;
END;
$$;

-- Pending memberships past their 7 days go, each counted in its list's
-- expired counter: how many (the dispatcher's housekeeping).
CREATE FUNCTION wa_optin_expire() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_n	bigint;
BEGIN
	WITH d AS (DELETE FROM contact_group_pending
		WHERE expires_at <= wa_now() RETURNING group_id),
	x AS (SELECT group_id, count(*) AS n FROM d GROUP BY 1),
	u AS (UPDATE contact_groups g SET expired = g.expired + x.n FROM x
		WHERE g.id = x.group_id RETURNING x.n)
	SELECT coalesce(sum(u.n), 0) INTO v_n FROM u;
	RETURN v_n;
END;
$$;

-- sql/0018's wa_message_in, where an opt-in word first confirms the
-- sender's pending memberships (wa_optin_confirm: one consent entry
-- 'double_opt_in' instead of 'keyword'); the reply is the opt-in one.
CREATE OR REPLACE FUNCTION wa_message_in(p_host bigint, p_session text,
    p_peer text, p_phone text, p_body text, p_gwid text, p_ts bigint,
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
	ELSIF kind = 'in' THEN
		-- one step at a time: SQL does not promise to stop at the
		-- first false of an AND
		IF NOT wa_optin_confirm(v_cust, p_phone, v_inst, id) THEN
			IF NOT wa_keyword_consent(v_cust, p_phone, 'subscribed',
			    v_inst, id) THEN
				RETURN;
			END IF;
		END IF;
	END IF;
	reply := wa_keyword_reply(v_cust, v_inst, p_peer, p_phone, kind);
END;
$$;
