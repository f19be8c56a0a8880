package io.github.otlpfile.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of {@link OtlpFileReader} through real files: whatever the bytes, the
 * lenient reader reads to the end and reports, the strict reader throws only {@link
 * OtlpFileException} and exactly when the lenient one reports a problem, and the records it returns
 * map to SDK data without throwing.
 *
 * <p>The first input byte chooses how the file is named and whether the test gzips it; the rest is
 * the file's content. {@code mvn test} runs the seeds in {@code OtlpFileReaderFuzzTestInputs};
 * {@code mvn verify} also fuzzes for a few seconds (see docs/RELIABILITY.md for a longer run).
 */
class OtlpFileReaderFuzzTest {
  // Small enough that the fuzzer reaches the over-the-limit paths with short inputs.
  private static final long MAX_RECORD_BYTES = 4096;
  // Reading a few KiB twice takes milliseconds; far longer means the reader is stuck. The first
  // inputs load (and, when fuzzing, instrument) most classes, which takes seconds: not timed.
  static final Duration MAX_TIME_PER_INPUT = Duration.ofSeconds(5);
  static final int UNTIMED_INPUTS = 20;
  private static int inputs;

  /** The file names a mode picks: by prefix, by folder, or by nothing at all. */
  private static final String[] NAMES = {
    "traces/traces-20240101T000000.000Z-abc123-1.jsonl",
    "metrics/metrics-20240101T000000.000Z-abc123-1.binpb",
    "logs/data.jsonl",
    "unnamed/data.binpb",
    "unnamed/record.jsonl",
    "unnamed/record.pb",
    "traces/traces_2.binpb",
    "logs/logs-1.binpb",
  };

  private static Path root;

  @BeforeAll
  static void createRoot() throws IOException {
    root = Files.createTempDirectory("otlp-reader-fuzz");
  }

  @AfterAll
  static void deleteRoot() throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
  }

  @FuzzTest(maxDuration = "20s")
  void readFile(byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    int mode = input[0] & 0xFF;
    byte[] content = Arrays.copyOfRange(input, 1, input.length);
    String name = NAMES[mode & 7];
    boolean gzipByTest = (mode & 8) != 0;
    boolean gzipName = gzipByTest || (mode & 16) != 0;
    Path file = root.resolve(name + (gzipName ? ".gz" : ""));
    Files.createDirectories(file.getParent());
    Files.write(file, gzipByTest ? gzip(content) : content);
    long start = System.nanoTime();
    try {
      check(file);
      if (++inputs > UNTIMED_INPUTS) {
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(MAX_TIME_PER_INPUT);
      }
    } finally {
      Files.delete(file);
    }
  }

  static void check(Path file) {
    List<OtlpFileProblem> listened = new ArrayList<>();
    int records = 0;
    List<OtlpFileProblem> problems;
    try (OtlpFileReader lenient =
        OtlpFileReader.builder()
            .setMaxRecordBytes(MAX_RECORD_BYTES)
            .setProblemListener(listened::add)
            .open(file)) {
      for (OtlpRecord record : lenient) {
        records++;
        useRecord(record);
      }
      problems = lenient.getProblems();
      assertThat(lenient.getProblemCount()).isEqualTo(problems.size());
      assertThat(lenient.getRecordsRead()).isEqualTo(records);
    }
    assertThat(listened).isEqualTo(problems);
    for (OtlpFileProblem problem : problems) {
      assertThat(problem.getFile()).isEqualTo(file);
      assertThat(problem.getPosition()).isNotNegative();
      assertThat(problem.getReason()).isNotBlank();
    }

    int strictRecords = 0;
    OtlpFileException thrown = null;
    try (OtlpFileReader strict =
        OtlpFileReader.builder().setStrict(true).setMaxRecordBytes(MAX_RECORD_BYTES).open(file)) {
      for (OtlpRecord record : strict) {
        strictRecords++;
        record.getItemCount();
      }
    } catch (OtlpFileException e) {
      thrown = e;
    }
    if (problems.isEmpty()) {
      assertThat(thrown).isNull();
      assertThat(strictRecords).isEqualTo(records);
    } else {
      assertThat(thrown).isNotNull();
      assertThat(thrown.getProblem()).isEqualTo(problems.get(0));
      assertThat(strictRecords).isLessThanOrEqualTo(records);
    }
  }

  private static void useRecord(OtlpRecord record) {
    assertThat(record.getSizeBytes()).isBetween(0, (int) MAX_RECORD_BYTES);
    int items;
    switch (record.getSignal()) {
      case TRACES:
        items = record.getSpans().size();
        break;
      case METRICS:
        items = record.getMetrics().size();
        break;
      default:
        items = record.getLogRecords().size();
    }
    assertThat(items).isNotNegative();
    assertThat(record.getItemCount()).isNotNegative();
    assertThat(record.toString()).isNotEmpty();
  }

  static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
