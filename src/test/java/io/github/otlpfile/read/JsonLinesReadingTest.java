package io.github.otlpfile.read;

import static io.github.otlpfile.read.BinaryReadingTest.readAll;
import static io.github.otlpfile.read.ReaderFiles.gzip;
import static io.github.otlpfile.read.ReaderFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.github.otlpfile.OtlpFileFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesReadingTest {
  private static final String SPAN =
      "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"%032x\",\"spanId\":\"%016x\","
          + "\"name\":\"%s\",\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\"}]}]}]}";
  private static final String LOG =
      "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"5\","
          + "\"body\":{\"stringValue\":\"%s\"}}]}]}]}";

  @TempDir Path dir;

  static String span(int id, String name) {
    return String.format(SPAN, id, id, name);
  }

  static String log(String body) {
    return String.format(LOG, body);
  }

  private static String spanName(OtlpRecord record) {
    return record.getTraceRequest().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName();
  }

  @Test
  void readsLinesWithTheirLineNumbers() {
    Path file =
        write(
            dir.resolve("traces/t.jsonl"),
            bytes(span(1, "a") + "\n\n  \n" + span(2, "b") + "\r\n" + span(3, "c") + "\n"));

    OtlpFileReader reader = OtlpFileReader.open(file);
    List<OtlpRecord> records = readAll(reader);

    assertThat(records)
        .extracting(JsonLinesReadingTest::spanName, OtlpRecord::getPosition)
        .containsExactly(tuple("a", 1L), tuple("b", 4L), tuple("c", 5L));
    assertThat(records.get(0).getFormat()).isEqualTo(OtlpFileFormat.JSON_LINES);
    assertThat(records.get(0).getSizeBytes()).isEqualTo(span(1, "a").length());
    assertThat(reader.getProblems()).isEmpty();
  }

  @Test
  void byteOrderMarkIsSkipped() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    Path file = write(dir.resolve("traces/t.jsonl"), ReaderFiles.concat(bom, bytes(span(1, "a"))));

    OtlpFileReader reader = OtlpFileReader.open(file);

    assertThat(readAll(reader)).extracting(JsonLinesReadingTest::spanName).containsExactly("a");
    assertThat(reader.getProblems()).isEmpty();
  }

  @Test
  void lastLineWithoutLineEndIsReadWhenWhole() {
    Path file = write(dir.resolve("traces/t.jsonl"), bytes(span(1, "a") + "\n" + span(2, "b")));

    OtlpFileReader reader = OtlpFileReader.open(file);

    assertThat(readAll(reader))
        .extracting(JsonLinesReadingTest::spanName)
        .containsExactly("a", "b");
    assertThat(reader.getProblems()).isEmpty();
  }

  @Test
  void tornLastLineIsATruncatedTail() {
    String torn = span(2, "b").substring(0, 40);
    Path file = write(dir.resolve("traces/t.jsonl"), bytes(span(1, "a") + "\n" + torn));

    OtlpFileReader reader = OtlpFileReader.open(file);

    assertThat(readAll(reader)).hasSize(1);
    assertThat(reader.getProblems())
        .extracting(OtlpFileProblem::getKind, OtlpFileProblem::getPosition)
        .containsExactly(tuple(OtlpFileProblem.Kind.TRUNCATED_TAIL, 2L));
    assertThat(reader.getProblems().get(0).toString()).contains("t.jsonl line 2: TRUNCATED_TAIL");
  }

  @Test
  void corruptMiddleLineIsReportedAndTheNextLineRead() {
    Path file =
        write(
            dir.resolve("traces/t.jsonl"),
            bytes(span(1, "a") + "\n{\"resourceSpans\":[{]}\n" + span(3, "c") + "\n"));

    OtlpFileReader reader = OtlpFileReader.open(file);

    assertThat(readAll(reader))
        .extracting(JsonLinesReadingTest::spanName)
        .containsExactly("a", "c");
    assertThat(reader.getProblems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getKind()).isEqualTo(OtlpFileProblem.Kind.INVALID_RECORD);
              assertThat(p.getPosition()).isEqualTo(2);
              assertThat(p.getFile()).isEqualTo(file);
              assertThat(p.getReason()).isNotBlank();
            });
  }

  @Test
  void lineOfAnotherSignalInASignalFolderIsWrongSignal() {
    Path file =
        write(
            dir.resolve("traces/t.jsonl"),
            bytes(span(1, "a") + "\n" + log("x") + "\n" + span(3, "c") + "\n"));

    OtlpFileReader reader = OtlpFileReader.open(file);

    assertThat(readAll(reader))
        .extracting(JsonLinesReadingTest::spanName)
        .containsExactly("a", "c");
    assertThat(reader.getProblems())
        .extracting(
            OtlpFileProblem::getKind, OtlpFileProblem::getPosition, OtlpFileProblem::getReason)
        .containsExactly(
            tuple(
                OtlpFileProblem.Kind.WRONG_SIGNAL,
                2L,
                "a logs record where the file's name says traces"));
  }

  @Test
  void unnamedFileMayMixSignals() {
    Path file = write(dir.resolve("capture.json"), bytes(span(1, "a") + "\n" + log("x") + "\n"));

    OtlpFileReader reader = OtlpFileReader.open(file);

    assertThat(readAll(reader))
        .extracting(OtlpRecord::getSignal)
        .containsExactly(OtlpSignal.TRACES, OtlpSignal.LOGS);
    assertThat(reader.getProblems()).isEmpty();
  }

  @Test
  void lineOverTheLimitIsSkippedWithoutBeingHeld() {
    String big = span(2, "x".repeat(5000));
    Path file =
        write(
            dir.resolve("traces/t.jsonl"),
            bytes(span(1, "a") + "\n" + big + "\n" + span(3, "c") + "\n" + big));

    OtlpFileReader reader = OtlpFileReader.builder().setMaxRecordBytes(1000).open(file);

    assertThat(readAll(reader))
        .extracting(JsonLinesReadingTest::spanName)
        .containsExactly("a", "c");
    assertThat(reader.getProblems())
        .extracting(OtlpFileProblem::getKind, OtlpFileProblem::getPosition)
        .containsExactly(
            tuple(OtlpFileProblem.Kind.RECORD_TOO_LARGE, 2L),
            tuple(OtlpFileProblem.Kind.RECORD_TOO_LARGE, 4L));
    assertThat(reader.getProblems().get(0).getReason())
        .contains(big.length() + " bytes is over the limit of 1000 bytes");
  }

  @Test
  void emptyAndGarbageFiles() {
    Path empty = write(dir.resolve("traces/a-empty.jsonl"), new byte[0]);
    Path garbage = write(dir.resolve("traces/b-garbage.jsonl"), new byte[] {0, 1, 2, '\n', 'x'});

    OtlpFileReader reader = OtlpFileReader.open(dir);

    assertThat(readAll(reader)).isEmpty();
    assertThat(reader.getProblems())
        .extracting(
            OtlpFileProblem::getFile, OtlpFileProblem::getKind, OtlpFileProblem::getPosition)
        .containsExactly(
            tuple(garbage, OtlpFileProblem.Kind.INVALID_RECORD, 1L),
            tuple(garbage, OtlpFileProblem.Kind.TRUNCATED_TAIL, 2L));
    assertThat(empty).exists();
  }

  @Test
  void gzipFileCutShortKeepsItsWholeLines() {
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      content.append(span(i + 1, "span" + i)).append('\n');
    }
    byte[] compressed = gzip(bytes(content.toString()));
    Path file =
        write(dir.resolve("traces/t.jsonl.gz"), Arrays.copyOf(compressed, compressed.length / 2));

    OtlpFileReader reader = OtlpFileReader.open(file);
    List<OtlpRecord> records = readAll(reader);

    assertThat(records).isNotEmpty().hasSizeLessThan(2000);
    for (int i = 0; i < records.size(); i++) {
      assertThat(spanName(records.get(i))).isEqualTo("span" + i);
    }
    assertThat(reader.getProblems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getKind()).isEqualTo(OtlpFileProblem.Kind.TRUNCATED_TAIL);
              assertThat(p.getPosition()).isEqualTo(records.size() + 1);
            });
  }

  @Test
  void strictReaderThrowsAtTheFirstBadLine() {
    Path file = write(dir.resolve("traces/t.jsonl"), bytes(span(1, "a") + "\nnot json\n"));

    OtlpFileReader reader = OtlpFileReader.builder().setStrict(true).open(file);

    assertThatThrownBy(() -> readAll(reader))
        .isInstanceOf(OtlpFileException.class)
        .hasMessageStartingWith(file + " line 2: INVALID_RECORD: ");
  }

  @Test
  void formatOfAFileWithAnotherNameIsTakenFromItsContent() {
    Path json = write(dir.resolve("spans.txt"), bytes(span(1, "a") + "\n"));
    Path binary = write(dir.resolve("spans.bin"), ReaderFiles.framed(ReaderFiles.traces("b", 1)));

    OtlpFileReader reader = OtlpFileReader.open(json, binary);

    assertThat(readAll(reader))
        .extracting(OtlpRecord::getFormat)
        .containsExactly(OtlpFileFormat.JSON_LINES, OtlpFileFormat.PROTOBUF);
    assertThat(reader.getProblems()).isEmpty();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
