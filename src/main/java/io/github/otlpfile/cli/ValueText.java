package io.github.otlpfile.cli;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;
import java.util.List;

/**
 * OTLP values as text: {@link #plain} for comparing (the value as a user would type it), {@link
 * #shown} for printing (escaped, cut to a length, nesting bounded).
 *
 * <p>Thread-safe (stateless).
 */
final class ValueText {
  static final int MAX_VALUE_CHARS = 120;
  private static final int MAX_DEPTH = 8;
  private static final int MAX_ELEMENTS = 16;

  private ValueText() {}

  /** The value as plain text, not escaped: strings as they are, other types in their JSON form. */
  static String plain(AnyValue value) {
    StringBuilder out = new StringBuilder();
    append(out, value, 0, Integer.MAX_VALUE);
    return out.toString();
  }

  /** The value for a terminal: escaped and cut to {@link #MAX_VALUE_CHARS}. */
  static String shown(AnyValue value) {
    StringBuilder out = new StringBuilder();
    append(out, value, 0, MAX_ELEMENTS);
    return TerminalText.escape(out, MAX_VALUE_CHARS);
  }

  /** {@code key=value ...} for up to {@code max} attributes, then {@code +N more}. */
  static String attributes(List<KeyValue> attributes, int max) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (KeyValue kv : attributes) {
      if (shown == max) {
        out.append(" +").append(attributes.size() - max).append(" more");
        break;
      }
      if (shown > 0) {
        out.append(' ');
      }
      out.append(TerminalText.escape(kv.getKey(), 60)).append('=').append(shown(kv.getValue()));
      shown++;
    }
    return out.toString();
  }

  private static void append(StringBuilder out, AnyValue value, int depth, int maxElements) {
    if (out.length() > MAX_VALUE_CHARS * 4 && maxElements != Integer.MAX_VALUE) {
      return;
    }
    switch (value.getValueCase()) {
      case STRING_VALUE:
        out.append(value.getStringValue());
        return;
      case BOOL_VALUE:
        out.append(value.getBoolValue());
        return;
      case INT_VALUE:
        out.append(value.getIntValue());
        return;
      case DOUBLE_VALUE:
        out.append(value.getDoubleValue());
        return;
      case BYTES_VALUE:
        out.append(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
        return;
      case ARRAY_VALUE:
        if (depth >= MAX_DEPTH) {
          out.append("[…]");
          return;
        }
        out.append('[');
        List<AnyValue> values = value.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          if (i == maxElements) {
            out.append(", …");
            break;
          }
          if (i > 0) {
            out.append(", ");
          }
          append(out, values.get(i), depth + 1, maxElements);
        }
        out.append(']');
        return;
      case KVLIST_VALUE:
        if (depth >= MAX_DEPTH) {
          out.append("{…}");
          return;
        }
        out.append('{');
        List<KeyValue> entries = value.getKvlistValue().getValuesList();
        for (int i = 0; i < entries.size(); i++) {
          if (i == maxElements) {
            out.append(", …");
            break;
          }
          if (i > 0) {
            out.append(", ");
          }
          out.append(entries.get(i).getKey()).append('=');
          append(out, entries.get(i).getValue(), depth + 1, maxElements);
        }
        out.append('}');
        return;
      default:
        return;
    }
  }
}
