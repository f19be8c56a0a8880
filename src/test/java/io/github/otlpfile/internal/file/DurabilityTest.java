package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.Durability;
import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.internal.buffer.PendingWrite;
import io.github.otlpfile.internal.encode.EncodedBuffer;
import io.github.otlpfile.support.LogCapture;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * When data is forced to disk under each durability, and what a failing disk does to the exports:
 * through {@link FileLaneSink} and {@link RotatingFileWriter} with a channel that records and
 * fails.
 */
class DurabilityTest {
  @TempDir Path dir;

  @RegisterExtension final LogCapture logs = LogCapture.of(FileLaneSink.class.getName());

  private final TestClock clock = TestClock.create();
  private final ExporterCounters counters = new ExporterCounters();
  private final FaultyChannel.Faults faults = new FaultyChannel.Faults();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final List<PendingWrite> pending = new ArrayList<>();

  private FileLaneSink sink(Durability durability, long maxFileSize) {
    return FaultySinks.create(dir, durability, maxFileSize, clock, counters, faults, events);
  }

  private PendingWrite data(String line, int items) {
    EncodedBuffer buffer = new EncodedBuffer(64);
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    buffer.write(bytes, 0, bytes.length);
    PendingWrite write = PendingWrite.data(buffer, items, new CompletableResultCode());
    pending.add(write);
    return write;
  }

  private List<String> lines() throws IOException {
    List<String> lines = new ArrayList<>();
    for (FileFolder.Entry entry : new FileFolder(dir, "traces").list()) {
      lines.addAll(Files.readAllLines(entry.getPlain()));
    }
    return lines;
  }

  @Test
  void everyWriteCompletesResultsOnlyAfterTheForce() {
    FileLaneSink sink = sink(Durability.EVERY_WRITE, 1 << 20);
    PendingWrite a = data("a", 1);
    PendingWrite b = data("b", 2);
    List<Boolean> doneAtForce = new ArrayList<>();
    faults.onForce = () -> doneAtForce.add(a.getResult().isDone() || b.getResult().isDone());

    sink.write(List.of(a, b));

    // One write for both records (group commit), one force, then the results.
    assertThat(events).containsExactly("open", "write 4", "force");
    assertThat(doneAtForce).containsExactly(false);
    assertThat(a.getResult().isSuccess()).isTrue();
    assertThat(b.getResult().isSuccess()).isTrue();
    assertThat(counters.exportedItems.sum()).isEqualTo(3);
  }

  @Test
  void everyWriteFailsTheExportsWhenTheForceFails() throws IOException {
    FileLaneSink sink = sink(Durability.EVERY_WRITE, 1 << 20);
    faults.failForce = true;
    PendingWrite a = data("a", 1);
    PendingWrite flush = PendingWrite.flush(new CompletableResultCode());

    sink.write(List.of(a, flush));

    assertThat(a.getResult().isDone()).isTrue();
    assertThat(a.getResult().isSuccess()).isFalse();
    assertThat(flush.getResult().isSuccess()).isFalse();
    assertThat(counters.failedItems.sum()).isEqualTo(1);
    // What is not known to be durable is cut off again; the file stays open.
    assertThat(events).containsExactly("open", "write 2", "truncate 0");

    // The disk recovers: the next write goes on in the same file and succeeds.
    faults.failForce = false;
    PendingWrite b = data("b", 1);
    sink.write(List.of(b));
    assertThat(b.getResult().isSuccess()).isTrue();
    assertThat(lines()).containsExactly("b");
    assertThat(events).containsOnlyOnce("open");
  }

  @Test
  void onRotateForcesEachFileWhenItIsClosedAndNoneNever() {
    FileLaneSink onRotate = sink(Durability.ON_ROTATE, 3);
    PendingWrite flush = PendingWrite.flush(new CompletableResultCode());
    onRotate.write(List.of(data("a", 1), data("b", 1), flush));
    assertThat(flush.getResult().join(10, java.util.concurrent.TimeUnit.SECONDS).isSuccess())
        .isTrue();
    // The first file is forced and closed on the maintenance thread, beside the second write.
    assertThat(events.subList(0, 3)).containsExactly("open", "write 2", "open");
    assertThat(events.subList(3, 6)).containsExactlyInAnyOrder("force", "close", "write 2");
    assertThat(events.indexOf("force")).isLessThan(events.indexOf("close"));
    PendingWrite close = PendingWrite.close(new CompletableResultCode());
    onRotate.write(List.of(close));
    assertThat(close.getResult().join(10, java.util.concurrent.TimeUnit.SECONDS).isSuccess())
        .isTrue();
    assertThat(events.subList(6, events.size())).containsExactly("force", "close");

    events.clear();
    FileLaneSink none = sink(Durability.NONE, 3);
    none.write(
        List.of(data("c", 1), data("d", 1), PendingWrite.close(new CompletableResultCode())));
    assertThat(events).doesNotContain("force");
  }

  @Test
  void aWriteThatFailsHalfWayIsCutBackAndTheNextWriteGoesOnInTheSameFile() throws IOException {
    FileLaneSink sink = sink(Durability.NONE, 1 << 20);
    PendingWrite a = data("aaaa", 1);
    sink.write(List.of(a));
    faults.bytesBeforeWriteFails = 2;
    PendingWrite b = data("bbbb", 1);
    PendingWrite c = data("cccc", 1);
    sink.write(List.of(b, c));
    assertThat(b.getResult().isSuccess()).isFalse();
    assertThat(c.getResult().isSuccess()).isFalse();
    assertThat(counters.failedItems.sum()).isEqualTo(2);

    faults.bytesBeforeWriteFails = -1;
    faults.failWrites = false;
    PendingWrite d = data("dddd", 1);
    sink.write(List.of(d));
    assertThat(d.getResult().isSuccess()).isTrue();

    // The torn "bb" was cut off again: "dddd" follows "aaaa" in the same file.
    List<FileFolder.Entry> files = new FileFolder(dir, "traces").list();
    assertThat(files).hasSize(1);
    assertThat(Files.readString(files.get(0).getPlain())).isEqualTo("aaaa\ndddd\n");
    assertThat(events).containsSubsequence("open", "write 5", "write 2", "truncate 5", "write 5");
    assertThat(counters.bytesWritten.sum()).isEqualTo(10);
  }

  @Test
  void aWriteThatFailsHalfWayAndCannotBeCutBackLeavesATornLastRecordAndANewFileFollows()
      throws IOException {
    FileLaneSink sink = sink(Durability.NONE, 1 << 20);
    sink.write(List.of(data("aaaa", 1)));
    faults.bytesBeforeWriteFails = 2;
    faults.failTruncate = true;
    PendingWrite b = data("bbbb", 1);
    sink.write(List.of(b));
    assertThat(b.getResult().isSuccess()).isFalse();

    faults.bytesBeforeWriteFails = -1;
    faults.failWrites = false;
    faults.failTruncate = false;
    PendingWrite d = data("dddd", 1);
    sink.write(List.of(d));
    assertThat(d.getResult().isSuccess()).isTrue();

    // The torn "bb" is the last thing in the first file; nothing follows it there.
    List<FileFolder.Entry> files = new FileFolder(dir, "traces").list();
    assertThat(files).hasSize(2);
    assertThat(Files.readString(files.get(0).getPlain())).isEqualTo("aaaa\nbb");
    assertThat(Files.readString(files.get(1).getPlain())).isEqualTo("dddd\n");
    assertThat(lines()).containsExactly("aaaa", "bb", "dddd");
  }

  @Test
  void aFailedWriteIsLoggedWithTheItemsItCost() {
    FileLaneSink sink = sink(Durability.NONE, 1 << 20);
    faults.failWrites = true;
    sink.write(List.of(data("a", 2), data("b", 3)));

    assertThat(logs.records()).hasSize(1);
    assertThat(logs.records().get(0).getMessage())
        .startsWith("Failed to write 5 items to test files (failure 1 in a row)")
        .endsWith("injected write failure");
  }

  @Test
  void aCloseThatFailsFailsTheCloseEntryAndIsLogged() {
    FileLaneSink sink = sink(Durability.ON_ROTATE, 1 << 20);
    PendingWrite a = data("a", 1);
    sink.write(List.of(a));
    faults.failForce = true;
    PendingWrite close = PendingWrite.close(new CompletableResultCode());
    sink.write(List.of(close));

    assertThat(a.getResult().isSuccess()).isTrue();
    assertThat(close.getResult().join(10, TimeUnit.SECONDS).isDone()).isTrue();
    assertThat(close.getResult().isSuccess()).isFalse();
    assertThat(logs.records()).hasSize(1);
    assertThat(logs.records().get(0).getMessage())
        .isEqualTo("Failed to close test files: java.io.IOException: injected force failure");
  }
}
