-- 0012_contacts.sql: the audience: contacts, tags, custom fields, the consent
-- log and the per-customer counters; the background runner's jobs; contact
-- imports (the uploaded file, the staging rows, the rejected rows).
-- docs/contacts.md says why each table looks as it does.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The customer's default country for phone numbers written without their
-- country code (ISO 3166-1 alpha-2, as libphonenumber's regions).
ALTER TABLE users ADD COLUMN country text NOT NULL DEFAULT 'ID'
	CHECK (country ~ '^[A-Z]{2}$');

-- Typed custom fields, at most 100 per customer (wa_contact_counts.fields).
-- A contact's values live in contacts.fields under the field's key.
CREATE TABLE contact_fields (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	key		text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
	label		text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
	kind		text NOT NULL CHECK (kind IN ('text', 'number', 'date',
			    'boolean', 'choice')),
	-- the allowed values of a one-of list, in order
	choices		text[] NOT NULL DEFAULT '{}'
			    CHECK (cardinality(choices) <= 100),
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	UNIQUE (customer_id, key),
	CHECK ((kind = 'choice') = (cardinality(choices) > 0))
);

-- Tags, at most 1,000 per customer; contacts holds their ids.
CREATE TABLE tags (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
	-- one of the palette's names (docs/contacts.md)
	colour		text NOT NULL DEFAULT 'grey' CHECK (colour IN ('grey',
			    'red', 'orange', 'yellow', 'green', 'teal', 'blue',
			    'purple', 'pink')),
	-- contacts carrying it, kept by the contacts' statement triggers
	contacts	bigint NOT NULL DEFAULT 0 CHECK (contacts >= 0),
	created_at	timestamptz NOT NULL DEFAULT wa_now()
);
CREATE UNIQUE INDEX tags_name ON tags (customer_id, lower(name));

CREATE TABLE contacts (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	phone		text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{5,14}$'),
	name		text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
	email		text NOT NULL DEFAULT '' CHECK (length(email) <= 254),
	-- BCP 47 language tag or ''
	language	text NOT NULL DEFAULT ''
			    CHECK (language ~ '^([a-z]{2,3}(-[A-Za-z0-9]{2,8})*)?$'),
	notes		text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
	tags		bigint[] NOT NULL DEFAULT '{}'
			    CHECK (cardinality(tags) <= 1000),
	-- custom field key -> value (string, number or boolean; dates as
	-- 'YYYY-MM-DD' strings)
	fields		jsonb NOT NULL DEFAULT '{}'
			    CHECK (jsonb_typeof(fields) = 'object'),
	status		text NOT NULL DEFAULT 'unknown' CHECK (status IN
			    ('subscribed', 'unsubscribed', 'unknown')),
	-- the last consent change (the log holds them all)
	consent_source	text NOT NULL DEFAULT '' CHECK (consent_source IN ('',
			    'portal', 'api', 'import', 'keyword',
			    'double_opt_in', 'complaint')),
	consent_at	timestamptz,
	last_in_at	timestamptz,
	last_out_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	updated_at	timestamptz NOT NULL DEFAULT wa_now(),
	UNIQUE (customer_id, phone)
);
CREATE TRIGGER contacts_touch BEFORE UPDATE ON contacts
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- What search reads: name, phone and e-mail lower-cased in one string.
CREATE FUNCTION wa_contact_haystack(p_name text, p_phone text, p_email text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT lower(p_name) || ' ' || p_phone || ' ' || lower(p_email)
$$;

-- The list: keyset by id and by name; search, tags, fields and dates.
CREATE INDEX contacts_created ON contacts (customer_id, created_at, id);
CREATE INDEX contacts_name ON contacts (customer_id, lower(name), id);
CREATE INDEX contacts_status ON contacts (customer_id, status, id);
CREATE INDEX contacts_search ON contacts
	USING gin (wa_contact_haystack(name, phone, email) gin_trgm_ops);
CREATE INDEX contacts_tags ON contacts USING gin (tags);
CREATE INDEX contacts_fields ON contacts USING gin (fields jsonb_path_ops);
-- A contact's messages: by the customer and the number.
CREATE INDEX messages_peer ON messages (customer_id, peer_phone, id)
	WHERE peer_phone <> '';

-- Per customer: contacts (all and by status), tags and fields; exact,
-- kept in the transaction that changes them, read in O(1).
CREATE TABLE contact_counts (
	customer_id	bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	total		bigint NOT NULL DEFAULT 0 CHECK (total >= 0),
	subscribed	bigint NOT NULL DEFAULT 0 CHECK (subscribed >= 0),
	unsubscribed	bigint NOT NULL DEFAULT 0 CHECK (unsubscribed >= 0),
	tags		integer NOT NULL DEFAULT 0 CHECK (tags BETWEEN 0 AND 1000),
	fields		integer NOT NULL DEFAULT 0 CHECK (fields BETWEEN 0 AND 100)
);

-- The package's max_contacts of a customer (0 without an active package).
CREATE FUNCTION wa_contact_limit(p_customer bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT p.max_contacts FROM customer_packages cp
	    JOIN packages p ON p.id = cp.package_id
	    WHERE cp.customer_id = p_customer AND cp.active
	    AND cp.expires_at > wa_now()), 0)
$$;

-- Add to one customer's counters (creating the row: the values it is
-- checked with may not be negative) and return them.
CREATE FUNCTION wa_contact_count_add(p_customer bigint, p_total bigint,
    p_sub bigint, p_unsub bigint, p_tags integer, p_fields integer)
RETURNS contact_counts LANGUAGE sql AS $$
	INSERT INTO contact_counts AS c (customer_id, total, subscribed,
	    unsubscribed, tags, fields)
	    VALUES (p_customer, greatest(p_total, 0), greatest(p_sub, 0),
	    greatest(p_unsub, 0), greatest(p_tags, 0), greatest(p_fields, 0))
	ON CONFLICT (customer_id) DO UPDATE SET total = c.total + p_total,
	    subscribed = c.subscribed + p_sub,
	    unsubscribed = c.unsubscribed + p_unsub,
	    tags = c.tags + p_tags, fields = c.fields + p_fields
	RETURNING *
$$;

-- Statement triggers keep contact_counts and tags.contacts from the
-- transition tables: one update per customer and tag whatever the number
-- of rows. Past the package's max_contacts an insert fails with SQLSTATE
-- WA001 and the message 'contact-limit <limit>' (every path checks
-- earlier and says so in its words; this is the rule nothing bypasses).
CREATE FUNCTION wa_contacts_after_ins() RETURNS trigger
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
		IF c.total > wa_contact_limit(d.customer_id) THEN
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

CREATE FUNCTION wa_contacts_after_del() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wa_contact_count_add(d.customer_id, -d.total, -d.sub,
	    -d.unsub, 0, 0)
	FROM (SELECT customer_id, count(*) AS total,
		count(*) FILTER (WHERE status = 'subscribed') AS sub,
		count(*) FILTER (WHERE status = 'unsubscribed') AS unsub
	    FROM old_rows GROUP BY customer_id) d;
	UPDATE tags t SET contacts = t.contacts - x.n
	FROM (SELECT tag, count(*) AS n FROM old_rows, unnest(tags) AS tag
	    GROUP BY tag) x
	WHERE t.id = x.tag;
	RETURN NULL;
END;
$$;

-- An update moves status and tag counts; the phone's customer never
-- changes (no statement updates customer_id).
CREATE FUNCTION wa_contacts_after_upd() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wa_contact_count_add(d.customer_id, 0, d.sub, d.unsub, 0, 0)
	FROM (SELECT customer_id,
		sum(CASE WHEN status = 'subscribed' THEN n ELSE 0 END) AS sub,
		sum(CASE WHEN status = 'unsubscribed' THEN n ELSE 0 END) AS unsub
	    FROM (SELECT customer_id, status, 1 AS n FROM new_rows
		UNION ALL SELECT customer_id, status, -1 FROM old_rows) y
	    GROUP BY customer_id) d
	WHERE d.sub <> 0 OR d.unsub <> 0;
	UPDATE tags t SET contacts = t.contacts + x.n
	FROM (SELECT tag, sum(n) AS n FROM
		(SELECT unnest(tags) AS tag, 1 AS n FROM new_rows
		UNION ALL SELECT unnest(tags), -1 FROM old_rows) y
	    GROUP BY tag HAVING sum(n) <> 0) x
	WHERE t.id = x.tag;
	RETURN NULL;
END;
$$;
CREATE TRIGGER contacts_counted_ins AFTER INSERT ON contacts
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_contacts_after_ins();
CREATE TRIGGER contacts_counted_del AFTER DELETE ON contacts
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_contacts_after_del();
CREATE TRIGGER contacts_counted_upd AFTER UPDATE ON contacts
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_contacts_after_upd();

-- Tags and fields count against their limits the same way.
CREATE FUNCTION wa_contact_defs_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM wa_contact_count_add(NEW.customer_id, 0, 0, 0,
		    CASE TG_TABLE_NAME WHEN 'tags' THEN 1 ELSE 0 END,
		    CASE TG_TABLE_NAME WHEN 'contact_fields' THEN 1 ELSE 0 END);
		RETURN NEW;
	END IF;
	PERFORM wa_contact_count_add(OLD.customer_id, 0, 0, 0,
	    CASE TG_TABLE_NAME WHEN 'tags' THEN -1 ELSE 0 END,
	    CASE TG_TABLE_NAME WHEN 'contact_fields' THEN -1 ELSE 0 END);
	RETURN OLD;
END;
$$;
CREATE TRIGGER tags_counted AFTER INSERT OR DELETE ON tags
	FOR EACH ROW EXECUTE FUNCTION wa_contact_defs_counted();
CREATE TRIGGER contact_fields_counted AFTER INSERT OR DELETE ON contact_fields
	FOR EACH ROW EXECUTE FUNCTION wa_contact_defs_counted();

-- A deleted tag leaves the contacts that carried it.
CREATE FUNCTION wa_tag_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE contacts SET tags = array_remove(tags, OLD.id)
	WHERE customer_id = OLD.customer_id AND tags @> ARRAY[OLD.id];
	RETURN OLD;
END;
$$;
CREATE TRIGGER tags_gone AFTER DELETE ON tags
	FOR EACH ROW EXECUTE FUNCTION wa_tag_gone();

-- The consent log: append-only, every change of a contact's subscription
-- status with its source. The phone stays when the contact is deleted.
CREATE TABLE contact_consents (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	contact_id	bigint REFERENCES contacts (id) ON DELETE SET NULL,
	phone		text NOT NULL,
	status		text NOT NULL CHECK (status IN ('subscribed',
			    'unsubscribed', 'unknown')),
	source		text NOT NULL CHECK (source IN ('portal', 'api',
			    'import', 'keyword', 'double_opt_in', 'complaint')),
	-- what the customer or the file said about it, e.g. "web form"
	note		text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
	instance_id	bigint REFERENCES instances (id) ON DELETE SET NULL,
	message_id	bigint REFERENCES messages (id) ON DELETE SET NULL,
	job_id		bigint,
	at		timestamptz NOT NULL DEFAULT wa_now()
);
CREATE INDEX contact_consents_contact ON contact_consents (contact_id, id);
CREATE INDEX contact_consents_customer ON contact_consents (customer_id, id);
CREATE FUNCTION wa_consent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	-- the only change allowed: the contact's deletion unlinking it
	IF TG_OP = 'UPDATE' AND NEW.contact_id IS NULL AND
	    OLD.contact_id IS NOT NULL AND
	    (NEW.id, NEW.customer_id, NEW.phone, NEW.status, NEW.source,
	    NEW.note, NEW.at) IS NOT DISTINCT FROM (OLD.id, OLD.customer_id,
	    OLD.phone, OLD.status, OLD.source, OLD.note, OLD.at) THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'the consent log is append-only';
END;
$$;
CREATE TRIGGER contact_consents_append_only BEFORE UPDATE ON contact_consents
	FOR EACH ROW EXECUTE FUNCTION wa_consent_append_only();

-- A contact's last message in and out, from the messages as they move.
CREATE FUNCTION wa_message_contact_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.peer_phone = '' THEN
		RETURN NULL;
	END IF;
	IF NEW.direction = 'in' THEN
		UPDATE contacts SET last_in_at = NEW.received_at
		WHERE customer_id = NEW.customer_id AND phone = NEW.peer_phone
		    AND last_in_at IS DISTINCT FROM greatest(last_in_at,
		    NEW.received_at);
	ELSIF NEW.status = 'sent' THEN
		UPDATE contacts SET last_out_at = NEW.sent_at
		WHERE customer_id = NEW.customer_id AND phone = NEW.peer_phone
		    AND last_out_at IS DISTINCT FROM greatest(last_out_at,
		    NEW.sent_at);
	END IF;
	RETURN NULL;
END;
$$;
CREATE TRIGGER messages_contact_in AFTER INSERT ON messages
	FOR EACH ROW WHEN (NEW.direction = 'in')
	EXECUTE FUNCTION wa_message_contact_touch();
CREATE TRIGGER messages_contact_out AFTER UPDATE OF status ON messages
	FOR EACH ROW WHEN (NEW.status = 'sent' AND OLD.status <> 'sent')
	EXECUTE FUNCTION wa_message_contact_touch();

-- The background runner's jobs: claimed with FOR UPDATE SKIP LOCKED and a
-- lease (as the dispatcher claims messages); an expired lease lets another
-- runner take the job over and resume it.
CREATE TABLE jobs (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind		text NOT NULL CHECK (kind IN ('import', 'export')),
	state		text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued',
			    'running', 'done', 'failed', 'cancelled')),
	cancel_asked	boolean NOT NULL DEFAULT false,
	lease_owner	text CHECK (length(lease_owner) <= 100),
	lease_until	timestamptz,
	attempts	integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	-- progress in the job's unit (an import: bytes of the file read)
	done		bigint NOT NULL DEFAULT 0 CHECK (done >= 0),
	total		bigint NOT NULL DEFAULT 0 CHECK (total >= 0),
	-- the phase a page shows: '', 'reading', 'applying', ...
	phase		text NOT NULL DEFAULT '' CHECK (length(phase) <= 32),
	error		text NOT NULL DEFAULT '' CHECK (length(error) <= 300),
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	started_at	timestamptz,
	finished_at	timestamptz,
	CHECK (state <> 'running' OR lease_until IS NOT NULL)
);
CREATE INDEX jobs_customer ON jobs (customer_id, kind, id);
CREATE INDEX jobs_due ON jobs (id) WHERE state IN ('queued', 'running');
-- One import at a time per customer.
CREATE UNIQUE INDEX jobs_one_import ON jobs (customer_id)
	WHERE kind = 'import' AND state IN ('queued', 'running');

-- An import: its options and, once applied, its report. The report
-- reconciles: total = inserted + updated + unchanged + duplicates +
-- rejected.
CREATE TABLE imports (
	job_id		bigint PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	file_name	text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
	file_size	bigint NOT NULL CHECK (file_size BETWEEN 0 AND 52428800),
	-- the file's columns in order, read from its header
	header		text[] NOT NULL DEFAULT '{}',
	-- column index (0-based) for each target: {"phone": 0, "name": 2,
	-- "field:city": 5, ...}
	mapping		jsonb NOT NULL DEFAULT '{}',
	country		text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
	existing	text NOT NULL DEFAULT 'skip' CHECK (existing IN ('skip',
			    'fill', 'overwrite')),
	add_tags	bigint[] NOT NULL DEFAULT '{}',
	-- the file's delimiter, detected (',', ';' or a tab)
	delimiter	text NOT NULL DEFAULT ',' CHECK (delimiter IN (',', ';',
			    E'\t')),
	-- set when the file is stored whole and the job may run
	ready		boolean NOT NULL DEFAULT false,
	-- rows staged by the last complete read (the apply checks it)
	staged		bigint,
	total		bigint NOT NULL DEFAULT 0,
	inserted	bigint NOT NULL DEFAULT 0,
	updated		bigint NOT NULL DEFAULT 0,
	unchanged	bigint NOT NULL DEFAULT 0,
	duplicates	bigint NOT NULL DEFAULT 0,
	rejected	bigint NOT NULL DEFAULT 0,
	CHECK (total = inserted + updated + unchanged + duplicates + rejected)
);

-- The uploaded file, in order, in pieces of at most 1 MiB: any runner on
-- any machine reads it; deleted once the import is over.
CREATE TABLE import_chunks (
	job_id		bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	seq		integer NOT NULL CHECK (seq >= 0),
	data		bytea NOT NULL CHECK (length(data) <= 1048576),
	PRIMARY KEY (job_id, seq)
);

-- The rows of a file as read and normalised, before they are applied;
-- deleted once the import is over. Unlogged: a crash empties it, and
-- imports.staged then no longer matches, so the file is read again.
CREATE UNLOGGED TABLE import_rows (
	job_id		bigint NOT NULL,
	line		bigint NOT NULL,
	phone		text NOT NULL,
	name		text,
	email		text,
	language	text,
	notes		text,
	fields		jsonb,
	status		text,
	consent_note	text,
	PRIMARY KEY (job_id, line)
);

-- Rows refused, with the reason; a CSV of them is downloadable.
CREATE TABLE import_rejects (
	job_id		bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	line		bigint NOT NULL,
	col		text NOT NULL DEFAULT '' CHECK (length(col) <= 255),
	value		text NOT NULL DEFAULT '' CHECK (length(value) <= 1000),
	reason		text NOT NULL CHECK (length(reason) BETWEEN 1 AND 64),
	PRIMARY KEY (job_id, line)
);
