package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.Compression;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.github.otlpfile.read.OtlpFileProblem;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.support.ChildJvm;
import io.github.otlpfile.support.FileListing;
import io.github.otlpfile.support.ReadBack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that writes through the real exporter with SIGKILL at random moments, again and
 * again into the same folder, and checks what it leaves: every file decodes, only a file's last
 * record may be torn, no record is split, and every export that had reported success under
 * EVERY_WRITE is in the files exactly once. Each new child recovers what the last one left.
 */
class CrashRecoveryTest {
  private static final int KILLS = 10;
  private static final Pattern ACK = Pattern.compile("ok (\\S+);");

  @TempDir Path dir;

  @Test
  void killedWritersLeaveOnlyReadableFilesWithEveryAcknowledgedExport() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Set<String> acknowledged = new HashSet<>();
    int tornTails = 0;
    for (int run = 0; run < KILLS; run++) {
      OtlpFileFormat format = run % 2 == 0 ? OtlpFileFormat.JSON_LINES : OtlpFileFormat.PROTOBUF;
      Compression compression = run % 4 < 2 ? Compression.GZIP : Compression.NONE;
      int acksBeforeKill = 1 + random.nextInt(120);
      try (ChildJvm child =
          ChildJvm.start(
              CrashingWriterMain.class,
              dir.toString(),
              Integer.toString(run),
              format.name(),
              compression.name())) {
        assertThat(child.nextLine(Duration.ofSeconds(60))).isEqualTo("ready");
        for (int i = 0; i < acksBeforeKill; i++) {
          addAcknowledged(child.nextLine(Duration.ofSeconds(60)), acknowledged);
        }
        child.kill();
        for (String line : child.remainingLines(Duration.ofSeconds(30))) {
          addAcknowledged(line, acknowledged);
        }
      }
      tornTails += checkFiles(acknowledged, "seed " + seed + ", after kill " + (run + 1));
    }

    // A new exporter recovers the folder: temporary files go, leftovers are compressed.
    OtlpFileSpanExporter recovering =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setCompression(Compression.GZIP)
            .setMaxFiles(Integer.MAX_VALUE)
            .setMaxTotalSize(Long.MAX_VALUE)
            .build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!allCompressed() && System.nanoTime() < deadline) {
      recovering.flush().join(1, TimeUnit.SECONDS);
    }
    assertThat(recovering.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(allCompressed()).as("every leftover compressed, no temporary file").isTrue();
    checkFiles(acknowledged, "seed " + seed + ", after recovery");
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(KILLS);
    System.out.println(
        "kills=" + KILLS + " acknowledged=" + acknowledged.size() + " tornTails=" + tornTails);
  }

  private static void addAcknowledged(String line, Set<String> acknowledged) {
    Matcher m = line == null ? null : ACK.matcher(line);
    if (m != null && m.matches()) {
      acknowledged.add(m.group(1));
    }
  }

  private boolean allCompressed() throws IOException {
    for (String name : FileListing.names(dir.resolve("traces"))) {
      if (!name.endsWith(".gz")) {
        return false;
      }
    }
    return true;
  }

  /** Checks every file; returns how many have a torn last record. */
  private int checkFiles(Set<String> acknowledged, String when) throws IOException {
    Path traces = dir.resolve("traces");
    Map<String, String> filePerBatch = new HashMap<>();
    int torn = 0;
    for (Path file : listFiles(traces)) {
      ReadBack.FileRead contents = ReadBack.leniently(file);
      // Only the last record of a file may be torn; nothing else may be wrong with it.
      assertThat(contents.problems())
          .as("%s: %s", when, file)
          .hasSizeLessThanOrEqualTo(1)
          .allSatisfy(
              p -> {
                assertThat(p.getKind()).isEqualTo(OtlpFileProblem.Kind.TRUNCATED_TAIL);
                assertThat(p.getPosition()).isEqualTo(contents.endOfWholeRecords());
              });
      torn += contents.problems().size();
      for (OtlpRecord record : contents.records()) {
        // One record is one whole export.
        List<String> names = ReadBack.spanNames(record.getTraceRequest());
        assertThat(names).as("%s: %s", when, file).hasSize(CrashingWriterMain.SPANS_PER_BATCH);
        String batch = names.get(0).substring(0, names.get(0).lastIndexOf('-'));
        String previous = filePerBatch.put(batch, file.getFileName().toString());
        assertThat(previous)
            .as("%s: batch %s written once, also in %s", when, batch, file)
            .isNull();
      }
      long plainBytes = plainSize(file);
      assertThat(plainBytes <= CrashingWriterMain.MAX_FILE_SIZE || contents.records().size() <= 1)
          .as(
              "%s: %s (%d bytes) is within the size limit or holds one record",
              when, file, plainBytes)
          .isTrue();
    }
    for (String batch : acknowledged) {
      assertThat(filePerBatch).as("%s: acknowledged batch %s", when, batch).containsKey(batch);
    }
    return torn;
  }

  /**
   * Every OTLP trace file in {@code directory}, oldest first. Where both {@code x} and {@code x.gz}
   * exist (a crash in the instant between the two last steps of a compression), both are complete
   * and only {@code x.gz} is read: the next exporter's recovery deletes {@code x}.
   */
  private static List<Path> listFiles(Path directory) throws IOException {
    List<Path> files = new ArrayList<>();
    for (FileFolder.Entry entry : new FileFolder(directory, "traces").list()) {
      files.add(entry.getCompressed() != null ? entry.getCompressed() : entry.getPlain());
    }
    return files;
  }

  private static long plainSize(Path file) throws IOException {
    if (!file.getFileName().toString().endsWith(".gz")) {
      return Files.size(file);
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return in.transferTo(OutputStream.nullOutputStream());
    }
  }
}
