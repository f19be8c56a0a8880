package io.github.otlpfile;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.internal.encode.BatchEncoder;
import io.github.otlpfile.internal.file.TestSpans;
import io.github.otlpfile.support.FileListing;
import io.github.otlpfile.support.ReadBack;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Large {@code PROTOBUF} records are written while they are still being encoded, in pieces; {@code
 * JSON_LINES} records are always written whole. Either way the files must hold every record whole,
 * in one file, never mixed with another, and a record whose encoding fails half-way must cost
 * nothing but itself.
 */
class StreamedRecordTest {
  // About 100 bytes a span in binary, twice that in JSON: above the size from which binary records
  // are streamed, several pieces.
  private static final int LARGE = 15_000;

  @TempDir Path dir;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private OtlpFileSpanExporter exporter;

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    if (exporter != null) {
      exporter.shutdown().join(10, SECONDS);
    }
  }

  private OtlpFileSpanExporter exporter(OtlpFileFormat format) {
    exporter = OtlpFileSpanExporter.builder().setDirectory(dir).setFormat(format).build();
    return exporter;
  }

  private static boolean succeeds(CompletableResultCode result) {
    return result.join(10, SECONDS).isSuccess();
  }

  private static List<String> names(ExportTraceServiceRequest request) {
    return request.getResourceSpansList().stream()
        .flatMap(r -> r.getScopeSpansList().stream())
        .flatMap(s -> s.getSpansList().stream())
        .map(Span::getName)
        .collect(Collectors.toList());
  }

  private static List<String> names(List<SpanData> batch) {
    return batch.stream().map(SpanData::getName).collect(Collectors.toList());
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void aLargeBatchIsOneWholeRecord(OtlpFileFormat format) throws IOException {
    OtlpFileSpanExporter exporter = exporter(format);
    List<SpanData> batch = TestSpans.batch("big", LARGE);
    assertThat(succeeds(exporter.export(batch))).isTrue();
    assertThat(succeeds(exporter.shutdown())).isTrue();

    List<ExportTraceServiceRequest> records = ReadBack.traceRequests(dir);
    assertThat(records).hasSize(1);
    assertThat(records.get(0).getSerializedSize()).isGreaterThan(BatchEncoder.STREAM_MIN_BYTES);
    assertThat(names(records.get(0))).isEqualTo(names(batch));
    assertThat(exporter.getStats().getExportedItems()).isEqualTo(LARGE);
    assertThat(exporter.getStats().getBytesWritten())
        .isEqualTo(Files.size(FileListing.files(dir.resolve("traces")).get(0)));
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void concurrentLargeAndSmallBatchesNeverMix(OtlpFileFormat format) throws Exception {
    // Eighteen large batches are encoded at once, more than the default buffer holds in JSON:
    // BLOCK makes them wait for room instead of being dropped.
    exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setOverflowPolicy(OverflowPolicy.BLOCK)
            .build();
    OtlpFileSpanExporter exporter = this.exporter;
    Map<String, Integer> expected = new HashMap<>();
    List<Future<Boolean>> results = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      boolean large = t % 2 == 0;
      for (int b = 0; b < (large ? 6 : 40); b++) {
        String prefix = "t" + t + "b" + b;
        int size = large ? LARGE : 7;
        expected.put(prefix, size);
        results.add(pool.submit(() -> succeeds(exporter.export(TestSpans.batch(prefix, size)))));
      }
    }
    for (Future<Boolean> result : results) {
      assertThat(result.get(30, SECONDS)).isTrue();
    }
    assertThat(succeeds(exporter.shutdown())).isTrue();

    Map<String, Integer> found = new HashMap<>();
    for (ExportTraceServiceRequest record : ReadBack.traceRequests(dir)) {
      List<String> names = names(record);
      String prefix = names.get(0).substring(0, names.get(0).indexOf('-'));
      assertThat(names).allMatch(name -> name.startsWith(prefix + "-"), "one batch per record");
      assertThat(found.put(prefix, names.size())).as("batch " + prefix + " once").isNull();
    }
    assertThat(found).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void rotationNeverSplitsAStreamedRecord(OtlpFileFormat format) throws Exception {
    exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setMaxFileSize(2 * 1024 * 1024)
            .build();
    List<List<String>> exported = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      List<SpanData> batch = TestSpans.batch("r" + i, i % 3 == 0 ? 20 : LARGE);
      exported.add(names(batch));
      assertThat(succeeds(exporter.export(batch))).isTrue();
    }
    assertThat(succeeds(exporter.shutdown())).isTrue();

    List<Path> files = FileListing.files(dir.resolve("traces"));
    assertThat(files.size()).isGreaterThan(3);
    List<List<String>> read = new ArrayList<>();
    for (Path file : files) {
      ReadBack.FileRead contents = ReadBack.leniently(file);
      assertThat(contents.problems()).as(file.toString()).isEmpty();
      contents.records().forEach(r -> read.add(names(r.getTraceRequest())));
    }
    assertThat(read).isEqualTo(exported);
  }

  @Test
  void encodingFailureHalfWayCostsOnlyThatBatch() throws Exception {
    OtlpFileSpanExporter exporter = exporter(OtlpFileFormat.PROTOBUF);
    List<SpanData> before = TestSpans.batch("before", 5);
    assertThat(succeeds(exporter.export(before))).isTrue();
    List<SpanData> broken = new ArrayList<>(TestSpans.batch("broken", LARGE));
    broken.add(failingOnSecondName(TestSpans.span("broken-last"), null, null));

    CompletableResultCode failed = exporter.export(broken);
    assertThat(failed.join(10, SECONDS).isSuccess()).isFalse();
    List<SpanData> after = TestSpans.batch("after", 5);
    assertThat(succeeds(exporter.export(after))).isTrue();
    assertThat(succeeds(exporter.shutdown())).isTrue();

    ExporterStats stats = exporter.getStats();
    assertThat(stats.getFailedItems()).isEqualTo(LARGE + 1);
    assertThat(stats.getExportedItems()).isEqualTo(10);
    // The pieces written before the failure were cut off again: the next batch follows the one
    // before in the same file, and nothing is torn.
    List<Path> files = FileListing.files(dir.resolve("traces"));
    assertThat(files).hasSize(1);
    ReadBack.FileRead only = ReadBack.leniently(files.get(0));
    assertThat(only.problems()).isEmpty();
    List<String> expected = new ArrayList<>(names(before));
    expected.addAll(names(after));
    assertThat(only.spanNames()).isEqualTo(expected);
  }

  @Test
  void whatArrivesDuringAStreamIsWrittenAfterIt() throws Exception {
    OtlpFileSpanExporter exporter = exporter(OtlpFileFormat.PROTOBUF);
    StalledExport streamed = new StalledExport(exporter);

    List<SpanData> small = TestSpans.batch("small", 3);
    CompletableResultCode smallResult = exporter.export(small);
    CompletableResultCode flushed = exporter.flush();
    CompletableResultCode shutdown = exporter.shutdown();
    // Give the writer time to (wrongly) write it: join returns early only if it completes.
    assertThat(smallResult.join(200, MILLISECONDS).isDone())
        .as("held back behind the open record")
        .isFalse();
    assertThat(flushed.isDone()).isFalse();
    assertThat(shutdown.isDone()).isFalse();

    assertThat(streamed.finish()).isTrue();
    assertThat(succeeds(smallResult)).isTrue();
    assertThat(succeeds(flushed)).isTrue();
    assertThat(succeeds(shutdown)).isTrue();
    List<ExportTraceServiceRequest> records = ReadBack.traceRequests(dir);
    assertThat(records).hasSize(2);
    assertThat(names(records.get(0))).isEqualTo(names(streamed.batch));
    assertThat(names(records.get(1))).isEqualTo(names(small));
  }

  @Test
  void jsonRecordsAreWrittenWholeSoNothingWaitsBehindOne() throws Exception {
    OtlpFileSpanExporter exporter = exporter(OtlpFileFormat.JSON_LINES);
    StalledExport whole = new StalledExport(exporter);

    assertThat(succeeds(exporter.export(TestSpans.batch("small", 3)))).isTrue();
    assertThat(whole.finish()).isTrue();
    assertThat(succeeds(exporter.shutdown())).isTrue();
    List<ExportTraceServiceRequest> records = ReadBack.traceRequests(dir);
    assertThat(records).extracting(r -> names(r).size()).containsExactly(3, LARGE + 1);
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void blockPolicyWithABufferSmallerThanTwoRecords(OtlpFileFormat format) throws Exception {
    exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setOverflowPolicy(OverflowPolicy.BLOCK)
            .setBufferCapacity(
                format == OtlpFileFormat.PROTOBUF ? 2 * 1024 * 1024 : 6 * 1024 * 1024)
            .build();
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String prefix = "k" + i;
      results.add(pool.submit(() -> succeeds(exporter.export(TestSpans.batch(prefix, LARGE)))));
    }
    for (Future<Boolean> result : results) {
      assertThat(result.get(60, SECONDS)).isTrue();
    }
    assertThat(succeeds(exporter.shutdown())).isTrue();
    assertThat(ReadBack.traceRequests(dir)).hasSize(24);
    assertThat(exporter.getStats().getDroppedItems()).isZero();
  }

  /** An export of a large batch, started on another thread and held half-way through encoding. */
  private final class StalledExport {
    final List<SpanData> batch = new ArrayList<>(TestSpans.batch("big", LARGE));
    private final CountDownLatch release = new CountDownLatch(1);
    private final Future<CompletableResultCode> result;

    StalledExport(OtlpFileSpanExporter exporter) throws InterruptedException {
      CountDownLatch reached = new CountDownLatch(1);
      batch.add(failingOnSecondName(TestSpans.span("big-last"), reached, release));
      result = pool.submit(() -> exporter.export(batch));
      assertThat(reached.await(10, SECONDS)).as("encoding reached the last span").isTrue();
    }

    /** Lets the encoding go on; returns whether the export then succeeded. */
    boolean finish() throws Exception {
      release.countDown();
      return succeeds(result.get(10, SECONDS));
    }
  }

  /**
   * A span that behaves like {@code span} except that the second time its name is read, which is
   * while the record is being written out (the first is while its size is computed), it waits for
   * {@code release} after counting down {@code reached} if given, or else throws.
   */
  private static SpanData failingOnSecondName(
      SpanData span, CountDownLatch reached, CountDownLatch release) {
    AtomicInteger nameReads = new AtomicInteger();
    return (SpanData)
        Proxy.newProxyInstance(
            SpanData.class.getClassLoader(),
            new Class<?>[] {SpanData.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getName") && nameReads.incrementAndGet() == 2) {
                if (reached == null) {
                  throw new IllegalStateException("span data broke while being encoded");
                }
                reached.countDown();
                release.await();
              }
              try {
                return method.invoke(span, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
