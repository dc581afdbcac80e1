-- 0005_webhook_events.sql: gateway webhook events already applied, by their
-- envelope id, so a replayed or retried delivery changes nothing.

CREATE TABLE webhook_events (
	host_id		bigint NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
	event_id	text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
	event		text NOT NULL CHECK (length(event) <= 64),
	received_at	timestamptz NOT NULL DEFAULT wa_now(),
	PRIMARY KEY (host_id, event_id)
);
CREATE INDEX webhook_events_age ON webhook_events (received_at);
