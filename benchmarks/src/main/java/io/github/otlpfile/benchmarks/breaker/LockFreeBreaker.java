package io.github.otlpfile.benchmarks.breaker;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.CircuitState;
import io.opentelemetry.sdk.common.Clock;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lock-free alternative: the library's algorithm (same tickets and generations) with all state
 * in one immutable snapshot that every change replaces by compare-and-set. Reading needs no write,
 * so the closed path's success with no failures pending does not write at all; a change allocates a
 * new snapshot and retries when another thread got there first.
 */
public final class LockFreeBreaker implements Breaker {
  private static final class Snapshot {
    final CircuitState state;
    final int consecutiveFailures;
    final long openedAtNanos;
    final long generation;

    Snapshot(CircuitState state, int consecutiveFailures, long openedAtNanos, long generation) {
      this.state = state;
      this.consecutiveFailures = consecutiveFailures;
      this.openedAtNanos = openedAtNanos;
      this.generation = generation;
    }
  }

  private final int failureThreshold;
  private final long openDurationNanos;
  private final Clock clock;
  private final AtomicReference<Snapshot> current =
      new AtomicReference<>(new Snapshot(CircuitState.CLOSED, 0, 0, 0));

  public LockFreeBreaker(CircuitBreakerConfig config, Clock clock) {
    this.failureThreshold = config.getFailureThreshold();
    this.openDurationNanos = config.getOpenDuration().toNanos();
    this.clock = clock;
  }

  @Override
  public long tryAcquire() {
    while (true) {
      Snapshot s = current.get();
      if (s.state == CircuitState.CLOSED) {
        return s.generation;
      }
      if (s.state == CircuitState.HALF_OPEN
          || clock.nanoTime() - s.openedAtNanos < openDurationNanos) {
        return REJECTED;
      }
      Snapshot next = new Snapshot(CircuitState.HALF_OPEN, 0, s.openedAtNanos, s.generation + 1);
      if (current.compareAndSet(s, next)) {
        return next.generation;
      }
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
    return current.get().state;
  }

  private void onResult(long ticket, boolean success) {
    while (true) {
      Snapshot s = current.get();
      if (ticket != s.generation) {
        return;
      }
      Snapshot next;
      if (s.state == CircuitState.HALF_OPEN) {
        next =
            success
                ? new Snapshot(CircuitState.CLOSED, 0, s.openedAtNanos, s.generation + 1)
                : new Snapshot(CircuitState.OPEN, 0, clock.nanoTime(), s.generation + 1);
      } else if (success) {
        if (s.consecutiveFailures == 0) {
          return;
        }
        next = new Snapshot(CircuitState.CLOSED, 0, s.openedAtNanos, s.generation);
      } else if (s.consecutiveFailures + 1 >= failureThreshold) {
        next = new Snapshot(CircuitState.OPEN, 0, clock.nanoTime(), s.generation + 1);
      } else {
        next =
            new Snapshot(
                CircuitState.CLOSED, s.consecutiveFailures + 1, s.openedAtNanos, s.generation);
      }
      if (current.compareAndSet(s, next)) {
        return;
      }
    }
  }
}
