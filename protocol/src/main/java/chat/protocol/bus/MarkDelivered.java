package chat.protocol.bus;

import io.vertx.core.Future;
import java.util.List;

/** Raises each user's delivery watermark to its mark, never lowers one. */
public record MarkDelivered(List<Mark> marks) implements StoreRequest<Done> {
  /** Everything up to {@code seq} of {@code user}'s inbox reached the user. */
  public record Mark(int user, long seq) {}

  @Override
  public Future<Done> handleWith(StoreHandler handler) {
    return handler.markDelivered(this);
  }
}
