-- Resume tokens (docs/protocol.md section 2). A token is self-contained and signed; this row is
-- only what a signature cannot say: whether it was revoked (logout, password change). Version 8
-- because V5-V7 are reserved by work merged in parallel; Flyway needs outOfOrder to apply those
-- on a database that already has this one.
CREATE TABLE tokens (
  id       CHAR(22)   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  user_id  INT        NOT NULL,
  -- epoch milliseconds, exactly as signed into the token
  expires  BIGINT     NOT NULL,
  revoked  TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  -- a password change revokes every token of the user
  KEY tokens_user (user_id),
  -- expired rows are swept in batches
  KEY tokens_expires (expires)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The signing key when CHAT_TOKEN_KEY is unset: the first node to need one inserts it, every
-- node of the cluster reads the same row, so a token from one node is valid on all of them.
CREATE TABLE token_keys (
  id         TINYINT      NOT NULL,
  secret     VARCHAR(100) CHARACTER SET ascii NOT NULL,
  created_at TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
