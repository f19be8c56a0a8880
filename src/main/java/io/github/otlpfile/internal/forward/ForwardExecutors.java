package io.github.otlpfile.internal.forward;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads all forwarders share, created on first use: daemon threads that call the delegates
 * (one per batch in flight at most, so the in-flight bound of each forwarder bounds them; idle ones
 * end after a minute) and one daemon thread that times out batches the delegate never answers.
 *
 * <p>Thread-safe.
 */
final class ForwardExecutors {
  private ForwardExecutors() {}

  /** Runs calls to delegates, never on an application or writer thread. */
  static Executor sender() {
    return Holder.SENDER;
  }

  /** Fires per-batch timeouts. Its tasks only record results; they never call a delegate. */
  static ScheduledExecutorService timer() {
    return Holder.TIMER;
  }

  private static final class Holder {
    static final ThreadPoolExecutor SENDER =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<Runnable>(),
            daemonThreads("otlp-file-forward-"));
    static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private static ScheduledThreadPoolExecutor newTimer() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(1, daemonThreads("otlp-file-forward-timer-"));
      timer.setRemoveOnCancelPolicy(true);
      return timer;
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger next = new AtomicInteger(1);
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + next.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    };
  }
}
