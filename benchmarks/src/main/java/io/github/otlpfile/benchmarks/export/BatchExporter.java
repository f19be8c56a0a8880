package io.github.otlpfile.benchmarks.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/** Any signal's exporter seen through the two calls the benchmarks make. */
final class BatchExporter<T> {
  private final Function<Collection<T>, CompletableResultCode> export;
  private final Supplier<CompletableResultCode> shutdown;
  private final Closeable extra;

  BatchExporter(
      Function<Collection<T>, CompletableResultCode> export,
      Supplier<CompletableResultCode> shutdown) {
    this(export, shutdown, null);
  }

  /** {@code extra} is closed after shutdown: storage the exporter does not own. */
  BatchExporter(
      Function<Collection<T>, CompletableResultCode> export,
      Supplier<CompletableResultCode> shutdown,
      Closeable extra) {
    this.export = export;
    this.shutdown = shutdown;
    this.extra = extra;
  }

  CompletableResultCode export(Collection<T> batch) {
    return export.apply(batch);
  }

  void shutdown() throws IOException {
    CompletableResultCode result = shutdown.get().join(30, TimeUnit.SECONDS);
    if (!result.isSuccess()) {
      throw new IOException("shutdown failed or timed out");
    }
    if (extra != null) {
      extra.close();
    }
  }
}
