package dev.heddle.sim.internal.run;

import dev.heddle.sim.SimConfig;
import dev.heddle.sim.SimOutcome;
import dev.heddle.sim.Validity;
import dev.heddle.sim.internal.Json;
import dev.heddle.sim.internal.Problems;
import dev.heddle.sim.internal.check.Checks;
import dev.heddle.sim.internal.client.Clients;
import dev.heddle.sim.internal.client.Driver;
import dev.heddle.sim.internal.history.History;
import dev.heddle.sim.internal.loop.EventLoop;
import dev.heddle.sim.internal.nemesis.Nemesis;
import dev.heddle.sim.internal.nemesis.NemesisPlan;
import dev.heddle.sim.internal.net.Latency;
import dev.heddle.sim.internal.net.Network;
import dev.heddle.sim.internal.node.Cluster;
import dev.heddle.sim.internal.report.Reports;
import dev.heddle.sim.internal.report.Results;
import dev.heddle.sim.internal.report.RunData;
import dev.heddle.sim.internal.service.Services;
import dev.heddle.sim.internal.workload.Workload;
import dev.heddle.sim.internal.workload.Workloads;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * One test, start to finish: store directory, nodes, init, workload setup, main phase with the
 * nemesis, heal, recovery wait, final ops, teardown, checks, files. The calling thread
 * orchestrates; simulation state lives on the loop thread.
 */
public final class TestRun {
  private final SimConfig config;
  private final PrintStream console;

  /** Prepares a run; {@link #run()} does it. */
  public TestRun(SimConfig config, PrintStream console) {
    this.config = config;
    this.console = console;
  }

  /** Runs the test. Blocks until the nodes are stopped and every file is written. */
  public SimOutcome run() throws IOException, InterruptedException {
    List<String> command = NodeCommand.resolve(config.command());
    Workload workload =
        Workloads.create(
            config.workload(),
            config.nodes(),
            config.topology(),
            String.join(",", config.consistencyModels()));
    Path dir = Store.newRun(config.store(), config.workload());
    SplittableRandom master = new SplittableRandom(config.seed());
    SplittableRandom generatorRandom = master.split();
    SplittableRandom nemesisRandom = master.split();
    SplittableRandom networkRandom = master.split();
    SplittableRandom serviceRandom = master.split();
    Problems problems = new Problems();
    History history = new History();
    List<String> initFailed = new ArrayList<>();
    try (RunLog log = new RunLog(console, dir.resolve("sim.log"))) {
      log.info(
          "Running "
              + config.workload()
              + " on "
              + config.nodes().size()
              + " node(s) of "
              + String.join(" ", command));
      log.info("Seed: " + config.seed() + " (replay with --seed " + config.seed() + ")");
      log.info("Store: " + dir);
      EventLoop loop = new EventLoop("sim/loop");
      Network net =
          new Network(
              loop,
              networkRandom,
              new Latency(config.latencyDist(), config.latencyMillis()),
              problems,
              3000);
      Cluster cluster;
      Nemesis nemesis;
      try {
        Clients clients =
            loop.call(
                    () -> {
                      Services.register(net, serviceRandom);
                      return new Clients(net, problems);
                    })
                .join();
        Initializer init = new Initializer(clients, problems, config.nodes());
        cluster =
            new Cluster(
                loop,
                net,
                problems,
                command,
                config.nodes(),
                dir.resolve("node-logs"),
                config.logStderr() ? console : null);
        cluster.onUnexpectedExit(init::exited);
        nemesis = new Nemesis(loop, net.faults(), cluster, history, config, init::reinit);
        boolean terminal = onTerminal(console);
        Progress progress =
            new Progress(log, terminal, () -> Progress.line(loop, history, net, nemesis, config));
        try {
          cluster.startAll();
          initFailed.addAll(await(loop, loop.callAsync(init::initAll)));
          if (initFailed.isEmpty()) {
            phases(
                log,
                loop,
                clients,
                workload,
                history,
                problems,
                nemesis,
                generatorRandom,
                nemesisRandom);
          } else {
            log.info("Init failed on " + initFailed + "; skipping the workload.");
          }
        } finally {
          progress.close();
          cluster.stopAll();
          loop.close();
        }
      } finally {
        loop.close();
      }
      Throwable loopFailure = loop.failure();
      if (loopFailure != null) {
        throw new IllegalStateException("The simulator's loop failed: " + loopFailure, loopFailure);
      }
      RunData data =
          new RunData(
              config,
              dir,
              history.ops(),
              net.stats(),
              net.journal(),
              nemesis.periods(),
              problems,
              Json.object(),
              loop.now(),
              net.lag());
      data = data.withResults(Results.build(data, workload, initFailed));
      Reports.write(data);
      Validity validity = Checks.validity(data.results());
      String summary = Results.summary(data);
      log.info(summary);
      return new SimOutcome(validity, dir, config.seed(), summary);
    }
  }

  private void phases(
      RunLog log,
      EventLoop loop,
      Clients clients,
      Workload workload,
      History history,
      Problems problems,
      Nemesis nemesis,
      SplittableRandom generatorRandom,
      SplittableRandom nemesisRandom)
      throws InterruptedException {
    Driver driver =
        await(
            loop,
            loop.call(
                () ->
                    new Driver(
                        loop,
                        clients,
                        workload,
                        history,
                        problems,
                        config.nodes(),
                        config.concurrency(),
                        generatorRandom,
                        workload.rpcTimeoutNanos(config.latencyMillis()))));
    await(loop, loop.callAsync(driver::setup));
    log.info(
        "Running the main phase for "
            + config.timeLimitSeconds()
            + " s"
            + (config.nemesis().isEmpty() ? "" : " with nemesis " + config.nemesis()));
    var plan = NemesisPlan.create(config, nemesisRandom);
    long limit = (long) (config.timeLimitSeconds() * 1e9);
    await(
        loop,
        loop.callAsync(
            () -> {
              nemesis.schedule(plan);
              return driver.runMain(config.rate(), limit);
            }));
    await(
        loop,
        loop.call(
            () -> {
              nemesis.healAll();
              return null;
            }));
    if (workload.finalOp() != null) {
      log.info(
          "Healed the network and nodes. Waiting for recovery ("
              + config.recoverySeconds()
              + " s)...");
      Thread.sleep((long) (config.recoverySeconds() * 1000));
      await(loop, loop.callAsync(driver::runFinal));
    }
  }

  /**
   * Returns whether progress lines may be rewritten in place: the console is this process's stderr
   * and that is a terminal.
   */
  // ReferenceEquality: identity is the question (is this stream the process's own stderr?).
  // SystemConsoleNull: isTerminal() is the test; the null check stays because console() may still
  // return null on JDK 22+ (with -Djdk.console=java.base, for example), as its javadoc says.
  @SuppressWarnings({"ReferenceEquality", "SystemConsoleNull"})
  private static boolean onTerminal(PrintStream console) {
    Console terminal = System.console();
    return console == System.err && terminal != null && terminal.isTerminal();
  }

  /** Waits for a loop future, failing fast if the loop itself failed. */
  static <T> T await(EventLoop loop, CompletableFuture<T> future) throws InterruptedException {
    while (true) {
      try {
        return future.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        Throwable failure = loop.failure();
        if (failure != null) {
          throw new IllegalStateException("The simulator's loop failed: " + failure, failure);
        }
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("A simulator step failed: " + e.getCause(), e.getCause());
      }
    }
  }
}
