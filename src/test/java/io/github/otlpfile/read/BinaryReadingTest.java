package io.github.otlpfile.read;

import static io.github.otlpfile.read.ReaderFiles.concat;
import static io.github.otlpfile.read.ReaderFiles.framed;
import static io.github.otlpfile.read.ReaderFiles.gzip;
import static io.github.otlpfile.read.ReaderFiles.logs;
import static io.github.otlpfile.read.ReaderFiles.metrics;
import static io.github.otlpfile.read.ReaderFiles.traces;
import static io.github.otlpfile.read.ReaderFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.OtlpFileFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinaryReadingTest {
  @TempDir Path dir;

  @Test
  void readsRecordsWithTheirPositions() {
    byte[] first = framed(traces("a", 2));
    byte[] second = framed(traces("b", 3));
    Path file = write(dir.resolve("traces/traces-1.binpb"), concat(first, second));

    List<OtlpRecord> records = readAll(OtlpFileReader.open(file));

    assertThat(records).hasSize(2);
    assertThat(records.get(0).getSignal()).isEqualTo(OtlpSignal.TRACES);
    assertThat(records.get(0).getFile()).isEqualTo(file);
    assertThat(records.get(0).getFormat()).isEqualTo(OtlpFileFormat.PROTOBUF);
    assertThat(records.get(0).getPosition()).isZero();
    assertThat(records.get(0).getSizeBytes()).isEqualTo(first.length - 4);
    assertThat(records.get(1).getPosition()).isEqualTo(first.length);
    assertThat(records.get(1).getTraceRequest()).isEqualTo(traces("b", 3));
    assertThat(records.get(1).getItemCount()).isEqualTo(3);
  }

  @Test
  void corruptMiddleRecordIsReportedAndTheNextOneRead() {
    byte[] good = framed(traces("a", 1));
    byte[] garbage = framed(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
    Path file = write(dir.resolve("traces/t.binpb"), concat(good, garbage, framed(traces("c", 1))));

    OtlpFileReader reader = OtlpFileReader.open(file);
    List<OtlpRecord> records = readAll(reader);

    assertThat(records)
        .extracting(OtlpRecord::getTraceRequest)
        .containsExactly(traces("a", 1), traces("c", 1));
    assertThat(reader.getProblems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getKind()).isEqualTo(OtlpFileProblem.Kind.INVALID_RECORD);
              assertThat(p.getFile()).isEqualTo(file);
              assertThat(p.getPosition()).isEqualTo(good.length);
              assertThat(p.getFormat()).isEqualTo(OtlpFileFormat.PROTOBUF);
              assertThat(p.toString()).contains("t.binpb byte " + good.length + ": INVALID_RECORD");
            });
  }

  @Test
  void tornTailIsReportedAfterTheWholeRecords() {
    byte[] good = framed(traces("a", 4));
    byte[] torn = Arrays.copyOf(framed(traces("b", 4)), 30);
    Path file = write(dir.resolve("traces/t.binpb"), concat(good, torn));

    OtlpFileReader reader = OtlpFileReader.open(file);

    assertThat(readAll(reader)).hasSize(1);
    assertThat(reader.getProblems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getKind()).isEqualTo(OtlpFileProblem.Kind.TRUNCATED_TAIL);
              assertThat(p.getPosition()).isEqualTo(good.length);
              assertThat(p.getReason()).contains("26 follow");
            });
  }

  @Test
  void tornLengthPrefixIsATornTail() {
    byte[] good = framed(traces("a", 1));
    Path file = write(dir.resolve("traces/t.binpb"), concat(good, new byte[] {0, 0}));

    OtlpFileReader reader = OtlpFileReader.open(file);

    assertThat(readAll(reader)).hasSize(1);
    assertThat(reader.getProblems())
        .extracting(OtlpFileProblem::getKind, OtlpFileProblem::getPosition)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                OtlpFileProblem.Kind.TRUNCATED_TAIL, (long) good.length));
  }

  @Test
  void hugeLengthPrefixIsTooLargeAndNeverAllocated() {
    byte[] good = framed(traces("a", 1));
    byte[] huge = ByteBuffer.allocate(4).putInt(-2).array(); // 4 GiB - 2 as unsigned
    Path file = write(dir.resolve("traces/t.binpb"), concat(good, huge, new byte[100]));

    OtlpFileReader reader = OtlpFileReader.open(file);

    assertThat(readAll(reader)).hasSize(1);
    assertThat(reader.getProblems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getKind()).isEqualTo(OtlpFileProblem.Kind.RECORD_TOO_LARGE);
              assertThat(p.getPosition()).isEqualTo(good.length);
              assertThat(p.getReason()).contains("4294967294 bytes").contains("rest of it");
            });
  }

  @Test
  void recordOverTheLimitIsSkippedAndTheNextRead() {
    byte[] big = framed(traces("big", 50));
    byte[] small = framed(traces("s", 1));
    Path file = write(dir.resolve("traces/t.binpb"), concat(big, small));

    OtlpFileReader reader = OtlpFileReader.builder().setMaxRecordBytes(small.length).open(file);

    assertThat(readAll(reader))
        .extracting(OtlpRecord::getPosition)
        .containsExactly((long) big.length);
    assertThat(reader.getProblems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getKind()).isEqualTo(OtlpFileProblem.Kind.RECORD_TOO_LARGE);
              assertThat(p.getPosition()).isZero();
              assertThat(p.getReason()).endsWith("; skipped");
            });
  }

  @Test
  void emptyFileHasNoRecordsAndNoProblems() {
    Path file = write(dir.resolve("traces/empty.binpb"), new byte[0]);

    OtlpFileReader reader = OtlpFileReader.open(file);

    assertThat(readAll(reader)).isEmpty();
    assertThat(reader.getProblems()).isEmpty();
    assertThat(reader.getFilesRead()).isEqualTo(1);
  }

  @Test
  void gzipFileIsReadWithUncompressedPositions() {
    byte[] first = framed(traces("a", 2));
    Path file =
        write(dir.resolve("traces/t.binpb.gz"), gzip(concat(first, framed(traces("b", 1)))));

    List<OtlpRecord> records = readAll(OtlpFileReader.open(file));

    assertThat(records)
        .extracting(OtlpRecord::getPosition)
        .containsExactly(0L, (long) first.length);
  }

  @Test
  void gzipFileCutShortKeepsWhatCameBefore() {
    List<byte[]> parts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      parts.add(framed(traces("span" + i, 3)));
    }
    byte[] compressed = gzip(concat(parts.toArray(new byte[0][])));
    Path file =
        write(dir.resolve("traces/t.binpb.gz"), Arrays.copyOf(compressed, compressed.length / 2));

    OtlpFileReader reader = OtlpFileReader.open(file);
    List<OtlpRecord> records = readAll(reader);

    assertThat(records).isNotEmpty().hasSizeLessThan(200);
    for (int i = 0; i < records.size(); i++) {
      assertThat(records.get(i).getTraceRequest()).isEqualTo(traces("span" + i, 3));
    }
    assertThat(reader.getProblems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getKind()).isEqualTo(OtlpFileProblem.Kind.TRUNCATED_TAIL);
              assertThat(p.getReason()).contains("compressed stream ends early");
              long end =
                  records.get(records.size() - 1).getPosition()
                      + 4
                      + records.get(records.size() - 1).getSizeBytes();
              assertThat(p.getPosition()).isEqualTo(end);
            });
  }

  @Test
  void damagedGzipDataIsReportedNotThrown() {
    byte[] compressed = gzip(concat(framed(traces("a", 50)), framed(traces("b", 50))));
    for (int i = 20; i < compressed.length - 20; i += 7) {
      compressed[i] ^= 0x5a;
    }
    Path file = write(dir.resolve("traces/t.binpb.gz"), compressed);

    OtlpFileReader reader = OtlpFileReader.open(file);
    readAll(reader);

    assertThat(reader.getProblems()).isNotEmpty();
    assertThat(reader.getProblems()).allSatisfy(p -> assertThat(p.getFile()).isEqualTo(file));
    assertThat(reader.getProblems())
        .extracting(OtlpFileProblem::getKind)
        .containsAnyOf(
            OtlpFileProblem.Kind.CORRUPT_COMPRESSION,
            OtlpFileProblem.Kind.INVALID_RECORD,
            OtlpFileProblem.Kind.TRUNCATED_TAIL,
            OtlpFileProblem.Kind.RECORD_TOO_LARGE);
  }

  @Test
  void gzipHeaderOnlyIsCorruptCompression() {
    Path file = write(dir.resolve("traces/t.binpb.gz"), new byte[] {0x1f, (byte) 0x8b, 8});

    OtlpFileReader reader = OtlpFileReader.open(file);

    assertThat(readAll(reader)).isEmpty();
    assertThat(reader.getProblems())
        .extracting(OtlpFileProblem::getKind)
        .containsExactly(OtlpFileProblem.Kind.CORRUPT_COMPRESSION);
  }

  @Test
  void signalOfAnUnnamedFileComesFromItsContent() {
    Path file =
        write(
            dir.resolve("capture.binpb"),
            concat(framed(traces("a", 2)), framed(metrics("m")), framed(logs("hello"))));

    OtlpFileReader reader = OtlpFileReader.open(file);

    assertThat(readAll(reader))
        .extracting(OtlpRecord::getSignal)
        .containsExactly(OtlpSignal.TRACES, OtlpSignal.METRICS, OtlpSignal.LOGS);
    assertThat(reader.getProblems()).isEmpty();
  }

  @Test
  void recordOfAnotherSignalInASignalFolderIsWrongSignal() {
    byte[] good = framed(traces("a", 1));
    Path file = write(dir.resolve("traces/t.binpb"), concat(good, framed(logs("x"))));

    OtlpFileReader reader = OtlpFileReader.open(file);

    assertThat(readAll(reader)).hasSize(1);
    assertThat(reader.getProblems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getKind()).isEqualTo(OtlpFileProblem.Kind.WRONG_SIGNAL);
              assertThat(p.getPosition()).isEqualTo(good.length);
              assertThat(p.getReason())
                  .isEqualTo("a logs record where the file's name says traces");
            });
  }

  @Test
  void garbageIsReportedNeverThrown() {
    Random random = new Random(42);
    for (int i = 0; i < 300; i++) {
      byte[] garbage = new byte[random.nextInt(300)];
      random.nextBytes(garbage);
      if (i % 3 == 0 && garbage.length > 8) {
        ByteBuffer.wrap(garbage).putInt(garbage.length - 4);
      }
      Path file = write(dir.resolve("g/traces-" + i + ".binpb"), garbage);
      OtlpFileReader reader = OtlpFileReader.open(file);
      for (OtlpRecord record : reader) {
        assertThat(record.getSignal()).isEqualTo(OtlpSignal.TRACES);
      }
      assertThat(reader.getProblems()).allSatisfy(p -> assertThat(p.getFile()).isEqualTo(file));
    }
  }

  @Test
  void strictReaderThrowsAtTheFirstDamage() {
    byte[] good = framed(traces("a", 1));
    Path file =
        write(dir.resolve("traces/t.binpb"), concat(good, framed(new byte[] {(byte) 0xff})));

    OtlpFileReader reader = OtlpFileReader.builder().setStrict(true).open(file);

    assertThatThrownBy(() -> readAll(reader))
        .isInstanceOf(OtlpFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("byte " + good.length)
        .hasMessageContaining("INVALID_RECORD")
        .satisfies(
            e ->
                assertThat(((OtlpFileException) e).getProblem().getPosition())
                    .isEqualTo(good.length));
  }

  @Test
  void staticReadsAreStrict() {
    Path file = write(dir.resolve("traces/t.binpb"), Arrays.copyOf(framed(traces("a", 1)), 10));

    assertThatThrownBy(() -> OtlpFileReader.readSpans(dir))
        .isInstanceOf(OtlpFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("TRUNCATED_TAIL");
  }

  @Test
  void foldersAreReadRecursivelyInFileNameOrder() {
    String prefix = "traces-20261201T100000.000Z-abc-";
    write(dir.resolve("traces/" + prefix + "10.binpb"), framed(traces("ten", 1)));
    write(dir.resolve("traces/" + prefix + "9.binpb"), framed(traces("nine", 1)));
    write(dir.resolve("traces/" + prefix + "2.binpb.gz"), gzip(framed(traces("two", 1))));
    write(dir.resolve("metrics/metrics-x.binpb"), framed(metrics("m")));
    write(dir.resolve("logs/logs-x.binpb"), framed(logs("l")));
    write(dir.resolve("traces/.hidden.binpb"), framed(traces("hidden", 1)));
    write(dir.resolve("traces/notes.txt"), new byte[] {1, 2, 3});
    write(dir.resolve("traces/.traces-x.binpb.gz.tmp"), new byte[] {1, 2, 3});

    OtlpFileReader reader = OtlpFileReader.open(dir);
    List<OtlpRecord> records = readAll(reader);

    assertThat(records)
        .extracting(OtlpRecord::getSignal)
        .containsExactly(
            OtlpSignal.LOGS,
            OtlpSignal.METRICS,
            OtlpSignal.TRACES,
            OtlpSignal.TRACES,
            OtlpSignal.TRACES);
    assertThat(records.subList(2, 5))
        .extracting(
            r -> r.getTraceRequest().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
        .containsExactly("two-0", "nine-0", "ten-0");
    assertThat(reader.getProblems()).isEmpty();
    assertThat(reader.getFilesRead()).isEqualTo(5);
  }

  @Test
  void signalFilterDoesNotOpenOtherSignalsFiles() {
    write(dir.resolve("traces/traces-a.binpb"), framed(traces("a", 1)));
    write(dir.resolve("logs/logs-a.binpb"), framed(new byte[] {(byte) 0xff})); // would be damage

    OtlpFileReader reader = OtlpFileReader.builder().setSignals(OtlpSignal.TRACES).open(dir);

    assertThat(readAll(reader)).hasSize(1);
    assertThat(reader.getProblems()).isEmpty();
    assertThat(reader.getFilesRead()).isEqualTo(1);
  }

  @Test
  void missingPathIsUnreadableAndTheOthersAreRead() {
    Path file = write(dir.resolve("traces/t.binpb"), framed(traces("a", 1)));
    Path missing = dir.resolve("nope");

    OtlpFileReader reader = OtlpFileReader.open(missing, file);

    assertThat(readAll(reader)).hasSize(1);
    assertThat(reader.getProblems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getKind()).isEqualTo(OtlpFileProblem.Kind.UNREADABLE_FILE);
              assertThat(p.getFile()).isEqualTo(missing);
            });
  }

  @Test
  void problemsOverTheMaximumAreCountedNotKept() {
    List<byte[]> parts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      parts.add(framed(new byte[] {(byte) 0xff}));
    }
    Path file = write(dir.resolve("traces/t.binpb"), concat(parts.toArray(new byte[0][])));
    List<OtlpFileProblem> heard = new ArrayList<>();

    OtlpFileReader reader =
        OtlpFileReader.builder().setMaxProblems(3).setProblemListener(heard::add).open(file);
    readAll(reader);

    assertThat(reader.getProblems()).hasSize(3);
    assertThat(reader.getProblemCount()).isEqualTo(10);
    assertThat(heard).hasSize(10);
  }

  @Test
  void readerIsIteratedOnce() {
    Path file = write(dir.resolve("traces/t.binpb"), framed(traces("a", 1)));
    OtlpFileReader reader = OtlpFileReader.open(file);
    readAll(reader);

    assertThatThrownBy(reader::iterator).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void builderRejectsBadSettings() {
    assertThatThrownBy(() -> OtlpFileReader.builder().setMaxRecordBytes(0))
        .hasMessage("maxRecordBytes must be > 0 and < 2 GiB, but was 0");
    assertThatThrownBy(() -> OtlpFileReader.builder().setSignals())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OtlpFileReader.builder().build())
        .hasMessage("paths must name at least one file or folder");
    assertThatThrownBy(() -> OtlpFileReader.builder().setMaxProblems(-1))
        .hasMessage("maxProblems must be >= 0, but was -1");
  }

  @Test
  void wrongTypedRequestAccessorSaysWhy() {
    Path file = write(dir.resolve("logs/l.binpb"), framed(logs("x")));
    OtlpRecord record = readAll(OtlpFileReader.open(file)).get(0);

    assertThat(record.getLogsRequest().getResourceLogsCount()).isEqualTo(1);
    assertThat(record.getSpans()).isEmpty();
    assertThatThrownBy(record::getTraceRequest)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds LOGS, not TRACES");
  }

  static List<OtlpRecord> readAll(OtlpFileReader reader) {
    List<OtlpRecord> records = new ArrayList<>();
    try (reader) {
      for (OtlpRecord record : reader) {
        records.add(record);
      }
    }
    return records;
  }

  static ExportTraceServiceRequest only(List<OtlpRecord> records) {
    assertThat(records).hasSize(1);
    return records.get(0).getTraceRequest();
  }
}
