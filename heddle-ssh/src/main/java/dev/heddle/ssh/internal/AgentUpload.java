package dev.heddle.ssh.internal;

import dev.heddle.internal.agent.AgentJar;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.jspecify.annotations.Nullable;

/**
 * Puts the agent jar on a host by SFTP as {@code ~/.cache/heddle/agent-<sha256>.jar}: skipped when
 * a file of that name and size is there; otherwise written under a temporary name and renamed, so a
 * reader never sees half a jar and two controllers uploading at once both end with a whole one.
 */
final class AgentUpload {
  static final String CACHE = ".cache/heddle";

  /**
   * Where the jar is on the host.
   *
   * @param uploaded false when a jar of that name and size was already there
   */
  record Placed(String path, boolean uploaded) {}

  private AgentUpload() {}

  static Placed ensure(SftpClient sftp, String home, AgentJar jar) throws IOException {
    String dir = mkdirs(sftp, home, CACHE);
    String path = dir + "/agent-" + jar.sha256() + ".jar";
    if (isWhole(stat(sftp, path), jar)) {
      return new Placed(path, false);
    }
    String tmp =
        path + ".tmp-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    try (OutputStream out = sftp.write(tmp)) {
      jar.writeTo(out);
    }
    try {
      sftp.rename(tmp, path);
    } catch (IOException e) {
      // SFTP v3 rename refuses an existing target: another controller may have won the race
      if (!isWhole(stat(sftp, path), jar)) {
        sftp.remove(tmp);
        throw e;
      }
      sftp.remove(tmp);
      return new Placed(path, false);
    }
    return new Placed(path, true);
  }

  /** Creates {@code relative} under {@code base} one level at a time; returns its full path. */
  static String mkdirs(SftpClient sftp, String base, String relative) throws IOException {
    String path = base;
    for (String part : relative.split("/", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      path = path.endsWith("/") ? path + part : path + "/" + part;
      if (stat(sftp, path) == null) {
        try {
          sftp.mkdir(path);
        } catch (IOException e) {
          if (stat(sftp, path) == null) { // not made by someone else meanwhile
            throw e;
          }
        }
      }
    }
    return path;
  }

  private static boolean isWhole(SftpClient.@Nullable Attributes a, AgentJar jar) {
    return a != null && a.isRegularFile() && a.getSize() == jar.size();
  }

  private static SftpClient.@Nullable Attributes stat(SftpClient sftp, String path)
      throws IOException {
    try {
      return sftp.stat(path);
    } catch (SftpException e) {
      if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
        return null;
      }
      throw e;
    }
  }
}
