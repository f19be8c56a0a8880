package io.github.otlpfile.internal;

import io.github.otlpfile.CircuitState;
import io.github.otlpfile.ExporterStats;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The live counters behind {@link ExporterStats}. Striped adders, so that counting on the export
 * path takes no lock and threads rarely touch the same cache line.
 *
 * <p>Thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ExporterCounters {
  public final LongAdder exportedItems = new LongAdder();
  public final LongAdder droppedItems = new LongAdder();
  public final LongAdder failedItems = new LongAdder();
  public final LongAdder bytesWritten = new LongAdder();
  public final LongAdder filesCreated = new LongAdder();
  public final LongAdder filesDeleted = new LongAdder();
  public final LongAdder filesCompressed = new LongAdder();
  public final LongAdder compressionFailures = new LongAdder();
  public final LongAdder forwardedItems = new LongAdder();
  public final LongAdder forwardFailedItems = new LongAdder();
  public final LongAdder forwardSkippedItems = new LongAdder();
  // Forwarding catch-up.
  public final LongAdder forwardCaughtUpItems = new LongAdder();
  public final LongAdder forwardRejectedItems = new LongAdder();
  public final LongAdder forwardExpiredItems = new LongAdder();
  // Items found in files this exporter did not write, and how many of them were settled since.
  public final LongAdder forwardFoundItems = new LongAdder();
  public final LongAdder forwardFoundBacklogSettled = new LongAdder();
  public final LongAdder checkpointFailures = new LongAdder();
  // Forwarding circuit breaker transitions, by the state entered.
  public final LongAdder circuitOpened = new LongAdder();
  public final LongAdder circuitHalfOpened = new LongAdder();
  public final LongAdder circuitClosed = new LongAdder();
  private volatile Supplier<CircuitState> circuitState = () -> CircuitState.CLOSED;
  private volatile boolean forwarding;
  private volatile Backlog backlog;

  /** The backlog as catch-up knows it. */
  public interface Backlog {
    long items();

    long bytes();

    /** When the oldest record of the backlog was written (ms since the epoch), or MAX_VALUE. */
    long oldestMillis();
  }

  /** Called by the forwarder when it catches up. */
  public void setBacklog(Backlog backlog) {
    this.backlog = backlog;
  }

  /** Whether the exporter catches up. */
  public boolean isCatchingUp() {
    return backlog != null;
  }

  /** Items not yet delivered, as far as known: this exporter's and those found. */
  public long backlogItems() {
    Backlog b = backlog;
    return b == null ? 0 : b.items() + forwardFoundItems.sum() - forwardFoundBacklogSettled.sum();
  }

  public long backlogBytes() {
    Backlog b = backlog;
    return b == null ? 0 : b.bytes();
  }

  /** Milliseconds since the oldest record of the backlog was written; 0 without a backlog. */
  public long backlogAgeMillis() {
    Backlog b = backlog;
    long oldest = b == null ? Long.MAX_VALUE : b.oldestMillis();
    return oldest == Long.MAX_VALUE ? 0 : Math.max(0, System.currentTimeMillis() - oldest);
  }

  /** Called by the forwarder, which exists only when forwarding is configured. */
  public void setCircuitStateSupplier(Supplier<CircuitState> circuitState) {
    this.circuitState = circuitState;
    this.forwarding = true;
  }

  /** Whether this exporter forwards, so that forwarding metrics are worth publishing. */
  public boolean isForwarding() {
    return forwarding;
  }

  public CircuitState getCircuitState() {
    return circuitState.get();
  }

  public ExporterStats snapshot() {
    return new ExporterStats(
        exportedItems.sum(),
        droppedItems.sum(),
        failedItems.sum(),
        bytesWritten.sum(),
        filesCreated.sum(),
        filesDeleted.sum(),
        forwardedItems.sum(),
        forwardFailedItems.sum(),
        forwardSkippedItems.sum(),
        circuitState.get(),
        forwardCaughtUpItems.sum(),
        forwardRejectedItems.sum(),
        forwardExpiredItems.sum(),
        forwardFoundItems.sum(),
        backlogItems(),
        backlogBytes(),
        backlogAgeMillis());
  }
}
