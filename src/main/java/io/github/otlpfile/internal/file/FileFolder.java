package io.github.otlpfile.internal.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One signal's folder as retention and recovery see it: the OTLP files in it, oldest first, and the
 * only way they are deleted. Files whose names are not OTLP file names of this signal, and symbolic
 * links, are never listed and never touched.
 *
 * <p>A file is deleted only when nobody has it open for writing: it must not be claimed in this
 * process ({@link OpenFiles}) and a shared lock on it must be free, which it is not while any
 * writer, in this process or another, holds its exclusive lock. The file is unlinked while that
 * shared lock is held, so a writer that has just created it cannot lock it at the same moment.
 *
 * <p>Thread-safe: it keeps no mutable state.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class FileFolder {
  static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private final Path directory;
  private final String signal;

  public FileFolder(Path directory, String signal) {
    this.directory = directory;
    this.signal = signal;
  }

  public Path getDirectory() {
    return directory;
  }

  public String getSignal() {
    return signal;
  }

  /** Options that create a file which must not exist yet, never through a symbolic link. */
  static final Set<OpenOption> CREATE_NEW_OPTIONS =
      Collections.unmodifiableSet(
          new HashSet<OpenOption>(
              Arrays.asList(
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS)));

  /**
   * Attributes that give a new file or directory {@code permissions} (for example {@code
   * rw-------}) where the file system has POSIX permissions, and none elsewhere.
   */
  static FileAttribute<?>[] ownerOnly(String permissions) {
    return POSIX
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
        }
        : new FileAttribute<?>[0];
  }

  /**
   * Creates {@code directory} and its missing parents, owner-only ({@code rwx------}) on POSIX file
   * systems, and checks that it is a real directory, not a symbolic link to one.
   */
  public static void ensureDirectory(Path directory) throws IOException {
    if (!Files.exists(directory, NOFOLLOW)) {
      Files.createDirectories(directory, ownerOnly("rwx------"));
    }
    BasicFileAttributes attributes =
        Files.readAttributes(directory, BasicFileAttributes.class, NOFOLLOW);
    if (attributes.isSymbolicLink()) {
      throw new IOException(directory + " is a symbolic link; refusing to write through it");
    }
    if (!attributes.isDirectory()) {
      throw new IOException(directory + " is not a directory");
    }
  }

  /** Forces a directory's entries to disk, where the platform allows it. Best effort. */
  public static void forceDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | RuntimeException e) {
      // Some platforms cannot open a directory for syncing; the files themselves are forced.
    }
  }

  /**
   * Lists this signal's OTLP files, oldest first. A plain file and its compressed form (both exist
   * for a moment at the end of a compression) form one entry.
   */
  public List<Entry> list() throws IOException {
    Map<String, Entry> byPlainName = new HashMap<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      for (Path path : stream) {
        FileNames.ParsedName name = FileNames.parse(signal, path.getFileName().toString());
        BasicFileAttributes attributes = name == null ? null : regularFileAttributes(path);
        if (attributes == null) {
          continue;
        }
        Entry entry = byPlainName.get(name.getPlainName());
        if (entry == null) {
          entry = new Entry(directory.resolve(name.getPlainName()));
          byPlainName.put(name.getPlainName(), entry);
        }
        entry.add(name, path, attributes);
      }
    }
    List<Entry> entries = new ArrayList<>(byPlainName.values());
    Collections.sort(entries);
    return entries;
  }

  /** Lists temporary compression files, which only a compression in progress may still need. */
  public List<Path> listTemporaryFiles() throws IOException {
    List<Path> temporary = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      for (Path path : stream) {
        if (FileNames.parseTemporary(signal, path.getFileName().toString()) != null
            && regularFileAttributes(path) != null) {
          temporary.add(path);
        }
      }
    }
    return temporary;
  }

  /**
   * Deletes an entry's files if no writer has them open: its plain file and its compressed file,
   * including one a compression made since the entry was listed. Returns {@link Deletion#HELD} if a
   * file is open somewhere and was left alone, {@link Deletion#GONE} if someone else deleted the
   * files first.
   */
  public Deletion tryDelete(Entry entry) throws IOException {
    boolean deleted = false;
    // The plain file first: while it exists, a compression may be working from it.
    if (entry.plain != null) {
      Deletion plain = tryDelete(entry.plain);
      if (plain == Deletion.HELD) {
        return Deletion.HELD;
      }
      deleted = plain == Deletion.DELETED;
    }
    Path compressedPath =
        entry.compressed != null
            ? entry.compressed
            : directory.resolve(FileNames.compressedName(entry.plainPath.getFileName().toString()));
    Deletion compressed = tryDelete(compressedPath);
    if (compressed == Deletion.HELD && !deleted) {
      return Deletion.HELD;
    }
    return deleted || compressed == Deletion.DELETED ? Deletion.DELETED : Deletion.GONE;
  }

  /** The outcome of a deletion. */
  public enum Deletion {
    DELETED,
    /** The file was already gone. */
    GONE,
    /** A writer or a compression, here or in another process, has the file open. */
    HELD
  }

  /** Deletes one file if no writer has it open. */
  public static Deletion tryDelete(Path path) throws IOException {
    if (!OpenFiles.claim(path)) {
      return Deletion.HELD;
    }
    try (FileChannel channel =
        FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      FileLock lock;
      try {
        lock = channel.tryLock(0, Long.MAX_VALUE, true);
      } catch (OverlappingFileLockException e) {
        return Deletion.HELD;
      }
      if (lock == null) {
        return Deletion.HELD;
      }
      try {
        Files.delete(path);
        return Deletion.DELETED;
      } catch (NoSuchFileException e) {
        return Deletion.GONE;
      } finally {
        lock.release();
      }
    } catch (NoSuchFileException e) {
      return Deletion.GONE;
    } finally {
      OpenFiles.release(path);
    }
  }

  private static BasicFileAttributes regularFileAttributes(Path path) throws IOException {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
      return attributes.isRegularFile() ? attributes : null;
    } catch (NoSuchFileException e) {
      return null; // Deleted while we listed.
    }
  }

  @Override
  public String toString() {
    return signal + " files in " + directory;
  }

  /**
   * One OTLP file: its plain form, its compressed form, or both.
   *
   * <p>Not thread-safe; immutable once listed.
   */
  public static final class Entry implements Comparable<Entry> {
    private final Path plainPath;
    private FileNames.ParsedName name;
    private Path plain;
    private Path compressed;
    private long sizeBytes;
    private long lastModifiedMillis;

    Entry(Path plainPath) {
      this.plainPath = plainPath;
    }

    private void add(FileNames.ParsedName name, Path path, BasicFileAttributes attributes) {
      if (this.name == null || !name.isCompressed()) {
        this.name = name;
      }
      if (name.isCompressed()) {
        compressed = path;
      } else {
        plain = path;
      }
      // The plain file's size and time count while it exists; the compressed copy replaces it.
      if (!name.isCompressed() || plain == null) {
        sizeBytes = attributes.size();
        lastModifiedMillis = attributes.lastModifiedTime().toMillis();
      }
    }

    /** The path of the plain file, whether or not it still exists. */
    public Path getPlainPath() {
      return plainPath;
    }

    /** The plain file, or {@code null} if only the compressed form exists. */
    public Path getPlain() {
      return plain;
    }

    /** The compressed file, or {@code null} if there is none. */
    public Path getCompressed() {
      return compressed;
    }

    public long getSizeBytes() {
      return sizeBytes;
    }

    /** When the file was last written: its newest record is this old. */
    public long getLastModifiedMillis() {
      return lastModifiedMillis;
    }

    public String getInstanceId() {
      return name.getInstanceId();
    }

    @Override
    public int compareTo(Entry other) {
      return name.compareTo(other.name);
    }

    @Override
    public String toString() {
      return name.getPlainName() + (plain == null ? FileNames.GZIP_SUFFIX : "");
    }
  }
}
