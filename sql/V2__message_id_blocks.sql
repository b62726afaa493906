-- Message ids are handed out in blocks (hi/lo): a node reserves a range with one UPDATE and
-- then inserts many messages in one multi-row INSERT with ids it already knows. AUTO_INCREMENT
-- cannot give a multi-row INSERT's ids back reliably (innodb_autoinc_lock_mode=2, MySQL 8's
-- default, interleaves them).
CREATE TABLE id_blocks (
  name    VARCHAR(32) NOT NULL,
  next_id BIGINT      NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO id_blocks (name, next_id) SELECT 'messages', COALESCE(MAX(id), 0) + 1 FROM messages;
