-- 0021_contact_groups.sql: contact groups (not WhatsApp groups): lists,
-- whose members are added by hand, by selection, by import and by the API,
-- and segments, a saved filter of the Contacts page resolved when used.
-- A list's member counters (all and by subscription status) are exact and
-- kept in the transaction that changes the membership or a member's
-- status; its joins and leaves per day feed the growth chart.
-- docs/groups.md explains the rules; docs/design.md lists the tables.

CREATE TABLE contact_groups (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	description	text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
	kind		text NOT NULL CHECK (kind IN ('list', 'segment')),
	-- a segment's filter: the Contacts page's canonical query string
	filter		text NOT NULL DEFAULT '' CHECK (length(filter) <= 4096),
	-- a list's members, all and by status (unknown: the rest)
	members		bigint NOT NULL DEFAULT 0 CHECK (members >= 0),
	subscribed	bigint NOT NULL DEFAULT 0 CHECK (subscribed >= 0),
	unsubscribed	bigint NOT NULL DEFAULT 0 CHECK (unsubscribed >= 0),
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	updated_at	timestamptz NOT NULL DEFAULT wa_now(),
	CHECK (kind = 'segment' OR filter = ''),
	CHECK (subscribed + unsubscribed <= members)
);
CREATE UNIQUE INDEX contact_groups_name ON contact_groups
	(customer_id, lower(name));
CREATE INDEX contact_groups_customer ON contact_groups (customer_id, id);
CREATE TRIGGER contact_groups_touch BEFORE UPDATE OF name, description,
	filter ON contact_groups
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- A list's members. status is the contact's, copied here and kept by the
-- contacts' trigger below, so that the counters need no join and the
-- members of a status are one index range. contact_id has no foreign key:
-- every add locks its contacts FOR SHARE (wa_group_add, aud_bulk), which
-- a delete waits for, and a deleted contact's memberships go in its
-- statement's trigger (wa_contacts_group_gone), one statement for a whole
-- batch; the key's check would lock each contact a second time in another
-- mode (a multixact per row; docs/performance.md, "Contact groups").
CREATE TABLE contact_group_members (
	group_id	bigint NOT NULL REFERENCES contact_groups (id)
			    ON DELETE CASCADE,
	contact_id	bigint NOT NULL,
	status		text NOT NULL CHECK (status IN
			    ('subscribed', 'unsubscribed', 'unknown')),
	added_at	timestamptz NOT NULL DEFAULT wa_now(),
	PRIMARY KEY (group_id, contact_id)
);
CREATE INDEX contact_group_members_contact ON contact_group_members
	(contact_id);

-- Joins and leaves of a list per day in the customer's zone (the growth
-- chart: members on a day = members now - the net changes after it), and
-- its members' opt-ins and opt-outs (status moves to subscribed and to
-- unsubscribed) that day: the list's subscription analytics.
CREATE TABLE contact_group_days (
	group_id	bigint NOT NULL REFERENCES contact_groups (id)
			    ON DELETE CASCADE,
	day		date NOT NULL,
	joined		bigint NOT NULL DEFAULT 0 CHECK (joined >= 0),
	left_		bigint NOT NULL DEFAULT 0 CHECK (left_ >= 0),
	opt_ins		bigint NOT NULL DEFAULT 0 CHECK (opt_ins >= 0),
	opt_outs	bigint NOT NULL DEFAULT 0 CHECK (opt_outs >= 0),
	PRIMARY KEY (group_id, day)
);

-- Add (sign 1) or take (-1) the members of rows (group_id, status, n) to
-- their groups' counters and days; one update per group.
CREATE FUNCTION wa_group_count(p_sign integer, p_rows jsonb)
RETURNS void LANGUAGE sql AS $$
	WITH x AS (SELECT (r->>'group_id')::bigint AS group_id,
		sum((r->>'n')::bigint) AS n,
		sum((r->>'n')::bigint) FILTER (WHERE r->>'status' = 'subscribed')
		    AS sub,
		sum((r->>'n')::bigint) FILTER (WHERE r->>'status' = 'unsubscribed')
		    AS unsub
	    FROM jsonb_array_elements(p_rows) r GROUP BY 1),
	u AS (UPDATE contact_groups g SET
		members = g.members + p_sign * x.n,
		subscribed = g.subscribed + p_sign * coalesce(x.sub, 0),
		unsubscribed = g.unsubscribed + p_sign * coalesce(x.unsub, 0)
	    FROM x WHERE g.id = x.group_id RETURNING g.id, g.customer_id, x.n)
	INSERT INTO contact_group_days AS d (group_id, day, joined, left_)
	SELECT u.id, (wa_now() AT TIME ZONE us.time_zone)::date,
	    CASE WHEN p_sign > 0 THEN u.n ELSE 0 END,
	    CASE WHEN p_sign < 0 THEN u.n ELSE 0 END
	FROM u JOIN users us ON us.id = u.customer_id
	ON CONFLICT (group_id, day) DO UPDATE SET
	    joined = d.joined + excluded.joined, left_ = d.left_ + excluded.left_
$$;

CREATE FUNCTION wa_group_members_ins() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wa_group_count(1, (SELECT jsonb_agg(jsonb_build_object(
	    'group_id', group_id, 'status', status, 'n', n))
	    FROM (SELECT group_id, status, count(*) AS n FROM new_rows
		GROUP BY 1, 2) x));
	RETURN NULL;
END;
$$;

CREATE FUNCTION wa_group_members_del() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wa_group_count(-1, (SELECT jsonb_agg(jsonb_build_object(
	    'group_id', group_id, 'status', status, 'n', n))
	    FROM (SELECT group_id, status, count(*) AS n FROM old_rows
		GROUP BY 1, 2) x));
	RETURN NULL;
END;
$$;

-- A member's status moved (the contact's changed): the counters by
-- status move with it, and the day's opt-ins and opt-outs; members stay.
CREATE FUNCTION wa_group_members_upd() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO contact_group_days AS d (group_id, day, opt_ins, opt_outs)
	SELECT x.group_id, (wa_now() AT TIME ZONE us.time_zone)::date,
	    x.ins, x.outs
	FROM (SELECT n.group_id,
		count(*) FILTER (WHERE n.status = 'subscribed') AS ins,
		count(*) FILTER (WHERE n.status = 'unsubscribed') AS outs
	    FROM new_rows n JOIN old_rows o ON o.group_id = n.group_id
		AND o.contact_id = n.contact_id
	    WHERE n.status <> o.status GROUP BY n.group_id) x
	JOIN contact_groups g ON g.id = x.group_id
	JOIN users us ON us.id = g.customer_id
	WHERE x.ins > 0 OR x.outs > 0
	ON CONFLICT (group_id, day) DO UPDATE SET
	    opt_ins = d.opt_ins + excluded.opt_ins,
	    opt_outs = d.opt_outs + excluded.opt_outs;
	UPDATE contact_groups g SET
	    subscribed = g.subscribed + x.sub,
	    unsubscribed = g.unsubscribed + x.unsub
	FROM (SELECT group_id,
		sum(CASE WHEN status = 'subscribed' THEN n ELSE 0 END) AS sub,
		sum(CASE WHEN status = 'unsubscribed' THEN n ELSE 0 END) AS unsub
	    FROM (SELECT group_id, status, 1 AS n FROM new_rows
		UNION ALL SELECT group_id, status, -1 FROM old_rows) y
	    GROUP BY group_id) x
	WHERE g.id = x.group_id AND (x.sub <> 0 OR x.unsub <> 0);
	RETURN NULL;
END;
$$;
CREATE TRIGGER contact_group_members_ins AFTER INSERT
	ON contact_group_members REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_group_members_ins();
CREATE TRIGGER contact_group_members_del AFTER DELETE
	ON contact_group_members REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_group_members_del();
CREATE TRIGGER contact_group_members_upd AFTER UPDATE
	ON contact_group_members
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_group_members_upd();

-- A contact's status changed: its memberships follow. This is sql/0012's
-- update trigger of contacts, written whole again with that step, which
-- runs only when some status changed: every message in or out touches its
-- contact (last_in_at, last_out_at), and a trigger with transition tables
-- takes no column list. The members' UPDATE on every touch cost it 45 %
-- (66 to 99 us); the check costs 4 % (docs/performance.md, "Contact
-- groups"). The UPDATE runs with a snapshot taken after the contacts' row
-- locks, so a member added concurrently (wa_group_add locks the contacts
-- FOR SHARE) is seen.
CREATE OR REPLACE FUNCTION wa_contacts_after_upd() RETURNS trigger
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
	IF EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
	    WHERE n.status <> o.status) THEN
		UPDATE contact_group_members m SET status = n.status
		FROM new_rows n JOIN old_rows o ON o.id = n.id
		WHERE n.status <> o.status AND m.contact_id = n.id
		    AND m.status <> n.status;
	END IF;
	RETURN NULL;
END;
$$;

-- Contacts deleted: their memberships go (the counters follow by the
-- members' trigger), in one statement for the whole delete.
CREATE FUNCTION wa_contacts_group_gone() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM contact_group_members m USING old_rows o
	WHERE m.contact_id = o.id;
	RETURN NULL;
END;
$$;
CREATE TRIGGER contacts_group_gone AFTER DELETE ON contacts
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_contacts_group_gone();

-- Add the customer's contacts p_ids to list p_group: the number added
-- (those already members and ids not the customer's are not). The
-- contacts are locked FOR SHARE so that a status change waits for this
-- transaction or is seen by it: the copied status is never stale.
CREATE FUNCTION wa_group_add(p_customer bigint, p_group bigint,
    p_ids bigint[]) RETURNS bigint LANGUAGE sql AS $$
	WITH g AS (SELECT id FROM contact_groups WHERE id = p_group
		AND customer_id = p_customer AND kind = 'list'),
	c AS (SELECT c.id, c.status FROM contacts c
		WHERE c.customer_id = p_customer AND c.id = ANY (p_ids)
		AND EXISTS (SELECT 1 FROM g)
		ORDER BY c.id FOR SHARE OF c),
	i AS (INSERT INTO contact_group_members (group_id, contact_id, status)
		SELECT p_group, c.id, c.status FROM c ORDER BY c.id
		ON CONFLICT DO NOTHING RETURNING 1)
	SELECT count(*) FROM i
$$;

-- Remove contacts p_ids from the customer's list p_group: the number
-- removed.
CREATE FUNCTION wa_group_remove(p_customer bigint, p_group bigint,
    p_ids bigint[]) RETURNS bigint LANGUAGE sql AS $$
	WITH d AS (DELETE FROM contact_group_members m
		USING contact_groups g
		WHERE g.id = p_group AND g.customer_id = p_customer
		AND m.group_id = g.id AND m.contact_id = ANY (p_ids)
		RETURNING 1)
	SELECT count(*) FROM d
$$;

-- Bulk changes (sql/0017) add to and remove from a list too.
ALTER TABLE bulks DROP CONSTRAINT bulks_action_check;
ALTER TABLE bulks DROP CONSTRAINT bulks_check;
ALTER TABLE bulks ADD COLUMN group_id bigint;
ALTER TABLE bulks ADD CONSTRAINT bulks_action_check CHECK (action IN
	('tag_add', 'tag_remove', 'group_add', 'group_remove', 'subscribed',
	'unsubscribed', 'unknown', 'delete'));
ALTER TABLE bulks ADD CONSTRAINT bulks_check CHECK
	((action IN ('tag_add', 'tag_remove')) = (tag_id IS NOT NULL) AND
	(action IN ('group_add', 'group_remove')) = (group_id IS NOT NULL));
