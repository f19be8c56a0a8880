package io.github.otlpfile.read;

import static io.github.otlpfile.read.OtlpJsonTestSupport.decode;
import static io.github.otlpfile.read.OtlpJsonTestSupport.jsonFormat;
import static io.github.otlpfile.read.OtlpJsonTestSupport.signalOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves that every field of every message reachable from the three requests is decoded: requests
 * with every field set (one oneof member at a time) are written as OTLP/JSON by a small
 * descriptor-driven writer, in each allowed form, and must decode to themselves.
 */
class OtlpJsonDecoderCoverageTest {
  private static final List<Message> REQUESTS =
      List.of(
          ExportTraceServiceRequest.getDefaultInstance(),
          ExportMetricsServiceRequest.getDefaultInstance(),
          ExportLogsServiceRequest.getDefaultInstance());

  /** Enough variants for every member of the largest oneof (AnyValue's eight). */
  private static final int VARIANTS = 8;

  private static final int MAX_DEPTH = 12;
  private static final Set<String> ID_FIELDS = Set.of("trace_id", "span_id", "parent_span_id");

  static Stream<Arguments> requests() {
    Stream.Builder<Arguments> arguments = Stream.builder();
    for (Message request : REQUESTS) {
      for (int variant = 0; variant < VARIANTS; variant++) {
        for (Form form : Form.values()) {
          arguments.add(Arguments.of(signalOf(request), variant, form));
        }
      }
    }
    return arguments.build();
  }

  @ParameterizedTest(name = "{0} variant {1} {2}")
  @MethodSource("requests")
  void aRequestWithEveryFieldSetDecodesToItself(OtlpSignal signal, int variant, Form form)
      throws Exception {
    Message request = populated(REQUESTS.get(signal.ordinal()), variant);
    String json = new Writer(form).write(request);

    assertThat(decode(json)).isEqualTo(request);
    // The writer is checked too: protobuf's own JSON parser reads the same request from it.
    assertThat(jsonFormat(json, signal)).isEqualTo(request);
  }

  @Test
  void theVariantsTogetherSetEveryFieldOfEveryReachableMessage() {
    Set<String> reachable = new TreeSet<>();
    for (Message request : REQUESTS) {
      Deque<Descriptor> pending = new ArrayDeque<>();
      Set<String> seen = new TreeSet<>();
      pending.add(request.getDescriptorForType());
      while (!pending.isEmpty()) {
        Descriptor type = pending.poll();
        if (!seen.add(type.getFullName())) {
          continue;
        }
        for (FieldDescriptor field : type.getFields()) {
          reachable.add(field.getFullName());
          if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            pending.add(field.getMessageType());
          }
        }
      }
    }
    Set<String> set = new TreeSet<>();
    for (Message request : REQUESTS) {
      for (int variant = 0; variant < VARIANTS; variant++) {
        collectSetFields(populated(request, variant), set);
      }
    }

    assertThat(reachable)
        .contains(
            "opentelemetry.proto.resource.v1.Resource.entity_refs",
            "opentelemetry.proto.common.v1.AnyValue.bytes_value",
            "opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.zero_threshold",
            "opentelemetry.proto.logs.v1.LogRecord.event_name");
    assertThat(set).isEqualTo(reachable);
  }

  private static void collectSetFields(Message message, Set<String> set) {
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      set.add(entry.getKey().getFullName());
      if (entry.getKey().getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        for (Object value : values(entry.getKey(), entry.getValue())) {
          collectSetFields((Message) value, set);
        }
      }
    }
  }

  private static List<?> values(FieldDescriptor field, Object value) {
    return field.isRepeated() ? (List<?>) value : List.of(value);
  }

  /** A request with every field set to a value other than its default, as far as depth allows. */
  static Message populated(Message prototype, int variant) {
    return populate(prototype.newBuilderForType(), variant, 0, new int[] {1});
  }

  private static Message populate(Message.Builder builder, int variant, int depth, int[] counter) {
    for (FieldDescriptor field : builder.getDescriptorForType().getFields()) {
      OneofDescriptor oneof = field.getRealContainingOneof();
      if (oneof != null && oneof.getField(variant % oneof.getFieldCount()) != field) {
        continue;
      }
      if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth >= MAX_DEPTH) {
        continue;
      }
      int count = field.isRepeated() ? 2 : 1;
      for (int i = 0; i < count; i++) {
        Object value = value(builder, field, variant, depth, counter);
        if (field.isRepeated()) {
          builder.addRepeatedField(field, value);
        } else {
          builder.setField(field, value);
        }
      }
    }
    return builder.build();
  }

  private static Object value(
      Message.Builder builder, FieldDescriptor field, int variant, int depth, int[] counter) {
    int n = counter[0]++;
    boolean odd = variant % 2 == 1;
    switch (field.getType()) {
      case MESSAGE:
        return populate(builder.newBuilderForField(field), variant, depth + 1, counter);
      case STRING:
        return odd ? "s" + n + " \u00fcn\u00efc\u00f6d\u00e9 \ud83d\ude00 \"q\" \\ \n\t" : "s" + n;
      case BOOL:
        return true;
      case INT32:
      case SINT32:
      case SFIXED32:
        return odd ? -n : n;
      case UINT32:
      case FIXED32:
        return odd ? 0xFFFFFFF0 + n % 8 : n;
      case INT64:
      case SINT64:
      case SFIXED64:
        return odd ? Long.MIN_VALUE + n : n * 1_000_000_007L;
      case UINT64:
      case FIXED64:
        // Odd variants: unsigned values above Long.MAX_VALUE.
        return odd ? -1L - n : 1_700_000_000_000_000_000L + n;
      case DOUBLE:
        switch (variant % 4) {
          case 0:
            return n + 0.25;
          case 1:
            return Double.NaN;
          case 2:
            return n % 2 == 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
          default:
            return -1e-300 * n;
        }
      case ENUM:
        if (variant % 3 == 2) {
          return field.getEnumType().findValueByNumberCreatingIfUnknown(70 + n % 10);
        }
        List<EnumValueDescriptor> values = field.getEnumType().getValues();
        return values.get(1 + n % (values.size() - 1));
      case BYTES:
        if (ID_FIELDS.contains(field.getName())) {
          byte[] id = new byte[field.getName().equals("trace_id") ? 16 : 8];
          for (int i = 0; i < id.length; i++) {
            id[i] = (byte) (n * 31 + i * 17 + 0xA0);
          }
          return ByteString.copyFrom(id);
        }
        byte[] bytes = new byte[1 + variant % 4];
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = (byte) (0xFB + n + i);
        }
        return ByteString.copyFrom(bytes);
      default:
        throw new AssertionError("OTLP has no field of type " + field.getType());
    }
  }

  /** The forms a valid OTLP/JSON writer may choose. */
  enum Form {
    /** What the OTLP specification asks for: lowerCamelCase, 64-bit ints as strings, enum ints. */
    SPECIFICATION(false, false, false, false),
    /** Proto field names, enum names, 64-bit ints as numbers, upper-case hex ids. */
    PROTO_NAMES_ENUM_NAMES_NUMBERS_UPPER_HEX(true, true, true, true),
    /** 32-bit ints and enums as strings, standard and URL-safe base64 without padding. */
    STRINGS_FOR_NUMBERS(false, false, false, true);

    final boolean protoNames;
    final boolean enumNames;
    final boolean int64AsNumbers;
    final boolean alternative;

    Form(boolean protoNames, boolean enumNames, boolean int64AsNumbers, boolean alternative) {
      this.protoNames = protoNames;
      this.enumNames = enumNames;
      this.int64AsNumbers = int64AsNumbers;
      this.alternative = alternative;
    }
  }

  /** Writes a message as OTLP/JSON, walking its descriptor. */
  static final class Writer {
    private final Form form;
    private final StringBuilder out = new StringBuilder();

    Writer(Form form) {
      this.form = form;
    }

    String write(Message message) {
      message(message);
      return out.toString();
    }

    private void message(Message message) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
        FieldDescriptor field = entry.getKey();
        if (!first) {
          out.append(',');
        }
        first = false;
        quote(form.protoNames ? field.getName() : field.getJsonName());
        out.append(':');
        if (field.isRepeated()) {
          out.append('[');
          List<?> values = (List<?>) entry.getValue();
          for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
              out.append(',');
            }
            value(field, values.get(i));
          }
          out.append(']');
        } else {
          value(field, entry.getValue());
        }
      }
      out.append('}');
    }

    private void value(FieldDescriptor field, Object value) {
      switch (field.getType()) {
        case MESSAGE:
          message((Message) value);
          break;
        case STRING:
          quote((String) value);
          break;
        case BOOL:
          out.append(form.alternative ? "\"true\"" : "true");
          break;
        case INT32:
        case SINT32:
        case SFIXED32:
          number32(Integer.toString((Integer) value));
          break;
        case UINT32:
        case FIXED32:
          number32(Integer.toUnsignedString((Integer) value));
          break;
        case INT64:
        case SINT64:
        case SFIXED64:
          number64(Long.toString((Long) value));
          break;
        case UINT64:
        case FIXED64:
          number64(Long.toUnsignedString((Long) value));
          break;
        case DOUBLE:
          double d = (Double) value;
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            quote(Double.toString(d));
          } else if (form.alternative) {
            quote(Double.toString(d));
          } else {
            out.append(d);
          }
          break;
        case ENUM:
          EnumValueDescriptor enumValue = (EnumValueDescriptor) value;
          boolean known = field.getEnumType().findValueByNumber(enumValue.getNumber()) != null;
          if (form.enumNames && known) {
            quote(enumValue.getName());
          } else {
            number32(Integer.toString(enumValue.getNumber()));
          }
          break;
        case BYTES:
          byte[] bytes = ((ByteString) value).toByteArray();
          if (ID_FIELDS.contains(field.getName())) {
            String hex = HexFormat.of().formatHex(bytes);
            quote(form.protoNames ? hex.toUpperCase(Locale.ROOT) : hex);
          } else if (form.alternative) {
            quote(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
          } else {
            quote(Base64.getEncoder().encodeToString(bytes));
          }
          break;
        default:
          throw new AssertionError(field.getType());
      }
    }

    private void number32(String digits) {
      if (form == Form.STRINGS_FOR_NUMBERS) {
        quote(digits);
      } else {
        out.append(digits);
      }
    }

    private void number64(String digits) {
      if (form.int64AsNumbers) {
        out.append(digits);
      } else {
        quote(digits);
      }
    }

    private void quote(String text) {
      out.append('"');
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '"' || c == '\\') {
          out.append('\\').append(c);
        } else if (c < 0x20) {
          out.append(String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
      out.append('"');
    }
  }
}
