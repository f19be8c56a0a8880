package io.github.otlpfile.internal.file;

import java.util.concurrent.TimeUnit;

/**
 * Decides which files of a signal folder must go: the limits on their number, their total size and
 * their age. Separate from {@link FolderMaintenance}, which decides when to look and does the
 * deleting.
 *
 * <p>The number and size limits count every OTLP file of the signal in the folder, active ones
 * included, whichever process wrote them; only closed files can be deleted to meet them, oldest
 * first. A file's age runs from its last modification, which is when its newest record was written,
 * so that no record is deleted before it is {@code maxAge} old.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class RetentionPolicy {
  private final int maxFiles;
  private final long maxTotalSizeBytes;
  private final long maxAgeMillis;

  public RetentionPolicy(int maxFiles, long maxTotalSizeBytes, long maxAgeNanos) {
    this.maxFiles = maxFiles;
    this.maxTotalSizeBytes = maxTotalSizeBytes;
    this.maxAgeMillis = TimeUnit.NANOSECONDS.toMillis(maxAgeNanos);
  }

  /** Whether a folder holding {@code files} files of {@code totalBytes} in all is over a limit. */
  public boolean isOverLimits(int files, long totalBytes) {
    return files > maxFiles || totalBytes > maxTotalSizeBytes;
  }

  /** Whether a file last modified at {@code lastModifiedMillis} is too old at {@code nowMillis}. */
  public boolean isExpired(long lastModifiedMillis, long nowMillis) {
    return nowMillis - lastModifiedMillis > maxAgeMillis;
  }

  @Override
  public String toString() {
    return "RetentionPolicy{maxFiles="
        + maxFiles
        + ", maxTotalSizeBytes="
        + maxTotalSizeBytes
        + ", maxAgeMillis="
        + maxAgeMillis
        + '}';
  }
}
