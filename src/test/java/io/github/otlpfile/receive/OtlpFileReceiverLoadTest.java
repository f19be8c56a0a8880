package io.github.otlpfile.receive;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.ExporterStats;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.support.LoadSpans;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of OTLP/HTTP requests from eight concurrent senders into a receiver whose buffer holds
 * about two of them: every request is answered 200 (its spans are then in the files) or refused
 * with a status that tells the sender to retry (429 or 503, with {@code Retry-After}), and the
 * files hold exactly the spans of the accepted requests.
 */
class OtlpFileReceiverLoadTest {
  private static final int SENDERS = 8;
  private static final int REQUESTS_PER_SENDER = 100;
  private static final int SPANS_PER_REQUEST = LoadSpans.MAX_BATCH;

  @TempDir Path dir;

  /** One request sent and its answer. */
  private record Sent(String marker, int status, String retryAfter) {}

  @Test
  void concurrentSendersGetWrittenOrToldToRetryAndAcceptedEqualsWritten() throws Exception {
    OtlpFileReceiver receiver =
        OtlpFileReceiver.builder()
            .setDirectory(dir)
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setBufferCapacity(80 * 1024)
            .setMaxFileSize(8 * 1024 * 1024)
            .setMaxFiles(Integer.MAX_VALUE)
            .setMaxTotalSize(Long.MAX_VALUE)
            .setHttpPort(0)
            .setGrpcPort(-1)
            .build()
            .start();
    URI traces = URI.create(receiver.getHttpEndpoint() + "/v1/traces");
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> senders = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      final int sender = s;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int r = 0; r < REQUESTS_PER_SENDER; r++) {
                    List<SpanData> batch = LoadSpans.batch(sender, r, SPANS_PER_REQUEST);
                    HttpResponse<byte[]> response =
                        client.send(
                            HttpRequest.newBuilder(traces)
                                .header("Content-Type", "application/x-protobuf")
                                .timeout(Duration.ofSeconds(60))
                                .POST(
                                    HttpRequest.BodyPublishers.ofByteArray(
                                        ReceiverTelemetry.binary(batch)))
                                .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    sent.add(
                        new Sent(
                            batch.get(0).getName(),
                            response.statusCode(),
                            response.headers().firstValue("Retry-After").orElse(null)));
                  }
                } catch (Throwable e) {
                  thrown.add(e);
                }
              },
              "sender-" + s);
      thread.start();
      senders.add(thread);
    }
    long started = System.nanoTime();
    start.countDown();
    for (Thread thread : senders) {
      thread.join(TimeUnit.MINUTES.toMillis(2));
      assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(receiver.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(thrown).isEmpty();

    Map<String, Integer> acceptedMarkers = new HashMap<>();
    long acceptedSpans = 0;
    long refused = 0;
    for (Sent request : sent) {
      assertThat(request.status()).as(request.marker()).isIn(200, 429, 503);
      if (request.status() == 200) {
        acceptedMarkers.put(request.marker(), 1);
        acceptedSpans += SPANS_PER_REQUEST;
      } else {
        assertThat(request.retryAfter()).as("Retry-After of a refusal").isNotNull();
        assertThat(Long.parseLong(request.retryAfter())).isPositive();
        refused++;
      }
    }
    assertThat(sent).hasSize(SENDERS * REQUESTS_PER_SENDER);
    assertThat(refused).as("the buffer was too small for the flood").isPositive();
    assertThat(acceptedMarkers).as("some requests got through").isNotEmpty();

    ReceiverStats stats = receiver.getStats();
    assertThat(stats.getRequests()).isEqualTo(sent.size());
    assertThat(stats.getAcceptedItems(OtlpSignal.TRACES)).isEqualTo(acceptedSpans);
    assertThat(stats.getAcceptedRequests(OtlpSignal.TRACES)).isEqualTo(acceptedMarkers.size());
    assertThat(stats.getRefusedRequests()).isEqualTo(refused);
    ExporterStats files = stats.getFileStats(OtlpSignal.TRACES);
    assertThat(files.getExportedItems()).isEqualTo(acceptedSpans);
    assertThat(files.getFailedItems()).isZero();

    LoadSpans.InFiles written = LoadSpans.readTraces(dir);
    assertThat(written.spans()).isEqualTo(acceptedSpans);
    assertThat(written.markers()).isEqualTo(acceptedMarkers);
    System.out.printf(
        "%d requests from %d senders in %d ms: %d accepted, %d refused; %s%n",
        sent.size(), SENDERS, millis, acceptedMarkers.size(), refused, stats);
  }
}
