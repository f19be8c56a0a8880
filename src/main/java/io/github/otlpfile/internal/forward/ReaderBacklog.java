package io.github.otlpfile.internal.forward;

import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.ThrottledLogger;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link BacklogReader} on top of {@link OtlpFileReader}: lenient, so a damaged record is logged
 * and skipped, and a torn last record (a crash while it was written) ends the file.
 *
 * <p>Not thread-safe.
 */
final class ReaderBacklog<T> implements BacklogReader<T> {
  private static final Logger logger = Logger.getLogger(ReaderBacklog.class.getName());

  private final Signal signal;
  private final OtlpFileReader reader;
  private final Iterator<OtlpRecord> records;

  private ReaderBacklog(Signal signal, Path file, ThrottledLogger problems) {
    this.signal = signal;
    this.reader =
        OtlpFileReader.builder()
            .setSignals(toReadSignal(signal))
            .setProblemListener(
                problem ->
                    problems.log(
                        Level.WARNING,
                        "Catch-up skips damage in "
                            + problem.getFile()
                            + " at "
                            + problem.getPosition()
                            + ": "
                            + problem.getReason()))
            .open(file);
    this.records = reader.iterator();
  }

  static <T> BacklogReader.Factory<T> factory(Signal signal) {
    // One throttle per folder: a damaged file read again and again is reported once a minute,
    // and damage in one folder does not hide damage in another.
    ThrottledLogger problems = new ThrottledLogger(logger);
    return file -> new ReaderBacklog<>(signal, file, problems);
  }

  private static OtlpSignal toReadSignal(Signal signal) {
    switch (signal) {
      case METRICS:
        return OtlpSignal.METRICS;
      case LOGS:
        return OtlpSignal.LOGS;
      default:
        return OtlpSignal.TRACES;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public Record<T> next() {
    if (!records.hasNext()) {
      return null;
    }
    OtlpRecord record = records.next();
    Collection<?> data;
    switch (signal) {
      case METRICS:
        data = record.getMetrics();
        break;
      case LOGS:
        data = record.getLogRecords();
        break;
      default:
        data = record.getSpans();
        break;
    }
    return new Record<>(
        record.getPosition(), record.getItemCount(), record.getSizeBytes(), (Collection<T>) data);
  }

  @Override
  public void close() {
    reader.close();
  }
}
