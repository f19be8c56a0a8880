package io.github.otlpfile.read;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.github.otlpfile.OtlpFileFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * The records of a binary file: each a 4-byte big-endian length and a binary {@code
 * Export*ServiceRequest}. A record that does not parse is reported and the next one is read, since
 * its length still frames it; a length over the limit is reported and skipped without allocating
 * it; a file that ends inside a record has a torn tail.
 *
 * <p>Not thread-safe.
 */
final class BinarySource extends RecordSource {
  private static final int MIN_GROWTH = 64 * 1024;

  private final byte[] prefix = new byte[4];
  private byte[] buffer = new byte[0];
  private long offset;

  BinarySource(
      Path file,
      InputStream in,
      OtlpSignal expected,
      Set<OtlpSignal> signals,
      long maxRecordBytes,
      ProblemSink problems) {
    super(file, OtlpFileFormat.PROTOBUF, in, expected, signals, maxRecordBytes, problems);
  }

  @Override
  OtlpRecord next() {
    while (true) {
      long at = offset;
      int n = read(prefix, 0, 4);
      offset += n;
      if (n < 4) {
        if (readFailure != null) {
          reportReadFailure(at, n);
        } else if (n > 0) {
          report(
              at,
              OtlpFileProblem.Kind.TRUNCATED_TAIL,
              "the file ends inside a record's length prefix (" + n + " of 4 bytes)",
              null);
        }
        readFailure = null;
        return null;
      }
      long length =
          ((prefix[0] & 0xFFL) << 24)
              | ((prefix[1] & 0xFFL) << 16)
              | ((prefix[2] & 0xFFL) << 8)
              | (prefix[3] & 0xFFL);
      if (length > maxRecordBytes) {
        skipLargeRecord(at, length);
        continue;
      }
      int size = (int) length;
      int got = readRecord(size);
      offset += got;
      if (got < size) {
        if (readFailure != null) {
          reportReadFailure(at, got);
        } else {
          report(
              at,
              OtlpFileProblem.Kind.TRUNCATED_TAIL,
              "the file ends inside a record: its length prefix announces "
                  + size
                  + " bytes, "
                  + got
                  + " follow",
              null);
        }
        readFailure = null;
        return null;
      }
      if (size == 0) {
        continue; // An empty request carries nothing.
      }
      OtlpRecord record = decode(at, size);
      if (record != null) {
        return record;
      }
    }
  }

  private void skipLargeRecord(long at, long length) {
    long skipped = skip(length, buffer.length >= MIN_GROWTH ? buffer : new byte[MIN_GROWTH]);
    offset += skipped;
    String rest =
        skipped < length
            ? "; the file ends "
                + skipped
                + " bytes later, so the rest of it cannot be framed and is lost"
            : "; skipped";
    report(
        at,
        OtlpFileProblem.Kind.RECORD_TOO_LARGE,
        "length prefix announces "
            + length
            + " bytes, over the limit of "
            + maxRecordBytes
            + " bytes"
            + rest,
        null);
    if (readFailure != null) {
      reportReadFailure(offset, 0);
      readFailure = null;
    }
  }

  /**
   * Reads a record of {@code size} bytes into the buffer, growing it only as the content arrives so
   * that a false length prefix in a short file never allocates what it announces.
   */
  private int readRecord(int size) {
    int got = 0;
    while (got < size) {
      if (buffer.length == got) {
        long grown = Math.max(MIN_GROWTH, 2L * buffer.length);
        byte[] bigger = new byte[(int) Math.min(size, grown)];
        System.arraycopy(buffer, 0, bigger, 0, got);
        buffer = bigger;
      }
      int n = read(buffer, got, Math.min(size, buffer.length) - got);
      if (n == 0) {
        break;
      }
      got += n;
    }
    return got;
  }

  private OtlpRecord decode(long at, int size) {
    if (expected == null) {
      // The guess parses the record as each signal; the one that fits is the request.
      Message guessed = BinarySignalGuess.guess(buffer, size);
      if (guessed == null) {
        report(
            at,
            OtlpFileProblem.Kind.UNKNOWN_SIGNAL,
            "neither the file's name nor the record's content tells its signal",
            null);
        return null;
      }
      return accept(guessed, at, size);
    }
    Message request;
    try {
      request = parse(expected, buffer, size);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // A record of another signal may not parse as the expected one at all.
      Message actual = BinarySignalGuess.guess(buffer, size);
      if (actual != null) {
        reportWrongSignal(at, OtlpRecord.signalOf(actual));
        return null;
      }
      report(
          at,
          OtlpFileProblem.Kind.INVALID_RECORD,
          "not a binary "
              + expected.getDirectoryName()
              + " request of "
              + size
              + " bytes: "
              + e.getMessage(),
          e);
      return null;
    }
    if (!BinarySignalGuess.fits(request)) {
      // Binary requests of the three signals frame alike; one of another signal parses as the
      // expected one, with unknown fields and ids of the wrong lengths.
      Message actual = BinarySignalGuess.guess(buffer, size);
      if (actual != null && OtlpRecord.signalOf(actual) != expected) {
        reportWrongSignal(at, OtlpRecord.signalOf(actual));
        return null;
      }
    }
    return accept(request, at, size);
  }

  static Message parse(OtlpSignal signal, byte[] bytes, int size)
      throws InvalidProtocolBufferException {
    switch (signal) {
      case TRACES:
        return ExportTraceServiceRequest.parser().parseFrom(bytes, 0, size);
      case METRICS:
        return ExportMetricsServiceRequest.parser().parseFrom(bytes, 0, size);
      default:
        return ExportLogsServiceRequest.parser().parseFrom(bytes, 0, size);
    }
  }
}
