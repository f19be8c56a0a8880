package io.github.otlpfile.benchmarks.counters;

import io.github.otlpfile.internal.ExporterCounters;
import java.util.concurrent.TimeUnit;
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
 * The accounting of one written and forwarded batch (items exported, bytes written, items
 * forwarded) from 1, 2 and 4 threads into one exporter's counters: {@code adders} is the library's
 * {@code ExporterCounters} (striped {@code LongAdder}s, no lock), {@code grouped_lock} one lock
 * over plain fields ({@link GroupedLockCounters}), {@code four_locks} a lock per counter ({@link
 * FourLockCounters}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class CountersBenchmark {
  private static final long ITEMS = 512;
  private static final long BYTES = 306_425;

  @Param({"adders", "grouped_lock", "four_locks"})
  public String impl;

  private ExporterCounters adders;
  private GroupedLockCounters grouped;
  private FourLockCounters fourLocks;
  private int kind;

  @Setup(Level.Trial)
  public void setUp() {
    switch (impl) {
      case "adders":
        adders = new ExporterCounters();
        kind = 0;
        break;
      case "grouped_lock":
        grouped = new GroupedLockCounters();
        kind = 1;
        break;
      case "four_locks":
        fourLocks = new FourLockCounters();
        kind = 2;
        break;
      default:
        throw new IllegalArgumentException("unknown counters " + impl);
    }
  }

  private void recordBatch() {
    switch (kind) {
      case 0:
        adders.exportedItems.add(ITEMS);
        adders.bytesWritten.add(BYTES);
        adders.forwardedItems.add(ITEMS);
        break;
      case 1:
        grouped.recordBatch(ITEMS, BYTES);
        break;
      default:
        fourLocks.recordBatch(ITEMS, BYTES);
        break;
    }
  }

  @Benchmark
  @Threads(1)
  public void recordBatch_t1() {
    recordBatch();
  }

  @Benchmark
  @Threads(2)
  public void recordBatch_t2() {
    recordBatch();
  }

  @Benchmark
  @Threads(4)
  public void recordBatch_t4() {
    recordBatch();
  }
}
