package io.github.otlpfile.internal.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.OverflowPolicy;
import io.github.otlpfile.internal.encode.EncodedBuffer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackgroundWriterTest {
  private static final String THREAD_NAME = "background-writer-test";

  /** Records what reaches it and completes every result with success. */
  private static final class RecordingSink implements LaneSink {
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    volatile RuntimeException failure;

    @Override
    public void write(List<PendingWrite> entries) {
      if (failure != null) {
        throw failure;
      }
      for (PendingWrite entry : entries) {
        seen.add(entry.getKind() + ":" + entry.getSize());
        entry.getResult().succeed();
      }
    }

    @Override
    public void tick() {
      seen.add("tick");
    }
  }

  private static PendingWrite data(int bytes) {
    EncodedBuffer buffer = new EncodedBuffer(bytes);
    buffer.write(new byte[bytes], 0, bytes);
    return PendingWrite.data(buffer, 1, new CompletableResultCode());
  }

  private static boolean writerThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(THREAD_NAME) && t.isAlive());
  }

  private static void awaitNoWriterThread() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (writerThreadAlive()) {
      assertThat(System.nanoTime()).as("writer thread ends").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void writesInOrderAndStopsAfterTheLastLaneThenStartsAgain() {
    BackgroundWriter writer = new BackgroundWriter(THREAD_NAME);
    RecordingSink sink = new RecordingSink();
    Lane lane = writer.register("first", 1000, OverflowPolicy.DROP, sink);

    PendingWrite first = data(10);
    PendingWrite second = data(20);
    assertThat(lane.offer(first)).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(lane.offer(second)).isEqualTo(Lane.Offer.ACCEPTED);
    CompletableResultCode flushed = new CompletableResultCode();
    lane.offerMarker(PendingWrite.flush(flushed));
    assertThat(flushed.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(first.getResult().isSuccess()).isTrue();
    assertThat(second.getResult().isSuccess()).isTrue();
    assertThat(sink.seen).containsSubsequence("DATA:10", "DATA:20", "FLUSH:0");
    // The room is given back right after the sink returns, just after the results complete.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (lane.getBufferedBytes() != 0) {
      assertThat(System.nanoTime()).as("room released").isLessThan(deadline);
      Thread.onSpinWait();
    }

    CompletableResultCode closed = new CompletableResultCode();
    lane.offerMarker(PendingWrite.close(closed));
    assertThat(closed.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    awaitNoWriterThread();
    assertThat(writer.getBuffer().isEmpty()).isTrue();

    // A new exporter after the last one closed gets a new thread.
    RecordingSink later = new RecordingSink();
    Lane again = writer.register("second", 1000, OverflowPolicy.DROP, later);
    PendingWrite third = data(5);
    assertThat(again.offer(third)).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(third.getResult().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    CompletableResultCode closedAgain = new CompletableResultCode();
    again.offerMarker(PendingWrite.close(closedAgain));
    assertThat(closedAgain.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  @Test
  void aSinkThatThrowsFailsItsEntriesButNotTheThread() {
    BackgroundWriter writer = new BackgroundWriter(THREAD_NAME + "-2");
    RecordingSink broken = new RecordingSink();
    broken.failure = new IllegalStateException("broken sink");
    RecordingSink healthy = new RecordingSink();
    Lane bad = writer.register("bad", 1000, OverflowPolicy.DROP, broken);
    Lane good = writer.register("good", 1000, OverflowPolicy.DROP, healthy);

    PendingWrite lost = data(7);
    bad.offer(lost);
    assertThat(lost.getResult().join(10, TimeUnit.SECONDS).isSuccess()).isFalse();

    PendingWrite kept = data(3);
    good.offer(kept);
    assertThat(kept.getResult().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    broken.failure = null;
    for (Lane lane : List.of(bad, good)) {
      CompletableResultCode closed = new CompletableResultCode();
      lane.offerMarker(PendingWrite.close(closed));
      assertThat(closed.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
  }
}
