package chat.protocol.bus;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * A push for logins on the receiving node, published at {@code publishedAt}. The push is one of
 * several record types, so its JSON names its class; only the names of the bus's allow-list
 * resolve ({@link BusCodec}).
 */
public record RemoteNotice(
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "class") Push notice,
    List<String> sessions, long publishedAt) implements NodeLink {

  @Override
  public void handleWith(Handler handler) {
    handler.notice(this);
  }
}
