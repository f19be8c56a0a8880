package io.github.otlpfile.benchmarks.data;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Realistic, identical input for every exporter under test, produced by the real OpenTelemetry SDK
 * (so the data objects are the SDK's own): 512 spans with about ten attributes and two events each;
 * 512 metric points (eight instruments of four kinds, 64 attribute sets each); 512 log records with
 * ten attributes, a body and a span context. Deterministic apart from trace and span ids and
 * timestamps, whose encoded lengths are fixed.
 */
public final class TelemetryData {
  public static final int BATCH_SIZE = 512;

  private static final String[] ROUTES = {
    "/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/customers/{id}", "/api/v1/cart",
    "/api/v1/checkout", "/health", "/api/v1/products", "/api/v1/products/{id}/reviews"
  };
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
  private static final String[] HOSTS = {
    "orders-7d9f8c6b5-x2kqp",
    "orders-7d9f8c6b5-m8fzt",
    "orders-7d9f8c6b5-p4wld",
    "orders-7d9f8c6b5-c9vrn"
  };

  private TelemetryData() {}

  /** The resource every signal carries: a typical Kubernetes service. */
  public static Resource resource() {
    return Resource.getDefault()
        .merge(
            Resource.create(
                Attributes.builder()
                    .put("service.name", "orders")
                    .put("service.namespace", "shop")
                    .put("service.version", "2.14.3")
                    .put("service.instance.id", "6f1c2b0e-4a0d-4f7e-9d55-0c1e6a8f3b21")
                    .put("deployment.environment.name", "production")
                    .put("host.name", "ip-10-0-12-34.eu-west-1.compute.internal")
                    .put("k8s.namespace.name", "shop")
                    .put("k8s.pod.name", HOSTS[0])
                    .put("k8s.deployment.name", "orders")
                    .put("cloud.region", "eu-west-1")
                    .build()));
  }

  public static List<SpanData> spans() {
    Collector<SpanData> collected = new Collector<>();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource())
            .addSpanProcessor(SimpleSpanProcessor.create(collected.spanExporter()))
            .build();
    Tracer tracer = provider.get("io.opentelemetry.benchmarks.orders", "2.14.3");
    for (int i = 0; i < BATCH_SIZE; i++) {
      String route = ROUTES[i % ROUTES.length];
      String method = METHODS[i % METHODS.length];
      Span span =
          tracer
              .spanBuilder(method + " " + route)
              .setSpanKind(
                  i % 3 == 0 ? SpanKind.SERVER : i % 3 == 1 ? SpanKind.CLIENT : SpanKind.INTERNAL)
              .setAttribute("http.request.method", method)
              .setAttribute("http.route", route)
              .setAttribute("url.path", route.replace("{id}", Integer.toString(10_000 + i)))
              .setAttribute("url.scheme", "https")
              .setAttribute("http.response.status_code", i % 17 == 0 ? 500L : 200L)
              .setAttribute("server.address", "orders.shop.svc.cluster.local")
              .setAttribute("server.port", 8443L)
              .setAttribute("network.protocol.version", "1.1")
              .setAttribute(
                  "user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) shop-client/4.2")
              .setAttribute("app.order.items", (long) (i % 9 + 1))
              .setAttribute("app.cache.hit", i % 2 == 0)
              .startSpan();
      span.addEvent(
          "order.validated",
          Attributes.of(
              AttributeKey.stringKey("order.id"),
              "ord-" + (100_000 + i),
              AttributeKey.longKey("order.lines"),
              (long) (i % 9 + 1)));
      span.addEvent(
          "db.query",
          Attributes.of(
              AttributeKey.stringKey("db.statement"),
              "SELECT id, status, total FROM orders WHERE customer_id = ?",
              AttributeKey.doubleKey("db.duration_ms"),
              1.25 + (i % 13)));
      if (i % 17 == 0) {
        span.setStatus(StatusCode.ERROR, "upstream returned 500");
      }
      span.end();
    }
    provider.shutdown().join(10, TimeUnit.SECONDS);
    return collected.take(BATCH_SIZE);
  }

  public static List<MetricData> metrics() {
    Reader reader = new Reader();
    SdkMeterProvider provider =
        SdkMeterProvider.builder().setResource(resource()).registerMetricReader(reader).build();
    Meter meter = provider.get("io.opentelemetry.benchmarks.orders");
    LongCounter requests =
        meter.counterBuilder("http.server.requests").setUnit("{request}").build();
    LongCounter bytesIn =
        meter.counterBuilder("http.server.request.body.size.total").setUnit("By").build();
    LongCounter errors = meter.counterBuilder("app.orders.errors").setUnit("{error}").build();
    LongUpDownCounter active =
        meter.upDownCounterBuilder("http.server.active_requests").setUnit("{request}").build();
    DoubleHistogram duration =
        meter.histogramBuilder("http.server.request.duration").setUnit("s").build();
    DoubleHistogram dbDuration =
        meter.histogramBuilder("db.client.operation.duration").setUnit("s").build();
    DoubleGauge queueDepth = meter.gaugeBuilder("app.queue.depth").setUnit("{item}").build();
    DoubleGauge cpu = meter.gaugeBuilder("process.cpu.utilization").setUnit("1").build();
    int sets = BATCH_SIZE / 8;
    for (int i = 0; i < sets; i++) {
      Attributes attributes =
          Attributes.builder()
              .put("http.request.method", METHODS[i % METHODS.length])
              .put("http.route", ROUTES[i % ROUTES.length])
              .put("http.response.status_code", 200L + (i / 32) * 300)
              .put("server.address", HOSTS[(i / 8) % HOSTS.length])
              .build();
      for (int n = 0; n < 5; n++) {
        requests.add(1 + n, attributes);
        bytesIn.add(512L * (n + 1), attributes);
        errors.add(n % 2, attributes);
        active.add(n % 3 - 1, attributes);
        duration.record(0.002 * (i + 1) * (n + 1), attributes);
        dbDuration.record(0.0005 * (i + 1) + n * 0.001, attributes);
        queueDepth.set(i * 3 + n, attributes);
        cpu.set(0.01 * (i % 100), attributes);
      }
    }
    List<MetricData> metrics = new ArrayList<>(reader.registration.collectAllMetrics());
    provider.shutdown().join(10, TimeUnit.SECONDS);
    int points = 0;
    for (MetricData metric : metrics) {
      points += metric.getData().getPoints().size();
    }
    if (metrics.size() != 8 || points != BATCH_SIZE) {
      throw new IllegalStateException(
          "expected 8 metrics with "
              + BATCH_SIZE
              + " points, got "
              + metrics.size()
              + "/"
              + points);
    }
    return Collections.unmodifiableList(metrics);
  }

  public static List<LogRecordData> logs() {
    Collector<LogRecordData> collected = new Collector<>();
    SdkLoggerProvider provider =
        SdkLoggerProvider.builder()
            .setResource(resource())
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(collected.logExporter()))
            .build();
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder().build();
    Tracer tracer = tracerProvider.get("io.opentelemetry.benchmarks.orders");
    Logger logger = provider.get("io.opentelemetry.benchmarks.orders.OrderService");
    for (int i = 0; i < BATCH_SIZE; i++) {
      Span span = tracer.spanBuilder("parent").startSpan();
      String route = ROUTES[i % ROUTES.length];
      boolean error = i % 17 == 0;
      logger
          .logRecordBuilder()
          .setContext(Context.root().with(span))
          .setSeverity(error ? Severity.ERROR : Severity.INFO)
          .setSeverityText(error ? "ERROR" : "INFO")
          .setBody(
              error
                  ? "Order ord-" + (100_000 + i) + " failed: upstream payment service returned 500"
                  : "Order ord-" + (100_000 + i) + " accepted for customer cus-" + (4_000 + i % 97))
          .setAttribute(AttributeKey.stringKey("code.function.name"), "OrderService.place")
          .setAttribute(AttributeKey.stringKey("code.file.path"), "OrderService.java")
          .setAttribute(AttributeKey.longKey("code.line.number"), 120L + i % 40)
          .setAttribute(AttributeKey.stringKey("thread.name"), "http-nio-8443-exec-" + (i % 16))
          .setAttribute(AttributeKey.longKey("thread.id"), 40L + i % 16)
          .setAttribute(AttributeKey.stringKey("http.route"), route)
          .setAttribute(AttributeKey.stringKey("order.id"), "ord-" + (100_000 + i))
          .setAttribute(AttributeKey.longKey("order.lines"), (long) (i % 9 + 1))
          .setAttribute(AttributeKey.doubleKey("order.total"), 19.99 * (i % 9 + 1))
          .setAttribute(AttributeKey.booleanKey("customer.returning"), i % 3 == 0)
          .emit();
      span.end();
    }
    provider.shutdown().join(10, TimeUnit.SECONDS);
    tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
    return collected.take(BATCH_SIZE);
  }

  /** Keeps what the SDK exports. */
  private static final class Collector<T> {
    private final List<T> items = Collections.synchronizedList(new ArrayList<>());

    List<T> take(int expected) {
      if (items.size() != expected) {
        throw new IllegalStateException("expected " + expected + " items, got " + items.size());
      }
      return Collections.unmodifiableList(new ArrayList<>(items));
    }

    @SuppressWarnings("unchecked")
    SpanExporter spanExporter() {
      return new SpanExporter() {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
          items.addAll((Collection<T>) spans);
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
          return CompletableResultCode.ofSuccess();
        }
      };
    }

    @SuppressWarnings("unchecked")
    LogRecordExporter logExporter() {
      return new LogRecordExporter() {
        @Override
        public CompletableResultCode export(Collection<LogRecordData> logs) {
          items.addAll((Collection<T>) logs);
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
          return CompletableResultCode.ofSuccess();
        }
      };
    }
  }

  /** A pull reader: the benchmark collects once, on demand. */
  private static final class Reader implements MetricReader {
    private CollectionRegistration registration = CollectionRegistration.noop();

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
