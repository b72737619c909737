package dev.heddle.sim.internal.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.client.Clients;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends {@code init} to a node from a fresh client, as Maelstrom does, and waits 10 s for {@code
 * init_ok}. A node that answers anything else, or nothing, is reported. Loop thread only.
 */
final class Initializer {
  static final long DEADLINE_NANOS = 10_000_000_000L;
  private final Clients clients;
  private final Problems problems;
  private final List<String> nodes;
  private final Map<String, CompletableFuture<Boolean>> waiting = new HashMap<>();

  Initializer(Clients clients, Problems problems, List<String> nodes) {
    this.clients = clients;
    this.problems = problems;
    this.nodes = nodes;
  }

  /** Initializes every node; completes with the ids of the nodes that failed. */
  CompletableFuture<List<String>> initAll() {
    List<CompletableFuture<Boolean>> each = new ArrayList<>();
    nodes.forEach(n -> each.add(init(n)));
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<String> failed = new ArrayList<>();
              for (int i = 0; i < nodes.size(); i++) {
                if (!each.get(i).join()) {
                  failed.add(nodes.get(i));
                }
              }
              return failed;
            });
  }

  /** Initializes one node; completes with whether it answered init_ok. */
  CompletableFuture<Boolean> init(String node) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    waiting.put(node, done);
    ObjectNode body = Json.object().put("type", "init").put("node_id", node);
    body.set("node_ids", Json.MAPPER.valueToTree(nodes));
    clients
        .open()
        .call(
            node,
            body,
            DEADLINE_NANOS,
            reply -> {
              if (done.isDone()) {
                return;
              }
              if (reply == null) {
                problems.record(
                    node,
                    Problems.Kind.INIT_FAILED,
                    "Expected an init_ok message, but node did not respond within 10 s");
                done.complete(false);
              } else if (!"init_ok".equals(Json.text(reply, "type"))) {
                problems.record(
                    node,
                    Problems.Kind.INIT_FAILED,
                    "Expected an init_ok message, but got " + reply);
                done.complete(false);
              } else {
                done.complete(true);
              }
            });
    return done;
  }

  /**
   * Initializes a node the nemesis restarted. Nobody waits for the answer: a node that fails init
   * is recorded in {@link Problems}.
   */
  void reinit(String node) {
    CompletableFuture<Boolean> _ = init(node);
  }

  /** Fails a pending init at once when its node exits before answering. */
  void exited(String node) {
    CompletableFuture<Boolean> done = waiting.get(node);
    if (done != null && !done.isDone()) {
      problems.record(
          node,
          Problems.Kind.INIT_FAILED,
          "Expected an init_ok message, but the node exited first (see 'exited')");
      done.complete(false);
    }
  }
}
