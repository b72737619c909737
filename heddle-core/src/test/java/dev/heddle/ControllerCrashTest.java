package dev.heddle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session mode's promise: kill -9 of the controller leaves no process behind. */
class ControllerCrashTest {
  @TempDir Path dir;

  @Test
  void killNineOfTheControllerLeavesNoProcessBehind() throws Exception {
    Path pids = dir.resolve("pids");
    String marker = "heddle-crash-test-" + ProcessHandle.current().pid();
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process controller =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                CrashingController.class.getName(),
                dir.resolve("state").toString(),
                pids.toString(),
                marker)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("controller.log").toFile())
            .start();
    try {
      assertTrue(
          Procs.eventually(30_000, () -> Files.exists(pids)),
          "the controller never started its services");
      List<Long> watched = new ArrayList<>();
      for (String line : Files.readAllLines(pids)) {
        watched.add(Long.parseLong(line.strip()));
      }
      assertTrue(
          Procs.eventually(5_000, () -> !Procs.withMarker(marker).isEmpty()),
          "the setsid grandchild never started");
      watched.addAll(Procs.withMarker(marker));
      assertTrue(watched.stream().allMatch(Procs::alive), "not everything was running: " + watched);

      controller.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertTrue(controller.waitFor(10, TimeUnit.SECONDS));

      assertTrue(
          Procs.eventually(15_000, () -> watched.stream().noneMatch(Procs::alive)),
          "still alive after the controller's kill -9: "
              + watched.stream().filter(Procs::alive).toList());
      assertEquals(List.of(), Procs.withMarker(marker));
    } finally {
      controller.destroyForcibly();
    }
  }

  /** A controller in its own JVM: starts an agent and services, writes their pids, waits. */
  public static final class CrashingController {
    private CrashingController() {}

    public static void main(String[] args) throws Exception {
      Host host = Host.local(Path.of(args[0]));
      List<String> pids = new ArrayList<>();
      long agent = ((dev.heddle.internal.agent.AgentHost) host).agentProcess().pid();
      pids.add(Long.toString(agent));
      for (String script :
          List.of(
              "sleep 1000",
              "trap '' TERM; while :; do sleep 1; done",
              "(setsid \"$ESCAPEE\" 1001 &); sleep 1000")) {
        Path escapee = Path.of(args[1]).resolveSibling(args[2]);
        if (!Files.exists(escapee)) {
          Files.copy(Path.of("/bin/sleep"), escapee);
        }
        pids.add(
            Integer.toString(
                host.spawn(
                        ProcessSpec.builder(
                                "svc", Command.shell(script).env("ESCAPEE", escapee.toString()))
                            .stopGrace(java.time.Duration.ofMillis(300))
                            .build())
                    .pid()));
      }
      Path tmp = Path.of(args[1] + ".tmp");
      Files.write(tmp, pids);
      Files.move(tmp, Path.of(args[1]));
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
