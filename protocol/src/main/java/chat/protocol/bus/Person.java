package chat.protocol.bus;

/** A user as lists show one: a friend request's sender, say. */
public record Person(int id, String name) {}
