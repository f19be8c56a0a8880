package io.github.otlpfile.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.github.otlpfile.support.LogCapture;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ThrottledLoggerTest {
  @RegisterExtension final LogCapture logs = LogCapture.of("throttled-test");

  @Test
  void logsOncePerIntervalAndCountsWhatItSuppressed() {
    Logger logger = Logger.getLogger("throttled-test");
    logger.setUseParentHandlers(false);
    // Below INFO is not loggable (the capture puts the level back after the test).
    logger.setLevel(Level.INFO);
    List<LogRecord> records = logs.records();
    ThrottledLogger throttled = new ThrottledLogger(logger, Long.MAX_VALUE / 4);
    throttled.log(Level.WARNING, "first");
    throttled.log(Level.WARNING, "second");
    throttled.log(Level.FINEST, "not loggable");
    assertThat(records).extracting(LogRecord::getMessage).containsExactly("first");

    ThrottledLogger unthrottled = new ThrottledLogger(logger, 0);
    unthrottled.log(Level.WARNING, "a");
    unthrottled.log(Level.WARNING, "b");
    assertThat(records).extracting(LogRecord::getMessage).containsExactly("first", "a", "b");
  }

  @Test
  void detailMessagesNeverTakeTheSlotOfAWarning() {
    Logger logger = Logger.getLogger("throttled-test");
    logger.setUseParentHandlers(false);
    logger.setLevel(Level.ALL);
    List<LogRecord> records = logs.records();
    ThrottledLogger throttled = new ThrottledLogger(logger, Long.MAX_VALUE / 4);
    throttled.log(Level.FINE, "retrying");
    throttled.log(Level.FINE, "retrying again");
    throttled.log(Level.WARNING, "rejected for good");
    throttled.log(Level.SEVERE, "also held back");
    throttled.log(Level.INFO, "held back with the details");
    assertThat(records)
        .extracting(LogRecord::getLevel, LogRecord::getMessage)
        .containsExactly(tuple(Level.FINE, "retrying"), tuple(Level.WARNING, "rejected for good"));
  }
}
