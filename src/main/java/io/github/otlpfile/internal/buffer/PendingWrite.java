/*
 * Copyright The otlp-file-exporter Authors
 * SPDX-License-Identifier: Apache-2.0
 */

package io.github.otlpfile.internal.buffer;

import io.github.otlpfile.internal.encode.EncodedBuffer;
import io.opentelemetry.sdk.common.CompletableResultCode;

/**
 * One entry of a lane: encoded bytes waiting to be written, or a marker that asks the writer to
 * report when everything before it is written ({@link Kind#FLUSH}) or to close the lane's files
 * ({@link Kind#CLOSE}).
 *
 * <p>A record is usually one {@link Kind#DATA} entry. A large record may instead be streamed: one
 * or more {@link Kind#PART} entries, queued while the exporting thread is still encoding, then one
 * {@code DATA} entry with its last bytes and its result, or an {@link Kind#ABORT} entry if encoding
 * failed. While a record is streamed its lane holds back every other entry (see {@link Lane}), so
 * the pieces of a record follow each other.
 *
 * <p>Immutable apart from the buffer's bytes, which belong to whoever holds the entry.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class PendingWrite {
  /** What the writer does with an entry. */
  public enum Kind {
    /** A whole record, or the last piece of a streamed one; carries the export's result. */
    DATA,
    /** A piece of a streamed record that is not its last. */
    PART,
    /** Ends a streamed record whose encoding failed; its pieces already queued are void. */
    ABORT,
    FLUSH,
    CLOSE
  }

  private final Kind kind;
  private final EncodedBuffer data;
  private final long roomBytes;
  private final long recordBytes;
  private final int items;
  private final CompletableResultCode result;
  private final RecordTicket ticket;

  private PendingWrite(
      Kind kind,
      EncodedBuffer data,
      long roomBytes,
      long recordBytes,
      int items,
      CompletableResultCode result,
      RecordTicket ticket) {
    this.kind = kind;
    this.ticket = ticket;
    this.data = data;
    this.roomBytes = roomBytes;
    this.recordBytes = recordBytes;
    this.items = items;
    this.result = result;
  }

  /** A whole record. */
  public static PendingWrite data(EncodedBuffer data, int items, CompletableResultCode result) {
    return data(data, items, result, null);
  }

  /** A whole record whose position the writer reports in {@code ticket} ({@code null}: none). */
  public static PendingWrite data(
      EncodedBuffer data, int items, CompletableResultCode result, RecordTicket ticket) {
    return new PendingWrite(Kind.DATA, data, data.size(), data.size(), items, result, ticket);
  }

  /**
   * A piece of a streamed record other than its last; {@code recordBytes} is the whole record's
   * size for its first piece and 0 for the others.
   */
  public static PendingWrite part(EncodedBuffer data, long recordBytes) {
    return new PendingWrite(Kind.PART, data, data.size(), recordBytes, 0, null, null);
  }

  /** The last piece of a streamed record. */
  public static PendingWrite last(EncodedBuffer data, int items, CompletableResultCode result) {
    return last(data, items, result, null);
  }

  /** The last piece of a streamed record, with a ticket for its position ({@code null}: none). */
  public static PendingWrite last(
      EncodedBuffer data, int items, CompletableResultCode result, RecordTicket ticket) {
    return new PendingWrite(Kind.DATA, data, data.size(), 0, items, result, ticket);
  }

  /**
   * Ends a streamed record that could not be encoded; {@code unusedBytes} is the part of the room
   * reserved for it that no piece took.
   */
  public static PendingWrite abort(long unusedBytes) {
    return new PendingWrite(Kind.ABORT, null, unusedBytes, 0, 0, null, null);
  }

  public static PendingWrite flush(CompletableResultCode result) {
    return new PendingWrite(Kind.FLUSH, null, 0, 0, 0, result, null);
  }

  public static PendingWrite close(CompletableResultCode result) {
    return new PendingWrite(Kind.CLOSE, null, 0, 0, 0, result, null);
  }

  public Kind getKind() {
    return kind;
  }

  /** The encoded bytes; {@code null} for markers and {@link Kind#ABORT}. */
  public EncodedBuffer getData() {
    return data;
  }

  /** Bytes of the lane's room this entry holds until the writer is done with it. */
  public long getSize() {
    return roomBytes;
  }

  /**
   * The size of the record this entry starts, or 0 if it continues a streamed record (or holds no
   * bytes).
   */
  public long getRecordBytes() {
    return recordBytes;
  }

  /** Spans, metric points or log records of the record this entry completes; 0 for the others. */
  public int getItems() {
    return items;
  }

  /** Where the writer reports the record's position, or {@code null}. */
  public RecordTicket getTicket() {
    return ticket;
  }

  /** The export's result for {@link Kind#DATA}, the marker's for markers; else {@code null}. */
  public CompletableResultCode getResult() {
    return result;
  }
}
