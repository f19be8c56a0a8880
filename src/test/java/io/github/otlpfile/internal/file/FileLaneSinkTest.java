package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.Durability;
import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.internal.buffer.PendingWrite;
import io.github.otlpfile.internal.buffer.RecordTicket;
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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results, flush reports, closing and buffer hand-back of {@link FileLaneSink}. */
class FileLaneSinkTest {
  @TempDir Path dir;

  private final TestClock clock = TestClock.create();
  private final ExporterCounters counters = new ExporterCounters();
  private final FaultyChannel.Faults faults = new FaultyChannel.Faults();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  // Every buffer handed back, with how often.
  private final Map<EncodedBuffer, Integer> recycled = new IdentityHashMap<>();
  private final List<EncodedBuffer> handedOut = new ArrayList<>();
  private RotatingFileWriter writer;
  private FileLaneSink sink;

  @BeforeEach
  void createSink() {
    writer = FaultySinks.writer(dir, Durability.NONE, 1 << 20, clock, counters, faults, events);
    sink =
        new FileLaneSink("test files", writer, counters, b -> recycled.merge(b, 1, Integer::sum));
  }

  private EncodedBuffer bytes(String text) {
    EncodedBuffer buffer = new EncodedBuffer(64);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    buffer.write(bytes, 0, bytes.length);
    handedOut.add(buffer);
    return buffer;
  }

  private PendingWrite whole(String line, int items) {
    return PendingWrite.data(bytes(line + "\n"), items, new CompletableResultCode());
  }

  private static PendingWrite flush() {
    return PendingWrite.flush(new CompletableResultCode());
  }

  private List<String> files() throws IOException {
    List<String> contents = new ArrayList<>();
    for (FileFolder.Entry entry : new FileFolder(dir, "traces").list()) {
      contents.add(Files.readString(entry.getPlain()));
    }
    return contents;
  }

  @Test
  void aFlushReportsWhetherAWriteFailedSinceThePreviousFlush() throws IOException {
    PendingWrite first = whole("a", 1);
    PendingWrite ok = flush();
    sink.write(List.of(first, ok));
    assertThat(first.getResult().isSuccess()).isTrue();
    // Once the maintenance thread is done with what was handed to it before (start-up retention).
    assertThat(ok.getResult().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    faults.failWrites = true;
    PendingWrite lost = whole("b", 2);
    sink.write(List.of(lost));
    faults.failWrites = false;
    PendingWrite reported = flush();
    sink.write(List.of(reported));
    assertThat(lost.getResult().isSuccess()).isFalse();
    assertThat(reported.getResult().isDone()).isTrue();
    assertThat(reported.getResult().isSuccess()).isFalse();

    // Reported once: the next flush sees only what came after.
    PendingWrite later = whole("c", 1);
    PendingWrite clean = flush();
    sink.write(List.of(later, clean));
    assertThat(clean.getResult().isSuccess()).isTrue();
    assertThat(counters.exportedItems.sum()).isEqualTo(2);
    assertThat(counters.failedItems.sum()).isEqualTo(2);
    // The failed write was cut off; the file went on after "a".
    assertThat(files()).containsExactly("a\nc\n");
  }

  @Test
  void closeWritesWhatCameBeforeItIntoTheFileItCloses() throws IOException {
    PendingWrite data = whole("a", 1);
    PendingWrite close = PendingWrite.close(new CompletableResultCode());
    sink.write(List.of(data, close));

    assertThat(close.getResult().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(data.getResult().isSuccess()).isTrue();
    assertThat(writer.getCurrentPath()).as("no file left open").isNull();
    assertThat(files()).containsExactly("a\n");
  }

  @Test
  void tickRollsAnOldFileByAge() throws IOException {
    sink.write(List.of(whole("a", 1)));
    assertThat(writer.getCurrentPath()).isNotNull();
    sink.tick();
    assertThat(writer.getCurrentPath()).as("young enough").isNotNull();
    clock.advance(Duration.ofHours(2));
    sink.tick();
    assertThat(writer.getCurrentPath()).as("closed by age").isNull();
    sink.write(List.of(whole("b", 1)));
    assertThat(files()).containsExactly("a\n", "b\n");
  }

  @Test
  void everyBufferIsHandedBackExactlyOnceWrittenFailedOrDiscarded() throws IOException {
    PendingWrite before = whole("x", 1);
    sink.write(List.of(before, PendingWrite.part(bytes("{\"a\":"), 8)));
    faults.failWrites = true;
    sink.write(List.of(PendingWrite.part(bytes("1"), 0)));
    faults.failWrites = false;
    // The rest of the record whose piece failed is discarded, not written.
    PendingWrite more = PendingWrite.part(bytes("2"), 0);
    PendingWrite last = PendingWrite.last(bytes("}\n"), 5, new CompletableResultCode());
    PendingWrite after = whole("y", 1);
    PendingWrite reported = flush();
    sink.write(List.of(more));
    sink.write(List.of(last, after, reported));

    assertThat(last.getResult().isSuccess()).isFalse();
    assertThat(after.getResult().isSuccess()).isTrue();
    assertThat(reported.getResult().isSuccess()).as("the discarded record is reported").isFalse();
    assertThat(counters.failedItems.sum()).isEqualTo(5);
    assertThat(handedOut).hasSize(6);
    for (EncodedBuffer buffer : handedOut) {
      assertThat(recycled.get(buffer)).as("handed back once").isEqualTo(1);
    }
    // The start of the failed record was cut off again; the file went on after "x".
    assertThat(files()).containsExactly("x\ny\n");
  }

  @Test
  void everyWrittenRecordReportsItsFileLineAndSizeBeforeItsResultCompletes() throws IOException {
    List<String> reports = Collections.synchronizedList(new ArrayList<>());
    FileLaneSink reporting =
        new FileLaneSink(
            "test files",
            writer,
            counters,
            b -> {},
            new WriteListener() {
              @Override
              public void recordWritten(RecordTicket ticket) {
                reports.add("record " + ticket.getPosition());
              }

              @Override
              public void writerAt(Path currentFile) {
                reports.add("at " + (currentFile == null ? null : currentFile.getFileName()));
              }
            });
    RecordTicket first = new RecordTicket();
    PendingWrite a = PendingWrite.data(bytes("aa\n"), 2, new CompletableResultCode(), first);
    RecordTicket streamed = new RecordTicket();
    PendingWrite piece = PendingWrite.part(bytes("{\"b\":"), 8);
    PendingWrite last = PendingWrite.last(bytes("1}\n"), 3, new CompletableResultCode(), streamed);
    PendingWrite untracked = whole("c", 1);
    reporting.write(List.of(a, piece, last, untracked));

    Path file = writer.getCurrentPath();
    assertThat(file).isNotNull();
    assertThat(first.getFile()).isEqualTo(file);
    assertThat(first.getPosition()).as("JSON lines count lines from 1").isEqualTo(1);
    assertThat(first.getBytes()).isEqualTo(3);
    assertThat(first.getItems()).isEqualTo(2);
    assertThat(first.toString()).isEqualTo(file + "@1");
    assertThat(streamed.getFile()).isEqualTo(file);
    assertThat(streamed.getPosition()).isEqualTo(2);
    assertThat(streamed.getBytes()).as("the whole streamed record").isEqualTo(8);
    assertThat(streamed.getItems()).isEqualTo(3);
    assertThat(reports).containsExactly("record 1", "record 2", "at " + file.getFileName());

    // A record that fails to reach the file reports nothing.
    faults.failWrites = true;
    RecordTicket failed = new RecordTicket();
    PendingWrite lost = PendingWrite.data(bytes("d\n"), 1, new CompletableResultCode(), failed);
    reporting.write(List.of(lost));
    assertThat(lost.getResult().isSuccess()).isFalse();
    assertThat(failed.getFile()).isNull();
    assertThat(reports).hasSize(4).last().isEqualTo("at " + file.getFileName());
    assertThat(files()).containsExactly("aa\n{\"b\":1}\nc\n");
    faults.failWrites = false;

    // Rotation by age and closing move the writer too.
    clock.advance(Duration.ofHours(2));
    reporting.tick();
    assertThat(reports).hasSize(5).last().isEqualTo("at null");
    reporting.write(List.of(whole("e", 1)));
    Path second = writer.getCurrentPath();
    assertThat(reports).last().isEqualTo("at " + second.getFileName());
    PendingWrite close = PendingWrite.close(new CompletableResultCode());
    reporting.write(List.of(close));
    assertThat(close.getResult().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(reports).last().isEqualTo("at null");
  }
}
