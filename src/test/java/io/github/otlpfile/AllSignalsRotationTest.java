package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.internal.file.TestSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rotation, compression, retention and their metrics behave the same for all three signals. */
class AllSignalsRotationTest {
  private static final int BATCHES = 10;
  private static final int MAX_FILES = 3;

  @TempDir Path dir;

  /** One signal's exporter, driven the same way as the others. */
  interface Exporter {
    CompletableResultCode exportBatch(int batch);

    CompletableResultCode shutdown();

    ExporterStats stats();

    static Exporter of(
        IntFunction<CompletableResultCode> exportBatch,
        Supplier<CompletableResultCode> shutdown,
        Supplier<ExporterStats> stats) {
      return new Exporter() {
        @Override
        public CompletableResultCode exportBatch(int batch) {
          return exportBatch.apply(batch);
        }

        @Override
        public CompletableResultCode shutdown() {
          return shutdown.get();
        }

        @Override
        public ExporterStats stats() {
          return stats.get();
        }
      };
    }
  }

  interface Factory {
    Exporter create(Path dir, MeterProvider meterProvider);
  }

  static <B extends OtlpFileExporterBuilder<B>> B configure(
      B builder, Path dir, MeterProvider meterProvider) {
    return builder
        .setDirectory(dir)
        .setCompression(Compression.GZIP)
        .setMaxFileSize(200) // Every batch is larger: one file each.
        .setMaxFiles(MAX_FILES)
        .setMeterProvider(meterProvider);
  }

  static Stream<Arguments> signals() {
    Factory spans =
        (dir, meterProvider) -> {
          OtlpFileSpanExporter exporter =
              configure(OtlpFileSpanExporter.builder(), dir, meterProvider).build();
          return Exporter.of(
              batch -> exporter.export(TestSpans.batch("b" + batch, 5)),
              exporter::shutdown,
              exporter::getStats);
        };
    Factory metrics =
        (dir, meterProvider) -> {
          OtlpFileMetricExporter exporter =
              configure(OtlpFileMetricExporter.builder(), dir, meterProvider).build();
          Collection<MetricData> data = sampleMetrics();
          return Exporter.of(
              batch -> exporter.export(data), exporter::shutdown, exporter::getStats);
        };
    Factory logs =
        (dir, meterProvider) -> {
          OtlpFileLogRecordExporter exporter =
              configure(OtlpFileLogRecordExporter.builder(), dir, meterProvider).build();
          return Exporter.of(
              batch -> {
                List<LogRecordData> records = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                  records.add(
                      TestLogRecordData.builder()
                          .setBody("log " + batch + "-" + i)
                          .setSeverity(Severity.INFO)
                          .setTimestamp(1_700_000_000L + i, TimeUnit.SECONDS)
                          .build());
                }
                return exporter.export(records);
              },
              exporter::shutdown,
              exporter::getStats);
        };
    return Stream.of(
        Arguments.of("traces", spans),
        Arguments.of("metrics", metrics),
        Arguments.of("logs", logs));
  }

  private static Collection<MetricData> sampleMetrics() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider provider =
        SdkMeterProvider.builder().registerMetricReader(reader).build()) {
      for (int i = 0; i < 3; i++) {
        LongCounter counter = provider.get("test").counterBuilder("counter." + i).build();
        counter.add(i + 1, Attributes.of(AttributeKey.stringKey("key"), "value-" + i));
      }
      return reader.collectAllMetrics();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("signals")
  void rotatesCompressesAndRetiresFilesAndPublishesTheCounts(String signal, Factory factory)
      throws IOException {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    SdkMeterProvider meterProvider =
        SdkMeterProvider.builder().registerMetricReader(reader).build();
    Exporter exporter = factory.create(dir, meterProvider);
    for (int i = 0; i < BATCHES; i++) {
      assertThat(exporter.exportBatch(i).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    Map<String, Long> files = fileCounts(reader);
    assertThat(exporter.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    Path folder = dir.resolve(signal);
    List<Path> remaining;
    try (Stream<Path> s = Files.list(folder)) {
      remaining = s.sorted().toList();
    }
    assertThat(remaining).hasSize(MAX_FILES);
    for (Path file : remaining) {
      assertThat(file.getFileName().toString()).startsWith(signal + "-").endsWith(".jsonl.gz");
      assertThat(jsonLines(file)).hasSize(1).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
    }
    ExporterStats stats = exporter.stats();
    assertThat(stats.getFilesCreated()).isEqualTo(BATCHES);
    assertThat(stats.getFilesDeleted()).isEqualTo(BATCHES - MAX_FILES);
    assertThat(files.get("created")).isEqualTo(BATCHES);
    assertThat(files).containsKeys("deleted", "compressed", "compression_failed");
    meterProvider.close();
  }

  private static Map<String, Long> fileCounts(InMemoryMetricReader reader) {
    Map<String, Long> counts = new HashMap<>();
    for (MetricData metric : reader.collectAllMetrics()) {
      if (metric.getName().equals("otlp_file.exporter.files")) {
        for (LongPointData point : metric.getLongSumData().getPoints()) {
          counts.put(
              point.getAttributes().get(AttributeKey.stringKey("otlp_file.action")),
              point.getValue());
        }
      }
    }
    return counts;
  }

  private static List<String> jsonLines(Path gz) throws IOException {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
      return in.lines().toList();
    }
  }
}
