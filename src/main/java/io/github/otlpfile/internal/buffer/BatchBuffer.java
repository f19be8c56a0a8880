package io.github.otlpfile.internal.buffer;

import io.github.otlpfile.OverflowPolicy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The in-memory queue between exporting threads and the writer thread: one {@link Lane} per
 * exporter (so per signal), each with its own lock, plus the wake-up signal the writer waits on.
 *
 * <p>Thread-safe. The lane list is copy-on-write because lanes come and go only when exporters are
 * built or shut down, while the writer walks it on every pass.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class BatchBuffer {
  private final CopyOnWriteArrayList<Lane> lanes = new CopyOnWriteArrayList<>();
  // Set by producers when they queue work, cleared by the writer before it looks at the lanes;
  // only the producer that flips it from false unparks the writer, so a busy writer costs
  // producers no system call.
  private final AtomicBoolean signalled = new AtomicBoolean();
  private volatile Thread waiter;
  // Records being streamed into any lane.
  private final AtomicInteger openStreams = new AtomicInteger();

  public Lane addLane(
      String name, long capacityBytes, OverflowPolicy overflowPolicy, LaneSink sink) {
    Lane lane = new Lane(this, name, capacityBytes, overflowPolicy, sink);
    lanes.add(lane);
    return lane;
  }

  public void removeLane(Lane lane) {
    lanes.remove(lane);
  }

  public List<Lane> getLanes() {
    return lanes;
  }

  public boolean isEmpty() {
    return lanes.isEmpty();
  }

  /** Wakes the writer if it is waiting (or about to). */
  public void signal() {
    // Read first: while the writer is busy, producers then share the flag's cache line instead
    // of writing it on every offer.
    if (!signalled.get() && !signalled.getAndSet(true)) {
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  /**
   * Marks the start of a writer pass: work queued from now on will wake the writer again. Called by
   * the writer before it drains the lanes.
   */
  public void beginPass() {
    signalled.set(false);
  }

  /**
   * Parks the calling writer thread until a producer signals or {@code timeoutNanos} pass. Returns
   * at once if work was signalled since {@link #beginPass()}.
   */
  public void awaitWork(long timeoutNanos) {
    // Parked, never spinning or yielding, also while a record is being streamed: waiting awake
    // for its pieces kept a second core busy for the whole encoding of every large record, which
    // cost the application more CPU than the overlap of writing with encoding saved. Lanes wake
    // the writer only once a streamed record has a worthwhile amount of bytes to write.
    waiter = Thread.currentThread();
    if (!signalled.get()) {
      LockSupport.parkNanos(this, timeoutNanos);
    }
    // Awake until the next wait: producers need not unpark it (a permit left behind would only
    // cost it an empty pass). Work signalled from now on is seen by the next pass or by the check
    // above, as the waiter is published before the flag is read.
    waiter = null;
  }

  void streamOpened() {
    openStreams.incrementAndGet();
  }

  void streamEnded() {
    openStreams.decrementAndGet();
  }

  /** Records being streamed into any lane now. */
  int openStreams() {
    return openStreams.get();
  }
}
