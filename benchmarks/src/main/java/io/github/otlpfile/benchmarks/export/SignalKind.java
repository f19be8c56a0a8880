package io.github.otlpfile.benchmarks.export;

import io.github.otlpfile.OtlpFileExporterBuilder;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileLogRecordExporter;
import io.github.otlpfile.OtlpFileMetricExporter;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.github.otlpfile.benchmarks.data.TelemetryData;
import io.opentelemetry.contrib.disk.buffering.exporters.LogRecordToDiskExporter;
import io.opentelemetry.contrib.disk.buffering.exporters.MetricToDiskExporter;
import io.opentelemetry.contrib.disk.buffering.exporters.SpanToDiskExporter;
import io.opentelemetry.contrib.disk.buffering.storage.impl.FileLogRecordStorage;
import io.opentelemetry.contrib.disk.buffering.storage.impl.FileMetricStorage;
import io.opentelemetry.contrib.disk.buffering.storage.impl.FileSpanStorage;
import io.opentelemetry.contrib.disk.buffering.storage.impl.FileStorageConfiguration;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.logs.LowAllocationLogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.LowAllocationMetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.LowAllocationTraceRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.logging.otlp.internal.logs.OtlpStdoutLogRecordExporter;
import io.opentelemetry.exporter.logging.otlp.internal.metrics.OtlpStdoutMetricExporter;
import io.opentelemetry.exporter.logging.otlp.internal.traces.OtlpStdoutSpanExporter;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.File;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * One signal's data and the ways each candidate exporter is built for it. Every candidate of a
 * signal gets the same list of items.
 */
abstract class SignalKind<T> {
  final String name;

  private SignalKind(String name) {
    this.name = name;
  }

  static SignalKind<?> of(String name) {
    switch (name) {
      case "traces":
        return TRACES;
      case "metrics":
        return METRICS;
      case "logs":
        return LOGS;
      default:
        throw new IllegalArgumentException("unknown signal " + name);
    }
  }

  abstract List<T> data();

  /** Our exporter writing to {@code directory}; {@code gzip} needs {@code setCompression}. */
  abstract BatchExporter<T> ours(Path directory, OtlpFileFormat format, boolean gzip);

  /**
   * OtlpStdout*Exporter of opentelemetry-exporter-logging-otlp writing JSON lines to {@code out}.
   */
  abstract BatchExporter<T> stdout(OutputStream out, MemoryMode memoryMode);

  /** The contrib disk-buffering exporter writing into {@code directory}. */
  abstract BatchExporter<T> contrib(File directory, FileStorageConfiguration configuration);

  /** The regular (one object tree per batch) OTLP request marshaler. */
  abstract Marshaler marshaler(List<T> batch);

  /** A reusable low-allocation marshaler, as our exporter uses. */
  abstract LowAllocation<T> lowAllocation();

  interface LowAllocation<T> {
    Marshaler initialize(List<T> batch);

    void reset();
  }

  static final SignalKind<SpanData> TRACES =
      new SignalKind<SpanData>("traces") {
        @Override
        List<SpanData> data() {
          return TelemetryData.spans();
        }

        @Override
        BatchExporter<SpanData> ours(Path directory, OtlpFileFormat format, boolean gzip) {
          SpanExporter e =
              configure(OtlpFileSpanExporter.builder(), directory, format, gzip).build();
          return new BatchExporter<>(e::export, e::shutdown);
        }

        @Override
        BatchExporter<SpanData> stdout(OutputStream out, MemoryMode memoryMode) {
          SpanExporter e =
              OtlpStdoutSpanExporter.builder().setOutput(out).setMemoryMode(memoryMode).build();
          return new BatchExporter<>(e::export, e::shutdown);
        }

        @Override
        BatchExporter<SpanData> contrib(File directory, FileStorageConfiguration configuration) {
          FileSpanStorage storage = FileSpanStorage.create(directory, configuration);
          SpanExporter e = SpanToDiskExporter.builder(storage).build();
          return new BatchExporter<>(e::export, e::shutdown, storage);
        }

        @Override
        Marshaler marshaler(List<SpanData> batch) {
          return TraceRequestMarshaler.create(batch);
        }

        @Override
        LowAllocation<SpanData> lowAllocation() {
          LowAllocationTraceRequestMarshaler m = new LowAllocationTraceRequestMarshaler();
          return new LowAllocation<SpanData>() {
            @Override
            public Marshaler initialize(List<SpanData> batch) {
              m.initialize(batch);
              return m;
            }

            @Override
            public void reset() {
              m.reset();
            }
          };
        }
      };

  static final SignalKind<MetricData> METRICS =
      new SignalKind<MetricData>("metrics") {
        @Override
        List<MetricData> data() {
          return TelemetryData.metrics();
        }

        @Override
        BatchExporter<MetricData> ours(Path directory, OtlpFileFormat format, boolean gzip) {
          MetricExporter e =
              configure(OtlpFileMetricExporter.builder(), directory, format, gzip).build();
          return new BatchExporter<>(e::export, e::shutdown);
        }

        @Override
        BatchExporter<MetricData> stdout(OutputStream out, MemoryMode memoryMode) {
          MetricExporter e =
              OtlpStdoutMetricExporter.builder().setOutput(out).setMemoryMode(memoryMode).build();
          return new BatchExporter<>(e::export, e::shutdown);
        }

        @Override
        BatchExporter<MetricData> contrib(File directory, FileStorageConfiguration configuration) {
          FileMetricStorage storage = FileMetricStorage.create(directory, configuration);
          MetricExporter e = MetricToDiskExporter.builder(storage).build();
          return new BatchExporter<>(e::export, e::shutdown, storage);
        }

        @Override
        Marshaler marshaler(List<MetricData> batch) {
          return MetricsRequestMarshaler.create(batch);
        }

        @Override
        LowAllocation<MetricData> lowAllocation() {
          LowAllocationMetricsRequestMarshaler m = new LowAllocationMetricsRequestMarshaler();
          return new LowAllocation<MetricData>() {
            @Override
            public Marshaler initialize(List<MetricData> batch) {
              m.initialize(batch);
              return m;
            }

            @Override
            public void reset() {
              m.reset();
            }
          };
        }
      };

  static final SignalKind<LogRecordData> LOGS =
      new SignalKind<LogRecordData>("logs") {
        @Override
        List<LogRecordData> data() {
          return TelemetryData.logs();
        }

        @Override
        BatchExporter<LogRecordData> ours(Path directory, OtlpFileFormat format, boolean gzip) {
          LogRecordExporter e =
              configure(OtlpFileLogRecordExporter.builder(), directory, format, gzip).build();
          return new BatchExporter<>(e::export, e::shutdown);
        }

        @Override
        BatchExporter<LogRecordData> stdout(OutputStream out, MemoryMode memoryMode) {
          LogRecordExporter e =
              OtlpStdoutLogRecordExporter.builder()
                  .setOutput(out)
                  .setMemoryMode(memoryMode)
                  .build();
          return new BatchExporter<>(e::export, e::shutdown);
        }

        @Override
        BatchExporter<LogRecordData> contrib(
            File directory, FileStorageConfiguration configuration) {
          FileLogRecordStorage storage = FileLogRecordStorage.create(directory, configuration);
          LogRecordExporter e = LogRecordToDiskExporter.builder(storage).build();
          return new BatchExporter<>(e::export, e::shutdown, storage);
        }

        @Override
        Marshaler marshaler(List<LogRecordData> batch) {
          return LogsRequestMarshaler.create(batch);
        }

        @Override
        LowAllocation<LogRecordData> lowAllocation() {
          LowAllocationLogsRequestMarshaler m = new LowAllocationLogsRequestMarshaler();
          return new LowAllocation<LogRecordData>() {
            @Override
            public Marshaler initialize(List<LogRecordData> batch) {
              m.initialize(batch);
              return m;
            }

            @Override
            public void reset() {
              m.reset();
            }
          };
        }
      };

  /**
   * The settings every run of our exporter uses: the library defaults, except no fsync (none of the
   * other candidates forces data to disk either).
   */
  private static <B extends OtlpFileExporterBuilder<B>> B configure(
      B builder, Path directory, OtlpFileFormat format, boolean gzip) {
    builder
        .setDirectory(directory)
        .setFormat(format)
        .setDurability(io.github.otlpfile.Durability.NONE)
        .setMaxFileSize(Candidate.OUR_MAX_FILE_SIZE);
    if (gzip) {
      Compression.enableGzip(builder);
    }
    return builder;
  }
}
