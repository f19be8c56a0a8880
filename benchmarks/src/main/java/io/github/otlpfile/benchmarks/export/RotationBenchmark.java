package io.github.otlpfile.benchmarks.export;

import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.github.otlpfile.benchmarks.data.TelemetryData;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * How long an export waits for its result, tail included, while files rotate: one batch of 512
 * spans per operation, exported and awaited as the SDK's batch processor does, into 64 MiB files of
 * which the folder keeps 256 MiB, so that about every 200th batch rotates the file and, once the
 * folder is full, an old file is deleted too. Sampled times: the high percentiles are the exports
 * that paid for a rotation.
 *
 * <p>Candidates: {@code ours_on_rotate} (the library's defaults but the size limits: {@code
 * Durability.ON_ROTATE}, {@code PROTOBUF}), {@code ours_none} (the same with {@code
 * Durability.NONE}), {@code contrib_64m} (opentelemetry-disk-buffering with the same file and
 * folder sizes; it writes, rotates and deletes on the caller's thread) and {@code
 * limit_binary_file} (the low-allocation marshaler and one write on the caller's thread, a new file
 * every 64 MiB, none deleted during an iteration).
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class RotationBenchmark {
  static final long FILE_BYTES = Candidate.OUR_MAX_FILE_SIZE;
  static final long FOLDER_BYTES = 4 * FILE_BYTES;

  @Param({"ours_on_rotate", "ours_none", "contrib_64m", "limit_binary_file"})
  public String exporter;

  private Path directory;
  private OtlpFileSpanExporter ours;
  private Candidate<Object> candidate;
  private List<SpanData> batch;

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void setUp() throws IOException {
    batch = TelemetryData.spans();
    directory = Files.createTempDirectory(ExportBenchmark.baseDirectory(), "rotation-");
    switch (exporter) {
      case "ours_on_rotate":
        ours = ours(Durability.ON_ROTATE);
        break;
      case "ours_none":
        ours = ours(Durability.NONE);
        break;
      default:
        candidate =
            Candidate.create(
                (SignalKind<Object>) SignalKind.of("traces"), exporter, directory.resolve("run"));
    }
  }

  private OtlpFileSpanExporter ours(Durability durability) {
    return OtlpFileSpanExporter.builder()
        .setDirectory(directory.resolve("run"))
        .setFormat(OtlpFileFormat.PROTOBUF)
        .setDurability(durability)
        .setMaxFileSize(FILE_BYTES)
        .setMaxTotalSize(FOLDER_BYTES)
        .build();
  }

  /** Ours and contrib keep their folders within 256 MiB themselves; the limit is trimmed here. */
  @TearDown(Level.Iteration)
  public void afterIteration() throws IOException {
    if (candidate != null && exporter.startsWith("limit_")) {
      candidate.afterIteration();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (ours != null) {
      ours.shutdown().join(60, TimeUnit.SECONDS);
    } else {
      candidate.close();
    }
    Candidate.deleteTree(directory);
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @SuppressWarnings("unchecked")
  public void exportAndWait() {
    CompletableResultCode result =
        ours != null ? ours.export(batch) : candidate.export((List<Object>) (List<?>) batch);
    Candidate.join(result, exporter);
  }
}
