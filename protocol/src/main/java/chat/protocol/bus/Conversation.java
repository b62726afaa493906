package chat.protocol.bus;

/** A conversation's last message id, the user's read cursor in it, and what is unread (capped). */
public record Conversation(Peer with, long last, long read, long unread) {}
