package chat.node;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a node did not start, in one line that names what failed: the port, the data directory,
 * the database server. Operators read that line; the stack trace goes to DEBUG.
 */
final class StartFailure {
  private StartFailure() {}

  /** Thrown where the data directory's lock is taken: its message is the whole story. */
  static final class DataDirInUse extends IOException {
    DataDirInUse(String message) {
      super(message);
    }
  }

  static String describe(Throwable failure, NodeConfig c) {
    List<Throwable> chain = chain(failure);
    for (Throwable t : chain) {
      if (t instanceof DataDirInUse) {
        return t.getMessage();
      }
    }
    for (Throwable t : chain) {
      if (t instanceof BindException) {
        return "cannot listen on " + takenPort(c) + ": address already in use";
      }
    }
    if (c.persistence().host() != null && c.runs("persistence")) {
      String reason = databaseReason(chain);
      if (reason != null) {
        return "cannot use the database at " + c.persistence().host() + ":" + c.persistence().port() + ": " + reason;
      }
    }
    Throwable root = chain.get(chain.size() - 1);
    String what = c.embeddedDb() && chain.stream().anyMatch(t -> String.valueOf(t.getMessage()).contains("embedded MariaDB"))
        ? "embedded MariaDB did not start: " : "node failed to start: ";
    return what + oneLine(root);
  }

  /** Which of the node's ports someone else holds; the node's own are closed again by now. */
  static String takenPort(NodeConfig c) {
    String host = c.runs("gateway") ? c.gateway().host() : "0.0.0.0";
    List<String> ports = new ArrayList<>();
    if (c.runs("gateway")) {
      ports.add(host + ":" + c.gateway().port());
    }
    ports.add(host + ":" + c.httpPort());
    ports.add(c.managementHost() + ":" + c.managementPort());
    for (String address : ports) {
      int colon = address.lastIndexOf(':');
      int port = Integer.parseInt(address.substring(colon + 1));
      if (port != 0 && !free(address.substring(0, colon), port)) {
        return address;
      }
    }
    // taken and let go again in the meantime: every candidate, rather than a guess
    return String.join(" or ", ports);
  }

  private static boolean free(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true); // as Netty binds: a port in TIME_WAIT is free for it
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String databaseReason(List<Throwable> chain) {
    for (Throwable t : chain) {
      if (t instanceof java.net.ConnectException) {
        return "connection refused";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host";
      }
    }
    // the deepest SQL error is the server's or the driver's own words (Access denied ...)
    for (int i = chain.size() - 1; i >= 0; i--) {
      Throwable t = chain.get(i);
      if (t instanceof SQLException || t.getClass().getName().startsWith("io.vertx.mysqlclient")) {
        return oneLine(t).replaceFirst("^\\(conn=\\d+\\) ", "");
      }
    }
    return null;
  }

  private static List<Throwable> chain(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static String oneLine(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName();
    }
    return m.strip().lines().findFirst().orElse("");
  }
}
