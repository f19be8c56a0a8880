package io.github.otlpfile.support;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoubleExemplarData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableExponentialHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongExemplarData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSummaryData;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The SDK data a reader can get back from the files for the SDK data an exporter was given: the
 * same data, but for the few values OTLP files do not carry, which the reader fills in as its
 * documentation says. Each change is one of those; everything else is left as it was, so that a
 * read item must equal the result in every other field.
 *
 * <ul>
 *   <li>A span's parent context: the files carry its ids and whether it is remote, not its trace
 *       flags or trace state; the reader gives it the span's own.
 *   <li>A log record's span context: the files carry its ids and trace flags, not its trace state
 *       or whether it is remote; the reader gives it the default trace state, not remote.
 *   <li>An exemplar's span context: the files carry its ids only; the reader gives it sampled flags
 *       (when the ids are valid), the default trace state, not remote.
 * </ul>
 *
 * <p>Also a few tools for tests to build expectations from metrics: new points, new exemplars.
 */
public final class ExpectedReadBack {
  private ExpectedReadBack() {}

  /** {@code span} with the parent context the files can carry. */
  public static SpanData span(SpanData span) {
    SpanContext parent = span.getParentSpanContext();
    if (!parent.isValid()) {
      return span;
    }
    SpanContext own = span.getSpanContext();
    SpanContext carried =
        parent.isRemote()
            ? SpanContext.createFromRemoteParent(
                parent.getTraceId(), parent.getSpanId(), own.getTraceFlags(), own.getTraceState())
            : SpanContext.create(
                parent.getTraceId(), parent.getSpanId(), own.getTraceFlags(), own.getTraceState());
    return new DelegatingSpanData(span) {
      @Override
      public SpanContext getParentSpanContext() {
        return carried;
      }

      @Override
      public String getParentSpanId() {
        return carried.getSpanId();
      }
    };
  }

  /** {@code log} with the span context the files can carry. */
  public static LogRecordData logRecord(LogRecordData log) {
    SpanContext context = log.getSpanContext();
    if (!context.isValid()) {
      return log;
    }
    SpanContext carried =
        SpanContext.create(
            context.getTraceId(),
            context.getSpanId(),
            context.getTraceFlags(),
            TraceState.getDefault());
    // Every other getter, present and future, answers as the original does.
    return (LogRecordData)
        Proxy.newProxyInstance(
            LogRecordData.class.getClassLoader(),
            new Class<?>[] {LogRecordData.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getSpanContext") && method.getParameterCount() == 0) {
                return carried;
              }
              if (method.getName().equals("toString") && method.getParameterCount() == 0) {
                return "ExpectedReadBack(" + log + ", spanContext=" + carried + ")";
              }
              try {
                return method.invoke(log, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** {@code metric} with the exemplar span contexts the files can carry. */
  public static MetricData metric(MetricData metric) {
    return mapExemplars(metric, e -> withSpanContext(e, exemplarContext(e.getSpanContext())));
  }

  private static SpanContext exemplarContext(SpanContext context) {
    if (!context.isValid()) {
      return SpanContext.getInvalid();
    }
    return SpanContext.create(
        context.getTraceId(),
        context.getSpanId(),
        TraceFlags.getSampled(),
        TraceState.getDefault());
  }

  /** {@code metric} with {@code points} (of its own point type) in place of its own. */
  @SuppressWarnings("unchecked")
  public static MetricData withPoints(MetricData metric, List<? extends PointData> points) {
    switch (metric.getType()) {
      case LONG_GAUGE:
        return ImmutableMetricData.createLongGauge(
            metric.getResource(),
            metric.getInstrumentationScopeInfo(),
            metric.getName(),
            metric.getDescription(),
            metric.getUnit(),
            ImmutableGaugeData.create((List<LongPointData>) points));
      case DOUBLE_GAUGE:
        return ImmutableMetricData.createDoubleGauge(
            metric.getResource(),
            metric.getInstrumentationScopeInfo(),
            metric.getName(),
            metric.getDescription(),
            metric.getUnit(),
            ImmutableGaugeData.create((List<DoublePointData>) points));
      case LONG_SUM:
        return ImmutableMetricData.createLongSum(
            metric.getResource(),
            metric.getInstrumentationScopeInfo(),
            metric.getName(),
            metric.getDescription(),
            metric.getUnit(),
            ImmutableSumData.create(
                metric.getLongSumData().isMonotonic(),
                metric.getLongSumData().getAggregationTemporality(),
                (List<LongPointData>) points));
      case DOUBLE_SUM:
        return ImmutableMetricData.createDoubleSum(
            metric.getResource(),
            metric.getInstrumentationScopeInfo(),
            metric.getName(),
            metric.getDescription(),
            metric.getUnit(),
            ImmutableSumData.create(
                metric.getDoubleSumData().isMonotonic(),
                metric.getDoubleSumData().getAggregationTemporality(),
                (List<DoublePointData>) points));
      case HISTOGRAM:
        return ImmutableMetricData.createDoubleHistogram(
            metric.getResource(),
            metric.getInstrumentationScopeInfo(),
            metric.getName(),
            metric.getDescription(),
            metric.getUnit(),
            ImmutableHistogramData.create(
                metric.getHistogramData().getAggregationTemporality(),
                (List<HistogramPointData>) points));
      case EXPONENTIAL_HISTOGRAM:
        return ImmutableMetricData.createExponentialHistogram(
            metric.getResource(),
            metric.getInstrumentationScopeInfo(),
            metric.getName(),
            metric.getDescription(),
            metric.getUnit(),
            ImmutableExponentialHistogramData.create(
                metric.getExponentialHistogramData().getAggregationTemporality(),
                (List<ExponentialHistogramPointData>) points));
      case SUMMARY:
        return ImmutableMetricData.createDoubleSummary(
            metric.getResource(),
            metric.getInstrumentationScopeInfo(),
            metric.getName(),
            metric.getDescription(),
            metric.getUnit(),
            ImmutableSummaryData.create((List<SummaryPointData>) points));
    }
    throw new IllegalArgumentException("unknown metric type " + metric.getType());
  }

  /** {@code point} with {@code exemplars} (of its own value type) in place of its own. */
  @SuppressWarnings("unchecked")
  public static PointData withExemplars(PointData point, List<? extends ExemplarData> exemplars) {
    if (point instanceof LongPointData) {
      LongPointData p = (LongPointData) point;
      return ImmutableLongPointData.create(
          p.getStartEpochNanos(),
          p.getEpochNanos(),
          p.getAttributes(),
          p.getValue(),
          (List<LongExemplarData>) exemplars);
    }
    if (point instanceof DoublePointData) {
      DoublePointData p = (DoublePointData) point;
      return ImmutableDoublePointData.create(
          p.getStartEpochNanos(),
          p.getEpochNanos(),
          p.getAttributes(),
          p.getValue(),
          (List<DoubleExemplarData>) exemplars);
    }
    if (point instanceof HistogramPointData) {
      HistogramPointData p = (HistogramPointData) point;
      return ImmutableHistogramPointData.create(
          p.getStartEpochNanos(),
          p.getEpochNanos(),
          p.getAttributes(),
          p.getSum(),
          p.hasMin(),
          p.getMin(),
          p.hasMax(),
          p.getMax(),
          p.getBoundaries(),
          p.getCounts(),
          (List<DoubleExemplarData>) exemplars);
    }
    if (point instanceof ExponentialHistogramPointData) {
      ExponentialHistogramPointData p = (ExponentialHistogramPointData) point;
      return ImmutableExponentialHistogramPointData.create(
          p.getScale(),
          p.getSum(),
          p.getZeroCount(),
          p.hasMin(),
          p.getMin(),
          p.hasMax(),
          p.getMax(),
          p.getPositiveBuckets(),
          p.getNegativeBuckets(),
          p.getStartEpochNanos(),
          p.getEpochNanos(),
          p.getAttributes(),
          (List<DoubleExemplarData>) exemplars);
    }
    if (point instanceof SummaryPointData && exemplars.isEmpty()) {
      return point; // Summaries have no exemplars.
    }
    throw new IllegalArgumentException("unknown point type " + point);
  }

  /** {@code exemplar} with another span context. */
  public static ExemplarData withSpanContext(ExemplarData exemplar, SpanContext context) {
    return map(exemplar, exemplar.getEpochNanos(), context);
  }

  /** {@code exemplar} with another time. */
  public static ExemplarData withEpochNanos(ExemplarData exemplar, long epochNanos) {
    return map(exemplar, epochNanos, exemplar.getSpanContext());
  }

  private static ExemplarData map(ExemplarData exemplar, long epochNanos, SpanContext context) {
    if (exemplar instanceof LongExemplarData) {
      return ImmutableLongExemplarData.create(
          exemplar.getFilteredAttributes(),
          epochNanos,
          context,
          ((LongExemplarData) exemplar).getValue());
    }
    return ImmutableDoubleExemplarData.create(
        exemplar.getFilteredAttributes(),
        epochNanos,
        context,
        ((DoubleExemplarData) exemplar).getValue());
  }

  /** Applies {@code change} to every exemplar of every point of {@code metric}. */
  public static MetricData mapExemplars(MetricData metric, UnaryOperator<ExemplarData> change) {
    List<PointData> points = new ArrayList<>();
    for (PointData point : metric.getData().getPoints()) {
      List<ExemplarData> exemplars = new ArrayList<>();
      for (ExemplarData exemplar : point.getExemplars()) {
        exemplars.add(change.apply(exemplar));
      }
      points.add(withExemplars(point, exemplars));
    }
    return withPoints(metric, points);
  }
}
