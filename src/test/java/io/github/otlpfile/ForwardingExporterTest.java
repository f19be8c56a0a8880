package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.internal.encode.BatchEncoder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forwarding through the public exporters, with in-process delegates. */
class ForwardingExporterTest {
  @TempDir Path dir;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseDelegates() {
    release.countDown();
  }

  /** A span delegate that can block its caller, and counts its calls. */
  private final class ControlledSpanExporter implements SpanExporter {
    volatile boolean block;
    final AtomicLong exported = new AtomicLong();
    final AtomicInteger flushes = new AtomicInteger();
    final AtomicInteger shutdowns = new AtomicInteger();
    volatile long spansInFilesAtShutdown = -1;

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      if (block) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exported.addAndGet(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      flushes.incrementAndGet();
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      shutdowns.incrementAndGet();
      try {
        spansInFilesAtShutdown = LocalFiles.spanNames(dir).size();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      return CompletableResultCode.ofSuccess();
    }
  }

  private static List<SpanData> batch(int size) {
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      spans.add(ForwardingEndToEndTest.span("span-" + i));
    }
    return spans;
  }

  @Test
  void exportNeverWaitsForADelegateThatBlocks() {
    ControlledSpanExporter delegate = new ControlledSpanExporter();
    delegate.block = true;
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setForwardTo(delegate)
            .setForwardTimeout(Duration.ofMinutes(5))
            // Live forwarding alone: with catch-up, the skipped batches would reach the delegate
            // from the files after the release, counted as caught up, not forwarded.
            .setForwardCatchUp(false)
            .build();

    long slowestExportNanos = 0;
    for (int i = 0; i < 50; i++) {
      List<SpanData> spans = batch(10);
      long start = System.nanoTime();
      CompletableResultCode written = exporter.export(spans);
      slowestExportNanos = Math.max(slowestExportNanos, System.nanoTime() - start);
      assertThat(written.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    // Every batch is written while the delegate holds the first four; the rest are skipped.
    assertThat(TimeUnit.NANOSECONDS.toMillis(slowestExportNanos)).isLessThan(1000);
    ExporterStats stats = exporter.getStats();
    assertThat(stats.getExportedItems()).isEqualTo(500);
    assertThat(stats.getForwardSkippedItems()).isEqualTo(460);
    assertThat(stats.getForwardedItems()).isZero();

    release.countDown();
    assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    stats = exporter.getStats();
    assertThat(stats.getForwardedItems()).isEqualTo(40).isEqualTo(delegate.exported.get());
    assertThat(stats.getForwardedItems() + stats.getForwardSkippedItems()).isEqualTo(500);
    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  @Test
  void flushAndShutdownReachTheDelegateAfterTheLocalFiles() {
    ControlledSpanExporter delegate = new ControlledSpanExporter();
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setForwardTo(delegate)
            .build();
    exporter.export(batch(3));

    assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(delegate.flushes).hasValue(1);
    assertThat(delegate.exported).hasValue(3);
    exporter.export(batch(4));
    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(delegate.shutdowns).hasValue(1);
    assertThat(delegate.spansInFilesAtShutdown).isEqualTo(7);
    assertThat(delegate.exported).hasValue(7);
    assertThat(exporter.export(batch(1)).isSuccess()).isFalse();
    assertThat(exporter.getStats().getForwardedItems()).isEqualTo(7);
  }

  @Test
  void countsAddUpWithManyExportingThreadsAndAFlakyAsynchronousDelegate() throws Exception {
    TestClock clock = TestClock.create();
    AtomicLong accepted = new AtomicLong();
    AtomicInteger calls = new AtomicInteger();
    ExecutorService network = Executors.newFixedThreadPool(2);
    SpanExporter flaky =
        exporting(
            spans -> {
              CompletableResultCode result = new CompletableResultCode();
              boolean ok = calls.incrementAndGet() % 4 != 0;
              network.execute(
                  () -> {
                    if (ok) {
                      accepted.addAndGet(spans.size());
                      result.succeed();
                    } else {
                      result.fail();
                    }
                  });
              return result;
            });
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setClock(clock)
            .setForwardTo(flaky)
            .setForwardCatchUp(false) // live forwarding alone: skipped items stay skipped
            .setCircuitBreaker(
                CircuitBreakerConfig.builder()
                    .setFailureThreshold(2)
                    .setOpenDuration(Duration.ofSeconds(1))
                    .build())
            .build();
    ExecutorService exporting = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      done.add(
          exporting.submit(
              () -> {
                for (int i = 0; i < 50; i++) {
                  exporter.export(batch(5)).join(10, TimeUnit.SECONDS);
                  clock.advance(Duration.ofMillis(100));
                }
              }));
    }
    for (Future<?> future : done) {
      future.get(30, TimeUnit.SECONDS);
    }
    exporting.shutdown();

    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    network.shutdown();
    ExporterStats stats = exporter.getStats();
    assertThat(stats.getExportedItems()).isEqualTo(1000);
    assertThat(stats.getForwardedItems()).isPositive().isEqualTo(accepted.get());
    assertThat(stats.getForwardFailedItems()).isPositive();
    assertThat(
            stats.getForwardedItems()
                + stats.getForwardFailedItems()
                + stats.getForwardSkippedItems())
        .isEqualTo(1000);
  }

  /** A span exporter whose exports {@code export} answers; flush and shutdown succeed. */
  private static SpanExporter exporting(
      Function<Collection<SpanData>, CompletableResultCode> export) {
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return export.apply(spans);
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
  }

  /** A metric delegate that keeps the batches it gets, as an asynchronous exporter would. */
  private static final class KeepingMetricExporter implements MetricExporter {
    final List<Collection<MetricData>> batches = new CopyOnWriteArrayList<>();

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.DELTA; // not consulted: the file exporter's temporality rules
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      batches.add(metrics);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void forwardsReusableMetricDataAsItWasWhenExported() throws Exception {
    KeepingMetricExporter delegate = new KeepingMetricExporter();
    OtlpFileMetricExporter exporter =
        OtlpFileMetricExporter.builder()
            .setDirectory(dir)
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setMemoryMode(MemoryMode.REUSABLE_DATA)
            .setForwardTo(delegate)
            .build();
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .registerMetricReader(
                PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
            .build();
    Meter meter = provider.get("test");
    LongCounter counter = meter.counterBuilder("requests").build();
    DoubleHistogram latency = meter.histogramBuilder("latency").build();
    Attributes route = Attributes.of(AttributeKey.stringKey("route"), "/a");

    long[] adds = {1, 5, 10};
    for (long add : adds) {
      counter.add(add, route);
      latency.record(add * 1.5, route);
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(provider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    // The SDK refilled its reusable points at every collection; the forwarded batches kept
    // the values they had when exported, byte for byte what the file holds.
    List<byte[]> records = LocalFiles.records(dir, "metrics");
    assertThat(delegate.batches).hasSize(records.size()).hasSizeGreaterThanOrEqualTo(3);
    BatchEncoder<MetricData> encoder = BatchEncoder.forMetrics(OtlpFileFormat.PROTOBUF);
    for (int i = 0; i < records.size(); i++) {
      byte[] framed = encoder.encode(delegate.batches.get(i)).toByteArray();
      byte[] forwarded = java.util.Arrays.copyOfRange(framed, 4, framed.length);
      assertThat(ExportMetricsServiceRequest.parseFrom(forwarded))
          .as("batch " + i)
          .isEqualTo(ExportMetricsServiceRequest.parseFrom(records.get(i)));
    }
    assertThat(requestsValue(delegate.batches.get(0))).isEqualTo(1);
    assertThat(requestsValue(delegate.batches.get(1))).isEqualTo(6);
    assertThat(requestsValue(delegate.batches.get(2))).isEqualTo(16);
    ExporterStats stats = exporter.getStats();
    assertThat(stats.getForwardedItems()).isEqualTo(stats.getExportedItems());
  }

  private static long requestsValue(Collection<MetricData> batch) {
    for (MetricData metric : batch) {
      if (metric.getName().equals("requests")) {
        LongPointData point = metric.getLongSumData().getPoints().iterator().next();
        return point.getValue();
      }
    }
    throw new AssertionError("no requests metric in " + batch);
  }

  @Test
  void forwardsLogRecords() {
    InMemoryLogRecordExporter delegate = InMemoryLogRecordExporter.create();
    OtlpFileLogRecordExporter exporter =
        OtlpFileLogRecordExporter.builder().setDirectory(dir).setForwardTo(delegate).build();
    SdkLoggerProvider provider =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
            .build();
    provider.get("test").logRecordBuilder().setBody("hello").emit();
    provider.get("test").logRecordBuilder().setBody("world").emit();

    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(delegate.getFinishedLogRecordItems())
        .extracting(log -> log.getBodyValue().asString())
        .containsExactlyInAnyOrder("hello", "world"); // batches in flight may overtake
    assertThat(exporter.getStats().getForwardedItems()).isEqualTo(2);
    assertThat(provider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  @Test
  void publishesForwardingCountsAndCircuitTransitions() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    SdkMeterProvider meterProvider =
        SdkMeterProvider.builder().registerMetricReader(reader).build();
    SpanExporter failing = exporting(spans -> CompletableResultCode.ofFailure());
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setMeterProvider(meterProvider)
            .setForwardTo(failing)
            .setCircuitBreaker(CircuitBreakerConfig.builder().setFailureThreshold(1).build())
            .build();
    exporter.export(batch(2));
    exporter.flush().join(10, TimeUnit.SECONDS);
    exporter.export(batch(3));
    exporter.flush().join(10, TimeUnit.SECONDS);

    assertThat(exporter.getStats().getCircuitState()).isEqualTo(CircuitState.OPEN);
    Collection<MetricData> metrics = reader.collectAllMetrics();
    MetricData transitions =
        metrics.stream()
            .filter(m -> m.getName().equals("otlp_file.forward.circuit.transitions"))
            .findFirst()
            .orElseThrow();
    // One point per state entered.
    assertThat(transitions.getLongSumData().getPoints()).hasSize(3);
    assertThat(pointValue(transitions, "open")).isEqualTo(1);
    assertThat(pointValue(transitions, "half_open")).isZero();
    assertThat(pointValue(transitions, "closed")).isZero();
    MetricData items =
        metrics.stream()
            .filter(m -> m.getName().equals("otlp_file.exporter.items"))
            .findFirst()
            .orElseThrow();
    assertThat(outcome(items, "forward_failed")).isEqualTo(2);
    assertThat(outcome(items, "forward_skipped")).isEqualTo(3);
    exporter.shutdown().join(10, TimeUnit.SECONDS);
  }

  @Test
  void publishesNoTransitionsWithoutForwarding() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    SdkMeterProvider meterProvider =
        SdkMeterProvider.builder().registerMetricReader(reader).build();
    OtlpFileSpanExporter plain =
        OtlpFileSpanExporter.builder().setDirectory(dir).setMeterProvider(meterProvider).build();
    plain.export(batch(1)).join(10, TimeUnit.SECONDS);

    Collection<MetricData> metrics = reader.collectAllMetrics();

    assertThat(metrics).extracting(MetricData::getName).contains("otlp_file.exporter.items");
    assertThat(metrics)
        .filteredOn(m -> m.getName().equals("otlp_file.forward.circuit.transitions"))
        .allMatch(m -> m.getData().getPoints().isEmpty());
    plain.shutdown().join(10, TimeUnit.SECONDS);
  }

  private static long outcome(MetricData metric, String outcome) {
    return metric.getLongSumData().getPoints().stream()
        .filter(
            p -> outcome.equals(p.getAttributes().get(AttributeKey.stringKey("otlp_file.outcome"))))
        .mapToLong(LongPointData::getValue)
        .findFirst()
        .orElseThrow();
  }

  private static long pointValue(MetricData metric, String state) {
    return metric.getLongSumData().getPoints().stream()
        .filter(
            p ->
                state.equals(
                    p.getAttributes().get(AttributeKey.stringKey("otlp_file.circuit.state"))))
        .mapToLong(LongPointData::getValue)
        .findFirst()
        .orElseThrow();
  }
}
