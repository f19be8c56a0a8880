package io.github.otlpfile.benchmarks.breaker;

import io.opentelemetry.sdk.common.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told, shared by the threads of a benchmark. */
public final class ManualClock implements Clock {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  public void advance(long deltaNanos) {
    nanos.addAndGet(deltaNanos);
  }

  @Override
  public long now() {
    return nanos.get();
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }
}
