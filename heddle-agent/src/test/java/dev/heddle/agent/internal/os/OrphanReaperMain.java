package dev.heddle.agent.internal.os;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM by {@link ReapOrphansTest}, because becoming a subreaper is irreversible for a
 * process and would make the test JVM adopt every orphan of every other test. Prints one result
 * line and exits 0, or throws (exit 1) naming the failed check.
 */
public final class OrphanReaperMain {
  private OrphanReaperMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Processes.becomeChildSubreaper();
    try (ExitReactor reactor = ExitReactor.start("orphan-reactor")) {
      // Spawned first, so waitid(P_ALL) peeks it first: reapOrphans must skip it and search /proc.
      Spawned mine = Spawner.spawn(spec(dir, "mine", "exit 3"));
      Spawned parent = Spawner.spawn(spec(dir, "parent", "sleep 0.3 & echo $!"));
      RawExit parentExit = reactor.watch(parent.pid(), parent.pidfd()).get(10, TimeUnit.SECONDS);
      check(parentExit.equals(new RawExit.Exited(0)), "parent exit " + parentExit);
      int orphan = Integer.parseInt(Files.readString(dir.resolve("parent.out")).strip());
      check(
          ProcStat.read(orphan).orElseThrow().ppid() == Processes.getpid(),
          "orphan adopted by the subreaper");
      Kids.await(
          "orphan and mine to be zombies",
          Duration.ofSeconds(10),
          () -> zombie(orphan) && zombie(mine.pid()));

      int reaped = Processes.reapOrphans(pid -> pid == mine.pid());

      check(reaped == 1, "reaped " + reaped + ", expected 1");
      check(ProcStat.read(orphan).isEmpty(), "orphan " + orphan + " is gone");
      check(zombie(mine.pid()), "the watched child was left for its owner");
      RawExit mineExit = reactor.watch(mine.pid(), mine.pidfd()).get(10, TimeUnit.SECONDS);
      check(Processes.reapOrphans(pid -> false) == 0, "nothing left to reap");
      Fds.close(mine.pidfd());
      Fds.close(parent.pidfd());
      System.out.println("reaped=" + reaped + " mine=" + mineExit);
    }
  }

  private static SpawnSpec spec(Path dir, String name, String script) {
    return new SpawnSpec(
        "/bin/sh",
        List.of("-c", script),
        Kids.ENV,
        null,
        List.of(),
        dir.resolve(name + ".out"),
        dir.resolve(name + ".err"),
        null);
  }

  private static boolean zombie(int pid) {
    return ProcStat.read(pid).map(ProcStat::zombie).orElse(false);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("check failed: " + what);
    }
  }
}
