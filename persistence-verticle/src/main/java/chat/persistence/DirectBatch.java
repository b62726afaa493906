package chat.persistence;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of store_direct (sql/V13__store_direct.sql) for a batch of 1:1 messages, and
 * each message's sequence number from its answer. Message i gets the i-th id from the first and,
 * for its recipient, the sequence number after the recipient's last one plus {@link #k}: its
 * place among the batch's messages to that recipient.
 */
final class DirectBatch {
  /** Above this many characters of text in all, a batch takes the checked path (statement size). */
  static final long MAX_CHARS = 1 << 20;

  record Message(int from, int to, String text, String time, String cmid) {}

  /*
   * The procedure takes its rows as JSON text (JSON_TABLE reads them by position, '$[0]'...), so
   * this JSON is how SQL arguments are encoded, not a message between modules: rows as arrays.
   */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  @JsonPropertyOrder({"from", "to", "text", "time", "cmid", "k"})
  record Row(int from, int to, String text, String time, String cmid, int k) {}

  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  @JsonPropertyOrder({"user", "n"})
  record Count(int user, int n) {}

  private static final ObjectWriter JSON = new ObjectMapper().writer();

  private final List<Message> messages;
  private final int[] k;
  private final TreeMap<Integer, Integer> counts = new TreeMap<>();

  DirectBatch(List<Message> messages) {
    this.messages = messages;
    this.k = new int[messages.size()];
    for (int i = 0; i < k.length; i++) {
      k[i] = counts.merge(messages.get(i).to(), 1, Integer::sum);
    }
  }

  static boolean fits(long chars) {
    return chars <= MAX_CHARS;
  }

  /** [[from, to, text, time, cmid or null, k], ...] in batch order. */
  String batchJson() {
    List<Row> rows = new ArrayList<>(k.length);
    for (int i = 0; i < k.length; i++) {
      Message m = messages.get(i);
      rows.add(new Row(m.from(), m.to(), m.text(), m.time(), m.cmid(), k[i]));
    }
    return encode(rows);
  }

  /** [[user, messages for them], ...] sorted by user: the procedure locks in this order. */
  String recipientsJson() {
    List<Count> recipients = new ArrayList<>(counts.size());
    counts.forEach((user, n) -> recipients.add(new Count(user, n)));
    return encode(recipients);
  }

  private static String encode(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Integer> recipients() {
    return List.copyOf(counts.keySet());
  }

  /** Message i's place among the batch's messages to its recipient, from 1. */
  int k(int i) {
    return k[i];
  }

  /** Message i's sequence number for its recipient, given each recipient's last_seq before the batch. */
  long seq(int i, Map<Integer, Long> before) {
    return before.get(messages.get(i).to()) + k[i];
  }
}
