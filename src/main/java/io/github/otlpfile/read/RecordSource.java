package io.github.otlpfile.read;

import com.google.protobuf.Message;
import io.github.otlpfile.OtlpFileFormat;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.ZipException;

/**
 * The records of one file, read one at a time from its (decompressed) content. Damage is reported
 * to the {@link ProblemSink} with its position, and reading goes on where the format allows.
 *
 * <p>Not thread-safe.
 */
abstract class RecordSource implements AutoCloseable {
  final Path file;
  final OtlpFileFormat format;
  final OtlpSignal expected;
  final Set<OtlpSignal> signals;
  final long maxRecordBytes;
  final ProblemSink problems;
  private final InputStream in;

  /** A read failure seen while filling the buffer, reported once the whole records before it. */
  IOException readFailure;

  RecordSource(
      Path file,
      OtlpFileFormat format,
      InputStream in,
      OtlpSignal expected,
      Set<OtlpSignal> signals,
      long maxRecordBytes,
      ProblemSink problems) {
    this.file = file;
    this.format = format;
    this.in = in;
    this.expected = expected;
    this.signals = signals;
    this.maxRecordBytes = maxRecordBytes;
    this.problems = problems;
  }

  /** The next record of a wanted signal, or {@code null} at the end of the file. */
  abstract OtlpRecord next();

  /**
   * Reads up to {@code length} bytes; fewer only at the end of the content. A read failure ends the
   * content and is kept in {@link #readFailure}.
   */
  final int read(byte[] buffer, int offset, int length) {
    if (readFailure != null) {
      return 0;
    }
    int total = 0;
    try {
      while (total < length) {
        int n = in.read(buffer, offset + total, length - total);
        if (n < 0) {
          break;
        }
        total += n;
      }
    } catch (IOException | RuntimeException e) {
      // A damaged gzip stream can surface as an unchecked exception from the inflater.
      readFailure = e instanceof IOException ? (IOException) e : new ZipException(e.toString());
    }
    return total;
  }

  /** Skips up to {@code length} bytes; returns how many were skipped. */
  final long skip(long length, byte[] scratch) {
    long skipped = 0;
    while (skipped < length) {
      int n = read(scratch, 0, (int) Math.min(scratch.length, length - skipped));
      if (n == 0) {
        break;
      }
      skipped += n;
    }
    return skipped;
  }

  /**
   * Reports how the content ended early, if it did: a gzip stream cut short is a torn tail, damaged
   * compressed data is {@code CORRUPT_COMPRESSION}, anything else makes the file unreadable from
   * there on. {@code tornBytes} is the length of an incomplete record the failure cut off.
   */
  final void reportReadFailure(long position, long tornBytes) {
    IOException failure = readFailure;
    if (failure == null) {
      return;
    }
    String torn = tornBytes > 0 ? "; an incomplete record of " + tornBytes + " bytes is lost" : "";
    if (failure instanceof EOFException) {
      report(
          position,
          OtlpFileProblem.Kind.TRUNCATED_TAIL,
          "the compressed stream ends early (" + failure.getMessage() + ")" + torn,
          failure);
    } else if (failure instanceof ZipException) {
      report(
          position,
          OtlpFileProblem.Kind.CORRUPT_COMPRESSION,
          "damaged compressed data (" + failure.getMessage() + "); the rest of the file is lost",
          failure);
    } else {
      report(
          position,
          OtlpFileProblem.Kind.UNREADABLE_FILE,
          "read failed (" + failure + "); the rest of the file is lost",
          failure);
    }
  }

  final void report(long position, OtlpFileProblem.Kind kind, String reason, Throwable cause) {
    problems.report(new OtlpFileProblem(file, format, position, kind, reason), cause);
  }

  /**
   * The record for a decoded request, or {@code null} when it is empty, of an unwanted signal, or
   * of another signal than the file's name says (reported as {@code WRONG_SIGNAL}).
   */
  final OtlpRecord accept(Message request, long position, int sizeBytes) {
    if (request == null) {
      return null;
    }
    OtlpSignal signal = OtlpRecord.signalOf(request);
    if (expected != null && signal != expected) {
      reportWrongSignal(position, signal);
      return null;
    }
    if (!signals.contains(signal)) {
      return null;
    }
    return new OtlpRecord(signal, file, format, position, sizeBytes, request);
  }

  /** Reports a record of {@code actual} in a file whose name says {@link #expected}. */
  final void reportWrongSignal(long position, OtlpSignal actual) {
    report(
        position,
        OtlpFileProblem.Kind.WRONG_SIGNAL,
        "a "
            + actual.getDirectoryName()
            + " record where the file's name says "
            + expected.getDirectoryName(),
        null);
  }

  @Override
  public final void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // Nothing was written; a failed close of an input loses nothing.
    }
  }
}
