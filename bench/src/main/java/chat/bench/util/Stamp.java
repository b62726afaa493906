package chat.bench.util;

/**
 * The send time travels inside the chat text, since classic chats are not acked:
 * {@code b:<run>:<phase>:<intendedNanos>:<seq>}. Sender and receiver are in this JVM, so
 * {@link System#nanoTime()} is comparable on both ends. {@code run} keeps late messages of an
 * earlier bench run (offline deliveries) out of the figures.
 */
public final class Stamp {
  private Stamp() {}

  public record Parsed(long run, int phase, long nanos, long seq) {}

  public static String text(long run, int phase, long nanos, long seq) {
    return "b:" + run + ":" + phase + ":" + nanos + ":" + seq;
  }

  /** Null when the text is not one of ours. */
  public static Parsed parse(String text) {
    if (text == null || !text.startsWith("b:")) {
      return null;
    }
    String[] p = text.split(":");
    if (p.length != 5) {
      return null;
    }
    try {
      return new Parsed(
          Long.parseLong(p[1]), Integer.parseInt(p[2]), Long.parseLong(p[3]), Long.parseLong(p[4]));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
