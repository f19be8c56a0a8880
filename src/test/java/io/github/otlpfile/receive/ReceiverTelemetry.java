package io.github.otlpfile.receive;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Real SDK telemetry for the receiver tests: made by the SDK, captured in memory. */
final class ReceiverTelemetry {
  static final Resource RESOURCE =
      Resource.getDefault().merge(Resource.builder().put("service.name", "sender").build());

  private ReceiverTelemetry() {}

  static List<SpanData> spans(int count) {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(RESOURCE)
            .addSpanProcessor(SimpleSpanProcessor.create(memory))
            .build()) {
      Tracer tracer = provider.get("receiver-test", "1.0");
      for (int i = 0; i < count; i++) {
        Span parent = tracer.spanBuilder("parent-" + i).startSpan();
        try (Scope ignored = parent.makeCurrent()) {
          tracer
              .spanBuilder("child-" + i)
              .setAttribute("i", i)
              .startSpan()
              .addEvent("event", Attributes.of(AttributeKey.stringKey("k"), "v"))
              .end();
        } finally {
          parent.end();
        }
      }
      return new ArrayList<>(memory.getFinishedSpanItems()); // closing the exporter clears it
    }
  }

  /** {@code spans} as the body of an OTLP/HTTP binary traces request. */
  static byte[] binary(List<SpanData> spans) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      TraceRequestMarshaler.create(spans).writeBinaryTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<LogRecordData> logRecords(int count) {
    InMemoryLogRecordExporter memory = InMemoryLogRecordExporter.create();
    try (SdkLoggerProvider provider =
        SdkLoggerProvider.builder()
            .setResource(RESOURCE)
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(memory))
            .build()) {
      Logger logger = provider.get("receiver-test");
      for (int i = 0; i < count; i++) {
        logger
            .logRecordBuilder()
            .setSeverity(Severity.WARN)
            .setBody("message " + i)
            .setAttribute(AttributeKey.longKey("i"), (long) i)
            .emit();
      }
      return new ArrayList<>(memory.getFinishedLogRecordItems()); // closing clears it
    }
  }

  static Collection<MetricData> metrics() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider provider =
        SdkMeterProvider.builder().setResource(RESOURCE).registerMetricReader(reader).build()) {
      Meter meter = provider.get("receiver-test");
      meter
          .counterBuilder("requests")
          .build()
          .add(3, Attributes.of(AttributeKey.stringKey("a"), "x"));
      meter
          .counterBuilder("requests")
          .build()
          .add(4, Attributes.of(AttributeKey.stringKey("a"), "y"));
      meter.histogramBuilder("latency").build().record(12.5);
      meter.gaugeBuilder("temperature").build().set(21.5);
      return reader.collectAllMetrics();
    }
  }

  static int points(Collection<MetricData> metrics) {
    int points = 0;
    for (MetricData metric : metrics) {
      points += metric.getData().getPoints().size();
    }
    return points;
  }

  /** A metric as name, type, resource, scope and its points' attributes and values, sorted. */
  static List<String> describe(Collection<MetricData> metrics) {
    TreeSet<String> lines = new TreeSet<>();
    for (MetricData metric : metrics) {
      for (PointData point : metric.getData().getPoints()) {
        lines.add(
            metric.getName()
                + " "
                + metric.getType()
                + " "
                + metric.getResource().getAttributes()
                + " "
                + metric.getInstrumentationScopeInfo().getName()
                + " "
                + point.getAttributes()
                + " "
                + value(point));
      }
    }
    return new ArrayList<>(lines);
  }

  private static String value(PointData point) {
    if (point instanceof io.opentelemetry.sdk.metrics.data.LongPointData) {
      return Long.toString(((io.opentelemetry.sdk.metrics.data.LongPointData) point).getValue());
    }
    if (point instanceof io.opentelemetry.sdk.metrics.data.DoublePointData) {
      return Double.toString(
          ((io.opentelemetry.sdk.metrics.data.DoublePointData) point).getValue());
    }
    if (point instanceof io.opentelemetry.sdk.metrics.data.HistogramPointData) {
      io.opentelemetry.sdk.metrics.data.HistogramPointData h =
          (io.opentelemetry.sdk.metrics.data.HistogramPointData) point;
      return h.getCount() + "/" + h.getSum() + "/" + h.getCounts();
    }
    return point.toString();
  }
}
