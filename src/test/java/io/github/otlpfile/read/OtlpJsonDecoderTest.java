package io.github.otlpfile.read;

import static io.github.otlpfile.read.OtlpJsonTestSupport.corpus;
import static io.github.otlpfile.read.OtlpJsonTestSupport.decode;
import static io.github.otlpfile.read.OtlpJsonTestSupport.jsonFormat;
import static io.github.otlpfile.read.OtlpJsonTestSupport.logs;
import static io.github.otlpfile.read.OtlpJsonTestSupport.metrics;
import static io.github.otlpfile.read.OtlpJsonTestSupport.signalOf;
import static io.github.otlpfile.read.OtlpJsonTestSupport.traces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OtlpJsonDecoderTest {
  private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
  private static final String SPAN_ID = "eee19b7ec3c1b174";
  private static final String LINK_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String LINK_SPAN_ID = "b7ad6b7169203331";

  static Stream<Arguments> corpusLines() {
    List<Arguments> lines = new ArrayList<>();
    for (String file :
        List.of(
            "traces.jsonl",
            "traces-collector.jsonl",
            "metrics.jsonl",
            "metrics-collector.jsonl",
            "logs.jsonl",
            "logs-collector.jsonl",
            "snake-case.jsonl",
            "unknown-fields.jsonl",
            "empty.jsonl")) {
      List<String> fileLines = corpus(file);
      for (int i = 0; i < fileLines.size(); i++) {
        lines.add(Arguments.of(file, i + 1, fileLines.get(i)));
      }
    }
    return lines.stream();
  }

  @ParameterizedTest(name = "{0} line {1}")
  @MethodSource("corpusLines")
  void everyCorpusLineDecodesAsJsonFormatDecodesIt(String file, int lineNumber, String line)
      throws Exception {
    Message decoded = decode(line, OtlpSignal.TRACES);

    assertThat(decoded).isEqualTo(jsonFormat(line, signalOf(decoded)));
  }

  @Nested
  class Traces {
    @Test
    void everyFieldOfAFullRequest() throws Exception {
      ExportTraceServiceRequest request = traces(corpus("traces.jsonl").get(0));

      assertThat(request.getResourceSpansCount()).isEqualTo(1);
      ResourceSpans resourceSpans = request.getResourceSpans(0);
      assertThat(resourceSpans.getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.28.0");
      assertThat(resourceSpans.getResource().getAttributesList())
          .containsExactly(string("service.name", "checkout"), integer("host.cpus", 8));
      assertThat(resourceSpans.getResource().getDroppedAttributesCount()).isEqualTo(1);
      assertThat(resourceSpans.getResource().getEntityRefsList())
          .containsExactly(
              EntityRef.newBuilder()
                  .setSchemaUrl("https://opentelemetry.io/schemas/1.30.0")
                  .setType("service")
                  .addIdKeys("service.name")
                  .addIdKeys("service.namespace")
                  .addDescriptionKeys("service.version")
                  .build());
      ScopeSpans scopeSpans = resourceSpans.getScopeSpans(0);
      assertThat(scopeSpans.getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.29.0");
      assertThat(scopeSpans.getScope().getName()).isEqualTo("io.example.http");
      assertThat(scopeSpans.getScope().getVersion()).isEqualTo("2.1.0");
      assertThat(scopeSpans.getScope().getAttributesList())
          .containsExactly(string("scope.kind", "server"));
      assertThat(scopeSpans.getScope().getDroppedAttributesCount()).isEqualTo(2);

      assertThat(scopeSpans.getSpansCount()).isEqualTo(1);
      Span span = scopeSpans.getSpans(0);
      assertThat(hex(span.getTraceId())).isEqualTo(TRACE_ID);
      assertThat(hex(span.getSpanId())).isEqualTo(SPAN_ID);
      assertThat(span.getTraceState()).isEqualTo("vendor=a1");
      assertThat(hex(span.getParentSpanId())).isEqualTo("eee19b7ec3c1b173");
      assertThat(span.getFlags()).isEqualTo(769);
      assertThat(span.getName()).isEqualTo("GET /cart");
      assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(span.getStartTimeUnixNano()).isEqualTo(1_700_000_000_000_000_000L);
      assertThat(span.getEndTimeUnixNano()).isEqualTo(1_700_000_000_250_000_000L);
      assertThat(span.getAttributesList())
          .containsExactly(
              string("http.request.method", "GET"),
              integer("http.response.status_code", 200),
              KeyValue.newBuilder()
                  .setKey("sampled")
                  .setValue(AnyValue.newBuilder().setBoolValue(true))
                  .build(),
              KeyValue.newBuilder()
                  .setKey("ratio")
                  .setValue(AnyValue.newBuilder().setDoubleValue(0.25))
                  .build());
      assertThat(span.getDroppedAttributesCount()).isEqualTo(3);
      assertThat(span.getEventsList())
          .extracting(
              Span.Event::getTimeUnixNano,
              Span.Event::getName,
              Span.Event::getAttributesList,
              Span.Event::getDroppedAttributesCount)
          .containsExactly(
              tuple(
                  1_700_000_000_100_000_000L,
                  "cache miss",
                  List.of(string("cache.key", "cart:42")),
                  4),
              tuple(1_700_000_000_200_000_000L, "exception", List.of(), 0));
      assertThat(span.getDroppedEventsCount()).isEqualTo(5);
      assertThat(span.getLinksCount()).isEqualTo(1);
      Span.Link link = span.getLinks(0);
      assertThat(hex(link.getTraceId())).isEqualTo(LINK_TRACE_ID);
      assertThat(hex(link.getSpanId())).isEqualTo(LINK_SPAN_ID);
      assertThat(link.getTraceState()).isEqualTo("other=b2");
      assertThat(link.getAttributesList()).containsExactly(string("link.reason", "retry"));
      assertThat(link.getDroppedAttributesCount()).isEqualTo(6);
      assertThat(link.getFlags()).isEqualTo(257);
      assertThat(span.getDroppedLinksCount()).isEqualTo(7);
      assertThat(span.getStatus())
          .isEqualTo(
              Status.newBuilder()
                  .setMessage("payment declined")
                  .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                  .build());
    }

    @Test
    void idsInAnyCaseNumbersAndEnumNames() throws Exception {
      List<Span> spans =
          traces(corpus("traces.jsonl").get(1)).getResourceSpans(0).getScopeSpans(0).getSpansList();

      assertThat(spans).hasSize(3);
      Span upper = spans.get(0);
      assertThat(hex(upper.getTraceId())).isEqualTo(TRACE_ID);
      assertThat(hex(upper.getSpanId())).isEqualTo(SPAN_ID);
      assertThat(upper.getParentSpanId()).isEqualTo(ByteString.EMPTY);
      assertThat(upper.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(upper.getStartTimeUnixNano()).isEqualTo(1_700_000_000_000_000_000L);
      // 2^64 - 1 as a JSON number, kept as its two's complement.
      assertThat(upper.getEndTimeUnixNano()).isEqualTo(-1L);
      assertThat(upper.getFlags()).isEqualTo(1);
      assertThat(upper.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);

      Span mixed = spans.get(1);
      assertThat(hex(mixed.getTraceId())).isEqualTo(TRACE_ID);
      assertThat(hex(mixed.getSpanId())).isEqualTo(SPAN_ID);
      assertThat(mixed.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CONSUMER);
      assertThat(mixed.getStartTimeUnixNano()).isEqualTo(1_700_000_000_000_000_001L);
      assertThat(mixed.getEndTimeUnixNano()).isEqualTo(Long.MIN_VALUE);
      assertThat(mixed.getAttributesList())
          .containsExactly(
              integer("min", Long.MIN_VALUE),
              integer("max", Long.MAX_VALUE),
              integer("exponent", 1000));
      assertThat(mixed.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(mixed.getStatus().getMessage()).isEqualTo("names");

      Span noIds = spans.get(2);
      assertThat(noIds.getTraceId()).isEqualTo(ByteString.EMPTY);
      assertThat(noIds.getSpanId()).isEqualTo(ByteString.EMPTY);
      assertThat(noIds.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_UNSPECIFIED);
      assertThat(Integer.toUnsignedLong(noIds.getDroppedAttributesCount())).isEqualTo(4294967295L);
      assertThat(noIds.hasStatus()).isTrue();
      assertThat(noIds.getStatus()).isEqualTo(Status.getDefaultInstance());
    }

    @Test
    void theSpecificationsExample() throws Exception {
      ExportTraceServiceRequest request = traces(corpus("traces.jsonl").get(2));

      assertThat(request.getResourceSpans(0).getResource().getAttributesList())
          .containsExactly(string("service.name", "my.service"));
      ScopeSpans scopeSpans = request.getResourceSpans(0).getScopeSpans(0);
      assertThat(scopeSpans.getScope().getAttributesList())
          .containsExactly(string("my.scope.attribute", "some scope attribute"));
      Span span = scopeSpans.getSpans(0);
      assertThat(hex(span.getTraceId())).isEqualTo(TRACE_ID);
      assertThat(hex(span.getParentSpanId())).isEqualTo("eee19b7ec3c1b173");
      assertThat(span.getName()).isEqualTo("I'm a server span");
      assertThat(span.getStartTimeUnixNano()).isEqualTo(1_544_712_660_000_000_000L);
      assertThat(span.getEndTimeUnixNano()).isEqualTo(1_544_712_661_000_000_000L);
      assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(span.getAttributesList()).containsExactly(string("my.span.attr", "some value"));
    }

    @Test
    void whatTheCollectorsFileExporterWrites() throws Exception {
      List<String> lines = corpus("traces-collector.jsonl");
      ResourceSpans first = traces(lines.get(0)).getResourceSpans(0);

      assertThat(first.getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.26.0");
      assertThat(first.getScopeSpans(0).getSchemaUrl())
          .isEqualTo("https://opentelemetry.io/schemas/1.26.0");
      assertThat(first.getScopeSpans(0).getScope().getVersion()).isEqualTo("0.120.0");
      List<Span> spans = first.getScopeSpans(0).getSpansList();
      assertThat(spans)
          .extracting(
              s -> hex(s.getSpanId()), s -> hex(s.getParentSpanId()), Span::getFlags, Span::getKind)
          .containsExactly(
              tuple("d24f921c75f68e23", "", 256, Span.SpanKind.SPAN_KIND_CLIENT),
              tuple("9630f2916e2f7909", "d24f921c75f68e23", 768, Span.SpanKind.SPAN_KIND_SERVER));
      assertThat(spans.get(0).hasStatus()).isTrue();
      assertThat(spans.get(0).getStatus()).isEqualTo(Status.getDefaultInstance());
      assertThat(spans.get(1).getStatus().getMessage()).isEqualTo("upstream timeout");
      assertThat(spans.get(1).getEndTimeUnixNano()).isEqualTo(1_736_480_942_444_490_000L);

      Span second = traces(lines.get(1)).getResourceSpans(0).getScopeSpans(0).getSpans(0);
      assertThat(second.getTraceState()).isEqualTo("congo=t61rcWkgMzE");
      assertThat(second.getEventsList()).extracting(Span.Event::getName).containsExactly("message");
      assertThat(second.getLinks(0).getFlags()).isEqualTo(256);
      assertThat(hex(second.getLinks(0).getTraceId())).isEqualTo(LINK_TRACE_ID);
      assertThat(second.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);
      assertThat(second.getAttributesList())
          .contains(
              KeyValue.newBuilder()
                  .setKey("http.server.request.duration")
                  .setValue(AnyValue.newBuilder().setDoubleValue(0.1))
                  .build());
    }
  }

  @Nested
  class Metrics {
    @Test
    void everyKindOfPoint() throws Exception {
      ExportMetricsServiceRequest request = metrics(corpus("metrics.jsonl").get(0));

      ScopeMetrics scopeMetrics = request.getResourceMetrics(0).getScopeMetrics(0);
      assertThat(request.getResourceMetrics(0).getSchemaUrl())
          .isEqualTo("https://opentelemetry.io/schemas/1.24.0");
      assertThat(scopeMetrics.getScope().getVersion()).isEqualTo("3.0");
      List<Metric> metrics = scopeMetrics.getMetricsList();
      assertThat(metrics)
          .extracting(Metric::getName, Metric::getUnit, Metric::getDataCase)
          .containsExactly(
              tuple("queue.depth", "{item}", Metric.DataCase.GAUGE),
              tuple("cpu.temperature", "Cel", Metric.DataCase.GAUGE),
              tuple("requests", "1", Metric.DataCase.SUM),
              tuple("latency", "ms", Metric.DataCase.HISTOGRAM),
              tuple("payload.size", "By", Metric.DataCase.EXPONENTIAL_HISTOGRAM),
              tuple("gc.pause", "s", Metric.DataCase.SUMMARY));

      Metric intGauge = metrics.get(0);
      assertThat(intGauge.getDescription()).isEqualTo("Items waiting");
      assertThat(intGauge.getMetadataList()).containsExactly(string("origin", "prometheus"));
      NumberDataPoint depth = intGauge.getGauge().getDataPoints(0);
      assertThat(depth.getAttributesList()).containsExactly(string("queue", "orders"));
      assertThat(depth.getStartTimeUnixNano()).isEqualTo(1_700_000_000_000_000_000L);
      assertThat(depth.getTimeUnixNano()).isEqualTo(1_700_000_060_000_000_000L);
      assertThat(depth.getAsInt()).isEqualTo(42);
      assertThat(depth.getFlags()).isEqualTo(1);
      assertThat(intGauge.getGauge().getDataPoints(1).getAsInt()).isEqualTo(-7);

      NumberDataPoint temperature = metrics.get(1).getGauge().getDataPoints(0);
      assertThat(temperature.getValueCase()).isEqualTo(NumberDataPoint.ValueCase.AS_DOUBLE);
      assertThat(temperature.getAsDouble()).isEqualTo(61.5);
      assertThat(temperature.getExemplarsCount()).isEqualTo(1);
      assertThat(temperature.getExemplars(0).getFilteredAttributesList())
          .containsExactly(integer("core", 3));
      assertThat(temperature.getExemplars(0).getTimeUnixNano())
          .isEqualTo(1_700_000_059_000_000_000L);
      assertThat(temperature.getExemplars(0).getAsDouble()).isEqualTo(63.25);
      assertThat(hex(temperature.getExemplars(0).getSpanId())).isEqualTo(LINK_SPAN_ID);
      assertThat(hex(temperature.getExemplars(0).getTraceId())).isEqualTo(LINK_TRACE_ID);

      Metric sum = metrics.get(2);
      assertThat(sum.getSum().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      assertThat(sum.getSum().getIsMonotonic()).isTrue();
      assertThat(sum.getSum().getDataPoints(0).getAsInt()).isEqualTo(1234);
      assertThat(sum.getSum().getDataPoints(0).getExemplars(0).getAsInt()).isEqualTo(1);

      assertThat(metrics.get(3).getHistogram().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
      HistogramDataPoint latency = metrics.get(3).getHistogram().getDataPoints(0);
      assertThat(latency.getCount()).isEqualTo(10);
      assertThat(latency.getSum()).isEqualTo(123.5);
      assertThat(latency.getBucketCountsList()).containsExactly(1L, 2L, 3L, 4L);
      assertThat(latency.getExplicitBoundsList()).containsExactly(5.0, 10.0, 25.5);
      assertThat(latency.getExemplars(0).getAsDouble()).isEqualTo(7.5);
      assertThat(latency.hasMin()).isTrue();
      assertThat(latency.getMin()).isEqualTo(0.5);
      assertThat(latency.getMax()).isEqualTo(40.25);

      ExponentialHistogramDataPoint size =
          metrics.get(4).getExponentialHistogram().getDataPoints(0);
      assertThat(size.getCount()).isEqualTo(12);
      assertThat(size.getSum()).isEqualTo(4096.5);
      assertThat(size.getScale()).isEqualTo(-2);
      assertThat(size.getZeroCount()).isEqualTo(2);
      assertThat(size.getPositive().getOffset()).isEqualTo(3);
      assertThat(size.getPositive().getBucketCountsList()).containsExactly(4L, 5L);
      assertThat(size.getNegative().getOffset()).isEqualTo(-1);
      assertThat(size.getNegative().getBucketCountsList()).containsExactly(1L);
      assertThat(size.getFlags()).isEqualTo(1);
      assertThat(size.getMin()).isEqualTo(-3.5);
      assertThat(size.getMax()).isEqualTo(2048.0);
      assertThat(size.getZeroThreshold()).isEqualTo(0.001);

      SummaryDataPoint pause = metrics.get(5).getSummary().getDataPoints(0);
      assertThat(pause.getAttributesList()).containsExactly(string("gc", "G1 Young"));
      assertThat(pause.getCount()).isEqualTo(20);
      assertThat(pause.getSum()).isEqualTo(0.75);
      assertThat(pause.getQuantileValuesList())
          .extracting(
              SummaryDataPoint.ValueAtQuantile::getQuantile,
              SummaryDataPoint.ValueAtQuantile::getValue)
          .containsExactly(tuple(0.0, 0.01), tuple(0.5, 0.03), tuple(1.0, 0.09));
    }

    @Test
    void enumNamesSpecialDoublesAndNumbersInEveryForm() throws Exception {
      List<Metric> metrics =
          metrics(corpus("metrics.jsonl").get(1))
              .getResourceMetrics(0)
              .getScopeMetrics(0)
              .getMetricsList();

      NumberDataPoint delta = metrics.get(0).getSum().getDataPoints(0);
      assertThat(metrics.get(0).getSum().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
      assertThat(metrics.get(0).getSum().getIsMonotonic()).isFalse();
      assertThat(delta.getTimeUnixNano()).isEqualTo(1_700_000_060_000_000_000L);
      assertThat(delta.getAsInt()).isEqualTo(Long.MIN_VALUE);
      assertThat(delta.getFlags()).isEqualTo(1);

      assertThat(metrics.get(1).getGauge().getDataPointsList())
          .extracting(p -> Double.doubleToRawLongBits(p.getAsDouble()))
          .containsExactly(
              Double.doubleToRawLongBits(Double.NaN),
              Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
              Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
              Double.doubleToRawLongBits(2.5),
              Double.doubleToRawLongBits(-1.25),
              Double.doubleToRawLongBits(1e300),
              Double.doubleToRawLongBits(Double.MIN_VALUE));

      HistogramDataPoint big = metrics.get(2).getHistogram().getDataPoints(0);
      assertThat(metrics.get(2).getHistogram().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      assertThat(big.getCount()).isEqualTo(-1L);
      assertThat(big.hasSum()).isTrue();
      assertThat(big.getSum()).isEqualTo(1.5);
      assertThat(big.getBucketCountsList()).containsExactly(0L, -1L, Long.MIN_VALUE);
      assertThat(big.getExplicitBoundsList()).containsExactly(1.5, Double.POSITIVE_INFINITY);
      assertThat(big.getMin()).isEqualTo(Double.NEGATIVE_INFINITY);
      assertThat(big.getMax()).isNaN();

      ExponentialHistogramDataPoint strings =
          metrics.get(3).getExponentialHistogram().getDataPoints(0);
      assertThat(strings.getCount()).isEqualTo(3);
      assertThat(strings.getScale()).isEqualTo(-3);
      assertThat(strings.getZeroCount()).isEqualTo(1);
      assertThat(strings.getPositive().getOffset()).isEqualTo(-2);
      assertThat(strings.getPositive().getBucketCountsList()).containsExactly(2L);
      assertThat(strings.hasNegative()).isFalse();
      assertThat(strings.getZeroThreshold()).isEqualTo(0.0);
      // An enum number that the proto does not define is kept, as proto3 keeps it.
      assertThat(metrics.get(3).getExponentialHistogram().getAggregationTemporalityValue())
          .isEqualTo(99);
    }

    @Test
    void theSpecificationsExample() throws Exception {
      List<Metric> metrics =
          metrics(corpus("metrics.jsonl").get(2))
              .getResourceMetrics(0)
              .getScopeMetrics(0)
              .getMetricsList();

      assertThat(metrics).extracting(Metric::getName).containsExactly("my.counter", "my.histogram");
      assertThat(metrics.get(0).getDescription()).isEqualTo("I`m a Counter");
      assertThat(metrics.get(0).getSum().getDataPoints(0).getAsDouble()).isEqualTo(5.0);
      assertThat(metrics.get(0).getSum().getDataPoints(0).getStartTimeUnixNano())
          .isEqualTo(1_544_712_660_300_000_000L);
      HistogramDataPoint point = metrics.get(1).getHistogram().getDataPoints(0);
      assertThat(point.getCount()).isEqualTo(3);
      assertThat(point.getBucketCountsList()).containsExactly(1L, 1L, 1L);
      assertThat(point.getExplicitBoundsList()).containsExactly(1.0);
      assertThat(point.getMin()).isEqualTo(1.0);
      assertThat(point.getMax()).isEqualTo(1.0);
    }

    @Test
    void whatTheCollectorsFileExporterWrites() throws Exception {
      List<String> lines = corpus("metrics-collector.jsonl");
      List<Metric> host =
          metrics(lines.get(0)).getResourceMetrics(0).getScopeMetrics(0).getMetricsList();

      assertThat(host.get(0).getSum().getDataPointsList())
          .extracting(NumberDataPoint::getAsInt)
          .containsExactly(8_123_456_789L, 123_456_789L);
      assertThat(host.get(0).getSum().getIsMonotonic()).isFalse();
      assertThat(host.get(0).getSum().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      assertThat(host.get(1).getGauge().getDataPoints(0).getAsDouble()).isEqualTo(0.62);

      List<Metric> api =
          metrics(lines.get(1)).getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
      HistogramDataPoint duration = api.get(0).getHistogram().getDataPoints(0);
      assertThat(duration.getBucketCountsList()).containsExactly(0L, 2L, 3L, 0L);
      assertThat(duration.getExplicitBoundsList()).containsExactly(0.1, 0.5, 1.0);
      assertThat(hex(duration.getExemplars(0).getTraceId()))
          .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(duration.getMin()).isEqualTo(0.12);
      ExponentialHistogramDataPoint body = api.get(1).getExponentialHistogram().getDataPoints(0);
      assertThat(body.getScale()).isEqualTo(3);
      assertThat(body.getPositive().getOffset()).isEqualTo(80);
      assertThat(body.getPositive().getBucketCountsList()).containsExactly(1L, 0L, 2L);
      assertThat(body.hasNegative()).isTrue();
      assertThat(body.getNegative())
          .isEqualTo(ExponentialHistogramDataPoint.Buckets.getDefaultInstance());
      assertThat(api.get(2).getSummary().getDataPoints(0).getQuantileValuesList())
          .extracting(
              SummaryDataPoint.ValueAtQuantile::getQuantile,
              SummaryDataPoint.ValueAtQuantile::getValue)
          .containsExactly(tuple(0.0, 3.0), tuple(0.99, 80.0));
    }
  }

  @Nested
  class Logs {
    @Test
    void bodiesOfEveryKind() throws Exception {
      ExportLogsServiceRequest request = logs(corpus("logs.jsonl").get(0));

      assertThat(request.getResourceLogs(0).getResource().getDroppedAttributesCount()).isEqualTo(1);
      assertThat(request.getResourceLogs(0).getScopeLogs(0).getSchemaUrl())
          .isEqualTo("https://opentelemetry.io/schemas/1.25.0");
      List<LogRecord> records = request.getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
      assertThat(records).hasSize(10);

      LogRecord full = records.get(0);
      assertThat(full.getTimeUnixNano()).isEqualTo(1_700_000_000_000_000_000L);
      assertThat(full.getObservedTimeUnixNano()).isEqualTo(1_700_000_000_000_000_500L);
      assertThat(full.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_ERROR);
      assertThat(full.getSeverityText()).isEqualTo("ERROR");
      assertThat(full.getBody().getStringValue()).isEqualTo("card declined");
      assertThat(full.getAttributesList())
          .containsExactly(string("exception.type", "CardException"));
      assertThat(full.getDroppedAttributesCount()).isEqualTo(2);
      assertThat(full.getFlags()).isEqualTo(1);
      assertThat(hex(full.getTraceId())).isEqualTo(TRACE_ID);
      assertThat(hex(full.getSpanId())).isEqualTo(SPAN_ID);
      assertThat(full.getEventName()).isEqualTo("payment.failed");

      assertThat(records.get(1).getBody())
          .isEqualTo(AnyValue.newBuilder().setBoolValue(false).build());
      assertThat(records.get(2).getBody().getIntValue()).isEqualTo(-12_345_678_901_234L);
      assertThat(records.get(3).getBody().getDoubleValue()).isEqualTo(-2.5e-3);
      assertThat(records.get(4).getBody().getArrayValue().getValuesList())
          .containsExactly(
              AnyValue.newBuilder().setStringValue("a").build(),
              AnyValue.newBuilder().setIntValue(1).build(),
              AnyValue.newBuilder().setBoolValue(true).build(),
              AnyValue.newBuilder().setDoubleValue(1.5).build(),
              AnyValue.newBuilder().setArrayValue(ArrayValue.getDefaultInstance()).build(),
              AnyValue.getDefaultInstance());
      List<KeyValue> map = records.get(5).getBody().getKvlistValue().getValuesList();
      assertThat(map).extracting(KeyValue::getKey).containsExactly("user", "empty", "unset");
      assertThat(map.get(0).getValue().getKvlistValue().getValuesList())
          .containsExactly(
              integer("id", 7),
              KeyValue.newBuilder()
                  .setKey("roles")
                  .setValue(
                      AnyValue.newBuilder()
                          .setArrayValue(
                              ArrayValue.newBuilder()
                                  .addValues(AnyValue.newBuilder().setStringValue("admin"))))
                  .build());
      assertThat(map.get(1).hasValue()).isTrue();
      assertThat(map.get(1).getValue().getValueCase()).isEqualTo(AnyValue.ValueCase.VALUE_NOT_SET);
      assertThat(map.get(2).hasValue()).isFalse();
      byte[] deadBeef = HexFormat.of().parseHex("deadbeef");
      assertThat(records.get(6).getBody().getBytesValue().toByteArray()).isEqualTo(deadBeef);
      assertThat(records.get(7).getBody().getBytesValue().toByteArray()).isEqualTo(deadBeef);
      assertThat(records.get(8).hasBody()).isTrue();
      assertThat(records.get(8).getBody()).isEqualTo(AnyValue.getDefaultInstance());

      LogRecord unicode = records.get(9);
      assertThat(unicode.getTimeUnixNano()).isZero();
      assertThat(unicode.getObservedTimeUnixNano()).isEqualTo(1_700_000_000_000_000_009L);
      assertThat(unicode.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_WARN);
      assertThat(unicode.getBody().getStringValue())
          .isEqualTo("ünïcödé \u2603 \ud83d\ude00 \"quoted\"\n");
      assertThat(hex(unicode.getTraceId())).isEqualTo(LINK_TRACE_ID);
      assertThat(hex(unicode.getSpanId())).isEqualTo(LINK_SPAN_ID);
      assertThat(unicode.getEventName()).isEqualTo("session.start");
    }

    @Test
    void theSpecificationsExample() throws Exception {
      LogRecord record =
          logs(corpus("logs.jsonl").get(1)).getResourceLogs(0).getScopeLogs(0).getLogRecords(0);

      assertThat(record.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO2);
      assertThat(record.getSeverityText()).isEqualTo("Information");
      assertThat(record.getTimeUnixNano()).isEqualTo(1_544_712_660_300_000_000L);
      assertThat(record.getAttributesList())
          .extracting(KeyValue::getKey, kv -> kv.getValue().getValueCase())
          .containsExactly(
              tuple("string.attribute", AnyValue.ValueCase.STRING_VALUE),
              tuple("boolean.attribute", AnyValue.ValueCase.BOOL_VALUE),
              tuple("int.attribute", AnyValue.ValueCase.INT_VALUE),
              tuple("double.attribute", AnyValue.ValueCase.DOUBLE_VALUE),
              tuple("array.attribute", AnyValue.ValueCase.ARRAY_VALUE),
              tuple("map.attribute", AnyValue.ValueCase.KVLIST_VALUE));
      assertThat(record.getAttributes(2).getValue().getIntValue()).isEqualTo(10);
      assertThat(record.getAttributes(3).getValue().getDoubleValue()).isEqualTo(637.704);
    }

    @Test
    void whatTheCollectorsFileExporterWrites() throws Exception {
      List<String> lines = corpus("logs-collector.jsonl");
      ExportLogsServiceRequest first = logs(lines.get(0));

      assertThat(first.getResourceLogs(0).getScopeLogs(0).hasScope()).isTrue();
      LogRecord record = first.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
      assertThat(record.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
      assertThat(record.getSeverityText()).isEqualTo("Info");
      assertThat(record.getBody().getStringValue()).isEqualTo("the message");
      assertThat(hex(record.getTraceId())).isEqualTo("c05d7a4ec8e1f231f02ed6e8da8655b4");
      assertThat(record.getObservedTimeUnixNano()).isEqualTo(1_736_480_942_444_380_000L);

      LogRecord structured = logs(lines.get(1)).getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
      assertThat(structured.getTimeUnixNano()).isZero();
      assertThat(structured.getBody().getKvlistValue().getValuesList())
          .extracting(KeyValue::getKey)
          .containsExactly("level", "latency_ms", "retries");
      assertThat(structured.getFlags()).isEqualTo(1);
      assertThat(structured.getEventName()).isEqualTo("app.request");
    }
  }

  @Nested
  class Forms {
    private static final String POINT_LINE =
        "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"gauge\":{\"dataPoints\":[%s]}}]}]}]}";
    private final Pattern snakeKey = Pattern.compile("\"([a-z]+(?:_[a-z]+)+)\":");

    @Test
    void protoFieldNamesReadAsTheirJsonNames() throws Exception {
      for (String line : corpus("snake-case.jsonl")) {
        Message snake = decode(line);
        Message camel = decode(toCamelCase(line));

        assertThat(line).doesNotContain("Value\":").doesNotContain("UnixNano");
        assertThat(snake).isEqualTo(camel);
      }
      Span span =
          traces(corpus("snake-case.jsonl").get(0))
              .getResourceSpans(0)
              .getScopeSpans(0)
              .getSpans(0);
      assertThat(hex(span.getParentSpanId())).isEqualTo("eee19b7ec3c1b173");
      assertThat(span.getDroppedLinksCount()).isEqualTo(7);
      assertThat(span.getAttributes(3).getValue().getBytesValue().toByteArray())
          .containsExactly(1, 2, 3);
      LogRecord log =
          logs(corpus("snake-case.jsonl").get(2))
              .getResourceLogs(0)
              .getScopeLogs(0)
              .getLogRecords(0);
      assertThat(log.getObservedTimeUnixNano()).isEqualTo(2);
      assertThat(log.getEventName()).isEqualTo("snake.event");
    }

    private String toCamelCase(String line) {
      Matcher matcher = snakeKey.matcher(line);
      StringBuilder out = new StringBuilder();
      while (matcher.find()) {
        String[] parts = matcher.group(1).split("_");
        StringBuilder camel = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
          camel.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        matcher.appendReplacement(out, "\"" + camel + "\":");
      }
      matcher.appendTail(out);
      return out.toString();
    }

    @Test
    void unknownFieldsAreSkippedAtEveryLevel() throws Exception {
      List<String> lines = corpus("unknown-fields.jsonl");
      ExportTraceServiceRequest traces = traces(lines.get(0));

      assertThat(traces)
          .isEqualTo(
              traces(
                  "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"k\",\"value\":"
                      + "{\"stringValue\":\"v\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},"
                      + "\"spans\":[{\"traceId\":\""
                      + TRACE_ID
                      + "\",\"spanId\":\""
                      + SPAN_ID
                      + "\",\"name\":\"known\",\"events\":[{\"name\":\"e\"}],\"links\":[{"
                      + "\"traceId\":\""
                      + LINK_TRACE_ID
                      + "\",\"spanId\":\""
                      + LINK_SPAN_ID
                      + "\"}],\"status\":{\"code\":2}}]}]}]}"));

      List<Metric> metrics =
          metrics(lines.get(1)).getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
      assertThat(metrics)
          .extracting(Metric::getName, Metric::getDataCase)
          .containsExactly(
              tuple("m", Metric.DataCase.SUM),
              tuple("h", Metric.DataCase.HISTOGRAM),
              tuple("e", Metric.DataCase.EXPONENTIAL_HISTOGRAM),
              tuple("q", Metric.DataCase.SUMMARY),
              tuple("g", Metric.DataCase.GAUGE));
      assertThat(metrics.get(0).getSum().getDataPoints(0).getAsInt()).isEqualTo(5);
      assertThat(metrics.get(0).getSum().getDataPoints(0).getExemplars(0).getAsDouble())
          .isEqualTo(1.0);
      assertThat(metrics.get(0).getDescription()).isEmpty();
      assertThat(metrics.get(1).getHistogram().getDataPoints(0).getBucketCountsList())
          .containsExactly(1L);
      assertThat(
              metrics.get(2).getExponentialHistogram().getDataPoints(0).getPositive().getOffset())
          .isEqualTo(1);
      assertThat(metrics.get(3).getSummary().getDataPoints(0).getQuantileValues(0).getValue())
          .isEqualTo(1.0);

      ExportLogsServiceRequest logs = logs(lines.get(2));
      LogRecord record = logs.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
      assertThat(record.getSeverityText()).isEqualTo("INFO");
      assertThat(
              record
                  .getBody()
                  .getKvlistValue()
                  .getValues(0)
                  .getValue()
                  .getArrayValue()
                  .getValues(0))
          .isEqualTo(AnyValue.newBuilder().setStringValue("x").build());
      assertThat(logs.getResourceLogs(0).getScopeLogs(0).getScope().getAttributesList())
          .containsExactly(integer("a", 1));
      assertThat(logs.getResourceLogs(0).getResource().getEntityRefs(0).getType()).isEqualTo("t");
    }

    @Test
    void nullMeansAbsent() throws Exception {
      Span span =
          traces(
                  "{\"resourceSpans\":[{\"resource\":null,\"scopeSpans\":[{\"scope\":null,"
                      + "\"spans\":[{\"name\":null,\"traceId\":null,\"status\":null,"
                      + "\"attributes\":null,\"kind\":null}]}]}]}")
              .getResourceSpans(0)
              .getScopeSpans(0)
              .getSpans(0);

      assertThat(span).isEqualTo(Span.getDefaultInstance());
      assertThat(decode("{\"resourceSpans\":null}")).isNull();
      assertThat(decode("{\"resourceSpans\":null,\"resourceLogs\":[]}"))
          .isEqualTo(ExportLogsServiceRequest.getDefaultInstance());
    }

    @Test
    void emptyRequestsAndEmptyMessages() throws Exception {
      List<String> lines = corpus("empty.jsonl");

      assertThat(decode(lines.get(0))).isNull();
      assertThat(decode(lines.get(0), OtlpSignal.TRACES))
          .isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
      assertThat(decode(lines.get(0), OtlpSignal.METRICS))
          .isEqualTo(ExportMetricsServiceRequest.getDefaultInstance());
      assertThat(decode(lines.get(0), OtlpSignal.LOGS))
          .isEqualTo(ExportLogsServiceRequest.getDefaultInstance());
      assertThat(decode(lines.get(1))).isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
      assertThat(decode(lines.get(2))).isEqualTo(ExportMetricsServiceRequest.getDefaultInstance());
      assertThat(decode(lines.get(3))).isEqualTo(ExportLogsServiceRequest.getDefaultInstance());
      // The content decides the signal, whatever the caller expected.
      assertThat(decode(lines.get(2), OtlpSignal.LOGS))
          .isEqualTo(ExportMetricsServiceRequest.getDefaultInstance());

      assertThat(traces(lines.get(4)).getResourceSpansList())
          .containsExactly(ResourceSpans.getDefaultInstance());
      assertThat(traces(lines.get(5)).getResourceSpans(0).hasResource()).isTrue();
      assertThat(traces(lines.get(5)).getResourceSpans(0).getScopeSpansList())
          .containsExactly(ScopeSpans.getDefaultInstance());
      assertThat(traces(lines.get(6)).getResourceSpans(0).getScopeSpans(0).getSpansList())
          .containsExactly(Span.getDefaultInstance());
      assertThat(metrics(lines.get(7)).getResourceMetrics(0).getScopeMetrics(0).getMetricsList())
          .containsExactly(Metric.getDefaultInstance());
      assertThat(metrics(lines.get(8)).getResourceMetrics(0).getScopeMetrics(0).getMetricsList())
          .extracting(Metric::getDataCase)
          .containsExactly(
              Metric.DataCase.GAUGE,
              Metric.DataCase.SUM,
              Metric.DataCase.HISTOGRAM,
              Metric.DataCase.EXPONENTIAL_HISTOGRAM,
              Metric.DataCase.SUMMARY);
      assertThat(logs(lines.get(9)).getResourceLogs(0).getScopeLogs(0).getLogRecordsList())
          .containsExactly(LogRecord.getDefaultInstance());
      assertThat(logs(lines.get(10)).getResourceLogs(0).getScopeLogs(0).getLogRecords(0).hasBody())
          .isTrue();
    }

    @Test
    void whitespaceAByteOrderMarkAndATrailingCarriageReturn() throws Exception {
      String line = corpus("traces.jsonl").get(2);
      Message expected = decode(line);
      String pretty =
          " \t{\n  \"resourceSpans\" :\r\n [ "
              + line.substring("{\"resourceSpans\":[".length(), line.length() - 2)
                  .replace(",", " ,\n\t ")
                  .replace(":", " : ")
              + "\n ] \n} \r";
      byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
      byte[] withBom = concat(bom, (line + "\r").getBytes(StandardCharsets.UTF_8));

      assertThat(decode(pretty)).isEqualTo(expected);
      assertThat(OtlpJsonDecoder.decode(withBom, 0, withBom.length, null)).isEqualTo(expected);
    }

    @Test
    void decodesOnlyTheGivenRangeOfTheBuffer() throws Exception {
      String line = corpus("logs-collector.jsonl").get(0);
      byte[] record = line.getBytes(StandardCharsets.UTF_8);
      byte[] buffer =
          concat(
              "garbage{\"x\":".getBytes(StandardCharsets.UTF_8),
              record,
              "}\n[".getBytes(StandardCharsets.UTF_8));

      assertThat(OtlpJsonDecoder.decode(buffer, 12, record.length, null)).isEqualTo(decode(line));
    }

    @Test
    void stringsLongerThanJacksonsDefaultLimit() throws Exception {
      String body = "x".repeat(21_000_000);

      LogRecord record =
          logs("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\""
                  + body
                  + "\"}}]}]}]}")
              .getResourceLogs(0)
              .getScopeLogs(0)
              .getLogRecords(0);

      assertThat(record.getBody().getStringValue()).hasSize(21_000_000);
    }

    @Test
    void integralNumbersInIntegerFields() throws Exception {
      Span span =
          traces(
                  "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":1.7e18,"
                      + "\"endTimeUnixNano\":\"1.0E3\",\"droppedAttributesCount\":2.000,"
                      + "\"droppedEventsCount\":\"+3\",\"droppedLinksCount\":\"004\",\"kind\":\"2\","
                      + "\"flags\":0e5}]}]}]}")
              .getResourceSpans(0)
              .getScopeSpans(0)
              .getSpans(0);

      assertThat(span.getStartTimeUnixNano()).isEqualTo(1_700_000_000_000_000_000L);
      assertThat(span.getEndTimeUnixNano()).isEqualTo(1000);
      assertThat(span.getDroppedAttributesCount()).isEqualTo(2);
      assertThat(span.getDroppedEventsCount()).isEqualTo(3);
      assertThat(span.getDroppedLinksCount()).isEqualTo(4);
      assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(span.getFlags()).isZero();
    }

    @Test
    void negativeZeroKeepsItsSign() throws Exception {
      // JsonFormat loses the sign (it goes through BigDecimal); the SDK's binary encoding keeps it.
      double value =
          metrics(String.format(POINT_LINE, "{\"asDouble\":-0.0}"))
              .getResourceMetrics(0)
              .getScopeMetrics(0)
              .getMetrics(0)
              .getGauge()
              .getDataPoints(0)
              .getAsDouble();

      assertThat(Double.doubleToRawLongBits(value)).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void negativeUnsignedValuesAsTheJavaSdkWritesThem() throws Exception {
      // The SDK writes fixed32/uint32 from a Java int and fixed64 from a long, sign and all.
      Span span =
          traces(
                  "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"flags\":-2147483648,"
                      + "\"droppedAttributesCount\":-12,\"endTimeUnixNano\":\"-1\"}]}]}]}")
              .getResourceSpans(0)
              .getScopeSpans(0)
              .getSpans(0);

      assertThat(span.getFlags()).isEqualTo(Integer.MIN_VALUE);
      assertThat(span.getDroppedAttributesCount()).isEqualTo(-12);
      assertThat(span.getEndTimeUnixNano()).isEqualTo(-1L);
    }

    @Test
    void moderatelyDeepValuesDecode() throws Exception {
      int depth = 20;
      String body =
          "{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":".repeat(depth)
              + "{\"stringValue\":\"leaf\"}"
              + "}]}}".repeat(depth);

      AnyValue value =
          logs("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":" + body + "}]}]}]}")
              .getResourceLogs(0)
              .getScopeLogs(0)
              .getLogRecords(0)
              .getBody();

      for (int i = 0; i < depth; i++) {
        value = value.getKvlistValue().getValues(0).getValue();
      }
      assertThat(value.getStringValue()).isEqualTo("leaf");
    }
  }

  @Nested
  class Malformed {
    private static final String SPAN = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[%s]}]}]}";
    private static final String POINT =
        "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"%s\":{\"dataPoints\":[%s]}}]}]}]}";
    private static final String BODY =
        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":%s}]}]}]}";

    static Stream<Arguments> faults() {
      String at = "at resourceSpans[0].scopeSpans[0].spans[0].";
      String atPoint = "at resourceMetrics[0].scopeMetrics[0].metrics[0].";
      String atBody = "at resourceLogs[0].scopeLogs[0].logRecords[0].body.";
      return Stream.of(
          Arguments.of(
              span("\"traceId\":\"5b8efff798038103d269b633813fc6zz\""),
              at + "traceId: \"5b8efff798038103d269b633813fc6zz\" is not 32 hex digits"),
          Arguments.of(
              span("\"traceId\":\"W47/95gDgQPSabYzgT/GDA==\""),
              at + "traceId: \"W47/95gDgQPSabYzgT/GDA==\" is not 32 hex digits"),
          Arguments.of(
              span("\"spanId\":\"eee19b7ec3c1b17\""),
              at + "spanId: \"eee19b7ec3c1b17\" is not 16 hex digits"),
          Arguments.of(
              span("\"parentSpanId\":\"eee19b7ec3c1b1740\""),
              at + "parentSpanId: \"eee19b7ec3c1b1740\" is not 16 hex digits"),
          Arguments.of(
              span("\"spanId\":\"eee19b7ec3c1b17\u00e9\""),
              at + "spanId: \"eee19b7ec3c1b17\u00e9\" is not 16 hex digits"),
          Arguments.of(
              span("\"spanId\":12"), at + "spanId: expected a string of 16 hex digits, not 12"),
          Arguments.of(
              span("\"links\":[{\"traceId\":\"xyz\"}]"),
              at + "links[0].traceId: \"xyz\" is not 32 hex digits"),
          Arguments.of(
              span("\"droppedAttributesCount\":1.5"),
              at + "droppedAttributesCount: 1.5 is not an integer"),
          Arguments.of(
              span("\"startTimeUnixNano\":\"1.5\""),
              at + "startTimeUnixNano: \"1.5\" is not an integer"),
          Arguments.of(
              span("\"startTimeUnixNano\":\"12abc\""),
              at + "startTimeUnixNano: \"12abc\" is not an integer"),
          Arguments.of(
              span("\"startTimeUnixNano\":\"\""), at + "startTimeUnixNano: \"\" is not an integer"),
          Arguments.of(
              span("\"startTimeUnixNano\":\"1e-999999999\""),
              at + "startTimeUnixNano: \"1e-999999999\" is not an integer"),
          Arguments.of(
              span("\"droppedAttributesCount\":4294967296"),
              at
                  + "droppedAttributesCount: 4294967296 is out of range for an unsigned 32-bit integer"),
          Arguments.of(
              span("\"flags\":-2147483649"),
              at + "flags: -2147483649 is out of range for an unsigned 32-bit integer"),
          Arguments.of(
              span("\"startTimeUnixNano\":\"18446744073709551616\""),
              at
                  + "startTimeUnixNano: \"18446744073709551616\" is out of range for an unsigned 64-bit integer"),
          Arguments.of(
              span("\"startTimeUnixNano\":-9223372036854775809"),
              at
                  + "startTimeUnixNano: -9223372036854775809 is out of range for an unsigned 64-bit integer"),
          Arguments.of(
              span("\"endTimeUnixNano\":1e999999999"),
              at + "endTimeUnixNano: 1e999999999 is out of range for an unsigned 64-bit integer"),
          Arguments.of(
              span("\"kind\":2147483648"),
              at + "kind: 2147483648 is out of range for a signed 32-bit integer"),
          Arguments.of(
              span("\"kind\":\"SPAN_KIND_WHATEVER\""),
              at + "kind: \"SPAN_KIND_WHATEVER\" is not a value of SpanKind"),
          Arguments.of(
              span("\"status\":{\"code\":\"UNRECOGNIZED\"}"),
              at + "status.code: \"UNRECOGNIZED\" is not a value of StatusCode"),
          Arguments.of(span("\"kind\":true"), at + "kind: expected an integer, not true"),
          Arguments.of(span("\"name\":5"), at + "name: expected a string, not 5"),
          Arguments.of(
              span("\"attributes\":{}"), at + "attributes: expected an array, not an object"),
          Arguments.of(span("\"status\":[]"), at + "status: expected an object, not an array"),
          Arguments.of(
              span("\"attributes\":[null]"),
              at + "attributes[0]: null is not a valid array element"),
          Arguments.of(
              span(
                  "\"attributes\":[{\"key\":\"k\",\"value\":{\"stringValue\":\"a\",\"intValue\":\"1\"}}]"),
              at
                  + "attributes[0].value.intValue: an AnyValue holds one value, but this one has stringValue and intValue"),
          Arguments.of(
              String.format(POINT, "gauge", "{\"asInt\":\"1\",\"asDouble\":1}"),
              atPoint
                  + "gauge.dataPoints[0].asDouble: a point holds one value, but this one has both asDouble and asInt"),
          Arguments.of(
              "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"gauge\":{},\"sum\":{}}]}]}]}",
              atPoint + "sum: a metric holds one kind of data, but this one has gauge and sum"),
          Arguments.of(
              "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"sum\":{\"aggregationTemporality\":\"DELTA\"}}]}]}]}",
              atPoint
                  + "sum.aggregationTemporality: \"DELTA\" is not a value of AggregationTemporality"),
          Arguments.of(
              "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"sum\":{\"isMonotonic\":\"yes\"}}]}]}]}",
              atPoint + "sum.isMonotonic: expected true or false, not \"yes\""),
          Arguments.of(
              String.format(POINT, "gauge", "{\"asDouble\":\"fast\"}"),
              atPoint + "gauge.dataPoints[0].asDouble: \"fast\" is not a number"),
          Arguments.of(
              String.format(POINT, "gauge", "{\"asDouble\":\"0x1p3\"}"),
              atPoint + "gauge.dataPoints[0].asDouble: \"0x1p3\" is not a number"),
          Arguments.of(
              String.format(POINT, "gauge", "{\"asDouble\":true}"),
              atPoint + "gauge.dataPoints[0].asDouble: expected a number, not true"),
          Arguments.of(
              String.format(POINT, "histogram", "{\"bucketCounts\":[\"1\",-1.5]}"),
              atPoint + "histogram.dataPoints[0].bucketCounts[1]: -1.5 is not an integer"),
          Arguments.of(
              String.format(POINT, "exponentialHistogram", "{\"scale\":\"2147483648\"}"),
              atPoint
                  + "exponentialHistogram.dataPoints[0].scale: \"2147483648\" is out of range for a signed 32-bit integer"),
          Arguments.of(
              String.format(BODY, "{\"bytesValue\":\"!!!\"}"),
              atBody + "bytesValue: \"!!!\" is not base64"),
          Arguments.of(
              String.format(BODY, "{\"intValue\":\"9223372036854775808\"}"),
              atBody
                  + "intValue: \"9223372036854775808\" is out of range for a signed 64-bit integer"),
          Arguments.of(
              String.format(BODY, "{\"intValue\":1e19}"),
              atBody + "intValue: 1e19 is out of range for a signed 64-bit integer"),
          Arguments.of(
              String.format(
                  BODY, "{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":\"v\"}]}}"),
              atBody + "kvlistValue.values[0].value: expected an object, not \"v\""),
          Arguments.of(
              "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"severityNumber\":\"INFO\"}]}]}]}",
              "at resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber: \"INFO\" is not a value of SeverityNumber"),
          Arguments.of("[]", "at the top level: expected an object, not an array"),
          Arguments.of("\"x\"", "at the top level: expected an object, not \"x\""),
          Arguments.of("5", "at the top level: expected an object, not 5"),
          Arguments.of("null", "at the top level: expected an object, not null"),
          Arguments.of("", "at the top level: the record is empty"),
          Arguments.of(" \r", "at the top level: the record is empty"),
          Arguments.of("{} {}", "at the top level: more after the record's JSON object"),
          Arguments.of(
              "{\"resourceSpans\":[],\"resourceLogs\":[]}",
              "at resourceLogs: a record holds one signal, but this one has traces and logs (resourceLogs)"),
          Arguments.of(
              "{\"resource_metrics\":[],\"resourceSpans\":[{}]}",
              "at resourceSpans: a record holds one signal, but this one has metrics and traces (resourceSpans)"),
          Arguments.of(
              "{\"resourceSpans\":[{\"scopeSpans\":[",
              "at resourceSpans[0].scopeSpans, line column 34: unexpected end of input"),
          Arguments.of("{\"resourceSpans\":[]}x", "at line column 21: Unrecognized token 'x'"),
          Arguments.of("{\"resourceSpans\":[]}]", "at line column 21: Unexpected close marker ']'"),
          Arguments.of("{'resourceSpans':[]}", "at line column 2: Unexpected character ('''"),
          Arguments.of("{\"a\":NaN}", "at a, line column 9: Non-standard token 'NaN'"),
          Arguments.of("{\"a\":01}", "at a, line column 7: Invalid numeric value: Leading zeroes"),
          Arguments.of("{/* c */}", "at line column 2: Unexpected character ('/'"),
          Arguments.of("{\"a\":\"\t\"}", "at a, line column 7: Illegal unquoted character"));
    }

    private static String span(String fields) {
      return String.format(SPAN, "{" + fields + "}");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("faults")
    void aFaultIsReportedWithItsPlace(String line, String message) {
      assertThatThrownBy(() -> decode(line))
          .isInstanceOf(MalformedRecordException.class)
          .hasMessageStartingWith(message)
          .message()
          .doesNotContain("\n");
    }

    @Test
    void theExamplesPlace() {
      String spans = "{},{},{},{\"traceId\":\"xyz\"}";

      assertThatThrownBy(() -> decode(String.format(SPAN, spans)))
          .isInstanceOf(MalformedRecordException.class)
          .hasMessage(
              "at resourceSpans[0].scopeSpans[0].spans[3].traceId: \"xyz\" is not 32 hex digits");
    }

    @Test
    void longValuesAreShortenedInTheMessage() {
      String name = "n".repeat(10_000);

      assertThatThrownBy(() -> decode(span("\"kind\":\"" + name + "\"")))
          .isInstanceOf(MalformedRecordException.class)
          .message()
          .hasSizeLessThan(200);
    }

    @Test
    void bytesThatAreNotUtf8() {
      byte[] utf16 = "{\"resourceSpans\":[]}".getBytes(StandardCharsets.UTF_16LE);
      byte[] utf16WithBom = "{\"resourceSpans\":[]}".getBytes(StandardCharsets.UTF_16);
      byte[] badUtf8 =
          concat(
              "{\"a\":\"".getBytes(StandardCharsets.UTF_8),
              new byte[] {(byte) 0xC3, 0x28},
              "\"}".getBytes(StandardCharsets.UTF_8));

      for (byte[] bytes : List.of(utf16, utf16WithBom, badUtf8)) {
        assertThatThrownBy(() -> OtlpJsonDecoder.decode(bytes, 0, bytes.length, null))
            .isInstanceOf(MalformedRecordException.class);
      }
    }

    @Test
    void everyTruncationOfALineIsMalformed() throws Exception {
      String line = corpus("traces.jsonl").get(0);
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);

      assertThat(decode(line)).isNotNull();
      for (int length = 0; length < bytes.length; length++) {
        int cut = length;
        assertThatThrownBy(() -> OtlpJsonDecoder.decode(bytes, 0, cut, OtlpSignal.TRACES))
            .as("cut at %d", cut)
            .isInstanceOf(MalformedRecordException.class);
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {"array", "kvlist", "unknown array", "unknown object"})
    void deepNestingIsMalformedNotAStackOverflow(String shape) {
      int depth = 10_000;
      String open;
      String close;
      switch (shape) {
        case "array":
          open = "{\"arrayValue\":{\"values\":[";
          close = "]}}";
          break;
        case "kvlist":
          open = "{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":";
          close = "}]}}";
          break;
        case "unknown array":
          open = "[";
          close = "]";
          break;
        default:
          open = "{\"a\":";
          close = "}";
      }
      String body =
          open.repeat(depth) + (shape.startsWith("unknown") ? "1" : "{}") + close.repeat(depth);
      String line =
          shape.startsWith("unknown")
              ? "{\"resourceLogs\":[{\"unknown\":" + body + "}]}"
              : String.format(BODY, body);

      assertThatThrownBy(() -> decode(line))
          .isInstanceOf(MalformedRecordException.class)
          .hasMessageContaining("nesting depth")
          .message()
          .hasSizeLessThan(600);
    }

    @Test
    void randomAndMutatedInputsGiveAResultOrMalformedRecordException() {
      Random random = new Random(20240607L);
      List<byte[]> seeds = new ArrayList<>();
      for (String file :
          List.of(
              "traces.jsonl", "metrics.jsonl", "logs.jsonl", "snake-case.jsonl", "empty.jsonl")) {
        for (String line : corpus(file)) {
          seeds.add(line.getBytes(StandardCharsets.UTF_8));
        }
      }
      byte[] alphabet =
          "{}[],:\"0123456789-+.eE \\tnulrfsaxyzABCDEF".getBytes(StandardCharsets.UTF_8);
      int decoded = 0;
      int malformed = 0;
      for (int i = 0; i < 4000; i++) {
        byte[] input;
        if (i % 4 == 0) {
          input = new byte[random.nextInt(64)];
          for (int j = 0; j < input.length; j++) {
            input[j] =
                i % 8 == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
          }
        } else {
          input = mutate(seeds.get(random.nextInt(seeds.size())), random, alphabet);
        }
        try {
          OtlpJsonDecoder.decode(input, 0, input.length, OtlpSignal.values()[i % 3]);
          decoded++;
        } catch (MalformedRecordException e) {
          assertThat(e.getMessage()).startsWith("at ").doesNotContain("\n");
          malformed++;
        }
      }
      assertThat(decoded).isPositive();
      assertThat(malformed).isPositive();
    }

    private byte[] mutate(byte[] seed, Random random, byte[] alphabet) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(seed);
      byte[] bytes = out.toByteArray();
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits && bytes.length > 0; e++) {
        int at = random.nextInt(bytes.length);
        switch (random.nextInt(4)) {
          case 0:
            bytes[at] = alphabet[random.nextInt(alphabet.length)];
            break;
          case 1:
            bytes[at] = (byte) random.nextInt(256);
            break;
          case 2:
            bytes =
                concat(
                    Arrays.copyOf(bytes, at),
                    Arrays.copyOfRange(
                        bytes, Math.min(bytes.length, at + 1 + random.nextInt(8)), bytes.length));
            break;
          default:
            int from = random.nextInt(bytes.length);
            int to = Math.min(bytes.length, from + random.nextInt(40));
            bytes =
                concat(
                    Arrays.copyOf(bytes, at),
                    Arrays.copyOfRange(bytes, from, to),
                    Arrays.copyOfRange(bytes, at, bytes.length));
        }
      }
      return bytes;
    }
  }

  static KeyValue string(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
