package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import chat.node.SharedTestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The block, inbox-cap and numbering rules exist twice: in Java (CheckedRules, InboxCap) and in
 * SQL (store_direct, sql/V13 and V14, which writes only the batches it can prove need no refusal
 * and leaves the rest to Java). Each case runs one batch through the batcher twice, on two fresh
 * but identical sets of users: once with the checked writer alone, once with the direct writer,
 * and requires the same answers and the same inbox rows from both, and that the procedure wrote
 * the batch by itself exactly where the case says it can.
 */
class StoreRulesIT {
  private static final int STRANGER = 3;
  private static final int MAX = 6;
  private static final String TIME = "2026-12-07T12:00:00";
  /** No such user. */
  private static final int MISSING = 2_000_000_000;

  private static Vertx vertx;
  private static Pool pool;
  private static DbSettings settings;
  private static Connection jdbc;
  private static int worlds;

  /**
   * @param sends one batch, "S>R" meaning S sends to R. R has friend A (R added A) and the case's
   *     backlog; K blocks B; S is a stranger to all; N does not exist
   * @param expected per message: its sequence number for its recipient, or the refusal's code
   * @param direct whether store_direct writes the batch by itself (else it hands it to Java)
   */
  record Case(String name, long lastSeq, long delivered, String sends, String expected, boolean direct) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        new Case("one message to an empty inbox", 0, 0, "S>R", "1", true),
        new Case("each recipient numbered from its own last", 1, 0, "S>R S>A A>R", "2 1 3", true),
        new Case("store_direct hands over a batch that could reach the cap", 2, 0, "S>R S>A A>R", "3 1 4", false),
        new Case("a blocked sender is refused and takes no number", 0, 0, "B>K S>K", "FORBIDDEN 1", false),
        new Case("a block is one-way", 0, 0, "K>B", "1", true),
        new Case("a blocker's other senders get through", 0, 0, "S>K A>K", "1 2", false),
        new Case("a stranger fills the inbox exactly to the cap", 1, 0, "S>R S>R", "2 3", true),
        new Case("a stranger past the cap", 1, 0, "S>R S>R S>R", "2 3 LIMIT_REACHED", false),
        new Case("a stranger at the cap, a friend after", 3, 0, "S>R A>R", "LIMIT_REACHED 4", false),
        new Case("a friend goes past the stranger cap", 3, 0, "A>R", "4", false),
        new Case("a friend stops at the maximum", 5, 0, "A>R A>R", "6 LIMIT_REACHED", false),
        new Case("a refused message adds nothing to the backlog", 2, 0, "S>R S>R A>R", "3 LIMIT_REACHED 4", false),
        new Case("one's own inbox fills to the maximum", 5, 0, "R>R R>R", "6 LIMIT_REACHED", false),
        new Case("an unknown recipient", 0, 0, "S>N S>R", "NOT_FOUND 1", false),
        new Case("what was delivered leaves the backlog", 5, 3, "S>R S>R", "6 LIMIT_REACHED", false),
        new Case("a delivered mark ahead of last_seq is an empty backlog", 2, 10, "S>R S>R S>R", "3 4 5", true))
        .map(Arguments::of);
  }

  @BeforeAll
  static void start() throws Exception {
    settings = chat.protocol.OptionsJson.read(DbSettings.class, SharedTestDatabase.persistenceConfig()
        .put("strangerBacklog", STRANGER).put("maxBacklog", MAX), DbSettings.defaults());
    Migrations.migrate(settings);
    vertx = Vertx.vertx();
    pool = MySQLBuilder.pool().with(settings.poolOptions()).with(settings.netOptions())
        .connectingTo(settings.connectOptions()).using(vertx).build();
    jdbc = DriverManager.getConnection(settings.jdbcUrl() + settings.database(), settings.user(), settings.password());
  }

  @AfterAll
  static void stop() throws Exception {
    jdbc.close();
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theProcedureAndTheJavaRulesAgree(Case c) throws Exception {
    Run checked = run(c, false);
    Run direct = run(c, true);
    assertThat(checked.answers).as("checked path").isEqualTo(Arrays.asList(c.expected.split(" ")));
    assertThat(direct.answers).as("direct path").isEqualTo(checked.answers);
    assertThat(direct.inbox).as("inbox rows").isEqualTo(checked.inbox);
    assertThat(checked.sql).noneMatch(s -> s.contains("store_direct"));
    assertThat(direct.sql).anyMatch(s -> s.contains("store_direct"));
    boolean javaRan = direct.sql.stream().anyMatch(s -> s.contains("FOR UPDATE"));
    assertThat(!javaRan).as("store_direct wrote the batch by itself").isEqualTo(c.direct);
  }

  /** What one path answered, the inbox rows it wrote ("R3:m0"), and the statements it prepared. */
  private record Run(List<String> answers, List<String> inbox, List<String> sql) {}

  private Run run(Case c, boolean directPath) throws Exception {
    Map<String, Integer> users = world(c);
    List<String> sql = new CopyOnWriteArrayList<>();
    Pool recorded = recording(pool, sql);
    Timers timers = Timers.of(vertx);
    InboxCap cap = new InboxCap(STRANGER, MAX);
    ReadBack readBack = new ReadBack(recorded, timers);
    CheckedWriter checked = new CheckedWriter(recorded, new MessageIds(pool), readBack, cap);
    BatchWriter writer = directPath ? new DirectWriter(recorded, checked, readBack, cap.lowest(), settings.timeoutMs()) : checked;
    MessageBatcher batcher = new MessageBatcher(writer, timers, 100, settings.timeoutMs(), new StoreQueue<>(100, 1 << 20));
    String[] sends = c.sends.split(" ");
    List<CompletableFuture<StoreOutcome>> answers = new ArrayList<>();
    for (String ignored : sends) {
      answers.add(new CompletableFuture<>());
    }
    vertx.runOnContext(v -> { // one event-loop turn: the whole case is one batch
      for (int i = 0; i < sends.length; i++) {
        String[] pair = sends[i].split(">");
        Submission r = new Submission(users.get(pair[0]), users.get(pair[1]), null, "m" + i, TIME, null, Long.MAX_VALUE);
        batcher.submit(r, answers.get(i)::complete);
      }
    });
    List<String> got = new ArrayList<>();
    for (CompletableFuture<StoreOutcome> a : answers) {
      StoreOutcome o = a.get(10, TimeUnit.SECONDS);
      got.add(o instanceof StoreOutcome.Stored s ? String.valueOf(s.deliveries().get(0).seq()) : ((StoreOutcome.Failed) o).code().name());
    }
    return new Run(got, inbox(users), List.copyOf(sql));
  }

  /** Fresh users for one run, by their letters; R gets the case's backlog. */
  private static Map<String, Integer> world(Case c) throws Exception {
    Map<String, Integer> ids = new HashMap<>();
    String tag = "rules" + ProcessHandle.current().pid() + "w" + ++worlds;
    for (String letter : List.of("R", "A", "K", "B", "S")) {
      try (PreparedStatement st = jdbc.prepareStatement(
          "INSERT INTO users (name, password_hash, last_seq) VALUES (?, 'x', ?)", Statement.RETURN_GENERATED_KEYS)) {
        st.setString(1, tag + letter);
        st.setLong(2, letter.equals("R") ? c.lastSeq : 0);
        st.executeUpdate();
        try (ResultSet keys = st.getGeneratedKeys()) {
          keys.next();
          ids.put(letter, keys.getInt(1));
        }
      }
    }
    ids.put("N", MISSING);
    update("INSERT INTO friends (user_id, friend_id) VALUES (?, ?)", ids.get("R"), ids.get("A"));
    update("INSERT INTO blocks (user_id, blocked_id) VALUES (?, ?)", ids.get("K"), ids.get("B"));
    if (c.delivered > 0) {
      update("INSERT INTO delivered (user_id, seq) VALUES (?, ?)", ids.get("R"), c.delivered);
    }
    return ids;
  }

  private static void update(String statement, long... params) throws Exception {
    try (PreparedStatement st = jdbc.prepareStatement(statement)) {
      for (int i = 0; i < params.length; i++) {
        st.setLong(i + 1, params[i]);
      }
      st.executeUpdate();
    }
  }

  private static List<String> inbox(Map<String, Integer> users) throws Exception {
    List<String> rows = new ArrayList<>();
    for (String letter : List.of("R", "A", "K", "B", "S")) {
      try (PreparedStatement st = jdbc.prepareStatement(
          "SELECT i.seq, m.body FROM inbox i JOIN messages m ON m.id = i.message_id WHERE i.user_id = ? ORDER BY i.seq")) {
        st.setInt(1, users.get(letter));
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            rows.add(letter + rs.getLong(1) + ":" + rs.getString(2));
          }
        }
      }
    }
    return rows;
  }

  /** The pool, noting every statement prepared on its connections: which path wrote shows in them. */
  @SuppressWarnings("unchecked")
  private static Pool recording(Pool pool, List<String> sql) {
    return (Pool) Proxy.newProxyInstance(Pool.class.getClassLoader(), new Class<?>[] {Pool.class}, (proxy, method, args) -> {
      Object result = invoke(pool, method, args);
      if (method.getName().equals("getConnection") && (args == null || args.length == 0)) {
        return ((Future<SqlConnection>) result).map(conn -> (SqlConnection) Proxy.newProxyInstance(
            SqlConnection.class.getClassLoader(), new Class<?>[] {SqlConnection.class}, (p, m, a) -> {
              if (m.getName().equals("preparedQuery")) {
                sql.add((String) a[0]);
              }
              return invoke(conn, m, a);
            }));
      }
      return result;
    });
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
