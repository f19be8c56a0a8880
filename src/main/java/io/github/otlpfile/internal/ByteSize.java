package io.github.otlpfile.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one syntax of sizes in bytes, shared by the configuration properties and the command: a whole
 * number, optionally followed (with or without a space) by a unit {@code B}, {@code KB}, {@code
 * MB}, {@code GB}, {@code TB} (powers of 1000), {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}
 * or the short {@code K}, {@code M}, {@code G}, {@code T} (powers of 1024), in any letter case.
 * Callers word their own errors, naming the setting at fault.
 *
 * <p>Stateless and thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ByteSize {
  /** The units, as error messages list them. */
  public static final String UNITS = "B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, K, M, G or T";

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");
  private static final Map<String, Long> UNIT_BYTES;

  static {
    Map<String, Long> units = new LinkedHashMap<>();
    long kib = 1024L;
    long kb = 1000L;
    units.put("", 1L);
    units.put("b", 1L);
    units.put("kb", kb);
    units.put("mb", kb * kb);
    units.put("gb", kb * kb * kb);
    units.put("tb", kb * kb * kb * kb);
    units.put("kib", kib);
    units.put("mib", kib * kib);
    units.put("gib", kib * kib * kib);
    units.put("tib", kib * kib * kib * kib);
    // The short forms are binary, as in 512k.
    units.put("k", kib);
    units.put("m", kib * kib);
    units.put("g", kib * kib * kib);
    units.put("t", kib * kib * kib * kib);
    UNIT_BYTES = Collections.unmodifiableMap(units);
  }

  private ByteSize() {}

  /**
   * The number of bytes {@code value} stands for (zero allowed); leading and trailing white space
   * is ignored.
   *
   * @throws IllegalArgumentException if {@code value} is not written as a size
   * @throws ArithmeticException if the size does not fit in a {@code long}
   */
  public static long parse(String value) {
    Matcher matcher = SIZE.matcher(value.trim());
    Long unit =
        matcher.matches() ? UNIT_BYTES.get(matcher.group(2).toLowerCase(Locale.ROOT)) : null;
    if (unit == null) {
      throw new IllegalArgumentException("not a size: " + value);
    }
    long number;
    try {
      number = Long.parseLong(matcher.group(1));
    } catch (NumberFormatException e) {
      // Only digits matched, so the number is too long for a long.
      throw new ArithmeticException("size too large: " + value);
    }
    return Math.multiplyExact(number, unit);
  }
}
