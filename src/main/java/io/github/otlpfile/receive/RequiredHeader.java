package io.github.otlpfile.receive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;

/**
 * A header every request must carry with one exact value, such as {@code Authorization: Bearer
 * ...}. The value is compared in constant time and never appears in {@link #toString()} or a log.
 *
 * <p>Immutable, thread-safe.
 */
final class RequiredHeader {
  private final String name;
  private final byte[] value;

  RequiredHeader(String name, String value) {
    this.name = name;
    this.value = value.getBytes(StandardCharsets.UTF_8);
  }

  /** The header name as configured (HTTP compares it without regard to case). */
  String getName() {
    return name;
  }

  /** The name as gRPC metadata keys are written: lower case. */
  String getGrpcKey() {
    return name.toLowerCase(Locale.ROOT);
  }

  /** True if the request carried the header exactly once, with the required value. */
  boolean matches(List<String> presented) {
    if (presented == null || presented.size() != 1 || presented.get(0) == null) {
      return false;
    }
    // Constant time in the content: how much of a guess is right cannot be timed.
    return MessageDigest.isEqual(presented.get(0).getBytes(StandardCharsets.UTF_8), value);
  }

  /**
   * Checks a name and a value for {@code setRequiredHeader}: the name an HTTP token that is also a
   * gRPC text key, the value non-empty visible ASCII or spaces (what both protocols carry).
   *
   * @throws IllegalArgumentException naming {@code requiredHeader}, without the value
   */
  static void validate(String name, String value) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("requiredHeader name must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean token =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.';
      if (!token) {
        throw new IllegalArgumentException(
            "requiredHeader name must be letters, digits, '-', '_' or '.', but was " + name);
      }
    }
    if (name.toLowerCase(Locale.ROOT).endsWith("-bin")) {
      throw new IllegalArgumentException(
          "requiredHeader name must not end with -bin (a binary gRPC header), but was " + name);
    }
    if (value.isEmpty() || !value.trim().equals(value)) {
      throw new IllegalArgumentException(
          "requiredHeader value of " + name + " must be non-empty without surrounding spaces");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException(
            "requiredHeader value of " + name + " must be printable ASCII");
      }
    }
  }

  @Override
  public String toString() {
    return name + ": ****";
  }
}
