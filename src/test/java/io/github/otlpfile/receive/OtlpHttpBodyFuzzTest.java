package io.github.otlpfile.receive;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the receiver's OTLP/HTTP request decoding: the body as it comes off
 * the connection ({@link OtlpHttpIntake#decodeBody}, with or without gzip) into a signal's intake
 * ({@link OtlpHttpIntake#accept}), for receivers writing JSON lines and binary files. Whatever the
 * bytes, the body is read within the limit or refused as too large or as bad gzip, the request is
 * accepted or refused as malformed (never an exception), a binary body is refused exactly when it
 * does not parse, and every file the receivers wrote reads back without a single problem.
 *
 * <p>The first input byte chooses the signal, the media type, the compression and the receiver; the
 * rest is the body. {@code mvn test} runs the seeds in {@code OtlpHttpBodyFuzzTestInputs}; {@code
 * mvn verify} also fuzzes for a few seconds (see docs/RELIABILITY.md for a longer run).
 */
class OtlpHttpBodyFuzzTest {
  // Small, so that the fuzzer reaches the limit, and inflating past it, with short inputs.
  private static final long MAX_REQUEST_BYTES = 64 * 1024;
  // Decoding 64 KiB takes milliseconds; far longer means the decoding is stuck. The first inputs
  // load (and, when fuzzing, instrument) most classes, which takes seconds: not timed.
  private static final Duration MAX_TIME_PER_INPUT = Duration.ofSeconds(5);
  private static final int UNTIMED_INPUTS = 20;
  private static int inputs;

  private static Path root;
  private static OtlpFileReceiver jsonLines;
  private static OtlpFileReceiver binary;

  @BeforeAll
  static void startReceivers() throws IOException {
    root = Files.createTempDirectory("otlp-receiver-fuzz");
    jsonLines = receiver(root.resolve("jsonl"), OtlpFileFormat.JSON_LINES);
    binary = receiver(root.resolve("binpb"), OtlpFileFormat.PROTOBUF);
  }

  private static OtlpFileReceiver receiver(Path directory, OtlpFileFormat format) {
    // Never started: no port is opened; the intakes write through the same cores as a served one.
    return OtlpFileReceiver.builder()
        .setDirectory(directory)
        .setFormat(format)
        .setMaxRequestBytes(MAX_REQUEST_BYTES)
        .setMaxFileSize(256 * 1024)
        .setMaxFiles(8)
        // Fast: durability is not what this test is about.
        .setDurability(Durability.NONE)
        .setGrpcPort(-1)
        .build();
  }

  @AfterAll
  static void everythingAcceptedReadsBack() throws IOException {
    try {
      assertThat(jsonLines.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(binary.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      long written = 0;
      try (OtlpFileReader reader = OtlpFileReader.builder().setStrict(true).open(root)) {
        for (OtlpRecord record : reader) {
          written += record.getItemCount();
        }
      }
      ReceiverStats stats = jsonLines.getStats();
      assertThat(written)
          .isLessThanOrEqualTo(acceptedItems(stats) + acceptedItems(binary.getStats()));
    } finally {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  private static long acceptedItems(ReceiverStats stats) {
    long items = 0;
    for (OtlpSignal signal : OtlpSignal.values()) {
      items += stats.getAcceptedItems(signal);
    }
    return items;
  }

  @FuzzTest(maxDuration = "20s")
  void decodeBody(byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    int mode = input[0] & 0xFF;
    OtlpSignal signal = OtlpSignal.values()[Math.min(mode & 3, 2)];
    boolean json = (mode & 4) != 0;
    boolean gzipByTest = (mode & 8) != 0;
    boolean gzip = gzipByTest || (mode & 16) != 0;
    OtlpFileReceiver receiver = (mode & 32) != 0 ? binary : jsonLines;
    byte[] content = Arrays.copyOfRange(input, 1, input.length);
    byte[] body = gzipByTest ? gzip(content) : content;

    long start = System.nanoTime();
    OtlpHttpIntake.Body decoded;
    try {
      decoded = OtlpHttpIntake.decodeBody(new ByteArrayInputStream(body), gzip, MAX_REQUEST_BYTES);
    } catch (OtlpHttpIntake.BodyTooLargeException e) {
      assertThat(gzip || body.length > MAX_REQUEST_BYTES).isTrue();
      assertThat(e.getMessage()).contains(Long.toString(MAX_REQUEST_BYTES));
      return;
    } catch (OtlpHttpIntake.BadGzipException e) {
      assertThat(gzip).isTrue();
      assertThat(gzipByTest).as("gzip made by the test is valid").isFalse();
      return;
    }
    assertThat(decoded.length).isBetween(0, (int) MAX_REQUEST_BYTES);
    if (!gzip) {
      assertThat(Arrays.copyOf(decoded.bytes, decoded.length)).isEqualTo(body);
    } else if (gzipByTest) {
      assertThat(Arrays.copyOf(decoded.bytes, decoded.length)).isEqualTo(content);
    }

    SignalIntake.Outcome outcome = OtlpHttpIntake.accept(receiver.intake(signal), decoded, json);
    assertThat(outcome.refusal)
        .isIn(null, ReceiverStats.Refusal.MALFORMED, ReceiverStats.Refusal.TOO_LARGE);
    assertThat(outcome.detail).isNotNull();
    if (!json) {
      boolean parses = parses(signal, decoded);
      assertThat(outcome.refusal == ReceiverStats.Refusal.MALFORMED).isEqualTo(!parses);
    }
    if (++inputs > UNTIMED_INPUTS) {
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(MAX_TIME_PER_INPUT);
    }
  }

  private static boolean parses(OtlpSignal signal, OtlpHttpIntake.Body body) {
    try {
      switch (signal) {
        case TRACES:
          ExportTraceServiceRequest.parser().parseFrom(body.bytes, 0, body.length);
          break;
        case METRICS:
          ExportMetricsServiceRequest.parser().parseFrom(body.bytes, 0, body.length);
          break;
        default:
          ExportLogsServiceRequest.parser().parseFrom(body.bytes, 0, body.length);
      }
      return true;
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
