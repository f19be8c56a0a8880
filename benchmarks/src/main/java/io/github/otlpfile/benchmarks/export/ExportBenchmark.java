package io.github.otlpfile.benchmarks.export;

import io.github.otlpfile.benchmarks.data.TelemetryData;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * Exporting one batch of 512 items, the same batch for every candidate (see {@link Candidate}).
 *
 * <p>{@link #exportAndWait} is one export whose result is awaited: what the SDK's batch processor
 * does, and the only fair way to compare an exporter that writes on a background thread with ones
 * that write on the caller's. Items/s and bytes/s come out as the secondary metrics {@code items}
 * and {@code bytes}; allocation per batch from {@code -prof gc} ({@code gc.alloc.rate.norm}, which
 * counts every thread, our writer thread included).
 *
 * <p>{@link #exportCall} is the time {@code export()} keeps its caller: the result is awaited
 * outside the measured time, after each call.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class ExportBenchmark {

  @Param({"traces", "metrics", "logs"})
  public String signal;

  @Param({
    "ours_jsonl",
    "ours_protobuf",
    "ours_protobuf_gzip",
    "stdout",
    "stdout_reusable",
    "contrib",
    "contrib_64m",
    "limit_json",
    "limit_json_lowalloc",
    "limit_binary",
    "limit_binary_lowalloc",
    "limit_json_file",
    "limit_binary_file",
    "limit_json_handoff",
    "limit_binary_handoff"
  })
  public String exporter;

  private Path directory;
  private Candidate<Object> candidate;
  private List<Object> batch;
  private long bytesPerBatch;

  /** Where the files go: {@code -Dotlpfile.bench.dir=...}, else the temporary directory. */
  public static Path baseDirectory() throws IOException {
    String configured = System.getProperty("otlpfile.bench.dir");
    Path base =
        configured != null
            ? Paths.get(configured)
            : Paths.get(System.getProperty("java.io.tmpdir"));
    return Files.createDirectories(base);
  }

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void setUp() throws IOException {
    SignalKind<Object> kind = (SignalKind<Object>) SignalKind.of(signal);
    batch = kind.data();
    directory = Files.createTempDirectory(baseDirectory(), "export-" + exporter + "-");
    try {
      bytesPerBatch =
          Candidate.bytesPerBatch(kind, exporter, batch, Files.createTempDirectory(directory, "s"));
      candidate = Candidate.create(kind, exporter, directory.resolve("run"));
    } catch (IOException | RuntimeException e) {
      Candidate.deleteTree(directory); // JMH skips the teardown of a failed setup
      throw e;
    }
  }

  @TearDown(Level.Iteration)
  public void afterIteration() throws IOException {
    candidate.afterIteration();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    candidate.close();
    Candidate.deleteTree(directory);
  }

  /** Items and bytes handled, reported per second next to the batches per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Output {
    public long items;
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      items = 0;
      bytes = 0;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void exportAndWait(Output output) {
    Candidate.join(candidate.export(batch), exporter);
    output.items += TelemetryData.BATCH_SIZE;
    output.bytes += bytesPerBatch;
  }

  /** The result of the last {@link #exportCall}, awaited after the call, outside the timing. */
  @State(Scope.Thread)
  public static class Pending {
    CompletableResultCode result;

    @TearDown(Level.Invocation)
    public void drain() {
      Candidate.join(result, "exportCall");
      result = null;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void exportCall(Pending pending) {
    pending.result = candidate.export(batch);
  }
}
