package dev.heddle.agent.internal.protocol;

import java.util.Arrays;

/** A growable big-endian byte sink for encoding frames. Not thread-safe. */
final class ByteBuffers {
  private byte[] bytes = new byte[256];
  private int size;

  ByteBuffers put(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
    return this;
  }

  ByteBuffers putInt(int v) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      bytes[size++] = (byte) (v >>> shift);
    }
    return this;
  }

  ByteBuffers putLong(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes[size++] = (byte) (v >>> shift);
    }
    return this;
  }

  ByteBuffers put(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, bytes, size, b.length);
    size += b.length;
    return this;
  }

  void setInt(int at, int v) {
    for (int i = 0; i < 4; i++) {
      bytes[at + i] = (byte) (v >>> (24 - 8 * i));
    }
  }

  int size() {
    return size;
  }

  byte[] toArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void ensure(int n) {
    if (size + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
    }
  }
}
