package io.github.otlpfile.benchmarks.endtoend;

import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.opentelemetry.contrib.disk.buffering.exporters.SpanToDiskExporter;
import io.opentelemetry.contrib.disk.buffering.storage.impl.FileSpanStorage;
import io.opentelemetry.contrib.disk.buffering.storage.impl.FileStorageConfiguration;
import io.opentelemetry.exporter.logging.otlp.internal.traces.OtlpStdoutSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The exporter a {@code BatchSpanProcessor} of {@link EndToEndBenchmark} exports to: one candidate,
 * by name, behind a delegate that counts the spans it is handed and the spans whose export
 * succeeded, so that what the application ended and what reached the exporter can be compared.
 *
 * <ul>
 *   <li>{@code ours_protobuf}, {@code ours_jsonl}: our exporter, library defaults apart from {@code
 *       Durability.NONE}, 64 MiB files (as in the export benchmarks);
 *   <li>{@code contrib_64m}: contrib disk-buffering's {@code SpanToDiskExporter} with 64 MiB files
 *       in a 256 MiB folder;
 *   <li>{@code stdout}: {@code OtlpStdoutSpanExporter} writing JSON lines to a {@code
 *       BufferedOutputStream} over a {@code FileOutputStream}, a new file per iteration;
 *   <li>{@code none}: an exporter that discards what it gets: the cost of the SDK, the batch
 *       processor and the application threads alone.
 * </ul>
 */
final class Sink implements SpanExporter {
  static final long MAX_FILE_SIZE = 64L * 1024 * 1024;

  private final String name;
  private final Path directory;
  private final LongAdder received = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private SpanExporter delegate;
  private FileSpanStorage storage;
  private Path file;
  private int files;

  Sink(String name, Path directory) throws IOException {
    this.name = name;
    this.directory = directory;
    switch (name) {
      case "ours_protobuf":
        delegate = ours(OtlpFileFormat.PROTOBUF);
        break;
      case "ours_jsonl":
        delegate = ours(OtlpFileFormat.JSON_LINES);
        break;
      case "contrib_64m":
        storage =
            FileSpanStorage.create(
                Files.createDirectories(directory.resolve("contrib")).toFile(),
                FileStorageConfiguration.builder()
                    .setMaxFileSize((int) MAX_FILE_SIZE)
                    .setMaxFolderSize((int) (4 * MAX_FILE_SIZE))
                    .build());
        delegate = SpanToDiskExporter.builder(storage).build();
        break;
      case "stdout":
        delegate = stdout();
        break;
      case "none":
        delegate = new Discarding();
        break;
      default:
        throw new IllegalArgumentException("unknown exporter " + name);
    }
  }

  private SpanExporter ours(OtlpFileFormat format) {
    return OtlpFileSpanExporter.builder()
        .setDirectory(directory)
        .setFormat(format)
        .setDurability(Durability.NONE)
        .setMaxFileSize(MAX_FILE_SIZE)
        .build();
  }

  private SpanExporter stdout() throws IOException {
    Files.createDirectories(directory);
    file = directory.resolve("stdout-" + (++files) + ".jsonl");
    return OtlpStdoutSpanExporter.builder()
        .setOutput(new BufferedOutputStream(new FileOutputStream(file.toFile())))
        .build();
  }

  long received() {
    return received.sum();
  }

  long succeeded() {
    return succeeded.sum();
  }

  long failed() {
    return failed.sum();
  }

  /** Called by the batch processor's worker thread only. */
  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> spans) {
    int n = spans.size();
    received.add(n);
    CompletableResultCode result = delegate.export(spans);
    result.whenComplete(
        () -> {
          if (result.isSuccess()) {
            succeeded.add(n);
          } else {
            failed.add(n);
          }
        });
    return result;
  }

  @Override
  public synchronized CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public synchronized CompletableResultCode shutdown() {
    CompletableResultCode result = delegate.shutdown();
    result.join(30, TimeUnit.SECONDS);
    if (storage != null) {
      try {
        storage.close();
      } catch (IOException e) {
        return CompletableResultCode.ofExceptionalFailure(e);
      }
    }
    return result;
  }

  /**
   * Between iterations, with the batch processor flushed and no export in flight: keeps the disk
   * use of a run bounded, as the export benchmarks do. Ours: deletes all but the two newest files
   * (the newest may be open). Stdout: a new file, the old one deleted. Contrib keeps its folder
   * within its own limit.
   */
  synchronized void afterIteration() throws IOException {
    if (name.startsWith("ours_")) {
      deleteAllButNewest(directory, 2);
    } else if (name.equals("stdout")) {
      if (!delegate.shutdown().join(30, TimeUnit.SECONDS).isSuccess()) {
        throw new IOException("stdout exporter did not shut down");
      }
      Files.deleteIfExists(file);
      delegate = stdout();
    }
  }

  private static void deleteAllButNewest(Path root, int keep) throws IOException {
    if (!Files.isDirectory(root)) {
      return;
    }
    List<Path> folders;
    try (Stream<Path> s = Files.walk(root)) {
      folders = s.filter(Files::isDirectory).collect(Collectors.toList());
    }
    for (Path folder : folders) {
      List<Path> regular = new ArrayList<>();
      try (Stream<Path> s = Files.list(folder)) {
        s.filter(Files::isRegularFile)
            .filter(p -> !p.getFileName().toString().startsWith("."))
            .sorted()
            .forEach(regular::add);
      }
      for (int i = 0; i < regular.size() - keep; i++) {
        Files.deleteIfExists(regular.get(i));
      }
    }
  }

  private static final class Discarding implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
