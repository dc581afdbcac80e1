-- 0031_broadcast_scopes.sql: the API keys' scopes of the broadcasts
-- (issue 14): broadcasts:read (list, get with its figures, recipients) and
-- broadcasts:write (create or dry-run, pause, resume, cancel). Every scope
-- of sql/0018 kept.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_scopes_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scopes_check CHECK (scopes <@
	ARRAY['messages:send', 'messages:read', 'instances:read',
	'contacts:read', 'contacts:write', 'messages:transactional',
	'broadcasts:read', 'broadcasts:write']::text[]);
