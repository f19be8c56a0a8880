/*
 * Copyright The otlp-file-exporter Authors
 * SPDX-License-Identifier: Apache-2.0
 */

package io.github.otlpfile.internal.forward;

import static io.github.otlpfile.CircuitState.CLOSED;
import static io.github.otlpfile.CircuitState.HALF_OPEN;
import static io.github.otlpfile.CircuitState.OPEN;
import static io.github.otlpfile.internal.forward.CircuitBreaker.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.CircuitState;
import io.opentelemetry.sdk.common.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private static final Duration OPEN_DURATION = Duration.ofSeconds(30);

  private final FakeClock clock = new FakeClock(1_000_000_000L);
  private final RecordingListener listener = new RecordingListener();
  private ExecutorService pool;

  @AfterEach
  void stopPool() throws InterruptedException {
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private CircuitBreaker breaker(int failureThreshold) {
    return breaker(failureThreshold, listener);
  }

  private CircuitBreaker breaker(int failureThreshold, CircuitBreaker.Listener listener) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder()
            .setFailureThreshold(failureThreshold)
            .setOpenDuration(OPEN_DURATION)
            .build();
    return new CircuitBreaker(config, clock, listener);
  }

  /** Reports {@code count} admitted calls as failed. */
  private static void fail(CircuitBreaker breaker, int count) {
    for (int i = 0; i < count; i++) {
      long ticket = breaker.tryAcquire();
      assertThat(ticket).isNotEqualTo(REJECTED);
      breaker.onFailure(ticket);
    }
  }

  /** Opens a breaker of threshold 1, waits out the open duration and returns the probe ticket. */
  private long openAndAdmitProbe(CircuitBreaker breaker) {
    fail(breaker, 1);
    clock.advance(OPEN_DURATION);
    long probe = breaker.tryAcquire();
    assertThat(probe).isNotEqualTo(REJECTED);
    assertThat(breaker.getState()).isEqualTo(HALF_OPEN);
    return probe;
  }

  @Test
  void startsClosedAndAdmitsCalls() {
    CircuitBreaker breaker = breaker(5);

    assertThat(breaker.getState()).isEqualTo(CLOSED);
    for (int i = 0; i < 10; i++) {
      long ticket = breaker.tryAcquire();
      assertThat(ticket).isNotEqualTo(REJECTED);
      breaker.onSuccess(ticket);
    }
    assertThat(breaker.getState()).isEqualTo(CLOSED);
    assertThat(listener.transitions()).isEmpty();
  }

  @Test
  void thresholdMinusOneFailuresKeepItClosed() {
    CircuitBreaker breaker = breaker(3);

    fail(breaker, 2);

    assertThat(breaker.getState()).isEqualTo(CLOSED);
    assertThat(breaker.tryAcquire()).isNotEqualTo(REJECTED);
    assertThat(listener.transitions()).isEmpty();
  }

  @Test
  void thresholdFailuresOpenIt() {
    CircuitBreaker breaker = breaker(3);

    fail(breaker, 3);

    assertThat(breaker.getState()).isEqualTo(OPEN);
    assertThat(breaker.tryAcquire()).isEqualTo(REJECTED);
    assertThat(listener.transitions()).containsExactly("CLOSED->OPEN");
  }

  @Test
  void thresholdOneOpensOnTheFirstFailure() {
    CircuitBreaker breaker = breaker(1);

    fail(breaker, 1);

    assertThat(breaker.getState()).isEqualTo(OPEN);
    assertThat(listener.transitions()).containsExactly("CLOSED->OPEN");
  }

  @Test
  void successResetsConsecutiveFailures() {
    CircuitBreaker breaker = breaker(3);

    fail(breaker, 2);
    breaker.onSuccess(breaker.tryAcquire());
    fail(breaker, 2);
    assertThat(breaker.getState()).isEqualTo(CLOSED);

    fail(breaker, 1);
    assertThat(breaker.getState()).isEqualTo(OPEN);
  }

  @Test
  void failuresInterleavedWithSuccessesNeverOpenIt() {
    CircuitBreaker breaker = breaker(2);

    for (int i = 0; i < 10; i++) {
      fail(breaker, 1);
      breaker.onSuccess(breaker.tryAcquire());
    }

    assertThat(breaker.getState()).isEqualTo(CLOSED);
    assertThat(listener.transitions()).isEmpty();
  }

  @Test
  void noProbeBeforeTheOpenDurationHasElapsed() {
    CircuitBreaker breaker = breaker(1);
    fail(breaker, 1);

    clock.advance(OPEN_DURATION.minusNanos(1));

    assertThat(breaker.tryAcquire()).isEqualTo(REJECTED);
    assertThat(breaker.getState()).isEqualTo(OPEN);
    assertThat(listener.transitions()).containsExactly("CLOSED->OPEN");
  }

  @Test
  void probeExactlyAtTheOpenDuration() {
    CircuitBreaker breaker = breaker(1);
    fail(breaker, 1);
    clock.advance(OPEN_DURATION.minusNanos(1));
    assertThat(breaker.tryAcquire()).isEqualTo(REJECTED);

    clock.advance(Duration.ofNanos(1));

    // The move to HALF_OPEN happens when the probe is admitted, not when time passes.
    assertThat(breaker.getState()).isEqualTo(OPEN);
    assertThat(breaker.tryAcquire()).isNotEqualTo(REJECTED);
    assertThat(breaker.getState()).isEqualTo(HALF_OPEN);
    assertThat(listener.transitions()).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
  }

  @Test
  void onlyOneProbeWhileHalfOpen() {
    CircuitBreaker breaker = breaker(1);
    openAndAdmitProbe(breaker);

    for (int i = 0; i < 5; i++) {
      assertThat(breaker.tryAcquire()).isEqualTo(REJECTED);
      clock.advance(OPEN_DURATION);
    }
    assertThat(breaker.getState()).isEqualTo(HALF_OPEN);
  }

  @Test
  void ticketsGrowWithEveryTransitionAndNeverLookRejected() {
    CircuitBreaker breaker = breaker(1);
    long first = breaker.tryAcquire();
    long previous = first;
    for (int cycle = 0; cycle < 3; cycle++) {
      breaker.onFailure(breaker.tryAcquire());
      clock.advance(OPEN_DURATION);
      long probe = breaker.tryAcquire();
      assertThat(probe).isGreaterThan(previous);
      breaker.onSuccess(probe);
      long closed = breaker.tryAcquire();
      assertThat(closed).isGreaterThan(probe);
      previous = closed;
    }
    assertThat(first).isNotNegative();
  }

  @Test
  void probeSuccessClosesAndResetsFailures() {
    CircuitBreaker breaker = breaker(2);
    fail(breaker, 2);
    clock.advance(OPEN_DURATION);
    long probe = breaker.tryAcquire();

    breaker.onSuccess(probe);

    assertThat(breaker.getState()).isEqualTo(CLOSED);
    assertThat(listener.transitions())
        .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    fail(breaker, 1);
    assertThat(breaker.getState()).isEqualTo(CLOSED);
    fail(breaker, 1);
    assertThat(breaker.getState()).isEqualTo(OPEN);
  }

  @Test
  void probeFailureReopensForAFullOpenDuration() {
    CircuitBreaker breaker = breaker(1);
    long probe = openAndAdmitProbe(breaker);
    clock.advance(Duration.ofSeconds(7)); // the probe took a while

    breaker.onFailure(probe);

    assertThat(breaker.getState()).isEqualTo(OPEN);
    assertThat(listener.transitions())
        .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
    clock.advance(OPEN_DURATION.minusNanos(1));
    assertThat(breaker.tryAcquire()).isEqualTo(REJECTED);
    clock.advance(Duration.ofNanos(1));
    assertThat(breaker.tryAcquire()).isNotEqualTo(REJECTED);
    assertThat(breaker.getState()).isEqualTo(HALF_OPEN);
  }

  @Test
  void lateFailureFromBeforeOpeningAndClosingAgainDoesNotCount() {
    CircuitBreaker breaker = breaker(2);
    long early = breaker.tryAcquire();
    fail(breaker, 2);
    clock.advance(OPEN_DURATION);
    breaker.onSuccess(breaker.tryAcquire());
    assertThat(breaker.getState()).isEqualTo(CLOSED);

    breaker.onFailure(early);
    fail(breaker, 1);

    // Only one failure counts since closing, below the threshold of two.
    assertThat(breaker.getState()).isEqualTo(CLOSED);
  }

  @Test
  void lateSuccessFromBeforeOpeningAndClosingAgainDoesNotResetTheCount() {
    CircuitBreaker breaker = breaker(3);
    long early = breaker.tryAcquire();
    fail(breaker, 3);
    clock.advance(OPEN_DURATION);
    breaker.onSuccess(breaker.tryAcquire());
    assertThat(breaker.getState()).isEqualTo(CLOSED);

    fail(breaker, 2);
    breaker.onSuccess(early); // same state as when it was admitted, but an earlier generation
    fail(breaker, 1);

    assertThat(breaker.getState()).isEqualTo(OPEN);
  }

  @Test
  void successAfterACountedFailureResetsTheCountAgain() {
    CircuitBreaker breaker = breaker(2);
    breaker.onSuccess(breaker.tryAcquire()); // nothing counted: changes nothing
    fail(breaker, 1);
    breaker.onSuccess(breaker.tryAcquire()); // resets the one failure
    fail(breaker, 1);
    assertThat(breaker.getState()).isEqualTo(CLOSED);
    fail(breaker, 1);
    assertThat(breaker.getState()).isEqualTo(OPEN);
  }

  @Test
  void lateSuccessFromBeforeOpeningDoesNotCloseIt() {
    CircuitBreaker breaker = breaker(1);
    long early = breaker.tryAcquire();
    fail(breaker, 1);

    breaker.onSuccess(early);
    assertThat(breaker.getState()).isEqualTo(OPEN);

    clock.advance(OPEN_DURATION);
    assertThat(breaker.tryAcquire()).isNotEqualTo(REJECTED);
    breaker.onSuccess(early);

    // Still waiting for the real probe, which is still the only call in flight.
    assertThat(breaker.getState()).isEqualTo(HALF_OPEN);
    assertThat(breaker.tryAcquire()).isEqualTo(REJECTED);
    assertThat(listener.transitions()).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
  }

  @Test
  void lateFailureFromBeforeOpeningDoesNotReopenAHalfOpenBreaker() {
    CircuitBreaker breaker = breaker(1);
    long early = breaker.tryAcquire();
    long probe = openAndAdmitProbe(breaker);

    breaker.onFailure(early);
    assertThat(breaker.getState()).isEqualTo(HALF_OPEN);

    breaker.onSuccess(probe);
    assertThat(breaker.getState()).isEqualTo(CLOSED);
  }

  @Test
  void wouldAdmitAnswersLikeTryAcquireWithoutChangingTheState() {
    CircuitBreaker breaker = breaker(1);
    assertThat(breaker.wouldAdmit()).isTrue();

    fail(breaker, 1);
    assertThat(breaker.wouldAdmit()).isFalse();
    clock.advance(OPEN_DURATION.minusNanos(1));
    assertThat(breaker.wouldAdmit()).isFalse();
    clock.advance(Duration.ofNanos(1));
    assertThat(breaker.wouldAdmit()).isTrue();
    assertThat(breaker.getState()).isEqualTo(OPEN);
    assertThat(listener.transitions()).hasSize(1);

    long probe = breaker.tryAcquire();
    assertThat(breaker.wouldAdmit()).isFalse(); // the probe is in flight
    breaker.onSuccess(probe);
    assertThat(breaker.wouldAdmit()).isTrue();
  }

  @Test
  void aProbeResultReportedTwiceCountsOnce() {
    CircuitBreaker breaker = breaker(1);
    long probe = openAndAdmitProbe(breaker);

    breaker.onSuccess(probe);
    breaker.onFailure(probe);

    assertThat(breaker.getState()).isEqualTo(CLOSED);
    assertThat(listener.transitions())
        .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
  }

  @Test
  void rejectedTicketIsIgnored() {
    CircuitBreaker breaker = breaker(1);

    breaker.onFailure(REJECTED);
    breaker.onSuccess(REJECTED);

    assertThat(breaker.getState()).isEqualTo(CLOSED);
    assertThat(listener.transitions()).isEmpty();
  }

  @Test
  void listenerIsCalledOutsideTheLock() {
    List<CircuitState> seenFromAnotherThread = new CopyOnWriteArrayList<>();
    CircuitBreaker[] holder = new CircuitBreaker[1];
    CircuitBreaker.Listener probing =
        (from, to) -> {
          // Another thread can only read the state if this thread does not hold the lock.
          try {
            seenFromAnotherThread.add(
                CompletableFuture.supplyAsync(() -> holder[0].getState())
                    .get(10, TimeUnit.SECONDS));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
    CircuitBreaker breaker = breaker(1, probing);
    holder[0] = breaker;

    long probe = openAndAdmitProbe(breaker);
    breaker.onSuccess(probe);

    assertThat(seenFromAnotherThread).containsExactly(OPEN, HALF_OPEN, CLOSED);
  }

  @Test
  void failingListenerDoesNotLoseTheProbe() {
    CircuitBreaker breaker =
        breaker(
            1,
            (from, to) -> {
              throw new IllegalStateException("listener failed");
            });

    long probe = openAndAdmitProbe(breaker);
    breaker.onFailure(probe);

    assertThat(breaker.getState()).isEqualTo(OPEN);
  }

  @Test
  void elapsedTimeSurvivesNanoTimeOverflow() {
    clock.set(Long.MAX_VALUE - Duration.ofSeconds(1).toNanos());
    CircuitBreaker breaker = breaker(1);
    fail(breaker, 1);

    clock.advance(OPEN_DURATION.minusNanos(1));
    assertThat(breaker.tryAcquire()).isEqualTo(REJECTED);
    clock.advance(Duration.ofNanos(1));
    assertThat(breaker.tryAcquire()).isNotEqualTo(REJECTED);
  }

  @Test
  void openDurationBeyondTheNanosecondRangeNeverElapses() {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder()
            .setFailureThreshold(1)
            .setOpenDuration(Duration.ofDays(365L * 1000))
            .build();
    CircuitBreaker breaker = new CircuitBreaker(config, clock, listener);
    fail(breaker, 1);

    clock.advance(Duration.ofDays(365L * 200));

    assertThat(breaker.tryAcquire()).isEqualTo(REJECTED);
  }

  @Test
  void constructorRejectsNulls() {
    CircuitBreakerConfig config = CircuitBreakerConfig.getDefault();
    CircuitBreaker.Listener none = CircuitBreaker.Listener.NOOP;

    assertThatThrownBy(() -> new CircuitBreaker(null, clock, none))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("config");
    assertThatThrownBy(() -> new CircuitBreaker(config, null, none))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("clock");
    assertThatThrownBy(() -> new CircuitBreaker(config, clock, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listener");
  }

  @Test
  void noopListenerWorks() {
    CircuitBreaker breaker = breaker(1, CircuitBreaker.Listener.NOOP);

    breaker.onSuccess(openAndAdmitProbe(breaker));

    assertThat(breaker.getState()).isEqualTo(CLOSED);
  }

  @Test
  void exactlyOneOfManyConcurrentCallersBecomesTheProbe() throws Exception {
    int threads = 100;
    int rounds = 50;
    pool = Executors.newFixedThreadPool(threads);
    CyclicBarrier start = new CyclicBarrier(threads);
    CircuitBreaker breaker = breaker(1);
    fail(breaker, 1);

    for (int round = 0; round < rounds; round++) {
      clock.advance(OPEN_DURATION);
      List<Future<Long>> tickets = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        tickets.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  return breaker.tryAcquire();
                }));
      }
      List<Long> admitted = new ArrayList<>();
      for (Future<Long> ticket : tickets) {
        long t = ticket.get(10, TimeUnit.SECONDS);
        if (t != REJECTED) {
          admitted.add(t);
        }
      }

      assertThat(admitted).as("round %d", round).hasSize(1);
      assertThat(breaker.getState()).isEqualTo(HALF_OPEN);
      breaker.onFailure(admitted.get(0)); // reopen for the next round
      assertThat(breaker.getState()).isEqualTo(OPEN);
    }

    assertThat(listener.transitions()).filteredOn("OPEN->HALF_OPEN"::equals).hasSize(rounds);
    assertThat(listener.transitions()).filteredOn("HALF_OPEN->OPEN"::equals).hasSize(rounds);
  }

  @Test
  void concurrentFailuresOpenItExactlyOnce() throws Exception {
    int threads = 100;
    pool = Executors.newFixedThreadPool(threads);
    CyclicBarrier start = new CyclicBarrier(threads);

    for (int round = 0; round < 20; round++) {
      RecordingListener roundListener = new RecordingListener();
      CircuitBreaker breaker = breaker(10, roundListener);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        // Every thread holds a ticket from before the breaker opened.
        long first = breaker.tryAcquire();
        done.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  breaker.onFailure(first);
                  for (int call = 0; call < 20; call++) {
                    long ticket = breaker.tryAcquire();
                    if (ticket != REJECTED) {
                      breaker.onFailure(ticket);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(10, TimeUnit.SECONDS);
      }

      assertThat(breaker.getState()).as("round %d", round).isEqualTo(OPEN);
      assertThat(roundListener.transitions()).as("round %d", round).containsExactly("CLOSED->OPEN");
    }
  }

  /** A clock whose time only moves when a test moves it. */
  private static final class FakeClock implements Clock {
    private final AtomicLong nanos;

    FakeClock(long startNanos) {
      this.nanos = new AtomicLong(startNanos);
    }

    void advance(Duration duration) {
      nanos.addAndGet(duration.toNanos());
    }

    void set(long value) {
      nanos.set(value);
    }

    @Override
    public long now() {
      return nanos.get();
    }

    @Override
    public long nanoTime() {
      return nanos.get();
    }
  }

  /** Records each transition as "FROM->TO", from any thread. */
  private static final class RecordingListener implements CircuitBreaker.Listener {
    private final List<String> transitions = new CopyOnWriteArrayList<>();

    @Override
    public void onStateChange(CircuitState from, CircuitState to) {
      transitions.add(from + "->" + to);
    }

    List<String> transitions() {
      return transitions;
    }
  }
}
