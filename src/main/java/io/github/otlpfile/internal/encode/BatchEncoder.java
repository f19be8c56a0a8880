package io.github.otlpfile.internal.encode;

import io.github.otlpfile.OtlpFileFormat;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.logs.LowAllocationLogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.LowAllocationMetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.LowAllocationTraceRequestMarshaler;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.util.Collection;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Encodes one batch of telemetry into one OTLP file record with the OpenTelemetry marshalers: an
 * OTLP/JSON line ending in {@code \n}, or a 4-byte big-endian length followed by the binary
 * request.
 *
 * <p>It uses the low-allocation marshalers, pooled, so that encoding a batch allocates little and
 * reads the data only inside the call: safe under {@code MemoryMode.REUSABLE_DATA}. Encoded buffers
 * are pooled too and come back through {@link #recycle(EncodedBuffer)} once written.
 *
 * <p>Thread-safe: concurrent calls take different marshalers and buffers from the pools.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class BatchEncoder<T> {
  private static final int POOL_SIZE = 4;
  private static final int INITIAL_BUFFER_BYTES = 64 * 1024;
  // A buffer grown past this is left to the garbage collector rather than kept in the pool.
  private static final int MAX_POOLED_BUFFER_BYTES = 16 * 1024 * 1024;

  private final OtlpFileFormat format;
  private final ObjectPool<Marshaler> marshalers;
  private final BiConsumer<Marshaler, Collection<T>> initialize;
  private final Consumer<Marshaler> reset;
  private final ObjectPool<EncodedBuffer> buffers =
      new ObjectPool<>(() -> new EncodedBuffer(INITIAL_BUFFER_BYTES), POOL_SIZE * 2);

  private BatchEncoder(
      OtlpFileFormat format,
      Supplier<Marshaler> factory,
      BiConsumer<Marshaler, Collection<T>> initialize,
      Consumer<Marshaler> reset) {
    this.format = format;
    this.marshalers = new ObjectPool<>(factory, POOL_SIZE);
    this.initialize = initialize;
    this.reset = reset;
  }

  public static BatchEncoder<SpanData> forSpans(OtlpFileFormat format) {
    return new BatchEncoder<>(
        format,
        LowAllocationTraceRequestMarshaler::new,
        (m, items) -> ((LowAllocationTraceRequestMarshaler) m).initialize(items),
        m -> ((LowAllocationTraceRequestMarshaler) m).reset());
  }

  public static BatchEncoder<MetricData> forMetrics(OtlpFileFormat format) {
    return new BatchEncoder<>(
        format,
        LowAllocationMetricsRequestMarshaler::new,
        (m, items) -> ((LowAllocationMetricsRequestMarshaler) m).initialize(items),
        m -> ((LowAllocationMetricsRequestMarshaler) m).reset());
  }

  public static BatchEncoder<LogRecordData> forLogs(OtlpFileFormat format) {
    return new BatchEncoder<>(
        format,
        LowAllocationLogsRequestMarshaler::new,
        (m, items) -> ((LowAllocationLogsRequestMarshaler) m).initialize(items),
        m -> ((LowAllocationLogsRequestMarshaler) m).reset());
  }

  /**
   * Encodes {@code items} as one record. The caller owns the returned buffer until it hands it back
   * with {@link #recycle(EncodedBuffer)}.
   */
  public EncodedBuffer encode(Collection<T> items) throws IOException {
    Marshaler marshaler = marshalers.acquire();
    EncodedBuffer buffer = buffers.acquire();
    boolean done = false;
    try {
      initialize.accept(marshaler, items);
      if (format == OtlpFileFormat.JSON_LINES) {
        marshaler.writeJsonTo(buffer);
        buffer.write('\n');
      } else {
        buffer.writeInt(marshaler.getBinarySerializedSize());
        marshaler.writeBinaryTo(buffer);
      }
      done = true;
      return buffer;
    } finally {
      reset.accept(marshaler);
      marshalers.release(marshaler);
      if (!done) {
        recycle(buffer);
      }
    }
  }

  /** Returns a buffer whose bytes are no longer needed. */
  public void recycle(EncodedBuffer buffer) {
    if (buffer.capacity() <= MAX_POOLED_BUFFER_BYTES) {
      buffer.reset();
      buffers.release(buffer);
    }
  }
}
