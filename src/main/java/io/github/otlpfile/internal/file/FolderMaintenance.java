package io.github.otlpfile.internal.file;

import io.github.otlpfile.Compression;
import io.github.otlpfile.Durability;
import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.internal.ThrottledLogger;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps one signal folder tidy on behalf of one writer: start-up recovery, closing rotated files,
 * compression of closed files and retention. Start-up recovery runs on the writer thread, on first
 * use; closing rotated files and retention run on the maintenance thread (one for the process,
 * shared by every writer: {@link #inBackground}), so that neither a slow {@code close} or {@code
 * fsync} nor the deletion of a large file holds up the writer thread while an export waits for its
 * result; compression runs on the {@link FileCompressor} thread. None of it runs on an exporting
 * thread.
 *
 * <p>Start-up recovery, on first use: empty files that no writer holds are deleted (a crash right
 * after a file was made leaves one); temporary compression files that no compression holds are
 * deleted (or, in the one case where a temporary file holds the only copy of the data, a complete
 * one is moved into place); under {@link Compression#GZIP}, closed plain files left by earlier runs
 * are compressed; a plain file whose compressed copy also exists (a compression interrupted just
 * before its last step) is compressed again whatever the setting, so that no data is kept twice;
 * then retention runs over everything, whoever wrote it.
 *
 * <p>Retention runs after a file is closed, or compressed under GZIP (at most once per {@value
 * #MIN_INTERVAL_MILLIS} ms, so that rapid rotation does not list the folder on every write), every
 * {@value #PERIODIC_INTERVAL_SECONDS} s by the writer's clock (for the age limit and for files of
 * other processes), and when the writer closes its last file.
 *
 * <p>Thread-safe: the writer thread, the maintenance thread and the compression thread call it. The
 * fields below are guarded by this object, which is held only briefly: the writer thread never
 * waits for a listing or a deletion. One retention runs at a time ({@code retentionLock}, taken
 * before this object, never after).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class FolderMaintenance {
  static final long MIN_INTERVAL_MILLIS = 100;
  static final long PERIODIC_INTERVAL_SECONDS = 10;
  private static final Logger logger = Logger.getLogger(FolderMaintenance.class.getName());
  private static final OrderedThread SHARED_BACKGROUND = new OrderedThread("otlp-file-maintenance");

  private final FileFolder folder;
  private final RetentionPolicy policy;
  private final Compression compression;
  private final Durability durability;
  private final Clock clock;
  private final ExporterCounters counters;
  private final FileCompressor compressor;
  private final Executor background;
  // Tasks handed to the background and not finished yet.
  private final AtomicInteger backgroundTasks = new AtomicInteger();
  private final Object retentionLock = new Object();
  private final ThrottledLogger throttledLogger = new ThrottledLogger(logger);
  private final ThrottledLogger compressionLogger = new ThrottledLogger(logger);
  private final AtomicBoolean compressionFinished = new AtomicBoolean();
  private volatile RetentionListener retentionListener;

  private volatile boolean started;
  private boolean submittedCompression;
  // A file was closed since retention last ran.
  private boolean due;
  // A retention is waiting in the background.
  private boolean retentionQueued;
  private long lastRunClockNanos;
  private long lastRunSystemNanos;

  public FolderMaintenance(
      FileFolder folder,
      RetentionPolicy policy,
      Compression compression,
      Durability durability,
      Clock clock,
      ExporterCounters counters,
      FileCompressor compressor) {
    this(folder, policy, compression, durability, clock, counters, compressor, SHARED_BACKGROUND);
  }

  /** As above, with the tasks of {@link #inBackground} run by {@code background}, in order. */
  FolderMaintenance(
      FileFolder folder,
      RetentionPolicy policy,
      Compression compression,
      Durability durability,
      Clock clock,
      ExporterCounters counters,
      FileCompressor compressor,
      Executor background) {
    this.background = background;
    this.folder = folder;
    this.policy = policy;
    this.compression = compression;
    this.durability = durability;
    this.clock = clock;
    this.counters = counters;
    this.compressor = compressor;
  }

  /** Tells {@code listener} of every file retention deletes from now on. */
  public void setRetentionListener(RetentionListener listener) {
    this.retentionListener = listener;
  }

  /**
   * Runs start-up recovery once; later calls do nothing. If the folder cannot even be listed, the
   * next call tries again.
   */
  public void start() {
    if (started) {
      return;
    }
    synchronized (this) {
      if (!started) {
        recover();
      }
    }
  }

  private void recover() {
    List<Path> temporaryFiles;
    List<FileFolder.Entry> entries;
    try {
      temporaryFiles = folder.listTemporaryFiles();
      entries = folder.list();
    } catch (NoSuchFileException e) {
      // No folder yet: nothing was left in it. The first file creates it.
      started = true;
      return;
    } catch (IOException | RuntimeException e) {
      throttledLogger.log(
          Level.WARNING, "Start-up recovery cannot list " + folder + "; will try again: " + e, e);
      return;
    }
    started = true;
    for (Path temporary : temporaryFiles) {
      try {
        recoverTemporary(temporary);
      } catch (IOException | RuntimeException e) {
        throttledLogger.log(
            Level.WARNING, "Start-up recovery could not remove " + temporary + ": " + e, e);
      }
    }
    boolean compressing = false;
    for (FileFolder.Entry entry : entries) {
      if (entry.getPlain() != null && entry.getCompressed() == null && entry.getSizeBytes() == 0) {
        // Left by a crash right after the file was made (or while a full disk kept it empty): it
        // holds nothing. One still open by its writer is locked and stays.
        deleteEmpty(entry.getPlain());
        continue;
      }
      if (entry.getPlain() != null
          && (entry.getCompressed() != null || compression == Compression.GZIP)) {
        compress(entry.getPlain());
        compressing = true;
      }
    }
    if (compressing) {
      // After those compressions, on their thread: while one runs, its file is held, and
      // retention would delete newer files in its place.
      compressor.submit(this::enforceRetention);
    } else {
      queueRetention();
    }
  }

  /** Hands a retention to the maintenance thread, unless one is waiting there already. */
  private void queueRetention() {
    synchronized (this) {
      if (retentionQueued) {
        return;
      }
      retentionQueued = true;
    }
    inBackground(
        () -> {
          synchronized (this) {
            retentionQueued = false;
          }
          enforceRetention();
        });
  }

  /**
   * Runs {@code task} on the maintenance thread, after every task handed to it before (by any
   * writer of the process). A task that throws is logged.
   */
  public void inBackground(final Runnable task) {
    backgroundTasks.incrementAndGet();
    background.execute(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            logger.log(Level.SEVERE, "Unexpected failure in maintenance of " + folder, e);
          } finally {
            backgroundTasks.decrementAndGet();
          }
        });
  }

  /**
   * Completes once every task this object handed to the maintenance thread so far has run; at once
   * when none is waiting.
   */
  public CompletableResultCode whenBackgroundDone() {
    if (backgroundTasks.get() == 0) {
      return CompletableResultCode.ofSuccess();
    }
    CompletableResultCode result = new CompletableResultCode();
    inBackground(result::succeed);
    return result;
  }

  private void deleteEmpty(Path plain) {
    try {
      FileFolder.tryDelete(plain);
    } catch (IOException | RuntimeException e) {
      throttledLogger.log(
          Level.WARNING,
          "Start-up recovery could not remove the empty file " + plain + ": " + e,
          e);
    }
  }

  private void recoverTemporary(Path temporary) throws IOException {
    String plainName =
        FileNames.parseTemporary(folder.getSignal(), temporary.getFileName().toString())
            .getFileName();
    Path plain = folder.getDirectory().resolve(plainName);
    Path target = folder.getDirectory().resolve(FileNames.compressedName(plainName));
    if (Files.exists(plain, LinkOption.NOFOLLOW_LINKS)
        || Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      // The data is still in a visible file: the temporary file is an unfinished copy.
      FileFolder.tryDelete(temporary);
    } else {
      FileCompressor.recoverTemporary(temporary, target);
    }
  }

  /**
   * Called when a file of this writer is closed: retention, or under {@link Compression#GZIP}
   * compression first and retention once it is done, so that the file counts with its compressed
   * size.
   */
  public void fileClosed(Path path) {
    start();
    synchronized (this) {
      if (compression == Compression.GZIP) {
        compress(path);
        return;
      }
      due = true;
      if (System.nanoTime() - lastRunSystemNanos
          < TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MILLIS)) {
        return;
      }
    }
    enforceRetention();
  }

  /**
   * Periodic work: retention when a file was closed or compressed lately, or when it is time. The
   * retention itself runs on the maintenance thread.
   */
  public void tick() {
    start();
    synchronized (this) {
      boolean changed = due || compressionFinished.get();
      if (!((changed
              && System.nanoTime() - lastRunSystemNanos
                  >= TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MILLIS))
          || clock.nanoTime() - lastRunClockNanos
              >= TimeUnit.SECONDS.toNanos(PERIODIC_INTERVAL_SECONDS))) {
        return;
      }
    }
    queueRetention();
  }

  /** Completes once every compression this writer asked for so far has finished. */
  public synchronized CompletableResultCode whenCompressed() {
    if (!submittedCompression) {
      return CompletableResultCode.ofSuccess();
    }
    final CompletableResultCode result = new CompletableResultCode();
    // Tasks run in order on one thread: this one runs after every compression before it.
    compressor.submit(result::succeed);
    return result;
  }

  /**
   * Retention one last time, when the writer has closed its last file: at once, or under {@link
   * Compression#GZIP} on the compression thread once every compression asked for so far is done, so
   * that the files count with their compressed sizes. The result completes after it.
   */
  public CompletableResultCode finish() {
    boolean compressing;
    synchronized (this) {
      compressing = submittedCompression;
    }
    if (!compressing) {
      enforceRetention();
      return CompletableResultCode.ofSuccess();
    }
    final CompletableResultCode result = new CompletableResultCode();
    compressor.submit(
        () -> {
          try {
            enforceRetention();
          } finally {
            result.succeed();
          }
        });
    return result;
  }

  /**
   * Deletes closed files, oldest first, until the folder is within the limits, and every closed
   * file that is too old. Files open anywhere are counted but never deleted. Returns the number of
   * files deleted.
   */
  public int enforceRetention() {
    synchronized (retentionLock) {
      synchronized (this) {
        due = false;
        compressionFinished.set(false);
        lastRunClockNanos = clock.nanoTime();
        lastRunSystemNanos = System.nanoTime();
      }
      return deleteOverLimits();
    }
  }

  private int deleteOverLimits() {
    List<FileFolder.Entry> entries;
    try {
      entries = folder.list();
    } catch (IOException | RuntimeException e) {
      throttledLogger.log(
          Level.WARNING, "Retention could not list " + folder + "; will try again: " + e, e);
      return 0;
    }
    int files = entries.size();
    long bytes = 0;
    for (FileFolder.Entry entry : entries) {
      bytes += entry.getSizeBytes();
    }
    long nowMillis = TimeUnit.NANOSECONDS.toMillis(clock.now());
    int deleted = 0;
    for (FileFolder.Entry entry : entries) {
      if (!policy.isOverLimits(files, bytes)
          && !policy.isExpired(entry.getLastModifiedMillis(), nowMillis)) {
        continue;
      }
      try {
        FileFolder.Deletion deletion = folder.tryDelete(entry);
        if (deletion != FileFolder.Deletion.HELD) {
          files--;
          bytes -= entry.getSizeBytes();
        }
        // A file someone else deleted first is not counted as ours.
        if (deletion == FileFolder.Deletion.DELETED) {
          deleted++;
          counters.filesDeleted.increment();
          RetentionListener listener = retentionListener;
          if (listener != null) {
            listener.deleted(entry.getPlainPath());
          }
        }
      } catch (IOException | RuntimeException e) {
        throttledLogger.log(
            Level.WARNING,
            "Retention could not delete " + entry.getPlainPath() + "; will try again: " + e,
            e);
      }
    }
    return deleted;
  }

  private void compress(final Path plain) {
    submittedCompression = true;
    compressor.submit(
        () -> {
          try {
            if (FileCompressor.gzip(plain, durability) == FileCompressor.Outcome.COMPRESSED) {
              counters.filesCompressed.increment();
            }
          } catch (IOException | RuntimeException e) {
            counters.compressionFailures.increment();
            compressionLogger.log(
                Level.WARNING,
                "Failed to compress " + plain + "; the plain file is kept as it is: " + e,
                e);
          } finally {
            compressionFinished.set(true);
          }
        });
  }
}
