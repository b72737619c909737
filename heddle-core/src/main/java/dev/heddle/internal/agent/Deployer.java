package dev.heddle.internal.agent;

import dev.heddle.Artifact;
import dev.heddle.DeployProgress;
import dev.heddle.HeddleException;
import dev.heddle.Host;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The controller's side of {@link Host#deploy}: hashes the artifacts (each file's sha256 is cached
 * by path, size and modification time), asks the agent which entries it has ({@code storeHave}),
 * and sends the others as {@code storeWrite} chunks, {@link #IN_FLIGHT} at a time, before {@code
 * storeCommit} has the agent verify and place each one. The agent's side is {@code Store}.
 */
public final class Deployer {
  /** Bytes per chunk: big enough that a request's round trip is small beside its transfer. */
  static final int CHUNK = 1 << 20;

  /** Chunks in flight per host. */
  static final int IN_FLIGHT = 6;

  private static final Map<FileKey, Digests> DIGESTS = new ConcurrentHashMap<>();

  private record Digests(String sha256, long crc32c) {}

  private record FileKey(Path path, long size, long modifiedNanos) {}

  /** One file to send: its path in the artifact ("" for a file artifact) and where it is here. */
  private record Member(
      String path, Path source, long size, String sha256, long crc32c, boolean executable) {}

  /** An artifact, hashed: its entry name and its files. */
  private record Hashed(Artifact artifact, String entry, List<Member> members) {
    long bytes() {
      return members.stream().mapToLong(Member::size).sum();
    }
  }

  private record Chunk(String upload, Member member, long offset, int length) {}

  private Deployer() {}

  static List<Path> deploy(
      AgentHost host, @Nullable String store, List<Artifact> artifacts, DeployProgress progress) {
    List<Hashed> hashed = new ArrayList<>();
    for (Artifact a : artifacts) {
      hashed.add(hash(host.name(), a));
    }
    Map<String, Object> haveBody = new LinkedHashMap<>();
    if (store != null) {
      haveBody.put("store", store);
    }
    haveBody.put("entries", hashed.stream().map(h -> (Object) h.entry()).toList());
    Reply have = host.callAgain("storeHave", haveBody);
    Path storeDir = Path.of(have.string("store"));
    List<String> present = have.strings("present");
    List<Hashed> missing = hashed.stream().filter(h -> !present.contains(h.entry())).toList();
    long total = missing.stream().mapToLong(Hashed::bytes).sum();
    progress.sent(host.name(), 0, total);
    if (!missing.isEmpty()) {
      send(host, storeDir.toString(), missing, total, progress);
    }
    return hashed.stream().map(h -> storeDir.resolve(h.entry())).toList();
  }

  public static Map<Host, List<Path>> everywhere(
      List<? extends Host> hosts, List<Artifact> artifacts, DeployProgress progress) {
    Map<Host, List<Path>> out = new ConcurrentHashMap<>();
    List<HeddleException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (Host h : hosts) {
      threads.add(
          Thread.ofVirtual()
              .name("deploy/" + h.name())
              .start(
                  () -> {
                    try {
                      out.put(h, h.deploy(artifacts, progress));
                    } catch (HeddleException e) {
                      failures.add(e);
                    } catch (RuntimeException e) {
                      failures.add(
                          new HeddleException(h.name(), null, "DEPLOY_FAILED", e.toString(), e));
                    }
                  }));
    }
    joinAll(threads);
    if (!failures.isEmpty()) {
      HeddleException first = failures.getFirst();
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
    Map<Host, List<Path>> ordered = new LinkedHashMap<>();
    hosts.forEach(h -> ordered.put(h, out.get(h)));
    return ordered;
  }

  private static void send(
      AgentHost host, String store, List<Hashed> missing, long total, DeployProgress progress) {
    List<String> uploads = new ArrayList<>();
    List<Chunk> chunks = new ArrayList<>();
    try {
      for (Hashed h : missing) {
        Reply begun =
            host.callAgain(
                "storeBegin",
                Map.of("store", store, "entry", h.entry(), "tree", h.artifact().isTree()));
        String upload = begun.string("upload");
        uploads.add(upload);
        for (Member m : h.members()) {
          for (long off = 0; off < m.size(); off += CHUNK) {
            chunks.add(new Chunk(upload, m, off, (int) Math.min(CHUNK, m.size() - off)));
          }
        }
      }
      sendChunks(host, chunks, total, progress);
      List<Thread> commits = new ArrayList<>();
      AtomicReference<@Nullable RuntimeException> failed = new AtomicReference<>();
      for (int i = 0; i < missing.size(); i++) {
        Hashed h = missing.get(i);
        String upload = uploads.get(i);
        commits.add(
            Thread.ofVirtual()
                .name("deploy/" + host.name() + "/commit")
                .start(
                    () -> {
                      try {
                        commit(host, store, upload, h);
                      } catch (RuntimeException e) {
                        failed.compareAndSet(null, e);
                      }
                    }));
      }
      joinAll(commits);
      uploads.clear(); // committed or refused: the agent dropped each one either way
      RuntimeException e = failed.get();
      if (e != null) {
        throw e;
      }
    } finally {
      for (String upload : uploads) {
        try {
          var _ = host.call(null, "storeAbort", Map.of("upload", upload));
        } catch (RuntimeException e) {
          // the agent drops it later as stale
        }
      }
    }
  }

  private static void sendChunks(
      AgentHost host, List<Chunk> chunks, long total, DeployProgress progress) {
    AtomicInteger next = new AtomicInteger();
    AtomicLong sent = new AtomicLong();
    AtomicReference<@Nullable RuntimeException> failed = new AtomicReference<>();
    List<Thread> senders = new ArrayList<>();
    for (int i = 0; i < Math.min(IN_FLIGHT, chunks.size()); i++) {
      senders.add(
          Thread.ofVirtual()
              .name("deploy/" + host.name() + "/send")
              .start(
                  () -> {
                    for (int k;
                        failed.get() == null && (k = next.getAndIncrement()) < chunks.size(); ) {
                      Chunk c = chunks.get(k);
                      try {
                        byte[] bytes = read(host.name(), c);
                        var _ =
                            host.callAgain(
                                "storeWrite",
                                Map.of(
                                    "upload", c.upload(),
                                    "path", c.member().path(),
                                    "offset", c.offset(),
                                    "bytes", bytes,
                                    "crc32c", crc32c(bytes)));
                        progress.sent(host.name(), sent.addAndGet(c.length()), total);
                      } catch (RuntimeException e) {
                        failed.compareAndSet(null, e);
                      }
                    }
                  }));
    }
    joinAll(senders);
    RuntimeException e = failed.get();
    if (e != null) {
      throw e;
    }
  }

  /**
   * Has the agent verify and place one upload. Sent again after a lost connection; if the first one
   * got through, the upload is gone and the entry is in place.
   */
  private static void commit(AgentHost host, String store, String upload, Hashed h) {
    try {
      var _ = host.callAgain("storeCommit", commitBody(upload, h));
    } catch (HeddleException e) {
      if (!"NOT_FOUND".equals(e.code())
          || !host.callAgain(
                  "storeHave", Map.of("store", store, "entries", List.<Object>of(h.entry())))
              .strings("present")
              .contains(h.entry())) {
        throw e;
      }
    }
  }

  private static Map<String, Object> commitBody(String upload, Hashed h) {
    List<Object> files = new ArrayList<>();
    for (Member m : h.members()) {
      files.add(
          Map.of(
              "path", m.path(),
              "size", m.size(),
              "sha256", m.sha256(),
              "crc32c", m.crc32c(),
              "executable", m.executable()));
    }
    return Map.of("upload", upload, "files", files);
  }

  private static byte[] read(String host, Chunk c) {
    byte[] bytes = new byte[c.length()];
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    try (FileChannel ch = FileChannel.open(c.member().source(), StandardOpenOption.READ)) {
      long at = c.offset();
      while (buf.hasRemaining()) {
        int n = ch.read(buf, at);
        if (n < 0) {
          throw new IOException("it became shorter while being deployed");
        }
        at += n;
      }
    } catch (IOException e) {
      throw failure(host, "cannot read " + c.member().source() + ": " + e.getMessage(), e);
    }
    return bytes;
  }

  /** The artifact's files and its entry name {@code <sha256>-<name>}. */
  private static Hashed hash(String host, Artifact a) {
    try {
      if (!a.isTree()) {
        Member m = member("", a.source());
        return new Hashed(a, m.sha256() + "-" + a.name(), List.of(m));
      }
      List<Member> members = new ArrayList<>();
      try (Stream<Path> all = Files.walk(a.source())) {
        for (Path p : all.sorted().toList()) {
          if (Files.isSymbolicLink(p)) {
            throw failure(
                host,
                "cannot deploy "
                    + a
                    + ": "
                    + p
                    + " is a symbolic link; deploy what it points to as an artifact of its own",
                null);
          }
          if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            members.add(member(a.source().relativize(p).toString(), p));
          }
        }
      }
      MessageDigest tree = sha256();
      for (Member m : members) {
        tree.update(
            (m.path() + "\0" + (m.executable() ? "x" : "-") + "\0" + m.sha256() + "\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      return new Hashed(a, HexFormat.of().formatHex(tree.digest()) + "-" + a.name(), members);
    } catch (IOException e) {
      throw failure(host, "cannot read " + a + ": " + e, e);
    }
  }

  private static Member member(String path, Path file) throws IOException {
    long size = Files.size(file);
    FileKey key =
        new FileKey(
            file,
            size,
            Files.getLastModifiedTime(file).to(java.util.concurrent.TimeUnit.NANOSECONDS));
    Digests digests = DIGESTS.get(key);
    if (digests == null) {
      MessageDigest md = sha256();
      CRC32C crc = new CRC32C();
      byte[] buf = new byte[1 << 16];
      try (InputStream in = Files.newInputStream(file)) {
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
          crc.update(buf, 0, n);
        }
      }
      digests = new Digests(HexFormat.of().formatHex(md.digest()), crc.getValue());
      DIGESTS.put(key, digests);
    }
    return new Member(
        path, file, size, digests.sha256(), digests.crc32c(), Files.isExecutable(file));
  }

  private static long crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return crc.getValue();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HeddleException failure(String host, String message, @Nullable Exception cause) {
    return cause == null
        ? new HeddleException(host, null, "DEPLOY_FAILED", message)
        : new HeddleException(host, null, "DEPLOY_FAILED", message, cause);
  }

  private static void joinAll(List<Thread> threads) {
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        threads.forEach(Thread::interrupt);
        Thread.currentThread().interrupt();
        throw new HeddleException("?", null, "INTERRUPTED", "interrupted while deploying");
      }
    }
  }
}
