package io.github.otlpfile.benchmarks.buffer;

import io.github.otlpfile.OverflowPolicy;
import io.github.otlpfile.internal.buffer.PendingWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The baseline for the library's {@code BatchBuffer}: the same bounded lanes with the same logic
 * ({@code offer}, {@code drainTo}, {@code release}, the same wake-up flag), but one lock and one
 * condition shared by the lanes of all signals, so a trace export, a metric export, a log export
 * and the writer all take the same lock.
 */
public final class SharedLockBuffer {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition roomAvailable = lock.newCondition();
  private final AtomicBoolean signalled = new AtomicBoolean();

  public Lane addLane(long capacityBytes, OverflowPolicy overflowPolicy) {
    return new Lane(capacityBytes, overflowPolicy);
  }

  public void beginPass() {
    signalled.set(false);
  }

  private void signal() {
    // The library unparks a waiting writer here; the benchmark's writer never parks.
    signalled.getAndSet(true);
  }

  /** One signal's queue; every lane of the buffer shares the buffer's lock. */
  public final class Lane {
    private final long capacityBytes;
    private final OverflowPolicy overflowPolicy;
    // Guarded by the buffer's lock.
    private final ArrayList<PendingWrite> pending = new ArrayList<>();
    private long bufferedBytes;

    private Lane(long capacityBytes, OverflowPolicy overflowPolicy) {
      this.capacityBytes = capacityBytes;
      this.overflowPolicy = overflowPolicy;
    }

    public boolean offer(PendingWrite write) {
      long size = write.getSize();
      if (size > capacityBytes) {
        return false;
      }
      lock.lock();
      try {
        while (bufferedBytes + size > capacityBytes) {
          if (overflowPolicy == OverflowPolicy.DROP) {
            return false;
          }
          try {
            roomAvailable.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
        pending.add(write);
        bufferedBytes += size;
      } finally {
        lock.unlock();
      }
      signal();
      return true;
    }

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
  }
}
