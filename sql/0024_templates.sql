-- 0024_templates.sql: message templates per customer with immutable
-- versions (each save of a new body is a new version; the template points
-- at its current one), and the template and version each message came
-- from. The grammar and its renderer are src/aud/aud_tpl.c;
-- docs/message-templates.md is the user's page, docs/design.md lists the tables.

-- At most 200 per customer (wa_template_save); the name is unique in any
-- case; version is the current one's number.
CREATE TABLE templates (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	version		integer NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	updated_at	timestamptz NOT NULL DEFAULT wa_now()
);
CREATE UNIQUE INDEX templates_name ON templates (customer_id, lower(name));
CREATE INDEX templates_customer ON templates (customer_id, id);

-- The bodies, never changed once written; the newest 20 of a template are
-- kept (older ones go at the next save: a message keeps the numbers).
CREATE TABLE template_versions (
	template_id	bigint NOT NULL REFERENCES templates (id)
			    ON DELETE CASCADE,
	version		integer NOT NULL CHECK (version >= 1),
	body		text NOT NULL CHECK (length(body) BETWEEN 1 AND 65536),
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	PRIMARY KEY (template_id, version)
);

-- A message made from a template: which one and which version. No foreign
-- key: messages is the busiest table, a template may be deleted and its
-- versions pruned while its messages stay; the numbers are a record.
ALTER TABLE messages
	ADD COLUMN template_id bigint,
	ADD COLUMN template_version integer;
ALTER TABLE messages ADD CONSTRAINT messages_template
	CHECK ((template_id IS NULL) = (template_version IS NULL)) NOT VALID;

-- Save template p_id (NULL: a new one) of customer p_customer with name
-- p_name and body p_body: a new body is a new version, the same body
-- changes the name only. Returns the template, its current version and
-- problem NULL, or problem 'max' (200 templates already), 'dup' (the
-- name is taken) or 'missing' (no such template of the customer).
CREATE FUNCTION wa_template_save(p_customer bigint, p_id bigint,
    p_name text, p_body text)
RETURNS TABLE (tpl_id bigint, tpl_version integer, problem text)
LANGUAGE plpgsql AS $$
DECLARE
	v_id	bigint := p_id;
	v_ver	integer := 1;
	v_body	text;
BEGIN
	IF p_id IS NULL THEN
		-- the count and the insert of one customer, one at a time
		PERFORM pg_advisory_xact_lock(hashtextextended('wa_templates',
		    p_customer));
		IF (SELECT count(*) FROM templates t
		    WHERE t.customer_id = p_customer) >= 200 THEN
			RETURN QUERY SELECT NULL::bigint, NULL::integer, 'max';
			RETURN;
		END IF;
		INSERT INTO templates (customer_id, name)
		    VALUES (p_customer, p_name) RETURNING id INTO v_id;
	ELSE
		SELECT t.version, v.body INTO v_ver, v_body FROM templates t
		    JOIN template_versions v ON v.template_id = t.id
		    AND v.version = t.version
		    WHERE t.id = p_id AND t.customer_id = p_customer
		    FOR UPDATE OF t;
		IF NOT FOUND THEN
			RETURN QUERY SELECT NULL::bigint, NULL::integer,
			    'missing';
			RETURN;
		END IF;
		IF v_body IS DISTINCT FROM p_body THEN
			v_ver := v_ver + 1;
		END IF;
		UPDATE templates t SET name = p_name, version = v_ver,
		    updated_at = wa_now() WHERE t.id = v_id;
		IF v_body IS NOT DISTINCT FROM p_body THEN
			RETURN QUERY SELECT v_id, v_ver, NULL::text;
			RETURN;
		END IF;
	END IF;
	INSERT INTO template_versions (template_id, version, body)
	    VALUES (v_id, v_ver, p_body);
	DELETE FROM template_versions v WHERE v.template_id = v_id
	    AND v.version <= v_ver - 20;
	RETURN QUERY SELECT v_id, v_ver, NULL::text;
EXCEPTION WHEN unique_violation THEN
	RETURN QUERY SELECT NULL::bigint, NULL::integer, 'dup';
END
$$;
