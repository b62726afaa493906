package chat.persistence;

/**
 * One message to store, as the batcher and the writers see it. Read from the bus request in one
 * place ({@link StoreEndpoint}), so that the wire shape can change without touching the store.
 *
 * @param to the recipient of a 1:1 message, null for a group message
 * @param group the group of a group message, null for a 1:1 message
 * @param time when the chat verticle stamped it, as ISO local date-time text (stored and echoed as is)
 * @param cmid the client's id for the message, or null (see {@link ClientIds})
 * @param deadline epoch ms after which the sender no longer waits; Long.MAX_VALUE when it gave none
 */
record Submission(int from, Integer to, Integer group, String text, String time, String cmid, long deadline) {}
