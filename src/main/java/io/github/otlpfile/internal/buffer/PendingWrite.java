package io.github.otlpfile.internal.buffer;

import io.github.otlpfile.internal.encode.EncodedBuffer;
import io.opentelemetry.sdk.common.CompletableResultCode;

/**
 * One entry of a lane: an encoded batch waiting to be written, or a marker that asks the writer to
 * report when everything before it is written ({@link Kind#FLUSH}) or to close the lane's files
 * ({@link Kind#CLOSE}).
 *
 * <p>Immutable apart from the buffer's bytes, which belong to whoever holds the entry.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class PendingWrite {
  /** What the writer does with an entry. */
  public enum Kind {
    DATA,
    FLUSH,
    CLOSE
  }

  private final Kind kind;
  private final EncodedBuffer data;
  private final int items;
  private final CompletableResultCode result;

  private PendingWrite(Kind kind, EncodedBuffer data, int items, CompletableResultCode result) {
    this.kind = kind;
    this.data = data;
    this.items = items;
    this.result = result;
  }

  public static PendingWrite data(EncodedBuffer data, int items, CompletableResultCode result) {
    return new PendingWrite(Kind.DATA, data, items, result);
  }

  public static PendingWrite flush(CompletableResultCode result) {
    return new PendingWrite(Kind.FLUSH, null, 0, result);
  }

  public static PendingWrite close(CompletableResultCode result) {
    return new PendingWrite(Kind.CLOSE, null, 0, result);
  }

  public Kind getKind() {
    return kind;
  }

  /** The encoded record; {@code null} for markers. */
  public EncodedBuffer getData() {
    return data;
  }

  /** Bytes this entry holds in the buffer. */
  public int getSize() {
    return data == null ? 0 : data.size();
  }

  /** Spans, metric points or log records in this entry. */
  public int getItems() {
    return items;
  }

  public CompletableResultCode getResult() {
    return result;
  }
}
