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
 * nothing is lost to a failed roll. A failed write closes the current file, so that a torn record
 * can only ever be the last record of a file; the next write starts a new file.
 *
 * <p>Not thread-safe: used only by the writer thread.
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
    long bytes;
    long records;

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
   * all pieces are written (and forced to disk under {@link Durability#EVERY_WRITE}); a {@link
   * WriteFailedException} counts complete pieces.
   */
  public void write(ByteBuffer[] pieces, long[] recordBytes, boolean leavesRecordOpen)
      throws WriteFailedException {
    maintenance.start();
    if (recordFiles.length < pieces.length) {
      recordFiles = new Path[pieces.length];
      recordPositions = new long[pieces.length];
    }
    int done = 0;
    // Cleared when a roll fails: the rest of this write then goes to the current file.
    boolean mayRoll = true;
    try {
      while (done < pieces.length) {
        if (active != null
            && mayRoll
            && !recordOpen
            && recordBytes[done] > 0
            && mustRollBefore(recordBytes[done])) {
          mayRoll = rollOver();
        }
        if (active == null) {
          if (recordBytes[done] == 0) {
            // Its file was abandoned after a failure: the rest of that record has nowhere to go.
            throw new IOException("the file holding the start of this record was abandoned");
          }
          active = create();
        }
        // Take as many pieces as fit in this file; at least one, which may be oversized, and
        // every piece that continues a record.
        long bytes = size(pieces[done]);
        int end = done + 1;
        while (end < pieces.length
            && (recordBytes[end] == 0
                || !mayRoll
                || !rollingPolicy.rollBeforeRecord(active.bytes + bytes, recordBytes[end]))) {
          bytes += size(pieces[end]);
          end++;
        }
        notePositions(pieces, recordBytes, done, end);
        writeFully(pieces, done, end - done);
        active.bytes += bytes;
        recordOpen = false;
        counters.bytesWritten.add(bytes);
        done = end;
      }
      recordOpen = leavesRecordOpen && pieces.length > 0;
    } catch (IOException e) {
      int complete = 0;
      while (complete < pieces.length && !pieces[complete].hasRemaining()) {
        complete++;
      }
      abandonActive();
      throw new WriteFailedException(complete, e);
    }
    if (durability == Durability.EVERY_WRITE && active != null) {
      try {
        active.channel.force(false);
      } catch (IOException e) {
        // Written but not known to be durable: none of these records counts as written.
        abandonActive();
        throw new WriteFailedException(0, e);
      }
    }
  }

  /**
   * Gives up the record whose first pieces were written but whose rest will never come: closes the
   * file, so that the incomplete record is its last, as after a crash; the next record starts a new
   * file. Does nothing between records.
   */
  public void abandonOpenRecord() {
    if (recordOpen) {
      throttledLogger.log(
          Level.WARNING,
          "Closed "
              + active.path
              + " after an incomplete record whose encoding failed; readers report it as a torn"
              + " last record");
      abandonActive();
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
      try {
        closeFile(expired);
      } catch (IOException e) {
        throttledLogger.log(
            Level.WARNING, "Failed to close " + expired.path + " on rotation: " + e, e);
      }
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
   * Completes once the files closed so far are compressed (if so configured) and retention has run
   * over the result.
   */
  public CompletableResultCode finish() {
    return maintenance.finish();
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

  private void notePositions(ByteBuffer[] pieces, long[] recordBytes, int from, int to) {
    long offset = active.bytes;
    for (int i = from; i < to; i++) {
      if (recordBytes[i] > 0) {
        active.records++;
        openRecordFile = active.path;
        openRecordPosition = "jsonl".equals(extension) ? active.records : offset;
      }
      recordFiles[i] = openRecordFile;
      recordPositions[i] = openRecordPosition;
      offset += size(pieces[i]);
    }
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
    try {
      closeFile(previous);
    } catch (IOException e) {
      throttledLogger.log(
          Level.WARNING, "Failed to close " + previous.path + " on rotation: " + e, e);
    }
    return true;
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
    IOException failure = null;
    try {
      if (durability != Durability.NONE) {
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

  private void abandonActive() {
    ActiveFile broken = active;
    active = null;
    recordOpen = false;
    if (broken != null) {
      closeQuietly(broken.channel);
      OpenFiles.release(broken.path);
      maintenance.fileClosed(broken.path);
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
