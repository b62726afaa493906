-- CHAT_DEDUP_WINDOW_MS: a cmid is remembered only that long, then a periodic purge sets it to NULL
-- in small batches, so uk_messages_client_msg holds a window of traffic instead of all of it.
-- The purge must find expired cmids without scanning messages: this column is the stored time of
-- messages that still hold a cmid and NULL for all others, so its index holds exactly the cmids
-- remembered, oldest first, and each purge reads only the rows it forgets. VIRTUAL: no table
-- rebuild, nothing stored in the rows.
ALTER TABLE messages
  ADD COLUMN client_msg_time DATETIME AS (IF(client_msg_id IS NULL, NULL, created_at)) VIRTUAL,
  ADD KEY ix_messages_client_msg_time (client_msg_time);
