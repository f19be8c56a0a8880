package io.github.otlpfile.internal.file;

import io.github.otlpfile.Durability;
import io.github.otlpfile.internal.ExporterCounters;
import io.opentelemetry.sdk.common.Clock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes whole records into a signal's folder, one file at a time, opening a new file when the
 * {@link RollingPolicy} says so. Files are always created new, owner read/write only where the file
 * system has POSIX permissions, and never through a symbolic link.
 *
 * <p>A failed write closes the current file, so that a torn record can only ever be the last record
 * of a file; the next write starts a new file. A failed roll keeps the data flowing: the records go
 * to the next file that can be created, or the write fails and is reported.
 *
 * <p>Not thread-safe: used only by the writer thread.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class RotatingFileWriter {
  private static final Set<PosixFilePermission> OWNER_READ_WRITE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<OpenOption> CREATE_OPTIONS =
      new HashSet<OpenOption>(
          Arrays.asList(
              StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private final Path directory;
  private final String signal;
  private final String extension;
  private final String instanceId;
  private final Clock clock;
  private final Durability durability;
  private final RollingPolicy rollingPolicy;
  private final ExporterCounters counters;

  private FileChannel channel;
  private Path currentPath;
  private long currentBytes;
  private long openedNanos;
  private long seq;

  public RotatingFileWriter(
      Path directory,
      String signal,
      String extension,
      String instanceId,
      Clock clock,
      Durability durability,
      RollingPolicy rollingPolicy,
      ExporterCounters counters) {
    this.directory = directory;
    this.signal = signal;
    this.extension = extension;
    this.instanceId = instanceId;
    this.clock = clock;
    this.durability = durability;
    this.rollingPolicy = rollingPolicy;
    this.counters = counters;
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

  /**
   * Writes every record, each whole in one file, with one system call per file touched. On return
   * all records are written (and forced to disk under {@link Durability#EVERY_WRITE}).
   */
  public void write(ByteBuffer[] records) throws WriteFailedException {
    int done = 0;
    try {
      while (done < records.length) {
        int first = done;
        if (channel != null && rollingPolicy.rollBeforeRecord(currentBytes, size(records[first]))) {
          roll();
        }
        if (channel == null) {
          open();
        }
        // Take as many records as fit in this file; at least one, which may be oversized.
        long bytes = size(records[first]);
        int end = first + 1;
        while (end < records.length
            && !rollingPolicy.rollBeforeRecord(currentBytes + bytes, size(records[end]))) {
          bytes += size(records[end]);
          end++;
        }
        writeFully(records, first, end - first);
        currentBytes += bytes;
        counters.bytesWritten.add(bytes);
        done = end;
      }
    } catch (IOException e) {
      int complete = 0;
      while (complete < records.length && !records[complete].hasRemaining()) {
        complete++;
      }
      abandonCurrent();
      throw new WriteFailedException(complete, e);
    }
    if (durability == Durability.EVERY_WRITE && channel != null) {
      try {
        channel.force(false);
      } catch (IOException e) {
        // Written but not known to be durable: none of these records counts as written.
        abandonCurrent();
        throw new WriteFailedException(0, e);
      }
    }
  }

  /** Rolls the current file if it has reached its age limit. */
  public void tick() throws IOException {
    if (channel != null && rollingPolicy.isExpired(openedNanos, clock.nanoTime())) {
      roll();
    }
  }

  /** Closes the current file, forcing it to disk unless durability is {@link Durability#NONE}. */
  public void close() throws IOException {
    if (channel == null) {
      return;
    }
    FileChannel closing = channel;
    channel = null;
    currentPath = null;
    try {
      if (durability != Durability.NONE) {
        closing.force(false);
      }
    } finally {
      closing.close();
    }
  }

  /** The file being written, or {@code null} between files. */
  public Path getCurrentPath() {
    return currentPath;
  }

  private void roll() throws IOException {
    close();
  }

  private void open() throws IOException {
    if (Files.isSymbolicLink(directory)) {
      throw new IOException("Refusing to write through the symbolic link " + directory);
    }
    Files.createDirectories(directory);
    Path path =
        directory.resolve(FileNames.fileName(signal, clock.now(), instanceId, ++seq, extension));
    FileAttribute<?>[] attributes =
        POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
            : new FileAttribute<?>[0];
    channel = FileChannel.open(path, CREATE_OPTIONS, attributes);
    currentPath = path;
    currentBytes = 0;
    openedNanos = clock.nanoTime();
    counters.filesCreated.increment();
    if (durability == Durability.EVERY_WRITE) {
      forceDirectory();
    }
  }

  private void forceDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | RuntimeException e) {
      // Some platforms cannot open a directory for syncing; the file itself is still forced.
    }
  }

  private void writeFully(ByteBuffer[] records, int offset, int length) throws IOException {
    int last = offset + length - 1;
    while (records[last].hasRemaining()) {
      channel.write(records, offset, length);
    }
  }

  private void abandonCurrent() {
    FileChannel broken = channel;
    channel = null;
    currentPath = null;
    if (broken != null) {
      try {
        broken.close();
      } catch (IOException ignored) {
        // The write already failed and is reported; nothing more to do with this file.
      }
    }
  }

  private static long size(ByteBuffer record) {
    return record.remaining();
  }
}
