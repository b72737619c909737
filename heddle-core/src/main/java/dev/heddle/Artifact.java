package dev.heddle;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Something {@link Host#deploy} puts on a host: a file (a jar, a binary, a data file) or a
 * directory tree (a build's classes, a static site), stored there under its content's sha256.
 * Immutable.
 */
public final class Artifact {
  private final Path source;
  private final boolean tree;
  private final String name;

  private Artifact(Path source, boolean tree, String name) {
    this.source = source;
    this.tree = tree;
    this.name = name;
  }

  /**
   * The file at {@code path}, named by its file name.
   *
   * @throws IllegalArgumentException when it is not a regular file
   */
  public static Artifact file(Path path) {
    Path p = path.toAbsolutePath().normalize();
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException(
          "Artifact.file: "
              + p
              + (Files.exists(p, LinkOption.NOFOLLOW_LINKS)
                  ? " is not a regular file (use Artifact.tree for a directory)"
                  : " does not exist"));
    }
    return new Artifact(p, false, nameOf(p));
  }

  /**
   * The directory tree at {@code path}: its regular files, with their relative paths and whether
   * they are executable (empty directories and symbolic links are refused when deployed).
   *
   * @throws IllegalArgumentException when it is not a directory
   */
  public static Artifact tree(Path path) {
    Path p = path.toAbsolutePath().normalize();
    if (!Files.isDirectory(p)) {
      throw new IllegalArgumentException(
          "Artifact.tree: "
              + p
              + (Files.exists(p, LinkOption.NOFOLLOW_LINKS)
                  ? " is not a directory (use Artifact.file for a file)"
                  : " does not exist"));
    }
    return new Artifact(p, true, nameOf(p));
  }

  /** {@link #file} or {@link #tree}, whichever {@code path} is. */
  public static Artifact of(Path path) {
    return Files.isDirectory(path) ? tree(path) : file(path);
  }

  /**
   * The same content under another name (the part of the stored entry after the hash): letters,
   * digits, '.', '_', '-' and '+' only.
   */
  public Artifact named(String newName) {
    Objects.requireNonNull(newName, "name");
    if (newName.isEmpty()
        || newName.length() > 100
        || newName.startsWith(".")
        || !newName.chars().allMatch(Artifact::nameChar)) {
      throw new IllegalArgumentException(
          "an artifact name is 1..100 of [A-Za-z0-9._+-], not starting with '.', got '"
              + newName
              + "'");
    }
    return new Artifact(source, tree, newName);
  }

  /** Where the content is on this machine. */
  public Path source() {
    return source;
  }

  /** Whether this is a directory tree (else a file). */
  public boolean isTree() {
    return tree;
  }

  /** The name after the hash in the stored entry {@code <sha256>-<name>}. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return (tree ? "tree " : "file ") + source;
  }

  private static String nameOf(Path p) {
    Path fileName = p.getFileName();
    StringBuilder sb = new StringBuilder();
    for (char c : (fileName == null ? "root" : fileName.toString()).toCharArray()) {
      sb.append(nameChar(c) ? c : '_');
    }
    String s = sb.length() > 100 ? sb.substring(0, 100) : sb.toString();
    return s.startsWith(".") ? "_" + s.substring(1) : s;
  }

  private static boolean nameChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-'
        || c == '+';
  }
}
