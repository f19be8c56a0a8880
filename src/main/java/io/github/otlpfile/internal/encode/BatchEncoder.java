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
import java.io.OutputStream;
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
  // A buffer grown past this is left to the garbage collector rather than kept in the pool.
  private static final int MAX_POOLED_BUFFER_BYTES = 16 * 1024 * 1024;

  /** A streamed record is handed over in pieces of this size (the last may be smaller). */
  public static final int PIECE_BYTES = 256 * 1024;

  /**
   * Smaller records are encoded whole and handed over once. Streaming a record lets the writer
   * start on its first pieces while the rest is encoded, but each hand-off that wakes the writer
   * costs a park and an unpark on two threads, and a batch of the SDK's default size (512 spans,
   * about 340 KB) gained less from the overlap than the wake-ups cost in CPU; only records of
   * several pieces are worth it, where holding the whole record in one buffer would also cost
   * memory.
   */
  public static final int STREAM_MIN_BYTES = 4 * PIECE_BYTES;

  // New buffers start at one piece, so that a piece never grows and a typical record at most
  // once or twice before the pool keeps it.
  private static final int INITIAL_BUFFER_BYTES = PIECE_BYTES;

  /**
   * Takes a record in pieces while it is being encoded, so that the first pieces can be written
   * while the rest is still being encoded. See {@link #encode(Collection, Streaming)}.
   */
  public interface Streaming {
    /**
     * Called with the size of the record about to be encoded, before any byte of it; returns
     * whether to hand it over in pieces.
     */
    boolean open(long recordBytes);

    /** Takes the next full piece of the record; from now on the piece is the callee's. */
    void piece(EncodedBuffer piece);
  }

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
    return encode(items, null);
  }

  /**
   * Encodes {@code items} as one record like {@link #encode(Collection)}, except that a {@code
   * PROTOBUF} record of at least {@link #STREAM_MIN_BYTES} is offered to {@code streaming} (if not
   * {@code null}): if its {@link Streaming#open} agrees, every full piece of {@link #PIECE_BYTES}
   * goes to {@link Streaming#piece} as soon as it is full, and the returned buffer holds only the
   * record's last bytes. The record's size is known before encoding starts, so the pieces add up to
   * exactly the size given to {@code open}. If this throws after {@code open} agreed, the pieces
   * handed over are an incomplete record.
   *
   * <p>{@code JSON_LINES} records are always encoded whole: their size is not known in advance, and
   * measured with 512-span batches, streaming them gained nothing (the write is a smaller share of
   * a JSON export, and per-piece work ate what the overlap saved).
   */
  public EncodedBuffer encode(Collection<T> items, Streaming streaming) throws IOException {
    Marshaler marshaler = marshalers.acquire();
    EncodedBuffer buffer = buffers.acquire();
    boolean done = false;
    try {
      initialize.accept(marshaler, items);
      if (format == OtlpFileFormat.JSON_LINES) {
        marshaler.writeJsonTo(buffer);
        buffer.write('\n');
      } else {
        int size = marshaler.getBinarySerializedSize();
        long recordBytes = 4L + size;
        if (streaming != null && recordBytes >= STREAM_MIN_BYTES && streaming.open(recordBytes)) {
          buffer.writeInt(size); // the buffer is empty: the prefix fits in its first piece
          PieceOutput out = new PieceOutput(buffer, streaming);
          try {
            marshaler.writeBinaryTo(out);
          } finally {
            buffer = out.current; // the pieces before it belong to streaming
          }
        } else {
          buffer.writeInt(size);
          marshaler.writeBinaryTo(buffer);
        }
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

  /** Cuts a record into pieces of {@link #PIECE_BYTES} and hands over each one as it fills. */
  private final class PieceOutput extends OutputStream {
    private final Streaming streaming;
    EncodedBuffer current;

    PieceOutput(EncodedBuffer first, Streaming streaming) {
      this.current = first;
      this.streaming = streaming;
    }

    @Override
    public void write(int b) {
      room();
      current.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      while (len > 0) {
        int n = Math.min(len, room());
        current.write(b, off, n);
        off += n;
        len -= n;
      }
    }

    /**
     * Returns the room left in the current piece, first handing it over if it is full. A full piece
     * is handed over only when more bytes come, so the last piece is never empty.
     */
    private int room() {
      int room = PIECE_BYTES - current.size();
      if (room > 0) {
        return room;
      }
      EncodedBuffer full = current;
      current = buffers.acquire();
      streaming.piece(full);
      return PIECE_BYTES;
    }

    @Override
    public void close() {}
  }

  /**
   * Returns a pooled buffer holding a {@code PROTOBUF} record of a binary request encoded
   * elsewhere: the 4-byte big-endian length, then {@code request[offset, offset + length)}. The
   * caller owns the buffer as after {@link #encode(Collection)}.
   */
  public EncodedBuffer wrapBinary(byte[] request, int offset, int length) {
    EncodedBuffer buffer = buffers.acquire();
    buffer.writeInt(length);
    buffer.write(request, offset, length);
    return buffer;
  }

  /** Returns a buffer whose bytes are no longer needed. */
  public void recycle(EncodedBuffer buffer) {
    if (buffer.capacity() <= MAX_POOLED_BUFFER_BYTES) {
      buffer.reset();
      buffers.release(buffer);
    }
  }
}
