package io.github.otlpfile;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.support.ExpectedReadBack;
import io.github.otlpfile.support.OtlpFileChecks;
import io.github.otlpfile.support.ReadBack;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoubleExemplarData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableExponentialHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSummaryData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSummaryPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableValueAtQuantile;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Data that the SDK's public API cannot make (scope attributes, several resources in one batch,
 * negative exponential buckets, summaries) handed straight to the exporters, in both formats, plain
 * and gzip, read back with the public {@link OtlpFileReader}, and compared with {@code equals}.
 * {@link OtlpFileChecks#assertWellFormed} checks the files without the reader.
 */
class DirectExportRoundTripTest {
  private static final long T0 = 1_714_564_800_000_000_000L;
  private static final Resource FRONTEND =
      Resource.create(Attributes.of(stringKey("service.name"), "frontend"), "https://s/1");
  private static final Resource BACKEND =
      Resource.create(TraceRoundTripTest.ALL_TYPES.toBuilder().put("service.name", "b").build());
  private static final InstrumentationScopeInfo RICH_SCOPE =
      InstrumentationScopeInfo.builder("rich")
          .setVersion("4.5.6")
          .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
          .setAttributes(TraceRoundTripTest.ALL_TYPES)
          .build();
  private static final InstrumentationScopeInfo BARE_SCOPE =
      InstrumentationScopeInfo.create("bare");
  private static final SpanContext CONTEXT =
      SpanContext.create(
          "ff000000000000000000000000000041",
          "ff00000000000041",
          TraceFlags.getSampled(),
          TraceState.builder().put("k", "v").build());

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.github.otlpfile.TraceRoundTripTest#formatsAndCompressions")
  void spansOfSeveralResourcesAndScopes(OtlpFileFormat format, Compression compression) {
    List<SpanData> spans =
        List.of(
            span(FRONTEND, RICH_SCOPE, 1),
            span(FRONTEND, BARE_SCOPE, 2),
            span(BACKEND, RICH_SCOPE, 3));
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setCompression(compression)
            .build();
    assertSuccess(exporter.export(spans));
    assertSuccess(exporter.shutdown());

    assertCompressedAsConfigured(
        OtlpFileChecks.assertWellFormed(dir, OtlpSignal.TRACES, format), compression);
    List<SpanData> read = OtlpFileReader.readSpans(dir);
    assertThat(read).hasSize(spans.size());
    for (SpanData span : spans) {
      // Equal in every getter, resource and scope included, but for what ExpectedReadBack says.
      assertThat(read)
          .filteredOn(s -> s.getName().equals(span.getName()))
          .singleElement()
          .isEqualTo(ExpectedReadBack.span(span));
    }
    // The marshaler groups by resource and scope in no fixed order: find the rich scope by name.
    assertThat(
            ReadBack.traceRequests(dir).stream()
                .flatMap(r -> r.getResourceSpansList().stream())
                .flatMap(rs -> rs.getScopeSpansList().stream())
                .filter(ss -> ss.getScope().getName().equals(RICH_SCOPE.getName()))
                .findFirst()
                .orElseThrow()
                .getScope()
                .getAttributesCount())
        .isEqualTo(TraceRoundTripTest.ALL_TYPES.size());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.github.otlpfile.TraceRoundTripTest#formatsAndCompressions")
  void logRecordsOfSeveralResourcesAndScopes(OtlpFileFormat format, Compression compression) {
    List<LogRecordData> logs =
        List.of(
            log(FRONTEND, RICH_SCOPE, 1), log(BACKEND, BARE_SCOPE, 2), log(BACKEND, RICH_SCOPE, 3));
    OtlpFileLogRecordExporter exporter =
        OtlpFileLogRecordExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setCompression(compression)
            .build();
    assertSuccess(exporter.export(logs));
    assertSuccess(exporter.shutdown());

    assertCompressedAsConfigured(
        OtlpFileChecks.assertWellFormed(dir, OtlpSignal.LOGS, format), compression);
    List<LogRecordData> read = OtlpFileReader.readLogRecords(dir);
    assertThat(read).hasSize(logs.size());
    for (LogRecordData log : logs) {
      // Equal in every getter, resource and scope included, but for what ExpectedReadBack says.
      assertThat(read)
          .filteredOn(l -> l.getSeverityText().equals(log.getSeverityText()))
          .singleElement()
          .isEqualTo(ExpectedReadBack.logRecord(log));
    }
    LogRecord first =
        ReadBack.logsRequests(dir).stream()
            .flatMap(r -> r.getResourceLogsList().stream())
            .flatMap(rl -> rl.getScopeLogsList().stream())
            .flatMap(sl -> sl.getLogRecordsList().stream())
            .filter(l -> l.getSeverityText().equals("text-1"))
            .findFirst()
            .orElseThrow();
    assertThat(TraceRoundTripTest.hex(first.getTraceId().toByteArray()))
        .isEqualTo(CONTEXT.getTraceId());
    assertThat(first.getFlags()).isEqualTo(0x01);
  }

  static Stream<Arguments> metricRuns() {
    List<Arguments> runs = new ArrayList<>();
    for (MemoryMode memoryMode : MemoryMode.values()) {
      for (OtlpFileFormat format : OtlpFileFormat.values()) {
        for (Compression compression : Compression.values()) {
          runs.add(Arguments.of(format, compression, memoryMode));
        }
      }
    }
    return runs.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("metricRuns")
  void negativeExponentialBucketsAndSummaries(
      OtlpFileFormat format, Compression compression, MemoryMode memoryMode) {
    MetricData exponential =
        ImmutableMetricData.createExponentialHistogram(
            FRONTEND,
            RICH_SCOPE,
            "temperature.change",
            "Change per reading",
            "Cel",
            ImmutableExponentialHistogramData.create(
                AggregationTemporality.DELTA,
                List.of(
                    ImmutableExponentialHistogramPointData.create(
                        3,
                        -12.5,
                        2,
                        true,
                        -9.0,
                        true,
                        4.0,
                        ImmutableExponentialHistogramBuckets.create(3, 5, List.of(1L, 0L, 2L)),
                        ImmutableExponentialHistogramBuckets.create(3, -2, List.of(4L, 1L)),
                        T0,
                        T0 + 60_000_000_000L,
                        Attributes.of(stringKey("room"), "lab"),
                        List.of(
                            ImmutableDoubleExemplarData.create(
                                Attributes.of(stringKey("sensor"), "s1"),
                                T0 + 5,
                                CONTEXT,
                                -9.0))))));
    MetricData summary =
        ImmutableMetricData.createDoubleSummary(
            BACKEND,
            BARE_SCOPE,
            "rpc.latency",
            "",
            "ms",
            ImmutableSummaryData.create(
                List.of(
                    ImmutableSummaryPointData.create(
                        T0,
                        T0 + 1,
                        Attributes.empty(),
                        10,
                        123.5,
                        List.of(
                            ImmutableValueAtQuantile.create(0.0, 1.0),
                            ImmutableValueAtQuantile.create(0.5, 9.5),
                            ImmutableValueAtQuantile.create(1.0, 40.0))))));
    OtlpFileMetricExporter exporter =
        OtlpFileMetricExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setCompression(compression)
            .setMemoryMode(memoryMode)
            .build();
    assertSuccess(exporter.export(List.of(exponential, summary)));
    assertSuccess(exporter.shutdown());

    assertCompressedAsConfigured(
        OtlpFileChecks.assertWellFormed(dir, OtlpSignal.METRICS, format), compression);
    List<MetricData> read = OtlpFileReader.readMetrics(dir);
    assertThat(read).hasSize(2);
    for (MetricData metric : List.of(exponential, summary)) {
      // Equal in every getter, resource and scope included, but for what ExpectedReadBack says:
      // the exemplar's span context has the default trace state, not CONTEXT's.
      assertThat(read)
          .filteredOn(m -> m.getName().equals(metric.getName()))
          .singleElement()
          .isEqualTo(ExpectedReadBack.metric(metric));
    }
    var point =
        ReadBack.metricsRequests(dir).stream()
            .flatMap(r -> r.getResourceMetricsList().stream())
            .flatMap(rm -> rm.getScopeMetricsList().stream())
            .flatMap(sm -> sm.getMetricsList().stream())
            .filter(Metric::hasExponentialHistogram)
            .findFirst()
            .orElseThrow()
            .getExponentialHistogram()
            .getDataPoints(0);
    assertThat(point.getNegative().getOffset()).isEqualTo(-2);
    assertThat(point.getNegative().getBucketCountsList()).containsExactly(4L, 1L);
    assertThat(point.getSum()).isEqualTo(-12.5);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("io.github.otlpfile.TraceRoundTripTest#formatsAndCompressions")
  void specialDoublesSurviveTheRoundTrip(OtlpFileFormat format, Compression compression) {
    List<Double> values =
        new ArrayList<>(
            List.of(
                Double.NaN,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE,
                -Double.MAX_VALUE));
    if (format == OtlpFileFormat.PROTOBUF) {
      // Only in binary: protobuf-java-util's JsonFormat, the independent JSON check, reads -0.0
      // as 0.0 (it parses through BigDecimal), so it cannot judge -0.0 in JSON.
      values.add(-0.0);
    }
    List<DoublePointData> points = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      points.add(
          ImmutableDoublePointData.create(
              T0,
              T0 + 1,
              Attributes.builder().put("i", (long) i).put("attribute", values.get(i)).build(),
              values.get(i)));
    }
    MetricData gauge =
        ImmutableMetricData.createDoubleGauge(
            FRONTEND, BARE_SCOPE, "special", "", "1", ImmutableGaugeData.create(points));
    OtlpFileMetricExporter exporter =
        OtlpFileMetricExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setCompression(compression)
            .build();
    assertSuccess(exporter.export(List.of(gauge)));
    assertSuccess(exporter.shutdown());

    assertCompressedAsConfigured(
        OtlpFileChecks.assertWellFormed(dir, OtlpSignal.METRICS, format), compression);
    assertThat(OtlpFileReader.readMetrics(dir)).singleElement().isEqualTo(gauge);
    List<Long> written =
        ReadBack.metricsRequests(dir)
            .get(0)
            .getResourceMetrics(0)
            .getScopeMetrics(0)
            .getMetrics(0)
            .getGauge()
            .getDataPointsList()
            .stream()
            .map(p -> Double.doubleToRawLongBits(p.getAsDouble()))
            .toList();
    assertThat(written)
        .containsExactlyElementsOf(values.stream().map(Double::doubleToRawLongBits).toList());
  }

  private static SpanData span(Resource resource, InstrumentationScopeInfo scope, int n) {
    String spanId = String.format("%016x", n);
    return TestSpanData.builder()
        .setSpanContext(
            SpanContext.create(
                CONTEXT.getTraceId(), spanId, TraceFlags.getSampled(), CONTEXT.getTraceState()))
        .setParentSpanContext(n == 1 ? SpanContext.getInvalid() : CONTEXT)
        .setResource(resource)
        .setInstrumentationScopeInfo(scope)
        .setName("direct-" + n)
        .setKind(SpanKind.values()[n % SpanKind.values().length])
        .setStartEpochNanos(T0 + n)
        .setEndEpochNanos(T0 + 1000 + n)
        .setAttributes(TraceRoundTripTest.ALL_TYPES)
        .setTotalAttributeCount(TraceRoundTripTest.ALL_TYPES.size() + n)
        .setEvents(List.of(EventData.create(T0 + 10, "e", Attributes.of(stringKey("a"), "b"), 3)))
        .setTotalRecordedEvents(1 + n)
        .setLinks(List.of(LinkData.create(CONTEXT, Attributes.of(stringKey("l"), "m"), 2)))
        .setTotalRecordedLinks(1)
        .setStatus(StatusData.create(StatusCode.ERROR, "failure " + n))
        .setHasEnded(true)
        .build();
  }

  private static LogRecordData log(Resource resource, InstrumentationScopeInfo scope, int n) {
    return TestLogRecordData.builder()
        .setResource(resource)
        .setInstrumentationScopeInfo(scope)
        .setTimestamp(T0 + n, NANOSECONDS)
        .setObservedTimestamp(T0 + 2 * n, NANOSECONDS)
        .setSpanContext(n == 1 ? CONTEXT : SpanContext.getInvalid())
        .setSeverity(Severity.values()[n * 5])
        .setSeverityText("text-" + n)
        .setBodyValue(Value.of(Value.of(n), Value.of("x")))
        .setAttributes(Attributes.of(stringKey("n"), String.valueOf(n)))
        .setTotalAttributeCount(1 + n)
        .setEventName(n == 3 ? "direct.event" : null)
        .build();
  }

  /** One batch, one file: compressed once the exporter is shut down when so configured. */
  private static void assertCompressedAsConfigured(List<Path> files, Compression compression) {
    assertThat(files)
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.getFileName().toString().endsWith(".gz"))
                    .isEqualTo(compression == Compression.GZIP));
  }

  private static void assertSuccess(CompletableResultCode result) {
    assertThat(result.join(10, SECONDS).isSuccess()).isTrue();
  }
}
