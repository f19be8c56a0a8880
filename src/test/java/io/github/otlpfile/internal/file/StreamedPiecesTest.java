package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.Durability;
import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.internal.buffer.PendingWrite;
import io.github.otlpfile.internal.encode.EncodedBuffer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streamed record reaches {@link FileLaneSink} in pieces, over several writer passes: it must
 * still land whole in one file, and a failure half-way must cost that record only.
 */
class StreamedPiecesTest {
  @TempDir Path dir;

  private final TestClock clock = TestClock.create();
  private final ExporterCounters counters = new ExporterCounters();
  private final FaultyChannel.Faults faults = new FaultyChannel.Faults();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());

  private FileLaneSink sink(long maxFileSize) {
    return FaultySinks.create(dir, Durability.NONE, maxFileSize, clock, counters, faults, events);
  }

  private static EncodedBuffer bytes(String text) {
    EncodedBuffer buffer = new EncodedBuffer(64);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    buffer.write(bytes, 0, bytes.length);
    return buffer;
  }

  private static PendingWrite first(String text, long recordBytes) {
    return PendingWrite.part(bytes(text), recordBytes);
  }

  private static PendingWrite middle(String text) {
    return PendingWrite.part(bytes(text), 0);
  }

  private static PendingWrite last(String text, int items) {
    return PendingWrite.last(bytes(text), items, new CompletableResultCode());
  }

  private static PendingWrite whole(String line, int items) {
    return PendingWrite.data(bytes(line + "\n"), items, new CompletableResultCode());
  }

  private List<String> files() throws IOException {
    List<String> contents = new ArrayList<>();
    for (FileFolder.Entry entry : new FileFolder(dir, "traces").list()) {
      contents.add(Files.readString(entry.getPlain()));
    }
    return contents;
  }

  @Test
  void piecesOverSeveralPassesFormOneRecordAndOnlyTheLastCompletesTheExport() throws IOException {
    FileLaneSink sink = sink(1 << 20);
    sink.write(List.of(first("{\"a\":", 8)));
    sink.write(List.of(middle("1")));
    PendingWrite last = last("}\n", 3);
    PendingWrite after = whole("{}", 1);
    sink.write(List.of(last, after));

    assertThat(files()).containsExactly("{\"a\":1}\n{}\n");
    assertThat(last.getResult().isSuccess()).isTrue();
    assertThat(after.getResult().isSuccess()).isTrue();
    assertThat(counters.exportedItems.sum()).isEqualTo(4);
    assertThat(counters.bytesWritten.sum()).isEqualTo(11);
  }

  @Test
  void theFileIsNeitherRolledNorClosedByAgeInTheMiddleOfARecord() throws IOException {
    FileLaneSink sink = sink(1 << 20);
    sink.write(List.of(whole("aaaa", 1)));
    sink.write(List.of(first("{\"a\":", 8)));
    clock.advance(Duration.ofHours(2));
    sink.tick(); // the file is past its age, but the record is not complete
    sink.write(List.of(middle("1"), last("}\n", 1)));
    sink.tick(); // now it is
    sink.write(List.of(whole("b", 1)));

    assertThat(files()).containsExactly("aaaa\n{\"a\":1}\n", "b\n");
  }

  @Test
  void aRecordThatFitsIsNotRolledAwayByItsContinuation() throws IOException {
    FileLaneSink sink = sink(13);
    sink.write(List.of(whole("aaaa", 1), first("{\"a\":", 8)));
    sink.write(List.of(middle("1"), last("}\n", 1), whole("b", 1)));

    assertThat(files()).containsExactly("aaaa\n{\"a\":1}\n", "b\n");
  }

  @Test
  void theRollBeforeARecordUsesItsAnnouncedSize() throws IOException {
    FileLaneSink sink = sink(10);
    sink.write(List.of(whole("aaaa", 1)));
    sink.write(List.of(first("{\"a\":", 8), middle("1"), last("}\n", 1), whole("b", 1)));

    assertThat(files()).containsExactly("aaaa\n", "{\"a\":1}\nb\n");
  }

  @Test
  void aFailedPieceVoidsTheRestOfItsRecordButNothingAfterIt() throws IOException {
    FileLaneSink sink = sink(1 << 20);
    PendingWrite before = whole("x", 1);
    sink.write(List.of(before, first("{\"a\":", 8)));
    faults.failWrites = true;
    sink.write(List.of(middle("1")));
    faults.failWrites = false;
    PendingWrite last = last("}\n", 5);
    PendingWrite after = whole("y", 1);
    PendingWrite flush = PendingWrite.flush(new CompletableResultCode());
    sink.write(List.of(last, after, flush));

    assertThat(before.getResult().isSuccess()).isTrue();
    assertThat(last.getResult().isDone()).isTrue();
    assertThat(last.getResult().isSuccess()).isFalse();
    assertThat(after.getResult().isSuccess()).isTrue();
    assertThat(flush.getResult().isSuccess()).as("the flush reports the failure").isFalse();
    assertThat(counters.failedItems.sum()).isEqualTo(5);
    assertThat(counters.exportedItems.sum()).isEqualTo(2);
    // The start of the record was cut off again: the file ends at "x", then goes on with "y".
    assertThat(files()).containsExactly("x\ny\n");
    assertThat(events).doesNotContain("close");
  }

  @Test
  void aFailureInTheSamePassAsTheLastPieceFailsItOnce() throws IOException {
    FileLaneSink sink = sink(1 << 20);
    sink.write(List.of(first("{\"a\":", 8)));
    faults.failWrites = true;
    PendingWrite last = last("}\n", 5);
    sink.write(List.of(middle("1"), last));
    faults.failWrites = false;
    PendingWrite after = whole("y", 1);
    sink.write(List.of(after));

    assertThat(last.getResult().isSuccess()).isFalse();
    assertThat(after.getResult().isSuccess()).isTrue();
    assertThat(counters.failedItems.sum()).isEqualTo(5);
    assertThat(files()).containsExactly("y\n");
  }

  @Test
  void anAbortedRecordIsCutOffAndTheFileGoesOn() throws IOException {
    FileLaneSink sink = sink(1 << 20);
    sink.write(List.of(whole("x", 1), first("{\"a\":", 8)));
    sink.write(List.of(middle("1"), PendingWrite.abort(2)));
    PendingWrite after = whole("y", 1);
    sink.write(List.of(after));

    assertThat(after.getResult().isSuccess()).isTrue();
    assertThat(events).containsOnlyOnce("open").contains("truncate 2").doesNotContain("close");
    assertThat(files()).containsExactly("x\ny\n");
  }

  @Test
  void anAbortedRecordThatCannotBeCutOffIsTheTornTailOfAClosedFile() throws IOException {
    FileLaneSink sink = sink(1 << 20);
    sink.write(List.of(whole("x", 1), first("{\"a\":", 8)));
    faults.failTruncate = true;
    sink.write(List.of(middle("1"), PendingWrite.abort(2)));
    faults.failTruncate = false;
    PendingWrite after = whole("y", 1);
    sink.write(List.of(after));

    assertThat(after.getResult().isSuccess()).isTrue();
    assertThat(events).containsSubsequence("open", "truncate failed", "close", "open");
    assertThat(files()).containsExactly("x\n{\"a\":1", "y\n");
  }

  @Test
  void anAbortBetweenRecordsLeavesTheFileOpen() throws IOException {
    FileLaneSink sink = sink(1 << 20);
    sink.write(List.of(whole("x", 1), PendingWrite.abort(100), whole("y", 1)));

    assertThat(events).doesNotContain("close");
    assertThat(files()).containsExactly("x\ny\n");
  }
}
