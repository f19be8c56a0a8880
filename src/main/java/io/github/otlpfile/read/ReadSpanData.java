package io.github.otlpfile.read;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.List;

/**
 * A span read from a file: an ended span. {@link #equals} compares every getter of {@link SpanData}
 * with those of any other implementation, so a span read back equals the SDK's original.
 *
 * <p>Immutable and thread-safe.
 */
final class ReadSpanData implements SpanData {
  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  private final String name;
  private final SpanKind kind;
  private final SpanContext spanContext;
  private final SpanContext parentSpanContext;
  private final StatusData status;
  private final long startEpochNanos;
  private final long endEpochNanos;
  private final Attributes attributes;
  private final int totalAttributeCount;
  private final List<EventData> events;
  private final int totalRecordedEvents;
  private final List<LinkData> links;
  private final int totalRecordedLinks;

  ReadSpanData(
      Resource resource,
      InstrumentationScopeInfo scope,
      String name,
      SpanKind kind,
      SpanContext spanContext,
      SpanContext parentSpanContext,
      StatusData status,
      long startEpochNanos,
      long endEpochNanos,
      Attributes attributes,
      int totalAttributeCount,
      List<EventData> events,
      int totalRecordedEvents,
      List<LinkData> links,
      int totalRecordedLinks) {
    this.resource = resource;
    this.scope = scope;
    this.name = name;
    this.kind = kind;
    this.spanContext = spanContext;
    this.parentSpanContext = parentSpanContext;
    this.status = status;
    this.startEpochNanos = startEpochNanos;
    this.endEpochNanos = endEpochNanos;
    this.attributes = attributes;
    this.totalAttributeCount = totalAttributeCount;
    this.events = events;
    this.totalRecordedEvents = totalRecordedEvents;
    this.links = links;
    this.totalRecordedLinks = totalRecordedLinks;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public SpanKind getKind() {
    return kind;
  }

  @Override
  public SpanContext getSpanContext() {
    return spanContext;
  }

  @Override
  public SpanContext getParentSpanContext() {
    return parentSpanContext;
  }

  @Override
  public StatusData getStatus() {
    return status;
  }

  @Override
  public long getStartEpochNanos() {
    return startEpochNanos;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public List<EventData> getEvents() {
    return events;
  }

  @Override
  public List<LinkData> getLinks() {
    return links;
  }

  @Override
  public long getEndEpochNanos() {
    return endEpochNanos;
  }

  /** Always {@code true}: only ended spans are exported. */
  @Override
  public boolean hasEnded() {
    return true;
  }

  @Override
  public int getTotalRecordedEvents() {
    return totalRecordedEvents;
  }

  @Override
  public int getTotalRecordedLinks() {
    return totalRecordedLinks;
  }

  @Override
  public int getTotalAttributeCount() {
    return totalAttributeCount;
  }

  @Override
  @Deprecated
  @SuppressWarnings("deprecation") // still part of the interface
  public io.opentelemetry.sdk.common.InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return io.opentelemetry.sdk.common.InstrumentationLibraryInfo.create(
        scope.getName(), scope.getVersion(), scope.getSchemaUrl());
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return scope;
  }

  @Override
  public Resource getResource() {
    return resource;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof SpanData)) {
      return false;
    }
    SpanData that = (SpanData) o;
    return name.equals(that.getName())
        && kind == that.getKind()
        && startEpochNanos == that.getStartEpochNanos()
        && endEpochNanos == that.getEndEpochNanos()
        && that.hasEnded()
        && totalAttributeCount == that.getTotalAttributeCount()
        && totalRecordedEvents == that.getTotalRecordedEvents()
        && totalRecordedLinks == that.getTotalRecordedLinks()
        && DataEquality.sameSpanContext(spanContext, that.getSpanContext())
        && DataEquality.sameSpanContext(parentSpanContext, that.getParentSpanContext())
        && DataEquality.sameStatus(status, that.getStatus())
        && DataEquality.sameAttributes(attributes, that.getAttributes())
        && DataEquality.sameEvents(events, that.getEvents())
        && DataEquality.sameLinks(links, that.getLinks())
        && scope.equals(that.getInstrumentationScopeInfo())
        && resource.equals(that.getResource());
  }

  @Override
  public int hashCode() {
    int h = name.hashCode();
    h = 31 * h + kind.hashCode();
    h = 31 * h + DataEquality.spanContextHash(spanContext);
    h = 31 * h + DataEquality.spanContextHash(parentSpanContext);
    h = 31 * h + DataEquality.statusHash(status);
    h = 31 * h + Long.hashCode(startEpochNanos);
    h = 31 * h + Long.hashCode(endEpochNanos);
    h = 31 * h + attributes.hashCode();
    h = 31 * h + totalAttributeCount;
    h = 31 * h + DataEquality.eventsHash(events);
    h = 31 * h + totalRecordedEvents;
    h = 31 * h + DataEquality.linksHash(links);
    h = 31 * h + totalRecordedLinks;
    h = 31 * h + scope.hashCode();
    return 31 * h + resource.hashCode();
  }

  @Override
  public String toString() {
    return "ReadSpanData{name="
        + name
        + ", kind="
        + kind
        + ", spanContext="
        + spanContext
        + ", parentSpanContext="
        + parentSpanContext
        + ", status="
        + status
        + ", startEpochNanos="
        + startEpochNanos
        + ", endEpochNanos="
        + endEpochNanos
        + ", attributes="
        + attributes
        + ", totalAttributeCount="
        + totalAttributeCount
        + ", events="
        + events
        + ", totalRecordedEvents="
        + totalRecordedEvents
        + ", links="
        + links
        + ", totalRecordedLinks="
        + totalRecordedLinks
        + ", instrumentationScopeInfo="
        + scope
        + ", resource="
        + resource
        + "}";
  }
}
