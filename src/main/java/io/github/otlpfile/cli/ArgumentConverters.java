package io.github.otlpfile.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.AbstractMap;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The argument types the commands share: times ({@code --since}, {@code --until}) and {@code
 * key=value} pairs; sizes and durations are {@link CliValues}'. A value that does not convert is a
 * usage error.
 */
final class ArgumentConverters {
  private ArgumentConverters() {}

  /**
   * A point in time, as Unix nanoseconds: an ISO-8601 instant ({@code 2026-12-01T10:00:00Z}) or a
   * time before now, a duration as {@link CliValues#duration(String)} reads it ({@code 90s}, {@code
   * 10m}, {@code 2h}, {@code 1d}, {@code 1w}, {@code 500ms}, {@code PT10M}).
   */
  static long parseTime(String value, Clock clock) {
    Instant instant;
    try {
      instant = Instant.parse(value.trim());
    } catch (DateTimeParseException notAnInstant) {
      Duration ago;
      try {
        ago = CliValues.duration(value);
      } catch (TypeConversionException e) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not a time: use an ISO instant such as 2026-12-01T10:00:00Z"
                + " or a time ago such as 10m, 2h, 1d");
      }
      Instant now = clock.instant();
      if (now.isBefore(Instant.EPOCH) || ago.compareTo(Duration.between(Instant.EPOCH, now)) > 0) {
        return 0;
      }
      instant = now.minus(ago);
    }
    if (instant.getEpochSecond() < 0) {
      return 0;
    }
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /** {@code key=value}; the value may be empty and may hold {@code =}. */
  static final class KeyValue implements ITypeConverter<Map.Entry<String, String>> {
    @Override
    public Map.Entry<String, String> convert(String value) {
      int eq = value.indexOf('=');
      if (eq <= 0) {
        throw new TypeConversionException("'" + value + "' is not key=value");
      }
      return new AbstractMap.SimpleImmutableEntry<>(
          value.substring(0, eq), value.substring(eq + 1));
    }
  }
}
