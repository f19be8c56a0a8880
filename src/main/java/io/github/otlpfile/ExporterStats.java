package io.github.otlpfile;

/**
 * A snapshot of one exporter's counters, taken by {@code getStats()}. Items are spans, metric data
 * points or log records, depending on the exporter's signal.
 *
 * <p>Every item handed to {@code export()} ends up in exactly one of exported, dropped or failed.
 * Forwarding counters are separate: an item is forwarded, failed to forward or skipped (while the
 * circuit breaker was open) in addition to being written locally.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ExporterStats {
  private final long exportedItems;
  private final long droppedItems;
  private final long failedItems;
  private final long bytesWritten;
  private final long filesCreated;
  private final long filesDeleted;
  private final long forwardedItems;
  private final long forwardFailedItems;
  private final long forwardSkippedItems;
  private final CircuitState circuitState;

  /** Creates a snapshot. Used by the exporters; applications read snapshots, not build them. */
  public ExporterStats(
      long exportedItems,
      long droppedItems,
      long failedItems,
      long bytesWritten,
      long filesCreated,
      long filesDeleted,
      long forwardedItems,
      long forwardFailedItems,
      long forwardSkippedItems,
      CircuitState circuitState) {
    this.exportedItems = exportedItems;
    this.droppedItems = droppedItems;
    this.failedItems = failedItems;
    this.bytesWritten = bytesWritten;
    this.filesCreated = filesCreated;
    this.filesDeleted = filesDeleted;
    this.forwardedItems = forwardedItems;
    this.forwardFailedItems = forwardFailedItems;
    this.forwardSkippedItems = forwardSkippedItems;
    this.circuitState = circuitState;
  }

  /** Items written to a file (and forced to disk where the durability setting says so). */
  public long getExportedItems() {
    return exportedItems;
  }

  /** Items refused because the buffer was full, or because the exporter was shut down. */
  public long getDroppedItems() {
    return droppedItems;
  }

  /** Items that could not be encoded or written. */
  public long getFailedItems() {
    return failedItems;
  }

  /** Bytes written to files, framing included. */
  public long getBytesWritten() {
    return bytesWritten;
  }

  /** Files this exporter created. */
  public long getFilesCreated() {
    return filesCreated;
  }

  /** Files deleted by retention. */
  public long getFilesDeleted() {
    return filesDeleted;
  }

  /** Items the forwarding delegate accepted. */
  public long getForwardedItems() {
    return forwardedItems;
  }

  /** Items the forwarding delegate failed to send. */
  public long getForwardFailedItems() {
    return forwardFailedItems;
  }

  /** Items not forwarded because the circuit breaker was open or forwarding was saturated. */
  public long getForwardSkippedItems() {
    return forwardSkippedItems;
  }

  /** The forwarding circuit breaker's state; {@link CircuitState#CLOSED} without forwarding. */
  public CircuitState getCircuitState() {
    return circuitState;
  }

  @Override
  public String toString() {
    return "ExporterStats{exportedItems="
        + exportedItems
        + ", droppedItems="
        + droppedItems
        + ", failedItems="
        + failedItems
        + ", bytesWritten="
        + bytesWritten
        + ", filesCreated="
        + filesCreated
        + ", filesDeleted="
        + filesDeleted
        + ", forwardedItems="
        + forwardedItems
        + ", forwardFailedItems="
        + forwardFailedItems
        + ", forwardSkippedItems="
        + forwardSkippedItems
        + ", circuitState="
        + circuitState
        + '}';
  }
}
