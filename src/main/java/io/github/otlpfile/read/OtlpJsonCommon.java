package io.github.otlpfile.read;

import com.google.protobuf.Descriptors.Descriptor;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;

/**
 * Decodes the OTLP/JSON messages all three signals share: {@code Resource}, {@code
 * InstrumentationScope}, attributes and their values. Each method starts on the message's {@code {}
 * and ends on its {@code }}; field names are matched in both their lowerCamelCase and their proto
 * spelling, and unknown fields are skipped.
 */
final class OtlpJsonCommon {
  private OtlpJsonCommon() {}

  static Resource resource(OtlpJsonInput in) throws IOException, MalformedRecordException {
    in.startObject();
    Resource.Builder resource = Resource.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "attributes":
          in.startArray();
          while (in.nextElement()) {
            resource.addAttributes(keyValue(in));
          }
          break;
        case "droppedAttributesCount":
        case "dropped_attributes_count":
          resource.setDroppedAttributesCount(in.uint32());
          break;
        case "entityRefs":
        case "entity_refs":
          in.startArray();
          while (in.nextElement()) {
            resource.addEntityRefs(entityRef(in));
          }
          break;
        default:
          in.skipValue();
      }
    }
    return resource.build();
  }

  private static EntityRef entityRef(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    EntityRef.Builder ref = EntityRef.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "schemaUrl":
        case "schema_url":
          ref.setSchemaUrl(in.string());
          break;
        case "type":
          ref.setType(in.string());
          break;
        case "idKeys":
        case "id_keys":
          in.startArray();
          while (in.nextElement()) {
            ref.addIdKeys(in.string());
          }
          break;
        case "descriptionKeys":
        case "description_keys":
          in.startArray();
          while (in.nextElement()) {
            ref.addDescriptionKeys(in.string());
          }
          break;
        default:
          in.skipValue();
      }
    }
    return ref.build();
  }

  static InstrumentationScope scope(OtlpJsonInput in) throws IOException, MalformedRecordException {
    in.startObject();
    InstrumentationScope.Builder scope = InstrumentationScope.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "name":
          scope.setName(in.string());
          break;
        case "version":
          scope.setVersion(in.string());
          break;
        case "attributes":
          in.startArray();
          while (in.nextElement()) {
            scope.addAttributes(keyValue(in));
          }
          break;
        case "droppedAttributesCount":
        case "dropped_attributes_count":
          scope.setDroppedAttributesCount(in.uint32());
          break;
        default:
          in.skipValue();
      }
    }
    return scope.build();
  }

  static KeyValue keyValue(OtlpJsonInput in) throws IOException, MalformedRecordException {
    in.startObject();
    KeyValue.Builder keyValue = KeyValue.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "key":
          keyValue.setKey(in.string());
          break;
        case "value":
          keyValue.setValue(anyValue(in));
          break;
        case "keyStrindex":
        case "key_strindex":
          keyValue.setKeyStrindex(in.int32());
          break;
        default:
          in.skipValue();
      }
    }
    return keyValue.build();
  }

  /**
   * An {@code AnyValue}; {@code {}} is the empty value. Recursion through arrays and lists is
   * bounded by the parser's nesting limit, well before the stack is.
   */
  static AnyValue anyValue(OtlpJsonInput in) throws IOException, MalformedRecordException {
    in.startObject();
    AnyValue.Builder value = AnyValue.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "stringValue":
        case "string_value":
          oneValue(in, value, AnyValue.ValueCase.STRING_VALUE);
          value.setStringValue(in.string());
          break;
        case "boolValue":
        case "bool_value":
          oneValue(in, value, AnyValue.ValueCase.BOOL_VALUE);
          value.setBoolValue(in.bool());
          break;
        case "intValue":
        case "int_value":
          oneValue(in, value, AnyValue.ValueCase.INT_VALUE);
          value.setIntValue(in.int64());
          break;
        case "doubleValue":
        case "double_value":
          oneValue(in, value, AnyValue.ValueCase.DOUBLE_VALUE);
          value.setDoubleValue(in.dbl());
          break;
        case "arrayValue":
        case "array_value":
          oneValue(in, value, AnyValue.ValueCase.ARRAY_VALUE);
          value.setArrayValue(arrayValue(in));
          break;
        case "kvlistValue":
        case "kvlist_value":
          oneValue(in, value, AnyValue.ValueCase.KVLIST_VALUE);
          value.setKvlistValue(kvlistValue(in));
          break;
        case "bytesValue":
        case "bytes_value":
          oneValue(in, value, AnyValue.ValueCase.BYTES_VALUE);
          value.setBytesValue(in.base64());
          break;
        case "stringValueStrindex":
        case "string_value_strindex":
          oneValue(in, value, AnyValue.ValueCase.STRING_VALUE_STRINDEX);
          value.setStringValueStrindex(in.int32());
          break;
        default:
          in.skipValue();
      }
    }
    return value.build();
  }

  private static void oneValue(OtlpJsonInput in, AnyValue.Builder value, AnyValue.ValueCase next)
      throws MalformedRecordException {
    AnyValue.ValueCase current = value.getValueCase();
    if (current != AnyValue.ValueCase.VALUE_NOT_SET && current != next) {
      throw in.fail(
          "an AnyValue holds one value, but this one has "
              + jsonName(AnyValue.getDescriptor(), current.getNumber())
              + " and "
              + jsonName(AnyValue.getDescriptor(), next.getNumber()));
    }
  }

  /** The JSON name of a field, for a message: a oneof case carries the field's number. */
  static String jsonName(Descriptor type, int fieldNumber) {
    return type.findFieldByNumber(fieldNumber).getJsonName();
  }

  private static ArrayValue arrayValue(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    ArrayValue.Builder array = ArrayValue.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      if (name.equals("values")) {
        in.startArray();
        while (in.nextElement()) {
          array.addValues(anyValue(in));
        }
      } else {
        in.skipValue();
      }
    }
    return array.build();
  }

  private static KeyValueList kvlistValue(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    KeyValueList.Builder list = KeyValueList.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      if (name.equals("values")) {
        in.startArray();
        while (in.nextElement()) {
          list.addValues(keyValue(in));
        }
      } else {
        in.skipValue();
      }
    }
    return list.build();
  }
}
