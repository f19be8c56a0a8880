package io.github.otlpfile.read;

import io.github.otlpfile.OtlpFileFormat;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One piece of damage an {@link OtlpFileReader} found: the file, the position in its uncompressed
 * content, what kind of damage it is and a one-line reason. The records around it are still read
 * (unless the reader is strict).
 *
 * <p>The position is a line number (1-based) for JSON lines files and the byte offset of the
 * record's length prefix for binary files; {@link #getFormat()} says which, and {@link #toString()}
 * writes it out, for example {@code traces/traces-...jsonl line 12: INVALID_RECORD: ...}.
 *
 * <p>Immutable.
 */
public final class OtlpFileProblem {
  /** The kinds of damage. */
  public enum Kind {
    /**
     * The file ends inside a record: a record cut short by a crash or a copy of a file still being
     * written. Everything before it was read.
     */
    TRUNCATED_TAIL,
    /** A record that is not a valid OTLP request; the reader went on with the next record. */
    INVALID_RECORD,
    /** A record over the reader's size limit; it was skipped without being loaded. */
    RECORD_TOO_LARGE,
    /** A record of another signal than the folder or file name says, for example logs in traces. */
    WRONG_SIGNAL,
    /** A binary record whose signal neither its file's name nor its content tells. */
    UNKNOWN_SIGNAL,
    /** A compressed file whose compressed data is damaged; what came before the damage was read. */
    CORRUPT_COMPRESSION,
    /** A file or folder that could not be opened, listed or read to its end. */
    UNREADABLE_FILE
  }

  private final Path file;
  private final OtlpFileFormat format;
  private final long position;
  private final Kind kind;
  private final String reason;

  OtlpFileProblem(Path file, OtlpFileFormat format, long position, Kind kind, String reason) {
    this.file = Objects.requireNonNull(file, "file");
    this.format = format;
    this.position = position;
    this.kind = Objects.requireNonNull(kind, "kind");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The file (or folder) the damage is in. */
  public Path getFile() {
    return file;
  }

  /**
   * The format the file was read as, which gives {@link #getPosition()} its unit; {@code null} when
   * the file could not be read far enough to tell.
   */
  public OtlpFileFormat getFormat() {
    return format;
  }

  /**
   * Where the damage starts in the uncompressed content: the 1-based line number for {@link
   * OtlpFileFormat#JSON_LINES}, the byte offset for {@link OtlpFileFormat#PROTOBUF}, {@code 0} when
   * the file as a whole is at fault.
   */
  public long getPosition() {
    return position;
  }

  /** The kind of damage. */
  public Kind getKind() {
    return kind;
  }

  /** A one-line reason, for example {@code record announces 2147483647 bytes, over the limit}. */
  public String getReason() {
    return reason;
  }

  /** The position in words: {@code line 12}, {@code byte 4096}, or the empty string. */
  public String describePosition() {
    return describe(format, position);
  }

  static String describe(OtlpFileFormat format, long position) {
    if (format == OtlpFileFormat.JSON_LINES) {
      return "line " + position;
    }
    if (format == OtlpFileFormat.PROTOBUF) {
      return "byte " + position;
    }
    return "";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OtlpFileProblem)) {
      return false;
    }
    OtlpFileProblem that = (OtlpFileProblem) o;
    return file.equals(that.file)
        && format == that.format
        && position == that.position
        && kind == that.kind
        && reason.equals(that.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, format, position, kind, reason);
  }

  @Override
  public String toString() {
    String where = describePosition();
    return file + (where.isEmpty() ? "" : " " + where) + ": " + kind + ": " + reason;
  }
}
