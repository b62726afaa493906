package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiRowTest {
  private static List<Tuple> rows(int n) {
    List<Tuple> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Tuple.of(i, 10L * i));
    }
    return rows;
  }

  private static List<Integer> sizes(List<MultiRow.Statement> statements) {
    return statements.stream().map(MultiRow.Statement::rows).toList();
  }

  /** Every row once, in order, and each statement's parameters fill exactly its rows. */
  private static void coversInOrder(List<MultiRow.Statement> statements, int n) {
    List<Object> params = new ArrayList<>();
    for (MultiRow.Statement st : statements) {
      assertThat(st.params().size()).isEqualTo(2 * st.rows());
      for (int i = 0; i < st.params().size(); i++) {
        params.add(st.params().getValue(i));
      }
    }
    List<Object> expected = new ArrayList<>();
    rows(n).forEach(r -> {
      expected.add(r.getValue(0));
      expected.add(r.getValue(1));
    });
    assertThat(params).isEqualTo(expected);
  }

  @Test
  void upToExactRowsABatchIsOneStatementOfItsSize() {
    assertThat(sizes(MultiRow.split(rows(1), 256, false))).containsExactly(1);
    assertThat(sizes(MultiRow.split(rows(23), 256, false))).containsExactly(23);
    assertThat(sizes(MultiRow.split(rows(MultiRow.EXACT_ROWS), 256, false))).containsExactly(MultiRow.EXACT_ROWS);
    coversInOrder(MultiRow.split(rows(23), 256, false), 23);
  }

  @Test
  void aboveExactRowsPowersOfTwoThenTheExactRest() {
    assertThat(sizes(MultiRow.split(rows(300), 1024, false))).containsExactly(256, 44);
    assertThat(sizes(MultiRow.split(rows(600), 256, false))).containsExactly(256, 256, 64, 24);
    coversInOrder(MultiRow.split(rows(600), 256, false), 600);
  }

  @Test
  void paddedStatementsRepeatTheLastRowUpToAPowerOfTwo() {
    List<MultiRow.Statement> five = MultiRow.split(rows(5), 512, true);
    assertThat(sizes(five)).containsExactly(8);
    Tuple p = five.get(0).params();
    for (int row = 4; row < 8; row++) {
      assertThat(p.getValue(2 * row)).isEqualTo(4);
      assertThat(p.getValue(2 * row + 1)).isEqualTo(40L);
    }
    assertThat(sizes(MultiRow.split(rows(600), 512, true))).containsExactly(512, 128);
    assertThat(sizes(MultiRow.split(rows(512), 512, true))).containsExactly(512);
  }
}
