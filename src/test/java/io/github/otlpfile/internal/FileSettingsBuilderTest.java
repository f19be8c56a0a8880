package io.github.otlpfile.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.Compression;
import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileExporterBuilder;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OverflowPolicy;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared file settings: defaults, range checks naming the setting, the signal's folder. */
class FileSettingsBuilderTest {
  @TempDir Path dir;

  @Test
  void unsetSettingsAreTheDocumentedDefaults() {
    FileSettingsBuilder builder = new FileSettingsBuilder();
    assertThat(builder.getFormat()).isEqualTo(OtlpFileExporterBuilder.DEFAULT_FORMAT);
    assertThat(builder.getMeterProvider()).isNull();
    builder.setDirectory(dir);

    ExporterSettings settings = builder.build(Signal.TRACES);

    assertThat(settings.directory).isEqualTo(dir);
    assertThat(settings.format).isEqualTo(OtlpFileExporterBuilder.DEFAULT_FORMAT);
    assertThat(settings.bufferCapacityBytes)
        .isEqualTo(OtlpFileExporterBuilder.DEFAULT_BUFFER_CAPACITY_BYTES);
    assertThat(settings.overflowPolicy).isEqualTo(OtlpFileExporterBuilder.DEFAULT_OVERFLOW_POLICY);
    assertThat(settings.maxFileSizeBytes)
        .isEqualTo(OtlpFileExporterBuilder.DEFAULT_MAX_FILE_SIZE_BYTES);
    assertThat(settings.maxFileAge).isEqualTo(OtlpFileExporterBuilder.DEFAULT_MAX_FILE_AGE);
    assertThat(settings.maxFiles).isEqualTo(OtlpFileExporterBuilder.DEFAULT_MAX_FILES);
    assertThat(settings.maxTotalSizeBytes)
        .isEqualTo(OtlpFileExporterBuilder.DEFAULT_MAX_TOTAL_SIZE_BYTES);
    assertThat(settings.maxAge).isEqualTo(OtlpFileExporterBuilder.DEFAULT_MAX_AGE);
    assertThat(settings.compression).isEqualTo(OtlpFileExporterBuilder.DEFAULT_COMPRESSION);
    assertThat(settings.durability).isEqualTo(OtlpFileExporterBuilder.DEFAULT_DURABILITY);
    assertThat(settings.clock).isSameAs(Clock.getDefault());
    assertThat(settings.meterProvider).isNull();
    assertThat(dir.resolve("traces")).isDirectory();
  }

  @Test
  void everySettingReachesTheBuiltSettings() {
    Clock clock =
        new Clock() {
          @Override
          public long now() {
            return 1;
          }

          @Override
          public long nanoTime() {
            return 2;
          }
        };
    MeterProvider meterProvider = MeterProvider.noop();
    FileSettingsBuilder builder = new FileSettingsBuilder();
    builder.setDirectory(dir);
    builder.setFormat(OtlpFileFormat.PROTOBUF);
    builder.setBufferCapacity(1000);
    builder.setOverflowPolicy(OverflowPolicy.BLOCK);
    builder.setMaxFileSize(2000);
    builder.setMaxFileAge(Duration.ofMinutes(3));
    builder.setMaxFiles(4);
    builder.setMaxTotalSize(5000);
    builder.setMaxAge(Duration.ofHours(6));
    builder.setCompression(Compression.GZIP);
    builder.setDurability(Durability.EVERY_WRITE);
    builder.setClock(clock);
    builder.setMeterProvider(meterProvider);
    assertThat(builder.getFormat()).isEqualTo(OtlpFileFormat.PROTOBUF);
    assertThat(builder.getMeterProvider()).isSameAs(meterProvider);

    ExporterSettings settings = builder.build(Signal.LOGS);

    assertThat(settings.format).isEqualTo(OtlpFileFormat.PROTOBUF);
    assertThat(settings.bufferCapacityBytes).isEqualTo(1000);
    assertThat(settings.overflowPolicy).isEqualTo(OverflowPolicy.BLOCK);
    assertThat(settings.maxFileSizeBytes).isEqualTo(2000);
    assertThat(settings.maxFileAge).isEqualTo(Duration.ofMinutes(3));
    assertThat(settings.maxFiles).isEqualTo(4);
    assertThat(settings.maxTotalSizeBytes).isEqualTo(5000);
    assertThat(settings.maxAge).isEqualTo(Duration.ofHours(6));
    assertThat(settings.compression).isEqualTo(Compression.GZIP);
    assertThat(settings.durability).isEqualTo(Durability.EVERY_WRITE);
    assertThat(settings.clock).isSameAs(clock);
    assertThat(settings.meterProvider).isSameAs(meterProvider);
    assertThat(settings)
        .hasToString(
            "directory="
                + dir
                + ", format=PROTOBUF, bufferCapacityBytes=1000, overflowPolicy=BLOCK,"
                + " maxFileSizeBytes=2000, maxFileAge=PT3M, maxFiles=4, maxTotalSizeBytes=5000,"
                + " maxAge=PT6H, compression=GZIP, durability=EVERY_WRITE");
    assertThat(dir.resolve("logs")).isDirectory();
    assertThat(dir.resolve("traces")).doesNotExist();
  }

  @Test
  void eachRangeCheckNamesItsSettingAndTheValue() {
    assertRejected(b -> b.setBufferCapacity(0), "bufferCapacity must be > 0, but was 0");
    assertRejected(b -> b.setMaxFileSize(0), "maxFileSize must be > 0, but was 0");
    assertRejected(
        b -> b.setMaxFileAge(Duration.ZERO), "maxFileAge must be positive, but was PT0S");
    assertRejected(
        b -> b.setMaxFileAge(Duration.ofSeconds(-1)), "maxFileAge must be positive, but was PT-1S");
    assertRejected(b -> b.setMaxFiles(0), "maxFiles must be > 0, but was 0");
    assertRejected(b -> b.setMaxTotalSize(0), "maxTotalSize must be > 0, but was 0");
    assertRejected(
        b -> {
          b.setMaxFileSize(1001);
          b.setMaxTotalSize(1000);
        },
        "maxTotalSize must be >= maxFileSize (1001), but was 1000");
    assertRejected(b -> b.setMaxAge(Duration.ZERO), "maxAge must be positive, but was PT0S");
    assertRejected(
        b -> b.setMaxAge(Duration.ofMillis(-1)), "maxAge must be positive, but was PT-0.001S");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void theSmallestValuesInRangeAreAccepted() {
    FileSettingsBuilder builder = new FileSettingsBuilder();
    builder.setDirectory(dir);
    builder.setBufferCapacity(1);
    builder.setMaxFileSize(1);
    builder.setMaxFileAge(Duration.ofNanos(1));
    builder.setMaxFiles(1);
    builder.setMaxTotalSize(1);
    builder.setMaxAge(Duration.ofNanos(1));

    assertThatCode(builder::validate).doesNotThrowAnyException();
    assertThat(builder.build(Signal.METRICS).maxTotalSizeBytes).isEqualTo(1);
  }

  @Test
  void refusesASignalFolderThatIsASymbolicLink() throws Exception {
    Path target = Files.createDirectory(dir.resolve("elsewhere"));
    Files.createSymbolicLink(dir.resolve("traces"), target);
    FileSettingsBuilder builder = new FileSettingsBuilder();
    builder.setDirectory(dir);

    assertThatThrownBy(() -> builder.build(Signal.TRACES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "directory "
                + dir.resolve("traces")
                + " is a symbolic link; refusing to write through it");
  }

  @Test
  void saysWhenTheSignalFolderCannotBeCreated() throws Exception {
    Files.write(dir.resolve("metrics"), new byte[] {1});
    FileSettingsBuilder builder = new FileSettingsBuilder();
    builder.setDirectory(dir);

    assertThatThrownBy(() -> builder.build(Signal.METRICS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("directory " + dir.resolve("metrics") + " cannot be created: ")
        .hasMessageContaining("is not a directory")
        .hasCauseInstanceOf(java.io.IOException.class);
  }

  private void assertRejected(Consumer<FileSettingsBuilder> change, String message) {
    FileSettingsBuilder builder = new FileSettingsBuilder();
    builder.setDirectory(dir);
    change.accept(builder);
    assertThatThrownBy(builder::validate)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> builder.build(Signal.TRACES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
