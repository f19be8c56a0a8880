package io.github.otlpfile.internal.file;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks one at a time, in the order they were submitted, on one daemon thread that goes away
 * when it has been idle for a while and comes back with the next task.
 *
 * <p>Thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class OrderedThread implements Executor {
  private static final long IDLE_SECONDS = 10;

  private final ThreadPoolExecutor executor;

  OrderedThread(final String threadName) {
    executor =
        new ThreadPoolExecutor(
            1,
            1,
            IDLE_SECONDS,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<Runnable>(),
            runnable -> {
              Thread thread = new Thread(runnable, threadName);
              thread.setDaemon(true);
              return thread;
            });
    executor.allowCoreThreadTimeOut(true);
  }

  /** Runs {@code task} after every task submitted before it. */
  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }
}
