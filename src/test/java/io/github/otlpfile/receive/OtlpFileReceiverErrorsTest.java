package io.github.otlpfile.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedInputStream;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OverflowPolicy;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpSignal;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refused request gets its status, is counted, and the receiver keeps receiving. */
class OtlpFileReceiverErrorsTest {
  private static final long MAX_REQUEST_BYTES = 256 * 1024;

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newHttpClient();
  private OtlpFileReceiver receiver;

  @AfterEach
  void tearDown() {
    if (receiver != null) {
      receiver.close();
    }
  }

  private OtlpFileReceiver start(OtlpFileReceiverBuilder builder) {
    receiver = builder.setDirectory(dir).setHttpPort(0).setGrpcPort(0).build().start();
    return receiver;
  }

  private HttpResponse<byte[]> post(String path, String contentType, byte[] body, String encoding)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(receiver.getHttpEndpoint() + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (encoding != null) {
      request.header("Content-Encoding", encoding);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] validRequest(int spans) {
    return ReceiverTelemetry.binary(ReceiverTelemetry.spans(spans));
  }

  /** Decodes a google.rpc.Status: code (1) and message (2). */
  private static String[] status(byte[] body) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(body);
    String[] fields = {"", ""};
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == (1 << 3)) {
        fields[0] = Integer.toString(in.readInt32());
      } else if (tag == ((2 << 3) | 2)) {
        fields[1] = in.readString();
      } else {
        in.skipField(tag);
      }
    }
    return fields;
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  @Test
  void everyBadRequestGetsItsStatusAndTheReceiverKeepsReceiving() throws Exception {
    start(OtlpFileReceiver.builder().setMaxRequestBytes(MAX_REQUEST_BYTES));
    String protobuf = "application/x-protobuf";

    HttpResponse<byte[]> unknownPath = post("/v1/other", protobuf, validRequest(1), null);
    assertThat(unknownPath.statusCode()).isEqualTo(404);

    HttpResponse<byte[]> get =
        client.send(
            HttpRequest.newBuilder(URI.create(receiver.getHttpEndpoint() + "/v1/traces")).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");

    assertThat(post("/v1/traces", "text/plain", validRequest(1), null).statusCode()).isEqualTo(415);
    assertThat(post("/v1/traces", null, validRequest(1), null).statusCode()).isEqualTo(415);

    HttpResponse<byte[]> badProtobuf =
        post("/v1/traces", protobuf, new byte[] {(byte) 0xff, 0x01, 0x02}, null);
    assertThat(badProtobuf.statusCode()).isEqualTo(400);
    assertThat(badProtobuf.headers().firstValue("Content-Type")).hasValue(protobuf);
    assertThat(status(badProtobuf.body())[0]).isEqualTo("3");
    assertThat(status(badProtobuf.body())[1]).contains("not a protobuf request");

    HttpResponse<byte[]> badJson =
        post("/v1/logs", "application/json", "{\"resourceLogs\":[".getBytes(), null);
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(new String(badJson.body(), StandardCharsets.UTF_8))
        .startsWith("{\"code\":3,\"message\":\"");

    HttpResponse<byte[]> wrongSignal =
        post("/v1/logs", "application/json", "{\"resourceSpans\":[]}".getBytes(), null);
    assertThat(wrongSignal.statusCode()).isEqualTo(400);

    byte[] oversized = new byte[(int) MAX_REQUEST_BYTES + 1];
    assertThat(post("/v1/traces", protobuf, oversized, null).statusCode()).isEqualTo(413);

    // 64 MiB of zeros in about 64 KiB: refused after the first 256 KiB are inflated.
    byte[] bomb = gzip(new byte[64 * 1024 * 1024]);
    assertThat(bomb.length).isLessThan((int) MAX_REQUEST_BYTES);
    HttpResponse<byte[]> bombResponse = post("/v1/traces", protobuf, bomb, "gzip");
    assertThat(bombResponse.statusCode()).isEqualTo(413);
    assertThat(status(bombResponse.body())[1]).contains("after decompression");

    assertThat(post("/v1/traces", protobuf, "not gzip".getBytes(), "gzip").statusCode())
        .isEqualTo(400);
    assertThat(post("/v1/traces", protobuf, validRequest(1), "br").statusCode()).isEqualTo(400);

    // Still receiving, plain and gzip.
    assertThat(post("/v1/traces", protobuf, validRequest(2), null).statusCode()).isEqualTo(200);
    assertThat(post("/v1/traces", protobuf, gzip(validRequest(3)), "gzip").statusCode())
        .isEqualTo(200);

    ReceiverStats stats = receiver.getStats();
    assertThat(stats.getRefusedRequests(ReceiverStats.Refusal.NOT_FOUND)).isEqualTo(1);
    assertThat(stats.getRefusedRequests(ReceiverStats.Refusal.METHOD_NOT_ALLOWED)).isEqualTo(1);
    assertThat(stats.getRefusedRequests(ReceiverStats.Refusal.UNSUPPORTED_MEDIA_TYPE)).isEqualTo(2);
    assertThat(stats.getRefusedRequests(ReceiverStats.Refusal.MALFORMED)).isEqualTo(5);
    assertThat(stats.getRefusedRequests(ReceiverStats.Refusal.TOO_LARGE)).isEqualTo(2);
    assertThat(stats.getAcceptedItems(OtlpSignal.TRACES)).isEqualTo(10);
    receiver.close();
    assertThat(OtlpFileReader.readSpans(dir)).hasSize(10);
  }

  @Test
  void grpcAnswersInvalidArgumentAndResourceExhausted() throws Exception {
    start(OtlpFileReceiver.builder().setMaxRequestBytes(MAX_REQUEST_BYTES));
    URI endpoint = URI.create(receiver.getGrpcEndpoint());
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort())
            .usePlaintext()
            .build();
    try {
      MethodDescriptor<byte[], byte[]> raw =
          TraceServiceGrpc.getExportMethod().toBuilder(new RawBytes(), new RawBytes()).build();
      assertThatThrownBy(
              () ->
                  ClientCalls.blockingUnaryCall(
                      channel, raw, CallOptions.DEFAULT, new byte[] {(byte) 0xff, 0x01}))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e ->
                  assertThat(e.getStatus().getCode())
                      .isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT));
      assertThatThrownBy(
              () ->
                  ClientCalls.blockingUnaryCall(
                      channel, raw, CallOptions.DEFAULT, new byte[(int) MAX_REQUEST_BYTES + 1]))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e ->
                  assertThat(e.getStatus().getCode())
                      .isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED));
      TraceServiceGrpc.newBlockingStub(channel)
          .export(ExportTraceServiceRequest.parseFrom(validRequest(2)));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(receiver.getStats().getAcceptedItems(OtlpSignal.TRACES)).isEqualTo(4);
  }

  /** A gRPC marshaller that passes bytes through, to send what no stub would. */
  private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void aFullBufferAnswers503WithRetryAfterAndLosesNothingAccepted() throws Exception {
    List<SpanData> spans = ReceiverTelemetry.spans(50);
    byte[] request = ReceiverTelemetry.binary(spans);
    start(
        OtlpFileReceiver.builder()
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setBufferCapacity(request.length + 4) // room for one request at a time
            .setOverflowPolicy(OverflowPolicy.DROP)
            .setDurability(io.github.otlpfile.Durability.EVERY_WRITE));
    ExecutorService senders = Executors.newFixedThreadPool(8);
    long ok = 0;
    long unavailable = 0;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while ((unavailable == 0 || ok == 0) && System.nanoTime() < deadline) {
        List<Future<HttpResponse<byte[]>>> responses = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          responses.add(
              senders.submit(() -> post("/v1/traces", "application/x-protobuf", request, null)));
        }
        for (Future<HttpResponse<byte[]>> response : responses) {
          HttpResponse<byte[]> r = response.get(30, TimeUnit.SECONDS);
          if (r.statusCode() == 200) {
            ok++;
          } else {
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            unavailable++;
          }
        }
      }
    } finally {
      senders.shutdownNow();
    }
    assertThat(unavailable).as("requests refused for a full buffer").isPositive();
    assertThat(ok).as("requests accepted").isPositive();
    ReceiverStats stats = receiver.getStats();
    assertThat(stats.getRefusedRequests(ReceiverStats.Refusal.BUFFER_FULL)).isEqualTo(unavailable);
    assertThat(stats.getAcceptedItems(OtlpSignal.TRACES)).isEqualTo(ok * spans.size());
    receiver.close();
    assertThat(receiver.getStats().getFileStats(OtlpSignal.TRACES).getExportedItems())
        .isEqualTo(ok * spans.size());
    assertThat(OtlpFileReader.readSpans(dir)).hasSize((int) (ok * spans.size()));
  }

  @Test
  void aFullBufferAnswersGrpcUnavailableAndLosesNothingAccepted() throws Exception {
    List<SpanData> spans = ReceiverTelemetry.spans(50);
    byte[] request = ReceiverTelemetry.binary(spans);
    start(
        OtlpFileReceiver.builder()
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setBufferCapacity(request.length + 4) // room for one request at a time
            .setOverflowPolicy(OverflowPolicy.DROP)
            .setDurability(io.github.otlpfile.Durability.EVERY_WRITE));
    URI endpoint = URI.create(receiver.getGrpcEndpoint());
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort())
            .usePlaintext()
            .build();
    ExportTraceServiceRequest message = ExportTraceServiceRequest.parseFrom(request);
    ExecutorService senders = Executors.newFixedThreadPool(8);
    long ok = 0;
    long unavailable = 0;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while ((unavailable == 0 || ok == 0) && System.nanoTime() < deadline) {
        List<Future<io.grpc.Status.Code>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          calls.add(
              senders.submit(
                  () -> {
                    try {
                      TraceServiceGrpc.newBlockingStub(channel)
                          .withDeadlineAfter(30, TimeUnit.SECONDS)
                          .export(message);
                      return io.grpc.Status.Code.OK;
                    } catch (StatusRuntimeException e) {
                      return e.getStatus().getCode();
                    }
                  }));
        }
        for (Future<io.grpc.Status.Code> call : calls) {
          io.grpc.Status.Code code = call.get(30, TimeUnit.SECONDS);
          if (code == io.grpc.Status.Code.OK) {
            ok++;
          } else {
            assertThat(code).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
            unavailable++;
          }
        }
      }
    } finally {
      senders.shutdownNow();
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(unavailable).as("calls refused for a full buffer").isPositive();
    assertThat(ok).as("calls accepted").isPositive();
    ReceiverStats stats = receiver.getStats();
    assertThat(stats.getRefusedRequests(ReceiverStats.Refusal.BUFFER_FULL)).isEqualTo(unavailable);
    assertThat(stats.getAcceptedItems(OtlpSignal.TRACES)).isEqualTo(ok * spans.size());
    receiver.close();
    assertThat(OtlpFileReader.readSpans(dir)).hasSize((int) (ok * spans.size()));
  }

  @Test
  void badSettingsFailAtBuildNamingTheSetting() {
    assertThatThrownBy(() -> OtlpFileReceiver.builder().setHttpPort(70000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("httpPort");
    assertThatThrownBy(() -> OtlpFileReceiver.builder().setGrpcPort(-2).build())
        .hasMessageContaining("grpcPort");
    assertThatThrownBy(() -> OtlpFileReceiver.builder().setMaxRequestBytes(0).build())
        .hasMessageContaining("maxRequestBytes");
    assertThatThrownBy(
            () -> OtlpFileReceiver.builder().setReadTimeout(java.time.Duration.ZERO).build())
        .hasMessageContaining("readTimeout");
    assertThatThrownBy(() -> OtlpFileReceiver.builder().setMaxConcurrentRequests(0).build())
        .hasMessageContaining("maxConcurrentRequests");
    assertThatThrownBy(() -> OtlpFileReceiver.builder().setBufferCapacity(0).build())
        .hasMessageContaining("bufferCapacity");
    assertThatThrownBy(() -> OtlpFileReceiver.builder().setBindAddress("no such host.").build())
        .hasMessageContaining("bindAddress");
  }

  @Test
  void shutdownIsIdempotentAndRefusesLaterStarts() {
    OtlpFileReceiver r = start(OtlpFileReceiver.builder());
    assertThatThrownBy(r::start).isInstanceOf(IllegalStateException.class);
    assertThat(r.toString()).contains("httpPort=0").contains("bindAddress=127.0.0.1");
    assertThat(r.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(r.shutdown().isSuccess()).isTrue();
    assertThatThrownBy(r::start).isInstanceOf(IllegalStateException.class);
  }
}
