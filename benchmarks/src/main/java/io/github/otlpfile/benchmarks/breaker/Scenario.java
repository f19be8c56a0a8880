package io.github.otlpfile.benchmarks.breaker;

import io.github.otlpfile.CircuitBreakerConfig;
import java.time.Duration;

/**
 * The "transitions" workload shared by the breaker benchmarks and their tests: each call fails with
 * probability 1/2, so five consecutive failures open the breaker every few dozen admitted calls;
 * each thread moves the shared clock by {@link #TICK_NANOS} every {@link #CALLS_PER_TICK} calls, so
 * an open breaker lets its probe through after {@link #OPEN_DURATION} of such ticks; the probe
 * closes it or opens it again. Every state and every transition is visited all the time.
 */
public final class Scenario {
  public static final int FAILURE_THRESHOLD = 5;
  public static final long TICK_NANOS = 1_000;
  public static final int CALLS_PER_TICK = 8;
  public static final Duration OPEN_DURATION = Duration.ofNanos(8 * TICK_NANOS);

  public static final CircuitBreakerConfig CONFIG =
      CircuitBreakerConfig.builder()
          .setFailureThreshold(FAILURE_THRESHOLD)
          .setOpenDuration(OPEN_DURATION)
          .build();

  private Scenario() {}

  /** One thread's pseudo-random outcomes (xorshift), cheap and without shared state. */
  public static final class Outcomes {
    private long x;
    private int calls;

    public Outcomes(long seed) {
      this.x = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    public boolean nextFails() {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      return (x & 1) == 0;
    }

    /** True once every {@link #CALLS_PER_TICK} calls: time to move the clock. */
    public boolean tick() {
      return (++calls & (CALLS_PER_TICK - 1)) == 0;
    }
  }

  /** One call of the transitions workload against {@code breaker}; returns whether admitted. */
  public static boolean call(Breaker breaker, ManualClock clock, Outcomes outcomes) {
    if (outcomes.tick()) {
      clock.advance(TICK_NANOS);
    }
    long ticket = breaker.tryAcquire();
    if (ticket == Breaker.REJECTED) {
      return false;
    }
    if (outcomes.nextFails()) {
      breaker.onFailure(ticket);
    } else {
      breaker.onSuccess(ticket);
    }
    return true;
  }
}
