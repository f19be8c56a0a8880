package io.github.otlpfile.internal.file;

import io.github.otlpfile.Durability;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Gzips closed files on one daemon thread shared by the whole process, so that compression never
 * runs on an exporting thread and never holds up the writer thread. Tasks run one at a time in the
 * order they were submitted; the thread goes away when idle.
 *
 * <p>A file {@code name} is compressed into the hidden temporary file {@code .name.gz.tmp}, forced
 * to disk unless durability is {@link Durability#NONE}, moved atomically to {@code name.gz}, and
 * only then is the plain file deleted (and the folder forced to disk). Both forms are visible only
 * in the instant between the move and the delete; a crash right there leaves both, each complete,
 * and start-up recovery makes one of them again. If anything fails the temporary file is removed
 * and the plain file stays as it was. While it works the plain file is locked exclusively, so that
 * no other process deletes or compresses it at the same time.
 *
 * <p>Thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class FileCompressor {
  private static final int BUFFER_BYTES = 64 * 1024;
  private static final FileCompressor SHARED = new FileCompressor("otlp-file-compressor");

  private final OrderedThread thread;

  FileCompressor(String threadName) {
    thread = new OrderedThread(threadName);
  }

  /** The compressor shared by all exporters of this process. */
  public static FileCompressor shared() {
    return SHARED;
  }

  /** Runs {@code task} on the compression thread after every task submitted before it. */
  public void submit(Runnable task) {
    thread.execute(task);
  }

  /** The outcome of {@link #gzip}. */
  public enum Outcome {
    COMPRESSED,
    /** Someone else has the file open or is compressing it, or it is gone: nothing was done. */
    SKIPPED
  }

  /**
   * Compresses {@code source} into {@code source.gz} and deletes {@code source}.
   *
   * @throws IOException if compressing failed; {@code source} is then left as it was
   */
  public static Outcome gzip(Path source, Durability durability) throws IOException {
    Path directory = source.toAbsolutePath().getParent();
    String name = source.getFileName().toString();
    Path target = directory.resolve(FileNames.compressedName(name));
    Path temporary = directory.resolve(FileNames.temporaryName(name));
    List<Path> claimed = new ArrayList<>(3);
    try {
      for (Path path : new Path[] {source, target, temporary}) {
        if (!OpenFiles.claim(path)) {
          return Outcome.SKIPPED;
        }
        claimed.add(path);
      }
      FileChannel input;
      try {
        input =
            FileChannel.open(
                source,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return Outcome.SKIPPED;
      }
      try (FileChannel in = input) {
        FileLock lock = in.tryLock();
        // Held by another process, or deleted by retention between our open and our lock.
        if (lock == null || !Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
          return Outcome.SKIPPED;
        }
        FileTime lastModified = Files.getLastModifiedTime(source, LinkOption.NOFOLLOW_LINKS);
        // Whoever compresses this file holds its lock, which we hold: a temporary file is stale.
        Files.deleteIfExists(temporary);
        boolean moved = false;
        try {
          writeCompressed(in, temporary, durability);
          Files.setLastModifiedTime(temporary, lastModified);
          Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
          moved = true;
        } finally {
          if (!moved) {
            deleteQuietly(temporary);
          }
        }
        // Right after the move, so that both forms are visible for as short a time as possible.
        Files.delete(source);
        if (durability != Durability.NONE) {
          FileFolder.forceDirectory(directory);
        }
        return Outcome.COMPRESSED;
      }
    } finally {
      for (Path path : claimed) {
        OpenFiles.release(path);
      }
    }
  }

  /**
   * Moves a leftover temporary file into place as {@code target} if it holds a complete gzip stream
   * (its trailer's checksum and length match), and deletes it otherwise. For a temporary file whose
   * plain file is gone, which only a crash between the steps of a compression on a file system that
   * reordered them can leave: then it holds the only copy of the data.
   *
   * @return true if the file was moved into place
   */
  public static boolean recoverTemporary(Path temporary, Path target) throws IOException {
    if (!OpenFiles.claim(temporary)) {
      return false;
    }
    try {
      if (!OpenFiles.claim(target)) {
        return false;
      }
      try {
        if (isCompleteGzip(temporary)) {
          Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
          return true;
        }
      } finally {
        OpenFiles.release(target);
      }
    } finally {
      OpenFiles.release(temporary);
    }
    FileFolder.tryDelete(temporary);
    return false;
  }

  /** Whether {@code path} holds a gzip stream that decompresses to its end without error. */
  static boolean isCompleteGzip(Path path) throws IOException {
    try (InputStream in =
        new GZIPInputStream(
            Channels.newInputStream(
                FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)),
            BUFFER_BYTES)) {
      byte[] buffer = new byte[BUFFER_BYTES];
      while (in.read(buffer) >= 0) {
        // Reading to the end checks the trailer.
      }
      return true;
    } catch (ZipException | EOFException e) {
      return false;
    }
  }

  private static void writeCompressed(FileChannel in, Path temporary, Durability durability)
      throws IOException {
    try (FileChannel out =
        FileChannel.open(
            temporary, FileFolder.CREATE_NEW_OPTIONS, FileFolder.ownerOnly("rw-------"))) {
      // Lets other processes' start-up recovery see that this temporary file is in use.
      out.tryLock();
      GZIPOutputStream gzip = new GZIPOutputStream(Channels.newOutputStream(out), BUFFER_BYTES);
      try {
        // Not closed: closing it would close the channel and drop the lock on the source.
        InputStream plain = Channels.newInputStream(in.position(0));
        byte[] buffer = new byte[BUFFER_BYTES];
        int n;
        while ((n = plain.read(buffer)) > 0) {
          gzip.write(buffer, 0, n);
        }
        gzip.finish();
        if (durability != Durability.NONE) {
          out.force(true);
        }
      } finally {
        gzip.close();
      }
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Start-up recovery removes temporary files that are left behind.
    }
  }
}
