package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OverflowPolicy;
import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.internal.buffer.BackgroundWriter;
import io.github.otlpfile.internal.buffer.Lane;
import io.github.otlpfile.internal.buffer.PendingWrite;
import io.github.otlpfile.internal.encode.BatchEncoder;
import io.github.otlpfile.support.WrittenSpans;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, simulated by a channel that runs out of room ({@link
 * FaultyChannel.Faults#freeBytes}) and gets it back when a file is truncated: a failed write leaves
 * the file ending at its last complete record, the writer goes on in the same file instead of
 * making one per attempt, backs off between attempts, leaves no empty file and recovers by itself
 * once there is room.
 */
class FullDiskTest {
  @TempDir Path root;

  private final TestClock clock = TestClock.create();
  private final ExporterCounters counters = new ExporterCounters();
  private final FaultyChannel.Faults faults = new FaultyChannel.Faults();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());

  private Path traces() {
    return root.resolve("traces");
  }

  private RotatingFileWriter writer() {
    return FaultySinks.writer(traces(), Durability.NONE, 1 << 20, clock, counters, faults, events);
  }

  private static void writeWhole(RotatingFileWriter writer, ByteBuffer... records)
      throws RotatingFileWriter.WriteFailedException {
    long[] recordBytes = new long[records.length];
    for (int r = 0; r < records.length; r++) {
      recordBytes[r] = records[r].remaining();
    }
    writer.write(records, recordBytes, false);
  }

  private long count(String event) {
    synchronized (events) {
      return events.stream().filter(event::equals).count();
    }
  }

  private List<Path> filesOnDisk() throws IOException {
    try (Stream<Path> files = Files.list(traces())) {
      return files.toList();
    }
  }

  @Test
  void aFullDiskCostsTheRecordsThatDidNotFitAndTheSameFileGoesOnOnceThereIsRoom()
      throws IOException {
    RotatingFileWriter writer = writer();
    writeWhole(writer, RotatingFileWriterTest.records("a", 2, 100));
    Path file = writer.getCurrentPath();

    // Room for two and a half records: two land whole, the third is torn and cut off again.
    faults.freeBytes.set(250);
    assertThatThrownBy(() -> writeWhole(writer, RotatingFileWriterTest.records("b", 5, 100)))
        .isInstanceOfSatisfying(
            RotatingFileWriter.WriteFailedException.class,
            e -> assertThat(e.getCompleteRecords()).isEqualTo(2));
    assertThat(Files.size(file)).isEqualTo(400);
    assertThat(faults.freeBytes.get()).as("the torn bytes were given back").isEqualTo(50);

    // Still full: every attempt fails, in the same file, which keeps its whole records.
    for (int attempt = 0; attempt < 3; attempt++) {
      assertThatThrownBy(() -> writeWhole(writer, RotatingFileWriterTest.records("c", 1, 100)))
          .isInstanceOfSatisfying(
              RotatingFileWriter.WriteFailedException.class,
              e -> assertThat(e.getCompleteRecords()).isZero());
      assertThat(writer.getCurrentPath()).isEqualTo(file);
      assertThat(Files.size(file)).isEqualTo(400);
    }

    faults.freeBytes.set(FaultyChannel.Faults.PLENTY);
    writeWhole(writer, RotatingFileWriterTest.records("d", 1, 100));
    assertThat(writer.getCurrentPath()).isEqualTo(file);
    writer.close();

    assertThat(RotatingFileWriterTest.contents(traces()))
        .containsExactly(List.of("a0", "a1", "b0", "b1", "d0"));
    assertThat(count("open")).as("one file for all attempts").isEqualTo(1);
    assertThat(counters.filesCreated.sum()).isEqualTo(1);
    assertThat(counters.bytesWritten.sum()).isEqualTo(500);
  }

  @Test
  void aFileWhoseFirstWriteFindsTheDiskFullIsRetriedAndNeverLeftEmpty() throws IOException {
    RotatingFileWriter writer = writer();
    faults.freeBytes.set(0);
    for (int attempt = 0; attempt < 3; attempt++) {
      assertThatThrownBy(() -> writeWhole(writer, RotatingFileWriterTest.records("a", 1, 100)))
          .isInstanceOf(RotatingFileWriter.WriteFailedException.class);
    }
    assertThat(count("open")).isEqualTo(1);
    assertThat(filesOnDisk()).hasSize(1);

    // Closed while still empty, say at shutdown: the file goes.
    writer.close();
    assertThat(filesOnDisk()).isEmpty();

    // Opened again and closed by age while empty: the file goes too.
    assertThatThrownBy(() -> writeWhole(writer, RotatingFileWriterTest.records("b", 1, 100)))
        .isInstanceOf(RotatingFileWriter.WriteFailedException.class);
    assertThat(filesOnDisk()).hasSize(1);
    clock.advance(Duration.ofHours(2));
    writer.tick();
    assertThat(writer.getCurrentPath()).isNull();
    assertThat(writer.whenRotatedClosed().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(filesOnDisk()).isEmpty();

    // With room again the data goes into the file being retried.
    assertThatThrownBy(() -> writeWhole(writer, RotatingFileWriterTest.records("c", 1, 100)))
        .isInstanceOf(RotatingFileWriter.WriteFailedException.class);
    Path retried = writer.getCurrentPath();
    faults.freeBytes.set(FaultyChannel.Faults.PLENTY);
    writeWhole(writer, RotatingFileWriterTest.records("d", 1, 100));
    assertThat(writer.getCurrentPath()).isEqualTo(retried);
    writer.close();
    assertThat(RotatingFileWriterTest.contents(traces())).containsExactly(List.of("d0"));
    assertThat(count("open")).isEqualTo(3);
  }

  @Test
  void aFileThatCannotBeCutBackIsClosedWithItsTornTailLastOrDeletedIfThatIsAllItHolds()
      throws IOException {
    RotatingFileWriter writer = writer();
    faults.failTruncate = true;
    // Torn first record, no truncation: the file holds nothing whole and is deleted.
    faults.freeBytes.set(30);
    assertThatThrownBy(() -> writeWhole(writer, RotatingFileWriterTest.records("a", 1, 100)))
        .isInstanceOf(RotatingFileWriter.WriteFailedException.class);
    assertThat(writer.getCurrentPath()).isNull();
    assertThat(filesOnDisk()).isEmpty();

    // A whole record, then a torn one: closed as after a crash, the torn record last.
    faults.freeBytes.set(130);
    assertThatThrownBy(() -> writeWhole(writer, RotatingFileWriterTest.records("b", 2, 100)))
        .isInstanceOfSatisfying(
            RotatingFileWriter.WriteFailedException.class,
            e -> assertThat(e.getCompleteRecords()).isEqualTo(1));
    assertThat(writer.getCurrentPath()).isNull();
    List<Path> left = filesOnDisk();
    assertThat(left).hasSize(1);
    assertThat(Files.size(left.get(0))).isEqualTo(130);

    // Nothing follows the torn record in its file: the next write starts a new one.
    faults.failTruncate = false;
    faults.freeBytes.set(FaultyChannel.Faults.PLENTY);
    writeWhole(writer, RotatingFileWriterTest.records("c", 1, 100));
    writer.close();
    assertThat(Files.size(left.get(0))).isEqualTo(130);
    assertThat(filesOnDisk()).hasSize(2);
  }

  /** One export offered to the lane and what came of it. */
  private record Export(List<String> names, Lane.Offer offer, CompletableResultCode result) {}

  /**
   * Producers on four threads offer real OTLP/JSON records to a lane of the shared kind of writer
   * thread; the disk fills up for a second and then has room again. Every export is accounted for
   * exactly, the file holds exactly the acknowledged ones, whole, and the writer backed off instead
   * of hammering the full disk.
   */
  @Test
  void producersOnSeveralThreadsThroughAFullDiskLoseOnlyWhatFailedOrWasDropped() throws Exception {
    BackgroundWriter backgroundWriter = new BackgroundWriter("full-disk-test-writer");
    FileLaneSink sink =
        FaultySinks.create(traces(), Durability.NONE, 64 << 20, clock, counters, faults, events);
    Lane lane =
        backgroundWriter.register("traces-full-disk", 256 * 1024, OverflowPolicy.DROP, sink);
    BatchEncoder<SpanData> encoder = BatchEncoder.forSpans(OtlpFileFormat.JSON_LINES);
    ConcurrentLinkedQueue<Export> exports = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      final int thread = t;
      Thread producer =
          new Thread(
              () -> {
                for (int b = 0; !stop.get() || b < 50; b++) {
                  List<SpanData> batch = TestSpans.batch("t" + thread + "-b" + b, 10);
                  CompletableResultCode result = new CompletableResultCode();
                  Lane.Offer offer;
                  try {
                    offer = lane.offer(PendingWrite.data(encoder.encode(batch), 10, result));
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                  exports.add(new Export(WrittenSpans.names(batch), offer, result));
                  // Paced, so that exports keep coming during the whole outage.
                  LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
                }
              },
              "producer-" + t);
      producer.start();
      producers.add(producer);
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> counters.exportedItems.sum() >= 400);
    // The disk fills up: a little room left, so that the next write is torn half-way.
    faults.freeBytes.set(2000);
    long fullSince = System.nanoTime();
    await()
        .pollDelay(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(20))
        .until(() -> counters.failedItems.sum() > 0);
    long noSpaceWhileFull = count("no space");
    long fullNanos = System.nanoTime() - fullSince;
    faults.freeBytes.set(FaultyChannel.Faults.PLENTY);
    long exportedAtRecovery = counters.exportedItems.sum();
    // Recovers by itself: new exports are written again, without a restart.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> counters.exportedItems.sum() >= exportedAtRecovery + 400);
    stop.set(true);
    for (Thread producer : producers) {
      producer.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(producer.isAlive()).isFalse();
    }
    CompletableResultCode closed = new CompletableResultCode();
    assertThat(lane.offerMarker(PendingWrite.close(closed))).isTrue();
    assertThat(closed.join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    // Every export is accounted for, exactly once.
    long produced = 0;
    long acknowledged = 0;
    long failed = 0;
    long refused = 0;
    Set<String> acknowledgedNames = new HashSet<>();
    for (Export export : exports) {
      produced += export.names().size();
      if (export.offer() != Lane.Offer.ACCEPTED) {
        refused += export.names().size();
        continue;
      }
      assertThat(export.result().isDone()).isTrue();
      if (export.result().isSuccess()) {
        acknowledged += export.names().size();
        acknowledgedNames.addAll(export.names());
      } else {
        failed += export.names().size();
      }
    }
    assertThat(failed).as("exports failed while the disk was full").isPositive();
    assertThat(counters.exportedItems.sum()).isEqualTo(acknowledged);
    assertThat(counters.failedItems.sum()).isEqualTo(failed);
    assertThat(acknowledged + failed + refused).isEqualTo(produced);

    // The file holds exactly the acknowledged spans, in whole records only.
    List<Path> files =
        WrittenSpans.assertExactlyAcknowledged(
            root, OtlpFileFormat.JSON_LINES, acknowledged, acknowledgedNames);
    assertThat(files).as("one file through the whole outage").hasSize(1);
    assertThat(count("open")).isEqualTo(1);

    System.out.printf(
        "produced=%d acknowledged=%d failed=%d refused=%d attemptsOnFullDisk=%d fullMillis=%d%n",
        produced,
        acknowledged,
        failed,
        refused,
        noSpaceWhileFull,
        TimeUnit.NANOSECONDS.toMillis(fullNanos));
    // Backing off: a handful of attempts in the outage, not one per export.
    long attemptsAllowed = 2 + TimeUnit.NANOSECONDS.toMillis(fullNanos) / 100;
    assertThat(noSpaceWhileFull)
        .as("write attempts on the full disk in %d ms", TimeUnit.NANOSECONDS.toMillis(fullNanos))
        .isBetween(1L, attemptsAllowed);
  }

  @Test
  void theBackOffDoublesUpToItsLimit() {
    assertThat(FileLaneSink.backOffMillis(1)).isEqualTo(FileLaneSink.FIRST_BACK_OFF_MILLIS);
    assertThat(FileLaneSink.backOffMillis(2)).isEqualTo(2 * FileLaneSink.FIRST_BACK_OFF_MILLIS);
    assertThat(FileLaneSink.backOffMillis(5)).isEqualTo(16 * FileLaneSink.FIRST_BACK_OFF_MILLIS);
    assertThat(FileLaneSink.backOffMillis(60)).isEqualTo(FileLaneSink.MAX_BACK_OFF_MILLIS);
    assertThat(FileLaneSink.backOffMillis(Integer.MAX_VALUE - 1))
        .isEqualTo(FileLaneSink.MAX_BACK_OFF_MILLIS);
  }
}
