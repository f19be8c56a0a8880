package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.Compression;
import io.github.otlpfile.Durability;
import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.support.ChildJvm;
import io.github.otlpfile.support.FileListing;
import io.github.otlpfile.support.LogCapture;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class FolderMaintenanceTest {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final long NO_AGE_LIMIT = Long.MAX_VALUE;

  @TempDir Path dir;

  @RegisterExtension final LogCapture logs = LogCapture.of(FolderMaintenance.class.getName());

  private final TestClock clock = TestClock.create(NOW);
  private final ExporterCounters counters = new ExporterCounters();
  // The maintenance thread's tasks: run at once, unless a test holds them back.
  private final List<Runnable> heldBack = new ArrayList<>();
  private boolean holdBack;
  private final Executor background =
      task -> {
        if (holdBack) {
          heldBack.add(task);
        } else {
          task.run();
        }
      };

  /** Maintenance of a folder other than {@code dir}: one file kept, none compressed. */
  private FolderMaintenance keepingOneFileIn(Path folder) {
    return new FolderMaintenance(
        new FileFolder(folder, "traces"),
        new RetentionPolicy(1, Long.MAX_VALUE, NO_AGE_LIMIT),
        Compression.NONE,
        Durability.NONE,
        clock,
        counters,
        FileCompressor.shared(),
        background);
  }

  private FolderMaintenance maintenance(RetentionPolicy policy, Compression compression) {
    return new FolderMaintenance(
        new FileFolder(dir, "traces"),
        policy,
        compression,
        Durability.ON_ROTATE,
        clock,
        counters,
        FileCompressor.shared(),
        background);
  }

  /** A closed file as another writer would have left it, {@code minutesAgo} old. */
  private Path file(String instance, long seq, int minutesAgo, int size) throws IOException {
    Instant created = NOW.minus(Duration.ofMinutes(minutesAgo));
    long nanos = TimeUnit.SECONDS.toNanos(created.getEpochSecond());
    Path path = dir.resolve(FileNames.fileName("traces", nanos, instance, seq, "jsonl"));
    Files.writeString(path, "x".repeat(size - 1) + "\n");
    Files.setLastModifiedTime(path, FileTime.from(created));
    return path;
  }

  private List<String> names() throws IOException {
    return FileListing.names(dir);
  }

  @Test
  void countLimitDeletesTheOldestClosedFilesFirst() throws IOException {
    Path a = file("aaaaaaaaaaaa", 9, 50, 10);
    Path b = file("aaaaaaaaaaaa", 10, 50, 10); // Same second: the sequence number decides.
    Path c = file("bbbbbbbbbbbb", 1, 40, 10);
    Path d = file("aaaaaaaaaaaa", 11, 30, 10);

    int deleted =
        maintenance(new RetentionPolicy(2, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.NONE)
            .enforceRetention();

    assertThat(deleted).isEqualTo(2);
    assertThat(a).doesNotExist();
    assertThat(b).doesNotExist();
    assertThat(c).exists();
    assertThat(d).exists();
    assertThat(counters.filesDeleted.sum()).isEqualTo(2);
  }

  @Test
  void sizeLimitDeletesUntilTheRestFits() throws IOException {
    Path a = file("aaaaaaaaaaaa", 1, 50, 100);
    Path b = file("aaaaaaaaaaaa", 2, 40, 100);
    Path c = file("aaaaaaaaaaaa", 3, 30, 100);
    Path d = file("aaaaaaaaaaaa", 4, 20, 100);

    maintenance(new RetentionPolicy(100, 250, NO_AGE_LIMIT), Compression.NONE).enforceRetention();

    assertThat(a).doesNotExist();
    assertThat(b).doesNotExist();
    assertThat(c).exists();
    assertThat(d).exists();
  }

  @Test
  void ageLimitCountsFromTheLastWriteNotFromTheName() throws IOException {
    Path old = file("aaaaaaaaaaaa", 1, 120, 10);
    Path young = file("aaaaaaaaaaaa", 2, 50, 10);
    // Created long ago but written to until recently: its newest record is young.
    Path longLived = file("bbbbbbbbbbbb", 1, 300, 10);
    Files.setLastModifiedTime(longLived, FileTime.from(NOW.minus(Duration.ofMinutes(5))));
    // Named as young, but not modified since long ago (for example copied in with its time).
    Path stale = file("cccccccccccc", 1, 1, 10);
    Files.setLastModifiedTime(stale, FileTime.from(NOW.minus(Duration.ofHours(3))));

    FolderMaintenance maintenance =
        maintenance(
            new RetentionPolicy(100, Long.MAX_VALUE, Duration.ofHours(1).toNanos()),
            Compression.NONE);
    maintenance.enforceRetention();

    assertThat(old).doesNotExist();
    assertThat(stale).doesNotExist();
    assertThat(young).exists();
    assertThat(longLived).exists();

    // Time passes on the writer's clock; the periodic check removes what ages.
    clock.advance(Duration.ofMinutes(5));
    maintenance.tick();
    assertThat(young).exists();
    clock.advance(Duration.ofMinutes(6));
    maintenance.tick();
    assertThat(young).doesNotExist();
    assertThat(longLived).exists();
    clock.advance(Duration.ofMinutes(50));
    maintenance.tick();
    assertThat(longLived).doesNotExist();
    assertThat(counters.filesDeleted.sum()).isEqualTo(4);
  }

  @Test
  void filesClaimedInThisProcessAreCountedButNeverDeleted() throws IOException {
    Path active = file("aaaaaaaaaaaa", 1, 50, 100);
    Path b = file("bbbbbbbbbbbb", 1, 40, 100);
    Path c = file("bbbbbbbbbbbb", 2, 30, 100);
    assertThat(OpenFiles.claim(active)).isTrue();
    try {
      maintenance(new RetentionPolicy(2, Long.MAX_VALUE, 1), Compression.NONE).enforceRetention();
      assertThat(active).exists();
      assertThat(b).doesNotExist();
      assertThat(c).doesNotExist();
    } finally {
      OpenFiles.release(active);
    }
  }

  @Test
  void filesThatAreNotOursAreNeitherCountedNorTouched() throws IOException {
    Path a = file("aaaaaaaaaaaa", 1, 50, 10);
    Path b = file("aaaaaaaaaaaa", 2, 40, 10);
    Path notes = Files.writeString(dir.resolve("notes.txt"), "keep me");
    Path metrics =
        Files.writeString(dir.resolve("metrics-20240101T000000.000Z-aaaaaaaaaaaa-1.jsonl"), "{}\n");
    Path link =
        Files.createSymbolicLink(
            dir.resolve("traces-20000101T000000.000Z-dddddddddddd-1.jsonl"), a);
    Files.setLastModifiedTime(notes, FileTime.from(NOW.minus(Duration.ofDays(300))));

    maintenance(
            new RetentionPolicy(1, Long.MAX_VALUE, Duration.ofDays(1).toNanos()), Compression.NONE)
        .enforceRetention();

    assertThat(a).doesNotExist();
    assertThat(b).exists();
    assertThat(notes).exists();
    assertThat(metrics).exists();
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  @Test
  void retentionSkipsAFileAnotherProcessHoldsOpen() throws Exception {
    Path held = file("aaaaaaaaaaaa", 1, 50, 10);
    Path free = file("bbbbbbbbbbbb", 1, 40, 10);
    FolderMaintenance maintenance =
        maintenance(new RetentionPolicy(100, Long.MAX_VALUE, 1), Compression.NONE);

    try (ChildJvm child = ChildJvm.start(LockHolderMain.class, held.toString())) {
      assertThat(child.nextLine(Duration.ofSeconds(60))).isEqualTo("locked true");
      assertThat(FileFolder.tryDelete(held)).isEqualTo(FileFolder.Deletion.HELD);

      assertThat(maintenance.enforceRetention()).isEqualTo(1);
      assertThat(held).exists();
      assertThat(free).doesNotExist();

      child.process().getOutputStream().close();
      assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(maintenance.enforceRetention()).isEqualTo(1);
    assertThat(held).doesNotExist();
  }

  @Test
  void startUpRecoveryRemovesTemporaryFilesAndCompressesLeftovers() throws IOException {
    Path old = file("aaaaaaaaaaaa", 1, 50, 10);
    Path plain = file("aaaaaaaaaaaa", 2, 40, 1000);
    String plainText = Files.readString(plain);
    Path temporary =
        Files.writeString(
            dir.resolve(FileNames.temporaryName(plain.getFileName().toString())), "half a gzip");
    // A compression that was interrupted after its move: both forms exist.
    Path pair = file("aaaaaaaaaaaa", 3, 30, 500);
    Path pairGz = dir.resolve(FileNames.compressedName(pair.getFileName().toString()));
    Files.writeString(pairGz, "whatever was there");
    // A temporary file that a compression in this process is still writing.
    Path busy = dir.resolve(FileNames.temporaryName(old.getFileName().toString()));
    Files.writeString(busy, "busy");
    assertThat(OpenFiles.claim(busy)).isTrue();
    FolderMaintenance maintenance;
    try {
      maintenance =
          maintenance(new RetentionPolicy(2, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.GZIP);
      maintenance.start();
      // Start-up retention runs after the leftovers' compressions, so this waits for it too.
      assertThat(maintenance.whenCompressed().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(busy).exists();
    } finally {
      OpenFiles.release(busy);
    }

    assertThat(temporary).doesNotExist();
    assertThat(old).doesNotExist(); // Retention: three files, at most two.
    assertThat(names())
        .containsExactly(
            busy.getFileName().toString(), plain.getFileName() + ".gz", pair.getFileName() + ".gz");
    assertThat(gunzip(dir.resolve(plain.getFileName() + ".gz"))).isEqualTo(plainText);
    assertThat(gunzip(pairGz)).isEqualTo("x".repeat(499) + "\n");
    assertThat(counters.filesCompressed.sum()).isBetween(2L, 3L);
    assertThat(counters.filesDeleted.sum()).isEqualTo(1);
  }

  @Test
  void startUpRecoveryDeletesEmptyLeftoversButNotAFileAWriterHolds() throws IOException {
    Path full = file("aaaaaaaaaaaa", 1, 50, 10);
    Path empty = file("aaaaaaaaaaaa", 2, 40, 1);
    Files.write(empty, new byte[0]);
    // Another writer's empty file, still open and locked by it.
    Path held = file("bbbbbbbbbbbb", 1, 30, 1);
    Files.write(held, new byte[0]);
    try (FileChannel channel = FileChannel.open(held, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      maintenance(new RetentionPolicy(10, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.NONE).start();
      assertThat(lock.isValid()).isTrue();
    }

    assertThat(empty).doesNotExist();
    assertThat(full).exists();
    assertThat(held).exists();
    assertThat(counters.filesDeleted.sum()).as("not retention's doing").isZero();
  }

  @Test
  void aCompleteTemporaryFileWithoutItsPlainFileIsMovedIntoPlace() throws IOException {
    Path plain = file("aaaaaaaaaaaa", 1, 40, 300);
    FileCompressor.gzip(plain, Durability.NONE);
    Path gz = dir.resolve(plain.getFileName() + ".gz");
    // As if the file system had kept the delete of the plain file but not the move.
    Path complete = dir.resolve(FileNames.temporaryName(plain.getFileName().toString()));
    Files.move(gz, complete);
    Path other = file("aaaaaaaaaaaa", 2, 30, 300);
    FileCompressor.gzip(other, Durability.NONE);
    Path torn = dir.resolve(FileNames.temporaryName(other.getFileName().toString()));
    byte[] bytes = Files.readAllBytes(dir.resolve(other.getFileName() + ".gz"));
    Files.delete(dir.resolve(other.getFileName() + ".gz"));
    Files.write(torn, java.util.Arrays.copyOf(bytes, bytes.length - 5));

    maintenance(new RetentionPolicy(100, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.NONE).start();

    assertThat(names()).containsExactly(gz.getFileName().toString());
    assertThat(gunzip(gz)).isEqualTo("x".repeat(299) + "\n");
  }

  @Test
  void withoutCompressionRecoveryLeavesPlainFilesButResolvesPairs() throws IOException {
    Path plain = file("aaaaaaaaaaaa", 1, 40, 100);
    Path pair = file("aaaaaaaaaaaa", 2, 30, 100);
    Files.writeString(dir.resolve(pair.getFileName() + ".gz"), "truncated");

    FolderMaintenance maintenance =
        maintenance(new RetentionPolicy(100, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.NONE);
    maintenance.start();
    maintenance.start(); // Only once.
    assertThat(maintenance.whenCompressed().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(names()).containsExactly(plain.getFileName().toString(), pair.getFileName() + ".gz");
    assertThat(gunzip(dir.resolve(pair.getFileName() + ".gz"))).isEqualTo("x".repeat(99) + "\n");
  }

  @Test
  void closedFilesAreCompressedAndRetentionCountsThemCompressed() throws Exception {
    FolderMaintenance maintenance =
        maintenance(new RetentionPolicy(100, 6000, NO_AGE_LIMIT), Compression.GZIP);
    maintenance.start();
    Path first = file("aaaaaaaaaaaa", 1, 30, 5000);
    Path second = file("aaaaaaaaaaaa", 2, 20, 5000);
    maintenance.fileClosed(first);
    maintenance.fileClosed(second);
    // 10,000 plain bytes would not fit in 6,000: under GZIP retention waits for compression
    // (which may already have replaced the plain file by its .gz: either way nothing is deleted).
    assertThat(counters.filesDeleted.sum()).isZero();
    assertThat(Files.exists(first) || Files.exists(dir.resolve(first.getFileName() + ".gz")))
        .as("the first file, plain or compressed")
        .isTrue();
    CompletableResultCode compressed = maintenance.whenCompressed();
    assertThat(compressed.join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    maintenance.enforceRetention();
    assertThat(names()).containsExactly(first.getFileName() + ".gz", second.getFileName() + ".gz");
    assertThat(counters.filesDeleted.sum()).isZero();
    assertThat(counters.filesCompressed.sum()).isEqualTo(2);
  }

  @Test
  void aFailedCompressionIsCountedAndKeepsThePlainFile() throws IOException {
    FolderMaintenance maintenance =
        maintenance(new RetentionPolicy(100, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.GZIP);
    maintenance.start();
    Path plain = file("aaaaaaaaaaaa", 1, 30, 100);
    // A non-empty directory where the compressed file should go makes the final move fail.
    Path blocker = Files.createDirectories(dir.resolve(plain.getFileName() + ".gz"));
    Files.writeString(blocker.resolve("inside"), "x");

    maintenance.fileClosed(plain);
    assertThat(maintenance.whenCompressed().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(counters.compressionFailures.sum()).isEqualTo(1);
    assertThat(logs.records())
        .singleElement()
        .satisfies(
            record ->
                assertThat(record.getMessage())
                    .startsWith("Failed to compress " + plain + "; the plain file is kept"));
    assertThat(Files.readString(plain)).isEqualTo("x".repeat(99) + "\n");
    assertThat(names())
        .containsExactly(plain.getFileName().toString(), blocker.getFileName().toString());
  }

  @Test
  void retentionAfterAClosedFileWaitsForItsMinimumInterval() throws IOException {
    Path a = file("aaaaaaaaaaaa", 1, 30, 10);
    Path b = file("aaaaaaaaaaaa", 2, 20, 10);
    FolderMaintenance maintenance =
        maintenance(new RetentionPolicy(1, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.NONE);
    long beforeStart = System.nanoTime();
    maintenance.start(); // Deletes a.
    assertThat(a).doesNotExist();
    Path c = file("aaaaaaaaaaaa", 3, 10, 10);
    maintenance.fileClosed(c);
    maintenance.tick();
    if (System.nanoTime() - beforeStart
        < TimeUnit.MILLISECONDS.toNanos(FolderMaintenance.MIN_INTERVAL_MILLIS)) {
      // Checkable only on a machine quick enough to get here within the interval.
      assertThat(b).as("deferred").exists();
    }
    // Deferred right after the previous run; the writer's ticks pick it up shortly after.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Files.exists(b) && System.nanoTime() < deadline) {
      maintenance.tick();
      Thread.onSpinWait();
    }
    assertThat(b).doesNotExist();
    assertThat(c).exists();
  }

  @Test
  void retentionRunsOnTheMaintenanceThreadAndIsHandedOverOnceUntilItRuns() throws IOException {
    Path a = file("aaaaaaaaaaaa", 1, 30, 10);
    Path b = file("aaaaaaaaaaaa", 2, 20, 10);
    FolderMaintenance maintenance =
        maintenance(new RetentionPolicy(1, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.NONE);
    holdBack = true;

    // Start-up recovery runs on the caller; its retention is handed over.
    maintenance.start();
    assertThat(heldBack).hasSize(1);
    assertThat(a).exists();
    assertThat(maintenance.whenBackgroundDone().isDone()).isFalse();

    // Periodic retention is due, but one is waiting already: nothing more is handed over.
    clock.advance(Duration.ofSeconds(FolderMaintenance.PERIODIC_INTERVAL_SECONDS));
    maintenance.tick();
    assertThat(heldBack).hasSize(2); // the first, and the whenBackgroundDone() marker
    heldBack.remove(0).run();
    assertThat(a).doesNotExist();
    assertThat(b).exists();
    heldBack.remove(0).run();
    assertThat(maintenance.whenBackgroundDone().isDone()).isTrue();

    // Now it is handed over again, once, and runs there.
    Path c = file("aaaaaaaaaaaa", 3, 10, 10);
    clock.advance(Duration.ofSeconds(FolderMaintenance.PERIODIC_INTERVAL_SECONDS));
    maintenance.tick();
    maintenance.tick();
    assertThat(heldBack).hasSize(1);
    assertThat(b).exists();
    heldBack.remove(0).run();
    assertThat(b).doesNotExist();
    assertThat(c).exists();
  }

  @Test
  void aTickDoesNotWaitForARetentionThatIsDeleting() throws Exception {
    Path a = file("aaaaaaaaaaaa", 1, 30, 10);
    Path b = file("aaaaaaaaaaaa", 2, 20, 10);
    FolderMaintenance maintenance =
        maintenance(new RetentionPolicy(1, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.NONE);
    maintenance.start(); // Deletes a.
    assertThat(a).doesNotExist();
    file("aaaaaaaaaaaa", 3, 10, 10);
    CountDownLatch deleting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    maintenance.setRetentionListener(
        deleted -> {
          deleting.countDown();
          awaitQuietly(release);
        });
    holdBack = true;
    Thread retention = new Thread(maintenance::enforceRetention, "test-maintenance");
    retention.start();
    try {
      assertThat(deleting.await(10, TimeUnit.SECONDS)).isTrue();
      // That retention is in the middle of its deletions; the writer thread's calls go on.
      clock.advance(Duration.ofSeconds(FolderMaintenance.PERIODIC_INTERVAL_SECONDS));
      maintenance.start();
      maintenance.tick();
      assertThat(heldBack).as("the next retention, handed over").hasSize(1);
    } finally {
      release.countDown();
    }
    retention.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(retention.isAlive()).isFalse();
    assertThat(b).doesNotExist();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aFolderThatDoesNotExistYetHasNothingToRecoverAndNoWarning() throws IOException {
    Path folder = dir.resolve("traces");
    FolderMaintenance maintenance = keepingOneFileIn(folder);
    maintenance.start();
    assertThat(logs.records()).isEmpty();

    // Recovery ran (on nothing): files that appear later are left to the writer and retention.
    Files.createDirectories(folder);
    Path empty = folder.resolve("traces-20240101T000000.000Z-a-1.jsonl");
    Files.createFile(empty);
    maintenance.start();
    assertThat(empty).exists();
    assertThat(logs.records()).isEmpty();
  }

  @Test
  void recoveryThatCannotListTheFolderTriesAgainLater() throws IOException {
    Path folder = dir.resolve("traces");
    Files.writeString(folder, "not a folder yet");
    FolderMaintenance maintenance = keepingOneFileIn(folder);
    maintenance.start();
    assertThat(logs.records())
        .singleElement()
        .satisfies(
            record ->
                assertThat(record.getMessage())
                    .startsWith("Start-up recovery cannot list traces files in " + folder));
    assertThat(maintenance.enforceRetention()).isZero();

    Files.delete(folder);
    Files.createDirectories(folder);
    Path stale = folder.resolve(FileNames.temporaryName("traces-20240101T000000.000Z-a-1.jsonl"));
    Files.writeString(stale, "half");
    Files.writeString(folder.resolve("traces-20240101T000000.000Z-a-1.jsonl"), "{}\n");
    Files.writeString(folder.resolve("traces-20240101T000000.000Z-a-2.jsonl"), "{}\n");
    maintenance.tick();

    assertThat(FileListing.names(folder)).containsExactly("traces-20240101T000000.000Z-a-2.jsonl");
  }

  static String gunzip(Path path) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void retentionTellsItsListenerOfEveryFileItDeletes() throws IOException {
    Path a = file("bbbbbbbbbbbb", 1, 30, 10);
    Path b = file("bbbbbbbbbbbb", 2, 20, 10);
    Path c = file("bbbbbbbbbbbb", 3, 10, 10);
    FolderMaintenance maintenance =
        maintenance(new RetentionPolicy(1, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.NONE);
    List<Path> deleted = Collections.synchronizedList(new ArrayList<>());
    maintenance.setRetentionListener(deleted::add);

    assertThat(maintenance.enforceRetention()).isEqualTo(2);

    assertThat(deleted).containsExactly(a, b);
    assertThat(c).exists();
    assertThat(counters.filesDeleted.sum()).isEqualTo(2);
  }

  @Test
  void periodicRetentionRunsEveryTenSecondsOfTheWritersClock() throws IOException {
    Path a = file("bbbbbbbbbbbb", 1, 30, 10);
    FolderMaintenance maintenance =
        maintenance(new RetentionPolicy(1, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.NONE);
    maintenance.start();
    // Another process adds a file: nothing here was closed, so only the periodic run sees it.
    Path b = file("bbbbbbbbbbbb", 2, 20, 10);
    maintenance.tick();
    clock.advance(Duration.ofSeconds(FolderMaintenance.PERIODIC_INTERVAL_SECONDS).minusMillis(1));
    maintenance.tick();
    assertThat(a).as("not yet time").exists();

    clock.advance(Duration.ofMillis(1));
    maintenance.tick();
    assertThat(a).doesNotExist();
    assertThat(b).exists();
  }

  @Test
  void finishRunsRetentionAtOnceWhenNothingIsBeingCompressed() throws IOException {
    Path a = file("bbbbbbbbbbbb", 1, 30, 10);
    Path b = file("bbbbbbbbbbbb", 2, 20, 10);
    FolderMaintenance maintenance =
        maintenance(new RetentionPolicy(1, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.NONE);

    assertThat(maintenance.whenCompressed().isSuccess()).isTrue();
    CompletableResultCode finished = maintenance.finish();

    assertThat(finished.isSuccess()).as("at once").isTrue();
    assertThat(a).doesNotExist();
    assertThat(b).exists();
  }

  @Test
  void underGzipFinishRunsRetentionAfterTheCompressionsAskedFor() throws IOException {
    Path a = file("aaaaaaaaaaaa", 1, 30, 10);
    Path b = file("aaaaaaaaaaaa", 2, 20, 10);
    FolderMaintenance maintenance =
        maintenance(new RetentionPolicy(1, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.GZIP);
    maintenance.fileClosed(b);

    CompletableResultCode finished = maintenance.finish();
    assertThat(finished.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    // Both were compressed first; retention then kept the newest, compressed.
    assertThat(names()).containsExactly(b.getFileName() + ".gz");
    assertThat(a).doesNotExist();
    assertThat(counters.filesCompressed.sum()).isEqualTo(2);
    assertThat(maintenance.whenCompressed().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  @Test
  void aHeldFileCountsTowardTheLimitsSoTheNextOldestGoesInItsPlace() throws IOException {
    Path held = file("aaaaaaaaaaaa", 1, 50, 10);
    Path b = file("aaaaaaaaaaaa", 2, 40, 10);
    Path c = file("aaaaaaaaaaaa", 3, 30, 10);
    assertThat(OpenFiles.claim(held)).isTrue();
    try {
      assertThat(
              maintenance(new RetentionPolicy(2, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.NONE)
                  .enforceRetention())
          .isEqualTo(1);
    } finally {
      OpenFiles.release(held);
    }
    assertThat(held).exists();
    assertThat(b).doesNotExist();
    assertThat(c).exists();
  }

  @Test
  void aFileSomeoneElseDeletesFirstLeavesTheFolderWithinItsLimitsButIsNotCounted()
      throws IOException {
    Path a = file("aaaaaaaaaaaa", 1, 50, 10);
    Path b = file("aaaaaaaaaaaa", 2, 40, 10);
    Path c = file("aaaaaaaaaaaa", 3, 30, 10);
    Path d = file("aaaaaaaaaaaa", 4, 20, 10);
    FolderMaintenance maintenance =
        maintenance(new RetentionPolicy(2, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.NONE);
    List<Path> told = new ArrayList<>();
    maintenance.setRetentionListener(
        path -> {
          told.add(path);
          try {
            // Another process's retention, a step ahead of this one.
            Files.deleteIfExists(b);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });

    assertThat(maintenance.enforceRetention()).isEqualTo(1);

    assertThat(told).containsExactly(a);
    assertThat(names()).containsExactly(c.getFileName().toString(), d.getFileName().toString());
    assertThat(counters.filesDeleted.sum()).isEqualTo(1);
  }

  /** Waits, without sleeping, until the minimum interval since {@code sinceNanos} has passed. */
  private static void awaitMinimumInterval(long sinceNanos) {
    long interval = TimeUnit.MILLISECONDS.toNanos(FolderMaintenance.MIN_INTERVAL_MILLIS);
    while (System.nanoTime() - sinceNanos <= interval) {
      Thread.onSpinWait();
    }
  }

  @Test
  void onceTheMinimumIntervalHasPassedAClosedFileStartsRetentionAtOnce() throws IOException {
    Path a = file("aaaaaaaaaaaa", 1, 30, 10);
    Path b = file("aaaaaaaaaaaa", 2, 20, 10);
    FolderMaintenance maintenance =
        maintenance(new RetentionPolicy(1, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.NONE);
    maintenance.start();
    long ran = System.nanoTime();
    assertThat(a).doesNotExist();

    // Another process's file: nothing of this writer changed, so ticks leave retention alone.
    Path c = file("bbbbbbbbbbbb", 1, 15, 10);
    awaitMinimumInterval(ran);
    maintenance.tick();
    assertThat(b).as("no file closed, not yet periodic").exists();

    Path d = file("aaaaaaaaaaaa", 3, 10, 10);
    maintenance.fileClosed(d);
    assertThat(b).as("without waiting for a tick").doesNotExist();
    assertThat(c).doesNotExist();
    assertThat(d).exists();
  }

  @Test
  void retentionThatCannotListTheFolderLogsItAndDeletesNothing() throws IOException {
    Path missing = dir.resolve("gone");
    FolderMaintenance maintenance = keepingOneFileIn(missing);
    assertThat(maintenance.enforceRetention()).isZero();
    assertThat(logs.records())
        .singleElement()
        .satisfies(
            record ->
                assertThat(record.getMessage())
                    .startsWith("Retention could not list traces files in " + missing));
  }

  @Test
  void aFinishedCompressionStartsRetentionOnTheNextTickOnlyOnce() throws Exception {
    FolderMaintenance maintenance =
        maintenance(new RetentionPolicy(1, Long.MAX_VALUE, NO_AGE_LIMIT), Compression.GZIP);
    maintenance.start();
    long ran = System.nanoTime();
    Path a = file("bbbbbbbbbbbb", 1, 50, 10);
    Path b = file("aaaaaaaaaaaa", 1, 10, 10);
    maintenance.fileClosed(b);
    assertThat(maintenance.whenCompressed().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(a).as("retention waits for the compression").exists();

    awaitMinimumInterval(ran);
    maintenance.tick();
    assertThat(a).doesNotExist();
    long ranAgain = System.nanoTime();
    assertThat(names()).containsExactly(b.getFileName() + FileNames.GZIP_SUFFIX);

    // Another process's file: with no compression or close since, ticks leave it to the periodic
    // run.
    Path c = file("cccccccccccc", 1, 40, 10);
    awaitMinimumInterval(ranAgain);
    maintenance.tick();
    assertThat(c).exists();
    clock.advance(Duration.ofSeconds(FolderMaintenance.PERIODIC_INTERVAL_SECONDS));
    maintenance.tick();
    assertThat(c).doesNotExist();
  }
}
