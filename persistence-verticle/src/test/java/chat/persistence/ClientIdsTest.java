package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientIdsTest {

  @Test
  void acceptsOneToSixtyFourCharactersCountedAsCodePoints() {
    assertThat(ClientIds.problem(null)).isNull();
    assertThat(ClientIds.problem("a")).isNull();
    assertThat(ClientIds.problem("x".repeat(64))).isNull();
    assertThat(ClientIds.problem("😀".repeat(64))).as("64 characters, 128 UTF-16 units").isNull();
    assertThat(ClientIds.problem("")).isNotNull();
    assertThat(ClientIds.problem("x".repeat(65))).isNotNull();
    assertThat(ClientIds.problem(42)).isNotNull();
  }

  @Test
  void refusesATrailingSpaceThatThePaddingCollationWouldIgnore() {
    assertThat(ClientIds.problem("abc ")).isNotNull();
    assertThat(ClientIds.problem(" abc")).isNull();
  }

  @Test
  void laterCopiesPointAtTheFirstOfTheirKey() {
    List<ClientIds.Key> keys = Arrays.asList(
        new ClientIds.Key(1, "a"), null, new ClientIds.Key(2, "a"), new ClientIds.Key(1, "a"), null,
        new ClientIds.Key(2, "a"), new ClientIds.Key(1, "A"), new ClientIds.Key(1, "a"));
    assertThat(ClientIds.firstOccurrences(keys)).containsExactly(-1, -1, -1, 0, -1, 2, -1, 0);
  }

  @Test
  void aCopyGetsTheOriginalsIdAndTimeAndNoDeliveries() {
    var original = new StoreOutcome.Stored(7, "2026-01-02T03:04:05", false, List.of(new StoreOutcome.Delivery(3, 9)));
    var copy = StoreEndpoint.stored(original.asDuplicate());
    assertThat(copy.messageId()).isEqualTo(7);
    assertThat(copy.time()).isEqualTo(LocalDateTime.parse("2026-01-02T03:04:05"));
    assertThat(copy.duplicate()).isTrue();
    assertThat(copy.deliveries()).isEmpty();
    assertThat(StoreEndpoint.stored(original).deliveries()).containsExactly(new chat.protocol.bus.StoreMessage.Target(3, 9));
    var fromStore = new StoreOutcome.Stored(7, LocalDateTime.parse("2026-01-02T03:04:05").toString(), true, List.of());
    assertThat(StoreEndpoint.stored(fromStore)).isEqualTo(copy);
  }
}
