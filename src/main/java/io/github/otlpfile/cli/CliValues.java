package io.github.otlpfile.cli;

import io.github.otlpfile.Compression;
import io.github.otlpfile.Durability;
import io.github.otlpfile.internal.ByteSize;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values of the commands: sizes, durations and names written the way the configuration
 * properties write them ({@code 64MiB}, {@code 30s}, {@code jsonl}), and {@code NAME=VALUE} headers
 * whose values are never shown.
 *
 * <p>Stateless and thread-safe.
 */
final class CliValues {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)");

  private CliValues() {}

  /**
   * A number of bytes (zero allowed), as {@link ByteSize#parse} reads it: optionally with a unit B,
   * KB, MB, GB, TB (powers of 1000), KiB, MiB, GiB, TiB or K, M, G, T (powers of 1024); case does
   * not matter.
   *
   * @throws TypeConversionException if {@code value} is not such a size or does not fit a long
   */
  static long bytes(String value) {
    try {
      return ByteSize.parse(value);
    } catch (ArithmeticException e) {
      throw new TypeConversionException("'" + value + "' is too large");
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a size; write a number of bytes, optionally with "
              + ByteSize.UNITS);
    }
  }

  /** A positive size, as {@link #bytes(String)} reads it. */
  static final class Size implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long bytes = bytes(value);
      if (bytes <= 0) {
        throw new TypeConversionException("'" + value + "' must be positive");
      }
      return bytes;
    }
  }

  /**
   * A duration that is not negative: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code
   * 7d}, {@code 1w}, or ISO-8601 ({@code PT30S}).
   *
   * @throws TypeConversionException if {@code value} is not such a duration
   */
  static Duration duration(String value) {
    String text = value.trim();
    Matcher matcher = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    try {
      if (matcher.matches()) {
        long amount = Long.parseLong(matcher.group(1));
        switch (matcher.group(2)) {
          case "ms":
            return Duration.ofMillis(amount);
          case "s":
            return Duration.ofSeconds(amount);
          case "m":
            return Duration.ofMinutes(amount);
          case "h":
            return Duration.ofHours(amount);
          case "d":
            return Duration.ofDays(amount);
          default:
            return Duration.ofDays(Math.multiplyExact(7L, amount));
        }
      }
      if (text.startsWith("P") || text.startsWith("p")) {
        Duration duration = Duration.parse(text);
        if (!duration.isNegative()) {
          return duration;
        }
      }
    } catch (ArithmeticException | NumberFormatException | java.time.DateTimeException e) {
      // falls through to the message below
    }
    throw new TypeConversionException(
        "'" + value + "' is not a duration; write for example 500ms, 30s, 5m, 1h or 7d");
  }

  /** A duration, as {@link #duration(String)} reads it. */
  static final class Time implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return duration(value);
    }
  }

  /** {@code none} or {@code gzip}. */
  static final class CompressionName implements ITypeConverter<Compression> {
    @Override
    public Compression convert(String value) {
      return enumValue(Compression.class, value, "none or gzip");
    }
  }

  /** {@code none}, {@code on_rotate} or {@code every_write}. */
  static final class DurabilityName implements ITypeConverter<Durability> {
    @Override
    public Durability convert(String value) {
      return enumValue(Durability.class, value, "none, on_rotate or every_write");
    }
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String choices) {
    String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(name)) {
        return constant;
      }
    }
    throw new TypeConversionException("'" + value + "' is not one of " + choices);
  }

  /**
   * Fails with a usage error naming the first unknown argument by its name only: whatever follows
   * an {@code =} is left out, since it may be a credential given to a mistyped option.
   */
  static void rejectUnmatched(CommandSpec spec, List<String> unmatched) {
    if (unmatched.isEmpty()) {
      return;
    }
    String first = unmatched.get(0);
    int equals = first.indexOf('=');
    String shown = equals < 0 ? first : first.substring(0, equals) + "=...";
    throw new ParameterException(
        spec.commandLine(),
        (first.startsWith("-") ? "Unknown option: '" : "Unexpected argument: '")
            + shown
            + "'"
            + (unmatched.size() > 1 ? " (and " + (unmatched.size() - 1) + " more)" : ""));
  }

  /**
   * Parses {@code NAME=VALUE} headers. A bad one is reported by its position and name only: the
   * value may be a credential, so no message ever shows it.
   *
   * @throws IllegalArgumentException naming {@code option} and the position of the bad header
   */
  static Map<String, String> headers(String option, List<String> values) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < values.size(); i++) {
      String header = values.get(i);
      int equals = header.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(
            option
                + " #"
                + (i + 1)
                + " must be NAME=VALUE (its text is not shown, it may hold a credential)");
      }
      String name = header.substring(0, equals).trim();
      if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
        throw new IllegalArgumentException(
            option + " #" + (i + 1) + " has a name that is not a valid header name");
      }
      headers.put(name, header.substring(equals + 1));
    }
    return Collections.unmodifiableMap(headers);
  }
}
