package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectBatchTest {
  private static DirectBatch.Message m(int from, int to, String text, String cmid) {
    return new DirectBatch.Message(from, to, text, "2026-11-26T05:00", cmid);
  }

  @Test
  void eachMessageIsNumberedAfterTheEarlierOnesToItsRecipient() {
    DirectBatch b = new DirectBatch(List.of(m(1, 9, "a", null), m(2, 4, "b", null), m(3, 9, "c", "x"), m(1, 9, "d", null)));
    assertThat(List.of(b.k(0), b.k(1), b.k(2), b.k(3))).containsExactly(1, 1, 2, 3);
    Map<Integer, Long> before = Map.of(9, 40L, 4, 0L);
    assertThat(List.of(b.seq(0, before), b.seq(1, before), b.seq(2, before), b.seq(3, before))).containsExactly(41L, 1L, 42L, 43L);
  }

  @Test
  void recipientsAreSortedWithTheirCountsSoLocksAreTakenInKeyOrder() {
    DirectBatch b = new DirectBatch(List.of(m(1, 9, "a", null), m(2, 4, "b", null), m(3, 9, "c", null), m(1, 7, "d", null)));
    assertThat(b.recipientsJson()).isEqualTo("[[4,1],[7,1],[9,2]]");
    assertThat(b.recipients()).containsExactly(4, 7, 9);
  }

  @Test
  void textIsCarriedAsJsonStringsWhateverItHolds() {
    String text = "\"quoted\" \\ back ' single 中文 😀 \u0000 nul </script>";
    DirectBatch b = new DirectBatch(List.of(m(1, 2, text, "c-1"), m(1, 3, "", null)));
    JsonArray rows = new JsonArray(b.batchJson());
    assertThat(rows.getJsonArray(0)).isEqualTo(new JsonArray().add(1).add(2).add(text).add("2026-11-26T05:00").add("c-1").add(1));
    assertThat(rows.getJsonArray(1).getValue(4)).isNull();
    assertThat(b.batchJson()).endsWith(",[1,3,\"\",\"2026-11-26T05:00\",null,1]]");
  }

  @Test
  void aBatchWithTooMuchTextTakesTheCheckedPath() {
    assertThat(DirectBatch.fits(DirectBatch.MAX_CHARS)).isTrue();
    assertThat(DirectBatch.fits(DirectBatch.MAX_CHARS + 1)).isFalse();
  }
}
