package io.github.otlpfile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.CircuitState;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exporter's counters published as OpenTelemetry metrics. */
class ExporterMetricsTest {
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider meterProvider =
      SdkMeterProvider.builder().registerMetricReader(reader).build();

  @AfterEach
  void closeProvider() {
    meterProvider.close();
  }

  @Test
  void publishesTheItemBytesAndFileCountersOfTheSignal() {
    ExporterCounters counters = new ExporterCounters();
    add(counters.exportedItems, 1);
    add(counters.droppedItems, 2);
    add(counters.failedItems, 3);
    add(counters.forwardedItems, 4);
    add(counters.forwardFailedItems, 5);
    add(counters.forwardSkippedItems, 6);
    add(counters.forwardCaughtUpItems, 7);
    add(counters.bytesWritten, 1234);
    add(counters.filesCreated, 8);
    add(counters.filesDeleted, 9);
    add(counters.filesCompressed, 10);
    add(counters.compressionFailures, 11);
    new ExporterMetrics(meterProvider, Signal.LOGS, counters);

    Map<String, Map<String, Long>> metrics = longPoints(reader.collectAllMetrics());

    // Without catch-up, no catch-up outcomes; without forwarding, no circuit transitions.
    Map<String, Long> items = new TreeMap<>();
    items.put("logs/exported", 1L);
    items.put("logs/dropped", 2L);
    items.put("logs/failed", 3L);
    items.put("logs/forwarded", 4L);
    items.put("logs/forward_failed", 5L);
    items.put("logs/forward_skipped", 6L);
    assertThat(metrics.get("otlp_file.exporter.items")).isEqualTo(items);
    assertThat(metrics.get("otlp_file.exporter.bytes")).containsExactly(Map.entry("logs", 1234L));
    Map<String, Long> files = new TreeMap<>();
    files.put("logs/created", 8L);
    files.put("logs/deleted", 9L);
    files.put("logs/compressed", 10L);
    files.put("logs/compression_failed", 11L);
    assertThat(metrics.get("otlp_file.exporter.files")).isEqualTo(files);
    assertThat(metrics)
        .doesNotContainKeys(
            "otlp_file.forward.circuit.transitions",
            "otlp_file.forward.backlog.items",
            "otlp_file.forward.backlog.bytes",
            "otlp_file.forward.backlog.age");
    assertThat(reader.collectAllMetrics())
        .allSatisfy(
            m ->
                assertThat(m.getInstrumentationScopeInfo().getName())
                    .isEqualTo("io.github.otlpfile"));
  }

  @Test
  void publishesCatchUpOutcomesTheBacklogAndCircuitTransitionsWhenForwarding() {
    ExporterCounters counters = new ExporterCounters();
    add(counters.forwardCaughtUpItems, 1);
    add(counters.forwardRejectedItems, 2);
    add(counters.forwardExpiredItems, 3);
    add(counters.forwardFoundItems, 4);
    add(counters.circuitOpened, 5);
    add(counters.circuitHalfOpened, 6);
    add(counters.circuitClosed, 7);
    long oldest = System.currentTimeMillis() - 90_000;
    counters.setBacklog(
        new ExporterCounters.Backlog() {
          @Override
          public long items() {
            return 20;
          }

          @Override
          public long bytes() {
            return 4096;
          }

          @Override
          public long oldestMillis() {
            return oldest;
          }
        });
    counters.setCircuitStateSupplier(() -> CircuitState.OPEN);
    new ExporterMetrics(meterProvider, Signal.TRACES, counters);

    Collection<MetricData> collected = reader.collectAllMetrics();
    Map<String, Map<String, Long>> metrics = longPoints(collected);

    assertThat(metrics.get("otlp_file.exporter.items"))
        .containsEntry("traces/forward_caught_up", 1L)
        .containsEntry("traces/forward_rejected", 2L)
        .containsEntry("traces/forward_expired", 3L)
        .containsEntry("traces/forward_found", 4L)
        .containsEntry("traces/exported", 0L)
        .hasSize(10);
    Map<String, Long> transitions = new TreeMap<>();
    transitions.put("traces/open", 5L);
    transitions.put("traces/half_open", 6L);
    transitions.put("traces/closed", 7L);
    assertThat(metrics.get("otlp_file.forward.circuit.transitions")).isEqualTo(transitions);
    // Own backlog plus the items found and not settled.
    assertThat(metrics.get("otlp_file.forward.backlog.items"))
        .containsExactly(Map.entry("traces", 24L));
    assertThat(metrics.get("otlp_file.forward.backlog.bytes"))
        .containsExactly(Map.entry("traces", 4096L));
    MetricData age = find(collected, "otlp_file.forward.backlog.age");
    assertThat(age.getUnit()).isEqualTo("s");
    DoublePointData point = age.getDoubleGaugeData().getPoints().iterator().next();
    assertThat(point.getAttributes()).isEqualTo(Attributes.of(ExporterMetrics.SIGNAL, "traces"));
    // In seconds, not milliseconds.
    assertThat(point.getValue()).isBetween(90.0, 3600.0);
  }

  @Test
  void closingStopsPublishing() {
    ExporterCounters counters = new ExporterCounters();
    counters.setBacklog(
        new ExporterCounters.Backlog() {
          @Override
          public long items() {
            return 1;
          }

          @Override
          public long bytes() {
            return 1;
          }

          @Override
          public long oldestMillis() {
            return Long.MAX_VALUE;
          }
        });
    counters.setCircuitStateSupplier(() -> CircuitState.CLOSED);
    ExporterMetrics metrics = new ExporterMetrics(meterProvider, Signal.METRICS, counters);
    assertThat(reader.collectAllMetrics())
        .extracting(MetricData::getName)
        .containsExactlyInAnyOrder(
            "otlp_file.exporter.items",
            "otlp_file.exporter.bytes",
            "otlp_file.exporter.files",
            "otlp_file.forward.circuit.transitions",
            "otlp_file.forward.backlog.items",
            "otlp_file.forward.backlog.bytes",
            "otlp_file.forward.backlog.age");

    metrics.close();

    assertThat(reader.collectAllMetrics()).isEmpty();
  }

  private static void add(LongAdder adder, long value) {
    adder.add(value);
  }

  private static MetricData find(Collection<MetricData> metrics, String name) {
    return metrics.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }

  /**
   * The long points of each metric, keyed by "signal" or "signal/value" of the one attribute that
   * tells them apart.
   */
  private static Map<String, Map<String, Long>> longPoints(Collection<MetricData> metrics) {
    Map<String, Map<String, Long>> byName = new HashMap<>();
    for (MetricData metric : metrics) {
      Collection<? extends LongPointData> points;
      switch (metric.getType()) {
        case LONG_SUM:
          points = metric.getLongSumData().getPoints();
          break;
        case LONG_GAUGE:
          points = metric.getLongGaugeData().getPoints();
          break;
        default:
          continue;
      }
      Map<String, Long> values = new TreeMap<>();
      for (LongPointData point : points) {
        values.put(key(point.getAttributes()), point.getValue());
      }
      byName.put(metric.getName(), values);
    }
    return byName;
  }

  private static String key(Attributes attributes) {
    String signal = attributes.get(ExporterMetrics.SIGNAL);
    for (AttributeKey<String> other :
        java.util.List.of(
            ExporterMetrics.OUTCOME, ExporterMetrics.ACTION, ExporterMetrics.CIRCUIT_STATE)) {
      String value = attributes.get(other);
      if (value != null) {
        assertThat(attributes.size()).isEqualTo(2);
        return signal + "/" + value;
      }
    }
    assertThat(attributes.size()).isEqualTo(1);
    return signal;
  }
}
