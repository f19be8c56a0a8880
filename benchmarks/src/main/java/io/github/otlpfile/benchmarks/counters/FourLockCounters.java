package io.github.otlpfile.benchmarks.counters;

/**
 * Baseline: each of the four counters behind a lock of its own, so one batch's accounting takes
 * three locks (one per counter it touches).
 */
public final class FourLockCounters {
  private final Object exportedLock = new Object();
  private final Object failedLock = new Object();
  private final Object bytesLock = new Object();
  private final Object forwardedLock = new Object();
  // Guarded by exportedLock.
  private long exportedItems;
  // Guarded by failedLock.
  private long failedItems;
  // Guarded by bytesLock.
  private long bytesWritten;
  // Guarded by forwardedLock.
  private long forwardedItems;

  public void recordBatch(long items, long bytes) {
    synchronized (exportedLock) {
      exportedItems += items;
    }
    synchronized (bytesLock) {
      bytesWritten += bytes;
    }
    synchronized (forwardedLock) {
      forwardedItems += items;
    }
  }

  public void recordFailure(long items) {
    synchronized (failedLock) {
      failedItems += items;
    }
  }

  public long[] snapshot() {
    long[] values = new long[4];
    synchronized (exportedLock) {
      values[0] = exportedItems;
    }
    synchronized (failedLock) {
      values[1] = failedItems;
    }
    synchronized (bytesLock) {
      values[2] = bytesWritten;
    }
    synchronized (forwardedLock) {
      values[3] = forwardedItems;
    }
    return values;
  }
}
