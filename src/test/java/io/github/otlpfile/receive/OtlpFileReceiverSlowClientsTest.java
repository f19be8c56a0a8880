package io.github.otlpfile.receive;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Senders that stall in the middle of a body, and connections that send nothing, do not stop the
 * receiver: the stalled bodies are cut off at the read timeout and counted, and a well-behaved
 * sender is answered meanwhile.
 */
class OtlpFileReceiverSlowClientsTest {
  private static final Duration READ_TIMEOUT = Duration.ofMillis(500);
  private static final int HANDLER_THREADS = 2;

  @TempDir Path dir;
  private OtlpFileReceiver receiver;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void tearDown() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void stalledBodiesAreCutOffAndOtherSendersKeepBeingAnswered() throws Exception {
    receiver =
        OtlpFileReceiver.builder()
            .setDirectory(dir)
            .setHttpPort(0)
            .setGrpcPort(-1)
            .setReadTimeout(READ_TIMEOUT)
            .setMaxConcurrentRequests(HANDLER_THREADS)
            .build()
            .start();
    URI endpoint = URI.create(receiver.getHttpEndpoint());
    InetSocketAddress address = new InetSocketAddress(endpoint.getHost(), endpoint.getPort());

    // More stalled bodies than handler threads, and a crowd of connections that send nothing.
    List<Socket> stalled = new ArrayList<>();
    for (int i = 0; i < HANDLER_THREADS + 2; i++) {
      Socket socket = connect(address);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
                  + "Content-Length: 100000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[10]);
      out.flush();
      stalled.add(socket);
    }
    for (int i = 0; i < 50; i++) {
      connect(address);
    }

    // A real sender is answered while all that is going on.
    OtlpHttpSpanExporter sender =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(receiver.getHttpEndpoint() + "/v1/traces")
            .setTimeout(Duration.ofSeconds(20))
            .build();
    List<SpanData> spans = ReceiverTelemetry.spans(5);
    try {
      CompletableResultCode result = sender.export(spans);
      assertThat(result.join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      sender.shutdown().join(10, TimeUnit.SECONDS);
    }

    // Each stalled connection is closed by the receiver (end of stream or a reset), not left open.
    for (Socket socket : stalled) {
      socket.setSoTimeout(20_000);
      assertThat(readUntilClosed(socket.getInputStream()))
          .as("the receiver closed the stalled connection")
          .isTrue();
    }
    assertThat(receiver.getStats().getRefusedRequests(ReceiverStats.Refusal.READ_TIMEOUT))
        .as("%s", receiver.getStats())
        .isEqualTo(stalled.size());
    assertThat(receiver.getStats().getAcceptedRequests(OtlpSignal.TRACES))
        .as("%s", receiver.getStats())
        .isEqualTo(1);
    receiver.shutdown();
    assertThat(OtlpFileReader.readSpans(dir.resolve(OtlpSignal.TRACES.getDirectoryName())))
        .hasSize(spans.size());
  }

  private Socket connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    socket.connect(address, 5_000);
    return socket;
  }

  /** Reads until the peer closes; false if it is still open when the socket's timeout ends. */
  private static boolean readUntilClosed(InputStream in) throws IOException {
    byte[] buffer = new byte[4096];
    try {
      while (in.read(buffer) >= 0) {
        // A response before the close is fine; only the close matters.
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the receiver
    }
  }
}
