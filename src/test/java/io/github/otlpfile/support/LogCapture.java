package io.github.otlpfile.support;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Collects every {@code java.util.logging} record of one logger and its children, at every level,
 * for each test: registered with {@code @RegisterExtension}, it starts before the test's
 * {@code @BeforeEach} methods and stops after its {@code @AfterEach} methods, restoring the
 * logger's level.
 *
 * <p>Thread-safe: records may come from any thread.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {
  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
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
  private Level previousLevel;

  private LogCapture(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
    handler.setLevel(Level.ALL);
  }

  /** Captures the logger named {@code loggerName}; {@code ""} is the root logger. */
  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    records.clear();
    previousLevel = logger.getLevel();
    logger.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    logger.removeHandler(handler);
    logger.setLevel(previousLevel);
  }

  /** What was logged so far in this test, in order; a live view. */
  public List<LogRecord> records() {
    return Collections.unmodifiableList(records);
  }
}
