package io.github.otlpfile.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.github.otlpfile.Durability;
import io.github.otlpfile.ExporterStats;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.internal.buffer.Lane;
import io.github.otlpfile.internal.encode.BatchEncoder;
import io.github.otlpfile.internal.file.TestSpans;
import io.github.otlpfile.internal.forward.ForwardDelegate;
import io.github.otlpfile.internal.forward.ForwardSettings;
import io.github.otlpfile.internal.forward.ForwardSettingsBuilder;
import io.github.otlpfile.support.FileListing;
import io.github.otlpfile.support.LogCapture;
import io.github.otlpfile.support.ReadBack;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core that the three exporters share, driven directly: what it writes, what it counts, what it
 * refuses and why, and how flush and shutdown complete.
 */
class ExporterCoreTest {
  @TempDir Path dir;

  @RegisterExtension final LogCapture logs = LogCapture.of(ExporterCore.class.getName());

  private final List<ExporterCore<SpanData>> cores = new ArrayList<>();

  @AfterEach
  void shutDownCores() {
    for (ExporterCore<SpanData> core : cores) {
      core.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void writesEachBatchAsOneRecordAndCountsIt() {
    ExporterCore<SpanData> core = core(b -> {});

    assertSucceeds(core.export(TestSpans.batch("a", 3)));
    assertSucceeds(core.export(TestSpans.batch("b", 2)));
    assertSucceeds(core.flush());

    List<Path> files = FileListing.files(dir.resolve("traces"));
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString()).startsWith("traces-").endsWith(".jsonl");
    assertThat(ReadBack.traceRequests(files.get(0)))
        .extracting(ReadBack::spanNames)
        .containsExactly(List.of("a-0", "a-1", "a-2"), List.of("b-0", "b-1"));
    ExporterStats stats = core.getStats();
    assertThat(stats.getExportedItems()).isEqualTo(5);
    assertThat(stats.getDroppedItems()).isZero();
    assertThat(stats.getFailedItems()).isZero();
    assertThat(stats.getFilesCreated()).isEqualTo(1);
    assertThat(stats.getBytesWritten()).isEqualTo(size(files.get(0)));
    assertThat(core.isForwarding()).isFalse();
    assertThat(core.describe()).isEqualTo(core.describeFiles()).startsWith("directory=" + dir);
    assertThat(logs.records()).isEmpty();
  }

  @Test
  void anEmptyBatchSucceedsAtOnceAndWritesNothing() {
    ExporterCore<SpanData> core = core(b -> {});

    CompletableResultCode result = core.export(Collections.emptyList());

    assertThat(result.isDone()).isTrue();
    assertThat(result.isSuccess()).isTrue();
    assertSucceeds(core.flush());
    assertThat(core.getStats().getBytesWritten()).isZero();
    assertThat(core.getStats().getExportedItems()).isZero();
  }

  @Test
  void shutdownWritesWhatIsQueuedAndLaterBatchesAreDropped() {
    ExporterCore<SpanData> core = core(b -> {});
    CompletableResultCode written = core.export(TestSpans.batch("before", 4));

    assertSucceeds(core.shutdown());

    assertThat(written.isSuccess()).isTrue();
    assertThat(core.getStats().getExportedItems()).isEqualTo(4);
    CompletableResultCode exported = core.export(TestSpans.batch("after", 3));
    assertThat(exported.isDone()).isTrue();
    assertThat(exported.isSuccess()).isFalse();
    assertThat(exported.getFailureThrowable()).isNull();
    assertRefused(core.submit(TestSpans.batch("after", 2)), Lane.Offer.CLOSED);
    // Even an empty batch: after shutdown nothing succeeds.
    assertThat(core.export(Collections.emptyList()).isSuccess()).isFalse();
    assertThat(core.getStats().getDroppedItems()).isEqualTo(5);
    assertThat(messages(Level.WARNING))
        .containsExactly("Dropped 3 spans: the exporter is shut down");

    // Idempotent: a second shutdown and a flush succeed at once and write nothing more.
    assertSucceedsAtOnce(core.shutdown());
    assertSucceedsAtOnce(core.flush());
    assertThat(messages(Level.INFO)).containsExactly("Calling shutdown() multiple times.");
    List<Path> files = FileListing.files(dir.resolve("traces"));
    assertThat(ReadBack.traceRequests(files.toArray(new Path[0])))
        .extracting(ReadBack::spanNames)
        .containsExactly(List.of("before-0", "before-1", "before-2", "before-3"));
  }

  @Test
  void aBatchLargerThanTheWholeBufferIsDroppedAndSaysWhy() {
    ExporterCore<SpanData> core = core(b -> b.setBufferCapacity(100));

    CompletableResultCode exported = core.export(TestSpans.batch("big", 2));
    assertThat(exported.isDone()).isTrue();
    assertThat(exported.isSuccess()).isFalse();
    assertThat(exported.getFailureThrowable()).isNull();
    assertRefused(core.submit(TestSpans.batch("big", 3)), Lane.Offer.TOO_LARGE);

    assertThat(core.getStats().getDroppedItems()).isEqualTo(5);
    assertThat(core.getStats().getExportedItems()).isZero();
    assertThat(messages(Level.WARNING))
        .singleElement()
        .asString()
        .matches(
            "Dropped 2 spans \\(\\d{3,} bytes\\): the batch is larger than the whole buffer;"
                + " raise setBufferCapacity \\(now 100 bytes\\)");
    assertSucceeds(core.flush());
    assertThat(core.getStats().getBytesWritten()).isZero();
  }

  @Test
  void aBatchThatFailsToEncodeFailsItsResultAndIsCounted() {
    ExporterCore<SpanData> core = core(b -> {});
    IllegalStateException broken = new IllegalStateException("broken span");
    List<SpanData> batch = new ArrayList<>(TestSpans.batch("ok", 2));
    batch.add(failing(TestSpans.span("bad"), broken));

    CompletableResultCode result = core.export(batch);

    assertThat(result.isDone()).isTrue();
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.getFailureThrowable()).isSameAs(broken);
    assertThat(core.getStats().getFailedItems()).isEqualTo(3);
    assertThat(messages(Level.WARNING)).containsExactly("Failed to encode 3 spans: " + broken);
    assertThat(logs.records().get(0).getThrown()).isSameAs(broken);
    // The core goes on writing.
    assertSucceeds(core.export(TestSpans.batch("next", 1)));
    assertThat(core.getStats().getExportedItems()).isEqualTo(1);
  }

  @Test
  void aLargeProtobufRecordIsWrittenWholeWhileItIsStreamed() {
    ExporterCore<SpanData> core = core(b -> b.setFormat(OtlpFileFormat.PROTOBUF));
    // Three spans of 600 KB each: one record of about 1.8 MB, well over the streaming threshold.
    List<SpanData> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batch.add(withAttribute(TestSpans.span("large-" + i), i));
    }

    assertSucceeds(core.export(batch));
    assertSucceeds(core.export(TestSpans.batch("after", 2)));
    assertSucceeds(core.flush());

    List<Path> files = FileListing.files(dir.resolve("traces"));
    assertThat(files).hasSize(1);
    List<ExportTraceServiceRequest> records = ReadBack.traceRequests(files.get(0));
    assertThat(records)
        .extracting(ReadBack::spanNames)
        .containsExactly(List.of("large-0", "large-1", "large-2"), List.of("after-0", "after-1"));
    assertThat(
            records
                .get(0)
                .getResourceSpans(0)
                .getScopeSpans(0)
                .getSpans(2)
                .getAttributesList()
                .stream()
                .filter(a -> a.getKey().equals("blob"))
                .findFirst()
                .orElseThrow()
                .getValue()
                .getStringValue())
        .isEqualTo(blob(2));
    assertThat(core.getStats().getExportedItems()).isEqualTo(5);
    assertThat(core.getStats().getBytesWritten()).isEqualTo(size(files.get(0)));
  }

  @Test
  void aStreamedRecordThatComesOutOtherThanAnnouncedIsNeverWritten() throws Exception {
    ExporterCore<SpanData> core =
        core(
            b -> {
              b.setFormat(OtlpFileFormat.PROTOBUF);
              b.setBufferCapacity(3 * 1024 * 1024);
            });
    // The name grows between the size computation and the writing.
    List<SpanData> batch = new ArrayList<>();
    batch.add(withAttribute(TestSpans.span("large-0"), 0));
    batch.add(withAttribute(TestSpans.span("large-1"), 1));
    batch.add(renamed(withAttribute(TestSpans.span("x"), 2), reads -> "x".repeat(reads)));

    CompletableResultCode result = core.export(batch);

    assertThat(result.isDone()).isTrue();
    assertThat(result.isSuccess()).isFalse();
    assertThat(core.getStats().getFailedItems()).isEqualTo(3);
    assertThat(result.getFailureThrowable()).isNull();
    assertThat(messages(Level.WARNING)).containsExactly("Failed to encode 3 spans: size mismatch");
    // The room it took is free again, and the file holds only whole records.
    List<SpanData> next = new ArrayList<>();
    next.add(withAttribute(TestSpans.span("next-0"), 3));
    next.add(withAttribute(TestSpans.span("next-1"), 4));
    assertSucceeds(core.export(next));
    assertSucceeds(core.export(TestSpans.batch("small", 1)));
    assertSucceeds(core.flush());
    List<Path> files = FileListing.files(dir.resolve("traces"));
    assertThat(ReadBack.traceRequests(files.toArray(new Path[0])))
        .extracting(ReadBack::spanNames)
        .containsExactly(List.of("next-0", "next-1"), List.of("small-0"));
    assertThat(core.getStats().getExportedItems()).isEqualTo(3);
    // Exactly the room it took is free again: no more, or this batch would fit.
    assertRefused(submitWhileStreaming(core, largeBatch("again")), Lane.Offer.FULL);
  }

  @Test
  void aStreamedRecordThatFailsHalfWayIsNeverWritten() throws Exception {
    ExporterCore<SpanData> core =
        core(
            b -> {
              b.setFormat(OtlpFileFormat.PROTOBUF);
              b.setBufferCapacity(3 * 1024 * 1024);
            });
    IllegalStateException broken = new IllegalStateException("gone");
    // Read once to size the record, then again to write it, after its first pieces were queued.
    List<SpanData> batch = new ArrayList<>();
    batch.add(withAttribute(TestSpans.span("large-0"), 0));
    batch.add(withAttribute(TestSpans.span("large-1"), 1));
    batch.add(
        renamed(
            withAttribute(TestSpans.span("x"), 2),
            reads -> {
              if (reads > 1) {
                throw broken;
              }
              return "x";
            }));

    CompletableResultCode result = core.export(batch);

    assertThat(result.isDone()).isTrue();
    assertThat(result.getFailureThrowable()).isSameAs(broken);
    assertThat(core.getStats().getFailedItems()).isEqualTo(3);
    List<SpanData> next = new ArrayList<>();
    next.add(withAttribute(TestSpans.span("next-0"), 3));
    next.add(withAttribute(TestSpans.span("next-1"), 4));
    assertSucceeds(core.export(next));
    assertSucceeds(core.flush());
    List<Path> files = FileListing.files(dir.resolve("traces"));
    assertThat(ReadBack.traceRequests(files.toArray(new Path[0])))
        .extracting(ReadBack::spanNames)
        .containsExactly(List.of("next-0", "next-1"));
    // Exactly the room it took is free again: no more, or this batch would fit.
    assertRefused(submitWhileStreaming(core, largeBatch("again")), Lane.Offer.FULL);
  }

  @Test
  void aBatchThatFindsTheBufferFullIsDroppedAndSaysWhy() throws Exception {
    ExporterCore<SpanData> core =
        core(
            b -> {
              b.setFormat(OtlpFileFormat.PROTOBUF);
              b.setBufferCapacity(3 * 1024 * 1024);
            });

    CompletableResultCode result = submitWhileStreaming(core, largeBatch("full"));

    assertRefused(result, Lane.Offer.FULL);
    assertThat(core.getStats().getDroppedItems()).isEqualTo(3);
    assertThat(messages(Level.WARNING))
        .singleElement()
        .asString()
        .matches(
            "Dropped 3 spans \\(\\d{7} bytes\\): the buffer is full \\(3145728 bytes, overflow"
                + " policy DROP\\); the disk is slower than the data or writes are failing");
    assertSucceeds(core.flush());
    List<Path> files = FileListing.files(dir.resolve("traces"));
    assertThat(ReadBack.traceRequests(files.toArray(new Path[0])))
        .extracting(ReadBack::spanNames)
        .containsExactly(List.of("streamed-0", "streamed-1", "streamed-2"));
  }

  @Test
  void whileOneLargeRecordIsStreamedAnotherIsWrittenWholeAfterIt() throws Exception {
    ExporterCore<SpanData> core = core(b -> b.setFormat(OtlpFileFormat.PROTOBUF));
    CountDownLatch streaming = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    // The first batch stops while it is being written, with its stream open.
    List<SpanData> first = new ArrayList<>();
    first.add(withAttribute(TestSpans.span("first-0"), 0));
    first.add(withAttribute(TestSpans.span("first-1"), 1));
    first.add(
        renamed(
            withAttribute(TestSpans.span("first-2"), 2),
            reads -> {
              if (reads > 1) {
                streaming.countDown();
                await(proceed);
              }
              return "first-2";
            }));
    List<SpanData> second = new ArrayList<>();
    second.add(withAttribute(TestSpans.span("second-0"), 3));
    second.add(withAttribute(TestSpans.span("second-1"), 4));
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<CompletableResultCode> firstResult = executor.submit(() -> core.export(first));
      await(streaming);

      CompletableResultCode secondResult = core.submit(second);
      proceed.countDown();

      assertSucceeds(firstResult.get(10, TimeUnit.SECONDS));
      assertSucceeds(secondResult);
    } finally {
      proceed.countDown();
      executor.shutdownNow();
    }
    assertSucceeds(core.flush());
    List<Path> files = FileListing.files(dir.resolve("traces"));
    assertThat(ReadBack.traceRequests(files.toArray(new Path[0])))
        .extracting(ReadBack::spanNames)
        .containsExactly(List.of("first-0", "first-1", "first-2"), List.of("second-0", "second-1"));
    assertThat(core.getStats().getDroppedItems()).isZero();
  }

  @Test
  void anEncodedRecordAfterShutdownIsDroppedAndSaysWhy() {
    ExporterCore<SpanData> core = core(b -> b.setFormat(OtlpFileFormat.PROTOBUF));
    assertSucceeds(core.shutdown());
    byte[] request = request("late");

    assertRefused(core.exportEncoded(request, 0, request.length, 4, null), Lane.Offer.CLOSED);

    assertThat(messages(Level.WARNING))
        .containsExactly(
            "Dropped 4 spans (" + (request.length + 4) + " bytes): the exporter is shut down");
  }

  @Test
  void aLargeRecordThatDoesNotFitTheBufferIsDroppedAsTooLarge() {
    ExporterCore<SpanData> core =
        core(
            b -> {
              b.setFormat(OtlpFileFormat.PROTOBUF);
              b.setBufferCapacity(1024 * 1024);
            });
    List<SpanData> batch =
        List.of(withAttribute(TestSpans.span("huge"), 7), withAttribute(TestSpans.span("huge"), 8));

    assertRefused(core.submit(batch), Lane.Offer.TOO_LARGE);

    assertThat(core.getStats().getDroppedItems()).isEqualTo(2);
    assertSucceeds(core.export(TestSpans.batch("fits", 1)));
    assertSucceeds(core.flush());
    List<Path> files = FileListing.files(dir.resolve("traces"));
    assertThat(ReadBack.traceRequests(files.toArray(new Path[0])))
        .extracting(ReadBack::spanNames)
        .containsExactly(List.of("fits-0"));
  }

  @Test
  void writesRecordsEncodedElsewhereAsTheyAre() {
    ExporterCore<SpanData> core = core(b -> b.setFormat(OtlpFileFormat.PROTOBUF));
    byte[] request = request("encoded-1", "encoded-2");
    byte[] padded = new byte[request.length + 7];
    System.arraycopy(request, 0, padded, 3, request.length);

    assertSucceeds(core.exportEncoded(padded, 3, request.length, 2, null));
    assertSucceeds(core.flush());

    List<Path> files = FileListing.files(dir.resolve("traces"));
    assertThat(ReadBack.traceRequests(files.get(0)))
        .extracting(ReadBack::spanNames)
        .containsExactly(List.of("encoded-1", "encoded-2"));
    assertThat(core.getStats().getExportedItems()).isEqualTo(2);
    assertThat(core.getStats().getBytesWritten()).isEqualTo(request.length + 4L);
  }

  @Test
  void refusesEncodedRecordsThatDoNotFitOrComeAfterShutdown() {
    ExporterCore<SpanData> core =
        core(
            b -> {
              b.setFormat(OtlpFileFormat.PROTOBUF);
              b.setBufferCapacity(50);
            });
    byte[] request = request("a-long-enough-span-name-for-fifty-bytes");

    assertRefused(core.exportEncoded(request, 0, request.length, 1, null), Lane.Offer.TOO_LARGE);
    assertThat(core.getStats().getDroppedItems()).isEqualTo(1);
    assertThat(messages(Level.WARNING))
        .containsExactly(
            "Dropped 1 spans ("
                + (request.length + 4)
                + " bytes): the batch is larger than the whole buffer; raise setBufferCapacity"
                + " (now 50 bytes)");

    assertSucceeds(core.shutdown());
    byte[] small = request("s");
    assertRefused(core.exportEncoded(small, 0, small.length, 4, null), Lane.Offer.CLOSED);
    assertThat(core.getStats().getDroppedItems()).isEqualTo(5);
    assertThat(core.getStats().getBytesWritten()).isZero();
  }

  @Test
  void encodedRecordsNeedProtobufFiles() {
    ExporterCore<SpanData> core = core(b -> {});
    byte[] request = request("x");

    assertThatThrownBy(() -> core.exportEncoded(request, 0, request.length, 1, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("encoded records need PROTOBUF files");
  }

  @Test
  void durationsTooLongForNanosecondsMeanNever() {
    Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
    ExporterCore<SpanData> core =
        core(
            b -> {
              b.setMaxFileAge(forever);
              b.setMaxAge(forever);
            });

    assertSucceeds(core.export(TestSpans.batch("a", 1)));
    assertSucceeds(core.export(TestSpans.batch("b", 1)));
    assertSucceeds(core.shutdown());

    // One file, neither rolled over for its age nor deleted by retention.
    assertThat(FileListing.files(dir.resolve("traces"))).hasSize(1);
    assertThat(core.getStats().getFilesCreated()).isEqualTo(1);
    assertThat(core.getStats().getFilesDeleted()).isZero();
  }

  @Test
  void publishesItsCountersUntilShutdown() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider meterProvider =
        SdkMeterProvider.builder().registerMetricReader(reader).build()) {
      ExporterCore<SpanData> core = core(b -> b.setMeterProvider(meterProvider));
      assertSucceeds(core.export(TestSpans.batch("m", 3)));
      assertThat(reader.collectAllMetrics())
          .filteredOn(m -> m.getName().equals("otlp_file.exporter.items"))
          .singleElement()
          .satisfies(
              m ->
                  assertThat(m.getLongSumData().getPoints())
                      .anySatisfy(
                          p -> {
                            assertThat(p.getAttributes().get(ExporterMetrics.OUTCOME))
                                .isEqualTo("exported");
                            assertThat(p.getValue()).isEqualTo(3);
                          }));

      assertSucceeds(core.shutdown());

      assertThat(reader.collectAllMetrics()).isEmpty();
    }
  }

  @Test
  void forwardsWhatItWroteAndFlushesTheDelegate() {
    InMemorySpanExporter delegate = InMemorySpanExporter.create();
    ExporterCore<SpanData> core = forwardingCore(delegate, false);

    assertThat(core.isForwarding()).isTrue();
    assertThat(core.describe())
        .startsWith(core.describeFiles() + ", ")
        .contains("InMemorySpanExporter");
    assertSucceeds(core.export(TestSpans.batch("f", 2)));
    assertSucceeds(core.flush());

    assertThat(delegate.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactly("f-0", "f-1");
    assertThat(core.getStats().getForwardedItems()).isEqualTo(2);
    assertThat(core.getStats().getExportedItems()).isEqualTo(2);

    assertSucceeds(core.shutdown());
    // The delegate is shut down with the core.
    assertThat(delegate.export(TestSpans.batch("late", 1)).isSuccess()).isFalse();
  }

  @Test
  void aForwardingCoreNeedsTheDataOfEncodedRecordsAndForwardsIt() {
    InMemorySpanExporter delegate = InMemorySpanExporter.create();
    ExporterCore<SpanData> core = forwardingCore(delegate, true);
    byte[] request = request("e");

    assertThatThrownBy(() -> core.exportEncoded(request, 0, request.length, 1, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a forwarding core needs the SDK data of encoded records");

    assertSucceeds(
        core.exportEncoded(request, 0, request.length, 1, () -> TestSpans.batch("sdk", 1)));
    assertSucceeds(core.export(TestSpans.batch("exported", 1)));
    assertSucceeds(core.flush());

    // Two records are two forwarded batches; they may reach the delegate in either order.
    assertThat(delegate.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder("sdk-0", "exported-0");
    assertThat(core.getStats().getForwardedItems()).isEqualTo(2);
    assertThat(core.getStats().getForwardBacklogItems()).isZero();
  }

  @Test
  void withCatchUpARecordNotDeliveredLiveJoinsTheBacklog() {
    InMemorySpanExporter delegate = InMemorySpanExporter.create();
    // A delegate that is shut down fails every export.
    delegate.shutdown();
    ExporterCore<SpanData> core = forwardingCore(delegate, true);
    byte[] request = request("e");

    assertSucceeds(
        core.exportEncoded(request, 0, request.length, 1, () -> TestSpans.batch("sdk", 1)));
    assertSucceeds(core.export(TestSpans.batch("exported", 2)));
    assertSucceeds(core.flush());

    assertThat(core.getStats().getForwardFailedItems()).isEqualTo(3);
    assertThat(core.getStats().getForwardBacklogItems()).isEqualTo(3);
  }

  private ExporterCore<SpanData> core(Consumer<FileSettingsBuilder> settings) {
    FileSettingsBuilder builder = new FileSettingsBuilder();
    builder.setDirectory(dir);
    builder.setDurability(Durability.NONE);
    settings.accept(builder);
    ExporterSettings built = builder.build(Signal.TRACES);
    ExporterCore<SpanData> core =
        new ExporterCore<>(
            Signal.TRACES, built, BatchEncoder.forSpans(built.format), Collection::size, null);
    cores.add(core);
    return core;
  }

  private ExporterCore<SpanData> forwardingCore(InMemorySpanExporter delegate, boolean catchUp) {
    FileSettingsBuilder files = new FileSettingsBuilder();
    files.setDirectory(dir);
    files.setDurability(Durability.NONE);
    files.setFormat(OtlpFileFormat.PROTOBUF);
    ExporterSettings built = files.build(Signal.TRACES);
    ForwardSettingsBuilder forward = new ForwardSettingsBuilder();
    forward.setCatchUp(catchUp);
    ForwardSettings<SpanData> forwardSettings =
        forward.build(
            Signal.TRACES,
            ForwardDelegate.ofSpans(delegate),
            (url, headers, timeout, meterProvider) -> {
              throw new AssertionError("no endpoint is set");
            },
            ForwardSettings::copyOfCollection,
            null);
    ExporterCore<SpanData> core =
        new ExporterCore<>(
            Signal.TRACES,
            built,
            BatchEncoder.forSpans(built.format),
            Collection::size,
            forwardSettings);
    cores.add(core);
    return core;
  }

  /**
   * Exports a large batch that stops while its stream is open, before its first piece is full, and
   * meanwhile submits {@code other}; returns the answer to {@code other}.
   */
  private static CompletableResultCode submitWhileStreaming(
      ExporterCore<SpanData> core, List<SpanData> other) throws Exception {
    CountDownLatch streaming = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    List<SpanData> stopping = new ArrayList<>();
    stopping.add(
        renamed(
            withAttribute(TestSpans.span("streamed-0"), 10),
            reads -> {
              if (reads > 1) {
                streaming.countDown();
                await(proceed);
              }
              return "streamed-0";
            }));
    stopping.add(withAttribute(TestSpans.span("streamed-1"), 11));
    stopping.add(withAttribute(TestSpans.span("streamed-2"), 12));
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<CompletableResultCode> streamed = executor.submit(() -> core.export(stopping));
      await(streaming);
      CompletableResultCode answer = core.submit(other);
      proceed.countDown();
      assertSucceeds(streamed.get(10, TimeUnit.SECONDS));
      return answer;
    } finally {
      proceed.countDown();
      executor.shutdownNow();
    }
  }

  /** Three spans of 600 KB each. */
  private static List<SpanData> largeBatch(String prefix) {
    List<SpanData> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batch.add(withAttribute(TestSpans.span(prefix + "-" + i), 20 + i));
    }
    return batch;
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void assertSucceeds(CompletableResultCode result) {
    assertThat(result.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  private static void assertSucceedsAtOnce(CompletableResultCode result) {
    assertThat(result.isDone()).isTrue();
    assertThat(result.isSuccess()).isTrue();
  }

  private static void assertRefused(CompletableResultCode result, Lane.Offer why) {
    assertThat(result.isDone()).isTrue();
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.getFailureThrowable())
        .isInstanceOfSatisfying(
            ExporterCore.RefusedException.class,
            e -> {
              assertThat(e.getOffer()).isEqualTo(why);
              assertThat(e).hasMessage("refused: " + why);
            });
  }

  private List<String> messages(Level level) {
    return logs.records().stream()
        .filter(r -> r.getLevel().equals(level))
        .map(LogRecord::getMessage)
        .collect(Collectors.toList());
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] request(String... spanNames) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (String name : spanNames) {
      scope.addSpans(
          Span.newBuilder()
              .setName(name)
              .setTraceId(ByteString.copyFrom(ids(16)))
              .setSpanId(ByteString.copyFrom(ids(8)))
              .build());
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  private static String blob(int seed) {
    char[] chars = new char[600 * 1024];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ('a' + (i * 7 + seed) % 26);
    }
    return new String(chars);
  }

  private static SpanData withAttribute(SpanData span, int seed) {
    return TestSpanData.builder()
        .setSpanContext(span.getSpanContext())
        .setName(span.getName())
        .setKind(span.getKind())
        .setStartEpochNanos(span.getStartEpochNanos())
        .setEndEpochNanos(span.getEndEpochNanos())
        .setAttributes(
            Attributes.builder()
                .putAll(span.getAttributes())
                .put(AttributeKey.stringKey("blob"), blob(seed))
                .build())
        .setTotalAttributeCount(3)
        .setStatus(span.getStatus())
        .setHasEnded(true)
        .build();
  }

  /** A span whose name is what {@code name} makes of the number of times it was read. */
  private static SpanData renamed(SpanData span, java.util.function.IntFunction<String> name) {
    java.util.concurrent.atomic.AtomicInteger reads =
        new java.util.concurrent.atomic.AtomicInteger();
    return (SpanData)
        Proxy.newProxyInstance(
            SpanData.class.getClassLoader(),
            new Class<?>[] {SpanData.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getName")) {
                return name.apply(reads.incrementAndGet());
              }
              try {
                return method.invoke(span, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** A span whose attributes cannot be read. */
  private static SpanData failing(SpanData span, RuntimeException error) {
    return (SpanData)
        Proxy.newProxyInstance(
            SpanData.class.getClassLoader(),
            new Class<?>[] {SpanData.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getAttributes")) {
                throw error;
              }
              try {
                return method.invoke(span, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static byte[] ids(int length) {
    byte[] id = new byte[length];
    for (int i = 0; i < length; i++) {
      id[i] = (byte) (i + 1);
    }
    return id;
  }
}
