package io.github.otlpfile.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.AbstractMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The argument types the commands share: times ({@code --since}, {@code --until}), sizes ({@code
 * --max-file-size}) and {@code key=value} pairs. A value that does not convert is a usage error.
 */
final class ArgumentConverters {
  private static final Pattern RELATIVE = Pattern.compile("(\\d{1,12})(ms|s|m|h|d|w)");
  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,15})\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)", Pattern.CASE_INSENSITIVE);

  private ArgumentConverters() {}

  /**
   * A point in time, as Unix nanoseconds: an ISO-8601 instant ({@code 2026-12-01T10:00:00Z}) or a
   * time before now ({@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}, {@code 1w}, {@code 500ms}).
   */
  static long parseTime(String value, Clock clock) {
    Matcher m = RELATIVE.matcher(value.trim().toLowerCase(Locale.ROOT));
    Instant instant;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration ago;
      switch (m.group(2)) {
        case "ms":
          ago = Duration.ofMillis(n);
          break;
        case "s":
          ago = Duration.ofSeconds(n);
          break;
        case "m":
          ago = Duration.ofMinutes(n);
          break;
        case "h":
          ago = Duration.ofHours(n);
          break;
        case "d":
          ago = Duration.ofDays(n);
          break;
        default:
          ago = Duration.ofDays(7 * n);
      }
      instant = clock.instant().minus(ago);
    } else {
      try {
        instant = Instant.parse(value.trim());
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not a time: use an ISO instant such as 2026-12-01T10:00:00Z"
                + " or a time ago such as 10m, 2h, 1d");
      }
    }
    if (instant.getEpochSecond() < 0) {
      return 0;
    }
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /** A size in bytes: {@code 1048576}, {@code 64MiB}, {@code 10MB}, {@code 512k}. */
  static final class Size implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      Matcher m = SIZE.matcher(value.trim());
      if (!m.matches()) {
        throw new TypeConversionException(
            "'" + value + "' is not a size: use bytes or a unit, such as 64MiB, 10MB, 512KiB");
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2).toLowerCase(Locale.ROOT);
      long factor;
      switch (unit) {
        case "k":
        case "kib":
          factor = 1024L;
          break;
        case "kb":
          factor = 1000L;
          break;
        case "m":
        case "mib":
          factor = 1024L * 1024;
          break;
        case "mb":
          factor = 1000L * 1000;
          break;
        case "g":
        case "gib":
          factor = 1024L * 1024 * 1024;
          break;
        case "gb":
          factor = 1000L * 1000 * 1000;
          break;
        default:
          factor = 1;
      }
      if (n > Long.MAX_VALUE / factor) {
        throw new TypeConversionException("'" + value + "' is too large");
      }
      return n * factor;
    }
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
