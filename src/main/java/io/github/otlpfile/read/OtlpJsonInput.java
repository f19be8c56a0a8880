package io.github.otlpfile.read;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The values of one OTLP/JSON record as the OTLP specification's JSON encoding and the proto3 JSON
 * mapping write them: a thin layer over a Jackson streaming parser that reads one field value at a
 * time and reports a fault with its place in the record.
 *
 * <p>Each value reader expects the parser to be on the value's first token and leaves it on the
 * value's last token. Not thread safe: one instance per record.
 */
final class OtlpJsonInput {
  /**
   * The longest number text read, as a JSON number (the parser's limit) or inside a string: more
   * than any writer needs for a double, and it bounds the {@link BigDecimal} work one hostile
   * number can cause.
   */
  static final int MAX_NUMBER_LENGTH = 1000;

  // How much of an offending value a message quotes, so that it stays one short line.
  private static final int MAX_QUOTED_CHARS = 40;
  private static final int MAX_NAME_CHARS = 64;
  private static final int MAX_PATH_CHARS = 240;

  private static final long UNSIGNED_64_MAX_DIV_10 = Long.divideUnsigned(-1L, 10);

  private static final byte[] HEX = new byte[128];

  static {
    Arrays.fill(HEX, (byte) -1);
    for (int i = 0; i < 10; i++) {
      HEX['0' + i] = (byte) i;
    }
    for (int i = 0; i < 6; i++) {
      HEX['a' + i] = (byte) (10 + i);
      HEX['A' + i] = (byte) (10 + i);
    }
  }

  /**
   * The integer types of OTLP's proto fields, each with its range. An unsigned type also takes the
   * negative values of its signed twin, as their two's complement: the OpenTelemetry Java SDK
   * writes unsigned fields from Java's signed {@code int} and {@code long} (a {@code fixed32} flag
   * with its top bit set comes out negative), and a reader must read the files it writes.
   */
  enum IntegerKind {
    SIGNED_64("a signed 64-bit integer"),
    UNSIGNED_64("an unsigned 64-bit integer"),
    SIGNED_32("a signed 32-bit integer"),
    UNSIGNED_32("an unsigned 32-bit integer");

    final String description;

    IntegerKind(String description) {
      this.description = description;
    }
  }

  private final JsonParser parser;

  OtlpJsonInput(JsonParser parser) {
    this.parser = parser;
  }

  /**
   * Moves to the next field of the current object that has a non-null value (a JSON {@code null}
   * means the field is absent) and returns its name, with the parser on the value; returns {@code
   * null} at the end of the object.
   */
  String nextField() throws IOException {
    String name;
    while ((name = parser.nextFieldName()) != null) {
      if (parser.nextToken() != JsonToken.VALUE_NULL) {
        return name;
      }
    }
    return null;
  }

  /** Skips the current value, with everything nested in it: an unknown field. */
  void skipValue() throws IOException {
    parser.skipChildren();
  }

  void startObject() throws MalformedRecordException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw fail("expected an object, not " + describeValue());
    }
  }

  void startArray() throws MalformedRecordException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw fail("expected an array, not " + describeValue());
    }
  }

  /**
   * Moves to the next element of the current array and returns {@code true}, or returns {@code
   * false} at its end.
   */
  boolean nextElement() throws IOException, MalformedRecordException {
    JsonToken token = parser.nextToken();
    if (token == JsonToken.END_ARRAY) {
      return false;
    }
    if (token == JsonToken.VALUE_NULL) {
      throw fail("null is not a valid array element");
    }
    return true;
  }

  String string() throws IOException, MalformedRecordException {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      throw fail("expected a string, not " + describeValue());
    }
    return parser.getText();
  }

  boolean bool() throws IOException, MalformedRecordException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_TRUE) {
      return true;
    }
    if (token == JsonToken.VALUE_FALSE) {
      return false;
    }
    if (token == JsonToken.VALUE_STRING) {
      String text = parser.getText();
      if (text.equals("true")) {
        return true;
      }
      if (text.equals("false")) {
        return false;
      }
    }
    throw fail("expected true or false, not " + describeValue());
  }

  /** A trace id: 32 hex digits in any case, or the empty string for none. */
  ByteString traceId() throws IOException, MalformedRecordException {
    return hexId(16);
  }

  /** A span id: 16 hex digits in any case, or the empty string for none. */
  ByteString spanId() throws IOException, MalformedRecordException {
    return hexId(8);
  }

  private ByteString hexId(int byteCount) throws IOException, MalformedRecordException {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      throw fail("expected a string of " + byteCount * 2 + " hex digits, not " + describeValue());
    }
    char[] chars = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    int length = parser.getTextLength();
    if (length == 0) {
      return ByteString.EMPTY;
    }
    if (length != byteCount * 2) {
      throw fail(describeValue() + " is not " + byteCount * 2 + " hex digits");
    }
    byte[] id = new byte[byteCount];
    for (int i = 0; i < byteCount; i++) {
      int high = hexDigit(chars[offset + 2 * i]);
      int low = hexDigit(chars[offset + 2 * i + 1]);
      if ((high | low) < 0) {
        throw fail(describeValue() + " is not " + byteCount * 2 + " hex digits");
      }
      id[i] = (byte) (high << 4 | low);
    }
    // The array is ours alone, so the ByteString may keep it rather than copy it.
    return UnsafeByteOperations.unsafeWrap(id);
  }

  private static int hexDigit(char c) {
    return c < 128 ? HEX[c] : -1;
  }

  /** A {@code bytes} value other than an id: base64, standard or URL-safe, padded or not. */
  ByteString base64() throws IOException, MalformedRecordException {
    String text = string();
    if (text.isEmpty()) {
      return ByteString.EMPTY;
    }
    Base64.Decoder decoder =
        text.indexOf('-') >= 0 || text.indexOf('_') >= 0
            ? Base64.getUrlDecoder()
            : Base64.getDecoder();
    try {
      return UnsafeByteOperations.unsafeWrap(decoder.decode(text));
    } catch (IllegalArgumentException e) {
      throw fail(describeValue() + " is not base64");
    }
  }

  long int64() throws IOException, MalformedRecordException {
    return integer(IntegerKind.SIGNED_64);
  }

  /**
   * An unsigned 64-bit value; one above {@link Long#MAX_VALUE} comes as its two's complement, and a
   * negative one, as the Java SDK writes those, is taken as that two's complement.
   */
  long uint64() throws IOException, MalformedRecordException {
    return integer(IntegerKind.UNSIGNED_64);
  }

  int int32() throws IOException, MalformedRecordException {
    return (int) integer(IntegerKind.SIGNED_32);
  }

  /**
   * An unsigned 32-bit value; one above {@link Integer#MAX_VALUE} comes as its two's complement.
   */
  int uint32() throws IOException, MalformedRecordException {
    return (int) integer(IntegerKind.UNSIGNED_32);
  }

  /**
   * An enum's number: an integer (what OTLP writes), or a value name of {@code type}. A number the
   * enum does not define is kept, as proto3 does.
   */
  int enumNumber(EnumDescriptor type) throws IOException, MalformedRecordException {
    if (parser.currentToken() == JsonToken.VALUE_STRING) {
      char[] chars = parser.getTextCharacters();
      int length = parser.getTextLength();
      char first = length == 0 ? ' ' : chars[parser.getTextOffset()];
      if (!(first == '-' || (first >= '0' && first <= '9'))) {
        EnumValueDescriptor value = type.findValueByName(parser.getText());
        if (value == null) {
          throw fail(describeValue() + " is not a value of " + type.getName());
        }
        return value.getNumber();
      }
    }
    return int32();
  }

  double dbl() throws IOException, MalformedRecordException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
      return parser.getDoubleValue();
    }
    if (token != JsonToken.VALUE_STRING) {
      throw fail("expected a number, not " + describeValue());
    }
    String text = parser.getText();
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    // Double.parseDouble also takes hex floats, "1d" and spaces; JSON numbers have none of them.
    if (text.isEmpty() || text.length() > MAX_NUMBER_LENGTH) {
      throw fail(describeValue() + " is not a number");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        throw fail(describeValue() + " is not a number");
      }
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw fail(describeValue() + " is not a number");
    }
  }

  private long integer(IntegerKind kind) throws IOException, MalformedRecordException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType type = parser.getNumberType();
      if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
        return inRange(parser.getLongValue(), kind);
      }
      return fromBigInteger(parser.getBigIntegerValue(), kind);
    }
    if (token == JsonToken.VALUE_STRING) {
      return integerFromString(kind);
    }
    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      return fromDecimal(parser.getDecimalValue(), kind);
    }
    throw fail("expected an integer, not " + describeValue());
  }

  /** Decimal digits with an optional minus, read in place; any other form goes to BigDecimal. */
  private long integerFromString(IntegerKind kind) throws IOException, MalformedRecordException {
    char[] chars = parser.getTextCharacters();
    int i = parser.getTextOffset();
    int end = i + parser.getTextLength();
    boolean negative = i < end && chars[i] == '-';
    if (negative) {
      i++;
    }
    int digits = end - i;
    if (digits == 0 || digits > 20 || (digits > 1 && chars[i] == '0')) {
      return integerFromDecimalString(kind);
    }
    long magnitude = 0;
    for (; i < end; i++) {
      int digit = chars[i] - '0';
      if (digit < 0 || digit > 9) {
        return integerFromDecimalString(kind);
      }
      if (Long.compareUnsigned(magnitude, UNSIGNED_64_MAX_DIV_10) > 0
          || (magnitude == UNSIGNED_64_MAX_DIV_10 && digit > 5)) {
        throw outOfRange(kind);
      }
      magnitude = magnitude * 10 + digit;
    }
    if (kind == IntegerKind.UNSIGNED_64 && !negative) {
      return magnitude;
    }
    if (negative) {
      if (Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0) {
        throw outOfRange(kind);
      }
      return inRange(-magnitude, kind);
    }
    if (magnitude < 0) {
      throw outOfRange(kind);
    }
    return inRange(magnitude, kind);
  }

  /** The rare forms proto3 JSON also allows in a string: "1e3", "+7", "5.0", leading zeros. */
  private long integerFromDecimalString(IntegerKind kind)
      throws IOException, MalformedRecordException {
    String text = parser.getText();
    if (text.length() > MAX_NUMBER_LENGTH) {
      throw fail(describeValue() + " is not an integer");
    }
    BigDecimal decimal;
    try {
      decimal = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw fail(describeValue() + " is not an integer");
    }
    return fromDecimal(decimal, kind);
  }

  /** A number with a fraction or an exponent: accepted only if its value is an integer. */
  private long fromDecimal(BigDecimal decimal, IntegerKind kind) throws MalformedRecordException {
    if (decimal.signum() == 0) {
      return 0;
    }
    BigDecimal stripped = decimal.stripTrailingZeros();
    if (stripped.scale() > 0) {
      throw fail(describeValue() + " is not an integer");
    }
    // Checked before toBigInteger, which would expand a 1e999999999 digit by digit.
    if ((long) stripped.precision() - stripped.scale() > 20) {
      throw outOfRange(kind);
    }
    return fromBigInteger(stripped.toBigIntegerExact(), kind);
  }

  private long fromBigInteger(BigInteger value, IntegerKind kind) throws MalformedRecordException {
    if (kind == IntegerKind.UNSIGNED_64 && value.signum() > 0 && value.bitLength() <= 64) {
      return value.longValue();
    }
    if (value.bitLength() > 63) {
      throw outOfRange(kind);
    }
    return inRange(value.longValue(), kind);
  }

  private long inRange(long value, IntegerKind kind) throws MalformedRecordException {
    switch (kind) {
      case SIGNED_32:
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
          throw outOfRange(kind);
        }
        return value;
      case UNSIGNED_32:
        if (value < Integer.MIN_VALUE || value > 0xFFFFFFFFL) {
          throw outOfRange(kind);
        }
        return value;
      default:
        return value;
    }
  }

  private MalformedRecordException outOfRange(IntegerKind kind) {
    return fail(describeValue() + " is out of range for " + kind.description);
  }

  /** A fault at the parser's current place. */
  MalformedRecordException fail(String reason) {
    return new MalformedRecordException("at " + path(parser.getParsingContext()) + ": " + reason);
  }

  /**
   * Where the parser is, as {@code resourceSpans[0].scopeSpans[0].spans[3].traceId}, or {@code the
   * top level}. Built only for a fault, from the parser's own context chain, so that reading costs
   * nothing for it.
   */
  static String path(JsonStreamContext context) {
    List<JsonStreamContext> chain = new ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      chain.add(c);
    }
    StringBuilder path = new StringBuilder();
    for (int i = chain.size() - 1; i >= 0; i--) {
      JsonStreamContext c = chain.get(i);
      if (c.inArray()) {
        if (c.hasCurrentIndex()) {
          path.append('[').append(c.getCurrentIndex()).append(']');
        }
      } else if (c.getCurrentName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        appendPrintable(path, c.getCurrentName(), MAX_NAME_CHARS);
      }
    }
    if (path.length() == 0) {
      return "the top level";
    }
    if (path.length() > MAX_PATH_CHARS) {
      // Deeply nested values: the start says which item, the end which field.
      int keep = MAX_PATH_CHARS / 2;
      return path.substring(0, keep) + "..." + path.substring(path.length() - keep);
    }
    return path.toString();
  }

  /** The current value as a message quotes it: a string quoted and shortened, else its kind. */
  private String describeValue() {
    JsonToken token = parser.currentToken();
    if (token == null) {
      return "nothing";
    }
    try {
      switch (token) {
        case VALUE_STRING:
          StringBuilder quoted = new StringBuilder().append('"');
          appendPrintable(quoted, parser.getText(), MAX_QUOTED_CHARS);
          return quoted.append('"').toString();
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
          StringBuilder number = new StringBuilder();
          appendPrintable(number, parser.getText(), MAX_QUOTED_CHARS);
          return number.toString();
        case VALUE_TRUE:
          return "true";
        case VALUE_FALSE:
          return "false";
        case VALUE_NULL:
          return "null";
        case START_OBJECT:
          return "an object";
        case START_ARRAY:
          return "an array";
        default:
          return token.asString() == null ? token.name() : token.asString();
      }
    } catch (IOException e) {
      return "a value";
    }
  }

  /** Appends {@code text} shortened to {@code max} chars, with control characters escaped. */
  static void appendPrintable(StringBuilder out, String text, int max) {
    int n = Math.min(text.length(), max);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > max) {
      out.append("...");
    }
  }
}
