-- 0027_broadcasts.sql: broadcasts (issue 14): a message template sent to an
-- audience (lists, segments, tags, all subscribers) from one or several of
-- the customer's numbers. At start the audience is resolved by the runner
-- (a 'broadcast' job, src/runner/broadcast.c) and frozen into
-- broadcast_recipients, each contact once. docs/broadcasts.md explains the
-- rules; docs/design.md lists the tables.

-- At most 1,000 per customer (docs/limits.md; the create path refuses the
-- next). The audience's sources are broadcast_sources; the template's
-- version and body are copied at start (template_body: later edits and
-- deletions of the template change nothing). include_unknown needs the
-- acknowledgement (who and when). resolve_source and resolve_after are the
-- resolution's resume point: the sources before resolve_source are done,
-- and resolve_source's contacts up to id resolve_after.
CREATE TABLE broadcasts (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	state		text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft',
			    'resolving', 'ready', 'sending', 'paused', 'done',
			    'cancelled', 'failed')),
	include_unknown	boolean NOT NULL DEFAULT false,
	unknown_ack_by	bigint REFERENCES users (id) ON DELETE SET NULL,
	unknown_ack_at	timestamptz,
	template_id	bigint REFERENCES templates (id) ON DELETE SET NULL,
	template_version integer CHECK (template_version >= 1),
	template_body	text CHECK (length(template_body) BETWEEN 1 AND 65536),
	-- the sending numbers (the customer's instances; wa_broadcast_check)
	instance_ids	bigint[] NOT NULL DEFAULT '{}'
			    CHECK (cardinality(instance_ids) <= 50),
	recipients	bigint NOT NULL DEFAULT 0 CHECK (recipients >= 0),
	skipped		bigint NOT NULL DEFAULT 0 CHECK (skipped >= 0),
	resolve_source	integer NOT NULL DEFAULT 0 CHECK (resolve_source >= 0),
	resolve_after	bigint NOT NULL DEFAULT 0 CHECK (resolve_after >= 0),
	pause_reason	text NOT NULL DEFAULT '' CHECK (length(pause_reason) <= 300),
	job_id		bigint REFERENCES jobs (id) ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	updated_at	timestamptz NOT NULL DEFAULT wa_now(),
	started_at	timestamptz,
	resolved_at	timestamptz,
	finished_at	timestamptz,
	-- unknown contacts only with a recorded acknowledgement
	CHECK (NOT include_unknown OR unknown_ack_at IS NOT NULL),
	CHECK ((template_version IS NULL) = (template_body IS NULL)),
	-- past the draft: the template's body and a number are fixed
	CHECK (state IN ('draft', 'failed') OR (template_body IS NOT NULL
	    AND cardinality(instance_ids) >= 1))
);
CREATE INDEX broadcasts_customer ON broadcasts (customer_id, id);
CREATE TRIGGER broadcasts_touch BEFORE UPDATE ON broadcasts
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- The audience: its sources in order (pos 0..19). ref_id is the list's or
-- the segment's contact_groups id, the tag's id, NULL for all subscribers;
-- the customer's own (wa_broadcast_source_check below refuses another's).
CREATE TABLE broadcast_sources (
	broadcast_id	bigint NOT NULL REFERENCES broadcasts (id)
			    ON DELETE CASCADE,
	pos		integer NOT NULL CHECK (pos BETWEEN 0 AND 19),
	kind		text NOT NULL CHECK (kind IN ('list', 'segment', 'tag',
			    'subscribers')),
	ref_id		bigint,
	PRIMARY KEY (broadcast_id, pos),
	CHECK ((kind = 'subscribers') = (ref_id IS NULL))
);

-- The frozen audience: one row per contact (duplicates across sources
-- once). status: pending (frozen, not queued yet), queued, sent,
-- delivered, read, failed, cancelled, skipped (with reason); instance_id:
-- the sending number, spread over instance_ids by the contact's id.
CREATE TABLE broadcast_recipients (
	broadcast_id	bigint NOT NULL REFERENCES broadcasts (id)
			    ON DELETE CASCADE,
	contact_id	bigint NOT NULL,
	phone		text NOT NULL,
	instance_id	bigint NOT NULL,
	status		text NOT NULL DEFAULT 'pending' CHECK (status IN
			    ('pending', 'queued', 'sent', 'delivered', 'read',
			    'failed', 'cancelled', 'skipped')),
	reason		text NOT NULL DEFAULT '' CHECK (length(reason) <= 300),
	message_id	bigint,
	PRIMARY KEY (broadcast_id, contact_id)
);
CREATE INDEX broadcast_recipients_contact ON broadcast_recipients
	(contact_id);

ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check
	CHECK (kind IN ('import', 'export', 'bulk', 'broadcast'));

-- A source must be its broadcast's customer's: a list or a segment of
-- contact_groups of that kind, a tag of tags. Raises 'broadcast source
-- not found' (SQLSTATE 23503) otherwise: nothing is stored.
CREATE FUNCTION wa_broadcast_source_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	c	bigint;
BEGIN
	SELECT customer_id INTO c FROM broadcasts WHERE id = NEW.broadcast_id;
	IF NEW.kind = 'subscribers' OR (NEW.kind IN ('list', 'segment') AND
	    EXISTS (SELECT 1 FROM contact_groups g WHERE g.id = NEW.ref_id
	    AND g.customer_id = c AND g.kind = NEW.kind)) OR
	    (NEW.kind = 'tag' AND EXISTS (SELECT 1 FROM tags t
	    WHERE t.id = NEW.ref_id AND t.customer_id = c)) THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'broadcast source not found' USING ERRCODE = '23503';
END;
$$;
CREATE TRIGGER broadcast_sources_check BEFORE INSERT OR UPDATE
	ON broadcast_sources FOR EACH ROW
	EXECUTE FUNCTION wa_broadcast_source_check();

-- The sending numbers and the template must be the broadcast's customer's.
CREATE FUNCTION wa_broadcast_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM unnest(NEW.instance_ids) AS u (id)
	    WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = u.id
	    AND i.customer_id = NEW.customer_id)) OR
	    (NEW.template_id IS NOT NULL AND NOT EXISTS (SELECT 1
	    FROM templates t WHERE t.id = NEW.template_id
	    AND t.customer_id = NEW.customer_id)) THEN
		RAISE EXCEPTION 'broadcast number or template not found'
		    USING ERRCODE = '23503';
	END IF;
	RETURN NEW;
END;
$$;
CREATE TRIGGER broadcasts_check BEFORE INSERT OR UPDATE OF instance_ids,
	template_id, customer_id ON broadcasts
	FOR EACH ROW EXECUTE FUNCTION wa_broadcast_check();

-- Start resolving draft p_id of customer p_customer: the template's
-- current version and body copied, a 'broadcast' job queued and notified.
-- The job's id, or NULL when the broadcast is not the customer's draft
-- or has no template or no number.
CREATE FUNCTION wa_broadcast_start(p_customer bigint, p_id bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	b	broadcasts;
	j	bigint;
BEGIN
	SELECT * INTO b FROM broadcasts WHERE id = p_id
	    AND customer_id = p_customer AND state = 'draft' FOR UPDATE;
	IF NOT FOUND OR b.template_id IS NULL OR
	    cardinality(b.instance_ids) = 0 THEN
		RETURN NULL;
	END IF;
	INSERT INTO jobs (customer_id, kind) VALUES (p_customer, 'broadcast')
	    RETURNING id INTO j;
	UPDATE broadcasts x SET state = 'resolving', job_id = j,
	    started_at = wa_now(), template_version = t.version,
	    template_body = v.body, resolve_source = 0, resolve_after = 0
	FROM templates t JOIN template_versions v ON v.template_id = t.id
	    AND v.version = t.version
	WHERE x.id = p_id AND t.id = b.template_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'broadcast template not found'
		    USING ERRCODE = '23503';
	END IF;
	PERFORM pg_notify('waportal_jobs', j::text);
	RETURN j;
END;
$$;
