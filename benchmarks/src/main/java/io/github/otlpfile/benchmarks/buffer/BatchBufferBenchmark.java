package io.github.otlpfile.benchmarks.buffer;

import io.github.otlpfile.OverflowPolicy;
import io.github.otlpfile.internal.buffer.BatchBuffer;
import io.github.otlpfile.internal.buffer.Lane;
import io.github.otlpfile.internal.buffer.LaneSink;
import io.github.otlpfile.internal.buffer.PendingWrite;
import io.github.otlpfile.internal.encode.EncodedBuffer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A trace, a metric and a log exporter thread offering batches at once while the writer thread
 * drains every lane: {@code lanes} is the library's {@code BatchBuffer} (one lane and one lock per
 * signal), {@code shared_lock} the baseline {@link SharedLockBuffer} (the same lanes under one
 * lock). The score that matters is offers per second, the sum of the {@code traces}, {@code
 * metrics} and {@code logs} rows; the secondary metric {@code accepted} counts the offers that
 * found room (an offer to a full lane is refused, under its lock all the same), {@code drained} the
 * entries the writer took; {@code writer} counts drain passes. Entries are tiny: this measures the
 * cost of the locking, not of data. Four busy threads on two cores also measure the scheduler; real
 * exporters offer a few thousand batches a second at most.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class BatchBufferBenchmark {
  // 256 Ki entries of 4 bytes per lane: enough that the writer rarely finds a lane full, small
  // enough that a writer starved of CPU cannot let the queues grow without bound.
  private static final long CAPACITY_BYTES = 1L << 20;

  @Param({"lanes", "shared_lock"})
  public String impl;

  /**
   * Work each producer does between two offers, in JMH's {@code Blackhole.consumeCPU} tokens: 0 is
   * pure contention; 100 (about a quarter of a microsecond) leaves the lock idle most of the time.
   */
  @Param({"0", "100"})
  public int work;

  private Handle[] lanes;
  private Runnable beginPass;
  private PendingWrite entry;

  /** One lane of either design. */
  interface Handle {
    boolean offer(PendingWrite write);

    boolean drainTo(List<PendingWrite> out);

    void release(long bytes);
  }

  @Setup(Level.Trial)
  public void setUp() {
    EncodedBuffer bytes = new EncodedBuffer(16);
    bytes.writeInt(42);
    entry = PendingWrite.data(bytes, 512, new CompletableResultCode());
    lanes = new Handle[3];
    if (impl.equals("lanes")) {
      BatchBuffer buffer = new BatchBuffer();
      LaneSink sink =
          new LaneSink() {
            @Override
            public void write(List<PendingWrite> entries) {}

            @Override
            public void tick() {}
          };
      for (int i = 0; i < 3; i++) {
        Lane lane = buffer.addLane("lane-" + i, CAPACITY_BYTES, OverflowPolicy.DROP, sink);
        lanes[i] =
            new Handle() {
              @Override
              public boolean offer(PendingWrite write) {
                return lane.offer(write) == Lane.Offer.ACCEPTED;
              }

              @Override
              public boolean drainTo(List<PendingWrite> out) {
                return lane.drainTo(out);
              }

              @Override
              public void release(long bytes) {
                lane.release(bytes);
              }
            };
      }
      beginPass = buffer::beginPass;
    } else if (impl.equals("shared_lock")) {
      SharedLockBuffer buffer = new SharedLockBuffer();
      for (int i = 0; i < 3; i++) {
        SharedLockBuffer.Lane lane = buffer.addLane(CAPACITY_BYTES, OverflowPolicy.DROP);
        lanes[i] =
            new Handle() {
              @Override
              public boolean offer(PendingWrite write) {
                return lane.offer(write);
              }

              @Override
              public boolean drainTo(List<PendingWrite> out) {
                return lane.drainTo(out);
              }

              @Override
              public void release(long bytes) {
                lane.release(bytes);
              }
            };
      }
      beginPass = buffer::beginPass;
    } else {
      throw new IllegalArgumentException("unknown buffer " + impl);
    }
  }

  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counts {
    public long accepted;
    public long drained;
    final List<PendingWrite> batch = new ArrayList<>();

    @Setup(Level.Iteration)
    public void reset() {
      accepted = 0;
      drained = 0;
    }
  }

  private void offer(int lane, Counts counts) {
    if (work > 0) {
      Blackhole.consumeCPU(work);
    }
    if (lanes[lane].offer(entry)) {
      counts.accepted++;
    }
  }

  @Benchmark
  @Group("mixed")
  @GroupThreads(1)
  public void traces(Counts counts) {
    offer(0, counts);
  }

  @Benchmark
  @Group("mixed")
  @GroupThreads(1)
  public void metrics(Counts counts) {
    offer(1, counts);
  }

  @Benchmark
  @Group("mixed")
  @GroupThreads(1)
  public void logs(Counts counts) {
    offer(2, counts);
  }

  /** One writer pass: drain every lane, give the room back. */
  @Benchmark
  @Group("mixed")
  @GroupThreads(1)
  public void writer(Counts counts) {
    beginPass.run();
    for (Handle lane : lanes) {
      List<PendingWrite> batch = counts.batch;
      if (lane.drainTo(batch)) {
        long bytes = 0;
        for (int i = 0; i < batch.size(); i++) {
          bytes += batch.get(i).getSize();
        }
        lane.release(bytes);
        counts.drained += batch.size();
        batch.clear();
      }
    }
  }
}
