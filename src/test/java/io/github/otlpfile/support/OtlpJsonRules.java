package io.github.otlpfile.support;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.internal.LazilyParsedNumber;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.github.otlpfile.read.OtlpSignal;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the OTLP/JSON file rules that hold beyond proto3 JSON, the ones an OTLP/JSON reader such
 * as the Collector's {@code otlpjsonfilereceiver} relies on:
 *
 * <ul>
 *   <li>the file is UTF-8, each request is one line ending in {@code \n}, no empty lines, no {@code
 *       \r};
 *   <li>each line is exactly one JSON object (strict syntax, no duplicate keys, no {@code null})
 *       whose only key is {@code resourceSpans}, {@code resourceMetrics} or {@code resourceLogs};
 *   <li>every key is lowerCamelCase;
 *   <li>{@code traceId} is 32 and {@code spanId}/{@code parentSpanId} 16 lowercase hex digits (or
 *       empty), not base64;
 *   <li>64-bit integers ({@code *UnixNano}, {@code count}, {@code asInt}, {@code intValue}, {@code
 *       zeroCount}, {@code bucketCounts}) are decimal strings; 32-bit ones are plain integers;
 *   <li>enums ({@code kind}, status {@code code}, {@code severityNumber}, {@code
 *       aggregationTemporality}) are integers, never names;
 *   <li>an {@code AnyValue} holds at most one value.
 * </ul>
 *
 * <p>Each method returns the violations found, empty when the input follows every rule.
 */
public final class OtlpJsonRules {
  private static final Pattern LOWER_CAMEL_CASE = Pattern.compile("[a-z][a-zA-Z0-9]*");
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
  private static final Pattern UNSIGNED = Pattern.compile("0|[1-9][0-9]*");
  private static final Pattern SIGNED = Pattern.compile("0|-?[1-9][0-9]*");

  private static final Set<String> TOP_LEVEL_KEYS =
      Set.of("resourceSpans", "resourceMetrics", "resourceLogs");
  private static final Set<String> UNSIGNED_64_AS_STRING =
      Set.of(
          "startTimeUnixNano",
          "endTimeUnixNano",
          "timeUnixNano",
          "observedTimeUnixNano",
          "count",
          "zeroCount");
  private static final Set<String> SIGNED_64_AS_STRING = Set.of("asInt", "intValue");
  private static final Set<String> ENUMS =
      Set.of("kind", "code", "severityNumber", "aggregationTemporality");
  private static final Set<String> INTEGERS_32 =
      Set.of(
          "droppedAttributesCount",
          "droppedEventsCount",
          "droppedLinksCount",
          "flags",
          "scale",
          "offset");
  // "sum" is also the Metric field holding a Sum message; checkValue tells the two apart.
  private static final Set<String> DOUBLES =
      Set.of("asDouble", "doubleValue", "sum", "min", "max", "zeroThreshold", "quantile");
  private static final Set<String> BOOLEANS = Set.of("isMonotonic", "boolValue");
  private static final Set<String> STRINGS =
      Set.of(
          "name",
          "description",
          "unit",
          "key",
          "stringValue",
          "severityText",
          "traceState",
          "schemaUrl",
          "version",
          "eventName",
          "message");
  private static final Set<String> ANY_VALUE_KINDS =
      Set.of(
          "stringValue",
          "boolValue",
          "intValue",
          "doubleValue",
          "arrayValue",
          "kvlistValue",
          "bytesValue");
  private static final Set<String> SPECIAL_DOUBLES = Set.of("NaN", "Infinity", "-Infinity");

  private OtlpJsonRules() {}

  /** Checks a {@code .jsonl} or {@code .jsonl.gz} file holding requests of one signal. */
  public static List<String> checkFile(Path file, OtlpSignal signal) {
    return checkContents(OtlpFileChecks.contents(file), topLevelKey(signal));
  }

  /** Checks the contents of a JSON lines file whose lines must all have {@code topLevelKey}. */
  public static List<String> checkContents(byte[] bytes, String topLevelKey) {
    List<String> violations = new ArrayList<>();
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      violations.add("not valid UTF-8: " + e);
      return violations;
    }
    if (text.isEmpty()) {
      violations.add("the file is empty");
      return violations;
    }
    if (!text.endsWith("\n")) {
      violations.add("the last line does not end with \\n");
    }
    if (text.indexOf('\r') >= 0) {
      violations.add("the file contains \\r; lines must be separated by \\n only");
    }
    String[] lines = text.split("\n", -1);
    int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
    for (int i = 0; i < count; i++) {
      for (String violation : checkLine(lines[i], topLevelKey)) {
        violations.add("line " + (i + 1) + ": " + violation);
      }
    }
    return violations;
  }

  /** Checks one line (without its {@code \n}). */
  public static List<String> checkLine(String line, String topLevelKey) {
    List<String> violations = new ArrayList<>();
    if (line.isEmpty()) {
      violations.add("empty line");
      return violations;
    }
    JsonElement document;
    try (JsonReader reader = new JsonReader(new StringReader(line))) {
      reader.setLenient(false);
      if (reader.peek() != JsonToken.BEGIN_OBJECT) {
        violations.add("the line is not a JSON object but " + reader.peek());
        return violations;
      }
      document = read(reader, "$", violations);
      if (!atEnd(reader)) {
        violations.add("more than one JSON value on the line");
      }
    } catch (IOException | RuntimeException e) {
      violations.add("not strict JSON: " + e.getMessage());
      return violations;
    }
    JsonObject root = document.getAsJsonObject();
    if (!root.keySet().equals(Set.of(topLevelKey))) {
      violations.add(
          "top-level keys must be exactly [" + topLevelKey + "], but were " + root.keySet());
    }
    for (String key : root.keySet()) {
      if (!TOP_LEVEL_KEYS.contains(key)) {
        violations.add("$." + key + ": not an OTLP request key");
      }
    }
    check(root, "$", violations);
    return violations;
  }

  private static boolean atEnd(JsonReader reader) {
    try {
      return reader.peek() == JsonToken.END_DOCUMENT;
    } catch (IOException e) {
      // A strict reader refuses to even look at a second top-level value.
      return false;
    }
  }

  /** The top-level key of a signal's requests. */
  public static String topLevelKey(OtlpSignal signal) {
    switch (signal) {
      case TRACES:
        return "resourceSpans";
      case METRICS:
        return "resourceMetrics";
      default:
        return "resourceLogs";
    }
  }

  // A tree that keeps numbers as written and reports duplicate keys, which Gson's own tree hides.
  private static JsonElement read(JsonReader reader, String path, List<String> violations)
      throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT:
        JsonObject object = new JsonObject();
        reader.beginObject();
        while (reader.hasNext()) {
          String name = reader.nextName();
          if (object.has(name)) {
            violations.add(path + "." + name + ": duplicate key");
          }
          object.add(name, read(reader, path + "." + name, violations));
        }
        reader.endObject();
        return object;
      case BEGIN_ARRAY:
        JsonArray array = new JsonArray();
        reader.beginArray();
        while (reader.hasNext()) {
          array.add(read(reader, path + "[" + array.size() + "]", violations));
        }
        reader.endArray();
        return array;
      case STRING:
        return new JsonPrimitive(reader.nextString());
      case NUMBER:
        return new JsonPrimitive(new LazilyParsedNumber(reader.nextString()));
      case BOOLEAN:
        return new JsonPrimitive(reader.nextBoolean());
      case NULL:
        reader.nextNull();
        violations.add(path + ": null value");
        return JsonNull.INSTANCE;
      default:
        throw new IOException("unexpected " + reader.peek() + " at " + path);
    }
  }

  private static void check(JsonElement element, String path, List<String> violations) {
    if (element.isJsonArray()) {
      JsonArray array = element.getAsJsonArray();
      for (int i = 0; i < array.size(); i++) {
        check(array.get(i), path + "[" + i + "]", violations);
      }
      return;
    }
    if (!element.isJsonObject()) {
      return;
    }
    for (Map.Entry<String, JsonElement> entry : element.getAsJsonObject().entrySet()) {
      String key = entry.getKey();
      JsonElement value = entry.getValue();
      String at = path + "." + key;
      if (!LOWER_CAMEL_CASE.matcher(key).matches()) {
        violations.add(at + ": key is not lowerCamelCase");
      }
      checkValue(key, value, at, violations);
      check(value, at, violations);
    }
  }

  private static void checkValue(String key, JsonElement value, String at, List<String> v) {
    if (key.equals("sum") && value.isJsonObject()) {
      return; // Metric.sum, a Sum message
    } else if (key.equals("traceId")) {
      requireId(value, TRACE_ID, 32, at, v);
    } else if (key.equals("spanId") || key.equals("parentSpanId")) {
      requireId(value, SPAN_ID, 16, at, v);
    } else if (UNSIGNED_64_AS_STRING.contains(key)) {
      requireIntegerString(value, UNSIGNED, at, v);
    } else if (SIGNED_64_AS_STRING.contains(key)) {
      requireIntegerString(value, SIGNED, at, v);
    } else if (key.equals("bucketCounts")) {
      if (!value.isJsonArray()) {
        v.add(at + ": must be an array, but was " + value);
      } else {
        JsonArray counts = value.getAsJsonArray();
        for (int i = 0; i < counts.size(); i++) {
          requireIntegerString(counts.get(i), UNSIGNED, at + "[" + i + "]", v);
        }
      }
    } else if (ENUMS.contains(key)) {
      if (!isIntegerNumber(value)) {
        v.add(at + ": enum must be an integer, but was " + value);
      }
    } else if (INTEGERS_32.contains(key)) {
      if (!isIntegerNumber(value)) {
        v.add(at + ": 32-bit integer must be a JSON number, but was " + value);
      }
    } else if (DOUBLES.contains(key)) {
      requireDouble(value, at, v);
    } else if (key.equals("explicitBounds")) {
      if (!value.isJsonArray()) {
        v.add(at + ": must be an array, but was " + value);
      } else {
        JsonArray bounds = value.getAsJsonArray();
        for (int i = 0; i < bounds.size(); i++) {
          requireDouble(bounds.get(i), at + "[" + i + "]", v);
        }
      }
    } else if (BOOLEANS.contains(key)) {
      if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
        v.add(at + ": must be a boolean, but was " + value);
      }
    } else if (STRINGS.contains(key)) {
      requireString(value, at, v);
    } else if (key.equals("bytesValue")) {
      if (requireString(value, at, v)) {
        try {
          Base64.getDecoder().decode(value.getAsString());
        } catch (IllegalArgumentException e) {
          v.add(at + ": bytes must be base64, but was " + value);
        }
      }
    } else if (key.equals("body")) {
      checkAnyValue(value, at, v);
    } else if (key.equals("value")) {
      // An attribute's AnyValue, or the double of a summary quantile.
      if (value.isJsonObject()) {
        checkAnyValue(value, at, v);
      } else {
        requireDouble(value, at, v);
      }
    } else if (key.equals("values") && at.endsWith(".arrayValue.values")) {
      for (JsonElement item : value.getAsJsonArray()) {
        checkAnyValue(item, at + "[]", v);
      }
    }
  }

  private static void checkAnyValue(JsonElement value, String at, List<String> v) {
    if (!value.isJsonObject()) {
      v.add(at + ": AnyValue must be an object, but was " + value);
      return;
    }
    Set<String> keys = value.getAsJsonObject().keySet();
    if (keys.size() > 1 || !ANY_VALUE_KINDS.containsAll(keys)) {
      v.add(at + ": AnyValue must hold at most one of " + ANY_VALUE_KINDS + ", but had " + keys);
    }
  }

  private static void requireId(
      JsonElement value, Pattern pattern, int hexDigits, String at, List<String> v) {
    if (!requireString(value, at, v)) {
      return;
    }
    String id = value.getAsString();
    if (!id.isEmpty() && !pattern.matcher(id).matches()) {
      v.add(at + ": must be " + hexDigits + " lowercase hex digits or empty, but was " + value);
    }
  }

  private static void requireIntegerString(
      JsonElement value, Pattern pattern, String at, List<String> v) {
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      v.add(at + ": 64-bit integer must be a JSON string, but was " + value);
    } else if (!pattern.matcher(value.getAsString()).matches()) {
      v.add(at + ": must be a decimal integer, but was " + value);
    }
  }

  private static void requireDouble(JsonElement value, String at, List<String> v) {
    boolean number = value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber();
    boolean special =
        value.isJsonPrimitive()
            && value.getAsJsonPrimitive().isString()
            && SPECIAL_DOUBLES.contains(value.getAsString());
    if (!number && !special) {
      v.add(at + ": double must be a JSON number, but was " + value);
    }
  }

  private static boolean requireString(JsonElement value, String at, List<String> v) {
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
      return true;
    }
    v.add(at + ": must be a string, but was " + value);
    return false;
  }

  private static boolean isIntegerNumber(JsonElement value) {
    return value.isJsonPrimitive()
        && value.getAsJsonPrimitive().isNumber()
        && SIGNED.matcher(value.getAsString()).matches();
  }
}
