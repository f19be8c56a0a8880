package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.support.FileListing;
import io.github.otlpfile.support.OtlpFileChecks;
import io.github.otlpfile.support.SignalFixture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour the three exporters share, run once per signal by the subclasses. */
abstract class AbstractFileExporterTest<T> {
  private static final String FILE_NAME =
      "(traces|metrics|logs)-\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f]{12}-\\d+\\.(jsonl|binpb)";

  @TempDir Path directory;

  private final SignalFixture<T> fixture;
  private final List<SignalFixture.Exporter<T>> built = new ArrayList<>();

  AbstractFileExporterTest(SignalFixture<T> fixture) {
    this.fixture = fixture;
  }

  @AfterEach
  void shutDownEverything() {
    for (SignalFixture.Exporter<T> exporter : built) {
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private SignalFixture.Exporter<T> build(OtlpFileExporterBuilder<?> builder) {
    SignalFixture.Exporter<T> exporter = fixture.build(builder);
    built.add(exporter);
    return exporter;
  }

  private SignalFixture.Exporter<T> build(OtlpFileFormat format) {
    return build(fixture.builder().setDirectory(directory).setFormat(format));
  }

  private List<T> items(int from, int count) {
    return IntStream.range(from, from + count).mapToObj(fixture::item).toList();
  }

  private Path signalDirectory() {
    return directory.resolve(fixture.folder());
  }

  private static void assertSucceeds(CompletableResultCode result) {
    assertThat(result.join(10, TimeUnit.SECONDS).isSuccess()).as("result succeeded").isTrue();
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void writesEachBatchAsOneRecordInOneNewFile(OtlpFileFormat format) throws IOException {
    SignalFixture.Exporter<T> exporter = build(format);

    for (int batch = 0; batch < 3; batch++) {
      assertSucceeds(exporter.export(items(batch * 10, 10)));
    }
    assertSucceeds(exporter.shutdown());

    List<Path> files = FileListing.files(signalDirectory());
    assertThat(files).hasSize(1);
    Path file = files.get(0);
    assertThat(file.getFileName().toString())
        .matches(FILE_NAME)
        .startsWith(fixture.folder() + "-")
        .endsWith("." + format.getFileExtension());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (OtlpFileReader reader = OtlpFileReader.builder().setStrict(true).open(file)) {
      assertThat(reader).as("records in %s", file).hasSize(3);
    }
    assertThat(fixture.readIds(signalDirectory()))
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 30).boxed().toList());
    OtlpFileChecks.assertWellFormed(
        directory, OtlpSignal.valueOf(fixture.folder().toUpperCase(Locale.ROOT)), format);

    ExporterStats stats = exporter.getStats();
    assertThat(stats.getExportedItems()).isEqualTo(30);
    assertThat(stats.getDroppedItems()).isZero();
    assertThat(stats.getFailedItems()).isZero();
    assertThat(stats.getFilesCreated()).isEqualTo(1);
    assertThat(stats.getBytesWritten()).isEqualTo(Files.size(file));
    assertThat(stats.getCircuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void emptyBatchSucceedsWithoutWritingAFile() throws IOException {
    SignalFixture.Exporter<T> exporter = build(OtlpFileFormat.JSON_LINES);

    assertSucceeds(exporter.export(List.of()));
    assertSucceeds(exporter.flush());

    assertThat(FileListing.files(signalDirectory())).isEmpty();
  }

  @Test
  void exportAfterShutdownFailsAtOnceAndIsCounted() {
    SignalFixture.Exporter<T> exporter = build(OtlpFileFormat.PROTOBUF);
    assertSucceeds(exporter.shutdown());

    CompletableResultCode result = exporter.export(items(0, 4));

    assertThat(result.isDone()).isTrue();
    assertThat(result.isSuccess()).isFalse();
    assertThat(exporter.getStats().getDroppedItems()).isEqualTo(4);
    assertSucceeds(exporter.flush());
  }

  @Test
  void secondShutdownSucceeds() {
    SignalFixture.Exporter<T> exporter = build(OtlpFileFormat.PROTOBUF);
    assertSucceeds(exporter.export(items(0, 1)));

    assertSucceeds(exporter.shutdown());
    assertSucceeds(exporter.shutdown());

    assertThat(exporter.getStats().getExportedItems()).isEqualTo(1);
  }

  @Test
  void flushCompletesAfterEverythingExportedBeforeIt() throws IOException {
    SignalFixture.Exporter<T> exporter = build(OtlpFileFormat.PROTOBUF);
    List<CompletableResultCode> results = new ArrayList<>();
    for (int batch = 0; batch < 50; batch++) {
      results.add(exporter.export(items(batch * 4, 4)));
    }

    assertSucceeds(exporter.flush());

    assertThat(results).allSatisfy(r -> assertThat(r.isSuccess()).isTrue());
    assertThat(fixture.readIds(signalDirectory())).hasSize(200);
  }

  @ParameterizedTest
  @EnumSource(OverflowPolicy.class)
  void thousandThreadsExportingAtOnceLoseNothing(OverflowPolicy policy) throws Exception {
    // A small buffer forces the overflow policy into play while 1000 threads race.
    SignalFixture.Exporter<T> exporter =
        build(
            fixture
                .builder()
                .setDirectory(directory)
                .setFormat(OtlpFileFormat.PROTOBUF)
                .setBufferCapacity(16 * 1024)
                .setOverflowPolicy(policy));
    int threads = 1000;
    int perThread = 5;
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<T> batch = items(t * perThread, perThread);
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                CompletableResultCode result = exporter.export(batch).join(30, TimeUnit.SECONDS);
                (result.isSuccess() ? succeeded : failed).incrementAndGet();
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join(TimeUnit.SECONDS.toMillis(60));
    }
    assertSucceeds(exporter.shutdown());

    List<Integer> ids = fixture.readIds(signalDirectory());
    Set<Integer> unique = new HashSet<>(ids);
    ExporterStats stats = exporter.getStats();
    assertThat(unique).as("no item written twice").hasSize(ids.size());
    assertThat(ids).hasSize((int) stats.getExportedItems());
    assertThat(succeeded.get() + failed.get()).isEqualTo(threads);
    assertThat(stats.getExportedItems()).isEqualTo((long) succeeded.get() * perThread);
    assertThat(stats.getDroppedItems()).isEqualTo((long) failed.get() * perThread);
    assertThat(stats.getFailedItems()).isZero();
    if (policy == OverflowPolicy.BLOCK) {
      assertThat(stats.getDroppedItems()).isZero();
      assertThat(unique).hasSize(threads * perThread);
    }
  }

  @Test
  void batchLargerThanTheWholeBufferIsDropped() {
    SignalFixture.Exporter<T> exporter =
        build(
            fixture
                .builder()
                .setDirectory(directory)
                .setBufferCapacity(16)
                .setOverflowPolicy(OverflowPolicy.BLOCK));

    CompletableResultCode result = exporter.export(items(0, 3));

    assertThat(result.isDone()).isTrue();
    assertThat(result.isSuccess()).isFalse();
    assertThat(exporter.getStats().getDroppedItems()).isEqualTo(3);
  }

  @Test
  void writeFailureFailsTheExportAndTheExporterRecovers() throws IOException {
    SignalFixture.Exporter<T> exporter = build(OtlpFileFormat.PROTOBUF);
    assertSucceeds(exporter.export(items(0, 2)));
    assertSucceeds(exporter.flush());
    // The disk "fails": the signal folder is replaced by a file, so no new file can be created
    // there. Closing the current file first makes the writer need a new one.
    assertSucceeds(exporter.shutdown());
    SignalFixture.Exporter<T> second = build(OtlpFileFormat.PROTOBUF);
    for (Path file : FileListing.files(signalDirectory())) {
      Files.delete(file);
    }
    Files.delete(signalDirectory());
    Files.write(signalDirectory(), new byte[] {1});

    CompletableResultCode failedResult = second.export(items(10, 3)).join(10, TimeUnit.SECONDS);

    assertThat(failedResult.isSuccess()).isFalse();
    assertThat(second.getStats().getFailedItems()).isEqualTo(3);
    assertThat(second.flush().join(10, TimeUnit.SECONDS).isSuccess())
        .as("a flush reports the failed write before it")
        .isFalse();

    Files.delete(signalDirectory());
    assertSucceeds(second.export(items(20, 2)));
    assertSucceeds(second.flush());
    assertThat(fixture.readIds(signalDirectory())).containsExactlyInAnyOrder(20, 21);
    assertThat(second.getStats().getExportedItems()).isEqualTo(2);
  }

  @Test
  void buildRejectsBadSettingsNamingThem() throws IOException {
    assertThatThrownBy(() -> build(fixture.builder().setBufferCapacity(0).setDirectory(directory)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bufferCapacity must be > 0, but was 0");
    assertThatThrownBy(() -> build(fixture.builder().setMaxFileSize(-1).setDirectory(directory)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFileSize must be > 0, but was -1");
    assertThatThrownBy(
            () -> build(fixture.builder().setMaxFileAge(Duration.ZERO).setDirectory(directory)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFileAge must be positive, but was PT0S");
    assertThatThrownBy(() -> fixture.builder().setDirectory(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("directory");

    Path blocker = directory.resolve("not-a-directory");
    Files.write(blocker, new byte[] {1});
    assertThatThrownBy(() -> build(fixture.builder().setDirectory(blocker.resolve("sub"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(blocker.resolve("sub").resolve(fixture.folder()).toString())
        .hasMessageContaining("cannot be created");
  }

  @Test
  void publishesItsCountersAsMetrics() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    SdkMeterProvider meterProvider =
        SdkMeterProvider.builder().registerMetricReader(reader).build();
    SignalFixture.Exporter<T> exporter =
        build(fixture.builder().setDirectory(directory).setMeterProvider(meterProvider));
    assertSucceeds(exporter.export(items(0, 7)));

    MetricData items =
        reader.collectAllMetrics().stream()
            .filter(m -> m.getName().equals("otlp_file.exporter.items"))
            .findFirst()
            .orElseThrow();
    LongPointData exported =
        items.getLongSumData().getPoints().stream()
            .filter(
                p ->
                    "exported"
                        .equals(p.getAttributes().get(AttributeKey.stringKey("otlp_file.outcome"))))
            .findFirst()
            .orElseThrow();
    assertThat(exported.getValue()).isEqualTo(7);
    assertThat(exported.getAttributes().get(AttributeKey.stringKey("otlp_file.signal")))
        .isEqualTo(fixture.folder());
    meterProvider.close();
  }
}
