package dev.heddle.sim.internal.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.history.Op;
import dev.heddle.sim.internal.net.NetStats;
import java.util.List;

/**
 * Maelstrom's net checker: send, receive and message counts for all links, client links and server
 * links, and messages per client operation. Always valid.
 */
public final class NetChecker implements Checker {
  private final NetStats stats;

  /** Creates a checker reporting these counters. */
  public NetChecker(NetStats stats) {
    this.stats = stats;
  }

  @Override
  public ObjectNode check(List<Op> history) {
    long ops = history.stream().filter(op -> !op.nemesis() && op.type() == Op.Type.INVOKE).count();
    ObjectNode r = Checks.result(Validity.VALID);
    r.set("all", group(stats.all(), ops, true));
    r.set("clients", group(stats.clients(), ops, false));
    r.set("servers", group(stats.servers(), ops, true));
    return r;
  }

  private static ObjectNode group(NetStats.Group g, long ops, boolean perOp) {
    ObjectNode o = dev.heddle.sim.internal.Json.object();
    o.put("send-count", g.sends());
    o.put("recv-count", g.recvs());
    o.put("msg-count", g.msgs());
    if (perOp) {
      if (ops > 0) {
        o.put("msgs-per-op", (double) g.msgs() / ops);
      } else {
        o.putNull("msgs-per-op");
      }
    }
    return o;
  }
}
