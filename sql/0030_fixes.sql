-- 0030_fixes.sql: issues 13/14's known gaps: an API message inserted with
-- its template and transactional flag in one statement; double opt-in's
-- "resend to all pending" as a runner job ('optin'); a broadcast whose
-- resolution job failed ends 'failed'.

-- 0009_clock.sql's wa_message_insert with what the API records on a
-- message: transactional (the key's scope) and the template and version
-- it was made from (both NULL for a text), in the one INSERT.
CREATE FUNCTION wa_message_insert(p_customer bigint, p_instance bigint,
    p_to text, p_body text, p_send_at timestamptz, p_source text,
    p_transactional boolean, p_tpl bigint, p_tpl_version integer,
    OUT id bigint, OUT status text)
LANGUAGE plpgsql AS $$
BEGIN
	status := CASE WHEN p_send_at > wa_now() THEN 'scheduled' ELSE 'queued' END;
	INSERT INTO messages AS m (customer_id, instance_id, direction, status,
	    source, peer, peer_phone, body, send_at, due_at, transactional,
	    template_id, template_version)
	    VALUES (p_customer, p_instance, 'out', status, p_source, p_to,
	    p_to, p_body, greatest(p_send_at, wa_now()),
	    greatest(p_send_at, wa_now()), coalesce(p_transactional, false),
	    p_tpl, CASE WHEN p_tpl IS NOT NULL THEN p_tpl_version END)
	    RETURNING m.id INTO id;
END;
$$;

-- 0008_api_keys.sql's 202 body, naming the template and its version when
-- the message came from one.
CREATE FUNCTION wa_api_sent_json(p_id bigint, p_status text,
    p_instance bigint, p_to text, p_send_at timestamptz, p_tpl bigint,
    p_tpl_version integer)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT json_strip_nulls(json_build_object('id', p_id, 'status',
	    p_status, 'instance_id', p_instance, 'to', p_to, 'send_at',
	    p_send_at, 'template_id', p_tpl, 'template_version',
	    CASE WHEN p_tpl IS NOT NULL THEN p_tpl_version END))::text
$$;

-- 0018_subscriptions.sql's wa_api_send with the template p_tpl (version
-- p_tpl_version; NULL for a text) the message was rendered from: the
-- message is inserted with it and with its transactional flag in one
-- statement, never marked afterwards.
DROP FUNCTION wa_api_send(bytea, inet, text, bytea, text, bigint, text,
    text, timestamptz);
CREATE FUNCTION wa_api_send(p_hash bytea, p_addr inet, p_idem text,
    p_body_hash bytea, p_invalid text, p_instance bigint, p_to text,
    p_text text, p_send_at timestamptz, p_tpl bigint DEFAULT NULL,
    p_tpl_version integer DEFAULT NULL,
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
		    a.instance, p_to, p_text, coalesce(p_send_at, wa_now()), 'api',
		    a.transactional, p_tpl, p_tpl_version);
		response := wa_api_sent_json(m.id, m.status, a.instance, p_to,
		    coalesce(p_send_at, wa_now()), p_tpl, p_tpl_version);
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

-- 0018_subscriptions.sql's wa_api_send_put with the template p_tpl
-- (version p_tpl_version; NULL for a text): the ticket's customer,
-- instance and transactional flag and the template go into the one
-- INSERT.
DROP FUNCTION wa_api_send_put(text, text, text, timestamptz);
CREATE FUNCTION wa_api_send_put(p_ticket text, p_to text, p_text text,
    p_send_at timestamptz, p_tpl bigint DEFAULT NULL,
    p_tpl_version integer DEFAULT NULL,
    OUT status integer, OUT response text)
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
	    p_to, p_text, v_at, 'api', v[4] = 't', p_tpl, p_tpl_version);
	status := 202;
	response := wa_api_sent_json(m.id, m.status, v[3]::bigint, p_to, v_at,
	    p_tpl, p_tpl_version);
END;
$$;

-- Double opt-in's "resend to all pending" of a list as a runner job
-- ('optin', src/runner/optin.c): the pending members in contact id order,
-- a batch at a time, each batch and its resume point in one transaction.
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check
	CHECK (kind IN ('import', 'export', 'bulk', 'broadcast', 'optin'));

-- A resend job: its list, its resume point (the members up to contact
-- last_id are done) and what it did: members walked, confirmations
-- queued. The list deleted, the row goes and the job ends.
CREATE TABLE optin_resends (
	job_id		bigint PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	group_id	bigint NOT NULL REFERENCES contact_groups (id)
			    ON DELETE CASCADE,
	last_id		bigint NOT NULL DEFAULT 0 CHECK (last_id >= 0),
	walked		bigint NOT NULL DEFAULT 0 CHECK (walked >= 0),
	sent		bigint NOT NULL DEFAULT 0 CHECK (sent >= 0)
);
CREATE INDEX optin_resends_group ON optin_resends (group_id, job_id);

-- Start resending to every pending member of list p_group of p_customer:
-- the job's id (the one already queued or running for this list, if
-- any: one at a time per list), or NULL when the list is not the
-- customer's (or not a list).
CREATE FUNCTION wa_optin_resend_start(p_customer bigint, p_group bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	v_pending	bigint;
	v_job		bigint;
BEGIN
	SELECT g.pending INTO v_pending FROM contact_groups g
	    WHERE g.id = p_group AND g.customer_id = p_customer
	    AND g.kind = 'list' FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT o.job_id INTO v_job FROM optin_resends o
	    JOIN jobs j ON j.id = o.job_id WHERE o.group_id = p_group
	    AND j.state IN ('queued', 'running') ORDER BY o.job_id LIMIT 1;
	IF FOUND THEN
		RETURN v_job;
	END IF;
	INSERT INTO jobs (customer_id, kind, total)
	    VALUES (p_customer, 'optin', greatest(v_pending, 0))
	    RETURNING id INTO v_job;
	INSERT INTO optin_resends (job_id, customer_id, group_id)
	    VALUES (v_job, p_customer, p_group);
	PERFORM pg_notify('waportal_jobs', v_job::text);
	RETURN v_job;
END;
$$;

-- One batch of resend job p_job while p_owner holds it: the next p_limit
-- pending members after the resume point are asked again (wa_optin_ask:
-- never twice in 24 hours, never an unsubscribed contact, within the
-- quota), the resume point moves past them and the job's progress
-- (jobs.done) with it, in the caller's one transaction. Returns the
-- members walked (0: none left), the confirmations queued, and cancel
-- true (nothing done) when the customer asked to cancel; no row when the
-- job is not p_owner's or its list is gone (nothing done).
CREATE FUNCTION wa_optin_resend_step(p_job bigint, p_owner text,
    p_limit integer)
RETURNS TABLE (n_walked integer, n_sent integer, cancel boolean)
LANGUAGE plpgsql AS $$
DECLARE
	o	optin_resends;
	v_ids	bigint[];
BEGIN
	SELECT r.* INTO o FROM optin_resends r
	    JOIN jobs j ON j.id = r.job_id WHERE r.job_id = p_job
	    AND j.lease_owner = p_owner AND j.state = 'running'
	    FOR UPDATE OF r;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	SELECT j.cancel_asked INTO cancel FROM jobs j WHERE j.id = p_job;
	n_walked := 0;
	n_sent := 0;
	IF cancel THEN
		RETURN NEXT;
		RETURN;
	END IF;
	SELECT array_agg(x.contact_id ORDER BY x.contact_id) INTO v_ids
	    FROM (SELECT p.contact_id FROM contact_group_pending p
		WHERE p.group_id = o.group_id AND p.contact_id > o.last_id
		ORDER BY p.contact_id LIMIT p_limit) x;
	n_walked := coalesce(cardinality(v_ids), 0);
	IF n_walked > 0 THEN
		n_sent := wa_optin_ask(o.customer_id, o.group_id, v_ids, true);
		UPDATE optin_resends r SET last_id = v_ids[n_walked],
		    walked = r.walked + n_walked, sent = r.sent + n_sent
		    WHERE r.job_id = p_job;
		UPDATE jobs j SET done = o.walked + n_walked,
		    total = greatest(j.total, o.walked + n_walked)
		    WHERE j.id = p_job;
	END IF;
	RETURN NEXT;
END;
$$;

-- A broadcast whose resolution job the runner gave up on (the job failed
-- after its attempts, wa_job_claim) ends failed with the job's error,
-- instead of staying 'resolving'. (fail_reason is sql/0028's; added here
-- only where that migration has not run.)
ALTER TABLE broadcasts ADD COLUMN IF NOT EXISTS fail_reason text;

CREATE FUNCTION wa_broadcast_job_failed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE broadcasts b SET state = 'failed', finished_at = wa_now(),
	    fail_reason = NEW.error
	    WHERE b.job_id = NEW.id AND b.state = 'resolving';
	RETURN NULL;
END;
$$;

CREATE TRIGGER jobs_broadcast_failed AFTER UPDATE OF state ON jobs
	FOR EACH ROW WHEN (NEW.kind = 'broadcast' AND NEW.state = 'failed'
	    AND OLD.state IS DISTINCT FROM 'failed')
	EXECUTE FUNCTION wa_broadcast_job_failed();
