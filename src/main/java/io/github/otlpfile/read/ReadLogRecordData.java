package io.github.otlpfile.read;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Objects;

/**
 * A log record read from a file. {@link #equals} compares every getter of {@link LogRecordData}
 * with those of any other implementation, so a record read back equals the SDK's original.
 *
 * <p>Immutable and thread-safe.
 */
final class ReadLogRecordData implements LogRecordData {
  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  private final long timestampEpochNanos;
  private final long observedTimestampEpochNanos;
  private final SpanContext spanContext;
  private final Severity severity;
  private final String severityText; // null when the file has none
  private final Value<?> bodyValue; // null when the record has no body
  private final Attributes attributes;
  private final int totalAttributeCount;
  private final String eventName; // null when the file has none

  ReadLogRecordData(
      Resource resource,
      InstrumentationScopeInfo scope,
      long timestampEpochNanos,
      long observedTimestampEpochNanos,
      SpanContext spanContext,
      Severity severity,
      String severityText,
      Value<?> bodyValue,
      Attributes attributes,
      int totalAttributeCount,
      String eventName) {
    this.resource = resource;
    this.scope = scope;
    this.timestampEpochNanos = timestampEpochNanos;
    this.observedTimestampEpochNanos = observedTimestampEpochNanos;
    this.spanContext = spanContext;
    this.severity = severity;
    this.severityText = severityText;
    this.bodyValue = bodyValue;
    this.attributes = attributes;
    this.totalAttributeCount = totalAttributeCount;
    this.eventName = eventName;
  }

  @Override
  public Resource getResource() {
    return resource;
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return scope;
  }

  @Override
  public long getTimestampEpochNanos() {
    return timestampEpochNanos;
  }

  @Override
  public long getObservedTimestampEpochNanos() {
    return observedTimestampEpochNanos;
  }

  @Override
  public SpanContext getSpanContext() {
    return spanContext;
  }

  @Override
  public Severity getSeverity() {
    return severity;
  }

  @Override
  public String getSeverityText() {
    return severityText;
  }

  /**
   * The body as a string, as the SDK's own log record data gives it: {@code Body.empty()} without a
   * body, else {@code Body.string} of {@link Value#asString()} (for any type of body).
   */
  @Override
  @Deprecated
  @SuppressWarnings("deprecation") // Body is deprecated, and still part of the interface
  public io.opentelemetry.sdk.logs.data.Body getBody() {
    return bodyValue == null
        ? io.opentelemetry.sdk.logs.data.Body.empty()
        : io.opentelemetry.sdk.logs.data.Body.string(bodyValue.asString());
  }

  @Override
  public Value<?> getBodyValue() {
    return bodyValue;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public int getTotalAttributeCount() {
    return totalAttributeCount;
  }

  @Override
  public String getEventName() {
    return eventName;
  }

  @Override
  @SuppressWarnings("deprecation") // getBody() is part of the interface both SDK versions have
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof LogRecordData)) {
      return false;
    }
    LogRecordData that = (LogRecordData) o;
    return timestampEpochNanos == that.getTimestampEpochNanos()
        && observedTimestampEpochNanos == that.getObservedTimestampEpochNanos()
        && severity == that.getSeverity()
        && totalAttributeCount == that.getTotalAttributeCount()
        && Objects.equals(severityText, that.getSeverityText())
        && Objects.equals(eventName, that.getEventName())
        && Objects.equals(bodyValue, that.getBodyValue())
        && sameBody(getBody(), that.getBody())
        && DataEquality.sameSpanContext(spanContext, that.getSpanContext())
        && DataEquality.sameAttributes(attributes, that.getAttributes())
        && scope.equals(that.getInstrumentationScopeInfo())
        && resource.equals(that.getResource());
  }

  @SuppressWarnings("deprecation") // Body is deprecated, and still part of the interface
  private static boolean sameBody(
      io.opentelemetry.sdk.logs.data.Body a, io.opentelemetry.sdk.logs.data.Body b) {
    return a.getType() == b.getType() && a.asString().equals(b.asString());
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(timestampEpochNanos);
    h = 31 * h + Long.hashCode(observedTimestampEpochNanos);
    h = 31 * h + severity.hashCode();
    h = 31 * h + totalAttributeCount;
    h = 31 * h + Objects.hashCode(severityText);
    h = 31 * h + Objects.hashCode(eventName);
    h = 31 * h + Objects.hashCode(bodyValue);
    h = 31 * h + DataEquality.spanContextHash(spanContext);
    h = 31 * h + attributes.hashCode();
    h = 31 * h + scope.hashCode();
    return 31 * h + resource.hashCode();
  }

  @Override
  public String toString() {
    return "ReadLogRecordData{timestampEpochNanos="
        + timestampEpochNanos
        + ", observedTimestampEpochNanos="
        + observedTimestampEpochNanos
        + ", spanContext="
        + spanContext
        + ", severity="
        + severity
        + ", severityText="
        + severityText
        + ", eventName="
        + eventName
        + ", bodyValue="
        + bodyValue
        + ", attributes="
        + attributes
        + ", totalAttributeCount="
        + totalAttributeCount
        + ", instrumentationScopeInfo="
        + scope
        + ", resource="
        + resource
        + "}";
  }
}
