package chat.persistence;

import chat.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One queued request and what its batch decided for it. The writer fills in {@code recipients},
 * {@code refusal}, {@code result} and {@code stored}; a writer that retries starts them afresh.
 */
final class Pending {
  final Submission request;
  final long deadline;
  private final Consumer<StoreOutcome> answer;
  final List<Integer> recipients = new ArrayList<>();
  ErrorCode refusal;
  /** Set only for a message this batch inserts. */
  StoreOutcome.Stored result;
  /** The reply of a resend whose original is already in the store. */
  StoreOutcome.Stored stored;
  /** An earlier request of the same batch with the same (from, cmid): this one shares its outcome. */
  Pending sameAs;

  Pending(Submission request, long deadline, Consumer<StoreOutcome> answer) {
    this.request = request;
    this.deadline = deadline;
    this.answer = answer;
  }

  int from() {
    return request.from();
  }

  Integer to() {
    return request.to();
  }

  Integer group() {
    return request.group();
  }

  String cmid() {
    return request.cmid();
  }

  /** Still to be written by this batch: neither refused nor a duplicate. */
  boolean open() {
    return refusal == null && stored == null && sameAs == null;
  }

  void answer(StoreOutcome outcome) {
    answer.accept(outcome);
  }

  void fail(ErrorCode code, String message) {
    answer.accept(new StoreOutcome.Failed(code, message));
  }

  /** What the sender is told of its refusal: the reason in words (the code says it to programs). */
  String refusalText() {
    boolean toGroup = group() != null;
    return switch (refusal) {
      case NOT_FOUND -> toGroup ? "no such group" : "no such user";
      case FORBIDDEN -> toGroup ? "not a member of this group" : "the recipient does not accept your messages";
      case LIMIT_REACHED -> "the recipient has too many unread messages from people who are not friends";
      default -> refusal.name();
    };
  }
}
