package io.github.otlpfile.benchmarks.breaker;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.CircuitState;
import io.github.otlpfile.internal.forward.CircuitBreaker;
import io.opentelemetry.sdk.common.Clock;

/** The library's own single-lock {@link CircuitBreaker}, unchanged. */
public final class LibraryBreaker implements Breaker {
  private final CircuitBreaker delegate;

  public LibraryBreaker(
      CircuitBreakerConfig config, Clock clock, CircuitBreaker.Listener listener) {
    this.delegate = new CircuitBreaker(config, clock, listener);
  }

  @Override
  public long tryAcquire() {
    return delegate.tryAcquire();
  }

  @Override
  public void onSuccess(long ticket) {
    delegate.onSuccess(ticket);
  }

  @Override
  public void onFailure(long ticket) {
    delegate.onFailure(ticket);
  }

  @Override
  public CircuitState getState() {
    return delegate.getState();
  }
}
