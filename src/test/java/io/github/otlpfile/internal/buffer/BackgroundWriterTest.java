package io.github.otlpfile.internal.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.otlpfile.OverflowPolicy;
import io.github.otlpfile.internal.encode.EncodedBuffer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
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

  // The writer's park timeout in the wake-up tests: far longer than any bound below, so that a
  // result completing within the bound shows that the writer was woken, not that it timed out.
  private static final long LONG_IDLE_TICK_NANOS = TimeUnit.MINUTES.toNanos(10);
  // Generous, yet a twentieth of the park timeout.
  private static final long WAKE_BOUND_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** Records every entry, completes results where there are some; pieces have none. */
  private static class PieceSink implements LaneSink {
    final List<PendingWrite> seen = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> writeCalls = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger ticks = new AtomicInteger();

    @Override
    public void write(List<PendingWrite> entries) {
      writeCalls.add(entries.size());
      for (PendingWrite entry : entries) {
        seen.add(entry);
        if (entry.getResult() != null) {
          entry.getResult().succeed();
        }
      }
    }

    @Override
    public void tick() {
      ticks.incrementAndGet();
    }
  }

  private static Thread writerThread(String name) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals(name) && t.isAlive()) {
          return t;
        }
      }
      assertThat(System.nanoTime()).as("writer thread starts").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  /** Waits until the writer is parked with its (long) timeout: only a wake-up moves it now. */
  private static void awaitParked(Thread writer) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (writer.getState() != Thread.State.TIMED_WAITING) {
      assertThat(System.nanoTime()).as("writer parks").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static void awaitWoken(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAKE_BOUND_NANOS;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime())
          .as(what + " long before the writer's park timeout")
          .isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static PendingWrite piece(int bytes, long recordBytes) {
    EncodedBuffer buffer = new EncodedBuffer(bytes);
    buffer.write(new byte[bytes], 0, bytes);
    return PendingWrite.part(buffer, recordBytes);
  }

  private static PendingWrite lastPiece(int bytes) {
    EncodedBuffer buffer = new EncodedBuffer(bytes);
    buffer.write(new byte[bytes], 0, bytes);
    return PendingWrite.last(buffer, 1, new CompletableResultCode());
  }

  private static void close(Lane lane) {
    CompletableResultCode closed = new CompletableResultCode();
    assertThat(lane.offerMarker(PendingWrite.close(closed))).isTrue();
    assertThat(closed.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  @Test
  void anOfferOrAMarkerWakesAParkedWriter() {
    String name = THREAD_NAME + "-wake";
    BackgroundWriter writer = new BackgroundWriter(name, LONG_IDLE_TICK_NANOS);
    PieceSink sink = new PieceSink();
    Lane lane = writer.register("lane", 1000, OverflowPolicy.DROP, sink);
    Thread thread = writerThread(name);
    assertThat(thread.isDaemon()).as("never keeps the application alive").isTrue();

    for (int i = 0; i < 3; i++) {
      awaitParked(thread);
      int ticks = sink.ticks.get();
      PendingWrite write = data(10 + i);
      assertThat(lane.offer(write)).isEqualTo(Lane.Offer.ACCEPTED);
      awaitWoken("an export's result completes", write.getResult()::isDone);
      assertThat(write.getResult().isSuccess()).isTrue();
      // Every pass ends with the sink's periodic work (age rotation), not only the idle ones.
      awaitWoken("the sink's periodic work runs", () -> sink.ticks.get() > ticks);
    }

    awaitParked(thread);
    CompletableResultCode flushed = new CompletableResultCode();
    assertThat(lane.offerMarker(PendingWrite.flush(flushed))).isTrue();
    awaitWoken("a flush completes", flushed::isDone);

    awaitParked(thread);
    CompletableResultCode closed = new CompletableResultCode();
    assertThat(lane.offerMarker(PendingWrite.close(closed))).isTrue();
    awaitWoken("a shutdown completes", closed::isDone);
    awaitWoken("the writer thread ends", () -> !thread.isAlive());
    assertThat(writer.getBuffer().isEmpty()).isTrue();
  }

  @Test
  void piecesOfAStreamedRecordWakeTheWriterOnceEnoughWaitAndItSleepsAgainAfterTheStream() {
    String name = THREAD_NAME + "-stream";
    BackgroundWriter writer = new BackgroundWriter(name, LONG_IDLE_TICK_NANOS);
    PieceSink sink = new PieceSink();
    int wake = (int) Lane.STREAM_WAKE_BYTES;
    Lane lane = writer.register("lane", 4L * wake, OverflowPolicy.DROP, sink);
    Thread thread = writerThread(name);

    for (int record = 0; record < 2; record++) {
      awaitParked(thread);
      assertThat(lane.openStream(3L * wake)).isEqualTo(Lane.Offer.ACCEPTED);
      assertThat(writer.getBuffer().openStreams()).isEqualTo(1);
      PendingWrite first = piece(wake, 3L * wake);
      lane.offerPart(first);
      awaitWoken("the first piece is written", () -> sink.seen.contains(first));
      // With no piece coming the writer parks again, the stream still open.
      awaitParked(thread);
      PendingWrite second = piece(wake, 0);
      lane.offerPart(second);
      awaitWoken("the second piece is written", () -> sink.seen.contains(second));
      PendingWrite held = data(50);
      assertThat(lane.offer(held)).isEqualTo(Lane.Offer.ACCEPTED);
      awaitParked(thread);
      assertThat(sink.seen).as("held back during the stream").doesNotContain(held);
      PendingWrite last = lastPiece(wake);
      lane.endStream(last);
      awaitWoken("the last piece is written", () -> held.getResult().isDone());
      assertThat(last.getResult().isSuccess()).isTrue();
      assertThat(sink.seen.subList(sink.seen.size() - 2, sink.seen.size()))
          .containsExactly(last, held);
      assertThat(writer.getBuffer().openStreams()).as("no stream left open").isZero();
      awaitWoken("the room is released", () -> lane.getBufferedBytes() == 0);
    }
    // Every entry went to the sink exactly once.
    assertThat(sink.seen).hasSize(8).doesNotHaveDuplicates();
    close(lane);
  }

  @Test
  void theWriterStaysParkedWhileAStreamIsOpenUntilEnoughOfItWaits() {
    String name = THREAD_NAME + "-stream-idle";
    BackgroundWriter writer = new BackgroundWriter(name, LONG_IDLE_TICK_NANOS);
    PieceSink sink = new PieceSink();
    int wake = (int) Lane.STREAM_WAKE_BYTES;
    Lane lane = writer.register("lane", 4L * wake, OverflowPolicy.DROP, sink);
    Thread thread = writerThread(name);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    assertThat(threads.isThreadCpuTimeSupported()).isTrue();

    awaitParked(thread);
    assertThat(lane.openStream(2L * wake)).isEqualTo(Lane.Offer.ACCEPTED);
    PendingWrite first = piece(wake / 2, 2L * wake);
    lane.offerPart(first);
    // Open, with less than the wake-up amount waiting: the writer neither runs nor writes.
    long cpuBefore = threads.getThreadCpuTime(thread.getId());
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> thread.getState() == Thread.State.TIMED_WAITING && sink.seen.isEmpty());
    assertThat(threads.getThreadCpuTime(thread.getId()) - cpuBefore)
        .as("CPU nanoseconds the writer used while the stream was idle")
        .isLessThan(TimeUnit.MILLISECONDS.toNanos(30));

    PendingWrite second = piece(wake / 2, 0);
    lane.offerPart(second);
    awaitWoken("the pieces are written once enough of them wait", () -> sink.seen.size() == 2);
    assertThat(sink.seen).containsExactly(first, second);
    awaitParked(thread);
    assertThat(writer.getBuffer().openStreams()).as("parked with the stream open").isEqualTo(1);

    PendingWrite last = lastPiece(wake);
    lane.endStream(last);
    awaitWoken("the last piece is written", () -> last.getResult().isDone());
    assertThat(sink.seen).containsExactly(first, second, last);
    awaitWoken("the room is released", () -> lane.getBufferedBytes() == 0);
    close(lane);
  }

  @Test
  void removesOnlyTheClosedLaneAndWritesTheOthersOn() {
    String name = THREAD_NAME + "-lanes";
    BackgroundWriter writer = new BackgroundWriter(name, LONG_IDLE_TICK_NANOS);
    PieceSink firstSink = new PieceSink();
    PieceSink secondSink = new PieceSink();
    Lane first = writer.register("first", 1000, OverflowPolicy.DROP, firstSink);
    Lane second = writer.register("second", 1000, OverflowPolicy.DROP, secondSink);
    Thread thread = writerThread(name);

    // A flush is not a close: the lane stays.
    CompletableResultCode flushed = new CompletableResultCode();
    first.offerMarker(PendingWrite.flush(flushed));
    awaitWoken("a flush completes", flushed::isDone);
    assertThat(writer.getBuffer().getLanes()).containsExactly(first, second);

    close(first);
    awaitWoken("the closed lane goes", () -> !writer.getBuffer().getLanes().contains(first));
    assertThat(writer.getBuffer().getLanes()).containsExactly(second);
    assertThat(thread.isAlive()).as("the writer still serves the other lane").isTrue();
    PendingWrite write = data(10);
    awaitParked(thread);
    assertThat(second.offer(write)).isEqualTo(Lane.Offer.ACCEPTED);
    awaitWoken("an export's result completes", write.getResult()::isDone);
    close(second);
    awaitWoken("the writer thread ends", () -> !thread.isAlive());
  }

  @Test
  void writesEverythingQueuedBeforeAPassInOneCallAndReleasesItsRoom() throws Exception {
    String name = THREAD_NAME + "-group";
    BackgroundWriter writer = new BackgroundWriter(name, LONG_IDLE_TICK_NANOS);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    PieceSink sink =
        new PieceSink() {
          @Override
          public void write(List<PendingWrite> entries) {
            entered.countDown();
            try {
              proceed.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            super.write(entries);
          }
        };
    Lane lane = writer.register("lane", 1000, OverflowPolicy.DROP, sink);
    PendingWrite first = data(10);
    lane.offer(first);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    // While the writer is busy with the first, three more arrive: they go out together.
    PendingWrite second = data(20);
    PendingWrite third = data(30);
    PendingWrite fourth = data(40);
    lane.offer(second);
    lane.offer(third);
    lane.offer(fourth);
    assertThat(lane.getBufferedBytes()).isEqualTo(100);
    proceed.countDown();
    awaitWoken("all results complete", fourth.getResult()::isDone);
    assertThat(sink.writeCalls).containsExactly(1, 3);
    awaitWoken("the room is released", () -> lane.getBufferedBytes() == 0);
    close(lane);
  }
}
