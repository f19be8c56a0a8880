package io.github.otlpfile.support;

import io.github.otlpfile.ExporterStats;
import io.github.otlpfile.OtlpFileExporterBuilder;
import io.github.otlpfile.OtlpFileFormat;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** One signal's exporter under test, seen through the operations all three share. */
public interface SignalFixture<T> {

  /** The exporter's folder name: traces, metrics or logs. */
  String folder();

  /** A new builder of this signal's exporter. */
  OtlpFileExporterBuilder<?> builder();

  /** Builds {@code builder}, which came from {@link #builder()}. */
  Exporter<T> build(OtlpFileExporterBuilder<?> builder);

  /** An item that carries {@code id} so that it can be found in the files. */
  T item(int id);

  /** The ids of every item in the files of {@code signalDirectory}, in file order. */
  List<Integer> readIds(Path signalDirectory, OtlpFileFormat format) throws IOException;

  /** The operations of a built exporter. */
  record Exporter<T>(
      Function<Collection<T>, CompletableResultCode> exporter,
      Supplier<CompletableResultCode> flusher,
      Supplier<CompletableResultCode> shutter,
      Supplier<ExporterStats> stats) {

    public CompletableResultCode export(Collection<T> items) {
      return exporter.apply(items);
    }

    public CompletableResultCode flush() {
      return flusher.get();
    }

    public CompletableResultCode shutdown() {
      return shutter.get();
    }

    public ExporterStats getStats() {
      return stats.get();
    }
  }
}
