package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpFileMetricExporterBuilderTest {
  @TempDir Path directory;

  @Test
  void defaultsToCumulativeImmutableDataAndSdkDefaultAggregation() {
    OtlpFileMetricExporter exporter =
        OtlpFileMetricExporter.builder().setDirectory(directory).build();
    try {
      for (InstrumentType type : InstrumentType.values()) {
        assertThat(exporter.getAggregationTemporality(type))
            .isEqualTo(AggregationTemporality.CUMULATIVE);
        assertThat(exporter.getDefaultAggregation(type))
            .isEqualTo(Aggregation.defaultAggregation());
      }
      assertThat(exporter.getMemoryMode()).isEqualTo(MemoryMode.IMMUTABLE_DATA);
      assertThat(exporter.toString())
          .contains("directory=" + directory)
          .contains("format=JSON_LINES")
          .contains("memoryMode=IMMUTABLE_DATA");
    } finally {
      exporter.shutdown();
    }
  }

  @Test
  void deltaFollowsTheOtlpDeltaPreference() {
    OtlpFileMetricExporter exporter =
        OtlpFileMetricExporter.builder()
            .setDirectory(directory)
            .setTemporality(AggregationTemporality.DELTA)
            .build();
    try {
      AggregationTemporalitySelector expected = AggregationTemporalitySelector.deltaPreferred();
      for (InstrumentType type : InstrumentType.values()) {
        assertThat(exporter.getAggregationTemporality(type))
            .as(type.name())
            .isEqualTo(expected.getAggregationTemporality(type));
      }
      assertThat(exporter.getAggregationTemporality(InstrumentType.COUNTER))
          .isEqualTo(AggregationTemporality.DELTA);
      assertThat(exporter.getAggregationTemporality(InstrumentType.UP_DOWN_COUNTER))
          .isEqualTo(AggregationTemporality.CUMULATIVE);
    } finally {
      exporter.shutdown();
    }
  }

  @Test
  void selectorsAndMemoryModeAreReportedToTheSdk() {
    OtlpFileMetricExporter exporter =
        OtlpFileMetricExporter.builder()
            .setDirectory(directory)
            .setTemporality(AggregationTemporality.DELTA)
            .setTemporality(AggregationTemporality.CUMULATIVE)
            .setAggregationTemporalitySelector(AggregationTemporalitySelector.lowMemory())
            .setDefaultAggregationSelector(
                DefaultAggregationSelector.getDefault()
                    .with(InstrumentType.HISTOGRAM, Aggregation.base2ExponentialBucketHistogram()))
            .setMemoryMode(MemoryMode.REUSABLE_DATA)
            .build();
    try {
      assertThat(exporter.getAggregationTemporality(InstrumentType.COUNTER))
          .isEqualTo(AggregationTemporality.DELTA);
      assertThat(exporter.getAggregationTemporality(InstrumentType.OBSERVABLE_COUNTER))
          .isEqualTo(AggregationTemporality.CUMULATIVE);
      assertThat(exporter.getDefaultAggregation(InstrumentType.HISTOGRAM))
          .isEqualTo(Aggregation.base2ExponentialBucketHistogram());
      assertThat(exporter.getMemoryMode()).isEqualTo(MemoryMode.REUSABLE_DATA);
    } finally {
      exporter.shutdown();
    }
  }
}
