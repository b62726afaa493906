-- History pages backwards through one conversation by message id. A 1:1 conversation is two
-- ranges of (sender_id, to_id, id), one per direction; a group's is one range of (group_id, id).
ALTER TABLE messages
  ADD KEY ix_messages_direct (sender_id, to_id, id),
  ADD KEY ix_messages_group (group_id, id);
