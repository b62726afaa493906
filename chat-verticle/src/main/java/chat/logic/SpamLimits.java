package chat.logic;

import java.util.function.LongSupplier;

/**
 * The spam limits of one account that chat enforces (README, threat table): friend requests
 * (v2 requests and classic one-way adds alike) per hour, and typing to users who have not added
 * the sender per minute (see {@link Typing}). Messages to such users are limited where they are
 * stored (persistence StrangerGate), pending requests where they are counted (Friendships).
 * A refusal is RATE_LIMITED, which the gateway counts in the connection's strikes.
 *
 * <p>Confined to chat's event loop; at most {@link #TRACKED} accounts each, least recently used
 * forgotten (a forgotten bucket is a full one, which costs an attacker that many other accounts).
 */
final class SpamLimits {
  static final int TRACKED = 100_000;
  static final long HOUR_MS = 3_600_000;
  static final long MINUTE_MS = 60_000;

  /** Per account: friend requests an hour, typing notices to strangers a minute. */
  record Limits(int friendRequestsPerHour, int strangerTypingPerMin) {}

  private final TokenBuckets<Integer> friendRequests;
  private final TokenBuckets<Integer> strangerTyping;

  SpamLimits(Limits limits, LongSupplier clock) {
    this.friendRequests = new TokenBuckets<>(limits.friendRequestsPerHour(), HOUR_MS, limits.friendRequestsPerHour(), TRACKED, clock);
    this.strangerTyping = new TokenBuckets<>(limits.strangerTypingPerMin(), MINUTE_MS, limits.strangerTypingPerMin(), TRACKED, clock);
  }

  /** One friend request (or classic add) of {@code user}: false past the hourly limit. */
  boolean friendRequest(int user) {
    return friendRequests.tryTake(user);
  }

  /** {@code user} types to someone who has not added them (once per check): false past the limit. */
  boolean typingToStranger(int user) {
    return strangerTyping.tryTake(user);
  }

  /** Drops the full buckets: they say nothing. */
  void sweep() {
    friendRequests.sweep();
    strangerTyping.sweep();
  }

  int tracked() {
    return friendRequests.size() + strangerTyping.size();
  }
}
