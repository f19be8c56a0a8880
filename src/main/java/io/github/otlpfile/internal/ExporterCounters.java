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
  // Forwarding circuit breaker transitions, by the state entered.
  public final LongAdder circuitOpened = new LongAdder();
  public final LongAdder circuitHalfOpened = new LongAdder();
  public final LongAdder circuitClosed = new LongAdder();
  private volatile Supplier<CircuitState> circuitState = () -> CircuitState.CLOSED;
  private volatile boolean forwarding;

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
        circuitState.get());
  }
}
