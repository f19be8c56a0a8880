package io.github.otlpfile.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.internal.encode.BatchEncoder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongGauge;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.ExemplarFilter;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricDataSnapshotTest {
  private static final Attributes ROUTE = Attributes.of(AttributeKey.stringKey("route"), "/a");

  private final BatchEncoder<MetricData> encoder =
      BatchEncoder.forMetrics(OtlpFileFormat.JSON_LINES);
  private final InMemoryMetricReader reader =
      InMemoryMetricReader.builder().setMemoryMode(MemoryMode.REUSABLE_DATA).build();
  private final SdkMeterProvider provider =
      SdkMeterProvider.builder()
          .registerMetricReader(reader)
          .setExemplarFilter(ExemplarFilter.alwaysOn())
          .registerView(
              InstrumentSelector.builder().setName("exponential").build(),
              View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build())
          .build();

  @AfterEach
  void shutdown() {
    provider.shutdown();
  }

  private String encode(Collection<MetricData> metrics) throws IOException {
    return new String(encoder.encode(metrics).toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void copiesEveryMetricTypeSoThatReusedDataCannotChangeIt() throws IOException {
    Meter meter = provider.get("test");
    LongCounter longSum = meter.counterBuilder("long_sum").build();
    DoubleCounter doubleSum = meter.counterBuilder("double_sum").ofDoubles().build();
    LongUpDownCounter upDown = meter.upDownCounterBuilder("up_down").build();
    LongGauge longGauge = meter.gaugeBuilder("long_gauge").ofLongs().build();
    DoubleGauge doubleGauge = meter.gaugeBuilder("double_gauge").build();
    DoubleHistogram histogram = meter.histogramBuilder("histogram").build();
    DoubleHistogram exponential = meter.histogramBuilder("exponential").build();
    IntConsumer record =
        round -> {
          longSum.add(3, ROUTE);
          doubleSum.add(2.5, ROUTE);
          upDown.add(-4, ROUTE);
          longGauge.set(7L * round, ROUTE);
          doubleGauge.set(0.5 * round, ROUTE);
          histogram.record(11.0 * round, ROUTE);
          exponential.record(13.0 * round, ROUTE);
          exponential.record(-17.0 * round, ROUTE);
        };
    record.accept(1);

    Collection<MetricData> first = reader.collectAllMetrics();
    String firstJson = encode(first);
    Collection<MetricData> copy = MetricDataSnapshot.copy(first);

    assertThat(encode(copy)).isEqualTo(firstJson);
    assertThat(copy)
        .extracting(MetricData::getType)
        .containsExactlyInAnyOrder(
            MetricDataType.LONG_SUM,
            MetricDataType.DOUBLE_SUM,
            MetricDataType.LONG_SUM,
            MetricDataType.LONG_GAUGE,
            MetricDataType.DOUBLE_GAUGE,
            MetricDataType.HISTOGRAM,
            MetricDataType.EXPONENTIAL_HISTOGRAM);
    assertThat(copy.iterator().next().getData().getPoints().iterator().next().getExemplars())
        .isNotEmpty();

    record.accept(2);
    reader.collectAllMetrics();

    assertThat(encode(first)).as("the SDK reused the first batch").isNotEqualTo(firstJson);
    assertThat(encode(copy)).isEqualTo(firstJson);
    assertThatThrownBy(() -> copy.add(copy.iterator().next()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void copiesSummaries() throws IOException {
    MetricData summary =
        ImmutableMetricData.createDoubleSummary(
            Resource.getDefault(),
            InstrumentationScopeInfo.create("test"),
            "summary",
            "a summary",
            "ms",
            SummaryData.create(
                List.of(
                    SummaryPointData.create(
                        1,
                        2,
                        ROUTE,
                        10,
                        55.5,
                        List.of(ValueAtQuantile.create(0.0, 1), ValueAtQuantile.create(1.0, 9))))));

    Collection<MetricData> copy = MetricDataSnapshot.copy(List.of(summary));

    assertThat(encode(copy)).isEqualTo(encode(List.of(summary)));
    assertThat(copy.iterator().next()).isEqualTo(summary);
  }
}
