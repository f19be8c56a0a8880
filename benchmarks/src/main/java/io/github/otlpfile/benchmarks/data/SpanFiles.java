package io.github.otlpfile.benchmarks.data;

import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Input files for the benchmarks that read or convert span files, and their clean-up. */
public final class SpanFiles {
  private SpanFiles() {}

  /**
   * Writes {@code batches} copies of {@code batch} into {@code folder} with this library's
   * exporter, in one file no larger than {@code maxFileSize}, and returns that file.
   */
  public static Path writeOneFile(
      List<SpanData> batch, int batches, Path folder, OtlpFileFormat format, long maxFileSize)
      throws IOException {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(folder)
            .setFormat(format)
            .setDurability(Durability.NONE)
            .setMaxFileSize(maxFileSize)
            .setMaxTotalSize(2 * maxFileSize)
            .build();
    for (int i = 0; i < batches; i++) {
      join(exporter.export(batch), "export " + i);
    }
    join(exporter.shutdown(), "shutdown");
    List<Path> files;
    try (Stream<Path> s = Files.list(folder.resolve("traces"))) {
      files = s.filter(Files::isRegularFile).collect(Collectors.toList());
    }
    if (files.size() != 1) {
      throw new IllegalStateException("expected one " + format + " file, got " + files);
    }
    return files.get(0);
  }

  /** Waits up to 60 s for {@code result}; throws, naming {@code what}, unless it succeeded. */
  public static void join(CompletableResultCode result, String what) {
    if (!result.join(60, TimeUnit.SECONDS).isSuccess()) {
      throw new IllegalStateException(what + " failed or did not complete in 60 s");
    }
  }

  /** Deletes {@code root} and all below it; nothing when it is null or missing. */
  public static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    }
  }
}
