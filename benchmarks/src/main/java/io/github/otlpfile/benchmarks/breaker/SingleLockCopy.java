package io.github.otlpfile.benchmarks.breaker;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.CircuitState;
import io.github.otlpfile.benchmarks.lock.BenchLock;
import io.opentelemetry.sdk.common.Clock;

/**
 * The algorithm of the library's {@code CircuitBreaker}, step for step, over a {@link BenchLock}
 * instead of {@code synchronized}, so that its lock acquisitions can be counted. A test checks that
 * it decides exactly as the library class does. As there, every change is made under the one lock
 * and decisions that change nothing read the view published under it.
 */
public final class SingleLockCopy implements Breaker {
  private static final class View {
    final CircuitState state;
    final long generation;
    final long openedAtNanos;

    View(CircuitState state, long generation, long openedAtNanos) {
      this.state = state;
      this.generation = generation;
      this.openedAtNanos = openedAtNanos;
    }
  }

  private final int failureThreshold;
  private final long openDurationNanos;
  private final Clock clock;
  private final BenchLock lock;

  // Written under lock.
  private volatile View view = new View(CircuitState.CLOSED, 0, 0);
  // Guarded by lock.
  private int consecutiveFailures;
  // Written under lock.
  private volatile long quietGeneration = 0;

  public SingleLockCopy(CircuitBreakerConfig config, Clock clock, BenchLock lock) {
    this.failureThreshold = config.getFailureThreshold();
    this.openDurationNanos = config.getOpenDuration().toNanos();
    this.clock = clock;
    this.lock = lock;
  }

  @Override
  public long tryAcquire() {
    View current = view;
    if (current.state == CircuitState.CLOSED) {
      return current.generation;
    }
    if (current.state == CircuitState.HALF_OPEN
        || clock.nanoTime() - current.openedAtNanos < openDurationNanos) {
      return REJECTED;
    }
    lock.lock();
    try {
      current = view;
      if (current.state == CircuitState.CLOSED) {
        return current.generation;
      }
      if (current.state == CircuitState.HALF_OPEN
          || clock.nanoTime() - current.openedAtNanos < openDurationNanos) {
        return REJECTED;
      }
      return transitionTo(current, CircuitState.HALF_OPEN);
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
    return view.state;
  }

  private void onResult(long ticket, boolean success) {
    if ((success && ticket == quietGeneration) || ticket != view.generation) {
      return;
    }
    lock.lock();
    try {
      View current = view;
      if (ticket != current.generation) {
        return;
      }
      if (current.state == CircuitState.HALF_OPEN) {
        transitionTo(current, success ? CircuitState.CLOSED : CircuitState.OPEN);
      } else if (success) {
        consecutiveFailures = 0;
        quietGeneration = current.generation;
      } else if (consecutiveFailures + 1 < failureThreshold) {
        quietGeneration = REJECTED;
        consecutiveFailures++;
      } else {
        transitionTo(current, CircuitState.OPEN);
      }
    } finally {
      lock.unlock();
    }
  }

  private long transitionTo(View current, CircuitState to) {
    long generation = current.generation + 1;
    consecutiveFailures = 0;
    quietGeneration = to == CircuitState.CLOSED ? generation : REJECTED;
    long openedAtNanos = to == CircuitState.OPEN ? clock.nanoTime() : current.openedAtNanos;
    view = new View(to, generation, openedAtNanos);
    return generation;
  }
}
