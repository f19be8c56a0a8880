package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.Compression;
import io.github.otlpfile.Durability;
import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.support.FileListing;
import io.github.otlpfile.support.LogCapture;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's edges that only a failing file system reaches: names that cannot be used, new files
 * that vanish, rolls that fail, forces and truncations that fail or lie.
 */
class RotatingFileWriterFaultsTest {
  private static final String INSTANCE = "0123456789ab";
  private static final RetentionPolicy KEEP_ALL =
      new RetentionPolicy(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

  @TempDir Path root;

  @RegisterExtension final LogCapture logs = LogCapture.of(RotatingFileWriter.class.getName());

  private final TestClock clock = TestClock.create(Instant.parse("2024-03-01T12:00:00Z"));
  private final ExporterCounters counters = new ExporterCounters();
  private final FaultyChannel.Faults faults = new FaultyChannel.Faults();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger opens = new AtomicInteger();
  private final List<FileChannel> opened = new ArrayList<>();
  // How the writer's next files are opened; tests replace it to inject failures.
  private volatile RotatingFileWriter.FileOpener opener = this::open;

  /** Opens as the writer would, through a {@link FaultyChannel}. */
  private FileChannel open(Path path, Set<OpenOption> options, FileAttribute<?>[] attributes)
      throws IOException {
    FileChannel channel =
        new FaultyChannel(FileChannel.open(path, options, attributes), faults, events);
    opened.add(channel);
    return channel;
  }

  private Path traces() {
    return root.resolve("traces");
  }

  private RotatingFileWriter writer(Durability durability, long maxFileSize) {
    return writer(durability, maxFileSize, Compression.NONE);
  }

  private RotatingFileWriter writer(
      Durability durability, long maxFileSize, Compression compression) {
    // As the exporter's builder does: start-up recovery then runs on the writer's first call.
    try {
      Files.createDirectories(traces());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    FolderMaintenance maintenance =
        new FolderMaintenance(
            new FileFolder(traces(), "traces"),
            KEEP_ALL,
            compression,
            durability,
            clock,
            counters,
            FileCompressor.shared());
    return new RotatingFileWriter(
        traces(),
        "traces",
        "jsonl",
        INSTANCE,
        clock,
        durability,
        new RollingPolicy(maxFileSize, Duration.ofHours(1).toNanos()),
        counters,
        maintenance,
        (path, options, attributes) -> {
          opens.incrementAndGet();
          return opener.open(path, options, attributes);
        });
  }

  /** The path of the file with sequence number {@code seq}, created at the clock's time. */
  private Path named(long seq) {
    return traces().resolve(FileNames.fileName("traces", clock.now(), INSTANCE, seq, "jsonl"));
  }

  private static void writeWhole(RotatingFileWriter writer, ByteBuffer... records)
      throws RotatingFileWriter.WriteFailedException {
    long[] recordBytes = new long[records.length];
    for (int r = 0; r < records.length; r++) {
      recordBytes[r] = records[r].remaining();
    }
    writer.write(records, recordBytes, false);
  }

  private static ByteBuffer[] records(String prefix, int count, int size) {
    return RotatingFileWriterTest.records(prefix, count, size);
  }

  /** The first warning this writer logged; each writer logs at most one a minute. */
  private String warning() {
    assertThat(logs.records()).isNotEmpty();
    LogRecord first = logs.records().get(0);
    assertThat(first.getLevel()).isEqualTo(Level.WARNING);
    return first.getMessage();
  }

  private List<List<String>> contents() throws IOException {
    return RotatingFileWriterTest.contents(traces());
  }

  @Test
  void aNameClaimedInThisProcessIsPassedOver() throws IOException {
    Files.createDirectories(traces());
    Path taken = named(1);
    assertThat(OpenFiles.claim(taken)).isTrue();
    RotatingFileWriter writer = writer(Durability.NONE, 1 << 20);
    try {
      writeWhole(writer, records("a", 1, 10));
    } finally {
      OpenFiles.release(taken);
    }

    assertThat(writer.getCurrentPath()).isEqualTo(named(2));
    assertThat(taken).doesNotExist();
    assertThat(opens.get()).as("the claimed name was not even opened").isEqualTo(1);
    writer.close();
    assertThat(FileListing.names(traces())).containsExactly(named(2).getFileName().toString());
  }

  @Test
  void aNewFileDeletedBeforeItsLockIsGrantedIsGivenUpForTheNextName() throws IOException {
    opener =
        (path, options, attributes) -> {
          FileChannel channel = open(path, options, attributes);
          // Another process's retention deleted the new file before our lock was granted.
          Files.delete(path);
          opener = this::open;
          return channel;
        };
    RotatingFileWriter writer = writer(Durability.NONE, 1 << 20);
    writeWhole(writer, records("a", 1, 10));

    assertThat(writer.getCurrentPath()).isEqualTo(named(2));
    assertThat(opens.get()).isEqualTo(2);
    assertThat(opened.get(0).isOpen()).as("the channel to the vanished file").isFalse();
    assertThat(OpenFiles.isClaimed(named(1))).isFalse();
    assertThat(OpenFiles.isClaimed(named(2))).isTrue();
    assertThat(counters.filesCreated.sum()).isEqualTo(1);
    writer.close();
    assertThat(contents()).containsExactly(List.of("a0"));
  }

  @Test
  void threeNamesInARowThatCannotBeUsedFailTheWrite() throws IOException {
    RotatingFileWriter writer = writer(Durability.NONE, 1 << 20);
    opener =
        (path, options, attributes) -> {
          FileChannel channel = open(path, options, attributes);
          Files.delete(path);
          return channel;
        };
    assertThatThrownBy(() -> writeWhole(writer, records("a", 1, 10)))
        .isInstanceOfSatisfying(
            RotatingFileWriter.WriteFailedException.class,
            e -> assertThat(e.getCompleteRecords()).isZero())
        .hasMessageContaining("Cannot create a new file in");
    assertThat(opens.get()).isEqualTo(3);
    assertThat(opened).noneMatch(FileChannel::isOpen);

    // Something sits at every name: the failure says so.
    opener =
        (path, options, attributes) -> {
          throw new FileAlreadyExistsException(path.toString());
        };
    assertThatThrownBy(() -> writeWhole(writer, records("b", 1, 10)))
        .isInstanceOf(RotatingFileWriter.WriteFailedException.class)
        .hasCauseInstanceOf(FileAlreadyExistsException.class);
    assertThat(opens.get()).isEqualTo(6);
    assertThat(warning()).startsWith("Skipping ").endsWith("something already exists there");

    for (long seq = 1; seq <= 7; seq++) {
      assertThat(OpenFiles.isClaimed(named(seq))).as("seq %d", seq).isFalse();
    }
    assertThat(FileListing.names(traces())).isEmpty();
    assertThat(counters.filesCreated.sum()).isZero();

    opener = this::open;
    writeWhole(writer, records("c", 1, 10));
    assertThat(writer.getCurrentPath()).isEqualTo(named(7));
    writer.close();
    assertThat(contents()).containsExactly(List.of("c0"));
  }

  @Test
  void aFailedRollIsTriedOnceAWriteAndTheRestOfThatWriteStaysInTheFile() throws IOException {
    RotatingFileWriter writer = writer(Durability.NONE, 100);
    writeWhole(writer, records("a", 1, 60));
    Path first = writer.getCurrentPath();
    opener =
        (path, options, attributes) -> {
          throw new IOException("injected: no new file");
        };

    writeWhole(writer, records("b", 3, 60));
    assertThat(opens.get()).as("one attempt for the whole write").isEqualTo(2);
    writeWhole(writer, records("c", 1, 60));
    assertThat(opens.get()).as("and another on the next write").isEqualTo(3);
    assertThat(writer.getCurrentPath()).isEqualTo(first);
    assertThat(OpenFiles.isClaimed(named(2))).isFalse();
    assertThat(warning()).startsWith("Cannot start a new file in").contains("past its limits");

    opener = this::open;
    writeWhole(writer, records("d", 2, 60));
    writer.close();
    assertThat(contents())
        .containsExactly(List.of("a0", "b0", "b1", "b2", "c0"), List.of("d0"), List.of("d1"));
    assertThat(counters.filesCreated.sum()).isEqualTo(3);
  }

  @Test
  void aForceThatFailsAfterRollsInOneWriteCutsOnlyTheLastFileBack() throws IOException {
    RotatingFileWriter writer = writer(Durability.EVERY_WRITE, 250);
    AtomicInteger forces = new AtomicInteger();
    // Each roll forces the file it closes; the third force is the one at the end of the write.
    faults.onForce = () -> faults.failForce = forces.incrementAndGet() == 3;

    assertThatThrownBy(() -> writeWhole(writer, records("a", 5, 100)))
        .isInstanceOfSatisfying(
            RotatingFileWriter.WriteFailedException.class,
            e -> assertThat(e.getCompleteRecords()).as("those in the closed files").isEqualTo(4));
    Path last = writer.getCurrentPath();
    assertThat(last).isEqualTo(named(3));
    assertThat(Files.size(last)).isZero();
    assertThat(counters.bytesWritten.sum()).isEqualTo(400);

    // The next write goes on in that file, from its start.
    writeWhole(writer, records("b", 1, 100));
    assertThat(writer.getCurrentPath()).isEqualTo(last);
    writer.close();
    assertThat(contents()).containsExactly(List.of("a0", "a1"), List.of("a2", "a3"), List.of("b0"));
    assertThat(counters.bytesWritten.sum()).isEqualTo(500);
  }

  @Test
  void aForceThatFailsAfterAFailedRollCutsTheWholeWriteBack() throws IOException {
    RotatingFileWriter writer = writer(Durability.EVERY_WRITE, 150);
    writeWhole(writer, records("a", 1, 100));
    opener =
        (path, options, attributes) -> {
          throw new IOException("injected: no new file");
        };
    faults.failForce = true;

    assertThatThrownBy(() -> writeWhole(writer, records("b", 2, 100)))
        .isInstanceOfSatisfying(
            RotatingFileWriter.WriteFailedException.class,
            e -> assertThat(e.getCompleteRecords()).isZero());
    assertThat(Files.size(writer.getCurrentPath())).isEqualTo(100);
    assertThat(counters.bytesWritten.sum()).isEqualTo(100);

    faults.failForce = false;
    opener = this::open;
    writer.close();
    assertThat(contents()).containsExactly(List.of("a0"));
  }

  @Test
  void aFileWhoseForceFailsOnCloseIsStillClosedAndHandedOn() throws Exception {
    RotatingFileWriter writer = writer(Durability.ON_ROTATE, 1 << 20, Compression.GZIP);
    writeWhole(writer, records("a", 2, 10));
    Path file = writer.getCurrentPath();
    faults.failForce = true;

    assertThatThrownBy(writer::close).isInstanceOf(IOException.class).hasMessageContaining("force");
    assertThat(writer.getCurrentPath()).isNull();
    assertThat(opened.get(0).isOpen()).isFalse();

    // Handed to maintenance like any closed file, and released (a compression skips a file that
    // is claimed): compressed, and gzip forces through its own channel.
    assertThat(writer.finish().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(FileListing.names(traces()))
        .containsExactly(file.getFileName() + FileNames.GZIP_SUFFIX);
    assertThat(counters.filesCompressed.sum()).isEqualTo(1);
    assertThat(OpenFiles.isClaimed(file)).isFalse();
  }

  @Test
  void aFileWhoseForceFailsOnRotationIsClosedAndTheWriterMovesOn() throws IOException {
    RotatingFileWriter writer = writer(Durability.ON_ROTATE, 1 << 20);
    writeWhole(writer, records("a", 1, 10));
    Path first = writer.getCurrentPath();
    faults.failForce = true;

    // By age, on a tick.
    clock.advance(Duration.ofHours(1));
    writer.tick();
    assertThat(writer.getCurrentPath()).isNull();
    assertThat(writer.whenRotatedClosed().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(OpenFiles.isClaimed(first)).isFalse();

    // By age, before a write.
    writeWhole(writer, records("b", 1, 10));
    Path second = writer.getCurrentPath();
    clock.advance(Duration.ofHours(1));
    writeWhole(writer, records("c", 1, 10));
    assertThat(writer.getCurrentPath()).isNotEqualTo(second).isNotNull();
    assertThat(writer.whenRotatedClosed().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(OpenFiles.isClaimed(second)).isFalse();
    assertThat(opened.get(1).isOpen()).isFalse();

    faults.failForce = false;
    writer.close();
    assertThat(contents()).containsExactly(List.of("a0"), List.of("b0"), List.of("c0"));
  }

  @Test
  void aTruncationThatLeavesTheTornBytesGivesTheFileUp() throws IOException {
    RotatingFileWriter writer = writer(Durability.NONE, 1 << 20, Compression.GZIP);
    writeWhole(writer, records("a", 1, 100));
    Path first = writer.getCurrentPath();
    faults.ignoreTruncate = true;
    faults.freeBytes.set(150);

    assertThatThrownBy(() -> writeWhole(writer, records("b", 2, 100)))
        .isInstanceOfSatisfying(
            RotatingFileWriter.WriteFailedException.class,
            e -> assertThat(e.getCompleteRecords()).isEqualTo(1));
    assertThat(events).contains("truncate ignored");
    assertThat(writer.getCurrentPath()).as("not written on after a torn tail").isNull();
    assertThat(warning()).startsWith("Cannot cut " + first).contains("torn last record");

    faults.ignoreTruncate = false;
    faults.freeBytes.set(FaultyChannel.Faults.PLENTY);
    writeWhole(writer, records("c", 1, 100));
    assertThat(writer.getCurrentPath()).isNotEqualTo(first);
    writer.close();
    // Handed on like any closed file: compressed, with its torn tail.
    assertThat(writer.finish().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    Path compressed = traces().resolve(first.getFileName() + FileNames.GZIP_SUFFIX);
    assertThat(FolderMaintenanceTest.gunzip(compressed)).hasSize(250).startsWith("a0");
    assertThat(counters.filesCompressed.sum()).isEqualTo(2);
    assertThat(OpenFiles.isClaimed(first)).isFalse();
  }

  @Test
  void lineNumbersCountTheWholeRecordsThatAFailedWriteLeft() throws IOException {
    RotatingFileWriter writer = writer(Durability.NONE, 1 << 20);
    writeWhole(writer, records("a", 1, 100));
    // Room for two and a half records: two stay.
    faults.freeBytes.set(250);
    assertThatThrownBy(() -> writeWhole(writer, records("b", 3, 100)))
        .isInstanceOf(RotatingFileWriter.WriteFailedException.class);
    faults.freeBytes.set(FaultyChannel.Faults.PLENTY);

    writeWhole(writer, records("c", 2, 100));
    assertThat(writer.getRecordPosition(0)).isEqualTo(4);
    assertThat(writer.getRecordPosition(1)).isEqualTo(5);
    writer.close();
    assertThat(contents()).containsExactly(List.of("a0", "b0", "b1", "c0", "c1"));
    assertThat(counters.bytesWritten.sum()).isEqualTo(500);
  }

  @Test
  void anAbandonedRecordCountsNoBytesAndTheNextRecordTakesItsLine() throws IOException {
    RotatingFileWriter writer = writer(Durability.NONE, 1 << 20);
    writeWhole(writer, records("a", 1, 100));
    writer.write(new ByteBuffer[] {ByteBuffer.wrap(new byte[40])}, new long[] {100}, true);
    assertThat(counters.bytesWritten.sum()).isEqualTo(140);

    writer.abandonOpenRecord();
    assertThat(counters.bytesWritten.sum()).isEqualTo(100);
    writer.abandonOpenRecord(); // between records: nothing to do
    writeWhole(writer, records("b", 1, 100));
    assertThat(writer.getRecordPosition(0)).isEqualTo(2);
    writer.close();
    assertThat(contents()).containsExactly(List.of("a0", "b0"));
    assertThat(counters.bytesWritten.sum()).isEqualTo(200);
  }

  @Test
  void aRotatedFileIsForcedAndClosedOnTheMaintenanceThreadWhileTheWriterGoesOn() throws Exception {
    RotatingFileWriter writer = writer(Durability.ON_ROTATE, 250);
    writeWhole(writer, records("a", 2, 100));
    Path first = writer.getCurrentPath();
    CountDownLatch forcing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    faults.onForce =
        () -> {
          forcing.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    CompletableResultCode closed;
    try {
      writeWhole(writer, records("b", 1, 100)); // rolls over
      assertThat(forcing.await(10, TimeUnit.SECONDS)).as("the first file is being forced").isTrue();
      // The writer is not held by that force: it writes on into the second file.
      writeWhole(writer, records("c", 1, 100));
      assertThat(writer.getCurrentPath()).isNotEqualTo(first);
      assertThat(OpenFiles.isClaimed(first)).as("held until it is closed").isTrue();
      closed = writer.whenRotatedClosed();
      assertThat(closed.isDone()).isFalse();
    } finally {
      release.countDown();
    }
    assertThat(closed.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(OpenFiles.isClaimed(first)).isFalse();
    assertThat(events).containsSubsequence("force", "close");
    faults.onForce = () -> {};
    writer.close();
    assertThat(contents()).containsExactly(List.of("a0", "a1"), List.of("b0", "c0"));
  }

  @Test
  void underEveryWriteARolledFileIsForcedBeforeTheWriteReturns() throws IOException {
    RotatingFileWriter writer = writer(Durability.EVERY_WRITE, 250);
    writeWhole(writer, records("a", 3, 100)); // a0 a1 | a2
    // On return both files are forced, the rolled one first: the results may complete now.
    List<String> atReturn = new ArrayList<>(events);
    assertThat(atReturn).containsSubsequence("write 200", "force", "write 100", "force");
    assertThat(Collections.frequency(atReturn, "force")).isEqualTo(2);
    assertThat(writer.whenRotatedClosed().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(events).as("closed, not forced again").contains("close");
    assertThat(Collections.frequency(events, "force")).isEqualTo(2);
    writer.close();
    assertThat(contents()).containsExactly(List.of("a0", "a1"), List.of("a2"));
  }

  @Test
  void underEveryWriteAForceThatFailsBeforeARollFailsWhatTheWriteHadPutIntoTheFile()
      throws IOException {
    RotatingFileWriter writer = writer(Durability.EVERY_WRITE, 250);
    writeWhole(writer, records("a", 1, 100));
    Path first = writer.getCurrentPath();
    faults.failForce = true;

    // b0 goes into the first file; the force before the roll to b1 fails.
    assertThatThrownBy(() -> writeWhole(writer, records("b", 3, 100)))
        .isInstanceOfSatisfying(
            RotatingFileWriter.WriteFailedException.class,
            e -> assertThat(e.getCompleteRecords()).isZero());
    assertThat(writer.getCurrentPath()).as("no roll").isEqualTo(first);
    assertThat(Files.size(first)).as("b0 cut off").isEqualTo(100);
    assertThat(counters.bytesWritten.sum()).isEqualTo(100);

    faults.failForce = false;
    writeWhole(writer, records("c", 1, 100));
    writer.close();
    assertThat(contents()).containsExactly(List.of("a0", "c0"));
  }

  @Test
  void aRotationByAgeOnATickLogsAFailedClose() throws IOException {
    RotatingFileWriter writer = writer(Durability.ON_ROTATE, 1 << 20);
    writeWhole(writer, records("a", 1, 10));
    Path first = writer.getCurrentPath();
    faults.failForce = true;
    clock.advance(Duration.ofHours(1));
    writer.tick();
    assertThat(writer.getCurrentPath()).isNull();
    assertThat(writer.whenRotatedClosed().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(warning())
        .isEqualTo(
            "Failed to close "
                + first
                + " on rotation: "
                + "java.io.IOException: injected force failure");
  }

  @Test
  void aRollThatCannotCloseTheOldFileLogsItAndGoesOn() throws IOException {
    RotatingFileWriter writer = writer(Durability.ON_ROTATE, 100);
    writeWhole(writer, records("a", 1, 60));
    Path first = writer.getCurrentPath();
    faults.failForce = true;
    writeWhole(writer, records("b", 1, 60));
    assertThat(writer.getCurrentPath()).isEqualTo(named(2));
    assertThat(writer.whenRotatedClosed().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(warning()).startsWith("Failed to close " + first + " on rotation");
    faults.failForce = false;
    writer.close();
    assertThat(contents()).containsExactly(List.of("a0"), List.of("b0"));
  }

  @Test
  void aFileSystemThatCannotLockStillGetsTheDataAndAWarning() throws IOException {
    faults.failLock = true;
    RotatingFileWriter writer = writer(Durability.NONE, 1 << 20);
    writeWhole(writer, records("a", 2, 10));
    Path file = writer.getCurrentPath();
    assertThat(warning())
        .startsWith("Cannot lock " + file)
        .contains("retention in other processes");
    assertThat(OpenFiles.isClaimed(file)).isTrue();
    writer.close();
    assertThat(contents()).containsExactly(List.of("a0", "a1"));
  }

  @Test
  void aFileClosedEmptyIsReleasedAndDeleted() throws IOException {
    RotatingFileWriter writer = writer(Durability.ON_ROTATE, 1 << 20);
    faults.freeBytes.set(0);
    assertThatThrownBy(() -> writeWhole(writer, records("a", 1, 10)))
        .isInstanceOf(RotatingFileWriter.WriteFailedException.class);
    Path empty = writer.getCurrentPath();
    writer.close();

    assertThat(empty).doesNotExist();
    assertThat(opened.get(0).isOpen()).isFalse();
    assertThat(OpenFiles.isClaimed(empty)).isFalse();
    assertThat(events).doesNotContain("force");
  }

  @Test
  void anEmptyFileThatCannotBeDeletedIsLoggedAndLeft() throws IOException {
    RotatingFileWriter writer = writer(Durability.NONE, 1 << 20);
    faults.freeBytes.set(0);
    assertThatThrownBy(() -> writeWhole(writer, records("a", 1, 10)))
        .isInstanceOf(RotatingFileWriter.WriteFailedException.class);
    Path empty = writer.getCurrentPath();
    // Something else now sits at the name, and it cannot simply be removed.
    Files.delete(empty);
    Files.createDirectories(empty).resolve("inside");
    Files.writeString(empty.resolve("inside"), "x");

    writer.close();
    assertThat(warning()).startsWith("Cannot delete the empty file " + empty);
    assertThat(empty.resolve("inside")).exists();
    assertThat(OpenFiles.isClaimed(empty)).isFalse();
  }

  @Test
  void aCloseThatFailsReportsTheFirstFailure() throws IOException {
    RotatingFileWriter writer = writer(Durability.ON_ROTATE, 1 << 20);
    writeWhole(writer, records("a", 1, 10));
    faults.failClose = true;
    assertThatThrownBy(writer::close).hasMessage("injected close failure");
    assertThat(OpenFiles.isClaimed(named(1))).isFalse();

    writeWhole(writer, records("b", 1, 10));
    faults.failForce = true;
    assertThatThrownBy(writer::close).hasMessage("injected force failure");
    assertThat(OpenFiles.isClaimed(named(2))).isFalse();
    assertThat(contents()).containsExactly(List.of("a0"), List.of("b0"));
  }

  /** An empty file as a crash right after its creation leaves it, from an earlier run. */
  private Path leftover() throws IOException {
    Files.createDirectories(traces());
    return Files.write(
        traces().resolve(FileNames.fileName("traces", 0, "aaaaaaaaaaaa", 1, "jsonl")), new byte[0]);
  }

  @Test
  void startUpRecoveryRunsOnTheFirstWrite() throws IOException {
    Path leftover = leftover();
    RotatingFileWriter writer = writer(Durability.NONE, 1 << 20);
    writeWhole(writer, records("a", 1, 10));
    assertThat(leftover).doesNotExist();
    writer.close();
  }

  @Test
  void startUpRecoveryRunsOnACloseWithoutWrites() throws IOException {
    Path leftover = leftover();
    writer(Durability.NONE, 1 << 20).close();
    assertThat(leftover).doesNotExist();
  }

  @Test
  void aRecordStreamedInPiecesWithinOneWriteTakesOneLine() throws IOException {
    RotatingFileWriter writer = writer(Durability.NONE, 1 << 20);
    ByteBuffer start = ByteBuffer.wrap("{\"a\":".getBytes(StandardCharsets.UTF_8));
    ByteBuffer rest = ByteBuffer.wrap("1}\n".getBytes(StandardCharsets.UTF_8));
    writer.write(new ByteBuffer[] {start, rest}, new long[] {8, 0}, false);
    assertThat(writer.getRecordPosition(0)).isEqualTo(1);
    assertThat(writer.getRecordPosition(1)).isEqualTo(1);

    writeWhole(writer, records("b", 1, 10));
    assertThat(writer.getRecordPosition(0)).isEqualTo(2);
    writer.close();
    assertThat(contents()).containsExactly(List.of("{\"a\":1}", "b0"));
  }
}
