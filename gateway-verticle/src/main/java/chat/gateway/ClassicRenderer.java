package chat.gateway;

import chat.protocol.ChatMessage;
import chat.protocol.ClassicFrames;
import chat.protocol.Delivery;
import chat.protocol.bus.Friend;
import chat.protocol.bus.GroupView;
import chat.protocol.bus.LoginSnapshot;
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

  /** The classic login ack of a login snapshot; classic shows no requests, conversations or token. */
  JsonObject loginAck(LoginSnapshot snapshot) {
    List<String> friends = new ArrayList<>();
    for (Friend f : snapshot.friends()) {
      friends.add(ClassicFrames.friend(f.id(), f.name(), f.online()));
    }
    List<String> groups = new ArrayList<>();
    for (GroupView g : snapshot.groups()) {
      List<String> users = new ArrayList<>();
      for (GroupView.Member u : g.members()) {
        users.add(ClassicFrames.groupMember(u.id(), u.name(), u.role().classic(), u.online()));
      }
      groups.add(ClassicFrames.group(g.id(), g.name(), g.desc(), users));
    }
    List<String> offline = new ArrayList<>();
    for (Delivery d : snapshot.offline().messages()) {
      offline.add(ClassicFrames.chat(d.message()));
    }
    return ClassicFrames.loginOk(snapshot.user(), snapshot.name(), friends, groups, offline);
  }
}
