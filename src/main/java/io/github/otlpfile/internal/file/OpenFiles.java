package io.github.otlpfile.internal.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files this process is working on: active files of every writer, and the files of a
 * compression in progress. A path is claimed before the file is opened and released after it is
 * closed, and nothing in this process opens a file that someone else here has claimed.
 *
 * <p>Why not rely on OS file locks alone: within one JVM, a second lock on the same file throws
 * {@link java.nio.channels.OverlappingFileLockException}, and on POSIX systems closing <em>any</em>
 * channel to a file drops every lock the process holds on it. So retention must not even open a
 * file that another exporter of this process has open; it asks here first. Locks arbitrate between
 * processes.
 *
 * <p>Thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class OpenFiles {
  private static final Set<Path> CLAIMED =
      Collections.newSetFromMap(new ConcurrentHashMap<Path, Boolean>());

  private OpenFiles() {}

  /** Claims {@code path}; returns false if someone in this process has claimed it already. */
  public static boolean claim(Path path) {
    return CLAIMED.add(key(path));
  }

  /** Releases a claim taken with {@link #claim(Path)}. */
  public static void release(Path path) {
    CLAIMED.remove(key(path));
  }

  /** Whether someone in this process has claimed {@code path}. */
  public static boolean isClaimed(Path path) {
    return CLAIMED.contains(key(path));
  }

  // The real path of the folder, so that two exporters reaching one folder through different
  // links still agree; the file itself may not exist yet.
  private static Path key(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (parent == null) {
      return absolute;
    }
    try {
      return parent.toRealPath().resolve(absolute.getFileName());
    } catch (IOException e) {
      return absolute;
    }
  }
}
