package io.github.otlpfile.internal.encode;

import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A growable buffer that an encoded batch is written into and that the background writer later
 * writes to a file. The bytes live in direct (off-heap) memory: a file channel writes a heap array
 * by first copying it into a temporary direct buffer, so keeping the bytes there from the start
 * saves one copy of every batch.
 *
 * <p>Not thread-safe: it is owned by one thread at a time, first the exporting thread, then the
 * writer, then the pool it returns to.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class EncodedBuffer extends OutputStream {
  private ByteBuffer bytes;

  public EncodedBuffer(int initialCapacity) {
    bytes = ByteBuffer.allocateDirect(Math.max(16, initialCapacity));
  }

  @Override
  public void write(int b) {
    ensureRoom(1);
    bytes.put((byte) b);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensureRoom(len);
    bytes.put(b, off, len);
  }

  /** Appends a 4-byte big-endian integer: the length prefix of a protobuf record. */
  public void writeInt(int value) {
    ensureRoom(4);
    bytes.putInt(value);
  }

  /** Marshalers close the stream they write to; closing this buffer changes nothing. */
  @Override
  public void close() {}

  public int size() {
    return bytes.position();
  }

  public int capacity() {
    return bytes.capacity();
  }

  public void reset() {
    bytes.clear();
  }

  /** Returns a view of the written bytes; valid until the buffer is written to or reset. */
  public ByteBuffer asByteBuffer() {
    ByteBuffer view = bytes.duplicate();
    view.flip();
    return view;
  }

  /** Returns a copy of the written bytes. */
  public byte[] toByteArray() {
    byte[] copy = new byte[size()];
    asByteBuffer().get(copy);
    return copy;
  }

  private void ensureRoom(int more) {
    if (bytes.remaining() >= more) {
      return;
    }
    long needed = (long) bytes.position() + more;
    if (needed > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("encoded batch exceeds 2 GiB");
    }
    long grown = Math.max(needed, bytes.capacity() + (bytes.capacity() >> 1));
    ByteBuffer larger = ByteBuffer.allocateDirect((int) Math.min(grown, Integer.MAX_VALUE - 8));
    bytes.flip();
    larger.put(bytes);
    bytes = larger;
  }
}
