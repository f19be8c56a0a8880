package io.github.otlpfile.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedInputStream;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.support.LogCapture;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a required header, the OTLP exporters that send it are received over HTTP and gRPC; senders
 * without it, or with a wrong value, get 401 / {@code UNAUTHENTICATED}, are counted, and the secret
 * is in no log and no {@code toString()}.
 */
class OtlpFileReceiverRequiredHeaderTest {
  private static final String SECRET = "Bearer s3cret-token-4711";

  @TempDir Path dir;
  @RegisterExtension final LogCapture logs = LogCapture.of("io.github.otlpfile");
  private OtlpFileReceiver receiver;

  @BeforeEach
  void captureLogs() {
    receiver =
        OtlpFileReceiver.builder()
            .setDirectory(dir)
            .setHttpPort(0)
            .setGrpcPort(0)
            .setRequiredHeader("Authorization", SECRET)
            .build()
            .start();
  }

  @AfterEach
  void tearDown() {
    receiver.close();
  }

  @Test
  void exportersWithTheHeaderAreReceivedAndWithoutItRefused() {
    List<SpanData> spans = ReceiverTelemetry.spans(3);
    String http = receiver.getHttpEndpoint() + "/v1/traces";
    String grpc = receiver.getGrpcEndpoint();

    assertExport(
        OtlpHttpSpanExporter.builder().setEndpoint(http).addHeader("Authorization", SECRET).build(),
        spans,
        true);
    assertExport(
        OtlpGrpcSpanExporter.builder().setEndpoint(grpc).addHeader("Authorization", SECRET).build(),
        spans,
        true);
    assertExport(OtlpHttpSpanExporter.builder().setEndpoint(http).build(), spans, false);
    assertExport(OtlpGrpcSpanExporter.builder().setEndpoint(grpc).build(), spans, false);
    assertExport(
        OtlpHttpSpanExporter.builder()
            .setEndpoint(http)
            .addHeader("Authorization", SECRET + "x")
            .build(),
        spans,
        false);
    assertExport(
        OtlpGrpcSpanExporter.builder()
            .setEndpoint(grpc)
            .addHeader("authorization", "Bearer")
            .build(),
        spans,
        false);

    ReceiverStats stats = receiver.getStats();
    assertThat(stats.getRefusedRequests(ReceiverStats.Refusal.UNAUTHENTICATED)).isEqualTo(4);
    assertThat(stats.getAcceptedRequests(OtlpSignal.TRACES)).isEqualTo(2);
    assertThat(stats.getAcceptedItems(OtlpSignal.TRACES)).isEqualTo(2L * spans.size());
    receiver.close();
    assertThat(OtlpFileReader.readSpans(dir)).hasSize(2 * spans.size());
    assertSecretNowhere();
  }

  private static void assertExport(SpanExporter exporter, List<SpanData> spans, boolean succeeds) {
    try {
      assertThat(exporter.export(spans).join(20, TimeUnit.SECONDS).isSuccess())
          .as("export through %s succeeds", exporter)
          .isEqualTo(succeeds);
    } finally {
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void rawHttpRequestsWithoutTheHeaderGet401WithAStatus() throws Exception {
    byte[] request = ReceiverTelemetry.binary(ReceiverTelemetry.spans(1));
    HttpClient client = HttpClient.newHttpClient();
    URI traces = URI.create(receiver.getHttpEndpoint() + "/v1/traces");

    HttpResponse<byte[]> missing =
        client.send(
            HttpRequest.newBuilder(traces)
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
    CodedInputStream status = CodedInputStream.newInstance(missing.body());
    assertThat(status.readTag()).isEqualTo(1 << 3);
    assertThat(status.readInt32()).isEqualTo(16); // UNAUTHENTICATED
    assertThat(status.readTag()).isEqualTo((2 << 3) | 2);
    assertThat(status.readString()).contains("Authorization").doesNotContain(SECRET);

    HttpResponse<String> wrongJson =
        client.send(
            HttpRequest.newBuilder(traces)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer s3cret-token-4710")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrongJson.statusCode()).isEqualTo(401);
    assertThat(wrongJson.body()).startsWith("{\"code\":16,");

    // Unauthenticated senders learn nothing about paths or methods.
    HttpResponse<String> unknownPath =
        client.send(
            HttpRequest.newBuilder(URI.create(receiver.getHttpEndpoint() + "/other")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unknownPath.statusCode()).isEqualTo(401);

    // The header name is matched without regard to case.
    HttpResponse<byte[]> ok =
        client.send(
            HttpRequest.newBuilder(traces)
                .header("Content-Type", "application/x-protobuf")
                .header("authorization", SECRET)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(receiver.getStats().getRefusedRequests(ReceiverStats.Refusal.UNAUTHENTICATED))
        .isEqualTo(3);
    assertSecretNowhere();
  }

  @Test
  void rawGrpcCallsWithoutTheHeaderAreUnauthenticated() throws Exception {
    URI endpoint = URI.create(receiver.getGrpcEndpoint());
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort())
            .usePlaintext()
            .build();
    try {
      ExportTraceServiceRequest request =
          ExportTraceServiceRequest.parseFrom(ReceiverTelemetry.binary(ReceiverTelemetry.spans(2)));
      assertThatThrownBy(() -> TraceServiceGrpc.newBlockingStub(channel).export(request))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription()).doesNotContain(SECRET);
              });
      Metadata twice = new Metadata();
      Metadata.Key<String> key = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
      twice.put(key, SECRET);
      twice.put(key, SECRET);
      assertThatThrownBy(
              () ->
                  TraceServiceGrpc.newBlockingStub(channel)
                      .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(twice))
                      .export(request))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
      Metadata once = new Metadata();
      once.put(key, SECRET);
      TraceServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(once))
          .export(request);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    ReceiverStats stats = receiver.getStats();
    assertThat(stats.getRefusedRequests(ReceiverStats.Refusal.UNAUTHENTICATED)).isEqualTo(2);
    assertThat(stats.getAcceptedItems(OtlpSignal.TRACES)).isEqualTo(4);
    assertSecretNowhere();
  }

  @Test
  void badHeaderSettingsFailAtBuildWithoutTheValue() {
    assertThatThrownBy(
            () -> OtlpFileReceiver.builder().setRequiredHeader("", "x").setGrpcPort(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requiredHeader");
    assertThatThrownBy(
            () ->
                OtlpFileReceiver.builder()
                    .setRequiredHeader("Bad Name", "x")
                    .setGrpcPort(-1)
                    .build())
        .hasMessageContaining("requiredHeader");
    assertThatThrownBy(
            () ->
                OtlpFileReceiver.builder()
                    .setRequiredHeader("token-bin", "x")
                    .setGrpcPort(-1)
                    .build())
        .hasMessageContaining("-bin");
    assertThatThrownBy(
            () ->
                OtlpFileReceiver.builder()
                    .setRequiredHeader("Authorization", "")
                    .setGrpcPort(-1)
                    .build())
        .hasMessageContaining("requiredHeader");
    assertThatThrownBy(
            () ->
                OtlpFileReceiver.builder()
                    .setRequiredHeader("Authorization", "Bearer \u00e9t\u00e9")
                    .setGrpcPort(-1)
                    .build())
        .hasMessageContaining("requiredHeader")
        .hasMessageNotContaining("Bearer");
    assertThatThrownBy(() -> OtlpFileReceiver.builder().setRequiredHeader(null, "x"))
        .isInstanceOf(NullPointerException.class);
  }

  private void assertSecretNowhere() {
    assertThat(receiver.toString()).contains("requiredHeader=Authorization").doesNotContain(SECRET);
    assertThat(receiver.getStats().toString()).doesNotContain(SECRET);
    for (LogRecord record : logs.records()) {
      String text =
          record.getMessage() + (record.getThrown() == null ? "" : " " + record.getThrown());
      assertThat(text).doesNotContain("s3cret");
    }
  }
}
