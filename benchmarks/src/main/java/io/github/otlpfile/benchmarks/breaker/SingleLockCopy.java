package io.github.otlpfile.benchmarks.breaker;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.CircuitState;
import io.github.otlpfile.benchmarks.lock.BenchLock;
import io.opentelemetry.sdk.common.Clock;

/**
 * The algorithm of the library's {@code CircuitBreaker}, step for step, over a {@link BenchLock}
 * instead of {@code synchronized}, so that its lock acquisitions can be counted. A test checks that
 * it decides exactly as the library class does.
 */
public final class SingleLockCopy implements Breaker {
  private final int failureThreshold;
  private final long openDurationNanos;
  private final Clock clock;
  private final BenchLock lock;

  // Guarded by lock.
  private CircuitState state = CircuitState.CLOSED;
  private int consecutiveFailures;
  private long openedAtNanos;
  private long generation;

  public SingleLockCopy(CircuitBreakerConfig config, Clock clock, BenchLock lock) {
    this.failureThreshold = config.getFailureThreshold();
    this.openDurationNanos = config.getOpenDuration().toNanos();
    this.clock = clock;
    this.lock = lock;
  }

  @Override
  public long tryAcquire() {
    lock.lock();
    try {
      if (state == CircuitState.CLOSED) {
        return generation;
      }
      if (state == CircuitState.HALF_OPEN || clock.nanoTime() - openedAtNanos < openDurationNanos) {
        return REJECTED;
      }
      transitionTo(CircuitState.HALF_OPEN);
      return generation;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onSuccess(long ticket) {
    onResult(ticket, true);
  }

  @Override
  public void onFailure(long ticket) {
    onResult(ticket, false);
  }

  @Override
  public CircuitState getState() {
    lock.lock();
    try {
      return state;
    } finally {
      lock.unlock();
    }
  }

  private void onResult(long ticket, boolean success) {
    lock.lock();
    try {
      if (ticket != generation) {
        return;
      }
      if (state == CircuitState.HALF_OPEN) {
        transitionTo(success ? CircuitState.CLOSED : CircuitState.OPEN);
      } else if (success) {
        consecutiveFailures = 0;
      } else if (++consecutiveFailures >= failureThreshold) {
        transitionTo(CircuitState.OPEN);
      }
    } finally {
      lock.unlock();
    }
  }

  private void transitionTo(CircuitState to) {
    state = to;
    generation++;
    consecutiveFailures = 0;
    if (to == CircuitState.OPEN) {
      openedAtNanos = clock.nanoTime();
    }
  }
}
