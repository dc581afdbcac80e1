-- 0003_hosts.sql: gateway hosts (WAHA servers): where they are, what they hold,
-- the credentials the portal uses with them and their last known health.

-- The secrets (api_key, webhook_secret) are stored as given: the portal
-- must send the key and recompute webhook HMACs.  Never select them into
-- pages, logs or `waportalctl host list`.  waportalctl validates every
-- value before it writes, so no CHECK here fails with a row (and its
-- secrets) in the error detail.
CREATE TABLE hosts (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	-- slug; part of the webhook URL /hooks/waha/{name}
	name		text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
	-- more drivers are one migration away: widen this CHECK
	driver		text NOT NULL DEFAULT 'waha' CHECK (driver IN ('waha')),
	base_url	text NOT NULL CHECK (length(base_url) <= 500
			    AND base_url ~ '^https?://[^/?#@[:space:]]+(/[^?#[:space:]]*)?$'),
	api_key		text NOT NULL CHECK (length(api_key) BETWEEN 1 AND 512),
	webhook_secret	text NOT NULL CHECK (length(webhook_secret) BETWEEN 32 AND 512),
	city		text NOT NULL DEFAULT '' CHECK (length(city) <= 100),
	-- ISO 3166-1 alpha-2, upper-case, or '' when unknown
	country		text NOT NULL DEFAULT '' CHECK (country ~ '^([A-Z]{2})?$'),
	latitude	numeric(8, 6) CHECK (latitude BETWEEN -90 AND 90),
	longitude	numeric(9, 6) CHECK (longitude BETWEEN -180 AND 180),
	capacity	integer NOT NULL CHECK (capacity BETWEEN 1 AND 100000),
	enabled		boolean NOT NULL DEFAULT true,
	-- health, written by the health checker
	status		text NOT NULL DEFAULT 'unknown'
			    CHECK (status IN ('unknown', 'up', 'degraded', 'down')),
	latency_ms	integer CHECK (latency_ms >= 0),
	sessions_in_use	integer CHECK (sessions_in_use >= 0),
	checked_at	timestamptz,
	failures	integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	updated_at	timestamptz NOT NULL DEFAULT wa_now(),
	CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE TRIGGER hosts_touch BEFORE UPDATE ON hosts
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
