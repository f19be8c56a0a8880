package io.github.otlpfile.cli.view;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OTLP values as the page's JSON, written by Jackson (which escapes every string): attribute values
 * keep their JSON type (strings, numbers, booleans, arrays, key-value lists as objects, bytes as
 * base64); integers beyond what JavaScript holds exactly are written as strings.
 *
 * <p>Stateless; thread-safe.
 */
final class ViewJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private ViewJson() {}

  /** Writes a JSON document with {@code body} and returns its UTF-8 bytes. */
  static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      body.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes one document's content. */
  interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  static void value(JsonGenerator json, AnyValue value) throws IOException {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        json.writeString(value.getStringValue());
        break;
      case BOOL_VALUE:
        json.writeBoolean(value.getBoolValue());
        break;
      case INT_VALUE:
        integer(json, value.getIntValue());
        break;
      case DOUBLE_VALUE:
        number(json, value.getDoubleValue());
        break;
      case ARRAY_VALUE:
        json.writeStartArray();
        for (AnyValue element : value.getArrayValue().getValuesList()) {
          value(json, element);
        }
        json.writeEndArray();
        break;
      case KVLIST_VALUE:
        json.writeStartObject();
        for (KeyValue entry : value.getKvlistValue().getValuesList()) {
          json.writeFieldName(entry.getKey());
          value(json, entry.getValue());
        }
        json.writeEndObject();
        break;
      case BYTES_VALUE:
        json.writeString(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
        break;
      default:
        json.writeNull();
        break;
    }
  }

  static void integer(JsonGenerator json, long value) throws IOException {
    if (Math.abs(value) <= MAX_SAFE_INTEGER) {
      json.writeNumber(value);
    } else {
      json.writeString(Long.toString(value));
    }
  }

  static void number(JsonGenerator json, double value) throws IOException {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      json.writeString(Double.toString(value));
    } else {
      json.writeNumber(value);
    }
  }

  /** A value as text, for filters: strings as they are, anything else as its JSON. */
  static String text(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case INT_VALUE:
        return Long.toString(value.getIntValue());
      case BOOL_VALUE:
        return Boolean.toString(value.getBoolValue());
      default:
        break;
    }
    return new String(write(json -> value(json, value)), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The attributes as an array of {@code {"key": ..., "value": ...}}, in their order. */
  static void attributes(JsonGenerator json, String field, List<KeyValue> attributes)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (KeyValue attribute : attributes) {
      json.writeStartObject();
      json.writeStringField("key", attribute.getKey());
      json.writeFieldName("value");
      value(json, attribute.getValue());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  static void resource(JsonGenerator json, Resource resource) throws IOException {
    json.writeStartObject();
    json.writeStringField("service", ViewIndex.serviceOf(resource));
    attributes(json, "attributes", resource.getAttributesList());
    json.writeEndObject();
  }

  static void scope(JsonGenerator json, InstrumentationScope scope) throws IOException {
    json.writeStartObject();
    json.writeStringField("name", scope.getName());
    json.writeStringField("version", scope.getVersion());
    attributes(json, "attributes", scope.getAttributesList());
    json.writeEndObject();
  }

  /** Time as both exact nanoseconds (a string) and milliseconds (a number, for charts). */
  static void time(JsonGenerator json, String field, long unixNanos) throws IOException {
    json.writeStringField(field + "UnixNano", Long.toUnsignedString(unixNanos));
    json.writeNumberField(field + "Ms", unixNanos / 1e6);
  }

  /** The attribute set as one string that is equal for equal sets, whatever their order. */
  static String attributeSetKey(List<KeyValue> attributes) {
    List<String> parts = new ArrayList<>(attributes.size());
    for (KeyValue attribute : attributes) {
      parts.add(attribute.getKey() + '\u0000' + text(attribute.getValue()));
    }
    parts.sort(null);
    return String.join("\u0001", parts);
  }

  /** Whether any of {@code attributes} has {@code key} (and the value, when one is given). */
  static boolean matches(List<KeyValue> attributes, String key, String value) {
    for (KeyValue attribute : attributes) {
      if (attribute.getKey().equals(key)
          && (value == null || text(attribute.getValue()).equals(value))) {
        return true;
      }
    }
    return false;
  }
}
