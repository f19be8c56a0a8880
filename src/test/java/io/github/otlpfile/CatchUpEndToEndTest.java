package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.otlpfile.OtlpHttpReceiver.Mode;
import io.github.otlpfile.support.LogCapture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding catch-up against a real OTLP/HTTP receiver on 127.0.0.1, through the real
 * OpenTelemetry OTLP/HTTP exporter: outages of several breaker cycles, rotation, compression and
 * retention underneath, a damaged checkpoint, a torn record, a checkpoint that cannot be written,
 * and the endpoint's retry signals. Span ids are numbered in export order, which is file order.
 */
class CatchUpEndToEndTest {
  private static final Duration OPEN = Duration.ofSeconds(10);
  private static final int BATCH = 10;

  @TempDir Path dir;
  private final TestClock clock = TestClock.create();
  @RegisterExtension final LogCapture logs = LogCapture.of("io.github.otlpfile.internal.forward");
  private OtlpHttpReceiver receiver;
  private long nextId;

  @BeforeEach
  void setUp() throws Exception {
    receiver = new OtlpHttpReceiver();
  }

  @AfterEach
  void tearDown() throws Exception {
    receiver.close();
  }

  private OtlpFileSpanExporterBuilder builder(long rate) {
    return OtlpFileSpanExporter.builder()
        .setDirectory(dir)
        .setFormat(OtlpFileFormat.PROTOBUF)
        .setClock(clock)
        .setForwardTo(
            OtlpHttpSpanExporter.builder()
                .setEndpoint(receiver.tracesUrl())
                .setTimeout(Duration.ofSeconds(2))
                .setRetryPolicy(null)
                .build())
        .setForwardTimeout(Duration.ofSeconds(5))
        .setForwardCatchUpRate(rate)
        .setCircuitBreaker(
            CircuitBreakerConfig.builder().setFailureThreshold(2).setOpenDuration(OPEN).build());
  }

  /** Exports one batch and waits until it is written; returns its span ids. */
  private List<String> export(OtlpFileSpanExporter exporter) {
    List<SpanData> spans = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      String id = String.format("%016x", ++nextId);
      ids.add(id);
      spans.add(span(id));
    }
    assertThat(exporter.export(spans).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    return ids;
  }

  private static void assertCountsAddUp(ExporterStats stats) {
    assertThat(
            stats.getForwardedItems()
                + stats.getForwardCaughtUpItems()
                + stats.getForwardRejectedItems()
                + stats.getForwardExpiredItems()
                + stats.getForwardBacklogItems())
        .as(stats.toString())
        .isEqualTo(stats.getExportedItems() + stats.getForwardFoundItems());
  }

  /** Waits until the breaker has reopened after a probe, whoever sent it. */
  private void oneBreakerCycle(OtlpFileSpanExporter exporter, List<String> written) {
    clock.advance(OPEN);
    written.addAll(export(exporter));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> exporter.getStats().getCircuitState() == CircuitState.OPEN);
  }

  @Test
  void afterAnOutageOfSeveralBreakerCyclesEverySpanArrivesOnceCatchUpInFileOrder()
      throws Exception {
    OtlpFileSpanExporter exporter = builder(100).build();
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      written.addAll(export(exporter));
    }
    // Delivered means answered: wait for the answers, not only for the receiver to count them.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> exporter.getStats().getForwardedItems() == 3 * BATCH);

    // The outage: two failures open the breaker; three probes fail, one per cycle.
    receiver.stop();
    List<String> outage = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      outage.addAll(export(exporter));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> exporter.getStats().getCircuitState() == CircuitState.OPEN);
    for (int cycle = 0; cycle < 3; cycle++) {
      for (int i = 0; i < 3; i++) {
        outage.addAll(export(exporter));
      }
      oneBreakerCycle(exporter, outage);
    }
    written.addAll(outage);
    assertThat(receiver.spans()).isEqualTo(3 * BATCH);
    assertThat(exporter.getStats().getForwardBacklogItems())
        .as("%s", exporter.getStats())
        .isEqualTo(outage.size());

    // The endpoint is back: catch-up sends the backlog (about 1.4 s at 100 spans/s) while live
    // batches keep coming every 100 ms.
    receiver.start();
    clock.advance(OPEN);
    List<String> live = new CopyOnWriteArrayList<>();
    ScheduledExecutorService workload = Executors.newSingleThreadScheduledExecutor();
    workload.scheduleWithFixedDelay(
        () -> live.addAll(export(exporter)), 0, 100, TimeUnit.MILLISECONDS);
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  exporter.getStats().getForwardBacklogItems() == 0
                      && exporter.getStats().getForwardCaughtUpItems() >= outage.size());
    } finally {
      workload.shutdown();
      assertThat(workload.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    written.addAll(live);
    assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.spanIds().size() >= written.size());

    List<String> received = new ArrayList<>(receiver.spanIds());
    assertThat(received).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);
    // Catch-up sends the backlog in file order.
    List<String> backlogInArrivalOrder =
        received.stream().filter(new HashSet<>(outage)::contains).collect(Collectors.toList());
    assertThat(backlogInArrivalOrder).isSorted();
    // Live spans are not held back behind the backlog.
    int lastBacklog = received.indexOf(backlogInArrivalOrder.get(outage.size() - 1));
    assertThat(received.subList(0, lastBacklog)).containsAnyElementsOf(live);

    ExporterStats stats = exporter.getStats();
    // The whole outage came through catch-up; so may a live batch that found the probe in flight.
    assertThat(stats.getForwardCaughtUpItems()).isGreaterThanOrEqualTo(outage.size());
    assertThat(stats.getForwardedItems() + stats.getForwardCaughtUpItems())
        .isEqualTo(written.size());
    assertThat(stats.getForwardExpiredItems()).isZero();
    assertCountsAddUp(stats);
    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  @Test
  void rotationCompressionAndRetentionDuringALongOutageMissingSpansEqualTheExpiredCount()
      throws Exception {
    OtlpFileSpanExporter exporter =
        builder(1_000_000)
            .setMaxFileSize(2_000)
            .setCompression(Compression.GZIP)
            .setMaxFiles(4)
            .build();
    receiver.stop();
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      written.addAll(export(exporter));
    }
    assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> exporter.getStats().getForwardExpiredItems() > 0);
    assertThat(exporter.getStats().getFilesDeleted()).isPositive();
    try (Stream<Path> files = Files.list(dir.resolve("traces"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.endsWith(".binpb.gz"));
    }

    receiver.start();
    clock.advance(OPEN);
    written.addAll(export(exporter));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                exporter.getStats().getForwardBacklogItems() == 0
                    && exporter.getStats().getCircuitState() == CircuitState.CLOSED);
    assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    ExporterStats stats = exporter.getStats();
    List<String> received = receiver.spanIds();
    assertThat(received).doesNotHaveDuplicates();
    Set<String> missing = new HashSet<>(written);
    missing.removeAll(received);
    assertThat(missing).hasSize((int) stats.getForwardExpiredItems());
    assertThat(stats.getForwardCaughtUpItems()).isPositive();
    assertCountsAddUp(stats);
    assertThat(warnings()).anyMatch(r -> r.getMessage().contains("getForwardExpiredItems()"));
    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  @Test
  void aDamagedCheckpointAndATornRecordCostDuplicatesAtWorstNeverData() throws Exception {
    receiver.stop();
    OtlpFileSpanExporter first = builder(1_000_000).build();
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      written.addAll(export(first));
    }
    assertThat(first.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    Path traces = dir.resolve("traces");
    Path checkpoint = traces.resolve(".otlp-forward-checkpoint");
    assertThat(checkpoint).exists();
    Files.write(checkpoint, "not a checkpoint\n".getBytes(StandardCharsets.UTF_8));
    // A torn last record, as a crash in the middle of a write leaves it.
    Path data;
    try (Stream<Path> files = Files.list(traces)) {
      data = files.filter(p -> p.toString().endsWith(".binpb")).findFirst().orElseThrow();
    }
    Files.write(data, new byte[] {0, 0, 4, 0, 1, 2, 3}, StandardOpenOption.APPEND);

    receiver.start();
    OtlpFileSpanExporter second = builder(1_000_000).build();
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spanIds().size() >= written.size());
    assertThat(receiver.spanIds()).containsExactlyInAnyOrderElementsOf(written);
    ExporterStats stats = second.getStats();
    assertThat(stats.getForwardFoundItems()).isEqualTo(written.size());
    assertThat(stats.getForwardCaughtUpItems()).isEqualTo(written.size());
    assertCountsAddUp(stats);
    assertThat(warnings()).anyMatch(r -> r.getMessage().contains("checkpoint is damaged"));
    assertThat(second.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    // The next start finds a good checkpoint again and sends nothing twice: for a while, only
    // the one live batch it exports arrives.
    receiver.spanIds().clear();
    OtlpFileSpanExporter third = builder(1_000_000).build();
    List<String> live = export(third);
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> receiver.spanIds().equals(live));
    assertThat(third.getStats().getForwardFoundItems()).isZero();
    assertThat(third.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  @Test
  void aCheckpointThatCannotBeWrittenIsReportedAndWrittenOnceItCanBe() throws Exception {
    Path traces = dir.resolve("traces");
    Files.createDirectories(traces);
    // Where the new checkpoint is written first: a directory there fails every write, as a full
    // disk would.
    Path blocker = Files.createDirectory(traces.resolve(".otlp-forward-checkpoint.tmp"));
    OtlpFileSpanExporter exporter = builder(1_000_000).build();
    List<String> written = new ArrayList<>(export(exporter));
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.spans() == BATCH);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                warnings().stream()
                    .anyMatch(
                        r -> r.getMessage().contains("Cannot write the forwarding checkpoint")));
    assertThat(traces.resolve(".otlp-forward-checkpoint")).doesNotExist();

    Files.delete(blocker);
    written.addAll(export(exporter));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(traces.resolve(".otlp-forward-checkpoint")));
    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(receiver.spanIds()).containsExactlyInAnyOrderElementsOf(written);
    // The checkpoint now says everything was delivered: a new exporter sends nothing.
    OtlpFileSpanExporter next = builder(1_000_000).build();
    assertThat(next.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(receiver.spanIds()).hasSize(written.size());
  }

  @Test
  void jsonLinesFilesAreCaughtUpByLineAcrossARestart() throws Exception {
    OtlpFileSpanExporter first = builder(1_000_000).setFormat(OtlpFileFormat.JSON_LINES).build();
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      written.addAll(export(first));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> first.getStats().getForwardedItems() == 2 * BATCH);
    receiver.stop();
    List<String> outage = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      outage.addAll(export(first));
    }
    assertThat(first.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    written.addAll(outage);

    // The next run finds lines 3 to 5 of the file undelivered, and only those.
    receiver.start();
    OtlpFileSpanExporter second = builder(1_000_000).setFormat(OtlpFileFormat.JSON_LINES).build();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> second.getStats().getForwardCaughtUpItems() == outage.size());
    // Live batches may overtake one another (several are in flight); the catch-up is in order.
    List<String> received = receiver.spanIds();
    assertThat(received).containsExactlyInAnyOrderElementsOf(written);
    assertThat(received.subList(received.size() - outage.size(), received.size()))
        .containsExactlyElementsOf(outage);
    assertThat(second.getStats().getForwardFoundItems()).isEqualTo(outage.size());
    assertCountsAddUp(second.getStats());
    assertThat(second.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  @Test
  void aPermanentRejectionMovesOnAndIsCounted() throws Exception {
    OtlpFileSpanExporter exporter = builder(1_000_000).build();
    receiver.stop();
    List<String> outage = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      outage.addAll(export(exporter));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> exporter.getStats().getCircuitState() == CircuitState.OPEN);
    receiver.setMode(Mode.BAD_REQUEST_400_ONCE);
    receiver.start();
    clock.advance(OPEN);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> exporter.getStats().getForwardBacklogItems() == 0);
    ExporterStats stats = exporter.getStats();
    assertThat(stats.getForwardRejectedItems()).isEqualTo(BATCH);
    assertThat(stats.getForwardCaughtUpItems()).isEqualTo(outage.size() - BATCH);
    // The first batch of the backlog was the one refused; the rest arrived, in order, once.
    assertThat(receiver.spanIds()).containsExactlyElementsOf(outage.subList(BATCH, outage.size()));
    assertCountsAddUp(stats);
    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  @Test
  void tooManyRequestsBacksOffInsteadOfHammeringTheEndpoint() throws Exception {
    OtlpFileSpanExporter exporter =
        builder(1_000_000)
            .setCircuitBreaker(
                CircuitBreakerConfig.builder()
                    .setFailureThreshold(1000)
                    .setOpenDuration(OPEN)
                    .build())
            .build();
    receiver.stop();
    List<String> outage = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      outage.addAll(export(exporter));
    }
    receiver.setMode(Mode.TOO_MANY_429);
    receiver.start();
    int before = receiver.requests();
    // The catch-up thread retries the first batch of the backlog with a growing delay (200 ms,
    // 400 ms, 800 ms...): over 1.5 s a handful of requests, not a storm.
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests() > before);
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> receiver.requests() - before <= 8);
    assertThat(exporter.getStats().getForwardRejectedItems()).isZero();

    receiver.setMode(Mode.OK);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> exporter.getStats().getForwardBacklogItems() == 0);
    assertThat(receiver.spanIds()).containsExactlyElementsOf(outage);
    assertCountsAddUp(exporter.getStats());
    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  @Test
  void theBacklogAndWhatCatchUpSentArePublishedAsMetrics() throws Exception {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    SdkMeterProvider meterProvider =
        SdkMeterProvider.builder().registerMetricReader(reader).build();
    OtlpFileSpanExporter exporter = builder(1_000_000).setMeterProvider(meterProvider).build();
    receiver.stop();
    for (int i = 0; i < 4; i++) {
      export(exporter);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> exporter.getStats().getCircuitState() == CircuitState.OPEN);
    assertThat(longMetric(reader, "otlp_file.forward.backlog.items", null)).isEqualTo(4 * BATCH);
    assertThat(longMetric(reader, "otlp_file.forward.backlog.bytes", null)).isPositive();

    receiver.start();
    clock.advance(OPEN);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> exporter.getStats().getForwardBacklogItems() == 0);
    assertThat(longMetric(reader, "otlp_file.forward.backlog.items", null)).isZero();
    assertThat(longMetric(reader, "otlp_file.exporter.items", "forward_caught_up"))
        .isEqualTo(4 * BATCH);
    assertThat(longMetric(reader, "otlp_file.exporter.items", "forward_expired")).isZero();
    assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    meterProvider.close();
  }

  /** The value of a long metric point, the one with {@code outcome} if given. */
  private static long longMetric(InMemoryMetricReader reader, String name, String outcome) {
    for (MetricData metric : reader.collectAllMetrics()) {
      if (!metric.getName().equals(name)) {
        continue;
      }
      for (LongPointData point : metric.getLongSumData().getPoints()) {
        String value = point.getAttributes().get(AttributeKey.stringKey("otlp_file.outcome"));
        if (outcome == null || outcome.equals(value)) {
          return point.getValue();
        }
      }
    }
    throw new AssertionError("no " + name + " " + outcome);
  }

  static SpanData span(String spanId) {
    return TestSpanData.builder()
        .setName("span-" + spanId)
        .setKind(SpanKind.INTERNAL)
        .setSpanContext(
            SpanContext.create(
                "0af7651916cd43dd8448eb211c80319c",
                spanId,
                TraceFlags.getSampled(),
                TraceState.getDefault()))
        .setStartEpochNanos(1_000_000_000L)
        .setEndEpochNanos(2_000_000_000L)
        .setHasEnded(true)
        .setStatus(StatusData.ok())
        .setAttributes(Attributes.of(AttributeKey.stringKey("k"), spanId))
        .build();
  }

  private List<LogRecord> warnings() {
    return logs.records().stream()
        .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .toList();
  }
}
