-- 0017_exports.sql: contact exports too large for a worker run as runner jobs; their CSV is stored in pieces of 1 MiB until the link expires; 'bulk' jobs (large bulk actions) are allowed.
-- The selection is stored as the Contacts page renders it (the filter's
-- query string, aud_filter_query) with the ticked ids, if any; the runner
-- parses it again as the page does. The file grows in pieces, each stored
-- with the id of the last contact it holds in one transaction, so a runner
-- killed mid-file resumes after the last stored piece; the download is
-- offered only once the job is done. docs/exports.md.

ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check
	CHECK (kind IN ('import', 'export', 'bulk'));

CREATE TABLE exports (
	job_id		bigint PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	-- the filter as aud_filter_query renders it ('' : every contact)
	filter		text NOT NULL DEFAULT '' CHECK (length(filter) <= 4096),
	-- the ticked ids (NULL: all that match the filter)
	ids		bigint[] CHECK (cardinality(ids) BETWEEN 1 AND 100000),
	file_name	text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
	-- the custom fields' keys, columns after the fixed ones, fixed by
	-- the first piece so that a resumed file keeps its columns
	columns		jsonb,
	-- rows and bytes stored so far; last_id: the last contact stored
	rows		bigint NOT NULL DEFAULT 0 CHECK (rows >= 0),
	bytes		bigint NOT NULL DEFAULT 0 CHECK (bytes >= 0),
	last_id		bigint NOT NULL DEFAULT 0 CHECK (last_id >= 0),
	-- set when the file is whole; after it the link answers 410 and
	-- the runner deletes the pieces (expired then true)
	expires_at	timestamptz,
	expired		boolean NOT NULL DEFAULT false
);
CREATE INDEX exports_customer ON exports (customer_id, job_id);
CREATE INDEX exports_expiry ON exports (expires_at) WHERE NOT expired;

-- The file, in order, in pieces of at most 1 MiB.
CREATE TABLE export_chunks (
	job_id		bigint NOT NULL REFERENCES exports (job_id)
			    ON DELETE CASCADE,
	seq		integer NOT NULL CHECK (seq >= 0),
	data		bytea NOT NULL CHECK (length(data) <= 1048576),
	PRIMARY KEY (job_id, seq)
);

-- A job that ended without finishing leaves no piece of its file.
CREATE FUNCTION wa_export_end() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.kind = 'export' AND NEW.state IN ('failed', 'cancelled') THEN
		DELETE FROM export_chunks WHERE job_id = NEW.id;
		UPDATE exports SET rows = 0, bytes = 0, last_id = 0
		WHERE job_id = NEW.id;
	END IF;
	RETURN NULL;
END;
$$;
CREATE TRIGGER jobs_export_end AFTER UPDATE OF state ON jobs
	FOR EACH ROW WHEN (NEW.state IS DISTINCT FROM OLD.state)
	EXECUTE FUNCTION wa_export_end();

-- Store one piece of export p_job run by p_owner: piece p_seq, the rows
-- it adds, the last contact in it and the columns (set by the first).
-- False when the job is no longer the owner's (the piece is not stored).
CREATE FUNCTION wa_export_piece(p_job bigint, p_owner text, p_seq integer,
    p_data bytea, p_rows bigint, p_last bigint, p_columns jsonb)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	PERFORM FROM jobs WHERE id = p_job AND lease_owner = p_owner
	    AND state = 'running' FOR UPDATE;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	INSERT INTO export_chunks (job_id, seq, data)
	VALUES (p_job, p_seq, p_data);
	UPDATE exports SET rows = rows + p_rows, bytes = bytes + length(p_data),
	    last_id = greatest(last_id, p_last),
	    columns = coalesce(columns, p_columns)
	WHERE job_id = p_job;
	RETURN true;
END;
$$;

-- The end of a whole file: done, its link valid for p_ttl_s seconds.
-- False when the job is no longer p_owner's.
CREATE FUNCTION wa_export_done(p_job bigint, p_owner text, p_ttl_s integer)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	v_rows	bigint;
BEGIN
	PERFORM FROM jobs WHERE id = p_job AND lease_owner = p_owner
	    AND state = 'running' FOR UPDATE;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	UPDATE exports SET expires_at = wa_now() + make_interval(secs => p_ttl_s)
	WHERE job_id = p_job RETURNING rows INTO v_rows;
	UPDATE jobs SET done = v_rows, total = v_rows, rows = v_rows
	WHERE id = p_job;
	PERFORM wa_job_end(p_job, 'done', '');
	RETURN true;
END;
$$;

-- A bulk action of the Contacts page over a selection too large for the
-- request (WAPORTAL_BULK_SYNC_MAX): the runner applies it in batches of
-- ids, each batch and last_id (the selection is done up to it) in one
-- transaction, so a resumed job redoes no batch. docs/exports.md.
CREATE TABLE bulks (
	job_id		bigint PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	action		text NOT NULL CHECK (action IN ('tag_add', 'tag_remove',
			    'subscribed', 'unsubscribed', 'unknown', 'delete')),
	-- the tag of tag_add and tag_remove (the customer's, checked by the
	-- statements; a tag deleted meanwhile changes nothing)
	tag_id		bigint,
	filter		text NOT NULL DEFAULT '' CHECK (length(filter) <= 4096),
	ids		bigint[] CHECK (cardinality(ids) BETWEEN 1 AND 100000),
	last_id		bigint NOT NULL DEFAULT 0 CHECK (last_id >= 0),
	-- contacts of the selection walked, and those the action changed
	walked		bigint NOT NULL DEFAULT 0 CHECK (walked >= 0),
	changed		bigint NOT NULL DEFAULT 0 CHECK (changed >= 0),
	CHECK ((action IN ('tag_add', 'tag_remove')) = (tag_id IS NOT NULL))
);
CREATE INDEX bulks_customer ON bulks (customer_id, job_id);
