package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.receive.OtlpFileReceiver;
import io.github.otlpfile.receive.ReceiverStats;
import io.github.otlpfile.support.LoadSpans;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resource soak: for {@code soak.seconds} (default 600) the three exporters and the receiver
 * (fed by a real OTLP/HTTP exporter) write small files that rotate every few hundred kilobytes, are
 * gzipped when closed and retired by retention, while the heap after a full GC, direct memory, the
 * thread count and the open file handles are sampled. After a warm-up (a quarter of the run, at
 * least 10 s) no sample may exceed the sample taken at its end by more than the bounds below.
 *
 * <p>Not part of {@code mvn verify} (its name does not end in {@code Test}); run it with {@code mvn
 * -B -Psoak test -Dsoak.seconds=600}. See docs/RELIABILITY.md.
 */
class ResourceSoak {
  static final long HEAP_BOUND_BYTES = 32L * 1024 * 1024;
  static final long DIRECT_BOUND_BYTES = 16L * 1024 * 1024;
  static final int THREAD_BOUND = 8;
  static final int FILE_HANDLE_BOUND = 16;
  private static final long MAX_FILE_SIZE = 256 * 1024;
  private static final int MAX_FILES = 6;

  @TempDir Path dir;

  private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

  /** One look at the process's resources. */
  record Sample(long atMillis, long heapBytes, long directBytes, int threads, long fileHandles) {
    static Sample take(long startNanos) throws IOException {
      // Twice: the first may leave garbage that finalization or reference processing frees.
      System.gc();
      System.gc();
      long direct = 0;
      for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
        if (pool.getName().equals("direct")) {
          direct = pool.getMemoryUsed();
        }
      }
      return new Sample(
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
          direct,
          ManagementFactory.getThreadMXBean().getThreadCount(),
          countFileHandles());
    }

    static long countFileHandles() throws IOException {
      Path fds = Paths.get("/proc/self/fd");
      if (!Files.isDirectory(fds)) {
        return -1; // not Linux: not measured
      }
      try (Stream<Path> open = Files.list(fds)) {
        return open.count();
      }
    }

    @Override
    public String toString() {
      return String.format(
          "%7.1fs heap %6.1f MiB  direct %6.1f MiB  threads %3d  fds %4d",
          atMillis / 1000.0, heapBytes / 1048576.0, directBytes / 1048576.0, threads, fileHandles);
    }
  }

  @Test
  void heapDirectMemoryThreadsAndFileHandlesStayFlat() throws Exception {
    Duration duration = Duration.ofSeconds(Long.getLong("soak.seconds", 600));
    Duration warmUp = Duration.ofMillis(Math.max(10_000, duration.toMillis() / 4));
    long sampleEveryMillis = Math.max(5_000, duration.toMillis() / 24);

    OtlpFileSpanExporter spans =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir.resolve("exporters"))
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setCompression(Compression.GZIP)
            .setMaxFileSize(MAX_FILE_SIZE)
            .setMaxFiles(MAX_FILES)
            .build();
    OtlpFileLogRecordExporter logs =
        OtlpFileLogRecordExporter.builder()
            .setDirectory(dir.resolve("exporters"))
            .setCompression(Compression.GZIP)
            .setMaxFileSize(MAX_FILE_SIZE)
            .setMaxFiles(MAX_FILES)
            .build();
    OtlpFileMetricExporter metrics =
        OtlpFileMetricExporter.builder()
            .setDirectory(dir.resolve("exporters"))
            .setCompression(Compression.GZIP)
            .setMaxFileSize(16 * 1024)
            .setMaxFiles(MAX_FILES)
            .build();
    SdkMeterProvider meterProvider =
        SdkMeterProvider.builder()
            .registerMetricReader(
                PeriodicMetricReader.builder(metrics).setInterval(Duration.ofMillis(200)).build())
            .build();
    LongCounter counter = meterProvider.get("soak").counterBuilder("soak.batches").build();
    OtlpFileReceiver receiver =
        OtlpFileReceiver.builder()
            .setDirectory(dir.resolve("receiver"))
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setCompression(Compression.GZIP)
            .setMaxFileSize(MAX_FILE_SIZE)
            .setMaxFiles(MAX_FILES)
            .setHttpPort(0)
            .setGrpcPort(-1)
            .build()
            .start();
    OtlpHttpSpanExporter sender =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(receiver.getHttpEndpoint() + "/v1/traces")
            .build();

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong sentOk = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    threads.add(
        loop(
            "soak-spans",
            stop,
            b -> {
              spans.export(LoadSpans.batch(0, b, 100));
              counter.add(1, Attributes.empty());
            }));
    threads.add(loop("soak-logs", stop, b -> logs.export(logBatch(b, 50))));
    threads.add(
        loop(
            "soak-sender",
            stop,
            b -> {
              List<SpanData> batch = LoadSpans.batch(1, b, 100);
              if (sender.export(batch).join(10, TimeUnit.SECONDS).isSuccess()) {
                sentOk.incrementAndGet();
              }
            }));

    long startNanos = System.nanoTime();
    List<Sample> samples = new ArrayList<>();
    Sample baseline = null;
    long endNanos = startNanos + duration.toNanos();
    long nextSampleNanos = startNanos + warmUp.toNanos();
    while (System.nanoTime() < endNanos) {
      // Waits for the next sampling time; the work goes on in the other threads meanwhile.
      LockSupport.parkNanos(Math.max(0, Math.min(nextSampleNanos, endNanos) - System.nanoTime()));
      if (System.nanoTime() < nextSampleNanos) {
        continue;
      }
      Sample sample = Sample.take(startNanos);
      samples.add(sample);
      System.out.println(sample);
      if (baseline == null) {
        baseline = sample;
      }
      nextSampleNanos += TimeUnit.MILLISECONDS.toNanos(sampleEveryMillis);
    }
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
    ExporterStats spanStats = spans.getStats();
    ExporterStats logStats = logs.getStats();
    ReceiverStats receiverStats = receiver.getStats();
    sender.shutdown().join(10, TimeUnit.SECONDS);
    meterProvider.shutdown().join(10, TimeUnit.SECONDS);
    spans.shutdown().join(30, TimeUnit.SECONDS);
    logs.shutdown().join(30, TimeUnit.SECONDS);
    receiver.shutdown().join(30, TimeUnit.SECONDS);
    System.out.println("spans: " + spanStats);
    System.out.println("logs: " + logStats);
    System.out.println("metrics: " + metrics.getStats());
    System.out.println("receiver: " + receiverStats);

    assertThat(errors).as("failures of the working threads").isEmpty();
    // The run did what it claims: files rotated, were compressed and retired, for everyone.
    assertThat(samples).as("samples after the warm-up").hasSizeGreaterThanOrEqualTo(2);
    assertThat(spanStats.getFilesDeleted()).as("span files retired").isPositive();
    assertThat(logStats.getFilesDeleted()).as("log files retired").isPositive();
    assertThat(metrics.getStats().getFilesCreated()).as("metric files rotated").isGreaterThan(1);
    ExporterStats received = receiverStats.getFileStats(OtlpSignal.TRACES);
    assertThat(received.getFilesDeleted()).as("receiver files retired").isPositive();
    assertThat(sentOk.get()).as("requests the receiver accepted").isPositive();
    assertThat(spanStats.getFailedItems() + logStats.getFailedItems()).isZero();
    try (Stream<Path> compressed = Files.walk(dir)) {
      assertThat(compressed.filter(p -> p.toString().endsWith(".gz")).count())
          .as("compressed files")
          .isPositive();
    }

    for (Sample sample : samples) {
      String at = "at " + sample.atMillis() / 1000 + " s, against " + baseline;
      assertThat(sample.heapBytes() - baseline.heapBytes())
          .as("heap growth after GC %s", at)
          .isLessThanOrEqualTo(HEAP_BOUND_BYTES);
      assertThat(sample.directBytes() - baseline.directBytes())
          .as("direct memory growth %s", at)
          .isLessThanOrEqualTo(DIRECT_BOUND_BYTES);
      assertThat(sample.threads() - baseline.threads())
          .as("thread growth %s", at)
          .isLessThanOrEqualTo(THREAD_BOUND);
      assertThat(sample.fileHandles() - baseline.fileHandles())
          .as("open file handle growth %s", at)
          .isLessThanOrEqualTo(FILE_HANDLE_BOUND);
    }
  }

  /** Work done again and again on its own thread, paced, until {@code stop}. */
  interface Step {
    void run(int iteration) throws Exception;
  }

  private Thread loop(String name, AtomicBoolean stop, Step step) {
    Thread thread =
        new Thread(
            () -> {
              try {
                for (int i = 0; !stop.get(); i++) {
                  step.run(i);
                  // The pace of the soak's workload, not a wait for a result.
                  LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
              } catch (Throwable e) {
                errors.add(new IllegalStateException(name + " failed", e));
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static List<LogRecordData> logBatch(int batch, int size) {
    List<LogRecordData> records = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      records.add(
          TestLogRecordData.builder()
              .setBody("soak log " + batch + "-" + i)
              .setSeverity(Severity.INFO)
              .setTimestamp(1_700_000_000_000L + i, TimeUnit.MILLISECONDS)
              .build());
    }
    return records;
  }
}
