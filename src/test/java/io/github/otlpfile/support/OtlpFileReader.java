package io.github.otlpfile.support;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads OTLP files back with protobuf-java and the {@code opentelemetry-proto} classes, independent
 * of the marshalers that wrote them.
 *
 * <ul>
 *   <li>{@code .binpb}: records of a 4-byte big-endian length and a binary {@code
 *       Export*ServiceRequest};
 *   <li>{@code .jsonl}: one OTLP/JSON request per {@code \n}-terminated line. OTLP/JSON writes
 *       trace and span ids as hex where proto3 JSON expects base64, so ids are converted before
 *       {@link JsonFormat} parses the line;
 *   <li>either of them with {@code .gz} appended: the same, gzip-compressed.
 * </ul>
 *
 * <p>A malformed file (a torn record, a line that is not a request) fails with {@link
 * IllegalStateException} naming the file and the record.
 */
public final class OtlpFileReader {
  private static final Set<String> HEX_ID_KEYS = Set.of("traceId", "spanId", "parentSpanId");

  private OtlpFileReader() {}

  /** The signal folders and the request type each holds. */
  public enum SignalDir {
    TRACES("traces", ExportTraceServiceRequest::newBuilder),
    METRICS("metrics", ExportMetricsServiceRequest::newBuilder),
    LOGS("logs", ExportLogsServiceRequest::newBuilder);

    private final String directoryName;
    private final Supplier<Message.Builder> builders;

    SignalDir(String directoryName, Supplier<Message.Builder> builders) {
      this.directoryName = directoryName;
      this.builders = builders;
    }

    public String directoryName() {
      return directoryName;
    }
  }

  public static List<ExportTraceServiceRequest> readTraces(Path directory) {
    return readAll(directory, SignalDir.TRACES, ExportTraceServiceRequest.class);
  }

  public static List<ExportMetricsServiceRequest> readMetrics(Path directory) {
    return readAll(directory, SignalDir.METRICS, ExportMetricsServiceRequest.class);
  }

  public static List<ExportLogsServiceRequest> readLogs(Path directory) {
    return readAll(directory, SignalDir.LOGS, ExportLogsServiceRequest.class);
  }

  /**
   * Every request in {@code {directory}/{signal}/}, file by file in creation order, record by
   * record in file order.
   */
  public static <T extends Message> List<T> readAll(
      Path directory, SignalDir signal, Class<T> type) {
    List<T> requests = new ArrayList<>();
    for (Path file : files(directory.resolve(signal.directoryName))) {
      for (Message message : readFile(file, signal)) {
        requests.add(type.cast(message));
      }
    }
    return requests;
  }

  /** Every request in one file. */
  public static List<Message> readFile(Path file, SignalDir signal) {
    boolean json = baseName(file).endsWith(".jsonl");
    if (!json && !baseName(file).endsWith(".binpb")) {
      throw new IllegalArgumentException("not an OTLP file: " + file);
    }
    List<Message> messages = new ArrayList<>();
    List<byte[]> records = records(file);
    for (int i = 0; i < records.size(); i++) {
      Message.Builder builder = signal.builders.get();
      try {
        if (json) {
          String line = new String(records.get(i), StandardCharsets.UTF_8);
          JsonFormat.parser().ignoringUnknownFields().merge(hexIdsToBase64(line), builder);
        } else {
          builder.mergeFrom(records.get(i));
        }
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        throw new IllegalStateException(
            "record " + (i + 1) + " of " + file + " is not a " + signal + " request: " + e, e);
      }
      messages.add(builder.build());
    }
    return messages;
  }

  /**
   * The raw records of one file: for {@code .jsonl} each line without its {@code \n}, for {@code
   * .binpb} each request without its length prefix.
   */
  public static List<byte[]> records(Path file) {
    byte[] bytes = contents(file);
    List<byte[]> records = new ArrayList<>();
    if (baseName(file).endsWith(".jsonl")) {
      int start = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          records.add(Arrays.copyOfRange(bytes, start, i));
          start = i + 1;
        }
      }
      if (start != bytes.length) {
        throw new IllegalStateException(
            file + " ends with " + (bytes.length - start) + " bytes that are not a whole line");
      }
      return records;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      if (buffer.remaining() < 4) {
        throw new IllegalStateException(
            file + " ends with a torn length prefix of " + buffer.remaining() + " bytes");
      }
      int length = buffer.getInt();
      if (length < 0 || length > buffer.remaining()) {
        throw new IllegalStateException(
            file
                + " record "
                + (records.size() + 1)
                + " announces "
                + length
                + " bytes but "
                + buffer.remaining()
                + " remain");
      }
      byte[] record = new byte[length];
      buffer.get(record);
      records.add(record);
    }
    return records;
  }

  /** The bytes of a file, decompressed if its name ends in {@code .gz}. */
  public static byte[] contents(Path file) {
    try {
      if (!file.getFileName().toString().endsWith(".gz")) {
        return Files.readAllBytes(file);
      }
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The regular files of one signal folder in creation order: by the timestamp in the name, then
   * the instance id, then the sequence number read as a number. An absent folder has no files.
   */
  public static List<Path> files(Path signalDirectory) {
    if (!Files.isDirectory(signalDirectory)) {
      return List.of();
    }
    try (Stream<Path> listing = Files.list(signalDirectory)) {
      return listing
          .filter(Files::isRegularFile)
          .sorted(Comparator.comparing(OtlpFileReader::sortKey))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // signal-yyyyMMddTHHmmss.SSSZ-instance-seq.ext: pad seq so that 10 sorts after 9.
  private static String sortKey(Path file) {
    String base = baseName(file);
    String[] parts = base.split("-");
    if (parts.length == 4) {
      String seq = parts[3].substring(0, Math.max(0, parts[3].indexOf('.')));
      if (!seq.isEmpty() && seq.chars().allMatch(Character::isDigit)) {
        return parts[1] + '-' + parts[2] + '-' + "0".repeat(Math.max(0, 20 - seq.length())) + seq;
      }
    }
    return base;
  }

  private static String baseName(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
  }

  /**
   * Rewrites the hex {@code traceId}, {@code spanId} and {@code parentSpanId} values of an
   * OTLP/JSON document as base64, the proto3 JSON form of {@code bytes}. A value that is not hex
   * fails.
   */
  public static String hexIdsToBase64(String json) {
    JsonElement tree = JsonParser.parseString(json);
    convertIds(tree);
    return tree.toString();
  }

  private static void convertIds(JsonElement element) {
    if (element.isJsonObject()) {
      JsonObject object = element.getAsJsonObject();
      for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
        JsonElement value = entry.getValue();
        if (HEX_ID_KEYS.contains(entry.getKey())
            && value.isJsonPrimitive()
            && value.getAsJsonPrimitive().isString()) {
          byte[] id = HexFormat.of().parseHex(value.getAsString());
          entry.setValue(new JsonPrimitive(Base64.getEncoder().encodeToString(id)));
        } else {
          convertIds(value);
        }
      }
    } else if (element.isJsonArray()) {
      JsonArray array = element.getAsJsonArray();
      for (JsonElement item : array) {
        convertIds(item);
      }
    }
  }
}
