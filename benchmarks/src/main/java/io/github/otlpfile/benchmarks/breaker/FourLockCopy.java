package io.github.otlpfile.benchmarks.breaker;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.CircuitState;
import io.github.otlpfile.benchmarks.lock.BenchLock;
import io.opentelemetry.sdk.common.Clock;
import java.util.function.Supplier;

/**
 * {@link FourLockBreaker} step for step over four {@link BenchLock}s instead of {@code
 * synchronized}, so that its lock acquisitions can be counted. A test checks that both decide
 * alike.
 */
public final class FourLockCopy implements Breaker {
  private final int failureThreshold;
  private final long openDurationNanos;
  private final Clock clock;

  private final BenchLock stateLock;
  private final BenchLock failureLock;
  private final BenchLock timeLock;
  private final BenchLock probeLock;

  private CircuitState state = CircuitState.CLOSED;
  private int consecutiveFailures;
  private long lastFailureNanos;
  private boolean probeInFlight;

  public FourLockCopy(CircuitBreakerConfig config, Clock clock, Supplier<BenchLock> locks) {
    this.failureThreshold = config.getFailureThreshold();
    this.openDurationNanos = config.getOpenDuration().toNanos();
    this.clock = clock;
    this.stateLock = locks.get();
    this.failureLock = locks.get();
    this.timeLock = locks.get();
    this.probeLock = locks.get();
  }

  @Override
  public long tryAcquire() {
    CircuitState s;
    stateLock.lock();
    try {
      s = state;
    } finally {
      stateLock.unlock();
    }
    if (s == CircuitState.CLOSED) {
      return FourLockBreaker.NORMAL;
    }
    if (s == CircuitState.OPEN) {
      long last;
      timeLock.lock();
      try {
        last = lastFailureNanos;
      } finally {
        timeLock.unlock();
      }
      if (clock.nanoTime() - last < openDurationNanos) {
        return REJECTED;
      }
    }
    probeLock.lock();
    try {
      if (probeInFlight) {
        return REJECTED;
      }
      probeInFlight = true;
    } finally {
      probeLock.unlock();
    }
    stateLock.lock();
    try {
      if (state == CircuitState.OPEN) {
        state = CircuitState.HALF_OPEN;
      }
    } finally {
      stateLock.unlock();
    }
    return FourLockBreaker.PROBE;
  }

  @Override
  public void onSuccess(long ticket) {
    if (ticket == FourLockBreaker.PROBE) {
      stateLock.lock();
      try {
        if (state == CircuitState.HALF_OPEN) {
          state = CircuitState.CLOSED;
        }
      } finally {
        stateLock.unlock();
      }
      probeLock.lock();
      try {
        probeInFlight = false;
      } finally {
        probeLock.unlock();
      }
    }
    failureLock.lock();
    try {
      consecutiveFailures = 0;
    } finally {
      failureLock.unlock();
    }
  }

  @Override
  public void onFailure(long ticket) {
    timeLock.lock();
    try {
      lastFailureNanos = clock.nanoTime();
    } finally {
      timeLock.unlock();
    }
    if (ticket == FourLockBreaker.PROBE) {
      stateLock.lock();
      try {
        if (state == CircuitState.HALF_OPEN) {
          state = CircuitState.OPEN;
        }
      } finally {
        stateLock.unlock();
      }
      probeLock.lock();
      try {
        probeInFlight = false;
      } finally {
        probeLock.unlock();
      }
      return;
    }
    boolean open;
    failureLock.lock();
    try {
      open = ++consecutiveFailures >= failureThreshold;
      if (open) {
        consecutiveFailures = 0;
      }
    } finally {
      failureLock.unlock();
    }
    if (open) {
      stateLock.lock();
      try {
        if (state == CircuitState.CLOSED) {
          state = CircuitState.OPEN;
        }
      } finally {
        stateLock.unlock();
      }
    }
  }

  @Override
  public CircuitState getState() {
    stateLock.lock();
    try {
      return state;
    } finally {
      stateLock.unlock();
    }
  }
}
