-- 0004_instances.sql: WhatsApp instances (a linked number on a gateway host).
-- The Hosts page counts them against each host's capacity; linking, the QR
-- page and the instance list build on this table.

CREATE TABLE instances (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	host_id			bigint NOT NULL REFERENCES hosts (id),
	-- the gateway's session name ([a-zA-Z0-9_-]), unique per host
	session			text NOT NULL CHECK (session ~ '^[a-zA-Z0-9_-]{1,64}$'),
	name			text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	status			text NOT NULL DEFAULT 'connecting' CHECK (status IN
				    ('qr_required', 'connecting', 'connected',
				    'disconnected', 'failed')),
	phone			text NOT NULL DEFAULT '' CHECK (length(phone) <= 16),
	push_name		text NOT NULL DEFAULT '' CHECK (length(push_name) <= 100),
	status_changed_at	timestamptz NOT NULL DEFAULT wa_now(),
	created_at		timestamptz NOT NULL DEFAULT wa_now(),
	updated_at		timestamptz NOT NULL DEFAULT wa_now(),
	UNIQUE (host_id, session)
);
CREATE INDEX instances_customer ON instances (customer_id, id);
CREATE TRIGGER instances_touch BEFORE UPDATE ON instances
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
