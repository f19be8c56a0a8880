package io.github.otlpfile.read;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import java.util.List;

/**
 * An explicit-bucket histogram point read from a file. Its own class because the SDK's public
 * factory {@code HistogramPointData.create} takes no exemplars, derives the count from the buckets
 * and throws for bounds that a file may still hold (not increasing, infinite, or a bucket count
 * list that does not match them); this class keeps the file's values as they are. {@link #equals}
 * accepts any {@link HistogramPointData} with the same content.
 *
 * <p>Immutable and thread-safe.
 */
final class ReadHistogramPointData implements HistogramPointData {
  private final long startEpochNanos;
  private final long epochNanos;
  private final Attributes attributes;
  private final double sum;
  private final long count;
  private final boolean hasMin;
  private final double min;
  private final boolean hasMax;
  private final double max;
  private final List<Double> boundaries;
  private final List<Long> counts;
  private final List<DoubleExemplarData> exemplars;

  ReadHistogramPointData(
      long startEpochNanos,
      long epochNanos,
      Attributes attributes,
      double sum,
      long count,
      boolean hasMin,
      double min,
      boolean hasMax,
      double max,
      List<Double> boundaries,
      List<Long> counts,
      List<DoubleExemplarData> exemplars) {
    this.startEpochNanos = startEpochNanos;
    this.epochNanos = epochNanos;
    this.attributes = attributes;
    this.sum = sum;
    this.count = count;
    this.hasMin = hasMin;
    this.min = min;
    this.hasMax = hasMax;
    this.max = max;
    this.boundaries = boundaries;
    this.counts = counts;
    this.exemplars = exemplars;
  }

  @Override
  public long getStartEpochNanos() {
    return startEpochNanos;
  }

  @Override
  public long getEpochNanos() {
    return epochNanos;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public double getSum() {
    return sum;
  }

  @Override
  public long getCount() {
    return count;
  }

  @Override
  public boolean hasMin() {
    return hasMin;
  }

  @Override
  public double getMin() {
    return min;
  }

  @Override
  public boolean hasMax() {
    return hasMax;
  }

  @Override
  public double getMax() {
    return max;
  }

  @Override
  public List<Double> getBoundaries() {
    return boundaries;
  }

  @Override
  public List<Long> getCounts() {
    return counts;
  }

  @Override
  public List<DoubleExemplarData> getExemplars() {
    return exemplars;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistogramPointData && DataEquality.samePoint(this, o);
  }

  @Override
  public int hashCode() {
    int h = DataEquality.pointHash(this);
    h = 31 * h + Double.hashCode(sum);
    h = 31 * h + Long.hashCode(count);
    h = 31 * h + (hasMin ? Double.hashCode(min) : 0);
    h = 31 * h + (hasMax ? Double.hashCode(max) : 0);
    h = 31 * h + boundaries.hashCode();
    h = 31 * h + counts.hashCode();
    return 31 * h + DataEquality.exemplarsHash(exemplars);
  }

  @Override
  public String toString() {
    return "ReadHistogramPointData{startEpochNanos="
        + startEpochNanos
        + ", epochNanos="
        + epochNanos
        + ", attributes="
        + attributes
        + ", sum="
        + sum
        + ", count="
        + count
        + ", hasMin="
        + hasMin
        + ", min="
        + min
        + ", hasMax="
        + hasMax
        + ", max="
        + max
        + ", boundaries="
        + boundaries
        + ", counts="
        + counts
        + ", exemplars="
        + exemplars
        + "}";
  }
}
