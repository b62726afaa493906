-- Schema of the chat node. utf8mb4 everywhere, so Chinese text and emoji round-trip.

CREATE TABLE users (
  id            INT          NOT NULL AUTO_INCREMENT,
  name          VARCHAR(50)  NOT NULL,
  password_hash VARCHAR(100) NOT NULL,
  -- last sequence number given to a message for this user; gap-free per user
  last_seq      BIGINT       NOT NULL DEFAULT 0,
  -- every message with seq <= delivered_seq was written to one of the user's connections
  delivered_seq BIGINT       NOT NULL DEFAULT 0,
  created_at    DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uk_users_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per direction: "user_id added friend_id". The key makes a double add impossible.
CREATE TABLE friends (
  user_id   INT NOT NULL,
  friend_id INT NOT NULL,
  PRIMARY KEY (user_id, friend_id),
  CONSTRAINT fk_friends_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_friends_friend FOREIGN KEY (friend_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- "groups" is a reserved word in MySQL 8.
CREATE TABLE chat_groups (
  id          INT          NOT NULL AUTO_INCREMENT,
  name        VARCHAR(50)  NOT NULL,
  description VARCHAR(200) NOT NULL DEFAULT '',
  creator_id  INT          NOT NULL,
  created_at  DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  CONSTRAINT fk_groups_creator FOREIGN KEY (creator_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE group_members (
  group_id  INT                        NOT NULL,
  user_id   INT                        NOT NULL,
  role      ENUM('creator', 'normal')  NOT NULL,
  joined_at DATETIME                   NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (group_id, user_id),
  KEY ix_group_members_user (user_id),
  CONSTRAINT fk_members_group FOREIGN KEY (group_id) REFERENCES chat_groups (id),
  CONSTRAINT fk_members_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every accepted message, once. body is MEDIUMTEXT so that any text that fits in a frame
-- (CHAT_MAX_FRAME_BYTES is capped at 16 MiB) is stored whole.
CREATE TABLE messages (
  id         BIGINT     NOT NULL AUTO_INCREMENT,
  sender_id  INT        NOT NULL,
  to_id      INT        NULL,
  group_id   INT        NULL,
  body       MEDIUMTEXT NOT NULL,
  created_at DATETIME   NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each recipient's ordered view of the messages: (user_id, seq) is the per-user sequence that
-- offline delivery and history sync read. A group message has one row per member.
CREATE TABLE inbox (
  user_id    INT    NOT NULL,
  seq        BIGINT NOT NULL,
  message_id BIGINT NOT NULL,
  PRIMARY KEY (user_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
