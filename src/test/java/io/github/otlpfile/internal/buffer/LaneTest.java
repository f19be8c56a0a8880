package io.github.otlpfile.internal.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.OverflowPolicy;
import io.github.otlpfile.internal.encode.EncodedBuffer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LaneTest {
  private static final LaneSink UNUSED =
      new LaneSink() {
        @Override
        public void write(List<PendingWrite> entries) {
          throw new AssertionError("no writer in this test");
        }

        @Override
        public void tick() {}
      };

  private final BatchBuffer buffer = new BatchBuffer();

  private static PendingWrite batch(int bytes) {
    EncodedBuffer data = new EncodedBuffer(bytes);
    data.write(new byte[bytes], 0, bytes);
    return PendingWrite.data(data, 1, new CompletableResultCode());
  }

  private static void awaitWaiting(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.WAITING) {
      assertThat(System.nanoTime()).as("thread waits").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void dropRefusesWhatDoesNotFitAndKeepsWhatDoes() {
    Lane lane = buffer.addLane("test", 100, OverflowPolicy.DROP, UNUSED);

    assertThat(lane.offer(batch(60))).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(lane.offer(batch(40))).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(lane.offer(batch(1))).isEqualTo(Lane.Offer.FULL);
    assertThat(lane.offer(batch(101))).isEqualTo(Lane.Offer.TOO_LARGE);
    assertThat(lane.getBufferedBytes()).isEqualTo(100);

    List<PendingWrite> drained = new ArrayList<>();
    assertThat(lane.drainTo(drained)).isTrue();
    assertThat(drained).extracting(PendingWrite::getSize).containsExactly(60L, 40L);
    // Drained bytes still count until the writer releases them.
    assertThat(lane.offer(batch(1))).isEqualTo(Lane.Offer.FULL);
    lane.release(100);
    assertThat(lane.offer(batch(1))).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(lane.drainTo(new ArrayList<>())).isTrue();
    assertThat(lane.drainTo(new ArrayList<>())).isFalse();
  }

  @Test
  void blockWaitsForRoom() throws Exception {
    Lane lane = buffer.addLane("test", 100, OverflowPolicy.BLOCK, UNUSED);
    assertThat(lane.offer(batch(80))).isEqualTo(Lane.Offer.ACCEPTED);
    CompletableFuture<Lane.Offer> blocked = new CompletableFuture<>();
    Thread producer = new Thread(() -> blocked.complete(lane.offer(batch(50))));
    producer.start();

    awaitWaiting(producer);
    assertThat(blocked).isNotDone();
    lane.drainTo(new ArrayList<>());
    lane.release(80);

    assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(lane.getBufferedBytes()).isEqualTo(50);
  }

  @Test
  void closingReleasesBlockedProducersAndRefusesMore() throws Exception {
    Lane lane = buffer.addLane("test", 10, OverflowPolicy.BLOCK, UNUSED);
    assertThat(lane.offer(batch(10))).isEqualTo(Lane.Offer.ACCEPTED);
    CompletableFuture<Lane.Offer> blocked = new CompletableFuture<>();
    Thread producer = new Thread(() -> blocked.complete(lane.offer(batch(5))));
    producer.start();
    awaitWaiting(producer);

    assertThat(lane.offerMarker(PendingWrite.close(new CompletableResultCode()))).isTrue();

    assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(Lane.Offer.CLOSED);
    assertThat(lane.offer(batch(1))).isEqualTo(Lane.Offer.CLOSED);
    assertThat(lane.offerMarker(PendingWrite.flush(new CompletableResultCode()))).isFalse();
  }

  @Test
  void interruptedWaitCountsAsFull() throws Exception {
    Lane lane = buffer.addLane("test", 10, OverflowPolicy.BLOCK, UNUSED);
    assertThat(lane.offer(batch(10))).isEqualTo(Lane.Offer.ACCEPTED);
    CompletableFuture<Lane.Offer> blocked = new CompletableFuture<>();
    CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
    Thread producer =
        new Thread(
            () -> {
              blocked.complete(lane.offer(batch(5)));
              stillInterrupted.complete(Thread.currentThread().isInterrupted());
            });
    producer.start();
    awaitWaiting(producer);

    producer.interrupt();

    assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(Lane.Offer.FULL);
    assertThat(stillInterrupted.get(10, TimeUnit.SECONDS))
        .as("the interrupt is kept for the caller")
        .isTrue();
  }

  @Test
  void lanesOfOneBufferAreIndependent() {
    Lane traces = buffer.addLane("traces", 10, OverflowPolicy.DROP, UNUSED);
    Lane logs = buffer.addLane("logs", 10, OverflowPolicy.DROP, UNUSED);

    assertThat(traces.offer(batch(10))).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(logs.offer(batch(10))).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(buffer.getLanes()).containsExactly(traces, logs);

    buffer.removeLane(traces);
    assertThat(buffer.getLanes()).containsExactly(logs);
    assertThat(buffer.isEmpty()).isFalse();
  }

  private static PendingWrite piece(int bytes, long recordBytes) {
    EncodedBuffer data = new EncodedBuffer(bytes);
    data.write(new byte[bytes], 0, bytes);
    return PendingWrite.part(data, recordBytes);
  }

  private static PendingWrite lastPiece(int bytes) {
    EncodedBuffer data = new EncodedBuffer(bytes);
    data.write(new byte[bytes], 0, bytes);
    return PendingWrite.last(data, 1, new CompletableResultCode());
  }

  private static long releaseAll(Lane lane, List<PendingWrite> drained) {
    long bytes = 0;
    for (PendingWrite entry : drained) {
      bytes += entry.getSize();
    }
    lane.release(bytes);
    return bytes;
  }

  @Test
  void aStreamReservesItsRoomUpFrontAndHoldsBackEverythingElse() {
    Lane lane = buffer.addLane("test", 1000, OverflowPolicy.DROP, UNUSED);
    assertThat(lane.openStream(600)).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(lane.getBufferedBytes()).isEqualTo(600);
    assertThat(lane.openStream(100)).as("one stream at a time").isEqualTo(Lane.Offer.BUSY);
    assertThat(lane.offer(batch(500))).as("the stream's room is taken").isEqualTo(Lane.Offer.FULL);

    PendingWrite first = piece(300, 600);
    lane.offerPart(first);
    PendingWrite other = batch(100);
    assertThat(lane.offer(other)).isEqualTo(Lane.Offer.ACCEPTED);
    PendingWrite flush = PendingWrite.flush(new CompletableResultCode());
    assertThat(lane.offerMarker(flush)).isTrue();
    List<PendingWrite> drained = new ArrayList<>();
    assertThat(lane.drainTo(drained)).isTrue();
    assertThat(drained).as("held back until the stream ends").containsExactly(first);
    assertThat(releaseAll(lane, drained)).isEqualTo(300);

    PendingWrite second = piece(200, 0);
    lane.offerPart(second);
    PendingWrite last = lastPiece(100);
    lane.endStream(last);
    drained.clear();
    assertThat(lane.drainTo(drained)).isTrue();
    assertThat(drained).containsExactly(second, last, other, flush);
    releaseAll(lane, drained);
    assertThat(lane.getBufferedBytes()).isZero();
    assertThat(lane.openStream(100)).isEqualTo(Lane.Offer.ACCEPTED);
  }

  @Test
  void anAbortGivesBackTheRoomNoPieceTook() {
    Lane lane = buffer.addLane("test", 1000, OverflowPolicy.DROP, UNUSED);
    assertThat(lane.openStream(800)).isEqualTo(Lane.Offer.ACCEPTED);
    lane.offerPart(piece(300, 800));
    lane.endStream(PendingWrite.abort(500));
    List<PendingWrite> drained = new ArrayList<>();
    lane.drainTo(drained);
    assertThat(drained)
        .extracting(PendingWrite::getKind)
        .containsExactly(PendingWrite.Kind.PART, PendingWrite.Kind.ABORT);
    releaseAll(lane, drained);
    assertThat(lane.getBufferedBytes()).isZero();
  }

  @Test
  void openStreamAnswersLikeOfferWithoutRoom() {
    Lane lane = buffer.addLane("test", 1000, OverflowPolicy.DROP, UNUSED);
    assertThat(lane.openStream(1001)).isEqualTo(Lane.Offer.TOO_LARGE);
    assertThat(lane.offer(batch(600))).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(lane.openStream(500)).isEqualTo(Lane.Offer.FULL);
    assertThat(lane.offerMarker(PendingWrite.close(new CompletableResultCode()))).isTrue();
    assertThat(lane.openStream(10)).isEqualTo(Lane.Offer.CLOSED);
  }

  @Test
  void shutdownDuringAStreamWaitsForItsEnd() {
    Lane lane = buffer.addLane("test", 1000, OverflowPolicy.DROP, UNUSED);
    assertThat(lane.openStream(300)).isEqualTo(Lane.Offer.ACCEPTED);
    PendingWrite close = PendingWrite.close(new CompletableResultCode());
    assertThat(lane.offerMarker(close)).isTrue();
    assertThat(lane.offer(batch(10))).as("closed to new batches").isEqualTo(Lane.Offer.CLOSED);
    PendingWrite first = piece(200, 300);
    lane.offerPart(first);
    PendingWrite last = lastPiece(100);
    lane.endStream(last);
    List<PendingWrite> drained = new ArrayList<>();
    lane.drainTo(drained);
    assertThat(drained).containsExactly(first, last, close);
  }

  @Test
  void blockWaitsForRoomBeforeOpeningAStream() throws Exception {
    Lane lane = buffer.addLane("test", 1000, OverflowPolicy.BLOCK, UNUSED);
    assertThat(lane.offer(batch(800))).isEqualTo(Lane.Offer.ACCEPTED);
    AtomicReference<Lane.Offer> opened = new AtomicReference<>();
    Thread producer = new Thread(() -> opened.set(lane.openStream(500)));
    producer.start();
    awaitWaiting(producer);
    List<PendingWrite> drained = new ArrayList<>();
    lane.drainTo(drained);
    releaseAll(lane, drained);
    producer.join(10_000);
    assertThat(opened.get()).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(lane.getBufferedBytes()).isEqualTo(500);
  }

  @Test
  void entriesHeldBackDuringConsecutiveStreamsAreQueuedOnceEachInOrder() {
    Lane lane = buffer.addLane("test", 1000, OverflowPolicy.DROP, UNUSED);
    List<PendingWrite> drained = new ArrayList<>();

    assertThat(lane.openStream(200)).isEqualTo(Lane.Offer.ACCEPTED);
    PendingWrite firstPiece = piece(100, 200);
    lane.offerPart(firstPiece);
    PendingWrite a = batch(10);
    PendingWrite b = batch(20);
    PendingWrite flush = PendingWrite.flush(new CompletableResultCode());
    assertThat(lane.offer(a)).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(lane.offerMarker(flush)).isTrue();
    assertThat(lane.offer(b)).isEqualTo(Lane.Offer.ACCEPTED);
    PendingWrite firstLast = lastPiece(100);
    lane.endStream(firstLast);
    assertThat(lane.drainTo(drained)).isTrue();
    assertThat(drained).containsExactly(firstPiece, firstLast, a, flush, b);
    releaseAll(lane, drained);

    // The next stream holds back only what arrives during it: nothing of the first comes again.
    drained.clear();
    assertThat(lane.openStream(150)).isEqualTo(Lane.Offer.ACCEPTED);
    PendingWrite c = batch(30);
    assertThat(lane.offer(c)).isEqualTo(Lane.Offer.ACCEPTED);
    PendingWrite secondPiece = piece(100, 150);
    lane.offerPart(secondPiece);
    PendingWrite secondLast = lastPiece(50);
    lane.endStream(secondLast);
    assertThat(lane.drainTo(drained)).isTrue();
    assertThat(drained).containsExactly(secondPiece, secondLast, c);
    releaseAll(lane, drained);

    // And a stream that ends with nothing held back queues only its own entries.
    drained.clear();
    assertThat(lane.openStream(100)).isEqualTo(Lane.Offer.ACCEPTED);
    PendingWrite abort = PendingWrite.abort(100);
    lane.endStream(abort);
    assertThat(lane.drainTo(drained)).isTrue();
    assertThat(drained).containsExactly(abort);
    releaseAll(lane, drained);
    assertThat(lane.getBufferedBytes()).isZero();

    // Between streams nothing is held back.
    drained.clear();
    PendingWrite d = batch(5);
    assertThat(lane.offer(d)).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(lane.drainTo(drained)).isTrue();
    assertThat(drained).containsExactly(d);
  }

  @Test
  void theBufferCountsOpenStreamsSoThatTheWriterSleepsAgainOnceTheyEnd() {
    Lane first = buffer.addLane("first", 1000, OverflowPolicy.DROP, UNUSED);
    Lane second = buffer.addLane("second", 1000, OverflowPolicy.DROP, UNUSED);
    assertThat(buffer.openStreams()).isZero();

    assertThat(first.openStream(300)).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(buffer.openStreams()).isEqualTo(1);
    // Refused streams are not counted.
    assertThat(first.openStream(100)).isEqualTo(Lane.Offer.BUSY);
    assertThat(second.openStream(1001)).isEqualTo(Lane.Offer.TOO_LARGE);
    assertThat(second.openStream(1000)).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(second.openStream(1)).isEqualTo(Lane.Offer.BUSY);
    assertThat(buffer.openStreams()).isEqualTo(2);
    second.endStream(PendingWrite.abort(1000));
    assertThat(buffer.openStreams()).isEqualTo(1);
    assertThat(first.openStream(1)).isEqualTo(Lane.Offer.BUSY);
    assertThat(buffer.openStreams()).isEqualTo(1);

    first.offerPart(piece(200, 300));
    first.endStream(lastPiece(100));
    assertThat(buffer.openStreams()).isZero();
  }

  @Test
  void aRefusedStreamReservesNoRoom() {
    Lane lane = buffer.addLane("test", 1000, OverflowPolicy.DROP, UNUSED);
    assertThat(lane.openStream(400)).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(lane.openStream(400)).isEqualTo(Lane.Offer.BUSY);
    assertThat(lane.getBufferedBytes()).isEqualTo(400);
    assertThat(lane.openStream(2000)).isEqualTo(Lane.Offer.TOO_LARGE);
    assertThat(lane.getBufferedBytes()).isEqualTo(400);
    // A batch that exactly fills the rest of the capacity fits.
    assertThat(lane.offer(batch(600))).isEqualTo(Lane.Offer.ACCEPTED);
    assertThat(lane.getBufferedBytes()).isEqualTo(1000);
    lane.endStream(PendingWrite.abort(400));
    assertThat(buffer.openStreams()).isZero();
  }

  @Test
  void aBusyStreamIsAnsweredAtOnceEvenWhenTheLaneIsFull() throws Exception {
    Lane lane = buffer.addLane("test", 100, OverflowPolicy.BLOCK, UNUSED);
    assertThat(lane.openStream(100)).isEqualTo(Lane.Offer.ACCEPTED);
    // Under BLOCK this would wait for room if it did not see the open stream first.
    CompletableFuture<Lane.Offer> second = new CompletableFuture<>();
    Thread producer = new Thread(() -> second.complete(lane.openStream(50)));
    producer.start();
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(Lane.Offer.BUSY);
  }

  @Test
  void releaseGivesBackRoomAndTheLaneDescribesItself() {
    Lane lane = buffer.addLane("test", 100, OverflowPolicy.DROP, UNUSED);
    assertThat(lane.offer(batch(100))).isEqualTo(Lane.Offer.ACCEPTED);
    lane.release(0);
    assertThat(lane.getBufferedBytes()).isEqualTo(100);
    lane.release(60);
    assertThat(lane.getBufferedBytes()).isEqualTo(40);
    assertThat(lane.toString()).contains("test").contains("100").contains("DROP");
    assertThat(lane.getName()).isEqualTo("test");
    assertThat(lane.getSink()).isSameAs(UNUSED);
  }
}
