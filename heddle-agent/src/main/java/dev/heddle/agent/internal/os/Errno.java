package dev.heddle.agent.internal.os;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/** errno values Heddle checks for, and their names and texts (from glibc). Never blocks. */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int ESRCH = 3;
  public static final int EINTR = 4;
  public static final int EBADF = 9;
  public static final int ECHILD = 10;
  public static final int EAGAIN = 11;
  public static final int EACCES = 13;
  public static final int EEXIST = 17;
  public static final int ENOTDIR = 20;
  public static final int EINVAL = 22;
  public static final int EADDRINUSE = 98;
  public static final int ECONNREFUSED = 111;
  public static final int EINPROGRESS = 115;

  // glibc >= 2.32; both return NULL for numbers they do not know, and are thread-safe (no buffer).
  private static final Optional<MethodHandle> NAME =
      Libc.optionalCall("strerrorname_np", FunctionDescriptor.of(Libc.ADDR, Libc.INT));
  private static final Optional<MethodHandle> DESCRIBE =
      Libc.optionalCall("strerrordesc_np", FunctionDescriptor.of(Libc.ADDR, Libc.INT));

  private Errno() {}

  /** The symbolic name, for example {@code "EADDRINUSE"}; {@code "errno 999"} when unknown. */
  public static String name(int errno) {
    return cString(NAME, errno).orElse("errno " + errno);
  }

  /** The text strerror gives, for example {@code "Address already in use"}. */
  public static String describe(int errno) {
    return cString(DESCRIBE, errno).orElse("Unknown error " + errno);
  }

  @SuppressWarnings("restricted")
  private static Optional<String> cString(Optional<MethodHandle> function, int errno) {
    if (function.isEmpty()) {
      return Optional.empty();
    }
    try {
      MemorySegment text = (MemorySegment) function.get().invokeExact(errno);
      if (text.equals(MemorySegment.NULL)) {
        return Optional.empty();
      }
      return Optional.of(text.reinterpret(Long.MAX_VALUE).getString(0));
    } catch (Throwable t) {
      throw Libc.unexpected(t);
    }
  }
}
