package io.github.otlpfile.internal.file;

import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.internal.ThrottledLogger;
import io.github.otlpfile.internal.buffer.LaneSink;
import io.github.otlpfile.internal.buffer.PendingWrite;
import io.github.otlpfile.internal.encode.EncodedBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Connects a lane to its {@link RotatingFileWriter}: writes each drained run of batches in one go,
 * completes every export's result with the outcome of its own record, counts items and hands the
 * spent buffers back.
 *
 * <p>After a failed write (a full disk, say) the records that did not reach the file fail and are
 * counted, and the sink backs off: {@link #nanosUntilReady()} asks the writer thread to leave it
 * alone for {@value #FIRST_BACK_OFF_MILLIS} ms, doubling with each failure in a row up to {@value
 * #MAX_BACK_OFF_MILLIS} ms, while its lane holds what arrives meanwhile (so the buffer's capacity
 * and overflow policy decide what waits and what is dropped). The first write that succeeds ends
 * the back-off: the sink recovers by itself once the disk has room again.
 *
 * <p>Not thread-safe: used only by the writer thread.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class FileLaneSink implements LaneSink {
  private static final Logger logger = Logger.getLogger(FileLaneSink.class.getName());
  static final long FIRST_BACK_OFF_MILLIS = 10;
  static final long MAX_BACK_OFF_MILLIS = 1000;

  private final String description;
  private final RotatingFileWriter writer;
  private final ExporterCounters counters;
  private final Consumer<EncodedBuffer> recycler;
  private final ThrottledLogger throttledLogger = new ThrottledLogger(logger);
  private final List<PendingWrite> run = new ArrayList<>();
  private final WriteListener listener;
  // The size of the record the last piece written started; a streamed record's last piece ends it.
  private long currentRecordBytes;

  // Whether a data entry failed since the last FLUSH marker; a flush reports it.
  private boolean failedSinceFlush;
  // Whether the rest of a streamed record is to be thrown away: a piece of it failed to write.
  private boolean discardingRecord;
  // Failed writes in a row, and when (System.nanoTime()) the sink takes entries again after them.
  private int failuresInARow;
  private long readyAtNanos;

  public FileLaneSink(
      String description,
      RotatingFileWriter writer,
      ExporterCounters counters,
      Consumer<EncodedBuffer> recycler) {
    this(description, writer, counters, recycler, null);
  }

  /**
   * @param listener told of every record written and of the file the writer is at after each write,
   *     rotation or close; {@code null} for none
   */
  public FileLaneSink(
      String description,
      RotatingFileWriter writer,
      ExporterCounters counters,
      Consumer<EncodedBuffer> recycler,
      WriteListener listener) {
    this.listener = listener;
    this.description = description;
    this.writer = writer;
    this.counters = counters;
    this.recycler = recycler;
  }

  @Override
  public void write(List<PendingWrite> entries) {
    for (PendingWrite entry : entries) {
      switch (entry.getKind()) {
        case DATA:
        case PART:
          if (discardingRecord) {
            discard(entry);
          } else {
            run.add(entry);
          }
          break;
        case ABORT:
          writeRun();
          if (discardingRecord) {
            discardingRecord = false;
          } else {
            writer.abandonOpenRecord();
          }
          break;
        case FLUSH:
          writeRun();
          final boolean flushed = !failedSinceFlush;
          final PendingWrite flush = entry;
          failedSinceFlush = false;
          // And the files rotated before it closed, so that after a flush they are complete.
          writer.whenRotatedClosed().whenComplete(() -> complete(flush, flushed));
          break;
        case CLOSE:
          writeRun();
          final boolean closed = closeFile();
          final PendingWrite close = entry;
          // Shutdown completes once the last file is compressed and retention has run, so that
          // a process that exits right after it leaves no half-made compressed file behind.
          writerMoved();
          writer.finish().whenComplete(() -> complete(close, closed));
          break;
      }
    }
    writeRun();
  }

  /** Drops a piece of a record whose earlier piece failed to write; its last piece fails. */
  private void discard(PendingWrite entry) {
    recycler.accept(entry.getData());
    if (entry.getKind() == PendingWrite.Kind.DATA) {
      discardingRecord = false;
      counters.failedItems.add(entry.getItems());
      failedSinceFlush = true;
      complete(entry, false);
    }
  }

  @Override
  public void tick() {
    writer.tick();
    writerMoved();
  }

  private void writerMoved() {
    if (listener != null) {
      listener.writerAt(writer.getCurrentPath());
    }
  }

  @Override
  public long nanosUntilReady() {
    return failuresInARow == 0 ? 0 : Math.max(0, readyAtNanos - System.nanoTime());
  }

  /** The back-off after the {@code failures}th failed write in a row. */
  static long backOffMillis(int failures) {
    int doublings = Math.min(failures - 1, 20);
    return Math.min(MAX_BACK_OFF_MILLIS, FIRST_BACK_OFF_MILLIS << doublings);
  }

  private void writeRun() {
    if (run.isEmpty()) {
      return;
    }
    ByteBuffer[] records = new ByteBuffer[run.size()];
    long[] recordBytes = new long[records.length];
    for (int i = 0; i < records.length; i++) {
      records[i] = run.get(i).getData().asByteBuffer();
      recordBytes[i] = run.get(i).getRecordBytes();
    }
    int complete = records.length;
    IOException failure = null;
    try {
      writer.write(
          records, recordBytes, run.get(records.length - 1).getKind() == PendingWrite.Kind.PART);
    } catch (RotatingFileWriter.WriteFailedException e) {
      complete = e.getCompleteRecords();
      failure = e;
    }
    long failedItems = 0;
    for (int i = 0; i < records.length; i++) {
      PendingWrite entry = run.get(i);
      recycler.accept(entry.getData());
      if (entry.getRecordBytes() > 0) {
        currentRecordBytes = entry.getRecordBytes();
      }
      if (i < complete && entry.getTicket() != null && entry.getKind() == PendingWrite.Kind.DATA) {
        entry
            .getTicket()
            .written(
                writer.getRecordFile(i),
                writer.getRecordPosition(i),
                currentRecordBytes,
                entry.getItems());
        if (listener != null) {
          listener.recordWritten(entry.getTicket());
        }
      }
      if (entry.getKind() == PendingWrite.Kind.PART) {
        // Not written: the rest of its record, in this run or later ones, is thrown away.
        discardingRecord |= i >= complete;
        continue;
      }
      if (i < complete) {
        counters.exportedItems.add(entry.getItems());
      } else {
        counters.failedItems.add(entry.getItems());
        failedItems += entry.getItems();
        if (entry.getRecordBytes() == 0) {
          discardingRecord = false; // the last piece of the record being thrown away
        }
      }
      complete(entry, i < complete);
    }
    run.clear();
    writerMoved();
    if (failure == null) {
      failuresInARow = 0;
      return;
    }
    failedSinceFlush = true;
    failuresInARow = Math.min(failuresInARow + 1, Integer.MAX_VALUE - 1);
    long backOff = backOffMillis(failuresInARow);
    readyAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backOff);
    throttledLogger.log(
        Level.WARNING,
        "Failed to write "
            + failedItems
            + " items to "
            + description
            + " (failure "
            + failuresInARow
            + " in a row); those exports failed, the file ends at its last complete record, and"
            + " the next write goes on in it after "
            + backOff
            + " ms: "
            + failure.getCause(),
        failure.getCause());
  }

  private boolean closeFile() {
    try {
      writer.close();
      return true;
    } catch (IOException e) {
      throttledLogger.log(Level.WARNING, "Failed to close " + description + ": " + e, e);
      return false;
    }
  }

  private static void complete(PendingWrite entry, boolean success) {
    if (success) {
      entry.getResult().succeed();
    } else {
      entry.getResult().fail();
    }
  }
}
