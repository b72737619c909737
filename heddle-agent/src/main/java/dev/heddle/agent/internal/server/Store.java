package dev.heddle.agent.internal.server;

import dev.heddle.agent.internal.protocol.Body;
import dev.heddle.agent.internal.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The host's content-addressed artifact store: entries {@code <store>/<sha256>-<name>}, each a file
 * or a directory tree, never changed once in place. An upload is written under {@code
 * <store>/.upload-<id>-<entry>}, verified and renamed into place in one step, so a reader sees a
 * whole entry or none: a killed upload leaves only its temporary, which a later upload to the same
 * store removes after {@link #STALE}. Chunks of one upload may arrive on several request threads at
 * once; each is written at its offset. No lock is held across file I/O.
 */
final class Store {
  /** How old an abandoned upload's temporary must be before another upload removes it. */
  static final Duration STALE = Duration.ofHours(1);

  private static final String UPLOAD_PREFIX = ".upload-";

  private final String hostLabel;
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

  private record Upload(Path store, Path temp, String entry, boolean tree) {}

  Store(String hostLabel) {
    this.hostLabel = hostLabel;
  }

  /** {@code storeHave {store?, entries}} → {@code {store, present}}: which entries are in place. */
  Map<String, Object> have(Body body) throws ProtocolException, AgentError {
    Path store = store(body);
    List<Object> present = new ArrayList<>();
    for (String entry : body.strings("entries")) {
      if (Files.exists(store.resolve(checkEntry(entry)))) {
        present.add(entry);
      }
    }
    return Map.of("store", store.toString(), "present", present);
  }

  /**
   * {@code storeBegin {store?, entry, tree}} → {@code {upload, temp}}: a new, empty temporary,
   * which the controller fills with {@code storeWrite} or writes itself (SFTP) at {@code temp}.
   */
  Map<String, Object> begin(Body body) throws ProtocolException, AgentError {
    Path store = store(body);
    String entry = checkEntry(body.string("entry"));
    boolean tree = body.flag("tree", false);
    sweep(store);
    String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    Path temp = store.resolve(UPLOAD_PREFIX + id + "-" + entry);
    try {
      if (tree) {
        Files.createDirectory(temp);
      } else {
        Files.createFile(temp);
      }
    } catch (IOException e) {
      throw osError("cannot start an upload in " + store, e);
    }
    uploads.put(id, new Upload(store, temp, entry, tree));
    return Map.of("upload", id, "store", store.toString(), "temp", temp.toString());
  }

  /** {@code storeWrite {upload, path, offset, bytes, crc32c}}: writes one chunk at its offset. */
  Map<String, Object> write(Body body) throws ProtocolException, AgentError {
    Upload u = upload(body);
    Path file = member(u, body.string("path"));
    long offset = body.number("offset");
    if (offset < 0) {
      throw bad("offset must not be negative, got " + offset);
    }
    byte[] data = body.bytes("bytes");
    CRC32C crc = new CRC32C();
    crc.update(data);
    if (crc.getValue() != body.number("crc32c")) {
      throw new AgentError(
          "DEPLOY_VERIFY_FAILED",
          "a chunk of "
              + u.entry()
              + " arrived damaged on host '"
              + hostLabel
              + "' (offset "
              + offset
              + ", CRC32C differs); nothing was written, deploy it again");
    }
    ByteBuffer bytes = ByteBuffer.wrap(data);
    try {
      if (u.tree()) {
        Files.createDirectories(file.getParent());
      }
      try (FileChannel ch =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        long at = offset;
        while (bytes.hasRemaining()) {
          at += ch.write(bytes, at);
        }
      }
    } catch (IOException e) {
      throw osError("cannot write " + file, e);
    }
    return Map.of();
  }

  /**
   * {@code storeCommit {upload, files: [{path, size, sha256, crc32c, executable}]}} → {@code
   * {path}}: verifies that the temporary holds exactly these files, then renames it into place. An
   * entry already in place (another controller's) wins; this temporary is dropped.
   */
  Map<String, Object> commit(Body body) throws ProtocolException, AgentError {
    Upload u = upload(body);
    uploads.remove(body.string("upload"));
    Path target = u.store().resolve(u.entry());
    try {
      List<Body> files = body.bodies("files");
      if (!u.tree() && files.size() != 1) {
        throw bad("a file upload commits exactly one file, got " + files.size());
      }
      for (Body f : files) {
        Path file = member(u, f.string("path"));
        if (f.number("size") == 0 && !Files.exists(file)) {
          if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
          }
          Files.createFile(file);
        }
        verify(u, file, f.number("size"), f.number("crc32c"));
        if (f.flag("executable", false)) {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r-xr-xr-x"));
        } else {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        }
      }
      if (u.tree()) {
        long count;
        try (Stream<Path> all = Files.walk(u.temp())) {
          count = all.filter(Files::isRegularFile).count();
        }
        if (count != files.size()) {
          throw new AgentError(
              "DEPLOY_VERIFY_FAILED",
              "the upload of "
                  + u.entry()
                  + " to host '"
                  + hostLabel
                  + "' holds "
                  + count
                  + " files but "
                  + files.size()
                  + " were sent; deploy it again");
        }
      }
      try {
        Files.move(u.temp(), target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        deleteTree(u.temp()); // someone else's whole copy is in place
      }
    } catch (IOException e) {
      deleteQuietly(u.temp());
      throw osError("cannot verify or place " + u.entry(), e);
    } catch (AgentError | ProtocolException e) {
      deleteQuietly(u.temp());
      throw e;
    }
    return Map.of("path", target.toString());
  }

  /** {@code storeAbort {upload}}: drops the temporary. */
  Map<String, Object> abort(Body body) throws ProtocolException, AgentError {
    Upload u = upload(body);
    uploads.remove(body.string("upload"));
    deleteQuietly(u.temp());
    return Map.of();
  }

  private void verify(Upload u, Path file, long size, long crc32c) throws IOException, AgentError {
    long actual = Files.size(file);
    long digest = crc32c(file);
    if (actual != size || digest != crc32c) {
      throw new AgentError(
          "DEPLOY_VERIFY_FAILED",
          "the upload of "
              + u.entry()
              + " to host '"
              + hostLabel
              + "' arrived damaged: "
              + u.temp().relativize(file)
              + " has "
              + actual
              + " bytes with CRC32C "
              + Long.toHexString(digest)
              + ", but "
              + size
              + " bytes with CRC32C "
              + Long.toHexString(crc32c)
              + " were sent; nothing was placed, deploy it again");
    }
  }

  static long crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        crc.update(buf, 0, n);
      }
    }
    return crc.getValue();
  }

  /** The store of the request: its {@code store} field, else {@code ~/.cache/heddle/store}. */
  private Path store(Body body) throws ProtocolException, AgentError {
    String field = body.optString("store");
    Path home = Path.of(System.getProperty("user.home", "/"));
    Path store =
        field == null ? home.resolve(".cache/heddle/store") : home.resolve(field).normalize();
    try {
      return Files.createDirectories(store).toAbsolutePath();
    } catch (IOException e) {
      throw osError("cannot create the artifact store " + store, e);
    }
  }

  private Upload upload(Body body) throws ProtocolException, AgentError {
    String id = body.string("upload");
    Upload u = uploads.get(id);
    if (u == null) {
      throw new AgentError(
          "NOT_FOUND",
          "no upload " + id + " on host '" + hostLabel + "' (committed, aborted or never begun)");
    }
    return u;
  }

  /** A file of the upload: the temporary itself, or a relative path inside a tree. */
  private static Path member(Upload u, String path) throws ProtocolException {
    if (!u.tree()) {
      if (!path.isEmpty()) {
        throw bad("a file upload has no member paths, got '" + path + "'");
      }
      return u.temp();
    }
    Path p = Path.of(path);
    Path file = u.temp().resolve(p).normalize();
    if (path.isEmpty() || p.isAbsolute() || !file.startsWith(u.temp()) || file.equals(u.temp())) {
      throw bad("a tree member must be a relative path inside the tree, got '" + path + "'");
    }
    return file;
  }

  private static String checkEntry(String entry) throws ProtocolException {
    if (entry.isEmpty()
        || entry.contains("/")
        || entry.startsWith(".")
        || entry.indexOf('\0') >= 0
        || entry.length() > 200) {
      throw bad(
          "a store entry is '<sha256>-<name>' with no '/' and no leading '.', got '" + entry + "'");
    }
    return entry;
  }

  /** Removes temporaries of uploads abandoned more than {@link #STALE} ago. */
  private static void sweep(Path store) {
    Instant cutoff = Instant.now().minus(STALE);
    try (Stream<Path> all = Files.list(store)) {
      for (Path p :
          all.filter(p -> p.getFileName().toString().startsWith(UPLOAD_PREFIX)).toList()) {
        FileTime t = Files.getLastModifiedTime(p);
        if (t.toInstant().isBefore(cutoff)) {
          deleteQuietly(p);
        }
      }
    } catch (IOException e) {
      AgentLog.warn("cannot sweep old uploads in " + store + ": " + e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      deleteTree(p);
    } catch (IOException e) {
      AgentLog.warn("cannot remove " + p + ": " + e);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
        if (Files.isDirectory(q, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          q.toFile().setWritable(true, true);
        }
        Files.deleteIfExists(q);
      }
    }
  }

  private static ProtocolException bad(String message) {
    return new ProtocolException(ProtocolException.Code.BAD_REQUEST, message);
  }

  private AgentError osError(String what, IOException e) {
    return new AgentError("OS_ERROR", what + " on host '" + hostLabel + "': " + e);
  }
}
