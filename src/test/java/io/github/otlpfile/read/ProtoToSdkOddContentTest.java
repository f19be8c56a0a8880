package io.github.otlpfile.read;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.api.common.AttributeKey.valueKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
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
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Content the SDK would not write maps to the closest SDK value and never throws. */
class ProtoToSdkOddContentTest {
  private static final ByteString TRACE_ID = bytes(16, 0x11);
  private static final ByteString SPAN_ID = bytes(8, 0x22);
  private static final ByteString PARENT_ID = bytes(8, 0x33);

  // ---- spans

  @Test
  void emptyRequestsGiveEmptyLists() {
    assertThat(ProtoToSdk.spans(ExportTraceServiceRequest.getDefaultInstance())).isEmpty();
    assertThat(ProtoToSdk.metrics(ExportMetricsServiceRequest.getDefaultInstance())).isEmpty();
    assertThat(ProtoToSdk.logRecords(ExportLogsServiceRequest.getDefaultInstance())).isEmpty();
  }

  @Test
  void emptySpanReadsWithDefaults() {
    SpanData span = span(Span.getDefaultInstance());
    assertThat(span.getSpanContext()).isEqualTo(SpanContext.getInvalid());
    assertThat(span.getParentSpanContext()).isEqualTo(SpanContext.getInvalid());
    assertThat(span.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span.getName()).isEmpty();
    assertThat(span.getResource().getSchemaUrl()).isNull();
    assertThat(span.getInstrumentationScopeInfo().getVersion()).isNull();
    assertThat(span.getInstrumentationScopeInfo().getSchemaUrl()).isNull();
    assertThat(span.hasEnded()).isTrue();
  }

  @Test
  void idsOfTheWrongLengthOrAllZeroGiveTheInvalidContext() {
    Span.Builder span = validSpan();
    assertThat(span(span.clone().setTraceId(bytes(15, 1)).build()).getSpanContext())
        .isEqualTo(SpanContext.getInvalid());
    assertThat(span(span.clone().setSpanId(bytes(9, 1)).build()).getSpanContext())
        .isEqualTo(SpanContext.getInvalid());
    assertThat(span(span.clone().setTraceId(bytes(16, 0)).build()).getSpanContext())
        .isEqualTo(SpanContext.getInvalid());
    assertThat(span(span.clone().setParentSpanId(bytes(8, 0)).build()).getParentSpanContext())
        .isEqualTo(SpanContext.getInvalid());
    assertThat(span(span.clone().setParentSpanId(bytes(3, 1)).build()).getParentSpanContext())
        .isEqualTo(SpanContext.getInvalid());

    SpanData valid = span(span.build());
    assertThat(valid.getTraceId()).isEqualTo("11111111111111111111111111111111");
    assertThat(valid.getSpanId()).isEqualTo("2222222222222222");
    assertThat(valid.getParentSpanId()).isEqualTo("3333333333333333");
    assertThat(span(span.clone().setSpanId(hex("00ff10a0b0c0d0e9")).build()).getSpanId())
        .isEqualTo("00ff10a0b0c0d0e9");
  }

  @ParameterizedTest
  @CsvSource({
    "0, INTERNAL",
    "1, INTERNAL",
    "2, SERVER",
    "3, CLIENT",
    "4, PRODUCER",
    "5, CONSUMER",
    "6, INTERNAL",
    "-1, INTERNAL",
    "99, INTERNAL"
  })
  void spanKindsByNumber(int number, SpanKind kind) {
    assertThat(span(validSpan().setKindValue(number).build()).getKind()).isEqualTo(kind);
  }

  @ParameterizedTest
  @CsvSource({"0, UNSET", "1, OK", "2, ERROR", "3, UNSET", "-5, UNSET"})
  void statusCodesByNumber(int number, StatusCode code) {
    Span proto =
        validSpan().setStatus(Status.newBuilder().setCodeValue(number).setMessage("m")).build();
    assertThat(span(proto).getStatus().getStatusCode()).isEqualTo(code);
    assertThat(span(proto).getStatus().getDescription()).isEqualTo("m");
  }

  @Test
  void flagsGiveTraceFlagsAndParentRemoteness() {
    SpanData sampled = span(validSpan().setFlags(0xFFFF_FC01).build());
    assertThat(sampled.getSpanContext().getTraceFlags()).isEqualTo(TraceFlags.getSampled());
    assertThat(sampled.getParentSpanContext().isRemote()).isFalse();

    SpanData remote = span(validSpan().setFlags(0x301).build());
    assertThat(remote.getParentSpanContext().isRemote()).isTrue();
    assertThat(remote.getParentSpanContext().getTraceFlags()).isEqualTo(TraceFlags.getSampled());
    assertThat(remote.getSpanContext().isRemote()).isFalse();
    // Without CONTEXT_HAS_IS_REMOTE the remote bit means nothing.
    assertThat(span(validSpan().setFlags(0x200).build()).getParentSpanContext().isRemote())
        .isFalse();
    assertThat(span(validSpan().setFlags(0x100).build()).getParentSpanContext().isRemote())
        .isFalse();

    Span.Link link =
        Span.Link.newBuilder().setTraceId(TRACE_ID).setSpanId(PARENT_ID).setFlags(0x301).build();
    SpanData withLink = span(validSpan().addLinks(link).build());
    assertThat(withLink.getLinks().get(0).getSpanContext().isRemote()).isTrue();
    assertThat(withLink.getLinks().get(0).getSpanContext().isSampled()).isTrue();
  }

  @Test
  void parentTakesTheSpansTraceState() {
    SpanData span = span(validSpan().setTraceState("a=1,b=2").build());
    assertThat(span.getSpanContext().getTraceState().asMap()).containsOnlyKeys("a", "b");
    assertThat(span.getParentSpanContext().getTraceState())
        .isEqualTo(span.getSpanContext().getTraceState());
  }

  @Test
  void traceStateParsesAsW3CSays() {
    TraceState state = SpanContexts.parseTraceState(" b=2 ,\t,a=1,vendor@tenant=x ");
    assertThat(state)
        .isEqualTo(
            TraceState.builder().put("vendor@tenant", "x").put("a", "1").put("b", "2").build());
    StringBuilder order = new StringBuilder();
    state.forEach((k, v) -> order.append(k).append(','));
    assertThat(order.toString()).isEqualTo("b,a,vendor@tenant,");

    String tooMany =
        IntStream.range(0, 33).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining(","));
    for (String invalid :
        new String[] {
          "novalue", "=v", "A=1", "a=1,a=2", "a=1,b", "a=x=y", tooMany, "a=\u00e9", ",,"
        }) {
      assertThat(SpanContexts.parseTraceState(invalid))
          .as(invalid)
          .isEqualTo(TraceState.getDefault());
    }
    String thirtyTwo =
        IntStream.range(0, 32).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining(","));
    assertThat(SpanContexts.parseTraceState(thirtyTwo).size()).isEqualTo(32);
    assertThat(
            span(validSpan().setTraceState("bad state").build()).getSpanContext().getTraceState())
        .isEqualTo(TraceState.getDefault());
  }

  @Test
  void countsAddDroppedAndSaturate() {
    Span proto =
        validSpan()
            .addAttributes(kv("a", AnyValue.newBuilder().setIntValue(1).build()))
            .setDroppedAttributesCount(-1) // uint32 4294967295
            .addEvents(Span.Event.newBuilder().setName("e").setDroppedAttributesCount(3))
            .setDroppedEventsCount(2)
            .setDroppedLinksCount(5)
            .build();
    SpanData span = span(proto);
    assertThat(span.getTotalAttributeCount()).isEqualTo(Integer.MAX_VALUE);
    assertThat(span.getTotalRecordedEvents()).isEqualTo(3);
    assertThat(span.getEvents().get(0).getTotalAttributeCount()).isEqualTo(3);
    assertThat(span.getTotalRecordedLinks()).isEqualTo(5);
  }

  // ---- attributes

  @Test
  void attributesOfEveryShape() {
    AnyValue mixed = array(string("a"), AnyValue.newBuilder().setIntValue(1).build());
    AnyValue nested = array(array(string("x")), array(string("y")));
    AnyValue kvlist =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder()
                    .addValues(kv("k", string("v")))
                    .addValues(kv("k", string("again"))))
            .build();
    Span proto =
        validSpan()
            .addAttributes(kv("dup", string("first")))
            .addAttributes(kv("dup", AnyValue.newBuilder().setIntValue(2).build()))
            .addAttributes(kv("empty.array", array()))
            .addAttributes(kv("mixed", mixed))
            .addAttributes(kv("nested", nested))
            .addAttributes(kv("kvlist", kvlist))
            .addAttributes(kv("bytes", AnyValue.newBuilder().setBytesValue(hex("00ff")).build()))
            .addAttributes(kv("nothing", AnyValue.getDefaultInstance()))
            .addAttributes(kv("strindex", AnyValue.newBuilder().setStringValueStrindex(3).build()))
            .addAttributes(KeyValue.newBuilder().setKey("no.value"))
            .addAttributes(kv("", string("empty key")))
            .build();
    SpanData span = span(proto);
    assertThat(span.getAttributes().get(longKey("dup"))).isEqualTo(2L);
    assertThat(span.getAttributes().get(stringKey("dup"))).isNull();
    assertThat(span.getAttributes().get(stringArrayKey("empty.array"))).isEmpty();
    assertThat(span.getAttributes().get(valueKey("mixed")))
        .isEqualTo(Value.of(Value.of("a"), Value.of(1L)));
    assertThat(span.getAttributes().get(valueKey("nested")))
        .isEqualTo(Value.of(Value.of(Value.of("x")), Value.of(Value.of("y"))));
    assertThat(span.getAttributes().get(valueKey("kvlist")))
        .isEqualTo(
            Value.of(
                io.opentelemetry.api.common.KeyValue.of("k", Value.of("v")),
                io.opentelemetry.api.common.KeyValue.of("k", Value.of("again"))));
    assertThat(span.getAttributes().get(valueKey("bytes")))
        .isEqualTo(Value.of(new byte[] {0, (byte) 0xFF}));
    assertThat(span.getAttributes().get(valueKey("nothing"))).isEqualTo(Value.empty());
    assertThat(span.getAttributes().get(valueKey("strindex"))).isEqualTo(Value.empty());
    assertThat(span.getAttributes().get(valueKey("no.value"))).isEqualTo(Value.empty());
    assertThat(span.getAttributes().size()).isEqualTo(9);
    assertThat(span.getTotalAttributeCount()).isEqualTo(9);
  }

  @Test
  void keysReusedBetweenItemsStillMatchTheirNameAndType() {
    AnyValue one = AnyValue.newBuilder().setIntValue(1).build();
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .addSpans(validSpan().addAttributes(kv("a", string("s"))))
                            .addSpans(validSpan().addAttributes(kv("a", one)))
                            .addSpans(validSpan().addAttributes(kv("b", one)))
                            .addSpans(validSpan().addAttributes(kv("b", one)))
                            .addSpans(validSpan().addAttributes(kv("a", string("t"))))
                            .addSpans(validSpan().addAttributes(kv("b", one)))))
            .build();
    List<SpanData> spans = ProtoToSdk.spans(request);
    assertThat(spans.get(0).getAttributes().asMap()).containsOnlyKeys(stringKey("a"));
    assertThat(spans.get(1).getAttributes().asMap()).containsOnlyKeys(longKey("a"));
    assertThat(spans.get(2).getAttributes().asMap()).containsOnlyKeys(longKey("b"));
    assertThat(spans.get(3).getAttributes()).isEqualTo(spans.get(2).getAttributes());
    assertThat(spans.get(4).getAttributes().asMap()).containsOnlyKeys(stringKey("a"));
    assertThat(spans.get(5).getAttributes()).isEqualTo(spans.get(2).getAttributes());
  }

  @Test
  void resourceKeysTheSdkRejectsAreDropped() {
    Resource resource =
        Resource.newBuilder()
            .addAttributes(kv("ok", string("yes")))
            .addAttributes(kv("with space~", string("printable")))
            .addAttributes(kv("x".repeat(255), string("longest allowed")))
            .addAttributes(kv("caf\u00e9", string("non-ascii key")))
            .addAttributes(kv("x".repeat(256), string("too long")))
            .addAttributes(kv("tab\tkey", string("control character")))
            .build();
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(resource)
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(validSpan())))
            .build();
    SpanData span = ProtoToSdk.spans(request).get(0);
    assertThat(span.getResource().getAttributes().asMap())
        .containsOnlyKeys(stringKey("ok"), stringKey("with space~"), stringKey("x".repeat(255)));
  }

  // ---- metrics

  @Test
  void metricWithoutDataIsSkipped() {
    List<MetricData> metrics =
        metrics(
            Metric.newBuilder().setName("nothing").build(),
            Metric.newBuilder()
                .setName("gauge")
                .setGauge(
                    Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(1)))
                .build());
    assertThat(metrics).extracting(MetricData::getName).containsExactly("gauge");
    assertThat(metrics.get(0).getType()).isEqualTo(MetricDataType.LONG_GAUGE);
  }

  @Test
  void mixedPointsMakeADoubleMetric() {
    Metric mixed =
        Metric.newBuilder()
            .setName("mixed")
            .setSum(
                Sum.newBuilder()
                    .setIsMonotonic(true)
                    .addDataPoints(NumberDataPoint.newBuilder().setAsInt(3))
                    .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(0.5))
                    .addDataPoints(
                        NumberDataPoint.newBuilder()
                            .setAsDouble(1)
                            .addExemplars(Exemplar.newBuilder().setAsInt(7))))
            .build();
    Metric empty =
        Metric.newBuilder().setName("empty").setGauge(Gauge.getDefaultInstance()).build();
    List<MetricData> metrics = metrics(mixed, empty);
    MetricData sum = metrics.get(0);
    assertThat(sum.getType()).isEqualTo(MetricDataType.DOUBLE_SUM);
    assertThat(sum.getDoubleSumData().isMonotonic()).isTrue();
    assertThat(sum.getDoubleSumData().getPoints())
        .extracting(DoublePointData::getValue)
        .containsExactly(3.0, 0.5, 1.0);
    assertThat(sum.getDoubleSumData().getPoints().stream().skip(2).findFirst().get().getExemplars())
        .extracting(e -> e.getValue())
        .containsExactly(7.0);
    assertThat(metrics.get(1).getType()).isEqualTo(MetricDataType.DOUBLE_GAUGE);
    assertThat(metrics.get(1).isEmpty()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"0, CUMULATIVE", "1, DELTA", "2, CUMULATIVE", "7, CUMULATIVE"})
  void temporalityByNumber(int number, io.opentelemetry.sdk.metrics.data.AggregationTemporality t) {
    Metric metric =
        Metric.newBuilder()
            .setName("sum")
            .setSum(
                Sum.newBuilder()
                    .setAggregationTemporalityValue(number)
                    .addDataPoints(NumberDataPoint.newBuilder().setAsInt(1)))
            .build();
    assertThat(metrics(metric).get(0).getLongSumData().getAggregationTemporality()).isEqualTo(t);
  }

  @Test
  void exemplarsOfLongPoints() {
    Exemplar withIds =
        Exemplar.newBuilder()
            .setTraceId(TRACE_ID)
            .setSpanId(SPAN_ID)
            .setAsDouble(2.9)
            .setTimeUnixNano(5)
            .addFilteredAttributes(kv("f", string("v")))
            .build();
    Exemplar badIds =
        Exemplar.newBuilder().setTraceId(bytes(3, 1)).setSpanId(SPAN_ID).setAsInt(4).build();
    Metric metric =
        Metric.newBuilder()
            .setName("g")
            .setGauge(
                Gauge.newBuilder()
                    .addDataPoints(
                        NumberDataPoint.newBuilder()
                            .setAsInt(1)
                            .addExemplars(withIds)
                            .addExemplars(badIds)))
            .build();
    LongPointData point = metrics(metric).get(0).getLongGaugeData().getPoints().iterator().next();
    List<LongExemplarData> exemplars = point.getExemplars();
    assertThat(exemplars.get(0).getValue()).isEqualTo(2L);
    assertThat(exemplars.get(0).getEpochNanos()).isEqualTo(5);
    assertThat(exemplars.get(0).getFilteredAttributes().get(stringKey("f"))).isEqualTo("v");
    assertThat(exemplars.get(0).getSpanContext())
        .isEqualTo(
            SpanContext.create(
                "11111111111111111111111111111111",
                "2222222222222222",
                TraceFlags.getSampled(),
                TraceState.getDefault()));
    assertThat(exemplars.get(1).getSpanContext()).isEqualTo(SpanContext.getInvalid());
    assertThat(exemplars.get(1).getValue()).isEqualTo(4L);
    assertThat(point.toString()).startsWith("ReadLongPointData{");
    assertThat(point)
        .isEqualTo(metrics(metric).get(0).getLongGaugeData().getPoints().iterator().next());
  }

  @Test
  void histogramsKeepWhatTheSdkFactoryWouldReject() {
    HistogramDataPoint odd =
        HistogramDataPoint.newBuilder()
            .setCount(9)
            .addAllExplicitBounds(List.of(5.0, 1.0, Double.POSITIVE_INFINITY))
            .addAllBucketCounts(List.of(1L, 2L))
            .setMin(-1)
            .build();
    HistogramDataPoint noBuckets = HistogramDataPoint.newBuilder().setCount(4).setSum(8).build();
    Metric metric =
        Metric.newBuilder()
            .setName("h")
            .setHistogram(
                Histogram.newBuilder()
                    .setAggregationTemporalityValue(1)
                    .addDataPoints(odd)
                    .addDataPoints(noBuckets))
            .build();
    List<HistogramPointData> points =
        List.copyOf(metrics(metric).get(0).getHistogramData().getPoints());
    assertThat(points.get(0).getCount()).isEqualTo(9);
    assertThat(points.get(0).getBoundaries()).containsExactly(5.0, 1.0, Double.POSITIVE_INFINITY);
    assertThat(points.get(0).getCounts()).containsExactly(1L, 2L);
    assertThat(points.get(0).getSum()).isZero();
    assertThat(points.get(0).hasMin()).isTrue();
    assertThat(points.get(0).hasMax()).isFalse();
    assertThat(points.get(1).getCount()).isEqualTo(4);
    assertThat(points.get(1).getCounts()).isEmpty();
    assertThat(points.get(0)).isNotEqualTo(points.get(1));
    assertThat(points.get(0).toString()).startsWith("ReadHistogramPointData{");
  }

  @Test
  void exponentialHistogramWithoutBuckets() {
    Metric metric =
        Metric.newBuilder()
            .setName("e")
            .setExponentialHistogram(
                ExponentialHistogram.newBuilder()
                    .addDataPoints(
                        ExponentialHistogramDataPoint.newBuilder()
                            .setScale(-3)
                            .setZeroCount(2)
                            .setZeroThreshold(0.1)))
            .build();
    MetricData data = metrics(metric).get(0);
    assertThat(data.getExponentialHistogramData().getPoints())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getScale()).isEqualTo(-3);
              assertThat(p.getCount()).isEqualTo(2);
              assertThat(p.getPositiveBuckets().getBucketCounts()).isEmpty();
              assertThat(p.getNegativeBuckets().getScale()).isEqualTo(-3);
            });
  }

  // ---- logs

  @ParameterizedTest
  @CsvSource({
    "0, UNDEFINED_SEVERITY_NUMBER",
    "1, TRACE",
    "9, INFO",
    "24, FATAL4",
    "25, UNDEFINED_SEVERITY_NUMBER",
    "-1, UNDEFINED_SEVERITY_NUMBER"
  })
  void severityByNumber(int number, Severity severity) {
    assertThat(log(LogRecord.newBuilder().setSeverityNumberValue(number).build()).getSeverity())
        .isEqualTo(severity);
  }

  @Test
  @SuppressWarnings("deprecation") // getBody() is what both SDK versions still offer
  void logBodiesAndEmptyFields() {
    LogRecordData none = log(LogRecord.getDefaultInstance());
    assertThat(none.getBodyValue()).isNull();
    assertThat(none.getBody()).isEqualTo(Body.empty());
    assertThat(none.getSeverityText()).isNull();
    assertThat(none.getEventName()).isNull();
    assertThat(none.getSpanContext()).isEqualTo(SpanContext.getInvalid());

    LogRecordData empty =
        log(LogRecord.newBuilder().setBody(AnyValue.getDefaultInstance()).build());
    assertThat(empty.getBodyValue()).isEqualTo(Value.empty());

    LogRecordData number =
        log(
            LogRecord.newBuilder()
                .setBody(AnyValue.newBuilder().setIntValue(5))
                .setTraceId(TRACE_ID)
                .setSpanId(SPAN_ID)
                .setFlags(0x101)
                .setEventName("e")
                .build());
    assertThat(number.getBodyValue()).isEqualTo(Value.of(5L));
    assertThat(number.getBody()).isEqualTo(Body.string("5"));
    assertThat(number.getEventName()).isEqualTo("e");
    assertThat(number.getSpanContext().isSampled()).isTrue();
    assertThat(number.getSpanContext().isRemote()).isFalse();

    LogRecordData badIds =
        log(LogRecord.newBuilder().setTraceId(TRACE_ID).setSpanId(bytes(2, 1)).build());
    assertThat(badIds.getSpanContext()).isEqualTo(SpanContext.getInvalid());
  }

  // ---- any bytes

  /** Messages parsed from damaged bytes map without an exception, whatever signal they were. */
  @Test
  void damagedBytesThatStillParseNeverThrow() {
    List<byte[]> sources =
        List.of(
            richTraceRequest().toByteArray(),
            richMetricsRequest().toByteArray(),
            richLogsRequest().toByteArray());
    Random random = new Random(42);
    int parsed = 0;
    for (int round = 0; round < 3_000; round++) {
      byte[] damaged = sources.get(round % sources.size()).clone();
      for (int i = 0; i < 1 + random.nextInt(4); i++) {
        damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
      }
      parsed += mapsWithoutThrowing(damaged) ? 1 : 0;
    }
    assertThat(parsed).isGreaterThan(100);
  }

  /** Whether {@code bytes} parsed as any of the three requests; each that does must map. */
  private static boolean mapsWithoutThrowing(byte[] bytes) {
    boolean parsed = false;
    try {
      ExportTraceServiceRequest traces = ExportTraceServiceRequest.parseFrom(bytes);
      parsed = true;
      assertThatCode(() -> ProtoToSdk.spans(traces)).doesNotThrowAnyException();
    } catch (InvalidProtocolBufferException e) {
      // not a message: nothing to map
    }
    try {
      ExportMetricsServiceRequest metrics = ExportMetricsServiceRequest.parseFrom(bytes);
      parsed = true;
      assertThatCode(() -> ProtoToSdk.metrics(metrics)).doesNotThrowAnyException();
    } catch (InvalidProtocolBufferException e) {
      // not a message: nothing to map
    }
    try {
      ExportLogsServiceRequest logs = ExportLogsServiceRequest.parseFrom(bytes);
      parsed = true;
      assertThatCode(() -> ProtoToSdk.logRecords(logs)).doesNotThrowAnyException();
    } catch (InvalidProtocolBufferException e) {
      // not a message: nothing to map
    }
    return parsed;
  }

  private static ExportMetricsServiceRequest richMetricsRequest() {
    Exemplar exemplar =
        Exemplar.newBuilder().setTraceId(TRACE_ID).setSpanId(SPAN_ID).setAsInt(3).build();
    NumberDataPoint number =
        NumberDataPoint.newBuilder()
            .setAsInt(5)
            .addAttributes(kv("k", string("v")))
            .addExemplars(exemplar)
            .build();
    Metric[] metrics = {
      Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder().addDataPoints(number)).build(),
      Metric.newBuilder()
          .setName("s")
          .setSum(Sum.newBuilder().setAggregationTemporalityValue(1).addDataPoints(number))
          .build(),
      Metric.newBuilder()
          .setName("h")
          .setHistogram(
              Histogram.newBuilder()
                  .addDataPoints(
                      HistogramDataPoint.newBuilder()
                          .setCount(3)
                          .setSum(2)
                          .addExplicitBounds(1)
                          .addAllBucketCounts(List.of(1L, 2L))
                          .addExemplars(exemplar)))
          .build(),
      Metric.newBuilder()
          .setName("e")
          .setExponentialHistogram(
              ExponentialHistogram.newBuilder()
                  .addDataPoints(
                      ExponentialHistogramDataPoint.newBuilder()
                          .setScale(2)
                          .setPositive(
                              ExponentialHistogramDataPoint.Buckets.newBuilder()
                                  .setOffset(-1)
                                  .addBucketCounts(4))))
          .build(),
      Metric.newBuilder()
          .setName("q")
          .setSummary(
              io.opentelemetry.proto.metrics.v1.Summary.newBuilder()
                  .addDataPoints(
                      io.opentelemetry.proto.metrics.v1.SummaryDataPoint.newBuilder()
                          .setCount(1)
                          .addQuantileValues(
                              io.opentelemetry.proto.metrics.v1.SummaryDataPoint.ValueAtQuantile
                                  .newBuilder()
                                  .setQuantile(0.5)
                                  .setValue(1))))
          .build()
    };
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
        .build();
  }

  private static ExportLogsServiceRequest richLogsRequest() {
    LogRecord log =
        LogRecord.newBuilder()
            .setTimeUnixNano(1)
            .setSeverityNumberValue(9)
            .setSeverityText("INFO")
            .setBody(array(string("a"), AnyValue.newBuilder().setBoolValue(true).build()))
            .addAttributes(kv("k", string("v")))
            .setTraceId(TRACE_ID)
            .setSpanId(SPAN_ID)
            .setEventName("e")
            .build();
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder().addLogRecords(log)))
        .build();
  }

  private static ExportTraceServiceRequest richTraceRequest() {
    Span span =
        validSpan()
            .setName("rich")
            .setTraceState("a=1")
            .addAttributes(kv("s", string("v")))
            .addAttributes(kv("arr", array(string("a"), string("b"))))
            .addEvents(Span.Event.newBuilder().setName("e").addAttributes(kv("k", string("v"))))
            .addLinks(Span.Link.newBuilder().setTraceId(TRACE_ID).setSpanId(PARENT_ID))
            .setStatus(Status.newBuilder().setCodeValue(2).setMessage("bad"))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("r", string("x"))))
                .setSchemaUrl("https://r")
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("s").setVersion("1"))
                        .addSpans(span)))
        .build();
  }

  // ---- helpers

  private static Span.Builder validSpan() {
    return Span.newBuilder()
        .setTraceId(TRACE_ID)
        .setSpanId(SPAN_ID)
        .setParentSpanId(PARENT_ID)
        .setFlags(1)
        .setName("span");
  }

  private static SpanData span(Span span) {
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
            .build();
    List<SpanData> spans = ProtoToSdk.spans(request);
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  private static List<MetricData> metrics(Metric... metrics) {
    return ProtoToSdk.metrics(
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
            .build());
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

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static AnyValue string(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static AnyValue array(AnyValue... values) {
    return AnyValue.newBuilder()
        .setArrayValue(ArrayValue.newBuilder().addAllValues(List.of(values)))
        .build();
  }

  private static ByteString bytes(int length, int value) {
    byte[] b = new byte[length];
    java.util.Arrays.fill(b, (byte) value);
    return ByteString.copyFrom(b);
  }

  private static ByteString hex(String hex) {
    return ByteString.copyFrom(java.util.HexFormat.of().parseHex(hex));
  }
}
