package io.github.otlpfile.internal.file;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of OTLP files: {@code {signal}-{yyyyMMdd'T'HHmmss.SSS'Z'}-{instanceId}-{seq}.{ext}}, which
 * sort by creation time and never collide between processes because the instance id is random. A
 * compressed file adds {@code .gz}; while it is being compressed its content goes to the hidden
 * temporary file {@code .{name}.gz.tmp}.
 *
 * <p>Thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class FileNames {
  /** The suffix of a compressed file. */
  public static final String GZIP_SUFFIX = ".gz";

  private static final String TEMPORARY_PREFIX = ".";
  private static final String TEMPORARY_SUFFIX = GZIP_SUFFIX + ".tmp";
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern NAME =
      Pattern.compile(
          "([a-z]+)-(\\d{8}T\\d{6}\\.\\d{3}Z)-([0-9a-zA-Z]+)-(\\d{1,18})\\.(jsonl|binpb)(\\.gz)?");

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

  /** The name of the compressed form of the plain file {@code plainName}. */
  public static String compressedName(String plainName) {
    return plainName + GZIP_SUFFIX;
  }

  /** The name of the temporary file that the compressed form of {@code plainName} is built in. */
  public static String temporaryName(String plainName) {
    return TEMPORARY_PREFIX + plainName + TEMPORARY_SUFFIX;
  }

  /**
   * Parses the name of an OTLP file of {@code signal}, plain or compressed; returns {@code null}
   * for any other name, so that files that are not ours are never touched.
   */
  public static ParsedName parse(String signal, String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches() || !m.group(1).equals(signal)) {
      return null;
    }
    return new ParsedName(
        fileName, m.group(2), m.group(3), Long.parseLong(m.group(4)), m.group(6) != null);
  }

  /**
   * Parses the name of a temporary compression file of {@code signal}; returns the parsed name of
   * the plain file it was being made from, or {@code null} if {@code fileName} is not one.
   */
  public static ParsedName parseTemporary(String signal, String fileName) {
    if (!fileName.startsWith(TEMPORARY_PREFIX) || !fileName.endsWith(TEMPORARY_SUFFIX)) {
      return null;
    }
    ParsedName plain =
        parse(
            signal,
            fileName.substring(
                TEMPORARY_PREFIX.length(), fileName.length() - TEMPORARY_SUFFIX.length()));
    return plain == null || plain.isCompressed() ? null : plain;
  }

  /**
   * A parsed file name. Ordered oldest first: by creation timestamp (its fixed-width text sorts
   * chronologically), then instance id, then sequence number.
   *
   * <p>Immutable.
   */
  public static final class ParsedName implements Comparable<ParsedName> {
    private final String fileName;
    private final String timestamp;
    private final String instanceId;
    private final long seq;
    private final boolean compressed;

    ParsedName(String fileName, String timestamp, String instanceId, long seq, boolean compressed) {
      this.fileName = fileName;
      this.timestamp = timestamp;
      this.instanceId = instanceId;
      this.seq = seq;
      this.compressed = compressed;
    }

    public String getFileName() {
      return fileName;
    }

    /** The name without {@code .gz}: the same for a plain file and its compressed form. */
    public String getPlainName() {
      return compressed
          ? fileName.substring(0, fileName.length() - GZIP_SUFFIX.length())
          : fileName;
    }

    public String getInstanceId() {
      return instanceId;
    }

    public boolean isCompressed() {
      return compressed;
    }

    @Override
    public int compareTo(ParsedName other) {
      int c = timestamp.compareTo(other.timestamp);
      if (c == 0) {
        c = instanceId.compareTo(other.instanceId);
      }
      if (c == 0) {
        c = Long.compare(seq, other.seq);
      }
      return c != 0 ? c : fileName.compareTo(other.fileName);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ParsedName && ((ParsedName) o).fileName.equals(fileName);
    }

    @Override
    public int hashCode() {
      return fileName.hashCode();
    }

    @Override
    public String toString() {
      return fileName;
    }
  }
}
