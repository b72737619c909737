package dev.heddle.agent.internal.server;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A listening socket held in the agent's fd store. Services get it at fd 3, 4, … and every
 * incarnation gets the same one, so clients wait in its backlog across restarts.
 */
record ListeningSocket(
    String id, String name, String kind, int fd, String host, int port, @Nullable String path) {

  Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("socketId", id);
    m.put("name", name);
    m.put("kind", kind);
    m.put("fd", (long) fd);
    m.put("host", host);
    m.put("port", (long) port);
    if (path != null) {
      m.put("path", path);
    }
    return m;
  }
}
