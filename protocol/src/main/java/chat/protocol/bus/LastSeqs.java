package chat.protocol.bus;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/** The last inbox seq of each user: lets a gateway find sessions that missed a publish. */
public record LastSeqs(List<Integer> users) implements StoreRequest<LastSeqs.Result> {
  public record Result(Map<Integer, Long> seqs) implements StoreReply {}

  @Override
  public Future<Result> handleWith(StoreHandler handler) {
    return handler.lastSeqs(this);
  }
}
