package io.github.otlpfile.internal.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.OverflowPolicy;
import io.github.otlpfile.internal.encode.EncodedBuffer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
    assertThat(drained).extracting(PendingWrite::getSize).containsExactly(60, 40);
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
    Thread producer = new Thread(() -> blocked.complete(lane.offer(batch(5))));
    producer.start();
    awaitWaiting(producer);

    producer.interrupt();

    assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(Lane.Offer.FULL);
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
}
