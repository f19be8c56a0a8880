package io.github.otlpfile.read;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import java.util.List;

/**
 * A long gauge or sum point read from a file. Its own class because the SDK's public factory {@code
 * LongPointData.create} takes no exemplars. {@link #equals} accepts any {@link LongPointData} with
 * the same content.
 *
 * <p>Immutable and thread-safe.
 */
final class ReadLongPointData implements LongPointData {
  private final long startEpochNanos;
  private final long epochNanos;
  private final Attributes attributes;
  private final long value;
  private final List<LongExemplarData> exemplars;

  ReadLongPointData(
      long startEpochNanos,
      long epochNanos,
      Attributes attributes,
      long value,
      List<LongExemplarData> exemplars) {
    this.startEpochNanos = startEpochNanos;
    this.epochNanos = epochNanos;
    this.attributes = attributes;
    this.value = value;
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
  public long getValue() {
    return value;
  }

  @Override
  public List<LongExemplarData> getExemplars() {
    return exemplars;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LongPointData && DataEquality.samePoint(this, o);
  }

  @Override
  public int hashCode() {
    int h = DataEquality.pointHash(this);
    h = 31 * h + Long.hashCode(value);
    return 31 * h + DataEquality.exemplarsHash(exemplars);
  }

  @Override
  public String toString() {
    return "ReadLongPointData{startEpochNanos="
        + startEpochNanos
        + ", epochNanos="
        + epochNanos
        + ", attributes="
        + attributes
        + ", value="
        + value
        + ", exemplars="
        + exemplars
        + "}";
  }
}
