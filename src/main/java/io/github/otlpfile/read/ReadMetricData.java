package io.github.otlpfile.read;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;

/**
 * A metric read from a file. {@link #equals} compares every getter of {@link MetricData}, and the
 * data point by point through the point interfaces, with those of any other implementation, so a
 * metric read back equals the SDK's original.
 *
 * <p>Immutable and thread-safe.
 */
final class ReadMetricData implements MetricData {
  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  private final String name;
  private final String description;
  private final String unit;
  private final MetricDataType type;
  private final Data<?> data;

  ReadMetricData(
      Resource resource,
      InstrumentationScopeInfo scope,
      String name,
      String description,
      String unit,
      MetricDataType type,
      Data<?> data) {
    this.resource = resource;
    this.scope = scope;
    this.name = name;
    this.description = description;
    this.unit = unit;
    this.type = type;
    this.data = data;
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
  public String getName() {
    return name;
  }

  @Override
  public String getDescription() {
    return description;
  }

  @Override
  public String getUnit() {
    return unit;
  }

  @Override
  public MetricDataType getType() {
    return type;
  }

  @Override
  public Data<?> getData() {
    return data;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof MetricData)) {
      return false;
    }
    MetricData that = (MetricData) o;
    return type == that.getType()
        && name.equals(that.getName())
        && description.equals(that.getDescription())
        && unit.equals(that.getUnit())
        && DataEquality.sameData(type, data, that.getData())
        && scope.equals(that.getInstrumentationScopeInfo())
        && resource.equals(that.getResource());
  }

  @Override
  public int hashCode() {
    int h = type.hashCode();
    h = 31 * h + name.hashCode();
    h = 31 * h + description.hashCode();
    h = 31 * h + unit.hashCode();
    h = 31 * h + DataEquality.dataHash(data);
    h = 31 * h + scope.hashCode();
    return 31 * h + resource.hashCode();
  }

  @Override
  public String toString() {
    return "ReadMetricData{name="
        + name
        + ", description="
        + description
        + ", unit="
        + unit
        + ", type="
        + type
        + ", data="
        + data
        + ", instrumentationScopeInfo="
        + scope
        + ", resource="
        + resource
        + "}";
  }
}
