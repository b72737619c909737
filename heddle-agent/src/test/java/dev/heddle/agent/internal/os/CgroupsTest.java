package dev.heddle.agent.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cgroup v2 containment with real process trees (needs root and a cgroup2 mount, as here). */
class CgroupsTest {
  /** sleep 1001 calls setsid and so escapes process groups; sleep 1002 ignores SIGTERM. */
  static final String TREE =
      "sleep 1000 & (setsid sleep 1001 &); (trap \"\" TERM; sleep 1002) & wait";

  static final List<String> SLEEPS = List.of("sleep 1000", "sleep 1001", "sleep 1002");

  static ExitReactor reactor;
  static Cgroups cgroups;
  @TempDir Path dir;
  Kids kids;

  @BeforeAll
  static void setUpAll() throws OsException {
    reactor = ExitReactor.start("test-cgroup-reactor");
    var availability = Cgroups.detect("test-" + Processes.getpid());
    assumeTrue(availability instanceof Cgroups.Availability.Usable, availability::toString);
    cgroups = ((Cgroups.Availability.Usable) availability).cgroups();
  }

  @AfterAll
  static void tearDownAll() {
    reactor.close();
    if (cgroups != null) {
      Path base = cgroups.base();
      cgroups.removeBase();
      assertFalse(Files.exists(base), "removeBase left " + base);
    }
  }

  @BeforeEach
  void setUp() {
    kids = new Kids(reactor, dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    kids.close();
  }

  @Test
  void detectFindsTheUnifiedMount() {
    assertEquals(
        Path.of("/sys/fs/cgroup/unified/heddle/test-" + Processes.getpid()), cgroups.base());
    assertEquals(Path.of("/sys/fs/cgroup/unified"), Cgroups.cgroup2Mount().orElseThrow());
  }

  @Test
  void namesAreSanitised() {
    assertEquals("orderd_2_a.b-c", Cgroups.sanitize("orderd/2 a.b-c"));
    assertEquals("_", Cgroups.sanitize(""));
    assertEquals("__", Cgroups.sanitize(".."));
  }

  @Test
  void cgroupKillEmptiesTheWholeTreeIncludingTheEscapee() throws Exception {
    Path group = cgroups.create("tree/1");
    assertEquals(cgroups.base().resolve("tree_1"), group);
    String mark = UUID.randomUUID().toString();
    var spec =
        Kids.withCgroup(
            Kids.withEnv(
                kids.spec("/bin/sh", "-c", TREE),
                Map.of("PATH", "/usr/bin:/bin", "HEDDLE_TEST_MARK", mark)),
            group);
    var kid = kids.spawn(spec);
    Kids.await(
        "the three sleeps",
        Duration.ofSeconds(5),
        () -> Kids.marked(mark).values().containsAll(SLEEPS));
    Map<Integer, String> tree = Kids.marked(mark);
    assertTrue(
        cgroups.procs(group).containsAll(tree.keySet()),
        () -> "cgroup.procs " + cgroups.procs(group) + " lacks some of " + tree);
    assertTrue(cgroups.populated(group));
    assertFalse(
        cgroups.awaitEmpty(group, Duration.ofMillis(20)),
        "a populated group does not empty by itself");

    cgroups.kill(group);

    assertTrue(cgroups.awaitEmpty(group, Duration.ofSeconds(5)), "cgroup.kill emptied the group");
    assertEquals(new RawExit.Signaled(Signals.KILL, false), kid.await());
    Kids.await(
        "every process of the tree to die",
        Duration.ofSeconds(5),
        () -> Kids.marked(mark).isEmpty());
    for (int pid : tree.keySet()) {
      assertFalse(Processes.alive(pid), () -> "pid " + pid + " survived");
    }
    cgroups.remove(group);
    assertFalse(Files.exists(group));
  }

  @Test
  void createRefusesAGroupThatStillHasProcesses() throws Exception {
    Path group = cgroups.create("busy");
    var kid = kids.spawn(Kids.withCgroup(kids.spec("/bin/sleep", "30"), group));
    try {
      Kids.await(
          "the sleeper to join",
          Duration.ofSeconds(5),
          () -> cgroups.procs(group).contains(kid.pid()));
      var e = assertThrows(FileAlreadyExistsException.class, () -> cgroups.create("busy"));
      assertTrue(
          e.getMessage().contains("still has processes [" + kid.pid() + "]"), e.getMessage());
      cgroups.remove(group);
      assertTrue(Files.exists(group), "remove ignores a busy group");
    } finally {
      cgroups.kill(group);
      assertTrue(cgroups.awaitEmpty(group, Duration.ofSeconds(5)));
      cgroups.remove(group);
    }
    assertEquals(group, cgroups.create("busy"), "an empty group is reused");
    cgroups.remove(group);
  }

  @Test
  void passedFdsAndCgroupShareOneTrampoline() throws Exception {
    Path group = cgroups.create("with-fds");
    int listener = Sockets.listenTcp("127.0.0.1", 0, 1);
    try {
      var spec =
          Kids.withFds(
              Kids.withCgroup(
                  kids.spec("/bin/sh", "-c", "cat /proc/self/cgroup; echo $LISTEN_PID"), group),
              List.of(new PassedFd(listener, "http")));
      var kid = kids.spawn(spec);
      assertEquals(new RawExit.Exited(0), kid.await());
      String cgroupLine = "0::/" + Path.of("/sys/fs/cgroup/unified").relativize(group);
      assertTrue(kids.readOut().contains(cgroupLine + "\n" + kid.pid() + "\n"), kids.readOut());
    } finally {
      Fds.close(listener);
      cgroups.remove(group);
    }
  }

  @Test
  void trampolineRefusesToExecWhenItCannotJoinTheCgroup() throws Exception {
    String script = Spawner.trampolineScript(true, Path.of("/nonexistent/it's gone"));
    var kid = kids.spawn(kids.spec("/bin/sh", "-c", script, "/bin/echo", "should not run"));
    assertEquals(new RawExit.Exited(125), kid.await());
    assertEquals("", kids.readOut());
    assertTrue(
        Files.readString(kids.err())
            .endsWith(
                "heddle: could not join cgroup /nonexistent/it's gone; not starting /bin/echo\n"),
        Files.readString(kids.err()));
  }
}
