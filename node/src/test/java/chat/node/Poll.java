package chat.node;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.Callable;

/** Waits for effects that the classic protocol does not acknowledge (friend, group, join). */
final class Poll {
  private Poll() {}

  static void until(String what, Callable<Boolean> condition) throws Exception {
    long end = System.currentTimeMillis() + 10_000;
    while (!condition.call()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  /** A single number from the suite's database, or -1 when the query finds no row. */
  static long number(String sql, Object... params) throws Exception {
    Long n = first(sql, params, rs -> rs.getLong(1));
    return n == null ? -1 : n;
  }

  /** A single string from the suite's database, or null when the query finds no row. */
  static String text(String sql, Object... params) throws Exception {
    return first(sql, params, rs -> rs.getString(1));
  }

  private interface Column<T> {
    T read(ResultSet rs) throws java.sql.SQLException;
  }

  private static <T> T first(String sql, Object[] params, Column<T> column) throws Exception {
    try (Connection c = TestDatabase.get().jdbc(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? column.read(rs) : null;
      }
    }
  }

  /** Creates a group through the protocol and returns its id once it is stored. */
  static int createGroup(ClassicClient owner, String name) throws Exception {
    owner.createGroup(name, "desc of " + name);
    until("group " + name, () -> number("SELECT id FROM chat_groups WHERE name = ?", name) > 0);
    return (int) number("SELECT id FROM chat_groups WHERE name = ?", name);
  }

  static void joinGroup(ClassicClient member, int group) throws Exception {
    member.joinGroup(group);
    until("join", () -> number("SELECT COUNT(*) FROM group_members WHERE group_id = ? AND user_id = ?", group, member.id) == 1);
  }
}
