package chat.gateway;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The connections of one gateway instance; touched only from its event loop. */
final class Sessions {
  private final Set<Session> all = new HashSet<>();
  private final Set<Session> dirty = new HashSet<>();

  void add(Session s) {
    all.add(s);
  }

  void remove(Session s) {
    all.remove(s);
    dirty.remove(s);
  }

  /** The session's delivery watermark moved and should be saved at the next flush. */
  void dirty(Session s) {
    dirty.add(s);
  }

  /** Marks [userId, seq] of every session whose watermark moved, clearing the dirty set. */
  JsonArray takeMarks() {
    JsonArray marks = new JsonArray();
    for (Session s : dirty) {
      JsonArray mark = s.takeMark();
      if (mark != null) {
        marks.add(mark);
      }
    }
    dirty.clear();
    return marks;
  }

  List<Session> online() {
    return all.stream().filter(Session::online).toList();
  }

  List<Session> snapshot() {
    return new ArrayList<>(all);
  }

  int size() {
    return all.size();
  }
}
