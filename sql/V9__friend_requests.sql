-- Friendship with consent. A friendship is still the two `friends` rows; a pending request is a
-- row here until the other side accepts (both friends rows) or declines (the row goes).
-- No foreign keys (as in V3): their checks take shared locks on users rows, which every message
-- batch locks to reserve sequence numbers; the code checks that users exist instead.
CREATE TABLE friend_requests (
  from_id    INT      NOT NULL,
  to_id      INT      NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (from_id, to_id),
  -- the incoming requests of a user
  KEY ix_friend_requests_to (to_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- "user_id blocks blocked_id". The store looks each direct message up by primary key.
CREATE TABLE blocks (
  user_id    INT NOT NULL,
  blocked_id INT NOT NULL,
  PRIMARY KEY (user_id, blocked_id),
  -- who blocks a user: a request or classic addfriend checks both directions
  KEY ix_blocks_blocked (blocked_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
