-- v2 clients name each message they send (cmid); a resend with the same name must find the
-- stored one instead of storing it again, on any node. The unique key enforces that in the store
-- itself, so no cache or window on a node can let a duplicate through. Classic messages leave it
-- NULL, and NULLs never collide in a unique key.
ALTER TABLE messages
  ADD COLUMN client_msg_id VARCHAR(64) NULL,
  ADD UNIQUE KEY uk_messages_client_msg (sender_id, client_msg_id);
