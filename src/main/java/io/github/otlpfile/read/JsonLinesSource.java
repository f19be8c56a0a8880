package io.github.otlpfile.read;

import com.google.protobuf.Message;
import io.github.otlpfile.OtlpFileFormat;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * The records of a JSON lines file: one OTLP/JSON request per line. Blank lines, {@code \r\n} line
 * ends and a UTF-8 byte order mark are accepted. A line that is not a request is reported and the
 * next line is read; a last line without its line end is read if it is a whole request and reported
 * as a torn tail if not. A line over the size limit is skipped without being held.
 *
 * <p>Not thread-safe.
 */
final class JsonLinesSource extends RecordSource {
  private static final int INITIAL_BUFFER = 64 * 1024;

  private final int maxLine;
  private byte[] buffer;
  private int start;
  private int end;
  private int scanned;
  private boolean endOfContent;
  private long line;

  JsonLinesSource(
      Path file,
      InputStream in,
      OtlpSignal expected,
      Set<OtlpSignal> signals,
      long maxRecordBytes,
      ProblemSink problems) {
    super(file, OtlpFileFormat.JSON_LINES, in, expected, signals, maxRecordBytes, problems);
    // Room for the longest allowed line and its "\r\n".
    this.maxLine = (int) Math.min(Integer.MAX_VALUE - 16, maxRecordBytes + 2);
    this.buffer = new byte[Math.min(INITIAL_BUFFER, maxLine)];
  }

  @Override
  OtlpRecord next() {
    while (true) {
      int newline = indexOfNewline();
      if (newline >= 0) {
        line++;
        int lineStart = start;
        start = newline + 1;
        scanned = start;
        OtlpRecord record = decode(lineStart, newline, true);
        if (record != null) {
          return record;
        }
        continue;
      }
      if (endOfContent) {
        if (start < end) {
          line++;
          int lineStart = start;
          start = end;
          if (readFailure != null) {
            reportReadFailure(line, end - lineStart);
            readFailure = null;
            return null;
          }
          OtlpRecord record = decode(lineStart, end, false);
          if (record != null) {
            return record;
          }
        }
        reportReadFailure(line + 1, 0);
        readFailure = null;
        return null;
      }
      if (end - start >= maxLine) {
        skipLongLine();
        continue;
      }
      fill();
    }
  }

  private int indexOfNewline() {
    byte[] b = buffer;
    for (int i = scanned; i < end; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    scanned = end;
    return -1;
  }

  /** Reads more content, moving the unread part to the front and growing up to the limit. */
  private void fill() {
    if (start > 0) {
      System.arraycopy(buffer, start, buffer, 0, end - start);
      end -= start;
      scanned -= start;
      start = 0;
    }
    if (end == buffer.length) {
      byte[] grown = new byte[(int) Math.min(maxLine, Math.max(2L * buffer.length, 1))];
      System.arraycopy(buffer, 0, grown, 0, end);
      buffer = grown;
    }
    int n = read(buffer, end, buffer.length - end);
    if (n == 0) {
      endOfContent = true;
    }
    end += n;
  }

  /** Reports and drops a line over the limit, reading on to its end without holding it. */
  private void skipLongLine() {
    line++;
    long length = end - start;
    start = 0;
    end = 0;
    scanned = 0;
    boolean found = false;
    while (!found) {
      int n = read(buffer, 0, buffer.length);
      if (n == 0) {
        endOfContent = true;
        break;
      }
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n') {
          found = true;
          length += i;
          start = i + 1;
          end = n;
          scanned = start;
          break;
        }
      }
      if (!found) {
        length += n;
      }
    }
    report(
        line,
        OtlpFileProblem.Kind.RECORD_TOO_LARGE,
        "line of "
            + (found ? "" : "at least ")
            + length
            + " bytes is over the limit of "
            + maxRecordBytes
            + " bytes; skipped",
        null);
  }

  private OtlpRecord decode(int from, int to, boolean terminated) {
    if (to > from && buffer[to - 1] == '\r') {
      to--;
    }
    if (line == 1 && to - from >= 3 && isByteOrderMark(from)) {
      from += 3;
    }
    if (isBlank(from, to)) {
      return null;
    }
    if (to - from > maxRecordBytes) {
      report(
          line,
          OtlpFileProblem.Kind.RECORD_TOO_LARGE,
          "line of "
              + (to - from)
              + " bytes is over the limit of "
              + maxRecordBytes
              + " bytes; skipped",
          null);
      return null;
    }
    Message request;
    try {
      request = OtlpJsonDecoder.decode(buffer, from, to - from, expected);
    } catch (MalformedRecordException e) {
      if (terminated) {
        report(line, OtlpFileProblem.Kind.INVALID_RECORD, e.getMessage(), e);
      } else {
        report(
            line,
            OtlpFileProblem.Kind.TRUNCATED_TAIL,
            "the file ends inside a record of "
                + (to - from)
                + " bytes without a line end ("
                + e.getMessage()
                + ")",
            e);
      }
      return null;
    }
    return accept(request, line, to - from);
  }

  private boolean isByteOrderMark(int at) {
    return (buffer[at] & 0xFF) == 0xEF
        && (buffer[at + 1] & 0xFF) == 0xBB
        && (buffer[at + 2] & 0xFF) == 0xBF;
  }

  private boolean isBlank(int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = buffer[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
