package io.github.otlpfile.internal.buffer;

import io.github.otlpfile.OverflowPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One exporter's queue of encoded batches inside a {@link BatchBuffer}, bounded in bytes, with a
 * lock of its own so that exporters of different signals never contend.
 *
 * <p>Thread-safe. Producers call {@link #offer}; the single writer thread calls {@link #drainTo}
 * and, once the drained bytes are on disk, {@link #release}. Bytes count against the capacity from
 * {@code offer} until {@code release}, so memory stays bounded while a write is in progress.
 *
 * <p>One record at a time may be streamed into a lane ({@link #openStream}): its room is reserved
 * whole up front, its pieces are queued as they are encoded ({@link #offerPart}) so the writer can
 * write them while the rest is still being encoded, and {@link #endStream} queues its last piece.
 * Until then every other entry offered is held back and queued after it, so that no other record
 * lands between the pieces.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class Lane {
  /** The outcome of {@link #offer}. */
  public enum Offer {
    ACCEPTED,
    /** The buffer had no room (DROP), or the wait for room was interrupted (BLOCK). */
    FULL,
    /** The batch alone is larger than the whole capacity. */
    TOO_LARGE,
    /** The lane was closed by shutdown. */
    CLOSED,
    /** Another record is being streamed into this lane; only {@link #openStream} says this. */
    BUSY
  }

  /**
   * The pieces of a streamed record wake the writer once this many bytes of them wait, not one by
   * one: each wake-up costs a park and an unpark (tens of microseconds of CPU on a virtual
   * machine), so waking for every piece spends more CPU than the overlap saves. Only records of at
   * least {@code BatchEncoder.STREAM_MIN_BYTES} (1 MiB) are streamed, so a streamed record wakes
   * the writer about once per MiB and once more for its last piece.
   */
  static final long STREAM_WAKE_BYTES = 1024 * 1024;

  private final BatchBuffer owner;
  private final String name;
  private final long capacityBytes;
  private final OverflowPolicy overflowPolicy;
  private final LaneSink sink;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition roomAvailable = lock.newCondition();

  // Guarded by lock.
  private ArrayList<PendingWrite> pending = new ArrayList<>();
  private long bufferedBytes;
  private boolean closed;
  // Guarded by lock. Whether a record is being streamed; entries offered meanwhile wait in
  // heldBack and follow its last piece.
  private boolean streaming;
  private final ArrayList<PendingWrite> heldBack = new ArrayList<>();
  // Guarded by lock. Bytes of the open stream's pieces queued since the writer was last woken
  // for them.
  private long unsignalledPartBytes;

  Lane(
      BatchBuffer owner,
      String name,
      long capacityBytes,
      OverflowPolicy overflowPolicy,
      LaneSink sink) {
    this.owner = owner;
    this.name = name;
    this.capacityBytes = capacityBytes;
    this.overflowPolicy = overflowPolicy;
    this.sink = sink;
  }

  public String getName() {
    return name;
  }

  public LaneSink getSink() {
    return sink;
  }

  /**
   * Queues an encoded batch. Under {@link OverflowPolicy#BLOCK} waits for room; under {@link
   * OverflowPolicy#DROP} returns {@link Offer#FULL} at once. Wakes the writer when accepted.
   */
  public Offer offer(PendingWrite write) {
    long size = write.getSize();
    if (size > capacityBytes) {
      return Offer.TOO_LARGE;
    }
    Offer offer;
    lock.lock();
    try {
      offer = reserve(size, false);
      if (offer == Offer.ACCEPTED) {
        (streaming ? heldBack : pending).add(write);
      }
    } finally {
      lock.unlock();
    }
    if (offer == Offer.ACCEPTED) {
      owner.signal();
    }
    return offer;
  }

  /**
   * Queues a marker that completes once everything queued before it is written. Markers take no
   * room and are accepted until the lane is closed.
   *
   * @return false if the lane is already closed
   */
  public boolean offerMarker(PendingWrite marker) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      (streaming ? heldBack : pending).add(marker);
      if (marker.getKind() == PendingWrite.Kind.CLOSE) {
        closed = true;
        roomAvailable.signalAll();
      }
    } finally {
      lock.unlock();
    }
    owner.signal();
    return true;
  }

  /**
   * Starts streaming a record of {@code recordBytes} into this lane, reserving its room at once:
   * with the same answers as {@link #offer} when there is no room (waiting for it under {@link
   * OverflowPolicy#BLOCK}), and {@link Offer#BUSY} at once if another record is being streamed.
   * After {@link Offer#ACCEPTED} the caller must queue the record's pieces with {@link #offerPart}
   * and finish with exactly one {@link #endStream}; until then shutdown waits for it.
   */
  public Offer openStream(long recordBytes) {
    if (recordBytes > capacityBytes) {
      return Offer.TOO_LARGE;
    }
    lock.lock();
    try {
      Offer offer = reserve(recordBytes, true);
      if (offer == Offer.ACCEPTED) {
        streaming = true;
        owner.streamOpened();
      }
      return offer;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes {@code size} bytes of room, first waiting for them under {@link OverflowPolicy#BLOCK}.
   * For a stream, answers {@link Offer#BUSY} instead as soon as another stream is open. The caller
   * holds {@link #lock}.
   */
  private Offer reserve(long size, boolean forStream) {
    while (!closed && !(forStream && streaming) && bufferedBytes + size > capacityBytes) {
      if (overflowPolicy == OverflowPolicy.DROP) {
        return Offer.FULL;
      }
      try {
        roomAvailable.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Offer.FULL;
      }
    }
    if (closed) {
      return Offer.CLOSED;
    }
    if (forStream && streaming) {
      return Offer.BUSY;
    }
    bufferedBytes += size;
    return Offer.ACCEPTED;
  }

  /**
   * Queues a piece of the record being streamed; its room was reserved by {@link #openStream}.
   * Wakes the writer only once {@link #STREAM_WAKE_BYTES} of pieces wait; {@link #endStream} always
   * does.
   */
  public void offerPart(PendingWrite part) {
    boolean wake;
    lock.lock();
    try {
      pending.add(part);
      unsignalledPartBytes += part.getData() == null ? 0 : part.getData().size();
      wake = unsignalledPartBytes >= STREAM_WAKE_BYTES;
      if (wake) {
        unsignalledPartBytes = 0;
      }
    } finally {
      lock.unlock();
    }
    if (wake) {
      owner.signal();
    }
  }

  /**
   * Queues the last entry of the record being streamed (its last piece, or an abort) followed by
   * everything held back meanwhile, and lets the next record be streamed.
   */
  public void endStream(PendingWrite last) {
    lock.lock();
    try {
      pending.add(last);
      pending.addAll(heldBack);
      heldBack.clear();
      streaming = false;
      unsignalledPartBytes = 0;
    } finally {
      lock.unlock();
    }
    owner.signal();
    owner.streamEnded();
  }

  /**
   * Moves every queued entry into {@code out} (which must be empty) in one step; returns false if
   * there was nothing. Called by the writer only.
   */
  public boolean drainTo(List<PendingWrite> out) {
    lock.lock();
    try {
      if (pending.isEmpty()) {
        return false;
      }
      out.addAll(pending);
      pending.clear();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Gives back the room of bytes that are now written (or failed). Called by the writer only. */
  public void release(long bytes) {
    if (bytes == 0) {
      return;
    }
    lock.lock();
    try {
      bufferedBytes -= bytes;
      roomAvailable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Bytes queued or being written. */
  public long getBufferedBytes() {
    lock.lock();
    try {
      return bufferedBytes;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "Lane{" + name + ", capacityBytes=" + capacityBytes + ", " + overflowPolicy + '}';
  }
}
