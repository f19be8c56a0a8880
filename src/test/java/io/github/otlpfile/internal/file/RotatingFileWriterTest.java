package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.otlpfile.Compression;
import io.github.otlpfile.Durability;
import io.github.otlpfile.internal.ExporterCounters;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RotatingFileWriterTest {
  private static final RetentionPolicy KEEP_ALL =
      new RetentionPolicy(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

  @TempDir Path root;

  private final TestClock clock = TestClock.create(Instant.parse("2024-03-01T12:00:00Z"));
  private final ExporterCounters counters = new ExporterCounters();

  private RotatingFileWriter writer(Path dir, long maxFileSize, Duration maxFileAge) {
    return writer(dir, maxFileSize, maxFileAge, Durability.NONE);
  }

  private RotatingFileWriter writer(
      Path dir, long maxFileSize, Duration maxFileAge, Durability durability) {
    FolderMaintenance maintenance =
        new FolderMaintenance(
            new FileFolder(dir, "traces"),
            KEEP_ALL,
            Compression.NONE,
            durability,
            clock,
            counters,
            FileCompressor.shared());
    return new RotatingFileWriter(
        dir,
        "traces",
        "jsonl",
        "0123456789ab",
        clock,
        durability,
        new RollingPolicy(maxFileSize, maxFileAge.toNanos()),
        counters,
        maintenance);
  }

  /** A record of exactly {@code size} bytes ending in a newline, naming itself. */
  static ByteBuffer record(String name, int size) {
    StringBuilder text = new StringBuilder(name);
    while (text.length() < size - 1) {
      text.append('.');
    }
    text.append('\n');
    return ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Writes whole records, each its own piece. */
  private static void writeWhole(RotatingFileWriter writer, ByteBuffer... records)
      throws RotatingFileWriter.WriteFailedException {
    long[] recordBytes = new long[records.length];
    for (int r = 0; r < records.length; r++) {
      recordBytes[r] = records[r].remaining();
    }
    writer.write(records, recordBytes, false);
  }

  static ByteBuffer[] records(String prefix, int count, int size) {
    ByteBuffer[] records = new ByteBuffer[count];
    for (int i = 0; i < count; i++) {
      records[i] = record(prefix + i, size);
    }
    return records;
  }

  /** The files' contents in creation order, each as its list of record names. */
  static List<List<String>> contents(Path dir) throws IOException {
    List<List<String>> files = new ArrayList<>();
    for (FileFolder.Entry entry : new FileFolder(dir, "traces").list()) {
      List<String> names = new ArrayList<>();
      for (String line : Files.readAllLines(entry.getPlain())) {
        names.add(line.replace(".", ""));
      }
      files.add(names);
    }
    return files;
  }

  @Test
  void rollsBySizeBetweenRecordsAndNeverSplitsOne() throws IOException {
    Path dir = root.resolve("traces");
    RotatingFileWriter writer = writer(dir, 250, Duration.ofHours(1));

    writeWhole(writer, records("a", 5, 100));
    writeWhole(writer, new ByteBuffer[] {record("big", 600), record("b0", 100)});
    writer.close();

    assertThat(contents(dir))
        .containsExactly(
            List.of("a0", "a1"), List.of("a2", "a3"), List.of("a4"), List.of("big"), List.of("b0"));
    for (FileFolder.Entry entry : new FileFolder(dir, "traces").list()) {
      assertThat(entry.getSizeBytes() <= 250 || Files.readAllLines(entry.getPlain()).size() == 1)
          .as("%s is within the limit or holds one record", entry)
          .isTrue();
    }
    assertThat(counters.filesCreated.sum()).isEqualTo(5);
    assertThat(counters.bytesWritten.sum()).isEqualTo(1200);
  }

  @Test
  void rollsByAgeOnTickAndBeforeAWrite() throws IOException {
    Path dir = root.resolve("traces");
    RotatingFileWriter writer = writer(dir, 1 << 20, Duration.ofMinutes(10));

    writeWhole(writer, records("a", 2, 10));
    Path first = writer.getCurrentPath();
    clock.advance(Duration.ofMinutes(9));
    writer.tick();
    assertThat(writer.getCurrentPath()).isEqualTo(first);

    clock.advance(Duration.ofMinutes(1));
    writer.tick();
    assertThat(writer.getCurrentPath()).isNull();
    // Closed on the maintenance thread.
    assertThat(writer.whenRotatedClosed().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(OpenFiles.isClaimed(first)).isFalse();

    writeWhole(writer, records("b", 1, 10));
    Path second = writer.getCurrentPath();
    assertThat(second).isNotEqualTo(first);
    // The name carries the creation time of the clock.
    assertThat(second.getFileName().toString()).startsWith("traces-20240301T121000.000Z-");

    // Expired when the next write comes, before any tick: the write goes to a new file.
    clock.advance(Duration.ofMinutes(10));
    writeWhole(writer, records("c", 1, 10));
    writer.close();

    assertThat(contents(dir)).containsExactly(List.of("a0", "a1"), List.of("b0"), List.of("c0"));
  }

  @Test
  void filesAreOwnerOnlyAndCreatedFoldersToo() throws IOException {
    Path dir = root.resolve("nested").resolve("traces");
    RotatingFileWriter writer = writer(dir, 1 << 20, Duration.ofHours(1));
    writeWhole(writer, records("a", 1, 10));
    Path file = writer.getCurrentPath();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent())))
        .isEqualTo("rwx------");
    writer.close();
  }

  @Test
  void activeFileIsClaimedAndLockedSoRetentionSkipsIt() throws IOException {
    Path dir = root.resolve("traces");
    RotatingFileWriter writer = writer(dir, 1 << 20, Duration.ofHours(1));
    writeWhole(writer, records("a", 1, 10));
    Path active = writer.getCurrentPath();

    assertThat(OpenFiles.isClaimed(active)).isTrue();
    assertThat(FileFolder.tryDelete(active)).isEqualTo(FileFolder.Deletion.HELD);
    assertThat(active).exists();

    writer.close();
    assertThat(OpenFiles.isClaimed(active)).isFalse();
    assertThat(FileFolder.tryDelete(active)).isEqualTo(FileFolder.Deletion.DELETED);
    assertThat(FileFolder.tryDelete(active)).isEqualTo(FileFolder.Deletion.GONE);
  }

  @Test
  void aFileReachedThroughALinkedFolderIsStillKnownToBeOpen() throws IOException {
    Path dir = root.resolve("traces");
    RotatingFileWriter writer = writer(dir, 1 << 20, Duration.ofHours(1));
    writeWhole(writer, records("a", 1, 10));
    Path alias = Files.createSymbolicLink(root.resolve("alias"), dir);
    Path sameFile = alias.resolve(writer.getCurrentPath().getFileName());

    assertThat(OpenFiles.isClaimed(sameFile)).isTrue();
    assertThat(FileFolder.tryDelete(sameFile)).isEqualTo(FileFolder.Deletion.HELD);
    writer.close();
    assertThat(OpenFiles.isClaimed(sameFile)).isFalse();
  }

  @Test
  void failedRollKeepsWritingToTheCurrentFileAndRollsOnceTheFolderIsBack() throws IOException {
    Path dir = root.resolve("traces");
    Path moved = root.resolve("traces-moved");
    RotatingFileWriter writer = writer(dir, 100, Duration.ofHours(1));
    writeWhole(writer, records("a", 1, 60));

    // The folder disappears and a regular file takes its place: no new file can be created.
    Files.move(dir, moved);
    Files.writeString(dir, "not a folder");
    writeWhole(writer, records("b", 3, 60));
    assertThat(counters.filesCreated.sum()).isEqualTo(1);

    Files.delete(dir);
    Files.move(moved, dir);
    writeWhole(writer, records("c", 1, 60));
    writer.close();

    assertThat(contents(dir)).containsExactly(List.of("a0", "b0", "b1", "b2"), List.of("c0"));
  }

  @Test
  void writeWithoutAFileFailsWhileTheFolderIsGoneAndRecovers() throws IOException {
    Path dir = root.resolve("traces");
    Files.createDirectories(root);
    Files.writeString(dir, "not a folder");
    RotatingFileWriter writer = writer(dir, 1 << 20, Duration.ofHours(1));

    assertThatThrownBy(() -> writeWhole(writer, records("a", 2, 10)))
        .isInstanceOfSatisfying(
            RotatingFileWriter.WriteFailedException.class,
            e -> assertThat(e.getCompleteRecords()).isZero());

    Files.delete(dir);
    writeWhole(writer, records("b", 2, 10));
    writer.close();
    assertThat(contents(dir)).containsExactly(List.of("b0", "b1"));
  }

  @Test
  void neverWritesThroughALinkPlantedAtTheNextFileName() throws IOException {
    Path dir = root.resolve("traces");
    Path target = root.resolve("victim.txt");
    Files.writeString(target, "precious");
    RotatingFileWriter writer = writer(dir, 100, Duration.ofHours(1));
    writeWhole(writer, records("a", 1, 60));
    String first = writer.getCurrentPath().getFileName().toString();
    // The next name differs only in its sequence number: plant a link there.
    Path planted = dir.resolve(first.replace("-1.jsonl", "-2.jsonl"));
    Files.createSymbolicLink(planted, target);

    writeWhole(writer, records("b", 1, 60));
    writer.close();

    assertThat(Files.readString(target)).isEqualTo("precious");
    assertThat(Files.isSymbolicLink(planted)).isTrue();
    assertThat(contents(dir)).containsExactly(List.of("a0"), List.of("b0"));
  }

  @Test
  void neverWritesThroughALinkPlantedAsTheFolder() throws IOException {
    Path dir = root.resolve("traces");
    Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
    RotatingFileWriter writer = writer(dir, 100, Duration.ofHours(1));
    writeWhole(writer, records("a", 1, 60));
    Path moved = root.resolve("traces-moved");
    Files.move(dir, moved);
    Files.createSymbolicLink(dir, elsewhere);

    // The roll is refused, so the record goes on into the open file.
    writeWhole(writer, records("b", 1, 60));
    writer.close();
    // With no open file, a write fails instead.
    assertThatThrownBy(() -> writeWhole(writer, records("c", 1, 60)))
        .isInstanceOf(RotatingFileWriter.WriteFailedException.class)
        .hasMessageContaining("symbolic link");

    try (Stream<Path> files = Files.list(elsewhere)) {
      assertThat(files).isEmpty();
    }
    assertThat(contents(moved)).containsExactly(List.of("a0", "b0"));
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void everyDurabilityWritesAndClosesTheSameData(Durability durability) throws IOException {
    Path dir = root.resolve("traces");
    RotatingFileWriter writer = writer(dir, 150, Duration.ofHours(1), durability);
    writeWhole(writer, records("a", 3, 100));
    writer.close();
    assertThat(contents(dir)).containsExactly(List.of("a0"), List.of("a1"), List.of("a2"));
    assertThat(Files.isSymbolicLink(dir)).isFalse();
    assertThat(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  private RotatingFileWriter writer(
      Path dir, String extension, long maxFileSize, RetentionPolicy retention) {
    FolderMaintenance maintenance =
        new FolderMaintenance(
            new FileFolder(dir, "traces"),
            retention,
            Compression.NONE,
            Durability.NONE,
            clock,
            counters,
            FileCompressor.shared());
    return new RotatingFileWriter(
        dir,
        "traces",
        extension,
        "0123456789ab",
        clock,
        Durability.NONE,
        new RollingPolicy(maxFileSize, Duration.ofHours(1).toNanos()),
        counters,
        maintenance);
  }

  @Test
  void jsonLinesRecordsAreNumberedByLineAcrossCallsAndStreamedRecords() throws Exception {
    Path dir = root.resolve("traces");
    RotatingFileWriter writer = writer(dir, "jsonl", 1 << 20, KEEP_ALL);
    writeWhole(writer, record("a", 10), record("b", 10));
    assertThat(writer.getRecordPosition(0)).isEqualTo(1);
    assertThat(writer.getRecordPosition(1)).isEqualTo(2);
    Path file = writer.getCurrentPath();
    assertThat(writer.getRecordFile(1)).isEqualTo(file);

    // A record streamed over two calls, the second also holding a whole record after it.
    ByteBuffer first = ByteBuffer.wrap("{\"c\":".getBytes(StandardCharsets.UTF_8));
    writer.write(new ByteBuffer[] {first}, new long[] {8}, true);
    assertThat(writer.getRecordPosition(0)).isEqualTo(3);
    ByteBuffer rest = ByteBuffer.wrap("1}\n".getBytes(StandardCharsets.UTF_8));
    ByteBuffer d = record("d", 10);
    writer.write(new ByteBuffer[] {rest, d}, new long[] {0, 10}, false);
    assertThat(writer.getRecordPosition(1)).isEqualTo(4);
    assertThat(writer.getRecordFile(1)).isEqualTo(file);
    writeWhole(writer, record("e", 10));
    assertThat(writer.getRecordPosition(0)).isEqualTo(5);
    writer.close();
    assertThat(Files.readAllLines(file)).hasSize(5).element(2).isEqualTo("{\"c\":1}");
    assertThat(counters.bytesWritten.sum()).isEqualTo(Files.size(file));
  }

  @Test
  void protobufRecordsAreNumberedByTheByteOffsetOfTheirLengthPrefix() throws Exception {
    Path dir = root.resolve("traces");
    RotatingFileWriter writer = writer(dir, "binpb", 1 << 20, KEEP_ALL);
    writeWhole(writer, ByteBuffer.allocate(10), ByteBuffer.allocate(20), ByteBuffer.allocate(5));
    assertThat(writer.getRecordPosition(0)).isZero();
    assertThat(writer.getRecordPosition(1)).isEqualTo(10);
    assertThat(writer.getRecordPosition(2)).isEqualTo(30);
    writeWhole(writer, ByteBuffer.allocate(7));
    assertThat(writer.getRecordPosition(0)).isEqualTo(35);
    assertThat(writer.getCurrentPath().getFileName().toString()).endsWith(".binpb");
    writer.close();
  }

  @Test
  void filesClosedByRotationAreHandedToRetention() throws Exception {
    Path dir = root.resolve("traces");
    RotatingFileWriter writer =
        writer(dir, "jsonl", 100, new RetentionPolicy(2, Long.MAX_VALUE, Long.MAX_VALUE));
    for (int i = 0; i < 5; i++) {
      writeWhole(writer, record("r" + i, 80));
    }
    // Retention runs at most every so often; the writer's ticks catch up with what was closed.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              writer.tick();
              return new FileFolder(dir, "traces").list().size() == 2;
            });
    assertThat(contents(dir)).containsExactly(List.of("r3"), List.of("r4"));
    assertThat(counters.filesDeleted.sum()).isEqualTo(3);
    writer.close();
  }
}
