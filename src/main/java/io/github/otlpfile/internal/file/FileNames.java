package io.github.otlpfile.internal.file;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Names of OTLP files: {@code {signal}-{yyyyMMdd'T'HHmmss.SSS'Z'}-{instanceId}-{seq}.{ext}}, which
 * sort by creation time and never collide between processes because the instance id is random.
 *
 * <p>Thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class FileNames {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private FileNames() {}

  /** A new random instance id: 12 lowercase hex digits. */
  public static String newInstanceId() {
    long random = ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFFFL;
    return String.format("%012x", random);
  }

  /** The name of a new file; {@code epochNanos} is the creation time. */
  public static String fileName(
      String signal, long epochNanos, String instanceId, long seq, String extension) {
    Instant created =
        Instant.ofEpochSecond(epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L);
    return signal
        + '-'
        + TIMESTAMP.format(created)
        + '-'
        + instanceId
        + '-'
        + seq
        + '.'
        + extension;
  }
}
