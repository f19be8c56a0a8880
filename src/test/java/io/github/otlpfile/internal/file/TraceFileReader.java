package io.github.otlpfile.internal.file;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads trace files back the strict way: every record but the last must decode, and a last record
 * that does not is reported as a torn tail. {@code .binpb} records are a 4-byte big-endian length
 * and an {@link ExportTraceServiceRequest}; {@code .jsonl} records are one JSON object per line.
 * {@code .gz} files are decompressed first.
 */
public final class TraceFileReader {
  private TraceFileReader() {}

  /** What one file holds. */
  public record Contents(Path path, List<ExportTraceServiceRequest> requests, boolean tornTail) {
    public List<String> spanNames() {
      List<String> names = new ArrayList<>();
      for (ExportTraceServiceRequest request : requests) {
        for (ResourceSpans rs : request.getResourceSpansList()) {
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            for (Span span : ss.getSpansList()) {
              names.add(span.getName());
            }
          }
        }
      }
      return names;
    }
  }

  public static Contents read(Path path) throws IOException {
    String name = path.getFileName().toString();
    byte[] bytes;
    if (name.endsWith(".gz")) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
        bytes = in.readAllBytes();
      }
      name = name.substring(0, name.length() - 3);
    } else {
      bytes = Files.readAllBytes(path);
    }
    if (name.endsWith(".binpb")) {
      return readBinary(path, bytes);
    }
    if (name.endsWith(".jsonl")) {
      return readJsonLines(path, bytes);
    }
    throw new IllegalArgumentException("not an OTLP file: " + path);
  }

  /**
   * Every OTLP trace file in {@code directory}, oldest first. Where both {@code x} and {@code x.gz}
   * exist (a crash in the instant between the two last steps of a compression), both are complete
   * and only {@code x.gz} is read.
   */
  public static List<Path> listFiles(Path directory) throws IOException {
    List<FileFolder.Entry> entries = new FileFolder(directory, "traces").list();
    List<Path> files = new ArrayList<>();
    for (FileFolder.Entry entry : entries) {
      files.add(entry.getCompressed() != null ? entry.getCompressed() : entry.getPlain());
    }
    return files;
  }

  /** Every file in {@code directory}, whatever its name. */
  public static List<String> allNames(Path directory) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** All span names in all trace files of {@code directory}. */
  public static List<String> allSpanNames(Path directory) throws IOException {
    List<String> names = new ArrayList<>();
    for (Path file : listFiles(directory)) {
      names.addAll(read(file).spanNames());
    }
    return names;
  }

  private static Contents readBinary(Path path, byte[] bytes) throws IOException {
    List<ExportTraceServiceRequest> requests = new ArrayList<>();
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      if (buffer.remaining() < 4) {
        return new Contents(path, requests, true);
      }
      int length = buffer.getInt();
      if (length < 0 || length > buffer.remaining()) {
        return new Contents(path, requests, true);
      }
      byte[] record = new byte[length];
      buffer.get(record);
      try {
        requests.add(ExportTraceServiceRequest.parseFrom(record));
      } catch (InvalidProtocolBufferException e) {
        if (buffer.hasRemaining()) {
          throw new IOException("record " + requests.size() + " of " + path + " is corrupt", e);
        }
        return new Contents(path, requests, true);
      }
    }
    return new Contents(path, requests, false);
  }

  private static Contents readJsonLines(Path path, byte[] bytes) throws IOException {
    List<ExportTraceServiceRequest> requests = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (byte b : bytes) {
      if (b != '\n') {
        line.write(b);
        continue;
      }
      ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
      String text = line.toString(StandardCharsets.UTF_8);
      if (!text.startsWith("{") || !text.endsWith("}")) {
        throw new IOException("line " + requests.size() + " of " + path + " is not an object");
      }
      // OTLP/JSON ids are hex, which the protobuf JSON parser reads as (different) base64 bytes;
      // names, counts and structure come through unchanged, which is all these tests compare.
      JsonFormat.parser().merge(text, request);
      requests.add(request.build());
      line.reset();
    }
    // A record always ends with its newline: anything after the last one is a torn record.
    return new Contents(path, requests, line.size() > 0);
  }
}
