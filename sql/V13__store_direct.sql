-- A batch of 1:1 messages in one round trip (issue 9). The store used to take three: lock the
-- recipients and read their sequences, then write, then COMMIT, each waiting for the previous
-- answer (~250 us each on a busy 2-core machine, most of a message's latency at low load).
-- Here the server numbers the inbox rows itself (last_seq + k, k given per message by the
-- caller) under the same locks, and commits only if no message of the batch could be refused:
-- every recipient exists, none blocks anyone, and no backlog would reach p_cap (the smaller of
-- the two inbox caps). Otherwise nothing is written and error 30001 tells the caller to run the
-- batch through the checked path, which refuses exactly the messages it must. Any other error
-- (a duplicate client message id, a deadlock) rolls back too and is handled the same way.
--
-- p_batch: [[sender, recipient, text, time, cmid or null, k], ...], message i (from 1) gets the
-- id p_first + i - 1. p_recipients: [[user, count], ...] sorted by user, so the locks are taken
-- in key order as in the checked path. Returns (user, last_seq before the batch) per recipient.
DELIMITER //
CREATE PROCEDURE store_direct(IN p_first BIGINT, IN p_batch LONGTEXT CHARACTER SET utf8mb4,
    IN p_recipients TEXT CHARACTER SET utf8mb4, IN p_cap BIGINT)
MODIFIES SQL DATA
BEGIN
  DECLARE v_found INT;
  DECLARE v_risky INT;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;
  START TRANSACTION;
  SELECT COUNT(*), COALESCE(SUM(EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = u.id)
           OR u.last_seq - COALESCE((SELECT d.seq FROM delivered d WHERE d.user_id = u.id), 0) + r.n > p_cap), 0)
    INTO v_found, v_risky
    FROM JSON_TABLE(p_recipients, '$[*]' COLUMNS (id INT PATH '$[0]', n INT PATH '$[1]')) r
    STRAIGHT_JOIN users u ON u.id = r.id
    FOR UPDATE;
  IF v_found <> JSON_LENGTH(p_recipients) OR v_risky > 0 THEN
    SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 30001, MESSAGE_TEXT = 'batch needs the checked path';
  END IF;
  INSERT INTO inbox (user_id, seq, message_id)
    SELECT m.rcpt, u.last_seq + m.k, p_first + m.idx - 1
    FROM JSON_TABLE(p_batch, '$[*]' COLUMNS (idx FOR ORDINALITY, rcpt INT PATH '$[1]', k INT PATH '$[5]')) m
    STRAIGHT_JOIN users u ON u.id = m.rcpt;
  UPDATE users u
    JOIN JSON_TABLE(p_recipients, '$[*]' COLUMNS (id INT PATH '$[0]', n INT PATH '$[1]')) r ON u.id = r.id
    SET u.last_seq = u.last_seq + r.n;
  INSERT INTO messages (id, sender_id, to_id, group_id, body, created_at, client_msg_id)
    SELECT p_first + m.idx - 1, m.sender, m.rcpt, NULL, m.body, m.at, m.cmid
    FROM JSON_TABLE(p_batch, '$[*]' COLUMNS (idx FOR ORDINALITY, sender INT PATH '$[0]', rcpt INT PATH '$[1]',
      body LONGTEXT PATH '$[2]', at DATETIME PATH '$[3]', cmid VARCHAR(64) PATH '$[4]')) m;
  SELECT r.id, u.last_seq - r.n
    FROM JSON_TABLE(p_recipients, '$[*]' COLUMNS (id INT PATH '$[0]', n INT PATH '$[1]')) r
    STRAIGHT_JOIN users u ON u.id = r.id;
  COMMIT;
END//
DELIMITER ;
