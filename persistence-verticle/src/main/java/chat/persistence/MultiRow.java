package chat.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Multi-row statements: chunks of at most {@code chunk} rows and about MAX_STATEMENT_BYTES, each
 * one statement of its exact size up to EXACT_ROWS rows, else split into power-of-two sized
 * statements and an exact rest (300 rows: 256 + 44), so the prepared statement cache holds a
 * bounded number of texts per statement.
 */
final class MultiRow {
  /** Keeps one statement well under MySQL's default max_allowed_packet (16 MiB in 8.0). */
  private static final long MAX_STATEMENT_BYTES = 4L * 1024 * 1024;

  /**
   * Up to this many rows a statement has exactly as many rows as it inserts (one statement, not
   * up to six power-of-two ones: each is a write and a round of work in the server); above it,
   * power-of-two sizes. Either way a statement kind has at most EXACT_ROWS + 10 texts to prepare.
   */
  static final int EXACT_ROWS = 64;

  private MultiRow() {}

  /** Runs {@code sql.apply(n)} (a statement of n rows) over {@code rows}, one statement after another. */
  static Future<Void> execute(SqlClient client, List<Tuple> rows, int chunk, IntFunction<String> sql) {
    return inTurn(client, split(rows, chunk, false), sql, row -> {});
  }

  /**
   * As {@link #execute}, but every statement is sent at once on {@code conn}: with pipelining on
   * the connection they share one round trip, and the server still runs them in order. The
   * caller's transaction rolls back if any fails.
   */
  static Future<Void> pipeline(SqlConnection conn, List<Tuple> rows, int chunk, IntFunction<String> sql) {
    List<Future<?>> sent = new ArrayList<>();
    for (Statement st : split(rows, chunk, false)) {
      sent.add(conn.preparedQuery(sql.apply(st.rows())).execute(st.params()));
    }
    return Future.all(sent).mapEmpty();
  }

  /**
   * For statements where a repeated row changes nothing (upserts to a maximum): each chunk is
   * one statement, padded to a power of two by repeating its last row, rather than split into
   * power-of-two statements. Each statement outside a transaction is a commit of its own.
   */
  static Future<Void> executePadded(SqlClient client, List<Tuple> rows, int chunk, IntFunction<String> sql) {
    return inTurn(client, split(rows, chunk, true), sql, row -> {});
  }

  /**
   * A lookup of many keys (pairs, usually) in padded statements as {@link #executePadded}: a
   * repeated key finds the same row again, which {@code each} must take harmlessly.
   */
  static Future<Void> queryPadded(SqlClient client, List<Tuple> keys, int chunk, IntFunction<String> sql, Consumer<Row> each) {
    return inTurn(client, split(keys, chunk, true), sql, each);
  }

  /** Each statement once the previous one has answered. */
  private static Future<Void> inTurn(SqlClient client, List<Statement> statements, IntFunction<String> sql, Consumer<Row> each) {
    Future<Void> chain = Future.succeededFuture();
    for (Statement st : statements) {
      chain = chain.compose(v -> client.preparedQuery(sql.apply(st.rows())).execute(st.params()).map(rows -> {
        rows.forEach(each);
        return null;
      }));
    }
    return chain;
  }

  /** One statement: its row count (the text to prepare) and its parameters, row after row. */
  record Statement(int rows, Tuple params) {}

  static List<Statement> split(List<Tuple> rows, int chunk, boolean pad) {
    List<Statement> statements = new ArrayList<>();
    int from = 0;
    while (from < rows.size()) {
      int n = 0;
      long bytes = 0;
      while (from + n < rows.size() && n < chunk && (n == 0 || bytes < MAX_STATEMENT_BYTES)) {
        bytes += approximateBytes(rows.get(from + n));
        n++;
      }
      int size = pad ? Math.min(SqlQueries.ceilPow2(n), Math.max(chunk, 1)) : n <= EXACT_ROWS ? n : SqlQueries.floorPow2(n);
      int real = Math.min(size, n);
      Tuple params = Tuple.tuple();
      for (int i = 0; i < size; i++) {
        Tuple row = rows.get(from + Math.min(i, real - 1));
        for (int c = 0; c < row.size(); c++) {
          params.addValue(row.getValue(c));
        }
      }
      statements.add(new Statement(size, params));
      from += real;
    }
    return statements;
  }

  private static long approximateBytes(Tuple row) {
    long bytes = 16L * row.size();
    for (int c = 0; c < row.size(); c++) {
      if (row.getValue(c) instanceof String text) {
        bytes += 3L * text.length();
      }
    }
    return bytes;
  }
}
