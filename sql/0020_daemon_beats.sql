-- 0020_daemon_beats.sql: the daemons' heartbeats: each waportal-dispatch writes its row at every housekeeping round and deletes it when it stops cleanly, so /readyz can say whether one is alive (a row beating), late (a row that stopped beating: killed or stuck) or none (no row).
CREATE TABLE daemon_beats (
	owner		text PRIMARY KEY CHECK (length(owner) BETWEEN 1 AND 100),
	prog		text NOT NULL CHECK (prog IN ('dispatch')),
	version		text NOT NULL CHECK (length(version) <= 32),
	started_at	timestamptz NOT NULL DEFAULT wa_now(),
	beat_at		timestamptz NOT NULL DEFAULT wa_now()
);
CREATE INDEX daemon_beats_prog ON daemon_beats (prog, beat_at);
