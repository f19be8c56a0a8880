package io.github.otlpfile.read;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * Compares SDK data through its public interfaces. The SDK's own value classes are AutoValue
 * classes whose {@code equals} accepts only the same class, so the read data compares the parts it
 * holds getter by getter: a read item then equals any implementation with the same content (the
 * SDK's span wrapper, its mutable points under {@code REUSABLE_DATA}, test data).
 *
 * <p>Attributes are compared as maps when their {@code equals} says no: the SDK hands out both the
 * API's immutable attributes and its own mutable map (exception events do). Resources, scopes and
 * trace states are compared with their own {@code equals}, which compares by content.
 *
 * <p>Stateless and thread-safe.
 */
final class DataEquality {
  private DataEquality() {}

  static boolean sameSpanContext(SpanContext a, SpanContext b) {
    return a.getTraceId().equals(b.getTraceId())
        && a.getSpanId().equals(b.getSpanId())
        && a.getTraceFlags().asByte() == b.getTraceFlags().asByte()
        && a.isRemote() == b.isRemote()
        && a.getTraceState().equals(b.getTraceState());
  }

  static int spanContextHash(SpanContext c) {
    int h = c.getTraceId().hashCode();
    h = 31 * h + c.getSpanId().hashCode();
    h = 31 * h + c.getTraceFlags().asByte();
    h = 31 * h + (c.isRemote() ? 1 : 0);
    return 31 * h + c.getTraceState().hashCode();
  }

  static boolean sameStatus(StatusData a, StatusData b) {
    return a.getStatusCode() == b.getStatusCode() && a.getDescription().equals(b.getDescription());
  }

  static int statusHash(StatusData s) {
    return 31 * s.getStatusCode().hashCode() + s.getDescription().hashCode();
  }

  static boolean sameEvents(List<EventData> a, List<EventData> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      EventData x = a.get(i);
      EventData y = b.get(i);
      if (!x.getName().equals(y.getName())
          || x.getEpochNanos() != y.getEpochNanos()
          || x.getTotalAttributeCount() != y.getTotalAttributeCount()
          || !sameAttributes(x.getAttributes(), y.getAttributes())) {
        return false;
      }
    }
    return true;
  }

  static int eventsHash(List<EventData> events) {
    int h = 1;
    for (EventData e : events) {
      h = 31 * h + e.getName().hashCode();
      h = 31 * h + Long.hashCode(e.getEpochNanos());
      h = 31 * h + e.getAttributes().hashCode();
      h = 31 * h + e.getTotalAttributeCount();
    }
    return h;
  }

  static boolean sameLinks(List<LinkData> a, List<LinkData> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      LinkData x = a.get(i);
      LinkData y = b.get(i);
      if (x.getTotalAttributeCount() != y.getTotalAttributeCount()
          || !sameSpanContext(x.getSpanContext(), y.getSpanContext())
          || !sameAttributes(x.getAttributes(), y.getAttributes())) {
        return false;
      }
    }
    return true;
  }

  static int linksHash(List<LinkData> links) {
    int h = 1;
    for (LinkData l : links) {
      h = 31 * h + spanContextHash(l.getSpanContext());
      h = 31 * h + l.getAttributes().hashCode();
      h = 31 * h + l.getTotalAttributeCount();
    }
    return h;
  }

  static boolean sameAttributes(Attributes a, Attributes b) {
    return a.equals(b) || (a.size() == b.size() && a.asMap().equals(b.asMap()));
  }

  // ---- metrics

  static boolean sameData(MetricDataType type, Data<?> a, Data<?> b) {
    switch (type) {
      case LONG_SUM:
      case DOUBLE_SUM:
        {
          if (!(a instanceof SumData) || !(b instanceof SumData)) {
            return false;
          }
          SumData<?> x = (SumData<?>) a;
          SumData<?> y = (SumData<?>) b;
          if (x.isMonotonic() != y.isMonotonic()
              || x.getAggregationTemporality() != y.getAggregationTemporality()) {
            return false;
          }
          break;
        }
      case HISTOGRAM:
        if (!(a instanceof HistogramData)
            || !(b instanceof HistogramData)
            || ((HistogramData) a).getAggregationTemporality()
                != ((HistogramData) b).getAggregationTemporality()) {
          return false;
        }
        break;
      case EXPONENTIAL_HISTOGRAM:
        if (!(a instanceof ExponentialHistogramData)
            || !(b instanceof ExponentialHistogramData)
            || ((ExponentialHistogramData) a).getAggregationTemporality()
                != ((ExponentialHistogramData) b).getAggregationTemporality()) {
          return false;
        }
        break;
      default:
        break;
    }
    return samePoints(a.getPoints(), b.getPoints());
  }

  /** A hash over the data's points, consistent with {@link #sameData}. */
  static int dataHash(Data<?> data) {
    int h = 1;
    for (PointData p : data.getPoints()) {
      h = 31 * h + pointHash(p);
    }
    return h;
  }

  private static boolean samePoints(Collection<?> a, Collection<?> b) {
    if (a.size() != b.size()) {
      return false;
    }
    Iterator<?> x = a.iterator();
    Iterator<?> y = b.iterator();
    while (x.hasNext()) {
      if (!samePoint((PointData) x.next(), y.next())) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code o} is a point of the same kind as {@code a} with the same content. */
  static boolean samePoint(PointData a, Object o) {
    if (a == o) {
      return true;
    }
    if (!(o instanceof PointData)) {
      return false;
    }
    PointData b = (PointData) o;
    if (a.getStartEpochNanos() != b.getStartEpochNanos()
        || a.getEpochNanos() != b.getEpochNanos()
        || !sameAttributes(a.getAttributes(), b.getAttributes())
        || !sameExemplars(a.getExemplars(), b.getExemplars())) {
      return false;
    }
    if (a instanceof LongPointData) {
      return b instanceof LongPointData
          && ((LongPointData) a).getValue() == ((LongPointData) b).getValue();
    }
    if (a instanceof DoublePointData) {
      return b instanceof DoublePointData
          && same(((DoublePointData) a).getValue(), ((DoublePointData) b).getValue());
    }
    if (a instanceof HistogramPointData) {
      return b instanceof HistogramPointData
          && sameHistogram((HistogramPointData) a, (HistogramPointData) b);
    }
    if (a instanceof ExponentialHistogramPointData) {
      return b instanceof ExponentialHistogramPointData
          && sameExponential((ExponentialHistogramPointData) a, (ExponentialHistogramPointData) b);
    }
    if (a instanceof SummaryPointData) {
      return b instanceof SummaryPointData
          && sameSummary((SummaryPointData) a, (SummaryPointData) b);
    }
    return a.equals(b);
  }

  /** The part of a point's hash that {@link #samePoint} always compares. */
  static int pointHash(PointData p) {
    int h = Long.hashCode(p.getStartEpochNanos());
    h = 31 * h + Long.hashCode(p.getEpochNanos());
    return 31 * h + p.getAttributes().hashCode();
  }

  static boolean sameHistogram(HistogramPointData a, HistogramPointData b) {
    return same(a.getSum(), b.getSum())
        && a.getCount() == b.getCount()
        && sameMinMax(a.hasMin(), a.getMin(), b.hasMin(), b.getMin())
        && sameMinMax(a.hasMax(), a.getMax(), b.hasMax(), b.getMax())
        && a.getBoundaries().equals(b.getBoundaries())
        && a.getCounts().equals(b.getCounts());
  }

  private static boolean sameExponential(
      ExponentialHistogramPointData a, ExponentialHistogramPointData b) {
    return a.getScale() == b.getScale()
        && same(a.getSum(), b.getSum())
        && a.getCount() == b.getCount()
        && a.getZeroCount() == b.getZeroCount()
        && sameMinMax(a.hasMin(), a.getMin(), b.hasMin(), b.getMin())
        && sameMinMax(a.hasMax(), a.getMax(), b.hasMax(), b.getMax())
        && sameBuckets(a.getPositiveBuckets(), b.getPositiveBuckets())
        && sameBuckets(a.getNegativeBuckets(), b.getNegativeBuckets());
  }

  private static boolean sameBuckets(ExponentialHistogramBuckets a, ExponentialHistogramBuckets b) {
    return a.getScale() == b.getScale()
        && a.getOffset() == b.getOffset()
        && a.getTotalCount() == b.getTotalCount()
        && a.getBucketCounts().equals(b.getBucketCounts());
  }

  private static boolean sameSummary(SummaryPointData a, SummaryPointData b) {
    if (a.getCount() != b.getCount()
        || !same(a.getSum(), b.getSum())
        || a.getValues().size() != b.getValues().size()) {
      return false;
    }
    for (int i = 0; i < a.getValues().size(); i++) {
      ValueAtQuantile x = a.getValues().get(i);
      ValueAtQuantile y = b.getValues().get(i);
      if (!same(x.getQuantile(), y.getQuantile()) || !same(x.getValue(), y.getValue())) {
        return false;
      }
    }
    return true;
  }

  // Without a minimum (or maximum) the value is meaningless and not in the file: the SDK leaves
  // whatever its aggregator held, so it is compared only when present.
  private static boolean sameMinMax(boolean hasA, double a, boolean hasB, double b) {
    return hasA == hasB && (!hasA || same(a, b));
  }

  static boolean sameExemplars(List<? extends ExemplarData> a, List<? extends ExemplarData> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      ExemplarData x = a.get(i);
      ExemplarData y = b.get(i);
      if (x.getEpochNanos() != y.getEpochNanos()
          || !sameAttributes(x.getFilteredAttributes(), y.getFilteredAttributes())
          || !sameSpanContext(x.getSpanContext(), y.getSpanContext())) {
        return false;
      }
      if (x instanceof LongExemplarData) {
        if (!(y instanceof LongExemplarData)
            || ((LongExemplarData) x).getValue() != ((LongExemplarData) y).getValue()) {
          return false;
        }
      } else if (x instanceof DoubleExemplarData) {
        if (!(y instanceof DoubleExemplarData)
            || !same(((DoubleExemplarData) x).getValue(), ((DoubleExemplarData) y).getValue())) {
          return false;
        }
      } else if (!x.equals(y)) {
        return false;
      }
    }
    return true;
  }

  static int exemplarsHash(List<? extends ExemplarData> exemplars) {
    int h = 1;
    for (ExemplarData e : exemplars) {
      h = 31 * h + Long.hashCode(e.getEpochNanos());
      h = 31 * h + e.getFilteredAttributes().hashCode();
    }
    return h;
  }

  // Bit equality, as Double.equals and the SDK's AutoValue classes: NaN equals NaN.
  static boolean same(double a, double b) {
    return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
  }
}
