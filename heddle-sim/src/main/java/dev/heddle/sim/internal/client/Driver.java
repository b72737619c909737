package dev.heddle.sim.internal.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.history.History;
import dev.heddle.sim.internal.history.Op;
import dev.heddle.sim.internal.loop.EventLoop;
import dev.heddle.sim.internal.workload.OpSpec;
import dev.heddle.sim.internal.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Drives the workload's clients. The generator emits ops at staggered times (each gap uniform in
 * 0..2/rate seconds, as Jepsen's stagger) to the lowest-numbered free worker, waiting when all are
 * busy. The op contents and gaps come from one random stream consumed in emission order, so a seed
 * gives the same sequence of operations whatever the nodes do. Loop thread only.
 */
public final class Driver {
  private final EventLoop loop;
  private final Workload workload;
  private final History history;
  private final Problems problems;
  private final SplittableRandom random;
  private final long timeoutNanos;
  private final List<Worker> workers = new ArrayList<>();
  private @Nullable CompletableFuture<Void> phaseDone;
  private @Nullable OpSpec waiting;
  private boolean generating;
  private long endNanos;
  private long nextAt;
  private double rate;
  private int outstanding;

  /** Creates {@code concurrency} workers; worker i talks to node i mod n through a new client. */
  public Driver(
      EventLoop loop,
      Clients clients,
      Workload workload,
      History history,
      Problems problems,
      List<String> nodes,
      int concurrency,
      SplittableRandom random,
      long timeoutNanos) {
    this.loop = loop;
    this.workload = workload;
    this.history = history;
    this.problems = problems;
    this.random = random;
    this.timeoutNanos = timeoutNanos;
    for (int i = 0; i < concurrency; i++) {
      workers.add(new Worker(i, clients.open(), nodes.get(i % nodes.size())));
    }
  }

  /** Sends each worker's setup request (broadcast's topology) and completes when all answered. */
  public CompletableFuture<Void> setup() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Worker w : workers) {
      ObjectNode request = workload.setupRequest();
      if (request != null) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        w.client.call(w.node, request, timeoutNanos, reply -> done.complete(null));
        all.add(done);
      }
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /** Runs the main phase until {@code durationNanos} from now, then until every op completed. */
  public CompletableFuture<Void> runMain(double opsPerSecond, long durationNanos) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    phaseDone = done;
    rate = opsPerSecond;
    endNanos = loop.now() + durationNanos;
    generating = rate > 0;
    if (generating) {
      nextAt = loop.now() + gap();
      loop.at(nextAt, this::tick);
    }
    loop.at(
        endNanos,
        () -> {
          generating = false;
          waiting = null;
          checkDone();
        });
    return done;
  }

  /** Runs the workload's final op once on every worker and completes when all are done. */
  public CompletableFuture<Void> runFinal() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    phaseDone = done;
    OpSpec op = workload.finalOp();
    if (op != null) {
      workers.forEach(w -> invoke(w, op));
    }
    checkDone();
    return done;
  }

  private long gap() {
    return (long) (random.nextDouble() * 2e9 / rate);
  }

  private void tick() {
    if (!generating) {
      return;
    }
    OpSpec op = waiting;
    if (op == null) {
      op = workload.next(random);
      waiting = op;
    }
    for (Worker w : workers) {
      if (!w.busy) {
        invoke(w, op);
        waiting = null;
        nextAt += gap();
        loop.at(nextAt, this::tick);
        return;
      }
    }
  }

  private void invoke(Worker w, OpSpec spec) {
    OpSpec op = workload.bind(spec, w.index);
    w.busy = true;
    outstanding++;
    history.append(
        Op.Type.INVOKE, op.f(), op.value(), w.process, loop.now(), null, op.isFinal(), w.node);
    w.client.call(w.node, workload.request(op), timeoutNanos, reply -> complete(w, op, reply));
  }

  private void complete(Worker w, OpSpec op, @Nullable ObjectNode reply) {
    Outcomes.Completion c = Outcomes.of(workload, op, reply);
    workload.completed(w.index, op, c.type() == Op.Type.OK ? c.value() : null);
    if (c.unexpected()) {
      problems.record(
          w.node,
          Problems.Kind.UNEXPECTED_REPLY,
          "to " + op.f() + " (expected " + workload.okType(op.f()) + "): " + reply);
    }
    history.append(
        c.type(),
        op.f(),
        c.type() == Op.Type.OK ? c.value() : op.value(),
        w.process,
        loop.now(),
        c.error(),
        op.isFinal(),
        w.node);
    if (c.type() == Op.Type.INFO) {
      w.process += workers.size();
    }
    w.busy = false;
    outstanding--;
    if (waiting != null) {
      tick();
    }
    checkDone();
  }

  private void checkDone() {
    CompletableFuture<Void> done = phaseDone;
    if (!generating && outstanding == 0 && done != null) {
      done.complete(null);
    }
  }
}
