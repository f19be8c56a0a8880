package io.github.otlpfile.benchmarks.lock;

/**
 * The lock the benchmark's copies of the lock-based designs are written against, so that the same
 * code can count its lock acquisitions.
 */
public interface BenchLock {
  void lock();

  void unlock();
}
