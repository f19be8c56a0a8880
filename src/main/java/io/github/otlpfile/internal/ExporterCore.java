package io.github.otlpfile.internal;

import io.github.otlpfile.Durability;
import io.github.otlpfile.ExporterStats;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.internal.buffer.BackgroundWriter;
import io.github.otlpfile.internal.buffer.Lane;
import io.github.otlpfile.internal.buffer.PendingWrite;
import io.github.otlpfile.internal.buffer.RecordTicket;
import io.github.otlpfile.internal.encode.BatchEncoder;
import io.github.otlpfile.internal.encode.EncodedBuffer;
import io.github.otlpfile.internal.file.FileCompressor;
import io.github.otlpfile.internal.file.FileFolder;
import io.github.otlpfile.internal.file.FileLaneSink;
import io.github.otlpfile.internal.file.FileNames;
import io.github.otlpfile.internal.file.FolderMaintenance;
import io.github.otlpfile.internal.file.RetentionPolicy;
import io.github.otlpfile.internal.file.RollingPolicy;
import io.github.otlpfile.internal.file.RotatingFileWriter;
import io.github.otlpfile.internal.file.WriteListener;
import io.github.otlpfile.internal.forward.ForwardSettings;
import io.github.otlpfile.internal.forward.Forwarder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the three public exporters share: encode a batch once on the caller's thread, queue it in
 * the exporter's lane and return a result that the writer thread completes once the bytes are in
 * the file. Never throws into the caller and never touches the disk on its thread.
 *
 * <p>Thread-safe: any number of threads may export at once.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ExporterCore<T> {
  private static final Logger logger = Logger.getLogger(ExporterCore.class.getName());

  private final Signal signal;
  private final ExporterSettings settings;
  private final BatchEncoder<T> encoder;
  private final ToIntFunction<Collection<T>> itemCounter;
  private final ExporterCounters counters = new ExporterCounters();
  private final ThrottledLogger throttledLogger = new ThrottledLogger(logger);
  private final AtomicBoolean shutdown = new AtomicBoolean();
  private final Lane lane;
  private final ExporterMetrics metrics;
  private final Forwarder<T> forwarder; // null when nothing is forwarded
  // Whether large records are written while they are still being encoded; see StreamIntoLane.
  private final boolean streamLargeRecords;
  // Whether every record carries a ticket that the writer fills in with its position.
  private final boolean catchingUp;

  /**
   * @param itemCounter counts the items of a batch as the statistics report them: spans, log
   *     records, or metric data points
   * @param forward {@code null} when the exporter does not forward
   */
  public ExporterCore(
      Signal signal,
      ExporterSettings settings,
      BatchEncoder<T> encoder,
      ToIntFunction<Collection<T>> itemCounter,
      ForwardSettings<T> forward) {
    this.signal = signal;
    this.settings = settings;
    this.encoder = encoder;
    this.itemCounter = itemCounter;
    // First: creating the delegate may fail, and nothing else has been set up yet.
    this.forwarder =
        forward == null ? null : new Forwarder<>(signal, forward, settings.clock, counters);
    Path signalDirectory = settings.directory.resolve(signal.getDirectoryName());
    String instanceId = FileNames.newInstanceId();
    FolderMaintenance maintenance =
        new FolderMaintenance(
            new FileFolder(signalDirectory, signal.getDirectoryName()),
            new RetentionPolicy(
                settings.maxFiles, settings.maxTotalSizeBytes, saturatedNanos(settings.maxAge)),
            settings.compression,
            settings.durability,
            settings.clock,
            counters,
            FileCompressor.shared());
    RotatingFileWriter writer =
        new RotatingFileWriter(
            signalDirectory,
            signal.getDirectoryName(),
            settings.format.getFileExtension(),
            instanceId,
            settings.clock,
            settings.durability,
            new RollingPolicy(settings.maxFileSizeBytes, saturatedNanos(settings.maxFileAge)),
            counters,
            maintenance);
    String description = signal.getDirectoryName() + " files in " + signalDirectory;
    WriteListener written =
        forwarder == null
            ? null
            : forwarder.startCatchUp(
                new FileFolder(signalDirectory, signal.getDirectoryName()),
                instanceId,
                maintenance,
                settings.durability != Durability.NONE);
    this.catchingUp = written != null;
    FileLaneSink sink = new FileLaneSink(description, writer, counters, encoder::recycle, written);
    this.lane =
        BackgroundWriter.shared()
            .register(
                signal.getDirectoryName() + "-" + instanceId,
                settings.bufferCapacityBytes,
                settings.overflowPolicy,
                sink);
    // Only PROTOBUF records have a size known before encoding (see BatchEncoder). Under
    // EVERY_WRITE each piece would be forced to disk on its own: not worth it.
    this.streamLargeRecords =
        settings.format == OtlpFileFormat.PROTOBUF && settings.durability != Durability.EVERY_WRITE;
    this.metrics =
        settings.meterProvider == null
            ? null
            : new ExporterMetrics(settings.meterProvider, signal, counters);
  }

  // Durations beyond about 292 years mean "never"; they do not fit in a long of nanoseconds.
  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  public CompletableResultCode export(Collection<T> items) {
    return export(items, false);
  }

  /**
   * Like {@link #export(Collection)}, except that a batch the lane refuses (full, larger than the
   * whole buffer, or shut down) fails with a {@link RefusedException} saying why, so that a
   * receiver can answer its sender accordingly.
   */
  public CompletableResultCode submit(Collection<T> items) {
    return export(items, true);
  }

  /**
   * Queues one record that is already encoded: the binary {@code Export*ServiceRequest} in {@code
   * request[offset, offset + length)}, which the caller has validated and whose {@code items} it
   * has counted. The bytes are copied with the {@code PROTOBUF} length prefix into a pooled buffer
   * and take the same lane, writer, rotation and retention as an exported batch. A refused record
   * fails with a {@link RefusedException}. Only for {@code PROTOBUF} files.
   *
   * @param forwardItems when this core forwards, makes the record's SDK data once the record is
   *     queued, and only if the forwarder could admit it; never called otherwise; {@code null} only
   *     when this core does not forward
   */
  public CompletableResultCode exportEncoded(
      byte[] request,
      int offset,
      int length,
      int items,
      Supplier<? extends Collection<T>> forwardItems) {
    if (settings.format != OtlpFileFormat.PROTOBUF) {
      throw new IllegalStateException("encoded records need PROTOBUF files");
    }
    if (forwarder != null && forwardItems == null) {
      throw new IllegalStateException("a forwarding core needs the SDK data of encoded records");
    }
    if (shutdown.get()) {
      return refuse(Lane.Offer.CLOSED, items, length + 4L, true);
    }
    EncodedBuffer encoded = encoder.wrapBinary(request, offset, length);
    CompletableResultCode result = new CompletableResultCode();
    RecordTicket ticket = catchingUp ? new RecordTicket() : null;
    Lane.Offer offer = lane.offer(PendingWrite.data(encoded, items, result, ticket));
    if (offer == Lane.Offer.ACCEPTED) {
      if (forwarder != null) {
        forwarder.afterQueuedLazily(forwardItems, items, result, ticket);
      }
      return result;
    }
    encoder.recycle(encoded);
    return refuse(offer, items, length + 4L, true);
  }

  private CompletableResultCode refuse(Lane.Offer offer, int count, long bytes, boolean explain) {
    counters.droppedItems.add(count);
    throttledLogger.log(Level.WARNING, dropMessage(offer, count, bytes));
    return explain
        ? CompletableResultCode.ofExceptionalFailure(new RefusedException(offer))
        : CompletableResultCode.ofFailure();
  }

  /**
   * Why a lane refused a batch or record: {@link Lane.Offer#FULL}, {@link Lane.Offer#TOO_LARGE} or
   * {@link Lane.Offer#CLOSED}.
   */
  public static final class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Lane.Offer offer;

    RefusedException(Lane.Offer offer) {
      super("refused: " + offer, null, false, false);
      this.offer = offer;
    }

    public Lane.Offer getOffer() {
      return offer;
    }
  }

  private CompletableResultCode export(Collection<T> items, boolean explainRefusal) {
    int count = itemCounter.applyAsInt(items);
    if (shutdown.get()) {
      counters.droppedItems.add(count);
      throttledLogger.log(
          Level.WARNING,
          "Dropped " + count + " " + signal.getItemName() + ": the exporter is shut down");
      return explainRefusal
          ? CompletableResultCode.ofExceptionalFailure(new RefusedException(Lane.Offer.CLOSED))
          : CompletableResultCode.ofFailure();
    }
    if (items.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    StreamIntoLane stream = streamLargeRecords ? new StreamIntoLane() : null;
    EncodedBuffer encoded;
    try {
      encoded = encoder.encode(items, stream);
    } catch (Throwable t) {
      if (stream != null && stream.opened) {
        lane.endStream(PendingWrite.abort(stream.reserved - stream.queued));
      }
      counters.failedItems.add(count);
      throttledLogger.log(
          Level.WARNING, "Failed to encode " + count + " " + signal.getItemName() + ": " + t, t);
      return CompletableResultCode.ofExceptionalFailure(t);
    }
    CompletableResultCode result = new CompletableResultCode();
    RecordTicket ticket = catchingUp ? new RecordTicket() : null;
    Lane.Offer offer;
    if (stream == null || !stream.opened) {
      offer =
          stream == null || stream.refusal == null
              ? lane.offer(PendingWrite.data(encoded, count, result, ticket))
              : stream.refusal;
    } else if (stream.queued + encoded.size() == stream.reserved) {
      lane.endStream(PendingWrite.last(encoded, count, result, ticket));
      offer = Lane.Offer.ACCEPTED;
    } else {
      // The marshaler wrote other than the size it announced: never write a malformed record.
      lane.endStream(PendingWrite.abort(stream.reserved - stream.queued));
      encoder.recycle(encoded);
      counters.failedItems.add(count);
      throttledLogger.log(
          Level.WARNING,
          "Failed to encode " + count + " " + signal.getItemName() + ": size mismatch");
      return CompletableResultCode.ofFailure();
    }
    if (offer == Lane.Offer.ACCEPTED) {
      if (forwarder != null) {
        // Forwards once the write has succeeded.
        forwarder.afterQueued(items, count, result, ticket);
      }
      return result;
    }
    int bytes = encoded.size();
    encoder.recycle(encoded);
    return refuse(offer, count, bytes, explainRefusal);
  }

  /**
   * Streams one large record into the lane while it is encoded. When the lane refuses it for lack
   * of room or because it is shut down, the refusal is kept and the batch is dropped after encoding
   * (offered whole, a record of the same size would be refused the same way); when another record
   * is being streamed, the record is encoded whole and offered as usual.
   */
  private final class StreamIntoLane implements BatchEncoder.Streaming {
    boolean opened;
    long reserved;
    long queued;
    Lane.Offer refusal;

    @Override
    public boolean open(long recordBytes) {
      Lane.Offer offer = lane.openStream(recordBytes);
      if (offer == Lane.Offer.ACCEPTED) {
        opened = true;
        reserved = recordBytes;
        return true;
      }
      if (offer != Lane.Offer.BUSY) {
        refusal = offer;
      }
      return false;
    }

    @Override
    public void piece(EncodedBuffer piece) {
      PendingWrite part = PendingWrite.part(piece, queued == 0 ? reserved : 0);
      queued += part.getSize(); // read before the writer may take and recycle the piece
      lane.offerPart(part);
    }
  }

  private String dropMessage(Lane.Offer offer, int count, long bytes) {
    String dropped = "Dropped " + count + " " + signal.getItemName() + " (" + bytes + " bytes): ";
    switch (offer) {
      case TOO_LARGE:
        return dropped
            + "the batch is larger than the whole buffer; raise setBufferCapacity (now "
            + settings.bufferCapacityBytes
            + " bytes)";
      case CLOSED:
        return dropped + "the exporter is shut down";
      default:
        return dropped
            + "the buffer is full ("
            + settings.bufferCapacityBytes
            + " bytes, overflow policy "
            + settings.overflowPolicy
            + "); the disk is slower than the data or writes are failing";
    }
  }

  /**
   * Completes when everything exported before this call is written and, when forwarding, has been
   * forwarded or given up and the delegate has flushed.
   */
  public CompletableResultCode flush() {
    CompletableResultCode result = new CompletableResultCode();
    if (!lane.offerMarker(PendingWrite.flush(result))) {
      result = CompletableResultCode.ofSuccess();
    }
    return forwarder == null ? result : forwarder.flushAfter(result);
  }

  /** Writes what is queued, closes the files and detaches from the writer thread. Idempotent. */
  public CompletableResultCode shutdown() {
    if (!shutdown.compareAndSet(false, true)) {
      logger.log(Level.INFO, "Calling shutdown() multiple times.");
      return CompletableResultCode.ofSuccess();
    }
    if (metrics != null) {
      metrics.close();
    }
    CompletableResultCode result = new CompletableResultCode();
    if (!lane.offerMarker(PendingWrite.close(result))) {
      result = CompletableResultCode.ofSuccess();
    }
    // The delegate is shut down after the files are closed and the last batches have settled.
    return forwarder == null ? result : forwarder.shutdownAfter(result);
  }

  public ExporterStats getStats() {
    return counters.snapshot();
  }

  /** Whether this core forwards what it writes. */
  public boolean isForwarding() {
    return forwarder != null;
  }

  /** The file settings, without forwarding. */
  public String describeFiles() {
    return settings.toString();
  }

  public String describe() {
    return forwarder == null ? settings.toString() : settings + ", " + forwarder;
  }
}
