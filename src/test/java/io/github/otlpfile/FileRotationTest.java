package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.internal.file.FileNames;
import io.github.otlpfile.internal.file.OpenFiles;
import io.github.otlpfile.internal.file.TestSpans;
import io.github.otlpfile.read.OtlpFileProblem;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.support.FileListing;
import io.github.otlpfile.support.OtlpFileChecks;
import io.github.otlpfile.support.ReadBack;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rotation, retention, compression and failures through the public exporter API. */
class FileRotationTest {
  @TempDir Path dir;

  private Path traces() {
    return dir.resolve("traces");
  }

  private static boolean succeeded(CompletableResultCode result) {
    return result.join(30, TimeUnit.SECONDS).isSuccess();
  }

  private static boolean export(OtlpFileSpanExporter exporter, String batch, int spans) {
    return succeeded(exporter.export(TestSpans.batch(batch, spans)));
  }

  interface Condition {
    boolean holds() throws IOException;
  }

  /** Waits for a condition that the writer or compression thread brings about. */
  private static void await(String what, Condition condition) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  @Test
  void builderRejectsBadRetentionSettingsNamingThem() {
    assertThatThrownBy(
            () -> OtlpFileSpanExporter.builder().setDirectory(dir).setMaxFiles(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFiles must be > 0, but was 0");
    assertThatThrownBy(
            () -> OtlpFileSpanExporter.builder().setDirectory(dir).setMaxTotalSize(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxTotalSize must be > 0, but was -1");
    assertThatThrownBy(
            () ->
                OtlpFileLogRecordExporter.builder()
                    .setDirectory(dir)
                    .setMaxFileSize(2000)
                    .setMaxTotalSize(1000)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxTotalSize must be >= maxFileSize (2000), but was 1000");
    assertThatThrownBy(
            () ->
                OtlpFileMetricExporter.builder()
                    .setDirectory(dir)
                    .setMaxAge(Duration.ofSeconds(-5))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAge must be positive, but was PT-5S");
    assertThatThrownBy(() -> OtlpFileSpanExporter.builder().setMaxAge(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("maxAge");
    assertThatThrownBy(() -> OtlpFileSpanExporter.builder().setCompression(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("compression");
  }

  @Test
  void defaultsAreDocumentedConstantsAndShowInToString() {
    OtlpFileSpanExporter exporter = OtlpFileSpanExporter.builder().setDirectory(dir).build();
    try {
      assertThat(exporter.toString())
          .contains("maxFiles=" + OtlpFileExporterBuilder.DEFAULT_MAX_FILES)
          .contains("maxTotalSizeBytes=" + OtlpFileExporterBuilder.DEFAULT_MAX_TOTAL_SIZE_BYTES)
          .contains("maxAge=" + OtlpFileExporterBuilder.DEFAULT_MAX_AGE)
          .contains("compression=" + OtlpFileExporterBuilder.DEFAULT_COMPRESSION);
      assertThat(OtlpFileExporterBuilder.DEFAULT_MAX_TOTAL_SIZE_BYTES)
          .isGreaterThanOrEqualTo(OtlpFileExporterBuilder.DEFAULT_MAX_FILE_SIZE_BYTES);
    } finally {
      exporter.shutdown();
    }
  }

  @Test
  void createdFoldersAreOwnerOnly() throws IOException {
    Path nested = dir.resolve("a").resolve("b");
    OtlpFileSpanExporter.builder().setDirectory(nested).build().shutdown();
    for (Path folder : List.of(dir.resolve("a"), nested, nested.resolve("traces"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
          .as("%s", folder)
          .isEqualTo("rwx------");
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void gzipRoundTripThroughTheSdk(OtlpFileFormat format) throws Exception {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setCompression(Compression.GZIP)
            .setMaxFileSize(8 * 1024)
            .build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(
                BatchSpanProcessor.builder(exporter).setMaxExportBatchSize(25).build())
            .build();
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      provider.get("test").spanBuilder("span-" + i).startSpan().end();
      expected.add("span-" + i);
    }
    assertThat(succeeded(provider.shutdown())).isTrue();

    // Shutdown waits for the last compression: nothing plain or temporary is left.
    List<String> names = FileListing.names(traces());
    assertThat(names)
        .hasSizeGreaterThan(2)
        .allMatch(n -> n.endsWith("." + format.getFileExtension() + ".gz"));
    List<String> spans = spanNames(traces());
    assertThat(spans).hasSize(500);
    assertThat(new HashSet<>(spans)).isEqualTo(expected);
    assertThat(exporter.getStats().getFilesCreated()).isEqualTo(names.size());
    for (String name : names) {
      Path file = traces().resolve(name);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(ReadBack.leniently(file).problems()).as(name).isEmpty();
    }
    OtlpFileChecks.assertWellFormed(dir, OtlpSignal.TRACES, format);
    assertZcatReads(traces().resolve(names.get(0)));
  }

  /** The system's own zcat, where there is one, reads what GZIPInputStream reads. */
  private static void assertZcatReads(Path gz) throws Exception {
    Path zcat =
        List.of(Paths.get("/usr/bin/zcat"), Paths.get("/bin/zcat")).stream()
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    byte[] expected;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      expected = in.readAllBytes();
    }
    assertThat(expected).isNotEmpty();
    if (zcat == null) {
      return;
    }
    Process process = new ProcessBuilder(zcat.toString(), gz.toString()).start();
    byte[] actual = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void retentionByCountKeepsTheNewestFiles() throws IOException {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setMaxFileSize(1024) // Every batch below is larger: one file each.
            .setMaxFiles(3)
            .build();
    for (int i = 0; i < 10; i++) {
      assertThat(export(exporter, "b" + i, 10)).isTrue();
    }
    assertThat(succeeded(exporter.shutdown())).isTrue();

    assertThat(FileListing.names(traces())).hasSize(3);
    assertThat(new HashSet<>(spanNames(traces())))
        .containsAll(TestSpansNames.of(10, "b7", "b8", "b9"));
    assertThat(exporter.getStats().getFilesCreated()).isEqualTo(10);
    assertThat(exporter.getStats().getFilesDeleted()).isEqualTo(7);
  }

  @Test
  void retentionBySizeCountsCompressedFiles() throws IOException {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setCompression(Compression.GZIP)
            .setMaxFileSize(1024)
            .setMaxTotalSize(8192)
            .build();
    for (int i = 0; i < 20; i++) {
      assertThat(export(exporter, "b" + i, 10)).isTrue();
      // Let compression catch up: a file waiting for it counts with its plain size, which is
      // what it takes on disk until then.
      await("closed files are compressed", () -> plainFiles() == 1);
    }
    assertThat(succeeded(exporter.shutdown())).isTrue();

    long total = 0;
    for (String name : FileListing.names(traces())) {
      assertThat(name).endsWith(".gz");
      total += Files.size(traces().resolve(name));
    }
    assertThat(total).isLessThanOrEqualTo(8192);
    // Each batch is about 3 KB as JSON and under 1 KB gzipped: only two plain files would fit.
    int kept = FileListing.names(traces()).size();
    assertThat(kept).isGreaterThanOrEqualTo(3).isLessThan(20);
    assertThat(exporter.getStats().getFilesDeleted()).isEqualTo(20 - kept);
    assertThat(spanNames(traces())).containsAll(TestSpansNames.of(10, "b19"));
  }

  private long plainFiles() throws IOException {
    return FileListing.names(traces()).stream()
        .filter(n -> !n.startsWith(".") && !n.endsWith(".gz"))
        .count();
  }

  @Test
  void leftoversOfEarlierRunsAreRecoveredAndRetired() throws IOException {
    Files.createDirectories(traces());
    Instant old = Instant.now().minus(Duration.ofDays(8));
    Path expired =
        traces()
            .resolve(
                FileNames.fileName(
                    "traces",
                    TimeUnit.MILLISECONDS.toNanos(old.toEpochMilli()),
                    "a0a0a0a0a0a0",
                    1,
                    "jsonl"));
    Files.writeString(expired, "{}\n");
    Files.setLastModifiedTime(expired, FileTime.from(old));
    Path recent =
        traces()
            .resolve(
                FileNames.fileName(
                    "traces",
                    TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()),
                    "b0b0b0b0b0b0",
                    1,
                    "jsonl"));
    Files.writeString(recent, "{\"resourceSpans\":[]}\n{\"resourceSp");
    Path temporary = traces().resolve(FileNames.temporaryName(recent.getFileName().toString()));
    Files.writeString(temporary, "half");

    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder().setDirectory(dir).setCompression(Compression.GZIP).build();
    await(
        "recovery is done",
        () ->
            exporter.getStats().getFilesDeleted() == 1
                && FileListing.names(traces()).equals(List.of(recent.getFileName() + ".gz")));
    // The torn tail of the killed run is kept as it was, and never followed by new data.
    ReadBack.FileRead contents = ReadBack.leniently(traces().resolve(recent.getFileName() + ".gz"));
    assertThat(contents.records()).hasSize(1);
    assertThat(contents.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getKind()).isEqualTo(OtlpFileProblem.Kind.TRUNCATED_TAIL);
              assertThat(p.getPosition()).isEqualTo(2);
            });

    assertThat(export(exporter, "new", 3)).isTrue();
    assertThat(succeeded(exporter.shutdown())).isTrue();
    assertThat(FileListing.names(traces())).hasSize(2);
  }

  @Test
  void rotatesByAgeWhileIdleWithAnInjectedClock() throws IOException {
    TestClock clock = TestClock.create(Instant.now());
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setClock(clock)
            .setCompression(Compression.GZIP)
            .setMaxFileAge(Duration.ofMinutes(10))
            .build();
    assertThat(export(exporter, "first", 3)).isTrue();
    List<String> names = FileListing.names(traces());
    assertThat(names).hasSize(1).allMatch(n -> n.endsWith(".jsonl"));

    clock.advance(Duration.ofMinutes(10));
    // No export comes; the writer's timer closes the file and it gets compressed.
    await(
        "the idle file is rotated",
        () -> FileListing.names(traces()).equals(List.of(names.get(0) + ".gz")));

    assertThat(export(exporter, "second", 3)).isTrue();
    assertThat(succeeded(exporter.shutdown())).isTrue();
    assertThat(FileListing.names(traces())).hasSize(2);
    assertThat(spanNames(traces()))
        .containsExactlyElementsOf(TestSpansNames.of(3, "first", "second"));
  }

  @Test
  void everyWriteResultCompletesWithTheDataInTheFile() throws IOException {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setDurability(Durability.EVERY_WRITE)
            .build();
    for (int i = 0; i < 5; i++) {
      assertThat(export(exporter, "b" + i, 2)).isTrue();
      // Read while the file is still open: the result came after the write (and its fsync).
      assertThat(spanNames(traces())).containsAll(TestSpansNames.of(2, "b" + i));
    }
    assertThat(succeeded(exporter.shutdown())).isTrue();
  }

  @Test
  void aFolderThatBecomesAFileFailsExportsUntilItIsBack() throws IOException {
    TestClock clock = TestClock.create(Instant.now());
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setClock(clock)
            .setMaxFileSize(1024)
            .setMaxFileAge(Duration.ofMinutes(1))
            .build();
    assertThat(export(exporter, "a", 10)).isTrue();

    // The folder is moved away and a regular file put in its place: no new file can be made.
    Path moved = dir.resolve("traces-moved");
    Files.move(traces(), moved);
    Files.writeString(traces(), "in the way");
    // Rolling fails, so these go on into the open file (now in the moved folder).
    assertThat(export(exporter, "b", 10)).isTrue();
    assertThat(export(exporter, "c", 10)).isTrue();
    // Once that file is closed by age, exports have nowhere to go and fail.
    // The writer knows its file by the path it created it at.
    Path open;
    try (var files = Files.list(moved)) {
      open =
          files
              .map(f -> traces().resolve(f.getFileName()))
              .filter(OpenFiles::isClaimed)
              .findFirst()
              .orElseThrow();
    }
    clock.advance(Duration.ofMinutes(1));
    await("the writer's timer closes the file", () -> !OpenFiles.isClaimed(open));
    assertThat(export(exporter, "lost", 10)).isFalse();
    assertThat(exporter.getStats().getFailedItems()).isEqualTo(10);

    Files.delete(traces());
    Files.move(moved, traces());
    assertThat(export(exporter, "d", 10)).isTrue();
    assertThat(succeeded(exporter.shutdown())).isTrue();

    assertThat(spanNames(traces()))
        .containsExactlyElementsOf(TestSpansNames.of(10, "a", "b", "c", "d"));
    assertThat(exporter.getStats().getExportedItems()).isEqualTo(40);
  }

  @Test
  void aLinkPlantedAsTheFolderIsNotWrittenThrough() throws IOException {
    OtlpFileSpanExporter exporter = OtlpFileSpanExporter.builder().setDirectory(dir).build();
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.delete(traces());
    Files.createSymbolicLink(traces(), elsewhere);

    assertThat(export(exporter, "a", 3)).isFalse();
    assertThat(FileListing.names(elsewhere)).isEmpty();

    Files.delete(traces());
    assertThat(export(exporter, "b", 3)).isTrue();
    assertThat(succeeded(exporter.shutdown())).isTrue();
    assertThat(spanNames(traces())).containsExactlyElementsOf(TestSpansNames.of(3, "b"));
    assertThat(FileListing.names(elsewhere)).isEmpty();
    Files.move(traces(), dir.resolve("kept"));
    Files.createSymbolicLink(traces(), elsewhere);
    assertThatThrownBy(() -> OtlpFileSpanExporter.builder().setDirectory(dir).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("symbolic link");
  }

  @Test
  void aFailedCompressionKeepsThePlainFile() throws IOException {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setCompression(Compression.GZIP)
            .setMaxFileSize(1024)
            .build();
    assertThat(export(exporter, "a", 10)).isTrue();
    String first = FileListing.names(traces()).get(0);
    // A non-empty folder where the compressed file must go makes its compression fail.
    Path blocker = Files.createDirectories(traces().resolve(first + ".gz"));
    Files.writeString(blocker.resolve("inside"), "x");

    assertThat(export(exporter, "b", 10)).isTrue();
    assertThat(succeeded(exporter.shutdown())).isTrue();

    List<String> names = FileListing.names(traces());
    assertThat(names).contains(first, first + ".gz").hasSize(3);
    assertThat(ReadBack.leniently(traces().resolve(first)).spanNames())
        .containsExactlyElementsOf(TestSpansNames.of(10, "a"));
    assertThat(spanNames(traces())).containsExactlyElementsOf(TestSpansNames.of(10, "a", "b"));
  }

  @Test
  void twoExportersSharingAFolderNeverDeleteEachOthersActiveFile() throws IOException {
    OtlpFileSpanExporter a =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setMaxFileSize(1024)
            .setMaxFiles(2)
            .build();
    OtlpFileSpanExporter b =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(OtlpFileFormat.PROTOBUF)
            .setMaxFileSize(1024)
            .setMaxFiles(2)
            .build();
    for (int i = 0; i < 8; i++) {
      assertThat(export(a, "a" + i, 10)).isTrue();
      assertThat(export(b, "b" + i, 10)).isTrue();
      // Both active files count against the limit of two, so every closed file goes; the
      // active ones, holding the latest batches, always stay.
      assertThat(spanNamesOfFilesStillThere()).containsAll(TestSpansNames.of(10, "a" + i, "b" + i));
    }
    assertThat(succeeded(a.shutdown())).isTrue();
    assertThat(succeeded(b.shutdown())).isTrue();
    assertThat(FileListing.names(traces())).hasSizeLessThanOrEqualTo(2);
    assertThat(a.getStats().getFilesDeleted() + b.getStats().getFilesDeleted()).isGreaterThan(10);
  }

  /** The names of every span in {@code folder}, in file order; damage fails. */
  private static List<String> spanNames(Path folder) {
    List<String> names = new ArrayList<>();
    for (ExportTraceServiceRequest request : ReadBack.traceRequests(folder)) {
      names.addAll(ReadBack.spanNames(request));
    }
    return names;
  }

  /** Span names in the files, skipping closed files that retention deletes while we read. */
  private List<String> spanNamesOfFilesStillThere() {
    List<String> names = new ArrayList<>();
    try (OtlpFileReader reader = OtlpFileReader.open(traces())) {
      for (OtlpRecord record : reader) {
        names.addAll(ReadBack.spanNames(record.getTraceRequest()));
      }
      // Only files deleted by retention after the listing, which were closed files.
      assertThat(reader.getProblems())
          .allSatisfy(
              p -> {
                assertThat(p.getKind()).isEqualTo(OtlpFileProblem.Kind.UNREADABLE_FILE);
                assertThat(p.getReason()).isEqualTo("no such file or folder");
              });
    }
    return names;
  }

  /** The span names {@link TestSpans#batch} gives batches of {@code size} spans. */
  static final class TestSpansNames {
    static List<String> of(int size, String... batches) {
      List<String> names = new ArrayList<>();
      for (String batch : batches) {
        for (int i = 0; i < size; i++) {
          names.add(batch + "-" + i);
        }
      }
      return names;
    }
  }
}
