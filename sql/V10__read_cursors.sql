-- How far each user has read each conversation: unread counts are derived from it and the
-- messages (ids after the cursor, from others), never kept as counters that can drift.
-- kind 'user': peer_id is the other user of a 1:1 conversation; 'group': a group id.
-- The cursor only moves forward (GREATEST on write). No foreign keys, as in V3 and V9: their
-- shared locks on users rows would contend with message batches.
CREATE TABLE read_cursors (
  user_id    INT                    NOT NULL,
  kind       ENUM('user', 'group')  NOT NULL,
  peer_id    INT                    NOT NULL,
  message_id BIGINT                 NOT NULL,
  PRIMARY KEY (user_id, kind, peer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
