package io.github.otlpfile.benchmarks.breaker;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.internal.forward.CircuitBreaker;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Calls per second through one shared circuit breaker at 1, 2 and 4 threads, for three designs:
 * {@code single_lock} (the library's {@code CircuitBreaker}, unchanged), {@code four_lock} (the
 * baseline, {@link FourLockBreaker}) and {@code lock_free} ({@link LockFreeBreaker}).
 *
 * <p>{@code closed*}: the healthy path, {@code tryAcquire} then {@code onSuccess}. {@code
 * transitions*}: the {@link Scenario} workload, which keeps opening, probing and closing the
 * breaker; its secondary metrics {@code admitted} and {@code rejected} show the mix.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class CircuitBreakerBenchmark {

  @Param({"single_lock", "four_lock", "lock_free"})
  public String impl;

  Breaker breaker;
  ManualClock clock;

  @Setup(Level.Trial)
  public void setUp() {
    clock = new ManualClock();
    breaker = create(impl, Scenario.CONFIG, clock);
  }

  static Breaker create(String impl, CircuitBreakerConfig config, ManualClock clock) {
    switch (impl) {
      case "single_lock":
        return new LibraryBreaker(config, clock, CircuitBreaker.Listener.NOOP);
      case "four_lock":
        return new FourLockBreaker(config, clock);
      case "lock_free":
        return new LockFreeBreaker(config, clock);
      default:
        throw new IllegalArgumentException("unknown breaker " + impl);
    }
  }

  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Mix {
    public long admitted;
    public long rejected;
    Scenario.Outcomes outcomes;

    @Setup(Level.Trial)
    public void seed() {
      outcomes = new Scenario.Outcomes(ThreadLocalRandom.current().nextLong());
    }

    @Setup(Level.Iteration)
    public void reset() {
      admitted = 0;
      rejected = 0;
    }
  }

  private long closed() {
    long ticket = breaker.tryAcquire();
    breaker.onSuccess(ticket);
    return ticket;
  }

  private void transitions(Mix mix) {
    if (Scenario.call(breaker, clock, mix.outcomes)) {
      mix.admitted++;
    } else {
      mix.rejected++;
    }
  }

  @Benchmark
  @Threads(1)
  public long closed_t1() {
    return closed();
  }

  @Benchmark
  @Threads(2)
  public long closed_t2() {
    return closed();
  }

  @Benchmark
  @Threads(4)
  public long closed_t4() {
    return closed();
  }

  @Benchmark
  @Threads(1)
  public void transitions_t1(Mix mix) {
    transitions(mix);
  }

  @Benchmark
  @Threads(2)
  public void transitions_t2(Mix mix) {
    transitions(mix);
  }

  @Benchmark
  @Threads(4)
  public void transitions_t4(Mix mix) {
    transitions(mix);
  }
}
