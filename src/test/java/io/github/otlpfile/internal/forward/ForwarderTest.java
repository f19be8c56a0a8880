package io.github.otlpfile.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.CircuitState;
import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.support.LogCapture;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The forwarder with fake delegates that succeed, fail, throw, hang or block their caller. */
class ForwarderTest {
  private static final Duration OPEN_DURATION = Duration.ofSeconds(30);
  private static final Duration TIMEOUT = Duration.ofMillis(200);

  private final TestClock clock = TestClock.create();
  private final ExporterCounters counters = new ExporterCounters();
  private final FakeDelegate fake = new FakeDelegate();
  @RegisterExtension final LogCapture logs = LogCapture.of(Forwarder.class.getName());
  private final CountDownLatch unblock = new CountDownLatch(1);

  @AfterEach
  void releaseBlockedCalls() {
    unblock.countDown();
  }

  /** What the fake delegate does with the next export, flush or shutdown call. */
  enum Behaviour {
    SUCCEED,
    FAIL,
    THROW,
    RETURN_NULL,
    /** Returns a result that completes only when the test completes it. */
    PENDING,
    /** Blocks the calling thread until the test ends, then succeeds. */
    BLOCK
  }

  final class FakeDelegate {
    volatile Behaviour export = Behaviour.SUCCEED;
    volatile Behaviour flush = Behaviour.SUCCEED;
    volatile Behaviour shutdown = Behaviour.SUCCEED;
    final List<List<String>> received = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<CompletableResultCode> pending = new ConcurrentLinkedQueue<>();
    final AtomicInteger flushes = new AtomicInteger();
    final AtomicInteger shutdowns = new AtomicInteger();
    final List<String> threads = new CopyOnWriteArrayList<>();

    ForwardDelegate<String> delegate() {
      return ForwardDelegate.create(
          "fake",
          items -> {
            threads.add(Thread.currentThread().getName());
            received.add(new ArrayList<>(items));
            return act(export);
          },
          () -> {
            flushes.incrementAndGet();
            return act(flush);
          },
          () -> {
            shutdowns.incrementAndGet();
            return act(shutdown);
          });
    }

    private CompletableResultCode act(Behaviour behaviour) {
      switch (behaviour) {
        case FAIL:
          return CompletableResultCode.ofFailure();
        case THROW:
          throw new IllegalStateException("delegate broke");
        case RETURN_NULL:
          return null;
        case PENDING:
          CompletableResultCode result = new CompletableResultCode();
          pending.add(result);
          return result;
        case BLOCK:
          try {
            unblock.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return CompletableResultCode.ofSuccess();
        default:
          return CompletableResultCode.ofSuccess();
      }
    }
  }

  private Forwarder<String> forwarder(int maxInFlight, int failureThreshold) {
    return forwarder(maxInFlight, failureThreshold, ForwardSettings::copyOfCollection);
  }

  private Forwarder<String> forwarder(
      int maxInFlight, int failureThreshold, UnaryOperator<Collection<String>> snapshot) {
    return new Forwarder<>(
        Signal.TRACES, settings(maxInFlight, failureThreshold, snapshot), clock, counters);
  }

  private ForwardSettings<String> settings(
      int maxInFlight, int failureThreshold, UnaryOperator<Collection<String>> snapshot) {
    return settings(
        TIMEOUT,
        maxInFlight,
        CircuitBreakerConfig.builder()
            .setFailureThreshold(failureThreshold)
            .setOpenDuration(OPEN_DURATION)
            .build(),
        snapshot);
  }

  private ForwardSettings<String> settings(
      Duration timeout,
      int maxInFlight,
      CircuitBreakerConfig breaker,
      UnaryOperator<Collection<String>> snapshot) {
    return new ForwardSettings<>("fake", fake::delegate, timeout, maxInFlight, breaker, snapshot);
  }

  /** Hands a batch of {@code count} items to the forwarder and reports its local write. */
  private static void written(Forwarder<String> forwarder, int count, boolean success) {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      items.add("item-" + i);
    }
    CompletableResultCode write = new CompletableResultCode();
    forwarder.afterQueued(items, items.size(), write);
    if (success) {
      write.succeed();
    } else {
      write.fail();
    }
  }

  /** Waits until every admitted batch has settled and the delegate has flushed. */
  private static void settle(Forwarder<String> forwarder) {
    CompletableResultCode flushed =
        forwarder.flushAfter(CompletableResultCode.ofSuccess()).join(10, TimeUnit.SECONDS);
    assertThat(flushed.isDone()).isTrue();
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("condition not met in time").isNegative();
      Thread.onSpinWait();
    }
  }

  private void assertCounts(long forwarded, long failed, long skipped) {
    assertThat(counters.forwardedItems.sum()).as("forwarded").isEqualTo(forwarded);
    assertThat(counters.forwardFailedItems.sum()).as("failed").isEqualTo(failed);
    assertThat(counters.forwardSkippedItems.sum()).as("skipped").isEqualTo(skipped);
  }

  private List<String> messages(Level level) {
    List<String> messages = new ArrayList<>();
    for (LogRecord record : logs.records()) {
      if (record.getLevel().equals(level)) {
        messages.add(record.getMessage());
      }
    }
    return messages;
  }

  @Test
  void forwardsACopyOfTheBatchOnAForwardingThreadAfterTheWrite() {
    Forwarder<String> forwarder = forwarder(4, 5);
    List<String> items = new ArrayList<>(List.of("a", "b", "c"));
    CompletableResultCode write = new CompletableResultCode();

    forwarder.afterQueued(items, items.size(), write);
    items.clear(); // what a batch processor does once export() has completed
    assertThat(fake.received).isEmpty();
    write.succeed();
    settle(forwarder);

    assertThat(fake.received).containsExactly(List.of("a", "b", "c"));
    assertThat(fake.threads).allMatch(name -> name.startsWith("otlp-file-forward-"));
    assertCounts(3, 0, 0);
    assertThat(counters.getCircuitState()).isEqualTo(CircuitState.CLOSED);
    assertThat(counters.isForwarding()).isTrue();
    assertThat(forwarder.availableSlots()).isEqualTo(4);
  }

  @Test
  void aLazilyMadeBatchWithoutATicketIsMadeAndForwardedAfterTheWrite() {
    Forwarder<String> forwarder = forwarder(4, 5);
    AtomicInteger made = new AtomicInteger();
    CompletableResultCode write = new CompletableResultCode();

    forwarder.afterQueuedLazily(
        () -> {
          made.incrementAndGet();
          return List.of("x", "y");
        },
        2,
        write);
    write.succeed();
    settle(forwarder);

    assertThat(made).hasValue(1);
    assertThat(fake.received).containsExactly(List.of("x", "y"));
    assertCounts(2, 0, 0);
  }

  @Test
  void doesNotForwardOrCountABatchWhoseWriteFailed() {
    Forwarder<String> forwarder = forwarder(4, 5);

    written(forwarder, 5, false);
    settle(forwarder);

    assertThat(fake.received).isEmpty();
    assertCounts(0, 0, 0);
  }

  @Test
  void countsFailuresThrowsAndNullResultsAndOpensAtTheThreshold() {
    Forwarder<String> forwarder = forwarder(4, 3);

    fake.export = Behaviour.FAIL;
    written(forwarder, 1, true);
    settle(forwarder);
    fake.export = Behaviour.THROW;
    written(forwarder, 2, true);
    settle(forwarder);
    assertThat(forwarder.getCircuitState()).isEqualTo(CircuitState.CLOSED);
    fake.export = Behaviour.RETURN_NULL;
    written(forwarder, 4, true);
    settle(forwarder);

    assertCounts(0, 7, 0);
    assertThat(forwarder.getCircuitState()).isEqualTo(CircuitState.OPEN);
    assertThat(counters.circuitOpened.sum()).isEqualTo(1);
    assertThat(forwarder.availableSlots()).isEqualTo(4);
  }

  @Test
  void skipsWithoutCopyingWhileOpenAndProbesOnceTheOpenDurationHasPassed() {
    AtomicInteger copies = new AtomicInteger();
    Forwarder<String> forwarder =
        forwarder(
            4,
            1,
            items -> {
              copies.incrementAndGet();
              return ForwardSettings.copyOfCollection(items);
            });
    fake.export = Behaviour.FAIL;
    written(forwarder, 3, true);
    settle(forwarder);
    assertThat(forwarder.getCircuitState()).isEqualTo(CircuitState.OPEN);

    written(forwarder, 5, true);
    written(forwarder, 5, true);
    settle(forwarder);
    assertThat(copies).hasValue(1);
    assertThat(fake.received).hasSize(1);
    assertCounts(0, 3, 10);

    fake.export = Behaviour.SUCCEED;
    clock.advance(OPEN_DURATION);
    written(forwarder, 7, true);
    settle(forwarder);
    written(forwarder, 2, true);
    settle(forwarder);

    assertCounts(9, 3, 10);
    assertThat(forwarder.getCircuitState()).isEqualTo(CircuitState.CLOSED);
    assertThat(counters.circuitOpened.sum()).isEqualTo(1);
    assertThat(counters.circuitHalfOpened.sum()).isEqualTo(1);
    assertThat(counters.circuitClosed.sum()).isEqualTo(1);
    // Opening and closing are logged once each at INFO, the closing with what was skipped.
    assertThat(messages(Level.INFO)).hasSize(2);
    assertThat(messages(Level.INFO).get(0)).contains("paused after 1 consecutive failed");
    assertThat(messages(Level.INFO).get(1)).contains("resumed").contains("10 spans");
  }

  @Test
  void aFailedProbeReopensTheBreaker() {
    Forwarder<String> forwarder = forwarder(4, 1);
    fake.export = Behaviour.FAIL;
    written(forwarder, 1, true);
    settle(forwarder);
    clock.advance(OPEN_DURATION);

    written(forwarder, 1, true);
    settle(forwarder);

    assertThat(forwarder.getCircuitState()).isEqualTo(CircuitState.OPEN);
    assertThat(counters.circuitOpened.sum()).isEqualTo(2);
    assertThat(messages(Level.INFO)).hasSize(1);
    assertThat(messages(Level.FINE)).anyMatch(m -> m.contains("probe batch failed"));
  }

  @Test
  void timesOutAResultThatNeverCompletesAndIgnoresItsLateAnswer() {
    Forwarder<String> forwarder = forwarder(4, 1);
    fake.export = Behaviour.PENDING;

    written(forwarder, 6, true);
    settle(forwarder);

    assertCounts(0, 6, 0);
    assertThat(forwarder.getCircuitState()).isEqualTo(CircuitState.OPEN);
    assertThat(forwarder.availableSlots()).isEqualTo(4);
    assertThat(messages(Level.WARNING)).anyMatch(m -> m.contains("timed out after PT0.2S"));
    assertThat(logs.records())
        .filteredOn(r -> r.getMessage().contains("timed out"))
        .allMatch(r -> r.getThrown() == null, "logged without a stack trace");

    fake.pending.remove().succeed(); // the late answer counts for nothing
    assertCounts(0, 6, 0);
    assertThat(forwarder.getCircuitState()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void boundsTheBatchesInFlightAndSkipsWhenSaturated() {
    Forwarder<String> forwarder =
        new Forwarder<>(
            Signal.TRACES,
            settings(
                Duration.ofSeconds(30),
                2,
                CircuitBreakerConfig.getDefault(),
                ForwardSettings::copyOfCollection),
            clock,
            counters);
    fake.export = Behaviour.PENDING;

    written(forwarder, 1, true);
    written(forwarder, 1, true);
    written(forwarder, 10, true);
    await(() -> fake.pending.size() == 2);

    assertCounts(0, 0, 10);
    assertThat(forwarder.availableSlots()).isZero();
    CompletableResultCode flush = forwarder.flushAfter(CompletableResultCode.ofSuccess());
    assertThat(flush.isDone()).isFalse();

    fake.pending.remove().succeed();
    fake.pending.remove().fail();
    assertThat(flush.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertCounts(1, 1, 10);
    assertThat(forwarder.availableSlots()).isEqualTo(2);
    fake.export = Behaviour.SUCCEED;
    written(forwarder, 4, true);
    settle(forwarder);
    assertCounts(5, 1, 10);
  }

  @Test
  void whatSettlesCancelsItsTimeoutSoNoneIsLeftWaitingInTheTimer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    timer.setRemoveOnCancelPolicy(true); // as the shared timer: a cancelled task leaves the queue
    try {
      Forwarder<String> forwarder =
          new Forwarder<>(
              Signal.TRACES,
              settings(
                  Duration.ofSeconds(30),
                  2,
                  CircuitBreakerConfig.builder().setFailureThreshold(100).build(),
                  ForwardSettings::copyOfCollection),
              clock,
              counters,
              ForwardExecutors.sender(),
              timer);
      for (Behaviour behaviour :
          new Behaviour[] {
            Behaviour.SUCCEED, Behaviour.FAIL, Behaviour.THROW, Behaviour.RETURN_NULL
          }) {
        fake.export = behaviour;
        fake.flush = behaviour;
        written(forwarder, 1, true);
        settle(forwarder);
        // A 30 s timeout per batch and per flush left behind would pile up under load.
        assertThat(timer.getQueue()).as("after %s", behaviour).isEmpty();
      }
      assertCounts(1, 3, 0);
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void aDelegateThatBlocksItsCallerTimesOutButKeepsItsSlotUntilItReturns() {
    Forwarder<String> forwarder = forwarder(1, 5);
    fake.export = Behaviour.BLOCK;

    written(forwarder, 2, true);
    settle(forwarder); // settles by the timeout while the delegate still blocks
    assertCounts(0, 2, 0);
    written(forwarder, 3, true);
    assertCounts(0, 2, 3);

    fake.export = Behaviour.SUCCEED;
    unblock.countDown();
    await(() -> forwarder.availableSlots() == 1);
    written(forwarder, 4, true);
    settle(forwarder);
    assertCounts(4, 2, 3);
  }

  @Test
  void aBatchTheExecutorRejectsCountsAsFailed() {
    Executor rejecting =
        task -> {
          throw new RejectedExecutionException("full");
        };
    Forwarder<String> forwarder =
        new Forwarder<>(
            Signal.TRACES,
            settings(2, 5, ForwardSettings::copyOfCollection),
            clock,
            counters,
            rejecting,
            ForwardExecutors.timer());

    written(forwarder, 3, true);

    assertCounts(0, 3, 0);
    assertThat(forwarder.availableSlots()).isEqualTo(2);
    assertThat(forwarder.flushAfter(CompletableResultCode.ofSuccess()).isDone()).isTrue();
  }

  @Test
  void aBatchThatCannotBeCopiedCountsAsFailedOnceWritten() {
    Forwarder<String> forwarder =
        forwarder(
            4,
            5,
            items -> {
              throw new IllegalArgumentException("cannot copy");
            });

    written(forwarder, 3, true);
    written(forwarder, 5, false);
    settle(forwarder);

    assertCounts(0, 3, 0);
    assertThat(fake.received).isEmpty();
    assertThat(messages(Level.WARNING))
        .anyMatch(m -> m.startsWith("Failed to copy 3 spans for forwarding"));
  }

  /** A forwarder whose timeout never cuts a batch short in these tests. */
  private Forwarder<String> patientForwarder(int maxInFlight, AtomicInteger copies) {
    return new Forwarder<>(
        Signal.TRACES,
        settings(
            Duration.ofSeconds(Long.MAX_VALUE),
            maxInFlight,
            CircuitBreakerConfig.getDefault(),
            items -> {
              copies.incrementAndGet();
              return ForwardSettings.copyOfCollection(items);
            }),
        clock,
        counters);
  }

  @Test
  void aBatchThatFindsEverySlotBusyIsSkippedWithoutBeingCopied() {
    AtomicInteger copies = new AtomicInteger();
    Forwarder<String> forwarder = patientForwarder(1, copies);
    fake.export = Behaviour.PENDING;
    written(forwarder, 1, true);
    await(() -> fake.pending.size() == 1);

    written(forwarder, 4, true);

    assertThat(copies).hasValue(1);
    assertCounts(0, 0, 4);
    fake.pending.remove().succeed();
    settle(forwarder);
    assertCounts(1, 0, 4);
  }

  @Test
  void aDelegateThatThrowsOrAnswersNullSettlesAtOnceNotAtTheTimeout() {
    Forwarder<String> forwarder = patientForwarder(4, new AtomicInteger());
    fake.export = Behaviour.THROW;
    written(forwarder, 2, true);
    assertThat(
            forwarder
                .flushAfter(CompletableResultCode.ofSuccess())
                .join(3, TimeUnit.SECONDS)
                .isDone())
        .isTrue();
    fake.export = Behaviour.RETURN_NULL;
    written(forwarder, 3, true);
    assertThat(
            forwarder
                .flushAfter(CompletableResultCode.ofSuccess())
                .join(3, TimeUnit.SECONDS)
                .isDone())
        .isTrue();

    assertCounts(0, 5, 0);
    LogRecord warning =
        logs.records().stream()
            .filter(r -> r.getLevel().equals(Level.WARNING))
            .findFirst()
            .orElseThrow();
    assertThat(warning.getMessage())
        .contains("Failed to forward 2 spans")
        .contains("delegate broke");
    assertThat(warning.getThrown()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aTimeoutTooLongForNanosecondsMeansNoTimeout() {
    Forwarder<String> forwarder = patientForwarder(4, new AtomicInteger());
    fake.export = Behaviour.PENDING;
    written(forwarder, 2, true);
    await(() -> fake.pending.size() == 1);

    fake.pending.remove().succeed();
    settle(forwarder);

    assertCounts(2, 0, 0);
  }

  @Test
  void eachClosingReportsWhatWasSkippedSinceTheBreakerOpened() {
    Forwarder<String> forwarder = forwarder(4, 1);
    for (int skipped : new int[] {3, 2}) {
      fake.export = Behaviour.FAIL;
      written(forwarder, 1, true);
      settle(forwarder);
      written(forwarder, skipped, true);
      fake.export = Behaviour.SUCCEED;
      clock.advance(OPEN_DURATION);
      written(forwarder, 1, true);
      settle(forwarder);
      assertThat(forwarder.getCircuitState()).isEqualTo(CircuitState.CLOSED);
    }

    List<String> resumed = new ArrayList<>();
    for (String message : messages(Level.INFO)) {
      if (message.contains("resumed")) {
        resumed.add(message);
      }
    }
    assertThat(resumed).hasSize(2);
    assertThat(resumed.get(0)).contains("; 3 spans were not forwarded");
    assertThat(resumed.get(1)).contains("; 2 spans were not forwarded");
  }

  @Test
  void flushWaitsForTheLocalFlushAndCombinesItWithTheDelegates() {
    Forwarder<String> forwarder = forwarder(4, 5);
    CompletableResultCode local = new CompletableResultCode();

    CompletableResultCode flush = forwarder.flushAfter(local);
    assertThat(flush.isDone()).isFalse();
    assertThat(fake.flushes).hasValue(0);
    local.succeed();

    assertThat(flush.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(fake.flushes).hasValue(1);

    assertThat(
            forwarder
                .flushAfter(CompletableResultCode.ofFailure())
                .join(10, TimeUnit.SECONDS)
                .isSuccess())
        .isFalse();
    assertThat(fake.flushes).hasValue(2);
    fake.flush = Behaviour.FAIL;
    assertThat(flushResult(forwarder).isSuccess()).isFalse();
    fake.flush = Behaviour.THROW;
    assertThat(flushResult(forwarder).isSuccess()).isFalse();
    fake.flush = Behaviour.RETURN_NULL;
    assertThat(flushResult(forwarder).isSuccess()).isFalse();
    fake.flush = Behaviour.PENDING;
    CompletableResultCode hung = flushResult(forwarder);
    assertThat(hung.isDone()).isTrue();
    assertThat(hung.isSuccess()).isFalse();
    assertThat(messages(Level.WARNING)).anyMatch(m -> m.contains("did not flush within"));
  }

  private static CompletableResultCode flushResult(Forwarder<String> forwarder) {
    return forwarder.flushAfter(CompletableResultCode.ofSuccess()).join(10, TimeUnit.SECONDS);
  }

  @Test
  void shutdownShutsTheDelegateDownAfterTheLocalFilesAndTheLastBatches() {
    Forwarder<String> forwarder = forwarder(4, 5);
    fake.export = Behaviour.PENDING;
    written(forwarder, 2, true);
    await(() -> fake.pending.size() == 1);
    CompletableResultCode local = new CompletableResultCode();

    CompletableResultCode shutdown = forwarder.shutdownAfter(local);
    local.succeed();
    assertThat(fake.shutdowns).hasValue(0); // the batch is still in flight

    fake.pending.remove().succeed();
    assertThat(shutdown.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(fake.shutdowns).hasValue(1);
    assertCounts(2, 0, 0);
  }

  @Test
  void shutdownFailsWhenTheDelegateFailsToShutDown() {
    Forwarder<String> forwarder = forwarder(4, 5);
    fake.shutdown = Behaviour.THROW;

    CompletableResultCode shutdown = forwarder.shutdownAfter(CompletableResultCode.ofSuccess());

    assertThat(shutdown.join(10, TimeUnit.SECONDS).isSuccess()).isFalse();
    assertThat(fake.shutdowns).hasValue(1);
  }

  @Test
  void describesTheTargetAndSettings() {
    Forwarder<String> forwarder = forwarder(3, 5);

    assertThat(forwarder.toString())
        .isEqualTo(
            "forwardTo=fake, forwardTimeout=PT0.2S, forwardMaxInFlight=3, circuitBreaker="
                + "CircuitBreakerConfig{failureThreshold=5, openDuration=PT30S},"
                + " forwardCatchUp=false, forwardCatchUpRate=10000");
  }
}
