package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The operations on one key, as register ops with interned values. Failed ops are left out (they
 * did not happen), as are reads of unknown outcome (they constrain nothing).
 *
 * @param key the key
 * @param ops the register ops, in invocation order
 * @param values the interned values: {@code values.get(i)} is value {@code i}; 0 is null (no value)
 */
record KeyHistory(JsonNode key, List<RegisterOp> ops, List<JsonNode> values) {
  /** Builds a key's history from its invoke/completion pairs (values {@code [key, v]}). */
  static KeyHistory of(JsonNode key, List<Checks.Pair> pairs) {
    Map<JsonNode, Integer> ids = new HashMap<>();
    List<JsonNode> values = new ArrayList<>();
    values.add(NullNode.getInstance());
    ids.put(NullNode.getInstance(), RegisterOp.NIL);
    List<RegisterOp> ops = new ArrayList<>();
    for (Checks.Pair p : pairs) {
      Op done = p.completion();
      Op.Type type = done == null ? Op.Type.INFO : done.type();
      if (type == Op.Type.FAIL || (type == Op.Type.INFO && p.invoke().f().equals("read"))) {
        continue;
      }
      boolean ok = type == Op.Type.OK;
      JsonNode arg = Objects.requireNonNull(p.invoke().value(), "checked").get(1);
      RegisterOp op =
          switch (p.invoke().f()) {
            case "read" -> {
              JsonNode read = Objects.requireNonNull(Objects.requireNonNull(done).value()).get(1);
              yield new RegisterOp(
                  RegisterOp.Kind.READ, intern(read, ids, values), 0, true, p.invoke(), done);
            }
            case "write" ->
                new RegisterOp(
                    RegisterOp.Kind.WRITE, intern(arg, ids, values), 0, ok, p.invoke(), done);
            default ->
                new RegisterOp(
                    RegisterOp.Kind.CAS,
                    intern(arg.get(0), ids, values),
                    intern(arg.get(1), ids, values),
                    ok,
                    p.invoke(),
                    done);
          };
      ops.add(op);
    }
    return new KeyHistory(key, List.copyOf(ops), List.copyOf(values));
  }

  private static int intern(JsonNode value, Map<JsonNode, Integer> ids, List<JsonNode> values) {
    JsonNode v = Json.canonical(value);
    Integer id = ids.get(v);
    if (id == null) {
      id = values.size();
      ids.put(v, id);
      values.add(v);
    }
    return id;
  }

  /** Returns value {@code id} as text; "nil" for no value. */
  String show(int id) {
    JsonNode v = values.get(id);
    return v.isNull() ? "nil" : v.toString();
  }
}
