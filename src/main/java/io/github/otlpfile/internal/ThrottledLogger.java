package io.github.otlpfile.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs at most one message per interval and says how many were suppressed in between, so that a
 * failing disk or a full buffer cannot flood the application's log. Warnings and worse are
 * throttled apart from the rest: with detail logging switched on, a {@code FINE} message never
 * takes the place of a warning.
 *
 * <p>Thread-safe without locks.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ThrottledLogger {
  private static final long DEFAULT_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Logger logger;
  private final long intervalNanos;
  private final Slot warnings = new Slot();
  private final Slot details = new Slot();

  public ThrottledLogger(Logger logger) {
    this(logger, DEFAULT_INTERVAL_NANOS);
  }

  public ThrottledLogger(Logger logger, long intervalNanos) {
    this.logger = logger;
    this.intervalNanos = intervalNanos;
  }

  public void log(Level level, String message) {
    log(level, message, null);
  }

  public void log(Level level, String message, Throwable error) {
    if (!logger.isLoggable(level)) {
      return;
    }
    Slot slot = level.intValue() >= Level.WARNING.intValue() ? warnings : details;
    long now = System.nanoTime();
    long allowed = slot.nextAllowedNanos.get();
    if (now - allowed < 0 || !slot.nextAllowedNanos.compareAndSet(allowed, now + intervalNanos)) {
      slot.suppressed.incrementAndGet();
      return;
    }
    long skipped = slot.suppressed.getAndSet(0);
    String text =
        skipped == 0 ? message : message + " (" + skipped + " similar messages suppressed)";
    logger.log(level, text, error);
  }

  /** When the next message of a group of levels may be logged, and how many were held back. */
  private static final class Slot {
    final AtomicLong nextAllowedNanos = new AtomicLong(System.nanoTime());
    final AtomicLong suppressed = new AtomicLong();
  }
}
