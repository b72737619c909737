package dev.heddle.agent.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

/** heddle-exec, the trampoline that replaces sh: the same guarantees, with real processes. */
class ExecHelperTest {
  static ExitReactor reactor;
  static Cgroups cgroups;
  @TempDir Path dir;
  Kids kids;
  Path helper;

  @BeforeAll
  static void setUpAll() throws OsException {
    reactor = ExitReactor.start("test-exec-helper-reactor");
    var availability = Cgroups.detect("test-exec-" + Processes.getpid());
    assumeTrue(availability instanceof Cgroups.Availability.Usable, availability::toString);
    cgroups = ((Cgroups.Availability.Usable) availability).cgroups();
  }

  @AfterAll
  static void tearDownAll() {
    reactor.close();
    if (cgroups != null) {
      cgroups.removeBase();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    kids = new Kids(reactor, dir);
    String note = Spawner.installExecHelper(dir.resolve("bin"));
    assumeTrue(note.startsWith("trampoline /"), note);
    helper = dir.resolve("bin/heddle-exec");
  }

  @AfterEach
  void tearDown() throws Exception {
    Spawner.useExecHelper(null);
    kids.close();
  }

  @Test
  void joinsTheCgroupAndSetsListenPidUnderTheSamePid() throws Exception {
    Path group = cgroups.create("helper-fds");
    int listener = Sockets.listenTcp("127.0.0.1", 0, 1);
    try {
      var spec =
          Kids.withFds(
              Kids.withCgroup(
                  kids.spec(
                      "/bin/sh", "-c", "cat /proc/self/cgroup; echo $LISTEN_PID; echo $LISTEN_FDS"),
                  group),
              List.of(new PassedFd(listener, "http")));
      var kid = kids.spawn(spec);
      assertEquals(new RawExit.Exited(0), kid.await());
      String cgroupLine = "0::/" + Path.of("/sys/fs/cgroup/unified").relativize(group);
      assertTrue(kids.readOut().contains(cgroupLine + "\n" + kid.pid() + "\n1\n"), kids.readOut());
    } finally {
      Fds.close(listener);
      cgroups.remove(group);
    }
  }

  @Test
  void aSetsidGrandchildStartsInsideTheCgroupAndDiesWithIt() throws Exception {
    Path group = cgroups.create("helper-tree");
    String mark = UUID.randomUUID().toString();
    var spec =
        Kids.withCgroup(
            Kids.withEnv(
                kids.spec("/bin/sh", "-c", CgroupsTest.TREE),
                Map.of("PATH", "/usr/bin:/bin", "HEDDLE_TEST_MARK", mark)),
            group);
    var kid = kids.spawn(spec);
    Kids.await(
        "the three sleeps",
        Duration.ofSeconds(5),
        () -> Kids.marked(mark).values().containsAll(CgroupsTest.SLEEPS));
    Map<Integer, String> tree = Kids.marked(mark);
    assertTrue(
        cgroups.procs(group).containsAll(tree.keySet()),
        () -> "cgroup.procs " + cgroups.procs(group) + " lacks some of " + tree);
    cgroups.kill(group);
    assertTrue(cgroups.awaitEmpty(group, Duration.ofSeconds(5)), "cgroup.kill emptied the group");
    assertEquals(new RawExit.Signaled(Signals.KILL, false), kid.await());
    Kids.await(
        "every process of the tree to die",
        Duration.ofSeconds(5),
        () -> Kids.marked(mark).isEmpty());
    cgroups.remove(group);
  }

  @Test
  void refusesToExecWhenItCannotJoinTheCgroup() throws Exception {
    var kid =
        kids.spawn(
            kids.spec(
                helper.toString(), "/nonexistent/it's gone", "1", "/bin/echo", "should not run"));
    assertEquals(new RawExit.Exited(125), kid.await());
    assertEquals("", kids.readOut());
    assertEquals(
        "heddle: could not join cgroup /nonexistent/it's gone; not starting /bin/echo\n",
        Files.readString(kids.err()));
  }

  @Test
  void fallsBackToShWhenTheHelperCannotRun() throws Exception {
    Files.delete(helper);
    Path group = cgroups.create("helper-gone");
    try {
      var kid =
          kids.spawn(Kids.withCgroup(kids.spec("/bin/sh", "-c", "cat /proc/self/cgroup"), group));
      assertEquals(new RawExit.Exited(0), kid.await());
      String cgroupLine = "0::/" + Path.of("/sys/fs/cgroup/unified").relativize(group);
      assertTrue(kids.readOut().contains(cgroupLine + "\n"), kids.readOut());
      assertFalse(Files.exists(helper));
    } finally {
      cgroups.remove(group);
    }
  }
}
