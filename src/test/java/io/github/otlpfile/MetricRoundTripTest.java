package io.github.otlpfile;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.support.ExpectedReadBack;
import io.github.otlpfile.support.OtlpFileChecks;
import io.github.otlpfile.support.ReadBack;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.DoubleUpDownCounter;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongGauge;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Metrics of every kind the SDK produces go through {@code PeriodicMetricReader} into {@link
 * OtlpFileMetricExporter}, in both formats, plain and gzip, both temporalities and both memory
 * modes, are read back with the public {@link OtlpFileReader}, and must equal the collections an
 * {@link InMemoryMetricReader} with the same temporality and aggregation made at the same
 * (injected) clock time. {@link OtlpFileChecks#assertWellFormed} checks the files without the
 * reader.
 *
 * <p>Each run exports three collections with different values, so under {@link
 * MemoryMode#REUSABLE_DATA}, where the SDK overwrites its point objects for the next collection,
 * every record must still hold the values of its own collection.
 */
class MetricRoundTripTest {
  private static final Attributes RED =
      Attributes.of(stringKey("color"), "red", longKey("shard"), 1L);
  private static final Attributes BLUE =
      Attributes.of(stringKey("color"), "blue", booleanKey("canary"), true);
  private static final String SCOPE_NAME = "io.github.otlpfile.roundtrip";
  private static final String SCOPE_SCHEMA = "https://opentelemetry.io/schemas/1.24.0";
  private static final List<Double> LATENCY_BOUNDS = List.of(0.1, 0.5, 1.0, 5.0);
  private static final SpanContext SAMPLED =
      SpanContext.create(
          "4bf92f3577b34da6a3ce929d0e0e4736",
          "00f067aa0ba902b7",
          TraceFlags.getSampled(),
          TraceState.getDefault());

  /** What each instrument is, and so which temporality the exporter's selector gives it. */
  private static final Map<String, InstrumentType> INSTRUMENTS =
      Map.ofEntries(
          Map.entry("requests", InstrumentType.COUNTER),
          Map.entry("bytes.sent", InstrumentType.COUNTER),
          Map.entry("queue.size", InstrumentType.UP_DOWN_COUNTER),
          Map.entry("balance", InstrumentType.UP_DOWN_COUNTER),
          Map.entry("temperature", InstrumentType.GAUGE),
          Map.entry("connections", InstrumentType.GAUGE),
          Map.entry("cpu.utilization", InstrumentType.OBSERVABLE_GAUGE),
          Map.entry("page.faults", InstrumentType.OBSERVABLE_COUNTER),
          Map.entry("threads", InstrumentType.OBSERVABLE_UP_DOWN_COUNTER),
          Map.entry("latency", InstrumentType.HISTOGRAM),
          Map.entry("payload.size", InstrumentType.HISTOGRAM),
          Map.entry("duration", InstrumentType.HISTOGRAM));

  @TempDir Path dir;

  static Stream<Arguments> runs() {
    List<Arguments> runs = new ArrayList<>();
    for (MemoryMode memoryMode : MemoryMode.values()) {
      for (AggregationTemporality temporality : AggregationTemporality.values()) {
        for (OtlpFileFormat format : OtlpFileFormat.values()) {
          for (Compression compression : Compression.values()) {
            runs.add(Arguments.of(format, temporality, memoryMode, compression));
          }
        }
      }
    }
    return runs.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @MethodSource("runs")
  void everyMetricKindSurvivesTheRoundTrip(
      OtlpFileFormat format,
      AggregationTemporality temporality,
      MemoryMode memoryMode,
      Compression compression) {
    OtlpFileMetricExporter exporter =
        OtlpFileMetricExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setCompression(compression)
            // Small files: each collection gets a file of its own, gzipped when closed.
            .setMaxFileSize(1024)
            .setTemporality(temporality)
            .setMemoryMode(memoryMode)
            .setDefaultAggregationSelector(
                DefaultAggregationSelector.getDefault()
                    .with(
                        InstrumentType.HISTOGRAM,
                        Aggregation.base2ExponentialBucketHistogram(20, 20)))
            .build();
    assertThat(exporter.getMemoryMode()).isEqualTo(memoryMode);
    // The reference reader sees what the exporter asked the SDK for, but keeps immutable data.
    InMemoryMetricReader reference =
        InMemoryMetricReader.builder()
            .setAggregationTemporalitySelector(exporter::getAggregationTemporality)
            .setDefaultAggregationSelector(exporter::getDefaultAggregation)
            .build();
    PeriodicMetricReader periodic =
        PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build();
    TestClock clock = TestClock.create(Instant.parse("2024-05-01T12:00:00Z"));
    Resource resource =
        Resource.create(
            Attributes.of(stringKey("service.name"), "round-trip", longKey("pid"), 4242L),
            "https://opentelemetry.io/schemas/1.21.0");
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .setClock(clock)
            .setResource(resource)
            .registerMetricReader(reference)
            .registerMetricReader(periodic)
            // An explicit-bucket histogram by view; other histograms follow the exporter's
            // default aggregation: base-2 exponential.
            .registerView(
                InstrumentSelector.builder().setName("latency").build(),
                View.builder()
                    .setAggregation(Aggregation.explicitBucketHistogram(LATENCY_BOUNDS))
                    .build())
            .build();
    Meter meter =
        provider
            .meterBuilder(SCOPE_NAME)
            .setInstrumentationVersion("3.1.0")
            .setSchemaUrl(SCOPE_SCHEMA)
            .build();
    Instruments instruments = new Instruments(meter);

    List<Collection<MetricData>> expected = new ArrayList<>();
    instruments.recordRound1();
    clock.advance(Duration.ofSeconds(10));
    expected.add(reference.collectAllMetrics());
    assertThat(periodic.forceFlush().join(10, SECONDS).isSuccess()).isTrue();

    instruments.recordRound2();
    clock.advance(Duration.ofSeconds(10));
    expected.add(reference.collectAllMetrics());
    assertThat(periodic.forceFlush().join(10, SECONDS).isSuccess()).isTrue();

    // No new measurements: only cumulative series and asynchronous instruments report.
    instruments.observed.set(400);
    clock.advance(Duration.ofSeconds(10));
    expected.add(reference.collectAllMetrics());
    // Shutdown makes the periodic reader's last collection, at the same clock time.
    assertThat(provider.shutdown().join(10, SECONDS).isSuccess()).isTrue();

    List<Path> files = OtlpFileChecks.assertWellFormed(dir, OtlpSignal.METRICS, format);
    TraceRoundTripTest.assertCompressedAsConfigured(files, compression);
    List<OtlpRecord> read = ReadBack.records(OtlpSignal.METRICS, dir);
    assertThat(read).hasSize(3);
    List<ExportMetricsServiceRequest> records =
        read.stream().map(OtlpRecord::getMetricsRequest).toList();
    assertThat(exporter.getStats().getExportedItems())
        .as("metric items are data points")
        .isEqualTo(read.stream().mapToLong(OtlpRecord::getItemCount).sum());
    long wallClockNow = System.currentTimeMillis() * 1_000_000L;

    for (int round = 0; round < read.size(); round++) {
      // Newer SDKs also report their own telemetry (scope io.opentelemetry.sdk.*) on the same
      // provider; its values differ between readers, so only this test's scope is compared.
      List<MetricData> written =
          read.get(round).getMetrics().stream()
              .filter(m -> m.getInstrumentationScopeInfo().getName().equals(SCOPE_NAME))
              .toList();
      Map<String, MetricData> byName =
          expected.get(round).stream()
              .filter(m -> m.getInstrumentationScopeInfo().getName().equals(SCOPE_NAME))
              .collect(Collectors.toMap(MetricData::getName, Function.identity()));
      assertThat(written.stream().map(MetricData::getName))
          .as("metrics of collection %s", round + 1)
          .containsExactlyInAnyOrderElementsOf(byName.keySet());
      for (MetricData actual : written) {
        MetricData metric = byName.get(actual.getName());
        // The reader's MetricData equals the reference reader's in every getter (resource, scope,
        // type, temporality, every point and exemplar), with two differences that are not the
        // files': each reader lists its points in its own order, and the SDK stamps exemplars
        // with the wall clock, not the provider's clock, so the two readers' exemplars differ in
        // time. Points are matched by attributes, and exemplar times checked against the wall
        // clock, then taken from the file.
        assertThat(actual)
            .as("collection %s, metric %s", round + 1, metric.getName())
            .isEqualTo(
                alignedWith(
                    ExpectedReadBack.metric(metric),
                    actual,
                    wallClockNow - 600_000_000_000L,
                    wallClockNow + 1_000_000_000L));
        assertThat(actual.getInstrumentationScopeInfo().getVersion())
            .as("scope of %s", actual.getName())
            .isEqualTo("3.1.0");
        assertThat(actual.getInstrumentationScopeInfo().getSchemaUrl()).isEqualTo(SCOPE_SCHEMA);
        assertThat(actual.getResource()).isEqualTo(resource);
      }
      List<ResourceMetrics> resourceMetrics = records.get(round).getResourceMetricsList();
      assertThat(resourceMetrics)
          .allSatisfy(
              rm ->
                  assertThat(rm.getSchemaUrl())
                      .isEqualTo("https://opentelemetry.io/schemas/1.21.0"));
      for (ResourceMetrics rm : resourceMetrics) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          if (sm.getScope().getName().equals(SCOPE_NAME)) {
            assertThat(sm.getSchemaUrl()).isEqualTo(SCOPE_SCHEMA);
            assertThat(sm.getScope().getVersion()).isEqualTo("3.1.0");
            sm.getMetricsList().forEach(m -> assertKindAndTemporality(m, exporter));
          }
        }
      }
    }

    // The values the application recorded, independent of the reference reader.
    boolean delta = temporality == AggregationTemporality.DELTA;
    Map<String, Metric> first = byName(records.get(0));
    Map<String, Metric> second = byName(records.get(1));
    assertThat(first.keySet()).containsExactlyInAnyOrderElementsOf(INSTRUMENTS.keySet());
    assertThat(second.keySet()).containsExactlyInAnyOrderElementsOf(INSTRUMENTS.keySet());
    assertThat(point(first.get("requests"), "red").getAsInt()).isEqualTo(5);
    assertThat(point(first.get("requests"), "blue").getAsInt()).isEqualTo(4);
    assertThat(point(second.get("requests"), "red").getAsInt()).isEqualTo(delta ? 10 : 15);
    assertThat(point(first.get("requests"), "red").getExemplarsList())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getAsInt()).isEqualTo(2);
              assertThat(TraceRoundTripTest.hex(e.getTraceId().toByteArray()))
                  .isEqualTo(SAMPLED.getTraceId());
              assertThat(TraceRoundTripTest.hex(e.getSpanId().toByteArray()))
                  .isEqualTo(SAMPLED.getSpanId());
            });
    assertThat(point(first.get("bytes.sent"), "red").getAsDouble()).isEqualTo(1.5);
    assertThat(point(second.get("queue.size"), "red").getAsInt()).isEqualTo(3 - 1 + 5);
    assertThat(point(second.get("balance"), "blue").getAsDouble()).isEqualTo(-2.25);
    assertThat(point(first.get("temperature"), "red").getAsDouble()).isEqualTo(21.5);
    assertThat(point(second.get("temperature"), "red").getAsDouble()).isEqualTo(-3.0);
    assertThat(point(second.get("connections"), "blue").getAsInt()).isEqualTo(12);
    assertThat(point(first.get("cpu.utilization"), "red").getAsDouble()).isEqualTo(0.25);
    assertThat(point(second.get("page.faults"), "red").getAsInt()).isEqualTo(delta ? 200 : 300);
    assertThat(point(byName(records.get(2)).get("threads"), "red").getAsInt()).isEqualTo(400);

    HistogramDataPoint latency =
        first.get("latency").getHistogram().getDataPointsList().stream()
            .filter(p -> p.getAttributesList().toString().contains("red"))
            .findFirst()
            .orElseThrow();
    assertThat(latency.getExplicitBoundsList()).isEqualTo(LATENCY_BOUNDS);
    assertThat(latency.getBucketCountsList()).containsExactly(1L, 1L, 0L, 1L, 1L);
    assertThat(latency.getCount()).isEqualTo(4);
    assertThat(latency.getSum()).isEqualTo(0.05 + 0.3 + 2.0 + 7.0);
    assertThat(latency.getMin()).isEqualTo(0.05);
    assertThat(latency.getMax()).isEqualTo(7.0);
    var duration = first.get("duration").getExponentialHistogram().getDataPoints(0);
    assertThat(duration.getCount()).isEqualTo(4);
    assertThat(duration.getZeroCount()).isEqualTo(1);
    assertThat(duration.getScale()).isBetween(-10, 20);
    assertThat(
            duration.getPositive().getBucketCountsList().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(3);
    assertThat(duration.getMin()).isEqualTo(0.0);
    assertThat(duration.getMax()).isEqualTo(1024.0);
    assertThat(point(first.get("requests"), "red").getTimeUnixNano())
        .isEqualTo(Instant.parse("2024-05-01T12:00:10Z").getEpochSecond() * 1_000_000_000L);
  }

  private static io.opentelemetry.proto.metrics.v1.AggregationTemporality temporality(
      AggregationTemporality temporality) {
    return temporality == AggregationTemporality.DELTA
        ? io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
        : io.opentelemetry.proto.metrics.v1.AggregationTemporality
            .AGGREGATION_TEMPORALITY_CUMULATIVE;
  }

  private static void assertKindAndTemporality(Metric metric, OtlpFileMetricExporter exporter) {
    InstrumentType type = INSTRUMENTS.get(metric.getName());
    assertThat(type).as("instrument of %s", metric.getName()).isNotNull();
    io.opentelemetry.proto.metrics.v1.AggregationTemporality temporality =
        temporality(exporter.getAggregationTemporality(type));
    String name = metric.getName();
    switch (type) {
      case COUNTER, OBSERVABLE_COUNTER, UP_DOWN_COUNTER, OBSERVABLE_UP_DOWN_COUNTER -> {
        assertThat(metric.getDataCase()).as(name).isEqualTo(Metric.DataCase.SUM);
        assertThat(metric.getSum().getIsMonotonic())
            .as(name)
            .isEqualTo(type == InstrumentType.COUNTER || type == InstrumentType.OBSERVABLE_COUNTER);
        assertThat(metric.getSum().getAggregationTemporality()).as(name).isEqualTo(temporality);
      }
      case GAUGE, OBSERVABLE_GAUGE ->
          assertThat(metric.getDataCase()).as(name).isEqualTo(Metric.DataCase.GAUGE);
      default -> {
        if (name.equals("latency")) {
          assertThat(metric.getDataCase()).as(name).isEqualTo(Metric.DataCase.HISTOGRAM);
          assertThat(metric.getHistogram().getAggregationTemporality())
              .as(name)
              .isEqualTo(temporality);
        } else {
          assertThat(metric.getDataCase())
              .as(name)
              .isEqualTo(Metric.DataCase.EXPONENTIAL_HISTOGRAM);
          assertThat(metric.getExponentialHistogram().getAggregationTemporality())
              .as(name)
              .isEqualTo(temporality);
        }
      }
    }
    List<NumberDataPoint> points =
        metric.hasSum()
            ? metric.getSum().getDataPointsList()
            : metric.hasGauge() ? metric.getGauge().getDataPointsList() : List.of();
    boolean longs =
        Stream.of("requests", "queue.size", "connections", "page.faults", "threads")
            .anyMatch(name::equals);
    for (NumberDataPoint point : points) {
      assertThat(point.getValueCase())
          .as(name)
          .isEqualTo(
              longs ? NumberDataPoint.ValueCase.AS_INT : NumberDataPoint.ValueCase.AS_DOUBLE);
    }
  }

  private static Map<String, Metric> byName(ExportMetricsServiceRequest request) {
    return request.getResourceMetricsList().stream()
        .flatMap(rm -> rm.getScopeMetricsList().stream())
        .filter(sm -> sm.getScope().getName().equals(SCOPE_NAME))
        .flatMap(sm -> sm.getMetricsList().stream())
        .collect(Collectors.toMap(Metric::getName, Function.identity()));
  }

  /**
   * {@code expected} with its points in the order of {@code actual}'s (matched by attributes), and
   * each exemplar's time taken from the same exemplar of {@code actual} once it is found between
   * {@code fromNanos} and {@code toNanos}. Everything else is left as it is, for {@code equals}.
   */
  private static MetricData alignedWith(
      MetricData expected, MetricData actual, long fromNanos, long toNanos) {
    List<PointData> points = new ArrayList<>();
    for (PointData actualPoint : actual.getData().getPoints()) {
      List<PointData> matches =
          expected.getData().getPoints().stream()
              .filter(p -> p.getAttributes().equals(actualPoint.getAttributes()))
              .collect(Collectors.toList());
      assertThat(matches)
          .as("expected points of %s with %s", expected.getName(), actualPoint.getAttributes())
          .hasSize(1);
      PointData point = matches.get(0);
      List<? extends ExemplarData> actualExemplars = actualPoint.getExemplars();
      assertThat(actualExemplars)
          .as("exemplars of %s %s", expected.getName(), actualPoint.getAttributes())
          .hasSameSizeAs(point.getExemplars());
      List<ExemplarData> exemplars = new ArrayList<>();
      for (int i = 0; i < actualExemplars.size(); i++) {
        long time = actualExemplars.get(i).getEpochNanos();
        assertThat(time).as("exemplar time").isBetween(fromNanos, toNanos);
        exemplars.add(ExpectedReadBack.withEpochNanos(point.getExemplars().get(i), time));
      }
      points.add(ExpectedReadBack.withExemplars(point, exemplars));
    }
    assertThat(points)
        .as("points of %s", expected.getName())
        .hasSameSizeAs(expected.getData().getPoints());
    return ExpectedReadBack.withPoints(expected, points);
  }

  private static NumberDataPoint point(Metric metric, String color) {
    List<NumberDataPoint> points =
        metric.hasSum()
            ? metric.getSum().getDataPointsList()
            : metric.getGauge().getDataPointsList();
    return points.stream()
        .filter(p -> p.getAttributesList().toString().contains("\"" + color + "\""))
        .findFirst()
        .orElseThrow(() -> new AssertionError(metric.getName() + " has no " + color + " point"));
  }

  /** One instrument of every kind, with the values each collection records. */
  private static final class Instruments {
    final AtomicLong observed = new AtomicLong(100);
    final LongCounter requests;
    final DoubleCounter bytesSent;
    final LongUpDownCounter queueSize;
    final DoubleUpDownCounter balance;
    final DoubleGauge temperature;
    final LongGauge connections;
    final DoubleHistogram latency;
    final LongHistogram payloadSize;
    final DoubleHistogram duration;

    Instruments(Meter meter) {
      requests =
          meter
              .counterBuilder("requests")
              .setDescription("Requests served")
              .setUnit("{request}")
              .build();
      bytesSent = meter.counterBuilder("bytes.sent").ofDoubles().setUnit("By").build();
      queueSize = meter.upDownCounterBuilder("queue.size").setDescription("Queued items").build();
      balance = meter.upDownCounterBuilder("balance").ofDoubles().setUnit("EUR").build();
      temperature = meter.gaugeBuilder("temperature").setUnit("Cel").build();
      connections = meter.gaugeBuilder("connections").ofLongs().build();
      meter
          .gaugeBuilder("cpu.utilization")
          .setUnit("1")
          .buildWithCallback(m -> m.record(observed.get() / 400.0, RED));
      meter.counterBuilder("page.faults").buildWithCallback(m -> m.record(observed.get(), RED));
      meter.upDownCounterBuilder("threads").buildWithCallback(m -> m.record(observed.get(), RED));
      latency =
          meter.histogramBuilder("latency").setUnit("s").setDescription("Request latency").build();
      payloadSize = meter.histogramBuilder("payload.size").ofLongs().setUnit("By").build();
      duration = meter.histogramBuilder("duration").setUnit("ms").build();
    }

    void recordRound1() {
      Context sampled = Context.root().with(Span.wrap(SAMPLED));
      requests.add(3, RED);
      requests.add(2, RED, sampled);
      requests.add(4, BLUE);
      bytesSent.add(1.5, RED);
      bytesSent.add(1e9, BLUE);
      queueSize.add(3, RED);
      queueSize.add(-1, RED);
      balance.add(10.5, BLUE);
      temperature.set(21.5, RED);
      connections.set(4, BLUE);
      for (double value : new double[] {0.05, 0.3, 2.0, 7.0}) {
        latency.record(value, RED);
      }
      latency.record(0.2, BLUE, sampled);
      payloadSize.record(1024, RED);
      payloadSize.record(Long.MAX_VALUE / 2, RED);
      for (double value : new double[] {0.0, 1.0, 3.5, 1024.0}) {
        duration.record(value, BLUE);
      }
      observed.set(100);
    }

    void recordRound2() {
      requests.add(10, RED);
      bytesSent.add(0.25, RED);
      queueSize.add(5, RED);
      balance.add(-12.75, BLUE);
      temperature.set(-3.0, RED);
      connections.set(12, BLUE);
      latency.record(0.7, RED);
      payloadSize.record(1, BLUE);
      duration.record(0.001, BLUE);
      duration.record(5e6, RED);
      observed.set(300);
    }
  }
}
