-- 0002_accounts.sql: dealers, packages, users with roles, package history, sessions,
-- sign-in failures for throttling, avatars.

CREATE TABLE dealers (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	contact_person	text NOT NULL DEFAULT '' CHECK (length(contact_person) <= 200),
	email		citext NOT NULL DEFAULT '' CHECK (length(email) <= 254),
	phone		text NOT NULL DEFAULT '' CHECK (length(phone) <= 16),
	whatsapp	text NOT NULL DEFAULT '' CHECK (length(whatsapp) <= 16),
	address		text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	updated_at	timestamptz NOT NULL DEFAULT wa_now()
);
CREATE TRIGGER dealers_touch BEFORE UPDATE ON dealers
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE packages (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name			text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	max_instances		integer NOT NULL CHECK (max_instances >= 0),
	max_contacts		integer NOT NULL CHECK (max_contacts >= 0),
	max_messages_month	integer NOT NULL CHECK (max_messages_month >= 0),
	max_api_keys		integer NOT NULL CHECK (max_api_keys >= 0),
	api_rpm			integer NOT NULL CHECK (api_rpm >= 0),
	price_text		text NOT NULL DEFAULT '' CHECK (length(price_text) <= 100),
	created_at		timestamptz NOT NULL DEFAULT wa_now()
);

CREATE TYPE user_role AS ENUM ('customer', 'dealer', 'admin');

CREATE TABLE users (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	role		user_role NOT NULL,
	dealer_id	bigint REFERENCES dealers (id),
	email		citext NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	-- argon2id PHC string; NULL until a password is set (cannot sign in)
	password_hash	text,
	mobile		text NOT NULL DEFAULT '' CHECK (length(mobile) <= 16),
	phone		text NOT NULL DEFAULT '' CHECK (length(phone) <= 16),
	language	text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'id')),
	address		text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
	notes		text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
	disabled_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	updated_at	timestamptz NOT NULL DEFAULT wa_now(),
	CHECK (role <> 'customer' OR dealer_id IS NOT NULL)
);
CREATE INDEX users_dealer ON users (dealer_id);
CREATE TRIGGER users_touch BEFORE UPDATE ON users
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Package history: at most one active row per customer.
CREATE TABLE customer_packages (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	package_id	bigint NOT NULL REFERENCES packages (id),
	starts_at	timestamptz NOT NULL DEFAULT wa_now(),
	expires_at	timestamptz NOT NULL,
	active		boolean NOT NULL DEFAULT true,
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	CHECK (expires_at > starts_at)
);
CREATE UNIQUE INDEX customer_packages_one_active
	ON customer_packages (customer_id) WHERE active;

-- Sessions: only the SHA-256 of the cookie token is stored.
CREATE TABLE sessions (
	token_hash	bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf_token	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT wa_now(),
	last_seen_at	timestamptz NOT NULL DEFAULT wa_now()
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins, per account (email as typed, lower-cased) and per
-- client address; rows older than the throttle window are useless.
CREATE TABLE login_failures (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email		citext NOT NULL,
	remote_addr	text NOT NULL,
	failed_at	timestamptz NOT NULL DEFAULT wa_now()
);
CREATE INDEX login_failures_email ON login_failures (email, failed_at);
CREATE INDEX login_failures_addr ON login_failures (remote_addr, failed_at);

-- Avatars: re-encoded images, served by any worker. The version keys the
-- browser cache, so it never repeats, even after a removal.
CREATE SEQUENCE avatar_versions AS integer;
CREATE TABLE avatars (
	user_id		bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	content_type	text NOT NULL CHECK (content_type IN ('image/png', 'image/webp', 'image/jpeg')),
	image		bytea NOT NULL CHECK (length(image) <= 1048576),
	version		integer NOT NULL DEFAULT nextval('avatar_versions'),
	updated_at	timestamptz NOT NULL DEFAULT wa_now()
);
