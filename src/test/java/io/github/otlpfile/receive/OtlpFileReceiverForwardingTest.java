package io.github.otlpfile.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.CircuitState;
import io.github.otlpfile.ExporterStats;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.support.ExpectedReadBack;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A receiver that forwards to a second receiver on 127.0.0.1: what is sent to the first is in its
 * files and in the second's; with the second down, the breaker opens, forwarding is skipped and
 * counted, and the first's files still get everything.
 */
class OtlpFileReceiverForwardingTest {
  @TempDir Path first;
  @TempDir Path target;

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void receivedRequestsAreWrittenAndForwarded(OtlpFileFormat format) throws Exception {
    List<SpanData> spans = ReceiverTelemetry.spans(10);
    Collection<MetricData> metrics = ReceiverTelemetry.metrics();
    List<LogRecordData> logs = ReceiverTelemetry.logRecords(7);
    OtlpFileReceiver downstream = receiver(target, OtlpFileFormat.PROTOBUF).build().start();
    OtlpFileReceiver receiver;
    try {
      receiver =
          receiver(first, format)
              .setGrpcPort(0)
              .setForwardEndpoint(downstream.getHttpEndpoint())
              .build()
              .start();
      try {
        // Traces and logs over HTTP/protobuf, metrics over gRPC: both intake paths.
        send(receiver, spans.subList(0, 8), spans.subList(8, spans.size()), metrics, logs);
        awaitTrue(
            () -> {
              ReceiverStats stats = receiver.getStats();
              for (OtlpSignal signal : OtlpSignal.values()) {
                if (stats.getFileStats(signal).getForwardedItems()
                    != stats.getAcceptedItems(signal)) {
                  return false;
                }
              }
              return true;
            });
      } finally {
        assertThat(receiver.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
    } finally {
      assertThat(downstream.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    for (Path dir : new Path[] {first, target}) {
      assertThat(OtlpFileReader.readSpans(dir))
          .as("spans in " + dir)
          .containsExactlyInAnyOrderElementsOf(
              spans.stream().map(ExpectedReadBack::span).collect(Collectors.toList()));
      assertThat(OtlpFileReader.readLogRecords(dir))
          .as("logs in " + dir)
          .containsExactlyInAnyOrderElementsOf(
              logs.stream().map(ExpectedReadBack::logRecord).collect(Collectors.toList()));
      assertThat(ReceiverTelemetry.describe(OtlpFileReader.readMetrics(dir)))
          .as("metrics in " + dir)
          .isEqualTo(ReceiverTelemetry.describe(metrics));
    }
    ReceiverStats stats = receiver.getStats();
    assertThat(stats.getFileStats(OtlpSignal.TRACES).getForwardedItems()).isEqualTo(spans.size());
    assertThat(stats.getFileStats(OtlpSignal.METRICS).getForwardedItems())
        .isEqualTo(ReceiverTelemetry.points(metrics));
    assertThat(stats.getFileStats(OtlpSignal.LOGS).getForwardedItems()).isEqualTo(logs.size());
    for (OtlpSignal signal : OtlpSignal.values()) {
      assertThat(stats.getFileStats(signal).getForwardFailedItems()).isZero();
      assertThat(stats.getFileStats(signal).getForwardSkippedItems()).isZero();
    }
    // The second receiver got one request per request sent to the first.
    assertThat(downstream.getStats().getAcceptedRequests(OtlpSignal.TRACES)).isEqualTo(2);
    assertThat(downstream.getStats().getAcceptedItems(OtlpSignal.TRACES)).isEqualTo(spans.size());
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void withTheTargetDownTheBreakerOpensAndTheFilesGetEverything(OtlpFileFormat format)
      throws Exception {
    // A port that was free a moment ago: nothing listens there.
    OtlpFileReceiver gone = receiver(target, OtlpFileFormat.PROTOBUF).build().start();
    String deadEndpoint = gone.getHttpEndpoint();
    gone.shutdown().join(10, TimeUnit.SECONDS);

    List<SpanData> spans = ReceiverTelemetry.spans(6); // 12 spans: a parent and a child each
    try (OtlpFileReceiver receiver =
        receiver(first, format)
            .setForwardEndpoint(deadEndpoint)
            .setForwardTimeout(Duration.ofSeconds(2))
            .setCircuitBreaker(
                CircuitBreakerConfig.builder()
                    .setFailureThreshold(2)
                    .setOpenDuration(Duration.ofHours(1))
                    .build())
            .build()
            .start()) {
      SpanExporter sender =
          OtlpHttpSpanExporter.builder()
              .setEndpoint(receiver.getHttpEndpoint() + "/v1/traces")
              .build();
      try {
        // Two failed requests open the breaker; each waits for the one before to settle.
        for (int i = 0; i < 2; i++) {
          assertSucceeds(sender.export(spans.subList(2 * i, 2 * i + 2)));
          int failed = 2 * i + 2;
          awaitTrue(
              () -> traceFiles(receiver).getForwardFailedItems() == failed,
              () -> traceFiles(receiver).toString());
        }
        assertThat(traceFiles(receiver).getCircuitState()).isEqualTo(CircuitState.OPEN);
        // While it is open, requests are still written, and their forwarding is skipped.
        assertSucceeds(sender.export(spans.subList(4, 8)));
        assertSucceeds(sender.export(spans.subList(8, 12)));
        awaitTrue(() -> traceFiles(receiver).getForwardSkippedItems() == 8);
      } finally {
        sender.shutdown();
      }
      ExporterStats files = traceFiles(receiver);
      assertThat(files.getExportedItems()).isEqualTo(spans.size());
      assertThat(files.getForwardedItems()).isZero();
      assertThat(files.getForwardFailedItems()).isEqualTo(4);
      assertThat(files.getForwardSkippedItems()).isEqualTo(8);
      assertThat(receiver.getStats().getAcceptedItems(OtlpSignal.TRACES)).isEqualTo(spans.size());
      assertThat(receiver.getStats().getRefusedRequests()).isZero();
    }
    assertThat(OtlpFileReader.readSpans(first))
        .containsExactlyInAnyOrderElementsOf(
            spans.stream().map(ExpectedReadBack::span).collect(Collectors.toList()));
  }

  @Test
  void forwardsEachSignalToTheExporterGivenForIt() throws Exception {
    List<LogRecordData> logs = ReceiverTelemetry.logRecords(5);
    OtlpFileReceiver downstream = receiver(target, OtlpFileFormat.JSON_LINES).build().start();
    try {
      LogRecordExporter forwardTo =
          OtlpHttpLogRecordExporter.builder()
              .setEndpoint(downstream.getHttpEndpoint() + "/v1/logs")
              .build();
      try (OtlpFileReceiver receiver =
          receiver(first, OtlpFileFormat.PROTOBUF).setForwardLogsTo(forwardTo).build().start()) {
        assertThat(receiver.toString()).contains("logs={forwardTo=");
        LogRecordExporter sender =
            OtlpHttpLogRecordExporter.builder()
                .setEndpoint(receiver.getHttpEndpoint() + "/v1/logs")
                .build();
        try {
          assertSucceeds(sender.export(logs));
        } finally {
          sender.shutdown();
        }
        awaitTrue(
            () ->
                receiver.getStats().getFileStats(OtlpSignal.LOGS).getForwardedItems()
                    == logs.size());
      }
    } finally {
      downstream.shutdown().join(10, TimeUnit.SECONDS);
    }
    assertThat(OtlpFileReader.readLogRecords(target))
        .containsExactlyInAnyOrderElementsOf(
            logs.stream().map(ExpectedReadBack::logRecord).collect(Collectors.toList()));
  }

  @Test
  void rejectsContradictoryForwardingSettings() {
    assertThatThrownBy(
            () ->
                receiver(first, OtlpFileFormat.PROTOBUF)
                    .setForwardEndpoint("http://127.0.0.1:4318")
                    .setForwardSpansTo(OtlpHttpSpanExporter.getDefault())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forwardTo and forwardEndpoint are both set; forward to one of them");
    assertThatThrownBy(
            () ->
                receiver(first, OtlpFileFormat.PROTOBUF)
                    .setForwardHeaders(Collections.singletonMap("Authorization", "secret"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("forwardEndpoint is not");
    assertThatThrownBy(
            () ->
                receiver(first, OtlpFileFormat.PROTOBUF)
                    .setForwardEndpoint("http://127.0.0.1:4318")
                    .setForwardMaxInFlight(0)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forwardMaxInFlight must be > 0, but was 0");
  }

  private static OtlpFileReceiverBuilder receiver(Path dir, OtlpFileFormat format) {
    return OtlpFileReceiver.builder()
        .setDirectory(dir)
        .setFormat(format)
        .setHttpPort(0)
        .setGrpcPort(-1);
  }

  private static ExporterStats traceFiles(OtlpFileReceiver receiver) {
    return receiver.getStats().getFileStats(OtlpSignal.TRACES);
  }

  private static void send(
      OtlpFileReceiver receiver,
      List<SpanData> spans1,
      List<SpanData> spans2,
      Collection<MetricData> metrics,
      List<LogRecordData> logs) {
    String http = receiver.getHttpEndpoint();
    SpanExporter spanExporter =
        OtlpHttpSpanExporter.builder().setEndpoint(http + "/v1/traces").build();
    MetricExporter metricExporter =
        OtlpGrpcMetricExporter.builder().setEndpoint(receiver.getGrpcEndpoint()).build();
    LogRecordExporter logExporter =
        OtlpHttpLogRecordExporter.builder().setEndpoint(http + "/v1/logs").build();
    try {
      assertSucceeds(spanExporter.export(spans1));
      assertSucceeds(spanExporter.export(spans2));
      assertSucceeds(metricExporter.export(metrics));
      assertSucceeds(logExporter.export(logs));
    } finally {
      spanExporter.shutdown();
      metricExporter.shutdown();
      logExporter.shutdown();
    }
  }

  private static void assertSucceeds(CompletableResultCode result) {
    assertThat(result.join(20, TimeUnit.SECONDS).isSuccess()).as("export succeeded").isTrue();
  }

  private static void awaitTrue(BooleanSupplier condition) {
    awaitTrue(condition, () -> "");
  }

  private static void awaitTrue(BooleanSupplier condition, Supplier<String> state) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(10))
        .untilAsserted(
            () ->
                assertThat(condition.getAsBoolean())
                    .as(() -> "condition within 20 s; " + state.get())
                    .isTrue());
  }
}
