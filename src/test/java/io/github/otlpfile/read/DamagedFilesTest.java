package io.github.otlpfile.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed corpus of damaged files ({@code src/test/resources/damaged}, made by {@link
 * HostileInputFiles}) through the reader: each file's problems are the kinds {@code EXPECTED.tsv}
 * names, the records around them are still read, a strict reader throws {@link OtlpFileException}
 * for exactly the damaged ones, and no file makes the reader allocate much more than its record
 * limit, whatever its length prefixes announce or its gzip stream inflates to.
 */
class DamagedFilesTest {
  private static final long MAX_RECORD_BYTES = 1024 * 1024;
  // The record limit, its doubling growth, and the parsed records: far below a bomb's 100 MiB.
  private static final long MAX_ALLOCATED_BYTES = 24L * 1024 * 1024;

  static final class Expected {
    final Path file;
    final int records;
    final List<OtlpFileProblem.Kind> kinds;

    Expected(Path file, int records, List<OtlpFileProblem.Kind> kinds) {
      this.file = file;
      this.records = records;
      this.kinds = kinds;
    }

    @Override
    public String toString() {
      return root().relativize(file) + " -> " + records + " records, " + kinds;
    }
  }

  static Path root() {
    try {
      return Paths.get(DamagedFilesTest.class.getResource("/damaged").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Expected> corpus() throws IOException {
    List<Expected> corpus = new ArrayList<>();
    for (String line : Files.readAllLines(root().resolve("EXPECTED.tsv"), StandardCharsets.UTF_8)) {
      String[] cells = line.split("\t", -1);
      List<OtlpFileProblem.Kind> kinds =
          cells[2].isEmpty()
              ? List.of()
              : Arrays.stream(cells[2].split(","))
                  .map(OtlpFileProblem.Kind::valueOf)
                  .collect(Collectors.toList());
      corpus.add(new Expected(root().resolve(cells[0]), Integer.parseInt(cells[1]), kinds));
    }
    return corpus;
  }

  @Test
  void theManifestNamesEveryFileOfTheCorpus() throws IOException {
    List<Path> listed = corpus().stream().map(e -> e.file).sorted().collect(Collectors.toList());
    try (Stream<Path> files = Files.walk(root())) {
      assertThat(
              files
                  .filter(Files::isRegularFile)
                  .filter(f -> !f.getFileName().toString().equals("EXPECTED.tsv"))
                  .sorted())
          .containsExactlyElementsOf(listed);
    }
    assertThat(listed).hasSizeGreaterThan(20);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void eachFileReportsItsDamageAndTheRestIsRead(Expected expected) {
    long allocatedBefore = allocatedBytes();
    List<OtlpRecord> records = new ArrayList<>();
    List<OtlpFileProblem> problems;
    try (OtlpFileReader reader =
        OtlpFileReader.builder().setMaxRecordBytes(MAX_RECORD_BYTES).open(expected.file)) {
      for (OtlpRecord record : reader) {
        records.add(record);
        assertThat(record.getItemCount()).isPositive();
        assertThat(sdkItems(record)).isEqualTo(record.getItemCount());
      }
      problems = reader.getProblems();
    }
    long allocated = allocatedBytes() - allocatedBefore;

    assertThat(records).hasSize(expected.records);
    assertThat(problems).extracting(OtlpFileProblem::getKind).isEqualTo(expected.kinds);
    for (OtlpFileProblem problem : problems) {
      assertThat(problem.getFile()).isEqualTo(expected.file);
      assertThat(problem.toString()).contains(expected.file.getFileName().toString());
    }
    assertThat(allocated).as("bytes allocated to read it").isLessThan(MAX_ALLOCATED_BYTES);

    if (expected.kinds.isEmpty()) {
      assertThat(readStrictly(expected.file)).isEqualTo(expected.records);
    } else {
      assertThatThrownBy(() -> readStrictly(expected.file))
          .isInstanceOfSatisfying(
              OtlpFileException.class, e -> assertThat(e.getProblem()).isEqualTo(problems.get(0)));
    }
  }

  private static int readStrictly(Path file) {
    int records = 0;
    try (OtlpFileReader reader =
        OtlpFileReader.builder().setStrict(true).setMaxRecordBytes(MAX_RECORD_BYTES).open(file)) {
      for (OtlpRecord record : reader) {
        records++;
      }
    }
    return records;
  }

  @Test
  void theWholeCorpusReadAsOneFolderGivesEveryGoodRecordAndEveryProblem() throws IOException {
    List<Expected> corpus = corpus();
    int records = 0;
    List<OtlpFileProblem.Kind> kinds = new ArrayList<>();
    for (Expected expected : corpus) {
      records += expected.records;
      kinds.addAll(expected.kinds);
    }
    try (OtlpFileReader reader =
        OtlpFileReader.builder().setMaxRecordBytes(MAX_RECORD_BYTES).open(root())) {
      int read = 0;
      for (OtlpRecord record : reader) {
        read++;
      }
      assertThat(read).isEqualTo(records);
      assertThat(reader.getProblems())
          .extracting(OtlpFileProblem::getKind)
          .containsExactlyInAnyOrderElementsOf(kinds);
      assertThat(reader.getFilesRead()).isEqualTo(corpus.size());
    }
  }

  private static int sdkItems(OtlpRecord record) {
    switch (record.getSignal()) {
      case TRACES:
        return record.getSpans().size();
      case METRICS:
        return record.getMetrics().stream().mapToInt(m -> m.getData().getPoints().size()).sum();
      default:
        return record.getLogRecords().size();
    }
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
