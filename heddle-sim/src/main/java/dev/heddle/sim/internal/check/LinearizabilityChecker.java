package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The lin-kv checker: each key is a register (read, write, cas), checked for linearizability on its
 * own (linearizability is compositional, so the whole history is linearizable exactly when every
 * key's is), with the keys checked in parallel. Ops that failed did not happen; ops of unknown
 * outcome (info, or never completed) may take effect at any time after their invocation, or never.
 *
 * <p>Reports Jepsen's independent-checker keys: {@code valid?}, {@code results} (key → that key's
 * result), {@code failures} (the invalid keys); an invalid key's result names the op where the
 * search failed, the values the key could hold then, a readable explanation and a small failing
 * sub-history (itself a history that {@code heddle sim check} rejects).
 */
public final class LinearizabilityChecker implements Checker {
  /** The fs of lin-kv ops. */
  public static final Set<String> FUNCTIONS = Set.of("read", "write", "cas");

  private static final long DEFAULT_BUDGET = 200_000_000L;

  private final long budget;

  /** A checker whose search gives up (verdict unknown) after 200 million steps on one key. */
  public LinearizabilityChecker() {
    this(DEFAULT_BUDGET);
  }

  /** A checker whose search gives up after {@code budget} steps on one key. */
  public LinearizabilityChecker(long budget) {
    this.budget = budget;
  }

  @Override
  public ObjectNode check(List<Op> history) {
    Map<JsonNode, List<Checks.Pair>> byKey = new LinkedHashMap<>();
    int count = 0;
    for (Checks.Pair p : Checks.pairs(history)) {
      String problem = shape(p.invoke());
      Op done = p.completion();
      if (problem == null && done != null) {
        problem = shape(done);
      }
      if (problem != null) {
        throw new IllegalArgumentException("Op " + p.invoke().index() + ": " + problem);
      }
      JsonNode key = Json.canonical(java.util.Objects.requireNonNull(p.invoke().value()).get(0));
      byKey.computeIfAbsent(key, _ -> new ArrayList<>()).add(p);
      count++;
    }
    List<Map.Entry<JsonNode, List<Checks.Pair>>> keys = new ArrayList<>(byKey.entrySet());
    List<ObjectNode> results =
        keys.parallelStream().map(e -> checkKey(KeyHistory.of(e.getKey(), e.getValue()))).toList();
    Validity verdict = Validity.VALID;
    ObjectNode all = Json.object();
    ArrayNode failures = Json.MAPPER.createArrayNode();
    for (int i = 0; i < keys.size(); i++) {
      ObjectNode r = results.get(i);
      Validity v = Checks.validity(r);
      verdict = verdict.and(v);
      JsonNode key = keys.get(i).getKey();
      if (v == Validity.INVALID) {
        failures.add(key);
      }
      String name = key.isTextual() ? key.textValue() : key.toString();
      all.set(all.has(name) ? key.toString() : name, r); // "1" and 1 are different keys
    }
    ObjectNode out = Checks.result(verdict);
    out.put("analyzer", "wgl");
    out.put("key-count", keys.size());
    out.put("op-count", count);
    out.set("failures", failures);
    out.set("results", all);
    return out;
  }

  private ObjectNode checkKey(KeyHistory h) {
    RegisterSearch.Result r = RegisterSearch.run(h.ops(), budget);
    ObjectNode out =
        switch (r.outcome()) {
          case LINEARIZABLE -> Checks.result(Validity.VALID);
          case UNKNOWN -> {
            ObjectNode o = Checks.result(Validity.UNKNOWN);
            o.put("error", "the search gave up after " + r.steps() + " steps");
            yield o;
          }
          case NOT_LINEARIZABLE -> Failure.report(h, r);
        };
    out.put("op-count", h.ops().size());
    return out;
  }

  /**
   * Returns what is wrong with a lin-kv op's shape, or null when it is well formed: f is read,
   * write or cas, and the value is {@code [key, v]} with {@code v} a {@code [from, to]} pair for
   * cas.
   */
  @Override
  public @Nullable String malformed(Op op) {
    return shape(op);
  }

  private static @Nullable String shape(Op op) {
    if (!FUNCTIONS.contains(op.f())) {
      return "unknown f '" + op.f() + "' for lin-kv (expected read, write or cas)";
    }
    JsonNode v = op.value();
    boolean readInvoke = op.f().equals("read") && op.type() != Op.Type.OK;
    if (v == null || !v.isArray() || (v.size() != 2 && !(readInvoke && v.size() == 1))) {
      return "the value of a lin-kv "
          + op.f()
          + " must be [key, "
          + (op.f().equals("cas") ? "[from, to]" : "value")
          + "], got "
          + v;
    }
    if (op.f().equals("cas") && !(v.get(1).isArray() && v.get(1).size() == 2)) {
      return "the value of a lin-kv cas must be [key, [from, to]], got " + v;
    }
    return null;
  }
}
