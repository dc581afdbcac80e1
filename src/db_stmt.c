/* db_stmt.c: every SQL statement the programs run, indexed by enum stmt. */
#include "db_stmt.h"

const struct stmt_def db_stmts[STMT__MAX] = {
	[STMT_PING] = { "SELECT 1", 0, 1 },
	[STMT_BEGIN] = { "BEGIN", 0, 0 },
	[STMT_COMMIT] = { "COMMIT", 0, 0 },
	[STMT_ROLLBACK] = { "ROLLBACK", 0, 0 },
	/* One fixed key (hex "waportal") serialises concurrent migrators. */
	[STMT_MIGRATE_LOCK] = {
	    "SELECT pg_advisory_lock(7800502929437057377)", 0, 0 },
	[STMT_MIGRATE_UNLOCK] = {
	    "SELECT pg_advisory_unlock(7800502929437057377)", 0, 0 },
	[STMT_MIGRATE_BOOTSTRAP] = {
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " name text PRIMARY KEY,"
	    " applied_at timestamptz NOT NULL DEFAULT now(),"
	    " sha256 text)", 0, 0 },
	/* The file's SHA-256 (hex) came later than the table. */
	[STMT_MIGRATE_BOOTSTRAP_SUM] = {
	    "ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS sha256 text",
	    0, 0 },
	/* Name, time, SHA-256 ('' when not recorded, also before the
	 * column exists: /readyz of a new release before its migrate). */
	[STMT_MIGRATIONS_APPLIED] = {
	    "SELECT name, to_char(applied_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'), "
	    "coalesce(to_jsonb(s)->>'sha256', '') "
	    "FROM schema_migrations s ORDER BY name", 0, 1 },
	[STMT_MIGRATION_RECORD] = {
	    "INSERT INTO schema_migrations (name, sha256) VALUES ($1, $2)",
	    2, 0 },
	/* A row applied before sums were kept takes its file's sum. */
	[STMT_MIGRATION_SUM_FILL] = {
	    "UPDATE schema_migrations SET sha256 = $2 "
	    "WHERE name = $1 AND sha256 IS NULL", 2, 0 },
	[STMT_DISPATCH_LISTEN] = { "LISTEN waportal_dispatch", 0, 0 },
	/* --- block: waportalctl account statements --- */
	[STMT_CTL_DEALER_ADD] = {
	    "INSERT INTO dealers (name, contact_person, email, phone, whatsapp,"
	    " address) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", 6, 0 },
	[STMT_CTL_DEALER_LIST] = {
	    "SELECT d.id, d.name, d.contact_person, d.email, d.phone,"
	    " d.whatsapp, (SELECT count(*) FROM users u"
	    " WHERE u.dealer_id = d.id AND u.role = 'customer')"
	    " FROM dealers d ORDER BY d.id", 0, 1 },
	[STMT_CTL_DEALER_EXISTS] = {
	    "SELECT 1 FROM dealers WHERE id = $1", 1, 1 },
	[STMT_CTL_PACKAGE_ADD] = {
	    "INSERT INTO packages (name, max_instances, max_contacts,"
	    " max_messages_month, max_api_keys, api_rpm, price_text)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id", 7, 0 },
	[STMT_CTL_PACKAGE_LIST] = {
	    "SELECT p.id, p.name, p.max_instances, p.max_contacts,"
	    " p.max_messages_month, p.max_api_keys, p.api_rpm, p.price_text,"
	    " (SELECT count(*) FROM customer_packages cp"
	    " WHERE cp.package_id = p.id AND cp.active)"
	    " FROM packages p ORDER BY p.id", 0, 1 },
	/* Runs inside package assign's transaction: never resent. */
	[STMT_CTL_PACKAGE_NAME] = {
	    "SELECT name FROM packages WHERE id = $1", 1, 0 },
	/* Package history: the old row stays, inactive. */
	[STMT_CTL_PACKAGE_DEACTIVATE] = {
	    "UPDATE customer_packages SET active = false"
	    " WHERE customer_id = $1 AND active", 1, 0 },
	/* Dates are midnight in the server's TimeZone; no start: now. */
	[STMT_CTL_PACKAGE_ASSIGN] = {
	    "INSERT INTO customer_packages (customer_id, package_id,"
	    " starts_at, expires_at) VALUES ($1, $2,"
	    " coalesce($3::date::timestamptz, wa_now()), $4::date::timestamptz)"
	    " RETURNING id, to_char(starts_at, 'YYYY-MM-DD'),"
	    " to_char(expires_at, 'YYYY-MM-DD')", 4, 0 },
	[STMT_CTL_USER_ADD] = {
	    "INSERT INTO users (role, email, name, dealer_id, mobile, phone,"
	    " language) VALUES ($1::user_role, $2, $3, $4::bigint, $5, $6, $7)"
	    " RETURNING id", 7, 0 },
	/* Never the password hash: only whether there is one. */
	[STMT_CTL_USER_LIST] = {
	    "SELECT u.id, u.role, u.email, u.name,"
	    " coalesce(u.dealer_id::text, ''),"
	    " CASE WHEN u.disabled_at IS NULL THEN 'active' ELSE 'disabled' END,"
	    " CASE WHEN u.password_hash IS NULL THEN 'no' ELSE 'yes' END,"
	    " coalesce(p.name, ''),"
	    " coalesce(to_char(cp.expires_at, 'YYYY-MM-DD') ||"
	    " CASE WHEN cp.expires_at <= wa_now() THEN ' (expired)' ELSE '' END, '')"
	    " FROM users u"
	    " LEFT JOIN customer_packages cp ON cp.customer_id = u.id AND cp.active"
	    " LEFT JOIN packages p ON p.id = cp.package_id"
	    " WHERE ($1::user_role IS NULL OR u.role = $1::user_role)"
	    " AND ($2::bigint IS NULL OR u.dealer_id = $2::bigint)"
	    " ORDER BY u.id", 2, 1 },
	[STMT_CTL_USER_LOCK] = {
	    "SELECT role, email FROM users WHERE id = $1 FOR UPDATE", 1, 0 },
	[STMT_CTL_USER_DISABLE] = {
	    "UPDATE users SET disabled_at = coalesce(disabled_at, wa_now())"
	    " WHERE id = $1 RETURNING id", 1, 0 },
	[STMT_CTL_USER_ENABLE] = {
	    "UPDATE users SET disabled_at = NULL WHERE id = $1 RETURNING id",
	    1, 0 },
	[STMT_CTL_USER_PASSWD] = {
	    "UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING id",
	    2, 0 },
	[STMT_CTL_USER_SESSIONS_END] = {
	    "DELETE FROM sessions WHERE user_id = $1", 1, 0 },
	/* --- end block: waportalctl account statements --- */
	/* --- block: hosts --- */
	[STMT_CTL_HOST_ADD] = {
	    "INSERT INTO hosts (name, driver, base_url, api_key, webhook_secret,"
	    " city, country, latitude, longitude, capacity) VALUES ($1,"
	    " coalesce($2, 'waha'), $3, $4, $5, coalesce($6, ''),"
	    " coalesce($7, ''), $8::numeric, $9::numeric, $10::integer)"
	    " RETURNING id", 10, 0 },
	/* Never api_key or webhook_secret. */
	[STMT_CTL_HOST_LIST] = {
	    "SELECT id, name, driver, base_url, city, country, capacity,"
	    " CASE WHEN enabled THEN 'yes' ELSE 'no' END, status"
	    " FROM hosts ORDER BY id", 0, 1 },
	/* NULL: keep; '' for latitude/longitude: no location. */
	[STMT_CTL_HOST_UPDATE] = {
	    "UPDATE hosts SET name = coalesce($2, name),"
	    " driver = coalesce($3, driver), base_url = coalesce($4, base_url),"
	    " api_key = coalesce($5, api_key),"
	    " webhook_secret = coalesce($6, webhook_secret),"
	    " city = coalesce($7, city), country = coalesce($8, country),"
	    " latitude = CASE WHEN $9::text IS NULL THEN latitude"
	    " ELSE nullif($9, '')::numeric END,"
	    " longitude = CASE WHEN $10::text IS NULL THEN longitude"
	    " ELSE nullif($10, '')::numeric END,"
	    " capacity = coalesce($11::integer, capacity)"
	    " WHERE id = $1 RETURNING id", 11, 0 },
	[STMT_CTL_HOST_ENABLE] = {
	    "UPDATE hosts SET enabled = $2::boolean WHERE id = $1 RETURNING id",
	    2, 0 },
	/* --- end block: hosts --- */
	/* --- block: sessions and sign-in --- */
	/*
	 * A live session: not idle longer than $2 s, not older than $3 s,
	 * its user not disabled. Its idle clock is moved on at most once a
	 * minute, so page views do not each write a row. Harmless to
	 * repeat.
	 */
	[STMT_SESSION_TOUCH] = {
	    "WITH live AS (SELECT u.id, u.role, u.name, u.email, u.language, "
	    "s.csrf_token, s.token_hash, s.last_seen_at "
	    "FROM sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE s.token_hash = decode($1, 'hex') AND u.disabled_at IS NULL "
	    "AND s.last_seen_at > wa_now() - make_interval(secs => $2::int) "
	    "AND s.created_at > wa_now() - make_interval(secs => $3::int)), "
	    "touch AS (UPDATE sessions SET last_seen_at = wa_now() "
	    "WHERE token_hash = (SELECT token_hash FROM live "
	    "WHERE last_seen_at < wa_now() - interval '60 seconds')) "
	    "SELECT id, role, name, email, language, csrf_token, "
	    "COALESCE((SELECT a.version FROM avatars a "
	    "WHERE a.user_id = live.id), 0) FROM live", 3, 1 },
	[STMT_SESSION_CREATE] = {
	    "INSERT INTO sessions (token_hash, user_id, csrf_token) "
	    "VALUES (decode($1, 'hex'), $2, $3)", 3, 0 },
	[STMT_SESSION_DELETE] = {
	    "DELETE FROM sessions WHERE token_hash = decode($1, 'hex')", 1, 0 },
	[STMT_SESSIONS_EXPIRE] = {
	    "DELETE FROM sessions "
	    "WHERE last_seen_at < wa_now() - make_interval(secs => $1::int) "
	    "OR created_at < wa_now() - make_interval(secs => $2::int)", 2, 0 },
	[STMT_LOGIN_USER] = {
	    "SELECT id, role, password_hash, disabled_at IS NOT NULL "
	    "FROM users WHERE email = $1", 1, 1 },
	/*
	 * Failures in the window ($3 s) for the account ($1) and the
	 * address ($2), and the seconds until the oldest of each leaves it.
	 */
	[STMT_LOGIN_THROTTLE] = {
	    "SELECT count(*) FILTER (WHERE email = $1), "
	    "count(*) FILTER (WHERE remote_addr = $2), "
	    "COALESCE(ceil(extract(epoch FROM min(failed_at) FILTER "
	    "(WHERE email = $1) + make_interval(secs => $3::int) - wa_now())), 0), "
	    "COALESCE(ceil(extract(epoch FROM min(failed_at) FILTER "
	    "(WHERE remote_addr = $2) + make_interval(secs => $3::int) - "
	    "wa_now())), 0) "
	    "FROM login_failures WHERE (email = $1 OR remote_addr = $2) "
	    "AND failed_at > wa_now() - make_interval(secs => $3::int)", 3, 1 },
	[STMT_LOGIN_FAIL] = {
	    "INSERT INTO login_failures (email, remote_addr) VALUES ($1, $2)",
	    2, 0 },
	[STMT_LOGIN_CLEAR] = {
	    "DELETE FROM login_failures WHERE email = $1", 1, 0 },
	[STMT_LOGIN_FAILURES_EXPIRE] = {
	    "DELETE FROM login_failures "
	    "WHERE failed_at < wa_now() - interval '1 day'", 0, 0 },
	[STMT_PASSWORD_REHASH] = {
	    "UPDATE users SET password_hash = $2 WHERE id = $1", 2, 0 },
	/* The customer's active package and how long it has left. */
	[STMT_DASH_PACKAGE] = {
	    "SELECT p.name, p.max_instances, p.max_contacts, "
	    "p.max_messages_month, p.max_api_keys, p.api_rpm, p.price_text, "
	    "to_char(cp.expires_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	    "to_char(cp.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), "
	    "GREATEST(0, ceil(extract(epoch FROM cp.expires_at - wa_now()) "
	    "/ 86400))::int, cp.expires_at <= wa_now() "
	    "FROM customer_packages cp JOIN packages p ON p.id = cp.package_id "
	    "WHERE cp.customer_id = $1 AND cp.active", 1, 1 },
	[STMT_PROFILE_GET] = {
	    "SELECT name, email, mobile, phone, language, address, notes "
	    "FROM users WHERE id = $1", 1, 1 },
	[STMT_PROFILE_UPDATE] = {
	    "UPDATE users SET name = $2, email = $3, mobile = $4, phone = $5, "
	    "language = $6, address = $7, notes = $8 WHERE id = $1", 8, 0 },
	[STMT_USER_PASSWORD] = {
	    "SELECT password_hash FROM users WHERE id = $1 "
	    "AND password_hash IS NOT NULL", 1, 1 },
	[STMT_PASSWORD_SET] = {
	    "UPDATE users SET password_hash = $2 WHERE id = $1", 2, 0 },
	/* Every session of the user but the one making the request. */
	[STMT_SESSIONS_END_OTHERS] = {
	    "DELETE FROM sessions WHERE user_id = $1 "
	    "AND token_hash <> decode($2, 'hex')", 2, 0 },
	[STMT_AVATAR_PUT] = {
	    "INSERT INTO avatars (user_id, content_type, image) "
	    "VALUES ($1, $2, decode($3, 'hex')) ON CONFLICT (user_id) DO UPDATE "
	    "SET content_type = excluded.content_type, image = excluded.image, "
	    "version = nextval('avatar_versions'), updated_at = wa_now()", 3, 0 },
	[STMT_AVATAR_GET] = {
	    "SELECT content_type, encode(image, 'hex'), version FROM avatars "
	    "WHERE user_id = $1", 1, 1 },
	[STMT_AVATAR_DELETE] = {
	    "DELETE FROM avatars WHERE user_id = $1", 1, 0 },
	/* Enabled hosts not checked for $1 seconds. */
	[STMT_HOSTS_TO_PROBE] = {
	    "SELECT id, driver, base_url, api_key FROM hosts WHERE enabled "
	    "AND (checked_at IS NULL OR checked_at < wa_now() - "
	    "make_interval(secs => $1::int)) ORDER BY id", 1, 1 },
	/*
	 * Record a probe of host $1: ok $2, latency $3 ms, sessions $4.
	 * Up when it answered within a second, degraded when slower or
	 * after a failure, down after three failures in a row.
	 */
	[STMT_HOST_PROBED] = {
	    "UPDATE hosts SET checked_at = wa_now(), "
	    "failures = CASE WHEN $2::bool THEN 0 ELSE failures + 1 END, "
	    "latency_ms = CASE WHEN $2::bool THEN $3::int ELSE latency_ms END, "
	    "sessions_in_use = CASE WHEN $2::bool THEN $4::int "
	    "ELSE sessions_in_use END, "
	    "status = CASE WHEN $2::bool AND $3::int < 1000 THEN 'up' "
	    "WHEN $2::bool THEN 'degraded' "
	    "WHEN failures + 1 >= 3 THEN 'down' ELSE 'degraded' END "
	    "WHERE id = $1", 4, 0 },
	/* The host a webhook names, with the secret to check it by. */
	[STMT_HOOK_HOST] = {
	    "SELECT id, webhook_secret FROM hosts WHERE name = $1 "
	    "AND driver = $2", 2, 1 },
	/* One row when the event is new; none for a replay. */
	[STMT_HOOK_EVENT_NEW] = {
	    "INSERT INTO webhook_events (host_id, event_id, event) "
	    "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1", 3, 0 },
	/* The customer's instances, newest first. */
	[STMT_INST_LIST] = {
	    "SELECT i.id, i.name, i.status, i.phone, h.name, h.city, "
	    "to_char(i.status_changed_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD HH24:MI \"UTC\"') "
	    "FROM instances i JOIN hosts h ON h.id = i.host_id "
	    "WHERE i.customer_id = $1 ORDER BY i.id DESC LIMIT 200", 1, 1 },
	/* Enabled hosts and how many instances each still takes. */
	[STMT_INST_HOST_CHOICES] = {
	    "SELECT h.id, h.name, h.city, h.country, "
	    "h.capacity - count(i.id) FROM hosts h "
	    "LEFT JOIN instances i ON i.host_id = h.id WHERE h.enabled "
	    "GROUP BY h.id ORDER BY h.country, h.city, h.name", 0, 1 },
	/*
	 * The customer's package allowance: instances allowed by the active,
	 * unexpired package (NULL without one) and instances held.
	 */
	[STMT_INST_QUOTA] = {
	    "SELECT (SELECT p.max_instances FROM customer_packages cp "
	    "JOIN packages p ON p.id = cp.package_id WHERE cp.customer_id = $1 "
	    "AND cp.active AND cp.expires_at > wa_now()), "
	    "(SELECT count(*) FROM instances WHERE customer_id = $1)", 1, 0 },
	/* Lock an enabled host for a create and count what it holds. */
	[STMT_INST_HOST_LOCK] = {
	    "SELECT h.id, h.name, h.driver, h.base_url, h.api_key, "
	    "h.webhook_secret, h.capacity, "
	    "(SELECT count(*) FROM instances i WHERE i.host_id = h.id) "
	    "FROM hosts h WHERE h.id = $1 AND h.enabled FOR UPDATE", 1, 0 },
	[STMT_INST_CREATE] = {
	    "INSERT INTO instances (customer_id, host_id, session, name, status) "
	    "VALUES ($1, $2, $3, $4, $5) RETURNING id", 5, 0 },
	/* One of the customer's instances, with its host to reach it. */
	[STMT_INST_GET] = {
	    "SELECT i.id, i.name, i.status, i.phone, i.push_name, i.session, "
	    "h.name, h.driver, h.base_url, h.api_key "
	    "FROM instances i JOIN hosts h ON h.id = i.host_id "
	    "WHERE i.id = $1 AND i.customer_id = $2", 2, 1 },
	[STMT_INST_SET_STATUS] = {
	    "UPDATE instances SET status = $3, status_changed_at = wa_now() "
	    "WHERE id = $1 AND customer_id = $2 AND status <> $3", 3, 0 },
	[STMT_INST_DELETE] = {
	    "DELETE FROM instances WHERE id = $1 AND customer_id = $2", 2, 0 },
	/* A session's new status, and its number once linked. */
	[STMT_HOOK_SESSION_STATUS] = {
	    "UPDATE instances SET status = $3, status_changed_at = wa_now(), "
	    "phone = CASE WHEN $4 <> '' THEN $4 ELSE phone END, "
	    "push_name = CASE WHEN $5 <> '' THEN $5 ELSE push_name END "
	    "WHERE host_id = $1 AND session = $2 AND (status <> $3 "
	    "OR ($4 <> '' AND phone <> $4))", 5, 0 },
	[STMT_DASH_DEALER] = {
	    "SELECT d.name, d.contact_person, d.email, d.phone, d.whatsapp, "
	    "d.address FROM users u JOIN dealers d ON d.id = u.dealer_id "
	    "WHERE u.id = $1", 1, 1 },
	/* --- end block: sessions and sign-in --- */
	/* --- block: dispatcher sending --- */
	/*
	 * One round trip of dispatcher $1 (sql/0007_dispatch.sql): record
	 * the outcomes in JSON $2, then claim up to $3 messages leased for
	 * $4 s, paced by gap $5 ms, jitter $6 ms, hold $7 ms (the send
	 * timeout) and hourly cap $8. The claimed rows, then one row with a
	 * NULL id: outcomes recorded, ms until the next may be due. Sent
	 * asynchronously (send_claim.c); never resent: what a lost
	 * connection committed unseen comes back when its leases run out.
	 */
	[STMT_SEND_STEP] = {
	    "SELECT id, instance_id, attempts, peer, body, session, driver, "
	    "base_url, api_key, recorded, next_due FROM wa_dispatch_step($1, "
	    "$2::json, $3::int, $4::int, $5::int, $6::int, $7::int, $8::int)",
	    8, 0 },
	/* Housekeeping: dedup ids of webhook events past any retry. */
	[STMT_SEND_EVENTS_EXPIRE] = {
	    "DELETE FROM webhook_events "
	    "WHERE received_at < wa_now() - interval '7 days'", 0, 0 },
	/* Housekeeping: acks for sends never recorded (their lease ran out). */
	[STMT_SEND_ACKS_EXPIRE] = {
	    "DELETE FROM message_acks_early "
	    "WHERE at < wa_now() - interval '1 day'", 0, 0 },
	/* Housekeeping: stored API answers past their 24 hours of replay. */
	[STMT_API_IDEM_EXPIRE] = {
	    "DELETE FROM api_idempotency "
	    "WHERE created_at < wa_now() - interval '24 hours'", 0, 0 },
	/* --- end block: dispatcher sending --- */
	/* --- block: webhook messages --- */
	/*
	 * An inbound message on the instance of host $1, session $2, once
	 * per gateway id $6 (a redelivery under a new event id stores
	 * nothing). $7: the gateway's unix time; NULL, before 2009 or over
	 * a day ahead means now, and a time ahead of ours is cut to now.
	 */
	[STMT_HOOK_MSG_IN] = {
	    "INSERT INTO messages (customer_id, instance_id, direction, "
	    "status, source, peer, peer_phone, body, gateway_id, send_at, "
	    "received_at) "
	    "SELECT i.customer_id, i.id, 'in', 'received', 'gateway', "
	    "$3::text, $4::text, $5::text, $6::text, t.at, t.at "
	    "FROM instances i CROSS JOIN (SELECT CASE WHEN $7::bigint "
	    "BETWEEN 1230768000 "
	    "AND extract(epoch FROM wa_now())::bigint + 86400 "
	    "THEN least(to_timestamp($7::bigint), wa_now()) "
	    "ELSE wa_now() END AS at) t "
	    "WHERE i.host_id = $1::bigint AND i.session = $2::text "
	    "ON CONFLICT (instance_id, gateway_id) "
	    "WHERE gateway_id IS NOT NULL DO NOTHING", 7, 0 },
	/*
	 * Ack $4 ('delivered', 'read', 'failed') of message $3 sent by host
	 * $1, session $2, at $5 (the event's time in ms, checked as above).
	 */
	[STMT_HOOK_MSG_ACK] = {
	    "SELECT wa_message_ack(i.id, $3::text, $4::text, "
	    "CASE WHEN $5::bigint BETWEEN 1230768000000 "
	    "AND (extract(epoch FROM wa_now()) * 1000)::bigint + 86400000 "
	    "THEN least(to_timestamp($5::bigint / 1000.0), wa_now()) "
	    "ELSE wa_now() END) FROM instances i "
	    "WHERE i.host_id = $1::bigint AND i.session = $2::text", 5, 0 },
	/* --- end block: webhook messages --- */
	/* --- block: api docs --- */
	/*
	 * page_apidocs.c: customer $1's package now (requests a minute,
	 * messages a month; '' without one), and the ids the examples use:
	 * their latest outbound message and first instance (0: none).
	 */
	[STMT_AD_CONTEXT] = {
	    "SELECT coalesce(p.api_rpm::text, ''), "
	    "coalesce(p.max_messages_month::text, ''), "
	    "coalesce((SELECT max(m.id) FROM messages m WHERE "
	    "m.customer_id = u.id AND m.direction = 'out'), 0), "
	    "coalesce((SELECT min(i.id) FROM instances i WHERE "
	    "i.customer_id = u.id), 0) FROM users u "
	    "LEFT JOIN LATERAL (SELECT pk.api_rpm, pk.max_messages_month "
	    "FROM customer_packages cp JOIN packages pk ON pk.id = cp.package_id "
	    "WHERE cp.customer_id = u.id AND cp.active AND cp.starts_at <= wa_now() "
	    "AND cp.expires_at > wa_now() ORDER BY cp.expires_at DESC LIMIT 1) p "
	    "ON true WHERE u.id = $1::bigint", 1, 1 },
	/* --- end block: api docs --- */
	/* --- block: api keys --- */
/* A timestamp column in the customer's zone u.time_zone, '' for NULL. */
#define AK_LOCAL(c) \
	"coalesce(to_char(" c " AT TIME ZONE u.time_zone, " \
	"'YYYY-MM-DD HH24:MI'), '')"
/* The package customer $1 has now (LEFT JOIN LATERAL ... p ON true). */
#define AK_PKG \
	"LEFT JOIN LATERAL (SELECT pk.max_api_keys, pk.api_rpm " \
	"FROM customer_packages cp JOIN packages pk ON pk.id = cp.package_id " \
	"WHERE cp.customer_id = u.id AND cp.active AND cp.starts_at <= wa_now() " \
	"AND cp.expires_at > wa_now() ORDER BY cp.expires_at DESC LIMIT 1) p " \
	"ON true "
	/*
	 * page_apikeys.c: customer $1's keys: id, name, visible, scopes,
	 * created, expires, last used, its address, status word, retires,
	 * then the requests of the 30 UTC days up to today, comma-separated.
	 */
	[STMT_AK_LIST] = {
	    "SELECT k.id, k.name, k.visible, array_to_string(k.scopes, ' '), "
	    AK_LOCAL("k.created_at") ", " AK_LOCAL("k.expires_at") ", "
	    AK_LOCAL("k.last_used_at") ", coalesce(host(k.last_used_addr), ''), "
	    "CASE WHEN k.retires_at <= wa_now() THEN 'retired' "
	    "WHEN k.retires_at IS NOT NULL THEN 'retiring' "
	    "WHEN k.expires_at <= wa_now() THEN 'expired' "
	    "WHEN NOT k.enabled THEN 'off' ELSE 'active' END, "
	    AK_LOCAL("k.retires_at") ", "
	    "(SELECT string_agg(coalesce(s.n, 0)::text, ',' ORDER BY d.d) "
	    "FROM generate_series((wa_now() AT TIME ZONE 'UTC')::date - 29, "
	    "(wa_now() AT TIME ZONE 'UTC')::date, interval '1 day') d(d) "
	    "LEFT JOIN (SELECT a.day, sum(a.n) AS n FROM api_usage a "
	    "WHERE a.key_id = k.id GROUP BY a.day) s ON s.day = d.d::date) "
	    "FROM api_keys k JOIN users u ON u.id = k.customer_id "
	    "WHERE k.customer_id = $1::bigint ORDER BY k.id", 1, 1 },
	/*
	 * Keys counting against the limit (not rotated away), the package's
	 * key limit and requests a minute ('' when expired), and today in
	 * the customer's zone.
	 */
	[STMT_AK_CONTEXT] = {
	    "SELECT (SELECT count(*) FROM api_keys k WHERE k.customer_id = u.id "
	    "AND k.retires_at IS NULL), coalesce(p.max_api_keys::text, ''), "
	    "coalesce(p.api_rpm::text, ''), "
	    "to_char(wa_now() AT TIME ZONE u.time_zone, 'YYYY-MM-DD') "
	    "FROM users u " AK_PKG "WHERE u.id = $1::bigint", 1, 1 },
	/*
	 * A new key for customer $1 while the package allows it: name $2,
	 * SHA-256 hex $3, visible $4, scopes $5, allowlist $6, rpm $7,
	 * expiry day $8 (local midnight). Returns its id, or no row.
	 */
	[STMT_AK_INSERT] = {
	    "INSERT INTO api_keys (customer_id, name, key_hash, visible, "
	    "scopes, allow_ips, rpm, expires_at) SELECT u.id, $2, "
	    "decode($3, 'hex'), $4, $5::text[], $6::cidr[], $7::integer, "
	    "$8::date::timestamp AT TIME ZONE u.time_zone FROM users u " AK_PKG
	    "WHERE u.id = $1::bigint AND p.max_api_keys > (SELECT count(*) "
	    "FROM api_keys k WHERE k.customer_id = u.id "
	    "AND k.retires_at IS NULL) RETURNING id", 8, 0 },
	/* page_apikey_action.c: key $1 of customer $2: name, visible,
	 * enabled, rotated away. */
	[STMT_AK_GET] = {
	    "SELECT name, visible, enabled, retires_at IS NOT NULL "
	    "FROM api_keys WHERE id = $1::bigint AND customer_id = $2::bigint",
	    2, 1 },
	[STMT_AK_TOGGLE] = {
	    "UPDATE api_keys SET enabled = NOT enabled WHERE id = $1::bigint "
	    "AND customer_id = $2::bigint RETURNING enabled", 2, 0 },
	[STMT_AK_DELETE] = {
	    "DELETE FROM api_keys WHERE id = $1::bigint "
	    "AND customer_id = $2::bigint RETURNING id", 2, 0 },
	/*
	 * Rotate key $1 of customer $2 (not rotated before): a new key with
	 * hash $3 and visible $4 copying the rest; the old one retires in
	 * $5 and points to it. Returns the new id, or no row.
	 */
	[STMT_AK_ROTATE] = {
	    "WITH o AS (SELECT * FROM api_keys WHERE id = $1::bigint "
	    "AND customer_id = $2::bigint AND retires_at IS NULL FOR UPDATE), "
	    "n AS (INSERT INTO api_keys (customer_id, name, key_hash, visible, "
	    "scopes, allow_ips, rpm, expires_at, enabled) SELECT customer_id, "
	    "name, decode($3, 'hex'), $4, scopes, allow_ips, rpm, expires_at, "
	    "true FROM o RETURNING id) "
	    "UPDATE api_keys k SET retires_at = wa_now() + $5::interval, "
	    "replaced_by = n.id FROM n WHERE k.id = $1::bigint RETURNING n.id",
	    5, 0 },
	/* --- end block: api keys --- */
	/* --- block: api v1 --- */
/* The key and rate columns of a wa_api_auth_result a. */
#define API_AUTH_COLS(a) \
	"coalesce(" a ".key_id, 0), coalesce(" a ".customer_id, 0), " \
	"coalesce(" a ".rl_limit, 0), coalesce(" a ".rl_remaining, -1), " \
	"coalesce(" a ".rl_reset, 0)"
	/* api_auth.c: status, problem, detail, then API_AUTH_COLS. */
	[STMT_API_AUTH] = {
	    "SELECT a.status, coalesce(a.problem, ''), coalesce(a.detail, ''), "
	    API_AUTH_COLS("a") " FROM wa_api_auth(decode($1, 'hex'), "
	    "$2::inet, $3, $4) a", 4, 0 },
	[STMT_API_COUNT] = {
	    "SELECT wa_api_count($1::bigint, $2, $3::integer)", 3, 0 },
	/* api_messages.c: POST /api/v1/messages with an Idempotency-Key in
	 * one statement: status, problem, response, replayed, then
	 * API_AUTH_COLS. */
	[STMT_API_SEND] = {
	    "SELECT r.status, coalesce(r.problem, ''), coalesce(r.response, ''),"
	    " r.replayed, " API_AUTH_COLS("(r.auth)") " FROM wa_api_send("
	    "decode($1, 'hex'), $2::inet, $3, decode($4, 'hex'), $5, "
	    "$6::bigint, $7, $8, $9::timestamptz) r", 9, 0 },
	/* The hot path (no Idempotency-Key): three transactions in one
	 * pipeline. The admission: the columns of STMT_API_SEND (status 202
	 * and no response when admitted). */
	[STMT_API_SEND_ADMIT] = {
	    "SELECT r.status, coalesce(r.problem, ''), coalesce(r.response, ''),"
	    " false, " API_AUTH_COLS("(r.auth)") " FROM wa_api_send_admit("
	    "decode($1, 'hex'), $2::inet, $3, $4::bigint, $5) r", 5, 0 },
	/* The durable insert of ticket $1: status (0: nothing inserted)
	 * and the 202 answer's body. */
	[STMT_API_SEND_PUT] = {
	    "SELECT coalesce(p.status, 0), coalesce(p.response, '') FROM "
	    "wa_api_send_put($1, $2, $3, $4::timestamptz) p", 4, 0 },
	/* Wake the dispatchers when ticket $1's message was inserted: alone
	 * in its transaction, so the NOTIFY's lock is not held through the
	 * insert's WAL flush (docs/performance.md). */
	[STMT_API_SEND_WAKE] = {
	    "SELECT pg_notify('waportal_dispatch', '') "
	    "WHERE current_setting('waportal.api_send', true) = $1 || ' sent'",
	    1, 0 },
/* A timestamp as RFC 3339 in UTC, or JSON null. */
#define API_TS(c) \
	"to_char(" c " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* One message of the API as a JSON object. */
#define API_MSG_JSON \
	"json_build_object('id', m.id, 'instance_id', m.instance_id, " \
	"'direction', m.direction, 'status', m.status, 'source', m.source, " \
	"'peer', m.peer, 'phone', m.peer_phone, 'text', m.body, " \
	"'send_at', " API_TS("m.send_at") ", 'created_at', " \
	API_TS("m.created_at") ", 'error', m.last_error"
	/* api_messages.c: the customer's ($1) messages, newest first, below
	 * the cursor $6 (0: none); filters '' when not given; $7 rows. */
	[STMT_API_MSG_LIST] = {
	    "SELECT m.id, " API_MSG_JSON ")::text FROM messages m "
	    "WHERE m.customer_id = $1::bigint AND ($2 = '' OR m.status = $2) "
	    "AND ($3 = '' OR m.instance_id = nullif($3, '')::bigint) "
	    "AND ($4 = '' OR m.direction = $4) "
	    "AND ($5 = '' OR m.created_at >= nullif($5, '')::timestamptz) "
	    "AND ($6::bigint = 0 OR m.id < $6::bigint) "
	    "ORDER BY m.id DESC LIMIT $7::integer", 7, 1 },
	/* One message ($2) of the customer ($1) with its status history. */
	[STMT_API_MSG_GET] = {
	    "SELECT " API_MSG_JSON ", 'history', (SELECT coalesce(json_agg("
	    "json_build_object('status', h.s, 'at', " API_TS("h.t") ") "
	    "ORDER BY h.t, h.o), '[]') FROM (VALUES (1, 'created', m.created_at),"
	    " (2, 'sending', m.sending_at), (3, 'sent', m.sent_at), "
	    "(4, 'delivered', m.delivered_at), (5, 'read', m.read_at), "
	    "(6, 'failed', m.failed_at), (7, 'cancelled', m.cancelled_at), "
	    "(8, 'received', m.received_at)) h(o, s, t) "
	    "WHERE h.t IS NOT NULL))::text FROM messages m "
	    "WHERE m.customer_id = $1::bigint AND m.id = $2::bigint", 2, 1 },
	[STMT_API_MSG_CANCEL] = {
	    "SELECT wa_message_cancel($1::bigint, $2::bigint)", 2, 0 },
	/* The customer's ($1) instances, or one ($2; 0: all): never the
	 * host's URL, key or secret, nor the session. */
	[STMT_API_INST_LIST] = {
	    "SELECT json_build_object('id', i.id, 'name', i.name, "
	    "'status', i.status, 'phone', i.phone, 'host', json_build_object("
	    "'name', h.name, 'city', h.city, 'country', h.country))::text "
	    "FROM instances i JOIN hosts h ON h.id = i.host_id "
	    "WHERE i.customer_id = $1::bigint AND ($2::bigint = 0 OR "
	    "i.id = $2::bigint) ORDER BY i.id", 2, 1 },
	/* api_usage.c: the key's ($1) calls and the customer's ($2) totals
	 * per UTC day, endpoint and status class over the last 30 days. */
	[STMT_API_USAGE] = {
	    "SELECT json_build_object('days', 30, 'key', coalesce((SELECT "
	    "json_agg(json_build_object('day', u.day, 'endpoint', u.endpoint,"
	    " 'class', u.class || 'xx', 'count', u.n) ORDER BY u.day DESC, "
	    "u.endpoint, u.class) FROM api_usage u WHERE u.key_id = $1::bigint"
	    " AND u.day > (wa_now() AT TIME ZONE 'UTC')::date - 30), '[]'), "
	    "'customer', coalesce((SELECT json_agg(json_build_object('day', "
	    "d.day, 'endpoint', d.endpoint, 'class', d.class || 'xx', "
	    "'count', d.n) ORDER BY d.day DESC, d.endpoint, d.class) FROM "
	    "(SELECT u.day, u.endpoint, u.class, sum(u.n) AS n FROM api_usage u"
	    " JOIN api_keys a ON a.id = u.key_id WHERE a.customer_id = "
	    "$2::bigint AND u.day > (wa_now() AT TIME ZONE 'UTC')::date - 30 "
	    "GROUP BY 1, 2, 3) d), '[]'))::text", 2, 1 },
	/* --- end block: api v1 --- */
	/* --- block: message pages --- */
/* A time in the customer's zone for the page, and in UTC for <time>. */
#define MSG_TIME(c) \
	"coalesce(to_char(" c " AT TIME ZONE u.time_zone, " \
	"'YYYY-MM-DD HH24:MI'), ''), coalesce(to_char(" c " AT TIME ZONE " \
	"'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''), "
/* The columns msglist.c reads (enum msg_col); lists show 120 code
 * points of the text, the detail page all of it. */
#define MSG_COLS(body) \
	"SELECT m.id, coalesce(m.instance_id::text, ''), " \
	"coalesce(i.name, ''), " \
	"m.status, m.peer, m.peer_phone, " body ", length(m.body) > 120, " \
	"m.attempts, m.last_error, " MSG_TIME("m.created_at") \
	MSG_TIME("m.send_at") MSG_TIME("m.sent_at") \
	MSG_TIME("m.delivered_at") MSG_TIME("m.read_at") \
	MSG_TIME("m.failed_at") MSG_TIME("m.cancelled_at") \
	MSG_TIME("m.received_at") "m.direction, u.time_zone " \
	"FROM messages m JOIN users u ON u.id = m.customer_id " \
	"LEFT JOIN instances i ON i.id = m.instance_id " \
	"AND i.customer_id = m.customer_id "
/* The moment a list's date range applies to. */
#define MSG_LIST_AT \
	"(CASE WHEN m.status = 'scheduled' THEN m.send_at " \
	"WHEN m.direction = 'in' THEN coalesce(m.received_at, m.created_at) " \
	"ELSE m.created_at END)"
/*
 * $1 customer, $2 statuses ('{a,b}'), $3 instance or NULL, $4 and $5
 * the first and last day (in the customer's zone) or NULL, $6 cursor.
 */
#define MSG_LIST_WHERE \
	"WHERE m.customer_id = $1::bigint AND m.status = ANY ($2::text[]) " \
	"AND ($3::bigint IS NULL OR m.instance_id = $3::bigint) " \
	"AND ($4::date IS NULL OR " MSG_LIST_AT " >= " \
	"($4::date::timestamp AT TIME ZONE u.time_zone)) " \
	"AND ($5::date IS NULL OR " MSG_LIST_AT " < " \
	"(($5::date + 1)::timestamp AT TIME ZONE u.time_zone)) "
	/* The customer's zone, and their instances (none: one NULL row). */
	[STMT_MSG_CONTEXT] = {
	    "SELECT u.time_zone, coalesce(i.id::text, ''), "
	    "coalesce(i.name, ''), coalesce(i.status, ''), "
	    "coalesce(i.phone, '') FROM users u "
	    "LEFT JOIN instances i ON i.customer_id = u.id WHERE u.id = $1 "
	    "ORDER BY i.id", 1, 1 },
	/* One page (MSGLIST_PAGE) and one row more, newest first, older
	 * than $6 if set. */
	[STMT_MSG_LIST_OLDER] = {
	    MSG_COLS("left(m.body, 120)") MSG_LIST_WHERE
	    "AND ($6::bigint IS NULL OR m.id < $6::bigint) "
	    "ORDER BY m.id DESC LIMIT 51", 6, 1 },
	/* The page just newer than $6, oldest first (the caller turns it). */
	[STMT_MSG_LIST_NEWER] = {
	    MSG_COLS("left(m.body, 120)") MSG_LIST_WHERE
	    "AND m.id > $6::bigint ORDER BY m.id ASC LIMIT 51", 6, 1 },
	/* One message $1 of customer $2, with its whole text. */
	[STMT_MSG_GET] = {
	    MSG_COLS("m.body") "WHERE m.id = $1::bigint "
	    "AND m.customer_id = $2::bigint", 2, 1 },
	/* Local time $2 of customer $1: 'past' (over a minute ago), 'far'
	 * (more than a year ahead) or 'ok'. */
	[STMT_MSG_SEND_AT_CHECK] = {
	    "SELECT CASE WHEN s.t < wa_now() - interval '1 minute' THEN 'past' "
	    "WHEN s.t > wa_now() + interval '366 days' THEN 'far' ELSE 'ok' END "
	    "FROM (SELECT $2::timestamp AT TIME ZONE u.time_zone AS t "
	    "FROM users u WHERE u.id = $1::bigint) s", 2, 1 },
	/* Enqueue from the portal; $5 is local time in the customer's zone
	 * (NULL: now). Returns id, status and error as text ('' for NULL). */
	[STMT_MSG_ENQUEUE] = {
	    "SELECT coalesce(e.id::text, ''), coalesce(e.status, ''), "
	    "coalesce(e.error, '') FROM wa_message_enqueue($1::bigint, "
	    "$2::bigint, $3::text, $4::text, coalesce((SELECT $5::timestamp "
	    "AT TIME ZONE u.time_zone FROM users u WHERE u.id = $1::bigint), "
	    "wa_now()), 'portal') e", 5, 0 },
	/* This month's quota: places taken, and the package's limit ('' when
	 * no active unexpired package). */
	[STMT_MSG_QUOTA] = {
	    "SELECT coalesce((SELECT c.messages FROM message_counts c "
	    "WHERE c.customer_id = $1::bigint "
	    "AND c.month = wa_customer_month($1::bigint)), 0), "
	    "coalesce((SELECT p.max_messages_month::text "
	    "FROM customer_packages cp JOIN packages p ON p.id = cp.package_id "
	    "WHERE cp.customer_id = $1::bigint AND cp.active "
	    "AND cp.starts_at <= wa_now() AND cp.expires_at > wa_now()), '')", 1, 1 },
	[STMT_MSG_CANCEL] = {
	    "SELECT wa_message_cancel($1::bigint, $2::bigint)", 2, 0 },
	/*
	 * The dashboard's figures: instances connected and all, quota places
	 * taken this month and the limit ('' without a package), queued now,
	 * scheduled, received today and sent this month (the customer's day
	 * and month).
	 */
	[STMT_MSG_DASH] = {
	    "SELECT (SELECT count(*) FROM instances i "
	    "WHERE i.customer_id = u.id AND i.status = 'connected'), "
	    "(SELECT count(*) FROM instances i WHERE i.customer_id = u.id), "
	    "coalesce((SELECT c.messages FROM message_counts c "
	    "WHERE c.customer_id = u.id "
	    "AND c.month = wa_customer_month(u.id)), 0), "
	    "coalesce((SELECT p.max_messages_month::text "
	    "FROM customer_packages cp JOIN packages p ON p.id = cp.package_id "
	    "WHERE cp.customer_id = u.id AND cp.active "
	    "AND cp.starts_at <= wa_now() AND cp.expires_at > wa_now()), ''), "
	    "(SELECT count(*) FROM messages m WHERE m.customer_id = u.id "
	    "AND m.status IN ('queued', 'sending')), "
	    "(SELECT count(*) FROM messages m WHERE m.customer_id = u.id "
	    "AND m.status = 'scheduled'), "
	    "(SELECT count(*) FROM messages m WHERE m.customer_id = u.id "
	    "AND m.status = 'received' "
	    "AND coalesce(m.received_at, m.created_at) >= "
	    "(date_trunc('day', wa_now() AT TIME ZONE u.time_zone) "
	    "AT TIME ZONE u.time_zone)), "
	    "(SELECT count(*) FROM messages m WHERE m.customer_id = u.id "
	    "AND m.status IN ('sent', 'delivered', 'read') AND m.sent_at >= "
	    "(date_trunc('month', wa_now() AT TIME ZONE u.time_zone) "
	    "AT TIME ZONE u.time_zone)), u.time_zone "
	    "FROM users u WHERE u.id = $1::bigint", 1, 1 },
	/* The zones the profile offers: IANA area/location names and UTC. */
	[STMT_TZ_NAMES] = {
	    "SELECT name FROM pg_timezone_names WHERE name ~ "
	    "'^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|"
	    "Europe|Indian|Pacific)/[A-Za-z]' OR name = 'UTC' ORDER BY name",
	    0, 1 },
	[STMT_USER_TZ] = {
	    "SELECT time_zone FROM users WHERE id = $1", 1, 1 },
	[STMT_USER_TZ_SET] = {
	    "UPDATE users SET time_zone = $2 WHERE id = $1", 2, 0 },
#undef MSG_TIME
#undef MSG_COLS
#undef MSG_LIST_AT
#undef MSG_LIST_WHERE
	/* --- end block: message pages --- */
	/* --- block: live refresh --- */
	/*
	 * The Hosts page and its live figures (columns: enum host_col in
	 * page_hosts.c). Enabled hosts only; never base_url, api_key or
	 * webhook_secret.
	 */
	[STMT_LIVE_HOSTS] = {
	    "SELECT h.id, h.name, h.city, h.country, h.capacity, count(i.id), "
	    "h.status, COALESCE(h.latency_ms::text, ''), "
	    "COALESCE(to_char(h.checked_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD HH24:MI \"UTC\"'), ''), "
	    "COALESCE(to_char(h.checked_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''), "
	    "COALESCE(h.latitude::text, ''), COALESCE(h.longitude::text, '') "
	    "FROM hosts h LEFT JOIN instances i ON i.host_id = h.id "
	    "WHERE h.enabled GROUP BY h.id "
	    "ORDER BY h.country, h.city, h.name, h.id", 0, 1 },
	/*
	 * STMT_INST_GET's columns (enum inst_col) and then when the status
	 * last changed: one instance of customer $2 for its live state.
	 */
	[STMT_LIVE_INST] = {
	    "SELECT i.id, i.name, i.status, i.phone, i.push_name, i.session, "
	    "h.name, h.driver, h.base_url, h.api_key, "
	    "to_char(i.status_changed_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
	    "FROM instances i JOIN hosts h ON h.id = i.host_id "
	    "WHERE i.id = $1 AND i.customer_id = $2", 2, 1 },
	/* --- end block: live refresh --- */
};
