package chat.logic;

import chat.protocol.bus.ChatHandler;
import chat.protocol.bus.Login;
import chat.protocol.bus.LoginSnapshot;
import io.vertx.core.Future;

/** The typed requests at chat's address, each handed to the class that owns the rule. */
final class ChatRequests implements ChatHandler {
  private final Accounts accounts;

  ChatRequests(Accounts accounts) {
    this.accounts = accounts;
  }

  @Override
  public Future<LoginSnapshot> login(Login request) {
    return accounts.login(request);
  }
}
