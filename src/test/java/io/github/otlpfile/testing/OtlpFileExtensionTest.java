package io.github.otlpfile.testing;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.OtlpFileSpanExporter;
import io.github.otlpfile.read.OtlpFileReader;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension's API, used as a test author uses it, in this JVM and over OTLP. */
class OtlpFileExtensionTest {
  private static final AttributeKey<String> ITEM = AttributeKey.stringKey("order.item");

  @RegisterExtension static final OtlpFileExtension otel = OtlpFileExtension.create();

  /** A small instrumented class: what a test of instrumentation would exercise. */
  static final class OrderService {
    private final Tracer tracer;
    private final LongCounter orders;

    OrderService(OpenTelemetry openTelemetry) {
      this.tracer = openTelemetry.getTracer("orders", "1.0");
      this.orders = openTelemetry.getMeter("orders").counterBuilder("orders.placed").build();
    }

    void place(String item) {
      Span span = tracer.spanBuilder("place-order").setSpanKind(SpanKind.SERVER).startSpan();
      try (Scope ignored = span.makeCurrent()) {
        span.setAttribute(ITEM, item);
        Span charge = tracer.spanBuilder("charge-card").startSpan();
        charge.setStatus(StatusCode.OK);
        charge.end();
        orders.add(1, Attributes.of(ITEM, item));
      } finally {
        span.end();
      }
    }
  }

  @Test
  void anInstrumentedMethodIsCheckedWithTheSdksTraceAssertions() {
    OrderService service = new OrderService(otel.getOpenTelemetry());

    service.place("book");
    service.place("pen");

    otel.assertTraces()
        .hasTracesSatisfyingExactly(
            trace ->
                trace.hasSpansSatisfyingExactly(
                    span ->
                        span.hasName("place-order")
                            .hasKind(SpanKind.SERVER)
                            .hasNoParent()
                            .hasAttributesSatisfyingExactly(equalTo(ITEM, "book")),
                    span ->
                        span.hasName("charge-card")
                            .hasParent(trace.getSpan(0))
                            .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.ok())),
            trace ->
                trace.hasSpansSatisfyingExactly(
                    span -> span.hasName("place-order").hasAttribute(ITEM, "pen"),
                    span -> span.hasName("charge-card").hasParent(trace.getSpan(0))));
    assertThat(otel.getMetrics())
        .satisfiesExactly(
            metric ->
                assertThat(metric)
                    .hasName("orders.placed")
                    .hasLongSumSatisfying(
                        sum ->
                            sum.isCumulative()
                                .hasPointsSatisfying(
                                    p -> p.hasValue(1).hasAttributes(Attributes.of(ITEM, "book")),
                                    p -> p.hasValue(1).hasAttributes(Attributes.of(ITEM, "pen")))));
  }

  @Test
  void theTelemetryIsInFilesInTheTestsOwnDirectory() throws Exception {
    otel.getOpenTelemetry().getTracer("files").spanBuilder("on-disk").startSpan().end();
    assertThat(otel.getSpans()).hasSize(1);

    Path dir = otel.getDirectory();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir.resolve("traces"))) {
      files = walk.filter(Files::isRegularFile).collect(Collectors.toList());
    }
    assertThat(files).singleElement().satisfies(f -> assertThat(f.toString()).endsWith(".jsonl"));
    assertThat(Files.readString(files.get(0))).contains("\"name\":\"on-disk\"");
    assertThat(OtlpFileReader.readSpans(dir))
        .extracting(SpanData::getName)
        .containsExactly("on-disk");
    assertThat(dir.getFileName().toString())
        .startsWith("OtlpFileExtensionTest.theTelemetryIsInFilesInTheTestsOwnDirectory-");
  }

  @Test
  void metricsShowEachWritersLatestStateAndLogsEveryRecord() {
    OpenTelemetrySdk sdk = otel.getOpenTelemetry();
    LongCounter counter = sdk.getMeter("m").counterBuilder("requests").build();
    counter.add(3);
    assertThat(otel.getMetrics())
        .singleElement()
        .satisfies(
            m ->
                assertThat(m).hasLongSumSatisfying(s -> s.hasPointsSatisfying(p -> p.hasValue(3))));
    counter.add(2);
    sdk.getMeter("m").histogramBuilder("latency").build().record(12.5);
    List<MetricData> metrics = otel.getMetrics();
    assertThat(metrics).extracting(MetricData::getName).containsExactly("requests", "latency");
    assertThat(metrics.get(0)).hasLongSumSatisfying(s -> s.hasPointsSatisfying(p -> p.hasValue(5)));
    assertThat(metrics.get(1))
        .hasHistogramSatisfying(h -> h.hasPointsSatisfying(p -> p.hasSum(12.5).hasCount(1)));

    sdk.getLogsBridge()
        .get("app")
        .logRecordBuilder()
        .setSeverity(Severity.WARN)
        .setBody("disk almost full")
        .setAttribute(AttributeKey.longKey("free.mb"), 12L)
        .emit();
    sdk.getLogsBridge().get("app").logRecordBuilder().setBody("second").emit();
    List<LogRecordData> logs = otel.getLogRecords();
    assertThat(logs).hasSize(2);
    assertThat(logs.get(0))
        .hasSeverity(Severity.WARN)
        .hasBody("disk almost full")
        .hasAttributes(Attributes.of(AttributeKey.longKey("free.mb"), 12L));
  }

  @Test
  void clearLeavesEverythingSoFarOut() {
    OpenTelemetrySdk sdk = otel.getOpenTelemetry();
    LongCounter counter = sdk.getMeter("m").counterBuilder("requests").build();
    sdk.getTracer("t").spanBuilder("before").startSpan().end();
    sdk.getLogsBridge().get("l").logRecordBuilder().setBody("before").emit();
    counter.add(7);
    assertThat(otel.getSpans()).hasSize(1);
    assertThat(otel.getMetrics()).hasSize(1);

    otel.clear();
    assertThat(otel.getSpans()).isEmpty();
    assertThat(otel.getMetrics()).isEmpty();
    assertThat(otel.getLogRecords()).isEmpty();

    sdk.getTracer("t").spanBuilder("after").startSpan().end();
    counter.add(1);
    assertThat(otel.getSpans()).extracting(SpanData::getName).containsExactly("after");
    // The instrument keeps its state: a cumulative sum reports its total since the test began.
    assertThat(otel.getMetrics())
        .singleElement()
        .satisfies(
            m ->
                assertThat(m).hasLongSumSatisfying(s -> s.hasPointsSatisfying(p -> p.hasValue(8))));
  }

  @Test
  void awaitSpansFailsSayingHowManyArrivedAndWhich() {
    Tracer tracer = otel.getOpenTelemetry().getTracer("t");
    tracer.spanBuilder("one").startSpan().end();
    tracer.spanBuilder("two\u001b[31m").startSpan().end();

    assertThatThrownBy(() -> otel.awaitSpans(3, Duration.ofMillis(200)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected at least 3 spans in " + otel.getDirectory())
        .hasMessageContaining("within PT0.2S, but 2 arrived")
        .hasMessageContaining("span \"one\" (trace ")
        // A terminal escape in a span name is shown escaped, never sent to the terminal.
        .hasMessageContaining("span \"two\\u001b[31m\"")
        .message()
        .doesNotContain("\u001b");
    assertThatThrownBy(() -> otel.awaitLogRecords(1, Duration.ofMillis(50)))
        .hasMessageContaining("but 0 arrived: (none)");
    assertThat(otel.awaitSpans(2, Duration.ofMillis(50))).hasSize(2);
  }

  @Test
  void awaitSpansWaitsForAnotherWriterInTheDirectory() throws Exception {
    Path dir = otel.getDirectory();
    // Another writer (here a thread with its own exporter) writes while the test waits.
    Thread writer =
        new Thread(
            () -> {
              try (SdkTracerProvider provider =
                  SdkTracerProvider.builder()
                      .addSpanProcessor(
                          SimpleSpanProcessor.create(
                              OtlpFileSpanExporter.builder().setDirectory(dir).build()))
                      .build()) {
                Tracer tracer = provider.get("writer");
                for (int i = 0; i < 5; i++) {
                  tracer.spanBuilder("written-" + i).startSpan().end();
                }
              }
            });
    writer.start();

    assertThat(otel.awaitSpans(5, Duration.ofSeconds(20)))
        .extracting(SpanData::getName)
        .contains("written-0", "written-4");
    writer.join(TimeUnit.SECONDS.toMillis(20));
  }

  @Test
  void awaitTracesCountsTracesWithTheirRootInOrder() {
    Tracer tracer = otel.getOpenTelemetry().getTracer("t");
    long t0 = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    // Trace B starts later than trace A but is written first.
    Span rootB =
        tracer.spanBuilder("root-b").setStartTimestamp(t0 + 500, TimeUnit.NANOSECONDS).startSpan();
    rootB.end();
    Span rootA =
        tracer.spanBuilder("root-a").setStartTimestamp(t0, TimeUnit.NANOSECONDS).startSpan();
    io.opentelemetry.context.Context inA = io.opentelemetry.context.Context.root().with(rootA);
    Span late =
        tracer
            .spanBuilder("a-late")
            .setParent(inA)
            .setStartTimestamp(t0 + 30, TimeUnit.NANOSECONDS)
            .startSpan();
    Span early =
        tracer
            .spanBuilder("a-early")
            .setParent(inA)
            .setStartTimestamp(t0 + 10, TimeUnit.NANOSECONDS)
            .startSpan();
    tracer
        .spanBuilder("a-early-child")
        .setParent(inA.with(early))
        .setStartTimestamp(t0 + 20, TimeUnit.NANOSECONDS)
        .startSpan()
        .end();
    late.end();
    early.end();
    // Trace A's root has not ended: it does not count yet.
    assertThatThrownBy(() -> otel.awaitTraces(2, Duration.ofMillis(100)))
        .hasMessageContaining("but 1 arrived")
        .hasMessageContaining("span \"a-late\"");
    rootA.end();

    List<List<SpanData>> traces = otel.awaitTraces(2, Duration.ofSeconds(5));
    assertThat(traces).hasSize(2);
    assertThat(traces.get(0))
        .extracting(SpanData::getName)
        .containsExactly("root-a", "a-early", "a-early-child", "a-late");
    assertThat(traces.get(1)).extracting(SpanData::getName).containsExactly("root-b");
    io.opentelemetry.sdk.testing.assertj.TracesAssert.assertThat(traces)
        .hasTracesSatisfyingExactly(
            trace ->
                trace.hasSpansSatisfyingExactly(
                    s -> s.hasName("root-a").hasNoParent(),
                    s -> s.hasName("a-early").hasParent(trace.getSpan(0)),
                    s -> s.hasName("a-early-child").hasParent(trace.getSpan(1)),
                    s -> s.hasName("a-late").hasParent(trace.getSpan(0))),
            trace -> trace.hasSpansSatisfyingExactly(s -> s.hasName("root-b")));
  }

  @Test
  void otlpSentToTheEndpointsArrivesInTheTestsFiles() {
    String endpoint = otel.getOtlpEndpoint();
    assertThat(endpoint).startsWith("http://127.0.0.1:");
    assertThat(otel.getOtlpGrpcEndpoint()).startsWith("http://127.0.0.1:").isNotEqualTo(endpoint);
    Resource sender =
        Resource.getDefault().merge(Resource.builder().put("service.name", "sender").build());
    try (SdkTracerProvider tracing =
            SdkTracerProvider.builder()
                .setResource(sender)
                .addSpanProcessor(
                    SimpleSpanProcessor.create(
                        OtlpHttpSpanExporter.builder()
                            .setEndpoint(endpoint + "/v1/traces")
                            .build()))
                .build();
        SdkLoggerProvider logging =
            SdkLoggerProvider.builder()
                .setResource(sender)
                .addLogRecordProcessor(
                    SimpleLogRecordProcessor.create(
                        OtlpGrpcLogRecordExporter.builder()
                            .setEndpoint(otel.getOtlpGrpcEndpoint())
                            .build()))
                .build()) {
      tracing.get("sender").spanBuilder("over-http").startSpan().end();
      logging.get("sender").logRecordBuilder().setBody("over-grpc").emit();

      assertThat(otel.awaitSpans(1, Duration.ofSeconds(20)))
          .singleElement()
          .satisfies(
              s ->
                  assertThat(s)
                      .hasName("over-http")
                      .hasResourceSatisfying(
                          r -> r.hasAttribute(AttributeKey.stringKey("service.name"), "sender")));
      assertThat(otel.awaitLogRecords(1, Duration.ofSeconds(20)))
          .singleElement()
          .satisfies(l -> assertThat(l).hasBody("over-grpc"));
    }
  }

  @Test
  void theEnvironmentPointsAChildProcessAtTheReceiver() {
    Map<String, String> env = otel.getOtlpEnvironment("child-service");
    assertThat(env)
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", otel.getOtlpEndpoint())
        .containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
        .containsEntry("OTEL_TRACES_EXPORTER", "otlp")
        .containsEntry("OTEL_METRICS_EXPORTER", "otlp")
        .containsEntry("OTEL_LOGS_EXPORTER", "otlp")
        .containsEntry("OTEL_BSP_SCHEDULE_DELAY", "100")
        .containsEntry("OTEL_BLRP_SCHEDULE_DELAY", "100")
        .containsEntry("OTEL_METRIC_EXPORT_INTERVAL", "500")
        .containsEntry("OTEL_SERVICE_NAME", "child-service");
    assertThat(otel.getOtlpEnvironment()).doesNotContainKey("OTEL_SERVICE_NAME");
  }

  @Test
  void aThreadNoTestStartedBelongsToTheOnlyRunningTest() throws Exception {
    // A pool whose thread was started in @BeforeAll, before any test.
    Tracer tracer = otel.getOpenTelemetry().getTracer("pool");
    tracer.spanBuilder("from-the-test").startSpan().end();
    List<SpanData> seenByPool = pool.submit(() -> otel.getSpans()).get(20, TimeUnit.SECONDS);
    assertThat(seenByPool).extracting(SpanData::getName).containsExactly("from-the-test");
    assertThat(pool.submit(() -> otel.getDirectory()).get(20, TimeUnit.SECONDS))
        .isEqualTo(otel.getDirectory());
  }

  private static java.util.concurrent.ThreadPoolExecutor pool;

  @org.junit.jupiter.api.BeforeAll
  static void startPool() {
    pool =
        new java.util.concurrent.ThreadPoolExecutor(
            1, 1, 0, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>());
    pool.prestartAllCoreThreads();
  }

  @org.junit.jupiter.api.AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void theBuilderChecksItsSettings() {
    assertThatThrownBy(() -> OtlpFileExtension.builder().setDefaultTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("defaultTimeout must be positive, but was PT0S");
    assertThatThrownBy(() -> OtlpFileExtension.builder().setFormat(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("format");
    assertThatThrownBy(() -> otel.awaitSpans(-1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be >= 0, but was -1");
    assertThat(OtlpFileExtension.builder().setKeepFiles(true).build().toString())
        .contains("keepFiles=true", "format=JSON_LINES", "defaultTimeout=PT10S");
  }
}
