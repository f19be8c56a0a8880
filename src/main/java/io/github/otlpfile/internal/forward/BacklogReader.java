package io.github.otlpfile.internal.forward;

import io.github.otlpfile.internal.Signal;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Reads the records of one file for catch-up, as SDK data. The implementation uses the library's
 * reader, which needs {@code protobuf-java} and {@code opentelemetry-proto}; {@link #isAvailable()}
 * says whether they are there.
 *
 * <p>Not thread-safe: used by the catch-up thread only.
 */
interface BacklogReader<T> extends AutoCloseable {
  /** One record: where it is, how big, and its data. */
  final class Record<T> {
    final long position;
    final int items;
    final long bytes;
    final Collection<T> data;

    Record(long position, int items, long bytes, Collection<T> data) {
      this.position = position;
      this.items = items;
      this.bytes = bytes;
      this.data = data;
    }
  }

  /**
   * The next whole record, or {@code null} at the end of the file. Damage is skipped and logged.
   */
  Record<T> next();

  @Override
  void close();

  /** Opens readers of one signal's files. */
  interface Factory<T> {
    BacklogReader<T> open(Path file);
  }

  /** Whether the reader's dependencies are on the class path. */
  static boolean isAvailable() {
    try {
      ClassLoader loader = BacklogReader.class.getClassLoader();
      Class.forName("com.google.protobuf.Message", false, loader);
      Class.forName(
          "io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest", false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The factory for {@code signal}; call only when {@link #isAvailable()}. */
  static <T> Factory<T> forSignal(Signal signal) {
    return ReaderBacklog.factory(signal);
  }
}
