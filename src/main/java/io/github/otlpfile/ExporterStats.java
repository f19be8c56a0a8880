package io.github.otlpfile;

import java.time.Duration;

/**
 * A snapshot of one exporter's counters, taken by {@code getStats()}. Items are spans, metric data
 * points or log records, depending on the exporter's signal.
 *
 * <p>Every item handed to {@code export()} ends up in exactly one of exported, dropped or failed.
 * Forwarding counters are separate: an item is forwarded, failed to forward or skipped (while the
 * circuit breaker was open) in addition to being written locally. With forwarding catch-up (see
 * {@code docs/FORWARDING.md}), failed and skipped items join a backlog that is sent later from the
 * files, and once everything has settled: exported + found = forwarded + caught up + rejected +
 * expired + backlog.
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
  private final long forwardCaughtUpItems;
  private final long forwardRejectedItems;
  private final long forwardExpiredItems;
  private final long forwardFoundItems;
  private final long forwardBacklogItems;
  private final long forwardBacklogBytes;
  private final long forwardBacklogAgeMillis;

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
    this(
        exportedItems,
        droppedItems,
        failedItems,
        bytesWritten,
        filesCreated,
        filesDeleted,
        forwardedItems,
        forwardFailedItems,
        forwardSkippedItems,
        circuitState,
        0,
        0,
        0,
        0,
        0,
        0,
        0);
  }

  /**
   * Creates a snapshot with the forwarding catch-up counts. Used by the exporters; applications
   * read snapshots, not build them.
   */
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
      CircuitState circuitState,
      long forwardCaughtUpItems,
      long forwardRejectedItems,
      long forwardExpiredItems,
      long forwardFoundItems,
      long forwardBacklogItems,
      long forwardBacklogBytes,
      long forwardBacklogAgeMillis) {
    this.forwardCaughtUpItems = forwardCaughtUpItems;
    this.forwardRejectedItems = forwardRejectedItems;
    this.forwardExpiredItems = forwardExpiredItems;
    this.forwardFoundItems = forwardFoundItems;
    this.forwardBacklogItems = forwardBacklogItems;
    this.forwardBacklogBytes = forwardBacklogBytes;
    this.forwardBacklogAgeMillis = forwardBacklogAgeMillis;
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

  /**
   * Items forwarding catch-up delivered from the files: what an outage or a restart left unsent,
   * including items found in files this exporter did not write ({@link #getForwardFoundItems()}).
   */
  public long getForwardCaughtUpItems() {
    return forwardCaughtUpItems;
  }

  /**
   * Items the endpoint refused for good (HTTP 400 or 413, gRPC {@code INVALID_ARGUMENT}) while
   * catch-up is on: they are not sent again. Without catch-up they count as failed to forward.
   */
  public long getForwardRejectedItems() {
    return forwardRejectedItems;
  }

  /** Items retention deleted from the folder before they were forwarded. */
  public long getForwardExpiredItems() {
    return forwardExpiredItems;
  }

  /**
   * Items catch-up found not yet delivered in files this exporter did not write: an earlier run's
   * (after a restart or a crash, some of them may have reached the endpoint before) or another
   * process's. Counted when catch-up reads them.
   */
  public long getForwardFoundItems() {
    return forwardFoundItems;
  }

  /**
   * Items written (or found) that are not yet delivered: the catch-up backlog. Items of files this
   * exporter did not write count once catch-up reads them.
   */
  public long getForwardBacklogItems() {
    return forwardBacklogItems;
  }

  /** Bytes of this exporter's records in the backlog, framing included. */
  public long getForwardBacklogBytes() {
    return forwardBacklogBytes;
  }

  /** How long ago the oldest record of this exporter's backlog was written; zero without one. */
  public Duration getForwardBacklogAge() {
    return Duration.ofMillis(forwardBacklogAgeMillis);
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
        + ", forwardCaughtUpItems="
        + forwardCaughtUpItems
        + ", forwardRejectedItems="
        + forwardRejectedItems
        + ", forwardExpiredItems="
        + forwardExpiredItems
        + ", forwardFoundItems="
        + forwardFoundItems
        + ", forwardBacklogItems="
        + forwardBacklogItems
        + ", forwardBacklogBytes="
        + forwardBacklogBytes
        + ", forwardBacklogAge="
        + getForwardBacklogAge()
        + '}';
  }
}
