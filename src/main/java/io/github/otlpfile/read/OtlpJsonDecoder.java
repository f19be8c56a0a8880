package io.github.otlpfile.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;

/**
 * Decodes one OTLP/JSON record into its {@code Export*ServiceRequest}, straight from Jackson's
 * streaming parser into the generated builders, with no tree of the record in between.
 *
 * <p>Reads what the OTLP specification's JSON encoding allows, and what proto3 JSON adds to it:
 * lowerCamelCase or proto field names, hex trace and span ids in any case, 64-bit integers as
 * strings or numbers, enums as integers or names, {@code null} for an absent field, unknown fields
 * skipped. Thread safe: it keeps no state between calls.
 */
final class OtlpJsonDecoder {
  /**
   * Deep enough for any OTLP message with about 25 levels of nested attribute values inside it,
   * shallow enough that the recursive descent never nears the end of a thread's stack.
   */
  static final int MAX_NESTING_DEPTH = 128;

  private static final int MAX_REASON_CHARS = 200;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          // Field names are a small fixed set: canonical Strings from the parser's symbol table,
          // but not String.intern()ed, since unknown names come from the input.
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  .maxNumberLength(OtlpJsonInput.MAX_NUMBER_LENGTH)
                  // The caller bounds the record; a long string in a long record is legitimate.
                  .maxStringLength(Integer.MAX_VALUE)
                  .build())
          .build();

  private static final EnumDescriptor SPAN_KIND = Span.SpanKind.getDescriptor();
  private static final EnumDescriptor STATUS_CODE = Status.StatusCode.getDescriptor();
  private static final EnumDescriptor SEVERITY_NUMBER = SeverityNumber.getDescriptor();

  private OtlpJsonDecoder() {}

  /**
   * Decodes one OTLP/JSON record (one line, without its line end).
   *
   * <p>The record's own key ({@code resourceSpans}, {@code resourceMetrics} or {@code
   * resourceLogs}) decides which request comes back, whatever {@code expected} says: the caller
   * compares. {@code expected}, which may be null, only names the request to return for a record
   * without such a key (or with a {@code null} one), such as {@code {}}; for that record and a null
   * {@code expected} the result is {@code null}.
   *
   * @throws MalformedRecordException if the bytes are not one OTLP/JSON request; nothing else is
   *     thrown for any content
   */
  static Message decode(byte[] buffer, int offset, int length, OtlpSignal expected)
      throws MalformedRecordException {
    if (offset < 0 || length < 0 || offset > buffer.length - length) {
      throw new IndexOutOfBoundsException(
          "offset " + offset + " and length " + length + " outside " + buffer.length + " bytes");
    }
    // A UTF-8 byte order mark is tolerated; Jackson would otherwise guess UTF-16 or UTF-32 from
    // zero bytes, which OTLP/JSON (UTF-8, and never a raw zero byte) cannot hold.
    if (length >= 3
        && buffer[offset] == (byte) 0xEF
        && buffer[offset + 1] == (byte) 0xBB
        && buffer[offset + 2] == (byte) 0xBF) {
      offset += 3;
      length -= 3;
    }
    for (int i = offset; i < offset + Math.min(length, 4); i++) {
      if (buffer[i] == 0 || buffer[i] == (byte) 0xFE || buffer[i] == (byte) 0xFF) {
        throw new MalformedRecordException(
            "at line column " + (i - offset + 1) + ": not UTF-8 JSON");
      }
    }
    JsonParser parser = null;
    try {
      parser = JSON.createParser(buffer, offset, length);
      return record(parser, expected);
    } catch (JsonProcessingException e) {
      throw new MalformedRecordException(syntaxFault(e, parser), e);
    } catch (IOException | RuntimeException e) {
      // Nothing else should fail on bad input; if something does, it is still a bad record.
      StringBuilder message =
          new StringBuilder("at ").append(where(parser)).append(": cannot decode the record: ");
      OtlpJsonInput.appendPrintable(message, e.toString(), MAX_REASON_CHARS);
      throw new MalformedRecordException(message.toString(), e);
    } finally {
      if (parser != null) {
        try {
          parser.close();
        } catch (IOException e) {
          // A byte array source has nothing to release.
        }
      }
    }
  }

  private static Message record(JsonParser parser, OtlpSignal expected)
      throws IOException, MalformedRecordException {
    OtlpJsonInput in = new OtlpJsonInput(parser);
    JsonToken first = parser.nextToken();
    if (first == null) {
      throw in.fail("the record is empty");
    }
    in.startObject();
    OtlpSignal signal = null;
    ExportTraceServiceRequest.Builder traces = null;
    ExportMetricsServiceRequest.Builder metrics = null;
    ExportLogsServiceRequest.Builder logs = null;
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "resourceSpans":
        case "resource_spans":
          signal = oneSignal(in, signal, OtlpSignal.TRACES, name);
          if (traces == null) {
            traces = ExportTraceServiceRequest.newBuilder();
          }
          in.startArray();
          while (in.nextElement()) {
            traces.addResourceSpans(resourceSpans(in));
          }
          break;
        case "resourceMetrics":
        case "resource_metrics":
          signal = oneSignal(in, signal, OtlpSignal.METRICS, name);
          if (metrics == null) {
            metrics = ExportMetricsServiceRequest.newBuilder();
          }
          in.startArray();
          while (in.nextElement()) {
            metrics.addResourceMetrics(OtlpJsonMetrics.resourceMetrics(in));
          }
          break;
        case "resourceLogs":
        case "resource_logs":
          signal = oneSignal(in, signal, OtlpSignal.LOGS, name);
          if (logs == null) {
            logs = ExportLogsServiceRequest.newBuilder();
          }
          in.startArray();
          while (in.nextElement()) {
            logs.addResourceLogs(resourceLogs(in));
          }
          break;
        default:
          in.skipValue();
      }
    }
    if (parser.nextToken() != null) {
      throw in.fail("more after the record's JSON object");
    }
    if (signal == null) {
      signal = expected;
    }
    if (signal == null) {
      return null;
    }
    switch (signal) {
      case TRACES:
        return traces == null ? ExportTraceServiceRequest.getDefaultInstance() : traces.build();
      case METRICS:
        return metrics == null ? ExportMetricsServiceRequest.getDefaultInstance() : metrics.build();
      default:
        return logs == null ? ExportLogsServiceRequest.getDefaultInstance() : logs.build();
    }
  }

  private static OtlpSignal oneSignal(
      OtlpJsonInput in, OtlpSignal found, OtlpSignal next, String key)
      throws MalformedRecordException {
    if (found != null && found != next) {
      throw in.fail(
          "a record holds one signal, but this one has "
              + found.getDirectoryName()
              + " and "
              + next.getDirectoryName()
              + " ("
              + key
              + ")");
    }
    return next;
  }

  private static String syntaxFault(JsonProcessingException e, JsonParser parser) {
    StringBuilder message = new StringBuilder("at ");
    String path = where(parser);
    if (!path.equals("the top level")) {
      message.append(path).append(", ");
    }
    JsonLocation location = e.getLocation();
    if (location != null && location.getByteOffset() >= 0) {
      message.append("line column ").append(location.getByteOffset() + 1);
    } else if (location != null && location.getColumnNr() > 0) {
      message.append("line column ").append(location.getColumnNr());
    } else {
      message.setLength(message.length() - 2);
    }
    message.append(": ");
    if (e instanceof JsonEOFException) {
      message.append("unexpected end of input");
    } else {
      String reason = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
      int end = reason.indexOf('\n');
      OtlpJsonInput.appendPrintable(
          message, end < 0 ? reason : reason.substring(0, end), MAX_REASON_CHARS);
    }
    return message.toString();
  }

  private static String where(JsonParser parser) {
    return parser == null ? "the top level" : OtlpJsonInput.path(parser.getParsingContext());
  }

  // Traces

  private static ResourceSpans resourceSpans(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "resource":
          resourceSpans.setResource(OtlpJsonCommon.resource(in));
          break;
        case "scopeSpans":
        case "scope_spans":
          in.startArray();
          while (in.nextElement()) {
            resourceSpans.addScopeSpans(scopeSpans(in));
          }
          break;
        case "schemaUrl":
        case "schema_url":
          resourceSpans.setSchemaUrl(in.string());
          break;
        default:
          in.skipValue();
      }
    }
    return resourceSpans.build();
  }

  private static ScopeSpans scopeSpans(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    ScopeSpans.Builder scopeSpans = ScopeSpans.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "scope":
          scopeSpans.setScope(OtlpJsonCommon.scope(in));
          break;
        case "spans":
          in.startArray();
          while (in.nextElement()) {
            scopeSpans.addSpans(span(in));
          }
          break;
        case "schemaUrl":
        case "schema_url":
          scopeSpans.setSchemaUrl(in.string());
          break;
        default:
          in.skipValue();
      }
    }
    return scopeSpans.build();
  }

  private static Span span(OtlpJsonInput in) throws IOException, MalformedRecordException {
    in.startObject();
    Span.Builder span = Span.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "traceId":
        case "trace_id":
          span.setTraceId(in.traceId());
          break;
        case "spanId":
        case "span_id":
          span.setSpanId(in.spanId());
          break;
        case "traceState":
        case "trace_state":
          span.setTraceState(in.string());
          break;
        case "parentSpanId":
        case "parent_span_id":
          span.setParentSpanId(in.spanId());
          break;
        case "flags":
          span.setFlags(in.uint32());
          break;
        case "name":
          span.setName(in.string());
          break;
        case "kind":
          span.setKindValue(in.enumNumber(SPAN_KIND));
          break;
        case "startTimeUnixNano":
        case "start_time_unix_nano":
          span.setStartTimeUnixNano(in.uint64());
          break;
        case "endTimeUnixNano":
        case "end_time_unix_nano":
          span.setEndTimeUnixNano(in.uint64());
          break;
        case "attributes":
          in.startArray();
          while (in.nextElement()) {
            span.addAttributes(OtlpJsonCommon.keyValue(in));
          }
          break;
        case "droppedAttributesCount":
        case "dropped_attributes_count":
          span.setDroppedAttributesCount(in.uint32());
          break;
        case "events":
          in.startArray();
          while (in.nextElement()) {
            span.addEvents(event(in));
          }
          break;
        case "droppedEventsCount":
        case "dropped_events_count":
          span.setDroppedEventsCount(in.uint32());
          break;
        case "links":
          in.startArray();
          while (in.nextElement()) {
            span.addLinks(link(in));
          }
          break;
        case "droppedLinksCount":
        case "dropped_links_count":
          span.setDroppedLinksCount(in.uint32());
          break;
        case "status":
          span.setStatus(status(in));
          break;
        default:
          in.skipValue();
      }
    }
    return span.build();
  }

  private static Span.Event event(OtlpJsonInput in) throws IOException, MalformedRecordException {
    in.startObject();
    Span.Event.Builder event = Span.Event.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "timeUnixNano":
        case "time_unix_nano":
          event.setTimeUnixNano(in.uint64());
          break;
        case "name":
          event.setName(in.string());
          break;
        case "attributes":
          in.startArray();
          while (in.nextElement()) {
            event.addAttributes(OtlpJsonCommon.keyValue(in));
          }
          break;
        case "droppedAttributesCount":
        case "dropped_attributes_count":
          event.setDroppedAttributesCount(in.uint32());
          break;
        default:
          in.skipValue();
      }
    }
    return event.build();
  }

  private static Span.Link link(OtlpJsonInput in) throws IOException, MalformedRecordException {
    in.startObject();
    Span.Link.Builder link = Span.Link.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "traceId":
        case "trace_id":
          link.setTraceId(in.traceId());
          break;
        case "spanId":
        case "span_id":
          link.setSpanId(in.spanId());
          break;
        case "traceState":
        case "trace_state":
          link.setTraceState(in.string());
          break;
        case "attributes":
          in.startArray();
          while (in.nextElement()) {
            link.addAttributes(OtlpJsonCommon.keyValue(in));
          }
          break;
        case "droppedAttributesCount":
        case "dropped_attributes_count":
          link.setDroppedAttributesCount(in.uint32());
          break;
        case "flags":
          link.setFlags(in.uint32());
          break;
        default:
          in.skipValue();
      }
    }
    return link.build();
  }

  private static Status status(OtlpJsonInput in) throws IOException, MalformedRecordException {
    in.startObject();
    Status.Builder status = Status.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "message":
          status.setMessage(in.string());
          break;
        case "code":
          status.setCodeValue(in.enumNumber(STATUS_CODE));
          break;
        default:
          in.skipValue();
      }
    }
    return status.build();
  }

  // Logs

  private static ResourceLogs resourceLogs(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    ResourceLogs.Builder resourceLogs = ResourceLogs.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "resource":
          resourceLogs.setResource(OtlpJsonCommon.resource(in));
          break;
        case "scopeLogs":
        case "scope_logs":
          in.startArray();
          while (in.nextElement()) {
            resourceLogs.addScopeLogs(scopeLogs(in));
          }
          break;
        case "schemaUrl":
        case "schema_url":
          resourceLogs.setSchemaUrl(in.string());
          break;
        default:
          in.skipValue();
      }
    }
    return resourceLogs.build();
  }

  private static ScopeLogs scopeLogs(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    ScopeLogs.Builder scopeLogs = ScopeLogs.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "scope":
          scopeLogs.setScope(OtlpJsonCommon.scope(in));
          break;
        case "logRecords":
        case "log_records":
          in.startArray();
          while (in.nextElement()) {
            scopeLogs.addLogRecords(logRecord(in));
          }
          break;
        case "schemaUrl":
        case "schema_url":
          scopeLogs.setSchemaUrl(in.string());
          break;
        default:
          in.skipValue();
      }
    }
    return scopeLogs.build();
  }

  private static LogRecord logRecord(OtlpJsonInput in)
      throws IOException, MalformedRecordException {
    in.startObject();
    LogRecord.Builder log = LogRecord.newBuilder();
    String name;
    while ((name = in.nextField()) != null) {
      switch (name) {
        case "timeUnixNano":
        case "time_unix_nano":
          log.setTimeUnixNano(in.uint64());
          break;
        case "observedTimeUnixNano":
        case "observed_time_unix_nano":
          log.setObservedTimeUnixNano(in.uint64());
          break;
        case "severityNumber":
        case "severity_number":
          log.setSeverityNumberValue(in.enumNumber(SEVERITY_NUMBER));
          break;
        case "severityText":
        case "severity_text":
          log.setSeverityText(in.string());
          break;
        case "body":
          log.setBody(OtlpJsonCommon.anyValue(in));
          break;
        case "attributes":
          in.startArray();
          while (in.nextElement()) {
            log.addAttributes(OtlpJsonCommon.keyValue(in));
          }
          break;
        case "droppedAttributesCount":
        case "dropped_attributes_count":
          log.setDroppedAttributesCount(in.uint32());
          break;
        case "flags":
          log.setFlags(in.uint32());
          break;
        case "traceId":
        case "trace_id":
          log.setTraceId(in.traceId());
          break;
        case "spanId":
        case "span_id":
          log.setSpanId(in.spanId());
          break;
        case "eventName":
        case "event_name":
          log.setEventName(in.string());
          break;
        default:
          in.skipValue();
      }
    }
    return log.build();
  }
}
