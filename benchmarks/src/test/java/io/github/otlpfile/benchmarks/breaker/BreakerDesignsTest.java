package io.github.otlpfile.benchmarks.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.CircuitState;
import io.github.otlpfile.benchmarks.lock.CountingLock;
import io.github.otlpfile.internal.forward.CircuitBreaker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's breakers must be what the benchmark says they are: the copies decide exactly as
 * the designs they count, and each design keeps working under concurrent use.
 */
class BreakerDesignsTest {

  @Test
  void singleLockCopyDecidesAsTheLibraryClass() {
    assertSameDecisions(
        (clock, unused) -> new LibraryBreaker(Scenario.CONFIG, clock, CircuitBreaker.Listener.NOOP),
        (clock, unused) -> new SingleLockCopy(Scenario.CONFIG, clock, new CountingLock()));
  }

  @Test
  void lockFreeVariantDecidesAsTheLibraryClass() {
    assertSameDecisions(
        (clock, unused) -> new LibraryBreaker(Scenario.CONFIG, clock, CircuitBreaker.Listener.NOOP),
        (clock, unused) -> new LockFreeBreaker(Scenario.CONFIG, clock));
  }

  @Test
  void fourLockCopyDecidesAsTheFourLockBaseline() {
    assertSameDecisions(
        (clock, unused) -> new FourLockBreaker(Scenario.CONFIG, clock),
        (clock, unused) -> new FourLockCopy(Scenario.CONFIG, clock, CountingLock::new));
  }

  /**
   * Replays one long random sequence of acquisitions, results (in any order, stale ones included)
   * and clock moves against two breakers and compares every ticket and state.
   */
  private static void assertSameDecisions(
      BiFunction<ManualClock, Void, Breaker> expected,
      BiFunction<ManualClock, Void, Breaker> actual) {
    ManualClock clockA = new ManualClock();
    ManualClock clockB = new ManualClock();
    Breaker a = expected.apply(clockA, null);
    Breaker b = actual.apply(clockB, null);
    Random random = new Random(42);
    List<Long> outstanding = new ArrayList<>();
    int transitionsSeen = 0;
    CircuitState last = CircuitState.CLOSED;
    for (int step = 0; step < 200_000; step++) {
      int action = random.nextInt(10);
      if (action < 4) {
        long ticketA = a.tryAcquire();
        long ticketB = b.tryAcquire();
        assertThat(ticketB).as("ticket at step %d", step).isEqualTo(ticketA);
        if (ticketA != Breaker.REJECTED) {
          outstanding.add(ticketA);
        }
      } else if (action < 8 && !outstanding.isEmpty()) {
        long ticket = outstanding.remove(random.nextInt(outstanding.size()));
        if (random.nextBoolean()) {
          a.onSuccess(ticket);
          b.onSuccess(ticket);
        } else {
          a.onFailure(ticket);
          b.onFailure(ticket);
        }
      } else {
        long delta = random.nextInt(3) * Scenario.TICK_NANOS;
        clockA.advance(delta);
        clockB.advance(delta);
      }
      assertThat(b.getState()).as("state at step %d", step).isEqualTo(a.getState());
      if (a.getState() != last) {
        transitionsSeen++;
        last = a.getState();
      }
    }
    assertThat(transitionsSeen).as("transitions exercised").isGreaterThan(1_000);
  }

  @Test
  void lockAcquisitionsPerCallOfEachPath() {
    ManualClock clock = new ManualClock();
    SingleLockCopy single = new SingleLockCopy(Scenario.CONFIG, clock, new CountingLock());
    FourLockCopy four = new FourLockCopy(Scenario.CONFIG, clock, CountingLock::new);
    long[] counts = CountingLock.countsOfCurrentThread();

    // Closed: acquire + success (no lock: a success with no failure counted changes nothing).
    assertThat(locks(counts, () -> single.onSuccess(single.tryAcquire()))).isEqualTo(0);
    assertThat(locks(counts, () -> four.onSuccess(four.tryAcquire()))).isEqualTo(2);
    // Closed: acquire + failure below the threshold.
    assertThat(locks(counts, () -> single.onFailure(single.tryAcquire()))).isEqualTo(1);
    assertThat(locks(counts, () -> four.onFailure(four.tryAcquire()))).isEqualTo(3);
    for (int i = 0; i < Scenario.FAILURE_THRESHOLD - 2; i++) {
      single.onFailure(single.tryAcquire());
      four.onFailure(four.tryAcquire());
    }
    // The failure that opens it.
    assertThat(locks(counts, () -> single.onFailure(single.tryAcquire()))).isEqualTo(1);
    assertThat(locks(counts, () -> four.onFailure(four.tryAcquire()))).isEqualTo(4);
    assertThat(single.getState()).isEqualTo(CircuitState.OPEN);
    assertThat(four.getState()).isEqualTo(CircuitState.OPEN);
    // Open, rejected.
    assertThat(locks(counts, single::tryAcquire)).isEqualTo(0);
    assertThat(locks(counts, four::tryAcquire)).isEqualTo(2);
    // Open duration over: the probe is admitted.
    clock.advance(Scenario.OPEN_DURATION.toNanos());
    long[] probes = new long[2];
    assertThat(locks(counts, () -> probes[0] = single.tryAcquire())).isEqualTo(1);
    assertThat(locks(counts, () -> probes[1] = four.tryAcquire())).isEqualTo(4);
    // Half-open, rejected while the probe is in flight.
    assertThat(locks(counts, single::tryAcquire)).isEqualTo(0);
    assertThat(locks(counts, four::tryAcquire)).isEqualTo(2);
    // The probe succeeds.
    assertThat(locks(counts, () -> single.onSuccess(probes[0]))).isEqualTo(1);
    assertThat(locks(counts, () -> four.onSuccess(probes[1]))).isEqualTo(3);
    assertThat(single.getState()).isEqualTo(CircuitState.CLOSED);
    assertThat(four.getState()).isEqualTo(CircuitState.CLOSED);
    // Closed again: a success after a counted failure resets the count, under the lock.
    single.onFailure(single.tryAcquire());
    four.onFailure(four.tryAcquire());
    assertThat(locks(counts, () -> single.onSuccess(single.tryAcquire()))).isEqualTo(1);
    assertThat(locks(counts, () -> four.onSuccess(four.tryAcquire()))).isEqualTo(2);
  }

  private static long locks(long[] counts, Runnable call) {
    long before = counts[0];
    call.run();
    return counts[0] - before;
  }

  @Test
  void everyDesignKeepsWorkingAfterConcurrentTransitions() throws InterruptedException {
    for (String impl : new String[] {"single_lock", "four_lock", "lock_free"}) {
      ManualClock clock = new ManualClock();
      Breaker breaker = CircuitBreakerBenchmark.create(impl, Scenario.CONFIG, clock);
      long[] admitted = new long[4];
      Thread[] threads = new Thread[4];
      for (int t = 0; t < threads.length; t++) {
        int index = t;
        threads[t] =
            new Thread(
                () -> {
                  Scenario.Outcomes outcomes = new Scenario.Outcomes(index + 1);
                  // Until this thread has had its share, not for a fixed number of calls:
                  // rejections take no lock, and a thread can run through many thousands of them
                  // while the thread holding the probe waits for a core.
                  for (long i = 0; admitted[index] <= 1_000 && i < 100_000_000L; i++) {
                    if (Scenario.call(breaker, clock, outcomes)) {
                      admitted[index]++;
                    }
                  }
                });
        threads[t].start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      for (long count : admitted) {
        assertThat(count).as(impl + " admitted calls per thread").isGreaterThan(1_000);
      }
      // Healthy again: once the open time is over, a probe and then every call go through.
      int calls = 0;
      while (breaker.getState() != CircuitState.CLOSED && calls++ < 10) {
        clock.advance(Scenario.OPEN_DURATION.toNanos());
        long ticket = breaker.tryAcquire();
        if (ticket != Breaker.REJECTED) {
          breaker.onSuccess(ticket);
        }
      }
      assertThat(breaker.getState()).as(impl + " recovers").isEqualTo(CircuitState.CLOSED);
      assertThat(breaker.tryAcquire())
          .as(impl + " admits when closed")
          .isNotEqualTo(Breaker.REJECTED);
    }
  }
}
