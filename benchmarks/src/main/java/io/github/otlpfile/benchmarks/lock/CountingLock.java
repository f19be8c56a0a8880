package io.github.otlpfile.benchmarks.lock;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ReentrantLock} that counts how often each thread acquires it. Every counting lock adds
 * to the same per-thread counter, so a thread's counter says how many locks its calls took, over
 * all the locks of a design.
 */
public final class CountingLock implements BenchLock {
  private static final ThreadLocal<long[]> ACQUISITIONS =
      ThreadLocal.withInitial(() -> new long[1]);

  private final ReentrantLock lock = new ReentrantLock();

  /** The calling thread's counter: element 0 is its number of acquisitions. */
  public static long[] countsOfCurrentThread() {
    return ACQUISITIONS.get();
  }

  @Override
  public void lock() {
    lock.lock();
    ACQUISITIONS.get()[0]++;
  }

  @Override
  public void unlock() {
    lock.unlock();
  }
}
