package chat.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Multi-row statements: chunks of at most {@code chunk} rows and about MAX_STATEMENT_BYTES, each
 * split into power-of-two sized statements (300 rows: 256 + 32 + 8 + 4), so the prepared
 * statement cache holds a few texts per statement.
 */
final class MultiRow {
  /** Keeps one statement well under MySQL's default max_allowed_packet (16 MiB in 8.0). */
  private static final long MAX_STATEMENT_BYTES = 4L * 1024 * 1024;

  private MultiRow() {}

  /** Runs {@code sql.apply(n)} (a statement of n rows) over {@code rows}, one statement after another. */
  static Future<Void> execute(SqlClient client, List<Tuple> rows, int chunk, IntFunction<String> sql) {
    Future<Void> chain = Future.succeededFuture();
    int from = 0;
    while (from < rows.size()) {
      int n = 0;
      long bytes = 0;
      while (from + n < rows.size() && n < chunk && (n == 0 || bytes < MAX_STATEMENT_BYTES)) {
        bytes += approximateBytes(rows.get(from + n));
        n++;
      }
      int size = SqlQueries.floorPow2(n);
      Tuple params = Tuple.tuple();
      for (Tuple row : rows.subList(from, from + size)) {
        for (int c = 0; c < row.size(); c++) {
          params.addValue(row.getValue(c));
        }
      }
      chain = chain.compose(v -> client.preparedQuery(sql.apply(size)).execute(params).mapEmpty());
      from += size;
    }
    return chain;
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
