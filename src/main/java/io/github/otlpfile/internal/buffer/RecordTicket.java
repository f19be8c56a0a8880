package io.github.otlpfile.internal.buffer;

import java.nio.file.Path;

/**
 * Where one exported record landed: the writer fills it in before it completes the export's result,
 * so that whoever waits for that result (the forwarder) knows the record's file and position, which
 * is what catch-up keeps track of.
 *
 * <p>Written once by the writer thread before the result completes; read after it completed, which
 * orders the two.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class RecordTicket {
  private volatile Path file;
  private volatile long position;
  private volatile long bytes;
  private volatile int items;

  /** Called by the writer thread once the record is in {@code file}. */
  public void written(Path file, long position, long bytes, int items) {
    this.position = position;
    this.bytes = bytes;
    this.items = items;
    this.file = file;
  }

  /** The file, or {@code null} if the record was not written. */
  public Path getFile() {
    return file;
  }

  /** The position as readers report it: line number (JSON lines) or byte offset (PROTOBUF). */
  public long getPosition() {
    return position;
  }

  /** The record's size in the file, framing included. */
  public long getBytes() {
    return bytes;
  }

  public int getItems() {
    return items;
  }

  @Override
  public String toString() {
    return file + "@" + position;
  }
}
