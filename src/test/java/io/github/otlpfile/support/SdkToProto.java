package io.github.otlpfile.support;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;

/**
 * Builds, from the SDK's own data, the OTLP proto messages that a correct exporter must write, as
 * the OTLP specification and {@code opentelemetry-proto} define them. Written by hand from the
 * proto definitions, so that the comparison does not trust the marshalers under test.
 *
 * <p>Repeated fields whose order carries no meaning (attributes, data points) are sorted, and
 * {@link #normalize} sorts messages read from files the same way, so that equal content compares
 * equal.
 */
public final class SdkToProto {
  // trace.proto SpanFlags: bits 8 and 9 say whether the parent (or linked) context is remote.
  private static final int CONTEXT_HAS_IS_REMOTE = 0x100;
  private static final int CONTEXT_IS_REMOTE = 0x200;

  private SdkToProto() {}

  // ---- common

  public static Resource resource(io.opentelemetry.sdk.resources.Resource resource) {
    return Resource.newBuilder().addAllAttributes(attributes(resource.getAttributes())).build();
  }

  public static String schemaUrl(io.opentelemetry.sdk.resources.Resource resource) {
    return resource.getSchemaUrl() == null ? "" : resource.getSchemaUrl();
  }

  public static InstrumentationScope scope(InstrumentationScopeInfo scope) {
    return InstrumentationScope.newBuilder()
        .setName(scope.getName())
        .setVersion(scope.getVersion() == null ? "" : scope.getVersion())
        .addAllAttributes(attributes(scope.getAttributes()))
        .build();
  }

  public static String schemaUrl(InstrumentationScopeInfo scope) {
    return scope.getSchemaUrl() == null ? "" : scope.getSchemaUrl();
  }

  /** Attributes as OTLP key-values, sorted by key. */
  public static List<io.opentelemetry.proto.common.v1.KeyValue> attributes(Attributes attributes) {
    List<io.opentelemetry.proto.common.v1.KeyValue> keyValues = new ArrayList<>();
    attributes.forEach(
        (key, value) ->
            keyValues.add(
                io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                    .setKey(key.getKey())
                    .setValue(attributeValue(key, value))
                    .build()));
    return sortedByKey(keyValues);
  }

  private static AnyValue attributeValue(AttributeKey<?> key, Object value) {
    switch (key.getType()) {
      case STRING:
        return AnyValue.newBuilder().setStringValue((String) value).build();
      case BOOLEAN:
        return AnyValue.newBuilder().setBoolValue((Boolean) value).build();
      case LONG:
        return AnyValue.newBuilder().setIntValue((Long) value).build();
      case DOUBLE:
        return AnyValue.newBuilder().setDoubleValue((Double) value).build();
      case STRING_ARRAY:
      case BOOLEAN_ARRAY:
      case LONG_ARRAY:
      case DOUBLE_ARRAY:
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (Object item : (List<?>) value) {
          array.addValues(scalar(item));
        }
        return AnyValue.newBuilder().setArrayValue(array).build();
      default:
        return anyValue((Value<?>) value);
    }
  }

  private static AnyValue scalar(Object item) {
    if (item instanceof String) {
      return AnyValue.newBuilder().setStringValue((String) item).build();
    } else if (item instanceof Boolean) {
      return AnyValue.newBuilder().setBoolValue((Boolean) item).build();
    } else if (item instanceof Long) {
      return AnyValue.newBuilder().setIntValue((Long) item).build();
    }
    return AnyValue.newBuilder().setDoubleValue((Double) item).build();
  }

  /** An API {@link Value} (a log body, a complex attribute) as an OTLP AnyValue. */
  public static AnyValue anyValue(Value<?> value) {
    Object v = value.getValue();
    switch (value.getType()) {
      case STRING:
        return AnyValue.newBuilder().setStringValue((String) v).build();
      case BOOLEAN:
        return AnyValue.newBuilder().setBoolValue((Boolean) v).build();
      case LONG:
        return AnyValue.newBuilder().setIntValue((Long) v).build();
      case DOUBLE:
        return AnyValue.newBuilder().setDoubleValue((Double) v).build();
      case BYTES:
        return AnyValue.newBuilder().setBytesValue(ByteString.copyFrom((ByteBuffer) v)).build();
      case ARRAY:
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (Object item : (List<?>) v) {
          array.addValues(anyValue((Value<?>) item));
        }
        return AnyValue.newBuilder().setArrayValue(array).build();
      case KEY_VALUE_LIST:
        KeyValueList.Builder list = KeyValueList.newBuilder();
        for (Object item : (List<?>) v) {
          KeyValue kv = (KeyValue) item;
          list.addValues(
              io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                  .setKey(kv.getKey())
                  .setValue(anyValue(kv.getValue())));
        }
        return AnyValue.newBuilder().setKvlistValue(list).build();
      default:
        return AnyValue.getDefaultInstance();
    }
  }

  public static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  /** A trace state in its W3C header form, {@code key=value} pairs joined by commas. */
  public static String traceState(TraceState traceState) {
    StringJoiner joiner = new StringJoiner(",");
    traceState.forEach((key, value) -> joiner.add(key + "=" + value));
    return joiner.toString();
  }

  // ---- traces

  public static Span span(SpanData span) {
    Span.Builder builder =
        Span.newBuilder()
            .setTraceId(id(span.getTraceId()))
            .setSpanId(id(span.getSpanId()))
            .setTraceState(traceState(span.getSpanContext().getTraceState()))
            .setName(span.getName())
            .setKind(kind(span.getKind()))
            .setStartTimeUnixNano(span.getStartEpochNanos())
            .setEndTimeUnixNano(span.getEndEpochNanos())
            .addAllAttributes(attributes(span.getAttributes()))
            .setDroppedAttributesCount(span.getTotalAttributeCount() - span.getAttributes().size())
            .setDroppedEventsCount(span.getTotalRecordedEvents() - span.getEvents().size())
            .setDroppedLinksCount(span.getTotalRecordedLinks() - span.getLinks().size())
            .setStatus(
                Status.newBuilder()
                    .setCode(statusCode(span.getStatus().getStatusCode()))
                    .setMessage(span.getStatus().getDescription()))
            .setFlags(
                flags(
                    span.getSpanContext().getTraceFlags(), span.getParentSpanContext().isRemote()));
    if (span.getParentSpanContext().isValid()) {
      builder.setParentSpanId(id(span.getParentSpanId()));
    }
    for (EventData event : span.getEvents()) {
      builder.addEvents(
          Span.Event.newBuilder()
              .setTimeUnixNano(event.getEpochNanos())
              .setName(event.getName())
              .addAllAttributes(attributes(event.getAttributes()))
              .setDroppedAttributesCount(
                  event.getTotalAttributeCount() - event.getAttributes().size()));
    }
    for (LinkData link : span.getLinks()) {
      SpanContext context = link.getSpanContext();
      builder.addLinks(
          Span.Link.newBuilder()
              .setTraceId(id(context.getTraceId()))
              .setSpanId(id(context.getSpanId()))
              .setTraceState(traceState(context.getTraceState()))
              .addAllAttributes(attributes(link.getAttributes()))
              .setDroppedAttributesCount(
                  link.getTotalAttributeCount() - link.getAttributes().size())
              .setFlags(flags(context.getTraceFlags(), context.isRemote())));
    }
    return builder.build();
  }

  private static Span.SpanKind kind(SpanKind kind) {
    switch (kind) {
      case SERVER:
        return Span.SpanKind.SPAN_KIND_SERVER;
      case CLIENT:
        return Span.SpanKind.SPAN_KIND_CLIENT;
      case PRODUCER:
        return Span.SpanKind.SPAN_KIND_PRODUCER;
      case CONSUMER:
        return Span.SpanKind.SPAN_KIND_CONSUMER;
      default:
        return Span.SpanKind.SPAN_KIND_INTERNAL;
    }
  }

  private static Status.StatusCode statusCode(StatusCode code) {
    switch (code) {
      case OK:
        return Status.StatusCode.STATUS_CODE_OK;
      case ERROR:
        return Status.StatusCode.STATUS_CODE_ERROR;
      default:
        return Status.StatusCode.STATUS_CODE_UNSET;
    }
  }

  private static int flags(TraceFlags traceFlags, boolean remote) {
    return (traceFlags.asByte() & 0xff) | CONTEXT_HAS_IS_REMOTE | (remote ? CONTEXT_IS_REMOTE : 0);
  }

  /** A span read from a file with its attribute lists sorted like {@link #span}'s. */
  public static Span normalize(Span span) {
    Span.Builder builder =
        span.toBuilder().clearAttributes().addAllAttributes(sortedByKey(span.getAttributesList()));
    for (int i = 0; i < builder.getEventsCount(); i++) {
      Span.Event event = builder.getEvents(i);
      builder.setEvents(
          i,
          event.toBuilder()
              .clearAttributes()
              .addAllAttributes(sortedByKey(event.getAttributesList())));
    }
    for (int i = 0; i < builder.getLinksCount(); i++) {
      Span.Link link = builder.getLinks(i);
      builder.setLinks(
          i,
          link.toBuilder()
              .clearAttributes()
              .addAllAttributes(sortedByKey(link.getAttributesList())));
    }
    return builder.build();
  }

  // ---- logs

  public static LogRecord logRecord(LogRecordData log) {
    SpanContext context = log.getSpanContext();
    LogRecord.Builder builder =
        LogRecord.newBuilder()
            .setTimeUnixNano(log.getTimestampEpochNanos())
            .setObservedTimeUnixNano(log.getObservedTimestampEpochNanos())
            .setSeverityNumberValue(log.getSeverity().getSeverityNumber())
            .setSeverityText(log.getSeverityText() == null ? "" : log.getSeverityText())
            .addAllAttributes(attributes(log.getAttributes()))
            .setDroppedAttributesCount(log.getTotalAttributeCount() - log.getAttributes().size())
            .setFlags(context.getTraceFlags().asByte() & 0xff)
            .setEventName(log.getEventName() == null ? "" : log.getEventName());
    if (log.getBodyValue() != null) {
      builder.setBody(anyValue(log.getBodyValue()));
    }
    if (context.isValid()) {
      builder.setTraceId(id(context.getTraceId())).setSpanId(id(context.getSpanId()));
    }
    return builder.build();
  }

  public static LogRecord normalize(LogRecord log) {
    return log.toBuilder()
        .clearAttributes()
        .addAllAttributes(sortedByKey(log.getAttributesList()))
        .build();
  }

  // ---- metrics

  public static Metric metric(MetricData metric) {
    Metric.Builder builder =
        Metric.newBuilder()
            .setName(metric.getName())
            .setDescription(metric.getDescription())
            .setUnit(metric.getUnit());
    switch (metric.getType()) {
      case LONG_SUM:
        builder.setSum(
            Sum.newBuilder()
                .setIsMonotonic(metric.getLongSumData().isMonotonic())
                .setAggregationTemporality(
                    temporality(metric.getLongSumData().getAggregationTemporality()))
                .addAllDataPoints(numberPoints(metric.getLongSumData().getPoints())));
        break;
      case DOUBLE_SUM:
        builder.setSum(
            Sum.newBuilder()
                .setIsMonotonic(metric.getDoubleSumData().isMonotonic())
                .setAggregationTemporality(
                    temporality(metric.getDoubleSumData().getAggregationTemporality()))
                .addAllDataPoints(numberPoints(metric.getDoubleSumData().getPoints())));
        break;
      case LONG_GAUGE:
        builder.setGauge(
            Gauge.newBuilder()
                .addAllDataPoints(numberPoints(metric.getLongGaugeData().getPoints())));
        break;
      case DOUBLE_GAUGE:
        builder.setGauge(
            Gauge.newBuilder()
                .addAllDataPoints(numberPoints(metric.getDoubleGaugeData().getPoints())));
        break;
      case HISTOGRAM:
        Histogram.Builder histogram =
            Histogram.newBuilder()
                .setAggregationTemporality(
                    temporality(metric.getHistogramData().getAggregationTemporality()));
        for (HistogramPointData point : metric.getHistogramData().getPoints()) {
          histogram.addDataPoints(histogramPoint(point));
        }
        builder.setHistogram(histogram);
        break;
      case EXPONENTIAL_HISTOGRAM:
        ExponentialHistogram.Builder exponential =
            ExponentialHistogram.newBuilder()
                .setAggregationTemporality(
                    temporality(metric.getExponentialHistogramData().getAggregationTemporality()));
        for (ExponentialHistogramPointData point :
            metric.getExponentialHistogramData().getPoints()) {
          exponential.addDataPoints(exponentialPoint(point));
        }
        builder.setExponentialHistogram(exponential);
        break;
      case SUMMARY:
        Summary.Builder summary = Summary.newBuilder();
        for (SummaryPointData point : metric.getSummaryData().getPoints()) {
          SummaryDataPoint.Builder p =
              SummaryDataPoint.newBuilder()
                  .setStartTimeUnixNano(point.getStartEpochNanos())
                  .setTimeUnixNano(point.getEpochNanos())
                  .addAllAttributes(attributes(point.getAttributes()))
                  .setCount(point.getCount())
                  .setSum(point.getSum());
          for (ValueAtQuantile q : point.getValues()) {
            p.addQuantileValues(
                SummaryDataPoint.ValueAtQuantile.newBuilder()
                    .setQuantile(q.getQuantile())
                    .setValue(q.getValue()));
          }
          summary.addDataPoints(p);
        }
        builder.setSummary(summary);
        break;
      default:
        throw new IllegalArgumentException("not produced by this suite: " + metric.getType());
    }
    return normalize(builder.build());
  }

  public static AggregationTemporality temporality(
      io.opentelemetry.sdk.metrics.data.AggregationTemporality temporality) {
    return temporality == io.opentelemetry.sdk.metrics.data.AggregationTemporality.DELTA
        ? AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
        : AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
  }

  private static List<NumberDataPoint> numberPoints(Collection<? extends PointData> points) {
    List<NumberDataPoint> result = new ArrayList<>();
    for (PointData point : points) {
      NumberDataPoint.Builder builder =
          NumberDataPoint.newBuilder()
              .setStartTimeUnixNano(point.getStartEpochNanos())
              .setTimeUnixNano(point.getEpochNanos())
              .addAllAttributes(attributes(point.getAttributes()))
              .addAllExemplars(exemplars(point.getExemplars()));
      if (point instanceof LongPointData) {
        builder.setAsInt(((LongPointData) point).getValue());
      } else {
        builder.setAsDouble(((DoublePointData) point).getValue());
      }
      result.add(builder.build());
    }
    return result;
  }

  private static HistogramDataPoint histogramPoint(HistogramPointData point) {
    HistogramDataPoint.Builder builder =
        HistogramDataPoint.newBuilder()
            .setStartTimeUnixNano(point.getStartEpochNanos())
            .setTimeUnixNano(point.getEpochNanos())
            .addAllAttributes(attributes(point.getAttributes()))
            .setCount(point.getCount())
            .setSum(point.getSum())
            .addAllBucketCounts(point.getCounts())
            .addAllExplicitBounds(point.getBoundaries())
            .addAllExemplars(exemplars(point.getExemplars()));
    if (point.hasMin()) {
      builder.setMin(point.getMin());
    }
    if (point.hasMax()) {
      builder.setMax(point.getMax());
    }
    return builder.build();
  }

  private static ExponentialHistogramDataPoint exponentialPoint(
      ExponentialHistogramPointData point) {
    ExponentialHistogramDataPoint.Builder builder =
        ExponentialHistogramDataPoint.newBuilder()
            .setStartTimeUnixNano(point.getStartEpochNanos())
            .setTimeUnixNano(point.getEpochNanos())
            .addAllAttributes(attributes(point.getAttributes()))
            .setCount(point.getCount())
            .setSum(point.getSum())
            .setScale(point.getScale())
            .setZeroCount(point.getZeroCount())
            .setPositive(buckets(point.getPositiveBuckets()))
            .setNegative(buckets(point.getNegativeBuckets()))
            .addAllExemplars(exemplars(point.getExemplars()));
    if (point.hasMin()) {
      builder.setMin(point.getMin());
    }
    if (point.hasMax()) {
      builder.setMax(point.getMax());
    }
    return builder.build();
  }

  private static ExponentialHistogramDataPoint.Buckets buckets(ExponentialHistogramBuckets b) {
    return ExponentialHistogramDataPoint.Buckets.newBuilder()
        .setOffset(b.getOffset())
        .addAllBucketCounts(b.getBucketCounts())
        .build();
  }

  private static List<Exemplar> exemplars(List<? extends ExemplarData> exemplars) {
    List<Exemplar> result = new ArrayList<>();
    for (ExemplarData exemplar : exemplars) {
      Exemplar.Builder builder =
          Exemplar.newBuilder()
              .addAllFilteredAttributes(attributes(exemplar.getFilteredAttributes()))
              .setTimeUnixNano(exemplar.getEpochNanos());
      if (exemplar instanceof LongExemplarData) {
        builder.setAsInt(((LongExemplarData) exemplar).getValue());
      } else {
        builder.setAsDouble(((DoubleExemplarData) exemplar).getValue());
      }
      if (exemplar.getSpanContext().isValid()) {
        builder
            .setTraceId(id(exemplar.getSpanContext().getTraceId()))
            .setSpanId(id(exemplar.getSpanContext().getSpanId()));
      }
      result.add(builder.build());
    }
    return result;
  }

  /** A metric with its attributes and data points in a fixed order. */
  public static Metric normalize(Metric metric) {
    Metric.Builder builder = metric.toBuilder();
    if (metric.hasSum()) {
      List<NumberDataPoint> points = new ArrayList<>();
      metric.getSum().getDataPointsList().forEach(p -> points.add(normalize(p)));
      points.sort(Comparator.comparing(p -> p.getAttributesList().toString()));
      builder.setSum(metric.getSum().toBuilder().clearDataPoints().addAllDataPoints(points));
    } else if (metric.hasGauge()) {
      List<NumberDataPoint> points = new ArrayList<>();
      metric.getGauge().getDataPointsList().forEach(p -> points.add(normalize(p)));
      points.sort(Comparator.comparing(p -> p.getAttributesList().toString()));
      builder.setGauge(metric.getGauge().toBuilder().clearDataPoints().addAllDataPoints(points));
    } else if (metric.hasHistogram()) {
      List<HistogramDataPoint> points = new ArrayList<>();
      for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
        points.add(
            p.toBuilder()
                .clearAttributes()
                .addAllAttributes(sortedByKey(p.getAttributesList()))
                .build());
      }
      points.sort(Comparator.comparing(p -> p.getAttributesList().toString()));
      builder.setHistogram(
          metric.getHistogram().toBuilder().clearDataPoints().addAllDataPoints(points));
    } else if (metric.hasExponentialHistogram()) {
      List<ExponentialHistogramDataPoint> points = new ArrayList<>();
      for (ExponentialHistogramDataPoint p : metric.getExponentialHistogram().getDataPointsList()) {
        points.add(
            p.toBuilder()
                .clearAttributes()
                .addAllAttributes(sortedByKey(p.getAttributesList()))
                .build());
      }
      points.sort(Comparator.comparing(p -> p.getAttributesList().toString()));
      builder.setExponentialHistogram(
          metric.getExponentialHistogram().toBuilder().clearDataPoints().addAllDataPoints(points));
    } else if (metric.hasSummary()) {
      List<SummaryDataPoint> points = new ArrayList<>();
      for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
        points.add(
            p.toBuilder()
                .clearAttributes()
                .addAllAttributes(sortedByKey(p.getAttributesList()))
                .build());
      }
      points.sort(Comparator.comparing(p -> p.getAttributesList().toString()));
      builder.setSummary(
          metric.getSummary().toBuilder().clearDataPoints().addAllDataPoints(points));
    }
    return builder.build();
  }

  /**
   * The metric with every exemplar's {@code time_unix_nano} set to 0. The SDK stamps exemplars with
   * the wall clock, not the meter provider's clock, so two readers never agree on them.
   */
  public static Metric withoutExemplarTimes(Metric metric) {
    Metric.Builder builder = metric.toBuilder();
    if (builder.hasSum()) {
      for (NumberDataPoint.Builder point : builder.getSumBuilder().getDataPointsBuilderList()) {
        point.getExemplarsBuilderList().forEach(e -> e.setTimeUnixNano(0));
      }
    } else if (builder.hasGauge()) {
      for (NumberDataPoint.Builder point : builder.getGaugeBuilder().getDataPointsBuilderList()) {
        point.getExemplarsBuilderList().forEach(e -> e.setTimeUnixNano(0));
      }
    } else if (builder.hasHistogram()) {
      for (HistogramDataPoint.Builder point :
          builder.getHistogramBuilder().getDataPointsBuilderList()) {
        point.getExemplarsBuilderList().forEach(e -> e.setTimeUnixNano(0));
      }
    } else if (builder.hasExponentialHistogram()) {
      for (ExponentialHistogramDataPoint.Builder point :
          builder.getExponentialHistogramBuilder().getDataPointsBuilderList()) {
        point.getExemplarsBuilderList().forEach(e -> e.setTimeUnixNano(0));
      }
    }
    return builder.build();
  }

  /** Every exemplar of the metric. */
  public static List<Exemplar> exemplars(Metric metric) {
    List<Exemplar> result = new ArrayList<>();
    metric.getSum().getDataPointsList().forEach(p -> result.addAll(p.getExemplarsList()));
    metric.getGauge().getDataPointsList().forEach(p -> result.addAll(p.getExemplarsList()));
    metric.getHistogram().getDataPointsList().forEach(p -> result.addAll(p.getExemplarsList()));
    metric
        .getExponentialHistogram()
        .getDataPointsList()
        .forEach(p -> result.addAll(p.getExemplarsList()));
    return result;
  }

  private static NumberDataPoint normalize(NumberDataPoint point) {
    return point.toBuilder()
        .clearAttributes()
        .addAllAttributes(sortedByKey(point.getAttributesList()))
        .build();
  }

  private static List<io.opentelemetry.proto.common.v1.KeyValue> sortedByKey(
      List<io.opentelemetry.proto.common.v1.KeyValue> keyValues) {
    List<io.opentelemetry.proto.common.v1.KeyValue> sorted = new ArrayList<>(keyValues);
    sorted.sort(Comparator.comparing(io.opentelemetry.proto.common.v1.KeyValue::getKey));
    return sorted;
  }
}
