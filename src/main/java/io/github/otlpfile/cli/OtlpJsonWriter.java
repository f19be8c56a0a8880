package io.github.otlpfile.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes {@code opentelemetry-proto} messages as OTLP/JSON, one request per line: the proto3 JSON
 * mapping with the OTLP rules on top — lowerCamelCase keys, trace and span ids as lowercase hex
 * (other bytes as base64), enums as integers, 64-bit integers as decimal strings, fields at their
 * default value left out (those with explicit presence, such as a histogram's {@code sum}, are
 * written when set). It works from the message's descriptor, so every field the message holds is
 * written, including those the SDK has no place for; unknown fields (of a newer proto) have no JSON
 * form and are not written.
 *
 * <p>Not thread-safe: one writer per output.
 */
final class OtlpJsonWriter implements Flushable, Closeable {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ConcurrentHashMap<Descriptor, Field[]> FIELDS = new ConcurrentHashMap<>();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final JsonGenerator generator;
  private char[] hexBuffer = new char[32];
  private long unknownFieldMessages;

  private OtlpJsonWriter(JsonGenerator generator, boolean terminalSafe) {
    this.generator = generator;
    // Lines are separated by the \n written after each request, not by a space.
    generator.setRootValueSeparator(null);
    if (terminalSafe) {
      generator.setCharacterEscapes(TerminalSafeEscapes.INSTANCE);
    }
  }

  /** A writer of UTF-8 to {@code out}, which it does not close. */
  static OtlpJsonWriter to(OutputStream out) throws IOException {
    JsonGenerator generator = FACTORY.createGenerator(out);
    generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return new OtlpJsonWriter(generator, false);
  }

  /**
   * A writer to {@code out}, which it does not close; with {@code terminalSafe}, characters a
   * terminal would act on (DEL, C1 controls, bidirectional and zero-width format characters) are
   * written as {@code \\u} escapes too, on top of those JSON always escapes.
   */
  static OtlpJsonWriter to(Writer out, boolean terminalSafe) throws IOException {
    JsonGenerator generator = FACTORY.createGenerator(out);
    generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return new OtlpJsonWriter(generator, terminalSafe);
  }

  /** Writes {@code request} as one line ending in {@code \n}. */
  void writeLine(Message request) throws IOException {
    writeMessage(request);
    generator.writeRaw('\n');
  }

  /** How many messages written had unknown fields, which OTLP/JSON cannot carry. */
  long getUnknownFieldMessages() {
    return unknownFieldMessages;
  }

  @Override
  public void flush() throws IOException {
    generator.flush();
  }

  @Override
  public void close() throws IOException {
    generator.close();
  }

  private void writeMessage(Message message) throws IOException {
    if (!message.getUnknownFields().asMap().isEmpty()) {
      unknownFieldMessages++;
    }
    generator.writeStartObject();
    for (Field field : fieldsOf(message.getDescriptorForType())) {
      FieldDescriptor fd = field.descriptor;
      if (fd.isRepeated()) {
        int count = message.getRepeatedFieldCount(fd);
        if (count == 0) {
          continue;
        }
        generator.writeFieldName(field.jsonName);
        generator.writeStartArray();
        for (int i = 0; i < count; i++) {
          writeValue(field, message.getRepeatedField(fd, i));
        }
        generator.writeEndArray();
      } else if (field.hasPresence) {
        if (message.hasField(fd)) {
          generator.writeFieldName(field.jsonName);
          writeValue(field, message.getField(fd));
        }
      } else {
        Object value = message.getField(fd);
        if (!isDefault(value)) {
          generator.writeFieldName(field.jsonName);
          writeValue(field, value);
        }
      }
    }
    generator.writeEndObject();
  }

  private static boolean isDefault(Object value) {
    if (value instanceof String) {
      return ((String) value).isEmpty();
    }
    if (value instanceof ByteString) {
      return ((ByteString) value).isEmpty();
    }
    if (value instanceof Long) {
      return (Long) value == 0L;
    }
    if (value instanceof Integer) {
      return (Integer) value == 0;
    }
    if (value instanceof Double) {
      // -0.0 is not the default: proto3 JSON writes it.
      return Double.doubleToRawLongBits((Double) value) == 0L;
    }
    if (value instanceof Float) {
      return Float.floatToRawIntBits((Float) value) == 0;
    }
    if (value instanceof Boolean) {
      return !(Boolean) value;
    }
    if (value instanceof EnumValueDescriptor) {
      return ((EnumValueDescriptor) value).getNumber() == 0;
    }
    return false;
  }

  private void writeValue(Field field, Object value) throws IOException {
    switch (field.descriptor.getJavaType()) {
      case MESSAGE:
        writeMessage((Message) value);
        return;
      case STRING:
        generator.writeString((String) value);
        return;
      case BOOLEAN:
        generator.writeBoolean((Boolean) value);
        return;
      case ENUM:
        generator.writeNumber(((EnumValueDescriptor) value).getNumber());
        return;
      case BYTE_STRING:
        ByteString bytes = (ByteString) value;
        if (field.hexId) {
          writeHex(bytes);
        } else {
          generator.writeString(Base64.getEncoder().encodeToString(bytes.toByteArray()));
        }
        return;
      case DOUBLE:
        writeDouble((Double) value);
        return;
      case FLOAT:
        writeDouble(((Float) value).doubleValue());
        return;
      case LONG:
        long l = (Long) value;
        generator.writeString(field.unsigned ? Long.toUnsignedString(l) : Long.toString(l));
        return;
      case INT:
        int i = (Integer) value;
        if (field.unsigned) {
          generator.writeNumber(Integer.toUnsignedLong(i));
        } else {
          generator.writeNumber(i);
        }
        return;
      default:
        throw new IllegalStateException("unexpected field type " + field.descriptor);
    }
  }

  private void writeDouble(double d) throws IOException {
    if (Double.isNaN(d)) {
      generator.writeString("NaN");
    } else if (Double.isInfinite(d)) {
      generator.writeString(d > 0 ? "Infinity" : "-Infinity");
    } else {
      generator.writeNumber(d);
    }
  }

  private void writeHex(ByteString bytes) throws IOException {
    int size = bytes.size();
    if (hexBuffer.length < size * 2) {
      hexBuffer = new char[size * 2];
    }
    for (int i = 0; i < size; i++) {
      int b = bytes.byteAt(i) & 0xff;
      hexBuffer[2 * i] = HEX[b >>> 4];
      hexBuffer[2 * i + 1] = HEX[b & 0xf];
    }
    generator.writeString(hexBuffer, 0, size * 2);
  }

  private static Field[] fieldsOf(Descriptor descriptor) {
    Field[] fields = FIELDS.get(descriptor);
    if (fields == null) {
      List<FieldDescriptor> list = descriptor.getFields();
      fields = new Field[list.size()];
      for (int i = 0; i < fields.length; i++) {
        fields[i] = new Field(list.get(i));
      }
      FIELDS.putIfAbsent(descriptor, fields);
    }
    return fields;
  }

  /** What writing a field needs, worked out once per field. */
  private static final class Field {
    final FieldDescriptor descriptor;
    final SerializedString jsonName;
    final boolean hasPresence;
    final boolean hexId;
    final boolean unsigned;

    Field(FieldDescriptor descriptor) {
      this.descriptor = descriptor;
      this.jsonName = new SerializedString(descriptor.getJsonName());
      this.hasPresence = descriptor.hasPresence();
      String name = descriptor.getName();
      this.hexId =
          descriptor.getType() == FieldDescriptor.Type.BYTES
              && (name.equals("trace_id")
                  || name.equals("span_id")
                  || name.equals("parent_span_id"));
      switch (descriptor.getType()) {
        case UINT64:
        case FIXED64:
        case UINT32:
        case FIXED32:
          this.unsigned = true;
          break;
        default:
          this.unsigned = false;
      }
    }
  }

  /** JSON's escapes plus those of the characters a terminal acts on. */
  static final class TerminalSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    static final TerminalSafeEscapes INSTANCE = new TerminalSafeEscapes();
    private final int[] ascii;

    private TerminalSafeEscapes() {
      ascii = standardAsciiEscapesForJSON();
      ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch < 0x10000 && !TerminalText.isSafe((char) ch)) {
        return new SerializedString(String.format("\\u%04x", ch));
      }
      return null;
    }
  }
}
