package io.github.otlpfile.internal.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file channel that records the writes and forces made through it, and fails them on demand, so
 * that tests can check when the writer forces data to disk and what it does when the disk fails or
 * fills up.
 */
final class FaultyChannel extends FileChannel {
  /** What the channel does next; shared by the channels of one test. */
  static final class Faults {
    /** Plenty: the disk is not full. */
    static final long PLENTY = Long.MAX_VALUE / 2;

    volatile boolean failWrites;
    volatile int bytesBeforeWriteFails = -1;
    volatile boolean failForce;
    volatile boolean failTruncate;
    // A truncation that reports success but leaves the file as it was.
    volatile boolean ignoreTruncate;
    volatile boolean failLock;
    // Closing closes the file, then reports a failure.
    volatile boolean failClose;
    volatile Runnable onForce = () -> {};

    /**
     * Room left on the simulated disk: writes take from it, truncation gives back. A write that
     * does not fit writes what fits and the next write fails with "No space left on device", as on
     * a full disk.
     */
    final AtomicLong freeBytes = new AtomicLong(PLENTY);
  }

  private final FileChannel delegate;
  private final Faults faults;
  private final List<String> events;

  FaultyChannel(FileChannel delegate, Faults faults, List<String> events) {
    this.delegate = delegate;
    this.faults = faults;
    this.events = events;
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    if (faults.failWrites) {
      throw new IOException("injected write failure");
    }
    int limit = faults.bytesBeforeWriteFails;
    if (limit >= 0) {
      // Writes part of a record, then fails: a torn record, as on a full disk.
      ByteBuffer partial = srcs[offset].duplicate();
      partial.limit(partial.position() + Math.min(limit, partial.remaining()));
      int written = delegate.write(partial);
      srcs[offset].position(srcs[offset].position() + written);
      events.add("write " + written);
      faults.failWrites = true;
      return written;
    }
    long free = faults.freeBytes.get();
    if (free <= 0) {
      events.add("no space");
      throw new IOException("No space left on device");
    }
    long written = 0;
    for (int i = offset; i < offset + length && written < free; i++) {
      ByteBuffer part = srcs[i].duplicate();
      part.limit(part.position() + (int) Math.min(part.remaining(), free - written));
      int n = delegate.write(part);
      srcs[i].position(srcs[i].position() + n);
      written += n;
    }
    faults.freeBytes.addAndGet(-written);
    events.add("write " + written);
    return written;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    faults.onForce.run();
    if (faults.failForce) {
      throw new IOException("injected force failure");
    }
    events.add("force");
    delegate.force(metaData);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return (int) write(new ByteBuffer[] {src}, 0, 1);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return delegate.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return delegate.read(dsts, offset, length);
  }

  @Override
  public long position() throws IOException {
    return delegate.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    delegate.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return delegate.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    if (faults.failTruncate) {
      events.add("truncate failed");
      throw new IOException("injected truncate failure");
    }
    if (faults.ignoreTruncate) {
      events.add("truncate ignored");
      return this;
    }
    long before = delegate.size();
    delegate.truncate(size);
    faults.freeBytes.addAndGet(before - delegate.size());
    events.add("truncate " + size);
    return this;
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return delegate.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    return delegate.transferFrom(src, position, count);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return delegate.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    return delegate.write(src, position);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return delegate.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    if (faults.failLock) {
      throw new IOException("injected lock failure");
    }
    return delegate.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return delegate.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    events.add("close");
    delegate.close();
    if (faults.failClose) {
      throw new IOException("injected close failure");
    }
  }
}
