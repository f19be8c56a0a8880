package io.github.otlpfile.cli.view;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileLogRecordExporter;
import io.github.otlpfile.OtlpFileMetricExporter;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongGauge;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Telemetry for the view's tests, made by the real OpenTelemetry SDK and written by the file
 * exporters: a known checkout trace (nested spans, an error, events, a link, a hostile attribute
 * value, correlated logs), other traces of another service, optionally one trace of 10,000 spans,
 * and metrics (a counter by attribute set, a gauge, a histogram) collected several times.
 */
final class ViewTelemetry {
  static final String HOSTILE =
      "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";
  static final String ROOT_NAME = "GET /orders/{id}";
  static final String BIG_ROOT_NAME = "batch.import";
  static final int OTHER_TRACES = 40;
  static final int BIG_TRACE_SPANS = 10_000;
  static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  String checkoutTraceId;
  String bigTraceId;
  String chargeSpanId;
  String selectSpanId;

  private ViewTelemetry() {}

  static ViewTelemetry write(Path directory, OtlpFileFormat format, boolean bigTrace) {
    ViewTelemetry telemetry = new ViewTelemetry();
    telemetry.writeAll(directory, format, bigTrace);
    return telemetry;
  }

  private void writeAll(Path directory, OtlpFileFormat format, boolean bigTrace) {
    Resource checkout = resource("checkout");
    Resource cart = resource("cart");
    SdkTracerProvider checkoutTraces = tracerProvider(directory, format, checkout);
    SdkTracerProvider cartTraces = tracerProvider(directory, format, cart);
    SdkLoggerProvider logs =
        SdkLoggerProvider.builder()
            .setResource(checkout)
            .addLogRecordProcessor(
                BatchLogRecordProcessor.builder(
                        OtlpFileLogRecordExporter.builder()
                            .setDirectory(directory)
                            .setFormat(format)
                            .build())
                    .build())
            .build();
    SdkMeterProvider metrics =
        SdkMeterProvider.builder()
            .setResource(checkout)
            .registerMetricReader(
                PeriodicMetricReader.builder(
                        OtlpFileMetricExporter.builder()
                            .setDirectory(directory)
                            .setFormat(format)
                            .build())
                    .setInterval(Duration.ofHours(1))
                    .build())
            .build();
    try {
      Tracer tracer = checkoutTraces.get("io.example.checkout", "1.4.2");
      Logger logger = logs.get("io.example.checkout");
      Span root = span(tracer, ROOT_NAME, SpanKind.SERVER, null, 0);
      root.setAttribute("http.route", "/orders/{id}");
      root.setAttribute("user.comment", HOSTILE);
      root.setAttribute(AttributeKey.longKey("http.response.status_code"), 500L);
      Span select = span(tracer, "SELECT orders", SpanKind.CLIENT, root, 5);
      select.setAttribute("db.system", "postgresql");
      Span pool = span(tracer, "pool.acquire", SpanKind.INTERNAL, select, 6);
      pool.end(at(8));
      emit(logger, select, Severity.INFO, "order 42 loaded", 20);
      select.end(at(35));
      Span charge =
          tracer
              .spanBuilder("charge card")
              .setParent(Context.root().with(root))
              .setSpanKind(SpanKind.CLIENT)
              .setStartTimestamp(at(40))
              .addLink(
                  SpanContext.create(
                      "0af7651916cd43dd8448eb211c80319c",
                      "b7ad6b7169203331",
                      io.opentelemetry.api.trace.TraceFlags.getSampled(),
                      io.opentelemetry.api.trace.TraceState.getDefault()),
                  Attributes.of(AttributeKey.stringKey("link.reason"), "retry of"))
              .startSpan();
      charge.addEvent("retry", Attributes.of(AttributeKey.longKey("attempt"), 2L), at(60));
      charge.setStatus(StatusCode.ERROR, "card declined");
      emit(logger, charge, Severity.ERROR, "card declined: " + HOSTILE, 85);
      charge.end(at(90));
      root.end(at(120));
      checkoutTraceId = root.getSpanContext().getTraceId();
      chargeSpanId = charge.getSpanContext().getSpanId();
      selectSpanId = select.getSpanContext().getSpanId();

      Tracer cartTracer = cartTraces.get("io.example.cart");
      for (int i = 0; i < OTHER_TRACES; i++) {
        long start = 1000 + i * 50L;
        Span get = span(cartTracer, "GET /cart", SpanKind.SERVER, null, start);
        get.setAttribute("user.id", String.valueOf(i));
        Span read = span(cartTracer, "cache.read", SpanKind.CLIENT, get, start + 1);
        read.end(at(start + 4));
        get.end(at(start + 10 + i));
      }

      if (bigTrace) {
        Tracer batch = checkoutTraces.get("io.example.batch");
        long t = 5000;
        Span big = span(batch, BIG_ROOT_NAME, SpanKind.INTERNAL, null, t);
        for (int c = 0; c < 99; c++) {
          Span chunk = span(batch, "chunk " + c, SpanKind.INTERNAL, big, t + c * 100L);
          for (int r = 0; r < 100; r++) {
            Span row =
                span(batch, "row " + c + "." + r, SpanKind.INTERNAL, chunk, t + c * 100L + r);
            row.end(at(t + c * 100L + r + 1));
          }
          chunk.end(at(t + c * 100L + 100));
        }
        big.end(at(t + 10_000));
        bigTraceId = big.getSpanContext().getTraceId();
      }

      Meter meter = metrics.get("io.example.checkout");
      LongCounter orders =
          meter.counterBuilder("orders.placed").setUnit("{order}").setDescription("Orders").build();
      DoubleHistogram latency =
          meter
              .histogramBuilder("http.server.request.duration")
              .setUnit("ms")
              .setDescription("Request latency")
              .build();
      LongGauge queue = meter.gaugeBuilder("queue.depth").setUnit("{item}").ofLongs().build();
      for (int round = 0; round < 5; round++) {
        orders.add(round + 1, Attributes.of(AttributeKey.stringKey("payment"), "card"));
        orders.add(2, Attributes.of(AttributeKey.stringKey("payment"), "cash"));
        for (int k = 0; k < 10; k++) {
          latency.record(3.0 * k + round * 7);
        }
        queue.set(10L * round + 3);
        metrics.forceFlush().join(10, TimeUnit.SECONDS);
      }
    } finally {
      checkoutTraces.close();
      cartTraces.close();
      logs.close();
      metrics.close();
    }
  }

  private static Resource resource(String service) {
    return Resource.getDefault()
        .merge(
            Resource.create(
                Attributes.of(
                    AttributeKey.stringKey("service.name"),
                    service,
                    AttributeKey.stringKey("deployment.environment"),
                    "test")));
  }

  private static SdkTracerProvider tracerProvider(
      Path directory, OtlpFileFormat format, Resource resource) {
    return SdkTracerProvider.builder()
        .setResource(resource)
        .addSpanProcessor(
            BatchSpanProcessor.builder(
                    OtlpFileSpanExporter.builder()
                        .setDirectory(directory)
                        .setFormat(format)
                        .build())
                .setMaxQueueSize(32_768)
                .setMaxExportBatchSize(512)
                .build())
        .build();
  }

  private static Span span(
      Tracer tracer, String name, SpanKind kind, Span parent, long startMillis) {
    return tracer
        .spanBuilder(name)
        .setParent(parent == null ? Context.root() : Context.root().with(parent))
        .setSpanKind(kind)
        .setStartTimestamp(at(startMillis))
        .startSpan();
  }

  private static void emit(Logger logger, Span span, Severity severity, String body, long millis) {
    logger
        .logRecordBuilder()
        .setContext(Context.root().with(span))
        .setSeverity(severity)
        .setSeverityText(severity.name())
        .setBody(body)
        .setAttribute(AttributeKey.stringKey("order.id"), "42")
        .setTimestamp(at(millis))
        .emit();
  }

  static Instant at(long millis) {
    return T0.plusMillis(millis);
  }
}
