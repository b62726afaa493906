package chat.persistence;

import io.vertx.core.Future;

/** What the batcher needs from the database: one batch written, in one transaction. */
interface BatchWriter {
  /**
   * Writes {@code batch}, setting each open entry's result or refusal (entries linked by
   * {@code sameAs} are answered from their original, not written). Succeeds once the batch is
   * committed; fails when it is known not to be, or when the outcome could not be learnt in time.
   * Must check {@link Batch#abandoned} before it opens a transaction and before COMMIT, and set
   * {@link Batch#committing} once what it sent can commit.
   */
  Future<Void> write(Batch batch);
}
