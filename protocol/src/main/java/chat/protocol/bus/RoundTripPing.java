package chat.protocol.bus;

/**
 * What a node publishes on its own pub/sub channel to learn that its publishes still come back:
 * readiness is down while one sent at {@code publishedAt} stays away too long. Nothing else.
 */
public record RoundTripPing(long publishedAt) implements NodeLink {

  @Override
  public void handleWith(Handler handler) {
    handler.ping(this);
  }
}
