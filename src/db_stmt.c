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
	    " applied_at timestamptz NOT NULL DEFAULT now())", 0, 0 },
	[STMT_MIGRATIONS_APPLIED] = {
	    "SELECT name, to_char(applied_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF') "
	    "FROM schema_migrations ORDER BY name", 0, 1 },
	[STMT_MIGRATION_RECORD] = {
	    "INSERT INTO schema_migrations (name) VALUES ($1)", 1, 0 },
	[STMT_DISPATCH_LISTEN] = { "LISTEN waportal_dispatch", 0, 0 },
	/* --- block: waportalctl account statements --- */
	/* --- end block: waportalctl account statements --- */
	/* --- block: sessions and sign-in --- */
	/*
	 * A live session: not idle longer than $2 s, not older than $3 s,
	 * its user not disabled. Touching it is harmless to repeat.
	 */
	[STMT_SESSION_TOUCH] = {
	    "UPDATE sessions s SET last_seen_at = now() FROM users u "
	    "WHERE s.token_hash = decode($1, 'hex') AND u.id = s.user_id "
	    "AND u.disabled_at IS NULL "
	    "AND s.last_seen_at > now() - make_interval(secs => $2::int) "
	    "AND s.created_at > now() - make_interval(secs => $3::int) "
	    "RETURNING u.id, u.role, u.name, u.email, u.language, "
	    "s.csrf_token, "
	    "COALESCE((SELECT a.version FROM avatars a "
	    "WHERE a.user_id = u.id), 0)", 3, 1 },
	[STMT_SESSION_CREATE] = {
	    "INSERT INTO sessions (token_hash, user_id, csrf_token) "
	    "VALUES (decode($1, 'hex'), $2, $3)", 3, 0 },
	[STMT_SESSION_DELETE] = {
	    "DELETE FROM sessions WHERE token_hash = decode($1, 'hex')", 1, 0 },
	[STMT_SESSIONS_EXPIRE] = {
	    "DELETE FROM sessions "
	    "WHERE last_seen_at < now() - make_interval(secs => $1::int) "
	    "OR created_at < now() - make_interval(secs => $2::int)", 2, 0 },
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
	    "(WHERE email = $1) + make_interval(secs => $3::int) - now())), 0), "
	    "COALESCE(ceil(extract(epoch FROM min(failed_at) FILTER "
	    "(WHERE remote_addr = $2) + make_interval(secs => $3::int) - "
	    "now())), 0) "
	    "FROM login_failures WHERE (email = $1 OR remote_addr = $2) "
	    "AND failed_at > now() - make_interval(secs => $3::int)", 3, 1 },
	[STMT_LOGIN_FAIL] = {
	    "INSERT INTO login_failures (email, remote_addr) VALUES ($1, $2)",
	    2, 0 },
	[STMT_LOGIN_CLEAR] = {
	    "DELETE FROM login_failures WHERE email = $1", 1, 0 },
	[STMT_LOGIN_FAILURES_EXPIRE] = {
	    "DELETE FROM login_failures "
	    "WHERE failed_at < now() - interval '1 day'", 0, 0 },
	[STMT_PASSWORD_REHASH] = {
	    "UPDATE users SET password_hash = $2 WHERE id = $1", 2, 0 },
	/* The customer's active package and how long it has left. */
	[STMT_DASH_PACKAGE] = {
	    "SELECT p.name, p.max_instances, p.max_contacts, "
	    "p.max_messages_month, p.max_api_keys, p.api_rpm, p.price_text, "
	    "to_char(cp.expires_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	    "to_char(cp.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), "
	    "GREATEST(0, ceil(extract(epoch FROM cp.expires_at - now()) "
	    "/ 86400))::int, cp.expires_at <= now() "
	    "FROM customer_packages cp JOIN packages p ON p.id = cp.package_id "
	    "WHERE cp.customer_id = $1 AND cp.active", 1, 1 },
	[STMT_DASH_DEALER] = {
	    "SELECT d.name, d.contact_person, d.email, d.phone, d.whatsapp, "
	    "d.address FROM users u JOIN dealers d ON d.id = u.dealer_id "
	    "WHERE u.id = $1", 1, 1 },
	/* --- end block: sessions and sign-in --- */
};
