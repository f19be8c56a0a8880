package io.github.otlpfile.benchmarks.counters;

/**
 * Baseline: the exporter's counters as plain fields behind one lock, so one batch's accounting
 * (items written, bytes written, items forwarded) takes the lock once and a snapshot is consistent.
 */
public final class GroupedLockCounters {
  private final Object lock = new Object();
  // Guarded by lock.
  private long exportedItems;
  private long failedItems;
  private long bytesWritten;
  private long forwardedItems;

  public void recordBatch(long items, long bytes) {
    synchronized (lock) {
      exportedItems += items;
      bytesWritten += bytes;
      forwardedItems += items;
    }
  }

  public void recordFailure(long items) {
    synchronized (lock) {
      failedItems += items;
    }
  }

  public long[] snapshot() {
    synchronized (lock) {
      return new long[] {exportedItems, failedItems, bytesWritten, forwardedItems};
    }
  }
}
