package io.github.otlpfile.internal.autoconfigure;

import io.github.otlpfile.internal.ByteSize;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@link ValueReader}s behind the {@code otel.exporter.otlp.file.*} properties. Every failure
 * is a {@link ConfigurationException} that names the property and the value, in the words the SDK
 * uses for its own properties.
 *
 * <p>Stateless and thread-safe.
 */
final class ValueReaders {
  private ValueReaders() {}

  /** The trimmed value of {@code key}, or {@code null} when unset or blank. */
  static String string(ConfigProperties config, String key) {
    String value = config.getString(key);
    if (value == null) {
      return null;
    }
    value = value.trim();
    return value.isEmpty() ? null : value;
  }

  /** A file system path, relative paths resolved against the working directory. */
  static Path path(ConfigProperties config, String key) {
    String value = string(config, key);
    if (value == null) {
      return null;
    }
    try {
      return Paths.get(value);
    } catch (InvalidPathException e) {
      throw invalid(key, value, "Must be a file system path: " + e.getReason(), e);
    }
  }

  /**
   * A positive number of bytes, as {@link ByteSize#parse} reads it: a plain number, or a number
   * followed by {@code B}, {@code KB} .. {@code TB} (powers of 1000), {@code KiB} .. {@code TiB} or
   * {@code K}, {@code M}, {@code G}, {@code T} (powers of 1024), in any letter case.
   */
  static Long byteSize(ConfigProperties config, String key) {
    String value = string(config, key);
    if (value == null) {
      return null;
    }
    long bytes;
    try {
      bytes = ByteSize.parse(value);
    } catch (ArithmeticException e) {
      throw invalid(key, value, "The size is too large.", e);
    } catch (IllegalArgumentException e) {
      throw invalid(
          key, value, "Must be a number of bytes, optionally with a unit: " + ByteSize.UNITS + ".");
    }
    if (bytes <= 0) {
      throw invalid(key, value, "Must be positive.");
    }
    return bytes;
  }

  /** A positive whole number that fits in an {@code int}. */
  static Integer positiveInt(ConfigProperties config, String key) {
    String value = string(config, key);
    if (value == null) {
      return null;
    }
    int number;
    try {
      number = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw invalid(key, value, "Must be a positive integer.", e);
    }
    if (number <= 0) {
      throw invalid(key, value, "Must be a positive integer.");
    }
    return number;
  }

  /** {@code true} or {@code false}, in any case. */
  static Boolean bool(ConfigProperties config, String key) {
    String value = string(config, key);
    if (value == null) {
      return null;
    }
    if (value.equalsIgnoreCase("true")) {
      return Boolean.TRUE;
    }
    if (value.equalsIgnoreCase("false")) {
      return Boolean.FALSE;
    }
    throw invalid(key, value, "Must be true or false.");
  }

  /**
   * HTTP headers written as {@code otel.exporter.otlp.headers} is: comma-separated {@code
   * key=value} pairs whose values are URL-decoded (UTF-8). Header values are often secrets, so no
   * message ever repeats a value.
   */
  static Map<String, String> headers(ConfigProperties config, String key) {
    String value = string(config, key);
    if (value == null) {
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    int position = 0;
    for (String entry : value.split(",", -1)) {
      position++;
      if (entry.trim().isEmpty()) {
        continue;
      }
      int equals = entry.indexOf('=');
      String name = equals < 0 ? "" : entry.substring(0, equals).trim();
      if (name.isEmpty()) {
        throw new ConfigurationException(
            "Invalid value for property "
                + key
                + ": entry "
                + position
                + " is not name=value. Expected comma-separated name=value pairs.");
      }
      try {
        headers.put(name, URLDecoder.decode(entry.substring(equals + 1).trim(), "UTF-8"));
      } catch (IllegalArgumentException | UnsupportedEncodingException e) {
        throw new ConfigurationException(
            "Invalid value for property "
                + key
                + ": the value of header "
                + name
                + " is not URL-encoded.",
            e);
      }
    }
    return headers;
  }

  /**
   * A positive duration, written as {@link ConfigProperties#getDuration} reads it: a number with an
   * optional unit {@code ms} (the default), {@code s}, {@code m}, {@code h} or {@code d}.
   */
  static Duration positiveDuration(ConfigProperties config, String key) {
    String value = string(config, key);
    if (value == null) {
      return null;
    }
    Duration duration = config.getDuration(key);
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw invalid(key, value, "Must be positive.");
    }
    return duration;
  }

  /**
   * One of a fixed set of names, compared without regard to letter case.
   *
   * @param choices the accepted names, in lower case, and their values, in the order the error
   *     message lists them
   */
  static <V> ValueReader<V> oneOf(Map<String, V> choices) {
    Map<String, V> copy = Collections.unmodifiableMap(new LinkedHashMap<>(choices));
    return (config, key) -> {
      String value = string(config, key);
      if (value == null) {
        return null;
      }
      V choice = copy.get(value.toLowerCase(Locale.ROOT));
      if (choice == null) {
        throw invalid(key, value, "Must be one of: " + String.join(", ", copy.keySet()) + ".");
      }
      return choice;
    };
  }

  /** The constants of {@code type}, named in lower case: for {@link #oneOf}. */
  static <E extends Enum<E>> Map<String, E> lowerCaseNames(Class<E> type) {
    Map<String, E> names = new LinkedHashMap<>();
    for (E constant : type.getEnumConstants()) {
      names.put(constant.name().toLowerCase(Locale.ROOT), constant);
    }
    return names;
  }

  static ConfigurationException invalid(String key, String value, String expectation) {
    return new ConfigurationException(message(key, value, expectation));
  }

  private static ConfigurationException invalid(
      String key, String value, String expectation, Throwable cause) {
    return new ConfigurationException(message(key, value, expectation), cause);
  }

  private static String message(String key, String value, String expectation) {
    return "Invalid value for property " + key + "=" + value + ". " + expectation;
  }
}
