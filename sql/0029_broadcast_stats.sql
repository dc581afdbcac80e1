-- 0029_broadcast_stats.sql: a broadcast's statistics and brakes (issue
-- 14): its counters (sent, delivered, read, failed, cancelled, replied,
-- opted out) kept exact by triggers as its messages move, the hourly
-- timeline per number (broadcast_hours), the end of sending ('done'), and
-- the brakes that pause it (failures, opt-outs, the gateway's rate
-- limit, a number disconnected) with the customer's thresholds.
-- docs/broadcasts.md, "Statistics and brakes", explains the rules.

-- The counters (never a count(*) when read): sent, delivered and read
-- count the messages that reached that stage (sent_at, delivered_at,
-- read_at set), failed and cancelled the messages in that status now;
-- replied and opted_out the recipients (once each). outcomes: messages
-- with a final status (sent, delivered, read, failed, cancelled), for
-- the end of sending. brake_window: the last send outcomes, oldest
-- first ('0' sent, '1' failed; at most 1,000); rate_limited: the
-- gateway's rate-limit answers (429, rate-overlimit) since the last send.
-- No CHECK on them: a counter must never stop the dispatcher.
ALTER TABLE broadcasts
	ADD COLUMN sent bigint NOT NULL DEFAULT 0,
	ADD COLUMN delivered bigint NOT NULL DEFAULT 0,
	ADD COLUMN read bigint NOT NULL DEFAULT 0,
	ADD COLUMN failed bigint NOT NULL DEFAULT 0,
	ADD COLUMN cancelled bigint NOT NULL DEFAULT 0,
	ADD COLUMN replied bigint NOT NULL DEFAULT 0,
	ADD COLUMN opted_out bigint NOT NULL DEFAULT 0,
	ADD COLUMN outcomes bigint NOT NULL DEFAULT 0,
	ADD COLUMN brake_window text NOT NULL DEFAULT '',
	ADD COLUMN rate_limited integer NOT NULL DEFAULT 0;

-- A recipient's reply and opt-out, each counted once (replied,
-- opted_out of its broadcast).
ALTER TABLE broadcast_recipients
	ADD COLUMN replied_at timestamptz,
	ADD COLUMN opted_out_at timestamptz;

-- The timeline and the per-number breakdown: the events of each UTC hour
-- per sending number (the hour of sent_at, delivered_at, read_at,
-- failed_at). instance_id has no foreign key: a deleted number's rows stay.
CREATE TABLE broadcast_hours (
	broadcast_id	bigint NOT NULL REFERENCES broadcasts (id)
			    ON DELETE CASCADE,
	hour		timestamptz NOT NULL,
	instance_id	bigint NOT NULL,
	sent		bigint NOT NULL DEFAULT 0,
	delivered	bigint NOT NULL DEFAULT 0,
	read		bigint NOT NULL DEFAULT 0,
	failed		bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (broadcast_id, hour, instance_id)
);

-- A customer's brakes; no row: the defaults. A percentage or a count of
-- 0 turns that brake off. fail_pct of the last fail_window send
-- outcomes (judged from 20 on), optout_pct of the sent (judged from 100
-- sent on), complaint_pct (kept for the complaints, not judged yet),
-- rate_limited answers in a row.
CREATE TABLE broadcast_brakes (
	customer_id	bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	fail_pct	numeric(5,2) NOT NULL DEFAULT 10
			    CHECK (fail_pct BETWEEN 0 AND 100),
	fail_window	integer NOT NULL DEFAULT 200
			    CHECK (fail_window BETWEEN 20 AND 1000),
	optout_pct	numeric(5,2) NOT NULL DEFAULT 2
			    CHECK (optout_pct BETWEEN 0 AND 100),
	complaint_pct	numeric(5,2) NOT NULL DEFAULT 0.3
			    CHECK (complaint_pct BETWEEN 0 AND 100),
	rate_limited	integer NOT NULL DEFAULT 5
			    CHECK (rate_limited BETWEEN 0 AND 1000),
	updated_at	timestamptz NOT NULL DEFAULT wa_now()
);
CREATE TRIGGER broadcast_brakes_touch BEFORE UPDATE ON broadcast_brakes
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Customer p_customer's brakes, the defaults without a row.
CREATE FUNCTION wa_broadcast_brakes(p_customer bigint)
RETURNS broadcast_brakes LANGUAGE sql STABLE AS $$
	SELECT coalesce(b.customer_id, p_customer),
	    coalesce(b.fail_pct, 10), coalesce(b.fail_window, 200),
	    coalesce(b.optout_pct, 2), coalesce(b.complaint_pct, 0.3),
	    coalesce(b.rate_limited, 5), b.updated_at
	FROM (SELECT 1) one LEFT JOIN broadcast_brakes b
	    ON b.customer_id = p_customer
$$;

-- A percentage as the reasons write it: 11.5, 10, 0.3.
CREATE FUNCTION wa_pct_text(p numeric) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT trim_scale(round(p, 1))::text
$$;

-- Why a broadcast with send window p_window ('0' sent, '1' failed),
-- p_limited rate-limit answers in a row, p_sent sent and p_out opted out
-- must pause under brakes k, or NULL.
CREATE FUNCTION wa_broadcast_brake_reason(k broadcast_brakes,
    p_window text, p_limited integer, p_sent bigint, p_out bigint)
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	w	text := right(p_window, k.fail_window);
	n	integer := length(w);
	f	integer := n - length(replace(w, '1', ''));
BEGIN
	IF k.fail_pct > 0 AND n >= 20 AND f * 100.0 >= k.fail_pct * n THEN
		RETURN 'Paused: ' || f || ' of the last ' || n ||
		    ' sends failed (' || wa_pct_text(f * 100.0 / n) ||
		    ' %, limit ' || wa_pct_text(k.fail_pct) || ' %)';
	END IF;
	IF k.rate_limited > 0 AND p_limited >= k.rate_limited THEN
		RETURN 'Paused: the gateway refused ' || p_limited ||
		    ' sends in a row as too many (rate limit, limit ' ||
		    k.rate_limited || ')';
	END IF;
	IF k.optout_pct > 0 AND p_sent >= 100 AND
	    p_out * 100.0 >= k.optout_pct * p_sent THEN
		RETURN 'Paused: ' || p_out || ' of ' || p_sent ||
		    ' recipients opted out (' ||
		    wa_pct_text(p_out * 100.0 / p_sent) || ' %, limit ' ||
		    wa_pct_text(k.optout_pct) || ' %)';
	END IF;
	RETURN NULL;
END;
$$;

-- Pause the sending broadcasts among p_ids that a brake stops, with the
-- brake's reason. Returns how many paused.
CREATE FUNCTION wa_broadcast_brake(p_ids bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	b	record;
	v_n	integer := 0;
BEGIN
	FOR b IN SELECT x.id, x.customer_id, wa_broadcast_brake_reason(
	    wa_broadcast_brakes(x.customer_id), x.brake_window,
	    x.rate_limited, x.sent, x.opted_out) AS why
	    FROM broadcasts x WHERE x.id = ANY (p_ids) AND x.state = 'sending'
	    ORDER BY x.id LOOP
		IF b.why IS NOT NULL AND
		    wa_broadcast_pause(b.customer_id, b.id, b.why) THEN
			v_n := v_n + 1;
		END IF;
	END LOOP;
	RETURN v_n;
END;
$$;

-- The counters of one UPDATE statement on messages: the rows of
-- broadcasts whose status or stage changed, per broadcast, then the
-- hours, then the brakes. A statement without a broadcast's row (most of
-- them) costs one pass over its new rows. The broadcasts are locked in
-- id order (two dispatchers never wait for each other in a cycle).
CREATE FUNCTION wa_broadcast_outcomes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v_ids	bigint[];
BEGIN
	SELECT array_agg(DISTINCT n.broadcast_id) INTO v_ids FROM new_rows n
	    WHERE n.broadcast_id IS NOT NULL;
	IF v_ids IS NULL THEN
		RETURN NULL;
	END IF;
	PERFORM 1 FROM broadcasts b WHERE b.id = ANY (v_ids)
	    ORDER BY b.id FOR NO KEY UPDATE;
	WITH c AS (
		SELECT n.broadcast_id AS bid, n.id, n.instance_id AS iid,
		    n.sent_at, n.delivered_at, n.read_at, n.failed_at,
		    o.sent_at IS NULL AND n.sent_at IS NOT NULL AS s,
		    o.delivered_at IS NULL AND n.delivered_at IS NOT NULL AS d,
		    o.read_at IS NULL AND n.read_at IS NOT NULL AS r,
		    (n.status = 'failed')::int - (o.status = 'failed')::int AS f,
		    (n.status = 'cancelled')::int -
			(o.status = 'cancelled')::int AS x,
		    (n.status IN ('sent', 'delivered', 'read', 'failed',
			'cancelled'))::int - (o.status IN ('sent', 'delivered',
			'read', 'failed', 'cancelled'))::int AS fin,
		    CASE WHEN o.status = 'sending' AND n.status = 'sent'
			THEN '0' WHEN o.status = 'sending' AND
			n.status = 'failed' THEN '1' END AS bit,
		    o.status = 'sending' AND (n.status = 'failed' OR
			(n.status = 'queued' AND n.due_at <> o.due_at)) AND
			n.last_error ~ '(HTTP 429|rate-overlimit)' AS lim
		FROM new_rows n JOIN old_rows o ON o.id = n.id
		WHERE n.broadcast_id IS NOT NULL AND (n.status <> o.status OR
		    n.delivered_at IS DISTINCT FROM o.delivered_at OR
		    n.read_at IS DISTINCT FROM o.read_at)),
	hours AS (
		INSERT INTO broadcast_hours AS h (broadcast_id, hour,
		    instance_id, sent, delivered, read, failed)
		SELECT e.bid, date_trunc('hour', e.at, 'UTC'), e.iid,
		    sum(e.s), sum(e.d), sum(e.r), sum(e.f)
		FROM (SELECT bid, iid, sent_at AS at, 1 AS s, 0 AS d, 0 AS r,
			0 AS f FROM c WHERE s
		    UNION ALL SELECT bid, iid, delivered_at, 0, 1, 0, 0
			FROM c WHERE d
		    UNION ALL SELECT bid, iid, read_at, 0, 0, 1, 0 FROM c WHERE r
		    UNION ALL SELECT bid, iid, coalesce(failed_at, wa_now()),
			0, 0, 0, 1 FROM c WHERE f > 0) e
		GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
		ON CONFLICT (broadcast_id, hour, instance_id) DO UPDATE SET
		    sent = h.sent + excluded.sent,
		    delivered = h.delivered + excluded.delivered,
		    read = h.read + excluded.read,
		    failed = h.failed + excluded.failed
		RETURNING 1),
	k AS (
		SELECT bid, count(*) FILTER (WHERE s) AS s,
		    count(*) FILTER (WHERE d) AS d,
		    count(*) FILTER (WHERE r) AS r, sum(f) AS f, sum(x) AS x,
		    sum(fin) AS fin,
		    coalesce(string_agg(bit, '' ORDER BY id), '') AS bits,
		    max(id) FILTER (WHERE bit = '0') AS ok_id
		FROM c GROUP BY bid),
	l AS (
		SELECT k.bid, count(c.id) FILTER (WHERE c.lim AND
		    c.id > coalesce(k.ok_id, 0)) AS lim
		FROM k LEFT JOIN c ON c.bid = k.bid GROUP BY k.bid)
	UPDATE broadcasts b SET sent = b.sent + k.s,
	    delivered = b.delivered + k.d, read = b.read + k.r,
	    failed = b.failed + k.f, cancelled = b.cancelled + k.x,
	    outcomes = b.outcomes + k.fin,
	    brake_window = right(b.brake_window || k.bits, 1000),
	    rate_limited = CASE WHEN k.ok_id IS NULL
		THEN b.rate_limited + l.lim ELSE l.lim END
	FROM k JOIN l ON l.bid = k.bid
	WHERE b.id = k.bid;
	PERFORM wa_broadcast_brake(v_ids);
	RETURN NULL;
END;
$$;
CREATE TRIGGER messages_broadcast_outcomes AFTER UPDATE ON messages
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_broadcast_outcomes();

-- An inbound message (not an opt-out word: that is an opt-out) from a
-- contact sent a broadcast's message in the 7 days before it: a reply
-- to the latest such broadcast, counted once per recipient.
CREATE FUNCTION wa_broadcast_reply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	r	record;
BEGIN
	SELECT br.broadcast_id, br.contact_id, br.replied_at INTO r
	FROM contacts c
	JOIN broadcast_recipients br ON br.contact_id = c.id
	JOIN messages m ON m.id = br.message_id
	WHERE c.customer_id = NEW.customer_id AND c.phone = NEW.peer_phone
	AND m.customer_id = NEW.customer_id AND m.sent_at <= NEW.received_at
	AND m.sent_at > NEW.received_at - interval '7 days'
	ORDER BY m.sent_at DESC, m.id DESC LIMIT 1;
	IF NOT FOUND OR r.replied_at IS NOT NULL OR
	    wa_keyword_kind(NEW.customer_id, NEW.body) IS NOT DISTINCT FROM
	    'out' THEN
		RETURN NULL;
	END IF;
	UPDATE broadcast_recipients SET replied_at = NEW.received_at
	    WHERE broadcast_id = r.broadcast_id AND contact_id = r.contact_id
	    AND replied_at IS NULL;
	IF FOUND THEN
		UPDATE broadcasts SET replied = replied + 1
		    WHERE id = r.broadcast_id;
	END IF;
	RETURN NULL;
END;
$$;
CREATE TRIGGER messages_broadcast_reply AFTER INSERT ON messages
	FOR EACH ROW WHEN (NEW.direction = 'in' AND NEW.peer_phone <> '')
	EXECUTE FUNCTION wa_broadcast_reply();

-- The consent log's opt-outs by keyword of contacts sent a broadcast's
-- message in the 7 days before: an opt-out of the latest such broadcast,
-- counted once per recipient; its opt-out brake judged. A statement
-- without a keyword opt-out (an import's) costs one pass over its rows.
CREATE FUNCTION wa_broadcast_optouts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v_ids	bigint[];
BEGIN
	PERFORM 1 FROM new_rows n WHERE n.status = 'unsubscribed'
	    AND n.source = 'keyword' AND n.contact_id IS NOT NULL;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	WITH o AS (
		SELECT DISTINCT ON (x.broadcast_id, x.contact_id)
		    x.broadcast_id, x.contact_id, n.at
		FROM new_rows n CROSS JOIN LATERAL (SELECT br.broadcast_id,
		    br.contact_id, br.opted_out_at
		    FROM broadcast_recipients br
		    JOIN messages m ON m.id = br.message_id
		    WHERE br.contact_id = n.contact_id
		    AND m.customer_id = n.customer_id AND m.sent_at <= n.at
		    AND m.sent_at > n.at - interval '7 days'
		    ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) x
		WHERE n.status = 'unsubscribed' AND n.source = 'keyword'
		AND x.opted_out_at IS NULL
		ORDER BY x.broadcast_id, x.contact_id, n.at),
	u AS (
		UPDATE broadcast_recipients br SET opted_out_at = o.at
		FROM o WHERE br.broadcast_id = o.broadcast_id
		AND br.contact_id = o.contact_id AND br.opted_out_at IS NULL
		RETURNING br.broadcast_id),
	b AS (
		UPDATE broadcasts b SET opted_out = b.opted_out + k.n
		FROM (SELECT broadcast_id, count(*) AS n FROM u GROUP BY 1) k
		WHERE b.id = k.broadcast_id RETURNING b.id)
	SELECT array_agg(b.id ORDER BY b.id) INTO v_ids FROM b;
	IF v_ids IS NOT NULL THEN
		PERFORM wa_broadcast_brake(v_ids);
	END IF;
	RETURN NULL;
END;
$$;
CREATE TRIGGER contact_consents_broadcast_optouts AFTER INSERT
	ON contact_consents REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION wa_broadcast_optouts();

-- A number leaving 'connected' pauses its customer's sending broadcasts
-- that send from it.
CREATE FUNCTION wa_broadcast_number_down() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wa_broadcast_pause(b.customer_id, b.id, 'Paused: number ' ||
	    CASE WHEN NEW.phone <> '' THEN '+' || ltrim(NEW.phone, '+')
	    ELSE NEW.name END || ' disconnected')
	FROM broadcasts b WHERE b.customer_id = NEW.customer_id
	AND b.state = 'sending' AND NEW.id = ANY (b.instance_ids);
	RETURN NULL;
END;
$$;
CREATE TRIGGER instances_broadcast_pause AFTER UPDATE OF status
	ON instances FOR EACH ROW
	WHEN (OLD.status = 'connected' AND NEW.status <> 'connected')
	EXECUTE FUNCTION wa_broadcast_number_down();

-- The end of sending: a sending broadcast whose job (resolution and
-- queueing) is done and whose every queued message has a final status
-- becomes 'done' (finished_at), whatever changed it (its counters, the
-- job's end, a resume).
CREATE FUNCTION wa_broadcast_settle() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM jobs j WHERE j.id = NEW.job_id
	    AND j.state = 'done') THEN
		NEW.state := 'done';
		NEW.finished_at := wa_now();
	END IF;
	RETURN NEW;
END;
$$;
CREATE TRIGGER broadcasts_settle BEFORE UPDATE ON broadcasts
	FOR EACH ROW WHEN (NEW.state = 'sending' AND NEW.outcomes >= NEW.queued)
	EXECUTE FUNCTION wa_broadcast_settle();

-- A broadcast job's end settles its broadcast.
CREATE FUNCTION wa_broadcast_job_done() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE broadcasts SET state = state
	    WHERE job_id = NEW.id AND state = 'sending';
	RETURN NULL;
END;
$$;
CREATE TRIGGER jobs_broadcast_done AFTER UPDATE OF state ON jobs
	FOR EACH ROW WHEN (NEW.kind = 'broadcast' AND NEW.state = 'done'
	    AND OLD.state <> 'done')
	EXECUTE FUNCTION wa_broadcast_job_done();
