package chat.bench.closed;

import java.util.ArrayList;
import java.util.List;

/**
 * Fixed sender→recipient pairs: pair k is user 2k writing to user 2k+1. Every user is in at most
 * one pair and keeps its role at every point, so a point with n pairs is the first n of them and
 * a recipient never gets anyone else's messages.
 */
public final class Pairs {
  private Pairs() {}

  public record Pair<T>(T sender, T recipient) {}

  /** Users needed for the largest point. */
  public static int usersFor(List<Integer> points) {
    int max = 0;
    for (int n : points) {
      if (n < 1) {
        throw new IllegalArgumentException("a point needs at least one pair, got " + n);
      }
      max = Math.max(max, n);
    }
    return 2 * max;
  }

  public static <T> List<Pair<T>> of(List<T> users) {
    List<Pair<T>> pairs = new ArrayList<>(users.size() / 2);
    for (int k = 0; k + 1 < users.size(); k += 2) {
      pairs.add(new Pair<>(users.get(k), users.get(k + 1)));
    }
    return pairs;
  }
}
