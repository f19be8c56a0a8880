package io.github.otlpfile.internal.forward;

import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.ThrottledLogger;
import io.github.otlpfile.internal.file.FileFolder;
import io.github.otlpfile.internal.file.FileNames;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends what live forwarding did not deliver from the files of one signal folder: the records an
 * outage or a restart left behind, oldest first, one batch at a time, on the catch-up thread (one
 * daemon thread shared by all exporters), paced to {@code ratePerSecond} items and behind the same
 * circuit breaker as live forwarding. Keeps the folder's {@link FolderProgress} and saves it in the
 * {@link Checkpoint} after every change, coalescing changes that come while a save is running.
 *
 * <p>At most one process catches up a folder: the one holding the lock on {@value #LOCK_NAME}.
 * Another one forwards live only and tries to take over the lock from time to time.
 *
 * <p>Thread-safe: its state is confined to the catch-up thread; other threads only {@link #wake}
 * it.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class CatchUp<T> {
  static final String LOCK_NAME = ".otlp-forward.lock";
  private static final Logger logger = Logger.getLogger(CatchUp.class.getName());
  // How often the folder is looked at without a reason: new files of others, the lock, age.
  static final long IDLE_MILLIS = 1000;
  // How soon to ask an open breaker again, and to look again at a record live forwarding holds.
  static final long POLL_MILLIS = 50;
  private static final long MAX_BACKOFF_MILLIS = 30_000;
  private static final long MIN_BACKOFF_MILLIS = 200;

  private final Signal signal;
  private final FileFolder folder;
  private final FolderProgress progress;
  private final ForwardDelegate<T> delegate;
  private final CircuitBreaker breaker;
  private final ExporterCounters counters;
  private final BacklogReader.Factory<T> readers;
  private final Checkpoint.Storage storage;
  private final boolean forceCheckpoint;
  private final java.util.concurrent.atomic.AtomicBoolean saveRequested =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final double ratePerSecond;
  private final long timeoutMillis;
  private final long idleMillis;
  private final long pollMillis;
  private final ScheduledExecutorService executor;
  private final ThrottledLogger throttledLogger = new ThrottledLogger(logger);

  // Confined to the catch-up thread.
  private FileChannel lockChannel;
  private FileLock lock;
  private boolean started;
  private boolean stopped;
  private BacklogReader<T> reader;
  private FileNames.ParsedName readerFile;
  private BacklogReader.Record<T> held;
  private boolean inFlight;
  private long notBeforeNanos;
  private long backoffMillis;
  private ScheduledFuture<?> scheduled;
  private long scheduledAtNanos;
  private boolean checkpointFailing;

  CatchUp(
      Signal signal,
      FileFolder folder,
      String instanceId,
      ForwardDelegate<T> delegate,
      CircuitBreaker breaker,
      ExporterCounters counters,
      BacklogReader.Factory<T> readers,
      Checkpoint.Storage storage,
      boolean forceCheckpoint,
      double ratePerSecond,
      long timeoutMillis) {
    this(
        signal,
        folder,
        instanceId,
        delegate,
        breaker,
        counters,
        readers,
        storage,
        forceCheckpoint,
        ratePerSecond,
        timeoutMillis,
        IDLE_MILLIS,
        POLL_MILLIS);
  }

  /** With the idle and poll intervals given: tests stretch them to see what wakes catch-up. */
  CatchUp(
      Signal signal,
      FileFolder folder,
      String instanceId,
      ForwardDelegate<T> delegate,
      CircuitBreaker breaker,
      ExporterCounters counters,
      BacklogReader.Factory<T> readers,
      Checkpoint.Storage storage,
      boolean forceCheckpoint,
      double ratePerSecond,
      long timeoutMillis,
      long idleMillis,
      long pollMillis) {
    this.idleMillis = idleMillis;
    this.pollMillis = pollMillis;
    this.forceCheckpoint = forceCheckpoint;
    this.signal = signal;
    this.folder = folder;
    this.delegate = delegate;
    this.breaker = breaker;
    this.counters = counters;
    this.readers = readers;
    this.storage = storage;
    this.ratePerSecond = ratePerSecond;
    this.timeoutMillis = timeoutMillis;
    this.executor = Holder.EXECUTOR;
    this.progress =
        new FolderProgress(
            signal.getDirectoryName(), instanceId, counters, this::wake, this::requestSave);
  }

  FolderProgress getProgress() {
    return progress;
  }

  /** Starts: takes the lock if it can, loads the checkpoint, and begins. */
  void start() {
    executor.execute(this::step);
  }

  /** Asks for a step soon: the backlog grew, live forwarding settled, the breaker closed. */
  void wake() {
    try {
      executor.execute(
          () -> {
            if (!inFlight) {
              schedule(0);
            }
          });
    } catch (RuntimeException e) {
      // The executor is never shut down.
    }
  }

  /**
   * Live forwarding delivered a batch: saves the checkpoint soon, so that a crash sends it again
   * only if it came in the meantime. Requests that come while a save is pending join it.
   */
  void requestSave() {
    if (!saveRequested.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(
          () -> {
            saveRequested.set(false);
            if (progress.isDirty()) {
              saveCheckpoint();
            }
          });
    } catch (RuntimeException e) {
      saveRequested.set(false);
    }
  }

  /** The breaker closed: the endpoint is back, so any backoff of a failed batch is over. */
  void onBreakerClosed() {
    try {
      executor.execute(
          () -> {
            backoffMillis = 0;
            notBeforeNanos = System.nanoTime();
            if (!inFlight) {
              schedule(0);
            }
          });
    } catch (RuntimeException e) {
      // The executor is never shut down.
    }
  }

  /**
   * Stops: no new batch is sent, the one in flight settles, the checkpoint is saved and the lock
   * released. The result completes when all that is done.
   */
  CompletableResultCode stop() {
    CompletableResultCode result = new CompletableResultCode();
    executor.execute(
        () -> {
          stopped = true;
          cancelScheduled();
          finishStop(result);
        });
    return result;
  }

  private void finishStop(CompletableResultCode result) {
    if (inFlight) {
      executor.schedule(() -> finishStop(result), pollMillis, TimeUnit.MILLISECONDS);
      return;
    }
    closeReader();
    saveCheckpoint();
    releaseLock();
    result.succeed();
  }

  // ---- the loop (catch-up thread)

  private void schedule(long delayMillis) {
    if (stopped) {
      return;
    }
    long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    if (scheduled != null && !scheduled.isDone() && scheduledAtNanos - at <= 0) {
      return; // an earlier step is already planned
    }
    cancelScheduled();
    scheduledAtNanos = at;
    scheduled = executor.schedule(this::step, delayMillis, TimeUnit.MILLISECONDS);
  }

  private void cancelScheduled() {
    if (scheduled != null) {
      scheduled.cancel(false);
      scheduled = null;
    }
  }

  private void step() {
    // This step may be the planned one: it is running, so nothing is planned any more. (A planned
    // step that is not this one then runs for nothing, which is harmless.)
    scheduled = null;
    if (stopped || inFlight) {
      return;
    }
    try {
      stepOnce();
    } catch (RuntimeException | Error e) {
      throttledLogger.log(
          Level.WARNING, "Catch-up of " + folder + " failed; it tries again shortly: " + e, e);
      closeReader();
      held = null;
      schedule(idleMillis);
    }
  }

  private void stepOnce() {
    if (!started && !tryStart()) {
      schedule(idleMillis); // another process catches up this folder; try again later
      return;
    }
    if (progress.isDirty()) {
      saveCheckpoint();
    }
    long now = System.nanoTime();
    if (now - notBeforeNanos < 0) {
      schedule(TimeUnit.NANOSECONDS.toMillis(notBeforeNanos - now) + 1);
      return;
    }
    BacklogReader.Record<T> record = nextRecord();
    if (record == null) {
      return; // nextRecord planned the next step
    }
    long ticket = breaker.tryAcquire();
    if (ticket == CircuitBreaker.REJECTED) {
      schedule(pollMillis);
      return;
    }
    send(record, ticket);
  }

  private boolean tryStart() {
    try {
      Files.createDirectories(folder.getDirectory());
      if (lockChannel == null) {
        lockChannel =
            FileChannel.open(
                folder.getDirectory().resolve(LOCK_NAME),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
      }
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // another exporter in this process holds it
      }
    } catch (IOException e) {
      throttledLogger.log(
          Level.WARNING, "Catch-up cannot lock " + folder + "; it tries again later: " + e, e);
      return false;
    }
    if (lock == null) {
      return false;
    }
    String[] problem = new String[1];
    Checkpoint checkpoint = Checkpoint.read(folder.getDirectory(), problem);
    if (checkpoint == null) {
      logger.log(
          Level.WARNING,
          "The forwarding checkpoint is damaged ("
              + problem[0]
              + "); catch-up starts again from the oldest file in "
              + folder.getDirectory()
              + ", so records delivered before may be sent again");
      checkpoint = Checkpoint.EMPTY;
    }
    progress.restore(checkpoint);
    started = true;
    return true;
  }

  /** The next record to send, or {@code null} with the next step planned. */
  private BacklogReader.Record<T> nextRecord() {
    while (true) {
      if (held != null) {
        FolderProgress.Verdict verdict = progress.verdict(readerFile, held.position);
        if (verdict == FolderProgress.Verdict.WAIT) {
          schedule(pollMillis);
          return null;
        }
        BacklogReader.Record<T> record = held;
        if (verdict == FolderProgress.Verdict.SEND) {
          return record;
        }
        held = null;
        continue;
      }
      if (reader == null && !openNext()) {
        return null;
      }
      BacklogReader.Record<T> record = reader.next();
      if (record == null) {
        if (!atEnd()) {
          schedule(pollMillis * 4);
          return null;
        }
        continue;
      }
      if (!progress.isOwn(readerFile)
          && progress.verdict(readerFile, record.position) == FolderProgress.Verdict.SEND) {
        counters.forwardFoundItems.add(record.items);
      }
      held = record;
    }
  }

  /** At the end of the current file: moves on if nobody writes it any more. */
  private boolean atEnd() {
    if (progress.isOwnActive(readerFile)
        || (!progress.isOwn(readerFile) && heldByWriter(readerFile))) {
      // The writer may add records: read them on a fresh reader later.
      closeReader();
      return false;
    }
    progress.readToEnd(readerFile);
    closeReader();
    return true;
  }

  private boolean heldByWriter(FileNames.ParsedName name) {
    Path plain = folder.getDirectory().resolve(name.getFileName());
    try (FileChannel channel =
        FileChannel.open(plain, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      FileLock shared = channel.tryLock(0, Long.MAX_VALUE, true);
      if (shared == null) {
        return true;
      }
      shared.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true; // a writer or a compression of this process has it
    } catch (NoSuchFileException e) {
      return false; // compressed, or deleted: finished
    } catch (IOException e) {
      return false;
    }
  }

  private boolean openNext() {
    long now = System.nanoTime();
    List<FileFolder.Entry> entries;
    try {
      entries = folder.list();
    } catch (NoSuchFileException e) {
      schedule(idleMillis);
      return false;
    } catch (IOException | RuntimeException e) {
      throttledLogger.log(Level.WARNING, "Catch-up cannot list " + folder + ": " + e, e);
      schedule(idleMillis);
      return false;
    }
    List<FileNames.ParsedName> names = new ArrayList<>(entries.size());
    for (FileFolder.Entry entry : entries) {
      FileNames.ParsedName name =
          FileNames.parse(folder.getSignal(), entry.getPlainPath().getFileName().toString());
      if (name != null) {
        names.add(name);
      }
    }
    // Left for later: own files whose records live forwarding still has (or that have no
    // backlog), and others' files that a writer still has open.
    boolean[] waiting = new boolean[1];
    FileNames.ParsedName next =
        progress.nextFile(
            names,
            now,
            name -> {
              FolderProgress.Verdict work = progress.ownFileWork(name);
              if (work == FolderProgress.Verdict.WAIT) {
                waiting[0] = true;
              }
              if (work != FolderProgress.Verdict.SEND) {
                return false;
              }
              return progress.isOwn(name) || !heldByWriter(name);
            });
    if (next == null) {
      schedule(waiting[0] ? pollMillis : idleMillis);
      return false;
    }
    Path plain = folder.getDirectory().resolve(next.getFileName());
    Path file =
        Files.exists(plain, LinkOption.NOFOLLOW_LINKS)
            ? plain
            : folder.getDirectory().resolve(FileNames.compressedName(next.getFileName()));
    reader = readers.open(file);
    readerFile = next;
    return true;
  }

  private void send(BacklogReader.Record<T> record, long ticket) {
    inFlight = true;
    progress.sending(readerFile, record.position);
    long startNanos = System.nanoTime();
    CompletableResultCode result;
    try {
      result = delegate.export(record.data);
    } catch (Throwable t) {
      result = CompletableResultCode.ofExceptionalFailure(t);
    }
    if (result == null) {
      result = CompletableResultCode.ofFailure();
    }
    CompletableResultCode answer = result;
    ScheduledFuture<?> timeout =
        executor.schedule(
            () -> settle(record, ticket, startNanos, false, new TimeoutException(), answer),
            timeoutMillis,
            TimeUnit.MILLISECONDS);
    answer.whenComplete(
        () ->
            executor.execute(
                () -> {
                  timeout.cancel(false);
                  settle(
                      record,
                      ticket,
                      startNanos,
                      answer.isSuccess(),
                      answer.getFailureThrowable(),
                      answer);
                }));
  }

  private void settle(
      BacklogReader.Record<T> record,
      long ticket,
      long startNanos,
      boolean success,
      Throwable error,
      CompletableResultCode answer) {
    if (!inFlight || held != record) {
      return; // the timeout and the answer race; the first one counts
    }
    inFlight = false;
    progress.sending(null, 0);
    FailureKind kind = success ? null : FailureKind.of(error);
    if (success || kind == FailureKind.PERMANENT) {
      breaker.onSuccess(ticket); // the endpoint answered
      boolean own = progress.caughtUp(readerFile, record.position);
      if (success) {
        counters.forwardCaughtUpItems.add(record.items);
      } else {
        counters.forwardRejectedItems.add(record.items);
        throttledLogger.log(
            Level.WARNING,
            "The endpoint rejected "
                + record.items
                + " "
                + signal.getItemName()
                + " of "
                + readerFile
                + " for good ("
                + error
                + "); catch-up moves on");
      }
      if (!own) {
        counters.forwardFoundBacklogSettled.add(record.items);
      }
      held = null;
      backoffMillis = 0;
      // Pacing: the next batch no sooner than this one's share of the rate allows.
      long paceNanos = (long) (record.items / ratePerSecond * 1e9);
      notBeforeNanos = startNanos + paceNanos;
      saveCheckpoint();
      schedule(Math.max(0, TimeUnit.NANOSECONDS.toMillis(notBeforeNanos - System.nanoTime())));
      return;
    }
    breaker.onFailure(ticket);
    if (progress.expireIfGone(readerFile, record.position)) {
      held = null; // retention deleted its file meanwhile: counted as expired, never sent
    }
    backoffMillis =
        backoffMillis == 0 ? MIN_BACKOFF_MILLIS : Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
    notBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
    throttledLogger.log(
        Level.FINE,
        "Catch-up of "
            + folder
            + " failed to send "
            + record.items
            + " "
            + signal.getItemName()
            + " ("
            + (error instanceof TimeoutException ? "timed out" : String.valueOf(error))
            + "); trying again in "
            + backoffMillis
            + " ms");
    schedule(backoffMillis);
  }

  private void saveCheckpoint() {
    if (!started || lock == null) {
      return;
    }
    Checkpoint checkpoint = progress.snapshot();
    try {
      checkpoint.write(folder.getDirectory(), storage, forceCheckpoint);
      if (forceCheckpoint) {
        FileFolder.forceDirectory(folder.getDirectory());
      }
      if (checkpointFailing) {
        checkpointFailing = false;
        logger.log(Level.INFO, "The forwarding checkpoint of " + folder + " is written again");
      }
    } catch (IOException | RuntimeException e) {
      checkpointFailing = true;
      progress.markDirty();
      counters.checkpointFailures.increment();
      throttledLogger.log(
          Level.WARNING,
          "Cannot write the forwarding checkpoint of "
              + folder
              + " (it is tried again at the next change); after a restart, what was delivered"
              + " since the last good checkpoint is sent again: "
              + e,
          e);
    }
  }

  private void closeReader() {
    if (reader != null) {
      reader.close();
      reader = null;
    }
    held = null;
  }

  private void releaseLock() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      // Closing releases it in any case.
    }
    lock = null;
    lockChannel = null;
  }

  private static final class Holder {
    static final ScheduledThreadPoolExecutor EXECUTOR = newExecutor();

    private static ScheduledThreadPoolExecutor newExecutor() {
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(
              1,
              runnable -> {
                Thread thread = new Thread(runnable, "otlp-file-catch-up");
                thread.setDaemon(true);
                return thread;
              });
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }
  }
}
