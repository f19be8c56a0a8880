package io.github.otlpfile.read;

import static io.opentelemetry.api.common.AttributeKey.booleanArrayKey;
import static io.opentelemetry.api.common.AttributeKey.doubleArrayKey;
import static io.opentelemetry.api.common.AttributeKey.longArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.api.common.AttributeKey.valueKey;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.internal.forward.MetricDataSnapshot;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.LogLimits;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.ExemplarFilter;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Round trips real SDK data: produced by the SDK's providers, encoded by its own OTLP marshalers,
 * parsed by protobuf-java and mapped back, each item must equal its original.
 */
class ProtoToSdkTest {
  private static final Resource RESOURCE =
      Resource.create(
          allTypes("res.").toBuilder().put("service.name", "reader-test").build(),
          "https://opentelemetry.io/schemas/1.24.0");
  private static final Resource OTHER_RESOURCE =
      Resource.create(Attributes.of(stringKey("service.name"), "other"));
  private static final InstrumentationScopeInfo SCOPE_WITH_ATTRIBUTES =
      InstrumentationScopeInfo.builder("scope.with.attributes")
          .setVersion("2.0.0")
          .setSchemaUrl("https://example.com/scope-schema")
          .setAttributes(allTypes("scope."))
          .build();

  /** Attributes of every primitive and array type, including an empty array. */
  static Attributes allTypes(String prefix) {
    return Attributes.builder()
        .put(prefix + "string", "text")
        .put(prefix + "bool", true)
        .put(prefix + "long", 42L)
        .put(prefix + "double", 2.5)
        .put(stringArrayKey(prefix + "strings"), List.of("a", "b"))
        .put(booleanArrayKey(prefix + "bools"), List.of(true, false))
        .put(longArrayKey(prefix + "longs"), List.of(1L, -2L))
        .put(doubleArrayKey(prefix + "doubles"), List.of(0.5, -1.5))
        .put(stringArrayKey(prefix + "empty"), List.of())
        .build();
  }

  /** Attributes the SDK keeps as {@code VALUE}: maps, bytes, mixed and nested arrays, empty. */
  static Attributes valueTypes(String prefix) {
    return Attributes.builder()
        .put(
            valueKey(prefix + "map"),
            Value.of(
                KeyValue.of("k", Value.of("v")),
                KeyValue.of("n", Value.of(1L)),
                KeyValue.of("inner", Value.of(KeyValue.of("deep", Value.of(true))))))
        .put(valueKey(prefix + "bytes"), Value.of(new byte[] {0, 1, (byte) 0xFF}))
        .put(valueKey(prefix + "mixed"), Value.of(Value.of("a"), Value.of(1L), Value.of(2.5)))
        .put(
            valueKey(prefix + "nested"),
            Value.of(Value.of(Value.of(1L), Value.of(2L)), Value.of("x")))
        .put(valueKey(prefix + "nothing"), Value.empty())
        .build();
  }

  // ---- spans

  @Test
  void spansRoundTrip() throws IOException {
    List<SpanData> originals = new ArrayList<>(recordSpans(RESOURCE));
    originals.addAll(recordSpans(OTHER_RESOURCE));
    originals.add(testSpanWithScopeAttributes());

    ExportTraceServiceRequest request = encodeSpans(originals);
    List<SpanData> read = ProtoToSdk.spans(request);

    assertSameItems(originals, read, SpanData::getSpanId);
    // Resources and scopes: one object per group, shared by its items.
    assertThat(distinctInstances(read, SpanData::getResource))
        .hasSize(request.getResourceSpansCount());
    int scopeGroups =
        request.getResourceSpansList().stream().mapToInt(ResourceSpans::getScopeSpansCount).sum();
    assertThat(distinctInstances(read, SpanData::getInstrumentationScopeInfo)).hasSize(scopeGroups);
    // File order.
    List<String> fileOrder = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ss.getSpansList().forEach(s -> fileOrder.add(s.getName()));
      }
    }
    assertThat(read).extracting(SpanData::getName).containsExactlyElementsOf(fileOrder);
    assertThatThrownBy(() -> read.add(read.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);

    // Read data encodes again with the SDK's marshaler and reads back the same.
    assertThat(ProtoToSdk.spans(encodeSpans(read))).containsExactlyInAnyOrderElementsOf(read);
  }

  @Test
  void spanFieldsSurvive() throws IOException {
    List<SpanData> originals = recordSpans(RESOURCE);
    Map<String, SpanData> read = byKey(ProtoToSdk.spans(encodeSpans(originals)), SpanData::getName);

    SpanData server = read.get("server");
    assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(server.getParentSpanContext().isRemote()).isTrue();
    assertThat(server.getParentSpanContext().getSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(server.getSpanContext().isRemote()).isFalse();
    assertThat(server.getSpanContext().getTraceState().get("vendor")).isEqualTo("v1");
    assertThat(server.getSpanContext().getTraceState().asMap()).hasSize(2);
    assertThat(server.getStatus()).isEqualTo(StatusData.create(StatusCode.ERROR, "boom"));
    assertThat(server.getAttributes().get(valueKey("span.bytes")))
        .isEqualTo(Value.of(new byte[] {0, 1, (byte) 0xFF}));
    assertThat(server.getAttributes().get(stringArrayKey("span.empty"))).isEmpty();
    assertThat(server.getTotalAttributeCount()).isGreaterThan(server.getAttributes().size());
    assertThat(server.getTotalRecordedEvents()).isEqualTo(3);
    assertThat(server.getEvents()).hasSize(2);
    assertThat(server.getEvents().get(0).getAttributes().size()).isEqualTo(2);
    assertThat(server.getEvents().get(0).getTotalAttributeCount()).isEqualTo(3);
    assertThat(server.getTotalRecordedLinks()).isEqualTo(3);
    assertThat(server.getLinks().get(0).getSpanContext().isRemote()).isTrue();
    assertThat(server.getLinks().get(0).getSpanContext().getTraceState().get("linked"))
        .isEqualTo("yes");
    assertThat(server.getLinks().get(1).getSpanContext().isRemote()).isFalse();
    assertThat(server.hasEnded()).isTrue();

    SpanData child = read.get("child");
    assertThat(child.getParentSpanContext()).isEqualTo(server.getSpanContext());
    assertThat(read.get("root").getParentSpanContext()).isEqualTo(SpanContext.getInvalid());
    assertThat(read.get("root").getStatus()).isEqualTo(StatusData.ok());
  }

  @Test
  void readSpanEqualsAnyImplementationWithTheSameContent() throws IOException {
    SpanData original = testSpanWithScopeAttributes();
    SpanData read = ProtoToSdk.spans(encodeSpans(List.of(original))).get(0);
    SpanData again = ProtoToSdk.spans(encodeSpans(List.of(original))).get(0);

    assertThat(read).isEqualTo(original).isEqualTo(again).hasSameHashCodeAs(again);
    assertThat(read).isNotEqualTo(copyWithName(original, "other")).isNotEqualTo("not a span");
    assertThat(read.toString())
        .startsWith("ReadSpanData{name=with-scope-attributes")
        .contains("scope.with.attributes");
    @SuppressWarnings("deprecation")
    String libraryName = read.getInstrumentationLibraryInfo().getName();
    assertThat(libraryName).isEqualTo("scope.with.attributes");
  }

  private static List<SpanData> recordSpans(Resource resource) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .setSpanLimits(
                SpanLimits.builder()
                    .setMaxNumberOfAttributes(20)
                    .setMaxNumberOfEvents(2)
                    .setMaxNumberOfLinks(2)
                    .setMaxNumberOfAttributesPerEvent(2)
                    .setMaxNumberOfAttributesPerLink(1)
                    .build())
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    Tracer tracer =
        provider
            .tracerBuilder("scope.a")
            .setInstrumentationVersion("1.2.3")
            .setSchemaUrl("https://example.com/schema")
            .build();
    Tracer plain = provider.get("scope.b");

    TraceState state = TraceState.builder().put("other", "x").put("vendor", "v1").build();
    SpanContext remoteParent =
        SpanContext.createFromRemoteParent(
            "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), state);
    SpanContext remoteLink =
        SpanContext.createFromRemoteParent(
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7",
            TraceFlags.getDefault(),
            TraceState.builder().put("linked", "yes").build());

    Span root = plain.spanBuilder("root").setNoParent().startSpan();
    root.setStatus(StatusCode.OK);
    root.end();

    Span server =
        tracer
            .spanBuilder("server")
            .setParent(Context.root().with(Span.wrap(remoteParent)))
            .setSpanKind(SpanKind.SERVER)
            .setStartTimestamp(1_000_000_000L, NANOSECONDS)
            .setAllAttributes(allTypes("span."))
            .setAllAttributes(valueTypes("span."))
            .addLink(remoteLink, Attributes.of(stringKey("l1"), "a", stringKey("l2"), "b"))
            .addLink(root.getSpanContext())
            .addLink(root.getSpanContext(), Attributes.of(stringKey("third"), "dropped"))
            .startSpan();
    for (int i = 0; i < 10; i++) {
      server.setAttribute("extra." + i, i); // beyond the limit: dropped, counted
    }
    server.addEvent(
        "first",
        Attributes.builder().put("e1", 1L).put("e2", "two").put("e3", true).build(),
        1_100_000_000L,
        NANOSECONDS);
    server.addEvent("second", 1_200_000_000L, NANOSECONDS);
    server.addEvent("third"); // beyond the limit
    server.setStatus(StatusCode.ERROR, "boom");

    try (Scope ignored = server.makeCurrent()) {
      Span child = tracer.spanBuilder("child").setSpanKind(SpanKind.CLIENT).startSpan();
      child.recordException(new IllegalStateException("failed"));
      child.end();
      tracer.spanBuilder("producer").setSpanKind(SpanKind.PRODUCER).startSpan().end();
      tracer.spanBuilder("consumer").setSpanKind(SpanKind.CONSUMER).startSpan().end();
    }
    server.end(2_000_000_000L, NANOSECONDS);
    List<SpanData> spans = exporter.getFinishedSpanItems(); // closing the provider clears them
    provider.close();
    assertThat(spans).hasSize(5);
    return spans;
  }

  private static SpanData testSpanWithScopeAttributes() {
    return TestSpanData.builder()
        .setResource(RESOURCE)
        .setInstrumentationScopeInfo(SCOPE_WITH_ATTRIBUTES)
        .setName("with-scope-attributes")
        .setKind(SpanKind.PRODUCER)
        .setSpanContext(
            SpanContext.create(
                "11111111111111111111111111111111",
                "2222222222222222",
                TraceFlags.getSampled(),
                TraceState.getDefault()))
        .setParentSpanContext(
            SpanContext.create(
                "11111111111111111111111111111111",
                "3333333333333333",
                TraceFlags.getSampled(),
                TraceState.getDefault()))
        .setStartEpochNanos(10)
        .setEndEpochNanos(20)
        .setAttributes(valueTypes("t."))
        .setTotalAttributeCount(7)
        .setEvents(List.of(EventData.create(15, "event", Attributes.of(stringKey("k"), "v"), 3)))
        .setTotalRecordedEvents(4)
        .setLinks(List.of())
        .setTotalRecordedLinks(1)
        .setStatus(StatusData.create(StatusCode.UNSET, ""))
        .setHasEnded(true)
        .build();
  }

  private static SpanData copyWithName(SpanData s, String name) {
    return TestSpanData.builder()
        .setResource(s.getResource())
        .setInstrumentationScopeInfo(s.getInstrumentationScopeInfo())
        .setName(name)
        .setKind(s.getKind())
        .setSpanContext(s.getSpanContext())
        .setParentSpanContext(s.getParentSpanContext())
        .setStartEpochNanos(s.getStartEpochNanos())
        .setEndEpochNanos(s.getEndEpochNanos())
        .setAttributes(s.getAttributes())
        .setTotalAttributeCount(s.getTotalAttributeCount())
        .setEvents(s.getEvents())
        .setTotalRecordedEvents(s.getTotalRecordedEvents())
        .setLinks(s.getLinks())
        .setTotalRecordedLinks(s.getTotalRecordedLinks())
        .setStatus(s.getStatus())
        .setHasEnded(true)
        .build();
  }

  // ---- metrics

  static Stream<Arguments> metricReaders() {
    return Stream.of(MemoryMode.IMMUTABLE_DATA, MemoryMode.REUSABLE_DATA)
        .flatMap(
            mode ->
                Stream.of(
                    Arguments.of(
                        mode, "cumulative", AggregationTemporalitySelector.alwaysCumulative()),
                    Arguments.of(mode, "delta", AggregationTemporalitySelector.deltaPreferred())));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("metricReaders")
  void metricsRoundTrip(MemoryMode mode, String name, AggregationTemporalitySelector temporality)
      throws IOException {
    InMemoryMetricReader reader =
        InMemoryMetricReader.builder()
            .setMemoryMode(mode)
            .setAggregationTemporalitySelector(temporality)
            .build();
    SdkMeterProvider meters =
        SdkMeterProvider.builder()
            .setResource(RESOURCE)
            .setExemplarFilter(ExemplarFilter.alwaysOn())
            .registerView(
                InstrumentSelector.builder().setName("exponential*").build(),
                View.builder()
                    .setAggregation(Aggregation.base2ExponentialBucketHistogram())
                    .build())
            .registerView(
                InstrumentSelector.builder().setName("filtered").build(),
                View.builder().setAttributeFilter(Set.of("kept")).build())
            .registerMetricReader(reader)
            .build();
    SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
            .build();
    // The file carries no flags for exemplars; they read back as sampled. The SDK sets the W3C
    // random flag on the root spans it starts, so the measuring spans continue a remote parent
    // that has the sampled flag only.
    Context sampledParent =
        Context.root()
            .with(
                Span.wrap(
                    SpanContext.createFromRemoteParent(
                        "6bf92f3577b34da6a3ce929d0e0e4736",
                        "20f067aa0ba902b7",
                        TraceFlags.getSampled(),
                        TraceState.getDefault())));
    Meter meter =
        meters
            .meterBuilder("meter.a")
            .setInstrumentationVersion("1.0.0")
            .setSchemaUrl("https://example.com/meter-schema")
            .build();
    Meter plain = meters.get("meter.b");
    Instruments instruments = new Instruments(meter, plain);

    for (int round = 0; round < 2; round++) {
      Span span = tracing.get("t").spanBuilder("measuring").setParent(sampledParent).startSpan();
      assertThat(span.getSpanContext().getTraceFlags()).isEqualTo(TraceFlags.getSampled());
      try (Scope ignored = span.makeCurrent()) {
        instruments.record(round, Attributes.of(stringKey("kind"), "in-span"));
      } finally {
        span.end();
      }
      instruments.record(round, Attributes.builder().putAll(allTypes("p.")).build());

      Collection<MetricData> collected = reader.collectAllMetrics();
      // Under REUSABLE_DATA the SDK refills these objects at the next collection: compare and
      // copy now. Comparing with the SDK's mutable points also shows that equals takes any
      // implementation.
      List<MetricData> read = ProtoToSdk.metrics(encodeMetrics(collected));
      assertSameItems(collected, read, MetricData::getName);
      List<MetricData> snapshot = new ArrayList<>(MetricDataSnapshot.copy(collected));
      assertSameItems(snapshot, read, MetricData::getName);
      assertThat(read)
          .extracting(MetricData::getType)
          .containsOnly(
              MetricDataType.LONG_GAUGE,
              MetricDataType.DOUBLE_GAUGE,
              MetricDataType.LONG_SUM,
              MetricDataType.DOUBLE_SUM,
              MetricDataType.HISTOGRAM,
              MetricDataType.EXPONENTIAL_HISTOGRAM);
      assertThat(ProtoToSdk.metrics(encodeMetrics(read))).containsExactlyInAnyOrderElementsOf(read);
      MetricData counter = byKey(read, MetricData::getName).get("long.counter");
      assertThat(counter.getLongSumData().getPoints())
          .allSatisfy(p -> assertThat(p.getExemplars()).isNotEmpty());
      assertThat(counter.getLongSumData().getPoints())
          .flatExtracting(p -> p.getExemplars())
          .extracting(e -> e.getSpanContext().getSpanId())
          .contains(span.getSpanContext().getSpanId());
      MetricData filtered = byKey(read, MetricData::getName).get("filtered");
      assertThat(filtered.getLongSumData().getPoints())
          .flatExtracting(p -> p.getExemplars())
          .allSatisfy(e -> assertThat(e.getFilteredAttributes().asMap()).isNotEmpty());
    }
    meters.close();
    tracing.close();
  }

  /** One instrument of each kind the SDK has; summaries are built by hand, the SDK makes none. */
  private static final class Instruments {
    private final LongCounter longCounter;
    private final io.opentelemetry.api.metrics.DoubleCounter doubleCounter;
    private final io.opentelemetry.api.metrics.LongUpDownCounter longUpDown;
    private final io.opentelemetry.api.metrics.DoubleUpDownCounter doubleUpDown;
    private final io.opentelemetry.api.metrics.LongGauge longGauge;
    private final io.opentelemetry.api.metrics.DoubleGauge doubleGauge;
    private final DoubleHistogram histogram;
    private final io.opentelemetry.api.metrics.LongHistogram longHistogram;
    private final DoubleHistogram exponential;
    private final io.opentelemetry.api.metrics.LongHistogram exponentialLong;
    private final LongCounter filtered;

    Instruments(Meter meter, Meter plain) {
      longCounter = meter.counterBuilder("long.counter").setDescription("d").setUnit("1").build();
      doubleCounter = meter.counterBuilder("double.counter").ofDoubles().setUnit("s").build();
      longUpDown = meter.upDownCounterBuilder("long.updown").build();
      doubleUpDown = plain.upDownCounterBuilder("double.updown").ofDoubles().build();
      longGauge = meter.gaugeBuilder("long.gauge").ofLongs().build();
      doubleGauge = plain.gaugeBuilder("double.gauge").setDescription("temperature").build();
      histogram = meter.histogramBuilder("histogram").setUnit("ms").build();
      longHistogram = meter.histogramBuilder("long.histogram").ofLongs().build();
      exponential = meter.histogramBuilder("exponential").build();
      exponentialLong = plain.histogramBuilder("exponential.long").ofLongs().build();
      filtered = meter.counterBuilder("filtered").build();
      plain
          .gaugeBuilder("observable.gauge")
          .buildWithCallback(m -> m.record(0.25, Attributes.of(stringKey("cb"), "yes")));
    }

    void record(int round, Attributes attributes) {
      longCounter.add(3 + round, attributes);
      doubleCounter.add(1.5 + round, attributes);
      longUpDown.add(-4 + round, attributes);
      doubleUpDown.add(-0.5 - round, attributes);
      longGauge.set(7 + round, attributes);
      doubleGauge.set(21.5 + round, attributes);
      for (double v : new double[] {0.5, 7, 120, 3_000 + round}) {
        histogram.record(v, attributes);
        exponential.record(v - 100, attributes); // negative, zero-ish and positive buckets
      }
      exponential.record(0, attributes);
      longHistogram.record(12 + round, attributes);
      exponentialLong.record(5 + round, attributes);
      filtered.add(1, Attributes.of(stringKey("kept"), "k", stringKey("dropped"), "d" + round));
    }
  }

  @Test
  void summariesRoundTrip() throws IOException {
    MetricData summary =
        ImmutableMetricData.createDoubleSummary(
            RESOURCE,
            SCOPE_WITH_ATTRIBUTES,
            "summary",
            "a summary",
            "ms",
            SummaryData.create(
                List.of(
                    SummaryPointData.create(
                        1,
                        2,
                        Attributes.of(stringKey("a"), "b"),
                        10,
                        55.5,
                        List.of(ValueAtQuantile.create(0.0, 1), ValueAtQuantile.create(1.0, 9))),
                    SummaryPointData.create(3, 4, Attributes.empty(), 0, 0, List.of()))));
    List<MetricData> read = ProtoToSdk.metrics(encodeMetrics(List.of(summary)));
    assertSameItems(List.of(summary), read, MetricData::getName);
    assertThat(read.get(0).toString()).startsWith("ReadMetricData{name=summary");
  }

  // ---- logs

  @Test
  @SuppressWarnings("deprecation") // getBody() is what both SDK versions still offer
  void logsRoundTrip() throws IOException {
    InMemoryLogRecordExporter exporter = InMemoryLogRecordExporter.create();
    SdkLoggerProvider logs =
        SdkLoggerProvider.builder()
            .setResource(RESOURCE)
            .setLogLimits(() -> LogLimits.builder().setMaxNumberOfAttributes(12).build())
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
            .build();
    Logger logger =
        logs.loggerBuilder("logger.a")
            .setInstrumentationVersion("3.0")
            .setSchemaUrl("https://example.com/log-schema")
            .build();
    Logger plain = logs.get("logger.b");
    SdkTracerProvider tracing = SdkTracerProvider.builder().build();
    Span span = tracing.get("t").spanBuilder("logging").startSpan();
    Context unsampled =
        Context.root()
            .with(
                Span.wrap(
                    SpanContext.create(
                        "5bf92f3577b34da6a3ce929d0e0e4736",
                        "10f067aa0ba902b7",
                        TraceFlags.getDefault(),
                        TraceState.getDefault())));

    List<Value<?>> bodies =
        List.of(
            Value.of("text"),
            Value.of(12L),
            Value.of(1.25),
            Value.of(false),
            Value.of(new byte[] {9, 8}),
            Value.of(Value.of("a"), Value.of("b")),
            Value.of(Value.of("a"), Value.of(2L)),
            Value.of(KeyValue.of("k", Value.of("v")), KeyValue.of("n", Value.empty())),
            Value.empty());
    long time = 1_000L;
    Severity[] severities = Severity.values();
    for (int i = 0; i <= bodies.size(); i++) {
      Logger l = i % 2 == 0 ? logger : plain;
      var builder =
          l.logRecordBuilder()
              .setTimestamp(time + i, NANOSECONDS)
              .setObservedTimestamp(time * 2 + i, NANOSECONDS)
              .setSeverity(severities[i % severities.length])
              .setAllAttributes(i == 0 ? allTypes("log.") : Attributes.of(stringKey("i"), "" + i));
      if (i < bodies.size()) {
        builder.setBody(bodies.get(i));
      }
      if (i % 3 == 0) {
        builder.setSeverityText("LEVEL" + i).setEventName("event." + i);
      }
      if (i == 1) {
        builder.setAllAttributes(valueTypes("log."));
        builder.setAllAttributes(allTypes("more.")); // beyond the limit: dropped, counted
      }
      if (i % 4 == 1) {
        builder.setContext(Context.root().with(span));
      } else if (i % 4 == 2) {
        builder.setContext(unsampled);
      }
      builder.emit();
    }
    plain.logRecordBuilder().setBody("deprecated string body").setTimestamp(5, NANOSECONDS).emit();
    span.end();

    List<LogRecordData> originals = exporter.getFinishedLogRecordItems();
    assertThat(originals).hasSize(bodies.size() + 2);
    List<LogRecordData> read = ProtoToSdk.logRecords(encodeLogs(originals));
    assertSameItems(originals, read, LogRecordData::getTimestampEpochNanos);
    assertThat(ProtoToSdk.logRecords(encodeLogs(read))).containsExactlyInAnyOrderElementsOf(read);

    Map<Long, LogRecordData> byTime = byKey(read, LogRecordData::getTimestampEpochNanos);
    assertThat(byTime.get(time).getBody()).isEqualTo(Body.string("text"));
    assertThat(byTime.get(time).getEventName()).isEqualTo("event.0");
    assertThat(byTime.get(time + 1).getTotalAttributeCount())
        .isGreaterThan(byTime.get(time + 1).getAttributes().size());
    assertThat(byTime.get(time + 1).getSpanContext()).isEqualTo(span.getSpanContext());
    assertThat(byTime.get(time + 2).getSpanContext().getTraceFlags())
        .isEqualTo(TraceFlags.getDefault());
    assertThat(byTime.get(time + 4).getBodyValue()).isEqualTo(Value.of(new byte[] {9, 8}));
    assertThat(byTime.get(time + bodies.size()).getBodyValue()).isNull();
    assertThat(byTime.get(time + bodies.size()).getBody()).isEqualTo(Body.empty());
    assertThat(read.get(0).toString()).startsWith("ReadLogRecordData{");
    logs.close();
    tracing.close();
  }

  @Test
  void readLogRecordEqualsTestData() throws IOException {
    LogRecordData original =
        TestLogRecordData.builder()
            .setResource(OTHER_RESOURCE)
            .setInstrumentationScopeInfo(SCOPE_WITH_ATTRIBUTES)
            .setTimestamp(1, NANOSECONDS)
            .setObservedTimestamp(2, NANOSECONDS)
            .setSeverity(Severity.WARN2)
            .setSeverityText("warning")
            .setBodyValue(Value.of(KeyValue.of("a", Value.of(1.5))))
            .setAttributes(valueTypes("x."))
            .setTotalAttributeCount(9)
            .setEventName("my.event")
            .build();
    LogRecordData read = ProtoToSdk.logRecords(encodeLogs(List.of(original))).get(0);
    LogRecordData again = ProtoToSdk.logRecords(encodeLogs(List.of(original))).get(0);
    assertThat(read).isEqualTo(original).isEqualTo(again).hasSameHashCodeAs(again);
    assertThat(read)
        .isNotEqualTo(TestLogRecordData.builder().setSeverity(Severity.WARN2).build())
        .isNotEqualTo("not a log record");
  }

  // ---- helpers

  static ExportTraceServiceRequest encodeSpans(Collection<SpanData> spans) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeBinaryTo(out);
    return ExportTraceServiceRequest.parseFrom(out.toByteArray());
  }

  static ExportMetricsServiceRequest encodeMetrics(Collection<MetricData> metrics)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MetricsRequestMarshaler.create(metrics).writeBinaryTo(out);
    return ExportMetricsServiceRequest.parseFrom(out.toByteArray());
  }

  static ExportLogsServiceRequest encodeLogs(Collection<LogRecordData> logs) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LogsRequestMarshaler.create(logs).writeBinaryTo(out);
    return ExportLogsServiceRequest.parseFrom(out.toByteArray());
  }

  /**
   * Each read item equals (read.equals(original)) the original with its key, and reading is
   * repeatable with equal hash codes. The marshaler groups items by resource and scope, so they are
   * matched by key, not position.
   */
  private static <T, K> void assertSameItems(
      Collection<? extends T> originals, List<T> read, Function<T, K> key) {
    Map<K, T> expected = byKey(new ArrayList<>(originals), key);
    assertThat(expected).hasSize(originals.size());
    assertThat(read).hasSize(originals.size());
    for (T item : read) {
      T original = expected.get(key.apply(item));
      assertThat(original).as("original of %s", item).isNotNull();
      assertThat(item).as("read item").isEqualTo(original);
      assertThat(item.hashCode()).isEqualTo(item.hashCode());
    }
  }

  private static <T, K> Map<K, T> byKey(List<T> items, Function<T, K> key) {
    Map<K, T> map = new LinkedHashMap<>();
    for (T item : items) {
      map.put(key.apply(item), item);
    }
    return map;
  }

  private static <T> Set<Object> distinctInstances(List<T> items, Function<T, ?> part) {
    Set<Object> set = Collections.newSetFromMap(new IdentityHashMap<>());
    for (T item : items) {
      set.add(part.apply(item));
    }
    return set;
  }
}
