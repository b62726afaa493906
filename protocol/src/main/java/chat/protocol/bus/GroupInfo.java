package chat.protocol.bus;

import io.vertx.core.Future;
import java.util.List;

/** A group's name, description and members with their roles; for its members only (FORBIDDEN). */
public record GroupInfo(int user, int group) implements StoreRequest<GroupInfo.Info> {
  /** Members as the store knows them: their presence is not part of it (always offline here). */
  public record Info(String name, String desc, List<GroupView.Member> members) implements StoreReply {}

  @Override
  public Future<Info> handleWith(StoreHandler handler) {
    return handler.groupInfo(this);
  }
}
