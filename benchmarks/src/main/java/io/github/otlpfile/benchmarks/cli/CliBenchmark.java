package io.github.otlpfile.benchmarks.cli;

import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.github.otlpfile.benchmarks.data.SpanFiles;
import io.github.otlpfile.benchmarks.data.TelemetryData;
import io.github.otlpfile.benchmarks.export.ExportBenchmark;
import io.github.otlpfile.cli.OtlpFileCommand;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@code otlp-file} command on one whole traces file of {@value #BATCHES} records of the
 * suite's 512-span batch, written by our exporter as binary protobuf and as JSON lines at the start
 * of the trial (as {@code ReadBenchmark} makes its files). The commands run in-process through
 * {@link OtlpFileCommand#execute(PrintWriter, PrintWriter, String...)}, their output dropped.
 *
 * <p>Candidates ({@code -p command=}), each on {@code binpb} and {@code jsonl}:
 *
 * <ul>
 *   <li>{@code read_*}: the baseline, {@link OtlpFileReader} alone, {@code getRequest()} of each
 *       record into a blackhole;
 *   <li>{@code stats_*}: {@code otlp-file stats --json FILE};
 *   <li>{@code validate_*}: {@code otlp-file validate FILE};
 *   <li>{@code convert_binpb} (binary in, JSON lines out), {@code convert_jsonl} (JSON lines in,
 *       binary out): {@code otlp-file convert --to ... FILE OUT};
 *   <li>{@code read_export_binpb}, {@code read_export_jsonl}: the convert baselines, the reader
 *       plus our exporter — each record's SDK spans exported by an {@code OtlpFileSpanExporter} of
 *       the other format, every export waited for.
 * </ul>
 *
 * <p>Records per second come out as the secondary metric {@code records}.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class CliBenchmark {
  static final int BATCHES = 32;
  private static final long MAX_FILE_SIZE = 256L * 1024 * 1024;

  @Param({
    "read_binpb",
    "stats_binpb",
    "validate_binpb",
    "read_jsonl",
    "stats_jsonl",
    "validate_jsonl",
    "read_export_binpb",
    "convert_binpb",
    "read_export_jsonl",
    "convert_jsonl"
  })
  public String command;

  private Path directory;
  private Path input;
  private Path output;
  private OtlpFileFormat outputFormat;
  private final PrintWriter dropped = new PrintWriter(Writer.nullWriter());

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    directory = Files.createTempDirectory(ExportBenchmark.baseDirectory(), "cli-" + command + "-");
    OtlpFileFormat inputFormat =
        command.endsWith("jsonl") ? OtlpFileFormat.JSON_LINES : OtlpFileFormat.PROTOBUF;
    outputFormat =
        inputFormat == OtlpFileFormat.JSON_LINES
            ? OtlpFileFormat.PROTOBUF
            : OtlpFileFormat.JSON_LINES;
    try {
      input =
          SpanFiles.writeOneFile(
              TelemetryData.spans(), BATCHES, directory.resolve("in"), inputFormat, MAX_FILE_SIZE);
      output = directory.resolve("out");
      // Check once that the command does the whole work without a problem.
      int records = run(null);
      if (records != BATCHES) {
        throw new IllegalStateException(command + " handled " + records + " of " + BATCHES);
      }
      clearOutput();
    } catch (IOException | RuntimeException e) {
      SpanFiles.deleteTree(directory);
      throw e;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    SpanFiles.deleteTree(directory);
  }

  @TearDown(Level.Invocation)
  public void clearOutput() throws IOException {
    SpanFiles.deleteTree(output);
  }

  /** Records handled, reported per second next to the files per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Output {
    public long records;

    @Setup(Level.Iteration)
    public void reset() {
      records = 0;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void runFile(Blackhole blackhole, Output out) throws IOException {
    blackhole.consume(run(blackhole));
    out.records += BATCHES;
  }

  // Returns the records handled (the command's own count is checked in the setup only).
  private int run(Blackhole blackhole) throws IOException {
    String to = outputFormat == OtlpFileFormat.JSON_LINES ? "jsonl" : "binpb";
    if (command.startsWith("read_export_")) {
      return readAndExport();
    }
    if (command.startsWith("read_")) {
      int records = 0;
      try (OtlpFileReader reader = OtlpFileReader.open(input)) {
        for (OtlpRecord record : reader) {
          if (blackhole != null) {
            blackhole.consume(record.getRequest());
          }
          records++;
        }
      }
      return records;
    }
    String[] args;
    if (command.startsWith("stats_")) {
      args = new String[] {"stats", "--json", input.toString()};
    } else if (command.startsWith("validate_")) {
      args = new String[] {"validate", input.toString()};
    } else {
      args = new String[] {"convert", "--to", to, input.toString(), output.toString()};
    }
    int status = OtlpFileCommand.execute(dropped, dropped, args);
    if (status != 0) {
      throw new IllegalStateException(String.join(" ", args) + " exited with " + status);
    }
    return BATCHES;
  }

  private int readAndExport() {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(output)
            .setFormat(outputFormat)
            .setDurability(Durability.NONE)
            .setMaxFileSize(MAX_FILE_SIZE)
            .setMaxTotalSize(2 * MAX_FILE_SIZE)
            .build();
    int records = 0;
    try (OtlpFileReader reader = OtlpFileReader.open(input)) {
      for (OtlpRecord record : reader) {
        SpanFiles.join(exporter.export(record.getSpans()), "export");
        records++;
      }
    }
    SpanFiles.join(exporter.shutdown(), "shutdown");
    return records;
  }
}
