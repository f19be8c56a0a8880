package io.github.otlpfile.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.internal.read.ReadAccess;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Follows folders and files as they grow, like {@code tail -f}: each {@link #poll()} reads the
 * whole records appended since the last one. A record still being written is left for a later poll.
 * A file that an exporter rotates and compresses ({@code x.jsonl} becoming {@code x.jsonl.gz}) is
 * the same file: reading goes on at the same place in its content. New files are read from their
 * start; a file that shrinks is read again from its start.
 *
 * <p>Folders are walked as the reader walks them: recursively, hidden entries and symbolic links
 * inside folders left out, files of the OTLP extensions only.
 *
 * <p>Not thread-safe.
 */
final class FolderFollower {
  /** Where records and problems go. */
  interface Sink {
    void record(OtlpSignal signal, Path file, Message request);

    void problem(Path file, String reason);
  }

  private static final int CHUNK_BYTES = 256 * 1024;

  private final List<Path> paths;
  private final Set<OtlpSignal> signals;
  private final int maxRecordBytes;
  private final Sink sink;
  private final Map<String, Tracked> files = new HashMap<>();
  private byte[] buffer = new byte[CHUNK_BYTES];

  FolderFollower(List<Path> paths, Set<OtlpSignal> signals, int maxRecordBytes, Sink sink) {
    this.paths = new ArrayList<>(paths);
    this.signals = signals;
    this.maxRecordBytes = maxRecordBytes;
    this.sink = sink;
  }

  /** Reads what is new; returns the number of records read. */
  int poll() {
    List<Path> found = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        walk(path, found);
      } else if (Files.exists(path)) {
        found.add(path);
      } else if (Files.exists(gzipOf(path))) {
        found.add(gzipOf(path));
      }
    }
    int records = 0;
    List<String> seen = new ArrayList<>();
    for (Path file : found) {
      String name = file.toString();
      boolean gzip = name.endsWith(".gz");
      String key = gzip ? name.substring(0, name.length() - 3) : name;
      seen.add(key);
      Tracked tracked = files.get(key);
      if (tracked == null) {
        tracked = Tracked.of(file);
        files.put(key, tracked);
      }
      if (tracked.finished || (tracked.signal != null && !signals.contains(tracked.signal))) {
        continue;
      }
      try {
        records += gzip ? readCompressed(file, tracked) : readPlain(file, tracked);
      } catch (NoSuchFileException e) {
        // Rotated away (compressed or deleted) since it was listed: the next poll sees it.
      } catch (ClosedByInterruptException e) {
        // Stopped (Ctrl-C, or the thread following is interrupted): not a problem of the file.
        // The channel cleared nothing it had not read; keep the interrupt for the caller's loop.
        Thread.currentThread().interrupt();
        return records;
      } catch (IOException e) {
        sink.problem(file, "cannot read: " + e.getMessage());
        tracked.finished = true;
      }
    }
    // Forget files that are gone, so that the map stays as small as the folder.
    Iterator<String> keys = files.keySet().iterator();
    while (keys.hasNext()) {
      if (!seen.contains(keys.next())) {
        keys.remove();
      }
    }
    return records;
  }

  private static Path gzipOf(Path path) {
    return path.resolveSibling(path.getFileName() + ".gz");
  }

  private int readPlain(Path file, Tracked tracked) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < tracked.offset) {
        sink.problem(
            file,
            "the file shrank from "
                + tracked.offset
                + " to "
                + size
                + " bytes; reading it again from its start");
        tracked.restart();
      }
      if (size == tracked.offset) {
        return 0;
      }
      channel.position(tracked.offset);
      return read(file, Channels.newInputStream(channel), tracked, false);
    }
  }

  private int readCompressed(Path file, Tracked tracked) throws IOException {
    try (InputStream in =
        new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)), 64 * 1024)) {
      long skipped = 0;
      while (skipped < tracked.offset) {
        long n = in.skip(tracked.offset - skipped);
        if (n <= 0) {
          if (in.read() < 0) {
            break;
          }
          n = 1;
        }
        skipped += n;
      }
      int records = read(file, in, tracked, true);
      // A compressed file is closed: it does not grow any more.
      tracked.finished = true;
      return records;
    }
  }

  // Reads records from `in` (at tracked.offset) to its end; leaves an incomplete last record
  // unconsumed unless the file is complete, where it is a truncated tail.
  private int read(Path file, InputStream in, Tracked tracked, boolean complete)
      throws IOException {
    int records = 0;
    int start = 0;
    int end = 0;
    while (true) {
      if (end == buffer.length) {
        if (start > 0) {
          System.arraycopy(buffer, start, buffer, 0, end - start);
          end -= start;
          start = 0;
        } else if (buffer.length < maxRecordBytes + 4) {
          byte[] bigger = new byte[(int) Math.min((long) buffer.length * 2, maxRecordBytes + 4L)];
          System.arraycopy(buffer, 0, bigger, 0, end);
          buffer = bigger;
        } else {
          sink.problem(
              file,
              "a record at "
                  + where(tracked)
                  + " is over "
                  + maxRecordBytes
                  + " bytes; the rest of the file is skipped");
          tracked.finished = true;
          return records;
        }
      }
      int n = in.read(buffer, end, buffer.length - end);
      if (n < 0) {
        break;
      }
      end += n;
      int consumed =
          tracked.format == OtlpFileFormat.PROTOBUF
              ? binaryRecords(file, tracked, start, end)
              : jsonLines(file, tracked, start, end, false);
      records += tracked.lastCount;
      start += consumed;
      if (start == end) {
        start = 0;
        end = 0;
      }
      if (tracked.finished) {
        return records;
      }
    }
    if (complete && start < end) {
      if (tracked.format == OtlpFileFormat.JSON_LINES) {
        start += jsonLines(file, tracked, start, end, true);
        records += tracked.lastCount;
      }
      if (start < end) {
        sink.problem(file, "the file ends inside a record at " + where(tracked));
      }
    }
    return records;
  }

  private static String where(Tracked tracked) {
    return tracked.format == OtlpFileFormat.JSON_LINES
        ? "line " + (tracked.line + 1)
        : "byte " + tracked.offset;
  }

  private int jsonLines(Path file, Tracked tracked, int start, int end, boolean last) {
    int pos = start;
    tracked.lastCount = 0;
    while (pos < end) {
      int newline = -1;
      for (int i = pos; i < end; i++) {
        if (buffer[i] == '\n') {
          newline = i;
          break;
        }
      }
      if (newline < 0 && !last) {
        break;
      }
      int lineEnd = newline < 0 ? end : newline;
      int from = pos;
      if (tracked.line == 0
          && lineEnd - from >= 3
          && (buffer[from] & 0xff) == 0xef
          && (buffer[from + 1] & 0xff) == 0xbb
          && (buffer[from + 2] & 0xff) == 0xbf) {
        from += 3;
      }
      int to = lineEnd > from && buffer[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
      tracked.line++;
      int next = newline < 0 ? end : newline + 1;
      tracked.offset += next - pos;
      pos = next;
      if (isBlank(from, to)) {
        continue;
      }
      Message request = decodeJson(file, tracked, from, to - from);
      if (request != null) {
        tracked.lastCount++;
        sink.record(OtlpRecords.signalOf(request), file, request);
      }
    }
    return pos - start;
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

  private Message decodeJson(Path file, Tracked tracked, int offset, int length) {
    ReadAccess read = ReadAccess.get();
    String reason = null;
    if (tracked.signal != null) {
      try {
        return read.decodeJson(buffer, offset, length, tracked.signal);
      } catch (ReadAccess.MalformedRequestException e) {
        reason = e.getMessage();
      }
    } else {
      for (OtlpSignal signal : OtlpSignal.values()) {
        try {
          Message request = read.decodeJson(buffer, offset, length, signal);
          return signals.contains(signal) ? request : null;
        } catch (ReadAccess.MalformedRequestException e) {
          if (reason == null) {
            reason = e.getMessage();
          }
        }
      }
    }
    sink.problem(file, "line " + tracked.line + ": " + reason);
    return null;
  }

  private int binaryRecords(Path file, Tracked tracked, int start, int end) {
    int pos = start;
    tracked.lastCount = 0;
    while (end - pos >= 4) {
      long length =
          ((buffer[pos] & 0xffL) << 24)
              | ((buffer[pos + 1] & 0xff) << 16)
              | ((buffer[pos + 2] & 0xff) << 8)
              | (buffer[pos + 3] & 0xff);
      if (length > maxRecordBytes) {
        sink.problem(
            file,
            "byte "
                + tracked.offset
                + ": record announces "
                + length
                + " bytes, over the limit; the rest of the file is skipped");
        tracked.finished = true;
        return pos - start;
      }
      if (end - pos - 4 < length) {
        break;
      }
      if (tracked.signal == null) {
        sink.problem(
            file,
            "the file name does not tell the signal of its binary records;"
                + " name it traces-*, metrics-* or logs-* or put it in such a folder");
        tracked.finished = true;
        return pos - start;
      }
      Message request = parseBinary(file, tracked, pos + 4, (int) length);
      tracked.offset += 4 + length;
      pos += 4 + (int) length;
      if (request != null) {
        tracked.lastCount++;
        sink.record(tracked.signal, file, request);
      }
    }
    return pos - start;
  }

  private Message parseBinary(Path file, Tracked tracked, int offset, int length) {
    try {
      switch (tracked.signal) {
        case TRACES:
          return ExportTraceServiceRequest.parseFrom(
              java.nio.ByteBuffer.wrap(buffer, offset, length));
        case METRICS:
          return ExportMetricsServiceRequest.parseFrom(
              java.nio.ByteBuffer.wrap(buffer, offset, length));
        default:
          return ExportLogsServiceRequest.parseFrom(
              java.nio.ByteBuffer.wrap(buffer, offset, length));
      }
    } catch (InvalidProtocolBufferException e) {
      sink.problem(
          file,
          "byte "
              + tracked.offset
              + ": not a "
              + tracked.signal.getDirectoryName()
              + " request: "
              + e.getMessage());
      return null;
    }
  }

  private static void walk(Path folder, List<Path> found) {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
      for (Path entry : stream) {
        entries.add(entry);
      }
    } catch (IOException e) {
      return;
    }
    Collections.sort(entries);
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      if (name.startsWith(".")) {
        continue;
      }
      if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        walk(entry, found);
      } else if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
          && OtlpRecords.formatOf(name) != null) {
        found.add(entry);
      }
    }
  }

  /** What is known of one followed file. */
  private static final class Tracked {
    final OtlpFileFormat format;
    final OtlpSignal signal;
    long offset;
    long line;
    boolean finished;
    int lastCount;

    private Tracked(OtlpFileFormat format, OtlpSignal signal) {
      this.format = format;
      this.signal = signal;
    }

    static Tracked of(Path file) {
      OtlpFileFormat format = OtlpRecords.formatOf(file.getFileName().toString());
      return new Tracked(
          format == null ? OtlpFileFormat.JSON_LINES : format, OtlpRecords.signalOfPath(file));
    }

    void restart() {
      offset = 0;
      line = 0;
    }
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
