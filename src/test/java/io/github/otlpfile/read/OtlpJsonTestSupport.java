package io.github.otlpfile.read;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the test corpus, and decodes OTLP/JSON a second, independent way to compare with. */
final class OtlpJsonTestSupport {
  private static final Set<String> HEX_ID_KEYS =
      Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");

  private OtlpJsonTestSupport() {}

  /** The lines of {@code src/test/resources/otlp-json/<file>}. */
  static List<String> corpus(String file) {
    try (InputStream in = OtlpJsonTestSupport.class.getResourceAsStream("/otlp-json/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no corpus file " + file);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
      if (lines.get(lines.size() - 1).isEmpty()) {
        lines.remove(lines.size() - 1);
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Message decode(String line) throws MalformedRecordException {
    return decode(line, null);
  }

  static Message decode(String line, OtlpSignal expected) throws MalformedRecordException {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return OtlpJsonDecoder.decode(bytes, 0, bytes.length, expected);
  }

  static ExportTraceServiceRequest traces(String line) throws MalformedRecordException {
    return (ExportTraceServiceRequest) decode(line, OtlpSignal.TRACES);
  }

  static ExportMetricsServiceRequest metrics(String line) throws MalformedRecordException {
    return (ExportMetricsServiceRequest) decode(line, OtlpSignal.METRICS);
  }

  static ExportLogsServiceRequest logs(String line) throws MalformedRecordException {
    return (ExportLogsServiceRequest) decode(line, OtlpSignal.LOGS);
  }

  static OtlpSignal signalOf(Message message) {
    if (message instanceof ExportTraceServiceRequest) {
      return OtlpSignal.TRACES;
    }
    if (message instanceof ExportMetricsServiceRequest) {
      return OtlpSignal.METRICS;
    }
    return OtlpSignal.LOGS;
  }

  /**
   * Decodes {@code line} with protobuf-java-util's {@link JsonFormat}, after rewriting its hex ids
   * as the base64 that proto3 JSON expects: a decoder written independently of ours.
   */
  static Message jsonFormat(String line, OtlpSignal signal) throws InvalidProtocolBufferException {
    Message.Builder builder;
    switch (signal) {
      case TRACES:
        builder = ExportTraceServiceRequest.newBuilder();
        break;
      case METRICS:
        builder = ExportMetricsServiceRequest.newBuilder();
        break;
      default:
        builder = ExportLogsServiceRequest.newBuilder();
    }
    JsonFormat.parser().ignoringUnknownFields().merge(hexIdsToBase64(line), builder);
    return builder.build();
  }

  /** Rewrites every hex id value (a key named like an id, a string of hex digits) as base64. */
  static String hexIdsToBase64(String json) {
    JsonElement root = JsonParser.parseString(json);
    rewriteIds(root);
    return root.toString();
  }

  private static void rewriteIds(JsonElement element) {
    if (element.isJsonObject()) {
      JsonObject object = element.getAsJsonObject();
      for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
        JsonElement value = entry.getValue();
        if (HEX_ID_KEYS.contains(entry.getKey())
            && value.isJsonPrimitive()
            && value.getAsJsonPrimitive().isString()
            && value.getAsString().matches("([0-9a-fA-F]{2})*")) {
          byte[] id = HexFormat.of().parseHex(value.getAsString());
          entry.setValue(new JsonPrimitive(Base64.getEncoder().encodeToString(id)));
        } else {
          rewriteIds(value);
        }
      }
    } else if (element.isJsonArray()) {
      for (JsonElement child : element.getAsJsonArray()) {
        rewriteIds(child);
      }
    }
  }
}
