package io.github.otlpfile.internal.file;

import io.github.otlpfile.Durability;
import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.internal.ThrottledLogger;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes whole records into a signal's folder, one file at a time, starting a new file when the
 * {@link RollingPolicy} says so and handing each closed file to its {@link FolderMaintenance} for
 * compression and retention.
 *
 * <p>Files are always created new, owner read/write only where the file system has POSIX
 * permissions, and never through a symbolic link: the folder must be a real directory and the file
 * is opened with {@code NOFOLLOW_LINKS} and {@code CREATE_NEW}, so a link planted at the path makes
 * the writer move on to the next name. The active file carries an exclusive OS lock and is claimed
 * in {@link OpenFiles}, so that retention, in this process or another, never deletes it.
 *
 * <p>A roll opens the next file before closing the current one; if the next file cannot be created
 * the writer keeps writing to the current file, past its limits, and tries again on the next write:
 * nothing is lost to a failed roll. The rolled file is closed on the maintenance thread (see {@link
 * FolderMaintenance#inBackground}), so the writer goes on at once.
 *
 * <p>A failed write (a full disk, say) cuts the file back to the end of its last complete record
 * and keeps it open, so that the next write goes on in the same file right after that record: a
 * full disk costs the records that did not fit, never a file per attempt. Only if the file cannot
 * be cut back is it closed, its torn bytes then being its last, as after a crash; a file so closed
 * that holds no complete record is deleted. A file that holds nothing when it is closed is deleted,
 * so no empty file is left behind.
 *
 * <p>Not thread-safe: used only by the writer thread, apart from the closing of rolled files, which
 * the maintenance thread does with files the writer has let go of.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class RotatingFileWriter {
  private static final Logger logger = Logger.getLogger(RotatingFileWriter.class.getName());
  private static final int CREATE_ATTEMPTS = 3;

  private final Path directory;
  private final String signal;
  private final String extension;
  private final String instanceId;
  private final Clock clock;
  private final Durability durability;
  private final RollingPolicy rollingPolicy;
  private final ExporterCounters counters;
  private final FolderMaintenance maintenance;
  private final ThrottledLogger throttledLogger = new ThrottledLogger(logger);

  private final FileOpener opener;

  private ActiveFile active;
  private long seq;
  // Where the record of each piece of the last write starts: its file and its position as the
  // reader reports it (line number for JSON lines, byte offset of the length prefix for PROTOBUF).
  private Path[] recordFiles = new Path[0];
  private long[] recordPositions = new long[0];
  private Path openRecordFile;
  private long openRecordPosition;
  // Whether a streamed record is incomplete in the active file: the file must not be closed or
  // rolled until its last piece is written.
  private boolean recordOpen;

  /** Opens new files; replaced in tests to inject I/O failures. */
  interface FileOpener {
    FileChannel open(Path path, Set<OpenOption> options, FileAttribute<?>[] attributes)
        throws IOException;
  }

  public RotatingFileWriter(
      Path directory,
      String signal,
      String extension,
      String instanceId,
      Clock clock,
      Durability durability,
      RollingPolicy rollingPolicy,
      ExporterCounters counters,
      FolderMaintenance maintenance) {
    this(
        directory,
        signal,
        extension,
        instanceId,
        clock,
        durability,
        rollingPolicy,
        counters,
        maintenance,
        FileChannel::open);
  }

  RotatingFileWriter(
      Path directory,
      String signal,
      String extension,
      String instanceId,
      Clock clock,
      Durability durability,
      RollingPolicy rollingPolicy,
      ExporterCounters counters,
      FolderMaintenance maintenance,
      FileOpener opener) {
    this.directory = directory;
    this.signal = signal;
    this.extension = extension;
    this.instanceId = instanceId;
    this.clock = clock;
    this.durability = durability;
    this.rollingPolicy = rollingPolicy;
    this.counters = counters;
    this.maintenance = maintenance;
    this.opener = opener;
  }

  /** Thrown when a write fails; says how many leading records did reach the file. */
  public static final class WriteFailedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int completeRecords;

    WriteFailedException(int completeRecords, IOException cause) {
      super(cause.getMessage(), cause);
      this.completeRecords = completeRecords;
    }

    public int getCompleteRecords() {
      return completeRecords;
    }
  }

  /** The file being written, with what the writer knows about it. */
  private static final class ActiveFile {
    final Path path;
    final FileChannel channel;
    // Held until the channel is closed; null where the file system cannot lock.
    final FileLock lock;
    final long openedNanos;
    // Bytes written so far: the channel's position.
    long bytes;
    // Where the last complete record ends; less than bytes while a streamed record is open.
    long wholeBytes;
    // Complete records in the file: what a JSON lines record's line number follows from.
    long wholeRecords;

    ActiveFile(Path path, FileChannel channel, FileLock lock, long openedNanos) {
      this.path = path;
      this.channel = channel;
      this.lock = lock;
      this.openedNanos = openedNanos;
    }
  }

  /**
   * Writes pieces of records: {@code recordBytes[i]} is the size of the record that {@code
   * pieces[i]} starts, or 0 if it continues the record of the piece before it, which may have come
   * in an earlier call; {@code leavesRecordOpen} says that the last piece is not the end of its
   * record. Every record goes whole into one file: the writer rolls only before a piece that starts
   * a record, and neither rolls nor closes the file by age while a record is incomplete. On return
   * all pieces are written (and forced to disk under {@link Durability#EVERY_WRITE}). On failure
   * the file is cut back to the end of its last whole record, and the {@link WriteFailedException}
   * counts the leading pieces that stay written: whole records only, so a piece of a record whose
   * rest did not reach the file is not among them.
   */
  public void write(ByteBuffer[] pieces, long[] recordBytes, boolean leavesRecordOpen)
      throws WriteFailedException {
    maintenance.start();
    long[] sizes = new long[pieces.length];
    for (int i = 0; i < pieces.length; i++) {
      sizes[i] = size(pieces[i]);
    }
    if (recordFiles.length < pieces.length) {
      recordFiles = new Path[pieces.length];
      recordPositions = new long[pieces.length];
    }
    int done = 0;
    // Cleared when a roll fails: the rest of this write then goes to the current file.
    boolean mayRoll = true;
    // The first piece this call put into the active file, and where in the file it went.
    int firstInActive = 0;
    long activeStart = active == null ? 0 : active.wholeBytes;
    long activeStartRecords = active == null ? 0 : active.wholeRecords;
    // The pieces being written, [done, end), once the active file is known.
    int end = 0;
    try {
      while (done < pieces.length) {
        if (active != null
            && mayRoll
            && !recordOpen
            && recordBytes[done] > 0
            && mustRollBefore(recordBytes[done])) {
          ActiveFile before = active;
          if (durability == Durability.EVERY_WRITE && active.bytes > activeStart) {
            // What this call put into it must be on disk before its exports succeed.
            try {
              active.channel.force(false);
            } catch (IOException e) {
              throw forceFailed(e, firstInActive, activeStart, activeStartRecords);
            }
          }
          mayRoll = rollOver();
          if (active != before) {
            firstInActive = done;
            activeStart = 0;
            activeStartRecords = 0;
          }
        }
        if (active == null) {
          if (recordBytes[done] == 0) {
            // Its file was given up after a failure: the rest of that record has nowhere to go.
            throw new IOException("the file holding the start of this record was given up");
          }
          active = create();
          firstInActive = done;
          activeStart = 0;
          activeStartRecords = 0;
        }
        // Take as many pieces as fit in this file; at least one, which may be oversized, and
        // every piece that continues a record.
        long bytes = sizes[done];
        end = done + 1;
        while (end < pieces.length
            && (recordBytes[end] == 0
                || !mayRoll
                || !rollingPolicy.rollBeforeRecord(active.bytes + bytes, recordBytes[end]))) {
          bytes += sizes[end];
          end++;
        }
        notePositions(sizes, recordBytes, done, end);
        writeFully(pieces, done, end - done);
        long offset = active.bytes;
        for (int i = done; i < end; i++) {
          offset += sizes[i];
          if (endsRecord(i, recordBytes, leavesRecordOpen)) {
            active.wholeBytes = offset;
            active.wholeRecords++;
          }
        }
        active.bytes += bytes;
        recordOpen = false;
        counters.bytesWritten.add(bytes);
        done = end;
      }
      recordOpen = leavesRecordOpen && pieces.length > 0;
    } catch (WriteFailedException e) {
      throw e;
    } catch (IOException e) {
      int complete = done;
      if (active != null && end > done) {
        // Whole records of the failed run that did reach the file stay; the rest is cut off.
        long offset = active.bytes;
        long whole = active.wholeBytes;
        for (int i = done; i < end && !pieces[i].hasRemaining(); i++) {
          offset += sizes[i];
          if (endsRecord(i, recordBytes, leavesRecordOpen)) {
            whole = offset;
            complete = i + 1;
            active.wholeRecords++;
          }
        }
        counters.bytesWritten.add(whole - active.bytes);
        active.bytes = whole;
        active.wholeBytes = whole;
        cutBack(e);
      }
      recordOpen = false;
      throw new WriteFailedException(complete, e);
    }
    if (durability == Durability.EVERY_WRITE && active != null) {
      try {
        active.channel.force(false);
      } catch (IOException e) {
        throw forceFailed(e, firstInActive, activeStart, activeStartRecords);
      }
    }
  }

  /**
   * After a failed force of the active file under EVERY_WRITE: written but not known to be durable,
   * what this call put into the file is cut off and fails; what went into files forced and rolled
   * earlier in the call stays written. Returns the exception to throw.
   */
  private WriteFailedException forceFailed(
      IOException e, int firstInActive, long activeStart, long activeStartRecords) {
    counters.bytesWritten.add(activeStart - active.bytes);
    active.bytes = activeStart;
    active.wholeBytes = activeStart;
    active.wholeRecords = activeStartRecords;
    recordOpen = false;
    cutBack(e);
    return new WriteFailedException(firstInActive, e);
  }

  /** Whether piece {@code i} is the last of its record. */
  private static boolean endsRecord(int i, long[] recordBytes, boolean leavesRecordOpen) {
    return i + 1 < recordBytes.length ? recordBytes[i + 1] > 0 : !leavesRecordOpen;
  }

  /**
   * Cuts the active file back to {@code active.bytes}, the end of its last complete record, and
   * goes on writing there. If that fails the file is given up: closed with whatever the failed
   * write left at its end, or deleted if it holds no complete record.
   */
  private void cutBack(IOException failure) {
    ActiveFile file = active;
    try {
      file.channel.truncate(file.bytes);
      file.channel.position(file.bytes);
      if (file.channel.size() != file.bytes) {
        throw new IOException("the file is " + file.channel.size() + " bytes after truncation");
      }
    } catch (IOException e) {
      throttledLogger.log(
          Level.WARNING,
          "Cannot cut "
              + file.path
              + " back to its last complete record ("
              + e
              + ") after a failed write ("
              + failure
              + "); closing it with a torn last record",
          e);
      active = null;
      closeQuietly(file.channel);
      OpenFiles.release(file.path);
      if (file.bytes == 0) {
        deleteEmpty(file.path);
      } else {
        maintenance.fileClosed(file.path);
      }
    }
  }

  /**
   * Gives up the record whose first pieces were written but whose rest will never come: cuts the
   * file back to the end of the record before it (or, if that fails, closes the file, so that the
   * incomplete record is its last, as after a crash). Does nothing between records.
   */
  public void abandonOpenRecord() {
    if (recordOpen) {
      recordOpen = false;
      counters.bytesWritten.add(active.wholeBytes - active.bytes);
      active.bytes = active.wholeBytes;
      cutBack(new IOException("the encoding of a streamed record failed"));
    }
  }

  /**
   * The file that holds the record of piece {@code i} of the last {@link #write}, for pieces that
   * were written.
   */
  public Path getRecordFile(int i) {
    return recordFiles[i];
  }

  /**
   * Where the record of piece {@code i} of the last {@link #write} starts in its file, as readers
   * report positions: the 1-based line for JSON lines, the byte offset of the length prefix for
   * PROTOBUF.
   */
  public long getRecordPosition(int i) {
    return recordPositions[i];
  }

  // Before the pieces [from, to) are written to the active file: where each one's record starts.
  private void notePositions(long[] sizes, long[] recordBytes, int from, int to) {
    long offset = active.bytes;
    // A record left open by the previous call is in the file but not yet among its whole records.
    long records = active.wholeRecords + (recordOpen ? 1 : 0);
    for (int i = from; i < to; i++) {
      if (recordBytes[i] > 0) {
        openRecordFile = active.path;
        openRecordPosition = "jsonl".equals(extension) ? ++records : offset;
      }
      recordFiles[i] = openRecordFile;
      recordPositions[i] = openRecordPosition;
      offset += sizes[i];
    }
  }

  /** Time-driven work: closes the active file once it is too old, then folder maintenance. */
  public void tick() {
    maintenance.start();
    if (active != null
        && !recordOpen
        && rollingPolicy.isExpired(active.openedNanos, clock.nanoTime())) {
      ActiveFile expired = active;
      active = null;
      retire(expired);
    }
    maintenance.tick();
  }

  /**
   * Closes the active file, forcing it to disk unless durability is {@link Durability#NONE}. Call
   * {@link #finish()} after it.
   */
  public void close() throws IOException {
    maintenance.start();
    ActiveFile closing = active;
    active = null;
    if (closing != null) {
      closeFile(closing);
    }
  }

  /**
   * Completes once the files rotated so far are closed, the files closed so far are compressed (if
   * so configured), and retention has run over the result.
   */
  public CompletableResultCode finish() {
    final CompletableResultCode result = new CompletableResultCode();
    maintenance.inBackground(() -> maintenance.finish().whenComplete(result::succeed));
    return result;
  }

  /**
   * Completes once every file rotated so far is closed (and forced to disk, unless durability is
   * {@link Durability#NONE}); at once when none is waiting.
   */
  public CompletableResultCode whenRotatedClosed() {
    return maintenance.whenBackgroundDone();
  }

  /** The file being written, or {@code null} between files. */
  public Path getCurrentPath() {
    return active == null ? null : active.path;
  }

  private boolean mustRollBefore(long recordBytes) {
    return rollingPolicy.rollBeforeRecord(active.bytes, recordBytes)
        || rollingPolicy.isExpired(active.openedNanos, clock.nanoTime());
  }

  /** Starts the next file, then closes the current one. Returns false if no file could be made. */
  private boolean rollOver() {
    ActiveFile next;
    try {
      next = create();
    } catch (IOException e) {
      throttledLogger.log(
          Level.WARNING,
          "Cannot start a new file in "
              + directory
              + "; writing on to "
              + active.path
              + " past its limits: "
              + e,
          e);
      return false;
    }
    ActiveFile previous = active;
    active = next;
    retire(previous);
    return true;
  }

  /**
   * Closes a rotated file on the maintenance thread, forcing it to disk first under {@link
   * Durability#ON_ROTATE} (under {@code EVERY_WRITE} it is forced already: before the roll, or at
   * the end of its last write), then hands it to compression and retention. Closing a large file,
   * an {@code fsync} of it, and the retention that may follow (deleting another large file) can
   * each take milliseconds to a tenth of a second; done here they would hold up every export
   * waiting for its result. The records in the file are written already, and their results complete
   * without waiting for this. The file stays locked, and so safe from retention, until it is
   * closed.
   */
  private void retire(final ActiveFile file) {
    final boolean force = durability == Durability.ON_ROTATE;
    maintenance.inBackground(
        () -> {
          try {
            closeFile(file, force);
          } catch (IOException e) {
            throttledLogger.log(
                Level.WARNING, "Failed to close " + file.path + " on rotation: " + e, e);
          }
        });
  }

  private ActiveFile create() throws IOException {
    FileFolder.ensureDirectory(directory);
    FileAttribute<?>[] attributes = FileFolder.ownerOnly("rw-------");
    IOException failure = null;
    for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      Path path =
          directory.resolve(FileNames.fileName(signal, clock.now(), instanceId, ++seq, extension));
      if (!OpenFiles.claim(path)) {
        continue;
      }
      FileChannel channel = null;
      boolean created = false;
      try {
        channel = opener.open(path, FileFolder.CREATE_NEW_OPTIONS, attributes);
        FileLock lock = lock(channel, path);
        // Another process's retention may have deleted the new file before our lock was granted.
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        counters.filesCreated.increment();
        if (durability == Durability.EVERY_WRITE) {
          FileFolder.forceDirectory(directory);
        }
        created = true;
        return new ActiveFile(path, channel, lock, clock.nanoTime());
      } catch (FileAlreadyExistsException e) {
        // Something, maybe a planted link, sits at this name: never write through it.
        failure = e;
        throttledLogger.log(Level.WARNING, "Skipping " + path + ": something already exists there");
      } finally {
        if (!created) {
          closeQuietly(channel);
          OpenFiles.release(path);
        }
      }
    }
    throw failure != null ? failure : new IOException("Cannot create a new file in " + directory);
  }

  private FileLock lock(FileChannel channel, Path path) {
    try {
      // Waits only while another process's retention holds a shared lock to delete the file.
      return channel.lock();
    } catch (IOException | OverlappingFileLockException e) {
      throttledLogger.log(
          Level.WARNING,
          "Cannot lock "
              + path
              + "; retention in other processes may not see that it is in use: "
              + e,
          e);
      return null;
    }
  }

  private void closeFile(ActiveFile file) throws IOException {
    closeFile(file, durability != Durability.NONE);
  }

  /** Closes {@code file}, first forcing it to disk (and under ON_ROTATE its folder) if told to. */
  private void closeFile(ActiveFile file, boolean force) throws IOException {
    if (file.bytes == 0) {
      // Only a failed first write leaves a file empty: it holds nothing worth keeping.
      closeQuietly(file.channel);
      OpenFiles.release(file.path);
      deleteEmpty(file.path);
      return;
    }
    IOException failure = null;
    try {
      if (force) {
        file.channel.force(false);
        if (durability == Durability.ON_ROTATE) {
          FileFolder.forceDirectory(directory);
        }
      }
    } catch (IOException e) {
      failure = e;
    }
    try {
      file.channel.close(); // Releases the lock too.
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      }
    }
    OpenFiles.release(file.path);
    maintenance.fileClosed(file.path);
    if (failure != null) {
      throw failure;
    }
  }

  private void writeFully(ByteBuffer[] records, int offset, int length) throws IOException {
    int last = offset + length - 1;
    while (records[last].hasRemaining()) {
      active.channel.write(records, offset, length);
    }
  }

  private void deleteEmpty(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throttledLogger.log(Level.WARNING, "Cannot delete the empty file " + path + ": " + e, e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // The failure that led here is reported; nothing more to do with this file.
    }
  }

  private static long size(ByteBuffer record) {
    return record.remaining();
  }
}
