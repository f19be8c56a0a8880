package io.github.otlpfile.internal.encode;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte array that an encoded batch is written into and that the background writer later
 * writes to a file without another copy.
 *
 * <p>Not thread-safe: it is owned by one thread at a time, first the exporting thread, then the
 * writer, then the pool it returns to.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class EncodedBuffer extends OutputStream {
  private byte[] bytes;
  private int size;

  public EncodedBuffer(int initialCapacity) {
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  @Override
  public void write(int b) {
    ensureCapacity(size + 1);
    bytes[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensureCapacity(size + len);
    System.arraycopy(b, off, bytes, size, len);
    size += len;
  }

  /** Appends a 4-byte big-endian integer: the length prefix of a protobuf record. */
  public void writeInt(int value) {
    ensureCapacity(size + 4);
    bytes[size] = (byte) (value >>> 24);
    bytes[size + 1] = (byte) (value >>> 16);
    bytes[size + 2] = (byte) (value >>> 8);
    bytes[size + 3] = (byte) value;
    size += 4;
  }

  /** Marshalers close the stream they write to; closing this buffer changes nothing. */
  @Override
  public void close() {}

  public int size() {
    return size;
  }

  public int capacity() {
    return bytes.length;
  }

  public void reset() {
    size = 0;
  }

  /** Returns a view of the written bytes; valid until the buffer is written to or reset. */
  public ByteBuffer asByteBuffer() {
    return ByteBuffer.wrap(bytes, 0, size);
  }

  /** Returns a copy of the written bytes. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void ensureCapacity(int needed) {
    if (needed < 0) {
      throw new IllegalStateException("encoded batch exceeds 2 GiB");
    }
    if (needed > bytes.length) {
      int grown = bytes.length + (bytes.length >> 1);
      bytes = Arrays.copyOf(bytes, Math.max(needed, grown < 0 ? Integer.MAX_VALUE - 8 : grown));
    }
  }
}
