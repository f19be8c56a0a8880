package io.github.otlpfile.internal.forward;

import io.github.otlpfile.CircuitState;
import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.ThrottledLogger;
import io.github.otlpfile.internal.buffer.RecordTicket;
import io.github.otlpfile.internal.file.FileFolder;
import io.github.otlpfile.internal.file.FolderMaintenance;
import io.github.otlpfile.internal.file.WriteListener;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends each batch that was written to the local file on to a remote delegate exporter, behind a
 * {@link CircuitBreaker}, without ever delaying or failing the local export.
 *
 * <p>Inside {@code export()} the exporter calls {@link #afterQueued}: if a batch could be admitted,
 * it is copied there (the collection only, or the whole batch for reusable metric data), because
 * the SDK may reuse it once {@code export()} returns. When the local write has succeeded, the batch
 * takes one of at most {@code maxInFlight} slots and one ticket from the breaker, and a forwarding
 * thread hands it to the delegate. A batch that finds no free slot or an open breaker is skipped; a
 * batch whose local write failed is not forwarded and not counted here. Every admitted batch is
 * settled exactly once, as forwarded or failed: the delegate's result, an exception it throws, or
 * the timeout, whichever comes first; its breaker ticket gets exactly that one outcome. A slot is
 * freed once the batch is settled and the delegate's {@code export()} call has returned, so a
 * delegate that blocks its caller holds at most {@code maxInFlight} threads. Batches in flight
 * together may reach the delegate in any order.
 *
 * <p>Counts: once every batch has settled, items written to the file = forwarded + failed to
 * forward + skipped. With catch-up ({@link #startCatchUp}), failed and skipped batches join the
 * backlog that {@link CatchUp} sends from the files, and a permanent rejection is counted as
 * rejected instead of failed.
 *
 * <p>Thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class Forwarder<T> {
  private static final Logger logger = Logger.getLogger(Forwarder.class.getName());

  private final Signal signal;
  private final ForwardSettings<T> settings;
  private final ForwardDelegate<T> delegate;
  private final ExporterCounters counters;
  private final CircuitBreaker breaker;
  private final UnaryOperator<Collection<T>> snapshot;
  private final long timeoutNanos;
  private final Semaphore slots;
  private final Executor sender;
  private final ScheduledExecutorService timer;
  private final ThrottledLogger throttledLogger = new ThrottledLogger(logger);
  // Admitted batches not yet settled; flush() and shutdown() wait for them.
  private final Set<Batch> inFlight = ConcurrentHashMap.newKeySet();
  // forwardSkippedItems when the breaker last opened from CLOSED, for the "resumed" message.
  private final AtomicLong skippedWhenOpened = new AtomicLong();
  // Set once, before the first export, when catch-up is on.
  private volatile CatchUp<T> catchUp;

  /** Creates the delegate from {@code settings} and a closed breaker that reads {@code clock}. */
  public Forwarder(
      Signal signal, ForwardSettings<T> settings, Clock clock, ExporterCounters counters) {
    this(signal, settings, clock, counters, ForwardExecutors.sender(), ForwardExecutors.timer());
  }

  Forwarder(
      Signal signal,
      ForwardSettings<T> settings,
      Clock clock,
      ExporterCounters counters,
      Executor sender,
      ScheduledExecutorService timer) {
    this.signal = signal;
    this.settings = settings;
    this.counters = counters;
    this.snapshot = settings.snapshot;
    this.timeoutNanos = toNanosSaturated(settings.timeout);
    this.slots = new Semaphore(settings.maxInFlight);
    this.sender = sender;
    this.timer = timer;
    this.breaker = new CircuitBreaker(settings.circuitBreaker, clock, this::onStateChange);
    this.delegate = settings.delegateFactory.get();
    counters.setCircuitStateSupplier(breaker::getState);
  }

  /**
   * Starts catch-up for the folder if the settings ask for it: returns what the folder's writer
   * tells where records went (to give to its sink), or {@code null} when catch-up is off. Call
   * once, before the first export.
   */
  public WriteListener startCatchUp(
      FileFolder folder,
      String instanceId,
      FolderMaintenance maintenance,
      boolean forceCheckpoint) {
    return startCatchUp(
        folder, instanceId, maintenance, forceCheckpoint, Checkpoint.DEFAULT_STORAGE);
  }

  WriteListener startCatchUp(
      FileFolder folder,
      String instanceId,
      FolderMaintenance maintenance,
      boolean forceCheckpoint,
      Checkpoint.Storage storage) {
    if (!settings.catchUp) {
      return null;
    }
    CatchUp<T> started =
        new CatchUp<>(
            signal,
            folder,
            instanceId,
            delegate,
            breaker,
            counters,
            BacklogReader.<T>forSignal(signal),
            storage,
            forceCheckpoint,
            settings.catchUpRate,
            Math.max(1, timeoutNanos / 1_000_000));
    FolderProgress progress = started.getProgress();
    maintenance.setRetentionListener(progress);
    counters.setBacklog(
        new ExporterCounters.Backlog() {
          @Override
          public long items() {
            return progress.getBacklogItems();
          }

          @Override
          public long bytes() {
            return progress.getBacklogBytes();
          }

          @Override
          public long oldestMillis() {
            return progress.getOldestBacklogMillis();
          }
        });
    catchUp = started;
    started.start();
    return progress;
  }

  /** Whether catch-up is on: then every queued record needs a {@link RecordTicket}. */
  public boolean isCatchingUp() {
    return catchUp != null;
  }

  /**
   * Called inside {@code export()} once the batch is queued for the file, with the result the
   * writer completes, and the batch's item count as the statistics count it. Copies the batch if it
   * could be forwarded; does not call the delegate.
   */
  public void afterQueued(Collection<T> items, int count, CompletableResultCode written) {
    afterQueuedLazily(() -> items, count, written, null);
  }

  /** Like {@link #afterQueued}, with the ticket the writer fills in when catch-up is on. */
  public void afterQueued(
      Collection<T> items, int count, CompletableResultCode written, RecordTicket ticket) {
    afterQueuedLazily(() -> items, count, written, ticket);
  }

  public void afterQueuedLazily(
      Supplier<? extends Collection<T>> items, int count, CompletableResultCode written) {
    afterQueuedLazily(items, count, written, null);
  }

  /**
   * Like {@link #afterQueued}, for a record queued without SDK data (a received request written as
   * it came): {@code items} makes the batch, and is called only if the batch could be admitted, so
   * that nothing is mapped while the breaker is open or every slot is busy. What it returns is then
   * copied with the snapshot of the settings, and a failure to make it counts as failed to forward.
   */
  public void afterQueuedLazily(
      Supplier<? extends Collection<T>> items,
      int count,
      CompletableResultCode written,
      RecordTicket ticket) {
    Collection<T> copy = null;
    boolean copyFailed = false;
    if (slots.availablePermits() > 0 && breaker.wouldAdmit()) {
      try {
        copy = snapshot.apply(items.get());
      } catch (RuntimeException e) {
        copyFailed = true;
        throttledLogger.log(
            Level.WARNING,
            "Failed to copy " + count + " " + signal.getItemName() + " for forwarding: " + e,
            e);
      }
    }
    Collection<T> data = copy;
    boolean failed = copyFailed;
    written.whenComplete(
        () -> {
          if (!written.isSuccess()) {
            return; // not in the file: counted as dropped or failed, never forwarded
          }
          if (failed) {
            counters.forwardFailedItems.add(count);
            liveSettled(ticket, FolderProgress.LiveOutcome.UNDELIVERED);
          } else {
            dispatch(data, count, ticket);
          }
        });
  }

  /** Runs on the thread that completed the local write: decides, never calls the delegate. */
  private void dispatch(Collection<T> data, int count, RecordTicket record) {
    if (data == null || !slots.tryAcquire()) {
      counters.forwardSkippedItems.add(count);
      liveSettled(record, FolderProgress.LiveOutcome.UNDELIVERED);
      return;
    }
    long ticket = breaker.tryAcquire();
    if (ticket == CircuitBreaker.REJECTED) {
      slots.release();
      counters.forwardSkippedItems.add(count);
      liveSettled(record, FolderProgress.LiveOutcome.UNDELIVERED);
      return;
    }
    Batch batch = new Batch(data, count, ticket, record);
    inFlight.add(batch);
    try {
      sender.execute(batch::send);
    } catch (RejectedExecutionException e) {
      batch.callReturned();
      batch.settle(false, e);
    }
  }

  private void liveSettled(RecordTicket ticket, FolderProgress.LiveOutcome outcome) {
    CatchUp<T> c = catchUp;
    if (c != null && ticket != null && ticket.getFile() != null) {
      c.getProgress().liveSettled(ticket, outcome);
    }
  }

  /**
   * Completes after {@code localFlush}, every batch admitted before it has settled, and the
   * delegate's own flush; succeeds if both flushes did. Forwarding failures are counted, not
   * reported here.
   */
  public CompletableResultCode flushAfter(CompletableResultCode localFlush) {
    return afterLocal(localFlush, "flush", delegate::flush);
  }

  /**
   * Like {@link #flushAfter}, then shuts the delegate down: the delegate is shut down after the
   * local files are closed and the last batches have settled.
   */
  public CompletableResultCode shutdownAfter(CompletableResultCode localShutdown) {
    CatchUp<T> c = catchUp;
    if (c == null) {
      return afterLocal(localShutdown, "shut down", delegate::shutdown);
    }
    // Catch-up stops (its last batch settled, the checkpoint saved) before the delegate goes.
    CompletableResultCode stopped = new CompletableResultCode();
    localShutdown.whenComplete(
        () ->
            whenInFlightSettled()
                .whenComplete(
                    () ->
                        c.stop()
                            .whenComplete(
                                () -> {
                                  if (localShutdown.isSuccess()) {
                                    stopped.succeed();
                                  } else {
                                    stopped.fail();
                                  }
                                })));
    return afterLocal(stopped, "shut down", delegate::shutdown);
  }

  private CompletableResultCode afterLocal(
      CompletableResultCode local, String what, Supplier<CompletableResultCode> call) {
    CompletableResultCode result = new CompletableResultCode();
    local.whenComplete(
        () ->
            whenInFlightSettled()
                .whenComplete(
                    () -> {
                      CompletableResultCode remote = callDelegate(what, call);
                      remote.whenComplete(
                          () -> {
                            if (local.isSuccess() && remote.isSuccess()) {
                              result.succeed();
                            } else {
                              result.fail();
                            }
                          });
                    }));
    return result;
  }

  private CompletableResultCode whenInFlightSettled() {
    List<CompletableResultCode> pending = new ArrayList<>();
    for (Batch batch : inFlight) {
      pending.add(batch.settled);
    }
    return CompletableResultCode.ofAll(pending);
  }

  /** Calls the delegate on a forwarding thread; fails if it throws or outlasts the timeout. */
  private CompletableResultCode callDelegate(String what, Supplier<CompletableResultCode> call) {
    CompletableResultCode result = new CompletableResultCode();
    Runnable task =
        () -> {
          ScheduledFuture<?> timeout =
              schedule(
                  () -> {
                    if (!result.isDone()) {
                      logger.log(
                          Level.WARNING,
                          "Forwarding delegate "
                              + delegate
                              + " did not "
                              + what
                              + " within "
                              + settings.timeout);
                      result.fail();
                    }
                  });
          CompletableResultCode remote;
          try {
            remote = call.get();
          } catch (Throwable t) {
            logger.log(Level.WARNING, "Forwarding delegate " + delegate + " failed to " + what, t);
            cancel(timeout);
            result.failExceptionally(t);
            return;
          }
          if (remote == null) {
            cancel(timeout);
            result.fail();
            return;
          }
          remote.whenComplete(
              () -> {
                cancel(timeout);
                if (remote.isSuccess()) {
                  result.succeed();
                } else {
                  result.fail();
                }
              });
        };
    try {
      sender.execute(task);
    } catch (RejectedExecutionException e) {
      result.failExceptionally(e);
    }
    return result;
  }

  /** Slots free for more batches; for tests. */
  int availableSlots() {
    return slots.availablePermits();
  }

  /** The breaker's state, for {@code getStats()}. */
  public CircuitState getCircuitState() {
    return breaker.getState();
  }

  private void onStateChange(CircuitState from, CircuitState to) {
    String prefix = "Forwarding " + signal.getDirectoryName() + " to " + delegate + ": ";
    switch (to) {
      case OPEN:
        counters.circuitOpened.increment();
        if (from == CircuitState.CLOSED) {
          skippedWhenOpened.set(counters.forwardSkippedItems.sum());
          logger.log(
              Level.INFO,
              prefix
                  + "paused after "
                  + settings.circuitBreaker.getFailureThreshold()
                  + " consecutive failed batches (circuit breaker open); data is still written"
                  + " to the local files, and one batch is tried again after "
                  + settings.circuitBreaker.getOpenDuration());
        } else {
          logger.log(
              Level.FINE,
              prefix
                  + "the probe batch failed; the circuit breaker stays open for another "
                  + settings.circuitBreaker.getOpenDuration());
        }
        break;
      case HALF_OPEN:
        counters.circuitHalfOpened.increment();
        logger.log(Level.FINE, prefix + "sending one probe batch (circuit breaker half-open)");
        break;
      case CLOSED:
        counters.circuitClosed.increment();
        CatchUp<T> c = catchUp;
        if (c != null) {
          c.onBreakerClosed();
        }
        long skipped = counters.forwardSkippedItems.sum() - skippedWhenOpened.get();
        logger.log(
            Level.INFO,
            prefix
                + "resumed (circuit breaker closed); "
                + skipped
                + " "
                + signal.getItemName()
                + " were not forwarded while it was open and are only in the local files");
        break;
    }
  }

  private ScheduledFuture<?> schedule(Runnable task) {
    try {
      return timer.schedule(task, timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null; // the timer is never shut down; without it a batch can only settle by itself
    }
  }

  private static void cancel(ScheduledFuture<?> future) {
    if (future != null) {
      future.cancel(false);
    }
  }

  @Override
  public String toString() {
    return settings.toString();
  }

  private static long toNanosSaturated(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** One admitted batch, from admission until it is settled and its slot is free. */
  private final class Batch {
    final Collection<T> data;
    final int count;
    final long ticket;
    final RecordTicket record;
    // Completes when settled; what flush() and shutdown() wait for.
    final CompletableResultCode settled = new CompletableResultCode();
    private final AtomicBoolean done = new AtomicBoolean();
    // The slot is freed when both the outcome is known and the export() call has returned.
    private final AtomicInteger holds = new AtomicInteger(2);
    private volatile ScheduledFuture<?> timeout;

    Batch(Collection<T> data, int count, long ticket, RecordTicket record) {
      this.data = data;
      this.count = count;
      this.ticket = ticket;
      this.record = record;
    }

    /** Runs on a forwarding thread. */
    void send() {
      ScheduledFuture<?> scheduled =
          schedule(
              () -> settle(false, new TimeoutException("no result within " + settings.timeout)));
      timeout = scheduled;
      if (done.get()) {
        cancel(scheduled); // settled before the timeout was published
      }
      CompletableResultCode result;
      try {
        result = delegate.export(data);
      } catch (Throwable t) {
        callReturned();
        settle(false, t);
        return;
      }
      callReturned();
      if (result == null) {
        settle(false, new NullPointerException("export() returned null"));
        return;
      }
      result.whenComplete(() -> settle(result.isSuccess(), result.getFailureThrowable()));
    }

    void callReturned() {
      releaseHold();
    }

    private void releaseHold() {
      if (holds.decrementAndGet() == 0) {
        slots.release();
      }
    }

    void settle(boolean success, Throwable error) {
      if (!done.compareAndSet(false, true)) {
        return; // the timeout and the delegate's answer race; the first one counts
      }
      cancel(timeout);
      if (success) {
        counters.forwardedItems.add(count);
        breaker.onSuccess(ticket);
        liveSettled(record, FolderProgress.LiveOutcome.DELIVERED);
      } else if (catchUp != null
          && record != null
          && FailureKind.of(error) == FailureKind.PERMANENT) {
        // Sending it again would only be refused again.
        counters.forwardRejectedItems.add(count);
        logFailure(error);
        breaker.onFailure(ticket);
        liveSettled(record, FolderProgress.LiveOutcome.REJECTED);
      } else {
        counters.forwardFailedItems.add(count);
        logFailure(error);
        breaker.onFailure(ticket);
        liveSettled(record, FolderProgress.LiveOutcome.UNDELIVERED);
      }
      inFlight.remove(this);
      releaseHold();
      settled.succeed();
    }

    private void logFailure(Throwable error) {
      String reason =
          error instanceof TimeoutException
              ? "it timed out after " + settings.timeout
              : error == null ? "the exporter reported failure" : error.toString();
      throttledLogger.log(
          Level.WARNING,
          "Failed to forward "
              + count
              + " "
              + signal.getItemName()
              + " to "
              + delegate
              + " ("
              + reason
              + "); they are in the local files",
          error instanceof TimeoutException ? null : error);
    }
  }
}
