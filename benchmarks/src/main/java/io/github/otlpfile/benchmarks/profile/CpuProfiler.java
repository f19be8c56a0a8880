package io.github.otlpfile.benchmarks.profile;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * The CPU time the whole benchmark process spends per operation: every thread counts (the
 * benchmark's callers, an exporter's own writer thread, GC and JIT compiler threads), which is what
 * an in-process exporter costs the application around it. Use with {@code -prof
 * io.github.otlpfile.benchmarks.profile.CpuProfiler}.
 *
 * <p>Reports two secondary results per iteration: {@code ·cpu.ns/op}, process CPU nanoseconds
 * between the start and the end of the iteration divided by the operations done in it, and {@code
 * ·cpu.cores}, that CPU time divided by the wall time of the iteration (1.0: one core busy
 * throughout). The window includes the iteration's own setup and teardown, which the export
 * benchmarks keep small (deleting closed files).
 */
public final class CpuProfiler implements InternalProfiler {
  private final com.sun.management.OperatingSystemMXBean os;
  private long cpuStart;
  private long wallStart;

  public CpuProfiler() {
    java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    if (!(bean instanceof com.sun.management.OperatingSystemMXBean)) {
      throw new IllegalStateException(
          "CpuProfiler needs com.sun.management.OperatingSystemMXBean, which this JVM lacks");
    }
    os = (com.sun.management.OperatingSystemMXBean) bean;
    if (os.getProcessCpuTime() < 0) {
      throw new IllegalStateException("this JVM does not report its process CPU time");
    }
  }

  @Override
  public String getDescription() {
    return "Process CPU time (all threads) per operation, and cores busy";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    wallStart = System.nanoTime();
    cpuStart = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - cpuStart;
    long wall = System.nanoTime() - wallStart;
    long ops = result.getMetadata().getAllOps();
    if (ops <= 0 || wall <= 0) {
      return Collections.emptyList();
    }
    return Arrays.asList(
        new ScalarResult("·cpu.ns/op", (double) cpu / ops, "ns/op", AggregationPolicy.AVG),
        new ScalarResult("·cpu.cores", (double) cpu / wall, "cores", AggregationPolicy.AVG));
  }
}
