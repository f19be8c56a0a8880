/*
 * Copyright The otlp-file-exporter Authors
 * SPDX-License-Identifier: Apache-2.0
 */

package io.github.otlpfile.internal.forward;

import static java.util.Objects.requireNonNull;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.CircuitState;
import io.opentelemetry.sdk.common.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides whether a call to the forwarding delegate may go ahead, from the results of earlier
 * calls. {@link CircuitBreakerConfig#getFailureThreshold()} consecutive failures open it; once
 * {@link CircuitBreakerConfig#getOpenDuration()} has elapsed, the next call is admitted as the only
 * probe; the probe's success closes it and its failure opens it again.
 *
 * <p>A caller asks {@link #tryAcquire()} for a ticket, makes the call only if the ticket is not
 * {@link #REJECTED}, and reports the outcome exactly once with {@link #onSuccess(long)} or {@link
 * #onFailure(long)}. A ticket is the generation at admission; the generation grows by one at every
 * transition, so a result from a call admitted before the last transition is ignored. Because the
 * probe is admitted in the same step that enters {@code HALF_OPEN}, and only the probe's result
 * leaves it, {@code HALF_OPEN} itself means "probe in flight" and the probe is the only ticket of
 * its generation. An admitted probe that is never reported keeps every later call rejected.
 *
 * <p>Thread-safe. Every change is made under {@link #lock}, taken at most once per decision; the
 * listener is called after the lock is released. With each change the breaker publishes an
 * immutable {@link View} of its state (and, while closed, whether failures are being counted), so a
 * decision that changes nothing reads the published view instead of taking the lock: admitting a
 * call while closed, rejecting one while open or half-open, a success while closed with no failures
 * counted, and a result from an earlier generation. On the closed path of a healthy endpoint no
 * call takes the lock.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class CircuitBreaker {

  private static final Logger logger = Logger.getLogger(CircuitBreaker.class.getName());

  /** The ticket {@link #tryAcquire()} returns when the call must be skipped. */
  public static final long REJECTED = -1L;

  /** Told about each state transition, once, after it happened. */
  public interface Listener {

    /** A listener that ignores every transition. */
    Listener NOOP = (from, to) -> {};

    /**
     * Called once per transition, outside the breaker's lock. Transitions made concurrently on
     * different threads may be reported in a different order than they happened.
     */
    void onStateChange(CircuitState from, CircuitState to);
  }

  /** The state between two transitions; a new one is published at every transition. */
  private static final class View {
    final CircuitState state;
    // Grows by one at every transition; never negative, so no ticket equals REJECTED.
    final long generation;
    // Clock time of the last transition to OPEN.
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
  private final Listener listener;

  private final Object lock = new Object();

  // Written under lock, read anywhere.
  private volatile View view = new View(CircuitState.CLOSED, 0, 0);
  // Guarded by lock. Consecutive failures while CLOSED.
  private int consecutiveFailures;
  // Written under lock, read anywhere: the generation while CLOSED with no failure counted, else
  // REJECTED. A success with this ticket changes nothing.
  private volatile long quietGeneration = 0;

  /** Creates a closed breaker that reads time from {@code clock}. */
  public CircuitBreaker(CircuitBreakerConfig config, Clock clock, Listener listener) {
    requireNonNull(config, "config");
    this.failureThreshold = config.getFailureThreshold();
    this.openDurationNanos = toNanosSaturated(config.getOpenDuration());
    this.clock = requireNonNull(clock, "clock");
    this.listener = requireNonNull(listener, "listener");
  }

  /**
   * Returns a ticket for a call that may go ahead, or {@link #REJECTED}. {@code CLOSED} admits
   * every call; {@code OPEN} rejects calls until the open duration has elapsed, then moves to
   * {@code HALF_OPEN} and admits this call as the probe; {@code HALF_OPEN} rejects every call while
   * its probe is in flight. Allocates only on a transition.
   */
  public long tryAcquire() {
    View current = view;
    if (current.state == CircuitState.CLOSED) {
      return current.generation;
    }
    if (current.state == CircuitState.HALF_OPEN
        || clock.nanoTime() - current.openedAtNanos < openDurationNanos) {
      return REJECTED;
    }
    long ticket;
    synchronized (lock) {
      current = view; // another call may have become the probe, or more, since the read above
      if (current.state == CircuitState.CLOSED) {
        return current.generation;
      }
      if (current.state == CircuitState.HALF_OPEN
          || clock.nanoTime() - current.openedAtNanos < openDurationNanos) {
        return REJECTED;
      }
      ticket = transitionTo(current, CircuitState.HALF_OPEN);
    }
    notifyListener(CircuitState.OPEN, CircuitState.HALF_OPEN);
    return ticket;
  }

  /**
   * Returns whether {@link #tryAcquire()} would admit a call now, without admitting one or changing
   * the state. Lets a caller skip preparing a call that would be rejected; the answer may be stale
   * by the time it calls {@link #tryAcquire()}. Takes no lock.
   */
  public boolean wouldAdmit() {
    View current = view;
    return current.state == CircuitState.CLOSED
        || (current.state == CircuitState.OPEN
            && clock.nanoTime() - current.openedAtNanos >= openDurationNanos);
  }

  /** Records that the call admitted with {@code ticket} succeeded. */
  public void onSuccess(long ticket) {
    onResult(ticket, true);
  }

  /** Records that the call admitted with {@code ticket} failed. */
  public void onFailure(long ticket) {
    onResult(ticket, false);
  }

  /**
   * Returns the current state. The move from {@code OPEN} to {@code HALF_OPEN} happens when a call
   * is admitted, so this returns {@code OPEN} after the open duration has elapsed until the next
   * {@link #tryAcquire()}. Takes no lock.
   */
  public CircuitState getState() {
    return view.state;
  }

  private void onResult(long ticket, boolean success) {
    if ((success && ticket == quietGeneration) || ticket != view.generation) {
      return; // changes nothing, or admitted before the last transition (or REJECTED)
    }
    CircuitState from;
    CircuitState to;
    synchronized (lock) {
      View current = view;
      if (ticket != current.generation) {
        return;
      }
      from = current.state;
      if (from == CircuitState.HALF_OPEN) {
        to = success ? CircuitState.CLOSED : CircuitState.OPEN;
      } else if (success) {
        consecutiveFailures = 0;
        quietGeneration = current.generation;
        return;
      } else if (consecutiveFailures + 1 < failureThreshold) {
        quietGeneration = REJECTED;
        consecutiveFailures++;
        return;
      } else {
        to = CircuitState.OPEN;
      }
      transitionTo(current, to);
    }
    notifyListener(from, to);
  }

  /**
   * The only place where the state changes; the caller holds {@link #lock} and passes the current
   * view. Returns the new generation.
   */
  private long transitionTo(View current, CircuitState to) {
    if (!isAllowed(current.state, to)) {
      throw new IllegalStateException("Illegal circuit transition " + current.state + " -> " + to);
    }
    long generation = current.generation + 1;
    consecutiveFailures = 0;
    quietGeneration = to == CircuitState.CLOSED ? generation : REJECTED;
    long openedAtNanos = to == CircuitState.OPEN ? clock.nanoTime() : current.openedAtNanos;
    view = new View(to, generation, openedAtNanos);
    return generation;
  }

  /** The allowed transitions. */
  private static boolean isAllowed(CircuitState from, CircuitState to) {
    switch (from) {
      case CLOSED: // failure threshold reached
        return to == CircuitState.OPEN;
      case OPEN: // open duration elapsed, probe admitted
        return to == CircuitState.HALF_OPEN;
      case HALF_OPEN: // probe succeeded or failed
        return to == CircuitState.CLOSED || to == CircuitState.OPEN;
    }
    return false;
  }

  private void notifyListener(CircuitState from, CircuitState to) {
    try {
      listener.onStateChange(from, to);
    } catch (RuntimeException e) {
      // The transition already happened; a broken listener must not lose the caller's ticket.
      logger.log(Level.WARNING, "Circuit breaker listener failed on " + from + " -> " + to, e);
    }
  }

  private static long toNanosSaturated(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE; // longer than ~292 years: never elapses in practice
    }
  }
}
