package chat.persistence;

import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Every SQL statement of the node. All take parameters; none is built from client input. */
final class SqlQueries {
  private SqlQueries() {}

  static final String PING = "SELECT 1";

  /** Names are unique (uk_users_name), so this is one index lookup. */
  static final String SELECT_USER_BY_NAME = "SELECT id, name FROM users WHERE name = ?";
  static final String INSERT_USER = "INSERT INTO users (name, password_hash) VALUES (?, ?)";

  static final String SELECT_USER =
      "SELECT u.id, u.name, u.password_hash, COALESCE(d.seq, 0) AS delivered_seq"
          + " FROM users u LEFT JOIN delivered d ON d.user_id = u.id WHERE u.id = ?";

  static final String SELECT_FRIENDS =
      "SELECT u.id, u.name, EXISTS (SELECT 1 FROM friends b WHERE b.user_id = f.friend_id AND b.friend_id = f.user_id) AS mutual"
          + " FROM friends f JOIN users u ON u.id = f.friend_id WHERE f.user_id = ? ORDER BY u.id";

  static final String SELECT_GROUPS_OF_USER =
      "SELECT g.id, g.name, g.description FROM group_members m"
          + " JOIN chat_groups g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY g.id";

  static final String SELECT_MEMBERS_OF_USERS_GROUPS =
      "SELECT m.group_id, u.id, u.name, m.role FROM group_members mine"
          + " JOIN group_members m ON m.group_id = mine.group_id"
          + " JOIN users u ON u.id = m.user_id"
          + " WHERE mine.user_id = ? ORDER BY m.group_id, m.joined_at, u.id";

  /**
   * (user_id, after, limit, bytes) -> the next inbox rows in order: at most {@code limit}, and
   * only as many as fit in {@code bytes} of bodies plus the one that crosses it (so the caller
   * knows more follow). Large backlogs stay in the database instead of crossing the wire and
   * the heap only to be cut. The limit applies first, so the window sum reads at most that many bodies.
   * The page is read from the inbox's primary key and the rest by primary key in that order
   * (FORCE INDEX, STRAIGHT_JOIN): right after 4 million inbox rows were loaded, while the
   * statistics still described the small table, two pages read every row (7.7 and 10.3 s each).
   */
  static final String SELECT_INBOX_PAGE =
      "SELECT seq, id, sender_id, name, to_id, group_id, body, created_at FROM ("
          + "SELECT p.seq, m.id, m.sender_id, u.name, m.to_id, m.group_id, m.body, m.created_at,"
          + " SUM(LENGTH(m.body)) OVER (ORDER BY p.seq) - LENGTH(m.body) AS bytes_before"
          + " FROM (SELECT seq, message_id FROM inbox FORCE INDEX (PRIMARY) WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?) p"
          + " STRAIGHT_JOIN messages m ON m.id = p.message_id"
          + " STRAIGHT_JOIN users u ON u.id = m.sender_id) page"
          + " WHERE bytes_before <= ? ORDER BY seq";

  static final String MESSAGE_EXISTS = "SELECT COUNT(*) FROM messages WHERE id = ?";

  /**
   * (first id, batch, recipients, cap, lock wait in s) -> (user, last_seq before the batch) per
   * recipient: a batch of 1:1 messages stored in one round trip, or nothing and
   * ER_NEEDS_CHECKED_PATH (V13, V14). The server ends the call after {@code limitMs}.
   */
  static String storeDirect(long limitMs) {
    // the time limit is the node's own number, in steps of 100 ms: a few statement texts
    return STORE_DIRECTS.computeIfAbsent(limitMs, ms -> String.format(java.util.Locale.ROOT,
        "SET STATEMENT max_statement_time = %.1f FOR CALL store_direct(?, ?, ?, ?, ?)", ms / 1000.0));
  }

  private static final ConcurrentMap<Long, String> STORE_DIRECTS = new ConcurrentHashMap<>();

  /** store_direct's refusal: some message of the batch might have to be refused, so none was written. */
  static final int ER_NEEDS_CHECKED_PATH = 30001;

  /** (first id, last id, users...) -> (user_id, seq, message_id): a batch's inbox rows, read after a commit that got no answer. */
  static String inboxOfMessages(int users) {
    return "SELECT user_id, seq, message_id FROM inbox WHERE message_id BETWEEN ? AND ? AND user_id IN ("
        + "?, ".repeat(users - 1) + "?)";
  }

  static final String SELECT_EPOCH = "SELECT value FROM meta WHERE name = 'epoch'";

  /** (id) -> 1 when the user exists. */
  static final String USER_EXISTS = "SELECT COUNT(*) FROM users WHERE id = ?";

  /** (group, group, user) -> whether the group exists, whether the user is in it. */
  static final String GROUP_MEMBERSHIP =
      "SELECT EXISTS (SELECT 1 FROM chat_groups WHERE id = ?) AS found,"
          + " EXISTS (SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?) AS member";

  private static final String MESSAGE_COLUMNS =
      "m.id, m.sender_id, u.name, m.to_id, m.group_id, m.body, m.created_at";

  /**
   * (a, b, before, n, b, a, before, n, n) -> a 1:1 conversation newest first: each direction is
   * one backwards range of ix_messages_direct, merged and cut again, then read by primary key
   * (STRAIGHT_JOIN, as in {@link #SELECT_INBOX_PAGE}).
   */
  static final String SELECT_DIRECT_HISTORY =
      "SELECT " + MESSAGE_COLUMNS + " FROM ("
          + "(SELECT id FROM messages WHERE sender_id = ? AND to_id = ? AND id < ? ORDER BY id DESC LIMIT ?)"
          + " UNION ALL"
          + " (SELECT id FROM messages WHERE sender_id = ? AND to_id = ? AND id < ? ORDER BY id DESC LIMIT ?)"
          + " ORDER BY id DESC LIMIT ?) page"
          + " STRAIGHT_JOIN messages m ON m.id = page.id STRAIGHT_JOIN users u ON u.id = m.sender_id ORDER BY m.id DESC";

  /** (group, before, n) -> a group's messages newest first, one backwards range of ix_messages_group. */
  static final String SELECT_GROUP_HISTORY =
      "SELECT " + MESSAGE_COLUMNS + " FROM messages m STRAIGHT_JOIN users u ON u.id = m.sender_id"
          + " WHERE m.group_id = ? AND m.id < ? ORDER BY m.id DESC LIMIT ?";

  // --- read cursors and unread counts (V10) ---

  /**
   * How many of a user's newest inbox rows are searched for people who wrote to it: a partner
   * who only wrote before them, and whom the user never wrote to, is not listed (the list is
   * most recent first and bounded anyway). Keeps a login's cost independent of the inbox's size.
   */
  static final int INBOX_SCAN = 10_000;

  /**
   * Unread counts stop here (a client shows "999+"): whatever the backlog, a 1:1 count reads at
   * most twice this many index entries (the probe, then the count), a group's at most six times.
   * Counting every unread message made a login's cost grow with the backlog: with 200 users
   * holding 20,000 unread each logging in at once, the list took 31-314 ms per login.
   */
  static final int UNREAD_CAP = 1_000;

  /** A 1:1 conversation's messages to the user after its cursor (ix_messages_direct). */
  private static final String DIRECT_UNREAD =
      "FROM messages x WHERE x.sender_id = c.peer AND x.to_id = ? AND x.id > COALESCE(r.message_id, 0)";

  /** A group's messages after the user's cursor (ix_messages_group). */
  private static final String GROUP_UNREAD =
      "FROM messages x WHERE x.group_id = g.peer AND x.id > COALESCE(r.message_id, 0)";

  /** {@link #UNREAD_CAP} once {@code rows} holds {@code window} messages (one index probe), else {@code count}. */
  private static String capped(String rows, int window, String count) {
    return " CASE WHEN (SELECT x.id " + rows + " ORDER BY x.id LIMIT 1 OFFSET " + (window - 1) + ") IS NOT NULL"
        + " THEN " + UNREAD_CAP + " ELSE " + count + " END";
  }

  /**
   * (me, me, me, me, me, me, limit, me) -> peer, last, read_upto, unread: the user's 1:1
   * conversations, most recent first. Partners are those the user wrote to (a loose scan of
   * ix_messages_direct, one step per partner: grouped by the whole prefix, since grouped by to_id
   * alone the optimizer read every message the user sent, 7 ms for 20,000) and those who wrote to
   * the user among its newest inbox rows (STRAIGHT_JOIN: from those rows into messages by primary
   * key, never a scan of messages); a partner's last message is one backwards step of the index.
   * Each count reads at most twice {@link #UNREAD_CAP} entries of ix_messages_direct after the
   * cursor (the probe, then the count below the cap), from the index alone.
   */
  static final String SELECT_DIRECT_CONVERSATIONS =
      "SELECT c.peer, c.last, COALESCE(r.message_id, 0) AS read_upto,"
          + capped(DIRECT_UNREAD, UNREAD_CAP, "(SELECT COUNT(*) " + DIRECT_UNREAD + ")") + " AS unread"
          + " FROM (SELECT peer, MAX(last) AS last FROM ("
          + "SELECT to_id AS peer, MAX(id) AS last FROM messages FORCE INDEX (ix_messages_direct)"
          + " WHERE sender_id = ? AND to_id IS NOT NULL GROUP BY sender_id, to_id"
          + " UNION ALL SELECT s.sender_id,"
          + " (SELECT id FROM messages WHERE sender_id = s.sender_id AND to_id = ? ORDER BY id DESC LIMIT 1) FROM ("
          + "SELECT DISTINCT m.sender_id FROM (SELECT message_id FROM inbox FORCE INDEX (PRIMARY) WHERE user_id = ? ORDER BY seq DESC LIMIT " + INBOX_SCAN + ") i"
          + " STRAIGHT_JOIN messages m ON m.id = i.message_id WHERE m.to_id = ?) s"
          + ") both_ways GROUP BY peer ORDER BY last DESC LIMIT ?) c"
          + " LEFT JOIN read_cursors r ON r.user_id = ? AND r.kind = 'user' AND r.peer_id = c.peer"
          + " ORDER BY c.last DESC";

  /**
   * (me, me, me, limit) -> peer, last, read_upto, unread: the user's groups that have messages, most
   * recent first. Unread is the group's messages after the cursor (ix_messages_group, index only)
   * less the user's own there (ix_messages_direct with to_id NULL: only the user's own group
   * messages), at most {@link #UNREAD_CAP}; with twice that many messages after the cursor it is
   * the cap without counting, even when most of them are the user's own (docs/protocol.md: only
   * the others' could be counted from an index, and none has the sender after the group).
   */
  static final String SELECT_GROUP_CONVERSATIONS =
      "SELECT g.peer, g.last, COALESCE(r.message_id, 0) AS read_upto,"
          + capped(GROUP_UNREAD, 2 * UNREAD_CAP, "LEAST(" + UNREAD_CAP + ", (SELECT COUNT(*) " + GROUP_UNREAD + ")"
              + " - (SELECT COUNT(*) FROM messages y WHERE y.sender_id = ? AND y.to_id IS NULL AND y.group_id = g.peer"
              + " AND y.id > COALESCE(r.message_id, 0)))") + " AS unread"
          + " FROM (SELECT gm.group_id AS peer,"
          + " (SELECT id FROM messages WHERE group_id = gm.group_id ORDER BY id DESC LIMIT 1) AS last"
          + " FROM group_members gm WHERE gm.user_id = ?) g"
          + " LEFT JOIN read_cursors r ON r.user_id = ? AND r.kind = 'group' AND r.peer_id = g.peer"
          + " WHERE g.last IS NOT NULL ORDER BY g.last DESC LIMIT ?";

  /** (peer, me, peer, peer, me, me, peer) -> found, last message of the 1:1 conversation (0: none), the cursor (0: none). */
  static final String DIRECT_READ_CHECK =
      "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?) AS found, 1 AS member,"
          + " GREATEST(COALESCE((SELECT MAX(id) FROM messages WHERE sender_id = ? AND to_id = ?), 0),"
          + " COALESCE((SELECT MAX(id) FROM messages WHERE sender_id = ? AND to_id = ?), 0)) AS last,"
          + " COALESCE((SELECT message_id FROM read_cursors WHERE user_id = ? AND kind = 'user' AND peer_id = ?), 0) AS read_upto";

  /** (group, group, me, group, me, group) -> found, member, last message of the group (0: none), the cursor (0: none). */
  static final String GROUP_READ_CHECK =
      "SELECT EXISTS (SELECT 1 FROM chat_groups WHERE id = ?) AS found,"
          + " EXISTS (SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?) AS member,"
          + " COALESCE((SELECT MAX(id) FROM messages WHERE group_id = ?), 0) AS last,"
          + " COALESCE((SELECT message_id FROM read_cursors WHERE user_id = ? AND kind = 'group' AND peer_id = ?), 0) AS read_upto";

  /** (user, kind, peer, message_id): forward only, whatever order concurrent reads commit in. */
  static final String MOVE_READ_CURSOR =
      "INSERT INTO read_cursors (user_id, kind, peer_id, message_id) VALUES (?, ?, ?, ?)"
          + " ON DUPLICATE KEY UPDATE message_id = GREATEST(message_id, VALUES(message_id))";

  /** Reserves a block of message ids; LAST_INSERT_ID(expr) returns the block's end. */
  static final String TAKE_MESSAGE_IDS =
      "UPDATE id_blocks SET next_id = LAST_INSERT_ID(next_id + ?) WHERE name = 'messages'";

  static final String INSERT_FRIEND =
      "INSERT INTO friends (user_id, friend_id) VALUES (?, ?)"
          + " ON DUPLICATE KEY UPDATE friend_id = friend_id";

  // --- friend requests and blocks (V9) ---

  /**
   * (other, me, other, other, me, other, me, me, other, other, me) -> the other's name (null: no
   * such user), how many of the two friends rows exist, whether the other has asked me, and
   * whether either side blocks the other. One round trip for every check a request needs.
   */
  static final String RELATION =
      "SELECT (SELECT name FROM users WHERE id = ?) AS other_name,"
          + " (SELECT COUNT(*) FROM friends WHERE (user_id = ? AND friend_id = ?) OR (user_id = ? AND friend_id = ?)) AS friend_rows,"
          + " EXISTS (SELECT 1 FROM friend_requests WHERE from_id = ? AND to_id = ?) AS incoming,"
          + " EXISTS (SELECT 1 FROM blocks WHERE (user_id = ? AND blocked_id = ?) OR (user_id = ? AND blocked_id = ?)) AS blocked";

  /** (me, me) -> kind, id, name: the pending requests to and from the user, for the login snapshot. */
  static final String SELECT_REQUESTS_OF_USER =
      "SELECT 'incoming' AS kind, u.id, u.name FROM friend_requests r JOIN users u ON u.id = r.from_id WHERE r.to_id = ?"
          + " UNION ALL SELECT 'outgoing', u.id, u.name FROM friend_requests r JOIN users u ON u.id = r.to_id WHERE r.from_id = ?"
          + " ORDER BY 1, 2";

  static final String USER_NAME = "SELECT name FROM users WHERE id = ?";

  /** (a, b, b, a) -> rows: does either block the other. */
  static final String BLOCKED_EITHER_WAY =
      "SELECT user_id FROM blocks WHERE (user_id = ? AND blocked_id = ?) OR (user_id = ? AND blocked_id = ?)";

  /** (from, to) -> the sender's pending requests to others than {@code to} (a repeat of one is no new request). */
  static final String PENDING_OUTGOING = "SELECT COUNT(*) FROM friend_requests WHERE from_id = ? AND to_id <> ?";

  static final String INSERT_FRIEND_REQUEST =
      "INSERT INTO friend_requests (from_id, to_id) VALUES (?, ?) ON DUPLICATE KEY UPDATE to_id = to_id";

  /** (from, to): one pending request. */
  static final String DELETE_FRIEND_REQUEST = "DELETE FROM friend_requests WHERE from_id = ? AND to_id = ?";

  /** (a, b, b, a): pending requests both ways. */
  static final String DELETE_FRIEND_REQUESTS_BOTH =
      "DELETE FROM friend_requests WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)";

  /** (a, b, b, a): a friendship, both directions. */
  static final String INSERT_FRIENDS_BOTH =
      "INSERT INTO friends (user_id, friend_id) VALUES (?, ?), (?, ?) ON DUPLICATE KEY UPDATE friend_id = friend_id";

  /** (a, b, b, a). */
  static final String DELETE_FRIENDS_BOTH =
      "DELETE FROM friends WHERE (user_id = ? AND friend_id = ?) OR (user_id = ? AND friend_id = ?)";

  // --- presence and typing: read only, off the message path ---

  /**
   * (user, limit) -> user_id: who sees the user's presence: the friends the user has as friends
   * too (presence by consent; a one-way classic addfriend sees nothing). The friend_id foreign
   * key's index, then the primary key of the way back.
   */
  static final String PRESENCE_WATCHERS = "SELECT f.user_id FROM friends f JOIN friends b ON b.user_id = f.friend_id"
      + " AND b.friend_id = f.user_id WHERE f.friend_id = ? LIMIT ?";

  /** (other, other, me, other, me) -> whether the other user exists, blocks me, has added me. */
  static final String TYPING_PEER =
      "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?) AS found,"
          + " EXISTS (SELECT 1 FROM blocks WHERE user_id = ? AND blocked_id = ?) AS blocked,"
          + " EXISTS (SELECT 1 FROM friends WHERE user_id = ? AND friend_id = ?) AS added";

  /** (group, me, limit) -> the other members of a group. */
  static final String OTHER_MEMBERS = "SELECT user_id FROM group_members WHERE group_id = ? AND user_id <> ? LIMIT ?";

  static final String INSERT_BLOCK =
      "INSERT INTO blocks (user_id, blocked_id) VALUES (?, ?) ON DUPLICATE KEY UPDATE blocked_id = blocked_id";

  static final String DELETE_BLOCK = "DELETE FROM blocks WHERE user_id = ? AND blocked_id = ?";

  /** (me, me, me, me) -> kind, id, name: everything the friends list shows, one round trip. */
  static final String SELECT_RELATIONS =
      "SELECT 'friend' AS kind, u.id, u.name FROM friends f JOIN users u ON u.id = f.friend_id WHERE f.user_id = ?"
          + " UNION ALL SELECT 'incoming', u.id, u.name FROM friend_requests r JOIN users u ON u.id = r.from_id WHERE r.to_id = ?"
          + " UNION ALL SELECT 'outgoing', u.id, u.name FROM friend_requests r JOIN users u ON u.id = r.to_id WHERE r.from_id = ?"
          + " UNION ALL SELECT 'blocked', u.id, u.name FROM blocks b JOIN users u ON u.id = b.blocked_id WHERE b.user_id = ?"
          + " ORDER BY 1, 2";

  static final String INSERT_GROUP =
      "INSERT INTO chat_groups (name, description, creator_id) VALUES (?, ?, ?)";

  /**
   * Joins and creations lock the group row, then the user row (always in that order), so the
   * counts below stay true until the insert commits: caps hold under concurrent joins.
   */
  static final String LOCK_GROUP = "SELECT id FROM chat_groups WHERE id = ? FOR UPDATE";

  static final String LOCK_USER = "SELECT id FROM users WHERE id = ? FOR UPDATE";

  /** (group_id, user_id, group_id, user_id) -> members of the group, groups of the user, already a member. */
  static final String COUNT_MEMBERSHIP =
      "SELECT (SELECT COUNT(*) FROM group_members WHERE group_id = ?) AS members,"
          + " (SELECT COUNT(*) FROM group_members WHERE user_id = ?) AS user_groups,"
          + " EXISTS (SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?) AS already";

  static final String COUNT_GROUPS_OF_USER = "SELECT COUNT(*) FROM group_members WHERE user_id = ?";

  /** A new member's read cursor starts at the group's last message (forward only, like every cursor). */
  static final String START_GROUP_CURSOR =
      "INSERT INTO read_cursors (user_id, kind, peer_id, message_id)"
          + " SELECT ?, 'group', ?, COALESCE(MAX(id), 0) FROM messages WHERE group_id = ?"
          + " ON DUPLICATE KEY UPDATE message_id = GREATEST(message_id, VALUES(message_id))";

  static final String INSERT_MEMBER =
      "INSERT INTO group_members (group_id, user_id, role) VALUES (?, ?, ?)"
          + " ON DUPLICATE KEY UPDATE role = role";

  /** (group) -> user_id, role of every member, read after LOCK_GROUP so it stays true until commit. */
  static final String SELECT_MEMBER_ROLES =
      "SELECT user_id, role FROM group_members WHERE group_id = ? ORDER BY joined_at, user_id";

  static final String DELETE_MEMBER = "DELETE FROM group_members WHERE group_id = ? AND user_id = ?";

  static final String SET_MEMBER_ROLE = "UPDATE group_members SET role = ? WHERE group_id = ? AND user_id = ?";

  static final String DELETE_MEMBERS_OF_GROUP = "DELETE FROM group_members WHERE group_id = ?";

  /** Messages keep their group_id (no foreign key): history stays, joining the id finds nothing. */
  static final String DELETE_GROUP = "DELETE FROM chat_groups WHERE id = ?";

  static final String SELECT_GROUP = "SELECT name, description FROM chat_groups WHERE id = ?";

  /** (group) -> id, name, role of every member, in joining order. */
  static final String SELECT_GROUP_MEMBERS_NAMED =
      "SELECT u.id, u.name, m.role FROM group_members m JOIN users u ON u.id = m.user_id"
          + " WHERE m.group_id = ? ORDER BY m.joined_at, u.id";

  /** (user) -> id, name, description, role of each group the user is in. */
  static final String SELECT_GROUPS_WITH_ROLE =
      "SELECT g.id, g.name, g.description, m.role FROM group_members m"
          + " JOIN chat_groups g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY g.id";

  static String selectLastSeqs(int users) {
    return "SELECT id, last_seq FROM users WHERE id IN (" + "?, ".repeat(users - 1) + "?)";
  }

  /** Members of the groups in a batch, read inside the batch's transaction. */
  static String selectMembersOfGroups(int groups) {
    return "SELECT g.id, m.user_id FROM chat_groups g LEFT JOIN group_members m ON m.group_id = g.id"
        + " WHERE g.id IN (" + "?, ".repeat(groups - 1) + "?) ORDER BY g.id, m.joined_at, m.user_id";
  }

  // Statements with a variable number of rows or ids are only ever built for power-of-two
  // sizes (callers split or pad to those), so the prepared-statement cache holds a few texts.
  private static final ConcurrentMap<Integer, String> INBOX_INSERTS = new ConcurrentHashMap<>();
  private static final ConcurrentMap<Integer, String> MESSAGE_INSERTS = new ConcurrentHashMap<>();
  private static final ConcurrentMap<Integer, String> SEQ_LOCKS = new ConcurrentHashMap<>();
  private static final ConcurrentMap<Integer, String> SEQ_UPDATES = new ConcurrentHashMap<>();
  private static final ConcurrentMap<Integer, String> DELIVERED_UPSERTS = new ConcurrentHashMap<>();
  private static final ConcurrentMap<Integer, String> FRIENDSHIPS = new ConcurrentHashMap<>();
  private static final ConcurrentMap<Integer, String> CLIENT_IDS = new ConcurrentHashMap<>();

  /**
   * (sender_id, client_msg_id) pairs -> the messages already stored under them; an OR of lookups
   * of uk_messages_client_msg. A plain read: a row committed after this transaction's snapshot
   * makes its INSERT fail with ER_DUP_ENTRY, and the retried batch finds it here.
   */
  static String selectClientIds(int pairs) {
    return CLIENT_IDS.computeIfAbsent(pairs, n -> "SELECT sender_id, client_msg_id, id, created_at FROM messages WHERE "
        + String.join(" OR ", Collections.nCopies(n, "(sender_id = ? AND client_msg_id = ?)")));
  }
  private static final ConcurrentMap<Integer, String> BLOCK_LOOKUPS = new ConcurrentHashMap<>();

  /** Raises users' delivered marks, never lowers them: (user_id, seq) each. */
  static String markDelivered(int rows) {
    return DELIVERED_UPSERTS.computeIfAbsent(rows, n -> values("INSERT INTO delivered (user_id, seq) VALUES ", n, 2)
        + " ON DUPLICATE KEY UPDATE seq = GREATEST(seq, VALUES(seq))");
  }

  /** A multi-row insert of {@code rows} inbox rows: (user_id, seq, message_id) each. */
  static String insertInbox(int rows) {
    return INBOX_INSERTS.computeIfAbsent(rows, n -> values("INSERT INTO inbox (user_id, seq, message_id) VALUES ", n, 3));
  }

  /**
   * A multi-row insert of messages with ids from a reserved block: (id, sender_id, to_id,
   * group_id, body, created_at, client_msg_id) each.
   */
  static String insertMessages(int rows) {
    return MESSAGE_INSERTS.computeIfAbsent(rows, n -> values(
        "INSERT INTO messages (id, sender_id, to_id, group_id, body, created_at, client_msg_id) VALUES ", n, 7));
  }

  /**
   * Locks the users' rows (in key order) and reads their last sequence numbers and delivered
   * marks; ids may repeat. FOR UPDATE does not reach into the scalar subquery (InnoDB reads it
   * from the transaction's snapshot, without locks; checked on MariaDB 10.11): delivery-mark
   * saves never wait for message batches, and a mark at most one transaction old only makes the
   * backlog look larger.
   */
  static String lockSeqs(int ids) {
    return SEQ_LOCKS.computeIfAbsent(ids, n ->
        "SELECT u.id, u.last_seq, COALESCE((SELECT d.seq FROM delivered d WHERE d.user_id = u.id), 0),"
            + " EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = u.id)"
            + " FROM users u WHERE u.id IN (" + "?, ".repeat(n - 1) + "?) FOR UPDATE");
  }

  /** (user_id, friend_id) pairs -> those that are friends rows; an OR of primary-key lookups. */
  static String selectFriendships(int pairs) {
    return FRIENDSHIPS.computeIfAbsent(pairs, n -> "SELECT user_id, friend_id FROM friends WHERE "
        + String.join(" OR ", Collections.nCopies(n, "(user_id = ? AND friend_id = ?)")));
  }

  /** (user_id, blocked_id) pairs -> those that are blocks rows; an OR of primary-key lookups. */
  static String selectBlocks(int pairs) {
    return BLOCK_LOOKUPS.computeIfAbsent(pairs, n -> "SELECT user_id, blocked_id FROM blocks WHERE "
        + String.join(" OR ", Collections.nCopies(n, "(user_id = ? AND blocked_id = ?)")));
  }

  /** Adds to each user's last_seq: CASE pairs (id, count), then the ids again for the WHERE. */
  static String addSeqs(int ids) {
    return SEQ_UPDATES.computeIfAbsent(ids, n -> "UPDATE users SET last_seq = last_seq + CASE id"
        + " WHEN ? THEN ?".repeat(n) + " ELSE 0 END WHERE id IN (" + "?, ".repeat(n - 1) + "?)");
  }

  private static String values(String head, int rows, int columns) {
    String row = "(" + "?, ".repeat(columns - 1) + "?)";
    StringBuilder sql = new StringBuilder(head.length() + rows * (row.length() + 2)).append(head);
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append(row);
    }
    return sql.toString();
  }

  /** The largest power of two not above {@code n} (n >= 1). */
  static int floorPow2(int n) {
    return Integer.highestOneBit(n);
  }

  /** The smallest power of two not below {@code n} (n >= 1). */
  static int ceilPow2(int n) {
    return n == 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  /** MySQL error numbers we act on, detected by code and never by message text. */
  static final int ER_DUP_ENTRY = 1062;

  static final int ER_NO_REFERENCED_ROW = 1452;

  // resume tokens (V8): the signature proves a token, these rows only say whether it was revoked

  static final String INSERT_TOKEN = "INSERT INTO tokens (id, user_id, expires) VALUES (?, ?, ?)";

  /** One primary-key read: a token is live when its row exists, is not revoked and its user still exists. */
  static final String SELECT_LIVE_TOKEN =
      "SELECT u.name FROM tokens t JOIN users u ON u.id = t.user_id"
          + " WHERE t.id = ? AND t.user_id = ? AND t.revoked = 0";

  static final String REVOKE_TOKEN = "UPDATE tokens SET revoked = 1 WHERE id = ? AND user_id = ?";

  static final String REVOKE_USER_TOKENS = "UPDATE tokens SET revoked = 1 WHERE user_id = ? AND revoked = 0";

  static final String UPDATE_PASSWORD = "UPDATE users SET password_hash = ? WHERE id = ?";

  /** Bounded, so a sweep after a long outage does not hold locks on the whole table. */
  /**
   * (cutoff, limit) -> forgets the cmids of up to limit messages stored before cutoff, oldest
   * first: one range of ix_messages_client_msg_time, whose rows leave the index as they are updated.
   */
  static final String FORGET_CLIENT_IDS =
      "UPDATE messages SET client_msg_id = NULL WHERE client_msg_time < ? ORDER BY client_msg_time LIMIT ?";

  static final String DELETE_EXPIRED_TOKENS = "DELETE FROM tokens WHERE expires < ? LIMIT 1000";

  /** The first node to need a key stores its candidate; everyone then reads the one that won. */
  static final String INSERT_TOKEN_KEY = "INSERT IGNORE INTO token_keys (id, secret) VALUES (1, ?)";

  static final String SELECT_TOKEN_KEY = "SELECT secret FROM token_keys WHERE id = 1";

  /** Transient: the transaction was rolled back and may simply be run again. */
  static final int ER_LOCK_DEADLOCK = 1213;

  static final int ER_LOCK_WAIT_TIMEOUT = 1205;
}
