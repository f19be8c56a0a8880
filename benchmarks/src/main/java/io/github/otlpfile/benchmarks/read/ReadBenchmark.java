package io.github.otlpfile.benchmarks.read;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.github.otlpfile.benchmarks.data.SpanFiles;
import io.github.otlpfile.benchmarks.data.TelemetryData;
import io.github.otlpfile.benchmarks.export.ExportBenchmark;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading one whole traces file back: {@value #BATCHES} records of the suite's 512-span batch,
 * written by our {@link OtlpFileSpanExporter} as JSON lines and as binary protobuf at the start of
 * the trial. One operation reads the whole file and hands every record to a {@link Blackhole}.
 *
 * <p>Candidates ({@code -p reader=}):
 *
 * <ul>
 *   <li>{@code ours_binary}, {@code ours_jsonl}: {@link OtlpFileReader#open} on the file, {@link
 *       OtlpRecord#getRequest()} of each record;
 *   <li>{@code ours_binary_sdk}: the same on the binary file, {@link OtlpRecord#getSpans()} of each
 *       record (the message and the SDK data made from it);
 *   <li>{@code limit_binary}: protobuf-java alone, a hand-written loop over the 4-byte length
 *       prefixes calling {@code ExportTraceServiceRequest.parser().parseFrom(bytes, off, len)};
 *   <li>{@code jsonformat_hex}: what a user would write without the reader: split the lines,
 *       rewrite the hex {@code traceId}, {@code spanId} and {@code parentSpanId} values as base64
 *       with a regular expression (OTLP/JSON has hex ids, protobuf's JSON mapping base64), then
 *       protobuf-java-util's {@code JsonFormat.parser().ignoringUnknownFields().merge(line,
 *       builder)}.
 * </ul>
 *
 * <p>The reader takes paths only, so ours read the file from disk each time (warm in the page
 * cache); to keep that fair the baselines read the same file's bytes with {@link
 * Files#readAllBytes} inside the operation, and its array counts in their allocation. Records,
 * spans and file bytes per second come out as the secondary metrics {@code records}, {@code spans}
 * and {@code bytes}; allocation per file from {@code -prof gc} ({@code gc.alloc.rate.norm}).
 *
 * <p>Before measuring, the setup reads the file once with the candidate and checks that it returns
 * the records protobuf-java parses from the binary file (equal messages; for {@code
 * ours_binary_sdk}, the exported spans' ids, names, times, attributes and events).
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class ReadBenchmark {
  /** Records per file: about 9.8 MB of binary protobuf, 22 MB of JSON lines. */
  static final int BATCHES = 32;

  private static final long MAX_FILE_SIZE = 256L * 1024 * 1024;

  // What a user would write: OTLP/JSON ids are hex, JsonFormat expects bytes as base64.
  private static final Pattern HEX_ID =
      Pattern.compile("\"(traceId|spanId|parentSpanId)\"\\s*:\\s*\"([0-9a-fA-F]*)\"");
  private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();

  @Param({"ours_binary", "limit_binary", "ours_jsonl", "jsonformat_hex", "ours_binary_sdk"})
  public String reader;

  private Path directory;
  private Path file;
  private long fileBytes;
  private FileReader candidate;

  /** Reads a whole file, giving each record to {@code sink}; returns how many there were. */
  interface FileReader {
    int read(Consumer<Object> sink) throws IOException;
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    List<SpanData> batch = TelemetryData.spans();
    directory = Files.createTempDirectory(ExportBenchmark.baseDirectory(), "read-" + reader + "-");
    try {
      Path binary =
          SpanFiles.writeOneFile(
              batch, BATCHES, directory.resolve("binary"), OtlpFileFormat.PROTOBUF, MAX_FILE_SIZE);
      Path jsonl =
          SpanFiles.writeOneFile(
              batch, BATCHES, directory.resolve("jsonl"), OtlpFileFormat.JSON_LINES, MAX_FILE_SIZE);
      file = reader.endsWith("jsonl") || reader.startsWith("jsonformat") ? jsonl : binary;
      fileBytes = Files.size(file);
      candidate = create(reader, file);
      check(candidate, binary, batch);
    } catch (IOException | RuntimeException e) {
      SpanFiles.deleteTree(directory); // JMH skips the teardown of a failed setup
      throw e;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    SpanFiles.deleteTree(directory);
  }

  /** Records, spans and file bytes read, reported per second next to the files per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Output {
    public long records;
    public long spans;
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      records = 0;
      spans = 0;
      bytes = 0;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void readFile(Blackhole blackhole, Output output) throws IOException {
    int records = candidate.read(blackhole::consume);
    if (records != BATCHES) {
      throw new IllegalStateException(reader + " read " + records + " records of " + BATCHES);
    }
    output.records += records;
    output.spans += (long) records * TelemetryData.BATCH_SIZE;
    output.bytes += fileBytes;
  }

  static FileReader create(String name, Path file) {
    switch (name) {
      case "ours_binary":
      case "ours_jsonl":
        return sink -> readOurs(file, record -> sink.accept(record.getRequest()));
      case "ours_binary_sdk":
        return sink -> readOurs(file, record -> sink.accept(record.getSpans()));
      case "limit_binary":
        return sink -> parseBinary(Files.readAllBytes(file), sink);
      case "jsonformat_hex":
        return sink -> parseJsonLines(Files.readAllBytes(file), sink);
      default:
        throw new IllegalArgumentException("unknown reader " + name);
    }
  }

  private static int readOurs(Path file, Consumer<OtlpRecord> sink) {
    int records = 0;
    try (OtlpFileReader reader = OtlpFileReader.open(file)) {
      for (OtlpRecord record : reader) {
        sink.accept(record);
        records++;
      }
      if (reader.getProblemCount() != 0) {
        throw new IllegalStateException("problems reading " + file + ": " + reader.getProblems());
      }
    }
    return records;
  }

  /** The binary limit: 4-byte big-endian length, then the record, parsed where it lies. */
  private static int parseBinary(byte[] bytes, Consumer<Object> sink)
      throws InvalidProtocolBufferException {
    int records = 0;
    int at = 0;
    while (at < bytes.length) {
      int length =
          (bytes[at] & 0xFF) << 24
              | (bytes[at + 1] & 0xFF) << 16
              | (bytes[at + 2] & 0xFF) << 8
              | (bytes[at + 3] & 0xFF);
      at += 4;
      sink.accept(ExportTraceServiceRequest.parser().parseFrom(bytes, at, length));
      at += length;
      records++;
    }
    return records;
  }

  private static int parseJsonLines(byte[] bytes, Consumer<Object> sink)
      throws InvalidProtocolBufferException {
    int records = 0;
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
        start = i + 1;
        if (line.isBlank()) {
          continue;
        }
        String json =
            HEX_ID
                .matcher(line)
                .replaceAll(
                    m ->
                        "\""
                            + m.group(1)
                            + "\":\""
                            + Base64.getEncoder()
                                .encodeToString(HexFormat.of().parseHex(m.group(2)))
                            + "\"");
        ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
        JSON_PARSER.merge(json, builder);
        sink.accept(builder.build());
        records++;
      }
    }
    return records;
  }

  /** Reads the file once with {@code candidate} and compares what it returns with the truth. */
  private static void check(FileReader candidate, Path binary, List<SpanData> batch)
      throws IOException {
    List<Object> expected = new ArrayList<>();
    parseBinary(Files.readAllBytes(binary), expected::add);
    List<Object> actual = new ArrayList<>();
    candidate.read(actual::add);
    if (expected.size() != BATCHES || actual.size() != BATCHES) {
      throw new IllegalStateException(
          "expected " + BATCHES + " records, got " + expected.size() + " / " + actual.size());
    }
    for (int i = 0; i < BATCHES; i++) {
      Object record = actual.get(i);
      if (record instanceof List) {
        @SuppressWarnings("unchecked")
        List<SpanData> spans = (List<SpanData>) record;
        checkSpans(spans, batch, i);
      } else if (!record.equals(expected.get(i))) {
        throw new IllegalStateException(
            "record " + i + " differs from protobuf-java's parse of the binary file");
      }
    }
  }

  private static void checkSpans(List<SpanData> spans, List<SpanData> batch, int record) {
    if (spans.size() != batch.size()) {
      throw new IllegalStateException(
          "record " + record + ": " + spans.size() + " spans of " + batch.size());
    }
    for (int j = 0; j < spans.size(); j++) {
      SpanData read = spans.get(j);
      SpanData written = batch.get(j);
      boolean same =
          read.getSpanContext().equals(written.getSpanContext())
              && read.getParentSpanId().equals(written.getParentSpanId())
              && read.getName().equals(written.getName())
              && read.getKind() == written.getKind()
              && read.getStartEpochNanos() == written.getStartEpochNanos()
              && read.getEndEpochNanos() == written.getEndEpochNanos()
              // The SDK's own span holds its attributes in a map of another class.
              && read.getAttributes().asMap().equals(written.getAttributes().asMap())
              && read.getEvents().size() == written.getEvents().size()
              && read.getStatus().equals(written.getStatus());
      if (!same) {
        throw new IllegalStateException(
            "record " + record + " span " + j + " differs: " + read + " written as " + written);
      }
    }
  }
}
