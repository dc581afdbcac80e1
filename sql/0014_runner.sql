-- 0014_runner.sql: the background runner's claim of a job and the end of one, and the set-based apply of a staged contact import.
-- waportal-runner (src/runner/) claims one job at a time with FOR UPDATE
-- SKIP LOCKED and a lease it renews; a job whose lease ran out (its
-- runner was killed) is claimed again and resumed; after too many
-- attempts it fails with a record. An import reads its file into the
-- unlogged import_rows, then wa_import_apply() applies the rows in the
-- runner's one transaction. docs/runner.md and docs/imports.md say why.

-- The tag names of a row's tags cell, as read; the apply makes them ids.
ALTER TABLE import_rows ADD COLUMN tags text[];

-- The end of a job that will not run again: its state, its error (''),
-- and what it leaves: the staged rows and the file always, the rejects
-- of a read when it did not finish (the report stays at zero).
CREATE FUNCTION wa_job_end(p_job bigint, p_state text, p_error text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	UPDATE jobs SET state = p_state, error = left(p_error, 300), phase = '',
	    lease_owner = NULL, lease_until = NULL, finished_at = wa_now()
	WHERE id = p_job;
	DELETE FROM import_rows WHERE job_id = p_job;
	DELETE FROM import_chunks WHERE job_id = p_job;
	IF p_state <> 'done' THEN
		DELETE FROM import_rejects WHERE job_id = p_job;
	END IF;
END;
$$;

-- Claim the oldest job of the kinds p_kinds that is due: queued (an
-- import once its file is whole), or running with a lease that ran out. A job asked to cancel
-- ends cancelled instead; one claimed p_max_attempts times already ends
-- failed with p_gave_up as its error. The claimed job comes back with
-- its lease (p_lease_s seconds) and its attempt counted; no row: none.
CREATE FUNCTION wa_job_claim(p_owner text, p_lease_s integer,
    p_max_attempts integer, p_gave_up text, p_kinds text[])
RETURNS SETOF jobs LANGUAGE plpgsql AS $$
DECLARE
	j	jobs;
BEGIN
	LOOP
		SELECT * INTO j FROM jobs
		WHERE state IN ('queued', 'running') AND kind = ANY (p_kinds)
		    AND (state = 'queued' OR lease_until < wa_now())
		    AND (kind <> 'import' OR EXISTS (SELECT FROM imports i
			WHERE i.job_id = jobs.id AND i.ready))
		ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED;
		IF NOT FOUND THEN
			RETURN;
		END IF;
		IF j.cancel_asked THEN
			PERFORM wa_job_end(j.id, 'cancelled', '');
		ELSIF j.attempts >= p_max_attempts THEN
			PERFORM wa_job_end(j.id, 'failed', p_gave_up);
		ELSE
			UPDATE jobs SET state = 'running', lease_owner = p_owner,
			    lease_until = wa_now() + make_interval(secs => p_lease_s),
			    attempts = attempts + 1,
			    started_at = coalesce(started_at, wa_now())
			WHERE id = j.id RETURNING * INTO j;
			RETURN NEXT j;
			RETURN;
		END IF;
	END LOOP;
END;
$$;

-- Forget what a read of the file left (a runner killed mid-read, or a
-- crash that emptied the unlogged import_rows): the file is read again.
CREATE FUNCTION wa_import_reset(p_job bigint) RETURNS void
LANGUAGE sql AS $$
	DELETE FROM import_rows WHERE job_id = p_job;
	DELETE FROM import_rejects WHERE job_id = p_job;
	UPDATE imports SET staged = NULL WHERE job_id = p_job;
$$;

-- The union of two sets of tag ids, sorted.
CREATE FUNCTION wa_tag_union(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT coalesce(array_agg(DISTINCT x ORDER BY x), '{}')
	FROM unnest(coalesce(a, '{}') || coalesce(b, '{}')) AS x
$$;

-- The tag ids of the tag names of the rows to write (wa_import_plan),
-- the tags not there yet made while the customer's 1,000 allow it, in
-- the order of the lines that first name them; a row naming a tag that
-- could not be made gets the verdict 'tag-limit'.
CREATE FUNCTION wa_import_tags(p_customer bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	room	integer;
BEGIN
	CREATE TEMP TABLE wa_import_tag (lname text PRIMARY KEY, name text,
	    first_line bigint, id bigint) ON COMMIT DROP;
	INSERT INTO wa_import_tag (lname, name, first_line)
	SELECT DISTINCT ON (lower(t.name)) lower(t.name), t.name, p.line
	FROM wa_import_plan p CROSS JOIN LATERAL unnest(p.tags) AS t (name)
	WHERE p.verdict IS NULL
	ORDER BY lower(t.name), p.line;
	UPDATE wa_import_tag w SET id = t.id FROM tags t
	WHERE t.customer_id = p_customer AND lower(t.name) = w.lname;
	PERFORM wa_contact_count_add(p_customer, 0, 0, 0, 0, 0);
	SELECT 1000 - c.tags INTO room FROM contact_counts c
	WHERE c.customer_id = p_customer FOR UPDATE;
	INSERT INTO tags (customer_id, name)
	SELECT p_customer, w.name FROM wa_import_tag w WHERE w.id IS NULL
	ORDER BY w.first_line, w.lname LIMIT greatest(room, 0)
	ON CONFLICT DO NOTHING;
	UPDATE wa_import_tag w SET id = t.id FROM tags t
	WHERE w.id IS NULL AND t.customer_id = p_customer
	    AND lower(t.name) = w.lname;
	UPDATE wa_import_plan p SET tag_ids = x.ids,
	    verdict = CASE WHEN x.missing THEN 'tag-limit' END
	FROM (SELECT p2.line,
		coalesce(array_agg(DISTINCT w.id ORDER BY w.id)
		    FILTER (WHERE w.id IS NOT NULL), '{}') AS ids,
		bool_or(w.id IS NULL) AS missing
	    FROM wa_import_plan p2 CROSS JOIN LATERAL unnest(p2.tags) AS t (name)
	    JOIN wa_import_tag w ON w.lname = lower(t.name)
	    WHERE p2.verdict IS NULL GROUP BY p2.line) x
	WHERE p.line = x.line;
END;
$$;

-- Insert the rows with the verdict 'insert' as new contacts, with the
-- consent each declares. (plpgsql: wa_import_plan exists only while an
-- import is applied.)
CREATE FUNCTION wa_import_insert(p_job bigint, p_customer bigint,
    p_add bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	WITH ins AS (
		INSERT INTO contacts (customer_id, phone, name, email, language,
		    notes, tags, fields, status, consent_source, consent_at)
		SELECT p_customer, p.phone, coalesce(p.name, ''),
		    coalesce(p.email, ''), coalesce(p.language, ''),
		    coalesce(p.notes, ''),
		    CASE WHEN p.tag_ids IS NULL AND cardinality(p_add) = 0
			THEN '{}' ELSE wa_tag_union(p.tag_ids, p_add) END,
		    coalesce(p.fields, '{}'), coalesce(p.status, 'unknown'),
		    CASE WHEN p.status IS NULL THEN '' ELSE 'import' END,
		    CASE WHEN p.status IS NULL THEN NULL ELSE wa_now() END
		FROM wa_import_plan p WHERE p.verdict = 'insert' ORDER BY p.line
		RETURNING id, phone, status, consent_source)
	INSERT INTO contact_consents (customer_id, contact_id, phone, status,
	    source, note, job_id)
	SELECT p_customer, ins.id, ins.phone, ins.status, 'import',
	    coalesce(p.consent_note, ''), p_job
	FROM ins JOIN wa_import_plan p ON p.phone = ins.phone
	WHERE ins.consent_source = 'import';
END;
$$;

-- Update the existing contacts of the rows still without a verdict:
-- 'fill' gives values to empty fields only (a status only to 'unknown'),
-- 'overwrite' replaces with every value the file has (an empty cell
-- changes nothing); both add the tags. A contact that would not change
-- is 'unchanged'; a changed status is logged as the file's consent.
CREATE FUNCTION wa_import_update(p_job bigint, p_customer bigint,
    p_add bigint[], p_overwrite boolean) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	WITH n AS (
		SELECT p.line, c.id, c.status AS old_status, p.consent_note,
		    CASE WHEN p_overwrite THEN coalesce(p.name, c.name)
			WHEN c.name = '' THEN coalesce(p.name, '')
			ELSE c.name END AS name,
		    CASE WHEN p_overwrite THEN coalesce(p.email, c.email)
			WHEN c.email = '' THEN coalesce(p.email, '')
			ELSE c.email END AS email,
		    CASE WHEN p_overwrite THEN coalesce(p.language, c.language)
			WHEN c.language = '' THEN coalesce(p.language, '')
			ELSE c.language END AS language,
		    CASE WHEN p_overwrite THEN coalesce(p.notes, c.notes)
			WHEN c.notes = '' THEN coalesce(p.notes, '')
			ELSE c.notes END AS notes,
		    CASE WHEN coalesce(p.tag_ids, '{}') || p_add <@ c.tags
			THEN c.tags
			ELSE wa_tag_union(c.tags, wa_tag_union(p.tag_ids, p_add))
			END AS tags,
		    CASE WHEN p_overwrite THEN c.fields || coalesce(p.fields, '{}')
			ELSE coalesce(p.fields, '{}') || c.fields END AS fields,
		    CASE WHEN p.status IS NULL THEN c.status
			WHEN p_overwrite OR c.status = 'unknown' THEN p.status
			ELSE c.status END AS status
		FROM wa_import_plan p JOIN contacts c ON c.id = p.contact_id
		WHERE p.verdict IS NULL
	), upd AS (
		UPDATE contacts c SET name = n.name, email = n.email,
		    language = n.language, notes = n.notes, tags = n.tags,
		    fields = n.fields, status = n.status,
		    consent_source = CASE WHEN n.status <> n.old_status
			THEN 'import' ELSE c.consent_source END,
		    consent_at = CASE WHEN n.status <> n.old_status
			THEN wa_now() ELSE c.consent_at END
		FROM n WHERE c.id = n.id AND (c.name, c.email, c.language,
		    c.notes, c.tags, c.fields, c.status) IS DISTINCT FROM
		    (n.name, n.email, n.language, n.notes, n.tags, n.fields,
		    n.status)
		RETURNING c.id, c.phone, c.status, n.old_status, n.consent_note,
		    n.line
	), cons AS (
		INSERT INTO contact_consents (customer_id, contact_id, phone,
		    status, source, note, job_id)
		SELECT p_customer, upd.id, upd.phone, upd.status, 'import',
		    coalesce(upd.consent_note, ''), p_job
		FROM upd WHERE upd.status <> upd.old_status
	)
	UPDATE wa_import_plan p SET verdict = 'update' FROM upd
	WHERE p.line = upd.line;
END;
$$;

-- Apply a staged import in the caller's transaction: the first line of
-- each phone number (the others are duplicates), existing contacts as
-- imports.existing says, new ones while the package's max_contacts
-- allows (the rest rejected as 'contact-limit', in line order), the
-- report, the job done, the staged rows and the file deleted. The job
-- must be running under p_owner's lease (else SQLSTATE WA002), and the
-- read complete: imports.staged set and its rows in import_rows (else
-- WA003: a crash emptied the unlogged table, the runner reads the file
-- again). work_mem: the plan's sorts and the GIN indexes' pending lists
-- of a large file stay in memory.
CREATE FUNCTION wa_import_apply(p_job bigint, p_owner text)
RETURNS imports LANGUAGE plpgsql SET work_mem = '64MB' AS $$
DECLARE
	j		jobs;
	imp		imports;
	v_staged	bigint;
	v_read_rej	bigint;
	v_firsts	bigint;
	v_room		bigint;
	v_add_ids	bigint[];
	v_phone_col	text;
	v_tags_col	text;
BEGIN
	SELECT * INTO j FROM jobs WHERE id = p_job FOR UPDATE;
	IF NOT FOUND OR j.state <> 'running' OR
	    j.lease_owner IS DISTINCT FROM p_owner THEN
		RAISE EXCEPTION 'job % is not running for %', p_job, p_owner
		    USING ERRCODE = 'WA002';
	END IF;
	SELECT * INTO imp FROM imports WHERE job_id = p_job FOR UPDATE;
	-- A crash empties an unlogged table whole: rows there are all there.
	IF imp.staged IS NULL OR (imp.staged > 0 AND NOT EXISTS (SELECT
	    FROM import_rows WHERE job_id = p_job)) THEN
		RAISE EXCEPTION 'import % staged % rows, none is left',
		    p_job, imp.staged USING ERRCODE = 'WA003';
	END IF;
	v_staged := imp.staged;
	SELECT count(*) INTO v_read_rej FROM import_rejects WHERE job_id = p_job;
	v_phone_col := left(coalesce(imp.header[
	    (imp.mapping->>'phone')::int + 1], 'phone'), 255);
	v_tags_col := left(coalesce(imp.header[
	    (imp.mapping->>'tags')::int + 1], 'tags'), 255);
	SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO v_add_ids FROM tags
	WHERE customer_id = imp.customer_id AND id = ANY (imp.add_tags);
	PERFORM wa_contact_count_add(imp.customer_id, 0, 0, 0, 0, 0);
	SELECT greatest(wa_contact_limit(imp.customer_id) - c.total, 0)
	INTO v_room FROM contact_counts c
	WHERE c.customer_id = imp.customer_id FOR UPDATE;

	-- The plan: the first line of each number, its contact if any, and
	-- its verdict: unchanged (skip), insert or contact-limit (new ones
	-- in line order); without a tags column all in one statement.
	CREATE TEMP TABLE wa_import_plan (line bigint, phone text,
	    name text, email text, language text, notes text, fields jsonb,
	    status text, consent_note text, tags text[], tag_ids bigint[],
	    contact_id bigint, verdict text) ON COMMIT DROP;
	INSERT INTO wa_import_plan (line, phone, name, email, language, notes,
	    fields, status, consent_note, tags, contact_id, verdict)
	SELECT f.*, CASE WHEN f.contact_id IS NOT NULL THEN
		CASE WHEN imp.existing = 'skip' THEN 'unchanged' END
	    WHEN imp.mapping ? 'tags' THEN NULL
	    WHEN row_number() OVER (PARTITION BY f.contact_id IS NULL
		ORDER BY f.line) <= v_room THEN 'insert'
	    ELSE 'contact-limit' END
	FROM (SELECT DISTINCT ON (r.phone) r.line, r.phone, r.name, r.email,
		r.language, r.notes, r.fields, r.status, r.consent_note, r.tags,
		c.id AS contact_id
	    FROM import_rows r LEFT JOIN contacts c
		ON c.customer_id = imp.customer_id AND c.phone = r.phone
	    WHERE r.job_id = p_job ORDER BY r.phone, r.line) f;
	GET DIAGNOSTICS v_firsts = ROW_COUNT;
	ANALYZE wa_import_plan;

	-- With tags: rows naming a tag past the limit are rejected first,
	-- and do not take the room of a new contact.
	IF imp.mapping ? 'tags' THEN
		PERFORM wa_import_tags(imp.customer_id);
		UPDATE wa_import_plan p SET verdict = CASE WHEN x.n <= v_room
		    THEN 'insert' ELSE 'contact-limit' END
		FROM (SELECT line, row_number() OVER (ORDER BY line) AS n
		    FROM wa_import_plan
		    WHERE contact_id IS NULL AND verdict IS NULL) x
		WHERE p.line = x.line;
	END IF;
	PERFORM wa_import_insert(p_job, imp.customer_id, v_add_ids);
	PERFORM wa_import_update(p_job, imp.customer_id, v_add_ids,
	    imp.existing = 'overwrite');
	UPDATE wa_import_plan SET verdict = 'unchanged' WHERE verdict IS NULL;

	INSERT INTO import_rejects (job_id, line, col, value, reason)
	SELECT p_job, p.line,
	    CASE p.verdict WHEN 'contact-limit' THEN v_phone_col
		ELSE v_tags_col END,
	    CASE p.verdict WHEN 'contact-limit' THEN p.phone
		ELSE left(array_to_string(p.tags, ', '), 1000) END,
	    p.verdict
	FROM wa_import_plan p WHERE p.verdict IN ('contact-limit', 'tag-limit');
	UPDATE imports i SET total = v_staged + v_read_rej,
	    inserted = x.inserted, updated = x.updated, unchanged = x.unchanged,
	    duplicates = v_staged - v_firsts, rejected = v_read_rej + x.rejected
	FROM (SELECT count(*) FILTER (WHERE verdict = 'insert') AS inserted,
		count(*) FILTER (WHERE verdict = 'update') AS updated,
		count(*) FILTER (WHERE verdict = 'unchanged') AS unchanged,
		count(*) FILTER (WHERE verdict IN ('contact-limit',
		    'tag-limit')) AS rejected
	    FROM wa_import_plan) x
	WHERE i.job_id = p_job RETURNING i.* INTO imp;
	-- jobs.rows: sql/0016_import_draft.sql (the rows a page shows read)
	UPDATE jobs SET done = total, rows = v_staged + v_read_rej
	WHERE id = p_job;
	PERFORM wa_job_end(p_job, 'done', '');
	DROP TABLE wa_import_plan;
	DROP TABLE IF EXISTS wa_import_tag;
	RETURN imp;
END;
$$;
