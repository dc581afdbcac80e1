-- 0016_import_draft.sql: an uploaded import waits as a draft (state 'draft',
-- never claimed) while the customer maps its columns; starting, cancelling
-- and discarding it are one function each, so the pages and the API share
-- the rules. docs/imports.md.

ALTER TABLE jobs DROP CONSTRAINT jobs_state_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_state_check CHECK (state IN ('draft',
	'queued', 'running', 'done', 'failed', 'cancelled'));
-- Rows of the file read so far (progress shown with jobs.done in bytes).
ALTER TABLE jobs ADD COLUMN rows bigint NOT NULL DEFAULT 0 CHECK (rows >= 0);

-- Start a draft import of the customer: 'started'; 'busy' while another
-- import of theirs is queued or running; 'no_phone' when no column is
-- mapped to the phone; 'not_draft' when it already started; 'not_found'
-- when it is not theirs.
CREATE FUNCTION wa_import_start(p_customer bigint, p_job bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_state text;
	v_mapping jsonb;
BEGIN
	SELECT j.state, i.mapping INTO v_state, v_mapping
	FROM jobs j JOIN imports i ON i.job_id = j.id
	WHERE j.id = p_job AND j.customer_id = p_customer AND j.kind = 'import'
	FOR UPDATE OF j;
	IF NOT FOUND THEN
		RETURN 'not_found';
	ELSIF v_state <> 'draft' THEN
		RETURN 'not_draft';
	ELSIF NOT v_mapping ? 'phone' THEN
		RETURN 'no_phone';
	END IF;
	BEGIN
		UPDATE jobs SET state = 'queued', done = 0, rows = 0,
		    total = (SELECT file_size FROM imports WHERE job_id = p_job)
		WHERE id = p_job;
	EXCEPTION WHEN unique_violation THEN
		RETURN 'busy';
	END;
	UPDATE imports SET ready = true WHERE job_id = p_job;
	PERFORM pg_notify('waportal_jobs', p_job::text);
	RETURN 'started';
END;
$$;

-- Cancel a job of the customer: a draft is discarded ('discarded'), a
-- queued one cancelled at once ('cancelled'), a running one asked to stop
-- ('asked': the runner stops before applying anything, or finishes if it
-- already applied); 'over' when it has ended; 'not_found' when not theirs.
CREATE FUNCTION wa_job_cancel(p_customer bigint, p_job bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_state text;
BEGIN
	SELECT state INTO v_state FROM jobs
	WHERE id = p_job AND customer_id = p_customer FOR UPDATE;
	IF NOT FOUND THEN
		RETURN 'not_found';
	ELSIF v_state = 'draft' THEN
		DELETE FROM jobs WHERE id = p_job;
		RETURN 'discarded';
	ELSIF v_state = 'queued' THEN
		UPDATE jobs SET state = 'cancelled', finished_at = wa_now()
		WHERE id = p_job;
		DELETE FROM import_chunks WHERE job_id = p_job;
		RETURN 'cancelled';
	ELSIF v_state = 'running' THEN
		UPDATE jobs SET cancel_asked = true WHERE id = p_job;
		PERFORM pg_notify('waportal_jobs', p_job::text);
		RETURN 'asked';
	END IF;
	RETURN 'over';
END;
$$;
