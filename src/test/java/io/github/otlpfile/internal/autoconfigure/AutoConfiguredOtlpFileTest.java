package io.github.otlpfile.internal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.support.FileListing;
import io.github.otlpfile.support.ReadBack;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole path: properties → AutoConfiguredOpenTelemetrySdk → providers → files. */
class AutoConfiguredOtlpFileTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"jsonl", "binpb"})
  void everySignalIsWrittenInTheConfiguredFormat(String format) throws Exception {
    OpenTelemetrySdk sdk =
        start(
            Map.of(
                "otel.exporter.otlp.file.directory",
                dir.toString(),
                "otel.exporter.otlp.file.format",
                format));
    emit(sdk);
    shutdown(sdk);

    for (String signal : List.of("traces", "metrics", "logs")) {
      assertThat(FileListing.files(dir.resolve(signal)))
          .as(signal)
          .singleElement()
          .satisfies(f -> assertThat(f.getFileName().toString()).endsWith("." + format));
    }
    assertThat(ReadBack.traceRequests(dir))
        .flatMap(r -> r.getResourceSpansList())
        .satisfiesOnlyOnce(
            rs -> {
              assertThat(rs.getResource().getAttributesList())
                  .contains(serviceName("autoconfigure-test"));
              assertThat(rs.getScopeSpans(0).getSpans(0).getName()).isEqualTo("test-span");
            });
    assertThat(
            metric(ReadBack.metricsRequests(dir), "test.counter")
                .getSum()
                .getDataPoints(0)
                .getAsInt())
        .isEqualTo(5);
    assertThat(ReadBack.logsRequests(dir))
        .flatMap(r -> r.getResourceLogsList())
        .flatMap(rl -> rl.getScopeLogsList())
        .flatMap(sl -> sl.getLogRecordsList())
        .singleElement()
        .satisfies(l -> assertThat(l.getBody().getStringValue()).isEqualTo("test-log"));
  }

  @Test
  void defaultsToCumulativeLikeTheOtlpExporter() throws Exception {
    OpenTelemetrySdk sdk = start(Map.of("otel.exporter.otlp.file.directory", dir.toString()));
    emit(sdk);
    shutdown(sdk);

    List<ExportMetricsServiceRequest> metrics = ReadBack.metricsRequests(dir);
    assertThat(metric(metrics, "test.counter").getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(metric(metrics, "test.histogram").getHistogram().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(FileListing.files(dir.resolve("metrics")).get(0).getFileName().toString())
        .endsWith(".jsonl");
  }

  @Test
  void deltaPreferenceAndExponentialHistogramsAreRecordedInTheFile() throws Exception {
    OpenTelemetrySdk sdk =
        start(
            Map.of(
                "otel.exporter.otlp.file.directory", dir.toString(),
                "otel.exporter.otlp.metrics.temporality.preference", "delta",
                "otel.exporter.otlp.metrics.default.histogram.aggregation",
                    "base2_exponential_bucket_histogram"));
    emit(sdk);
    shutdown(sdk);

    List<ExportMetricsServiceRequest> metrics = ReadBack.metricsRequests(dir);
    assertThat(metric(metrics, "test.counter").getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    // As in the SDK's OTLP exporter, "delta" keeps up-down counters cumulative.
    assertThat(metric(metrics, "test.updown").getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    Metric histogram = metric(metrics, "test.histogram");
    assertThat(histogram.hasExponentialHistogram()).isTrue();
    assertThat(histogram.getExponentialHistogram().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
  }

  @Test
  void lowMemoryPreferenceIsRecordedInTheFile() throws Exception {
    OpenTelemetrySdk sdk =
        start(
            Map.of(
                "otel.exporter.otlp.file.directory",
                dir.toString(),
                "otel.exporter.otlp.metrics.temporality.preference",
                "LowMemory"));
    Meter meter = sdk.getMeter("test");
    meter.counterBuilder("test.counter").build().add(1);
    meter.counterBuilder("test.async.counter").buildWithCallback(m -> m.record(7));
    shutdown(sdk);

    List<ExportMetricsServiceRequest> metrics = ReadBack.metricsRequests(dir);
    assertThat(metric(metrics, "test.counter").getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    assertThat(metric(metrics, "test.async.counter").getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
  }

  @Test
  void perSignalPropertiesOverrideTheSharedOnes() throws Exception {
    Path tracesDir = dir.resolve("elsewhere");
    OpenTelemetrySdk sdk =
        start(
            Map.of(
                "otel.exporter.otlp.file.directory", dir.toString(),
                "otel.exporter.otlp.file.format", "jsonl",
                "otel.exporter.otlp.file.traces.directory", tracesDir.toString(),
                "otel.exporter.otlp.file.traces.format", "binpb",
                "otel.exporter.otlp.file.logs.format", "binpb"));
    emit(sdk);
    shutdown(sdk);

    assertThat(FileListing.files(dir.resolve("traces"))).isEmpty();
    assertThat(FileListing.files(tracesDir.resolve("traces")))
        .singleElement()
        .satisfies(f -> assertThat(f.toString()).endsWith(".binpb"));
    assertThat(ReadBack.traceRequests(tracesDir)).hasSize(1);
    assertThat(FileListing.files(dir.resolve("metrics")))
        .singleElement()
        .satisfies(f -> assertThat(f.toString()).endsWith(".jsonl"));
    assertThat(FileListing.files(dir.resolve("logs")))
        .singleElement()
        .satisfies(f -> assertThat(f.toString()).endsWith(".binpb"));
  }

  @Test
  void aBadValueStopsStartupNamingThePropertyAndValue() {
    assertThatThrownBy(
            () ->
                start(
                    Map.of(
                        "otel.exporter.otlp.file.directory",
                        dir.toString(),
                        "otel.exporter.otlp.file.metrics.overflow.policy",
                        "wait")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otel.exporter.otlp.file.metrics.overflow.policy=wait")
        .hasMessageContaining("drop, block");
  }

  @Test
  void aDirectoryThatCannotBeCreatedStopsStartup() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    assertThatThrownBy(() -> start(Map.of("otel.exporter.otlp.file.directory", file.toString())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("otlp-file")
        .hasMessageContaining(file.toString());
  }

  private static OpenTelemetrySdk start(Map<String, String> properties) {
    Map<String, String> all = new HashMap<>();
    all.put("otel.traces.exporter", "otlp-file");
    all.put("otel.metrics.exporter", "otlp-file");
    all.put("otel.logs.exporter", "otlp-file");
    all.put("otel.service.name", "autoconfigure-test");
    // Metrics are collected once, at shutdown.
    all.put("otel.metric.export.interval", "1h");
    all.putAll(properties);
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> all)
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
  }

  private static void emit(OpenTelemetry otel) {
    otel.getTracer("test").spanBuilder("test-span").startSpan().end();
    Meter meter = otel.getMeter("test");
    meter.counterBuilder("test.counter").build().add(5);
    meter.upDownCounterBuilder("test.updown").build().add(2);
    meter.histogramBuilder("test.histogram").build().record(1.5);
    otel.getLogsBridge().get("test").logRecordBuilder().setBody("test-log").emit();
  }

  private static void shutdown(OpenTelemetrySdk sdk) {
    assertThat(sdk.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  private static Metric metric(List<ExportMetricsServiceRequest> requests, String name) {
    return requests.stream()
        .flatMap(r -> r.getResourceMetricsList().stream())
        .flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream())
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + requests));
  }

  private static KeyValue serviceName(String name) {
    return KeyValue.newBuilder()
        .setKey("service.name")
        .setValue(
            io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(name).build())
        .build();
  }
}
