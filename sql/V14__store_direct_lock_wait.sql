-- store_direct (V13) again, with three changes found in review:
-- * p_lock_wait (seconds) bounds every lock wait inside the call, below the store's request
--   timeout. The caller cannot abandon a call in flight as it abandons a checked batch before its
--   COMMIT; a call that waited on a lock for longer than that timeout used to be answered late,
--   and could then commit messages already reported as failed, or number a recipient's message
--   after a later batch's. Now such a call fails with ER_LOCK_WAIT_TIMEOUT, rolls back, and the
--   batch takes the checked path in time. The session's own setting is put back on every exit.
-- * Every join to users reads the batch first and users by primary key (STRAIGHT_JOIN, FORCE
--   INDEX): on a small users table the optimizer ran the UPDATE the other way round, scanning and
--   locking every user's row, so a batch waited for a lock on a user it does not write to.
-- * A delivered mark ahead of last_seq (a restored database) counts as an empty backlog, as in
--   the checked path (InboxCap), not as a negative one that would let more messages in.
DROP PROCEDURE IF EXISTS store_direct;
DELIMITER //
CREATE PROCEDURE store_direct(IN p_first BIGINT, IN p_batch LONGTEXT CHARACTER SET utf8mb4,
    IN p_recipients TEXT CHARACTER SET utf8mb4, IN p_cap BIGINT, IN p_lock_wait INT)
MODIFIES SQL DATA
BEGIN
  DECLARE v_found INT;
  DECLARE v_risky INT;
  DECLARE v_wait INT DEFAULT @@SESSION.innodb_lock_wait_timeout;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    SET SESSION innodb_lock_wait_timeout = v_wait;
    RESIGNAL;
  END;
  SET SESSION innodb_lock_wait_timeout = p_lock_wait;
  START TRANSACTION;
  SELECT COUNT(*), COALESCE(SUM(EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = u.id)
           OR GREATEST(0, u.last_seq - COALESCE((SELECT d.seq FROM delivered d WHERE d.user_id = u.id), 0)) + r.n > p_cap), 0)
    INTO v_found, v_risky
    FROM JSON_TABLE(p_recipients, '$[*]' COLUMNS (id INT PATH '$[0]', n INT PATH '$[1]')) r
    STRAIGHT_JOIN users u FORCE INDEX (PRIMARY) ON u.id = r.id
    FOR UPDATE;
  IF v_found <> JSON_LENGTH(p_recipients) OR v_risky > 0 THEN
    SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 30001, MESSAGE_TEXT = 'batch needs the checked path';
  END IF;
  INSERT INTO inbox (user_id, seq, message_id)
    SELECT m.rcpt, u.last_seq + m.k, p_first + m.idx - 1
    FROM JSON_TABLE(p_batch, '$[*]' COLUMNS (idx FOR ORDINALITY, rcpt INT PATH '$[1]', k INT PATH '$[5]')) m
    STRAIGHT_JOIN users u FORCE INDEX (PRIMARY) ON u.id = m.rcpt;
  UPDATE JSON_TABLE(p_recipients, '$[*]' COLUMNS (id INT PATH '$[0]', n INT PATH '$[1]')) r
    STRAIGHT_JOIN users u FORCE INDEX (PRIMARY) ON u.id = r.id
    SET u.last_seq = u.last_seq + r.n;
  INSERT INTO messages (id, sender_id, to_id, group_id, body, created_at, client_msg_id)
    SELECT p_first + m.idx - 1, m.sender, m.rcpt, NULL, m.body, m.at, m.cmid
    FROM JSON_TABLE(p_batch, '$[*]' COLUMNS (idx FOR ORDINALITY, sender INT PATH '$[0]', rcpt INT PATH '$[1]',
      body LONGTEXT PATH '$[2]', at DATETIME PATH '$[3]', cmid VARCHAR(64) PATH '$[4]')) m;
  SELECT r.id, u.last_seq - r.n
    FROM JSON_TABLE(p_recipients, '$[*]' COLUMNS (id INT PATH '$[0]', n INT PATH '$[1]')) r
    STRAIGHT_JOIN users u FORCE INDEX (PRIMARY) ON u.id = r.id;
  COMMIT;
  SET SESSION innodb_lock_wait_timeout = v_wait;
END//
DELIMITER ;
