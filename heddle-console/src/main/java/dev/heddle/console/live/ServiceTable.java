package dev.heddle.console.live;

import dev.heddle.Event;
import dev.heddle.HostProcess;
import dev.heddle.ListeningSocket;
import dev.heddle.Scope;
import dev.heddle.ServiceHandle;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the console knows of each service: the scope's handles (what runs now, what it was started
 * from) plus what the event stream said (state, restarts, ready since, last exit), and the most
 * recent events. Events arrive on supervisor threads; {@code this} guards the maps (no I/O inside).
 */
final class ServiceTable {
  static final int RECENT = 1000;

  private final Scope scope;
  private final Map<String, Seen> seen = new HashMap<>();
  private final ArrayDeque<Event> recent = new ArrayDeque<>();

  /** What the events said about one service. */
  private static final class Seen {
    String state = "ready";
    int restarts;
    @Nullable Instant readySince;
    @Nullable String lastExit;
    @Nullable Instant lastExitTime;
  }

  ServiceTable(Scope scope) {
    this.scope = scope;
  }

  /** Records one event. Never blocks. */
  synchronized void accept(Event e) {
    recent.addLast(e);
    while (recent.size() > RECENT) {
      recent.removeFirst();
    }
    Seen s = seen.computeIfAbsent(e.service(), k -> new Seen());
    switch (e) {
      case Event.Started x -> s.state = "starting";
      case Event.Ready x -> {
        s.state = "ready";
        s.readySince = x.time();
      }
      case Event.Exited x -> {
        s.state = "exited";
        s.readySince = null;
        s.lastExit = x.status().toString();
        s.lastExitTime = x.time();
      }
      case Event.RestartScheduled x -> s.state = "backoff";
      case Event.Restarted x -> {
        s.state = "starting";
        s.restarts++;
      }
      case Event.GaveUp x -> s.state = "gave-up";
      case Event.Stopped x -> {
        s.state = "stopped";
        s.readySince = null;
        s.lastExit = x.status().toString();
        s.lastExitTime = x.time();
      }
    }
  }

  /** The last {@code n} events, oldest first. */
  synchronized List<Event> recent(int n) {
    List<Event> all = new ArrayList<>(recent);
    return all.subList(Math.max(0, all.size() - n), all.size());
  }

  /** The handle of {@code name}, if the scope has one. */
  Optional<ServiceHandle> handle(String name) {
    return scope.services().stream().filter(h -> h.name().equals(name)).reduce((a, b) -> b);
  }

  /** Every service, in start order (the latest handle of a name). */
  List<Map<String, Object>> all() {
    Map<String, ServiceHandle> latest = new LinkedHashMap<>();
    for (ServiceHandle h : scope.services()) {
      latest.put(h.name(), h);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (ServiceHandle h : latest.values()) {
      out.add(describe(h));
    }
    return out;
  }

  /** One service as JSON-ready values. */
  Map<String, Object> describe(ServiceHandle h) {
    HostProcess p = h.current();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", h.name());
    m.put("host", h.host().name());
    String state;
    int restarts;
    @Nullable Instant readySince;
    @Nullable String lastExit;
    @Nullable Instant lastExitTime;
    synchronized (this) {
      Seen s = seen.get(h.name());
      state = s == null ? (p.isAlive() ? "ready" : "exited") : s.state;
      restarts = s == null ? 0 : s.restarts;
      readySince = s == null ? null : s.readySince;
      lastExit = s == null ? null : s.lastExit;
      lastExitTime = s == null ? null : s.lastExitTime;
    }
    if (h.isStopped()) {
      state = "stopped";
    }
    m.put("state", state);
    m.put("pid", p.pid());
    m.put("alive", p.isAlive());
    m.put("incarnation", p.incarnation());
    m.put("restarts", restarts);
    m.put("readySince", readySince == null ? null : readySince.toString());
    m.put(
        "lastExit",
        lastExit == null ? null : Map.of("status", lastExit, "time", String.valueOf(lastExitTime)));
    m.put("dependencies", h.service().dependencies().stream().map(ServiceHandle::name).toList());
    List<Map<String, Object>> sockets = new ArrayList<>();
    for (ListeningSocket s : h.service().spec().sockets()) {
      Map<String, Object> sm = new LinkedHashMap<>();
      sm.put("name", s.name());
      sm.put("address", s.tcp() != null ? s.tcp().toString() : String.valueOf(s.unix()));
      sockets.add(sm);
    }
    m.put("sockets", sockets);
    List<String> command = new ArrayList<>();
    command.add(h.service().spec().command().program());
    command.addAll(h.service().spec().command().args());
    m.put("command", command);
    return m;
  }

  /** An event as JSON-ready values. */
  static Map<String, Object> describe(Event e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", e.getClass().getSimpleName());
    m.put("service", e.service());
    m.put("host", e.host());
    m.put("incarnation", e.incarnation());
    m.put("time", e.time().toString());
    switch (e) {
      case Event.Started x -> m.put("pid", x.pid());
      case Event.Exited x -> m.put("status", x.status().toString());
      case Event.Stopped x -> m.put("status", x.status().toString());
      case Event.RestartScheduled x -> {
        m.put("delayMs", x.delay().toMillis());
        m.put("attempt", x.attempt());
      }
      case Event.GaveUp x -> m.put("reason", x.reason());
      case Event.Ready x -> {}
      case Event.Restarted x -> {}
    }
    return m;
  }
}
