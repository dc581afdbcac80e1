-- 0023_receipts.sql: receipts reconciliation: the dispatcher looks up, on the gateway, the ack of a message left "sent" or "delivered" past a threshold (a message.ack webhook that never arrived) and applies it with wa_message_ack, as the webhook would (docs/dispatcher.md, "Receipts reconciliation").

-- ack_checked_at: the last lookup of this message (NULL: never, or the
-- last one failed and the next pass may try again); ack_unknown: the
-- gateway answered 404 (it does not know the message), so it is never
-- looked up again.
ALTER TABLE messages
	ADD COLUMN ack_checked_at timestamptz,
	ADD COLUMN ack_unknown boolean NOT NULL DEFAULT false;

-- The pass: each instance's outbound messages waiting for an ack, oldest
-- first (read per instance, so a host with nothing waiting costs nothing).
CREATE INDEX messages_ack_due ON messages (instance_id, sent_at, id)
	WHERE direction = 'out' AND status IN ('sent', 'delivered')
	AND gateway_id IS NOT NULL AND NOT ack_unknown;
