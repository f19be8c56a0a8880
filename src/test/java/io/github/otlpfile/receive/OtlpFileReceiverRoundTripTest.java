package io.github.otlpfile.receive;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.support.ExpectedReadBack;
import io.github.otlpfile.support.ReadBack;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OpenTelemetry Java OTLP exporters, over HTTP (protobuf, plain and gzip) and gRPC (plain and
 * gzip), send SDK telemetry to a receiver; the files read back equal what was sent, in both file
 * formats, and the statistics count every item.
 */
class OtlpFileReceiverRoundTripTest {
  enum Transport {
    HTTP,
    HTTP_GZIP,
    GRPC,
    GRPC_GZIP
  }

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Transport.class)
  void protobufFilesGetWhatTheExportersSent(Transport transport) throws Exception {
    roundTrip(transport, OtlpFileFormat.PROTOBUF);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void jsonLinesFilesGetWhatTheExportersSent(Transport transport) throws Exception {
    roundTrip(transport, OtlpFileFormat.JSON_LINES);
  }

  private void roundTrip(Transport transport, OtlpFileFormat format) throws Exception {
    List<SpanData> spans = ReceiverTelemetry.spans(20);
    Collection<MetricData> metrics = ReceiverTelemetry.metrics();
    List<LogRecordData> logs = ReceiverTelemetry.logRecords(15);
    OtlpFileReceiver receiver =
        OtlpFileReceiver.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setHttpPort(0)
            .setGrpcPort(0)
            .build()
            .start();
    try {
      boolean grpc = transport == Transport.GRPC || transport == Transport.GRPC_GZIP;
      boolean gzip = transport == Transport.HTTP_GZIP || transport == Transport.GRPC_GZIP;
      String compression = gzip ? "gzip" : "none";
      String base = grpc ? receiver.getGrpcEndpoint() : receiver.getHttpEndpoint();
      SpanExporter spanExporter =
          grpc
              ? OtlpGrpcSpanExporter.builder().setEndpoint(base).setCompression(compression).build()
              : OtlpHttpSpanExporter.builder()
                  .setEndpoint(base + "/v1/traces")
                  .setCompression(compression)
                  .build();
      MetricExporter metricExporter =
          grpc
              ? OtlpGrpcMetricExporter.builder()
                  .setEndpoint(base)
                  .setCompression(compression)
                  .build()
              : OtlpHttpMetricExporter.builder()
                  .setEndpoint(base + "/v1/metrics")
                  .setCompression(compression)
                  .build();
      LogRecordExporter logExporter =
          grpc
              ? OtlpGrpcLogRecordExporter.builder()
                  .setEndpoint(base)
                  .setCompression(compression)
                  .build()
              : OtlpHttpLogRecordExporter.builder()
                  .setEndpoint(base + "/v1/logs")
                  .setCompression(compression)
                  .build();
      try {
        assertSucceeds(spanExporter.export(spans.subList(0, 25)));
        assertSucceeds(spanExporter.export(spans.subList(25, spans.size())));
        assertSucceeds(metricExporter.export(metrics));
        assertSucceeds(logExporter.export(logs));
      } finally {
        spanExporter.shutdown();
        metricExporter.shutdown();
        logExporter.shutdown();
      }
    } finally {
      assertThat(receiver.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    assertThat(OtlpFileReader.readSpans(dir))
        .containsExactlyInAnyOrderElementsOf(
            spans.stream().map(ExpectedReadBack::span).collect(Collectors.toList()));
    assertThat(OtlpFileReader.readLogRecords(dir))
        .containsExactlyInAnyOrderElementsOf(
            logs.stream().map(ExpectedReadBack::logRecord).collect(Collectors.toList()));
    assertThat(ReceiverTelemetry.describe(OtlpFileReader.readMetrics(dir)))
        .isEqualTo(ReceiverTelemetry.describe(metrics));
    // One record per request.
    assertThat(ReadBack.traceRequests(dir)).hasSize(2);

    ReceiverStats stats = receiver.getStats();
    assertThat(stats.getRequests()).isEqualTo(4);
    assertThat(stats.getRefusedRequests()).isZero();
    assertThat(stats.getAcceptedRequests(OtlpSignal.TRACES)).isEqualTo(2);
    assertThat(stats.getAcceptedItems(OtlpSignal.TRACES)).isEqualTo(spans.size());
    assertThat(stats.getAcceptedItems(OtlpSignal.METRICS))
        .isEqualTo(ReceiverTelemetry.points(metrics));
    assertThat(stats.getAcceptedItems(OtlpSignal.LOGS)).isEqualTo(logs.size());
    for (OtlpSignal signal : OtlpSignal.values()) {
      assertThat(stats.getFileStats(signal).getExportedItems())
          .isEqualTo(stats.getAcceptedItems(signal));
    }
    assertThat(stats.getBytesReceived()).isPositive();
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void jsonRequestsAreAnsweredInJsonAndWritten(OtlpFileFormat format) throws Exception {
    List<SpanData> spans = ReceiverTelemetry.spans(5);
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeJsonTo(json);
    try (OtlpFileReceiver receiver =
        OtlpFileReceiver.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setHttpPort(0)
            .setGrpcPort(-1)
            .build()
            .start()) {
      assertThat(receiver.getGrpcEndpoint()).isNull();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(receiver.getHttpEndpoint() + "/v1/traces"))
                      .header("Content-Type", "application/json; charset=utf-8")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(json.toByteArray()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(response.body()).isEqualTo("{}");
    }
    assertThat(OtlpFileReader.readSpans(dir))
        .containsExactlyInAnyOrderElementsOf(
            spans.stream().map(ExpectedReadBack::span).collect(Collectors.toList()));
  }

  private static void assertSucceeds(CompletableResultCode result) {
    assertThat(result.join(20, TimeUnit.SECONDS).isSuccess()).as("export succeeded").isTrue();
  }
}
