-- The store's epoch: a random id made once, when the database is created. Sequence numbers are
-- only meaningful within one epoch; a restored or recreated database has another, so clients
-- that see it change drop their numbers and sync from 0.
CREATE TABLE meta (
  name  VARCHAR(32)  NOT NULL,
  value VARCHAR(64)  NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO meta (name, value) VALUES ('epoch', UUID());
