package io.github.otlpfile.internal.file;

import io.github.otlpfile.internal.buffer.RecordTicket;
import java.nio.file.Path;

/**
 * Told by a {@link FileLaneSink}, on the writer thread, where records went: what forwarding
 * catch-up needs to know which records of the folder this writer wrote.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public interface WriteListener {
  /** A record is in its file; called before its export's result completes. */
  void recordWritten(RecordTicket ticket);

  /**
   * After a write, a rotation by age or a close: the file the writer is writing now ({@code null}:
   * none). Every other file of this writer is finished.
   */
  void writerAt(Path currentFile);
}
