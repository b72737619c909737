package dev.heddle.internal.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heddle.Artifact;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host.deploy through a real local agent into a content-addressed store. */
class DeployTest {
  @TempDir Path dir;
  AgentHost host;
  Path store;

  @BeforeEach
  void startAgent() {
    host = (AgentHost) Host.local(dir.resolve("state"));
    store = dir.resolve("store");
    host.storeDir(store.toString());
  }

  @AfterEach
  void close() {
    host.close();
  }

  @Test
  void aFileIsStoredUnderItsHashAndSentOnlyOnce() throws Exception {
    Path jar = write("app.jar", 3 * Deployer.CHUNK + 12_345); // several chunks, the last short
    List<long[]> heard = new CopyOnWriteArrayList<>();
    Path placed =
        host.deploy(
                List.of(Artifact.file(jar)),
                (h, sent, total) -> heard.add(new long[] {sent, total}))
            .getFirst();
    assertEquals(store.resolve(sha256(jar) + "-app.jar"), placed);
    assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(placed));
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(placed)));
    assertEquals(Files.size(jar), heard.getLast()[0], "progress ends at the whole size");

    heard.clear();
    assertEquals(
        placed,
        host.deploy(List.of(Artifact.file(jar)), (h, s, t) -> heard.add(new long[] {s, t}))
            .getFirst());
    assertEquals(1, heard.size(), "an unchanged artifact is not sent again");
    assertEquals(0, heard.getFirst()[1]);
    assertEquals(List.of(placed.getFileName()), entries());
  }

  @Test
  void aTreeKeepsItsLayoutAndExecutableBits() throws Exception {
    Path tree = dir.resolve("classes");
    Files.createDirectories(tree.resolve("a/b"));
    Files.writeString(tree.resolve("a/b/C.class"), "cafebabe");
    Files.writeString(tree.resolve("run.sh"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(
        tree.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.write(tree.resolve("empty"), new byte[0]);
    Path placed = host.deploy(Artifact.tree(tree));
    assertTrue(placed.getFileName().toString().endsWith("-classes"), placed.toString());
    assertEquals("cafebabe", Files.readString(placed.resolve("a/b/C.class")));
    assertTrue(Files.isExecutable(placed.resolve("run.sh")));
    assertFalse(Files.isExecutable(placed.resolve("a/b/C.class")));
    assertEquals(0, Files.size(placed.resolve("empty")));

    Files.writeString(tree.resolve("a/b/C.class"), "changed!");
    Path again = host.deploy(Artifact.tree(tree));
    assertNotEquals(placed, again, "changed content is a new entry");
    assertEquals("cafebabe", Files.readString(placed.resolve("a/b/C.class")), "the old one stays");
    assertEquals("changed!", Files.readString(again.resolve("a/b/C.class")));
  }

  @Test
  void severalArtifactsAndHostsAtOnce() throws Exception {
    try (Host other = Host.local(dir.resolve("state2"))) {
      ((AgentHost) other).storeDir(dir.resolve("store2").toString());
      List<Artifact> artifacts = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        artifacts.add(Artifact.file(write("lib" + i + ".jar", 100_000 * (i + 1))));
      }
      Map<Host, List<Path>> placed =
          Host.deployEverywhere(List.of(host, other), artifacts, (h, s, t) -> {});
      for (Host h : List.of(host, other)) {
        for (int i = 0; i < 5; i++) {
          assertArrayEquals(
              Files.readAllBytes(artifacts.get(i).source()),
              Files.readAllBytes(placed.get(h).get(i)));
        }
      }
      assertTrue(placed.get(other).getFirst().startsWith(dir.resolve("store2")));
    }
  }

  @Test
  void anInterruptedUploadLeavesNothingThatLooksWhole() throws Exception {
    Path jar = write("big.jar", 2 * Deployer.CHUNK);
    String entry = sha256(jar) + "-big.jar";
    String upload =
        host.call(
                null,
                "storeBegin",
                Map.of("store", store.toString(), "entry", entry, "tree", false))
            .string("upload");
    var _ =
        host.call(
            null,
            "storeWrite",
            Map.of(
                "upload",
                upload,
                "path",
                "",
                "offset",
                0L,
                "bytes",
                new byte[1000],
                "crc32c",
                crc(new byte[1000])));
    host.close(); // the controller goes away mid-upload
    assertFalse(Files.exists(store.resolve(entry)));
    assertTrue(
        entries().stream().allMatch(p -> p.toString().startsWith(".upload-")),
        entries().toString());

    host = (AgentHost) Host.local(dir.resolve("state3"));
    host.storeDir(store.toString());
    Path placed = host.deploy(Artifact.file(jar));
    assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(placed));
  }

  @Test
  void damagedBytesAreRefusedAndNothingIsPlaced() throws Exception {
    Path jar = write("x.jar", 5000);
    String entry = sha256(jar) + "-x.jar";
    String upload =
        host.call(
                null,
                "storeBegin",
                Map.of("store", store.toString(), "entry", entry, "tree", false))
            .string("upload");
    var _ =
        host.call(
            null,
            "storeWrite",
            Map.of(
                "upload",
                upload,
                "path",
                "",
                "offset",
                0L,
                "bytes",
                new byte[5000],
                "crc32c",
                crc(new byte[5000])));
    HeddleException e =
        assertThrows(
            HeddleException.class,
            () ->
                host.call(
                    null,
                    "storeCommit",
                    Map.of(
                        "upload",
                        upload,
                        "files",
                        (Object)
                            List.of(
                                Map.of(
                                    "path",
                                    "",
                                    "size",
                                    5000L,
                                    "sha256",
                                    sha256(jar),
                                    "crc32c",
                                    crc(Files.readAllBytes(jar)),
                                    "executable",
                                    false)))));
    assertEquals("DEPLOY_VERIFY_FAILED", e.code());
    assertTrue(e.getMessage().contains("arrived damaged"), e.getMessage());
    assertTrue(e.getMessage().contains("deploy it again"), e.getMessage());
    assertEquals(List.of(), entries(), "neither the entry nor its temporary is left");
  }

  @Test
  void aDamagedChunkIsRefusedBeforeItIsWritten() throws Exception {
    String upload =
        host.call(
                null,
                "storeBegin",
                Map.of("store", store.toString(), "entry", "abc-y.jar", "tree", false))
            .string("upload");
    HeddleException e =
        assertThrows(
            HeddleException.class,
            () ->
                host.call(
                    null,
                    "storeWrite",
                    Map.of(
                        "upload",
                        upload,
                        "path",
                        "",
                        "offset",
                        0L,
                        "bytes",
                        new byte[] {1, 2, 3},
                        "crc32c",
                        crc(new byte[] {1, 2, 4}))));
    assertEquals("DEPLOY_VERIFY_FAILED", e.code());
    assertTrue(e.getMessage().contains("offset 0"), e.getMessage());
    var _ = host.call(null, "storeAbort", Map.of("upload", upload));
    assertEquals(List.of(), entries());
  }

  @Test
  void badInputIsRefusedClearly() throws Exception {
    var missing =
        assertThrows(IllegalArgumentException.class, () -> Artifact.file(dir.resolve("nope.jar")));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    var notFile = assertThrows(IllegalArgumentException.class, () -> Artifact.file(dir));
    assertTrue(notFile.getMessage().contains("use Artifact.tree"), notFile.getMessage());
    var notDir = assertThrows(IllegalArgumentException.class, () -> Artifact.tree(write("f", 1)));
    assertTrue(notDir.getMessage().contains("use Artifact.file"), notDir.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Artifact.file(write("g", 1)).named("a/b"));

    Path tree = Files.createDirectories(dir.resolve("linked"));
    Files.createSymbolicLink(tree.resolve("link"), dir);
    HeddleException link =
        assertThrows(HeddleException.class, () -> host.deploy(Artifact.tree(tree)));
    assertEquals("DEPLOY_FAILED", link.code());
    assertTrue(link.getMessage().contains("symbolic link"), link.getMessage());

    HeddleException entry =
        assertThrows(
            HeddleException.class,
            () -> host.call(null, "storeBegin", Map.of("entry", "../escape", "tree", false)));
    assertTrue(entry.getMessage().contains("no '/'"), entry.getMessage());

    String upload =
        host.call(
                null,
                "storeBegin",
                Map.of("store", store.toString(), "entry", "abc-t", "tree", true))
            .string("upload");
    HeddleException escape =
        assertThrows(
            HeddleException.class,
            () ->
                host.call(
                    null,
                    "storeWrite",
                    Map.of(
                        "upload",
                        upload,
                        "path",
                        "../../evil",
                        "offset",
                        0L,
                        "bytes",
                        new byte[1])));
    assertTrue(escape.getMessage().contains("inside the tree"), escape.getMessage());
    HeddleException unknown =
        assertThrows(
            HeddleException.class,
            () ->
                host.call(
                    null,
                    "storeCommit",
                    Map.of("upload", "feedface", "files", (Object) List.of())));
    assertEquals("NOT_FOUND", unknown.code());
    var _ = host.call(null, "storeAbort", Map.of("upload", upload));
    assertFalse(Files.exists(dir.resolve("evil")));
  }

  private Path write(String name, int size) throws IOException {
    byte[] bytes = new byte[size];
    new Random(name.hashCode()).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  private static long crc(byte[] bytes) {
    var c = new java.util.zip.CRC32C();
    c.update(bytes);
    return c.getValue();
  }

  private static String sha256(Path file) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private List<Path> entries() throws IOException {
    try (Stream<Path> all = Files.list(store)) {
      return all.map(Path::getFileName).sorted().toList();
    }
  }
}
