package io.github.otlpfile.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSummaryData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSummaryPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableValueAtQuantile;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SDK's own OTLP/JSON marshalers write data that decodes to exactly what protobuf parses from
 * the same marshalers' binary output.
 */
class OtlpJsonDecoderSdkTest {
  private static final Resource RESOURCE =
      Resource.create(
          Attributes.builder()
              .put("service.name", "round-trip")
              .put("service.instance.id", "i-1")
              .put("host.cpus", 8L)
              .build(),
          "https://opentelemetry.io/schemas/1.24.0");
  private static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.builder("io.example.roundtrip")
          .setVersion("1.2.3")
          .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0")
          .setAttributes(Attributes.of(AttributeKey.stringKey("scope.attr"), "yes"))
          .build();
  private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
  private static final SpanContext REMOTE_PARENT =
      SpanContext.createFromRemoteParent(
          TRACE_ID, "eee19b7ec3c1b173", TraceFlags.getSampled(), TraceState.getDefault());

  @Test
  void spans() throws Exception {
    List<SpanData> spans = new ArrayList<>();
    SpanKind[] kinds = SpanKind.values();
    for (int i = 0; i < 12; i++) {
      long start = 1_700_000_000_000_000_000L + i * 1_000_000L;
      Attributes attributes = richAttributes(i);
      spans.add(
          TestSpanData.builder()
              .setResource(i % 3 == 0 ? Resource.empty() : RESOURCE)
              .setInstrumentationScopeInfo(SCOPE)
              .setSpanContext(
                  SpanContext.create(
                      String.format("%032x", 0xABCDEFL * (i + 1)),
                      String.format("%016x", 0x1234L * (i + 1)),
                      i % 2 == 0 ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                      TraceState.builder().put("vendor", "v" + i).build()))
              .setParentSpanContext(i % 4 == 0 ? SpanContext.getInvalid() : REMOTE_PARENT)
              .setName("operation " + i)
              .setKind(kinds[i % kinds.length])
              .setStartEpochNanos(start)
              .setEndEpochNanos(start + 12_345)
              .setAttributes(attributes)
              .setTotalAttributeCount(attributes.size() + i % 2)
              .setEvents(
                  Arrays.asList(
                      EventData.create(
                          start + 1, "first", Attributes.of(AttributeKey.longKey("n"), (long) i)),
                      EventData.create(start + 2, "exception", richAttributes(i + 1), 30)))
              .setTotalRecordedEvents(2 + i)
              .setLinks(
                  List.of(
                      LinkData.create(
                          SpanContext.create(
                              "0af7651916cd43dd8448eb211c80319c",
                              "b7ad6b7169203331",
                              TraceFlags.getSampled(),
                              TraceState.builder().put("other", "x").build()),
                          Attributes.of(AttributeKey.booleanKey("linked"), true),
                          3)))
              .setTotalRecordedLinks(1 + i % 3)
              .setStatus(
                  i % 3 == 0
                      ? StatusData.unset()
                      : i % 3 == 1
                          ? StatusData.ok()
                          : StatusData.create(StatusCode.ERROR, "boom " + i))
              .setHasEnded(true)
              .build());
    }
    Marshaler marshaler = TraceRequestMarshaler.create(spans);

    ExportTraceServiceRequest fromBinary = ExportTraceServiceRequest.parseFrom(binary(marshaler));
    assertThat(decodeJson(TraceRequestMarshaler.create(spans))).isEqualTo(fromBinary);
    assertThat(fromBinary.getResourceSpansCount()).isEqualTo(2);
  }

  @Test
  void metrics() throws Exception {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .setResource(RESOURCE)
            .registerMetricReader(reader)
            .registerView(
                InstrumentSelector.builder().setName("exponential").build(),
                View.builder()
                    .setAggregation(Aggregation.base2ExponentialBucketHistogram())
                    .build())
            .build();
    Meter meter =
        provider.meterBuilder("io.example.metrics").setInstrumentationVersion("2").build();
    // Recorded inside a sampled span, so that the points carry exemplars with ids.
    Context sampled =
        Context.root()
            .with(
                io.opentelemetry.api.trace.Span.wrap(
                    SpanContext.create(
                        TRACE_ID,
                        "eee19b7ec3c1b174",
                        TraceFlags.getSampled(),
                        TraceState.getDefault())));
    LongCounter counter = meter.counterBuilder("requests").setUnit("1").build();
    DoubleHistogram latency =
        meter.histogramBuilder("latency").setUnit("ms").setDescription("Request latency").build();
    DoubleHistogram exponential = meter.histogramBuilder("exponential").build();
    for (int i = 0; i < 50; i++) {
      Attributes attributes = Attributes.of(AttributeKey.stringKey("route"), "/r" + i % 3);
      counter.add(i, attributes, sampled);
      latency.record(i * 1.5, attributes, sampled);
      exponential.record(i == 0 ? 0 : (i % 2 == 0 ? i * 0.25 : -i * 10.0), attributes, sampled);
    }
    meter.counterBuilder("doubles").ofDoubles().build().add(2.5, Attributes.empty(), sampled);
    meter.upDownCounterBuilder("queue").build().add(-3);
    meter.gaugeBuilder("temperature").build().set(21.5, Attributes.empty(), sampled);
    meter.gaugeBuilder("threads").ofLongs().build().set(12);
    meter.gaugeBuilder("observed").buildWithCallback(m -> m.record(0.75));
    List<MetricData> metrics = new ArrayList<>(reader.collectAllMetrics());
    metrics.add(
        ImmutableMetricData.createDoubleSummary(
            RESOURCE,
            SCOPE,
            "gc.pause",
            "GC pauses",
            "s",
            ImmutableSummaryData.create(
                List.of(
                    ImmutableSummaryPointData.create(
                        1_700_000_000_000_000_000L,
                        1_700_000_060_000_000_000L,
                        Attributes.of(AttributeKey.stringKey("gc"), "young"),
                        20,
                        0.75,
                        List.of(
                            ImmutableValueAtQuantile.create(0.0, 0.01),
                            ImmutableValueAtQuantile.create(0.5, 0.03),
                            ImmutableValueAtQuantile.create(1.0, 0.09)))))));
    provider.close();

    ExportMetricsServiceRequest fromBinary =
        ExportMetricsServiceRequest.parseFrom(binary(MetricsRequestMarshaler.create(metrics)));
    assertThat(decodeJson(MetricsRequestMarshaler.create(metrics))).isEqualTo(fromBinary);
    List<Metric.DataCase> kinds = new ArrayList<>();
    boolean exemplarWithIds = false;
    for (var resourceMetrics : fromBinary.getResourceMetricsList()) {
      for (var scopeMetrics : resourceMetrics.getScopeMetricsList()) {
        for (Metric metric : scopeMetrics.getMetricsList()) {
          kinds.add(metric.getDataCase());
          if (metric.hasHistogram()) {
            exemplarWithIds |=
                !metric.getHistogram().getDataPoints(0).getExemplars(0).getTraceId().isEmpty();
          }
        }
      }
    }
    assertThat(kinds)
        .contains(
            Metric.DataCase.SUM,
            Metric.DataCase.GAUGE,
            Metric.DataCase.HISTOGRAM,
            Metric.DataCase.EXPONENTIAL_HISTOGRAM,
            Metric.DataCase.SUMMARY);
    assertThat(exemplarWithIds).isTrue();
  }

  @Test
  void logRecords() throws Exception {
    List<Value<?>> bodies =
        List.of(
            Value.of("text with \"quotes\", ünïcödé and a \ud83d\ude00\n"),
            Value.of(true),
            Value.of(Long.MIN_VALUE),
            Value.of(-2.5e-3),
            Value.of(new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF, 0, 1}),
            Value.of(Value.of("a"), Value.of(1L), Value.of(Value.of(false))),
            Value.of(
                KeyValue.of("user", Value.of(KeyValue.of("id", Value.of(7L)))),
                KeyValue.of("roles", Value.of(Value.of("admin"), Value.of("dev")))));
    List<LogRecordData> records = new ArrayList<>();
    Severity[] severities = Severity.values();
    for (int i = 0; i < bodies.size(); i++) {
      records.add(
          TestLogRecordData.builder()
              .setResource(RESOURCE)
              .setInstrumentationScopeInfo(SCOPE)
              .setTimestamp(1_700_000_000_000_000_000L + i, TimeUnit.NANOSECONDS)
              .setObservedTimestamp(1_700_000_000_000_001_000L + i, TimeUnit.NANOSECONDS)
              .setSeverity(severities[i % severities.length])
              .setSeverityText("level " + i)
              .setBodyValue(bodies.get(i))
              .setAttributes(richAttributes(i))
              .setTotalAttributeCount(richAttributes(i).size() + i)
              .setSpanContext(
                  i % 2 == 0
                      ? SpanContext.getInvalid()
                      : SpanContext.create(
                          TRACE_ID,
                          "eee19b7ec3c1b174",
                          TraceFlags.getSampled(),
                          TraceState.getDefault()))
              .setEventName(i % 2 == 0 ? "event." + i : null)
              .build());
    }

    ExportLogsServiceRequest fromBinary =
        ExportLogsServiceRequest.parseFrom(binary(LogsRequestMarshaler.create(records)));
    assertThat(decodeJson(LogsRequestMarshaler.create(records))).isEqualTo(fromBinary);
    assertThat(fromBinary.getResourceLogs(0).getScopeLogs(0).getLogRecordsCount())
        .isEqualTo(bodies.size());
  }

  private static Attributes richAttributes(int i) {
    return Attributes.builder()
        .put("string", "value " + i)
        .put("empty", "")
        .put("bool", i % 2 == 0)
        .put("long", -1_000_000_000_000L * i)
        .put("max", Long.MAX_VALUE)
        .put("double", i / 3.0)
        .put(AttributeKey.stringArrayKey("strings"), List.of("a", "b" + i))
        .put(AttributeKey.booleanArrayKey("bools"), List.of(true, false))
        .put(AttributeKey.longArrayKey("longs"), List.of(1L, (long) i))
        .put(AttributeKey.doubleArrayKey("doubles"), List.of(0.5, 1e-9))
        .build();
  }

  private static Object decodeJson(Marshaler marshaler) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    marshaler.writeJsonTo(out);
    byte[] json = out.toByteArray();
    assertThat(json).doesNotContain((byte) '\n');
    return OtlpJsonDecoder.decode(json, 0, json.length, null);
  }

  private static byte[] binary(Marshaler marshaler) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    marshaler.writeBinaryTo(out);
    return out.toByteArray();
  }
}
