package io.github.otlpfile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ThrottledLoggerTest {
  @Test
  void logsOncePerIntervalAndCountsWhatItSuppressed() {
    Logger logger = Logger.getLogger("throttled-test");
    logger.setUseParentHandlers(false);
    List<LogRecord> records = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try {
      ThrottledLogger throttled = new ThrottledLogger(logger, Long.MAX_VALUE / 4);
      throttled.log(Level.WARNING, "first");
      throttled.log(Level.WARNING, "second");
      throttled.log(Level.FINEST, "not loggable");
      assertThat(records).extracting(LogRecord::getMessage).containsExactly("first");

      ThrottledLogger unthrottled = new ThrottledLogger(logger, 0);
      unthrottled.log(Level.WARNING, "a");
      unthrottled.log(Level.WARNING, "b");
      assertThat(records).extracting(LogRecord::getMessage).containsExactly("first", "a", "b");
    } finally {
      logger.removeHandler(handler);
    }
  }
}
