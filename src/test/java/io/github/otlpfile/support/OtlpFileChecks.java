package io.github.otlpfile.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpFileException;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The check of what the exporters write that does not trust the public reader: each file is framed
 * by hand and decoded with protobuf-java ({@code .binpb}) or protobuf-java-util's {@link
 * JsonFormat} ({@code .jsonl}), and the messages must equal those {@link OtlpFileReader} returns
 * for the same records. Writer and reader so never only agree with each other.
 */
public final class OtlpFileChecks {
  private static final Set<String> HEX_ID_KEYS = Set.of("traceId", "spanId", "parentSpanId");

  private OtlpFileChecks() {}

  /**
   * Asserts that {@code {directory}/{signal}/} holds at least one file, that every file in it is
   * named {@code {signal}-{yyyyMMdd'T'HHmmss.SSS'Z'}-{instanceId}-{seq}.{ext}} with the format's
   * extension (plain or {@code .gz}), and that every file holds whole records only:
   *
   * <ul>
   *   <li>{@code .jsonl}: every line follows {@link OtlpJsonRules} and parses with {@link
   *       JsonFormat} (after {@link #hexIdsToBase64}) to a message equal to the reader's {@link
   *       OtlpRecord#getRequest()} for that line;
   *   <li>{@code .binpb}: a 4-byte big-endian length and a request, again and again to the file's
   *       end; every request parses with protobuf-java, has no unknown fields, and equals the
   *       reader's record at that offset.
   * </ul>
   *
   * <p>The strict public reader reads the same file with no problem and the same number of records.
   *
   * @return the files in creation order
   */
  public static List<Path> assertWellFormed(
      Path directory, OtlpSignal signal, OtlpFileFormat format) {
    Path folder = directory.resolve(signal.getDirectoryName());
    List<Path> files = FileListing.files(folder);
    assertThat(files).as("files in %s", folder).isNotEmpty();
    String namePattern =
        signal.getDirectoryName()
            + "-\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f]+-\\d+\\."
            + format.getFileExtension()
            + "(\\.gz)?";
    // Hidden files too: a compression's temporary file must not be left behind.
    try (Stream<Path> entries = Files.list(folder)) {
      assertThat(entries.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .as("file names in %s", folder)
          .allMatch(name -> name.matches(namePattern));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path file : files) {
      // First what the file holds, read without the reader; then what the reader makes of it.
      byte[] contents = contents(file);
      List<Message> expected = new ArrayList<>();
      List<Long> positions = new ArrayList<>();
      if (format == OtlpFileFormat.JSON_LINES) {
        assertThat(OtlpJsonRules.checkContents(contents, OtlpJsonRules.topLevelKey(signal)))
            .as("OTLP/JSON rules in %s", file)
            .isEmpty();
        List<String> lines = lines(contents);
        for (int i = 0; i < lines.size(); i++) {
          expected.add(parseJson(lines.get(i), signal, file + " line " + (i + 1)));
          positions.add(i + 1L);
        }
      } else {
        List<byte[]> records = framedRecords(contents, file, positions);
        for (int i = 0; i < records.size(); i++) {
          String where = file + " byte " + positions.get(i);
          Message request = parseBinary(records.get(i), signal, where);
          assertNoUnknownFields(request, where);
          expected.add(request);
        }
      }
      List<OtlpRecord> read = readStrictly(file, signal);
      assertThat(read).as("records the reader found in %s", file).hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        assertThat(read.get(i).getPosition())
            .as("position in %s", file)
            .isEqualTo(positions.get(i));
        assertThat(read.get(i).getRequest())
            .as("the reader's request at %s %s", file, read.get(i).getPosition())
            .isEqualTo(expected.get(i));
      }
    }
    return files;
  }

  private static List<OtlpRecord> readStrictly(Path file, OtlpSignal signal) {
    List<OtlpRecord> records = new ArrayList<>();
    try (OtlpFileReader reader =
        OtlpFileReader.builder().setStrict(true).setSignals(signal).open(file)) {
      for (OtlpRecord record : reader) {
        assertThat(record.getSignal()).isEqualTo(signal);
        assertThat(record.getFile()).isEqualTo(file);
        records.add(record);
      }
      assertThat(reader.getProblems()).as("problems in %s", file).isEmpty();
    } catch (OtlpFileException e) {
      throw new AssertionError("the reader found damage the check did not: " + e.getMessage(), e);
    }
    return records;
  }

  /** The lines of a JSON lines file, each without its {@code \n}; the last must end with one. */
  private static List<String> lines(byte[] contents) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < contents.length; i++) {
      if (contents[i] == '\n') {
        lines.add(new String(contents, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    assertThat(contents.length - start).as("bytes after the last line end").isZero();
    return lines;
  }

  /**
   * The records of a binary file: a 4-byte big-endian length, then that many bytes, to the end of
   * the file. Adds the offset of each record's length prefix to {@code offsets}.
   */
  private static List<byte[]> framedRecords(byte[] contents, Path file, List<Long> offsets) {
    List<byte[]> records = new ArrayList<>();
    ByteBuffer buffer = ByteBuffer.wrap(contents);
    while (buffer.hasRemaining()) {
      int offset = buffer.position();
      assertThat(buffer.remaining())
          .as("%s: length prefix at byte %s", file, offset)
          .isGreaterThanOrEqualTo(4);
      int length = buffer.getInt();
      assertThat(length)
          .as("%s: length of the record at byte %s", file, offset)
          .isBetween(0, buffer.remaining());
      byte[] record = new byte[length];
      buffer.get(record);
      records.add(record);
      offsets.add((long) offset);
    }
    return records;
  }

  private static Message parseBinary(byte[] record, OtlpSignal signal, String where) {
    try {
      return builderOf(signal).mergeFrom(record).build();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(where + " is not a " + signal + " request: " + e, e);
    }
  }

  private static Message parseJson(String line, OtlpSignal signal, String where) {
    Message.Builder builder = builderOf(signal);
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(hexIdsToBase64(line), builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new AssertionError(where + " is not a " + signal + " request: " + e, e);
    }
    return builder.build();
  }

  private static Message.Builder builderOf(OtlpSignal signal) {
    switch (signal) {
      case TRACES:
        return ExportTraceServiceRequest.newBuilder();
      case METRICS:
        return ExportMetricsServiceRequest.newBuilder();
      default:
        return ExportLogsServiceRequest.newBuilder();
    }
  }

  /** The bytes of a file, decompressed if its name ends in {@code .gz}. */
  public static byte[] contents(Path file) {
    try {
      if (!file.getFileName().toString().endsWith(".gz")) {
        return Files.readAllBytes(file);
      }
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Rewrites the hex {@code traceId}, {@code spanId} and {@code parentSpanId} values of an
   * OTLP/JSON document as base64, the proto3 JSON form of {@code bytes}, so that {@link JsonFormat}
   * can parse it. A value that is not hex fails.
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

  /** Asserts that no message in the tree carries fields its proto definition does not know. */
  public static void assertNoUnknownFields(Message message, String path) {
    assertThat(message.getUnknownFields().asMap()).as("unknown fields at %s", path).isEmpty();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      String at = path + "." + field.getKey().getName();
      if (field.getKey().isRepeated()) {
        List<?> items = (List<?>) field.getValue();
        for (int i = 0; i < items.size(); i++) {
          assertNoUnknownFields((Message) items.get(i), at + "[" + i + "]");
        }
      } else {
        assertNoUnknownFields((Message) field.getValue(), at);
      }
    }
  }
}
