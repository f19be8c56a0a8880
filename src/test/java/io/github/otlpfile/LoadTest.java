package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.support.LoadSpans;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
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
 * Eight threads export 1,000,000 spans, batches of 512 handed straight to the exporter as a batch
 * processor would: under {@link OverflowPolicy#BLOCK} nothing is lost, under {@link
 * OverflowPolicy#DROP} with a buffer of a few batches everything is written or counted as dropped.
 * Each batch carries one span of its own, so the files show not only how many spans arrived but
 * that each batch arrived exactly once, or not at all.
 */
class LoadTest {
  static final int THREADS = 8;
  static final int SPANS = 1_000_000;
  static final int BATCH = 512;

  @TempDir Path dir;

  /** One batch offered and what came of it. */
  private record Export(String marker, int spans, CompletableResultCode result) {}

  private List<Export> run(OtlpFileSpanExporter exporter) throws InterruptedException {
    ConcurrentLinkedQueue<Export> exports = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      final int thread = t;
      Thread producer =
          new Thread(
              () -> {
                try {
                  start.await();
                  int quota = SPANS / THREADS;
                  for (int b = 0; quota > 0; b++) {
                    int size = Math.min(BATCH, quota);
                    quota -= size;
                    List<SpanData> batch = LoadSpans.batch(thread, b, size);
                    exports.add(new Export(batch.get(0).getName(), size, exporter.export(batch)));
                  }
                } catch (Throwable e) {
                  thrown.add(e);
                }
              },
              "load-" + t);
      producer.start();
      threads.add(producer);
    }
    long started = System.nanoTime();
    start.countDown();
    for (Thread thread : threads) {
      thread.join(TimeUnit.MINUTES.toMillis(2));
      assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
    }
    assertThat(exporter.shutdown().join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(thrown).as("nothing thrown into the exporting threads").isEmpty();
    List<Export> all = new ArrayList<>(exports);
    long spans = all.stream().mapToLong(Export::spans).sum();
    assertThat(spans).isEqualTo(SPANS);
    System.out.printf(
        "%s: %d spans from %d threads in %d ms (%d spans/s); %s%n",
        exporter, spans, THREADS, millis, spans * 1000 / Math.max(1, millis), exporter.getStats());
    return all;
  }

  @Test
  void eightThreadsUnderBlockLoseNothing() throws Exception {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setOverflowPolicy(OverflowPolicy.BLOCK)
            // A few batches' worth: the producers really wait for room.
            .setBufferCapacity(1024 * 1024)
            .setMaxFileSize(16 * 1024 * 1024)
            .setMaxFiles(Integer.MAX_VALUE)
            .setMaxTotalSize(Long.MAX_VALUE)
            .build();
    List<Export> exports = run(exporter);

    for (Export export : exports) {
      assertThat(export.result().isSuccess()).as(export.marker()).isTrue();
    }
    ExporterStats stats = exporter.getStats();
    assertThat(stats.getExportedItems()).isEqualTo(SPANS);
    assertThat(stats.getDroppedItems()).isZero();
    assertThat(stats.getFailedItems()).isZero();
    LoadSpans.InFiles files = LoadSpans.readTraces(dir);
    assertThat(files.spans()).isEqualTo(SPANS);
    assertThat(files.markers()).hasSize(exports.size());
    assertThat(files.markers().values()).containsOnly(1);
    assertThat(stats.getFilesCreated()).isGreaterThan(1);
  }

  @Test
  void eightThreadsUnderDropWithATinyBufferWriteOrCountEverySpan() throws Exception {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setOverflowPolicy(OverflowPolicy.DROP)
            // About two batches.
            .setBufferCapacity(64 * 1024)
            .setMaxFileSize(16 * 1024 * 1024)
            .setMaxFiles(Integer.MAX_VALUE)
            .setMaxTotalSize(Long.MAX_VALUE)
            .build();
    List<Export> exports = run(exporter);

    long acknowledged = 0;
    long refused = 0;
    Map<String, Integer> acknowledgedMarkers = new HashMap<>();
    for (Export export : exports) {
      assertThat(export.result().isDone()).isTrue();
      if (export.result().isSuccess()) {
        acknowledged += export.spans();
        acknowledgedMarkers.put(export.marker(), 1);
      } else {
        refused += export.spans();
      }
    }
    ExporterStats stats = exporter.getStats();
    assertThat(stats.getDroppedItems()).as("some batches found the buffer full").isPositive();
    assertThat(stats.getExportedItems()).isEqualTo(acknowledged);
    assertThat(stats.getDroppedItems()).isEqualTo(refused);
    assertThat(stats.getFailedItems()).isZero();
    assertThat(stats.getExportedItems() + stats.getDroppedItems()).isEqualTo(SPANS);
    LoadSpans.InFiles files = LoadSpans.readTraces(dir);
    assertThat(files.spans()).isEqualTo(acknowledged);
    assertThat(files.markers()).isEqualTo(acknowledgedMarkers);
  }
}
