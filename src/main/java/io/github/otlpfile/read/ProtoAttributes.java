package io.github.otlpfile.read;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Attributes and values from {@code opentelemetry-proto} key-values, for {@link ProtoToSdk}, whose
 * class comment says how each kind of value maps.
 *
 * <p>An instance serves one kind of attribute list (span, event, point ...) in one conversion and
 * remembers the keys it made by position: lists of one kind mostly have the same keys in the same
 * order (the SDK writes them sorted), and reusing a key spares making it and hashing its name, a
 * good part of mapping a freshly parsed message. Each position keeps its last two keys, for lists
 * that take turns (a span's events of two kinds). Instances are confined to the thread of their
 * conversion; the static methods are thread-safe.
 */
final class ProtoAttributes {
  private static final int KEY_POSITIONS = 32;
  private static final int MAX_RESOURCE_KEY_LENGTH = 255;

  // Two slots per position: the key made last there, then the one before.
  private final AttributeKey<?>[] keys = new AttributeKey<?>[2 * KEY_POSITIONS];

  /** The attributes of {@code list}, reusing the keys of earlier lists of this kind. */
  Attributes read(List<KeyValue> list) {
    return attributes(list, keys);
  }

  /** The attributes of a list that does not repeat within a conversion (a scope's). */
  static Attributes readOnce(List<KeyValue> list) {
    return attributes(list, null);
  }

  /**
   * The attributes of a resource, leaving out the keys that {@link Resource#create} rejects (longer
   * than 255 characters or not printable ASCII): it would throw, and the rest of the resource is
   * still worth having.
   */
  static Attributes readResource(List<KeyValue> list) {
    Object[] pairs = new Object[2 * list.size()];
    int n = 0;
    for (KeyValue kv : list) {
      if (isValidResourceKey(kv.getKey())) {
        setPair(pairs, 2 * n++, kv.getKey(), kv.getValue(), null, 0);
      }
    }
    return toAttributes(pairs, n);
  }

  private static boolean isValidResourceKey(String key) {
    if (key.length() > MAX_RESOURCE_KEY_LENGTH) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < ' ' || c > '~') {
        return false;
      }
    }
    return true;
  }

  private static Attributes attributes(List<KeyValue> list, AttributeKey<?>[] keys) {
    int n = list.size();
    if (n == 0) {
      return Attributes.empty();
    }
    Object[] pairs = new Object[2 * n];
    for (int i = 0; i < n; i++) {
      KeyValue kv = list.get(i);
      setPair(pairs, 2 * i, kv.getKey(), kv.getValue(), keys, i);
    }
    return toAttributes(pairs, n);
  }

  /**
   * The key {@code name} of a primitive {@code type}, reused from {@code keys} (or {@code null})
   * when it matches.
   */
  private static AttributeKey<?> key(
      AttributeKey<?>[] keys, int position, String name, AttributeType type) {
    int slot = 2 * position;
    boolean cached = keys != null && slot < keys.length;
    if (cached) {
      AttributeKey<?> first = keys[slot];
      if (first != null && first.getType() == type && first.getKey().equals(name)) {
        return first;
      }
      AttributeKey<?> second = keys[slot + 1];
      if (second != null && second.getType() == type && second.getKey().equals(name)) {
        keys[slot + 1] = first;
        keys[slot] = second;
        return second;
      }
    }
    AttributeKey<?> key;
    switch (type) {
      case STRING:
        key = AttributeKey.stringKey(name);
        break;
      case BOOLEAN:
        key = AttributeKey.booleanKey(name);
        break;
      case LONG:
        key = AttributeKey.longKey(name);
        break;
      default:
        key = AttributeKey.doubleKey(name);
        break;
    }
    if (cached) {
      keys[slot + 1] = keys[slot];
      keys[slot] = key;
    }
    return key;
  }

  /**
   * The attributes of the first {@code n} key-value pairs of {@code pairs}. Building attributes is
   * most of the cost of a mapping, so up to six pairs go through {@code Attributes.of}, which
   * spares the builder's growing list and its copy; both sort and drop duplicates (the last wins)
   * and empty keys the same way. The builder's one extra step, turning a {@code valueKey} with a
   * primitive or homogeneous array {@link Value} into the typed key, does not apply: such values
   * get typed keys here already.
   */
  @SuppressWarnings("unchecked")
  private static Attributes toAttributes(Object[] pairs, int n) {
    switch (n) {
      case 0:
        return Attributes.empty();
      case 1:
        return Attributes.of(key(pairs, 0), pairs[1]);
      case 2:
        return Attributes.of(key(pairs, 0), pairs[1], key(pairs, 2), pairs[3]);
      case 3:
        return Attributes.of(
            key(pairs, 0), pairs[1], key(pairs, 2), pairs[3], key(pairs, 4), pairs[5]);
      case 4:
        return Attributes.of(
            key(pairs, 0),
            pairs[1],
            key(pairs, 2),
            pairs[3],
            key(pairs, 4),
            pairs[5],
            key(pairs, 6),
            pairs[7]);
      case 5:
        return Attributes.of(
            key(pairs, 0),
            pairs[1],
            key(pairs, 2),
            pairs[3],
            key(pairs, 4),
            pairs[5],
            key(pairs, 6),
            pairs[7],
            key(pairs, 8),
            pairs[9]);
      case 6:
        return Attributes.of(
            key(pairs, 0),
            pairs[1],
            key(pairs, 2),
            pairs[3],
            key(pairs, 4),
            pairs[5],
            key(pairs, 6),
            pairs[7],
            key(pairs, 8),
            pairs[9],
            key(pairs, 10),
            pairs[11]);
      default:
        AttributesBuilder builder = Attributes.builder();
        for (int i = 0; i < 2 * n; i += 2) {
          builder.put(key(pairs, i), pairs[i + 1]);
        }
        return builder.build();
    }
  }

  @SuppressWarnings("unchecked")
  private static AttributeKey<Object> key(Object[] pairs, int index) {
    return (AttributeKey<Object>) pairs[index];
  }

  /**
   * Puts the attribute key and value for a proto key-value at {@code pairs[index]}; {@code keys}
   * and {@code position} as for {@link #key}.
   */
  private static void setPair(
      Object[] pairs, int index, String key, AnyValue value, AttributeKey<?>[] keys, int position) {
    AttributeKey<?> attributeKey;
    Object attributeValue;
    switch (value.getValueCase()) {
      case STRING_VALUE:
        attributeKey = key(keys, position, key, AttributeType.STRING);
        attributeValue = value.getStringValue();
        break;
      case BOOL_VALUE:
        attributeKey = key(keys, position, key, AttributeType.BOOLEAN);
        attributeValue = value.getBoolValue();
        break;
      case INT_VALUE:
        attributeKey = key(keys, position, key, AttributeType.LONG);
        attributeValue = value.getIntValue();
        break;
      case DOUBLE_VALUE:
        attributeKey = key(keys, position, key, AttributeType.DOUBLE);
        attributeValue = value.getDoubleValue();
        break;
      case ARRAY_VALUE:
        setArrayPair(pairs, index, key, value);
        return;
      default:
        attributeKey = AttributeKey.valueKey(key);
        attributeValue = value(value);
        break;
    }
    pairs[index] = attributeKey;
    pairs[index + 1] = attributeValue;
  }

  private static void setArrayPair(Object[] pairs, int index, String key, AnyValue value) {
    List<AnyValue> values = value.getArrayValue().getValuesList();
    int n = values.size();
    if (n == 0) {
      pairs[index] = AttributeKey.stringArrayKey(key);
      pairs[index + 1] = Collections.<String>emptyList();
      return;
    }
    AnyValue.ValueCase type = values.get(0).getValueCase();
    for (int i = 1; i < n; i++) {
      if (values.get(i).getValueCase() != type) {
        type = AnyValue.ValueCase.VALUE_NOT_SET; // mixed
        break;
      }
    }
    switch (type) {
      case STRING_VALUE:
        {
          List<String> list = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            list.add(values.get(i).getStringValue());
          }
          pairs[index] = AttributeKey.stringArrayKey(key);
          pairs[index + 1] = Collections.unmodifiableList(list);
          return;
        }
      case BOOL_VALUE:
        {
          List<Boolean> list = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            list.add(values.get(i).getBoolValue());
          }
          pairs[index] = AttributeKey.booleanArrayKey(key);
          pairs[index + 1] = Collections.unmodifiableList(list);
          return;
        }
      case INT_VALUE:
        {
          List<Long> list = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            list.add(values.get(i).getIntValue());
          }
          pairs[index] = AttributeKey.longArrayKey(key);
          pairs[index + 1] = Collections.unmodifiableList(list);
          return;
        }
      case DOUBLE_VALUE:
        {
          List<Double> list = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            list.add(values.get(i).getDoubleValue());
          }
          pairs[index] = AttributeKey.doubleArrayKey(key);
          pairs[index + 1] = Collections.unmodifiableList(list);
          return;
        }
      default:
        // Mixed, nested, or arrays of maps, bytes or empty values.
        pairs[index] = AttributeKey.valueKey(key);
        pairs[index + 1] = value(value);
        return;
    }
  }

  /** Any proto value as an API {@link Value}; protobuf's nesting limit bounds the recursion. */
  static Value<?> value(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return Value.of(value.getStringValue());
      case BOOL_VALUE:
        return Value.of(value.getBoolValue());
      case INT_VALUE:
        return Value.of(value.getIntValue());
      case DOUBLE_VALUE:
        return Value.of(value.getDoubleValue());
      case ARRAY_VALUE:
        {
          ArrayValue array = value.getArrayValue();
          List<Value<?>> values = new ArrayList<>(array.getValuesCount());
          for (AnyValue v : array.getValuesList()) {
            values.add(value(v));
          }
          return Value.of(values);
        }
      case KVLIST_VALUE:
        {
          List<KeyValue> list = value.getKvlistValue().getValuesList();
          io.opentelemetry.api.common.KeyValue[] kvs =
              new io.opentelemetry.api.common.KeyValue[list.size()];
          for (int i = 0; i < kvs.length; i++) {
            KeyValue kv = list.get(i);
            kvs[i] = io.opentelemetry.api.common.KeyValue.of(kv.getKey(), value(kv.getValue()));
          }
          return Value.of(kvs);
        }
      case BYTES_VALUE:
        return Value.of(value.getBytesValue().toByteArray());
      default:
        // VALUE_NOT_SET, and STRING_VALUE_STRINDEX, an index into a profiles string table that
        // other signals do not have.
        return Value.empty();
    }
  }
}
