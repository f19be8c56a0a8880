package io.github.otlpfile.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.otlpfile.read.OtlpFileReader;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver faces the network: it listens on loopback unless told otherwise, inflates a gzip
 * body only up to its size limit, handles requests on no more threads than it is allowed, and keeps
 * what it writes to its owner.
 */
class OtlpFileReceiverLimitsTest {
  @TempDir Path dir;
  private OtlpFileReceiver receiver;

  @AfterEach
  void tearDown() {
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void listensOnLoopbackOnlyByDefault() throws IOException {
    receiver = OtlpFileReceiver.builder().setDirectory(dir).setHttpPort(0).setGrpcPort(0).build();
    receiver.start();
    URI http = URI.create(receiver.getHttpEndpoint());
    URI grpc = URI.create(receiver.getGrpcEndpoint());
    assertThat(http.getHost()).isEqualTo("127.0.0.1");
    assertThat(grpc.getHost()).isEqualTo("127.0.0.1");
    try (Socket socket = new Socket("127.0.0.1", http.getPort())) {
      assertThat(socket.isConnected()).isTrue();
    }

    Optional<InetAddress> external = nonLoopbackAddress();
    assumeThat(external).as("this machine has a non-loopback IPv4 address").isPresent();
    for (int port : new int[] {http.getPort(), grpc.getPort()}) {
      assertThatThrownBy(
              () -> {
                try (Socket socket = new Socket()) {
                  socket.connect(new InetSocketAddress(external.get(), port), 2_000);
                }
              })
          .as("port %d on %s", port, external.get())
          .isInstanceOf(ConnectException.class);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }

  @Test
  void filesAndFoldersItCreatesAreOwnerOnly() throws Exception {
    Path directory = dir.resolve("new").resolve("otlp");
    receiver =
        OtlpFileReceiver.builder()
            .setDirectory(directory)
            .setHttpPort(0)
            .setGrpcPort(-1)
            .build()
            .start();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(ReceiverTelemetry.spans(2)).writeBinaryTo(body);
    HttpResponse<Void> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(receiver.getHttpEndpoint() + "/v1/traces"))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(response.statusCode()).isEqualTo(200);
    receiver.close();

    for (Path folder : List.of(dir.resolve("new"), directory, directory.resolve("traces"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
          .as("%s", folder)
          .isEqualTo("rwx------");
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory.resolve("traces"))) {
      files = listing.collect(Collectors.toList());
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as("%s", file)
          .isEqualTo("rw-------");
    }
  }

  @Test
  void aGzipBombIsInflatedOnlyToTheLimit() throws Exception {
    // 256 MiB of zeros, about 256 KiB compressed.
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      byte[] zeros = new byte[1024 * 1024];
      for (int i = 0; i < 256; i++) {
        gz.write(zeros);
      }
    }
    byte[] bomb = compressed.toByteArray();
    long limit = 1024 * 1024;
    CountingStream raw = new CountingStream(new ByteArrayInputStream(bomb));

    assertThatThrownBy(() -> OtlpHttpIntake.decodeBody(raw, true, limit))
        .isInstanceOf(OtlpHttpIntake.BodyTooLargeException.class)
        .hasMessage("the request is larger than 1048576 bytes (after decompression)");
    // Inflating 1 MiB of zeros takes about 1 KiB of input; the 8 KiB inflater buffer reads ahead.
    assertThat(raw.count).isLessThan(32 * 1024).isLessThan(bomb.length / 8);
  }

  @Test
  void requestsRunOnNoMoreThreadsThanAllowed() throws Exception {
    int threads = 2;
    receiver =
        OtlpFileReceiver.builder()
            .setDirectory(dir)
            .setHttpPort(0)
            .setGrpcPort(-1)
            .setMaxConcurrentRequests(threads)
            .build()
            .start();
    HttpClient client = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>();
    int spans = 0;
    for (int i = 0; i < 40; i++) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      List<SpanData> batch = ReceiverTelemetry.spans(3);
      spans += batch.size();
      TraceRequestMarshaler.create(batch).writeBinaryTo(body);
      responses.add(
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(receiver.getHttpEndpoint() + "/v1/traces"))
                  .header("Content-Type", "application/x-protobuf")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                  .build(),
              HttpResponse.BodyHandlers.discarding()));
    }
    for (CompletableFuture<HttpResponse<Void>> response : responses) {
      assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    long handlerThreads =
        Thread.getAllStackTraces().keySet().stream()
            .map(Thread::getName)
            .filter(name -> name.matches("otlp-file-receiver-http-\\d+"))
            .count();
    assertThat(handlerThreads).isBetween(1L, (long) threads);
    receiver.close();
    assertThat(OtlpFileReader.readSpans(dir)).hasSize(spans);
  }

  /** Counts the bytes read through it. */
  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
