package io.github.otlpfile.benchmarks.breaker;

import io.github.otlpfile.benchmarks.lock.CountingLock;
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
 * Lock acquisitions per call, counted by {@link CountingLock}. The library class takes its lock
 * with {@code synchronized}, which cannot be counted from outside, so this runs {@link
 * SingleLockCopy} (its algorithm step for step over a counting lock; a test checks the two decide
 * alike) against {@link FourLockCopy} (the baseline over four counting locks). Acquisitions per
 * call = secondary metric {@code acquisitions} / {@code calls}. Speeds here include the counting
 * and are not the comparison: see {@link CircuitBreakerBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
public class CircuitBreakerLockCountBenchmark {

  @Param({"single_lock_copy", "four_lock_copy"})
  public String impl;

  Breaker breaker;
  ManualClock clock;

  @Setup(Level.Trial)
  public void setUp() {
    clock = new ManualClock();
    switch (impl) {
      case "single_lock_copy":
        breaker = new SingleLockCopy(Scenario.CONFIG, clock, new CountingLock());
        break;
      case "four_lock_copy":
        breaker = new FourLockCopy(Scenario.CONFIG, clock, CountingLock::new);
        break;
      default:
        throw new IllegalArgumentException("unknown breaker " + impl);
    }
  }

  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counts {
    public long calls;
    private long[] acquisitions;
    private long acquisitionsAtStart;
    Scenario.Outcomes outcomes;

    @Setup(Level.Trial)
    public void seed() {
      outcomes = new Scenario.Outcomes(ThreadLocalRandom.current().nextLong());
    }

    @Setup(Level.Iteration)
    public void reset() {
      calls = 0;
      acquisitions = CountingLock.countsOfCurrentThread();
      acquisitionsAtStart = acquisitions[0];
    }

    public long acquisitions() {
      return acquisitions[0] - acquisitionsAtStart;
    }
  }

  @Benchmark
  @Threads(1)
  public long closed_t1(Counts counts) {
    counts.calls++;
    long ticket = breaker.tryAcquire();
    breaker.onSuccess(ticket);
    return ticket;
  }

  @Benchmark
  @Threads(1)
  public boolean transitions_t1(Counts counts) {
    counts.calls++;
    return Scenario.call(breaker, clock, counts.outcomes);
  }

  @Benchmark
  @Threads(4)
  public boolean transitions_t4(Counts counts) {
    counts.calls++;
    return Scenario.call(breaker, clock, counts.outcomes);
  }
}
