-- 0035_broadcast_fk.sql: starting a broadcast faster (issue 14's
-- benchmark, docs/performance.md "Sending a broadcast"): the foreign keys
-- of broadcast_recipients.broadcast_id and messages.broadcast_id checked
-- each row (a trigger and a locking query per row: half of a resolution
-- batch, a quarter of a queueing batch). They are replaced by a lock and
-- a trigger: the only statements that write these columns
-- (aud_bcast.batch, bcast_queue.put) lock their broadcast's row once
-- (FOR KEY SHARE, FOR NO KEY UPDATE) and write nothing when it is gone,
-- so a broadcast deleted meanwhile waits for their commit; its deletion
-- then removes its recipients and sets its messages' broadcast_id NULL,
-- as ON DELETE CASCADE and ON DELETE SET NULL did.

ALTER TABLE broadcast_recipients
	DROP CONSTRAINT broadcast_recipients_broadcast_id_fkey;
ALTER TABLE messages DROP CONSTRAINT messages_broadcast_id_fkey;

-- A broadcast deleted: its recipients with it, its messages kept without
-- it (each statement sees the rows committed while it waited for the
-- row's lock).
CREATE FUNCTION wa_broadcast_gone() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM broadcast_recipients WHERE broadcast_id = OLD.id;
	UPDATE messages SET broadcast_id = NULL WHERE broadcast_id = OLD.id;
	RETURN NULL;
END;
$$;
CREATE TRIGGER broadcasts_gone AFTER DELETE ON broadcasts
	FOR EACH ROW EXECUTE FUNCTION wa_broadcast_gone();
