package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.otlpfile.internal.file.TestSpans;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.receive.OtlpFileReceiver;
import io.github.otlpfile.receive.ReceiverStats;
import io.github.otlpfile.support.WrittenSpans;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real full file system: a 3 MiB tmpfs that the test mounts (Linux, as root; skipped with the
 * reason where mounting is not allowed), filled to the last byte by another file and kept full for
 * three seconds while four threads export spans. Afterwards the folder holds only whole records and
 * no empty file, every acknowledged span is in it, what failed is exactly what is not, and the
 * exporter went on writing by itself once the space came back.
 */
class FullFileSystemTest {
  private static final long FS_BYTES = 3L * 1024 * 1024;
  private static final long MAX_FILE_SIZE = 256 * 1024;
  private static final Duration FULL_FOR = Duration.ofSeconds(3);
  // Four threads at 50 batches a second each: within what the small file system holds once the
  // space comes back, as no retention deletes anything here.
  private static final int SPANS_PER_BATCH = 5;

  @TempDir Path tmp;
  private Path mountPoint;
  private boolean mounted;

  @BeforeEach
  void mountSmallFileSystem() throws Exception {
    mountPoint = Files.createDirectories(tmp.resolve("small-fs"));
    String output;
    int exit;
    try {
      Process mount =
          new ProcessBuilder(
                  "mount", "-t", "tmpfs", "-o", "size=" + FS_BYTES, "tmpfs", mountPoint.toString())
              .redirectErrorStream(true)
              .start();
      output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      exit = mount.waitFor(30, TimeUnit.SECONDS) ? mount.exitValue() : -1;
    } catch (IOException e) {
      output = e.toString();
      exit = -1;
    }
    String why = output;
    int status = exit;
    Assumptions.assumeTrue(
        status == 0,
        () ->
            "Skipped: cannot mount a 3 MiB tmpfs at "
                + mountPoint
                + " (needs Linux and root or CAP_SYS_ADMIN); mount said: "
                + (why.isEmpty() ? "exit status " + status : why));
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      Process umount =
          new ProcessBuilder("umount", mountPoint.toString()).redirectErrorStream(true).start();
      umount.getInputStream().transferTo(OutputStream.nullOutputStream());
      if (!umount.waitFor(30, TimeUnit.SECONDS) || umount.exitValue() != 0) {
        // Still busy: detach it, so that nothing outlives the test.
        new ProcessBuilder("umount", "-l", mountPoint.toString()).start().waitFor();
      }
    }
  }

  /** One export and what came of it. */
  private record Export(List<String> names, CompletableResultCode result) {}

  @ParameterizedTest
  @CsvSource({"JSON_LINES, NONE", "PROTOBUF, GZIP"})
  void aFileSystemKeptFullForSecondsCostsOnlyTheExportsThatFailed(
      OtlpFileFormat format, Compression compression) throws Exception {
    Path directory = mountPoint.resolve("otlp");
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(directory)
            .setFormat(format)
            .setCompression(compression)
            .setMaxFileSize(MAX_FILE_SIZE)
            .setMaxFiles(Integer.MAX_VALUE)
            .setMaxTotalSize(Long.MAX_VALUE)
            .build();
    ConcurrentLinkedQueue<Export> exports = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
    AtomicInteger batches = new AtomicInteger();

    for (int i = 0; i < 10; i++) {
      Export before = export(exporter, "before-" + i, exports);
      assertThat(before.result().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    // Everything else the file system has goes to another file.
    Path filler = mountPoint.resolve("filler");
    fill(filler);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> producers =
        startPaced(
            "producer",
            4,
            stop,
            thrown,
            thread -> export(exporter, "t" + thread + "-b" + batches.incrementAndGet(), exports));
    long fullUntil = System.nanoTime() + FULL_FOR.toNanos();
    await()
        .pollDelay(FULL_FOR)
        .atMost(FULL_FOR.plusSeconds(30))
        .until(() -> System.nanoTime() >= fullUntil);
    long failedWhileFull = exporter.getStats().getFailedItems();
    Files.delete(filler);

    // Recovers without a restart: an export made now is written.
    AtomicInteger attempt = new AtomicInteger();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                export(exporter, "after-" + attempt.incrementAndGet(), exports)
                    .result()
                    .join(10, TimeUnit.SECONDS)
                    .isSuccess());
    stop.set(true);
    for (Thread producer : producers) {
      producer.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(exporter.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(thrown).as("nothing thrown into the exporting threads").isEmpty();

    long produced = 0;
    long acknowledged = 0;
    Set<String> acknowledgedNames = new HashSet<>();
    for (Export export : exports) {
      produced += export.names().size();
      assertThat(export.result().isDone()).isTrue();
      if (export.result().isSuccess()) {
        acknowledged += export.names().size();
        acknowledgedNames.addAll(export.names());
      }
    }
    ExporterStats stats = exporter.getStats();
    assertThat(failedWhileFull).as("exports failed while the disk was full").isPositive();
    assertThat(stats.getExportedItems()).isEqualTo(acknowledged);
    assertThat(stats.getFailedItems() + stats.getDroppedItems()).isEqualTo(produced - acknowledged);

    // Only whole records, read strictly, in well-named files; no empty file, no temporary file.
    List<Path> files =
        WrittenSpans.assertExactlyAcknowledged(directory, format, acknowledged, acknowledgedNames);
    // No file per failed attempt: as many files as the bytes written need, and a few more.
    assertThat(stats.getFilesCreated())
        .isLessThanOrEqualTo(stats.getBytesWritten() / MAX_FILE_SIZE + 3);
    System.out.printf(
        "%s/%s: produced=%d acknowledged=%d failed=%d dropped=%d files=%d filesCreated=%d%n",
        format,
        compression,
        produced,
        acknowledged,
        stats.getFailedItems(),
        stats.getDroppedItems(),
        files.size(),
        stats.getFilesCreated());
  }

  /** One request sent to the receiver and its answer. */
  private record Sent(List<String> names, int status, String retryAfter) {}

  @ParameterizedTest
  @CsvSource({"PROTOBUF, NONE", "JSON_LINES, GZIP"})
  void aReceiverOnAFullFileSystemAsksSendersToRetryAndAcceptsOnlyWhatItWrote(
      OtlpFileFormat format, Compression compression) throws Exception {
    Path directory = mountPoint.resolve("received");
    OtlpFileReceiver receiver =
        OtlpFileReceiver.builder()
            .setDirectory(directory)
            .setFormat(format)
            .setCompression(compression)
            .setMaxFileSize(MAX_FILE_SIZE)
            .setMaxFiles(Integer.MAX_VALUE)
            .setMaxTotalSize(Long.MAX_VALUE)
            .setHttpPort(0)
            .setGrpcPort(-1)
            .build()
            .start();
    URI traces = URI.create(receiver.getHttpEndpoint() + "/v1/traces");
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    AtomicInteger requests = new AtomicInteger();
    for (int i = 0; i < 5; i++) {
      assertThat(post(client, traces, "before-" + i, sent).status()).isEqualTo(200);
    }

    Path filler = mountPoint.resolve("filler");
    fill(filler);
    ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> senders =
        startPaced(
            "sender",
            2,
            stop,
            thrown,
            thread -> post(client, traces, "t" + thread + "-r" + requests.incrementAndGet(), sent));
    long fullUntil = System.nanoTime() + FULL_FOR.toNanos();
    await()
        .pollDelay(FULL_FOR)
        .atMost(FULL_FOR.plusSeconds(30))
        .until(() -> System.nanoTime() >= fullUntil);
    long refusedWhileFull =
        receiver.getStats().getRefusedRequests(ReceiverStats.Refusal.WRITE_FAILED);
    Files.delete(filler);
    AtomicInteger attempt = new AtomicInteger();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> post(client, traces, "after-" + attempt.incrementAndGet(), sent).status() == 200);
    stop.set(true);
    for (Thread sender : senders) {
      sender.join(TimeUnit.SECONDS.toMillis(60));
    }
    assertThat(receiver.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(thrown).isEmpty();

    long acceptedSpans = 0;
    long refused = 0;
    Set<String> acceptedNames = new HashSet<>();
    for (Sent request : sent) {
      assertThat(request.status()).as("status for %s", request.names().get(0)).isIn(200, 503);
      if (request.status() == 200) {
        acceptedSpans += request.names().size();
        acceptedNames.addAll(request.names());
      } else {
        assertThat(request.retryAfter()).as("Retry-After of a refusal").isNotNull();
        refused++;
      }
    }
    assertThat(refusedWhileFull).as("requests refused while the disk was full").isPositive();
    ReceiverStats stats = receiver.getStats();
    assertThat(stats.getRefusedRequests()).isEqualTo(refused);
    assertThat(stats.getAcceptedItems(OtlpSignal.TRACES)).isEqualTo(acceptedSpans);

    WrittenSpans.assertExactlyAcknowledged(directory, format, acceptedSpans, acceptedNames);
    System.out.printf(
        "receiver %s/%s: requests=%d accepted spans=%d refused=%d%n",
        format, compression, sent.size(), acceptedSpans, refused);
  }

  /** One step of a workload thread. */
  private interface Step {
    void run(int thread) throws Exception;
  }

  /**
   * Starts {@code count} threads that each run {@code step} every 20 ms until {@code stop}, adding
   * what they throw to {@code thrown}.
   */
  private static List<Thread> startPaced(
      String name, int count, AtomicBoolean stop, Queue<Throwable> thrown, Step step) {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < count; t++) {
      final int thread = t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    step.run(thread);
                    // The pace of the workload during the outage, not a wait for a result.
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                  }
                } catch (Throwable e) {
                  thrown.add(e);
                }
              },
              name + "-" + t);
      worker.start();
      threads.add(worker);
    }
    return threads;
  }

  private static Sent post(
      HttpClient client, URI traces, String prefix, ConcurrentLinkedQueue<Sent> sent)
      throws IOException, InterruptedException {
    List<SpanData> batch = TestSpans.batch(prefix, SPANS_PER_BATCH);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(batch).writeBinaryTo(body);
    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(traces)
                .header("Content-Type", "application/x-protobuf")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    Sent request =
        new Sent(
            WrittenSpans.names(batch),
            response.statusCode(),
            response.headers().firstValue("Retry-After").orElse(null));
    sent.add(request);
    return request;
  }

  private static Export export(
      OtlpFileSpanExporter exporter, String prefix, ConcurrentLinkedQueue<Export> exports) {
    List<SpanData> batch = TestSpans.batch(prefix, SPANS_PER_BATCH);
    Export export = new Export(WrittenSpans.names(batch), exporter.export(batch));
    exports.add(export);
    return export;
  }

  /** Writes {@code filler} until the file system has no byte left. */
  private static void fill(Path filler) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        try {
          out.write(chunk);
        } catch (IOException full) {
          break;
        }
      }
      // What the last chunk did not fill, byte by byte.
      while (true) {
        try {
          out.write(chunk, 0, 1);
        } catch (IOException full) {
          break;
        }
      }
    } catch (IOException e) {
      // Closing a file on a full file system may report the failure again.
    }
    assertThat(Files.getFileStore(filler).getUsableSpace()).isLessThan(4096);
  }
}
