package chat.persistence;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Every SQL statement of the node. All take parameters; none is built from client input. */
final class SqlQueries {
  private SqlQueries() {}

  static final String PING = "SELECT 1";

  static final String INSERT_USER = "INSERT INTO users (name, password_hash) VALUES (?, ?)";

  static final String SELECT_USER =
      "SELECT id, name, password_hash, delivered_seq FROM users WHERE id = ?";

  static final String SELECT_FRIENDS =
      "SELECT u.id, u.name FROM friends f JOIN users u ON u.id = f.friend_id"
          + " WHERE f.user_id = ? ORDER BY u.id";

  static final String SELECT_GROUPS_OF_USER =
      "SELECT g.id, g.name, g.description FROM group_members m"
          + " JOIN chat_groups g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY g.id";

  static final String SELECT_MEMBERS_OF_USERS_GROUPS =
      "SELECT m.group_id, u.id, u.name, m.role FROM group_members mine"
          + " JOIN group_members m ON m.group_id = mine.group_id"
          + " JOIN users u ON u.id = m.user_id"
          + " WHERE mine.user_id = ? ORDER BY m.group_id, m.joined_at, u.id";

  static final String SELECT_INBOX_PAGE =
      "SELECT i.seq, m.sender_id, u.name, m.to_id, m.group_id, m.body, m.created_at"
          + " FROM inbox i JOIN messages m ON m.id = i.message_id"
          + " JOIN users u ON u.id = m.sender_id"
          + " WHERE i.user_id = ? AND i.seq > ? ORDER BY i.seq LIMIT ?";

  static final String MARK_DELIVERED =
      "UPDATE users SET delivered_seq = GREATEST(delivered_seq, ?) WHERE id = ?";

  /**
   * Reserves {@code n} sequence numbers for a user; LAST_INSERT_ID(expr) hands the new last
   * value back in the OK packet, so no second query is needed. Zero rows: no such user.
   */
  static final String RESERVE_SEQ =
      "UPDATE users SET last_seq = LAST_INSERT_ID(last_seq + ?) WHERE id = ?";

  static final String INSERT_MESSAGE =
      "INSERT INTO messages (sender_id, to_id, group_id, body, created_at) VALUES (?, ?, ?, ?, ?)";

  static final String INSERT_FRIEND =
      "INSERT INTO friends (user_id, friend_id) VALUES (?, ?)"
          + " ON DUPLICATE KEY UPDATE friend_id = friend_id";

  static final String INSERT_GROUP =
      "INSERT INTO chat_groups (name, description, creator_id) VALUES (?, ?, ?)";

  static final String INSERT_MEMBER =
      "INSERT INTO group_members (group_id, user_id, role) VALUES (?, ?, ?)"
          + " ON DUPLICATE KEY UPDATE role = role";

  static String selectLastSeqs(int users) {
    return "SELECT id, last_seq FROM users WHERE id IN (" + "?, ".repeat(users - 1) + "?)";
  }

  /** Members of the groups in a batch, read inside the batch's transaction. */
  static String selectMembersOfGroups(int groups) {
    return "SELECT g.id, m.user_id FROM chat_groups g LEFT JOIN group_members m ON m.group_id = g.id"
        + " WHERE g.id IN (" + "?, ".repeat(groups - 1) + "?) ORDER BY g.id, m.joined_at, m.user_id";
  }

  private static final ConcurrentMap<Integer, String> INBOX_INSERTS = new ConcurrentHashMap<>();

  /** A multi-row insert of {@code rows} inbox rows; one text per size keeps the cache small. */
  static String insertInbox(int rows) {
    return INBOX_INSERTS.computeIfAbsent(
        rows,
        n -> {
          StringBuilder sql = new StringBuilder("INSERT INTO inbox (user_id, seq, message_id) VALUES ");
          for (int i = 0; i < n; i++) {
            sql.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
          }
          return sql.toString();
        });
  }

  /** MySQL error numbers we act on, detected by code and never by message text. */
  static final int ER_DUP_ENTRY = 1062;

  static final int ER_NO_REFERENCED_ROW = 1452;
}
