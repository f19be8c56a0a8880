package io.github.otlpfile.benchmarks.breaker;

import io.github.otlpfile.CircuitState;

/**
 * What every circuit breaker design under test offers: a ticket per admitted call (or {@link
 * #REJECTED}) and one outcome per ticket, the protocol of the library's {@code CircuitBreaker}.
 */
public interface Breaker {
  long REJECTED = -1L;

  long tryAcquire();

  void onSuccess(long ticket);

  void onFailure(long ticket);

  CircuitState getState();
}
