package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jepsen's unique-ids checker: valid iff no acknowledged id was handed out twice. */
public final class UniqueIdsChecker implements Checker {
  @Override
  public ObjectNode check(List<Op> history) {
    long attempted = 0;
    Map<JsonNode, Integer> seen = new LinkedHashMap<>();
    for (Op op : history) {
      if (op.nemesis() || !op.f().equals("generate")) {
        continue;
      }
      if (op.type() == Op.Type.INVOKE) {
        attempted++;
      } else if (op.type() == Op.Type.OK && op.value() != null) {
        seen.merge(Json.canonical(op.value()), 1, Integer::sum);
      }
    }
    long acknowledged = seen.values().stream().mapToLong(Integer::longValue).sum();
    List<Map.Entry<JsonNode, Integer>> dups = new ArrayList<>();
    seen.entrySet().stream().filter(e -> e.getValue() > 1).forEach(dups::add);
    dups.sort(Map.Entry.<JsonNode, Integer>comparingByValue().reversed());
    ObjectNode r = Checks.result(Validity.of(dups.isEmpty()));
    r.put("attempted-count", attempted);
    r.put("acknowledged-count", acknowledged);
    r.put("duplicated-count", dups.size());
    ObjectNode dupMap = r.putObject("duplicated");
    dups.stream()
        .limit(48)
        .forEach(
            e ->
                dupMap.put(
                    e.getKey().isTextual() ? e.getKey().textValue() : e.getKey().toString(),
                    e.getValue()));
    List<JsonNode> ids = new ArrayList<>(seen.keySet());
    ids.sort(ORDER);
    ArrayNode range = r.putArray("range");
    if (!ids.isEmpty()) {
      range.add(ids.getFirst());
      range.add(ids.getLast());
    }
    return r;
  }

  private static final Comparator<JsonNode> ORDER =
      (a, b) ->
          a.isNumber() && b.isNumber()
              ? Double.compare(a.doubleValue(), b.doubleValue())
              : a.toString().compareTo(b.toString());
}
