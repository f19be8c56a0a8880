package io.github.otlpfile.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The read data's {@code equals} looks at every part: each variant that changes one field of the
 * proto message reads back unequal, and equal content reads back with equal hash codes.
 */
class ProtoToSdkEqualityTest {
  private static final ByteString TRACE_ID = bytes(16, 0x11);
  private static final ByteString SPAN_ID = bytes(8, 0x22);

  @Test
  void metricsDifferInEveryPart() {
    List<Metric> bases = List.of(longGauge(), doubleSum(), histogram(), exponential(), summary());
    for (Metric base : bases) {
      MetricData read = metric(base);
      assertThat(read).isEqualTo(metric(base)).hasSameHashCodeAs(metric(base));
      for (PointData point : read.getData().getPoints()) {
        PointData again = metric(base).getData().getPoints().iterator().next();
        assertThat(point).isEqualTo(again).hasSameHashCodeAs(again).isNotEqualTo("other");
      }
      assertThat(read).isNotEqualTo(metric(base.toBuilder().setName("other").build()));
      assertThat(read).isNotEqualTo(metric(base.toBuilder().setUnit("other").build()));
      assertThat(read).isNotEqualTo(metric(base.toBuilder().setDescription("other").build()));
      assertThat(read).isNotEqualTo("not a metric");
    }
    List<UnaryOperator<Metric.Builder>> gaugeVariants =
        List.of(
            m -> m.setGauge(Gauge.newBuilder().addDataPoints(number().setAsInt(99))),
            m -> m.setGauge(Gauge.newBuilder().addDataPoints(number().setAsDouble(5))),
            m -> m.setGauge(Gauge.newBuilder().addDataPoints(number().setTimeUnixNano(9))),
            m -> m.setGauge(Gauge.newBuilder().addDataPoints(number().setStartTimeUnixNano(9))),
            m -> m.setGauge(Gauge.newBuilder().addDataPoints(number().addAttributes(kv("x")))),
            m -> m.setGauge(Gauge.newBuilder().addDataPoints(number()).addDataPoints(number())),
            m -> m.setGauge(Gauge.newBuilder().addDataPoints(number().clearExemplars())),
            m ->
                m.setGauge(
                    Gauge.newBuilder()
                        .addDataPoints(
                            number().setExemplars(0, exemplar().setAsInt(8).setTimeUnixNano(2)))),
            m ->
                m.setGauge(
                    Gauge.newBuilder()
                        .addDataPoints(number().setExemplars(0, exemplar().setAsInt(9)))),
            m ->
                m.setGauge(
                    Gauge.newBuilder()
                        .addDataPoints(
                            number().setExemplars(0, exemplar().setSpanId(bytes(8, 1))))),
            m ->
                m.setGauge(
                    Gauge.newBuilder()
                        .addDataPoints(
                            number().setExemplars(0, exemplar().addFilteredAttributes(kv("f"))))),
            m -> m.setSum(Sum.newBuilder().addDataPoints(number())));
    assertVariantsDiffer(longGauge(), gaugeVariants);

    assertVariantsDiffer(
        doubleSum(),
        List.of(
            m -> m.setSum(m.getSum().toBuilder().setIsMonotonic(false)),
            m -> m.setSum(m.getSum().toBuilder().setAggregationTemporalityValue(1)),
            m ->
                m.setSum(
                    m.getSum().toBuilder()
                        .setDataPoints(0, number().setAsDouble(2.5).clearExemplars()))));

    HistogramDataPoint h = histogram().getHistogram().getDataPoints(0);
    assertVariantsDiffer(
        histogram(),
        List.of(
            m -> m.setHistogram(m.getHistogram().toBuilder().setAggregationTemporalityValue(1)),
            m -> m.setHistogram(histogramWith(h.toBuilder().setSum(9))),
            m -> m.setHistogram(histogramWith(h.toBuilder().setCount(9))),
            m -> m.setHistogram(histogramWith(h.toBuilder().setMin(-9))),
            m -> m.setHistogram(histogramWith(h.toBuilder().clearMax())),
            m -> m.setHistogram(histogramWith(h.toBuilder().setExplicitBounds(0, 3))),
            m -> m.setHistogram(histogramWith(h.toBuilder().setBucketCounts(0, 3))),
            m ->
                m.setHistogram(
                    histogramWith(h.toBuilder().setExemplars(0, exemplar().setAsDouble(0.5))))));

    ExponentialHistogramDataPoint e = exponential().getExponentialHistogram().getDataPoints(0);
    assertVariantsDiffer(
        exponential(),
        List.of(
            m ->
                m.setExponentialHistogram(
                    m.getExponentialHistogram().toBuilder().setAggregationTemporalityValue(1)),
            m -> m.setExponentialHistogram(exponentialWith(e.toBuilder().setScale(1))),
            m -> m.setExponentialHistogram(exponentialWith(e.toBuilder().setSum(1))),
            m -> m.setExponentialHistogram(exponentialWith(e.toBuilder().setZeroCount(7))),
            m -> m.setExponentialHistogram(exponentialWith(e.toBuilder().clearMin())),
            m -> m.setExponentialHistogram(exponentialWith(e.toBuilder().setMax(100))),
            m ->
                m.setExponentialHistogram(
                    exponentialWith(
                        e.toBuilder().setPositive(e.getPositive().toBuilder().setOffset(4)))),
            m ->
                m.setExponentialHistogram(
                    exponentialWith(
                        e.toBuilder()
                            .setNegative(e.getNegative().toBuilder().setBucketCounts(0, 9))))));

    SummaryDataPoint s = summary().getSummary().getDataPoints(0);
    assertVariantsDiffer(
        summary(),
        List.of(
            m -> m.setSummary(Summary.newBuilder().addDataPoints(s.toBuilder().setCount(1))),
            m -> m.setSummary(Summary.newBuilder().addDataPoints(s.toBuilder().setSum(1))),
            m ->
                m.setSummary(
                    Summary.newBuilder().addDataPoints(s.toBuilder().clearQuantileValues())),
            m ->
                m.setSummary(
                    Summary.newBuilder()
                        .addDataPoints(
                            s.toBuilder()
                                .setQuantileValues(
                                    0, s.getQuantileValues(0).toBuilder().setValue(3)))),
            m ->
                m.setSummary(
                    Summary.newBuilder()
                        .addDataPoints(
                            s.toBuilder()
                                .setQuantileValues(
                                    0, s.getQuantileValues(0).toBuilder().setQuantile(0.9))))));
  }

  @Test
  void spansDifferInEveryPart() {
    Span base =
        Span.newBuilder()
            .setTraceId(TRACE_ID)
            .setSpanId(SPAN_ID)
            .setParentSpanId(bytes(8, 0x33))
            .setFlags(0x301)
            .setName("s")
            .setKindValue(2)
            .setStartTimeUnixNano(1)
            .setEndTimeUnixNano(2)
            .addAttributes(kv("a"))
            .addEvents(
                Span.Event.newBuilder().setName("e").setTimeUnixNano(1).addAttributes(kv("k")))
            .addLinks(Span.Link.newBuilder().setTraceId(TRACE_ID).setSpanId(bytes(8, 4)))
            .setStatus(Status.newBuilder().setCodeValue(2).setMessage("m"))
            .build();
    SpanData read = span(base);
    assertThat(read).isEqualTo(span(base)).hasSameHashCodeAs(span(base));
    List<UnaryOperator<Span.Builder>> variants =
        List.of(
            b -> b.setName("t"),
            b -> b.setKindValue(3),
            b -> b.setStartTimeUnixNano(5),
            b -> b.setEndTimeUnixNano(5),
            b -> b.setFlags(0),
            b -> b.setSpanId(bytes(8, 9)),
            b -> b.setParentSpanId(bytes(8, 9)),
            b -> b.setTraceState("a=b"),
            b -> b.setDroppedAttributesCount(1),
            b -> b.setDroppedEventsCount(1),
            b -> b.setDroppedLinksCount(1),
            b -> b.addAttributes(kv("z")),
            b -> b.setStatus(Status.newBuilder().setCodeValue(2)),
            b -> b.setStatus(Status.newBuilder().setCodeValue(1).setMessage("m")),
            b -> b.setEvents(0, b.getEvents(0).toBuilder().setName("f")),
            b -> b.setEvents(0, b.getEvents(0).toBuilder().setTimeUnixNano(7)),
            b -> b.setEvents(0, b.getEvents(0).toBuilder().setDroppedAttributesCount(2)),
            b -> b.setEvents(0, b.getEvents(0).toBuilder().clearAttributes()),
            b -> b.addEvents(b.getEvents(0)),
            b -> b.setLinks(0, b.getLinks(0).toBuilder().setSpanId(bytes(8, 5))),
            b -> b.setLinks(0, b.getLinks(0).toBuilder().addAttributes(kv("l"))),
            b -> b.setLinks(0, b.getLinks(0).toBuilder().setDroppedAttributesCount(3)),
            b -> b.addLinks(b.getLinks(0)));
    for (UnaryOperator<Span.Builder> variant : variants) {
      assertThat(read).isNotEqualTo(span(variant.apply(base.toBuilder()).build()));
    }
  }

  @Test
  void logRecordsDifferInEveryPart() {
    LogRecord base =
        LogRecord.newBuilder()
            .setTimeUnixNano(1)
            .setObservedTimeUnixNano(2)
            .setSeverityNumberValue(9)
            .setSeverityText("INFO")
            .setBody(AnyValue.newBuilder().setStringValue("body"))
            .addAttributes(kv("a"))
            .setTraceId(TRACE_ID)
            .setSpanId(SPAN_ID)
            .setFlags(1)
            .setEventName("e")
            .build();
    LogRecordData read = log(base);
    assertThat(read).isEqualTo(log(base)).hasSameHashCodeAs(log(base));
    List<UnaryOperator<LogRecord.Builder>> variants =
        List.of(
            b -> b.setTimeUnixNano(5),
            b -> b.setObservedTimeUnixNano(5),
            b -> b.setSeverityNumberValue(10),
            b -> b.setSeverityText("WARN"),
            b -> b.setBody(AnyValue.newBuilder().setStringValue("other")),
            b -> b.setBody(AnyValue.newBuilder().setIntValue(1)),
            b -> b.clearBody(),
            b -> b.addAttributes(kv("z")),
            b -> b.setDroppedAttributesCount(1),
            b -> b.setFlags(0),
            b -> b.setSpanId(bytes(8, 7)),
            b -> b.setEventName("f"));
    for (UnaryOperator<LogRecord.Builder> variant : variants) {
      assertThat(read).isNotEqualTo(log(variant.apply(base.toBuilder()).build()));
    }
  }

  // ---- fixtures

  private static void assertVariantsDiffer(Metric base, List<UnaryOperator<Metric.Builder>> list) {
    MetricData read = metric(base);
    for (UnaryOperator<Metric.Builder> variant : list) {
      MetricData other = metric(variant.apply(base.toBuilder()).build());
      assertThat(read).isNotEqualTo(other);
    }
  }

  private static Metric longGauge() {
    return Metric.newBuilder()
        .setName("g")
        .setGauge(Gauge.newBuilder().addDataPoints(number()))
        .build();
  }

  private static Metric doubleSum() {
    return Metric.newBuilder()
        .setName("s")
        .setSum(
            Sum.newBuilder()
                .setIsMonotonic(true)
                .setAggregationTemporalityValue(2)
                .addDataPoints(number().setAsDouble(1.5)))
        .build();
  }

  private static Metric histogram() {
    return Metric.newBuilder()
        .setName("h")
        .setHistogram(
            histogramWith(
                HistogramDataPoint.newBuilder()
                    .setStartTimeUnixNano(1)
                    .setTimeUnixNano(2)
                    .setCount(3)
                    .setSum(4)
                    .setMin(0.5)
                    .setMax(2)
                    .addExplicitBounds(1)
                    .addBucketCounts(1)
                    .addBucketCounts(2)
                    .addExemplars(exemplar())))
        .build();
  }

  private static Histogram.Builder histogramWith(HistogramDataPoint.Builder point) {
    return Histogram.newBuilder().setAggregationTemporalityValue(2).addDataPoints(point);
  }

  private static Metric exponential() {
    return Metric.newBuilder()
        .setName("e")
        .setExponentialHistogram(
            exponentialWith(
                ExponentialHistogramDataPoint.newBuilder()
                    .setScale(2)
                    .setSum(3)
                    .setZeroCount(1)
                    .setMin(-1)
                    .setMax(4)
                    .setPositive(
                        ExponentialHistogramDataPoint.Buckets.newBuilder()
                            .setOffset(1)
                            .addBucketCounts(2))
                    .setNegative(
                        ExponentialHistogramDataPoint.Buckets.newBuilder()
                            .setOffset(0)
                            .addBucketCounts(1))))
        .build();
  }

  private static ExponentialHistogram.Builder exponentialWith(
      ExponentialHistogramDataPoint.Builder point) {
    return ExponentialHistogram.newBuilder().setAggregationTemporalityValue(2).addDataPoints(point);
  }

  private static Metric summary() {
    return Metric.newBuilder()
        .setName("q")
        .setSummary(
            Summary.newBuilder()
                .addDataPoints(
                    SummaryDataPoint.newBuilder()
                        .setCount(2)
                        .setSum(3)
                        .addQuantileValues(
                            SummaryDataPoint.ValueAtQuantile.newBuilder()
                                .setQuantile(0.5)
                                .setValue(1))))
        .build();
  }

  private static NumberDataPoint.Builder number() {
    return NumberDataPoint.newBuilder()
        .setStartTimeUnixNano(1)
        .setTimeUnixNano(2)
        .setAsInt(3)
        .addAttributes(kv("a"))
        .addExemplars(exemplar());
  }

  private static Exemplar.Builder exemplar() {
    return Exemplar.newBuilder().setTraceId(TRACE_ID).setSpanId(SPAN_ID).setAsInt(4);
  }

  private static MetricData metric(Metric metric) {
    return ProtoToSdk.metrics(
            ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(
                    ResourceMetrics.newBuilder()
                        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(metric)))
                .build())
        .get(0);
  }

  private static SpanData span(Span span) {
    return ProtoToSdk.spans(
            ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(
                    ResourceSpans.newBuilder()
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
                .build())
        .get(0);
  }

  private static LogRecordData log(LogRecord log) {
    return ProtoToSdk.logRecords(
            ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(
                    ResourceLogs.newBuilder()
                        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(log)))
                .build())
        .get(0);
  }

  private static KeyValue kv(String key) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(key + "-value"))
        .build();
  }

  private static ByteString bytes(int length, int value) {
    byte[] b = new byte[length];
    java.util.Arrays.fill(b, (byte) value);
    return ByteString.copyFrom(b);
  }
}
