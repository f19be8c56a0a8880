package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.OtlpHttpReceiver.Mode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding to a real OTLP/HTTP receiver on 127.0.0.1 through the real OpenTelemetry OTLP/HTTP
 * exporters, with the receiver failing in each way a backend fails.
 */
class ForwardingEndToEndTest {
  private static final Duration OPEN_DURATION = Duration.ofSeconds(30);
  private static final int BATCH = 10;

  @TempDir Path dir;
  private final TestClock clock = TestClock.create();
  private OtlpHttpReceiver receiver;
  private int batches;

  @AfterEach
  void closeReceiver() throws InterruptedException {
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void forwardsWhileHealthySkipsWhileOpenAndResumesAfterRecovery() throws Exception {
    receiver = new OtlpHttpReceiver();
    OtlpHttpSpanExporter delegate =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(receiver.tracesUrl())
            .setTimeout(Duration.ofMillis(500))
            .setRetryPolicy(
                RetryPolicy.builder()
                    .setMaxAttempts(2)
                    .setInitialBackoff(Duration.ofMillis(10))
                    .setMaxBackoff(Duration.ofMillis(20))
                    .build())
            .build();
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setClock(clock)
            .setForwardTo(delegate)
            .setForwardCatchUp(false) // live forwarding alone; see CatchUpEndToEndTest
            .setForwardTimeout(Duration.ofSeconds(5))
            .setCircuitBreaker(
                CircuitBreakerConfig.builder()
                    .setFailureThreshold(2)
                    .setOpenDuration(OPEN_DURATION)
                    .build())
            .build();

    // Healthy: everything arrives, including a batch the receiver first refuses with 503.
    exportBatches(exporter, 3);
    receiver.setMode(Mode.UNAVAILABLE_503_ONCE);
    exportBatches(exporter, 1);
    assertThat(receiver.spans()).isEqualTo(4 * BATCH);
    assertStats(exporter, 4 * BATCH, 0, 0, CircuitState.CLOSED);

    // HTTP 500 twice: the threshold opens the breaker; then batches are skipped.
    receiver.setMode(Mode.FAIL_500);
    exportBatches(exporter, 1);
    assertStats(exporter, 4 * BATCH, BATCH, 0, CircuitState.CLOSED);
    exportBatches(exporter, 1);
    assertStats(exporter, 4 * BATCH, 2 * BATCH, 0, CircuitState.OPEN);
    int requestsWhileOpen = receiver.requests();
    exportBatches(exporter, 2);
    assertStats(exporter, 4 * BATCH, 2 * BATCH, 2 * BATCH, CircuitState.OPEN);
    assertThat(receiver.requests()).isEqualTo(requestsWhileOpen);

    // 503 with Retry-After on every attempt: the probe fails and the breaker opens again.
    receiver.setMode(Mode.UNAVAILABLE_503);
    clock.advance(OPEN_DURATION);
    exportBatches(exporter, 2); // the probe, then one skipped while open again
    assertStats(exporter, 4 * BATCH, 3 * BATCH, 3 * BATCH, CircuitState.OPEN);

    // A receiver that stalls past the delegate's timeout.
    receiver.setMode(Mode.STALL);
    clock.advance(OPEN_DURATION);
    exportBatches(exporter, 1);
    assertStats(exporter, 4 * BATCH, 4 * BATCH, 3 * BATCH, CircuitState.OPEN);

    // Connection refused.
    receiver.setMode(Mode.OK);
    receiver.stop();
    clock.advance(OPEN_DURATION);
    exportBatches(exporter, 1);
    assertStats(exporter, 4 * BATCH, 5 * BATCH, 3 * BATCH, CircuitState.OPEN);

    // Recovery, without a restart: the probe succeeds, the breaker closes, forwarding resumes.
    receiver.start();
    exportBatches(exporter, 1);
    assertStats(exporter, 4 * BATCH, 5 * BATCH, 4 * BATCH, CircuitState.OPEN);
    clock.advance(OPEN_DURATION);
    exportBatches(exporter, 3);
    assertStats(exporter, 7 * BATCH, 5 * BATCH, 4 * BATCH, CircuitState.CLOSED);

    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    ExporterStats stats = exporter.getStats();
    assertThat(stats.getExportedItems()).isEqualTo((long) batches * BATCH);
    assertThat(stats.getForwardedItems()).isEqualTo(receiver.spans());
    assertThat(
            stats.getForwardedItems()
                + stats.getForwardFailedItems()
                + stats.getForwardSkippedItems())
        .isEqualTo(stats.getExportedItems());
    // The local files hold every item, forwarded or not.
    List<String> local = LocalFiles.spanNames(dir);
    assertThat(local).hasSize(batches * BATCH).doesNotHaveDuplicates();
    assertThat(local).containsAll(receiver.spanNames());
  }

  @Test
  void timesOutABatchTheDelegateHoldsPastTheForwardTimeout() throws Exception {
    receiver = new OtlpHttpReceiver();
    receiver.setMode(Mode.STALL);
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setForwardTo(
                OtlpHttpSpanExporter.builder()
                    .setEndpoint(receiver.tracesUrl())
                    .setTimeout(Duration.ofSeconds(30))
                    .setRetryPolicy(null)
                    .build())
            .setForwardTimeout(Duration.ofMillis(300))
            .build();

    exportBatches(exporter, 1);

    assertStats(exporter, 0, BATCH, 0, CircuitState.CLOSED);
    assertThat(exporter.getStats().getExportedItems()).isEqualTo(BATCH);
    receiver.close(); // releases the stalled request, so shutdown does not wait for it
    receiver = null;
    exporter.shutdown().join(10, TimeUnit.SECONDS);
  }

  @Test
  void forwardsWhatTheSdkBatchProcessorExports() throws Exception {
    receiver = new OtlpHttpReceiver();
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setForwardEndpoint(receiver.baseUrl())
            .setForwardCatchUp(false) // what live forwarding copies, nothing else
            .build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxExportBatchSize(7).build())
            .build();
    for (int i = 0; i < 100; i++) {
      provider.get("test").spanBuilder("span-" + i).startSpan().end();
    }

    assertThat(provider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    // The processor clears and refills its batch list once an export completes: what is forwarded
    // must be a copy taken inside export(), or the receiver would get fewer or other spans.
    ExporterStats stats = exporter.getStats();
    assertThat(stats.getExportedItems()).isEqualTo(100);
    assertThat(stats.getForwardFailedItems()).isZero();
    assertThat(stats.getForwardedItems() + stats.getForwardSkippedItems()).isEqualTo(100);
    assertThat(stats.getForwardedItems()).isPositive().isEqualTo(receiver.spans());
    assertThat(receiver.spanNames()).doesNotHaveDuplicates();
    List<String> local = LocalFiles.spanNames(dir);
    assertThat(local).hasSize(100).doesNotHaveDuplicates().containsAll(receiver.spanNames());
  }

  @Test
  void forwardEndpointSendsEachSignalToItsPathWithHeaders() throws Exception {
    receiver = new OtlpHttpReceiver();
    Map<String, String> headers = Map.of("Authorization", "Bearer s3cret");
    OtlpFileMetricExporter metricExporter =
        OtlpFileMetricExporter.builder()
            .setDirectory(dir)
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setForwardEndpoint(receiver.baseUrl() + "/")
            .setForwardHeaders(headers)
            .build();
    OtlpFileLogRecordExporter logExporter =
        OtlpFileLogRecordExporter.builder()
            .setDirectory(dir)
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setForwardEndpoint(receiver.baseUrl())
            .setForwardHeaders(headers)
            .build();
    assertThat(metricExporter.toString()).contains(receiver.baseUrl() + "/v1/metrics");
    assertThat(logExporter.toString()).doesNotContain("s3cret");

    SdkMeterProvider meterProvider =
        SdkMeterProvider.builder()
            .registerMetricReader(PeriodicMetricReader.create(metricExporter))
            .build();
    LongCounter counter = meterProvider.get("test").counterBuilder("requests").build();
    counter.add(3);
    meterProvider.get("test").gaugeBuilder("temperature").buildWithCallback(m -> m.record(21.5));
    SdkLoggerProvider loggerProvider =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(BatchLogRecordProcessor.builder(logExporter).build())
            .build();
    Logger logger = loggerProvider.get("test");
    for (int i = 0; i < 5; i++) {
      logger.logRecordBuilder().setBody("line " + i).emit();
    }

    assertThat(meterProvider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(loggerProvider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(receiver.paths()).contains("/v1/metrics", "/v1/logs");
    assertThat(receiver.authorizations()).isNotEmpty().allMatch("Bearer s3cret"::equals);
    assertThat(receiver.metrics()).isEqualTo(2).isEqualTo(LocalFiles.metrics(dir));
    assertThat(receiver.logRecords()).isEqualTo(5).isEqualTo(LocalFiles.logRecords(dir));
    assertThat(metricExporter.getStats().getForwardedItems()).isEqualTo(2);
    assertThat(logExporter.getStats().getForwardedItems()).isEqualTo(5);
    long requests = 0;
    for (var request : receiver.metricRequests()) {
      for (ResourceMetrics rm : request.getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          requests +=
              sm.getMetricsList().stream()
                  .filter(m -> m.getName().equals("requests"))
                  .mapToLong(m -> m.getSum().getDataPoints(0).getAsInt())
                  .sum();
        }
      }
    }
    assertThat(requests).isEqualTo(3);
  }

  /** Exports {@code count} batches one after the other and waits until each has settled. */
  private void exportBatches(OtlpFileSpanExporter exporter, int count) {
    for (int i = 0; i < count; i++) {
      List<SpanData> spans = new ArrayList<>();
      int batch = batches++;
      for (int j = 0; j < BATCH; j++) {
        spans.add(span("batch-" + batch + "-span-" + j));
      }
      CompletableResultCode written = exporter.export(spans).join(10, TimeUnit.SECONDS);
      assertThat(written.isSuccess()).isTrue();
      // flush() completes once the forwarded batch has settled, one way or the other.
      assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isDone()).isTrue();
    }
  }

  private static void assertStats(
      OtlpFileSpanExporter exporter,
      long forwarded,
      long failed,
      long skipped,
      CircuitState state) {
    ExporterStats stats = exporter.getStats();
    assertThat(stats.getForwardedItems()).as("forwarded").isEqualTo(forwarded);
    assertThat(stats.getForwardFailedItems()).as("failed").isEqualTo(failed);
    assertThat(stats.getForwardSkippedItems()).as("skipped").isEqualTo(skipped);
    assertThat(stats.getCircuitState()).as("state").isEqualTo(state);
  }

  static SpanData span(String name) {
    IdGenerator ids = IdGenerator.random();
    return TestSpanData.builder()
        .setName(name)
        .setKind(SpanKind.INTERNAL)
        .setSpanContext(
            SpanContext.create(
                ids.generateTraceId(),
                ids.generateSpanId(),
                TraceFlags.getSampled(),
                TraceState.getDefault()))
        .setStartEpochNanos(1_000_000_000L)
        .setEndEpochNanos(2_000_000_000L)
        .setHasEnded(true)
        .setStatus(StatusData.ok())
        .setAttributes(io.opentelemetry.api.common.Attributes.of(AttributeKey.stringKey("k"), name))
        .build();
  }
}
