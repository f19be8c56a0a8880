package io.github.otlpfile.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finishes tests in the background: a receiver's HTTP server takes up to a second to stop (the
 * JDK's server waits out its grace period), which a test suite should not wait for test by test.
 * Its port is closed at once; the files are removed once it has stopped. Before the JVM exits, the
 * cleanups still running are waited for (up to {@value #EXIT_WAIT_SECONDS} seconds).
 *
 * <p>Thread-safe.
 */
final class Cleanups {
  private static final long EXIT_WAIT_SECONDS = 10;
  private static final AtomicInteger threads = new AtomicInteger();
  private static final AtomicBoolean hookAdded = new AtomicBoolean();
  private static final Set<CountDownLatch> pending = ConcurrentHashMap.newKeySet();

  private Cleanups() {}

  static void run(Runnable cleanup) {
    if (hookAdded.compareAndSet(false, true)) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(Cleanups::awaitPending, "otlp-file-test-cleanup-wait"));
    }
    CountDownLatch done = new CountDownLatch(1);
    pending.add(done);
    Thread thread =
        new Thread(
            () -> {
              try {
                cleanup.run();
              } finally {
                pending.remove(done);
                done.countDown();
              }
            },
            "otlp-file-test-cleanup-" + threads.incrementAndGet());
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits for the cleanups started so far. */
  static void awaitPending() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXIT_WAIT_SECONDS);
    for (CountDownLatch done : pending) {
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0 || !done.await(left, TimeUnit.NANOSECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
