-- What was written to each user's connections moves out of users: gateways now record it as
-- soon as it changes (to keep re-sends after a node crash to a few milliseconds of traffic), and
-- users rows are locked by every message batch that reserves sequence numbers. No foreign key:
-- its check would take a shared lock on the users row and queue behind those batches too.
CREATE TABLE delivered (
  user_id INT    NOT NULL,
  -- every message with seq <= this was written to one of the user's connections
  seq     BIGINT NOT NULL,
  PRIMARY KEY (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO delivered (user_id, seq) SELECT id, delivered_seq FROM users WHERE delivered_seq > 0;

ALTER TABLE users DROP COLUMN delivered_seq;
