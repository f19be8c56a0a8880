package io.github.otlpfile.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OTLP/JSON rules that a file of ours follows beyond what a lenient reader accepts, checked on
 * the text of one line (a request the reader could decode): strict JSON without duplicate keys or
 * {@code null}; the request's one top-level key; lowerCamelCase keys; trace and span ids as
 * lowercase hex of 32 and 16 digits (or empty); 64-bit integers as decimal strings and 32-bit ones
 * as numbers; enums as integers; doubles as numbers or {@code "NaN"}, {@code "Infinity"}, {@code
 * "-Infinity"}; at most one member of a oneof (an {@code AnyValue} holds one value). Each field is
 * checked against the proto descriptor of the message it is in. Keys the proto does not know are
 * allowed (a newer proto may have them).
 *
 * <p>Thread-safe: each call has its own parser.
 */
final class JsonLinesRules {
  private static final int MAX_DEPTH = 64;
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH * 2 + 8).build())
          .build();
  private static final Map<Descriptor, Map<String, FieldDescriptor>> BY_JSON_NAME =
      new ConcurrentHashMap<>();

  private JsonLinesRules() {}

  /**
   * The first rule {@code line} (without its line end) breaks, or {@code null} when it follows them
   * all.
   */
  static String check(byte[] buffer, int offset, int length, OtlpSignal signal) {
    try (JsonParser parser = FACTORY.createParser(buffer, offset, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return "the line is not a JSON object";
      }
      String violation = checkMessage(parser, requestDescriptor(signal), "", 0);
      if (violation == null && parser.nextToken() != null) {
        return "more than one JSON value on the line";
      }
      return violation;
    } catch (JsonParseException e) {
      return "not strict JSON: " + e.getOriginalMessage();
    } catch (IOException e) {
      return "not readable as JSON: " + e.getMessage();
    }
  }

  private static Descriptor requestDescriptor(OtlpSignal signal) {
    switch (signal) {
      case TRACES:
        return ExportTraceServiceRequest.getDescriptor();
      case METRICS:
        return ExportMetricsServiceRequest.getDescriptor();
      default:
        return ExportLogsServiceRequest.getDescriptor();
    }
  }

  // At START_OBJECT; returns at its END_OBJECT.
  private static String checkMessage(JsonParser p, Descriptor type, String path, int depth)
      throws IOException {
    if (depth > MAX_DEPTH) {
      return path + ": nested deeper than " + MAX_DEPTH;
    }
    Map<String, FieldDescriptor> fields = fieldsOf(type);
    Set<OneofDescriptor> oneofs = null;
    boolean top = depth == 0;
    int keys = 0;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      keys++;
      String at = path + "." + key;
      FieldDescriptor fd = fields.get(key);
      if (fd == null) {
        if (fieldByProtoName(type, key) != null) {
          return at + ": key in snake_case; OTLP/JSON keys are lowerCamelCase";
        }
        if (top) {
          return at + ": not a key of an " + type.getName();
        }
        p.nextToken();
        p.skipChildren();
        continue;
      }
      OneofDescriptor oneof = fd.getRealContainingOneof();
      if (oneof != null) {
        if (oneofs == null) {
          oneofs = new HashSet<>();
        }
        if (!oneofs.add(oneof)) {
          return at + ": a second value of the oneof " + oneof.getName();
        }
      }
      JsonToken value = p.nextToken();
      String violation;
      if (fd.isRepeated()) {
        if (value != JsonToken.START_ARRAY) {
          return at + ": must be an array";
        }
        violation = null;
        int i = 0;
        while (violation == null && p.nextToken() != JsonToken.END_ARRAY) {
          violation = checkValue(p, fd, at + "[" + i++ + "]", depth);
        }
      } else {
        violation = checkValue(p, fd, at, depth);
      }
      if (violation != null) {
        return violation;
      }
    }
    if (top && keys != 1) {
      return "a request must have exactly one top-level key, but had " + keys;
    }
    return t == JsonToken.END_OBJECT ? null : path + ": unexpected " + t;
  }

  // At the value's first token.
  private static String checkValue(JsonParser p, FieldDescriptor fd, String at, int depth)
      throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return at + ": null; leave the field out instead";
    }
    switch (fd.getType()) {
      case MESSAGE:
        if (t != JsonToken.START_OBJECT) {
          return at + ": must be an object";
        }
        return checkMessage(p, fd.getMessageType(), at, depth + 1);
      case STRING:
        return t == JsonToken.VALUE_STRING ? null : at + ": must be a string";
      case BOOL:
        return t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE
            ? null
            : at + ": must be true or false";
      case ENUM:
        return t == JsonToken.VALUE_NUMBER_INT ? null : at + ": an enum must be an integer";
      case BYTES:
        if (t != JsonToken.VALUE_STRING) {
          return at + ": must be a string";
        }
        return checkBytes(p, fd, at);
      case DOUBLE:
      case FLOAT:
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          return null;
        }
        if (t == JsonToken.VALUE_STRING) {
          String s = p.getText();
          if (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity")) {
            return null;
          }
        }
        return at + ": must be a number (or \"NaN\", \"Infinity\", \"-Infinity\")";
      case INT64:
      case SINT64:
      case SFIXED64:
        return t == JsonToken.VALUE_STRING && isDecimal(p, true)
            ? null
            : at + ": a 64-bit integer must be a decimal string";
      case UINT64:
      case FIXED64:
        return t == JsonToken.VALUE_STRING && isDecimal(p, false)
            ? null
            : at + ": an unsigned 64-bit integer must be a decimal string";
      default:
        // 32-bit integers.
        return t == JsonToken.VALUE_NUMBER_INT ? null : at + ": a 32-bit integer must be a number";
    }
  }

  private static boolean isDecimal(JsonParser p, boolean signed) throws IOException {
    char[] text = p.getTextCharacters();
    int start = p.getTextOffset();
    int length = p.getTextLength();
    if (length == 0 || length > 20) {
      return false;
    }
    int i = start;
    if (signed && text[i] == '-') {
      i++;
      if (length == 1) {
        return false;
      }
    }
    if (text[i] == '0' && i + 1 < start + length) {
      return false;
    }
    for (; i < start + length; i++) {
      if (text[i] < '0' || text[i] > '9') {
        return false;
      }
    }
    return true;
  }

  private static String checkBytes(JsonParser p, FieldDescriptor fd, String at) throws IOException {
    String name = fd.getName();
    int hexDigits;
    if (name.equals("trace_id")) {
      hexDigits = 32;
    } else if (name.equals("span_id") || name.equals("parent_span_id")) {
      hexDigits = 16;
    } else {
      return null;
    }
    char[] text = p.getTextCharacters();
    int start = p.getTextOffset();
    int length = p.getTextLength();
    if (length == 0) {
      return null;
    }
    if (length != hexDigits) {
      return at
          + ": must be "
          + hexDigits
          + " lowercase hex digits (or empty), but has "
          + length
          + " characters";
    }
    for (int i = start; i < start + length; i++) {
      char c = text[i];
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return at + ": must be lowercase hex digits, not base64 or uppercase";
      }
    }
    return null;
  }

  private static Map<String, FieldDescriptor> fieldsOf(Descriptor type) {
    Map<String, FieldDescriptor> fields = BY_JSON_NAME.get(type);
    if (fields == null) {
      fields = new HashMap<>();
      List<FieldDescriptor> list = type.getFields();
      for (FieldDescriptor fd : list) {
        fields.put(fd.getJsonName(), fd);
      }
      BY_JSON_NAME.putIfAbsent(type, fields);
    }
    return fields;
  }

  private static FieldDescriptor fieldByProtoName(Descriptor type, String key) {
    FieldDescriptor fd = type.findFieldByName(key);
    return fd != null && !fd.getJsonName().equals(key) ? fd : null;
  }
}
