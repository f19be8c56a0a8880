package io.github.otlpfile.benchmarks.breaker;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.CircuitState;
import io.opentelemetry.sdk.common.Clock;

/**
 * The baseline the library's design replaces: the breaker's four pieces of state each behind a lock
 * of its own (state, consecutive failure count, last-failure time, probe-in-flight flag), each
 * taken only when the field is needed: written as frugally as that design allows, so that the
 * comparison is with its best version. {@link FourLockCopy} is the same code over counting locks.
 *
 * <p>The ticket only says whether a call is the probe ({@link #PROBE}) or not ({@link #NORMAL});
 * there are no generations, so a late failure from before a transition still counts and moves the
 * last-failure time. The probe flag is cleared only by the probe's own result: a version that
 * instead decides "was this the probe?" by reading the state can wedge (a caller reads {@code
 * HALF_OPEN}, the probe's success closes the breaker and clears the flag, the caller then takes the
 * flag although the breaker is closed; its success does not clear it, and once the breaker opens
 * again every call is rejected for good). The single-lock design cannot interleave like that.
 */
public final class FourLockBreaker implements Breaker {
  static final long NORMAL = 0;
  static final long PROBE = 1;

  private final int failureThreshold;
  private final long openDurationNanos;
  private final Clock clock;

  private final Object stateLock = new Object();
  private final Object failureLock = new Object();
  private final Object timeLock = new Object();
  private final Object probeLock = new Object();

  // Guarded by stateLock.
  private CircuitState state = CircuitState.CLOSED;
  // Guarded by failureLock.
  private int consecutiveFailures;
  // Guarded by timeLock.
  private long lastFailureNanos;
  // Guarded by probeLock.
  private boolean probeInFlight;

  public FourLockBreaker(CircuitBreakerConfig config, Clock clock) {
    this.failureThreshold = config.getFailureThreshold();
    this.openDurationNanos = config.getOpenDuration().toNanos();
    this.clock = clock;
  }

  @Override
  public long tryAcquire() {
    CircuitState s;
    synchronized (stateLock) {
      s = state;
    }
    if (s == CircuitState.CLOSED) {
      return NORMAL;
    }
    if (s == CircuitState.OPEN) {
      long last;
      synchronized (timeLock) {
        last = lastFailureNanos;
      }
      if (clock.nanoTime() - last < openDurationNanos) {
        return REJECTED;
      }
    }
    synchronized (probeLock) {
      if (probeInFlight) {
        return REJECTED;
      }
      probeInFlight = true;
    }
    synchronized (stateLock) {
      if (state == CircuitState.OPEN) {
        state = CircuitState.HALF_OPEN;
      }
    }
    return PROBE;
  }

  @Override
  public void onSuccess(long ticket) {
    if (ticket == PROBE) {
      synchronized (stateLock) {
        if (state == CircuitState.HALF_OPEN) {
          state = CircuitState.CLOSED;
        }
      }
      synchronized (probeLock) {
        probeInFlight = false;
      }
    }
    synchronized (failureLock) {
      consecutiveFailures = 0;
    }
  }

  @Override
  public void onFailure(long ticket) {
    synchronized (timeLock) {
      lastFailureNanos = clock.nanoTime();
    }
    if (ticket == PROBE) {
      synchronized (stateLock) {
        if (state == CircuitState.HALF_OPEN) {
          state = CircuitState.OPEN;
        }
      }
      synchronized (probeLock) {
        probeInFlight = false;
      }
      return;
    }
    boolean open;
    synchronized (failureLock) {
      open = ++consecutiveFailures >= failureThreshold;
      if (open) {
        consecutiveFailures = 0;
      }
    }
    if (open) {
      synchronized (stateLock) {
        if (state == CircuitState.CLOSED) {
          state = CircuitState.OPEN;
        }
      }
    }
  }

  @Override
  public CircuitState getState() {
    synchronized (stateLock) {
      return state;
    }
  }
}
