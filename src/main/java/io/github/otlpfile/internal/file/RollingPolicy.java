package io.github.otlpfile.internal.file;

/**
 * Decides when the current file is closed and a new one started. Separate from {@link
 * RotatingFileWriter}, which decides how. Rolls happen only between records, so a record is never
 * split across files.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class RollingPolicy {
  private final long maxFileSizeBytes;
  private final long maxFileAgeNanos;

  /**
   * @param maxFileSizeBytes a file is closed before a record that would take it past this size; a
   *     record larger than this gets a file of its own
   * @param maxFileAgeNanos a file is closed once it is this old, whether or not data arrives
   */
  public RollingPolicy(long maxFileSizeBytes, long maxFileAgeNanos) {
    this.maxFileSizeBytes = maxFileSizeBytes;
    this.maxFileAgeNanos = maxFileAgeNanos;
  }

  /** Whether a record of {@code recordBytes} must go into a new file. */
  public boolean rollBeforeRecord(long fileBytes, long recordBytes) {
    return fileBytes > 0 && fileBytes + recordBytes > maxFileSizeBytes;
  }

  /** Whether a file opened at {@code openedNanos} has reached its age limit at {@code nowNanos}. */
  public boolean isExpired(long openedNanos, long nowNanos) {
    return nowNanos - openedNanos >= maxFileAgeNanos;
  }
}
