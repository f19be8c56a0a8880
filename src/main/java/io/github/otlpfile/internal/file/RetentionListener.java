package io.github.otlpfile.internal.file;

import java.nio.file.Path;

/**
 * Told by {@link FolderMaintenance} when retention has deleted a file, so that forwarding catch-up
 * can count the records it held that were never delivered.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public interface RetentionListener {
  /** Retention deleted the file whose plain path is {@code plainPath} (plain or compressed). */
  void deleted(Path plainPath);
}
