package chat.gateway;

import chat.protocol.ChatMessage;
import chat.protocol.ClassicFrames;
import chat.protocol.GroupRole;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns domain records into classic frames, here at the edge only. One instance per gateway
 * (one event loop): a group message reaches many sessions of a gateway one after another, so the
 * last frame is kept and a fan-out renders it once.
 */
final class ClassicRenderer {
  private ChatMessage lastMessage;
  private String lastFrame;

  String chat(ChatMessage m) {
    if (m != lastMessage) {
      lastFrame = ClassicFrames.chat(m);
      lastMessage = m;
    }
    return lastFrame;
  }

  /** The classic login ack of a login snapshot (see Accounts.loginReply). */
  JsonObject loginAck(JsonObject snapshot) {
    List<String> friends = new ArrayList<>();
    for (Object o : snapshot.getJsonArray("friends")) {
      JsonObject f = (JsonObject) o;
      friends.add(ClassicFrames.friend(f.getInteger("id"), f.getString("name"), f.getBoolean("online")));
    }
    List<String> groups = new ArrayList<>();
    for (Object o : snapshot.getJsonArray("groups")) {
      JsonObject g = (JsonObject) o;
      List<String> users = new ArrayList<>();
      for (Object m : g.getJsonArray("members")) {
        JsonObject u = (JsonObject) m;
        users.add(ClassicFrames.groupMember(u.getInteger("id"), u.getString("name"),
            GroupRole.of(u.getString("role")).classic(), u.getBoolean("online")));
      }
      groups.add(ClassicFrames.group(g.getInteger("id"), g.getString("name"), g.getString("desc"), users));
    }
    List<String> offline = new ArrayList<>();
    for (Object o : snapshot.getJsonArray("offline")) {
      offline.add(ClassicFrames.chat(ChatMessage.fromJson(((JsonObject) o).getJsonObject("message"))));
    }
    return ClassicFrames.loginOk(snapshot.getInteger("id"), snapshot.getString("name"), friends, groups, offline);
  }
}
